"""Run the benchmarks, print a table, and exit non-zero when a target is missed.

    python -m bench                       # SQLite, pools of 1,000 and 10,000 submissions
    python -m bench --sizes 1000,100000   # larger pools
    python -m bench --only profile        # one group (quiz, peer, quiz_staff, cohort, profile, items, agreement)
    SSE_DB=postgresql python -m bench     # on a server (see docs/operations.md)

Times are medians of many runs on this machine; statement counts are exact. The targets are those
of docs/performance.md. When ``make bench-ora2`` has written ORA2's figures for the same database
(``var/bench-ora2-<database>.json``), they are printed beside ours with the ratios.
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
    parser.add_argument("--only", default="", help="comma-separated groups to run: quiz, peer, quiz_staff, cohort, profile, items, agreement")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    from bench.common import bench_databases

    with bench_databases():
        from . import cases

        results = cases.run_all(sizes, [g.strip() for g in args.only.split(",") if g.strip()] or None)

    failed = 0
    print(f"{'benchmark':<52} {'figure':>14}  {'target':>14}  result")
    for row in results:
        ok = row["ok"]
        failed += 0 if ok else 1
        print(f"{row['name']:<52} {row['figure']:>14}  {row['target']:>14}  {'ok' if ok else 'MISSED'}")
    os.makedirs(os.path.dirname(args.json) or ".", exist_ok=True)
    with open(args.json, "w", encoding="utf-8") as handle:
        json.dump({"database": os.environ.get("SSE_DB", "sqlite"), "results": results}, handle, indent=2)
    compare_with_ora2(results)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


def compare_with_ora2(results: list[dict]) -> None:
    """Print ORA2's figures (``make bench-ora2``, same database) beside ours, with the ratios."""
    database = os.environ.get("SSE_DB", "sqlite")
    path = f"var/bench-ora2-{database}.json"
    ours = {(r["path"], r["size"]): r for r in results if "path" in r}
    try:
        with open(path, encoding="utf-8") as handle:
            ora2 = json.load(handle)
    except (OSError, ValueError):
        print(f"\nORA2 comparison: no {path}; run `make bench-ora2` with the same SSE_DB and BENCH_ARGS.")
        return
    pairs = [(o, ours.get((o["path"], o["size"]))) for o in ora2.get("results", [])]
    pairs = [(o, mine) for o, mine in pairs if mine is not None]
    if not pairs:
        print(f"\nORA2 comparison: {path} has other pool sizes; run `make bench-ora2` with the same BENCH_ARGS.")
        return
    labels = {"fresh": "allocate, fresh pool", "late": "allocate, late course", "extra": "extra review, all served"}
    print(f"\nBeside ORA2 {ora2.get('ora2', '')} on {database} (medians; ratio = ORA2 time / ours)")
    print(f"{'path':<28} {'pool':>8}  {'ORA2':>10} {'stmts':>5}  {'ours':>10} {'stmts':>5}  {'ratio':>7}")
    for o, mine in pairs:
        ratio = o["ms"] / mine["value"] if mine["value"] else float("inf")
        print(f"{labels.get(o['path'], o['path']):<28} {o['size']:>8,}  {o['ms']:>7.2f} ms {o['statements']:>5}  "
              f"{mine['value']:>7.2f} ms {mine['statements']:>5}  {ratio:>6.1f}x")
    print()


if __name__ == "__main__":
    sys.exit(main())
