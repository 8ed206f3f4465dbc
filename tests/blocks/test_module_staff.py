"""Staff's cohort table in ``sse_module``: permissions, pages, a constant query count, the CSV."""

from __future__ import annotations

import csv
import io

import pytest
import webob
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sse_academy_xblock import platform
from sse_academy_xblock.module import scores

MODULE = """<sse_module display_name="Cohort" dimension="employment">
  <sse_quiz display_name="A" dimension="employment">
    <question id="a1" type="truefalse" answer="true" points="2"><prompt>A?</prompt></question>
    <question id="a2" type="truefalse" answer="true" dimension="social_dialogue"><prompt>B?</prompt></question>
  </sse_quiz>
  <sse_quiz display_name="B" dimension="rights_at_work">
    <question id="b1" type="truefalse" answer="true" points="3"><prompt>C?</prompt></question>
  </sse_quiz>
</sse_module>"""


def graded_ids(module):
    return [platform.usage_id(module.runtime.get_block(child_id)) for child_id in module.children]


def seed(module, learners: int):
    """``learners`` learners with points on both quizzes (learner i earns i % 3 on the second quiz)."""
    first, second = graded_ids(module)
    for i in range(learners):
        anon = f"anon-{i:03d}"
        scores.record(anon, "c", first, {"employment": {"earned": 2, "possible": 2},
                                         "social_dialogue": {"earned": 0, "possible": 1}})
        scores.record(anon, "c", second, {"rights_at_work": {"earned": i % 3, "possible": 3}})


def csv_download(block):
    request = webob.Request.blank("/", method="GET")
    response = block.handle("staff_csv", request)
    body = b"".join(response.app_iter) if response.status_code == 200 else response.body
    return response, body.decode("utf-8-sig")


def test_learners_get_neither_the_table_nor_the_csv(make_block, call):
    module = make_block(MODULE, user="student_1")
    seed(module, 2)
    status, data = call(module, "staff_learners", {"page": 1})
    assert status == 403 and data["error"]
    response, body = csv_download(module)
    assert response.status_code == 403
    assert "anon-000" not in body
    assert "sse-module-staff" not in module.render("student_view", {}).body_html()


def test_staff_see_the_panel(make_block):
    html = make_block(MODULE, user="staff").render("student_view", {}).body_html()
    assert "Cohort profile (staff only)" in html
    assert "staff_csv" in html


def test_a_page_lists_each_learner_with_points_per_dimension_and_overall(make_block, call):
    module = make_block(MODULE, user="staff")
    seed(module, 3)
    status, data = call(module, "staff_learners", {"page": 1})
    assert status == 200
    assert (data["page"], data["pages"], data["learners"]) == (1, 1, 3)
    assert data["page_text"] == "Page 1 of 1 (3 learners)"
    assert [p["possible_text"] for p in data["possible"]] == ["2", "0", "1", "3"]
    assert data["possible_text"] == "6"
    row = next(r for r in data["rows"] if r["anonymous_user_id"] == "anon-002")
    assert [d["earned_text"] for d in row["dimensions"]] == ["2", "0", "0", "2"]
    assert (row["earned_text"], row["percent"], row["overall_text"]) == ("4", 67, "4 (67%)")


@pytest.mark.parametrize("bad", [0, -1, "2", 1.5, True, None])
def test_a_bad_page_number_is_a_clear_400(make_block, call, bad):
    status, data = call(make_block(MODULE, user="staff"), "staff_learners", {"page": bad})
    assert status == 400 and "page" in data["error"]


def test_pages_split_the_cohort_and_a_page_past_the_end_shows_the_last(make_block, call):
    module = make_block(MODULE, user="staff")
    seed(module, 60)
    _, first = call(module, "staff_learners", {"page": 1})
    _, third = call(module, "staff_learners", {"page": 3})
    _, beyond = call(module, "staff_learners", {"page": 99})
    assert (first["pages"], first["learners"]) == (3, 60)
    assert len(first["rows"]) == 25 and len(third["rows"]) == 10
    assert beyond["page"] == 3 and beyond["rows"] == third["rows"]
    seen = [r["anonymous_user_id"] for page in (1, 2, 3) for r in call(module, "staff_learners", {"page": page})[1]["rows"]]
    assert seen == [f"anon-{i:03d}" for i in range(60)]


def _queries_for_a_page(module, call):
    with CaptureQueriesContext(connection) as captured:
        status, data = call(module, "staff_learners", {"page": 1})
    assert status == 200
    return len(captured.captured_queries), data


def test_a_page_costs_the_same_number_of_queries_for_5_and_60_learners(make_block, call):
    small = make_block(MODULE, user="staff")
    seed(small, 5)
    large = make_block(MODULE, user="staff")
    seed(large, 60)
    small_count, small_data = _queries_for_a_page(small, call)
    large_count, large_data = _queries_for_a_page(large, call)
    assert (small_data["learners"], large_data["learners"]) == (5, 60)
    assert small_count == large_count
    with CaptureQueriesContext(connection) as captured:
        call(large, "staff_learners", {"page": 1})
    on_scores = [q for q in captured.captured_queries if "dimensionscore" in q["sql"].lower()]
    assert len(on_scores) == 3  # the learner count, the page's learners, their sums


def test_csv_streams_every_learner_with_a_header_naming_possible_points(make_block):
    module = make_block(MODULE, user="staff")
    seed(module, 30)
    response, body = csv_download(module)
    assert response.status_code == 200
    assert response.content_type == "text/csv"
    assert "attachment" in response.content_disposition
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == [
        "Anonymous learner id", "Employment: points earned (of 2)", "Social protection: points earned (of 0)",
        "Social dialogue: points earned (of 1)", "Rights at work: points earned (of 3)", "Points earned",
        "Points possible", "Percent", "Last change",
    ]
    assert len(rows) == 31
    assert rows[2][:8] == ["anon-001", "2", "0", "0", "1", "3", "6", "50"]


def test_csv_cells_cannot_run_as_spreadsheet_formulas(make_block):
    module = make_block(MODULE, user="staff")
    scores.record("=HYPERLINK(1)", "c", graded_ids(module)[0], {"employment": {"earned": 1, "possible": 2}})
    _, body = csv_download(module)
    assert "'=HYPERLINK(1)" in body
