"""The adaptive review count: fewer reviews when the first ones settle the grade, more (up to a maximum) when not.

Rule (documented in the README and in docs/insight.md, with the simulation that measures it): the author
sets a minimum (``reviews_required``) and a maximum (``reviews_max``) number of reviews per response, and
a threshold in points (``agreement_points``, default 0). From the minimum on, after each review, the
reviews *agree* when, on every criterion, no set of further reviews up to the maximum could move the
criterion's grade (the median, a half rounded up) more than the threshold away from the grade the
reviews give now (:func:`agree`). With the threshold 0 a response graded early gets exactly the grade
the maximum would have given it, whatever the missing reviews would have said: the reviews not asked
for could not have changed it. So when a response has received the reviews it currently wants (the
minimum at first):

* if they agree, the count closes (``AGREED``) and the response is graded as any other (once its
  author has given their reviews);
* otherwise, below the maximum, the response wants one more review (``extra_wanted`` + 1) and goes
  back to the reviewers, least-reviewed first like every response;
* at the maximum, the reviews always agree in that sense; if they still diverge (the block's divergence
  threshold, :func:`.grading.is_divergent`) the count closes as ``DISAGREED`` and the response goes to
  the staff queue, where staff grade it (as the waiting rule's ``staff`` does): peers do not grade it.
  Otherwise it is graded (``AGREED``).

Without a maximum above the minimum (the default) the count is fixed and nothing here applies: a
divergent response is graded and flagged to staff, as before. The waiting rule still applies to a
response waiting for an extra review: it is graded with the reviews it has (rule ``lower``; the
divergence alert tells staff when they disagree) or goes to the staff queue (rule ``staff``).
Learners owe ``reviews_to_give`` reviews whatever the count.

The decision is taken inside the transaction of the review that completes the count, the response's
row locked (:func:`decide_locked`, called by :func:`.gradebook.grade_locked`).
"""

from __future__ import annotations

from .config import PeerItem
from .grading import is_divergent, median_half_up, spread
from .models import PeerSubmission, StaffAction

SYSTEM = "system"


def agree(reviews: list[dict[str, int]], bounds: dict[str, tuple[int, int]], threshold: int, missing: int) -> bool:
    """Whether ``missing`` further reviews could not move any criterion's grade more than ``threshold`` points.

    ``reviews``: each ``{criterion: points}``; ``bounds``: each criterion's lowest and highest points. The
    median with a half rounded up only grows with the values added, so the extremes are the missing
    reviews all at the lowest, or all at the highest, points.
    """
    for name, (lowest, highest) in bounds.items():
        values = [r[name] for r in reviews if name in r]
        if not values:
            continue
        now = median_half_up(values)
        if (now - median_half_up(values + [lowest] * missing) > threshold
                or median_half_up(values + [highest] * missing) - now > threshold):
            return False
    return True


def bounds_of(criteria: list[dict]) -> dict[str, tuple[int, int]]:
    """``{criterion: (lowest, highest points)}`` of a stored rubric (``RubricVersion.criteria``)."""
    result = {}
    for crit in criteria:
        points = [int(o["points"]) for o in crit.get("options", [])]
        if points:
            result[crit["name"]] = (min(points), max(points))
    return result


def wanted(sub: PeerSubmission, item: PeerItem) -> int:
    """The completed reviews ``sub`` asks for now: the block's number, plus the extra ones the adaptive count asked."""
    if not item.adaptive:
        return item.reviews_required
    return min(item.most_reviews, item.reviews_required + max(0, sub.extra_wanted))


def slot_limit(sub: PeerSubmission, item: PeerItem) -> int:
    """How many reviews (completed or in progress) ``sub`` may carry: the allocation's bound for this row."""
    if not item.adaptive:
        return item.reviews_required
    if sub.count_state != PeerSubmission.COLLECTING:
        return 0
    return wanted(sub, item)


def settled(sub: PeerSubmission, item: PeerItem) -> bool:
    """Whether peers' reviews may grade ``sub``: always with a fixed count; with the adaptive count, once the
    reviews agreed, or once the waiting rule lowered its requirement; never when they disagreed at the maximum."""
    if sub.count_state == PeerSubmission.DISAGREED:
        return False
    if not item.adaptive:
        return True
    return sub.count_state == PeerSubmission.AGREED or sub.required_lowered_to is not None


def decision_due(sub: PeerSubmission, item: PeerItem) -> bool:
    """Whether ``sub`` has the reviews its adaptive count wants and no decision yet (then :func:`decide_locked`)."""
    return (item.adaptive and sub.count_state == PeerSubmission.COLLECTING and sub.required_lowered_to is None
            and sub.pool == PeerSubmission.IN_POOL and sub.graded_at is None and sub.received >= wanted(sub, item))


def decide_locked(sub: PeerSubmission, item: PeerItem, reviews: list[dict[str, int]], now) -> list[str]:
    """Take the adaptive decision for ``sub`` (its row locked by the caller), when :func:`decision_due`.

    ``reviews``: its completed reviews' points. Returns the fields changed on ``sub`` (the caller saves them);
    a response sent to the staff queue gets an audit row.
    """
    if not decision_due(sub, item):
        return []
    missing = max(0, item.most_reviews - len(reviews))
    if missing and agree(reviews, bounds_of(sub.rubric.criteria), item.agreement_points, missing):
        sub.count_state = PeerSubmission.AGREED
        return ["count_state"]
    if missing:
        sub.extra_wanted = wanted(sub, item) - item.reviews_required + 1
        return ["extra_wanted"]
    totals = [sum(parts.values()) for parts in reviews]
    if not is_divergent(spread(totals, sub.rubric.max_points), item.divergence_threshold):
        sub.count_state = PeerSubmission.AGREED
        return ["count_state"]
    sub.count_state = PeerSubmission.DISAGREED
    sub.staff_queue = True
    StaffAction.objects.create(
        submission=sub, staff_id=SYSTEM, action=StaffAction.WAITING_RULE, created=now,
        reason="sent to the staff queue: the %d reviews, the most asked for, still diverge" % len(reviews),
    )
    return ["count_state", "staff_queue"]
