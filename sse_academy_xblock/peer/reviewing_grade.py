"""The grade for reviewing: an optional share of the case study's score earned by reviewing well.

Rules (documented in docs/insight.md, "Grade for reviewing", and the README), with the block's ``review_share``
``s`` (0 to 0.5; 0, the default, leaves the score the response's grade, as without this module):

* The learner's **reviewing grade** is ``R = 1 - d``, where ``d`` is their mean distance from the other
  reviewers exactly as staff read it in "Review quality" (:mod:`.staff_review_quality`) and as their own page
  states it (:mod:`.reviewer_feedback`): the mean, over their reviews that could be compared, of
  ``|their total - median of the other reviews' totals| / best total``. A review can be compared once the
  response it reviewed is graded by peers with at least two counted reviews (:mod:`.agreement_totals`).
* Until one of their reviews can be compared, ``R`` is **pending** and the score is the response's grade
  alone: nobody loses points because the responses they reviewed are still waiting.
* The case study's score, in the rubric's points ``P`` (the response's grade) out of ``B`` (the best total)::

      score = round_half_up((1 - s) x P + s x R x B), kept between 0 and B

  It reaches the gradebook as any grade does (the block's weight applied, :func:`.grading.lms_points`).
* Only the reviews the learner gave count in ``d``: a review they did not give is not a distance of 100 %.
  Missing reviews already hold back or lower the learner's grade through the required reviews and the
  waiting rule; the reviewing grade does not count them a second time.

The score changes when the response's grade changes and when ``d`` changes (a response the learner reviewed
is graded): each change writes a new row to the grade-delivery outbox (:func:`.gradebook.record_intent`,
:func:`.gradebook.resend_reviewers`), so the gradebook holds the score the learner's page explains.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import l10n
from .config import PeerItem
from .grading import round_half_up
from .models import PeerSubmission, ReviewerAgreement

MAX_SHARE = 0.5


def share_of(item: PeerItem) -> float:
    """The block's share of the score for reviewing, kept between 0 and :data:`MAX_SHARE`."""
    return min(MAX_SHARE, max(0.0, float(item.review_share or 0.0)))


def reviewing_grade(mean_distance: float | None, reviews: int) -> float | None:
    """``1 - mean distance`` (between 0 and 1), or None (pending) before any review could be compared."""
    if mean_distance is None or reviews <= 0:
        return None
    return min(1.0, max(0.0, 1.0 - float(mean_distance)))


def combined_points(response_points: int, possible: int, share: float, reviewing: float | None) -> int:
    """The module's formula: ``round_half_up((1 - s) x P + s x R x B)``, between 0 and ``B``; ``P`` while ``R``
    is pending or the share is 0."""
    points = max(0, min(int(response_points), possible))
    if reviewing is None or share <= 0:
        return points
    # rounded to 9 places first, so that 6.5 computed as 6.4999999999 still rounds up
    value = round((1 - share) * points + share * reviewing * possible, 9)
    return max(0, min(round_half_up(value), possible))


@dataclass(frozen=True)
class Score:
    """A learner's case-study score: ``points`` out of ``possible`` (rubric points, before the block's weight)."""

    points: int
    possible: int
    response_points: int
    share: float
    reviewing: float | None  # None: pending, or no share
    compared: int  # the learner's reviews that could be compared

    @property
    def counts_reviewing(self) -> bool:
        return self.share > 0 and self.reviewing is not None


def standings(item: PeerItem, anon_ids, lock: bool = False) -> dict[str, tuple[int, float]]:
    """``{learner: (comparable reviews, mean distance)}`` in the block, one query (none with no share).

    ``lock``: read the rows ``FOR UPDATE``, as the outbox does before it records a score, so that a grading that
    changes a learner's distance and a change of their own grade record their scores one after the other."""
    ids = sorted({a for a in anon_ids if a})
    if not share_of(item) or not ids:
        return {}
    qs = ReviewerAgreement.objects.filter(usage_id=item.usage_id, reviewer_id__in=ids)
    if lock:
        qs = qs.select_for_update().order_by("reviewer_id")
    return {reviewer: (reviews, mean) for reviewer, reviews, mean in
            qs.values_list("reviewer_id", "reviews", "mean_distance")}


def score_from(item: PeerItem, response_points: int, possible: int, standing: tuple[int, float] | None) -> Score:
    share = share_of(item)
    reviews, mean = standing if standing is not None else (0, None)
    reviewing = reviewing_grade(mean, reviews) if share else None
    return Score(combined_points(response_points, possible, share, reviewing), possible, response_points, share,
                 reviewing, reviews if share else 0)


def score_of(item: PeerItem, sub: PeerSubmission, lock: bool = False) -> Score | None:
    """The score of a graded response's author (None while it is ungraded): one query when the share is set."""
    if sub.final_points is None or sub.points_possible <= 0:
        return None
    found = standings(item, [sub.anonymous_user_id], lock=lock)
    return score_from(item, sub.final_points, sub.points_possible, found.get(sub.anonymous_user_id))


def learner_view(score: Score | None, t) -> dict | None:
    """What the learner's page says of the grade for reviewing (None when the block gives none)."""
    if score is None or score.share <= 0:
        return None
    share = l10n.percent(t, round(score.share * 100))
    view = {
        "heading": t.gettext("Grade for reviewing"),
        "rule": t.gettext(
            "Reviewing counts for %(share)s of your score. Your grade for reviewing is %(full)s minus the average "
            "distance between the totals you gave and the median of the other reviewers of the same responses, as "
            "a share of the best total. Only the reviews you gave count, once the response you reviewed is graded "
            "with at least one other review.") % {"share": share, "full": l10n.percent(t, 100)},
    }
    view["pending"] = score.reviewing is None  # the page looks for it now and then while it is pending
    if score.reviewing is None:
        view["status"] = t.gettext(
            "Your grade for reviewing is pending: none of the responses you reviewed has been graded with another "
            "review yet. Until then your score is your response's grade alone; it will change once one is.")
        return view
    view["status"] = t.ngettext(
        "Your grade for reviewing is %(grade)s, from %(count)s review of yours that could be compared.",
        "Your grade for reviewing is %(grade)s, from %(count)s reviews of yours that could be compared.",
        score.compared) % {"grade": l10n.percent(t, round(score.reviewing * 100)), "count": score.compared}
    view["formula"] = t.gettext(
        "Your score is %(response_share)s of your response's grade (%(response)s) plus %(share)s of your grade for "
        "reviewing (%(reviewing)s) applied to the best total, a half point rounded up: %(score)s.") % {
        "response_share": l10n.percent(t, 100 - round(score.share * 100)), "share": share,
        "response": l10n.score(t, score.response_points, score.possible),
        "reviewing": l10n.percent(t, round(score.reviewing * 100)),
        "score": l10n.score(t, score.points, score.possible)}
    return view
