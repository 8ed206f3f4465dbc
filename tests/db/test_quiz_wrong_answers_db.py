"""The wrong answers of text and numeric questions on PostgreSQL and MariaDB: the bounded counts stay exact
and bounded when twenty learners submit (and resubmit) different wrong answers at once, and the panel reads
them with the totals in one statement.

Every learner's counted answer row points at the count it was counted in (``QuizItemAnswer.wrong``), so
after any interleaving the counts must equal the number of rows pointing at each (a row that gave its place
counting in the question's "other" row), and no question may count more than ``MAX_VALUES`` values.
"""

from __future__ import annotations

from collections import Counter

import pytest

from db.concurrency import run_threads
from db.test_races_quiz import submit
from factories import open_as

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]

THREADS = 20
QUIZ = """
<sse_quiz display_name="Wrong answers race">
  <question id="q1" type="text"><prompt>Which group?</prompt><answer>Mondragón</answer></question>
  <question id="q2" type="numeric" answer="1895"><prompt>Which year?</prompt></question>
</sse_quiz>
"""


def answers(i: int, round_number: int) -> dict:
    # Many learners share a few spellings; some give one of their own (more values than the bound allows).
    return {"q1": ["Mondragon", "mondragon.", "Basque", f"typo {i} {round_number}", "Mondragón"][(i + round_number) % 5],
            "q2": ["1999", "1 999,0", str(1800 + i), "1700"][(i * 3 + round_number) % 4]}  # never right: no full score


def counts_match_the_learners(usage: str) -> None:
    from sse_academy_xblock.quiz import wrong_answers
    from sse_academy_xblock.quiz.models import QuizItemAnswer, QuizWrongAnswer

    rows = {row.pk: row for row in QuizWrongAnswer.objects.filter(usage_id=usage)}
    others = {row.question_id: row.pk for row in rows.values() if row.value == wrong_answers.OTHER}
    pointed = Counter()
    for answer in QuizItemAnswer.objects.filter(usage_id=usage, wrong__isnull=False):
        pointed[answer.wrong if answer.wrong in rows else others[answer.question_id]] += 1
    assert {pk: row.n for pk, row in rows.items()} == dict(pointed)
    for question in ("q1", "q2"):
        values = [row for row in rows.values() if row.question_id == question and row.value != wrong_answers.OTHER]
        assert len(values) <= wrong_answers.MAX_VALUES and all(row.n > 0 for row in values)


def test_twenty_learners_giving_wrong_answers_at_once_keep_the_counts_exact_and_bounded(server_db, make_block,
                                                                                        figures, monkeypatch):
    from sse_academy_xblock.quiz import wrong_answers

    monkeypatch.setattr(wrong_answers, "MAX_VALUES", 4)  # so that the bound is reached under the race
    usage_id = make_block(QUIZ).scope_ids.usage_id
    users = [f"wrong_racer_{i}" for i in range(THREADS)]
    for user in users:
        open_as(usage_id, user).student_view()
    for round_number, attempt in ((0, 1), (1, 2), (2, 3)):
        run = run_threads(THREADS, lambda i: submit(usage_id, users[i], attempt, answers(i, round_number)))
        run.raise_errors()
        assert [status for status, _ in run.results] == [200] * THREADS, run.results
        counts_match_the_learners(str(usage_id))
        figures.add("races repeated", 1)


def test_the_panel_reads_totals_and_wrong_answers_in_one_statement(server_db, make_block):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sse_academy_xblock.quiz import item_totals

    block = make_block(QUIZ)
    usage_id = block.scope_ids.usage_id
    for i in range(6):
        open_as(usage_id, f"reader_{i}").student_view()
        assert submit(usage_id, f"reader_{i}", 1, {"q1": "Mondragon" if i % 2 else "Basque", "q2": "1999,0"})[0] == 200
    questions, dimension = block.question_list(), block.dimension
    with CaptureQueriesContext(connection) as ctx:
        analysis, wrong, changed = item_totals.analysis_and_wrong_answers(str(usage_id), questions, dimension)
    assert len(ctx.captured_queries) == 1
    assert analysis.learners == 6 and changed == {}
    assert wrong == {"q1": [("basque", 3), ("mondragon", 3)], "q2": [("1999", 6)]}
