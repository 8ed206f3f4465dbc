"""What the learner's browser receives: the state of their case study, with translated sentences.

Anonymity: nothing here names another learner. A review task carries the response text and the
rubric, never its author; a grade shows reviews as "Review 1", "Review 2", never their reviewers.
Author HTML is sanitised here (nh3) before it is sent; learner text is sent as plain text.
"""

from __future__ import annotations

from django.utils import timezone

from .. import l10n
from ..sanitize import clean_author_html
from . import feedback, gradebook, workflow
from .config import PeerItem
from .models import PeerSubmission, ReviewLease, StaffAction
from .submissions import current_submission, effective_required, effective_to_give


def rubric_view(criteria: list[dict], t) -> list[dict]:
    """Criteria and options as the browser shows them (explanations sanitised)."""
    result = []
    for crit in criteria:
        options = crit.get("options", [])
        max_points = max((int(o.get("points", 0)) for o in options), default=0)
        result.append({
            "name": crit["name"],
            "label": crit["label"],
            "description_html": clean_author_html(crit.get("description", "")),
            "max_points": max_points,
            "options": [
                {
                    "index": i,
                    "label": o["label"],
                    "points": int(o["points"]),
                    "points_text": points_text(t, int(o["points"])),
                    "explanation_html": clean_author_html(o.get("explanation", "")),
                }
                for i, o in enumerate(options)
            ],
        })
    return result


def points_text(t, points) -> str:
    return l10n.point_count(t, points)


def format_when(value) -> str:
    """UTC text; the learner's browser shows it in their own time zone and language."""
    return l10n.fallback_when(value)


def _review_task(lease: ReviewLease, item: PeerItem, own: PeerSubmission, t) -> dict:
    sub = lease.submission
    number = min(own.given + 1, max(effective_to_give(own, item), 1))
    if lease.extra or own.given >= effective_to_give(own, item):
        heading = t.gettext("Extra review (optional)")
    else:
        heading = t.gettext("Review %(number)s of %(total)s") % {"number": number, "total": effective_to_give(own, item)}
    return {
        "lease_id": lease.pk,
        "heading": heading,
        "text": workflow.response_text(sub),
        "rubric": rubric_view(sub.rubric.criteria, t),
        "draft": lease.draft or {},
        "expires_text": t.gettext("This response is reserved for you until %(when)s. Your draft is saved as you work "
                                  "and is kept even after that time.") % {"when": format_when(lease.expires_at)},
    }


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


def grade_view(sub: PeerSubmission, t, now=None) -> dict:
    """The author's grade explained: per-criterion medians, the reviews that counted, the others.

    Each review carries its id and the author's rating of it (``feedback.learner_view``), so the
    author can say whether it helped; nothing in it names the reviewer.
    """
    reviews = list(gradebook.reviews_with_parts(sub.pk))
    ratings = feedback.ratings_for_submission(sub.pk) if reviews else {}
    criteria = sub.rubric.criteria
    counted = [r for r in reviews if r.counted]
    weighted = bool(sub.weighting)  # the peer grade was a weighted median
    medians = []
    for crit in criteria:
        max_points = max((int(o["points"]) for o in crit["options"]), default=0)
        given = [p.points for r in counted for p in r.parts.all() if p.criterion_name == crit["name"]]
        if weighted:
            text = t.gettext("%(points)s (weighted median of %(values)s)")
        else:
            text = t.gettext("%(points)s (median of %(values)s)")
        medians.append({
            "label": crit["label"],
            "median": sub.medians.get(crit["name"]),
            "max_points": max_points,
            "points_given": sorted(given),
            "text": text % {
                "points": l10n.points(t, sub.medians.get(crit["name"], 0), max_points),
                "values": ", ".join(l10n.number(v) for v in sorted(given)) or "-",
            },
        })

    def review_dict(number, r):
        return {
            "id": r.pk,
            "heading": t.gettext("Review %(number)s") % {"number": number},
            "total_text": points_text(t, r.total_points),
            "parts": [
                {"criterion": p.criterion_label, "option": p.option_label, "points_text": points_text(t, p.points),
                 "comment": p.comment}
                for p in r.parts.all()
            ],
            "overall": r.overall_comment,
            "feedback": feedback.learner_view(ratings.get(r.pk), t, now),
        }

    later = [r for r in reviews if not r.counted]
    result = {
        "earned": sub.final_points,
        "possible": sub.points_possible,
        "summary": t.gettext("Your score: %(score)s.") % {
            "score": l10n.score(t, sub.final_points, sub.points_possible)},
        "medians": medians,
        "how": t.gettext(
            "For each criterion your grade is the median of the points your reviewers gave (the middle value; "
            "with an even number of reviews, halfway between the two middle values, a half point rounded up). "
            "The criteria are then added up."
        ),
        "counted": [review_dict(i, r) for i, r in enumerate(counted, start=1)],
        "later": [review_dict(i, r) for i, r in enumerate(later, start=len(counted) + 1)],
        "later_note": t.gettext("These reviews arrived after your grade was given; they are shown but not counted.")
        if later else "",
        "peer_text": "",
        "weighting_text": _weighting_text(sub, t) if weighted else "",
        "divergent_text": t.gettext("Your reviewers disagreed a lot, so the course team has been asked to look at "
                                    "your grade.") if sub.divergent and sub.grade_source == "peer" else "",
    }
    if sub.grade_source in ("override", "staff"):
        action = StaffAction.objects.filter(
            submission=sub, action__in=(StaffAction.OVERRIDE, StaffAction.STAFF_GRADE)
        ).order_by("-created", "-pk").first()
        reason = action.reason if action else ""
        if sub.peer_points is not None:
            result["peer_text"] = t.gettext("Your reviewers' grade was %(peer)s points; the course team set it to "
                                            "%(final)s. Their reason: %(reason)s") % {
                "peer": l10n.number(sub.peer_points), "final": l10n.number(sub.final_points), "reason": reason}
        else:
            result["peer_text"] = t.gettext("The course team graded your response. Their comment: %(reason)s") % {
                "reason": reason}
    return result


def _weighting_text(sub: PeerSubmission, t) -> str:
    """Said when the grade was a weighted median (the block weights reviewers by agreement)."""
    text = t.gettext(
        "Your reviewers were weighted by agreement: for each criterion, the points of reviewers whose scores "
        "usually agree with the other reviewers of the same responses counted more (a weighted median)."
    )
    plain = sub.weighting.get("plain_points")
    if plain is not None and plain != sub.peer_points:
        text += " " + t.gettext("With every review counting the same, your reviewers' grade would have been "
                                "%(plain)s points instead of %(weighted)s.") % {
            "plain": l10n.number(plain), "weighted": l10n.number(sub.peer_points)}
    else:
        text += " " + t.gettext("With every review counting the same, your grade would have been the same.")
    return text


def _waiting_text(sub: PeerSubmission, item: PeerItem, t) -> str:
    required = effective_required(sub, item)
    to_give = effective_to_give(sub, item)
    if sub.is_flagged:
        return t.gettext("Your response is being checked by the course team. Your grade will appear once they "
                         "have looked at it.")
    if sub.staff_queue:
        return t.gettext("Too few reviews arrived in time, so the course team will grade your response. "
                         "Your grade appears here as soon as they do.")
    if sub.given < to_give:
        return " ".join((
            t.gettext("Give your reviews to see your grade: you have given %(given)s of %(total)s.") % {
                "given": sub.given, "total": to_give},
            t.gettext("If no response is available for you to review by %(when)s, you will not need to give "
                      "the missing reviews.") % {"when": format_when(sub.submitted_at + item.waiting_time)},
        ))
    deadline = sub.submitted_at + item.waiting_time
    if item.waiting_rule == "lower":
        rule = t.gettext("If your response still has fewer reviews on %(when)s, it is graded with the reviews it "
                         "has by then (or by the course team if it has none).")
    else:
        rule = t.gettext("If your response still has fewer reviews on %(when)s, the course team grades it.")
    return " ".join((
        t.gettext("Your response has received %(received)s of the %(required)s reviews it needs. Your grade appears "
                  "here as soon as the last one arrives.") % {"received": sub.received, "required": required},
        rule % {"when": format_when(deadline)},
    ))


def learner_state(item: PeerItem, anon_id: str | None, t, now=None) -> dict:
    """Everything the learner's page shows that depends on the database."""
    now = now or timezone.now()
    if not anon_id:
        return {"phase": "anonymous", "message": t.gettext("Sign in to take part in this exercise.")}
    sub = current_submission(item.usage_id, anon_id)
    if sub is None or sub.is_cleared:
        draft = workflow.get_response_draft(item, anon_id)
        return {
            "phase": "write",
            "draft": draft.text if draft else "",
            "draft_saved": format_when(draft.modified) if draft else "",
        }
    state = {
        "phase": "submitted",
        "response": {"text": workflow.response_text(sub), "submitted": format_when(sub.submitted_at),
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
        return state
    to_give = effective_to_give(sub, item)
    state["progress"] = t.gettext("Reviews given: %(given)s of %(total)s. Reviews received: %(received)s.") % {
        "given": sub.given, "total": to_give, "received": sub.received}
    held = _held_lease(item, anon_id, now)
    if held is not None:
        state["review"] = _review_task(held, item, sub, t)
    else:
        state["resume"] = _has_unfinished(item, anon_id)
        state["can_review"] = sub.given < to_give
        state["can_extra"] = sub.given >= to_give
    if sub.graded_at is not None and sub.final_points is not None:
        state["grade"] = grade_view(sub, t, now)
    else:
        state["waiting"] = _waiting_text(sub, item, t)
    return state


def allocation_message(outcome: str, t, owes: bool = True) -> str:
    """What the learner is told after asking for a review; ``owes``: they still owe required reviews."""
    if outcome == "none_available" and not owes:
        return t.gettext("No other response needs a review right now. Thank you for offering to review more; "
                         "you can try again later.")
    if outcome == "none_available":
        return t.gettext("No response is available for you to review right now: your peers have not submitted "
                         "enough yet. Come back later; your progress is kept.")
    if outcome == "not_needed":
        return t.gettext("You have given all the reviews you need to give.")
    return ""
