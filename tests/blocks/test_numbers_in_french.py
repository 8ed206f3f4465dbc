"""Numbers a person reads are written in the page's language: the profile and the quiz's staff panel in French.

A learner scores fractions of points here (1.5 on one dimension, 4/3 on another): French pages say
"1,5" and "1,33", never the OLX form "1.5" nor "1.3333". CSV cells stay machine numbers.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.cache import cache
from django.utils import translation

# q1: 1.5 points on employment; q2: 4 points on social dialogue, three keyed choices of four, partial
# credit, so one keyed choice alone earns 4/3 points.
COURSE = """<vertical_demo>
  <sse_quiz display_name="Fractions quiz" dimension="employment" multiple_scoring="partial" max_attempts="0"
            show_answer="never">
    <question id="q1" type="truefalse" answer="true" points="1.5"><prompt>True?</prompt></question>
    <question id="q2" type="multiple" points="4" dimension="social_dialogue"><prompt>Pick the three</prompt>
      <choice id="a" correct="true">A</choice><choice id="b" correct="true">B</choice>
      <choice id="c" correct="true">C</choice><choice id="d">D</choice>
    </question>
  </sse_quiz>
  <sse_profile display_name="Profile"/>
</vertical_demo>"""
ANSWERS = {"q1": True, "q2": ["a"]}


@pytest.fixture
def course(make_block, call):
    cache.clear()
    root = make_block(COURSE)
    quiz_id, profile_id = root.children
    learner = root.runtime.get_block(quiz_id)
    status, reply = call(learner, "submit", {"attempt": 1, "answers": ANSWERS})
    assert status == 200 and reply["view"]["earned"] == 2.8333, reply
    yield {"root": root, "quiz": quiz_id, "profile": profile_id}
    cache.clear()


def open_as(make_block, course, name, user):
    return make_block.as_user(course["root"], user).runtime.get_block(course[name])


def text_of(html: str) -> str:
    """The text a person reads: no tags, no attribute values (styles carry machine numbers)."""
    return re.sub(r"<[^>]*>", " ", html)


def assert_french_numbers(text: str, *expected: str) -> None:
    for number in expected:
        assert number in text, (number, text)
    for machine in ("1.5", "1.33", "2.83", "5.5"):
        assert machine not in text, (machine, text)


def test_the_profile_writes_fractions_as_french_readers_do(make_block, course, call):
    with translation.override("fr"):
        html = open_as(make_block, course, "profile", "student_1").render("student_view", {}).body_html()
        staff = open_as(make_block, course, "profile", "staff")
        status, page = call(staff, "staff_learners", {})
    assert status == 200, page
    text = text_of(html)
    # Employment 1.5 of 1.5, social dialogue 4/3 of 4, overall 17/6 of 5.5.
    assert_french_numbers(text, "1,5 sur 1,5 point", "1,33 sur 4 points", "2,83 sur 5,5 points")
    row = page["rows"][0]
    shown = [dim["earned_text"] for dim in row["dimensions"]] + [row["earned_text"], row["overall_text"]]
    shown += [dim["possible_text"] for dim in page["possible"]] + [page["possible_text"]]
    assert_french_numbers(" | ".join(shown), "1,5", "1,33", "2,83", "5,5")


def test_the_quiz_staff_panel_writes_fractions_as_french_readers_do(make_block, course, call):
    with translation.override("fr"):
        html = open_as(make_block, course, "quiz", "staff").render("student_view", {}).body_html()
        status, page = call(open_as(make_block, course, "quiz", "staff"), "staff_page",
                            {"after": "9999-01-01T00:00:00+00:00|0"})
    assert status == 200, page
    staff_panel = text_of(html[html.index('data-learner="student_1"'):])
    assert_french_numbers(staff_panel, "2,83 sur 5,5 points (52\u00a0%)")
    assert_french_numbers(page["rows"][0]["score"], "2,83 sur 5,5 points (52\u00a0%)")


def test_csv_cells_stay_machine_numbers(make_block, course, call):
    with translation.override("fr"):
        status, quiz_csv = call(open_as(make_block, course, "quiz", "staff"), "staff_csv", method="GET")
        status_profile, profile_csv = call(open_as(make_block, course, "profile", "staff"), "staff_csv", method="GET")
    assert status == status_profile == 200
    quiz_row = list(csv.reader(io.StringIO(quiz_csv.lstrip("\ufeff"))))[1]
    profile_row = list(csv.reader(io.StringIO(profile_csv.lstrip("\ufeff"))))[1]
    assert quiz_row[3] == "5.5" and profile_row[1] == "1.5" and profile_row[3] == "1.3333"
