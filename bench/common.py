"""What every benchmark shares: medians, statement counts and result rows ``{name, figure, target, ok}``."""

from __future__ import annotations

import statistics
import time

ROUNDS = 200
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def statements(ctx) -> int:
    """Data statements (transaction control such as BEGIN or SAVEPOINT not counted)."""
    return sum(1 for q in ctx.captured_queries if not q["sql"].lstrip().upper().startswith(_CONTROL))


def row(name: str, value: float, limit: float, unit: str, fmt: str = "{:.2f}") -> dict:
    return {
        "name": name, "value": value, "limit": limit, "unit": unit,
        "figure": fmt.format(value) + f" {unit}", "target": "<= " + fmt.format(limit) + f" {unit}",
        "ok": value <= limit,
    }


def median_ms(func, rounds: int = ROUNDS) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)
