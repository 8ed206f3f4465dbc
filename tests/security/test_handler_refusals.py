"""Every JSON handler of every block refuses the same way: a JSON 4xx with a sentence in the page's language.

Each handler is called, by someone the gate lets through, with a request that the handler itself (or
the domain code it calls) refuses. The reply is ``{"error": message}`` with the refusal's status, the
message a whole English sentence, translated on a French page; nothing stored changes. A handler added
later fails :func:`test_every_json_handler_has_a_refusal_here` until it is listed.
"""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from .conftest import LEARNER, OTHER, STAFF, block_classes, handlers_of, is_json_api, raw_call, table_snapshot

NEWCOMER = "newcomer"  # a learner who has not submitted anything yet


def _own_submission(world) -> int:
    from sse_academy_xblock.peer.models import PeerSubmission

    usage = str(world.usage["sse_case_study"])
    return PeerSubmission.objects.get(usage_id=usage, anonymous_user_id=LEARNER).pk


# (block type, handler, who asks, body, status, the English message or its beginning)
REFUSALS = [
    # A caller who is not a signed-in learner is refused by json_api itself, before the handler runs.
    ("sse_quiz", "submit", None, {"attempt": 2, "answers": {"q1": "a"}}, 403, "You are not signed in."),
    ("sse_quiz", "submit", LEARNER, {"attempt": 2, "answers": {"q1": "z", "q2": "about 1900"}}, 400,
     "Question 1: choose one of the answers offered. Question 2: the answer must be a number"),
    ("sse_quiz", "submit", LEARNER, {"attempt": 1, "answers": {"q1": "a"}}, 409,
     "This attempt has already been submitted"),
    ("sse_quiz", "submit", LEARNER, {"attempt": 2, "answers": {}}, 400,
     "Answer at least one question before you submit."),
    ("sse_quiz", "staff_items", STAFF, {"page": 1}, 400,
     "Say which attempts to count: first, last or all (“attempts”), and nothing else."),
    ("sse_quiz", "staff_page", STAFF, {}, 400, "This page of learners is not valid."),
    ("sse_quiz", "staff_accept_answer", STAFF, {"question": "q1"}, 400,
     "Say which question and which of its wrong answers to accept."),
    ("sse_quiz", "staff_rescore", STAFF, {"everyone": True}, 400, "This request takes no parameters."),
    ("sse_quiz", "staff_reset", STAFF, {"learner": "nobody"}, 404, "No learner with this id has attempted this quiz."),
    ("sse_quiz", "studio_submit", STAFF, {"display_name": " "}, 400, "The quiz was not saved."),
    ("sse_quiz", "studio_read_number", STAFF, {"text": "about 1900"}, 400, 'This is not a number: "about 1900".'),
    ("sse_case_study", "state", None, {}, 403, "You are not signed in."),
    ("sse_case_study", "save_draft", LEARNER, {"text": 5}, 400, "The response must be text."),
    ("sse_case_study", "submit_response", LEARNER, {"text": "Once more, with enough words to count."}, 409,
     "You have already submitted your response."),
    ("sse_case_study", "next_review", NEWCOMER, {}, 409, "Submit your own response before reviewing others."),
    ("sse_case_study", "save_review_draft", LEARNER, {"lease_id": "x"}, 400, "The review is not valid."),
    ("sse_case_study", "submit_review", OTHER, "learner_lease", 404, "This review was not found."),
    ("sse_case_study", "flag_response", LEARNER, "learner_lease_no_reason", 400,
     "Say briefly why this response is inappropriate."),
    ("sse_case_study", "rate_review", LEARNER, {"review_id": 1, "helpful": "maybe"}, 400,
     "Choose Yes or No: was this review helpful?"),
    ("sse_case_study", "submit_calibration", LEARNER, {"example": "x", "options": {}}, 409,
     "This case study has no examples to assess."),
    ("sse_case_study", "staff_calibration", LEARNER, {}, 403, "Only course staff can do this."),
    ("sse_case_study", "submit_self_assessment", LEARNER, {"options": {}}, 409, "This exercise has no self-assessment."),
    ("sse_case_study", "staff_list", STAFF, {"status": "lost"}, 400, "This status is not known."),
    ("sse_case_study", "staff_agreement", STAFF, {"page": -1}, 400, "The page number is not valid."),
    ("sse_case_study", "staff_submission", STAFF, {"submission": "x"}, 400, "The submission is not valid."),
    ("sse_case_study", "staff_grade", STAFF, "own_submission_no_reason", 400,
     "A reason is required; it is kept in the audit trail."),
    ("sse_case_study", "staff_clear_flag", STAFF, "own_submission", 409, "This submission is not flagged."),
    ("sse_case_study", "staff_clear_divergence", STAFF, "own_submission", 409,
     "This submission is not marked as divergent."),
    ("sse_case_study", "staff_cancel", STAFF, "own_submission_no_reason", 400,
     "A reason is required; it is kept in the audit trail."),
    ("sse_case_study", "staff_uphold_flag", STAFF, "own_submission_no_reason", 400,
     "A reason is required; it is kept in the audit trail."),
    ("sse_case_study", "staff_send_again", STAFF, {"submission": "x"}, 400, "The submission is not valid."),
    ("sse_case_study", "studio_submit", STAFF, {"display_name": " "}, 400, "The case study was not saved."),
    ("sse_case_study", "studio_read_number", STAFF, {"text": "1.895"}, 400, 'The number "1.895" can be read as 1895'),
    ("sse_profile", "refresh", LEARNER, b"[]", 400, "The request must be a JSON object."),
    ("sse_profile", "staff_learners", STAFF, {"after": "a", "before": "b"}, 400,
     "Ask for the page after or before a learner, not both."),
    ("sse_profile", "studio_submit", STAFF, {"display_name": " "}, 400, "Please correct the highlighted fields."),
]


# Bodies that name the world's records, built once the world exists.
NAMED_BODIES = {
    "learner_lease": lambda world: {"lease_id": world.learner_lease, "review": {"options": {"analysis": 1}}},
    "learner_lease_no_reason": lambda world: {"lease_id": world.learner_lease, "reason": "  "},
    "own_submission": lambda world: {"submission": _own_submission(world)},
    "own_submission_no_reason": lambda world: {"submission": _own_submission(world), "points": 1, "reason": ""},
}


def _body(world, body) -> bytes:
    if isinstance(body, bytes):
        return body
    return json.dumps(NAMED_BODIES[body](world) if isinstance(body, str) else body).encode()


def _refusal(world, block_type, handler, user, body, lang):
    before = table_snapshot()
    with translation.override(lang):
        response, content = raw_call(world.block(block_type, user), handler, _body(world, body))
    assert table_snapshot() == before, f"{block_type}.{handler} was refused but changed stored data"
    assert response.content_type == "application/json", content[:200]
    return response.status_code, json.loads(content)["error"]


def _a_sentence(text: str) -> bool:
    return bool(text) and text[0].isupper() and text.rstrip()[-1] in ".?!" and "%(" not in text and "%s" not in text


@pytest.mark.parametrize("block_type,handler,user,body,status,english", REFUSALS,
                         ids=[f"{b}.{h}-{s}" for b, h, _u, _body, s, _e in REFUSALS])
def test_a_refusal_is_json_with_its_status_and_a_sentence_in_the_pages_language(
        world, block_type, handler, user, body, status, english):
    got, message = _refusal(world, block_type, handler, user, body, "en")
    assert (got, message[:len(english)]) == (status, english), message
    assert _a_sentence(message), message

    got, french = _refusal(world, block_type, handler, user, body, "fr")
    assert got == status
    assert _a_sentence(french), french
    assert french != message, f"{block_type}.{handler}: the refusal was not translated: {french}"


def test_every_json_handler_has_a_refusal_here():
    listed = {(block_type, handler) for block_type, handler, *_rest in REFUSALS}
    handlers = {(block_type, handler) for block_type, cls in block_classes().items()
                for handler in handlers_of(cls) if is_json_api(cls, handler)}
    assert handlers - listed == set(), "JSON handlers without a refusal in REFUSALS"
