"""A learner's submission in a block: the current one, locking rows, what its author owes and is owed.

"How many reviews must this learner still give, how many must their response still receive" is
answered here alone: :func:`effective_to_give` and :func:`effective_required` apply the block's
numbers and what the waiting rule lowered on the row (``to_give_lowered_to``, ``required_lowered_to``).

Submission rows are locked in primary-key order (:func:`lock_submissions`), the order every path
takes so that transactions cannot deadlock (see :mod:`.allocation`).
"""

from __future__ import annotations

from .config import PeerItem
from .models import PeerSubmission
from .review_count import wanted


def current_submission(usage_id: str, anonymous_id: str, lock: bool = False) -> PeerSubmission | None:
    """The learner's latest submission in the block (cancelled ones included), or None."""
    qs = PeerSubmission.objects.filter(usage_id=usage_id, anonymous_user_id=anonymous_id)
    if lock:
        qs = qs.select_for_update()
    return qs.order_by("-attempt").first()


def lock_submissions(*ids) -> dict[int, PeerSubmission]:
    """Lock up to a few submission rows in primary-key order (the deadlock-free order)."""
    wanted = sorted({i for i in ids if i is not None})
    rows = PeerSubmission.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
    return {row.pk: row for row in rows}


def effective_to_give(own: PeerSubmission, item: PeerItem) -> int:
    """The reviews the author of ``own`` must give: the block's number, or less once the waiting rule lowered it."""
    if own.to_give_lowered_to is not None:
        return min(item.reviews_to_give, own.to_give_lowered_to)
    return item.reviews_to_give


def effective_required(sub: PeerSubmission, item: PeerItem) -> int:
    """The reviews ``sub`` must receive (at least 1): the block's number (with the adaptive count, the reviews it
    wants now, :func:`.review_count.wanted`), or less once the waiting rule lowered it."""
    required = wanted(sub, item)
    if sub.required_lowered_to is not None:
        required = min(required, sub.required_lowered_to)
    return max(1, required)
