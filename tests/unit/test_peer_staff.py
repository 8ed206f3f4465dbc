"""Staff actions (audited, pushed, checked against the block) and staff reads (constant queries)."""

from datetime import timedelta
from functools import partial

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from submissions import api as submissions_api

from factories import RUBRIC_A, graded_pair, peer_item, review, submit
from sse_academy_xblock.profile.models import DimensionScore
from sse_academy_xblock.peer import staff, staff_actions, workflow
from sse_academy_xblock.refusals import Refusal
from sse_academy_xblock.peer.models import PeerSubmission, ReviewLease, StaffAction

make_item = partial(peer_item, usage_id="block-s", rubric=RUBRIC_A)


@pytest.fixture
def item(transactional_db):
    return make_item(reviews_required=1, reviews_to_give=1)


def test_override_is_audited_and_pushed(item):
    a, _b = graded_pair(item)
    assert a.final_points == 4
    with pytest.raises(Refusal, match="reason"):
        staff_actions.set_staff_grade(item, "staff-1", a.pk, 3, "")
    with pytest.raises(Refusal, match="between 0 and 4"):
        staff_actions.set_staff_grade(item, "staff-1", a.pk, 5, "too generous")
    with pytest.raises(Refusal, match="whole number"):
        staff_actions.set_staff_grade(item, "staff-1", a.pk, "2.5", "half")
    staff_actions.set_staff_grade(item, "staff-1", a.pk, 3, "Peers missed a weak conclusion.")
    a.refresh_from_db()
    assert (a.final_points, a.peer_points, a.grade_source) == (3, 4, "override")
    action = StaffAction.objects.get(submission=a, action=StaffAction.OVERRIDE)
    assert (action.staff_id, action.old_points, action.new_points, action.reason) == (
        "staff-1", 4, 3, "Peers missed a weak conclusion.")
    score = submissions_api.get_score(item.student_item("a"))
    assert score["points_earned"] == 3
    assert score["annotations"][0]["annotation_type"] == "staff_override"
    assert DimensionScore.objects.get(anonymous_user_id="a").earned == 3


def test_staff_grade_from_the_queue(transactional_db):
    item = make_item(reviews_required=2, reviews_to_give=0, waiting_rule="staff")
    workflow.submit_response(item, "a", "text", now=timezone.now() - timedelta(days=10))
    from sse_academy_xblock.peer import waiting

    waiting.apply_waiting_rule(item)
    sub = PeerSubmission.objects.get()
    assert sub.staff_queue
    staff_actions.set_staff_grade(item, "staff-1", sub.pk, 2, "Graded by the tutor.")
    sub.refresh_from_db()
    assert (sub.grade_source, sub.final_points, sub.staff_queue) == ("staff", 2, False)
    assert StaffAction.objects.filter(submission=sub, action=StaffAction.STAFF_GRADE, old_points=None).exists()
    assert submissions_api.get_score(item.student_item("a"))["points_earned"] == 2


def test_staff_actions_refuse_a_submission_of_another_block_or_course(item):
    a, _b = graded_pair(item)
    for other in (make_item(usage_id="block-other"), make_item(course_id="course-v1:Other+X+1")):
        for call in (
            lambda: staff_actions.set_staff_grade(other, "s", a.pk, 1, "x"),
            lambda: staff_actions.cancel_submission(other, "s", a.pk, "x"),
            lambda: staff_actions.clear_flags(other, "s", a.pk),
            lambda: staff_actions.get_for_block(other, a.pk),
        ):
            with pytest.raises(Refusal) as info:
                call()
            assert info.value.status == 404
    with pytest.raises(Refusal) as info:
        staff_actions.get_for_block(item, "1; drop table")
    assert info.value.status == 400
    a.refresh_from_db()
    assert a.final_points == 4 and not StaffAction.objects.exists()


def test_clearing_a_flag_returns_to_pool_and_releases_a_held_grade(transactional_db):
    two = make_item(reviews_required=2, reviews_to_give=0)
    submit(two, "a", "b", "c")
    lease_b = workflow.next_review(two, "b", want_extra=True).lease  # b gets a
    first_c = workflow.next_review(two, "c", want_extra=True).lease  # c gets b (fewer reviews)
    workflow.complete_review(two, "c", first_c.pk, {"options": {"a": 0}})
    lease_c = workflow.next_review(two, "c", want_extra=True).lease  # then a
    assert lease_b.submission.anonymous_user_id == lease_c.submission.anonymous_user_id == "a"
    workflow.flag_response(two, "b", lease_b.pk, "rude")
    # the author then lowers the requirement to one review; c finishes the review it had started
    one = make_item(reviews_required=1, reviews_to_give=0)
    workflow.complete_review(one, "c", lease_c.pk, {"options": {"a": 1}})
    a = PeerSubmission.objects.get(anonymous_user_id="a")
    assert a.is_flagged and a.received == 1 and a.graded_at is None  # held while flagged
    staff_actions.clear_flags(one, "staff-1", a.pk, "It is fine.")
    a.refresh_from_db()
    assert a.pool == PeerSubmission.IN_POOL and a.graded_at is not None and a.final_points == 2
    assert a.flags.get().resolution == "cleared"
    assert submissions_api.get_score(one.student_item("a"))["points_earned"] == 2
    with pytest.raises(Refusal):
        staff_actions.clear_flags(one, "staff-1", a.pk)


def test_cancel_tells_the_learner_and_takes_the_grade_back(item):
    a, b = graded_pair(item)
    staff_actions.cancel_submission(item, "staff-1", a.pk, "Copied from the internet.")
    a.refresh_from_db()
    assert a.is_cancelled and a.cancel_reason == "Copied from the internet."
    assert submissions_api.get_score(item.student_item("a")) is None
    assert not DimensionScore.objects.filter(anonymous_user_id="a").exists()
    with pytest.raises(Refusal, match="cancelled"):
        workflow.next_review(item, "a")
    with pytest.raises(Refusal, match="already submitted"):
        workflow.submit_response(item, "a", "again")
    b.refresh_from_db()
    assert b.final_points == 2  # the review a gave still counts for b


def test_clear_learner_state_lets_the_learner_start_again(item):
    a, _b = graded_pair(item)
    workflow.submit_response(item, "c", "text c")
    staff_actions.clear_learner_state(item, "a", 42)
    a.refresh_from_db()
    assert a.is_cleared and a.pool == PeerSubmission.CANCELLED
    assert submissions_api.get_score(item.student_item("a")) is None
    assert StaffAction.objects.get(submission=a).action == StaffAction.CLEAR_STATE
    again = workflow.submit_response(item, "a", "a fresh start")
    assert again.attempt == 2 and again.given == 1  # the review a gave is still theirs
    assert staff_actions.clear_learner_state(item, "nobody", 42) is None


def test_clear_state_releases_the_learners_open_review(item):
    submit(item, "a", "b", "c")
    lease = workflow.next_review(item, "c").lease
    target = lease.submission
    assert PeerSubmission.objects.get(pk=target.pk).load == 1
    staff_actions.clear_learner_state(item, "c", 1)
    assert ReviewLease.objects.get(pk=lease.pk).status == ReviewLease.CANCELLED
    assert PeerSubmission.objects.get(pk=target.pk).load == 0


def test_list_statuses_and_waiting_reasons(transactional_db):
    item = make_item(reviews_required=1, reviews_to_give=1)
    submit(item, "a", "b", "c", "d")
    review(item, "a", 2)  # a reviews b
    review(item, "b", 1)  # b reviews a
    lease = workflow.next_review(item, "d").lease  # d gets c, flags it
    workflow.flag_response(item, "d", lease.pk, "spam")
    page = staff.list_page(item)
    by_learner = {r["learner"]: r for r in page["rows"]}
    assert by_learner["a"]["status"] == "graded" and by_learner["a"]["final_points"] == 2
    assert by_learner["c"]["status"] == "flagged"
    assert by_learner["d"]["status"] == "waiting_reviews" and by_learner["d"]["given"] == 0
    assert len(page["rows"]) == 4 and not page["has_next"] and not page["has_prev"]
    assert [r["learner"] for r in staff.list_page(item, status="flagged")["rows"]] == ["c"]


@pytest.mark.parametrize("per_page", [25])
def test_staff_list_query_count_is_constant(transactional_db, per_page):
    def queries_for(n, usage_id):
        item = make_item(usage_id=usage_id, reviews_required=1, reviews_to_give=1)
        submit(item, *(f"u{i}" for i in range(n)))
        for i in range(0, n, 2):
            review(item, f"u{i}", 1)
        with CaptureQueriesContext(connection) as ctx:
            page = staff.list_page(item, page=1, per_page=per_page)
        assert len(page["rows"]) == min(n, per_page)
        return len(ctx.captured_queries)

    assert queries_for(5, "five") == queries_for(50, "fifty")


def test_csv_rows_stream_with_medians(item):
    graded_pair(item)
    header = staff.csv_header(item)
    assert header[-1] == "Median: A"
    rows = staff.csv_rows(item, chunk_size=1)
    assert iter(rows) is rows  # a generator: rows are produced as they are sent
    rows = list(rows)
    assert [r[1] for r in rows] == ["a", "b"]
    assert rows[0][header.index("Final grade")] == 4 and rows[0][-1] == 4


def test_detail_has_reviews_leases_and_audit(item):
    a, _b = graded_pair(item)
    staff_actions.set_staff_grade(item, "staff-1", a.pk, 1, "Too generous.")
    detail = staff.submission_detail(item, staff_actions.get_for_block(item, a.pk), "text a")
    assert detail["text"] == "text a"
    assert detail["reviews"][0]["parts"][0]["option"] == "yes" and detail["reviews"][0]["counted"]
    assert detail["leases"][0]["status"] == "done"
    assert [x["action"] for x in detail["audit"]] == ["override"]


def test_retirement_removes_identifiers(item):
    graded_pair(item)
    staff_actions.retire_learner(["a"])
    assert not PeerSubmission.objects.filter(anonymous_user_id="a").exists()
    assert not ReviewLease.objects.filter(reviewer_id="a").exists()


def test_staff_list_pages_by_keyset_without_counting_the_block(item):
    """Issue 12: next/previous pages follow the ids; no query counts or offsets the whole block."""
    submit(item, *(f"k{i}" for i in range(7)))
    first = staff.list_page(item, per_page=3)
    assert [r["learner"] for r in first["rows"]] == ["k0", "k1", "k2"]
    assert first["has_next"] and not first["has_prev"] and first["page"] == 1
    with CaptureQueriesContext(connection) as ctx:
        second = staff.list_page(item, per_page=3, page=2, after=first["last"])
    assert [r["learner"] for r in second["rows"]] == ["k3", "k4", "k5"] and second["page"] == 2
    assert second["has_prev"] and second["has_next"]
    sql = " ".join(q["sql"].upper() for q in ctx.captured_queries)
    assert "COUNT(" not in sql and "OFFSET" not in sql
    third = staff.list_page(item, per_page=3, page=3, after=second["last"])
    assert [r["learner"] for r in third["rows"]] == ["k6"] and not third["has_next"]
    back = staff.list_page(item, per_page=3, page=2, before=third["first"])
    assert [r["learner"] for r in back["rows"]] == ["k3", "k4", "k5"] and back["has_prev"]
    start = staff.list_page(item, per_page=3, page=1, before=back["first"])
    assert [r["learner"] for r in start["rows"]] == ["k0", "k1", "k2"] and not start["has_prev"]


def test_csv_rows_come_in_keyset_chunks_in_id_order(item):
    """Each chunk is its own short read (MySQL's driver would otherwise hold every row in memory)."""
    submit(item, *(f"c{i}" for i in range(5)))
    with CaptureQueriesContext(connection) as ctx:
        rows = list(staff.csv_rows(item, chunk_size=2))
    assert [r[1] for r in rows] == [f"c{i}" for i in range(5)]
    reads = [q["sql"] for q in ctx.captured_queries if "peersubmission" in q["sql"]]
    assert len(reads) == 3 and all("LIMIT 2" in sql for sql in reads)


def test_a_staff_grade_names_every_faulty_field(item):
    """"Points (0-4)" with 5 and no reason: both fields are named, each with its own message, so the staff
    form marks both beside their inputs (it used to stop at the reason, and name no field)."""
    a, _b = graded_pair(item)
    with pytest.raises(Refusal) as info:
        staff_actions.set_staff_grade(item, "staff-1", a.pk, 5, "")
    fields = info.value.details(lambda text: text)["fields"]
    assert [(f["field"], f["message"]) for f in fields] == [
        ("reason", "A reason is required; it is kept in the audit trail."),
        ("points", "The points must be between 0 and 4.")]
    with pytest.raises(Refusal) as info:
        staff_actions.set_staff_grade(item, "staff-1", a.pk, "x", "reason")
    assert info.value.details(lambda text: text)["fields"][0]["field"] == "points"
    a.refresh_from_db()
    assert a.final_points == 4 and not StaffAction.objects.exists()


def test_upholding_a_report_withdraws_the_response_and_says_so(transactional_db):
    two = make_item(reviews_required=1, reviews_to_give=0)
    submit(two, "a", "b")
    lease = workflow.next_review(two, "b", want_extra=True).lease
    workflow.flag_response(two, "b", lease.pk, "insulting")
    a = PeerSubmission.objects.get(anonymous_user_id="a")
    with pytest.raises(Refusal, match="reason"):
        staff_actions.uphold_flags(two, "staff-1", a.pk, " ")
    staff_actions.uphold_flags(two, "staff-1", a.pk, "Insults other learners.")
    a.refresh_from_db()
    assert a.is_cancelled and a.cancel_reason == "Insults other learners."
    assert a.flags.get().resolution == "upheld"
    assert StaffAction.objects.get(submission=a).action == StaffAction.UPHOLD_FLAG
    assert submissions_api.get_score(two.student_item("a")) is None
    with pytest.raises(Refusal, match="not flagged") as info:
        staff_actions.uphold_flags(two, "staff-1", a.pk, "again")
    assert info.value.status == 409
