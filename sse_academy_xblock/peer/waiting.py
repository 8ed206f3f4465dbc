"""The waiting rule: a response, or its author, still short of reviews after ``waiting_days``.

Waiting rule (``waiting_days``, ``waiting_rule``): a submission still ungraded ``waiting_days``
after it was submitted is handled by the rule. With ``lower`` (default), if it has at least one
completed review, its required reviews are lowered to the number it has (minimum 1) and it is
graded at once if its author has given their reviews; with none, or with the rule ``staff``, it
goes to the staff queue, where staff grade it (peers may still review it meanwhile). On the giving
side, a learner who submitted ``waiting_days`` ago and for whom no response is available to review
has their own requirement lowered to the reviews they have given.

When reviewing closes (the block's review window, :attr:`.config.PeerItem.reviews`), no review can be
given any more, so nobody may be left waiting for one: the rule then applies to every response still
waiting, however recent. Its author owes no more reviews than they gave, and the response is graded
with the reviews it has (rule ``lower``) or goes to the staff queue (none, or rule ``staff``).

Each change is audited (a ``StaffAction`` by ``system``) and the submission is graded in the same
transaction when its conditions now hold (:func:`.gradebook.grade_locked`). The allocator runs the
rule when its first read finds a response it applies to, through the callback
:func:`.workflow.next_review` hands it (:func:`apply_to_lacking`).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import gradebook
from .config import PeerItem
from .models import PeerSubmission, StaffAction
from .submissions import effective_required, effective_to_give, lock_submissions

SYSTEM = "system"
WAITING_BATCH = 50


def waiting_candidates(item: PeerItem, now):
    """The block's ungraded responses that waited ``waiting_days`` and still lack reviews.

    These are the ones the waiting rule changes (lowers their requirement or sends them to the
    staff queue); a response that has its reviews waits for its author's, and is graded when they
    give them. With the adaptive review count, "its reviews" are the ones it wants now (the extra
    reviews asked because the first ones disagreed included). Read through the index (usage_id, graded_at, submitted_at).
    """
    return PeerSubmission.objects.filter(
        usage_id=item.usage_id, graded_at__isnull=True, submitted_at__lt=now - item.waiting_time,
        pool=PeerSubmission.IN_POOL, staff_queue=False, required_lowered_to__isnull=True,
        received__lt=max(1, item.reviews_required) + F("extra_wanted"),
    )


def apply_waiting_rule(item: PeerItem, now=None, batch: int = WAITING_BATCH, lacking_only: bool = False) -> int:
    """Handle the block's ungraded submissions that waited longer than ``waiting_days``.

    With ``lacking_only``, only :func:`waiting_candidates` (what the allocator checks for).
    """
    now = now or timezone.now()
    closed = item.reviews.passed(now)  # reviewing is over: every waiting response, however recent
    cutoff = now if closed else now - item.waiting_time
    when = "when reviewing closed" if closed else "after waiting"
    if lacking_only:
        due_qs = waiting_candidates(item, now)
    else:
        due_qs = PeerSubmission.objects.filter(
            usage_id=item.usage_id, graded_at__isnull=True, submitted_at__lt=cutoff,
            pool=PeerSubmission.IN_POOL, staff_queue=False,
        )
    due = list(
        due_qs
        .order_by("submitted_at")
        .values_list("pk", flat=True)[:batch]
    )
    handled = 0
    for pk in due:
        with transaction.atomic():
            sub = lock_submissions(pk).get(pk)
            if sub is None or sub.graded_at is not None or sub.staff_queue or sub.pool != PeerSubmission.IN_POOL:
                continue
            if closed and sub.given < effective_to_give(sub, item):
                _lower_to_give(sub, now, "reviews to give lowered to %d: reviewing closed" % sub.given)
            if sub.received >= effective_required(sub, item):
                if gradebook.grade_locked(sub, item, now):
                    handled += 1
                continue
            if item.waiting_rule == "lower" and sub.received >= 1:
                sub.required_lowered_to = sub.received
                sub.save(update_fields=["required_lowered_to", "modified"])
                reason = "required reviews lowered to %d %s" % (sub.received, when)
                StaffAction.objects.create(submission=sub, staff_id=SYSTEM, action=StaffAction.WAITING_RULE,
                                           reason=reason, created=now)
                gradebook.grade_locked(sub, item, now)
            else:
                sub.staff_queue = True
                sub.save(update_fields=["staff_queue", "modified"])
                StaffAction.objects.create(submission=sub, staff_id=SYSTEM, action=StaffAction.WAITING_RULE,
                                           reason="sent to the staff queue " + when, created=now)
            handled += 1
    return handled


def apply_to_lacking(item: PeerItem, now=None) -> int:
    """The waiting rule for :func:`waiting_candidates` only: what the allocator runs when its first read
    finds one (handed to :func:`.allocation.allocate` by :func:`.workflow.next_review`)."""
    return apply_waiting_rule(item, now, lacking_only=True)


def lower_own_requirement(sub_id: int, item: PeerItem, now=None) -> bool:
    """Nothing to review and waited long enough: the author's requirement becomes what they gave."""
    now = now or timezone.now()
    with transaction.atomic():
        sub = lock_submissions(sub_id).get(sub_id)
        if sub is None or sub.given >= effective_to_give(sub, item):
            return False
        if sub.submitted_at > now - item.waiting_time:
            return False
        _lower_to_give(sub, now, "reviews to give lowered to %d: nothing was available to review" % sub.given)
        gradebook.grade_locked(sub, item, now)
        return True


def _lower_to_give(sub: PeerSubmission, now, reason: str) -> None:
    """The author's requirement becomes the reviews they gave (the row is locked by the caller), audited."""
    sub.to_give_lowered_to = sub.given
    sub.save(update_fields=["to_give_lowered_to", "modified"])
    StaffAction.objects.create(submission=sub, staff_id=SYSTEM, action=StaffAction.WAITING_RULE, created=now,
                               reason=reason)
