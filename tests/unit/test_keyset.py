"""Staff pages read one index range on every database: the block is a closed range, not an equality.

MariaDB and MySQL answer ``usage_id = %s ... ORDER BY ... LIMIT`` with a ``ref`` access that walks the
block's whole index range (measured: 100 ms for a middle page of 100,000 learners, against 2 ms with the
closed range; see ``sse_academy_xblock/keyset.py``). These tests pin the statement's shape, which is what
the databases' planners react to, and that the closed range leaves the pages unchanged.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from factories import peer_item, submit
from sse_academy_xblock.quiz import roster
from sse_academy_xblock.quiz.models import QuizRoster

pytestmark = pytest.mark.django_db


def page_sql(func) -> str:
    with CaptureQueriesContext(connection) as ctx:
        func()
    (query,) = ctx.captured_queries
    return query["sql"]


def assert_block_is_a_range(sql: str, leading: str) -> None:
    assert re.search(r'"?usage_id"? >= ', sql) and re.search(r'"?usage_id"? <= ', sql), sql
    assert not re.search(r'"?usage_id"? = ', sql), sql
    order_by = sql[sql.index("ORDER BY"):]
    assert re.match(rf'ORDER BY "?[\w"]*\.?"?usage_id"? {leading}', order_by), order_by


def test_quiz_panel_pages_read_the_block_as_a_range_in_index_order():
    start = timezone.now() - timedelta(days=1)
    for n in range(7):
        QuizRoster.objects.create(anonymous_user_id=f"q{n}", course_id="c", usage_id="quiz-a", submits=1, attempts=1,
                                  earned=1, possible=2, last_submitted=start + timedelta(minutes=n))
    QuizRoster.objects.create(anonymous_user_id="other", course_id="c", usage_id="quiz-b", submits=1, attempts=1,
                              earned=1, possible=2, last_submitted=start)
    first = roster.staff_page("quiz-a", per_page=3)
    assert [row.anonymous_user_id for row in first.rows] == ["q6", "q5", "q4"]
    cursor = (first.rows[-1].last_submitted, first.rows[-1].pk)
    assert_block_is_a_range(page_sql(lambda: roster.staff_page("quiz-a", per_page=3, after=cursor)), "DESC")
    after = roster.staff_page("quiz-a", per_page=3, after=cursor)
    assert [row.anonymous_user_id for row in after.rows] == ["q3", "q2", "q1"]
    back_cursor = (after.rows[0].last_submitted, after.rows[0].pk)
    assert_block_is_a_range(page_sql(lambda: roster.staff_page("quiz-a", per_page=3, before=back_cursor)), "ASC")
    assert [row.anonymous_user_id for row in roster.staff_page("quiz-a", per_page=3, before=back_cursor).rows] == [
        "q6", "q5", "q4"]


def test_case_study_list_pages_read_the_block_as_a_range_in_index_order(transactional_db):
    from sse_academy_xblock.peer import staff

    item = peer_item("block-k", reviews_required=1, reviews_to_give=1)
    submit(item, *(f"k{n}" for n in range(5)))
    first = staff.list_page(item, per_page=2)
    assert [row["learner"] for row in first["rows"]] == ["k0", "k1"]
    assert [row["learner"] for row in staff.list_page(item, per_page=2, after=first["last"])["rows"]] == ["k2", "k3"]
    assert_block_is_a_range(page_sql(lambda: staff.list_page(item, per_page=2, after=first["last"])), "ASC")
    assert_block_is_a_range(page_sql(lambda: staff.list_page(item, per_page=2, before=first["last"])), "DESC")
