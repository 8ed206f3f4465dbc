"""Migration 0017 on PostgreSQL and MariaDB: the counted answers stored before it get their shares of the
score and the "last" set's whole-test sums, so the figures of existing quizzes are complete at once;
going back keeps the "last" rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]

APP = "sse_academy_xblock"
BEFORE = [(APP, "0015_realias_retired_learners")]
AFTER = [(APP, "0017_quiz_attempt_sets_whole_test")]


def _latest():
    """The app's newest migration: where the test database must be left for the tests that follow."""
    loader = MigrationExecutor(connection).loader
    return [node for node in loader.graph.leaf_nodes() if node[0] == APP]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_counted_answers_get_their_shares_and_the_whole_test_sums(server_db):
    from sse_academy_xblock.insight import item_statistics, score_statistics
    from sse_academy_xblock.quiz import item_totals

    old = _migrate(BEFORE)
    Answer = old.get_model(APP, "QuizItemAnswer")
    usage = "block-v1:SSE+Mig+1+type@sse_quiz+block@q"
    # Learner a: 1 of 1 and 1 of 2 points; learner b: 0 and 2 of 2 (the totals as migration 0008 kept them).
    rows = {"a": [("q1", 1.0, 1.0), ("q2", 1.0, 2.0)], "b": [("q1", 0.0, 1.0), ("q2", 2.0, 2.0)]}
    for learner, answers in rows.items():
        for qid, earned, possible in answers:
            Answer.objects.create(anonymous_user_id=learner, course_id="c", usage_id=usage, question_id=qid,
                                  earned=earned, possible=possible, chosen=[], x=0, y=0, full=earned == possible,
                                  band=0)
    try:
        _migrate(AFTER)
        quiz, questions = item_totals.set_totals(usage, "last")
        # Scores of 2/3 of the points: a's shares 333,333 + 333,333, b's 0 + 666,667 (millionths, each rounded).
        assert quiz.n == 2 and quiz.sp == 666_666 + 666_667
        expected_quiz, expected = score_statistics.aggregate_all(
            [{qid: item_statistics.Answer(e, p) for qid, e, p in answers} for answers in rows.values()])
        assert (quiz.sp, quiz.spp, quiz.s3, quiz.s4) == (expected_quiz.sp, expected_quiz.spp, expected_quiz.s3,
                                                          expected_quiz.s4)
        assert [getattr(questions["q2"], c) for c in item_totals.QUESTION_COUNTERS] == [
            getattr(expected["q2"], c) for c in item_totals.QUESTION_COUNTERS]
        assert item_totals.set_totals(usage, "first")[0].n == 0  # earlier attempts were never kept
        from sse_academy_xblock.quiz.models import QuizItemAnswer

        assert set(QuizItemAnswer.objects.filter(usage_id=usage).values_list("attempts", "attempt", "p")) == {
            ("last", 0, 666_666), ("last", 0, 666_667)}
        # Going back keeps the "last" rows and drops the other sets.
        item_totals.record("c", "c", usage, {"q1": item_statistics.Answer(1, 1)}, attempt=1)
        _migrate(BEFORE)
        assert old.get_model(APP, "QuizItemAnswer").objects.filter(usage_id=usage).count() == 5
    finally:
        _migrate(_latest())
