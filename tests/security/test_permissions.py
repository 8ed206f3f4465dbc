"""Every handler of every block × {anonymous, the unauthenticated address, the LMS's visitor, learner,
another learner, staff}.

The bodies are valid for the handler (so a refusal is about who asks, not what is sent) and aim at
``student_1``'s data. Callers who are not signed-in learners get 403 from every handler (the workbench's
``unauth_handler`` user, and the user the LMS gives a visitor on its unauthenticated handler address);
learners never reach staff or authoring handlers, never act on another learner's review, and no reply to
a learner names another person; staff handlers accept only ids of their own block.
"""

from __future__ import annotations

import json

import pytest

from contracts import lms_users

from .conftest import (
    ANONYMOUS, CASE, LEARNER, OTHER, QUIZ, ROLES, STAFF, block_classes, handlers_of, json_call, open_as, raw_call,
    table_snapshot,
)

PEOPLE = ("student_1", "student_2", "peer_a", "staff")


def kind_of(handler: str) -> str:
    if handler.startswith("staff_"):
        return "staff"
    if handler.startswith("studio_"):
        return "authoring"
    return "learner"


def body_for(world, block_type: str, handler: str) -> dict:
    from sse_academy_xblock.peer.models import PeerSubmission, Review

    usage = str(world.usage.get(block_type))
    someone_elses_review = Review.objects.filter(usage_id=usage).values_list("pk", flat=True).first()
    sub = PeerSubmission.objects.filter(usage_id=usage, anonymous_user_id=LEARNER).first()
    target = {"submission": sub.pk if sub else 1}
    bodies = {
        ("sse_quiz", "submit"): {"attempt": 2, "answers": {"q1": "a", "q2": "1895", "q3": "Mondragon"}},
        ("sse_quiz", "staff_reset"): {"learner": LEARNER},
        ("sse_quiz", "staff_page"): {"after": "2020-01-01T00:00:00+00:00|1"},
        ("sse_quiz", "staff_items"): {},
        ("sse_case_study", "save_draft"): {"text": "draft"},
        ("sse_case_study", "submit_response"): {"text": "An analysis of the factory by its workers, in several words."},
        ("sse_case_study", "save_review_draft"): {"lease_id": world.learner_lease, "review": {"options": {"analysis": 1}}},
        ("sse_case_study", "submit_review"): {"lease_id": world.learner_lease, "review": {"options": {"analysis": 1}}},
        ("sse_case_study", "flag_response"): {"lease_id": world.learner_lease, "reason": "insulting"},
        ("sse_case_study", "rate_review"): {"review_id": someone_elses_review or 1, "helpful": False,
                                            "comment": "rated by someone who must not"},
        ("sse_case_study", "submit_self_assessment"): {"options": {"analysis": 1}},
        ("sse_case_study", "staff_list"): {"page": 1},
        ("sse_case_study", "submit_calibration"): {"example": "strong", "options": {"analysis": 1}},
        ("sse_case_study", "staff_calibration"): {},
        ("sse_case_study", "staff_agreement"): {"page": 2, "after": target["submission"]},
        ("sse_case_study", "staff_submission"): target,
        ("sse_case_study", "staff_grade"): {**target, "points": 1, "reason": "checked by hand"},
        ("sse_case_study", "staff_clear_flag"): target,
        ("sse_case_study", "staff_clear_divergence"): target,
        ("sse_case_study", "staff_uphold_flag"): {**target, "reason": "insulting"},
        ("sse_case_study", "staff_cancel"): {**target, "reason": "off topic"},
        ("sse_case_study", "staff_send_again"): target,
        ("sse_profile", "staff_learners"): {},
        ("sse_quiz", "studio_submit"): {
            "display_name": "Changed quiz", "dimension": "employment", "weight": None, "max_attempts": 2,
            "show_answer": "finished", "multiple_scoring": "partial", "shuffle": False, "pass_mark": 60,
            "questions": [{"id": "q1", "type": "numeric", "prompt": "ICA founded?", "answer": 1895, "tolerance": 0,
                           "points": 1}]},
        ("sse_case_study", "studio_submit"): {
            "display_name": "Changed case", "dimension": "employment", "weight": None, "reviews_required": 2,
            "reviews_to_give": 2, "min_words": 0, "max_words": 500, "lease_hours": 24, "waiting_days": 7,
            "waiting_rule": "lower", "divergence_threshold": 0.5, "case": "<p>c</p>", "prompt": "<p>p</p>",
            "rubric": [{"name": "analysis", "label": "Analysis", "description": "",
                        "options": [{"label": "Missing", "points": 0, "explanation": ""},
                                    {"label": "Strong", "points": 2, "explanation": ""}]}]},
        ("sse_profile", "studio_submit"): {"display_name": "Changed profile", "scope": "course"},
        ("sse_quiz", "studio_read_number"): {"text": "1,5"},
        ("sse_case_study", "studio_read_number"): {"text": "1,5"},
    }
    return bodies.get((block_type, handler), {})


CASES = [(block_type, handler) for block_type, cls in block_classes().items() for handler in handlers_of(cls)]
# Staff last: what a learner does must not depend on what staff did before in the same block.
ORDER = ("anonymous", "unauthenticated address", "LMS visitor", "another learner", "learner", "staff")
# Callers who are not signed-in learners: the workbench's user of ``unauth_handler`` is "none"; the LMS's visitor
# is the user its noauth address gives a request without a session (see contracts/lms_users.py).
NOT_SIGNED_IN = {"anonymous": ANONYMOUS, "unauthenticated address": "none", "LMS visitor": None}


def caller(world, block_type: str, role: str):
    if role == "LMS visitor":
        return lms_users.bind(world.block(block_type, None), lms_users.anonymous())
    return world.block(block_type, NOT_SIGNED_IN.get(role, ROLES.get(role)))


@pytest.mark.parametrize("block_type,handler", CASES, ids=[f"{b}.{h}" for b, h in CASES])
def test_permission_matrix(world, block_type, handler, figures):
    for role in ORDER:
        check_one(world, block_type, handler, role)
        figures.add("permission checks (handler x role)")


def check_one(world, block_type: str, handler: str, role: str) -> None:
    user = NOT_SIGNED_IN.get(role, ROLES.get(role))
    block = caller(world, block_type, role)
    block.render("student_view")
    before = table_snapshot()
    settings_before = {name: field.read_json(block) for name, field in block.fields.items()}
    body = body_for(world, block_type, handler)
    response, content = raw_call(block, handler, json.dumps(body).encode())
    status = response.status_code
    text = content.decode("utf-8", "replace")
    where = f"{block_type}.{handler} as {role}"
    assert status < 500, f"{where}: {text[:300]}"
    kind = kind_of(handler)

    if role in NOT_SIGNED_IN:
        assert status == 403 and json.loads(text)["error"], f"{where} was answered: {status} {text[:200]}"
        assert table_snapshot() == before, where
        reopened = caller(world, block_type, role)
        assert {name: field.read_json(reopened) for name, field in reopened.fields.items()} == settings_before, where
        return

    if kind in ("staff", "authoring") and role != "staff":
        assert status == 403, f"{where} was reached: {status} {text[:200]}"
        assert json.loads(text)["error"]
        assert table_snapshot() == before, where
        return
    if kind in ("staff", "authoring"):
        assert status != 403, f"{where}: {text[:200]}"
        return

    # Learner handlers.
    if status >= 400:
        assert json.loads(text)["error"], where
        assert table_snapshot() == before, f"{where} was refused ({status}) but changed stored data"
    leaked = [p for p in PEOPLE if p != user and p in text]
    assert not leaked, f"{where}: the reply names another person: {leaked}"
    if handler in ("save_review_draft", "submit_review", "flag_response") and role in ("another learner", "staff"):
        # The lease is student_1's: anybody else gets "not found", exactly as for a missing one.
        assert status == 404, f"{where} acted on student_1's review: {status} {text[:200]}"
    if handler == "rate_review" and role != "anonymous":
        # The only review in the block is of peer_a's response: nobody else may rate it, staff included.
        assert status == 404, f"{where} rated a review of someone else's response: {status} {text[:200]}"


def test_staff_ids_must_belong_to_this_block(world, make_block):
    """A submission or learner of another block is "not found" for this block's staff handlers."""
    other_case = make_block(CASE.replace("Security case", "Another case"), user=LEARNER)
    status, data = json_call(open_as(other_case.scope_ids.usage_id, "peer_b"), "submit_response",
                             {"text": "Another analysis of the recovered factory with enough words."})
    assert status == 200, data
    from sse_academy_xblock.peer.models import PeerSubmission

    foreign = PeerSubmission.objects.get(usage_id=str(other_case.scope_ids.usage_id))
    staff_view = world.block("sse_case_study", STAFF)
    for handler, extra in (("staff_submission", {}), ("staff_grade", {"points": 1, "reason": "x"}),
                           ("staff_cancel", {"reason": "x"}), ("staff_clear_flag", {}), ("staff_clear_divergence", {}),
                           ("staff_uphold_flag", {"reason": "x"}), ("staff_send_again", {})):
        before = table_snapshot()
        status, data = json_call(staff_view, handler, {"submission": foreign.pk, **extra})
        assert status == 404 and data["error"], (handler, status, data)
        assert table_snapshot() == before

    other_quiz = make_block(QUIZ.replace("Security quiz", "Another quiz"), user="peer_b")
    assert json_call(open_as(other_quiz.scope_ids.usage_id, "peer_b"), "submit",
                     {"attempt": 1, "answers": {"q1": "a"}})[0] in (200, 400)
    before = table_snapshot()
    status, data = json_call(world.block("sse_quiz", STAFF), "staff_reset", {"learner": "peer_b"})
    assert status == 404 and data["error"]
    assert table_snapshot() == before


@pytest.mark.parametrize("handler", ["staff_csv", "staff_items_csv", "staff_agreement_csv", "staff_self_assessment_csv",
                                     "staff_calibration_csv"])
def test_staff_csv_is_refused_to_learners_and_given_to_staff(world, handler):
    found = False
    for block_type, cls in block_classes().items():
        if handler not in handlers_of(cls):
            continue
        found = True
        for role in ("anonymous", "unauthenticated address", "LMS visitor", "learner", "another learner"):
            response, content = raw_call(caller(world, block_type, role), handler, b"", method="GET")
            assert response.status_code == 403 and json.loads(content)["error"], (block_type, role)
        response, content = raw_call(world.block(block_type, STAFF), handler, b"", method="GET")
        assert response.status_code == 200 and response.content_type == "text/csv", block_type
    assert found


def test_a_reviewer_sees_the_response_but_not_its_author(world):
    """While allocated, student_1 sees the text of the response under review, never who wrote it."""
    status, data = json_call(world.block("sse_case_study", LEARNER), "state", {})
    assert status == 200
    text = json.dumps(data)
    assert "The workers own the factory" in text  # the response to review is shown ...
    assert not any(p in text for p in ("peer_a", "student_2", "staff"))  # ... anonymised
    assert ANONYMOUS is None and OTHER == "student_2"


def test_every_handler_goes_through_one_of_the_two_gates():
    """JSON handlers through ``json_api``, downloads through ``csv_download`` (staff only): no handler checks by hand."""
    for block_type, cls in block_classes().items():
        for handler in handlers_of(cls):
            method = getattr(cls, handler)
            gates = [name for name in ("staff_only", "csv_filename") if hasattr(method, name)]
            assert len(gates) == 1, (block_type, handler, gates)
            assert handler.endswith("csv") == (gates == ["csv_filename"]), (block_type, handler)
