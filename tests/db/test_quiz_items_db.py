"""Item analysis totals on PostgreSQL and MariaDB: the upsert adds up, a resubmission replaces, and twenty
learners submitting (and resubmitting) at once lose no increment.

The totals are kept by one ``INSERT ... ON CONFLICT / ON DUPLICATE KEY UPDATE`` per submit whose
increments the database applies (``sse_academy_xblock.quiz.item_totals``). After any interleaving, the totals
must equal the arithmetic over the answer rows that are stored.
"""

from __future__ import annotations

import pytest

from db.concurrency import run_threads
from db.test_races_quiz import submit
from factories import open_as

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]

THREADS = 20
QUIZ = """
<sse_quiz display_name="Items race" dimension="employment" multiple_scoring="partial">
  <question id="q1" type="single"><prompt>Key?</prompt>
    <choice id="a" correct="true">A</choice><choice id="b">B</choice><choice id="c">C</choice>
  </question>
  <question id="q2" type="multiple" points="2"><prompt>Both?</prompt>
    <choice id="x" correct="true">X</choice><choice id="y" correct="true">Y</choice><choice id="z">Z</choice>
  </question>
  <question id="q3" type="truefalse" answer="true"><prompt>True?</prompt></question>
</sse_quiz>
"""


def answers(i: int, round_number: int) -> dict:
    return {"q1": "abc"[(i + round_number) % 3],
            "q2": [["x"], ["x", "y"], ["z"], ["y", "z"]][(i * 7 + round_number) % 4],
            "q3": (i + round_number) % 2 == 0}


def stored_matches_arithmetic(usage: str, expected_learners: int) -> None:
    """Every attempt set's running totals (item sums, bands, whole-test sums) equal the arithmetic over its
    stored answer rows."""
    from sse_academy_xblock.insight import item_statistics, score_statistics
    from sse_academy_xblock.quiz import item_totals
    from sse_academy_xblock.quiz.models import ATTEMPT_SETS, QuizItemAnswer

    sets: dict = {name: {} for name in ATTEMPT_SETS}
    for row in QuizItemAnswer.objects.filter(usage_id=usage):
        sets[row.attempts].setdefault((row.anonymous_user_id, row.attempt), {})[row.question_id] = (
            item_statistics.Answer(row.earned, row.possible, tuple(row.chosen)))
    for attempts, rows in sets.items():
        quiz, expected = score_statistics.aggregate_all(rows.values())
        stored_quiz, stored = item_totals.set_totals(usage, attempts)
        assert (stored_quiz.n, stored_quiz.sp, stored_quiz.spp, stored_quiz.s3, stored_quiz.s4) == (
            quiz.n, quiz.sp, quiz.spp, quiz.s3, quiz.s4), attempts
        assert {k: v for k, v in stored_quiz.bands.items() if v} == quiz.bands, attempts
        for qid, theirs in expected.items():
            mine = stored[qid]
            assert [getattr(mine, c) for c in item_totals.QUESTION_COUNTERS] == [
                getattr(theirs, c) for c in item_totals.QUESTION_COUNTERS], (attempts, qid)
            assert {k: v for k, v in mine.options.items() if v} == theirs.options, qid
            assert {k: v for k, v in mine.bands.items() if v[0]} == theirs.bands, qid
            assert {k: v for k, v in mine.zbands.items() if v[0]} == theirs.zbands, qid
            assert {k: v for k, v in mine.rbands.items() if v[0]} == theirs.rbands, qid
        if attempts == "last":
            assert quiz.n == stored_quiz.n == expected_learners


def test_record_replace_and_forget_keep_the_totals_exact(server_db, make_block):
    from sse_academy_xblock.insight.item_statistics import Answer
    from sse_academy_xblock.quiz import item_totals

    usage = "block-v1:SSE+Items+1+type@sse_quiz+block@db"
    for i in range(12):
        item_totals.record(f"l{i}", "course", usage, {"q1": Answer(i % 2, 1, ("a" if i % 2 else "b",)),
                                                     "q2": Answer(i % 3 * 0.5, 1, ())})
    stored_matches_arithmetic(usage, 12)
    item_totals.record("l0", "course", usage, {"q1": Answer(1, 1, ("a",)), "q2": Answer(1, 1, ())})
    stored_matches_arithmetic(usage, 12)
    item_totals.forget("l1", usage)
    item_totals.forget("l1", usage)  # twice: nothing more is taken away
    stored_matches_arithmetic(usage, 11)
    assert item_totals.forget_learner("l2") == 1
    stored_matches_arithmetic(usage, 10)


def test_twenty_learners_submitting_at_once_lose_no_count(server_db, make_block, figures):
    usage_id = make_block(QUIZ).scope_ids.usage_id
    users = [f"items_racer_{i}" for i in range(THREADS)]
    for user in users:
        open_as(usage_id, user).student_view()
    for round_number, attempt in ((0, 1), (1, 2), (2, 3)):
        run = run_threads(THREADS, lambda i: submit(usage_id, users[i], attempt, answers(i, round_number)))
        run.raise_errors()
        assert [status for status, _ in run.results] == [200] * THREADS, run.results
        stored_matches_arithmetic(str(usage_id), THREADS)
        figures.add("races repeated", 1)
    from sse_academy_xblock.quiz.models import QuizItemAnswer

    # Three questions in "last", in "first", and in "all" for each of the three attempts.
    assert QuizItemAnswer.objects.filter(usage_id=str(usage_id), attempts="last").count() == THREADS * 3
    assert QuizItemAnswer.objects.filter(usage_id=str(usage_id), attempts="first").count() == THREADS * 3
    assert QuizItemAnswer.objects.filter(usage_id=str(usage_id), attempts="all").count() == THREADS * 9


def test_reading_the_analysis_is_one_query(server_db, make_block):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sse_academy_xblock.insight.item_statistics import Answer
    from sse_academy_xblock.quiz import item_totals
    from sse_academy_xblock.quiz import questions

    usage = "block-v1:SSE+Items+1+type@sse_quiz+block@read"
    for i in range(15):
        item_totals.record(f"r{i}", "course", usage, {"q1": Answer(i % 2, 1, ("a" if i % 2 else "b",))})
    question = questions.Question("q1", "single", choices=[questions.Choice("a", correct=True), questions.Choice("b")])
    with CaptureQueriesContext(connection) as ctx:
        analysis, whole = item_totals.analysis(usage, [question], "employment")
    assert len(ctx.captured_queries) == 1
    assert analysis.learners == 15 and analysis.items[0].difficulty == pytest.approx(7 / 15)
    assert whole.learners == 15 and whole.mean == pytest.approx(100 * 7 / 15, abs=1e-4)


def test_attempt_sets_and_the_whole_test_sums_follow_submits_rescores_and_forgetting(server_db, make_block):
    """Numbered attempts, a rescore of the last, forgetting: every set equals the arithmetic over its rows,
    and the largest sums (100% scores) fit the server's 64-bit columns."""
    from sse_academy_xblock.insight.item_statistics import Answer
    from sse_academy_xblock.quiz import item_totals

    usage = "block-v1:SSE+Items+1+type@sse_quiz+block@sets"
    for i in range(12):
        item_totals.record(f"s{i}", "course", usage, {"q1": Answer(i % 2, 1, ("a" if i % 2 else "b",)),
                                                     "q2": Answer(i % 3 * 0.5, 1, ())}, attempt=1)
    for i in range(6):
        item_totals.record(f"s{i}", "course", usage, {"q1": Answer(1, 1, ("a",)), "q2": Answer(1, 1, ())}, attempt=2)
    stored_matches_arithmetic(usage, 12)
    item_totals.record("s0", "course", usage, {"q1": Answer(0, 1, ("b",)), "q2": Answer(1, 1, ())})  # rescore
    item_totals.record("s7", "course", usage, {"q1": Answer(0, 1, ("b",)), "q2": Answer(0, 1, ())})  # rescore of 1
    stored_matches_arithmetic(usage, 12)
    item_totals.forget("s1", usage)
    assert item_totals.forget_learner("s2") == 1
    stored_matches_arithmetic(usage, 10)
    assert [item_totals.set_totals(usage, s)[0].n for s in ("first", "last", "all")] == [10, 10, 14]
    assert item_totals.rebuild(usage) == 10
    stored_matches_arithmetic(usage, 10)
