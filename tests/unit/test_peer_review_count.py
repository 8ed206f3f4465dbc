"""The adaptive review count: graded at the minimum when reviews agree, one more review at a time when they do
not, the staff queue at the maximum; allocation least-reviewed first and bounded per response."""

from datetime import timedelta
from functools import partial

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from factories import RUBRIC_A, peer_item, review, submit
from sse_academy_xblock.peer import review_count, waiting, workflow
from sse_academy_xblock.peer.models import GradeDelivery, PeerSubmission, ReviewLease, StaffAction

make_item = partial(peer_item, usage_id="block-ad", rubric=RUBRIC_A, reviews_required=2, reviews_to_give=2,
                    reviews_max=4, agreement_points=0)


def sub_of(user, item):
    return PeerSubmission.objects.get(usage_id=item.usage_id, anonymous_user_id=user)


def review_of(item, reviewer, author, choice, now=None):
    """``reviewer`` (who submitted) reviews ``author``'s response: a lease taken as the allocator takes one, then
    the review through the workflow."""
    now = now or timezone.now()
    target = sub_of(author, item)
    lease = ReviewLease.objects.create(submission=target, usage_id=item.usage_id, reviewer_id=reviewer,
                                       created=now, expires_at=now + timedelta(hours=1))
    PeerSubmission.objects.filter(pk=target.pk).update(load=F("load") + 1)
    return workflow.complete_review(item, reviewer, lease.pk, {"options": {"a": choice}}, now=now)


def test_reviews_agree_when_the_missing_reviews_could_not_move_a_grade_beyond_the_threshold():
    bounds = {"a": (0, 4), "b": (0, 3)}
    # Three equal scores of five: whatever the last two say, the median stays.
    assert review_count.agree([{"a": 2, "b": 0}] * 3, bounds, 0, 2)
    # Two of four: two more reviews at 0 would bring the median down to 1 (a half rounded up).
    assert not review_count.agree([{"a": 2, "b": 0}] * 2, bounds, 0, 2)
    # With a threshold of 2 points it is settled enough (on b, two 3s would give 2: a half rounded up).
    assert not review_count.agree([{"a": 2, "b": 0}] * 2, bounds, 1, 2)
    assert review_count.agree([{"a": 2, "b": 0}] * 2, bounds, 2, 2)
    # One criterion unsettled is enough to ask for more.
    assert not review_count.agree([{"a": 2, "b": 0}, {"a": 2, "b": 0}, {"a": 2, "b": 3}], bounds, 0, 2)
    # Three of four equal, one more review to come: settled.
    assert review_count.agree([{"a": 2}, {"a": 2}, {"a": 4}, {"a": 2}], {"a": (0, 4)}, 0, 1)
    # Nothing missing: always settled (divergence decides at the maximum).
    assert review_count.agree([{"a": 0}, {"a": 4}], {"a": (0, 4)}, 0, 0)


def test_the_default_count_is_fixed(db):
    item = peer_item(reviews_required=2)
    assert not item.adaptive and item.most_reviews == 2
    assert not peer_item(reviews_required=2, reviews_max=2).adaptive
    assert peer_item(reviews_required=2, reviews_max=3).adaptive


def test_agreeing_reviews_grade_a_response_at_the_minimum(db):
    item = make_item(reviews_max=3)
    submit(item, "t", "r1", "r2")
    for reviewer in ("r1", "r2"):
        review_of(item, reviewer, "t", 1)  # both give t "half": they agree
    review_of(item, "t", "r1", 1)  # t gives the two reviews it owes
    review_of(item, "t", "r2", 1)
    target = sub_of("t", item)
    # 2 and 2: a third review (the most) at 0 or 4 would leave the median at 2.
    assert target.received == 2 and target.count_state == PeerSubmission.AGREED
    assert target.graded_at is not None and target.final_points == 2
    assert GradeDelivery.objects.filter(submission=target, kind=GradeDelivery.SET).exists()
    # A third reviewer is not given t's response: its count closed.
    submit(item, "r3")
    task = workflow.next_review(item, "r3")
    assert task.lease is None or task.lease.submission.anonymous_user_id != "t"


def test_disagreeing_reviews_ask_one_more_review_at_a_time_then_the_staff_queue(db):
    item = make_item()
    submit(item, "t", "r1", "r2", "r3", "r4")
    for reviewer, choice in (("r1", 0), ("r2", 2)):
        review_of(item, reviewer, "t", choice)
    target = sub_of("t", item)
    assert target.count_state == PeerSubmission.COLLECTING and target.extra_wanted == 1
    assert review_count.wanted(target, item) == 3
    # The extra review is allocated like any other: r3, whose every other response is as reviewed, gets t's.
    for author in ("r1", "r2", "r4"):
        PeerSubmission.objects.filter(pk=sub_of(author, item).pk).update(load=3)
    assert workflow.next_review(item, "r3").lease.submission.anonymous_user_id == "t"
    workflow.complete_review(item, "r3", workflow.next_review(item, "r3").lease.pk, {"options": {"a": 1}})
    target = sub_of("t", item)
    assert target.extra_wanted == 2 and target.graded_at is None
    review_of(item, "r4", "t", 1)
    target = sub_of("t", item)
    # 0, 4, 2, 2: the most reviews, a spread of the whole scale (divergent): staff grade it.
    assert target.received == 4 and target.count_state == PeerSubmission.DISAGREED
    assert target.staff_queue and target.graded_at is None
    assert StaffAction.objects.filter(submission=target, action=StaffAction.WAITING_RULE,
                                      reason__contains="still diverge").exists()
    # Never more than the maximum, even for a reviewer who asks for extra work.
    submit(item, "r5")
    for _ in range(2):
        task = workflow.next_review(item, "r5", want_extra=True)
        if task.lease is None:
            break
        assert task.lease.submission.anonymous_user_id != "t"
        workflow.complete_review(item, "r5", task.lease.pk, {"options": {"a": 1}})


def test_the_extra_review_goes_to_the_least_reviewed_first(db):
    item = make_item()
    start = timezone.now() - timedelta(hours=3)
    submit(item, "t", "r1", "r2", start=start)
    for reviewer, choice in (("r1", 0), ("r2", 2)):
        review_of(item, reviewer, "t", choice)
    # t now wants a third review, but responses with fewer reviews come first.
    submit(item, "r3")
    assert workflow.next_review(item, "r3").lease.submission.anonymous_user_id == "r1"
    assert sub_of("t", item).load == 2


def test_learners_owe_the_same_number_of_reviews(db):
    item = make_item()
    submit(item, "a")
    assert workflow.next_review(item, "a").outcome == "none_available"
    own = sub_of("a", item)
    from sse_academy_xblock.peer.submissions import effective_to_give
    assert effective_to_give(own, item) == 2


def test_the_waiting_rule_grades_a_response_waiting_for_an_extra_review(db):
    item = make_item(reviews_to_give=0, waiting_days=1)
    now = timezone.now()
    submit(item, "t", "r1", "r2", start=now - timedelta(days=3))
    review_of(item, "r1", "t", 0, now=now - timedelta(days=2))
    review_of(item, "r2", "t", 2, now=now - timedelta(days=2))
    target = sub_of("t", item)
    assert target.extra_wanted == 1 and target.graded_at is None
    assert waiting.waiting_candidates(item, now).filter(pk=target.pk).exists()
    waiting.apply_waiting_rule(item, now)
    target = sub_of("t", item)
    assert target.required_lowered_to == 2 and target.graded_at is not None and target.final_points == 2
    assert target.divergent  # 0 and 4 of 4: the divergence alert tells staff


def test_allocation_statements_do_not_grow_with_the_adaptive_count(db):
    item = make_item()
    submit(item, *[f"s{i}" for i in range(30)])
    with CaptureQueriesContext(connection) as queries:
        result = workflow.next_review(item, "s29")
    assert result.outcome == "new"
    data = [q for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT"))]
    assert len(data) <= 4, [q["sql"] for q in data]


def test_at_the_maximum_reviews_that_do_not_diverge_grade_the_response(db):
    item = make_item(reviews_max=3, reviews_to_give=0)
    submit(item, "t", "r1", "r2", "r3")
    review_of(item, "r1", "t", 0)
    review_of(item, "r2", "t", 1)
    assert sub_of("t", item).extra_wanted == 1  # 0 and 2 (median 1): a third review at 0 or 4 would move it
    review_of(item, "r3", "t", 1)
    target = sub_of("t", item)
    # 0, 2, 2: a spread of half the scale, not above the divergence threshold (0.5): graded by peers.
    assert target.count_state == PeerSubmission.AGREED and target.final_points == 2 and not target.staff_queue


class Words:
    def gettext(self, text):
        return text

    def ngettext(self, one, many, n):
        return one if n == 1 else many


def test_the_learner_is_told_why_their_response_waits_for_more_reviews(db):
    from sse_academy_xblock.peer import presentation

    item = make_item(reviews_to_give=0)
    submit(item, "t", "r1", "r2", "r3", "r4")
    review_of(item, "r1", "t", 0)
    review_of(item, "r2", "t", 2)
    text = presentation.waiting_text(sub_of("t", item), item, Words())
    assert "did not agree closely enough" in text and "up to 4" in text and "received 2 of the 3 reviews" in text
    review_of(item, "r3", "t", 1)
    review_of(item, "r4", "t", 1)
    text = presentation.waiting_text(sub_of("t", item), item, Words())
    assert text.startswith("Your reviewers still disagreed after 4 reviews")
