"""The most frequent wrong answers of text and numeric questions: what is counted, and the bounded counts.

A wrong answer is counted as grading compares it: a text answer normalised by
:func:`~.grading.normalise_text` (case, Unicode form, whitespace, a closing full stop), a number as
:mod:`sse_academy_xblock.typed_numbers` read it, written in its shortest exact form ("1895", "2.5",
"-0.38"), so "1 895" and "1895,0" are one answer. Only answers that earned nothing count (unanswered
questions do not).

The counts (:class:`~.models.QuizWrongAnswer`) are bounded per question:

* at most :data:`MAX_VALUES` distinct values, each at most :data:`VALUE_LENGTH` characters; a longer
  answer is counted among the question's *other* wrong answers (one row, empty value);
* a new value when the question already counts :data:`MAX_VALUES` takes the place of the least frequent
  value if that value was given by one learner only (the oldest such value first): that learner is
  then counted among the other answers. When every counted value was given by two learners or more,
  the new value is counted among the other answers. So one-off typos never keep a frequent answer out,
  and a value given by several learners keeps its count;
* a value nobody gives any more (resubmissions, deleted state, retirement) is removed, which frees its place.

:func:`keep` runs in the submit's transaction (:func:`.item_totals.record`), after the item totals'
upsert has locked the question's totals row: the counts of one question are changed by one
transaction at a time, so the bound holds under simultaneous submits.
"""

from __future__ import annotations

from . import grading
from .models import QuizItemAnswer, QuizWrongAnswer
from .questions import Question

MAX_VALUES = 20
VALUE_LENGTH = 200
OTHER = ""  # the value of the row counting a question's other wrong answers
TYPES = ("text", "numeric")


def number_key(number: float) -> str:
    """A number in the shortest form that reads back as itself: 1895.0 -> "1895", 2.5 -> "2.5"."""
    number = float(number)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def value_of(question: Question, answer, graded: grading.QuestionResult | None) -> str | None:
    """The wrong answer as it is counted, :data:`OTHER` for one too long to keep, None when there is none."""
    if question.type not in TYPES or graded is None or graded.status != grading.INCORRECT or answer is None:
        return None
    value = grading.normalise_text(answer) if question.type == "text" else number_key(answer)
    return value if value and len(value) <= VALUE_LENGTH else OTHER


def values_of(questions: list[Question], answers: dict, result: grading.QuizResult) -> dict[str, str]:
    """``{question id: counted wrong answer}`` of a graded attempt (questions without one left out)."""
    out = {}
    for question in questions:
        value = value_of(question, answers.get(question.id), result.questions.get(question.id))
        if value is not None:
            out[question.id] = value
    return out


def keep(usage_id: str, old: dict[str, int | None], new: dict[str, str]) -> dict[str, int]:
    """Move one learner's counted wrong answers from the rows ``old`` points at to the values ``new``.

    ``old``: ``{question id: row id}`` where the learner was counted; ``new``: ``{question id: value}``.
    Returns ``{question id: row id}`` where they are counted now. The caller holds the lock of every
    question concerned (see the module's docstring). One read, then at most two writes, and one insert
    for each value counted for the first time. Nothing is written when the learner's counts stay.
    """
    questions = sorted({q for q, pk in old.items() if pk is not None} | set(new))
    if not questions:
        return {}
    rows = list(QuizWrongAnswer.objects.filter(usage_id=usage_id, question_id__in=questions).order_by("id"))
    before = {row.pk: row.n for row in rows}
    kept: dict[str, int] = {}
    for question in questions:
        table = {row.value: row for row in rows if row.question_id == question}
        row = _counted_in(table, old.get(question))
        if row is not None:
            row.n -= 1
        value = new.get(question)
        if value is None:
            continue
        target = _place(usage_id, question, table, rows, value)
        target.n += 1
        if target.pk is None:
            target.save()
            before[target.pk] = target.n
        kept[question] = target.pk
    changed = [row for row in rows if row.n != before.get(row.pk)]
    if any(row.n <= 0 for row in changed):
        QuizWrongAnswer.objects.filter(pk__in=[row.pk for row in changed if row.n <= 0]).delete()
    if any(row.n > 0 for row in changed):
        QuizWrongAnswer.objects.bulk_update([row for row in changed if row.n > 0], ["n"])
    return kept


def _counted_in(table: dict[str, QuizWrongAnswer], pk: int | None) -> QuizWrongAnswer | None:
    """The row a learner was counted in: the one ``pk`` names, or the other answers' if it gave its place."""
    if pk is None:
        return None
    row = next((r for r in table.values() if r.pk == pk), None)
    return row if row is not None else table.get(OTHER)


def _place(usage_id: str, question: str, table: dict[str, QuizWrongAnswer], rows: list[QuizWrongAnswer],
           value: str) -> QuizWrongAnswer:
    """The row a wrong answer is counted in (a new row is not saved yet): the rule of the module's docstring."""
    row = table.get(value)
    if row is not None:
        return row
    if value != OTHER:
        tracked = [r for v, r in table.items() if v != OTHER and r.n > 0]
        if len(tracked) >= MAX_VALUES:
            weakest = min(tracked, key=lambda r: (r.n, r.pk))
            if weakest.n > 1:
                return _place(usage_id, question, table, rows, OTHER)
            weakest.n -= 1  # its learner now counts among the other answers
            _place(usage_id, question, table, rows, OTHER).n += 1
    row = QuizWrongAnswer(usage_id=usage_id, question_id=question, value=value, n=0)
    if value == OTHER:
        row.save()
    table[value] = row
    rows.append(row)
    return row


def learners_counted(usage_id: str, question_id: str, value: str) -> list[str] | None:
    """The learners counted with the wrong answer ``value`` of a question (their counted attempt gave it), or
    None when it is not one of the question's counted wrong answers (two queries)."""
    row = QuizWrongAnswer.objects.filter(usage_id=usage_id, question_id=question_id, value=value, n__gt=0).first()
    if row is None or value == OTHER:
        return None
    return list(QuizItemAnswer.objects.filter(usage_id=usage_id, question_id=question_id, wrong=row.pk)
                .order_by("anonymous_user_id").values_list("anonymous_user_id", flat=True))


def grouped(rows) -> dict[str, list[tuple[str, int]]]:
    """``{question id: [(value, count), ...]}`` from ``rows`` of (question id, value, count), most frequent
    first (then by value), the other answers last."""
    out: dict[str, list[tuple[str, int]]] = {}
    for question, value, count in rows:
        if count > 0:
            out.setdefault(question, []).append((value, count))
    for values in out.values():
        values.sort(key=lambda vc: (vc[0] == OTHER, -vc[1], vc[0]))
    return out
