"""The quiz's tracking events, in the shapes the platform's analytics already read.

Open edX analytics (Aspects through event-routing-backends, the older Insights pipeline) read a
problem's answers from the ``problem_check`` server event of the platform's own problem block
(``submit_problem`` in xmodule/capa_block.py of openedx/openedx-platform, read at commit
09b3dccbab648de797bb5409f4ae6d42bd826407). A counted quiz attempt is published with the same name and
fields, one "input" per question; the block publishes what these functions build
(:mod:`sse_academy_xblock.blocks.quiz`). docs/events.md lists every event, its fields and when it is sent.

Plain functions of the questions, the answers and the grading: no runtime, no database.

* ``problem_check(usage_id, questions, answers, result, *, attempts, before_answers, before_results) -> dict``
* ``show_answer(usage_id) -> dict``
* ``attempts_reset(usage_id, learner, attempts) -> dict``
* ``answer_id(usage_id, question_id) -> str``
"""

from __future__ import annotations

from ..sanitize import author_text
from .grading import CORRECT, PARTIALLY, QuizResult
from .questions import Question

PROBLEM_CHECK = "problem_check"
SHOW_ANSWER = "showanswer"
ATTEMPTS_RESET = "sse_academy.quiz.attempts_reset"

# Our question types as the platform problem's response and input types (the XML tags of a CAPA problem),
# which event-routing-backends turns into xAPI interaction types (choice, true-false, numeric, fill-in).
RESPONSE_TYPES: dict[str, tuple[str, str]] = {
    "single": ("multiplechoiceresponse", "choicegroup"),
    "multiple": ("choiceresponse", "checkboxgroup"),
    "truefalse": ("truefalseresponse", "choicegroup"),
    "numeric": ("numericalresponse", "textline"),
    "text": ("stringresponse", "textline"),
}

# A question's result as the platform's correctness map words it (``CorrectMap``: "correct",
# "partially-correct", "incorrect"); an unanswered question is incorrect there.
CORRECTNESS = {CORRECT: "correct", PARTIALLY: "partially-correct"}


def answer_id(usage_id: str, question_id: str) -> str:
    """The id of one question's answer: the block's id, "_", the question's id (stable when questions move).

    The platform names a problem's inputs ``<block id>_<n>_1``; event-routing-backends makes each input's
    xAPI activity id by putting this id in place of the block id in the block's usage key.
    """
    return f"{usage_id.rsplit('@', 1)[-1]}_{question_id}"


def _number(value: float) -> int | float:
    """Points as the platform's events write them: whole numbers as integers."""
    value = float(value)
    return int(value) if value.is_integer() else value


def _choice_text(question: Question, choice_id) -> str:
    choice = question.choice(choice_id) if isinstance(choice_id, str) else None
    return author_text(choice.text) if choice is not None else str(choice_id)


def stored_answer(question: Question, answer) -> str | list[str]:
    """The answer as the quiz keeps it (choice ids), as text: "" for an unanswered question."""
    if answer is None:
        return ""
    if question.type == "multiple":
        return [str(a) for a in answer]
    if question.type == "truefalse":
        return "true" if answer else "false"
    if question.type == "numeric":
        return str(_number(answer))
    return str(answer)


def shown_answer(question: Question, answer) -> str | list[str]:
    """The answer as the learner saw it: the text of the chosen choices, else what :func:`stored_answer` says."""
    if answer is None:
        return ""
    if question.type == "single":
        return _choice_text(question, answer)
    if question.type == "multiple":
        return [_choice_text(question, a) for a in answer]
    return stored_answer(question, answer)


def _correct_map(usage_id: str, questions: list[Question], results: dict) -> dict:
    found = {}
    for question in questions:
        result = results.get(question.id)
        if not isinstance(result, dict):
            continue
        found[answer_id(usage_id, question.id)] = {
            "correctness": CORRECTNESS.get(result.get("status"), "incorrect"),
            "npoints": _number(result.get("earned") or 0),
            "msg": "",
            "hint": "",
            "hintmode": None,
            "queuestate": None,
            "answervariable": None,
        }
    return found


def state(usage_id: str, questions: list[Question], answers: dict, results: dict) -> dict:
    """The learner's state as the platform's problems report it: their answers and results, ``done`` once
    they have some."""
    return {
        "seed": 1,
        "student_answers": {answer_id(usage_id, q.id): stored_answer(q, answers.get(q.id))
                            for q in questions if answers.get(q.id) is not None},
        "has_saved_answers": False,
        "correct_map": _correct_map(usage_id, questions, results),
        "input_state": {answer_id(usage_id, q.id): {} for q in questions},
        "done": bool(results),
    }


def problem_check(usage_id: str, questions: list[Question], answers: dict, result: QuizResult, *, attempts: int,
                  before_answers: dict | None = None, before_results: dict | None = None) -> dict:
    """A counted attempt: every question's answer (as stored and as shown), whether it was right, the points.

    ``state`` is the learner's state before this attempt (their previous answers and results), as the
    platform's problems send it; ``grade`` and ``max_grade`` are the raw points of this attempt (before
    the quiz's weight), ``attempts`` the attempts counted so far, this one included; ``success`` is
    "correct" only with full marks.
    """
    results = result.results_dict()
    submission = {}
    for question in questions:
        response_type, input_type = RESPONSE_TYPES[question.type]
        graded = result.questions.get(question.id)
        submission[answer_id(usage_id, question.id)] = {
            "question": author_text(question.prompt),
            "answer": shown_answer(question, answers.get(question.id)),
            "response_type": response_type,
            "input_type": input_type,
            "correct": graded is not None and graded.status == CORRECT,
            "variant": "",
            "group_label": "",
        }
    return {
        "state": state(usage_id, questions, before_answers or {}, before_results or {}),
        "problem_id": usage_id,
        "answers": {answer_id(usage_id, q.id): stored_answer(q, answers.get(q.id)) for q in questions},
        "grade": _number(result.earned),
        "max_grade": _number(result.possible),
        "correct_map": _correct_map(usage_id, questions, results),
        "success": "correct" if result.full_marks else "incorrect",
        "attempts": attempts,
        "submission": submission,
    }


def show_answer(usage_id: str) -> dict:
    """The answer key was shown to the learner (the platform's ``showanswer``)."""
    return {"problem_id": usage_id}


def attempts_reset(usage_id: str, learner: str, attempts: int) -> dict:
    """Course staff gave a learner their attempts back from the quiz's staff panel (answers and score kept)."""
    return {"problem_id": usage_id, "learner_id": learner, "attempts": attempts}
