"""Grading of every question type and scoring policy, without a runtime."""

import pytest

from sse_academy_xblock.quiz import grading
from sse_academy_xblock.quiz.questions import ALL_OR_NOTHING, PARTIAL, Choice, Question


def single():
    return Question(id="s", type="single", points=2, choices=[
        Choice("a", "A", correct=True, feedback="yes"), Choice("b", "B", feedback="no"), Choice("c", "C")])


def multiple(points=3):
    return Question(id="m", type="multiple", points=points, choices=[
        Choice("a", "A", correct=True), Choice("b", "B", correct=True), Choice("c", "C", correct=True),
        Choice("x", "X"), Choice("y", "Y")])


@pytest.mark.parametrize("answer, earned, status", [
    ("a", 2, "correct"), ("b", 0, "incorrect"), (None, 0, "unanswered"), ("zzz", 0, "incorrect"),
])
def test_single_choice(answer, earned, status):
    result = grading.grade_question(single(), answer)
    assert (result.earned, result.possible, result.status) == (earned, 2, status)


@pytest.mark.parametrize("answer, earned", [
    (["a", "b", "c"], 3), (["c", "b", "a"], 3), (["a", "b"], 0), (["a", "b", "c", "x"], 0), ([], 0),
])
def test_multiple_all_or_nothing(answer, earned):
    assert grading.grade_question(multiple(), answer, ALL_OR_NOTHING).earned == earned


@pytest.mark.parametrize("answer, earned, status", [
    (["a", "b", "c"], 3, "correct"),
    (["a", "b"], 2, "partial"),             # two of three correct: 2/3 of 3 points
    (["a", "b", "x"], 1, "partial"),        # +2 -1
    (["a", "x", "y"], 0, "incorrect"),      # +1 -2 floors at 0, never negative
    (["x", "y"], 0, "incorrect"),
])
def test_multiple_partial_credit_with_floor(answer, earned, status):
    result = grading.grade_question(multiple(), answer, PARTIAL)
    assert result.earned == pytest.approx(earned)
    assert result.status == status


def test_partial_credit_is_scaled_to_points():
    result = grading.grade_question(multiple(points=1), ["a"], PARTIAL)
    assert result.earned == pytest.approx(1 / 3, abs=1e-4)


@pytest.mark.parametrize("key, answer, earned", [(True, True, 1), (True, False, 0), (False, False, 1), (False, None, 0)])
def test_true_false(key, answer, earned):
    question = Question(id="t", type="truefalse", answer=key)
    assert grading.grade_question(question, answer).earned == earned


@pytest.mark.parametrize("answer, earned", [
    (1895.0, 1), (1895.5, 1), (1894.5, 1), (1896.0, 0), (1894.4, 0), (None, 0),
])
def test_numeric_within_absolute_tolerance(answer, earned):
    question = Question(id="n", type="numeric", answer=1895.0, tolerance=0.5)
    assert grading.grade_question(question, answer).earned == earned


def test_numeric_exact_answer_tolerates_float_rounding():
    question = Question(id="n", type="numeric", answer=0.3, tolerance=0.0)
    assert grading.grade_question(question, 0.1 + 0.2).status == "correct"
    assert grading.grade_question(question, 0.31).status == "incorrect"


@pytest.mark.parametrize("answer, earned", [
    ("Mondragon", 1),
    ("  mondragon  ", 1),
    ("MONDRAGÓN", 1),
    ("Mondrago\u0301n", 1),          # decomposed accent (NFD) equals the composed accepted answer
    ("self-employed   women's\tassociation", 1),
    ("Mondragon cooperative", 0),
    ("", 0),
])
def test_text_ignores_case_whitespace_and_unicode_form(answer, earned):
    question = Question(id="x", type="text", accepted=["Mondragon", "Mondragón", "Self-Employed Women's Association"])
    assert grading.grade_question(question, answer).earned == earned


@pytest.mark.parametrize("answer, status", [
    ("Johannesburg.", "correct"),          # an answer ended like a sentence
    ("johannesburg .", "correct"),
    ("Johannesburg...", "correct"),
    ("Johannesbourg.", "correct"),         # the French spelling, itself an accepted answer
    (".", "incorrect"),
    ("Johannesburg, Turin", "incorrect"),
])
def test_text_accepts_a_closing_full_stop(answer, status):
    question = Question(id="x", type="text", accepted=["Johannesburg", "Johannesbourg", "Johannesburgo"])
    assert grading.grade_question(question, answer).status == status


def test_text_accepted_answer_written_with_a_full_stop_matches_without_one():
    question = Question(id="x", type="text", accepted=["Ela R. Bhatt."])
    assert grading.grade_question(question, "ela r. bhatt").status == "correct"
    assert grading.grade_question(question, "ela r bhatt").status == "incorrect"


def test_text_casefold_handles_sharp_s():
    question = Question(id="x", type="text", accepted=["Straße"])
    assert grading.grade_question(question, "STRASSE").status == "correct"


def test_quiz_total_and_per_dimension_breakdown():
    questions = [
        Question(id="s", type="single", points=2, dimension="employment",
                 choices=[Choice("a", correct=True), Choice("b")]),
        Question(id="t", type="truefalse", answer=True),                     # quiz default dimension
        Question(id="n", type="numeric", answer=3.0, points=3, dimension="social_protection"),
    ]
    result = grading.grade_quiz(questions, {"s": "a", "t": False, "n": 3}, ALL_OR_NOTHING, "rights_at_work")
    assert (result.earned, result.possible) == (5, 6)
    assert result.breakdown["employment"] == {"earned": 2, "possible": 2}
    assert result.breakdown["rights_at_work"] == {"earned": 0, "possible": 1}
    assert result.breakdown["social_protection"] == {"earned": 3, "possible": 3}
    assert result.breakdown["social_dialogue"] == {"earned": 0, "possible": 0}
    assert not result.full_marks
    assert grading.possible_by_dimension(questions, "rights_at_work") == {
        "employment": 2, "social_protection": 3, "rights_at_work": 1}


def test_missing_answers_earn_nothing():
    result = grading.grade_quiz([single()], {}, ALL_OR_NOTHING, "employment")
    assert result.questions["s"].status == "unanswered"
    assert result.earned == 0 and result.possible == 2


@pytest.mark.parametrize("earned, possible, mark, expected", [
    (6, 10, 60, True), (5.9, 10, 60, False), (0, 10, 0, True), (10, 10, 100, True), (0, 0, 0, False),
])
def test_pass_mark(earned, possible, mark, expected):
    assert grading.passed(earned, possible, mark) is expected


def test_scaled_breakdown_spreads_an_override_over_dimensions():
    breakdown = grading.scaled_breakdown({"employment": 2, "social_dialogue": 2}, 2, 4)
    assert breakdown["employment"] == {"earned": 1, "possible": 2}
    assert breakdown["social_dialogue"] == {"earned": 1, "possible": 2}
