"""Staff handlers of the case study: permission checks, belongs-to-block checks, override, CSV."""

import pytest
from submissions import api as submissions_api

from factories import graded_pair_by_handlers, olx
from spreadsheets import read_back
from sse_academy_xblock import platform
from sse_academy_xblock.peer import lms_scores
from sse_academy_xblock.peer.models import PeerSubmission, StaffAction

CASE = olx("case_study_argument")
STAFF_HANDLERS = ["staff_list", "staff_submission", "staff_grade", "staff_clear_flag", "staff_uphold_flag",
                  "staff_clear_divergence",
                  "staff_cancel", "staff_send_again"]


@pytest.fixture
def graded(make_block, call, transactional_db):
    """Two learners who reviewed each other: both graded. Returns (learner block, staff block)."""
    a = make_block(CASE, user="ana")
    graded_pair_by_handlers(call, a, make_block.as_user(a, "ben"), ("=SUM(A1) ana's answer", "ben's answer"),
                            ({"options": {"a": 1}}, {"options": {"a": 2}}))
    return a, make_block.as_user(a, "staff")


def sub_id(name):
    return PeerSubmission.objects.get(anonymous_user_id=name).pk


@pytest.mark.parametrize("handler", STAFF_HANDLERS)
def test_learners_cannot_call_staff_handlers(graded, call, handler):
    learner, _staff = graded
    status, reply = call(learner, handler, {"submission": sub_id("ana"), "points": 0, "reason": "x", "page": 1})
    assert status == 403 and reply["error"]
    assert not StaffAction.objects.exists()


def test_learners_cannot_download_the_csv(graded, call):
    learner, staff = graded
    status, reply = call(learner, "staff_csv", method="GET")
    assert status == 403 and reply["error"]


def test_staff_list_and_detail(graded, call):
    _learner, staff = graded
    status, page = call(staff, "staff_list", {"page": 1})
    assert status == 200 and len(page["rows"]) == 2 and not page["has_next"]
    assert {r["learner"]: r["final_points"] for r in page["rows"]} == {"ana": 4, "ben": 2}
    status, reply = call(staff, "staff_submission", {"submission": sub_id("ana")})
    assert status == 200
    detail = reply["detail"]
    assert detail["text"] == "=SUM(A1) ana's answer" and detail["reviews"][0]["reviewer"] == "ben"
    assert detail["leases"] and detail["audit"] == []
    assert call(staff, "staff_list", {"page": "x"})[0] == 400
    assert call(staff, "staff_list", {"after": "1; DROP"})[0] == 400
    assert call(staff, "staff_list", {"before": -3})[0] == 400
    assert call(staff, "staff_list", {"status": "nonsense"})[0] == 400


def test_override_with_reason_reaches_the_gradebook(graded, call):
    learner, staff = graded
    status, reply = call(staff, "staff_grade", {"submission": sub_id("ana"), "points": 3, "reason": ""})
    assert status == 400 and "reason" in reply["error"]
    status, reply = call(staff, "staff_grade", {"submission": sub_id("ana"), "points": 3, "reason": "Fairer."})
    assert status == 200 and reply["detail"]["final_points"] == 3 and reply["detail"]["status"] == "overridden"
    assert reply["detail"]["audit"][0]["old_points"] == 4 and reply["detail"]["audit"][0]["new_points"] == 3
    assert submissions_api.get_score(platform.student_item(learner))["points_earned"] == 3
    grade = call(learner, "state", {})[1]["state"]["grade"]
    assert "Fairer." in grade["peer_text"] and grade["summary"] == "Your score: 3 of 4 points (75%)."


def test_cancel_tells_the_learner(graded, call):
    learner, staff = graded
    status, reply = call(staff, "staff_cancel", {"submission": sub_id("ana"), "reason": "Plagiarism."})
    assert status == 200 and reply["detail"]["status"] == "cancelled"
    state = call(learner, "state", {})[1]["state"]
    assert state["phase"] == "cancelled" and "Plagiarism." in state["cancelled"]
    assert submissions_api.get_score(platform.student_item(learner)) is None


def test_staff_handlers_refuse_submissions_of_another_block(graded, make_block, call):
    _learner, staff = graded
    other = make_block(CASE, user="zoe")
    call(other, "submit_response", {"text": "zoe's answer"})
    foreign = sub_id("zoe")
    for handler in ("staff_submission", "staff_grade", "staff_clear_flag", "staff_cancel", "staff_clear_divergence"):
        status, reply = call(staff, handler, {"submission": foreign, "points": 1, "reason": "x", "note": ""})
        assert status == 404, (handler, reply)
    zoe = PeerSubmission.objects.get(pk=foreign)
    assert zoe.pool == PeerSubmission.IN_POOL and zoe.final_points is None
    assert not StaffAction.objects.exists()


def test_csv_is_streamed_with_a_median_per_criterion(graded, call):
    _learner, staff = graded
    import webob

    response = staff.handle("staff_csv", webob.Request.blank("/", method="GET"))
    assert response.status_code == 200 and response.content_type == "text/csv"
    assert not isinstance(response.app_iter, list)  # a generator: rows are produced as they are sent
    text = b"".join(response.app_iter).decode("utf-8-sig")
    rows = read_back(text, ",")
    assert rows[0][:4] == ["Submission", "Learner", "Submitted", "Status"] and rows[0][-1] == "Median: Argument"
    assert len(rows) == 3 and rows[1][1] == "ana"


def test_staff_list_shows_who_waits_and_applies_the_waiting_rule(make_block, call):
    from datetime import timedelta

    from django.utils import timezone

    learner = make_block(CASE.replace('reviews_to_give="1"', 'reviews_to_give="1" waiting_days="2"'), user="lone")
    call(learner, "submit_response", {"text": "Nobody else is here."})
    staff = make_block.as_user(learner, "staff")
    row = call(staff, "staff_list", {})[1]["rows"][0]
    assert row["status"] == "waiting_reviews" and row["waiting_days"] == 0.0
    PeerSubmission.objects.update(submitted_at=timezone.now() - timedelta(days=3))
    row = call(staff, "staff_list", {})[1]["rows"][0]
    assert row["status"] == "staff_queue" and row["waiting_days"] == 3.0
    detail = call(staff, "staff_submission", {"submission": row["id"]})[1]["detail"]
    assert detail["audit"][0]["staff"] == "system" and "staff queue" in detail["audit"][0]["reason"]
    state = call(learner, "state", {})[1]["state"]
    assert "the course team will grade your response" in state["waiting"]


def test_staff_detail_shows_labels_not_internal_codes(graded, call):
    """Reservation states, audit actions and report outcomes reach staff as translated labels."""
    from sse_academy_xblock.peer.models import ReviewLease

    _learner, staff = graded
    codes = staff.staff_init()["codes"]
    assert set(codes["lease"]) == {code for _value, code in ReviewLease.STATUS_CHOICES}
    assert set(codes["action"]) == {
        StaffAction.OVERRIDE, StaffAction.STAFF_GRADE, StaffAction.CANCEL, StaffAction.CLEAR_FLAG,
        StaffAction.CLEAR_DIVERGENCE, StaffAction.CLEAR_STATE, StaffAction.WAITING_RULE, StaffAction.UPHOLD_FLAG,
        StaffAction.RESET_ATTEMPTS}
    assert set(codes["resolution"]) == {"", "cleared", "cancelled", "upheld"}
    call(staff, "staff_grade", {"submission": sub_id("ana"), "points": 3, "reason": "Fair."})
    detail = call(staff, "staff_submission", {"submission": sub_id("ana")})[1]["detail"]
    assert codes["lease"][detail["leases"][0]["status"]] == "Review submitted"
    assert codes["action"][detail["audit"][0]["action"]] == "Grade overridden"


class FailingGradebook:
    """edx-submissions unreachable while ``down``: ``set_score`` and ``reset_score`` raise."""

    def __init__(self, monkeypatch):
        self.down = True
        for module, name in ((lms_scores, "set_score"), (submissions_api, "reset_score")):
            monkeypatch.setattr(module, name, self._wrap(getattr(module, name)))

    def _wrap(self, real):
        def call(*args, **kwargs):
            if self.down:
                raise submissions_api.SubmissionInternalError("unreachable")
            return real(*args, **kwargs)
        return call


def test_an_override_that_did_not_reach_the_gradebook_says_so_and_send_again_delivers_it(graded, call, monkeypatch):
    learner, staff = graded
    lms = FailingGradebook(monkeypatch)
    status, reply = call(staff, "staff_grade", {"submission": sub_id("ana"), "points": 3, "reason": "Fairer."})
    assert status == 200 and reply["detail"]["final_points"] == 3
    assert "sent to the gradebook" not in reply["message"] and "pending" in reply["message"]
    assert reply["detail"]["delivery"]["state"] == "failed"
    assert submissions_api.get_score(platform.student_item(learner))["points_earned"] == 4  # not yet
    rows = {r["learner"]: r["delivery"]["state"] for r in call(staff, "staff_list", {})[1]["rows"]}
    assert rows == {"ana": "failed", "ben": "delivered"}
    status, reply = call(staff, "staff_send_again", {"submission": sub_id("ana")})
    assert status == 200 and reply["detail"]["delivery"]["state"] == "failed"
    assert "still pending" in reply["message"]
    lms.down = False
    status, reply = call(staff, "staff_send_again", {"submission": sub_id("ana")})
    assert status == 200 and reply["message"] == "The gradebook has received the grade."
    assert reply["detail"]["delivery"]["state"] == "delivered"
    assert submissions_api.get_score(platform.student_item(learner))["points_earned"] == 3
    status, reply = call(staff, "staff_grade", {"submission": sub_id("ana"), "points": 2, "reason": "Again."})
    assert reply["message"] == "The grade was saved and sent to the gradebook."


def test_a_cancellation_that_did_not_reach_the_gradebook_says_so_and_the_csv_shows_no_lms_points(
        graded, call, monkeypatch):
    import webob

    learner, staff = graded
    FailingGradebook(monkeypatch)
    status, reply = call(staff, "staff_cancel", {"submission": sub_id("ana"), "reason": "Plagiarism."})
    assert status == 200 and reply["detail"]["status"] == "cancelled"
    assert "pending" in reply["message"] and reply["detail"]["lms_points"] is None
    assert submissions_api.get_score(platform.student_item(learner)) is not None  # the reset is pending
    response = staff.handle("staff_csv", webob.Request.blank("/", method="GET"))
    rows = read_back(b"".join(response.app_iter).decode("utf-8-sig"), ",")
    ana = dict(zip(rows[0], next(r for r in rows[1:] if r[1] == "ana")))
    assert (ana["Status"], ana["Gradebook points earned"], ana["Gradebook points possible"], ana["Gradebook"]) == (
        "Cancelled", "", "", "delivery failed, tried again automatically")


def test_a_review_is_thanked_and_kept_when_its_grade_cannot_reach_the_gradebook(make_block, call, monkeypatch,
                                                                              transactional_db):
    from factories import respond, review_through
    from sse_academy_xblock.peer.models import GradeDelivery, Review

    a = make_block(CASE, user="ana")
    b = make_block.as_user(a, "ben")
    respond(call, a, "ana's answer")
    respond(call, b, "ben's answer")
    review_through(call, a, {"options": {"a": 1}})  # ben is reviewed; ben gave nothing yet
    FailingGradebook(monkeypatch)
    _task, reply = review_through(call, b, {"options": {"a": 2}})  # completes both grades (a 200)
    assert reply["message"] == "Thank you: your review has been submitted."
    assert Review.objects.count() == 2
    assert {s.anonymous_user_id: s.final_points for s in PeerSubmission.objects.all()} == {"ana": 4, "ben": 2}
    assert set(GradeDelivery.objects.values_list("anonymous_user_id", "attempts")) == {("ana", 1), ("ben", 1)}
    assert submissions_api.get_score(platform.student_item(a)) is None


def test_a_refused_staff_grade_names_its_fields(graded, call):
    _learner, staff = graded
    status, reply = call(staff, "staff_grade", {"submission": sub_id("ana"), "points": "11", "reason": ""})
    assert status == 400
    assert {f["field"] for f in reply["fields"]} == {"points", "reason"}
    assert PeerSubmission.objects.get(anonymous_user_id="ana").final_points == 4


def test_a_withdrawn_learner_reads_what_happens_next(graded, call):
    learner, staff = graded
    assert call(staff, "staff_cancel", {"submission": sub_id("ana"), "reason": "Copied."})[0] == 200
    state = call(learner, "state", {})[1]["state"]
    assert state["cancelled_title"] == "Your response was withdrawn"
    assert "taken back" in state["cancelled_next"] and "ask the course team" in state["cancelled_next"]
    # as the rules stand, only a reset by the course team lets them write again
    status, reply = call(learner, "submit_response", {"text": "A second try."})
    assert status == 409
