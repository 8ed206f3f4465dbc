"""Our tracking events, run through the analytics the platform runs: the quiz's through event-routing-backends'
xAPI transformers (what Open edX Aspects stores), and the quiz's and the case study's through ralph's models
of the edX tracking log.

Run as they are (installed by requirements/test.in): event-routing-backends' ``XApiProcessor`` and its
registered transformers of ``problem_check`` and ``showanswer``, tincan's statements, and ralph's pydantic
models (``ralph.models.xapi.base.statements.BaseXapiStatement`` for the statements, the edX event models
for the tracking-log events). Stubbed, because they read the platform's tables: event-routing-backends'
``get_anonymous_user_id`` (the learner's external id) and ``get_course_from_id`` (the course overview).

The tracking-log record around a block's event is the one the LMS writes for a block's ``runtime.publish``
(``EventPublishingService.publish`` in xmodule/services.py hands it to ``server_track``, page
``x_module``, with the course and module context), in the shape of event-routing-backends' own fixture
``event_routing_backends/processors/tests/fixtures/current/problem_check(server,multiple_questions,correct).json``
(openedx/event-routing-backends at commit f4a459b7b00c81092b90df1eca54b3970f8f642f). The event's fields
follow ``submit_problem`` and ``get_answer`` in xmodule/capa_block.py (openedx/openedx-platform at commit
09b3dccbab648de797bb5409f4ae6d42bd826407).
"""

from __future__ import annotations

import uuid
from contextlib import ExitStack
from unittest import mock

import pytest
from django.test.utils import override_settings

from factories import olx, respond, review_through

from .platform_replay import LMS_COURSE, LMSBlocks

LMS_ROOT = "https://lms.sse-academy.example"
QUIZ = olx("quiz_events")
# One answer of each type: single right (2), multiple half right (1 of 2), true/false wrong (0),
# numeric right (1), text right (1): 5 of 7 points.
ANSWERS = {"single": "c122", "multiple": ["c87"], "truefalse": False, "numeric": 1895, "text": "mondragon"}
EVALUATED = "https://w3id.org/xapi/acrossx/verbs/evaluated"


def lms_record(name: str, data: dict, block, user_id: int = 8, username: str = "amina") -> dict:
    """The tracking-log record of a block's published event, as event-routing-backends receives it."""
    usage = str(block.scope_ids.usage_id)
    return {
        "name": name,
        "context": {
            "course_id": LMS_COURSE, "course_user_tags": {}, "user_id": user_id,
            "path": f"/courses/{LMS_COURSE}/xblock/{usage}/handler/submit", "org_id": "SSE",
            "enterprise_uuid": "", "module": {"display_name": block.display_name, "usage_key": usage}, "asides": {},
        },
        "username": username, "session": "5f0c1ab2d3e4f5a6b7c8d9e0f1a2b3c4", "ip": "192.0.2.10",
        "agent": "Mozilla/5.0", "host": "lms.sse-academy.example", "referer": f"{LMS_ROOT}/xblock/{usage}",
        "accept_language": "fr", "event": data, "time": "2026-12-07T01:20:00.000000+00:00",
        "event_type": name, "event_source": "server", "page": "x_module",
    }


@pytest.fixture
def xapi():
    """event-routing-backends' xAPI processor, with the two platform look-ups it makes stubbed."""
    from event_routing_backends.processors.xapi import transformer
    from event_routing_backends.processors.xapi.transformer_processor import XApiProcessor

    with ExitStack() as stack:
        stack.enter_context(override_settings(LMS_ROOT_URL=LMS_ROOT, XAPI_EVENTS_ENABLED=True,
                                              XAPI_EVENT_LOGGING_ENABLED=False, XAPI_AGENT_IFI_TYPE="external_id"))
        stack.enter_context(mock.patch.object(
            transformer, "get_anonymous_user_id",
            lambda username_or_id, kind: str(uuid.uuid5(uuid.NAMESPACE_URL, f"{kind}:{username_or_id}"))))
        stack.enter_context(mock.patch.object(
            transformer, "get_course_from_id", lambda course_id: {"display_name": "SSE Academy"}))
        yield XApiProcessor().transform_event


@pytest.fixture
def submitted(db, call):
    """amina's first attempt at the quiz, in a course of the LMS: what the block published."""
    block = LMSBlocks()(QUIZ, user="amina")
    published: list = []
    block.runtime.publish = lambda blk, kind, data: published.append((kind, data))
    status, reply = call(block, "submit", {"attempt": 1, "answers": ANSWERS})
    assert status == 200, reply
    return block, published


def valid_xapi(statement: dict) -> dict:
    """The statement, once ralph's model of an xAPI statement accepts it.

    event-routing-backends writes the statement of a multi-input problem with ``objectType`` "GroupActivity"
    (``GroupActivity`` in its processors/xapi/statements.py), its own name for an activity that groups others,
    which the xAPI specification does not list (the platform's own multi-question problems get it too):
    it is read as the "Activity" it is, wherever it appears.
    """
    import json

    from ralph.models.xapi.base.statements import BaseXapiStatement

    text = json.dumps(statement)
    BaseXapiStatement.model_validate(json.loads(text.replace('"objectType": "GroupActivity"',
                                                             '"objectType": "Activity"')))
    return statement


def test_a_quiz_attempt_becomes_one_statement_per_question_and_one_for_the_quiz(submitted, xapi):
    block, published = submitted
    (check,) = [data for kind, data in published if kind == "problem_check"]
    statements = [valid_xapi(s) for s in xapi(lms_record("problem_check", check, block))]

    usage = str(block.scope_ids.usage_id)
    quiz, *questions = statements
    assert {s["verb"]["id"] for s in statements} == {EVALUATED}
    assert quiz["object"]["id"] == f"{LMS_ROOT}/xblock/{usage}"
    assert quiz["result"]["score"] == {"min": 0, "max": 7, "raw": 5, "scaled": 5 / 7}
    assert quiz["result"]["success"] is False  # not full marks
    assert check["attempts"] == 1
    assert quiz["actor"]["account"]["name"] == str(uuid.uuid5(uuid.NAMESPACE_URL, "XAPI:8"))  # the LMS user id
    assert quiz["context"]["contextActivities"]["parent"][0]["id"] == f"{LMS_ROOT}/course/{LMS_COURSE}"

    by_question = {s["object"]["id"].rsplit("_", 1)[-1]: s for s in questions}
    assert set(by_question) == set(ANSWERS)
    for question in by_question.values():
        assert question["context"]["statement"]["id"] == quiz["id"]  # each answer refers to the attempt
    kinds = {q: s["object"]["definition"]["interactionType"] for q, s in by_question.items()}
    assert kinds == {"single": "choice", "multiple": "choice", "truefalse": "true-false", "numeric": "numeric",
                     "text": "fill-in"}
    answered = {q: (s["result"]["response"], s["result"]["success"]) for q, s in by_question.items()}
    assert answered == {"single": ("C122", True), "multiple": ('["C87"]', False), "truefalse": ("false", False),
                        "numeric": ("1895", True), "text": ("mondragon", True)}
    assert by_question["single"]["object"]["definition"]["description"]["en-US"] == \
        "Which convention is about employment policy?"


def test_full_marks_are_a_success(db, call, xapi):
    block = LMSBlocks()(QUIZ, user="bruno")
    published: list = []
    block.runtime.publish = lambda blk, kind, data: published.append((kind, data))
    right = {"single": "c122", "multiple": ["c87", "c182"], "truefalse": True, "numeric": 1895, "text": "Mondragon."}
    assert call(block, "submit", {"attempt": 1, "answers": right})[0] == 200
    (check,) = [data for kind, data in published if kind == "problem_check"]
    quiz = xapi(lms_record("problem_check", check, block, username="bruno"))[0]
    assert quiz["result"]["success"] is True and quiz["result"]["score"]["raw"] == 7


def test_the_answer_key_shown_becomes_an_asked_statement(submitted, xapi):
    block, published = submitted
    (shown,) = [data for kind, data in published if kind == "showanswer"]
    (statement,) = xapi(lms_record("showanswer", shown, block))
    valid_xapi(statement)
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/asked"
    assert statement["object"]["id"] == f"{LMS_ROOT}/xblock/{block.scope_ids.usage_id}/answer"


# --- ralph's models of the tracking log ----------------------------------------------------------------

# ralph's models of the platform's problem events are narrower than the platform itself: they pin the
# problem id to the platform's ``problem`` block with a 32-hex id, input ids to "<32 hex>_<digit>_<digit>",
# points to integers and correctness to "correct" or "incorrect" (the platform also writes
# "partially-correct" and fractional points for partial credit), and they refuse its newer
# ``has_saved_answers`` and ``group_label`` fields. Our event data is checked against them with exactly
# those differences taken out (:func:`as_platform_problem`); every other field must validate. (The
# record around it is the LMS's, not ours: ralph also refuses fields the current LMS writes there,
# ``name``, ``session``, ``context.asides``, ``context.enterprise_uuid``.)
RALPH_NARROWER = {"problem_id", "answers", "correct_map", "submission", "state", "grade", "max_grade"}
PROBLEM_KEY = "block-v1:SSE+Workbench+local+type@problem+block@" + "a" * 32


def ralph_errors(model, data: dict) -> set[tuple]:
    """The locations ralph's ``model`` refuses in ``data`` (empty: valid)."""
    from pydantic import ValidationError

    try:
        model.model_validate(data)
    except ValidationError as error:
        return {tuple(str(part) for part in e["loc"]) for e in error.errors()}
    return set()


def as_platform_problem(data: dict, usage: str) -> dict:
    """Our event data with the ids, numbers and fields ralph asks of a platform problem (see above)."""
    import json

    event = json.loads(json.dumps(data).replace(usage, PROBLEM_KEY))
    block_id = usage.rsplit("@", 1)[-1]

    def ids(mapping: dict) -> dict:
        assert all(key.startswith(f"{block_id}_") for key in mapping), mapping
        return {f"{'a' * 32}_{n % 10}_1": value for n, value in enumerate(mapping.values(), start=2)}

    def correct_maps(mapping: dict) -> dict:
        return {key: {**value, "correctness": "correct" if value["correctness"] == "correct" else "incorrect",
                      "npoints": int(value["npoints"])} for key, value in ids(mapping).items()}

    if "answers" in event:
        event["answers"] = ids(event["answers"])
        event["submission"] = {k: {f: v for f, v in sub.items() if f != "group_label"}
                               for k, sub in ids(event["submission"]).items()}
        event["correct_map"] = correct_maps(event["correct_map"])
        event["state"]["correct_map"] = correct_maps(event["state"]["correct_map"])
        event["state"]["student_answers"] = ids(event["state"]["student_answers"])
        event["state"]["input_state"] = ids(event["state"]["input_state"])
        event["state"].pop("has_saved_answers")
        event["grade"], event["max_grade"] = int(event["grade"]), int(event["max_grade"])
    return event


def test_ralph_accepts_our_problem_check_but_for_what_it_narrows(submitted):
    from ralph.models.edx.problem_interaction.fields.events import ProblemCheckEventField

    block, published = submitted
    (check,) = [data for kind, data in published if kind == "problem_check"]
    refused = ralph_errors(ProblemCheckEventField, check)
    assert refused and {loc[0] for loc in refused} <= RALPH_NARROWER, refused
    assert ralph_errors(ProblemCheckEventField, as_platform_problem(check, str(block.scope_ids.usage_id))) == set()


def test_ralph_accepts_our_showanswer_but_for_the_problem_block_id(submitted):
    from ralph.models.edx.problem_interaction.fields.events import ShowAnswerEventField

    block, published = submitted
    (shown,) = [data for kind, data in published if kind == "showanswer"]
    assert {loc[0] for loc in ralph_errors(ShowAnswerEventField, shown)} == {"problem_id"}
    assert ralph_errors(ShowAnswerEventField, as_platform_problem(shown, str(block.scope_ids.usage_id))) == set()


# ORA2's events as ralph models them, and where the case study follows ORA2 rather than ralph (docs/events.md):
# ralph pins ``item_id`` to ORA2's own block type, types ``saved_response`` as an object where ORA2 sends a
# JSON string, and an assessment part's ``option`` as a string where ORA2 sends ``{"name", "points"}``; the
# case study's rating names the review it rates (``review_id``), which ORA2's feedback on all reviews has not.
ORA_DIFFERENCES = {
    "openassessmentblock.save_submission": {("saved_response",)},
    "openassessmentblock.create_submission": set(),
    "openassessmentblock.get_peer_submission": {("item_id",)},
    "openassessmentblock.peer_assess": {("parts", "0", "option")},
    "openassessmentblock.submit_feedback_on_assessments": {("review_id",)},
    "openassessmentblock.self_assess": {("parts", "0", "option")},
    # The practice names its example, the attempt and its outcome (ORA2's training has one fixed order).
    "openassessment.student_training_assess_example": {("example",), ("attempt_number",), ("within_tolerance",)},
}


def test_ralph_accepts_the_case_studys_ora2_events_but_where_ora2_itself_differs(make_block, call, transactional_db):
    from ralph.models.edx.open_response_assessment.fields import events as ora

    models = {
        "openassessmentblock.save_submission": ora.ORASaveSubmissionEventField,
        "openassessmentblock.create_submission": ora.ORACreateSubmissionEventField,
        "openassessmentblock.get_peer_submission": ora.ORAGetPeerSubmissionEventField,
        "openassessmentblock.peer_assess": ora.ORAAssessEventField,
        "openassessmentblock.submit_feedback_on_assessments": ora.ORASubmitFeedbackOnAssessmentsEventField,
    }
    published: list = []
    ana = make_block(olx("case_study_contract"), user="ana")
    ben = make_block.as_user(ana, "ben")
    for block in (ana, ben):
        block.runtime.publish = lambda blk, kind, data: published.append((kind, data))
    assert call(ana, "save_draft", {"text": "A first draft."})[0] == 200
    respond(call, ana, "Ana's response.")
    respond(call, ben, "Ben's response.")
    review_through(call, ana, {"options": {"c": 1}, "comments": {"c": "Clear."}, "overall": "Good."})
    review_through(call, ben, {"options": {"c": 0}})
    review_id = call(ana, "state", {})[1]["state"]["grade"]["counted"][0]["id"]
    assert call(ana, "rate_review", {"review_id": review_id, "helpful": True})[0] == 200

    seen = set()
    for kind, data in published:
        if kind in models:
            seen.add(kind)
            assert ralph_errors(models[kind], data) == ORA_DIFFERENCES[kind], kind
    assert seen == set(models)


def test_ralph_accepts_the_self_and_practice_assessments_but_for_the_case_studys_own_fields(
        make_block, call, transactional_db):
    from ralph.models.edx.open_response_assessment.fields import events as ora

    models = {"openassessmentblock.self_assess": ora.ORAAssessEventField,
              "openassessment.student_training_assess_example": ora.ORAStudentTrainingAssessExampleEventField}
    published: list = []
    ana = make_block(olx("case_study_practice", count=1, attributes=' self_assessment="shown"'), user="ana")
    ana.runtime.publish = lambda blk, kind, data: published.append((kind, data))
    respond(call, ana, "Ana's response.")
    example = call(ana, "state", {})[1]["state"]["calibration"]["task"]["example"]
    assert call(ana, "submit_calibration", {"example": example, "options": {"a": 0, "e": 0}})[0] == 200
    assert call(ana, "submit_self_assessment", {"options": {"a": 2, "e": 1}})[0] == 200
    assert {kind for kind, _data in published} >= set(models)
    for kind, data in published:
        if kind in models:
            # ORA2's option of each part (two criteria here), as for the peers' reviews.
            each_part = {("parts", str(n), "option") for n in range(len(data.get("parts", [])))}
            assert ralph_errors(models[kind], data) == ORA_DIFFERENCES[kind] | each_part, kind
