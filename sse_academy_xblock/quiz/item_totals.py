"""Cross-learner answers of a quiz and their running totals: the storage behind item analysis.

A learner's counted (last) attempt is kept as one :class:`~.models.QuizItemAnswer` row per question,
and what it adds to the block's statistics is kept as increments of :class:`~.models.QuizItemTotal`
rows (see :mod:`sse_academy_xblock.insight.item_statistics` for the arithmetic). :func:`record` runs inside the
submit's transaction: it takes the learner's previous contribution away, stores the new rows and
applies the difference to the totals in one upsert statement whose increments are done by the
database, so two learners submitting at once both count. The staff panel then reads the totals of
one block (:func:`totals`): one query, a few hundred rows, whatever the number of learners.

The wrong answers of text and numeric questions are counted alongside (:mod:`.wrong_answers`), in
the same transaction and under the same row locks, and read in the same query (:func:`read`).

Semantics follow the roster: a resubmission or a rescore replaces the learner's rows; "delete learner
state" and user retirement take them away (:func:`forget`, :func:`forget_learner`); a reset of
attempts keeps them, as it keeps the score.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict

from django.db import connection, transaction

from .. import upsert
from ..insight import item_statistics
from . import grading, wrong_answers
from .models import QuizItemAnswer, QuizItemTotal, QuizWrongAnswer
from .questions import Question

QUESTION = ""  # the ``part`` of a question's sums
LEARNERS = ""  # the question id of the row that counts the block's learners
COUNTERS = ("n", "full", "sx", "sxx", "sy", "syy", "sxy", "earned", "possible")


def version_part(version: str) -> str:
    return "v:" + version


def version_of(question: Question) -> str:
    """A fingerprint of what grading a question depends on: its type, points, key and options (ids, texts and
    which are correct). Counted answers keep the version they were graded against (:func:`record`), so a
    question changed since (in Studio, or by a content library's sync) is told apart."""
    key = {"type": question.type, "points": float(question.points),
           "choices": [[c.id, c.text, bool(c.correct)] for c in question.choices]}
    if question.type in ("numeric", "truefalse"):
        key["answer"] = question.answer
    if question.type == "numeric":
        key["tolerance"] = float(question.tolerance)
    if question.type == "text":
        key["accepted"] = sorted({grading.normalise_text(a) for a in question.accepted})
    text = json.dumps(key, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def versions_of(questions: list[Question]) -> dict[str, str]:
    return {question.id: version_of(question) for question in questions}


def option_part(option: str) -> str:
    return "o:" + option


def band_part(band: int) -> str:
    return f"b:{band}"


def chosen_options(question: Question, answer) -> tuple[str, ...]:
    """The option ids a validated answer selects (true/false questions have the options "true" and "false")."""
    if question.type == "single":
        return (answer,) if isinstance(answer, str) and question.choice(answer) is not None else ()
    if question.type == "multiple":
        return tuple(c.id for c in question.choices if c.id in set(answer or []))
    if question.type == "truefalse" and isinstance(answer, bool):
        return ("true" if answer else "false",)
    return ()


def item_of(question: Question, default_dimension: str) -> item_statistics.Item:
    if question.type in ("single", "multiple"):
        return item_statistics.Item(question.id, grading._dimension(question, default_dimension),  # noqa: SLF001
                            tuple(c.id for c in question.choices), frozenset(question.correct_choice_ids()),
                            select_all=question.type == "multiple")
    if question.type == "truefalse":
        correct = frozenset() if question.answer is None else frozenset({"true" if question.answer else "false"})
        return item_statistics.Item(question.id, grading._dimension(question, default_dimension),  # noqa: SLF001
                            ("true", "false"), correct)
    return item_statistics.Item(question.id, grading._dimension(question, default_dimension))  # noqa: SLF001


def answers_of(questions: list[Question], answers: dict,
               result: grading.QuizResult) -> dict[str, item_statistics.Answer]:
    """A graded attempt as ``{question id: Answer}`` (every question of the quiz, unanswered ones included)."""
    out = {}
    for question in questions:
        graded = result.questions.get(question.id)
        if graded is not None:
            out[question.id] = item_statistics.Answer(graded.earned, graded.possible,
                                                      chosen_options(question, answers.get(question.id)))
    return out


def _contribution(row: QuizItemAnswer) -> item_statistics.Contribution:
    return item_statistics.Contribution(
        row.question_id, row.x, row.y, row.full,
        item_statistics._units(row.earned, item_statistics.POINT_SCALE),  # noqa: SLF001
        item_statistics._units(row.possible, item_statistics.POINT_SCALE),  # noqa: SLF001
        row.band, tuple(row.chosen or ()),
    )


def _deltas(changes) -> dict[tuple[str, str], dict[str, int]]:
    """``changes``: (contribution, +1 or -1) pairs -> the increments of each totals row they touch."""
    deltas: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    for c, sign in changes:
        row = deltas[(c.question, QUESTION)]
        for name, value in (("n", 1), ("full", int(c.full)), ("sx", c.x), ("sxx", c.x * c.x), ("sy", c.y),
                            ("syy", c.y * c.y), ("sxy", c.x * c.y), ("earned", c.earned), ("possible", c.possible)):
            row[name] += sign * value
        for option in c.chosen:
            deltas[(c.question, option_part(option))]["n"] += sign
        band = deltas[(c.question, band_part(c.band))]
        band["n"] += sign
        band["full"] += sign * int(c.full)
    return {key: values for key, values in deltas.items() if any(values.values())}


def _apply(usage_id: str, deltas: dict[tuple[str, str], dict[str, int]], touch=()) -> None:
    """Add the increments to the totals rows, creating missing rows: one statement, done by the database.

    Rows are written in key order, so two transactions lock shared rows in the same order. On
    PostgreSQL the rows travel as arrays (``unnest``), so the statement's text is the same whatever
    the number of rows (no per-call query conversion in the driver).

    ``touch``: questions whose sums row is written even when nothing is added to it, so this
    transaction holds its lock (the wrong answers of those questions change next).
    """
    deltas = dict(deltas)
    for question in touch:
        deltas.setdefault((question, QUESTION), dict.fromkeys(COUNTERS, 0))
    if not deltas:
        return
    columns = ("usage_id", "question_id", "part", *COUNTERS)
    keys = sorted(deltas)
    if connection.vendor == "postgresql":
        arrays = [[question for question, _part in keys], [part for _question, part in keys]]
        arrays += [[deltas[key][name] for key in keys] for name in COUNTERS]
        casts = ", ".join(["%s::varchar[]"] * 2 + ["%s::bigint[]"] * len(COUNTERS))
        rows = f"SELECT %s, d.* FROM unnest({casts}) AS d"
        params = [usage_id, *arrays]
    else:
        params = []
        for question, part in keys:
            params += [usage_id, question, part, *(deltas[(question, part)][name] for name in COUNTERS)]
        rows = upsert.values_list(len(keys), len(columns))
    sql = upsert.insert_or_update(connection, QuizItemTotal._meta.db_table, columns, rows,  # noqa: SLF001
                                  key=("usage_id", "question_id", "part"),
                                  assignments=[(c, f"{{old[{c}]}} + {{new[{c}]}}") for c in COUNTERS])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def record(anonymous_user_id: str, course_id: str, usage_id: str, answers: dict[str, item_statistics.Answer],
           wrong: dict[str, str] | None = None, versions: dict[str, str] | None = None) -> None:
    """Make ``answers`` the learner's counted attempt on this block: replace their rows, adjust the totals.

    ``wrong``: the attempt's counted wrong answers of text and numeric questions (:func:`.wrong_answers.values_of`);
    ``versions``: the version of each question the attempt was graded against (:func:`versions_of`).
    """
    new = item_statistics.contributions(answers)
    wrong = wrong or {}
    versions = versions or {}
    with transaction.atomic():
        old = list(QuizItemAnswer.objects.select_for_update()
                   .filter(usage_id=usage_id, anonymous_user_id=anonymous_user_id))
        changes = [(_contribution(row), -1) for row in old] + [(c, 1) for c in new]
        deltas = _deltas(changes)
        if bool(old) != bool(new):
            deltas.setdefault((LEARNERS, QUESTION), dict.fromkeys(COUNTERS, 0))["n"] += 1 if new else -1
        for question, version, sign in ([(row.question_id, row.version, -1) for row in old]
                                        + [(c.question, versions.get(c.question, ""), 1) for c in new]):
            if version:
                deltas.setdefault((question, version_part(version)), dict.fromkeys(COUNTERS, 0))["n"] += sign
        deltas = {key: values for key, values in deltas.items() if any(values.values())}
        was_counted = {row.question_id: row.wrong for row in old if row.wrong is not None}
        if old:
            QuizItemAnswer.objects.filter(pk__in=[row.pk for row in old]).delete()
        _apply(usage_id, deltas, touch=sorted(set(was_counted) | set(wrong)))
        counted = wrong_answers.keep(usage_id, was_counted, wrong)
        QuizItemAnswer.objects.bulk_create([
            QuizItemAnswer(anonymous_user_id=anonymous_user_id, course_id=course_id, usage_id=usage_id,
                           question_id=c.question, earned=answers[c.question].earned,
                           possible=answers[c.question].possible, chosen=list(c.chosen), x=c.x, y=c.y,
                           full=c.full, band=c.band, wrong=counted.get(c.question),
                           version=versions.get(c.question, ""))
            for c in new
        ])


def forget(anonymous_user_id: str, usage_id: str) -> None:
    """Take one learner's counted answers on this block out of its item analysis."""
    record(anonymous_user_id, "", usage_id, {})


def forget_learner(anonymous_user_id: str) -> int:
    """Take every counted answer of one learner out (user retirement); returns the blocks concerned."""
    usages = sorted(set(QuizItemAnswer.objects.filter(anonymous_user_id=anonymous_user_id)
                        .values_list("usage_id", flat=True)))
    for usage_id in usages:
        forget(anonymous_user_id, usage_id)
    return len(usages)


def totals(usage_id: str) -> tuple[int, dict[str, item_statistics.QuestionTotals]]:
    """The block's learners with a counted attempt and its totals per question: one query."""
    rows = QuizItemTotal.objects.filter(usage_id=usage_id).values_list("question_id", "part", *COUNTERS)
    return _totals_of(rows)


def _totals_of(rows) -> tuple[int, dict[str, item_statistics.QuestionTotals]]:
    learners, out = 0, {}
    for question, part, *values in rows:
        counts = dict(zip(COUNTERS, values))
        if question == LEARNERS:
            learners = counts["n"]
            continue
        t = out.setdefault(question, item_statistics.QuestionTotals())
        if part == QUESTION:
            for name in COUNTERS:
                setattr(t, name, counts[name])
        elif part.startswith("o:"):
            t.options[part[2:]] = counts["n"]
        elif part.startswith("b:") and part[2:].isdigit():
            t.bands[int(part[2:])] = [counts["n"], counts["full"]]
    return learners, out


def read(usage_id: str):
    """The block's learners, its totals per question, its counted wrong answers per question and the versions
    its counted answers were graded against, in one query (the totals' rows and the wrong answers' rows,
    ``UNION ALL``)."""
    qn = connection.ops.quote_name
    totals_table, wrong_table = QuizItemTotal._meta.db_table, QuizWrongAnswer._meta.db_table  # noqa: SLF001
    columns = ", ".join(qn(c) for c in COUNTERS)
    zeros = ", ".join(["0"] * (len(COUNTERS) - 1))
    sql = (f"SELECT 0, {qn('question_id')}, {qn('part')}, {columns} FROM {qn(totals_table)} WHERE {qn('usage_id')} = %s "
           f"UNION ALL SELECT 1, {qn('question_id')}, {qn('value')}, {qn('n')}, {zeros} FROM {qn(wrong_table)} "
           f"WHERE {qn('usage_id')} = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [usage_id, usage_id])
        rows = cursor.fetchall()
    learners, stored = _totals_of([row[1:] for row in rows if row[0] == 0])
    wrong = wrong_answers.grouped((question, value, count) for source, question, value, count, *_ in rows if source == 1)
    return learners, stored, wrong, _versions_of_rows(rows)


def _versions_of_rows(rows) -> dict[str, dict[str, int]]:
    """``{question id: {version: counted answers}}`` from the totals' version rows."""
    out: dict[str, dict[str, int]] = {}
    for source, question, part, count, *_ in rows:
        if source == 0 and part.startswith("v:") and count > 0:
            out.setdefault(question, {})[part[2:]] = count
    return out


def analysis(usage_id: str, questions: list[Question], default_dimension: str) -> item_statistics.QuizAnalysis:
    """The item analysis of a block's current questions over its counted attempts (one query)."""
    learners, stored = totals(usage_id)
    return item_statistics.analyse_totals([item_of(q, default_dimension) for q in questions], learners, stored)


def analysis_and_wrong_answers(usage_id: str, questions: list[Question], default_dimension: str):
    """The item analysis of a block's current questions, their counted wrong answers, and per question how
    many counted answers were graded against another version of it (changed since: :func:`version_of`);
    one query. A question no longer in the quiz (removed in Studio or by a library sync) is not analysed."""
    learners, stored, wrong, versions = read(usage_id)
    analysis_ = item_statistics.analyse_totals([item_of(q, default_dimension) for q in questions], learners, stored)
    stale = {q.id: sum(n for version, n in versions.get(q.id, {}).items() if version != version_of(q))
             for q in questions}
    return analysis_, wrong, {qid: n for qid, n in stale.items() if n}


def total_rows(usage_id: str, learners: int, totals: dict[str, item_statistics.QuestionTotals]) -> list[QuizItemTotal]:
    """The totals rows that hold ``learners`` and ``totals`` (the inverse of :func:`totals`)."""
    rows = [QuizItemTotal(usage_id=usage_id, question_id=LEARNERS, part=QUESTION, n=learners)]
    for question, t in totals.items():
        rows.append(QuizItemTotal(usage_id=usage_id, question_id=question, part=QUESTION,
                                  **{name: getattr(t, name) for name in COUNTERS}))
        rows += [QuizItemTotal(usage_id=usage_id, question_id=question, part=option_part(option), n=count)
                 for option, count in t.options.items() if count]
        rows += [QuizItemTotal(usage_id=usage_id, question_id=question, part=band_part(band), n=n, full=full)
                 for band, (n, full) in t.bands.items() if n]
    return rows


def rebuild(usage_id: str) -> int:
    """Recompute a block's totals from its stored answers (a repair tool: it reads every answer row).

    Returns the number of learners. Locks the block's answer rows while it works, so no submit of
    the block changes them in between.
    """
    with transaction.atomic():
        learners: dict[str, dict[str, item_statistics.Answer]] = {}
        versions: dict[tuple[str, str], int] = defaultdict(int)
        for row in QuizItemAnswer.objects.select_for_update().filter(usage_id=usage_id).iterator(chunk_size=2000):
            learners.setdefault(row.anonymous_user_id, {})[row.question_id] = item_statistics.Answer(
                row.earned, row.possible, tuple(row.chosen or ()))
            if row.version:
                versions[(row.question_id, row.version)] += 1
        count, computed = item_statistics.aggregate(learners.values())
        QuizItemTotal.objects.filter(usage_id=usage_id).delete()
        rows = total_rows(usage_id, count, computed)
        rows += [QuizItemTotal(usage_id=usage_id, question_id=question, part=version_part(version), n=n)
                 for (question, version), n in sorted(versions.items())]
        QuizItemTotal.objects.bulk_create(rows, batch_size=1000)
    return count
