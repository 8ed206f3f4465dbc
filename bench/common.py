"""What every benchmark shares: medians, statement counts and result rows ``{name, figure, target, ok}``."""

from __future__ import annotations

import contextlib
import logging
import statistics
import time

ROUNDS = 200
# A page load takes a few milliseconds: a hundred of them span long enough that a burst of the
# server's background work (flushing a bulk load just made) cannot move their median.
PAGE_ROUNDS = 100
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


class StatementLog:
    """The SQL statements sent on ``connection`` while active, in ``captured_queries`` (as Django's
    ``CaptureQueriesContext`` lists them), recorded by an execute wrapper.

    ``CaptureQueriesContext`` switches on the debug cursor, which formats and keeps every statement:
    work a production request (``DEBUG`` off) does not do. This log costs a function call per
    statement, so it can surround the code being timed.
    """

    def __init__(self, connection):
        self.connection = connection
        self.captured_queries: list[dict] = []
        self._wrapper = None

    def _record(self, execute, sql, params, many, context):
        self.captured_queries.append({"sql": sql})
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = self.connection.execute_wrapper(self._record)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        return self._wrapper.__exit__(*exc)


def statements(ctx) -> int:
    """Data statements (transaction control such as BEGIN or SAVEPOINT not counted)."""
    return sum(1 for q in ctx.captured_queries if not q["sql"].lstrip().upper().startswith(_CONTROL))


def timed_with_statements(func):
    """``func()``'s result, and its (milliseconds, data statements) on the default connection."""
    from django.db import connection, reset_queries

    reset_queries()
    with StatementLog(connection) as ctx:
        start = time.perf_counter()
        result = func()
        elapsed = (time.perf_counter() - start) * 1000
    return result, (elapsed, statements(ctx))


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


def fake_broken_submissions_migration() -> None:
    """On MariaDB, record edx-submissions' 0006 as applied without running it (as the test suite does).

    Its statements name a ``uuid`` column that two of its tables do not have, so a fresh MariaDB
    database cannot be migrated otherwise; the reason and the operator's equivalent
    (``migrate submissions 0006_mariadb_uuid_conversion --fake``) are in tests/db/plugin.py and
    docs/operations.md.
    """
    from django.db.migrations.executor import MigrationExecutor

    if getattr(MigrationExecutor.apply_migration, "bench_fakes", False):
        return
    original = MigrationExecutor.apply_migration

    def apply_migration(self, state, migration, fake=False, fake_initial=False):
        conn = self.connection
        if (migration.app_label, migration.name) == ("submissions", "0006_mariadb_uuid_conversion") \
                and conn.vendor == "mysql" and conn.mysql_is_mariadb:
            fake = True
        return original(self, state, migration, fake=fake, fake_initial=fake_initial)

    apply_migration.bench_fakes = True
    MigrationExecutor.apply_migration = apply_migration


@contextlib.contextmanager
def bench_databases():
    """Django set up and throwaway test databases created (and dropped afterwards), as the test runner does.

    The workbench settings write every SQL statement to var/workbench.log; a production LMS does not, and
    the file writes would be timed with the queries, so that logger is quietened (statements are still
    counted). On MariaDB, edx-submissions' broken migration is recorded without running.
    """
    import django

    django.setup()
    from django.test.runner import DiscoverRunner
    from django.test.utils import setup_test_environment

    setup_test_environment()
    logging.getLogger("django.db.backends").setLevel(logging.WARNING)
    fake_broken_submissions_migration()
    runner = DiscoverRunner(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        yield
    finally:
        runner.teardown_databases(old)


# --- the whole peer flow, ours and ORA2's (bench/peer.py flow_cases, bench/ora2.py run_flow) ------------

FLOW_STEPS = (
    ("submit", "submit a response"),
    ("review", "get a response to review"),
    ("assess", "submit the review"),
    ("grade", "the author's grade available"),
)
FLOW_LABELS = {**dict(FLOW_STEPS), "total": "the whole flow (per learner)"}
# The response every measured learner submits (about 300 words), the same text in both systems.
FLOW_TEXT = " ".join(["A cooperative shares its surplus with the members who work in it, and they decide together."]
                     * 19)
FLOW_CHOICES = {"c0": 2, "c1": 1, "c2": 2}  # the review's option per criterion (indexes of Missing, Partial, Strong)


def flow_summary(samples: list[dict]) -> dict:
    """``samples``: one dict per learner, ``{step: (ms, statements)}`` for the four steps.

    Returns ``{step: (median ms, most statements)}``, with ``total`` the median of each learner's sum of
    the four times and the most statements one learner's four steps took.
    """
    figures = {}
    for step, _label in FLOW_STEPS:
        figures[step] = (statistics.median(s[step][0] for s in samples), max(s[step][1] for s in samples))
    figures["total"] = (statistics.median(sum(s[step][0] for step, _l in FLOW_STEPS) for s in samples),
                        max(sum(s[step][1] for step, _l in FLOW_STEPS) for s in samples))
    return figures
