"""The LMS's unauthenticated handler address, and what another site can send through it.

Platform source followed: lms/djangoapps/courseware/block_render.py at
017f8469de4504178361547a3f409f3842c7007f. ``handle_xblock_callback_noauth`` is ``@csrf_exempt``, sets
``request.user.known = False`` and calls ``_invoke_xblock_handler``; ``get_block_for_descriptor_internal``
skips ``has_access(user, 'load', ...)`` when ``user.known`` is False; the block's user service is built for
whoever the request's user is (see ``lms_users``): Django's AnonymousUser without a session, or the signed-in
learner whose browser sends the session cookie (Tutor sets ``SameSite=None``, so a page on another site can post
there as the learner without any CSRF token). ``_invoke_xblock_handler`` reads ``request.FILES`` before the
block's handler runs, which parses (and consumes) a multipart body. ``handle_xblock_callback``, the address the
pages use, refuses non-GET requests of anonymous users and checks CSRF for session users.

So the blocks take JSON bodies only (a page on another site cannot send one without the LMS's CORS consent),
and every handler refuses a caller who is not a signed-in learner; Studio's editor saves need a signed-in user
who may author, which an anonymous one never is.
"""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from xblock.core import XBlock
from xblock.django.request import django_to_webob_request

from factories import olx
from sse_academy_xblock.quiz.models import QuizRoster

from . import lms_users
from .test_dashboard_contract import CASE, QUIZ, RIGHT
from .test_masquerade_contract import snapshot
from .test_studio_save_contract import PROFILE, case_payload, profile_payload, quiz_payload

BLOCKS = {"sse_quiz": (QUIZ, quiz_payload), "sse_case_study": (CASE, case_payload),
          "sse_profile": (PROFILE, profile_payload)}


def handlers(block_type: str) -> list[str]:
    cls = XBlock.load_class(block_type)
    return sorted(name for name in dir(cls) if getattr(getattr(cls, name, None), "_is_xblock_handler", False))


def body_for(block, handler: str, payload) -> dict:
    """A body the handler would accept from a learner (or an author), so a refusal is about who asks."""
    if handler == "studio_submit":
        return payload(block, "Changed by nobody")
    if handler == "submit":
        return {"attempt": 1, "answers": RIGHT}
    if handler in ("save_draft", "submit_response"):
        return {"text": "A response long enough to be a real analysis of the case."}
    return {}


def test_every_handler_has_a_case():
    assert sum(len(handlers(block_type)) for block_type in BLOCKS) == 40  # 33 JSON handlers and 7 CSV downloads


@pytest.mark.parametrize("block_type", sorted(BLOCKS))
def test_an_anonymous_caller_on_the_noauth_address_is_refused_by_every_handler(make_block, call, block_type):
    """A visitor without a session: 403 with a message from every handler, Studio's save included, never a 500,
    and nothing stored (before, the editors' save ran for an anonymous caller of the LMS)."""
    xml, payload = BLOCKS[block_type]
    block = make_block(xml, user="amina")
    settings_before = {name: field.read_json(block) for name, field in block.fields.items()}
    before = snapshot()
    for handler in handlers(block_type):
        visitor = lms_users.bind(make_block.as_user(block, "amina"), lms_users.anonymous())
        method = "GET" if handler.endswith("csv") else "POST"
        status, reply = call(visitor, handler, body_for(block, handler, payload), method=method)
        assert status == 403, (handler, status, reply)
        assert isinstance(reply, dict) and reply["error"].strip(), (handler, reply)
    assert snapshot() == before
    reopened = make_block.as_user(block, "amina")
    assert {name: field.read_json(reopened) for name, field in reopened.fields.items()} == settings_before


def test_the_same_calls_from_a_signed_in_learner_and_author_are_not_refused_for_who_they_are(make_block, call):
    """The refusals above are about the caller: a learner's submit counts, an author's save is stored."""
    quiz = lms_users.bind(make_block(QUIZ, user="amina"), lms_users.learner("amina"))
    status, reply = call(quiz, "submit", {"attempt": 1, "answers": RIGHT})
    assert status == 200, reply

    from .test_studio_save_contract import StudioPermissions

    author = make_block.as_user(quiz, "author")
    lms_users.bind(author, lms_users.studio_editor("author"))
    permissions = StudioPermissions(writers={"author"})
    permissions.user = "author"
    author.runtime._services["studio_user_permissions"] = permissions  # pylint: disable=protected-access
    status, reply = call(author, "studio_submit", quiz_payload(author, "Saved by the author"))
    assert status == 200 and reply["saved"] is True, reply


def test_the_profile_gives_an_anonymous_caller_no_cohort_figures(make_block, call):
    """Five learners have points: a signed-in learner sees the cohort median, a visitor neither in the page nor
    through ``refresh``."""
    cache.clear()
    unit = make_block(f"<vertical_demo>{olx('quiz_jobs')}<sse_profile display_name='Profile'/></vertical_demo>",
                      user="learner_0")
    quiz_id, profile_id = unit.children
    for number in range(5):
        quiz = lms_users.bind(make_block.as_user(unit, f"learner_{number}").runtime.get_block(quiz_id),
                              lms_users.learner(f"learner_{number}"))
        assert call(quiz, "submit", {"attempt": 1, "answers": {"j1": "true", "j2": "false"}})[0] == 200
    cache.clear()

    def profile(service):
        return lms_users.bind(make_block.as_user(unit, "learner_0").runtime.get_block(profile_id), service)

    assert "Cohort median: 100%" in profile(lms_users.learner("learner_0")).render("student_view", {}).body_html()
    visitor_page = profile(lms_users.anonymous()).render("student_view", {}).body_html()
    assert "Cohort median: 100%" not in visitor_page and "sse-profile-median" not in visitor_page
    status, reply = call(profile(lms_users.anonymous()), "refresh", {})
    assert status == 403 and "html" not in reply and reply["error"]
    cache.clear()


# --- a signed-in learner's browser, made to post by a page on another site ----------------------------


CROSS_SITE_BODIES = [
    ("text/plain", json.dumps({"attempt": 1, "answers": RIGHT}).encode()),
    ("text/plain;charset=UTF-8", json.dumps({"attempt": 1, "answers": RIGHT}).encode()),
    ("application/x-www-form-urlencoded", b"attempt=1&answers=%7B%7D"),
]


@pytest.mark.parametrize("content_type,body", CROSS_SITE_BODIES, ids=[c for c, _ in CROSS_SITE_BODIES])
def test_a_body_another_site_can_send_does_not_spend_an_attempt(make_block, call, content_type, body):
    """The noauth address is CSRF-exempt and the learner's session cookie goes with a cross-site form or a
    ``text/plain`` fetch (neither needs the site's consent): 415, and the attempt is not spent."""
    quiz = lms_users.bind(make_block(QUIZ, user="amina"), lms_users.learner("amina"))
    request = RequestFactory().generic("POST", "/courses/x/xblock/y/handler_noauth/submit", data=body,
                                       content_type=content_type)
    response = quiz.handle("submit", django_to_webob_request(request))
    assert response.status_code == 415 and json.loads(response.body)["error"]
    assert lms_users.bind(make_block.as_user(quiz, "amina"), lms_users.learner("amina")).attempts == 0
    assert not QuizRoster.objects.exists()


def test_a_multipart_body_read_by_the_lms_before_the_handler_is_a_json_415(make_block):
    """``_invoke_xblock_handler`` checks ``request.FILES`` first, which consumes a multipart body: the handler
    then cannot read it (Django raises RawPostDataException on ``request.body``). Before the content type was
    checked first, this was a 500."""
    quiz = lms_users.bind(make_block(QUIZ, user="amina"), lms_users.learner("amina"))
    request = RequestFactory().post("/courses/x/xblock/y/handler/submit", data={"attempt": "1", "q1": "a"})
    assert request.FILES is not None  # what _invoke_xblock_handler does before anything else
    response = quiz.handle("submit", django_to_webob_request(request))
    assert response.status_code == 415
    assert response.content_type == "application/json" and json.loads(response.body)["error"]
    assert not QuizRoster.objects.exists()
