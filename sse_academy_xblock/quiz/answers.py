"""A learner's submitted answers, checked against the quiz's questions before grading.

Every problem is collected (each naming its question) instead of stopping at the first, so the
submit is refused whole and changes nothing: :func:`read_answers` raises them as one
:class:`~sse_academy_xblock.refusals.Refusals`, translated where it is shown; :func:`validate_answers`
words them with a caller's gettext.
"""

from __future__ import annotations

from .. import typed_numbers
from ..i18n import gettext_noop as _
from ..refusals import Refusal, Refusals
from .questions import MAX_TEXT_ANSWER, Question, question_label


class AnswerRefusal(Refusal):
    """What is wrong with the answer to one question, named by its number: "Question 3: answer true or false."."""

    def __init__(self, number: int, problem: Refusal, field: str | None = None):
        super().__init__(problem.message, status=problem.status, **problem.params)
        self.number = number
        self.field = field

    def translated(self, gettext) -> str:
        return f"{question_label(gettext, self.number)}: {super().translated(gettext)}"


def _check(questions: list[Question], raw) -> tuple[dict, list[Refusal]]:
    """The submitted ``answers`` object as graded-ready values, and every problem found (untranslated)."""
    if not isinstance(raw, dict):
        return {}, [Refusal(_("The answers must be sent as an object keyed by question."))]
    problems: list[Refusal] = []
    known = {q.id for q in questions}
    for key in raw:
        if key not in known:
            problems.append(Refusal(_('This quiz has no question with the id "%(id)s".'), id=str(key)[:64]))
    answers: dict = {}
    for number, question in enumerate(questions, start=1):
        if question.id not in raw:
            answers[question.id] = None
            continue
        try:
            answers[question.id] = _answer(question, raw[question.id])
        except Refusal as problem:
            problems.append(AnswerRefusal(number, problem, question.id))
    return answers, problems


def read_answers(questions: list[Question], raw) -> dict:
    """The submitted answers, ready for grading, or :class:`~sse_academy_xblock.refusals.Refusals` (400)
    naming every problem at once."""
    answers, problems = _check(questions, raw)
    if problems:
        raise Refusals(problems)
    return answers


def validate_answers(questions: list[Question], raw, gettext) -> tuple[dict, list[str]]:
    """The same check, with every problem worded by ``gettext`` (a sentence naming its question)."""
    answers, problems = _check(questions, raw)
    return answers, [problem.translated(gettext) for problem in problems]


def _answer(question: Question, value):
    """One question's answer as a clean value (None when unanswered), or a :class:`Refusal` saying why not."""
    if value is None:
        return None
    qtype = question.type
    if qtype == "single":
        if not isinstance(value, str) or question.choice(value) is None:
            raise Refusal(_("choose one of the answers offered."))
        return value
    if qtype == "multiple":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise Refusal(_("the answer must be a list of the choices you selected."))
        if any(question.choice(v) is None for v in value):
            raise Refusal(_("one of the selected choices is not part of this question."))
        if len(set(value)) != len(value):
            raise Refusal(_("a choice was selected twice."))
        return list(value)
    if qtype == "truefalse":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value in ("true", "false"):
            return value == "true"
        raise Refusal(_("answer true or false."))
    if qtype == "numeric":
        if isinstance(value, str) and not value.strip():
            return None
        # Typed in the learner's way (see sse_academy_xblock.typed_numbers): "1 895", "1999,0", "2.5". A form
        # with two readings ("1.895") is not guessed: the learner is asked to write it again without the doubt.
        try:
            number = typed_numbers.read(value)
        except typed_numbers.Ambiguous as doubt:
            raise doubt.for_learner() from None
        if number is None:
            raise Refusal(_("the answer must be a number: digits, with a decimal comma or point (2,5 or 2.5)."))
        return number
    if qtype == "text":
        if not isinstance(value, str):
            raise Refusal(_("the answer must be text."))
        if len(value) > MAX_TEXT_ANSWER:
            raise Refusal(_("the answer is longer than %(limit)s characters."), limit=MAX_TEXT_ANSWER)
        return value if value.strip() else None
    raise Refusal(_("this question cannot be answered."))
