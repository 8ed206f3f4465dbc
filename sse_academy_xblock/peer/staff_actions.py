"""Staff actions on submissions, each with an audit row, and the instructor's "delete learner state".

Every function checks that the submission belongs to the given block *and* course (an id sent by a
browser is never trusted) and raises :class:`~sse_academy_xblock.refusals.Refusal` otherwise. A grade
given, changed or taken back is recorded for the gradebook in the same transaction (an outbox row,
:func:`.gradebook.record_intent`) and delivered to edx-submissions after commit, for the author.

Signatures:

* ``set_staff_grade(item, staff_id, submission_id, points, reason, now=None) -> PeerSubmission``
* ``clear_flags(item, staff_id, submission_id, note="", now=None) -> PeerSubmission``
* ``clear_divergence(item, staff_id, submission_id, note="", now=None) -> PeerSubmission``
* ``cancel_submission(item, staff_id, submission_id, reason, now=None) -> PeerSubmission``
* ``uphold_flags(item, staff_id, submission_id, reason, now=None) -> PeerSubmission``
* ``send_again(item, submission_id) -> PeerSubmission``
* ``clear_learner_state(item, anon_id, requesting_user_id, now=None, announce=True) -> PeerSubmission | None``
* ``make_way_for_new_response(item, anon_id, now=None) -> PeerSubmission | None``
* ``retire_learner(anon_ids) -> None``
"""

from __future__ import annotations

import secrets
from collections import Counter

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .. import json_input, typed_numbers
from ..i18n import gettext_noop as _
from ..refusals import Refusal, Refusals
from . import gradebook
from .allocation import release_for_submission
from .config import PeerItem
from .models import (
    CalibrationAttempt, Flag, GradeDelivery, PeerSubmission, ResponseDraft, Review, ReviewerAgreement, ReviewFeedback,
    ReviewLease, ReviewPart, SelfAssessment, StaffAction,
)
from .submissions import current_submission, lock_submissions

MAX_REASON = 2000


def _submission_id(value) -> int:
    number = json_input.record_id(value)
    if number is None:
        raise Refusal(_("The submission is not valid."))
    return number


def get_for_block(item: PeerItem, submission_id) -> PeerSubmission:
    """The submission if it belongs to this block and course; a 404 error otherwise."""
    sub = PeerSubmission.objects.select_related("rubric").filter(pk=_submission_id(submission_id)).first()
    if sub is None or sub.usage_id != item.usage_id or sub.course_id != item.course_id or sub.is_cleared:
        raise Refusal(_("This submission was not found in this exercise."), status=404)
    return sub


def _locked(item: PeerItem, submission_id) -> PeerSubmission:
    sub = get_for_block(item, submission_id)
    locked = lock_submissions(sub.pk)[sub.pk]
    locked.rubric = sub.rubric
    return locked


def _about(field: str, refusal: Refusal) -> Refusal:
    """``refusal``, naming the form field it is about: the staff page puts its message beside that field."""
    refusal.field = field
    return refusal


def _reason(value, required: bool = True, field: str = "reason") -> str:
    if value is not None and not isinstance(value, str):
        raise _about(field, Refusal(_("The reason must be text.")))
    text = (value or "").strip()
    if required and not text:
        raise _about(field, Refusal(_("A reason is required; it is kept in the audit trail.")))
    if len(text) > MAX_REASON:
        raise _about(field, Refusal(_("The reason is longer than %(max)s characters."), max=MAX_REASON))
    return text


def staff_rules() -> dict:
    """The limits the staff forms check before sending, as the functions below check them."""
    return {"reason_max": MAX_REASON}


def _points(value, possible: int, meant=None) -> int:
    """The points staff typed ("7", "7,0"), see :mod:`sse_academy_xblock.typed_numbers`: "1.000" is refused with
    both readings (:class:`~sse_academy_xblock.typed_numbers.Ambiguous`) unless ``meant`` settles it."""
    try:
        number = typed_numbers.read(value, meant)
    except Refusal as err:
        raise _about("points", err) from None
    if number is None or not number.is_integer():
        raise _about("points", Refusal(_("Enter the points as a whole number.")))
    points = int(number)
    if not 0 <= points <= possible:
        raise _about("points", Refusal(_("The points must be between 0 and %(max)s."), max=possible))
    return points


def set_staff_grade(item: PeerItem, staff_id: str, submission_id, points, reason, now=None,
                    meant=None) -> PeerSubmission:
    """Override a grade, or grade an ungraded submission (from the staff queue); audited, pushed."""
    now = now or timezone.now()
    # Both fields are checked before anything is locked, so that the form marks every faulty field at once.
    problems = []
    try:
        reason = _reason(reason)
    except Refusal as err:
        problems.append(err)
    possible = get_for_block(item, submission_id).rubric.max_points
    if possible <= 0:
        raise Refusal(_("The rubric of this submission has no points to give."), status=409)
    try:
        new_points = _points(points, possible, meant)
    except typed_numbers.Ambiguous:
        raise
    except Refusal as err:
        problems.append(err)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise Refusals(problems)
    with transaction.atomic():
        sub = _locked(item, submission_id)
        if sub.is_cancelled:
            raise Refusal(_("This submission was cancelled; it cannot be graded."), status=409)
        old_points = sub.final_points
        action = StaffAction.OVERRIDE if sub.graded_at is not None else StaffAction.STAFF_GRADE
        sub.final_points = new_points
        sub.points_possible = possible
        sub.grade_source = "override" if action == StaffAction.OVERRIDE else "staff"
        sub.graded_at = sub.graded_at or now
        sub.staff_queue = False
        sub.save(update_fields=["final_points", "points_possible", "grade_source", "graded_at", "staff_queue", "modified"])
        StaffAction.objects.create(submission=sub, staff_id=staff_id, action=action, old_points=old_points,
                                   new_points=new_points, reason=reason, created=now)
        gradebook.record_intent(sub, item, {"creator": staff_id, "type": "staff_override", "reason": reason})
    return sub


def clear_flags(item: PeerItem, staff_id: str, submission_id, note="", now=None) -> PeerSubmission:
    """Staff found the response acceptable: it returns to the pool, and is graded if it was ready."""
    now = now or timezone.now()
    note = _reason(note, required=False, field="note")
    with transaction.atomic():
        sub = _locked(item, submission_id)
        if not sub.is_flagged:
            raise Refusal(_("This submission is not flagged."), status=409)
        Flag.objects.filter(submission=sub, resolved_at__isnull=True).update(
            resolved_at=now, resolved_by=staff_id, resolution="cleared"
        )
        sub.pool = PeerSubmission.IN_POOL
        sub.save(update_fields=["pool", "modified"])
        StaffAction.objects.create(submission=sub, staff_id=staff_id, action=StaffAction.CLEAR_FLAG, reason=note,
                                   old_points=sub.final_points, new_points=sub.final_points, created=now)
        gradebook.grade_locked(sub, item, now)
    return sub


def clear_divergence(item: PeerItem, staff_id: str, submission_id, note="", now=None) -> PeerSubmission:
    """Staff looked at a divergent grade and keep it as it is."""
    now = now or timezone.now()
    note = _reason(note, required=False)
    with transaction.atomic():
        sub = _locked(item, submission_id)
        if not sub.divergent:
            raise Refusal(_("This submission is not marked as divergent."), status=409)
        sub.divergent = False
        sub.save(update_fields=["divergent", "modified"])
        StaffAction.objects.create(submission=sub, staff_id=staff_id, action=StaffAction.CLEAR_DIVERGENCE,
                                   reason=note, old_points=sub.final_points, new_points=sub.final_points, created=now)
    return sub


def _withdraw(item: PeerItem, sub: PeerSubmission, now, announce: bool = True) -> None:
    """Take a submission out of the pool for good: its unfinished leases end, its grade is taken back
    (recorded for the gradebook in the caller's transaction; ``announce``: whether edx-submissions tells
    the LMS)."""
    release_for_submission(sub.pk, now)
    Flag.objects.filter(submission=sub, resolved_at__isnull=True).update(resolved_at=now, resolution="cancelled")
    sub.pool = PeerSubmission.CANCELLED
    gradebook.record_intent(sub, item, announce=announce)


def cancel_submission(item: PeerItem, staff_id: str, submission_id, reason, now=None) -> PeerSubmission:
    """Withdraw a response (with a reason the learner sees); its grade is taken back."""
    now = now or timezone.now()
    reason = _reason(reason)
    with transaction.atomic():
        sub = _locked(item, submission_id)
        if sub.is_cancelled:
            raise Refusal(_("This submission is already cancelled."), status=409)
        _cancel_locked(item, sub, staff_id, reason, StaffAction.CANCEL, now)
    return sub


def _cancel_locked(item: PeerItem, sub: PeerSubmission, staff_id: str, reason: str, action: str, now) -> None:
    """Withdraw the locked submission with the reason the learner reads, audited as ``action``."""
    old_points = sub.final_points
    _withdraw(item, sub, now)
    _release_reviewer(item.usage_id, sub.anonymous_user_id)
    sub.cancelled_at = now
    sub.cancel_reason = reason
    sub.cancelled_by = staff_id
    sub.save(update_fields=["pool", "cancelled_at", "cancel_reason", "cancelled_by", "modified"])
    StaffAction.objects.create(submission=sub, staff_id=staff_id, action=action,
                               old_points=old_points, new_points=None, reason=reason, created=now)


def uphold_flags(item: PeerItem, staff_id: str, submission_id, reason, now=None) -> PeerSubmission:
    """Staff agree with the report: the response is withdrawn as :func:`cancel_submission` withdraws it (its
    grade is taken back, the learner reads the reason), and its open reports are closed as upheld."""
    now = now or timezone.now()
    reason = _reason(reason)
    with transaction.atomic():
        sub = _locked(item, submission_id)
        if not sub.is_flagged:
            raise Refusal(_("This submission is not flagged."), status=409)
        Flag.objects.filter(submission=sub, resolved_at__isnull=True).update(
            resolved_at=now, resolved_by=staff_id, resolution="upheld")
        _cancel_locked(item, sub, staff_id, reason, StaffAction.UPHOLD_FLAG, now)
    return sub


def send_again(item: PeerItem, submission_id) -> PeerSubmission:
    """Staff's "Send again": the grade the submission holds (or its cancellation) goes to the gradebook
    again, after commit, whatever happened to earlier deliveries. Nothing to send is a 409."""
    with transaction.atomic():
        sub = _locked(item, submission_id)
        if gradebook.resend(item, sub) is None:
            raise Refusal(_("This submission has no grade to send to the gradebook."), status=409)
    return sub


def _release_reviewer(usage_id: str, anon_id: str) -> None:
    """End a learner's unfinished leases as a reviewer, giving the slots back."""
    leases = ReviewLease.objects.select_for_update().filter(
        usage_id=usage_id, reviewer_id=anon_id, status__in=(ReviewLease.OPEN, ReviewLease.EXPIRED)
    )
    for lease in leases:
        if lease.status == ReviewLease.OPEN:
            PeerSubmission.objects.filter(pk=lease.submission_id).update(load=F("load") - 1)
        lease.status = ReviewLease.CANCELLED
        lease.save(update_fields=["status"])


def clear_learner_state(item: PeerItem, anon_id: str, requesting_user_id, now=None,
                        announce: bool = True) -> PeerSubmission | None:
    """The instructor's "delete learner state": the learner may start again.

    Their submission leaves the pool (kept, marked cleared, with an audit row), their unfinished
    reviews are released, their response draft and their practice on the examples are deleted. Then (after
    that commits, unless the caller holds a transaction of its own) their score is reset in edx-submissions and in the profile, whatever
    their submission (a response set aside by "Reset attempts" keeps its grade until then); ``announce``
    says whether edx-submissions tells the LMS (its ``score_reset`` signal). Reviews they already gave
    stay with the authors they reviewed, and still count for their next attempt.
    """
    now = now or timezone.now()
    with transaction.atomic():
        _release_reviewer(item.usage_id, anon_id)
        ResponseDraft.objects.filter(usage_id=item.usage_id, anonymous_user_id=anon_id).delete()
        # Their practice on the examples: they practise again with their next response.
        CalibrationAttempt.objects.filter(usage_id=item.usage_id, anonymous_user_id=anon_id).delete()
        sub = current_submission(item.usage_id, anon_id)
        if sub is None:
            subject = (anon_id, item.course_id, item.usage_id)
            transaction.on_commit(lambda: gradebook.reset_lms_score(*subject, announce=announce))
            return None
        sub = lock_submissions(sub.pk)[sub.pk]
        if sub.is_cleared:  # set aside by "Reset attempts": the grade it kept is taken back now
            gradebook.record_intent(sub, item, announce=announce)
            return None
        old_points = sub.final_points
        _withdraw(item, sub, now, announce=announce)
        sub.cleared_at = now
        sub.save(update_fields=["pool", "cleared_at", "modified"])
        StaffAction.objects.create(submission=sub, staff_id=str(requesting_user_id or ""),
                                   action=StaffAction.CLEAR_STATE, old_points=old_points, new_points=None,
                                   reason="learner state deleted", created=now)
    return sub


DASHBOARD = "instructor dashboard"


def make_way_for_new_response(item: PeerItem, anon_id: str, now=None) -> PeerSubmission | None:
    """The instructor dashboard's "Reset attempts": the learner may submit a new response, and keeps
    their grade until the new one is graded (the last response counts, as the quiz's last attempt does).

    Their current response leaves the pool (kept, marked cleared, audited with the grade it keeps):
    reviews of it in progress are released and its open reports closed. Nothing else changes: the
    score stays in the gradebook and the profile, their own reviews in progress and the reviews they
    gave stay theirs. Returns the response set aside, or None when there was none.
    """
    now = now or timezone.now()
    with transaction.atomic():
        sub = current_submission(item.usage_id, anon_id)
        if sub is None or sub.is_cleared:
            return None
        sub = lock_submissions(sub.pk)[sub.pk]
        kept = None if sub.is_cancelled else sub.final_points  # a response staff withdrew has no grade left
        release_for_submission(sub.pk, now)
        Flag.objects.filter(submission=sub, resolved_at__isnull=True).update(resolved_at=now, resolution="cancelled")
        sub.pool = PeerSubmission.CANCELLED
        sub.cleared_at = now
        sub.save(update_fields=["pool", "cleared_at", "modified"])
        StaffAction.objects.create(submission=sub, staff_id=DASHBOARD, action=StaffAction.RESET_ATTEMPTS,
                                   old_points=kept, new_points=kept, created=now,
                                   reason="attempts reset: a new response may be submitted; this grade counts until "
                                          "the new one is graded")
    return sub


RETIRED_PREFIX = "retired-"


def retired_alias() -> str:
    """A fresh alias for a retired learner: random (``secrets``), so nothing links it to their id."""
    return RETIRED_PREFIX + secrets.token_hex(16)


def retire_learner(anon_ids) -> None:
    """Remove what identifies retired learners and what they wrote; keep what other learners are owed.

    Each anonymous id is replaced by its own random alias (:func:`retired_alias`, stored nowhere with
    the id) wherever other learners' grades or the staff's records rest on the row: the learner's
    submissions, the leases and reviews they gave, the flags they raised, their agreement counters, their
    self-assessments, practice on the examples (staff's figures per example rest on it),
    and the staff columns where they acted as staff. One alias per id across these tables, so every
    counter still equals its recount. Their texts are deleted or emptied: response drafts, review
    drafts, the comments of the reviews they gave (overall and per criterion: the points stay and
    count), the reasons of their flags and the comments of their ratings of the reviews they
    received (the helpful/not helpful answer stays: it counts for the reviewer). Their unfinished
    reviews are withdrawn, so those responses go to other reviewers. Safe to run again.
    """
    anon_ids = sorted({a for a in anon_ids if a})
    if not anon_ids:
        return
    with transaction.atomic():
        for anon_id in anon_ids:
            alias = retired_alias()
            ResponseDraft.objects.filter(anonymous_user_id=anon_id).delete()
            _withdraw_unfinished_reviews(anon_id)
            ReviewLease.objects.filter(reviewer_id=anon_id).update(reviewer_id=alias, draft={}, draft_saved_at=None)
            # Reviews and their parts are immutable through save(); retirement alone empties their words.
            given = Review.objects.filter(reviewer_id=anon_id)
            ReviewPart.objects.filter(review__in=given).exclude(comment="").update(comment="")
            given.update(reviewer_id=alias, overall_comment="")
            Flag.objects.filter(reporter_id=anon_id).update(reporter_id=alias, reason="")
            Flag.objects.filter(resolved_by=anon_id).update(resolved_by=alias)
            ReviewFeedback.objects.filter(review__submission__anonymous_user_id=anon_id).exclude(comment="").update(
                comment="")
            PeerSubmission.objects.filter(anonymous_user_id=anon_id).update(anonymous_user_id=alias)
            PeerSubmission.objects.filter(cancelled_by=anon_id).update(cancelled_by=alias)
            # The audit rows stay as written; only the name of the staff member who acted changes.
            StaffAction.objects.filter(staff_id=anon_id).update(staff_id=alias)
            GradeDelivery.objects.filter(anonymous_user_id=anon_id).update(anonymous_user_id=alias)
            ReviewerAgreement.objects.filter(reviewer_id=anon_id).update(reviewer_id=alias)
            SelfAssessment.objects.filter(anonymous_user_id=anon_id).update(anonymous_user_id=alias)
            CalibrationAttempt.objects.filter(anonymous_user_id=anon_id).update(anonymous_user_id=alias)


def _withdraw_unfinished_reviews(reviewer_id: str) -> None:
    """Cancel the reviewer's open and expired leases; an open one gives its slot back (``load``)."""
    unfinished = list(ReviewLease.objects.filter(reviewer_id=reviewer_id,
                                                 status__in=(ReviewLease.OPEN, ReviewLease.EXPIRED))
                      .values_list("pk", "submission_id", "status"))
    if not unfinished:
        return
    lock_submissions(*(sub_id for _pk, sub_id, _status in unfinished))
    live = Counter(sub_id for _pk, sub_id, status in unfinished if status == ReviewLease.OPEN)
    ReviewLease.objects.filter(pk__in=[pk for pk, _sub, _status in unfinished]).update(
        status=ReviewLease.CANCELLED, open_slot=None)
    for sub_id, count in sorted(live.items()):
        PeerSubmission.objects.filter(pk=sub_id).update(load=F("load") - count)
