"""Cross-learner answers of a quiz and their running totals: the storage behind item analysis.

A learner's graded attempts are kept as :class:`~.models.QuizItemAnswer` rows, one per question, in
three attempt sets (``last``: the counted attempt; ``first``; ``all``), and what they add to the block's statistics is kept as increments of :class:`~.models.QuizItemTotal`
rows, per set (see :mod:`sse_academy_xblock.insight.item_statistics` and
:mod:`sse_academy_xblock.insight.score_statistics` for the arithmetic). :func:`record` runs inside the
submit's transaction: it takes the learner's previous contribution away, stores the new rows and
applies the difference to the totals in one upsert statement whose increments are done by the
database, so two learners submitting at once both count. The staff panel then reads the totals of
one block and set (:func:`set_totals`): one query, a few thousand rows, whatever the number of learners.

Semantics follow the roster: a resubmission replaces the learner's ``last`` rows and adds to ``all``;
a rescore replaces the graded last attempt wherever it is kept (``last``, and ``all`` and ``first`` when
they hold that attempt; earlier attempts keep the grading they had); "delete learner state" and user
retirement take every row away (:func:`forget`, :func:`forget_learner`); a reset of attempts keeps
them, as it keeps the score (the next submit is a further attempt, not a first one).

The wrong answers of text and numeric questions are counted alongside (:mod:`.wrong_answers`), in
the same transaction and under the same row locks, and read in the same query (:func:`read`). They,
and the question versions the answers were graded against (:func:`version_of`), are counted for the
``last`` set only: they serve accepting an answer and rescoring, which act on the counted attempts.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from .. import upsert
from ..insight import item_statistics, score_statistics
from . import grading, wrong_answers
from .models import ATTEMPT_SETS, QuizItemAnswer, QuizItemTotal, QuizWrongAnswer
from .questions import Question

QUESTION = ""  # the ``part`` of a question's sums
LEARNERS = ""  # the question id of the row that counts the block's learners
QUESTION_COUNTERS = ("n", "full", "sx", "sxx", "sy", "syy", "sxy", "earned", "possible", "sz", "szz", "sp", "spp", "szp")
COUNTERS = (*QUESTION_COUNTERS, "s3", "s4")


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
        row.band, tuple(row.chosen or ()), row.z, row.p,
    )


Key = tuple[str, str, str]  # (attempt set, question id, part)

#: What a new grading of a kept answer changes on its row (its set, attempt number, question and learner stay).
REPLACED_FIELDS = ("course_id", "earned", "possible", "chosen", "x", "y", "full", "band", "z", "p", "wrong", "version",
                   "modified")


def _deltas(changes) -> dict[Key, dict[str, int]]:
    """``changes``: (attempt set, contribution, +1 or -1) -> the increments of each totals row they touch."""
    deltas: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    for attempts, c, sign in changes:
        row = deltas[(attempts, c.question, QUESTION)]
        for name, value in (("n", 1), ("full", int(c.full)), ("sx", c.x), ("sxx", c.x * c.x), ("sy", c.y),
                            ("syy", c.y * c.y), ("sxy", c.x * c.y), ("earned", c.earned), ("possible", c.possible),
                            ("sz", c.z), ("szz", c.z * c.z), ("sp", c.p), ("spp", c.p * c.p), ("szp", c.z * c.p)):
            row[name] += sign * value
        for option in c.chosen:
            deltas[(attempts, c.question, option_part(option))]["n"] += sign
        band = deltas[(attempts, c.question, band_part(c.band))]
        band["n"] += sign
        band["full"] += sign * int(c.full)
        for prefix, value in (("z:", c.z), ("r:", c.p - c.z)):
            share = deltas[(attempts, c.question, f"{prefix}{item_statistics.share_band(value)}")]
            share["n"] += sign
            share["sz"] += sign * value
    return deltas


def _score_deltas(deltas, attempts: str, p: int, sign: int) -> None:
    """What one attempt's score ``p`` adds to (``sign`` 1) or takes from (-1) its set's whole-test sums."""
    quiz = score_statistics.QuizTotals()
    quiz.add(p)
    row = deltas[(attempts, LEARNERS, QUESTION)]
    for name in ("n", "sp", "spp", "s3", "s4"):
        row[name] += sign * getattr(quiz, name)
    deltas[(attempts, LEARNERS, f"h:{score_statistics.score_band(p)}")]["n"] += sign


def _apply(usage_id: str, deltas: dict[Key, dict[str, int]], touch=()) -> None:
    """Add the increments to the totals rows, creating missing rows: one statement, done by the database.

    Rows are written in key order, so two transactions lock shared rows in the same order. On
    PostgreSQL the rows travel as one JSON document (``json_to_recordset``): the statement's text is the
    same whatever the number of rows, and the driver quotes one value, not each of the some 8,000 a
    resubmission adds up (a Python array of them took longer to adapt than the statement to run). On
    MySQL, MariaDB and SQLite the counters are written into the statement as integer literals and only
    the keys' strings are bound, for the same reason (MySQL's row alias needs a ``VALUES`` list).

    ``touch``: questions whose sums row is written even when nothing is added to it, so this
    transaction holds its lock (the wrong answers of those questions change next).
    """
    deltas = {key: values for key, values in deltas.items() if any(values.values())}
    for question in touch:
        deltas.setdefault(("last", question, QUESTION), dict.fromkeys(COUNTERS, 0))
    if not deltas:
        return
    columns = ("usage_id", "attempts", "question_id", "part", *COUNTERS)
    keys = sorted(deltas)
    if connection.vendor == "postgresql":
        qn = connection.ops.quote_name
        shape = ", ".join([f"{qn(c)} varchar" for c in columns[1:4]] + [f"{qn(c)} bigint" for c in COUNTERS])
        rows = f"SELECT %s, d.* FROM json_to_recordset(%s::json) AS d({shape})"
        document = [{"attempts": key[0], "question_id": key[1], "part": key[2], **deltas[key]} for key in keys]
        params = [usage_id, json.dumps(document, separators=(",", ":"))]
    else:  # the key's strings bound, the counters written as integer literals (int() admits nothing else)
        params, values = [], []
        for key in keys:
            params += [usage_id, *key]
            values.append("(%s, %s, %s, %s, " + ", ".join([str(int(deltas[key][name])) for name in COUNTERS]) + ")")
        rows = "VALUES " + ", ".join(values)
    sql = upsert.insert_or_update(connection, QuizItemTotal._meta.db_table, columns, rows,  # noqa: SLF001
                                  key=("usage_id", "attempts", "question_id", "part"),
                                  assignments=[(c, f"{{old[{c}]}} + {{new[{c}]}}") for c in COUNTERS])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _replace(changes: list, deltas, old_rows: list[QuizItemAnswer], attempts: str, new) -> None:
    """Take ``old_rows`` (one attempt of one set) out and put ``new`` contributions in their place."""
    for row in old_rows:
        changes.append((attempts, _contribution(row), -1))
    for c in new:
        changes.append((attempts, c, 1))
    if old_rows:
        _score_deltas(deltas, attempts, old_rows[0].p, -1)
    if new:
        _score_deltas(deltas, attempts, new[0].p, 1)


def record(anonymous_user_id: str, course_id: str, usage_id: str, answers: dict[str, item_statistics.Answer],
           wrong: dict[str, str] | None = None, versions: dict[str, str] | None = None,
           attempt: int | None = None) -> None:
    """Keep ``answers``, the learner's graded attempt, in the three attempt sets; adjust the totals.

    ``attempt``: the number of a new counted attempt (1 for the learner's first): it replaces the
    ``last`` set's, becomes the ``first`` set's when it is number 1, and is added to ``all``.
    ``None``: a new grading of the learner's last attempt (a rescore): it replaces that attempt in
    every set that holds it. Empty ``answers`` with ``None``: the learner is forgotten in every set.
    ``wrong``: the attempt's counted wrong answers of text and numeric questions
    (:func:`.wrong_answers.values_of`); ``versions``: the version of each question the attempt was graded
    against (:func:`versions_of`). Both are counted for the ``last`` set only (the rows of every set keep
    their version). At most four statements on the answers and totals, whatever the sets: read and lock the
    learner's rows, delete the replaced ones, add the differences to the totals, insert the new ones (a
    counted attempt); or read and lock, add the differences, update the replaced rows in place (a rescore:
    each new row takes the place of one of the same set, attempt and question, and on PostgreSQL and InnoDB
    an update of columns no index holds leaves the indexes alone); then the wrong answers' own
    (:func:`.wrong_answers.keep`).
    """
    new = item_statistics.contributions(answers)
    wrong = wrong or {}
    versions = versions or {}
    # Part of the submit's (or the rescore's) transaction: an error rolls it all back, so no savepoint of its own.
    with transaction.atomic(savepoint=False):
        old = list(QuizItemAnswer.objects.select_for_update()
                   .filter(usage_id=usage_id, anonymous_user_id=anonymous_user_id).order_by("attempt", "id"))
        by_set: dict[tuple[str, int], list[QuizItemAnswer]] = defaultdict(list)
        for row in old:
            by_set[(row.attempts, row.attempt)].append(row)
        numbers = sorted(number for (attempts, number) in by_set if attempts == "all")
        latest = numbers[-1] if numbers else None
        last_rows = [row for row in old if row.attempts == "last"]
        first_rows = [row for row in old if row.attempts == "first"]
        changes: list = []
        deltas: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
        gone: list[QuizItemAnswer] = []
        kept: list[tuple[str, int]] = []  # (set, attempt number) of the new rows
        if attempt is not None:
            _replace(changes, deltas, last_rows, "last", new)
            gone += last_rows
            kept.append(("last", attempt))
            if attempt == 1:
                _replace(changes, deltas, first_rows, "first", new)
                gone += first_rows
                kept.append(("first", attempt))
            again = by_set.get(("all", attempt), [])  # the same attempt run again: replaced, not added
            _replace(changes, deltas, again, "all", new)
            gone += again
            kept.append(("all", attempt))
        elif not new:  # forget the learner
            for (attempts, _number), rows in by_set.items():
                _replace(changes, deltas, rows, attempts, [])
                gone += rows
        else:  # a rescore of the last attempt
            number = last_rows[0].attempt if last_rows else (latest or 0)
            _replace(changes, deltas, last_rows, "last", new)
            gone += last_rows
            kept.append(("last", number))
            if latest is not None and latest == number:
                rows = by_set[("all", latest)]
                _replace(changes, deltas, rows, "all", new)
                gone += rows
                kept.append(("all", latest))
                if first_rows and first_rows[0].attempt == latest:
                    _replace(changes, deltas, first_rows, "first", new)
                    gone += first_rows
                    kept.append(("first", latest))
        for key, values in _deltas(changes).items():
            for name, value in values.items():
                deltas[key][name] += value
        # The question versions and the wrong answers: the last set only (replaced whenever it is, above).
        counts_last = any(attempts == "last" for attempts, _number in kept)
        for question, version, sign in ([(row.question_id, row.version, -1) for row in last_rows]
                                        + [(c.question, versions.get(c.question, ""), 1)
                                           for c in (new if counts_last else [])]):
            if version:
                deltas[("last", question, version_part(version))]["n"] += sign
        was_counted = {row.question_id: row.wrong for row in last_rows if row.wrong is not None}
        wrong = wrong if counts_last else {}
        # A replaced row whose place a new row of the same set, attempt and question takes (a rescore, an attempt
        # run again) is updated in place; the others are deleted, and the new rows without one inserted.
        replaced = {(row.attempts, row.attempt, row.question_id): row for row in gone}
        new_keys = {(attempts, number, c.question) for attempts, number in kept for c in new}
        in_place = {key: row for key, row in replaced.items() if key in new_keys}
        deleted = [row for key, row in replaced.items() if key not in new_keys]
        if deleted:
            QuizItemAnswer.objects.filter(pk__in=[row.pk for row in deleted]).delete()
        _apply(usage_id, deltas, touch=sorted(set(was_counted) | set(wrong)))
        counted = wrong_answers.keep(usage_id, was_counted, wrong)
        now = timezone.now()
        rows = [QuizItemAnswer(anonymous_user_id=anonymous_user_id, course_id=course_id, usage_id=usage_id,
                               attempts=attempts, attempt=number, question_id=c.question,
                               earned=answers[c.question].earned, possible=answers[c.question].possible,
                               chosen=list(c.chosen), x=c.x, y=c.y, full=c.full, band=c.band, z=c.z, p=c.p,
                               wrong=counted.get(c.question) if attempts == "last" else None,
                               version=versions.get(c.question, ""), modified=now)
                for attempts, number in kept for c in new]
        updated = []
        for row in rows:
            old_row = in_place.get((row.attempts, row.attempt, row.question_id))
            if old_row is not None:
                row.pk = old_row.pk
                updated.append((row, REPLACED_FIELDS))
        if updated:
            upsert.update_each(connection, QuizItemAnswer, updated)
        upsert.insert_all(connection, QuizItemAnswer, [row for row in rows if row.pk is None])


def forget(anonymous_user_id: str, usage_id: str) -> None:
    """Take one learner's answers on this block out of its item analysis, in every attempt set."""
    record(anonymous_user_id, "", usage_id, {})


def forget_learner(anonymous_user_id: str) -> int:
    """Take every answer of one learner out (user retirement); returns the blocks concerned."""
    usages = sorted(set(QuizItemAnswer.objects.filter(anonymous_user_id=anonymous_user_id)
                        .values_list("usage_id", flat=True)))
    for usage_id in usages:
        forget(anonymous_user_id, usage_id)
    return len(usages)


def _read(rows) -> tuple[score_statistics.QuizTotals, dict[str, item_statistics.QuestionTotals]]:
    quiz, out = score_statistics.QuizTotals(), {}
    for question, part, *values in rows:
        counts = dict(zip(COUNTERS, values))
        if question == LEARNERS:
            if part == QUESTION:
                for name in ("n", "sp", "spp", "s3", "s4"):
                    setattr(quiz, name, counts[name])
            elif part.startswith("h:") and part[2:].isdigit():
                quiz.bands[int(part[2:])] = counts["n"]
            continue
        t = out.setdefault(question, item_statistics.QuestionTotals())
        if part == QUESTION:
            for name in QUESTION_COUNTERS:
                setattr(t, name, counts[name])
        elif part.startswith("o:"):
            t.options[part[2:]] = counts["n"]
        elif part.startswith("b:") and part[2:].isdigit():
            t.bands[int(part[2:])] = [counts["n"], counts["full"]]
        elif part[:2] in ("z:", "r:") and part[2:].isdigit():
            (t.zbands if part[0] == "z" else t.rbands)[int(part[2:])] = [counts["n"], counts["sz"]]
    return quiz, out


def set_totals(usage_id: str, attempts: str = "last") -> tuple[score_statistics.QuizTotals,
                                                                dict[str, item_statistics.QuestionTotals]]:
    """One attempt set's whole-test sums and totals per question: one query."""
    return _read(QuizItemTotal.objects.filter(usage_id=usage_id, attempts=attempts)
                 .values_list("question_id", "part", *COUNTERS))


def totals(usage_id: str, attempts: str = "last") -> tuple[int, dict[str, item_statistics.QuestionTotals]]:
    """The set's attempts (for ``last``: the learners with a counted attempt) and its totals per question."""
    quiz, out = set_totals(usage_id, attempts)
    return quiz.n, out


def _read_set(usage_id: str, attempts: str = "last"):
    """One attempt set's whole-test sums, its totals per question and, for the ``last`` set, its counted
    wrong answers per question and the versions its answers were graded against: one query (the totals'
    rows and the wrong answers' rows, ``UNION ALL``)."""
    if attempts != "last":  # wrong answers and versions are counted for the last set only
        quiz, stored = set_totals(usage_id, attempts)
        return quiz, stored, {}, {}
    qn = connection.ops.quote_name
    totals_table, wrong_table = QuizItemTotal._meta.db_table, QuizWrongAnswer._meta.db_table  # noqa: SLF001
    columns = ", ".join(qn(c) for c in COUNTERS)
    zeros = ", ".join(["0"] * (len(COUNTERS) - 1))
    sql = (f"SELECT 0, {qn('question_id')}, {qn('part')}, {columns} FROM {qn(totals_table)} "
           f"WHERE {qn('usage_id')} = %s AND {qn('attempts')} = %s "
           f"UNION ALL SELECT 1, {qn('question_id')}, {qn('value')}, {qn('n')}, {zeros} FROM {qn(wrong_table)} "
           f"WHERE {qn('usage_id')} = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [usage_id, attempts, usage_id])
        rows = cursor.fetchall()
    quiz, stored = _read([row[1:] for row in rows if row[0] == 0])
    wrong = wrong_answers.grouped((question, value, count) for source, question, value, count, *_ in rows if source == 1)
    return quiz, stored, wrong, _versions_of_rows(rows)


def read(usage_id: str):
    """The block's learners, its totals per question, its counted wrong answers per question and the versions
    its counted answers were graded against (the ``last`` set), in one query."""
    quiz, stored, wrong, versions = _read_set(usage_id)
    return quiz.n, stored, wrong, versions


def _versions_of_rows(rows) -> dict[str, dict[str, int]]:
    """``{question id: {version: counted answers}}`` from the totals' version rows."""
    out: dict[str, dict[str, int]] = {}
    for source, question, part, count, *_ in rows:
        if source == 0 and part.startswith("v:") and count > 0:
            out.setdefault(question, {})[part[2:]] = count
    return out


def analysis(usage_id: str, questions: list[Question], default_dimension: str,
             attempts: str = "last") -> tuple[item_statistics.QuizAnalysis, score_statistics.WholeTest]:
    """The item analysis and the whole-test figures of a block's current questions over one attempt set."""
    quiz, stored = set_totals(usage_id, attempts)
    items = item_statistics.analyse_totals([item_of(q, default_dimension) for q in questions], quiz.n, stored)
    return items, score_statistics.analyse(quiz, stored, [q.id for q in questions])


def full_analysis(usage_id: str, questions: list[Question], default_dimension: str, attempts: str = "last"):
    """What the staff panel shows of one attempt set, in one query: the item analysis of the block's current
    questions, the whole-test figures, and for the ``last`` set the counted wrong answers and per question how
    many counted answers were graded against another version of it (changed since: :func:`version_of`).
    A question no longer in the quiz (removed in Studio or by a library sync) is not analysed."""
    quiz, stored, wrong, versions = _read_set(usage_id, attempts)
    items = item_statistics.analyse_totals([item_of(q, default_dimension) for q in questions], quiz.n, stored)
    whole = score_statistics.analyse(quiz, stored, [q.id for q in questions])
    stale = {q.id: sum(n for version, n in versions.get(q.id, {}).items() if version != version_of(q))
             for q in questions}
    return items, whole, wrong, {qid: n for qid, n in stale.items() if n}


def analysis_and_wrong_answers(usage_id: str, questions: list[Question], default_dimension: str):
    """The item analysis of the counted (last) attempts, their counted wrong answers, and the counted answers
    graded against an earlier version of each question (:func:`full_analysis`); one query."""
    items, _whole, wrong, changed = full_analysis(usage_id, questions, default_dimension)
    return items, wrong, changed


def total_rows(usage_id: str, quiz: score_statistics.QuizTotals, totals: dict[str, item_statistics.QuestionTotals],
               attempts: str = "last") -> list[QuizItemTotal]:
    """The totals rows that hold ``quiz`` and ``totals`` of one attempt set (the inverse of :func:`set_totals`)."""
    common = {"usage_id": usage_id, "attempts": attempts}
    rows = [QuizItemTotal(**common, question_id=LEARNERS, part=QUESTION,
                          **{name: getattr(quiz, name) for name in ("n", "sp", "spp", "s3", "s4")})]
    rows += [QuizItemTotal(**common, question_id=LEARNERS, part=f"h:{band}", n=count)
             for band, count in quiz.bands.items() if count]
    for question, t in totals.items():
        rows.append(QuizItemTotal(**common, question_id=question, part=QUESTION,
                                  **{name: getattr(t, name) for name in QUESTION_COUNTERS}))
        rows += [QuizItemTotal(**common, question_id=question, part=option_part(option), n=count)
                 for option, count in t.options.items() if count]
        rows += [QuizItemTotal(**common, question_id=question, part=band_part(band), n=n, full=full)
                 for band, (n, full) in t.bands.items() if n]
        for prefix, bands in (("z:", t.zbands), ("r:", t.rbands)):
            rows += [QuizItemTotal(**common, question_id=question, part=f"{prefix}{band}", n=n, sz=total)
                     for band, (n, total) in bands.items() if n or total]
    return rows


def rebuild(usage_id: str) -> int:
    """Recompute a block's totals, every attempt set, from its stored answers (a repair tool: it reads
    every answer row). Returns the number of learners with a counted (last) attempt. Locks the
    block's answer rows while it works, so no submit of the block changes them in between.
    """
    with transaction.atomic():
        attempts: dict[tuple[str, str, int], dict[str, item_statistics.Answer]] = {}
        versions: dict[tuple[str, str], int] = defaultdict(int)
        for row in QuizItemAnswer.objects.select_for_update().filter(usage_id=usage_id).iterator(chunk_size=2000):
            attempts.setdefault((row.attempts, row.anonymous_user_id, row.attempt), {})[row.question_id] = (
                item_statistics.Answer(row.earned, row.possible, tuple(row.chosen or ())))
            if row.version and row.attempts == "last":
                versions[(row.question_id, row.version)] += 1
        QuizItemTotal.objects.filter(usage_id=usage_id).delete()
        rows, learners = [], 0
        for attempt_set in ATTEMPT_SETS:
            mine = [answers for (s, _learner, _number), answers in attempts.items() if s == attempt_set]
            quiz, computed = score_statistics.aggregate_all(mine)
            if attempt_set == "last":
                learners = quiz.n
            if quiz.n:
                rows += total_rows(usage_id, quiz, computed, attempt_set)
        rows += [QuizItemTotal(usage_id=usage_id, attempts="last", question_id=question, part=version_part(version), n=n)
                 for (question, version), n in sorted(versions.items())]
        QuizItemTotal.objects.bulk_create(rows, batch_size=1000)
    return learners
