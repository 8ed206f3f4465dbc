"""The Decent Work profile's queries on PostgreSQL and MariaDB: the learner's scores in one query,
a cohort page in a fixed number, and medians computed by the grouped query as on SQLite."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sse_academy_xblock.profile.models import DimensionScore

pytestmark = pytest.mark.db

UNIT = """<vertical_demo>
  <sse_quiz display_name="Jobs quiz" dimension="employment" max_attempts="0">
    <question id="j1" type="truefalse" answer="true" points="2"><prompt>Jobs?</prompt></question>
    <question id="j2" type="truefalse" answer="false" dimension="rights_at_work"><prompt>Rights?</prompt></question>
  </sse_quiz>
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
        status, data = call(staff, "staff_learners", {"page": 1})
    assert status == 200 and data["learners"] == 7
    assert len([q for q in captured.captured_queries if table in q["sql"]]) <= 3
    cache.clear()
