"""Numbers typed in the person's language, through the blocks: the learner's quiz answer, the editors' saves.

A French learner writes "1 895" and "1999,0"; a Spanish author writes "1,5" points and "0,5" tolerance. A form
with two readings ("1.895": 1895 in Spain, 1.895 in Mexico) is never guessed: nothing is saved and the person
is asked, with both readings written in their language.
"""

from __future__ import annotations

import pytest
from django.utils import translation

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
