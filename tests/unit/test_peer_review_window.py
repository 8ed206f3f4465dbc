"""When reviewing closes (the case study's ``review_due``, or its due date), nobody is left waiting.

After the review window no review can be asked for or given, so a response short of reviews, or an
author short of the reviews they owe, would wait forever. The waiting rule then applies to every
response still waiting, whatever ``waiting_days`` says: the author owes no more reviews than they gave;
a response with reviews is graded with them (rule ``lower``), one without (or with rule ``staff``) goes
to the staff queue.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from factories import peer_item, review, submit
from sse_academy_xblock.deadlines import Deadline
from sse_academy_xblock.peer import waiting
from sse_academy_xblock.peer.models import PeerSubmission, StaffAction


def stored(user):
    return PeerSubmission.objects.get(anonymous_user_id=user)


@pytest.fixture
def closing(db):
    """Three learners submit an hour ago; two reviews needed and given each. ``a`` reviews once (b's
    response); then reviewing closes."""
    now = timezone.now()
    item = peer_item(reviews_required=2, reviews_to_give=2, waiting_days=7)
    submit(item, "a", "b", "c", start=now - timedelta(hours=1))
    review(item, "a", 2)
    closed = peer_item(reviews_required=2, reviews_to_give=2, waiting_days=7, reviews=Deadline(now - timedelta(minutes=1)))
    return item, closed, now


def test_while_reviewing_is_open_nothing_happens_before_the_waiting_time(closing):
    item, _closed, now = closing
    assert waiting.apply_waiting_rule(item, now) == 0
    assert stored("a").graded_at is None and not stored("c").staff_queue


def test_once_reviewing_has_closed_every_waiting_response_is_graded_or_sent_to_staff(closing, transactional_db):
    _item, closed, now = closing
    assert waiting.apply_waiting_rule(closed, now) == 3
    a, b, c = stored("a"), stored("b"), stored("c")
    # b's response had one review: graded with it; its author owes nothing more (they gave none and cannot now).
    assert b.graded_at is not None and b.final_points == 4 and b.to_give_lowered_to == 0
    # a gave one review and received none, as did c (who gave none): both go to the staff queue.
    assert a.staff_queue and a.to_give_lowered_to == 1 and a.graded_at is None
    assert c.staff_queue and c.to_give_lowered_to == 0
    reasons = set(StaffAction.objects.filter(staff_id=waiting.SYSTEM).values_list("reason", flat=True))
    assert "sent to the staff queue when reviewing closed" in reasons
    assert "required reviews lowered to 1 when reviewing closed" in reasons
    assert "reviews to give lowered to 1: reviewing closed" in reasons
    # Applied again, nothing changes.
    assert waiting.apply_waiting_rule(closed, now) == 0


def test_with_the_staff_rule_every_waiting_response_goes_to_staff(closing):
    _item, closed, now = closing
    strict = peer_item(reviews_required=2, reviews_to_give=2, waiting_rule="staff", reviews=closed.reviews)
    waiting.apply_waiting_rule(strict, now)
    assert all(stored(user).staff_queue for user in "abc")
