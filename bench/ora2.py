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
It then times the whole peer flow (:func:`flow`) for the same new learners as ``bench/peer.py``'s
``flow_figures``, in the same pool: a response submitted, a response to review got, the review
submitted, the author's grade computed. ``--only allocation`` or ``--only flow`` runs one of the two.
Figures go to ``var/bench-ora2-<database>.json``, which ``make bench`` reads to print the ratios.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import statistics
import sys
import time
import uuid
from datetime import timedelta

from .common import FLOW_CHOICES, FLOW_TEXT, StatementLog, flow_summary, timed_with_statements

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
    """Fresh statistics after a bulk load (edx-submissions' and the workflow's tables too), as ours."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("assessment_peerworkflow", "assessment_peerworkflowitem", "submissions_studentitem",
                      "submissions_submission", "workflow_assessmentworkflow", "workflow_assessmentworkflowstep"):
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


# --- the whole peer flow (beside bench/peer.py flow_figures) ------------------------------------------

RUBRIC = {
    "prompts": [{"description": "Analyse the case."}],
    "criteria": [
        {"order_num": i, "name": f"c{i}", "label": f"Criterion {i}", "prompt": f"Criterion {i}",
         "options": [{"order_num": j, "name": name, "label": name, "explanation": "", "points": points}
                     for j, (name, points) in enumerate((("Missing", 0), ("Partial", 2), ("Strong", 4)))]}
        for i in range(3)
    ],
}
OPTION_NAMES = ("Missing", "Partial", "Strong")
# What ORA2's block passes to the workflow for a peer-only assessment (``workflow_requirements``).
REQUIREMENTS = {"peer": {"must_grade": REQUIRED, "must_be_graded_by": REQUIRED, "enable_flexible_grading": False,
                         "grading_strategy": "median"}}


def _workflows(item_id: str, done: set[str]) -> None:
    """ORA2's assessment workflow (steps staff and peer, as ORA2 starts a peer-only one) for every
    response of ``item_id``; those in ``done`` gave their reviews: status ``waiting``, the peer step's
    submitter part complete (so are their peer workflows)."""
    from django.utils import timezone
    from openassessment.assessment.models import PeerWorkflow
    from openassessment.workflow.models import AssessmentWorkflow, AssessmentWorkflowStep

    now = timezone.now()
    uuids = list(PeerWorkflow.objects.filter(item_id=item_id).values_list("submission_uuid", flat=True))
    for first in range(0, len(uuids), 5000):
        part = uuids[first:first + 5000]
        AssessmentWorkflow.objects.bulk_create([
            AssessmentWorkflow(submission_uuid=u, course_id=COURSE, item_id=item_id,
                               status="waiting" if u in done else "peer") for u in part
        ], batch_size=2000)
        ids = dict(AssessmentWorkflow.objects.filter(submission_uuid__in=part).values_list("submission_uuid", "pk"))
        AssessmentWorkflowStep.objects.bulk_create([
            step for u in part for step in (
                AssessmentWorkflowStep(workflow_id=ids[u], name="staff", order_num=0, assessment_completed_at=now),
                AssessmentWorkflowStep(workflow_id=ids[u], name="peer", order_num=1,
                                       submitter_completed_at=now if u in done else None),
            )
        ], batch_size=2000)
    PeerWorkflow.objects.filter(submission_uuid__in=list(done)).update(completed_at=now)


def _earlier_assessments(authors: list[str], scorers: list[str]) -> None:
    """``REQUIRED - 1`` completed peer assessments on each author's response, by other learners of the
    pool, through ORA2's own code (workflow item, assessment and parts, the item closed)."""
    from openassessment.assessment.api import peer as peer_api
    from openassessment.assessment.models import PeerWorkflow

    workflows = {w.submission_uuid: w for w in PeerWorkflow.objects.filter(submission_uuid__in=scorers)}
    n = 0
    for author in authors:
        for _ in range(REQUIRED - 1):
            scorer = workflows[scorers[n % len(scorers)]]
            n += 1
            PeerWorkflow.create_item(scorer, author)
            peer_api._complete_assessment(  # noqa: SLF001 - what create_assessment runs once the item is found
                RUBRIC, scorer.student_id, author, {c: OPTION_NAMES[i] for c, i in FLOW_CHOICES.items()}, {},
                scorer, "", REQUIRED, None)


def _busy(item_id: str, uuids: list[str], scorers: list[str]) -> None:
    """Other learners take each of ``uuids`` for review: ``REQUIRED`` items in progress each (as ours)."""
    from django.utils import timezone
    from openassessment.assessment.models import PeerWorkflow, PeerWorkflowItem

    ids = dict(PeerWorkflow.objects.filter(item_id=item_id, submission_uuid__in=uuids + scorers)
               .values_list("submission_uuid", "pk"))
    now = timezone.now()
    PeerWorkflowItem.objects.bulk_create([
        PeerWorkflowItem(scorer_id=ids[scorers[(k * REQUIRED + n) % len(scorers)]], author_id=ids[u],
                         submission_uuid=u, started_at=now)
        for k, u in enumerate(uuids) for n in range(REQUIRED)
    ])


def flow(size: int) -> dict:
    """The whole flow for the same :data:`REVIEWERS` new learners, the same pool and the same text as
    ``bench/peer.py``'s ``flow_figures``, through ORA2's API:

    1. submit: ``submissions.api.create_submission`` then ``workflow.api.create_workflow(uuid, ["peer"])``
       (what ORA2's block does on submit);
    2. get a response to review: ``peer.get_submission_to_assess(uuid, 3)`` (it returns the answer);
    3. submit the review: ``peer.create_assessment`` and the reviewer's own workflow update;
    4. the author's grade: ``workflow.api.update_from_assessments`` on the author's workflow, which finds
       the three assessments, computes the score and sets it in edx-submissions.

    Steps 3 and 4 together are what ORA2's ``peer_assess`` handler does (it updates the author's workflow,
    then the reviewer's).
    """
    from openassessment.assessment.api import peer as peer_api
    from openassessment.workflow import api as workflow_api
    from submissions import api as sub_api

    # Once the author's workflow is done, ORA2 notifies the author: it looks their user name up in the
    # LMS's tables, absent here, so it logs an error and returns (in an LMS it would read the user and
    # the course, and send the notification: work its figure here leaves out). The log line is kept off.
    logging.getLogger("openassessment.xblock.utils.notifications").setLevel(logging.CRITICAL)
    item_id = f"ora2-flow-{size}"
    authors = REVIEWERS
    uuids = _fill(item_id, size, lambda i: 0 if i < authors else REQUIRED)
    _workflows(item_id, set(uuids[:authors]))
    scorers = uuids[size // 2:size // 2 + 50]  # other learners of the pool, neither authors nor measured
    _earlier_assessments(uuids[:authors], scorers)
    _analyze()
    learners = [f"learner-{size + k}" for k in range(REVIEWERS)]
    samples = [{} for _ in learners]
    mine = []

    timed = timed_with_statements

    for k, learner in enumerate(learners):
        student_item = {"student_id": learner, "course_id": COURSE, "item_id": item_id, "item_type": "openassessment"}

        def submit():
            created = sub_api.create_submission(student_item, {"parts": [{"text": FLOW_TEXT}]})
            workflow_api.create_workflow(created["uuid"], ["peer"], on_init_params={})
            return created["uuid"]

        sub_uuid, samples[k]["submit"] = timed(submit)
        mine.append(sub_uuid)
    _busy(item_id, mine, scorers)

    waiting = set(uuids[:authors])
    options = {c: OPTION_NAMES[i] for c, i in FLOW_CHOICES.items()}
    for k, learner in enumerate(learners):
        got, samples[k]["review"] = timed(lambda: peer_api.get_submission_to_assess(mine[k], REQUIRED))
        assert got and got["uuid"] in waiting, "the pick is not a response waiting for its last review"

        def assess():
            peer_api.create_assessment(mine[k], learner, options, {}, "A clear analysis.", RUBRIC, REQUIRED)
            workflow_api.update_from_assessments(mine[k], REQUIREMENTS, {})

        _none, samples[k]["assess"] = timed(assess)
        graded, samples[k]["grade"] = timed(lambda: workflow_api.update_from_assessments(got["uuid"], REQUIREMENTS, {}))
        assert graded["status"] == "done" and graded["score"], f"{learner}: the author is not graded ({graded['status']})"
    return flow_summary(samples)


def run(sizes: list[int], groups=("allocation", "flow")) -> list[dict]:
    rows = []
    for size in sizes:
        rng = random.Random(size)
        waiting_from = size - max(REVIEWERS * 2, size // 100)
        pools = {
            "fresh": lambda i: rng.choice([0, 1, 2, 3, 3, 3]),
            "late": lambda i: 0 if i >= waiting_from else REQUIRED,
            "extra": lambda i: REQUIRED,
        }
        for path, reviews in pools.items() if "allocation" in groups else ():
            uuids = _fill(f"ora2-{path}-{size}", size, reviews)
            ms, count, served = _measure(uuids)
            rows.append({"path": path, "size": size, "ms": ms, "statements": count, "served": served})
            print(f"ORA2 {path:<6} {size:>8,}: {ms:8.2f} ms median, {count} statements, "
                  f"{served}/{REVIEWERS} reviewers served", flush=True)
        if "flow" in groups:
            for step, (ms, count) in flow(size).items():
                rows.append({"path": f"flow-{step}", "size": size, "ms": ms, "statements": count})
                print(f"ORA2 flow {step:<6} {size:>8,}: {ms:8.2f} ms median, {count} statements", flush=True)
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ora2")
    parser.add_argument("--sizes", default="1000,10000", help="pool sizes, comma separated")
    parser.add_argument("--json", default=None, help="where to write the figures")
    parser.add_argument("--only", default="allocation,flow",
                        help="allocation (also spelled peer, as in `make bench`), flow, or both; other groups ignored")
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
        groups = {"peer": "allocation"}
        rows = run(sizes, [groups.get(g.strip(), g.strip()) for g in args.only.split(",") if g.strip()])
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
