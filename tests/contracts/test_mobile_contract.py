"""Mobile apps and the Course Blocks API (issue 10, item 5).

Platform source followed: lms/djangoapps/course_api/blocks/transformers/student_view.py (openedx/edx-platform
at 0c14b3f64c43c50ad3bb74811fed56ee62bbaa21, the stored version read), ``StudentViewTransformer``.
``collect``: for each block of the course, loaded from the modulestore and bound to no learner,
``block.has_support(type(block).student_view, 'multi_device')`` becomes ``student_view_multi_device`` (the
mobile apps show a block only when it is true, and otherwise send the learner to the browser), and, for a
block that has ``student_view_data``, ``block.student_view_data()`` (no arguments) becomes
``student_view_data``. ``transform`` then drops ``student_view_data`` from every block whose type the API
request does not name in its ``student_view_data`` parameter, so the API's JSON carries it only for the
block types the app asks for.
"""

from __future__ import annotations

import json

import pytest

from factories import olx, respond
from .test_dashboard_contract import CASE
from .test_olx_contract import import_block  # noqa: F401  (a block with no learner at all)

QUIZ = """<sse_quiz display_name="Mobile quiz" dimension="employment" max_attempts="3" show_answer="finished"
  pass_mark="60" weight="5">
  <question id="q1" type="single" points="2"><prompt>Pick <script>x()</script><b>a</b>.</prompt>
    <choice id="a" correct="true">A<feedback>SECRET-FEEDBACK</feedback></choice><choice id="b">B</choice></question>
  <question id="q2" type="numeric" answer="1895" tolerance="2"><prompt>Year?</prompt>
    <explanation>SECRET-EXPLANATION</explanation></question>
  <question id="q3" type="text"><prompt>Name it.</prompt><answer>SECRET-ACCEPTED</answer></question>
  <question id="q4" type="truefalse" answer="true"><prompt>True?</prompt></question>
</sse_quiz>"""


def collect(block, requested=None):
    """``StudentViewTransformer.collect`` for one block, then ``transform`` for a request whose
    ``student_view_data`` parameter names ``requested`` (by default the block's own type)."""
    student_view = getattr(block.__class__, "student_view", None)
    fields = {"student_view_multi_device": block.has_support(student_view, "multi_device")}
    if getattr(block, "student_view_data", None):
        fields["student_view_data"] = json.loads(json.dumps(block.student_view_data()))  # the API sends JSON
    if block.scope_ids.block_type not in (requested if requested is not None else [block.scope_ids.block_type]):
        fields.pop("student_view_data", None)
    return fields


@pytest.fixture
def unbound(make_block):
    """A block as the modulestore gives it to the transformer: no learner behind it."""
    def build(xml):
        return make_block(xml, user=None)
    return build


def test_quiz_is_multi_device_and_gives_questions_without_the_key(unbound):
    fields = collect(unbound(QUIZ))
    assert fields["student_view_multi_device"] is True
    data = fields["student_view_data"]
    assert {k: data[k] for k in ("display_name", "max_attempts", "show_answer", "pass_mark", "weight")} == {
        "display_name": "Mobile quiz", "max_attempts": 3, "show_answer": "finished", "pass_mark": 60, "weight": 5.0}
    assert [q["id"] for q in data["questions"]] == ["q1", "q2", "q3", "q4"]
    assert [c["id"] for c in data["questions"][0]["choices"]] == ["a", "b"]
    assert data["questions"][0]["prompt_html"] == "Pick <b>a</b>."  # sanitised
    text = json.dumps(data)
    for secret in ("SECRET-FEEDBACK", "SECRET-EXPLANATION", "SECRET-ACCEPTED", "1895", "correct", "tolerance",
                   '"answer"'):
        assert secret not in text, secret


def test_case_study_is_multi_device_and_gives_case_prompt_and_rubric(unbound):
    fields = collect(unbound(CASE))
    assert fields["student_view_multi_device"] is True
    data = fields["student_view_data"]
    assert data["prompt_html"] == "Write."
    assert data["rubric"][0]["name"] == "c"
    assert [o["points"] for o in data["rubric"][0]["options"]] == [0, 4]
    assert data["max_points"] == 4 and data["reviews_required"] == 1
    # The steps a learner is told about, all off here: no practice, no self-assessment, a fixed review count.
    assert data["calibration"] == {"enabled": False, "examples": 0, "tolerance": 1.0, "retries": 2}
    assert data["self_assessment"] == {"enabled": False, "counted": False, "weight": 0.0}
    assert data["review_count"] == {"minimum": 1, "maximum": 1, "agreement_points": 0}
    assert data["grade_for_reviewing"] == {"share": 0.0}


PRACTICE = olx("case_study_practice", count=2, tolerance="0.25", retries=1,
               attributes=' self_assessment="counted" self_weight="0.3" reviews_max="4" agreement_points="2" review_share="0.2"')


def test_case_study_gives_its_practice_self_assessment_and_review_count_but_never_an_example(unbound):
    data = collect(unbound(PRACTICE))["student_view_data"]
    assert data["calibration"] == {"enabled": True, "examples": 2, "tolerance": 0.25, "retries": 1}
    assert data["self_assessment"] == {"enabled": True, "counted": True, "weight": 0.3}
    assert data["review_count"] == {"minimum": 1, "maximum": 4, "agreement_points": 2}
    assert data["grade_for_reviewing"] == {"share": 0.2}
    text = json.dumps(data)
    # The examples are the course team's key: neither their texts, their names, their references nor their notes.
    for secret in ("EXAMPLE-", "NOTE-", '"strong"', '"weak"', '"middle"', "reference", "response"):
        assert secret not in text, secret


def test_case_study_data_is_the_same_for_every_learner_and_holds_none_of_their_work(make_block, call, unbound):
    ana = make_block(PRACTICE, user="ana")
    respond(call, ana, "ANA-RESPONSE about the assembly.")
    example = call(ana, "state", {})[1]["state"]["calibration"]["task"]["example"]
    assert call(ana, "submit_calibration", {"example": example, "options": {"a": 0, "e": 0}})[0] == 200
    assert call(ana, "submit_self_assessment", {"options": {"a": 2, "e": 1}})[0] == 200
    data = collect(ana)["student_view_data"]
    assert "ANA-RESPONSE" not in json.dumps(data) and "NOTE-" not in json.dumps(data)
    assert data == collect(unbound(PRACTICE))["student_view_data"]


def test_profile_is_multi_device_and_says_what_it_shows(unbound):
    fields = collect(unbound('<sse_profile display_name="Where you stand" scope="section"/>'))
    assert fields == {"student_view_multi_device": True,
                      "student_view_data": {"display_name": "Where you stand", "scope": "section"}}


def test_student_view_data_needs_no_learner_and_no_runtime_services():
    """The transformer runs at publish time on a block with no user service at all."""
    from .test_olx_contract import PlatformCase, PlatformQuiz

    assert collect(import_block(PlatformQuiz, QUIZ))["student_view_data"]["questions"]
    assert collect(import_block(PlatformCase, CASE))["student_view_data"]["rubric"]


def test_student_view_data_is_sent_only_for_the_block_types_the_app_asks_for(unbound):
    assert collect(unbound(QUIZ), requested=["sse_case_study"]) == {"student_view_multi_device": True}
    assert "student_view_data" in collect(unbound(QUIZ), requested=["sse_quiz", "sse_case_study"])
