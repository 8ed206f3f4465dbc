"""When a submission is graded, how, and how the grade reaches the LMS.

Grade condition: a submission in the pool (not flagged, not cancelled) is graded as soon as it has
its required completed reviews *and* its author has given their required reviews. The check runs
in every request that can complete a condition (a review by anyone, the waiting rule, a flag
cleared), inside that request's transaction, and the grade is pushed to edx-submissions in the same
transaction, for the author, whoever made the request (:func:`push_locked`; a push that fails is
undone alone and tried again after commit, except a deadlock, after which the caller runs the whole
transaction again). Staff changes push after commit (:func:`schedule_push`).

The grade uses every review completed when it is computed (marked ``counted``); reviews that come
later are shown to the author as not counted and never change a given grade. In the same
transaction, the counted reviews are added to the block's agreement counters (:mod:`.agreement_totals`);
with the block's "weight reviewers by agreement" on, the grade is a weighted median
(:func:`compute_grade`).

The waiting rule (what happens after ``waiting_days`` to a response short of reviews, or to its
author) is in :mod:`.waiting`; it grades through :func:`grade_locked`.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from ..profile import scores
from ..transactions import is_deadlock
from . import agreement_totals
from .config import PeerItem
from .grading import PeerGrade, is_divergent, lms_points, peer_grade, weighted_peer_grade
from .models import PeerSubmission, Review, ReviewPart
from .submissions import effective_required, effective_to_give, lock_submissions

log = logging.getLogger(__name__)


def conditions_met(sub: PeerSubmission, item: PeerItem) -> bool:
    return (
        sub.pool == PeerSubmission.IN_POOL
        and sub.graded_at is None
        and sub.received >= effective_required(sub, item)
        and sub.given >= effective_to_give(sub, item)
    )


def reviews_with_parts(submission_id: int):
    return (
        Review.objects.filter(submission_id=submission_id)
        .order_by("created", "pk")
        .prefetch_related(Prefetch("parts", queryset=ReviewPart.objects.order_by("pk")))
    )


def _review_points(submission_id: int) -> dict[int, tuple[str, dict[str, int]]]:
    """``{review id: (reviewer id, {criterion: points})}`` of a submission's completed reviews, in one query."""
    points: dict[int, tuple[str, dict[str, int]]] = {}
    for review_id, reviewer, criterion, value in (
        ReviewPart.objects.filter(review__submission_id=submission_id)
        .order_by("review_id", "pk").values_list("review_id", "review__reviewer_id", "criterion_name", "points")
    ):
        points.setdefault(review_id, (reviewer, {}))[1][criterion] = value
    return points


def compute_grade(item: PeerItem, criteria: list[str], points_possible: int,
                  reviews: list[tuple[str, dict[str, int]]]) -> tuple[PeerGrade, dict]:
    """The peer grade of ``reviews`` ``[(reviewer, {criterion: points})]`` and what weighting did.

    Plain medians unless the block weights reviewers by agreement *and* at least one reviewer's
    weight differs from 1 (they have the minimum number of comparable reviews and are not in perfect
    agreement); then the weighted medians, and ``weighting`` holds the weights (in review order) and
    the plain medians and points, for the learner's explanation. ``weighting`` is ``{}`` otherwise.
    """
    points = [parts for _reviewer, parts in reviews]
    result = peer_grade(criteria, points_possible, points)
    if not item.weight_by_agreement or len(reviews) < 2:
        return result, {}
    by_reviewer = agreement_totals.weights_for(item.usage_id, [reviewer for reviewer, _parts in reviews])
    weights = [by_reviewer[reviewer] for reviewer, _parts in reviews]
    if all(abs(w - 1.0) < 1e-9 for w in weights):
        return result, {}
    weighted = weighted_peer_grade(criteria, points_possible, points, weights)
    return weighted, {
        "weights": [round(w, 4) for w in weights],
        "plain_medians": result.medians,
        "plain_points": result.raw_points,
    }


def grade_locked(sub: PeerSubmission, item: PeerItem, now=None, pending: tuple = ()) -> bool:
    """Grade ``sub`` (its row locked by the caller) if the conditions hold, and push the grade.

    ``pending`` names fields the caller changed on ``sub`` (its counters): they are saved with
    the grade in one statement, or alone when the conditions do not hold.
    """
    if not conditions_met(sub, item):
        if pending:
            sub.save(update_fields=[*pending, "modified"])
        return False
    now = now or timezone.now()
    reviews = _review_points(sub.pk)
    if not reviews:
        if pending:
            sub.save(update_fields=[*pending, "modified"])
        return False
    # Nothing was ever pushed for a first response graded for the first time (a staff grade or an
    # earlier attempt would have pushed, a reset would have removed it): the score table has no row.
    first = sub.graded_at is None and sub.final_points is None and sub.attempt == 1
    criteria = [c["name"] for c in sub.rubric.criteria]
    result, sub.weighting = compute_grade(item, criteria, sub.rubric.max_points, list(reviews.values()))
    sub.peer_points = result.raw_points
    sub.final_points = result.raw_points
    sub.points_possible = result.points_possible
    sub.medians = result.medians
    sub.spread = result.spread
    sub.divergent = is_divergent(result.spread, item.divergence_threshold)
    sub.graded_at = now
    sub.grade_source = "peer"
    sub.staff_queue = False
    sub.save(update_fields=[
        *pending, "peer_points", "final_points", "points_possible", "medians", "weighting", "spread", "divergent",
        "graded_at", "grade_source", "staff_queue", "modified",
    ])
    Review.objects.filter(pk__in=list(reviews)).update(counted=True)
    agreement_totals.record(item.usage_id, sub.rubric.max_points, list(reviews.values()))
    push_locked(sub, item, first=first)
    return True


def grade_if_ready(submission_id: int, item: PeerItem, now=None) -> bool:
    """Lock one submission and grade it if its conditions hold (for callers without a lock)."""
    with transaction.atomic():
        rows = lock_submissions(submission_id)
        sub = rows.get(submission_id)
        return bool(sub) and grade_locked(sub, item, now)


def schedule_push(submission_id: int, item: PeerItem, annotation: dict | None = None,
                  expected_points: int | None = None) -> None:
    """Push the grade after the current transaction commits (for the author, whoever asked)."""
    transaction.on_commit(lambda: push_grade(submission_id, item, annotation, expected_points), robust=True)


def push_locked(sub: PeerSubmission, item: PeerItem, first: bool = False) -> None:
    """Push a grade just given, inside the grading transaction (the caller holds the row's lock).

    The grade, the review that completed it and the push commit together, with no second
    transaction to read the row again. The push runs in a savepoint: if edx-submissions or a
    receiver of its signal fails, only the push is undone, the review and the grade are kept, and
    the push is tried again after commit as :func:`schedule_push` does.
    """
    if sub.final_points is None or sub.points_possible <= 0 or sub.pool == PeerSubmission.CANCELLED:
        return
    try:
        with transaction.atomic():
            _send(sub, item, first=first)
    except Exception as error:  # noqa: BLE001 - the learner's review must not be lost to a failed push
        if is_deadlock(error):
            # MySQL/MariaDB rolled back the whole transaction, not the savepoint: the caller runs it again.
            raise
        log.warning("Grade push for submission %s failed inside the grading; retried after commit.",
                    sub.pk, exc_info=True)
        schedule_push(sub.pk, item, expected_points=sub.final_points)


def _send(sub: PeerSubmission, item: PeerItem, annotation: dict | None = None, first: bool = False) -> None:
    """The final grade to edx-submissions (whose signal tells the LMS) and to the per-dimension table."""
    from submissions import api as submissions_api

    earned, possible = lms_points(sub.final_points, sub.points_possible, item.weight)
    annotation = annotation or {}
    submissions_api.set_score(
        sub.uuid, earned, possible,
        annotation_creator=annotation.get("creator"),
        annotation_type=annotation.get("type"),
        annotation_reason=annotation.get("reason"),
    )
    scores.record(
        sub.anonymous_user_id, sub.course_id, sub.usage_id,
        {item.dimension: {"earned": max(0, sub.final_points), "possible": sub.points_possible}},
        first=first,
    )


def push_grade(submission_id: int, item: PeerItem, annotation: dict | None = None,
               expected_points: int | None = None) -> bool:
    """Send the submission's final grade to edx-submissions and the per-dimension score table.

    The row is locked while pushing, and a push whose grade is no longer the submission's (a staff
    override or a cancellation committed in between) is dropped: the later change pushes its own
    value, so the LMS always ends with the grade our table holds. Returns whether it pushed.
    """
    with transaction.atomic():
        sub = lock_submissions(submission_id).get(submission_id)
        if sub is None or sub.final_points is None or sub.points_possible <= 0:
            return False
        if sub.pool == PeerSubmission.CANCELLED:
            return False
        if expected_points is not None and sub.final_points != expected_points:
            return False
        _send(sub, item, annotation)
    return True


def reset_lms_score(anon_id: str, course_id: str, usage_id: str, announce: bool = True) -> None:
    """Take a learner's grade on the block back (cancelled or cleared submission): edx-submissions'
    reset score, which tells the LMS (its ``score_reset`` signal) when ``announce``, and the profile's rows.
    Nothing to reset in edx-submissions (no score ever sent) is not an error."""
    from submissions import api as submissions_api

    submissions_api.reset_score(anon_id, course_id, usage_id, emit_signal=announce)
    scores.forget(anon_id, usage_id)
