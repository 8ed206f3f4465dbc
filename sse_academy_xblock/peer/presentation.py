"""What the learner reads: the sentences and shapes of their case study's page, no queries.

:mod:`.learner_state` reads the tables and hands the rows here.

Anonymity: nothing here names another learner. A review task carries the response text and the
rubric, never its author; a grade shows reviews as "Review 1", "Review 2", never their reviewers.
Author HTML is sanitised here (nh3) before it is sent; learner text is sent as plain text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import l10n
from ..deadlines import Deadline
from ..i18n import gettext_noop
from ..sanitize import clean_author_html
from . import feedback
from .config import PeerItem
from .submissions import effective_required, effective_to_give

if TYPE_CHECKING:  # rows handed in by learner_state; nothing here reads the tables
    from .models import PeerSubmission, ReviewLease


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


# The case study's windows (PeerItem.responses and .reviews), said on the page with the date in UTC (the browser
# shows it in the learner's time zone) and in the refusal of a late write (the server writes the date).
RESPONSES_DUE = gettext_noop("Responses are due on %(when)s.")
RESPONSES_CLOSED = gettext_noop("Responses to this case study closed on %(when)s.")
REVIEWS_DUE = gettext_noop("Reviewing closes on %(when)s.")
REVIEWS_CLOSED = gettext_noop("Reviews for this case study closed on %(when)s.")
SELF_ASSESSMENT_CLOSED = gettext_noop("This case study closed on %(when)s: your response can no longer be "
                                      "self-assessed.")
RATINGS_CLOSED = gettext_noop("This case study closed on %(when)s: ratings of reviews can no longer be given.")


def window_view(window: Deadline, now, t, due: str, closed: str) -> dict:
    """Whether a window is open now, and the sentence the page shows about it ("" without a date)."""
    if window.due is None:
        return {"open": True, "text": ""}
    is_open = not window.passed(now)
    return {"open": is_open, "text": t.gettext(due if is_open else closed) % {"when": format_when(window.due)}}


def kept_grade_text(points: int, possible: int, t) -> str:
    """After "Reset attempts": the earlier response's grade counts until the new one is graded."""
    return t.gettext("You may submit a new response. Your earlier response keeps its grade, %(score)s, until the "
                     "new one is graded.") % {"score": l10n.score(t, points, possible)}


def waiting_until(sub: PeerSubmission, item: PeerItem):
    """When the waiting rule will handle ``sub``: ``waiting_days`` after it was submitted, or when
    reviewing closes if that comes first (the due date learners are told)."""
    moment = sub.submitted_at + item.waiting_time
    return min(moment, item.reviews.due) if item.reviews.due is not None else moment


def review_task(lease: ReviewLease, item: PeerItem, own: PeerSubmission, text: str, t) -> dict:
    """The review the learner holds: heading, the response's ``text``, its rubric, their draft."""
    sub = lease.submission
    number = min(own.given + 1, max(effective_to_give(own, item), 1))
    if lease.extra or own.given >= effective_to_give(own, item):
        heading = t.gettext("Extra review (optional)")
    else:
        heading = t.gettext("Review %(number)s of %(total)s") % {"number": number, "total": effective_to_give(own, item)}
    return {
        "lease_id": lease.pk,
        "heading": heading,
        "text": text,
        "rubric": rubric_view(sub.rubric.criteria, t),
        "draft": lease.draft or {},
        "expires_text": t.gettext("This response is reserved for you until %(when)s. Your draft is saved as you work "
                                  "and is kept even after that time.") % {"when": format_when(lease.expires_at)},
    }


def explain_grade(sub: PeerSubmission, reviews: list, ratings: dict, staff_reason: str | None, t,
                  now=None) -> dict:
    """The author's grade explained: per-criterion medians, the reviews that counted, the others.

    ``reviews``: the submission's reviews with their parts, in order; ``ratings``: the author's
    rating of each (``{review id: rating}``); ``staff_reason``: the reason of the staff grade or
    override behind a grade by staff (read by :func:`.learner_state.grade_view`). Each review
    carries its id and the author's rating of it (``feedback.learner_view``), so the author can say
    whether it helped; nothing in it names the reviewer.
    """
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
                "values": l10n.values(sorted(given)) or "-",
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
        reason = staff_reason or ""
        if sub.peer_points is not None:
            result["peer_text"] = t.ngettext(
                "Your reviewers' grade was %(peer)s point; the course team set it to %(final)s. Their reason: "
                "%(reason)s",
                "Your reviewers' grade was %(peer)s points; the course team set it to %(final)s. Their reason: "
                "%(reason)s", l10n.plural_count(sub.peer_points)) % {
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
        text += " " + t.ngettext(
            "With every review counting the same, your reviewers' grade would have been %(plain)s point instead "
            "of %(weighted)s.",
            "With every review counting the same, your reviewers' grade would have been %(plain)s points instead "
            "of %(weighted)s.", l10n.plural_count(plain)) % {
            "plain": l10n.number(plain), "weighted": l10n.number(sub.peer_points)}
    else:
        text += " " + t.gettext("With every review counting the same, your grade would have been the same.")
    return text


def waiting_text(sub: PeerSubmission, item: PeerItem, t) -> str:
    """What an ungraded learner is waiting for, and what happens next."""
    required = effective_required(sub, item)
    to_give = effective_to_give(sub, item)
    if sub.is_flagged:
        return t.gettext("Your response is being checked by the course team. Your grade will appear once they "
                         "have looked at it.")
    if sub.staff_queue and sub.reviews_disagreed:
        return t.gettext("Your reviewers still disagreed after %(count)s reviews, so the course team will grade your "
                         "response. Your grade appears here as soon as they do.") % {"count": sub.received}
    if sub.staff_queue:
        return t.gettext("Too few reviews arrived in time, so the course team will grade your response. "
                         "Your grade appears here as soon as they do.")
    if sub.given < to_give:
        return " ".join((
            t.gettext("Give your reviews to see your grade: you have given %(given)s of %(total)s.") % {
                "given": sub.given, "total": to_give},
            t.gettext("If no response is available for you to review by %(when)s, you will not need to give "
                      "the missing reviews.") % {"when": format_when(waiting_until(sub, item))},
        ))
    deadline = waiting_until(sub, item)
    if item.waiting_rule == "lower":
        rule = t.gettext("If your response still has fewer reviews on %(when)s, it is graded with the reviews it "
                         "has by then (or by the course team if it has none).")
    else:
        rule = t.gettext("If your response still has fewer reviews on %(when)s, the course team grades it.")
    more = ""
    if item.adaptive and sub.extra_wanted > 0:
        more = t.gettext("Your first reviews did not agree closely enough, so your response asks for more reviews, "
                         "one at a time, up to %(max)s.") % {"max": item.most_reviews}
    return " ".join(part for part in (
        more,
        t.gettext("Your response has received %(received)s of the %(required)s reviews it needs. Your grade appears "
                  "here as soon as the last one arrives.") % {"received": sub.received, "required": required},
        rule % {"when": format_when(deadline)},
    ) if part)


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
