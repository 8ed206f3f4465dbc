"""The hostile requests that once got HTTP 500 (or were wrongly accepted): each now gets a 4xx JSON reply
with a human message, and changes nothing stored.

Every case here is a regression test of a reported bug: 401-digit integers, ``NaN``/``Infinity``/``1e400``,
lone surrogates in text fields, Unicode digits taken as numbers, booleans and decimals taken as ids,
lists where a choice is expected, a flag that came back after staff cleared it, and a quiz that counted
attempts for callers without a learner id.
"""

from __future__ import annotations

import json

import pytest

from sse_academy_xblock import json_input
from sse_academy_xblock.refusals import Refusal

from .conftest import ANONYMOUS, LEARNER, OTHER, STAFF, json_call, open_as, raw_call, table_snapshot

HUGE = int("9" * 401)
SURROGATE = "\ud800"


def refused(block, handler: str, raw: bytes, status: int = 400) -> dict:
    """Call ``handler`` with ``raw``; assert a JSON ``status`` reply with a message, and nothing changed."""
    before = table_snapshot()
    response, content = raw_call(block, handler, raw)
    assert response.status_code == status, (handler, response.status_code, content[:300])
    assert response.content_type == "application/json", content[:200]
    data = json.loads(content)
    assert isinstance(data.get("error"), str) and data["error"].strip(), data
    assert table_snapshot() == before, f"{handler} refused the request but changed stored data"
    return data


def dumps(payload) -> bytes:
    return json.dumps(payload).encode()


# --- the input layer itself -----------------------------------------------------------------------


@pytest.mark.parametrize("raw", [
    b'{"a": NaN}', b'{"a": Infinity}', b'{"a": -Infinity}', b'{"a": 1e400}', b'{"a": -1e400}',
    b'{"a": ' + b"9" * 401 + b"}", b'{"a": 1' + b"0" * 400 + b'.5}', b'{"a": "\\ud800"}', b'{"\\udfff": 1}',
    b'{"a": "x\\u0000y"}', b'{"a": "\\u0007"}', b'{"a": "\\ufffe"}', b'{"a": "\\ud83f\\udffe"}', b'{"a": 1, "a": 2}',
    b'{"a": ' + b"[" * 40 + b"]" * 40 + b"}", b'{"a": ' + b"[" * 50000 + b"]" * 50000 + b"}",
    b"\xed\xa0\x80", b"[]", b'"text"', b"",
])
def test_the_input_layer_refuses_what_no_handler_can_store(raw):
    with pytest.raises(Refusal) as err:
        json_input.parse(raw)
    assert err.value.status == 400 and err.value.message


def test_the_input_layer_keeps_ordinary_text_and_numbers():
    raw = dumps({"t": "Mondragón \u202eRTL\u202c, tab\tand\nlines", "n": 10**14, "f": -2.5e10, "l": [[1], {"x": None}]})
    assert json_input.parse(raw)["t"].startswith("Mondragón")
    assert json_input.parse(b'{"emoji": "\\ud83d\\ude00"}') == {"emoji": "\U0001F600"}
    with pytest.raises(Refusal) as err:
        json_input.parse(b" " * (json_input.MAX_BODY_BYTES + 1))
    assert err.value.status == 413


@pytest.mark.parametrize("value,expected", [
    (True, None), (False, None), (1.9, None), (1.0, None), ("1.0", None), ("\uff11", None), ("\u00b2", None),
    (0, None), (-3, None), (2**63, None), ("", None), (None, None), ([1], None), (7, 7), ("42", 42),
])
def test_record_ids_are_never_coerced(value, expected):
    assert json_input.record_id(value) == expected


@pytest.mark.parametrize("value,expected", [
    ("\uff11\uff18\uff19\uff15", None), ("1_000", None), ("nan", None), ("infinity", None), ("1e400", None),
    (True, None), ("٣", None), ("1895", 1895.0), (" 2.5 ", 2.5), ("-3", -3.0), ("1e3", 1000.0), (12, 12.0),
])
def test_decimals_are_ascii_and_finite(value, expected):
    assert json_input.decimal(value) == expected


def test_whole_numbers_refuse_booleans_fractions_and_foreign_digits():
    assert json_input.whole_number(True, 0, 10) is None
    assert json_input.whole_number(3.5, 0, 10) is None
    assert json_input.whole_number("\uff13", 0, 10) is None
    assert json_input.whole_number(HUGE, 0, 10) is None
    assert json_input.whole_number(3.0, 0, 10) == 3
    assert json_input.whole_number("7", 0, 10) == 7


# --- learners ------------------------------------------------------------------------------------


def quiz_as(world, user):
    block = open_as(world.usage["sse_quiz"], user)
    block.render("student_view")
    return block


@pytest.mark.parametrize("answer", [HUGE, "9" * 401, "\uff11\uff18\uff19\uff15", "1_000", "NaN", "1e400", [1895]])
def test_a_hostile_numeric_answer_is_refused_and_costs_no_attempt(world, answer):
    block = quiz_as(world, LEARNER)
    refused(block, "submit", dumps({"attempt": 2, "answers": {"q2": answer}}))
    assert open_as(world.usage["sse_quiz"], LEARNER).attempts == 1


def test_quiz_submit_without_a_learner_id_is_refused(world):
    """Regression: the unauthenticated handler address had no attempt limit (14 of 20 accepted)."""
    block = open_as(world.usage["sse_quiz"], ANONYMOUS)
    for attempt in (1, 2):
        data = refused(block, "submit", dumps({"attempt": attempt, "answers": {"q1": "a"}}), status=403)
        assert "Sign in" in data["error"]


def lease_of(world):
    return world.learner_lease


@pytest.mark.parametrize("raw", [
    b'{"lease_id": Infinity, "reason": "x"}', b'{"lease_id": 1e400, "reason": "x"}', b'{"lease_id": NaN}',
    b'{"lease_id": true, "reason": "spam"}', b'{"lease_id": 1.9, "reason": "spam"}',
    b'{"lease_id": ' + b"9" * 401 + b', "reason": "spam"}',
])
@pytest.mark.parametrize("handler", ["flag_response", "save_review_draft", "submit_review"])
def test_hostile_lease_ids_are_refused(world, raw, handler):
    block = open_as(world.usage["sse_case_study"], LEARNER)
    refused(block, handler, raw)


@pytest.mark.parametrize("choice", ["\u00b2", "\uff11", "\u0661", "1.0", True, 1.0, -1, HUGE])
def test_a_rubric_option_must_be_an_ascii_index(world, choice):
    block = open_as(world.usage["sse_case_study"], LEARNER)
    review = {"options": {"analysis": choice}}
    for handler in ("save_review_draft", "submit_review"):
        refused(block, handler, dumps({"lease_id": world.learner_lease, "review": review}))


@pytest.mark.parametrize("handler,body", [
    ("save_draft", {"text": f"draft {SURROGATE}"}),
    ("submit_response", {"text": f"An analysis with a lone surrogate {SURROGATE} in it."}),
    ("save_review_draft", {"lease_id": "LEASE", "review": {"options": {}, "overall": SURROGATE}}),
    ("submit_review", {"lease_id": "LEASE", "review": {"options": {"analysis": 1}, "overall": SURROGATE}}),
    ("save_review_draft", {"lease_id": "LEASE", "review": {"options": {}, "comments": {"analysis": SURROGATE}}}),
    ("flag_response", {"lease_id": "LEASE", "reason": SURROGATE}),
    ("flag_response", {"lease_id": "LEASE", "reason": "bad\x00"}),
])
def test_a_lone_surrogate_is_refused_in_every_learner_text_field(world, handler, body):
    """Regression: 500 as text/plain for drafts, review comments and flag reasons, while
    ``submit_response`` stored the same character."""
    body = json.loads(json.dumps(body).replace('"LEASE"', str(world.learner_lease)))
    for user in ("peer_b", LEARNER):  # one who has not submitted yet, and one who has
        refused(open_as(world.usage["sse_case_study"], user), handler, dumps(body))


# --- staff -----------------------------------------------------------------------------------------


def submission_id(world, user=OTHER) -> int:
    from sse_academy_xblock.peer.models import PeerSubmission

    return PeerSubmission.objects.get(usage_id=str(world.usage["sse_case_study"]), anonymous_user_id=user).pk


@pytest.mark.parametrize("points", [HUGE, -HUGE, True, "\uff11", 1.5, [1]])
def test_hostile_staff_grade_points_are_refused(world, points):
    block = open_as(world.usage["sse_case_study"], STAFF)
    refused(block, "staff_grade", dumps({"submission": submission_id(world), "points": points, "reason": "checked"}))


@pytest.mark.parametrize("raw", [
    b'{"submission": Infinity}', b'{"submission": 1e400}', b'{"submission": true}', b'{"submission": 1.5}',
    b'{"submission": "\\uff11"}', b'{"submission": 5, "reason": "\\ud800"}', b'{"submission": 5, "note": "\\udfff"}',
])
@pytest.mark.parametrize("handler", ["staff_submission", "staff_grade", "staff_cancel", "staff_clear_flag",
                                     "staff_send_again"])
def test_hostile_submission_ids_and_reasons_are_refused(world, raw, handler):
    block = open_as(world.usage["sse_case_study"], STAFF)
    refused(block, handler, raw.replace(b"5", str(submission_id(world)).encode()))


def test_a_staff_reset_for_a_surrogate_learner_id_is_refused(world):
    block = open_as(world.usage["sse_quiz"], STAFF)
    refused(block, "staff_reset", dumps({"learner": SURROGATE}))
    refused(block, "staff_reset", dumps({"learner": LEARNER + "\x00"}))


def quiz_editor_payload(**changes) -> dict:
    payload = {
        "display_name": "Quiz", "dimension": "employment", "weight": None, "max_attempts": 2,
        "show_answer": "finished", "multiple_scoring": "partial", "shuffle": False, "pass_mark": 60,
        "questions": [{"id": "q1", "type": "numeric", "prompt": "ICA founded?", "answer": 1895, "tolerance": 0,
                       "points": 1}],
    }
    payload.update(changes)
    return payload


@pytest.mark.parametrize("changes", [
    {"max_attempts": HUGE}, {"pass_mark": HUGE}, {"weight": HUGE}, {"show_answer": ["never"]},
    {"multiple_scoring": ["partial"]}, {"show_answer": {"a": 1}}, {"dimension": ["employment"]},
    {"max_attempts": True}, {"max_attempts": "\uff12"},
    {"questions": [{"id": "q1", "type": "numeric", "prompt": "x", "answer": HUGE, "points": 1}]},
    {"questions": [{"id": "q1", "type": "numeric", "prompt": "x", "answer": 1, "points": HUGE}]},
    {"questions": [{"id": "q1", "type": "numeric", "prompt": "x", "answer": "\uff11", "points": 1}]},
    {"questions": [{"id": "q1", "type": "single", "prompt": "x", "dimension": ["a"],
                    "choices": [{"id": "a", "correct": True, "text": "A"}, {"id": "b", "text": "B"}]}]},
    {"display_name": "Quiz " + SURROGATE},
    {"questions": [{"id": "t", "type": [], "prompt": "T", "accepted": ["x"]}]},  # found by the fuzzing
    {"questions": [{"id": "t", "type": {"text": 1}, "prompt": "T", "accepted": ["x"]}]},
])
def test_hostile_quiz_editor_saves_are_refused(world, changes):
    block = open_as(world.usage["sse_quiz"], STAFF)
    before = list(block.questions)
    refused(block, "studio_submit", dumps(quiz_editor_payload(**changes)))
    assert open_as(world.usage["sse_quiz"], STAFF).questions == before


def test_a_link_address_keeps_its_stars_through_the_quiz_editor(world):
    """Regression: emphasis was applied inside a link's address (``href=".../&lt;em&gt;a&lt;/em&gt;"``)."""
    block = open_as(world.usage["sse_quiz"], STAFF)
    prompt = "See [the ILO](https://e.org/*a*/b_c_d) and *this*"
    status, reply = json_call(block, "studio_submit", quiz_editor_payload(
        questions=[{"id": "q1", "type": "numeric", "prompt": prompt, "answer": 1895, "tolerance": 0, "points": 1}]))
    assert status == 200, reply
    stored = open_as(world.usage["sse_quiz"], STAFF).questions[0]["prompt"]
    assert 'href="https://e.org/*a*/b_c_d"' in stored and "<em>this</em>" in stored


@pytest.mark.parametrize("changes", [
    {"reviews_required": HUGE}, {"lease_hours": HUGE}, {"waiting_days": "\uff13"}, {"weight": HUGE},
    {"waiting_rule": ["lower"]}, {"display_name": ["x"]}, {"min_words": True},
])
def test_hostile_case_study_editor_saves_are_refused(world, changes):
    block = open_as(world.usage["sse_case_study"], STAFF)
    payload = {"display_name": "Case", "dimension": "employment", "reviews_required": 2, "reviews_to_give": 2,
               "min_words": 0, "max_words": 0, "lease_hours": 24, "waiting_days": 7, "waiting_rule": "lower",
               "divergence_threshold": 0.5, "weight": None, "case": "<p>c</p>", "prompt": "<p>p</p>",
               "rubric": block.rubric}
    payload.update(changes)
    refused(block, "studio_submit", dumps(payload))


@pytest.mark.parametrize("text", ["one\ufefftwo\ufeffthree", "one\x85two\x85three", "one\u200btwo\u2060three",
                                  "\u200eone two\u00ad three \u200d"])
def test_words_joined_by_a_space_of_one_platform_only_are_counted_as_the_page_counts_them(make_block, text):
    """Regression: U+0085 separated words for the server only, U+FEFF for the page only, so the page showed
    a count within the limits and the server refused the response with another."""
    block = make_block('<sse_case_study min_words="3" max_words="3"><prompt>Write.</prompt></sse_case_study>')
    status, reply = json_call(open_as(block.scope_ids.usage_id, LEARNER), "submit_response", {"text": text})
    assert status == 200 and reply["state"]["response"]["words"] == 3, reply


# --- flags -----------------------------------------------------------------------------------------


def test_a_flag_staff_cleared_does_not_come_back_from_the_same_reviewer(world):
    """Regression: the same (cancelled) lease could flag the response again after staff cleared it."""
    from sse_academy_xblock.peer.models import Flag, PeerSubmission, ReviewLease

    usage = world.usage["sse_case_study"]
    lease = ReviewLease.objects.get(pk=world.learner_lease)
    status, data = json_call(open_as(usage, LEARNER), "flag_response", {"lease_id": lease.pk, "reason": "insulting"})
    assert status == 200, data
    assert PeerSubmission.objects.get(pk=lease.submission_id).pool == PeerSubmission.FLAGGED
    status, data = json_call(open_as(usage, STAFF), "staff_clear_flag", {"submission": lease.submission_id})
    assert status == 200, data
    assert PeerSubmission.objects.get(pk=lease.submission_id).pool == PeerSubmission.IN_POOL

    data = refused(open_as(usage, LEARNER), "flag_response", dumps({"lease_id": lease.pk, "reason": "again"}),
                   status=409)
    assert data["error"]
    assert PeerSubmission.objects.get(pk=lease.submission_id).pool == PeerSubmission.IN_POOL
    assert Flag.objects.filter(submission_id=lease.submission_id).count() == 1


def test_one_flag_per_reviewer_and_response_even_with_a_new_lease(world):
    from sse_academy_xblock.peer import workflow
    from sse_academy_xblock.peer.models import ReviewLease

    usage = world.usage["sse_case_study"]
    lease = ReviewLease.objects.get(pk=world.learner_lease)
    block = open_as(usage, LEARNER)
    item = block.peer_item()
    workflow.flag_response(item, LEARNER, lease.pk, "insulting")
    # Even if the reviewer held the response again (say, after a reset), a second report is refused.
    ReviewLease.objects.filter(pk=lease.pk).update(status=ReviewLease.OPEN)
    with pytest.raises(Refusal) as err:
        workflow.flag_response(item, LEARNER, lease.pk, "insulting again")
    assert err.value.status == 409
