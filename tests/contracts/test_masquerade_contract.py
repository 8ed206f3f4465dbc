"""Staff "View this course as: Specific learner" (issue 10, item 4).

Platform source followed: lms/djangoapps/courseware/masquerade.py (``setup_masquerade`` binds the
block to the learner and marks that user object with the staff member as ``real_user``;
``MasqueradingKeyValueStore`` keeps XBlock field writes in the staff session;
``filter_displayed_blocks`` replaces any block without ``show_in_read_only_mode`` by a placeholder)
and lms/djangoapps/courseware/block_render.py (``prepare_runtime_for_user`` builds the user service,
common/djangoapps/xblock_django/user_service.py ``DjangoXBlockUserService``, for the learner; the
handlers run through ``get_block_by_usage_id``, masqueraded the same way).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.forms.models import model_to_dict
from web_fragments.fragment import Fragment
from xblock.reference.user_service import UserService, XBlockUser

from sse_academy_xblock.profile.models import DimensionScore
from sse_academy_xblock.peer.models import PeerSubmission, ResponseDraft, Review, ReviewLease
from sse_academy_xblock.quiz.models import QuizRoster

from .test_dashboard_contract import CASE, QUIZ, RIGHT

PLACEHOLDER = "This type of component cannot be shown while viewing the course as a specific student."


class MasqueradedUserService(UserService):
    """``DjangoXBlockUserService`` as ``prepare_runtime_for_user`` builds it under masquerade."""

    def __init__(self, learner: str, staff: str):
        super().__init__()
        self._django_user = SimpleNamespace(id=learner, username=learner, real_user=SimpleNamespace(id=staff))

    def get_current_user(self):
        user = XBlockUser(is_current_user=True)
        user.opt_attrs.update({
            "edx-platform.anonymous_user_id": self._django_user.id,  # the learner's
            "edx-platform.is_authenticated": True,  # the learner is a signed-in user
            "edx-platform.user_id": self._django_user.id,
            "edx-platform.user_is_staff": False,  # has_access(learner, 'staff', course)
            "edx-platform.user_role": "student",
        })
        return user


def masquerade(block, learner: str, staff: str = "staff_member"):
    block.runtime._services["user"] = MasqueradedUserService(learner, staff)  # pylint: disable=protected-access
    return block


def filter_displayed_blocks(block, frag):
    """``filter_displayed_blocks`` in lms/djangoapps/courseware/masquerade.py."""
    if getattr(block, "show_in_read_only_mode", False):
        return frag
    return Fragment(PLACEHOLDER)


def snapshot():
    """Everything our tables and edx-submissions hold."""
    from submissions.models import Score, StudentItem, Submission

    models = (QuizRoster, DimensionScore, PeerSubmission, ResponseDraft, ReviewLease, Review, Score, StudentItem,
              Submission)
    return {m.__name__: sorted((model_to_dict(o) for o in m.objects.all()), key=repr) for m in models}


def test_quiz_renders_the_learners_view_read_only_and_writes_nothing(make_block, call):
    amina = make_block(QUIZ, user="amina")
    assert call(amina, "submit", {"attempt": 1, "answers": RIGHT})[0] == 200
    before = snapshot()

    view = masquerade(make_block.as_user(amina, "amina"), "amina")
    html = filter_displayed_blocks(view, view.render("student_view", {})).body_html()
    assert PLACEHOLDER not in html
    assert "You are viewing this as a learner: nothing you do here is saved." in html
    assert "3 of 3" in html or "3/3" in html or "100" in html  # the learner's own result is shown
    status, reply = call(view, "submit", {"attempt": 2, "answers": RIGHT})
    assert status == 403 and "nothing you do here is saved" in reply["error"]
    assert snapshot() == before
    assert make_block.as_user(amina, "amina").attempts == 1


def test_case_study_renders_the_learners_state_read_only_and_writes_nothing(make_block, call):
    ana = make_block(CASE, user="ana")
    call(ana, "save_draft", {"text": "A draft ana has not submitted yet."})
    before = snapshot()

    view = masquerade(make_block.as_user(ana, "ana"), "ana")
    html = filter_displayed_blocks(view, view.render("student_view", {})).body_html()
    assert PLACEHOLDER not in html and "nothing you do here is saved" in html
    assert "A draft ana has not submitted yet." in html  # her draft, as she sees it
    status, reply = call(view, "state", {})
    assert status == 200 and reply["state"]["phase"] != "preview"
    for handler, body in [("save_draft", {"text": "staff typing"}), ("submit_response", {"text": "staff typing"}),
                          ("next_review", {}), ("flag_response", {"lease_id": 1, "reason": "x"})]:
        status, reply = call(view, handler, body)
        assert status == 403, (handler, reply)
    assert snapshot() == before


def test_profile_shows_the_learners_profile_and_refreshes_read_only(make_block, call):
    amina = make_block(QUIZ, user="amina")
    assert call(amina, "submit", {"attempt": 1, "answers": RIGHT})[0] == 200
    profile = masquerade(make_block('<sse_profile scope="course"/>', user="amina"), "amina")
    before = snapshot()
    html = filter_displayed_blocks(profile, profile.render("student_view", {})).body_html()
    assert PLACEHOLDER not in html and "nothing you do here is saved" in html
    status, reply = call(profile, "refresh", {})
    assert status == 200 and "html" in reply
    assert call(profile, "staff_learners", {})[0] == 403
    assert snapshot() == before


@pytest.mark.parametrize("xml", [QUIZ, CASE, '<sse_profile scope="course"/>'])
def test_the_learners_own_view_is_not_read_only(make_block, xml):
    block = make_block(xml, user="amina")
    assert block.show_in_read_only_mode is True
    assert not block.read_only and "nothing you do here is saved" not in block.render("student_view", {}).body_html()
