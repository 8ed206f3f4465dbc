"""Validation of learners' answers, of the Studio editor's payload, and the authors' warnings."""

import pytest

from sse_academy_xblock.quiz.answers import validate_answers
from sse_academy_xblock.quiz.authoring import content_errors, content_warnings, revealing_ids, validate_studio_payload
from sse_academy_xblock.quiz.questions import Choice, Question


def _(text):
    return text


QUESTIONS = [
    Question(id="s", type="single", choices=[Choice("a", correct=True), Choice("b")]),
    Question(id="m", type="multiple", choices=[Choice("a", correct=True), Choice("b")]),
    Question(id="t", type="truefalse", answer=True),
    Question(id="n", type="numeric", answer=1895.0),
    Question(id="x", type="text", accepted=["SEWA"]),
]


def test_valid_answers_are_normalised():
    answers, errors = validate_answers(
        QUESTIONS, {"s": "a", "m": ["b", "a"], "t": "false", "n": " 1895.0 ", "x": "sewa"}, _)
    assert errors == []
    assert answers == {"s": "a", "m": ["b", "a"], "t": False, "n": 1895.0, "x": "sewa"}


def test_unanswered_questions_are_none():
    answers, errors = validate_answers(QUESTIONS, {"n": "  ", "x": ""}, _)
    assert errors == [] and set(answers.values()) == {None}


@pytest.mark.parametrize("raw, fragment", [
    ({"zz": "a"}, 'no question with the id "zz"'),
    ({"s": "c"}, "Question 1: choose one of the answers offered"),
    ({"s": ["a"]}, "Question 1"),
    ({"m": "a"}, "Question 2: the answer must be a list"),
    ({"m": ["a", "q"]}, "Question 2: one of the selected choices is not part"),
    ({"m": ["a", "a"]}, "Question 2: a choice was selected twice"),
    ({"t": "yes"}, "Question 3: answer true or false"),
    ({"n": "about 1900"}, "Question 4: the answer must be a number"),
    ({"n": "nan"}, "Question 4: the answer must be a number"),
    ({"n": True}, "Question 4: the answer must be a number"),
    ({"x": "a" * 1001}, "Question 5: the answer is longer than 1000 characters"),
    ({"x": 5}, "Question 5: the answer must be text"),
])
def test_bad_answers_are_named(raw, fragment):
    _answers, errors = validate_answers(QUESTIONS, raw, _)
    assert any(fragment in e for e in errors), errors


def test_every_bad_answer_is_reported_at_once():
    _answers, errors = validate_answers(QUESTIONS, {"s": "c", "n": "x", "zz": 1}, _)
    assert len(errors) == 3


def test_answers_must_be_an_object():
    assert validate_answers(QUESTIONS, ["a"], _)[1]


def good_payload(**changes):
    payload = {
        "display_name": "Quiz", "dimension": "employment", "weight": "", "max_attempts": "2",
        "show_answer": "always", "shuffle": False, "pass_mark": "60", "multiple_scoring": "partial",
        "questions": [
            {"id": "q1", "type": "single", "prompt": "<p>Which?</p>", "points": "1", "dimension": "",
             "choices": [{"id": "a", "text": "A", "correct": True, "feedback": "Yes"},
                         {"id": "b", "text": "B", "correct": False, "feedback": ""}],
             "explanation": "Because."},
            {"id": "q2", "type": "numeric", "prompt": "Year?", "points": 2, "dimension": "social_dialogue",
             "answer": "1895", "tolerance": "0"},
            {"id": "q3", "type": "text", "prompt": "Name?", "accepted": ["Mondragon", " ", "Mondragón "]},
            {"id": "q4", "type": "truefalse", "prompt": "True?", "answer": False},
        ],
    }
    payload.update(changes)
    return payload


def test_a_good_payload_becomes_settings_and_questions():
    settings, questions, errors = validate_studio_payload(good_payload(), _)
    assert errors == []
    assert settings == {"display_name": "Quiz", "dimension": "employment", "weight": None, "max_attempts": 2,
                        "show_answer": "always", "shuffle": False, "pass_mark": 60, "multiple_scoring": "partial",
                        "retry_after_full": False, "content_language": "en", "redraw": False, "pools": []}
    q1, q2, q3, q4 = questions
    assert q1.dimension is None and q1.correct_choice_ids() == ["a"] and q1.points == 1.0
    assert (q2.answer, q2.tolerance, q2.points) == (1895.0, 0.0, 2.0)
    assert q3.accepted == ["Mondragon", "Mondragón"]
    assert q4.answer is False


def test_every_payload_error_is_returned_together():
    payload = good_payload(display_name=" ", dimension="health", weight="-1", max_attempts="1.5",
                           show_answer="soon", shuffle="yes", pass_mark="150", multiple_scoring="x")
    payload["questions"][0]["choices"][1]["correct"] = True      # two correct in a single question
    payload["questions"][1]["answer"] = "eighteen"
    payload["questions"][2]["accepted"] = []
    payload["questions"][3]["id"] = "q1"
    payload["questions"].append({"id": "q9", "type": "essay"})
    _settings, _questions, errors = validate_studio_payload(payload, _)
    expected = [
        "display name", "Decent Work dimension", "weight", "Maximum attempts", "when answers are shown",
        "Shuffle", "pass mark", "multiple choice questions are scored",
        "Question 1: a single choice question needs exactly one correct choice",
        "Question 2: a number question needs the correct number",
        "Question 3: a text question needs at least one accepted answer",
        'Question 4: the id "q1" is used by another question',
        "Question 5: choose a question type",
    ]
    for fragment in expected:
        assert any(fragment in e for e in errors), (fragment, errors)
    assert len(errors) == len(expected)


def test_content_warnings_and_errors():
    """An empty prompt, a choice question without a correct choice and a choice without text are errors
    (a save and an import refuse them); they used to be warnings, and were published."""
    questions = [
        Question(id="q1", type="multiple", prompt="", choices=[Choice("a", text="A"), Choice("b", text="B")]),
        Question(id="q1", type="truefalse", prompt="<p> </p>", answer=True),
        Question(id="q3", type="single", prompt="<img src='x.png' alt='chart'>",
                 choices=[Choice("a", text="A", correct=True), Choice("b")]),
    ]
    warnings = content_warnings(questions, 140, _)
    assert 'Question 2: the id "q1" is used by another question.' in warnings
    assert "The pass mark must be a percentage from 0 to 100." in warnings
    errors = content_errors(questions, _)
    assert errors == [
        "Question 1: the prompt is empty.",
        "Question 1: a multiple choice question needs at least one correct choice.",
        "Question 2: the prompt is empty.",
        "Question 3: every choice needs a text.",
    ]
    assert not set(errors) & set(warnings)


def test_a_well_made_quiz_has_no_warnings():
    good = [Question(id="s", type="single", prompt="Which?", choices=[Choice("a", correct=True), Choice("b")])]
    assert content_warnings(good, 60, _) == []


# --- ids that give the answer away ------------------------------------------------------------------


def _leaky(qid, qtype, **kw):
    from sse_academy_xblock.quiz.questions import Choice, Question

    question = Question(id=qid, type=qtype, prompt="<p>Which?</p>", **kw)
    return question


def test_ids_that_reveal_the_answer_are_warned_about():
    """Regression: the shipped scenario "answers never shown" leaked its key through the ids c102 and sewa."""
    from sse_academy_xblock.quiz.questions import Choice

    single = _leaky("c102", "single", choices=[Choice(id="c102", text="C102", correct=True), Choice(id="c122", text="C122")])
    text = _leaky("sewa", "text", accepted=["SEWA", "Self-Employed Women's Association"])
    number = _leaky("ica-1895", "numeric", answer=1895.0)
    telling = _leaky("q4", "multiple", choices=[Choice(id="right-1", text="A", correct=True), Choice(id="wrong", text="B")])
    neutral = _leaky("q5", "single", choices=[Choice(id="a", text="A", correct=True), Choice(id="b", text="B")])
    assert revealing_ids(single) == ["c102"]
    assert revealing_ids(text) == ["sewa"]
    assert revealing_ids(number) == ["ica-1895"]
    assert revealing_ids(telling) == ["right-1", "wrong"]
    assert revealing_ids(neutral) == []
    warnings = content_warnings([single, text, neutral], 60, lambda s: s)
    assert sum("gives the answer away" in w for w in warnings) == 2


def test_no_shipped_quiz_reveals_its_answers_through_ids():
    from pathlib import Path

    from lxml import etree

    from sse_academy_xblock import platform_olx
    from sse_academy_xblock.quiz import olx

    root = Path(__file__).resolve().parents[2] / "sse_academy_xblock"
    nodes = [etree.fromstring(p.read_bytes()) for p in sorted((root / "scenarios").glob("sse_quiz*.xml"))]
    for path in sorted((root / "curriculum").glob("*/module.xml")):
        nodes += list(etree.parse(str(path)).getroot().iter("sse_quiz"))
    assert len(nodes) >= 3
    for node in nodes:
        platform_attrs = set(platform_olx.platform_attributes(node, olx.SETTING_ATTRS))  # due, show_correctness...
        _settings, questions = olx.parse_quiz(node, platform_attrs=platform_attrs)
        assert [q.id for q in questions if revealing_ids(q)] == []
