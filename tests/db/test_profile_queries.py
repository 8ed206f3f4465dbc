"""The Decent Work profile's queries on PostgreSQL and MariaDB: the learner's scores in one query,
a cohort page in a fixed number, and medians computed by the grouped query as on SQLite."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factories import olx
from sse_academy_xblock.profile.models import DimensionScore

pytestmark = pytest.mark.db

UNIT = f"""<vertical_demo>
{olx("quiz_jobs")}
  <sse_profile scope="course"/>
</vertical_demo>"""


def test_profile_queries_on_a_server(make_block, call, server_db):
    cache.clear()
    unit = make_block(UNIT, user="staff")
    quiz_id, profile_id = unit.children
    for number in range(7):
        quiz = make_block.as_user(unit, f"db_learner_{number}").runtime.get_block(quiz_id)
        status, reply = call(quiz, "submit", {"answers": {"j1": "true" if number < 4 else "false", "j2": "false"},
                                              "attempt": 1})
        assert status == 200, reply
    learner = make_block.as_user(unit, "db_learner_0").runtime.get_block(profile_id)
    learner.render("student_view", {})
    with CaptureQueriesContext(connection) as captured:
        html = learner.render("student_view", {}).body_html()
    table = DimensionScore._meta.db_table
    assert len([q for q in captured.captured_queries if table in q["sql"]]) == 1
    assert "Cohort median: 100%" in html  # employment: 4 of 7 learners at 100%
    assert "2 of 2 points (100%)" in html
    staff = make_block.as_user(unit, "staff").runtime.get_block(profile_id)
    with CaptureQueriesContext(connection) as captured:
        status, data = call(staff, "staff_learners", {})
    assert status == 200 and data["learners"] == 7
    assert len([q for q in captured.captured_queries if table in q["sql"]]) <= 3
    cache.clear()


def test_cohort_pages_walk_every_learner_once_forwards_and_back_on_a_server(server_db, db):
    """The keyset read merges each block's index range: learners with scores on one block or on both,
    ids that sort as text (``l10`` before ``l2``), a page boundary inside a run of shared learners."""
    from sse_academy_xblock.dimensions import DIMENSION_IDS
    from sse_academy_xblock.profile import cohort

    blocks = ["cohort-quiz", "cohort-case"]
    learners = [f"l{n}" for n in range(57)]
    DimensionScore.objects.bulk_create([
        DimensionScore(anonymous_user_id=learner, course_id="course-v1:SSE+Db+1", usage_id=usage, dimension=dim,
                       earned=1, possible=2)
        for n, learner in enumerate(learners)
        for usage in blocks[: 1 + n % 2]
        for dim in DIMENSION_IDS[:2]
    ])
    possible = {dim: 4.0 for dim in DIMENSION_IDS}
    pages, page = [], cohort.page(blocks, possible, size=10)
    while True:
        pages.append(page)
        with CaptureQueriesContext(connection) as captured:
            following = cohort.page(blocks, possible, size=10, after=page.last) if page.has_next else None
        if following is None:
            break
        assert len(captured.captured_queries) == 2
        page = following
    seen = [row.anonymous_user_id for p in pages for row in p.rows]
    assert seen == sorted(learners) and len(pages) == 6 and not pages[-1].has_next
    assert [row.profile.earned for row in pages[0].rows][:2] == [2.0, 4.0]  # l0: one block; l1: both
    back = cohort.page(blocks, possible, size=10, before=pages[-1].first)
    assert back.rows == pages[-2].rows and back.has_prev and back.has_next
    first = cohort.page(blocks, possible, size=10, before=pages[1].first)
    assert first.rows == pages[0].rows and not first.has_prev


def test_score_upsert_on_a_server(server_db, db):
    """The score table's upsert is written per database: the same behaviour on each server."""
    from unit.test_profile_scores import exercise_record

    exercise_record()
