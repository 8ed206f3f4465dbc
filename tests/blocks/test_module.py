"""The ``sse_module`` container on the workbench runtime: rendering, the learner's profile, validation."""

from __future__ import annotations

import re

import pytest
from web_fragments.fragment import Fragment
from xblock.core import XBlock
from xblock.fields import Scope, String
from xblock.validation import Validation, ValidationMessage

from sse_academy_xblock import platform
from sse_academy_xblock.module import scores

QUIZ_EMPLOYMENT = """
  <sse_quiz display_name="Jobs quiz" dimension="employment" max_attempts="0" show_answer="always">
    <question id="j1" type="truefalse" answer="true" points="2"><prompt>Jobs one?</prompt></question>
    <question id="j2" type="truefalse" answer="false" dimension="rights_at_work"><prompt>Rights one?</prompt></question>
  </sse_quiz>"""
QUIZ_PROTECTION = """
  <sse_quiz display_name="Protection quiz" dimension="social_protection" max_attempts="1">
    <question id="p1" type="numeric" answer="1952" points="3"><prompt>Year of C102?</prompt></question>
  </sse_quiz>"""
MODULE = f"""<sse_module display_name="Employment and SSE" dimension="employment" estimated_time="180">
  <objective>Explain <em>how</em> cooperatives keep jobs.</objective>
  <objective>Name one &amp; only one recommendation.</objective>
  <intro><p>Welcome to the module.</p><script>alert(1)</script><p onclick="steal()">Read on.</p></intro>
  <html_demo><p class="first-text">First text block.</p></html_demo>
  {QUIZ_EMPLOYMENT}
  <html_demo><p class="second-text">Second text block.</p></html_demo>
  {QUIZ_PROTECTION}
</sse_module>"""


class WarningContent(XBlock):
    """A content block that always has a Studio warning (stands in for any child with messages)."""

    display_name = String(scope=Scope.settings, default="Video")

    def student_view(self, context=None):
        return Fragment("<p class='warning-content'>Plain content.</p>")

    def validate(self):
        result = Validation(self.scope_ids.usage_id)
        result.add(ValidationMessage(ValidationMessage.WARNING, "This video has no transcript."))
        return result


def children(module):
    return [module.runtime.get_block(child_id) for child_id in module.children]


def quiz(module, title):
    return next(c for c in children(module) if getattr(c, "display_name", "") == title)


def test_renders_header_objectives_intro_then_every_child_in_order_then_the_profile(make_block):
    module = make_block(MODULE)
    html = module.render("student_view", {}).body_html()
    markers = [
        "Employment and SSE", "Estimated time: 3 hours", "Learning objectives",
        "Explain <em>how</em> cooperatives keep jobs.", "Welcome to the module.", 'class="first-text"',
        "Jobs quiz", 'class="second-text"', "Protection quiz", ">Your Decent Work profile</h",
    ]
    positions = [html.find(marker) for marker in markers]
    assert -1 not in positions, [m for m, p in zip(markers, positions) if p == -1]
    assert positions == sorted(positions)
    # Each child is rendered by the runtime (its own wrapper and its own JS init).
    assert html.count("data-block-type='sse_quiz'") == 2
    assert html.count("data-init='SSEQuizBlock'") == 2


def test_intro_and_objectives_are_sanitised(make_block):
    html = make_block(MODULE).render("student_view", {}).body_html()
    assert "<script>" not in html.split("sse-module-children")[0]
    assert "alert(1)" not in html
    assert "steal()" not in html
    assert "Read on." in html
    assert "Name one &amp; only one recommendation." in html


def test_fragment_carries_the_childrens_resources(make_block):
    frag = make_block(MODULE).render("student_view", {})
    scripts = "".join(r.data for r in frag.resources if r.mimetype == "application/javascript")
    assert "function SSEModuleBlock" in scripts
    assert "function SSEQuizBlock" in scripts


def test_profile_counts_possible_points_from_the_content_before_any_attempt(make_block, call):
    module = make_block(MODULE)
    status, data = call(module, "profile", {})
    assert status == 200
    lines = {d["id"]: (d["earned"], d["possible"]) for d in data["profile"]["dimensions"]}
    assert lines == {
        "employment": (0, 2), "social_protection": (0, 3), "social_dialogue": (0, 0), "rights_at_work": (0, 1)
    }
    html = module.render("student_view", {}).body_html()
    assert "0 of 2 points (0%)" in html
    assert "No points in this module" in html  # social dialogue: no content, said in words


def test_profile_updates_after_a_child_quiz_is_graded_for_this_learner_only(make_block, call):
    module = make_block(MODULE, user="amina")
    jobs = quiz(module, "Jobs quiz")
    status, reply = call(jobs, "submit", {"answers": {"j1": "true", "j2": "true"}, "attempt": 1})
    assert status == 200, reply

    status, data = call(module, "profile", {})
    assert status == 200
    by_dim = {d["id"]: d for d in data["profile"]["dimensions"]}
    assert (by_dim["employment"]["earned"], by_dim["employment"]["possible"]) == (2, 2)
    assert by_dim["employment"]["summary"] == "2 of 2 points (100%)"
    assert (by_dim["rights_at_work"]["earned"], by_dim["rights_at_work"]["possible"]) == (0, 1)
    assert data["profile"]["summary"] == "2 of 6 points (33%)"
    assert [row["bar_width"] for row in data["chart"]["rows"]] == [100, 0, 0, 0]

    other = make_block.as_user(module, "bruno")
    _, theirs = call(other, "profile", {})
    assert theirs["profile"]["earned"] == 0
    assert "2 of 2 points (100%)" in module.runtime.get_block(module.scope_ids.usage_id).render(
        "student_view", {}).body_html()


def test_profile_reads_the_score_table_in_one_query(make_block):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    module = make_block(MODULE, user="amina")
    for child in children(module):
        scores.record("amina", "c", platform.usage_id(child), {"employment": {"earned": 1, "possible": 2}})
    with CaptureQueriesContext(connection) as queries:
        result = module.learner_profile()
    on_scores = [q["sql"] for q in queries.captured_queries if "dimensionscore" in q["sql"].lower()]
    assert len(on_scores) == 1
    assert result.line("employment").earned == 2


def test_profile_handler_only_accepts_post(make_block, call):
    status, data = call(make_block(MODULE), "profile", method="GET")
    assert status == 405 and data["error"]


def test_validate_rolls_up_children_messages_and_accepts_graded_modules(make_block):
    module = make_block(MODULE)
    assert module.validate().messages == []

    @XBlock.register_temp_plugin(WarningContent, "video")
    def check():
        with_video = make_block(MODULE.replace("</sse_module>", '<video display_name="Interview"/></sse_module>'))
        texts = [m.text for m in with_video.validate().messages]
        assert texts == ["Interview: This video has no transcript."]

    check()


def test_validate_warns_when_no_child_is_graded(make_block):
    module = make_block('<sse_module display_name="Reading only"><html_demo><p>Text</p></html_demo></sse_module>')
    messages = module.validate().messages
    assert [m.type for m in messages] == ["warning"]
    assert "no quiz or case study" in messages[0].text


def test_a_module_without_graded_children_says_so_instead_of_a_chart(make_block):
    module = make_block('<sse_module display_name="Reading only"><html_demo><p>Text</p></html_demo></sse_module>')
    html = module.render("student_view", {}).body_html()
    assert "no graded activity" in html
    assert "<svg" not in html


def test_chart_is_svg_with_text_labels_and_a_table_alternative(make_block, call):
    module = make_block(MODULE, user="amina")
    call(quiz(module, "Jobs quiz"), "submit", {"answers": {"j1": "true", "j2": "false"}, "attempt": 1})
    html = make_block.as_user(module, "amina").render("student_view", {}).body_html()
    svg = html[html.index("<svg"): html.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    for label in ("Employment", "Social protection", "Social dialogue", "Rights at work"):
        assert f">{label}</text>" in svg
    assert ">2 of 2 points (100%)</text>" in svg
    assert ">1 of 1 point (100%)</text>" in svg
    table = html[html.index('<table class="sse-module-table"'): html.index("</table>")]
    rows = re.findall(r"<th scope=\"row\">([^<]+)</th>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>", table)
    assert rows[0] == ("Employment", "2", "2", "100%")
    assert rows[-1] == ("Overall", "3", "6", "50%")


def test_workbench_init_data_lives_on_the_modules_own_element(make_block):
    html = make_block(MODULE).render("student_view", {}).body_html()
    assert 'data-sse-init="' in html
    assert "data-init='SSEModuleBlock'" in html


def test_completion_aggregates_children():
    from xblock.completable import XBlockCompletionMode

    from sse_academy_xblock.blocks.module import SSEModuleBlock

    assert XBlockCompletionMode.get_mode(SSEModuleBlock) == XBlockCompletionMode.AGGREGATOR
    assert SSEModuleBlock.has_children is True


def test_author_preview_lists_children_and_edit_view_renders_them(make_block):
    module = make_block(MODULE)
    preview = module.render("author_view", {}).body_html()
    assert "Jobs quiz" in preview and "Protection quiz" in preview
    assert "counts for the Decent Work profile" in preview
    edit = module.render("author_view", {"root_xblock": module}).body_html()
    assert edit.count("data-block-type='sse_quiz'") == 2
    assert "add-xblock-component-button" in edit
    for category in ("sse_quiz", "sse_case_study", "html", "video"):
        assert f'data-category="{category}"' in edit


CASE_MODULE = """<sse_module display_name="Rights" dimension="rights_at_work">
  <sse_quiz display_name="Quick quiz" dimension="rights_at_work">
    <question id="r1" type="truefalse" answer="true"><prompt>C87 dates from 1948.</prompt></question>
  </sse_quiz>
  <sse_case_study display_name="A recovered factory" dimension="social_dialogue" reviews_required="1"
                  reviews_to_give="1" min_words="3" max_words="200">
    <case><p>Workers took over a factory.</p></case>
    <prompt>How do the workers decide together?</prompt>
    <rubric>
      <criterion name="analysis" label="Analysis">
        <option points="0" label="Missing">No analysis.</option>
        <option points="4" label="Strong">A clear analysis.</option>
      </criterion>
      <criterion name="dialogue" label="Social dialogue">
        <option points="0" label="Missing">Not discussed.</option>
        <option points="2" label="Present">Discussed.</option>
      </criterion>
    </rubric>
  </sse_case_study>
</sse_module>"""


def test_a_case_study_counts_for_its_dimension_once_graded(
    make_block, call, django_capture_on_commit_callbacks
):
    module = make_block(CASE_MODULE, user="amina")
    _, before = call(module, "profile", {})
    lines = {d["id"]: (d["earned"], d["possible"]) for d in before["profile"]["dimensions"]}
    assert lines["social_dialogue"] == (0, 6) and lines["rights_at_work"] == (0, 1)

    case = next(c for c in children(module) if c.scope_ids.block_type == "sse_case_study")
    status, reply = call(case, "submit_response", {"text": "They vote in a general assembly every month."})
    assert status == 200, reply
    staff_case = make_block.as_user(case, "staff")
    _, listing = call(staff_case, "staff_list", {"page": 1})
    submission = listing["rows"][0]["id"]
    with django_capture_on_commit_callbacks(execute=True):
        status, reply = call(staff_case, "staff_grade", {"submission": submission, "points": 5, "reason": "Checked."})
    assert status == 200, reply

    _, after = call(make_block.as_user(module, "amina"), "profile", {})
    lines = {d["id"]: (d["earned"], d["possible"]) for d in after["profile"]["dimensions"]}
    assert lines["social_dialogue"] == (5, 6)
    assert lines["rights_at_work"] == (0, 1)


def test_profile_and_cohort_headings_are_not_filed_under_the_last_child(make_block):
    """Screen-reader users move by headings: the profile and the staff cohort table come after the
    children, so their headings must not be one level below the last child's title."""
    module = make_block.as_user(make_block(MODULE), "staff")
    html = module.render("student_view", {}).body_html()
    outline = [(int(level), re.sub(r"<[^>]+>", "", text).strip())
               for level, text in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", html, re.S)]
    levels = dict((text, level) for level, text in outline)
    child_level = levels["Protection quiz"]
    assert levels["Your Decent Work profile"] <= child_level
    assert levels["Cohort profile (staff only)"] <= child_level
    assert levels["Learning objectives"] > levels["Employment and SSE"]


def test_the_table_says_when_a_dimension_has_no_points_instead_of_0_percent(make_block):
    """Like the chart: a dimension the module does not assess is not a learner's 0%."""
    html = make_block(MODULE).render("student_view", {}).body_html()
    table = html[html.index('<table class="sse-module-table"'): html.index("</table>")]
    rows = re.findall(r"<th scope=\"row\">([^<]+)</th>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>", table)
    assert ("Social dialogue", "0", "0", "No points in this module") in rows
    assert ("Employment", "0", "2", "0%") in rows
