"""The tracking events' payloads, built without a runtime (docs/events.md)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from sse_academy_xblock.peer import events as peer_events
from sse_academy_xblock.peer.models import CalibrationAttempt, PeerSubmission, Review, ReviewPart, SelfAssessment
from sse_academy_xblock.peer.rubric import Rubric
from sse_academy_xblock.quiz import events, grading
from sse_academy_xblock.quiz.questions import Choice, Question

USAGE = "block-v1:ILO+SSE+2026+type@sse_quiz+block@3f2a"
QUESTIONS = [
    Question("q1", "single", "<p>Pick <em>a</em>.</p>", points=2, choices=[Choice("a", "Alpha &amp; co", True),
                                                                         Choice("b", "Beta")]),
    Question("q2", "multiple", "Both?", points=2, choices=[Choice("x", "X", True), Choice("y", "Y", True),
                                                           Choice("z", "Z")]),
    Question("q3", "truefalse", "True?", answer=True),
    Question("q4", "numeric", "Year?", answer=1895.0),
    Question("q5", "text", "Name?", accepted=["Mondragon"]),
]


def graded(answers, scoring="partial"):
    return grading.grade_quiz(QUESTIONS, answers, scoring, "employment")


def test_answer_ids_keep_the_block_id_and_the_question_id():
    assert events.answer_id(USAGE, "q1") == "3f2a_q1"
    assert events.answer_id("quiz.sse_quiz.d0.u0", "q1") == "quiz.sse_quiz.d0.u0_q1"  # the workbench's ids


def test_problem_check_has_every_question_the_answers_and_the_points():
    answers = {"q1": "a", "q2": ["x"], "q3": False, "q4": 1895.0, "q5": None}
    result = graded(answers)
    event = events.problem_check(USAGE, QUESTIONS, answers, result, attempts=2,
                                 before_answers={"q1": "b"},
                                 before_results={"q1": {"question_id": "q1", "earned": 0, "possible": 2,
                                                        "status": "incorrect"}})
    ids = [f"3f2a_q{n}" for n in range(1, 6)]
    assert event["problem_id"] == USAGE
    assert (event["grade"], event["max_grade"], event["success"], event["attempts"]) == (4, 7, "incorrect", 2)
    assert event["answers"] == dict(zip(ids, ["a", ["x"], "false", "1895", ""]))
    assert [s["answer"] for s in event["submission"].values()] == ["Alpha & co", ["X"], "false", "1895", ""]
    assert [s["correct"] for s in event["submission"].values()] == [True, False, False, True, False]
    assert [s["response_type"] for s in event["submission"].values()] == [
        "multiplechoiceresponse", "choiceresponse", "truefalseresponse", "numericalresponse", "stringresponse"]
    assert event["submission"][ids[0]]["question"] == "Pick a."
    assert [(c["correctness"], c["npoints"]) for c in event["correct_map"].values()] == [
        ("correct", 2), ("partially-correct", 1), ("incorrect", 0), ("correct", 1), ("incorrect", 0)]
    # The state is the learner's before this attempt, as the platform sends it.
    assert event["state"]["student_answers"] == {ids[0]: "b"} and event["state"]["done"] is True
    assert event["state"]["correct_map"][ids[0]]["correctness"] == "incorrect"
    json.dumps(event)  # the tracking log writes it as JSON


def test_full_marks_are_correct_and_fractional_points_stay_fractions():
    answers = {"q1": "a", "q2": ["x", "y"], "q3": True, "q4": 1895.0, "q5": " mondragon. "}
    assert events.problem_check(USAGE, QUESTIONS, answers, graded(answers), attempts=1)["success"] == "correct"
    answers["q2"] = ["x", "y", "z"]  # +1 +1 -1 of 2 correct choices: half the points, 1 of 2
    three = [Question("t", "multiple", "?", points=1, choices=[Choice("x", "X", True), Choice("y", "Y", True),
                                                               Choice("z", "Z")])]
    result = grading.grade_quiz(three, {"t": ["x", "y", "z"]}, "partial", "employment")
    event = events.problem_check(USAGE, three, {"t": ["x", "y", "z"]}, result, attempts=1)
    assert (event["grade"], event["max_grade"]) == (0.5, 1)
    assert event["state"] == {"seed": 1, "student_answers": {}, "has_saved_answers": False, "correct_map": {},
                              "input_state": {"3f2a_t": {}}, "done": False}


def test_show_answer_and_attempts_reset():
    assert events.show_answer(USAGE) == {"problem_id": USAGE}
    assert events.attempts_reset(USAGE, "anon-7", 0) == {"problem_id": USAGE, "learner_id": "anon-7", "attempts": 0}


# --- the case study ------------------------------------------------------------------------------------

WHEN = datetime(2026, 12, 7, 1, 30, tzinfo=timezone.utc)


def test_case_study_payloads_follow_ora2():
    sub = PeerSubmission(uuid="u-1", attempt=2, submitted_at=WHEN)
    assert json.loads(peer_events.save_submission("Draft")["saved_response"]) == {"parts": [{"text": "Draft"}]}
    assert peer_events.create_submission(sub, "Text") == {
        "submission_uuid": "u-1", "attempt_number": 2, "created_at": WHEN.isoformat(),
        "submitted_at": WHEN.isoformat(), "answer": {"parts": [{"text": "Text"}]}}
    rubric = Rubric.from_list([{"name": "c", "label": "C", "options": [{"label": "No", "points": 0},
                                                                      {"label": "Yes", "points": 4}]}])
    review = Review(submission=sub, reviewer_id="anon-2", overall_comment="Good.", created=WHEN)
    parts = [ReviewPart(criterion_name="c", criterion_label="C", option_label="Yes", points=4, comment="Clear.")]
    assessed = peer_events.peer_assess(review, rubric, parts, "ab" * 32)
    assert assessed["rubric"] == {"content_hash": "ab" * 20}
    assert assessed["parts"] == [{"option": {"name": "Yes", "points": 4},
                                  "criterion": {"name": "c", "points_possible": 4}, "feedback": "Clear."}]
    assert (assessed["scorer_id"], assessed["score_type"], assessed["submission_uuid"]) == ("anon-2", "PE", "u-1")
    assert peer_events.submit_feedback_on_assessments("u-1", 9, True, "") == {
        "submission_uuid": "u-1", "feedback_text": "", "options": ["helpful"], "review_id": 9}
    assert peer_events.grade_received("u-1", 3, 4, "override") == {
        "submission_uuid": "u-1", "points_earned": 3, "points_possible": 4, "grade_source": "override"}


def test_self_and_practice_assessments_follow_ora2_and_carry_no_text():
    sub = PeerSubmission(uuid="u-1", attempt=1, submitted_at=WHEN)
    rubric = Rubric.from_list([
        {"name": "c", "label": "C", "options": [{"label": "No", "points": 0}, {"label": "Yes", "points": 4}]},
        {"name": "d", "label": "D", "options": [{"label": "Low", "points": 1}, {"label": "High", "points": 3}]}])
    own = SelfAssessment(submission=sub, anonymous_user_id="anon-1", options={"c": 1, "d": 0}, created=WHEN)
    assert peer_events.self_assess(own, rubric, "cd" * 32) == {
        "feedback": "", "rubric": {"content_hash": "cd" * 20}, "scorer_id": "anon-1", "score_type": "SE",
        "scored_at": WHEN.isoformat(), "submission_uuid": "u-1",
        "parts": [{"option": {"name": "Yes", "points": 4}, "criterion": {"name": "c", "points_possible": 4},
                   "feedback": ""},
                  {"option": {"name": "Low", "points": 1}, "criterion": {"name": "d", "points_possible": 3},
                   "feedback": ""}]}
    attempt = CalibrationAttempt(example="weak", attempt=2, options={"c": 1, "d": 0}, within=False)
    assert peer_events.student_training_assess_example("u-1", attempt, rubric, {"c": 0, "d": 0}) == {
        "submission_uuid": "u-1", "options_selected": {"c": "Yes", "d": "Low"}, "corrections": {"c": "No"},
        "example": "weak", "attempt_number": 2, "within_tolerance": False}
