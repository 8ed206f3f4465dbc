"""Allocation rules: never own, never twice, fewest first, leases expire, drafts survive, flags exclude."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test.utils import CaptureQueriesContext
from django.db import connection
from django.utils import timezone

from factories import peer_item, submit
from sse_academy_xblock.peer import allocation, workflow
from sse_academy_xblock.peer.models import PeerSubmission, ReviewLease

GOOD = {"options": {"a": 1}}


@pytest.fixture
def item(db):
    return peer_item()


def test_reviewer_must_have_submitted(item):
    submit(item, "a")
    with pytest.raises(allocation.AllocationError):
        allocation.allocate(item, "nobody")


def test_never_own_submission(item):
    submit(item, "a")
    assert allocation.allocate(item, "a").outcome == "none_available"
    assert ReviewLease.objects.count() == 0


def test_fewest_reviews_first_then_oldest(item):
    submit(item, "a", "b", "c", "d")
    first = allocation.allocate(item, "d")
    assert first.outcome == "new" and first.lease.submission.anonymous_user_id == "a"  # oldest of equals
    second = allocation.allocate(item, "c")
    assert second.lease.submission.anonymous_user_id == "b"  # a now has a live lease, b has none
    third = allocation.allocate(item, "a")
    assert third.lease.submission.anonymous_user_id == "c"


def test_live_lease_is_held_not_duplicated(item):
    submit(item, "a", "b", "c")
    first = allocation.allocate(item, "c")
    again = allocation.allocate(item, "c")
    assert again.outcome == "held" and again.lease.pk == first.lease.pk
    assert ReviewLease.objects.filter(reviewer_id="c").count() == 1
    assert PeerSubmission.objects.get(anonymous_user_id="a").load == 1


def test_never_the_same_submission_twice(item):
    submit(item, "a", "b", "c")
    lease = allocation.allocate(item, "c").lease
    workflow.complete_review(item, "c", lease.pk, GOOD)
    got = {lease.submission.anonymous_user_id}
    for _ in range(3):
        result = allocation.allocate(item, "c", want_extra=True)
        if result.lease is None:
            break
        assert result.lease.submission.anonymous_user_id not in got
        got.add(result.lease.submission.anonymous_user_id)
        workflow.complete_review(item, "c", result.lease.pk, GOOD)
    assert got == {"a", "b"}
    assert allocation.allocate(item, "c", want_extra=True).outcome == "none_available"


def test_database_refuses_a_duplicate_lease(item):
    submit(item, "a", "b")
    lease = allocation.allocate(item, "b").lease
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewLease.objects.create(submission=lease.submission, usage_id=item.usage_id, reviewer_id="b",
                                   expires_at=timezone.now())


def test_expired_lease_returns_the_slot_exactly_once(db):
    item = peer_item(reviews_required=1, lease_hours=1)
    submit(item, "a", "b", "c")
    now = timezone.now()
    lease = allocation.allocate(item, "b", now=now).lease
    assert lease.submission.anonymous_user_id == "a"
    later = now + timedelta(hours=2)
    assert allocation.sweep_expired(item.usage_id, later) == 1
    assert allocation.sweep_expired(item.usage_id, later) == 0
    a = PeerSubmission.objects.get(anonymous_user_id="a")
    assert a.load == 0
    assert ReviewLease.objects.get(pk=lease.pk).status == ReviewLease.EXPIRED
    # the slot is free again: the next reviewer is given "a" (fewest load, oldest)
    assert allocation.allocate(item, "c", now=later).lease.submission.anonymous_user_id == "a"


def test_expired_lease_is_kept_when_nobody_took_the_slot(db):
    item = peer_item(lease_hours=1)
    submit(item, "a", "b")
    now = timezone.now()
    lease = allocation.allocate(item, "b", now=now).lease
    back = allocation.allocate(item, "b", now=now + timedelta(hours=5))
    assert back.outcome == "resumed" and back.lease.pk == lease.pk
    assert back.lease.expires_at > now + timedelta(hours=5)
    assert PeerSubmission.objects.get(anonymous_user_id="a").load == 1


def test_expired_lease_with_a_draft_survives_even_when_the_slot_was_taken(db):
    item = peer_item(reviews_required=1, lease_hours=1)
    submit(item, "a", "b", "c")
    now = timezone.now()
    lease = allocation.allocate(item, "b", now=now).lease
    workflow.save_review_draft(item, "b", lease.pk, {"options": {"a": 1}, "comments": {"a": "half written"}})
    later = now + timedelta(hours=3)
    taken = allocation.allocate(item, "c", now=later).lease  # c takes a's free slot
    assert taken.submission.anonymous_user_id == "a"
    back = allocation.allocate(item, "b", now=later)
    assert back.outcome == "resumed" and back.lease.pk == lease.pk
    assert back.lease.draft["comments"] == {"a": "half written"}
    review = workflow.complete_review(item, "b", lease.pk, back.lease.draft)
    assert review.parts.get().comment == "half written"


def test_expired_lease_without_draft_is_dropped_when_the_slot_was_taken(db):
    item = peer_item(reviews_required=1, lease_hours=1)
    submit(item, "a", "b", "c", "d")
    now = timezone.now()
    first = allocation.allocate(item, "d", now=now).lease
    assert first.submission.anonymous_user_id == "a"
    later = now + timedelta(hours=2)
    allocation.allocate(item, "c", now=later)  # takes a's slot
    again = allocation.allocate(item, "d", now=later)
    assert again.outcome == "new" and again.lease.submission.anonymous_user_id == "b"


def test_flagged_submissions_are_not_allocated(item):
    submit(item, "a", "b", "c")
    lease = allocation.allocate(item, "c").lease
    assert lease.submission.anonymous_user_id == "a"
    workflow.flag_response(item, "c", lease.pk, "insults")
    a = PeerSubmission.objects.get(anonymous_user_id="a")
    assert a.pool == PeerSubmission.FLAGGED and a.load == 0
    got = allocation.allocate(item, "c")
    assert got.lease.submission.anonymous_user_id == "b"
    assert allocation.allocate(item, "b").lease.submission.anonymous_user_id == "c"  # never the flagged "a"


def test_responses_with_all_their_reviews_are_not_leased_again(db):
    item = peer_item(reviews_required=1, reviews_to_give=1)
    submit(item, "a", "b", "c")
    for reviewer in ("b", "c", "a"):  # b reviews a, c reviews b, a reviews c
        lease = allocation.allocate(item, reviewer).lease
        workflow.complete_review(item, reviewer, lease.pk, GOOD)
    assert set(PeerSubmission.objects.values_list("load", flat=True)) == {1}
    assert allocation.allocate(item, "a").outcome == "not_needed"
    assert allocation.allocate(item, "a", want_extra=True).outcome == "none_available"
    # a late learner owes a review but every response has what it needs: they wait
    submit(item, "d", start=timezone.now())
    assert allocation.allocate(item, "d").outcome == "none_available"


def test_extra_reviews_go_to_responses_still_waiting(db):
    item = peer_item(reviews_required=2, reviews_to_give=1)
    submit(item, "a", "b", "c")
    lease = allocation.allocate(item, "a").lease  # a reviews b (oldest other)
    workflow.complete_review(item, "a", lease.pk, GOOD)
    assert allocation.allocate(item, "a").outcome == "not_needed"
    extra = allocation.allocate(item, "a", want_extra=True)
    assert extra.outcome == "new" and extra.lease.extra is True
    assert extra.lease.submission.anonymous_user_id == "c"  # fewer reviews than b


def test_pick_cost_does_not_grow_with_the_pool(db):
    def count_for(n, usage_id):
        item = peer_item(usage_id=usage_id)
        start = timezone.now() - timedelta(days=1)
        submit(item, *[f"u{i}" for i in range(n)], start=start)
        with CaptureQueriesContext(connection) as ctx:
            result = allocation.allocate(item, "u0")
        assert result.outcome == "new"
        return len(ctx.captured_queries)

    assert count_for(5, "small") == count_for(60, "large")


def test_pick_uses_a_boolean_free_index_condition(item):
    submit(item, "a", "b")
    with CaptureQueriesContext(connection) as ctx:
        allocation.allocate(item, "b")
    pick = [
        q["sql"] for q in ctx.captured_queries
        if q["sql"].startswith("SELECT") and "ORDER BY" in q["sql"] and "load" in q["sql"].split("ORDER BY")[-1]
    ]
    assert pick and all("LIMIT 1" in sql for sql in pick)
    assert all('"pool" = 0' in sql.replace("`", '"') or "pool` = 0" in sql for sql in pick)


CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def data_statements(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].lstrip().upper().startswith(CONTROL)]


@pytest.mark.parametrize("size", [3, 40])
def test_a_new_review_costs_four_statements_whatever_the_pool(db, size):
    """Issue 12: the read of the reviewer's own row, then the pick, the lease and the counter."""
    item = peer_item(usage_id=f"count-{size}", reviews_required=2)
    submit(item, *[f"u{i}" for i in range(size)], start=timezone.now() - timedelta(hours=2))
    with CaptureQueriesContext(connection) as ctx:
        result = workflow.next_review(item, f"u{size - 1}")
    assert result.outcome == "new"
    sql = data_statements(ctx)
    assert len(sql) == 4, sql
    assert sql[1].startswith("SELECT") and "LIMIT 1" in sql[1]
    assert sql[2].startswith("INSERT") and sql[3].startswith("UPDATE")


def test_an_extra_review_with_none_available_reads_the_reviewers_row_once(item):
    """"None available": the first read's own row decides the waiting rule, no second read of it."""
    submit(item, "a", "b")
    lease = workflow.next_review(item, "b").lease
    workflow.complete_review(item, "b", lease.pk, GOOD)
    with CaptureQueriesContext(connection) as ctx:
        result = workflow.next_review(item, "b", want_extra=True)
    assert result.outcome == "none_available"
    sql = data_statements(ctx)
    locking = connection.features.has_select_for_update_skip_locked
    # the first read, the pick and (where the pick skips locked rows) the same read without a lock
    assert len(sql) == (3 if locking else 2), sql
    assert sum("anonymous_user_id" in s and "ORDER BY" in s and "attempt" in s for s in sql) == 1, sql


def test_a_second_request_of_a_reviewer_with_a_lease_gets_it_back(item):
    submit(item, "a", "b", "c")
    first = workflow.next_review(item, "c")
    with CaptureQueriesContext(connection) as ctx:
        again = workflow.next_review(item, "c")
    assert again.outcome == "held" and again.lease.pk == first.lease.pk
    assert not any(s.startswith("INSERT") for s in data_statements(ctx))


def test_the_database_refuses_a_second_open_lease_of_one_reviewer(item):
    """What serialises two tabs of one reviewer: a unique key, not a lock."""
    submit(item, "a", "b", "c")
    lease = allocation.allocate(item, "c").lease
    other = PeerSubmission.objects.get(anonymous_user_id="b")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewLease.objects.create(submission=other, usage_id=item.usage_id, reviewer_id="c",
                                   expires_at=timezone.now())
    workflow.complete_review(item, "c", lease.pk, GOOD)  # a done lease frees the reviewer's slot
    assert ReviewLease.objects.get(pk=lease.pk).open_slot is None
    assert allocation.allocate(item, "c", want_extra=True).outcome == "new"


def test_a_due_lease_is_swept_by_the_next_request_of_anyone(db):
    item = peer_item(reviews_required=1, lease_hours=1)
    submit(item, "a", "b", "c")
    now = timezone.now()
    lease = allocation.allocate(item, "b", now=now).lease
    later = now + timedelta(hours=2)
    assert allocation.allocate(item, "c", now=later).lease.submission.anonymous_user_id == "a"
    swept = ReviewLease.objects.get(pk=lease.pk)
    assert swept.status == ReviewLease.EXPIRED and swept.open_slot is None


def test_the_waiting_rule_still_runs_before_a_pick(db):
    item = peer_item(reviews_required=2, waiting_days=1, waiting_rule="staff")
    submit(item, "a", "b", start=timezone.now() - timedelta(days=2))
    workflow.next_review(item, "b")
    assert PeerSubmission.objects.get(anonymous_user_id="b").staff_queue  # nobody reviewed it in time
