"""The profile's kept cohort figures under parallel score writers, on PostgreSQL and MariaDB.

Writer threads change the scores of a few shared learners on three blocks at once (new scores, regrades,
removals, resets, retirements), so that two changes of one learner often race on different blocks; a
second composition of the scope is registered and counted while they write; a checker thread compares,
again and again, the kept figures with a recount of the table inside one snapshot. At every check and at
the end the two agree.
"""

from __future__ import annotations

import random
import threading

import pytest

from db.concurrency import run_threads

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]

COURSE = "course-v1:SSE+Race+1"
BLOCKS = ["race-block-1", "race-block-2", "race-block-3"]
POSSIBLE = {"employment": 4.0, "social_protection": 2.0, "social_dialogue": 1.0, "rights_at_work": 0.0}
LEARNERS = [f"racer-{n}" for n in range(6)]
WRITERS = 6
CHANGES = 40


def _snapshot_reads(connection, read):
    """``read()`` inside one repeatable-read snapshot of this thread's connection."""
    from django.db import transaction

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        else:
            cursor.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    with transaction.atomic():
        return read()


def test_parallel_writers_keep_the_figures_equal_to_a_recount(server_db):
    from django.db import connection

    from sse_academy_xblock.profile import cohort, cohort_store, scores
    from sse_academy_xblock.transactions import is_deadlock, run_with_retries

    def kept_and_recount(scope, profile, usage_ids):
        return (cohort_store.read(scope, profile).figures, cohort.figures(usage_ids, POSSIBLE))

    first = (cohort_store.scope_key(COURSE, "first"), cohort_store.profile_key(COURSE, "profile-a", "course"))
    first_id = cohort_store.register(COURSE, *first, BLOCKS, POSSIBLE)
    assert cohort_store.build(first_id, grace=0)
    # A second profile over two of the blocks, registered now and counted while the writers run.
    second = (cohort_store.scope_key(COURSE, "second"), cohort_store.profile_key(COURSE, "profile-b", "section"))
    second_id = cohort_store.register(COURSE, *second, BLOCKS[:2], POSSIBLE)

    done = threading.Event()
    mismatches = []

    def writer(index):
        rng = random.Random(index)
        for _step in range(CHANGES):
            learner, block = rng.choice(LEARNERS), rng.choice(BLOCKS)
            action = rng.random()
            if action < 0.75:
                breakdown = {dim: {"earned": rng.choice([0, 0.5, 1, 2, 4]), "possible": points}
                             for dim, points in POSSIBLE.items() if points and rng.random() < 0.7}
                change = lambda: scores.record(learner, COURSE, block, breakdown)  # noqa: E731
            elif action < 0.95:
                change = lambda: scores.forget(learner, block)  # noqa: E731
            else:
                change = lambda: scores.forget_learners([learner])  # noqa: E731
            run_with_retries(change, 10, retry_if=is_deadlock)
        return True

    def builder(_index):
        return cohort_store.build(second_id, grace=0.05)

    def checker(_index):
        checks = 0
        while not done.is_set() or checks < 3:
            kept, recount = _snapshot_reads(connection, lambda: kept_and_recount(*first, BLOCKS))
            if kept != recount:
                mismatches.append((kept, recount))
            checks += 1
        return checks

    def body(index):
        try:
            if index < WRITERS:
                return writer(index)
            if index == WRITERS:
                return builder(index)
            return checker(index)
        finally:
            if index < WRITERS:
                with lock:
                    finished.append(index)
                    if len(finished) == WRITERS:
                        done.set()

    lock, finished = threading.Lock(), []
    run = run_threads(WRITERS + 2, body, timeout=300)
    run.raise_errors()
    assert run.results[WRITERS] is True  # the second composition was counted
    assert run.results[WRITERS + 1] >= 3
    assert mismatches == [], mismatches[:1]
    kept, recount = kept_and_recount(*first, BLOCKS)
    assert kept == recount and kept.learners > 0
    kept, recount = kept_and_recount(*second, BLOCKS[:2])
    assert kept == recount
