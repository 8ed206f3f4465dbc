"""Numbers typed in the person's language, through the blocks: the learner's quiz answer, the editors' saves.

A French learner writes "1 895" and "1999,0"; a Spanish author writes "1,5" points and "0,5" tolerance. A form
with two readings ("1.895": 1895 in Spain, 1.895 in Mexico) is never guessed: nothing is saved and the person
is asked, with both readings written in their language.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from factories import graded_pair_by_handlers, olx
from sse_academy_xblock.peer.models import PeerSubmission, StaffAction

QUIZ = """
<sse_quiz display_name="Numbers" dimension="rights_at_work" max_attempts="3" show_answer="always" pass_mark="50">
  <question id="q1" type="numeric" answer="1895" tolerance="0"><prompt>ICA founded?</prompt></question>
  <question id="q2" type="numeric" answer="1999" tolerance="0"><prompt>Recommendation year?</prompt></question>
</sse_quiz>
"""


@pytest.fixture
def quiz(make_block):
    return make_block(QUIZ)


def test_a_french_learners_numbers_are_read_and_graded(quiz, call):
    with translation.override("fr"):
        status, data = call(quiz, "submit", {"attempt": 1, "answers": {"q1": "1\u202f895", "q2": "1999,0"}})
    assert status == 200, data
    assert data["view"]["earned"] == data["view"]["possible"] == 2


def test_a_plain_space_groups_thousands_too(quiz, call):
    status, data = call(quiz, "submit", {"attempt": 1, "answers": {"q1": "1 895", "q2": "1999.0"}})
    assert status == 200 and data["view"]["earned"] == 2, data


def test_an_ambiguous_answer_is_asked_about_beside_its_field_and_costs_nothing(quiz, call):
    with translation.override("es"):
        status, data = call(quiz, "submit", {"attempt": 1, "answers": {"q1": "1.895", "q2": "1999"}})
    assert status == 400, data
    assert [f["field"] for f in data["fields"]] == ["q1"]
    message = data["fields"][0]["message"]
    assert "1895" in message and "1,895" in message and "1,8950" in message and "puede leerse" in message, message
    assert message in data["error"]
    assert quiz.attempts == 0 and not quiz.answers
    status, data = call(quiz, "submit", {"attempt": 1, "answers": {"q1": "1895", "q2": "1999"}})
    assert status == 200 and data["view"]["earned"] == 2, data


def test_what_is_no_number_is_named_with_the_rule(quiz, call):
    with translation.override("fr"):
        status, data = call(quiz, "submit", {"attempt": 1, "answers": {"q1": "1895", "q2": "mil"}})
    assert status == 400
    assert [f["field"] for f in data["fields"]] == ["q2"]
    assert "2,5" in data["fields"][0]["message"] and quiz.attempts == 0


def test_the_rule_sits_beside_each_numeric_field(quiz):
    with translation.override("fr"):
        html = quiz.render("student_view", {}).body_html()
    assert html.count('class="sse-muted sse-field-hint"') == 2
    assert html.count('data-role="field-error"') == 2


# --- the quiz editor ---------------------------------------------------------------------------------

def editor_payload(block):
    return {**block.quiz_settings(), "pass_mark": "75", "weight": "2", "questions": [dict(q) for q in block.questions]}


@pytest.fixture
def editor(make_block):
    return make_block(QUIZ, user="staff")


def test_a_spanish_authors_1895_is_asked_about_before_anything_is_saved(editor, call):
    before = [dict(q) for q in editor.questions]
    body = editor_payload(editor)
    body["questions"][0]["answer"] = "1.895"
    with translation.override("es"):
        status, reply = call(editor, "studio_submit", body)
    assert status == 400, reply
    assert editor.questions == before
    [doubt] = reply["ambiguous"]
    assert doubt["typed"] == "1.895"
    assert [(r["value"], r["text"]) for r in doubt["readings"]] == [(1895.0, "1895"), (1.895, "1,895")]
    [error] = [e for e in reply["errors"] if doubt["message"] in e]
    assert "puede leerse" in error and reply["fields"][reply["errors"].index(error)] == "question-1"
    # One message for the doubt: not also "a number question needs the correct number".
    assert len([e for e in reply["errors"] if e.startswith(("Question 1", "Pregunta 1"))]) == 1, reply["errors"]

    for meant in (1895, 1.895):
        status, reply = call(editor, "studio_submit", {**body, "meant": {"1.895": meant}})
        assert status == 200, reply
        assert editor.questions[0]["answer"] == meant


def test_a_choice_that_is_not_a_reading_changes_nothing(editor, call):
    before = [dict(q) for q in editor.questions]
    body = editor_payload(editor)
    body["questions"][0]["answer"] = "1.895"
    status, reply = call(editor, "studio_submit", {**body, "meant": {"1.895": 18.95}})
    assert status == 400 and reply["ambiguous"] and editor.questions == before


def test_decimal_commas_are_accepted_in_the_quiz_editor(editor, call):
    body = editor_payload(editor)
    body["questions"][0].update(points="1,5", answer="1999,0", tolerance="0,5")
    body["pass_mark"], body["weight"] = "62,5", "1,5"
    with translation.override("fr"):
        status, reply = call(editor, "studio_submit", body)
    assert status == 200, reply
    saved = editor.questions[0]
    assert (saved["points"], saved["answer"], saved["tolerance"]) == (1.5, 1999.0, 0.5)
    assert editor.pass_mark == 62.5 and editor.weight == 1.5


# --- the case-study editor -----------------------------------------------------------------------------

def case_study_payload(block, **changes):
    payload = {
        "display_name": block.display_name, "dimension": block.dimension, "weight": "",
        "reviews_required": "3", "reviews_to_give": "3", "min_words": "0", "max_words": "0",
        "lease_hours": "24", "waiting_days": "7", "waiting_rule": "lower", "divergence_threshold": "0.5",
        "case": block.case, "prompt": block.prompt, "rubric": block.rubric,
    }
    payload.update(changes)
    return payload


@pytest.fixture
def case_study(make_block):
    return make_block(olx("case_study_every_setting"), user="staff")


def test_decimal_commas_are_accepted_in_the_case_study_editor(case_study, call):
    body = case_study_payload(case_study, divergence_threshold="0,4", waiting_days="1,5", lease_hours="0,5",
                              weight="1 000")
    with translation.override("es"):
        status, reply = call(case_study, "studio_submit", body)
    assert status == 200, reply
    assert (case_study.divergence_threshold, case_study.waiting_days, case_study.lease_hours) == (0.4, 1.5, 0.5)
    assert case_study.weight == 1000.0


def test_an_ambiguous_case_study_setting_is_asked_about(case_study, call):
    body = case_study_payload(case_study, weight="1.000", lease_hours="2,500")
    with translation.override("fr"):
        status, reply = call(case_study, "studio_submit", body)
    assert status == 400, reply
    assert case_study.weight != 1000 and case_study.lease_hours != 2.5
    asked = {doubt["typed"]: [r["text"] for r in doubt["readings"]] for doubt in reply["ambiguous"]}
    assert asked == {"1.000": ["1000", "1"], "2,500": ["2500", "2,5"]}
    assert reply["fields"] == ["weight", "lease_hours"]
    assert all("peut se lire" in message for message in reply["errors"]), reply["errors"]
    status, reply = call(case_study, "studio_submit", {**body, "meant": {"1.000": 1000, "2,500": 2.5}})
    assert status == 200, reply
    assert (case_study.weight, case_study.lease_hours) == (1000.0, 2.5)


# --- staff points ---------------------------------------------------------------------------------------

@pytest.fixture
def graded(make_block, call, transactional_db):
    """Two learners who reviewed each other (rubric out of 4). Returns the staff block."""
    a = make_block(olx("case_study_argument"), user="ana")
    graded_pair_by_handlers(call, a, make_block.as_user(a, "ben"), ("ana's answer", "ben's answer"),
                            ({"options": {"a": 1}}, {"options": {"a": 2}}))
    return make_block.as_user(a, "staff")


def ana():
    return PeerSubmission.objects.get(anonymous_user_id="ana").pk


def test_staff_points_are_read_in_their_language_and_an_ambiguous_one_is_asked(graded, call):
    with translation.override("es"):
        status, reply = call(graded, "staff_grade", {"submission": ana(), "points": "3.000", "reason": "Justo."})
    assert status == 400, reply
    [doubt] = reply["ambiguous"]
    assert [r["value"] for r in doubt["readings"]] == [3000, 3] and "puede leerse" in reply["error"]
    assert not StaffAction.objects.exists()
    status, reply = call(graded, "staff_grade", {"submission": ana(), "points": "3.000", "reason": "Fair.",
                                                 "meant": {"3.000": 3}})
    assert status == 200 and reply["detail"]["final_points"] == 3, reply
    status, reply = call(graded, "staff_grade", {"submission": ana(), "points": "2,0", "reason": "Fairer."})
    assert status == 200 and reply["detail"]["final_points"] == 2, reply
    status, reply = call(graded, "staff_grade", {"submission": ana(), "points": "2,5", "reason": "Half."})
    assert status == 400 and "whole number" in reply["error"]


# --- the editors' echo -----------------------------------------------------------------------------------

@pytest.mark.parametrize("language, typed, shown, message", [
    ("es", "1,5", "1,5", "Se guardará como 1,5."), ("fr", "1 895,25", "1895,25", "Sera enregistré comme 1895,25."),
    ("en", "1,895.5", "1895.5", "Will be saved as 1895.5."),
])
def test_the_editors_echo_the_number_they_will_save_in_the_authors_language(editor, case_study, call, language,
                                                                              typed, shown, message):
    for block in (editor, case_study):
        with translation.override(language):
            status, reply = call(block, "studio_read_number", {"text": typed})
        assert status == 200, reply
        assert (reply["text"], reply["message"]) == (shown, message)


def test_the_echo_asks_about_an_ambiguous_number_and_names_what_is_none(editor, call):
    with translation.override("es"):
        status, reply = call(editor, "studio_read_number", {"text": "1.895"})
        assert status == 400 and [r["text"] for r in reply["ambiguous"][0]["readings"]] == ["1895", "1,895"]
        status, reply = call(editor, "studio_read_number", {"text": "1.895", "meant": {"1.895": 1.895}})
        assert status == 200 and reply["message"] == "Se guardará como 1,895.", reply
        status, reply = call(editor, "studio_read_number", {"text": "mil"})
        assert status == 400 and reply["error"].startswith("Esto no es un número: «mil»."), reply


def test_a_learners_answer_is_shown_back_in_their_language_and_can_be_sent_again(make_block, call):
    quiz = make_block(QUIZ.replace('max_attempts="3"', 'max_attempts="0"'))
    with translation.override("fr"):
        status, _reply = call(quiz, "submit", {"attempt": 1, "answers": {"q1": "1,895", "q2": "1999,5"}})
        assert status == 400  # "1,895" is asked about
        status, _reply = call(quiz, "submit", {"attempt": 1, "answers": {"q1": "1,8950", "q2": "1999,5"}})
        assert status == 200
        html = quiz.render("student_view", {}).body_html()
    assert 'value="1,8950"' in html and 'value="1999,5"' in html
    status, reply = call(quiz, "submit", {"attempt": 2, "answers": {"q1": "1,8950", "q2": "1999,5"}})
    assert status == 200, reply


def test_the_case_study_editor_shows_stored_numbers_in_the_authors_language_never_ambiguous(case_study, call):
    status, reply = call(case_study, "studio_submit", case_study_payload(case_study, lease_hours=1.125,
                                                                         divergence_threshold="0,5"))
    assert status == 200, reply
    with translation.override("es"):
        html = case_study.render("studio_view", {}).body_html()
    assert 'name="lease_hours" value="1,1250"' in html and 'name="divergence_threshold" value="0,5"' in html
    # Saved again as shown, nothing is asked.
    status, reply = call(case_study, "studio_submit", case_study_payload(case_study, lease_hours="1,1250",
                                                                         divergence_threshold="0,5"))
    assert status == 200 and case_study.lease_hours == 1.125, reply


def test_the_pass_mark_is_typed_and_shown_in_the_authors_language(editor, call):
    body = editor_payload(editor)
    body["pass_mark"] = "62,5"
    status, reply = call(editor, "studio_submit", body)
    assert status == 200 and editor.pass_mark == 62.5, reply
    with translation.override("fr"):
        html = editor.render("studio_view", {}).body_html()
    assert 'data-setting="pass_mark" value="62,5"' in html and 'inputmode="decimal"' in html
