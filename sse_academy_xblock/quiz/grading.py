"""Grading a learner's answers: pure functions over questions and validated answers.

Answers are in the shape :mod:`.answers` produces: a choice id (``single``), a list of choice
ids (``multiple``), a bool (``truefalse``), a float (``numeric``), a string (``text``), or None
when the learner left the question empty. Unanswered questions earn nothing.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import asdict, dataclass, field

from ..dimensions import DIMENSION_IDS, empty_breakdown
from .questions import ALL_OR_NOTHING, PARTIAL, Question

CORRECT = "correct"
INCORRECT = "incorrect"
PARTIALLY = "partial"
UNANSWERED = "unanswered"

# Two floats that differ by less than this are equal (0.1 + 0.2 against 0.3).
_EPSILON = 1e-9


@dataclass
class QuestionResult:
    question_id: str
    earned: float
    possible: float
    status: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class QuizResult:
    earned: float
    possible: float
    questions: dict[str, QuestionResult] = field(default_factory=dict)
    breakdown: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def full_marks(self) -> bool:
        return self.possible > 0 and self.earned >= self.possible - _EPSILON

    def results_dict(self) -> dict[str, dict]:
        return {qid: r.to_dict() for qid, r in self.questions.items()}


def normalise_text(value: str) -> str:
    """Text compared without regard to case, Unicode form, surrounding or repeated whitespace, or a
    closing full stop ("Johannesburg." is "Johannesburg": learners end answers as they end sentences)."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", value).casefold())
    return " ".join(folded.split()).rstrip(". ")


def _status(earned: float, possible: float) -> str:
    if possible > 0 and earned >= possible - _EPSILON:
        return CORRECT
    if earned <= _EPSILON:
        return INCORRECT
    return PARTIALLY


def _fraction(question: Question, answer, multiple_scoring: str) -> float:
    """The share of the question's points earned, 0 to 1."""
    qtype = question.type
    if qtype == "single":
        choice = question.choice(answer) if isinstance(answer, str) else None
        return 1.0 if choice is not None and choice.correct else 0.0
    if qtype == "multiple":
        selected = set(answer or [])
        correct = set(question.correct_choice_ids())
        if multiple_scoring == PARTIAL:
            if not correct:
                return 1.0 if not selected else 0.0
            hits = len(selected & correct)
            misses = len(selected - correct)
            return max(0.0, (hits - misses) / len(correct))
        return 1.0 if selected == correct else 0.0
    if qtype == "truefalse":
        return 1.0 if isinstance(answer, bool) and question.answer is not None and answer == question.answer else 0.0
    if qtype == "numeric":
        if answer is None or question.answer is None:
            return 0.0
        slack = float(question.tolerance) + _EPSILON * max(1.0, abs(float(question.answer)))
        return 1.0 if abs(float(answer) - float(question.answer)) <= slack else 0.0
    if qtype == "text":
        if not isinstance(answer, str) or not answer.strip():
            return 0.0
        given = normalise_text(answer)
        return 1.0 if any(given == normalise_text(a) for a in question.accepted) else 0.0
    raise ValueError(f"unknown question type {qtype!r}")


GUESS_CHOICES_LIMIT = 12  # beyond this many options, the selections of a multiple-answer question are not listed


def random_guess_score(question: Question, multiple_scoring: str = ALL_OR_NOTHING) -> float | None:
    """The mean share of the points a learner earns by answering at random (Moodle's "random guess score").

    A single-choice or true/false question: one option picked at random; a multiple-answer question:
    one of its non-empty selections at random, graded as the quiz grades them; a text or numeric
    question: 0 (nothing to pick from). None for a multiple-answer question with more than
    :data:`GUESS_CHOICES_LIMIT` options.
    """
    if question.type == "single":
        ids = [c.id for c in question.choices]
        return sum(_fraction(question, i, multiple_scoring) for i in ids) / len(ids) if ids else None
    if question.type == "truefalse":
        return (_fraction(question, True, multiple_scoring) + _fraction(question, False, multiple_scoring)) / 2
    if question.type == "multiple":
        ids = [c.id for c in question.choices]
        if not ids or len(ids) > GUESS_CHOICES_LIMIT:
            return None
        picks = [[i for bit, i in enumerate(ids) if mask >> bit & 1] for mask in range(1, 2 ** len(ids))]
        return sum(_fraction(question, pick, multiple_scoring) for pick in picks) / len(picks)
    return 0.0


def is_unanswered(question: Question, answer) -> bool:
    if answer is None:
        return True
    if question.type == "multiple":
        return not answer
    if question.type == "text":
        return not str(answer).strip()
    return False


def grade_question(question: Question, answer, multiple_scoring: str = ALL_OR_NOTHING) -> QuestionResult:
    possible = float(question.points)
    if is_unanswered(question, answer) and not (question.type == "multiple" and not question.correct_choice_ids()):
        return QuestionResult(question.id, 0.0, possible, UNANSWERED)
    earned = _round(possible * _fraction(question, answer, multiple_scoring))
    return QuestionResult(question.id, earned, possible, _status(earned, possible))


def grade_quiz(
    questions: list[Question], answers: dict, multiple_scoring: str, default_dimension: str
) -> QuizResult:
    """Grade every question; the per-dimension breakdown covers all four dimensions."""
    results: dict[str, QuestionResult] = {}
    breakdown = empty_breakdown()
    for question in questions:
        result = grade_question(question, answers.get(question.id), multiple_scoring)
        results[question.id] = result
        dim = _dimension(question, default_dimension)
        breakdown[dim]["earned"] = _round(breakdown[dim]["earned"] + result.earned)
        breakdown[dim]["possible"] = _round(breakdown[dim]["possible"] + result.possible)
    earned = _round(sum(r.earned for r in results.values()))
    possible = _round(sum(r.possible for r in results.values()))
    return QuizResult(earned=earned, possible=possible, questions=results, breakdown=breakdown)


def possible_by_dimension(questions: list[Question], default_dimension: str) -> dict[str, float]:
    """Points available per dimension, from content only (dimensions with no questions omitted)."""
    totals: dict[str, float] = {}
    for question in questions:
        dim = _dimension(question, default_dimension)
        totals[dim] = _round(totals.get(dim, 0.0) + float(question.points))
    return {d: totals[d] for d in DIMENSION_IDS if d in totals}


def max_points(questions: list[Question]) -> float:
    return _round(sum(float(q.points) for q in questions))


def percent(earned: float, possible: float) -> float:
    return round(100.0 * earned / possible, 1) if possible > 0 else 0.0


def passed(earned: float, possible: float, pass_mark: float) -> bool:
    return possible > 0 and 100.0 * earned / possible >= float(pass_mark) - _EPSILON


def scaled_breakdown(possible_by_dim: dict[str, float], earned: float, possible: float) -> dict:
    """A breakdown for a score set from outside (a staff override): each dimension at the same share."""
    share = earned / possible if possible > 0 else 0.0
    breakdown = empty_breakdown()
    for dim, points in possible_by_dim.items():
        breakdown[dim] = {"earned": _round(points * share), "possible": points}
    return breakdown


def _dimension(question: Question, default_dimension: str) -> str:
    dim = question.dimension_or(default_dimension)
    return dim if dim in DIMENSION_IDS else default_dimension


def _round(value: float) -> float:
    """Points kept to 4 decimals so sums of fractional partial credit compare exactly."""
    rounded = round(float(value), 4)
    return 0.0 if rounded == 0 or math.isnan(rounded) else rounded
