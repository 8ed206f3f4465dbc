"""Peer review under real concurrency, on PostgreSQL and MariaDB, through the engine's services.

Each thread is one request: it calls ``peer.workflow`` / ``peer.staff_actions`` with its own database
connection, all threads released together by a barrier. The invariants are checked on the tables.
"""

from __future__ import annotations

import collections
import os
import threading
from datetime import timedelta
from functools import partial

import pytest
from django.utils import timezone

from db.concurrency import run_threads
from factories import ANALYSIS_AND_RIGHTS, peer_item, store_reviews
from sse_academy_xblock.insight import agreement_statistics
from sse_academy_xblock.peer import allocation, staff_actions, submissions, workflow
from sse_academy_xblock.peer.config import PeerItem
from sse_academy_xblock.peer import gradebook
from sse_academy_xblock.peer.grading import lms_points, peer_grade
from sse_academy_xblock.peer.models import (
    CriterionAgreement, PeerSubmission, Review, ReviewerAgreement, ReviewLease, ReviewPart, StaffAction,
)

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]

ROUNDS = int(os.environ.get("SSE_RACE_ROUNDS", "20"))
REVIEWERS = 50
COURSE = "course-v1:SSE+Races+1"
make_item = partial(peer_item, rubric=ANALYSIS_AND_RIGHTS, course_id=COURSE, dimension="rights_at_work")


def choice(index: int) -> dict:
    """A complete review whose points depend on ``index`` (so medians depend on which reviews count)."""
    return {"options": {"analysis": index % 3, "rights": (index // 3) % 2}, "comments": {"analysis": f"r{index}"},
            "overall": f"overall {index}"}


def points_of(payload: dict) -> dict:
    return {c.name: c.options[payload["options"][c.name]].points for c in ANALYSIS_AND_RIGHTS.criteria}


def scores_of(uuid: str) -> list:
    from submissions.models import Score

    return list(Score.objects.filter(submission__uuid=uuid).order_by("created_at", "pk"))


def lms_score(sub: PeerSubmission):
    from submissions import api as submissions_api

    item = {"student_id": sub.anonymous_user_id, "course_id": sub.course_id, "item_id": sub.usage_id,
            "item_type": "sse_case_study"}
    return submissions_api.get_score(item)


def check_agreement(usage: str) -> None:
    """The agreement counters kept at grading time equal a full recount from the counted reviews."""
    by_sub = collections.defaultdict(dict)
    for sub_id, review_id, reviewer, name, points in ReviewPart.objects.filter(
        review__usage_id=usage, review__counted=True, review__submission__graded_at__isnull=False
    ).values_list("review__submission_id", "review_id", "review__reviewer_id", "criterion_name", "points"):
        by_sub[sub_id].setdefault(review_id, (reviewer, {}))[1][name] = points
    reviewers = collections.defaultdict(lambda: [0, 0.0])
    criteria = collections.defaultdict(lambda: [0, 0])
    for reviews in by_sub.values():
        reviews = list(reviews.values())
        totals = [(r, sum(p.values())) for r, p in reviews]
        for reviewer, distance in agreement_statistics.review_distances(totals, ANALYSIS_AND_RIGHTS.max_points):
            reviewers[reviewer][0] += 1
            reviewers[reviewer][1] += distance
        if len(reviews) >= 2:
            for name in {n for _r, parts in reviews for n in parts}:
                criteria[name][0] += 1
                criteria[name][1] += sum(1 for _r, parts in reviews if name in parts)
    kept = {r.reviewer_id: r for r in ReviewerAgreement.objects.filter(usage_id=usage)}
    assert set(kept) == set(reviewers), (sorted(kept), sorted(reviewers))
    for reviewer, (count, total) in reviewers.items():
        row = kept[reviewer]
        assert row.reviews == count, f"{reviewer}: {row.reviews} reviews kept, {count} counted"
        assert row.distance_sum == pytest.approx(total) and row.mean_distance == pytest.approx(total / count)
    kept_criteria = {c.criterion_name: (c.units, c.reviews)
                     for c in CriterionAgreement.objects.filter(usage_id=usage, units__gt=0)}
    assert kept_criteria == {name: tuple(v) for name, v in criteria.items()}


def check_counters(usage: str) -> None:
    """``load`` = completed reviews + live leases; ``received`` = stored reviews; ``given`` = done leases."""
    for sub in PeerSubmission.objects.filter(usage_id=usage):
        reviews = Review.objects.filter(submission=sub).count()
        live = ReviewLease.objects.filter(submission=sub, status=ReviewLease.OPEN).count()
        assert sub.received == reviews, f"{sub.anonymous_user_id}: received {sub.received}, {reviews} reviews stored"
        assert sub.load == reviews + live, f"{sub.anonymous_user_id}: load {sub.load}, {reviews} done + {live} live"
    done_by = collections.Counter(
        ReviewLease.objects.filter(usage_id=usage, status=ReviewLease.DONE).values_list("reviewer_id", flat=True)
    )
    for sub in PeerSubmission.objects.filter(usage_id=usage, pool=PeerSubmission.IN_POOL):
        assert sub.given == done_by[sub.anonymous_user_id], f"{sub.anonymous_user_id}: given {sub.given}"
    check_agreement(usage)


def build_pool(item: PeerItem, start) -> tuple[list[str], dict[str, int]]:
    """50 reviewers whose own responses already have their reviews, and two responses with 3 slots left.

    The reviewers' responses are reviewed by two helpers (whose own responses are then withdrawn by
    staff), so the only responses still needing reviews are ``t1`` (2 slots) and ``t2`` (1 slot:
    ``t1``'s author holds a lease on it). The 50 reviewers each still owe one review.
    """
    reviewers = [f"r{i:02d}" for i in range(REVIEWERS)]
    for i, reviewer in enumerate(reviewers):
        workflow.submit_response(item, reviewer, f"analysis by {reviewer}", now=start + timedelta(seconds=i))
    for helper in ("h1", "h2"):
        workflow.submit_response(item, helper, f"analysis by {helper}", now=start + timedelta(minutes=2))
        for _ in reviewers:
            lease = allocation.allocate(item, helper, want_extra=True).lease
            workflow.complete_review(item, helper, lease.pk, choice(3))
        own = submissions.current_submission(item.usage_id, helper)
        staff_actions.cancel_submission(item, "staff", own.pk, "helper for the race set-up")
    workflow.submit_response(item, "t1", "analysis by t1", now=start + timedelta(minutes=3))
    workflow.submit_response(item, "t2", "analysis by t2", now=start + timedelta(minutes=4))
    held = allocation.allocate(item, "t1")
    assert held.lease.submission.anonymous_user_id == "t2"
    return reviewers, {"t1": item.reviews_required, "t2": item.reviews_required - 1}


def test_fifty_reviewers_race_for_the_last_slots(server_db, figures):
    waits = 0
    for round_number in range(ROUNDS):
        item = make_item(f"block-v1:SSE+Races+1+type@sse_case_study+block@alloc{round_number}",
                         reviews_required=2, reviews_to_give=1)
        reviewers, needy = build_pool(item, timezone.now() - timedelta(hours=3))
        check_counters(item.usage_id)

        run = run_threads(REVIEWERS, lambda i: workflow.next_review(item, reviewers[i]))
        run.raise_errors()

        leases = list(ReviewLease.objects.filter(usage_id=item.usage_id, reviewer_id__in=reviewers))
        pairs = [(lease.reviewer_id, lease.submission_id) for lease in leases]
        assert len(pairs) == len(set(pairs)), "a reviewer holds two leases on one response"
        per_reviewer = collections.Counter(lease.reviewer_id for lease in leases)
        assert not per_reviewer or max(per_reviewer.values()) == 1, "a reviewer was given two responses at once"
        outcomes = collections.Counter(result.outcome for result in run.results)
        slots = sum(needy.values())
        # Exactly the free slots are handed out; everybody else is told to wait.
        assert outcomes == {"new": slots, "none_available": REVIEWERS - slots}, outcomes
        for reviewer, result in zip(reviewers, run.results):
            assert (result.outcome == "new") == (per_reviewer[reviewer] == 1)
        check_counters(item.usage_id)
        subs = {s.anonymous_user_id: s for s in PeerSubmission.objects.filter(usage_id=item.usage_id)}
        for author, _slots in needy.items():
            assert subs[author].load == item.reviews_required, f"{author}: load {subs[author].load}"
        over = {a: s.load for a, s in subs.items() if s.pool == PeerSubmission.IN_POOL and s.load > item.reviews_required}
        assert not over, f"leased beyond their need: {over}"
        waits += outcomes["none_available"]

        # Every lease handed out is completed at the same time (with t1's own review of t2): all stored.
        work = [(lease.reviewer_id, lease.pk) for lease in leases]
        work.append(("t1", ReviewLease.objects.get(usage_id=item.usage_id, reviewer_id="t1").pk))
        done = run_threads(len(work), lambda i: workflow.complete_review(item, work[i][0], work[i][1], choice(i)))
        done.raise_errors()
        assert Review.objects.filter(usage_id=item.usage_id, lease_id__in=[pk for _, pk in work]).count() == len(work)
        assert not ReviewLease.objects.filter(pk__in=[pk for _, pk in work]).exclude(status=ReviewLease.DONE).exists()
        for review in Review.objects.filter(lease_id__in=[pk for _, pk in work]).prefetch_related("parts"):
            assert sorted(p.criterion_name for p in review.parts.all()) == ["analysis", "rights"]
        check_counters(item.usage_id)
        # t1 has its reviews and has given its own: graded once, pushed once.
        t1 = PeerSubmission.objects.get(usage_id=item.usage_id, anonymous_user_id="t1")
        assert t1.graded_at is not None and len(scores_of(t1.uuid)) == 1
        figures.add("races repeated", 2)
    figures.add("allocation races: reviewers told to wait (nothing left to review)", waits)


def only_a_needs_reviews(item: PeerItem, reviewers: list[str], start) -> None:
    """A pool where "a" is the only response that may be reviewed; the reviewers' own are flagged.

    "h" reports each reviewer's response (so they leave the pool) and is then withdrawn by staff;
    ``reviews_to_give`` is 0 in these items, so the reviewers review "a" as extra reviews.
    """
    for i, user in enumerate(reviewers):
        workflow.submit_response(item, user, f"analysis by {user}", now=start + timedelta(seconds=i))
    workflow.submit_response(item, "a", "analysis by a", now=start + timedelta(minutes=1))
    workflow.submit_response(item, "h", "analysis by h", now=start + timedelta(minutes=2))
    for user in reviewers:
        lease = allocation.allocate(item, "h", want_extra=True).lease
        assert lease.submission.anonymous_user_id == user
        workflow.flag_response(item, "h", lease.pk, "set-up: out of the pool")
    own = submissions.current_submission(item.usage_id, "h")
    staff_actions.cancel_submission(item, "staff", own.pk, "helper for the race set-up")


def test_parallel_completions_grade_once_from_the_counted_reviews(server_db, figures):
    for round_number in range(ROUNDS):
        item = make_item(f"block-v1:SSE+Races+1+type@sse_case_study+block@grade{round_number}",
                         reviews_required=5, reviews_to_give=0)
        reviewers = [f"p{i}" for i in range(5)]
        only_a_needs_reviews(item, reviewers, timezone.now() - timedelta(hours=3))
        work = []
        for i, reviewer in enumerate(reviewers):
            got = workflow.next_review(item, reviewer, want_extra=True)
            assert got.lease is not None and got.lease.submission.anonymous_user_id == "a", got.outcome
            work.append((reviewer, got.lease.pk, choice(i + round_number)))
        a = PeerSubmission.objects.get(usage_id=item.usage_id, anonymous_user_id="a")
        assert a.received == 0 and a.graded_at is None and a.load == 5

        run = run_threads(len(work), lambda i: workflow.complete_review(item, work[i][0], work[i][1], work[i][2]))
        run.raise_errors()

        a.refresh_from_db()
        reviews = list(Review.objects.filter(submission=a).order_by("created", "pk"))
        assert len(reviews) == 5 and a.received == 5
        assert all(r.counted for r in reviews), "the grade must use the reviews present when it was computed"
        expected = peer_grade(["analysis", "rights"], ANALYSIS_AND_RIGHTS.max_points,
                              [points_of(payload) for _, _, payload in work])
        assert a.peer_points == expected.raw_points and a.final_points == expected.raw_points
        assert a.medians == expected.medians
        pushed = scores_of(a.uuid)
        assert len(pushed) == 1, f"grade pushed {len(pushed)} times"
        assert (pushed[0].points_earned, pushed[0].points_possible) == lms_points(a.final_points, a.points_possible, item.weight)
        figures.add("races repeated", 1)


def _override_race_pool(item: PeerItem, start):
    """'a' has received 2 of its 3 reviews; reviewer 'p2' holds the lease for the last one."""
    reviewers = ["p0", "p1", "p2"]
    only_a_needs_reviews(item, reviewers, start)
    leases = [workflow.next_review(item, user, want_extra=True).lease for user in reviewers]
    assert all(lease.submission.anonymous_user_id == "a" for lease in leases)
    for user, lease in zip(reviewers[:2], leases[:2]):
        workflow.complete_review(item, user, lease.pk, choice(4))
    sub = PeerSubmission.objects.get(usage_id=item.usage_id, anonymous_user_id="a")
    assert sub.received == 2 and sub.graded_at is None
    return sub, leases[2]


def test_staff_override_racing_the_last_review(server_db, figures):
    order = collections.Counter()
    for round_number in range(ROUNDS):
        item = make_item(f"block-v1:SSE+Races+1+type@sse_case_study+block@override{round_number}",
                         reviews_required=3, reviews_to_give=0)
        sub, last_lease = _override_race_pool(item, timezone.now() - timedelta(hours=3))
        override_points = 1

        def act(index):
            if index == 0:
                return staff_actions.set_staff_grade(item, "staff_1", sub.pk, override_points, "plagiarised paragraph")
            return workflow.complete_review(item, "p2", last_lease.pk, choice(5))

        run = run_threads(2, act)
        run.raise_errors()

        sub.refresh_from_db()
        assert sub.final_points == override_points, "the override must win"
        assert Review.objects.filter(lease=last_lease).exists(), "the racing review must be stored"
        actions = list(StaffAction.objects.filter(submission=sub, staff_id="staff_1"))
        assert len(actions) == 1 and actions[0].new_points == override_points
        if actions[0].action == StaffAction.OVERRIDE:
            # The review landed first: the peer grade was computed and stays visible under the override.
            order["review first"] += 1
            assert sub.peer_points is not None and actions[0].old_points == sub.peer_points
            assert Review.objects.filter(submission=sub, counted=True).count() == 3
        else:
            # The override landed first: the late review is kept, shown as not counted, grade unchanged.
            order["override first"] += 1
            assert actions[0].action == StaffAction.STAFF_GRADE and actions[0].old_points is None
            assert not Review.objects.filter(submission=sub, counted=True).exists()
        assert sub.grade_source in ("override", "staff")
        figures.add("races repeated", 1)
    figures.add("override races: review landed first", order["review first"])
    figures.add("override races: override landed first", order["override first"])


def test_a_response_whose_author_is_asking_for_a_review_can_still_be_allocated(server_db):
    """Regression: the allocator once locked the reviewer's own row, so others skipped it ('none available')."""
    item = make_item("block-v1:SSE+Races+1+type@sse_case_study+block@ownlock", reviews_required=1, reviews_to_give=1)
    start = timezone.now() - timedelta(hours=1)
    workflow.submit_response(item, "a", "analysis by a", now=start)
    workflow.submit_response(item, "b", "analysis by b", now=start + timedelta(seconds=1))
    a_is_allocating, done = threading.Event(), threading.Event()

    def a_request():
        from django.db import connections, transaction

        try:
            with transaction.atomic():
                # What allocate() holds for "a" while it picks a response for "a".
                submissions.current_submission(item.usage_id, "a", lock=True)
                a_is_allocating.set()
                done.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=a_request)
    thread.start()
    try:
        assert a_is_allocating.wait(10)
        got = workflow.next_review(item, "b")
    finally:
        done.set()
        thread.join(20)
    assert got.outcome == "new" and got.lease.submission.anonymous_user_id == "a", got.outcome


def test_the_lms_shows_the_override_even_when_the_peer_push_is_slow(server_db, monkeypatch):
    """Regression: a peer grade read before an override committed could reach edx-submissions after it."""
    from sse_academy_xblock.peer import lms_scores

    item = make_item("block-v1:SSE+Races+1+type@sse_case_study+block@slowpush", reviews_required=3, reviews_to_give=0)
    sub, last_lease = _override_race_pool(item, timezone.now() - timedelta(hours=3))
    peer_push_started, override_pushed = threading.Event(), threading.Event()
    real_set_score = lms_scores.set_score

    def set_score(*args, **kwargs):
        if threading.current_thread().name == "reviewer":
            peer_push_started.set()
            override_pushed.wait(3)  # a slow network or database between the read and the write
        result = real_set_score(*args, **kwargs)
        if threading.current_thread().name != "reviewer":
            override_pushed.set()
        return result

    monkeypatch.setattr(lms_scores, "set_score", set_score)

    def reviewer():
        from django.db import connections

        try:
            workflow.complete_review(item, "p2", last_lease.pk, choice(5))
        finally:
            connections.close_all()

    thread = threading.Thread(target=reviewer, name="reviewer")
    thread.start()
    assert peer_push_started.wait(10)
    staff_actions.set_staff_grade(item, "staff_1", sub.pk, 1, "plagiarised paragraph")
    thread.join(20)
    sub.refresh_from_db()
    assert sub.final_points == 1 and sub.grade_source == "override"
    earned, possible = lms_points(1, sub.points_possible, item.weight)
    assert lms_score(sub)["points_earned"] == earned, "the LMS shows the peer grade, not the override"


def test_no_response_is_leased_beyond_its_need_to_a_reviewer_who_owes(server_db):
    """Issue 3: only responses still needing reviews are eligible; a reviewer who owes one waits."""
    item = make_item("block-v1:SSE+Races+1+type@sse_case_study+block@need", reviews_required=1, reviews_to_give=1)
    start = timezone.now() - timedelta(hours=1)
    for i, user in enumerate(("a", "b", "c")):
        workflow.submit_response(item, user, f"analysis by {user}", now=start + timedelta(seconds=i))
    for user in ("b", "c", "a"):  # b reviews a, c reviews b, a reviews c: each has its one review
        lease = workflow.next_review(item, user).lease
        workflow.complete_review(item, user, lease.pk, choice(1))
    assert set(PeerSubmission.objects.filter(usage_id=item.usage_id).values_list("received", flat=True)) == {1}
    # "d" submits late and owes a review, but no response needs one any more.
    workflow.submit_response(item, "d", "analysis by d", now=start + timedelta(minutes=5))
    got = workflow.next_review(item, "d")
    assert got.outcome == "none_available", f"{got.outcome}: leased a response that needed no review"


def reviewed_responses(item: PeerItem, authors: list[str], reviewers: list[str], start) -> list[int]:
    """Each author's response with two completed reviews by overlapping reviewers, ready to be graded."""
    ids = []
    for i, author in enumerate(authors):
        sub = workflow.submit_response(item, author, f"analysis by {author}", now=start + timedelta(seconds=i))
        reviews = [(reviewers[(i + j) % len(reviewers)], choice(i * 2 + j)["options"]) for j in range(2)]
        store_reviews(item, sub, reviews, start)
        ids.append(sub.pk)
    return ids


@pytest.mark.parametrize("weighting", [False, True], ids=["plain", "weighted"])
def test_parallel_gradings_keep_the_agreement_counters_exact(server_db, figures, weighting):
    """Thirty responses graded at the same moment, their reviews shared among four reviewers: the
    per-reviewer and per-criterion counters (one upsert, locked rows) lose no increment and no thread
    deadlocks; they equal a recount from the counted reviews."""
    for round_number in range(max(1, ROUNDS // 4)):
        item = make_item(f"block-v1:SSE+Races+1+type@sse_case_study+block@agree{weighting}{round_number}",
                         reviews_required=2, reviews_to_give=0, weight_by_agreement=weighting)
        authors = [f"w{i:02d}" for i in range(30)]
        ids = reviewed_responses(item, authors, ["q0", "q1", "q2", "q3"], timezone.now() - timedelta(hours=1))
        run = run_threads(len(ids), lambda i: gradebook.grade_if_ready(ids[i], item))
        run.raise_errors()
        assert all(run.results)
        assert PeerSubmission.objects.filter(pk__in=ids, graded_at__isnull=False).count() == len(ids)
        check_agreement(item.usage_id)
        assert sum(ReviewerAgreement.objects.filter(usage_id=item.usage_id).values_list("reviews", flat=True)) == 60
        figures.add("races repeated", 1)


def test_the_adaptive_count_hands_each_extra_review_to_one_reviewer(server_db, figures):
    """"a" has two disagreeing reviews and wants a third (reviews 2 to 4): twenty reviewers asking at once get
    exactly one lease on it; the third disagrees too, so one more is handed out; the fourth reaches the most and
    the reviews still diverge: the response goes to staff and nobody is given it again."""
    for round_number in range(max(1, ROUNDS // 4)):
        item = make_item(f"block-v1:SSE+Races+1+type@sse_case_study+block@adaptive{round_number}",
                         reviews_required=2, reviews_to_give=0, reviews_max=4)
        reviewers = [f"ad{round_number}-{i}" for i in range(20)]
        only_a_needs_reviews(item, reviewers, timezone.now() - timedelta(hours=2))
        a = PeerSubmission.objects.get(usage_id=item.usage_id, anonymous_user_id="a")
        store_reviews(item, a, [("x", {"analysis": 0, "rights": 0}), ("y", {"analysis": 2, "rights": 1})],
                      timezone.now())
        gradebook.grade_if_ready(a.pk, item)
        assert PeerSubmission.objects.get(pk=a.pk).extra_wanted == 1
        taken = []
        for expected_load, options in ((3, {"analysis": 0, "rights": 0}), (4, {"analysis": 2, "rights": 1})):
            run = run_threads(len(reviewers), lambda i: workflow.next_review(item, reviewers[i], want_extra=True))
            run.raise_errors()
            winners = [(r, res.lease) for r, res in zip(reviewers, run.results) if res.outcome == "new"]
            assert len(winners) == 1, collections.Counter(res.outcome for res in run.results)
            reviewer, lease = winners[0]
            assert lease.submission_id == a.pk and reviewer not in taken
            assert PeerSubmission.objects.get(pk=a.pk).load == expected_load
            workflow.complete_review(item, reviewer, lease.pk, {"options": options})
            taken.append(reviewer)
        a = PeerSubmission.objects.get(pk=a.pk)
        assert (a.received, a.count_state, a.staff_queue, a.graded_at) == (4, PeerSubmission.DISAGREED, True, None)
        run = run_threads(len(reviewers), lambda i: workflow.next_review(item, reviewers[i], want_extra=True))
        run.raise_errors()
        assert all(res.outcome == "none_available" for res in run.results)
        assert PeerSubmission.objects.get(pk=a.pk).load == 4
        figures.add("races repeated", 3)
