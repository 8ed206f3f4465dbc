"""Run the benchmarks, print a table, and exit non-zero when a target is missed.

    python -m bench                       # SQLite, pools of 1,000 and 10,000 submissions
    python -m bench --sizes 1000,100000   # larger pools
    python -m bench --only profile        # one group (quiz, peer, cohort, profile)
    SSE_DB=postgresql python -m bench     # on a server (see docs/operations.md)

Times are medians of many runs on this machine; the targets are generous enough for a loaded CI
machine and tight enough to catch a query that grows with the pool. Statement counts are exact.
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
    parser.add_argument("--only", default="", help="comma-separated groups to run: quiz, peer, cohort, profile")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    import django

    django.setup()
    from django.test.utils import setup_test_environment
    from django.test.runner import DiscoverRunner

    from . import cases

    setup_test_environment()
    runner = DiscoverRunner(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        results = cases.run_all(sizes, [g.strip() for g in args.only.split(",") if g.strip()] or None)
    finally:
        runner.teardown_databases(old)

    failed = 0
    print(f"{'benchmark':<52} {'figure':>14}  {'target':>14}  result")
    for row in results:
        ok = row["ok"]
        failed += 0 if ok else 1
        print(f"{row['name']:<52} {row['figure']:>14}  {row['target']:>14}  {'ok' if ok else 'MISSED'}")
    os.makedirs(os.path.dirname(args.json) or ".", exist_ok=True)
    with open(args.json, "w", encoding="utf-8") as handle:
        json.dump({"database": os.environ.get("SSE_DB", "sqlite"), "results": results}, handle, indent=2)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
