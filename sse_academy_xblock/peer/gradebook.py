"""When a submission is graded, how, and how the grade reaches the LMS.

Grade condition: a submission in the pool (not flagged, not cancelled) is graded as soon as it has
its required completed reviews *and* its author has given their required reviews. The check runs
in every request that can complete a condition (a review by anyone, the waiting rule, a flag
cleared), inside that request's transaction, for the author, whoever made the request.

How a grade reaches the gradebook (edx-submissions, whose signal tells the LMS, and the per-dimension
score table): every change that gives, changes or takes back a grade writes a :class:`GradeDelivery`
row (the outbox) in its own transaction (:func:`record_intent`), so the change and the row commit
or roll back together, and nothing is sent inside that transaction. After the commit the row is
delivered (:func:`deliver`): in one transaction of its own, the learner's outbox rows of the block locked,
only if it is still the latest row of its learner and block (an older grade never overwrites a
newer one), the score is set or reset and the row marked delivered; a row delivered is never sent
again. A delivery that fails is rolled back whole and the row stays pending, tried again with
exponential backoff (:func:`backoff`) by later requests to the block (:func:`deliver_due`) and by
``manage.py sse_deliver_grades``; :func:`reconcile` compares each learner's latest row with
edx-submissions' latest score. Staff see the state of each submission's delivery (:func:`latest_by_submission`).

The grade uses every review completed when it is computed (marked ``counted``); reviews that come
later are shown to the author as not counted and never change a given grade. In the same
transaction, the counted reviews are added to the block's agreement counters (:mod:`.agreement_totals`);
with the block's "weight reviewers by agreement" on, the grade is a weighted median
(:func:`compute_grade`).

The waiting rule (what happens after ``waiting_days`` to a response short of reviews, or to its
author) is in :mod:`.waiting`; it grades through :func:`grade_locked`.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Max, Prefetch
from django.utils import timezone

from .. import upsert
from ..profile import scores
from . import agreement_totals, calibration, lms_scores, review_count, reviewing_grade, self_assessment
from .config import PeerItem
from .grading import PeerGrade, is_divergent, lms_points, peer_grade, weighted_peer_grade
from .models import GradeDelivery, PeerSubmission, Review, ReviewPart
from .submissions import effective_required, effective_to_give, lock_submissions

log = logging.getLogger(__name__)


def conditions_met(sub: PeerSubmission, item: PeerItem) -> bool:
    return (
        sub.pool == PeerSubmission.IN_POOL
        and sub.graded_at is None
        and sub.received >= effective_required(sub, item)
        and sub.given >= effective_to_give(sub, item)
        and review_count.settled(sub, item)
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
    reviewers = [reviewer for reviewer, _parts in reviews]
    seeds = calibration.seed_weights(item.usage_id, reviewers) if calibration.is_on(item) else None
    by_reviewer = agreement_totals.weights_for(item.usage_id, reviewers, seeds=seeds)
    weights = [by_reviewer[reviewer] for reviewer, _parts in reviews]
    if all(abs(w - 1.0) < 1e-9 for w in weights):
        return result, {}
    weighted = weighted_peer_grade(criteria, points_possible, points, weights)
    return weighted, {
        "weights": [round(w, 4) for w in weights],
        "plain_medians": result.medians,
        "plain_points": result.raw_points,
    }


def only_counters_change(sub: PeerSubmission, item: PeerItem) -> bool:
    """Whether :func:`grade_locked` would only save ``sub``'s changed counters: no adaptive decision is due
    and the grade conditions do not hold (read from the row as it is in memory, no statement)."""
    return not review_count.decision_due(sub, item) and not conditions_met(sub, item)


def _save(sub: PeerSubmission, fields, also: tuple[PeerSubmission, tuple] | None) -> None:
    """``sub``'s ``fields`` saved; with ``also`` (another row locked by the caller, and the fields changed on it),
    both rows in one statement."""
    if also is None:
        sub.save(update_fields=[*fields, "modified"])
        return
    other, other_fields = also
    sub.modified = other.modified = timezone.now()
    upsert.update_each(connection, PeerSubmission,
                       [(sub, (*fields, "modified")), (other, (*other_fields, "modified"))])


def grade_locked(sub: PeerSubmission, item: PeerItem, now=None, pending: tuple = (),
                 also: tuple[PeerSubmission, tuple] | None = None) -> bool:
    """Grade ``sub`` (its row locked by the caller) if the conditions hold, and record its delivery.

    ``pending`` names fields the caller changed on ``sub`` (its counters): they are saved with
    the grade in one statement, or alone when the conditions do not hold. ``also`` is another row the
    caller locked and the fields it changed on it, for which :func:`only_counters_change` holds (the reviewer's
    own response when they review): saved in the same statement. With the adaptive review
    count, the response's count is decided first when it has the reviews it wants (:mod:`.review_count`).
    """
    now = now or timezone.now()
    reviews = None
    if review_count.decision_due(sub, item):
        reviews = _review_points(sub.pk)
        pending = (*pending, *review_count.decide_locked(
            sub, item, [parts for _reviewer, parts in reviews.values()], now))
    if not conditions_met(sub, item):
        if pending or also:
            _save(sub, pending, also)
        return False
    reviews = _review_points(sub.pk) if reviews is None else reviews
    if not reviews:
        if pending or also:
            _save(sub, pending, also)
        return False
    # Nothing was ever sent for a first response graded for the first time (a staff grade or an earlier
    # attempt would have sent one, a reset would have taken it back): no older delivery is pending.
    first = sub.graded_at is None and sub.final_points is None and sub.attempt == 1
    criteria = [c["name"] for c in sub.rubric.criteria]
    result, sub.weighting = compute_grade(item, criteria, sub.rubric.max_points, list(reviews.values()))
    result = self_assessment.combine_locked(sub, item, criteria, result)
    sub.peer_points = result.raw_points
    sub.final_points = result.raw_points
    sub.points_possible = result.points_possible
    sub.medians = result.medians
    sub.spread = result.spread
    sub.divergent = is_divergent(result.spread, item.divergence_threshold)
    sub.graded_at = now
    sub.grade_source = "peer"
    sub.staff_queue = False
    _save(sub, [
        *pending, "peer_points", "final_points", "points_possible", "medians", "weighting", "spread", "divergent",
        "graded_at", "grade_source", "staff_queue",
    ], also)
    Review.objects.filter(pk__in=list(reviews)).update(counted=True)
    agreement_totals.record(item.usage_id, sub.rubric.max_points, list(reviews.values()))
    if len(reviews) >= 2:  # the reviewers' distances changed (agreement_totals.record): so did their scores
        resend_reviewers(item, [reviewer for reviewer, _parts in reviews.values()], sub.anonymous_user_id)
    record_intent(sub, item, first=first)
    return True


def grade_if_ready(submission_id: int, item: PeerItem, now=None) -> bool:
    """Lock one submission and grade it if its conditions hold (for callers without a lock)."""
    with transaction.atomic():
        rows = lock_submissions(submission_id)
        sub = rows.get(submission_id)
        return bool(sub) and grade_locked(sub, item, now)




# --- the outbox ---------------------------------------------------------------------------------

BACKOFF_FIRST = timedelta(minutes=1)  # after the first failed delivery; doubled after each further one
BACKOFF_MAX = timedelta(hours=6)
DUE_BATCH = 50  # rows a request to the block delivers at most (the command takes every due row)


def backoff(attempts: int) -> timedelta:
    """How long after its ``attempts``-th failed delivery a row is tried again: 1 min, 2, 4, ... at most 6 h."""
    return min(BACKOFF_MAX, BACKOFF_FIRST * (2 ** max(0, min(attempts - 1, 20))))


def record_intent(sub: PeerSubmission, item: PeerItem, annotation: dict | None = None,
                  first: bool = False, announce: bool = True) -> GradeDelivery | None:
    """Record, in the caller's transaction, the grade ``sub`` now holds for the gradebook, delivered after commit.

    A cancelled submission's grade is taken back (``reset``); a graded one is set (``set``, the
    block's weight applied, and with a share for reviewing the score of :mod:`.reviewing_grade`, read with the
    learner's distance row locked); an ungraded one has nothing to send (None). A reset with ``announce`` false
    (the support tool's reset that asks for no signals) is delivered without edx-submissions' signal.
    The learner's older rows still pending for the block are superseded: only the latest is ever delivered.
    """
    if sub.pool == PeerSubmission.CANCELLED:
        row = GradeDelivery(kind=GradeDelivery.RESET, annotation={} if announce else {"announce": False})
    elif sub.final_points is not None and sub.points_possible > 0:
        score = reviewing_grade.score_of(item, sub, lock=True)
        points = score.points if score.counts_reviewing else sub.final_points
        earned, possible = lms_points(points, sub.points_possible, item.weight)
        row = GradeDelivery(kind=GradeDelivery.SET, points=points, points_possible=sub.points_possible,
                            lms_earned=earned, lms_possible=possible, dimension=item.dimension,
                            annotation=annotation or {})
    else:
        return None
    row.submission_id = sub.pk
    row.usage_id, row.course_id, row.anonymous_user_id = sub.usage_id, sub.course_id, sub.anonymous_user_id
    row.item_type = item.item_type
    row.save()
    if not first:  # a first grade of a first response: nothing was ever recorded for the learner and block
        GradeDelivery.objects.filter(
            usage_id=sub.usage_id, anonymous_user_id=sub.anonymous_user_id, state=GradeDelivery.PENDING,
            pk__lt=row.pk,
        ).update(state=GradeDelivery.SUPERSEDED)
    learner, submission = (sub.usage_id, sub.anonymous_user_id), (sub.pk, sub.uuid)
    transaction.on_commit(lambda: deliver(row.pk, learner=learner, submission=submission))
    return row


def deliver(delivery_id: int, now=None, learner: tuple[str, str] | None = None,
            submission: tuple[int, str] | None = None) -> bool:
    """Send one outbox row to the gradebook, if it is still pending and its learner's latest; True once delivered.

    Runs outside any transaction (after the commit that wrote the row, or from the command): its own
    transaction locks the row and every later row of the learner in the block, in primary-key order, and
    delivers the row only when no later one exists; it sets or resets the score in edx-submissions and the
    score table and marks the row delivered, all or nothing. If anything fails, that transaction is rolled
    back whole and the failure is recorded on the row (:func:`_failed`), which is tried again later.

    Why the rows' lock is enough (the learner's submissions are not locked): :func:`record_intent` writes a
    later row of the learner and, in the same transaction, marks their older pending rows superseded (only a
    first grade of a first response, which has no older row, skips that), and that update waits for this
    lock. So a later row either is committed when the rows are locked here (this one is then superseded, not
    sent) or commits after this delivery and is delivered after it: an older grade never overwrites a newer one.

    ``learner`` (usage id, anonymous id) saves reading the row first when the caller knows it; ``submission``
    (the row's submission's primary key and edx-submissions uuid) saves reading the uuid.
    """
    if transaction.get_connection().in_atomic_block:
        raise RuntimeError("a grade is delivered after the commit of the change, outside any transaction")
    now = now or timezone.now()
    try:
        if learner is None:
            head = GradeDelivery.objects.filter(pk=delivery_id).values_list("usage_id", "anonymous_user_id").first()
            if head is None:
                return False
            learner = head
        usage_id, anonymous_id = learner
        with transaction.atomic():
            rows = list(GradeDelivery.objects.select_for_update()
                        .filter(usage_id=usage_id, anonymous_user_id=anonymous_id, pk__gte=delivery_id).order_by("pk"))
            if not rows or rows[0].pk != delivery_id:
                return False  # no such row (or its learner's id changed since: the sweep reads it again)
            row = rows[0]
            if row.state != GradeDelivery.PENDING:
                return row.state == GradeDelivery.DELIVERED
            if len(rows) > 1:  # a later grade of the learner is recorded: it is the one to deliver
                row.state = GradeDelivery.SUPERSEDED
                row.save(update_fields=["state"])
                return False
            _send(row, submission[1] if submission and submission[0] == row.submission_id else None)
            row.state, row.delivered_at, row.attempts = GradeDelivery.DELIVERED, now, row.attempts + 1
            row.last_error = ""
            row.save(update_fields=["state", "delivered_at", "attempts", "last_error"])
        return True
    except Exception as error:  # noqa: BLE001 - rolled back whole above; recorded on the row, retried later
        _failed(delivery_id, error, now)
        return False


def _send(row: GradeDelivery, uuid: str | None) -> None:
    """The row's score to edx-submissions (whose signal tells the LMS) and to the per-dimension table.
    ``uuid``: the row's submission's in edx-submissions, read here when the caller did not know it."""
    if row.kind == GradeDelivery.RESET:
        reset_lms_score(row.anonymous_user_id, row.course_id, row.usage_id,
                        announce=(row.annotation or {}).get("announce", True))
        _check_agrees(row)
        return
    if uuid is None:
        uuid = PeerSubmission.objects.filter(pk=row.submission_id).values_list("uuid", flat=True).get()
    with _writes_seen() as written:
        lms_scores.set_score(uuid, row.lms_earned, row.lms_possible, row.annotation)
    scores.record(
        row.anonymous_user_id, row.course_id, row.usage_id,
        {row.dimension: {"earned": max(0, row.points), "possible": row.points_possible}},
    )
    _check_written(row, written)


# What edx-submissions wrote during a delivery, seen through its models' ``post_save`` (a statement that
# succeeded), so that a set score is checked without reading it back: ``{"score": Score, "summaries": [...]}``.
_WRITTEN: contextvars.ContextVar[dict | None] = contextvars.ContextVar("sse_gradebook_written", default=None)


def _score_saved(sender, instance, created=False, **kwargs) -> None:
    written = _WRITTEN.get()
    if written is not None and created:
        written["score"] = instance


def _summary_saved(sender, instance, **kwargs) -> None:
    written = _WRITTEN.get()
    if written is not None:
        written["summaries"].append((instance.student_item_id, instance.latest_id))


@functools.cache
def _watch_submissions() -> None:
    """Connect the two receivers (once per process; they record only inside :func:`_writes_seen`)."""
    from django.db.models.signals import post_save
    from submissions.models import Score, ScoreSummary

    post_save.connect(_score_saved, sender=Score, weak=False, dispatch_uid="sse_academy_xblock.gradebook.score")
    post_save.connect(_summary_saved, sender=ScoreSummary, weak=False,
                      dispatch_uid="sse_academy_xblock.gradebook.summary")


@contextlib.contextmanager
def _writes_seen():
    _watch_submissions()
    written: dict = {"score": None, "summaries": []}
    token = _WRITTEN.set(written)
    try:
        yield written
    finally:
        _WRITTEN.reset(token)


def _check_written(row: GradeDelivery, written: dict) -> None:
    """A set score counts as delivered only when edx-submissions stored it *and* made it its learner's latest:
    its score-summary receiver logs a database error instead of raising, and ``set_score`` passes over an
    integrity error, so a score it lost would otherwise count as delivered. Seen from the saves themselves
    (:func:`_writes_seen`): no read back."""
    score = written["score"]
    if score is None:
        raise NotInGradebook(f"edx-submissions stored no score for {expected_score(row)}")
    if (score.student_item_id, score.pk) not in written["summaries"]:
        raise NotInGradebook(f"edx-submissions did not make its score {score.pk} the latest")
    found = (score.points_earned, score.points_possible) if score.points_possible else None
    if found != expected_score(row):
        raise NotInGradebook(f"edx-submissions holds {found} after delivering {expected_score(row)}")


class NotInGradebook(Exception):
    """edx-submissions did not take a score: it logs some of its own failures without raising."""


def expected_score(row: GradeDelivery) -> tuple[int, int] | None:
    """What edx-submissions' latest score should be once ``row`` is delivered: (earned, possible), None for a reset."""
    return (row.lms_earned, row.lms_possible) if row.kind == GradeDelivery.SET else None


def scores_in_gradebook(rows) -> dict[int, tuple[int, int] | None]:
    """edx-submissions' latest score of each row's learner and block, as (earned, possible), or None where it
    has none or only a reset (a score of 0 of 0, which its ``get_score`` hides): one query for all the rows."""
    from submissions.models import ScoreSummary

    rows = list(rows)
    if not rows:
        return {}
    found = {
        (student, course, item, kind): (earned, possible) if possible else None
        for student, course, item, kind, earned, possible in ScoreSummary.objects.filter(
            student_item__student_id__in={r.anonymous_user_id for r in rows},
            student_item__item_id__in={r.usage_id for r in rows},
        ).values_list("student_item__student_id", "student_item__course_id", "student_item__item_id",
                      "student_item__item_type", "latest__points_earned", "latest__points_possible")
    }
    return {r.pk: found.get((r.anonymous_user_id, r.course_id, r.usage_id, r.item_type)) for r in rows}


def score_in_gradebook(row: GradeDelivery) -> tuple[int, int] | None:
    """edx-submissions' latest score of the row's learner and block, as (earned, possible), or None."""
    return scores_in_gradebook([row])[row.pk]


def _check_agrees(row: GradeDelivery) -> None:
    """Read the score back inside the delivery of a reset (which may find nothing to reset): a row is marked
    delivered only when edx-submissions agrees."""
    found = score_in_gradebook(row)
    if found != expected_score(row):
        raise NotInGradebook(f"edx-submissions holds {found} after delivering {expected_score(row)}")


def _failed(delivery_id: int, error: Exception, now) -> None:
    """Count a failed delivery on its row and set when it is tried again; logged whatever happens."""
    log.warning("Grade delivery %s failed; it stays pending and is tried again.", delivery_id, exc_info=error)
    text = f"{type(error).__name__}: {error}"[:255]
    try:
        with transaction.atomic():
            row = GradeDelivery.objects.select_for_update().filter(pk=delivery_id, state=GradeDelivery.PENDING).first()
            if row is None:
                return
            row.attempts += 1
            row.next_attempt_at = now + backoff(row.attempts)
            row.last_error = text
            row.save(update_fields=["attempts", "next_attempt_at", "last_error"])
    except Exception:  # noqa: BLE001 - the row stays pending (and due): the next sweep tries it again
        log.exception("Could not record the failure of grade delivery %s.", delivery_id)


def due(usage_id: str | None = None, now=None, limit: int | None = DUE_BATCH, waiting: bool = False) -> list[int]:
    """Ids of the pending rows whose next attempt is due (of one block, or all), oldest first; with
    ``waiting``, also those whose next attempt is still to come."""
    now = now or timezone.now()
    qs = GradeDelivery.objects.filter(state=GradeDelivery.PENDING)
    if not waiting:
        qs = qs.filter(next_attempt_at__lte=now)
    if usage_id is not None:
        qs = qs.filter(usage_id=usage_id)
    qs = qs.order_by("next_attempt_at", "pk").values_list("pk", flat=True)
    return list(qs if limit is None else qs[:limit])


def deliver_due(usage_id: str | None = None, now=None, limit: int | None = DUE_BATCH,
                waiting: bool = False) -> tuple[int, int]:
    """Deliver the due pending rows (of one block, or all; with ``waiting``, every pending row):
    ``(delivered, not delivered)``."""
    delivered = failed = 0
    for pk in due(usage_id, now, limit, waiting):
        if deliver(pk, now):
            delivered += 1
        elif GradeDelivery.objects.filter(pk=pk, state=GradeDelivery.PENDING).exists():
            failed += 1
    return delivered, failed


def deliver_due_after_commit(usage_id: str) -> None:
    """What a request to the block does for the gradebook: deliver the block's due rows once its own
    work is committed. A database that cannot be read then leaves the rows for a later request."""
    def sweep():
        try:
            deliver_due(usage_id)
        except Exception:  # noqa: BLE001 - after the commit, outside any transaction: the rows stay pending
            log.warning("Due grade deliveries of %s were left for later.", usage_id, exc_info=True)

    transaction.on_commit(sweep)


def resend(item: PeerItem, sub: PeerSubmission) -> GradeDelivery | None:
    """Record again (the row locked by the caller) the grade ``sub`` holds, delivered after commit: staff's
    "Send again". The annotation of the submission's latest staff grade goes with it."""
    last = sub.deliveries.filter(kind=GradeDelivery.SET).order_by("-pk").first()
    annotation = last.annotation if last is not None and sub.grade_source in ("override", "staff") else None
    return record_intent(sub, item, annotation)


def resend_reviewers(item: PeerItem, reviewer_ids, author_id: str) -> int:
    """Record again, in the grading transaction, the scores of a graded response's reviewers whose distance
    from the other reviewers it just changed (:mod:`.reviewing_grade`): the block gives a share for reviewing,
    and the reviewer's current response is graded (and neither cancelled nor cleared). Returns how many.

    The reviewers' rows are read without a lock (their distance rows are locked, by the agreement counters'
    upsert): a change of a reviewer's own grade records its row with that distance row locked first
    (:func:`record_intent`), so of two such rows the later one holds both changes. (Before a reviewer's first
    comparable review there is no row to lock; their score then changes from their response's grade alone.)"""
    ids = sorted({r for r in reviewer_ids if r and r != author_id})
    if not reviewing_grade.share_of(item) or not ids:
        return 0
    latest: dict[str, PeerSubmission] = {}
    for sub in (PeerSubmission.objects.filter(usage_id=item.usage_id, anonymous_user_id__in=ids)
                .order_by("anonymous_user_id", "attempt")):
        latest[sub.anonymous_user_id] = sub
    sent = 0
    for reviewer in ids:
        sub = latest.get(reviewer)
        if sub is None or sub.is_cleared or sub.is_cancelled or sub.final_points is None or sub.points_possible <= 0:
            continue
        resend(item, sub)
        sent += 1
    return sent


# --- what staff and operators see ----------------------------------------------------------------

NONE, PENDING, FAILED, DELIVERED = "none", "pending", "failed", "delivered"


def state_of(row: GradeDelivery | None) -> str:
    """``none`` (nothing recorded), ``pending`` (not tried yet), ``failed`` (tried, to be tried again),
    ``delivered``; a superseded row counts as pending (a later one of the learner is on its way)."""
    if row is None:
        return NONE
    if row.state == GradeDelivery.DELIVERED:
        return DELIVERED
    return FAILED if row.attempts else PENDING


def latest_by_submission(submission_ids) -> dict[int, GradeDelivery]:
    """The latest outbox row of each submission (one query)."""
    ids = sorted({i for i in submission_ids if i is not None})
    if not ids:
        return {}
    latest: dict[int, GradeDelivery] = {}
    for row in GradeDelivery.objects.filter(submission_id__in=ids).order_by("submission_id", "pk"):
        latest[row.submission_id] = row
    return latest


def delivery_view(row: GradeDelivery | None) -> dict:
    """A submission's delivery as the staff page and CSV show it."""
    return {
        "state": state_of(row),
        "kind": row.kind if row is not None else None,
        "attempts": row.attempts if row is not None else 0,
        "next_attempt_at": row.next_attempt_at.isoformat() if row is not None and row.state != GradeDelivery.DELIVERED
        else None,
    }


@dataclass(frozen=True)
class Difference:
    """A learner whose latest recorded grade is not edx-submissions' latest score."""

    usage_id: str
    anonymous_user_id: str
    submission_id: int
    expected: tuple[int, int] | None  # (earned, possible), None for a grade taken back
    found: tuple[int, int] | None
    state: str  # of the latest row: pending, failed, delivered


def reconcile(usage_id: str | None = None, chunk_size: int = 500):
    """Compare each learner's latest outbox row (of one block, or all) with edx-submissions' latest score.

    Yields a :class:`Difference` for each learner whose score in edx-submissions is not the one their
    latest row holds: a row still pending, or a score changed or lost since its delivery. Reads the
    learners in chunks of ``chunk_size``: three queries a chunk, whatever its size.
    """
    qs = GradeDelivery.objects.all()
    if usage_id is not None:
        qs = qs.filter(usage_id=usage_id)
    latest_ids = qs.values("usage_id", "anonymous_user_id").annotate(last=Max("pk")).order_by("last")
    after = 0
    while True:
        ids = list(latest_ids.filter(last__gt=after).values_list("last", flat=True)[:chunk_size])
        if not ids:
            return
        rows = list(GradeDelivery.objects.filter(pk__in=ids).order_by("pk"))
        in_gradebook = scores_in_gradebook(rows)
        for row in rows:
            expected, found = expected_score(row), in_gradebook[row.pk]
            if found != expected:
                yield Difference(row.usage_id, row.anonymous_user_id, row.submission_id, expected, found,
                                 state_of(row))
        if len(ids) < chunk_size:
            return
        after = ids[-1]


def reset_lms_score(anon_id: str, course_id: str, usage_id: str, announce: bool = True) -> None:
    """Take a learner's grade on the block back (cancelled or cleared submission): edx-submissions'
    reset score, which tells the LMS (its ``score_reset`` signal) when ``announce``, and the profile's rows.
    Nothing to reset in edx-submissions (no score ever sent) is not an error."""
    from submissions import api as submissions_api

    submissions_api.reset_score(anon_id, course_id, usage_id, emit_signal=announce)
    scores.forget(anon_id, usage_id)
