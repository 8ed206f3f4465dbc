"""The learner's page as the database has it: their submission, the review they hold, their grade.

Reads only: resuming an expired lease, allocation and the waiting rule happen when the learner asks
(:mod:`.workflow`). The sentences are written by :mod:`.presentation`, which runs no query.
"""

from __future__ import annotations

from django.utils import timezone

from .. import l10n
from . import feedback, gradebook, presentation, reviewing_grade, self_assessment, workflow
from .config import PeerItem
from .models import PeerSubmission, ReviewLease, ReviewPart, StaffAction
from .submissions import current_submission, effective_to_give


def _held_lease(item: PeerItem, anon_id: str, now) -> ReviewLease | None:
    """A live lease the learner holds (reading only: resuming expired ones happens on request)."""
    return (
        ReviewLease.objects.filter(usage_id=item.usage_id, reviewer_id=anon_id, status=ReviewLease.OPEN,
                                   expires_at__gt=now)
        .select_related("submission__rubric")
        .order_by("created")
        .first()
    )


def _has_unfinished(item: PeerItem, anon_id: str) -> bool:
    return ReviewLease.objects.filter(
        usage_id=item.usage_id, reviewer_id=anon_id, status=ReviewLease.EXPIRED
    ).exclude(draft={}).exists()


def review_parts(review_id: int) -> list[ReviewPart]:
    """The parts of a review the learner gave, in the order they were written (for its tracking event)."""
    return list(ReviewPart.objects.filter(review_id=review_id).order_by("pk"))


def _kept_grade(sub: PeerSubmission) -> int | None:
    """The grade a response set aside by "Reset attempts" keeps until a new one is graded, or None."""
    action = StaffAction.objects.filter(submission=sub).order_by("-created", "-pk").first()
    if action is None or action.action != StaffAction.RESET_ATTEMPTS:
        return None
    return action.new_points


def grade_view(sub: PeerSubmission, t, now=None) -> dict:
    """The author's grade explained (:func:`.presentation.explain_grade`), from their reviews, the
    author's ratings of them and, for a grade by staff, the staff's reason."""
    reviews = list(gradebook.reviews_with_parts(sub.pk))
    ratings = feedback.ratings_for_submission(sub.pk) if reviews else {}
    reason = None
    if sub.grade_source in ("override", "staff"):
        action = StaffAction.objects.filter(
            submission=sub, action__in=(StaffAction.OVERRIDE, StaffAction.STAFF_GRADE)
        ).order_by("-created", "-pk").first()
        reason = action.reason if action else ""
    return presentation.explain_grade(sub, reviews, ratings, reason, t, now)


def add_reviewing(item: PeerItem, sub: PeerSubmission, grade: dict, t) -> None:
    """With a share of the score for reviewing (:mod:`.reviewing_grade`): the score the gradebook receives in
    the summary (and ``earned``), the response's grade beside it, and the grade for reviewing explained."""
    if not reviewing_grade.share_of(item):
        return
    score = reviewing_grade.score_of(item, sub)
    grade["reviewing"] = reviewing_grade.learner_view(score, t)
    if score is not None and score.counts_reviewing:
        grade["earned"] = score.points
        grade["summary"] = t.gettext("Your score: %(score)s. Your response's grade: %(response)s.") % {
            "score": l10n.score(t, score.points, score.possible),
            "response": l10n.score(t, score.response_points, score.possible)}


def learner_state(item: PeerItem, anon_id: str | None, t, now=None) -> dict:
    """Everything the learner's page shows that depends on the database."""
    now = now or timezone.now()
    if not anon_id:
        return {"phase": "anonymous", "message": t.gettext("Sign in to take part in this exercise.")}
    sub = current_submission(item.usage_id, anon_id)
    if sub is None or sub.is_cleared:
        draft = workflow.get_response_draft(item, anon_id)
        state = {
            "phase": "write",
            "draft": draft.text if draft else "",
            "draft_saved": presentation.format_when(draft.modified) if draft else "",
            "window": presentation.window_view(item.responses, now, t, presentation.RESPONSES_DUE,
                                               presentation.RESPONSES_CLOSED),
        }
        kept = _kept_grade(sub) if sub is not None else None
        if kept is not None:
            state["kept_grade"] = presentation.kept_grade_text(kept, sub.points_possible, t)
        return state
    state = {
        "phase": "submitted",
        "response": {"text": workflow.response_text(sub), "submitted": presentation.format_when(sub.submitted_at),
                     "words": sub.word_count},
        "review": None,
        "grade": None,
        "waiting": "",
        "progress": "",
        "can_review": False,
        "can_extra": False,
        "resume": False,
    }
    if sub.is_cancelled:
        state["phase"] = "cancelled"
        state["cancelled"] = t.gettext("The course team withdrew your response. Their reason: %(reason)s") % {
            "reason": sub.cancel_reason}
        # What happens next, as the rules stand: the grade is gone, and only the course team's "Reset attempts"
        # (staff_actions.make_way_for_new_response) opens the writing form again.
        state["cancelled_title"] = t.gettext("Your response was withdrawn")
        state["cancelled_next"] = t.gettext(
            "Your grade for this exercise was taken back: no points count for it now. You cannot submit another "
            "response yourself. To try again, or if you think this is a mistake, ask the course team (for example "
            "through the course discussion or its contact address): they can reset your attempt so that you can "
            "write a new response.")
        return state
    to_give = effective_to_give(sub, item)
    state["progress"] = t.gettext("Reviews given: %(given)s of %(total)s. Reviews received: %(received)s.") % {
        "given": sub.given, "total": to_give, "received": sub.received}
    window = presentation.window_view(item.reviews, now, t, presentation.REVIEWS_DUE, presentation.REVIEWS_CLOSED)
    state["window"] = window
    held = _held_lease(item, anon_id, now) if window["open"] else None
    if held is not None:
        state["review"] = presentation.review_task(held, item, sub, workflow.response_text(held.submission), t)
    elif window["open"]:
        state["resume"] = _has_unfinished(item, anon_id)
        state["can_review"] = sub.given < to_give
        state["can_extra"] = sub.given >= to_give
    if sub.graded_at is not None and sub.final_points is not None:
        state["grade"] = grade_view(sub, t, now)
        add_reviewing(item, sub, state["grade"], t)
        if not window["open"]:  # ratings of reviews close with reviewing
            for shown in state["grade"]["counted"] + state["grade"]["later"]:
                shown["feedback"]["editable"] = False
    else:
        state["waiting"] = presentation.waiting_text(sub, item, t)
    state["self_assessment"] = self_assessment.learner_view(item, sub, t, grade=state["grade"])
    if state["self_assessment"] is not None and not window["open"]:
        state["self_assessment"]["open"] = False
    return state
