"""The adaptive review count: fewer reviews when the first ones agree, more (up to a maximum) when they do not.

Rule (documented in the README): the author sets a minimum (``reviews_required``) and a maximum
(``reviews_max``) number of reviews per response, and a threshold in points (``agreement_points``).
Reviews *agree* when, on every criterion, the highest and the lowest points given differ by at most
the threshold (:func:`agree`). When a response has received the reviews it currently wants (the
minimum at first):

* if they agree, the count closes (``AGREED``) and the response is graded as any other (once its
  author has given their reviews);
* otherwise, below the maximum, the response wants one more review (``extra_wanted`` + 1) and goes
  back to the reviewers, least-reviewed first like every response;
* at the maximum without agreement the count closes (``DISAGREED``) and the response goes to the
  staff queue, where staff grade it (as the waiting rule's ``staff`` does); peers do not grade it.

Without a maximum above the minimum (the default) the count is fixed and nothing here applies.
The waiting rule still applies to a response waiting for an extra review: it is graded with the
reviews it has (rule ``lower``, the divergence alert showing staff that they disagreed) or goes to
the staff queue (rule ``staff``). Learners owe ``reviews_to_give`` reviews whatever the count.

The decision is taken inside the transaction of the review that completes the count, the response's
row locked (:func:`decide_locked`, called by :func:`.gradebook.grade_locked`).
"""

from __future__ import annotations

from .config import PeerItem
from .models import PeerSubmission, StaffAction

SYSTEM = "system"


def agree(reviews: list[dict[str, int]], criteria: list[str], threshold: int) -> bool:
    """Whether ``reviews`` (each ``{criterion: points}``) are within ``threshold`` points on every criterion."""
    for name in criteria:
        values = [r[name] for r in reviews if name in r]
        if values and max(values) - min(values) > threshold:
            return False
    return True


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
    criteria = [c["name"] for c in sub.rubric.criteria]
    if agree(reviews, criteria, item.agreement_points):
        sub.count_state = PeerSubmission.AGREED
        return ["count_state"]
    if wanted(sub, item) < item.most_reviews:
        sub.extra_wanted = wanted(sub, item) - item.reviews_required + 1
        return ["extra_wanted"]
    sub.count_state = PeerSubmission.DISAGREED
    sub.staff_queue = True
    StaffAction.objects.create(
        submission=sub, staff_id=SYSTEM, action=StaffAction.WAITING_RULE, created=now,
        reason="sent to the staff queue: %d reviews still disagreed by more than %d points" % (
            sub.received, item.agreement_points),
    )
    return ["count_state", "staff_queue"]
