"""The case study's tracking events (docs/events.md), as two learners write, review, are graded and rate."""

from __future__ import annotations

import json

import pytest

from factories import olx, respond, review_through
from sse_academy_xblock.peer.models import PeerSubmission, Review

CASE = olx("case_study_contract")  # one criterion "c" (0 or 4 points), one review required and one given
ANA_TEXT = "Ana thinks the cooperative keeps the jobs."
BEN_TEXT = "Ben thinks the members decide together."


def recording(block):
    """The block, its runtime's published events kept in ``block.published`` as (name, data)."""
    block.published = []
    block.runtime.publish = lambda blk, kind, data: block.published.append((kind, data))
    return block


def names(block):
    return [kind for kind, _data in block.published]


@pytest.fixture
def pair(make_block, call):
    ana = recording(make_block(CASE, user="ana"))
    ben = recording(make_block.as_user(ana, "ben"))
    return ana, ben


def test_a_saved_draft_and_a_submitted_response(pair, call):
    ana, _ben = pair
    assert call(ana, "save_draft", {"text": "First\r\nthoughts"})[0] == 200
    respond(call, ana, ANA_TEXT)
    (saved, draft), (created, submission) = ana.published
    assert saved == "openassessmentblock.save_submission"
    assert json.loads(draft["saved_response"]) == {"parts": [{"text": "First\nthoughts"}]}  # as stored
    assert created == "openassessmentblock.create_submission"
    sub = PeerSubmission.objects.get(anonymous_user_id="ana")
    assert submission == {"submission_uuid": sub.uuid, "attempt_number": 1,
                          "created_at": sub.submitted_at.isoformat(), "submitted_at": sub.submitted_at.isoformat(),
                          "answer": {"parts": [{"text": ANA_TEXT}]}}


def test_a_refused_action_publishes_nothing(pair, call):
    ana, _ben = pair
    respond(call, ana, ANA_TEXT)
    ana.published.clear()
    assert call(ana, "submit_response", {"text": ANA_TEXT})[0] == 409  # already submitted
    assert call(ana, "rate_review", {"review_id": 999, "helpful": True})[0] == 404
    assert ana.published == []


def test_a_review_a_grade_and_a_rating(pair, call, transactional_db):
    ana, ben = pair
    respond(call, ana, ANA_TEXT)
    respond(call, ben, BEN_TEXT)
    ana.published.clear()
    review_through(call, ana, {"options": {"c": 1}, "comments": {"c": "Clear."}, "overall": "Well argued."})
    ana_sub, ben_sub = (PeerSubmission.objects.get(anonymous_user_id=n) for n in ("ana", "ben"))
    (got, handed), (assessed, review) = ana.published
    assert (got, handed) == ("openassessmentblock.get_peer_submission", {
        "requesting_student_id": "ana", "course_id": ana_sub.course_id, "item_id": ana_sub.usage_id,
        "submission_returned_uuid": ben_sub.uuid})
    given = Review.objects.get(reviewer_id="ana")
    assert assessed == "openassessmentblock.peer_assess"
    assert review == {
        "feedback": "Well argued.", "rubric": {"content_hash": ben_sub.rubric.digest[:40]}, "scorer_id": "ana",
        "score_type": "PE", "scored_at": given.created.isoformat(), "submission_uuid": ben_sub.uuid,
        "parts": [{"option": {"name": "Yes", "points": 4}, "criterion": {"name": "c", "points_possible": 4},
                   "feedback": "Clear."}],
    }

    # Ben's review of ana grades both; each learner's page announces their own grade, once.
    ben.published.clear()
    review_through(call, ben, {"options": {"c": 0}})
    assert "sse_academy.case_study.grade_received" in names(ben)  # ben's reply shows his grade
    (ben_grade,) = [data for kind, data in ben.published if kind == "sse_academy.case_study.grade_received"]
    assert ben_grade == {"submission_uuid": ben_sub.uuid, "points_earned": 4, "points_possible": 4,
                         "grade_source": "peer"}
    ana.published.clear()
    for _poll in range(3):
        assert call(ana, "state", {})[0] == 200
    assert ana.published == [("sse_academy.case_study.grade_received", {
        "submission_uuid": ana_sub.uuid, "points_earned": 0, "points_possible": 4, "grade_source": "peer"})]

    ana.published.clear()
    state = call(ana, "state", {})[1]["state"]
    review_id = state["grade"]["counted"][0]["id"]
    status, reply = call(ana, "rate_review", {"review_id": review_id, "helpful": False, "comment": "Too short."})
    assert status == 200, reply
    assert ana.published == [("openassessmentblock.submit_feedback_on_assessments", {
        "submission_uuid": ana_sub.uuid, "feedback_text": "Too short.", "options": ["not_helpful"],
        "review_id": review_id})]


def test_nothing_to_review_is_published_too(pair, call):
    ana, _ben = pair
    respond(call, ana, ANA_TEXT)
    ana.published.clear()
    assert call(ana, "next_review", {})[0] == 200
    assert ana.published == [("openassessmentblock.get_peer_submission", {
        "requesting_student_id": "ana", "course_id": PeerSubmission.objects.get().course_id,
        "item_id": PeerSubmission.objects.get().usage_id, "submission_returned_uuid": None})]


def test_studio_preview_publishes_nothing(make_block, call, monkeypatch):
    """In Studio's preview the author is not a learner: no event, whatever they click."""
    quiz = recording(make_block(olx("quiz_contract"), user="author"))
    case = recording(make_block(CASE, user="author"))
    monkeypatch.setattr(type(quiz.runtime), "is_author_mode", True, raising=False)
    for block in (quiz, case):
        block.render("student_view", {})
    assert call(quiz, "submit", {"attempt": 1, "answers": {"q1": "a", "q2": True}})[0] == 403
    assert call(case, "save_draft", {"text": "A draft."})[0] == 403
    assert quiz.publish_event("problem_check", {}) is False
    assert quiz.published == [] and case.published == []


def test_a_self_assessment_is_published_once_when_stored(make_block, call):
    ana = recording(make_block(olx("case_study_contract", platform='self_assessment="counted" '), user="ana"))
    respond(call, ana, ANA_TEXT)
    ana.published.clear()
    assert call(ana, "submit_self_assessment", {"options": {"c": 7}})[0] == 400  # not an option: refused
    assert ana.published == []
    assert call(ana, "submit_self_assessment", {"options": {"c": 1}})[0] == 200
    assert call(ana, "submit_self_assessment", {"options": {"c": 0}})[0] == 409  # already assessed
    sub = PeerSubmission.objects.get(anonymous_user_id="ana")
    own = sub.self_assessment
    assert ana.published == [("openassessmentblock.self_assess", {
        "feedback": "", "rubric": {"content_hash": sub.rubric.digest[:40]}, "scorer_id": "ana", "score_type": "SE",
        "scored_at": own.created.isoformat(), "submission_uuid": sub.uuid,
        "parts": [{"option": {"name": "Yes", "points": 4}, "criterion": {"name": "c", "points_possible": 4},
                   "feedback": ""}],
    })]
    assert ANA_TEXT not in json.dumps(ana.published)


def test_each_practice_assessment_is_published_with_the_corrections(make_block, call):
    ana = recording(make_block(olx("case_study_practice", count=1, retries=1), user="ana"))
    respond(call, ana, ANA_TEXT)
    example = call(ana, "state", {})[1]["state"]["calibration"]["task"]["example"]
    reference = {"strong": ("Good", "Some"), "weak": ("Weak", "None"), "middle": ("Fair", "Some")}[example]
    wrong = {"a": 1, "e": 0 if reference[1] == "Some" else 1}  # "Fair" and the other evidence option
    ana.published.clear()
    assert call(ana, "submit_calibration", {"example": "not-this-one", "options": wrong})[0] == 409
    assert ana.published == []
    assert call(ana, "submit_calibration", {"example": example, "options": wrong})[0] == 200
    labels = {"a": "Fair", "e": "None" if reference[1] == "Some" else "Some"}
    sub = PeerSubmission.objects.get(anonymous_user_id="ana")
    corrections = {"e": reference[1]} if reference[0] == "Fair" else {"a": reference[0], "e": reference[1]}
    assert ana.published == [("openassessment.student_training_assess_example", {
        "submission_uuid": sub.uuid, "options_selected": labels, "corrections": corrections,
        "example": example, "attempt_number": 1, "within_tolerance": False})]
    ana.published.clear()
    right = {"a": ["Weak", "Fair", "Good"].index(reference[0]), "e": ["None", "Some"].index(reference[1])}
    assert call(ana, "submit_calibration", {"example": example, "options": right})[0] == 200
    (kind, data), = ana.published
    assert (data["corrections"], data["attempt_number"], data["within_tolerance"]) == ({}, 2, True)
    ana.published.clear()
    assert call(ana, "submit_calibration", {"example": example, "options": right})[0] == 409  # finished
    assert ana.published == []
