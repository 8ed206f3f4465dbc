"""Our blocks as components of a content library (v2): a preview that writes nothing, and a profile that
shows a placeholder instead of failing for want of a parent.

A library component's usage key is a ``LibraryUsageLocatorV2`` (``lb:org:slug:type:id``) whose context is the
library (``lib:org:slug``); here the workbench's block ids are written that way.
"""

from __future__ import annotations

import uuid

import pytest
from django.apps import apps
from submissions.models import Score, StudentItem, Submission

from factories import olx
from sse_academy_xblock import platform

QUIZ = olx("quiz_contract")
CASE = olx("case_study_factory")
ANSWER = "A cooperative keeps the jobs in the town, and its members decide together how the work is shared."


def library_block(xml: str, kind: str, user: str = "amina"):
    """A block whose usage id is a content library's usage key (and, for comparison, nothing else differs)."""
    from workbench.runtime import ID_MANAGER, WorkbenchRuntime

    ID_MANAGER.set_scenario(f"lb:SSE:reuse:{kind}:c{uuid.uuid4().hex[:10]}")
    runtime = WorkbenchRuntime(user)
    return runtime.get_block(runtime.parse_xml_string(xml))


def rows_written() -> dict[str, int]:
    """Every table of our app, and edx-submissions' tables, with their row counts (only those with rows)."""
    models = list(apps.get_app_config("sse_academy_xblock").get_models()) + [StudentItem, Submission, Score]
    counts = {model._meta.db_table: model.objects.count() for model in models}
    return {table: count for table, count in counts.items() if count}


@pytest.fixture
def published(monkeypatch):
    events = []
    monkeypatch.setattr("workbench.runtime.WorkbenchRuntime.publish",
                        lambda runtime, block, event_type, data: events.append((event_type, data)))
    return events


def test_a_library_usage_key_is_a_library_context_and_a_course_one_is_not(make_block):
    quiz = library_block(QUIZ, "sse_quiz")
    assert str(quiz.scope_ids.usage_id).startswith("lb:SSE:reuse:sse_quiz:")
    assert platform.is_library_context(quiz) and platform.is_preview(quiz) and platform.is_read_only(quiz)
    course_quiz = make_block(QUIZ)
    assert not platform.is_library_context(course_quiz) and not platform.is_preview(course_quiz)


def test_a_library_usage_key_object_counts_by_its_context_key():
    class Key:
        def __init__(self, context):
            self.context_key = context

    class Block:
        def __init__(self, context):
            self.scope_ids = type("Ids", (), {"usage_id": Key(context)})()

    assert platform.is_library_context(Block("lib:SSE:reuse"))
    assert not platform.is_library_context(Block("course-v1:SSE+T+1"))
    assert not platform.is_library_context(Block("library-v1:SSE+legacy"))  # a legacy library's copy is a course's


def test_a_library_quiz_submit_writes_nothing_and_says_it_is_a_preview(db, call, published):
    quiz = library_block(QUIZ, "sse_quiz")
    html = quiz.render("student_view", {}).body_html()
    assert "This is a preview of a library component: answers are not saved." in html
    status, reply = call(quiz, "submit", {"attempt": 1, "answers": {"q1": "a", "q2": True}})
    assert status == 403
    assert "preview of a library component" in reply["error"] and "nothing you do here is saved" in reply["error"]
    assert rows_written() == {}
    assert [e for e in published if e[0] == "grade"] == []
    assert quiz.attempts == 0 and quiz.raw_earned is None


def test_a_library_case_study_draft_and_response_write_nothing(db, call, published):
    case = library_block(CASE, "sse_case_study")
    html = case.render("student_view", {}).body_html()
    assert html.count("This is a preview of a library component: responses and reviews are not saved.") == 1
    for handler, body in (("save_draft", {"text": ANSWER}), ("submit_response", {"text": ANSWER}),
                          ("next_review", {}), ("state", {}), ("submit_self_assessment", {"options": {"c": 1}})):
        status, reply = call(case, handler, body)
        assert status == 403, (handler, reply)
        assert "preview of a library component" in reply["error"]
    assert rows_written() == {}
    assert published == []


def test_the_preview_message_is_translated(db, call, monkeypatch):
    from django.utils import translation

    quiz = library_block(QUIZ, "sse_quiz")
    with translation.override("fr"):
        status, reply = call(quiz, "submit", {"attempt": 1, "answers": {"q1": "a"}})
    assert status == 403 and "bibliothèque" in reply["error"]


def test_the_same_quiz_in_a_course_still_counts_the_attempt(make_block, call, published):
    quiz = make_block(QUIZ, user="amina")
    status, reply = call(quiz, "submit", {"attempt": 1, "answers": {"q1": "a", "q2": True}})
    assert status == 200, reply
    assert rows_written() and [e for e in published if e[0] == "grade"]


# --- the profile -----------------------------------------------------------------------------------


def test_the_profile_in_a_library_shows_a_placeholder_without_asking_for_its_parent(db, call, monkeypatch):
    profile = library_block("<sse_profile/>", "sse_profile")

    def no_parent(*args, **kwargs):
        raise NotImplementedError("a library component has no parent")

    monkeypatch.setattr(type(profile), "get_parent", no_parent)
    html = profile.render("student_view", {}).body_html()
    assert "once it is used in a course" in html
    assert "sse-profile-chart" not in html and "sse-profile-placeholder" in html
    status, reply = call(profile, "refresh", {})
    assert status == 200 and "once it is used in a course" in reply["html"]
    assert rows_written() == {}


def test_the_profile_in_a_course_still_adds_up_its_section(make_block):
    profile = make_block("<sse_profile/>")
    html = profile.render("student_view", {}).body_html()
    assert "once it is used in a course" not in html
