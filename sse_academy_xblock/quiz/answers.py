"""A learner's submitted answers, checked against the quiz's questions before grading.

:func:`validate_answers` collects every problem (as translated, human sentences naming the question)
instead of stopping at the first, so the submit is refused whole and changes nothing. ``_`` is the
caller's gettext.
"""

from __future__ import annotations

from .. import json_input
from .questions import MAX_TEXT_ANSWER, Question, question_label


def validate_answers(questions: list[Question], raw, _) -> tuple[dict, list[str]]:
    """Turn the submitted ``answers`` object into graded-ready values, or list what is wrong."""
    if not isinstance(raw, dict):
        return {}, [_("The answers must be sent as an object keyed by question.")]
    errors: list[str] = []
    known = {q.id for q in questions}
    for key in raw:
        if key not in known:
            errors.append(_('This quiz has no question with the id "%(id)s".') % {"id": str(key)[:64]})
    answers: dict = {}
    for number, question in enumerate(questions, start=1):
        if question.id not in raw:
            answers[question.id] = None
            continue
        value, error = _answer(question, raw[question.id], _)
        if error:
            errors.append(f"{question_label(_, number)}: {error}")
        else:
            answers[question.id] = value
    return answers, errors


def _answer(question: Question, value, _):
    """``(clean value, None)`` or ``(None, message)`` for one question's answer."""
    if value is None:
        return None, None
    qtype = question.type
    if qtype == "single":
        if not isinstance(value, str) or question.choice(value) is None:
            return None, _("choose one of the answers offered.")
        return value, None
    if qtype == "multiple":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None, _("the answer must be a list of the choices you selected.")
        if any(question.choice(v) is None for v in value):
            return None, _("one of the selected choices is not part of this question.")
        if len(set(value)) != len(value):
            return None, _("a choice was selected twice.")
        return list(value), None
    if qtype == "truefalse":
        if isinstance(value, bool):
            return value, None
        if isinstance(value, str) and value in ("true", "false"):
            return value == "true", None
        return None, _("answer true or false.")
    if qtype == "numeric":
        if isinstance(value, str) and not value.strip():
            return None, None
        # Only ASCII digits count: Python's ``float`` would also take "１８９５", "1_000" and "infinity".
        number = json_input.decimal(value)
        if number is None:
            return None, _("the answer must be a number, written with digits and a point for decimals (for example 2.5).")
        return number, None
    if qtype == "text":
        if not isinstance(value, str):
            return None, _("the answer must be text.")
        if len(value) > MAX_TEXT_ANSWER:
            return None, _("the answer is longer than %(limit)s characters.") % {"limit": MAX_TEXT_ANSWER}
        return (value if value.strip() else None), None
    return None, _("this question cannot be answered.")
