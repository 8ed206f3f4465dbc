"""Feedback to reviewers: how each review a learner gave compares with the grade of the response it reviewed.

Once a response the learner reviewed is graded, their page shows, per criterion, the points they gave beside
the grade of that criterion (the median of the counted reviews, weighted when the block weighs reviewers), and
their total beside the response's grade. A response graded by staff has no grade per criterion: only the totals
are compared. Nothing names the author of the response or another reviewer, and no other review's text is shown.

Below, the learner's mean distance from the other reviewers, as staff read it in "Review quality"
(:mod:`.staff_review_quality`, docs/insight.md): the mean over their comparable reviews of
``|their total - median of the other reviews' totals| / best total``.
"""

from __future__ import annotations

from django.db.models import Prefetch

from .. import l10n
from ..insight import agreement_statistics
from .config import PeerItem
from .models import PeerSubmission, Review, ReviewerAgreement, ReviewPart


def _given(item: PeerItem, anon_id: str) -> list[Review]:
    """The learner's reviews of responses that are graded now (two queries; one when there is none)."""
    return list(
        Review.objects.filter(usage_id=item.usage_id, reviewer_id=anon_id, submission__graded_at__isnull=False,
                              submission__final_points__isnull=False)
        .exclude(submission__pool=PeerSubmission.CANCELLED)
        .select_related("submission__rubric")
        .prefetch_related(Prefetch("parts", queryset=ReviewPart.objects.order_by("pk")))
        .order_by("created", "pk")
    )


def compare(review: Review) -> dict:
    """One review beside the grade of its response, per criterion (no query beyond the prefetched parts)."""
    sub = review.submission
    per_criterion = sub.grade_source == "peer" and bool(sub.medians)
    parts = {part.criterion_name: part for part in review.parts.all()}
    criteria = []
    for crit in sub.rubric.criteria:
        part = parts.get(crit["name"])
        if part is None:
            continue
        final = sub.medians.get(crit["name"]) if per_criterion else None
        criteria.append({
            "label": crit["label"], "yours": part.option_label, "your_points": part.points,
            "final_points": final, "difference": None if final is None else part.points - final,
        })
    return {"criteria": criteria, "per_criterion": per_criterion, "your_total": review.total_points,
            "final_total": sub.final_points, "possible": sub.points_possible, "counted": review.counted}


def learner_view(item: PeerItem, anon_id: str | None, t) -> dict | None:
    """The reviewer's feedback on their page, or None before any response they reviewed is graded."""
    if not anon_id:
        return None
    reviews = _given(item, anon_id)
    if not reviews:
        return None
    shown = []
    for number, review in enumerate(reviews, start=1):
        found = compare(review)
        for crit in found["criteria"]:
            crit["your_points_text"] = l10n.point_count(t, crit["your_points"])
            if crit["final_points"] is None:
                crit["final_text"] = ""
                crit["verdict"] = ""
            else:
                crit["final_text"] = l10n.point_count(t, crit["final_points"])
                diff = crit["difference"]
                if diff == 0:
                    crit["verdict"] = t.gettext("the same as the grade")
                elif diff > 0:
                    crit["verdict"] = t.gettext("%(points)s above the grade") % {"points": l10n.point_count(t, diff)}
                else:
                    crit["verdict"] = t.gettext("%(points)s below the grade") % {"points": l10n.point_count(t, -diff)}
        found["heading"] = t.gettext("Response you reviewed, number %(number)s") % {"number": number}
        found["totals"] = t.gettext("You gave %(yours)s; the response's grade is %(grade)s.") % {
            "yours": l10n.score(t, found["your_total"], found["possible"]),
            "grade": l10n.score(t, found["final_total"], found["possible"])}
        if not found["per_criterion"]:
            found["note"] = t.gettext("The course team graded this response, so only the totals are compared.")
        shown.append(found)
    view = {"reviews": shown, "intro": t.gettext(
        "How your reviews compare with the grades the responses received, once they are graded. The authors and "
        "the other reviewers are not named.")}
    row = ReviewerAgreement.objects.filter(usage_id=item.usage_id, reviewer_id=anon_id).first()
    if row is not None and row.reviews:
        view["distance"] = t.ngettext(
            "In %(count)s review of yours that could be compared, your total was %(share)s of the best total away "
            "from the median of the other reviewers of the same response (0%% is full agreement).",
            "In %(count)s reviews of yours that could be compared, your total was on average %(share)s of the best "
            "total away from the median of the other reviewers of the same response (0%% is full agreement).",
            row.reviews) % {
                "count": row.reviews, "share": l10n.percent(t, round(100 * row.mean_distance))}
        if row.reviews >= agreement_statistics.MIN_REVIEWS_FOR_WEIGHT and item.weight_by_agreement:
            view["weight"] = t.gettext("Your reviews count with the weight %(weight)s in the grades of the "
                                       "responses you review (1 minus that distance, at least 0.1).") % {
                "weight": l10n.fixed(round(agreement_statistics.agreement_weight(
                    agreement_statistics.ReviewerStanding(anon_id, row.reviews, row.mean_distance)), 2), 2)}
    return view
