"""``sse_profile`` on the workbench runtime: scopes, attempted and unattempted blocks, the cohort median,
staff tools, OLX, Studio settings, completion and the number of queries a render costs."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree
from xblock.completable import XBlockCompletionMode

from factories import olx
from sse_academy_xblock.blocks.profile import SSEProfileBlock
from sse_academy_xblock.olx import OLXError
from sse_academy_xblock.profile import scope as profile_scope
from sse_academy_xblock.profile.models import DimensionScore

JOBS = olx("quiz_jobs", attributes=' show_answer="always"')
PROTECTION = """<sse_quiz display_name="Protection quiz" dimension="social_protection" max_attempts="0">
    <question id="p1" type="numeric" answer="1952" points="3"><prompt>Year of C102?</prompt></question>
  </sse_quiz>"""
# A course in the workbench: two "sections" (the page's top-level parts), each with a quiz and a
# section profile, text that is never loaded by the walk, and a course profile at the end.
COURSE = f"""<vertical_demo>
  <vertical_demo>
    <html_demo><p>Read this first.</p></html_demo>
    <vertical_demo>{JOBS}</vertical_demo>
    <sse_profile display_name="Section one profile" scope="section"/>
  </vertical_demo>
  <vertical_demo>
    {PROTECTION}
    <sse_profile display_name="Section two profile" scope="section"/>
  </vertical_demo>
  <sse_profile display_name="Course profile"/>
</vertical_demo>"""
SCORE_TABLE = DimensionScore._meta.db_table


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


class Course:
    def __init__(self, make_block, user="student_1"):
        self.make_block = make_block
        self.root = make_block(COURSE, user=user)
        rt = self.root.runtime
        one, two, course_profile = (rt.get_block(c) for c in self.root.children)
        self.ids = {
            "section_one": one.children[2],
            "section_two": two.children[1],
            "course": course_profile.scope_ids.usage_id,
            "jobs": rt.get_block(one.children[1]).children[0],
            "protection": two.children[0],
        }

    def block(self, name, user="student_1"):
        return self.make_block.as_user(self.root, user).runtime.get_block(self.ids[name])


def lines(block):
    profile = block.learner_profile(block.learner_scope().visible)
    return {line.dimension: (line.earned, line.possible, line.attempted) for line in profile.lines}


def submit(course, call, user, quiz, answers):
    status, reply = call(course.block(quiz, user), "submit", {"answers": answers, "attempt": 1})
    assert status == 200, reply


def test_the_course_scope_counts_every_graded_block_attempted_or_not(make_block, call):
    course = Course(make_block)
    before = lines(course.block("course"))
    assert before == {"employment": (0.0, 2.0, False), "social_protection": (0.0, 3.0, False),
                      "social_dialogue": (0.0, 0.0, False), "rights_at_work": (0.0, 1.0, False)}
    submit(course, call, "student_1", "jobs", {"j1": "true", "j2": "true"})
    after = lines(course.block("course"))
    # Jobs attempted (2 of 2 employment, 0 of 1 rights); the protection quiz still counts as possible.
    assert after["employment"] == (2.0, 2.0, True)
    assert after["rights_at_work"] == (0.0, 1.0, True)
    assert after["social_protection"] == (0.0, 3.0, False)


def test_the_section_scope_counts_only_its_own_section(make_block, call):
    course = Course(make_block)
    submit(course, call, "student_1", "protection", {"p1": "1952"})
    one = lines(course.block("section_one"))
    two = lines(course.block("section_two"))
    assert one["social_protection"] == (0.0, 0.0, False) and one["employment"] == (0.0, 2.0, False)
    assert two["social_protection"] == (3.0, 3.0, True) and two["employment"] == (0.0, 0.0, False)
    html = course.block("section_one").render("student_view", {}).body_html()
    assert "0 of 2 points: not started" in html and "No points in this section" in html


def test_the_walk_loads_only_containers_and_graded_blocks(make_block, monkeypatch):
    course = Course(make_block)
    profile = course.block("course")
    loaded = []
    original = profile.runtime.get_block

    def spy(usage_id, *args, **kwargs):
        block = original(usage_id, *args, **kwargs)
        loaded.append(block.scope_ids.block_type)
        return block

    monkeypatch.setattr(profile.runtime, "get_block", spy)
    index = profile_scope.find(profile, "course")
    assert len(index.usage_ids) == 2
    assert "html_demo" not in loaded and "sse_profile" not in loaded


def test_in_open_edx_the_scope_is_cached_per_published_course_version(make_block, monkeypatch):
    course = Course(make_block)
    profile = course.block("course")
    walks = []
    original = profile_scope._ordered_walk
    monkeypatch.setattr(profile_scope, "_ordered_walk", lambda root, walk: walks.append(1) or original(root, walk))
    profile.course_version = "v1"  # what Open edX's split modulestore sets on every block it loads
    first = profile_scope.find(profile, "course")
    second = profile_scope.find(profile, "course")
    assert first == second and len(walks) == 1
    profile.course_version = "v2"  # the course was published again
    profile_scope.find(profile, "course")
    assert len(walks) == 2


def test_the_cohort_median_appears_from_five_learners_and_names_nobody(make_block, call):
    course = Course(make_block)
    for number in range(5):
        answers = {"j1": "true" if number < 3 else "false", "j2": "false"}
        submit(course, call, f"learner_{number}", "jobs", answers)
    cache.clear()
    html = course.block("course", "learner_0").render("student_view", {}).body_html()
    # Employment: three learners at 100%, two at 0%: median 100%.
    assert "Cohort median: 100%" in html
    assert "learner_1" not in html and "learner_4" not in html
    assert "Cohort profile (staff only)" not in html


def test_the_profile_is_excluded_from_completion_like_the_platforms_informational_blocks():
    """Follows openedx/edx-platform xmodule/discussion_block.py (DiscussionXBlock.completion_mode =
    EXCLUDED) and openedx/completion completion/services.py, which marks complete on view only blocks
    whose mode is COMPLETABLE; XBlock's xblock/completable.py defines the modes."""
    assert XBlockCompletionMode.get_mode(SSEProfileBlock) == XBlockCompletionMode.EXCLUDED
    assert SSEProfileBlock.has_score is False
    assert not getattr(SSEProfileBlock, "has_custom_completion", False)
    assert SSEProfileBlock.show_in_read_only_mode is True


def test_a_learner_render_reads_the_score_table_once_whatever_the_cohort(make_block, call):
    course = Course(make_block)
    submit(course, call, "student_1", "jobs", {"j1": "true", "j2": "true"})

    def score_queries(user):
        block = course.block("course", user)
        block.render("student_view", {})  # warms the cohort figures' cache
        with CaptureQueriesContext(connection) as captured:
            block.render("student_view", {})
        return [q["sql"] for q in captured.captured_queries if SCORE_TABLE in q["sql"]]

    few = score_queries("student_1")
    for number in range(30):
        submit(course, call, f"extra_{number}", "protection", {"p1": "1952"})
    cache.clear()
    many = score_queries("student_1")
    assert len(few) == len(many) == 1
    assert "anonymous_user_id" in many[0] and "usage_id" in many[0]


def test_the_staff_cohort_page_costs_the_same_queries_at_any_cohort_size(make_block, call):
    course = Course(make_block)

    def page_queries(request):
        staff = course.block("course", "staff")
        staff.render("student_view", {})  # the staff view computes the cohort's figures (cached)
        with CaptureQueriesContext(connection) as captured:
            status, data = call(staff, "staff_learners", request)
        assert status == 200, data
        return len([q for q in captured.captured_queries if SCORE_TABLE in q["sql"]]), data

    submit(course, call, "a_1", "jobs", {"j1": "true", "j2": "false"})
    small, data = page_queries({})
    assert data["learners"] == 1 and not data["has_prev"] and not data["has_next"]
    # one page: counted exactly, and said to be current
    assert data["learners_text"] == "1 learner has points in this scope."
    for number in range(40):
        submit(course, call, f"b_{number:02d}", "jobs", {"j1": "true", "j2": "true"})
    large, first = page_queries({})
    assert small == large == 2  # the page's learner ids, then their sums: no count, no offset
    assert first["learners"] == 41
    assert first["learners_text"] == "41 learners have points in this scope."  # kept as scores change
    assert len(first["rows"]) == 25 and first["has_next"] and not first["has_prev"]
    assert first["rows"][0]["anonymous_user_id"] == "a_1" and first["last"] == "b_23"
    count, second = page_queries({"after": first["last"]})
    assert count == 2 and len(second["rows"]) == 16 and second["has_prev"] and not second["has_next"]
    assert [row["anonymous_user_id"] for row in second["rows"]] == [f"b_{n:02d}" for n in range(24, 40)]
    count, back = page_queries({"before": second["first"]})
    assert count == 2 and back["rows"] == first["rows"] and not back["has_prev"] and back["has_next"]
    count, past = page_queries({"after": "b_39"})  # the last learner: an empty page names no row
    assert past["rows"] == [] and (past["first"], past["last"]) == ("", "") and not past["has_next"]


def test_the_cohort_count_follows_each_new_learner_at_once(make_block, call):
    course = Course(make_block)
    for number in range(26):
        submit(course, call, f"a_{number:02d}", "jobs", {"j1": "true", "j2": "false"})
    staff = course.block("course", "staff")
    assert call(staff, "staff_learners", {})[1]["learners"] == 26
    submit(course, call, "a_26", "jobs", {"j1": "true", "j2": "true"})
    first = call(staff, "staff_learners", {})[1]
    status, second = call(staff, "staff_learners", {"after": first["last"]})
    assert [row["anonymous_user_id"] for row in second["rows"]] == ["a_25", "a_26"]  # rows are live
    assert first["learners"] == second["learners"] == 27  # and so is the count beside them
    html = staff.render("student_view", {}).body_html()
    assert "27 learners have points in this scope." in html


@pytest.mark.parametrize("request_data", [
    {"after": "a_1", "before": "a_2"}, {"after": ""}, {"before": 3}, {"after": "x" * 256},
])
def test_a_bad_cohort_page_request_is_refused_clearly(make_block, call, request_data):
    course = Course(make_block)
    submit(course, call, "a_1", "jobs", {"j1": "true", "j2": "false"})
    status, data = call(course.block("course", "staff"), "staff_learners", request_data)
    assert status == 400 and data["error"]


def test_staff_see_the_histogram_and_download_the_csv_learners_cannot(make_block, call):
    course = Course(make_block)
    submit(course, call, "student_1", "jobs", {"j1": "true", "j2": "false"})
    staff_html = course.block("course", "staff").render("student_view", {}).body_html()
    assert "Cohort profile (staff only)" in staff_html and "90–100%" in staff_html
    status, text = call(course.block("course", "staff"), "staff_csv", method="GET")
    assert status == 200 and "student_1" in text and "Employment: points earned (of 2)" in text
    status, reply = call(course.block("course", "student_1"), "staff_csv", method="GET")
    assert status == 403
    status, reply = call(course.block("course", "student_1"), "staff_learners", {})
    assert status == 403 and reply["error"]


def test_refresh_returns_the_updated_body(make_block, call):
    course = Course(make_block)
    status, data = call(course.block("section_one"), "refresh", {})
    assert status == 200 and "not started" in data["html"]
    submit(course, call, "student_1", "jobs", {"j1": "true", "j2": "false"})
    status, data = call(course.block("section_one"), "refresh", {})
    assert "2 of 2 points (100%)" in data["html"]


def test_olx_round_trip_and_clear_errors(make_block):
    block = make_block('<sse_profile display_name="Where you stand" scope="section"/>')
    assert (block.display_name, block.scope) == ("Where you stand", "section")
    node = etree.Element("x")
    block.add_xml_to_node(node)
    assert node.tag == "sse_profile" and node.get("scope") == "section" and node.get("display_name") == "Where you stand"
    assert make_block("<sse_profile/>").scope == "course"
    with pytest.raises(OLXError, match="scope"):
        make_block('<sse_profile scope="module"/>')
    with pytest.raises(OLXError, match="no elements"):
        make_block("<sse_profile><p>x</p></sse_profile>")
    with pytest.raises(OLXError, match='did you mean "scope"'):
        make_block('<sse_profile scop="section"/>')  # a typo of ours; other attributes are the platform's


def test_studio_settings_are_checked_whole_before_saving(make_block, call):
    block = make_block('<sse_profile scope="course"/>', user="staff")
    status, reply = call(block, "studio_submit", {"display_name": " ", "scope": "module"})
    assert status == 400 and {e["field"] for e in reply["errors"]} == {"display_name", "scope"}
    assert block.scope == "course"
    status, reply = call(block, "studio_submit", {"display_name": "Your profile here", "scope": "section"})
    assert status == 200 and (block.display_name, block.scope) == ("Your profile here", "section")
    html = block.render("studio_view", {}).body_html()
    assert re.search(r'<option value="section" selected>', html)


def test_a_scope_without_graded_blocks_says_so(make_block):
    block = make_block('<vertical_demo><html_demo><p>Text</p></html_demo><sse_profile/></vertical_demo>')
    profile = block.runtime.get_block(block.children[1])
    html = profile.render("student_view", {}).body_html()
    assert "This course has no graded SSE activity yet" in html


def test_a_block_that_cannot_be_loaded_is_left_out_not_fatal(make_block, monkeypatch, caplog):
    course = Course(make_block)
    profile = course.block("course")
    original = profile.runtime.get_block
    broken = str(course.ids["protection"])

    def failing(usage_id, *args, **kwargs):
        if str(usage_id) == broken:
            raise RuntimeError("the store lost this block")
        return original(usage_id, *args, **kwargs)

    monkeypatch.setattr(profile.runtime, "get_block", failing)
    index = profile_scope.find(profile, "course")
    assert index.usage_ids == [str(course.ids["jobs"])]
    assert "could not be loaded" in caplog.text

