"""A rescore (a new grading of the counted attempt) rewrites the learner's answer rows in place: the same rows,
one ``UPDATE``, and the running totals of every set as the repair tool recomputes them from the rows.

Runs on SQLite here and on PostgreSQL and MariaDB in ``make test-db`` (tests/db/test_written_out_rows_db.py).
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from item_totals_compare import without_empty
from sse_academy_xblock.insight.item_statistics import Answer
from sse_academy_xblock.quiz import item_totals
from sse_academy_xblock.quiz.models import ATTEMPT_SETS, QuizItemAnswer

USAGE = "block-v1:SSE+T+1+type@sse_quiz+block@rescored"
FIRST = {"q1": Answer(1.0, 1.0, ("a",)), "q2": Answer(0.0, 2.0, ("x",)), "q3": Answer(0.0, 1.0)}
REGRADED = {"q1": Answer(0.0, 1.0, ("a",)), "q2": Answer(2.0, 2.0, ("x",)), "q3": Answer(0.0, 1.0)}


def _answer_statements(ctx, verb: str) -> int:
    return sum(1 for q in ctx.captured_queries
               if q["sql"].lstrip().upper().startswith(verb) and "quizitemanswer" in q["sql"].lower())


def _totals():
    return {s: item_totals.set_totals(USAGE, s) for s in ATTEMPT_SETS}


def check_a_rescore_updates_the_rows_in_place() -> None:
    item_totals.record("other", "course-v1:SSE+T+1", USAGE, REGRADED, attempt=1)
    item_totals.record("w", "course-v1:SSE+T+1", USAGE, FIRST, wrong={"q3": "1900"}, versions={"q1": "v1"}, attempt=1)
    before = {(r.attempts, r.question_id): r.pk for r in QuizItemAnswer.objects.filter(anonymous_user_id="w")}
    assert len(before) == 9
    with CaptureQueriesContext(connection) as ctx:
        item_totals.record("w", "course-v1:SSE+T+1", USAGE, REGRADED, wrong={"q3": "1777"}, versions={"q1": "v2"})
    assert (_answer_statements(ctx, "UPDATE"), _answer_statements(ctx, "DELETE"), _answer_statements(ctx, "INSERT")) == (
        1, 0, 0)
    rows = {(r.attempts, r.question_id): r for r in QuizItemAnswer.objects.filter(anonymous_user_id="w")}
    assert {key: row.pk for key, row in rows.items()} == before  # the same rows, every set (attempt 1 is in all three)
    assert {key: (row.earned, row.chosen, row.full, row.version) for key, row in rows.items() if key[1] == "q2"} == {
        (s, "q2"): (2.0, ["x"], True, "") for s in ATTEMPT_SETS}
    assert rows[("last", "q1")].version == "v2" and rows[("first", "q1")].version == "v2"
    assert rows[("last", "q3")].wrong is not None and rows[("all", "q3")].wrong is None
    assert item_totals.read(USAGE)[2] == {"q3": [("1777", 1)]}
    kept = _totals()
    item_totals.rebuild(USAGE)  # recomputed from the rows: the running totals were right
    assert {s: without_empty(v) for s, v in _totals().items()} == {s: without_empty(v) for s, v in kept.items()}


def check_a_rescore_without_a_question_deletes_its_rows() -> None:
    item_totals.record("w", "course-v1:SSE+T+1", USAGE, FIRST, attempt=1)
    fewer = {q: a for q, a in REGRADED.items() if q != "q3"}
    item_totals.record("w", "course-v1:SSE+T+1", USAGE, fewer)
    assert sorted(QuizItemAnswer.objects.filter(anonymous_user_id="w").values_list("attempts", "question_id")) == sorted(
        (s, q) for s in ATTEMPT_SETS for q in ("q1", "q2"))
    kept = _totals()
    item_totals.rebuild(USAGE)
    assert {s: without_empty(v) for s, v in _totals().items()} == {s: without_empty(v) for s, v in kept.items()}


def test_a_rescore_updates_the_rows_in_place(db):
    check_a_rescore_updates_the_rows_in_place()


def test_a_rescore_without_a_question_deletes_its_rows(db):
    check_a_rescore_without_a_question_deletes_its_rows()
