"""Run the benchmarks, print a table, and exit non-zero when a target is missed.

    python -m bench                       # SQLite, pools of 1,000 and 10,000 submissions
    python -m bench --sizes 1000,100000   # larger pools
    python -m bench --only profile        # one group (quiz, peer, flow, quiz_staff, cohort, profile, items, agreement)
    SSE_DB=postgresql python -m bench     # on a server (see docs/operations.md)

Times are medians of many runs on this machine; statement counts are exact. The targets are those
of docs/performance.md. When ``make bench-ora2`` has written ORA2's figures for the same database
(``var/bench-ora2-<database>.json``), they are printed beside ours with the ratios, and each step of
our whole peer flow (group ``flow``) must be faster than ORA2's at the same size: a slower step is a
missed target.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sse_academy_xblock.settings.test")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--sizes", default="1000,10000", help="peer pool sizes, comma separated")
    parser.add_argument("--json", default="var/bench.json", help="where to write the figures")
    parser.add_argument("--only", default="", help="comma-separated groups to run: quiz, peer, flow, quiz_staff, cohort, profile, items, agreement")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    from bench.common import bench_databases

    with bench_databases():
        from . import cases

        results = cases.run_all(sizes, [g.strip() for g in args.only.split(",") if g.strip()] or None)

    ora2_path, ora2 = read_ora2()
    set_flow_targets(results, ora2)
    failed = sum(1 for row in results if row["ok"] is False)
    unmeasured = sum(1 for row in results if row["ok"] is None)
    print(f"{'benchmark':<52} {'figure':>14}  {'target':>20}  result")
    for row in results:
        result = {True: "ok", False: "MISSED", None: "no ORA2 figure"}[row["ok"]]
        print(f"{row['name']:<52} {row['figure']:>14}  {row['target']:>20}  {result}")
    os.makedirs(os.path.dirname(args.json) or ".", exist_ok=True)
    with open(args.json, "w", encoding="utf-8") as handle:
        json.dump({"database": os.environ.get("SSE_DB", "sqlite"), "results": results}, handle, indent=2)
    compare_with_ora2(results, ora2_path, ora2)
    passed = len(results) - failed - unmeasured
    print(f"{passed} passed, {failed} failed" + (f", {unmeasured} without ORA2's figure to beat" if unmeasured else ""))
    return 1 if failed else 0


def read_ora2() -> tuple[str, dict | None]:
    """ORA2's figures written by ``make bench-ora2`` for this database, or None."""
    path = f"var/bench-ora2-{os.environ.get('SSE_DB', 'sqlite')}.json"
    try:
        with open(path, encoding="utf-8") as handle:
            return path, json.load(handle)
    except (OSError, ValueError):
        return path, None


def set_flow_targets(results: list[dict], ora2: dict | None) -> None:
    """Each step of our whole peer flow must be faster than ORA2's at the same size: its target is ORA2's
    median; without that figure (``make bench-ora2`` not run at that size) the row is left unjudged."""
    theirs = {(o["path"], o["size"]): o for o in (ora2 or {}).get("results", [])}
    for row in results:
        if not row.get("path", "").startswith("flow-"):
            continue
        other = theirs.get((row["path"], row["size"]))
        if other is None:
            row["target"], row["ok"] = "< ORA2 (not run)", None
        else:
            row["limit"] = other["ms"]
            row["target"] = f"< {other['ms']:.2f} ms ORA2"
            row["ok"] = row["value"] < other["ms"]


def compare_with_ora2(results: list[dict], path: str, ora2: dict | None) -> None:
    """Print ORA2's figures (``make bench-ora2``, same database) beside ours, with the ratios."""
    from bench.common import FLOW_LABELS

    database = os.environ.get("SSE_DB", "sqlite")
    ours = {(r["path"], r["size"]): r for r in results if "path" in r}
    if ora2 is None:
        print(f"\nORA2 comparison: no {path}; run `make bench-ora2` with the same SSE_DB and BENCH_ARGS.")
        return
    pairs = [(o, ours.get((o["path"], o["size"]))) for o in ora2.get("results", [])]
    pairs = [(o, mine) for o, mine in pairs if mine is not None]
    if not pairs:
        print(f"\nORA2 comparison: {path} has other pool sizes or groups; run `make bench-ora2` with the same "
              "BENCH_ARGS.")
        return
    labels = {"fresh": "allocate, fresh pool", "late": "allocate, late course", "extra": "extra review, all served",
              **{f"flow-{step}": f"flow: {label}" for step, label in FLOW_LABELS.items()}}
    print(f"\nBeside ORA2 {ora2.get('ora2', '')} on {database} (medians; ratio = ORA2 time / ours)")
    print(f"{'path':<40} {'pool':>8}  {'ORA2':>10} {'stmts':>5}  {'ours':>10} {'stmts':>5}  {'ratio':>7}")
    for o, mine in pairs:
        ratio = o["ms"] / mine["value"] if mine["value"] else float("inf")
        print(f"{labels.get(o['path'], o['path']):<40} {o['size']:>8,}  {o['ms']:>7.2f} ms {o['statements']:>5}  "
              f"{mine['value']:>7.2f} ms {mine['statements']:>5}  {ratio:>6.1f}x")
    print()

if __name__ == "__main__":
    sys.exit(main())
