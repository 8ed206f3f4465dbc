"""ORA2's peer allocation on the same database and pool sizes as ours (``make bench-ora2``).

Runs in its own virtual environment (``.venv-ora2``, ORA2 from PyPI; ORA2 is not a dependency of
our package): ``.venv-ora2/bin/python -m bench.ora2 --sizes 1000,10000``. It builds, for each size,
the same three pools as :mod:`bench.peer` in ORA2's tables and times ORA2's own entry point,
``openassessment.assessment.api.peer.get_submission_to_assess(submission_uuid, graded_by=3)``, for
the same 150 newest learners:

* fresh pool: each response has 0-3 reviews in progress or done (same distribution as ours);
* late course: every response has its 3 but the newest 1% (at least 300);
* all served: every response has its 3 (ORA2 then "over-grades" one picked at random).

A review "in progress" is an ORA2 workflow item started within its time limit; both kinds count
towards ``graded_by`` in ORA2's pick, as completed reviews and live leases count in our ``load``.
Figures go to ``var/bench-ora2-<database>.json``, which ``make bench`` reads to print the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import timedelta

from .common import StatementLog

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.ora2_settings")

REQUIRED = 3
REVIEWERS = 150
COURSE = "course-v1:SSE+Bench+1"


def _fill(item_id: str, size: int, reviews) -> list[str]:
    """``size`` ORA2 workflows (with their edx-submissions rows); ``reviews(i)`` live items on the i-th.

    Returns the submission uuids, oldest first. The items' scorers are the oldest workflows, never
    the measured reviewers, so the reviewers start with nothing open, as in our benchmark.
    """
    from django.utils import timezone
    from openassessment.assessment.models import PeerWorkflow, PeerWorkflowItem
    from submissions.models import StudentItem, Submission

    start = timezone.now() - timedelta(days=3)
    uuids = [str(uuid.uuid4()) for _ in range(size)]
    for first in range(0, size, 5000):
        part = range(first, min(size, first + 5000))
        students = [f"learner-{i}" for i in part]
        StudentItem.objects.bulk_create([
            StudentItem(student_id=s, course_id=COURSE, item_id=item_id, item_type="openassessment") for s in students
        ], batch_size=2000)
        ids = dict(StudentItem.objects.filter(item_id=item_id, student_id__in=students).values_list("student_id", "pk"))
        Submission.objects.bulk_create([
            Submission(uuid=uuids[i], student_item_id=ids[f"learner-{i}"], attempt_number=1,
                       submitted_at=start + timedelta(seconds=i), created_at=start + timedelta(seconds=i),
                       answer={"parts": [{"text": "bench"}]}) for i in part
        ], batch_size=2000)
        PeerWorkflow.objects.bulk_create([
            PeerWorkflow(student_id=f"learner-{i}", item_id=item_id, course_id=COURSE, submission_uuid=uuids[i],
                         created_at=start + timedelta(seconds=i)) for i in part
        ], batch_size=2000)
    workflow_ids = dict(PeerWorkflow.objects.filter(item_id=item_id).values_list("submission_uuid", "pk"))
    now = timezone.now()
    scorers = [workflow_ids[u] for u in uuids[:max(1, size // 10)]]
    items = []
    for i, sub_uuid in enumerate(uuids):
        for k in range(reviews(i)):
            scorer = scorers[(i + k) % len(scorers)]
            if scorer == workflow_ids[sub_uuid]:
                scorer = scorers[(i + k + 1) % len(scorers)]
            items.append(PeerWorkflowItem(scorer_id=scorer, author_id=workflow_ids[sub_uuid],
                                          submission_uuid=sub_uuid, started_at=now))
        if len(items) >= 5000:
            PeerWorkflowItem.objects.bulk_create(items, batch_size=2000)
            items = []
    PeerWorkflowItem.objects.bulk_create(items, batch_size=2000)
    _analyze()
    return uuids


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("assessment_peerworkflow", "assessment_peerworkflowitem"):
            if connection.vendor == "postgresql":
                cursor.execute(f"VACUUM ANALYZE {table}")
            elif connection.vendor == "mysql":
                cursor.execute(f"ANALYZE TABLE {table}")
                cursor.fetchall()
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")


def _measure(uuids: list[str]) -> tuple[float, int, int]:
    """Median ms, most statements, and how many of the reviewers got a response."""
    from django.db import connection, reset_queries
    from openassessment.assessment.api import peer as peer_api

    samples, counts, served = [], [], 0
    for sub_uuid in reversed(uuids[-REVIEWERS:]):
        reset_queries()
        with StatementLog(connection) as ctx:  # the same log as ours (bench/common.py)
            start = time.perf_counter()
            got = peer_api.get_submission_to_assess(sub_uuid, REQUIRED)
            samples.append((time.perf_counter() - start) * 1000)
        served += 1 if got else 0
        counts.append(sum(1 for q in ctx.captured_queries
                          if not q["sql"].lstrip().upper().startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))))
    return statistics.median(samples), max(counts), served


def run(sizes: list[int]) -> list[dict]:
    rows = []
    for size in sizes:
        rng = random.Random(size)
        waiting_from = size - max(REVIEWERS * 2, size // 100)
        pools = {
            "fresh": lambda i: rng.choice([0, 1, 2, 3, 3, 3]),
            "late": lambda i: 0 if i >= waiting_from else REQUIRED,
            "extra": lambda i: REQUIRED,
        }
        for path, reviews in pools.items():
            uuids = _fill(f"ora2-{path}-{size}", size, reviews)
            ms, statements, served = _measure(uuids)
            rows.append({"path": path, "size": size, "ms": ms, "statements": statements, "served": served})
            print(f"ORA2 {path:<6} {size:>8,}: {ms:8.2f} ms median, {statements} statements, "
                  f"{served}/{REVIEWERS} reviewers served", flush=True)
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ora2")
    parser.add_argument("--sizes", default="1000,10000", help="pool sizes, comma separated")
    parser.add_argument("--json", default=None, help="where to write the figures")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    import django

    django.setup()
    from django.test.runner import DiscoverRunner
    from django.test.utils import setup_test_environment

    import openassessment

    setup_test_environment()
    from bench.common import fake_broken_submissions_migration

    fake_broken_submissions_migration()
    runner = DiscoverRunner(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        rows = run(sizes)
    finally:
        runner.teardown_databases(old)
    database = os.environ.get("SSE_DB", "sqlite")
    path = args.json or f"var/bench-ora2-{database}.json"
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        version = getattr(openassessment, "__version__", "")
        json.dump({"database": database, "ora2": version, "sizes": sizes, "results": rows}, handle, indent=2)
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
