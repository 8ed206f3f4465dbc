"""Staff "View this course as: Specific learner" (issue 10, item 4).

Platform source followed (openedx/openedx-platform, the stored versions read):

- lms/djangoapps/courseware/masquerade.py at 14f7dc8962faf4c8c762c1182add032f181a3180: ``setup_masquerade``
  returns the enrolled learner's user object, marked with the staff member as ``real_user`` (and the staff
  member's ``masquerade_settings``); ``MasqueradingKeyValueStore`` keeps XBlock field writes in the staff
  session; ``filter_displayed_blocks`` replaces any block without ``show_in_read_only_mode`` by a placeholder.
- lms/djangoapps/courseware/block_render.py at 5af5f01fa9480258a5001852cd7498fe3e4cd2fb:
  ``get_block_by_usage_id`` runs ``setup_masquerade`` for the handlers, ``get_block_for_descriptor`` wraps
  the learner's field data in ``MasqueradingKeyValueStore`` and ``prepare_runtime_for_user`` adds
  ``filter_displayed_blocks`` and builds the user service for the learner:
  ``DjangoXBlockUserService(user, user_is_staff=has_access(user, 'staff', course_id), user_role=get_user_role(...),
  anonymous_user_id=anonymous_id_for_user(user, course_id), ...)``, where ``user_is_staff`` is False and the
  role is ``'student'`` (lms/djangoapps/courseware/access.py denies staff access to a user masquerading as a
  student).
- The same two files for a staff member who views the course as themselves ("Specific learner" with their own
  username): ``setup_masquerade`` loads the enrolled user anew (``CourseEnrollment.objects.users_enrolled_in(
  course_key).get(username=...)``, another object with the staff member's own id) and marks it with
  ``real_user``; ``is_masquerading_as_specific_student`` holds (the course's masquerade has a ``user_name``), so
  field writes still go to the session and the user service is built with ``user_is_staff=False``.
- common/djangoapps/xblock_django/user_service.py at e57a655d77b614f19223984e9805b1fb940ab192,
  ``DjangoXBlockUserService._convert_django_user_to_xblock_user`` (replayed in ``lms_users``), which keeps
  the bound user object (and so ``real_user``) as ``_django_user``.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.forms.models import model_to_dict
from web_fragments.fragment import Fragment

from sse_academy_xblock.profile.models import DimensionScore
from sse_academy_xblock.peer.models import PeerSubmission, ResponseDraft, Review, ReviewLease
from sse_academy_xblock.quiz.models import QuizRoster

from . import lms_users
from .test_dashboard_contract import CASE, QUIZ, RIGHT

PLACEHOLDER = "This type of component cannot be shown while viewing the course as a specific student."


class MasqueradedUserService(lms_users.DjangoXBlockUserService):
    """``DjangoXBlockUserService`` as ``prepare_runtime_for_user`` builds it under masquerade."""

    def __init__(self, learner: str, staff: str):
        super().__init__(SimpleNamespace(id=learner, username=learner, real_user=SimpleNamespace(id=staff)),
                         anonymous_user_id=learner,  # the learner's
                         user_is_staff=False,  # has_access(learner, 'staff', course) under masquerade
                         user_role="student")


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
                          ("next_review", {}), ("flag_response", {"lease_id": 1, "reason": "x"}),
                          ("submit_self_assessment", {"options": {"c": 1}})]:
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


def test_staff_viewing_as_a_learner_send_no_tracking_event(make_block, call):
    """The LMS would log a masquerading staff member's events under the learner's name: none are sent, not
    even the announcement of a grade the learner has not seen yet (docs/events.md)."""
    from factories import graded_pair_by_handlers, olx

    amina = make_block(QUIZ, user="amina")
    assert call(amina, "submit", {"attempt": 1, "answers": RIGHT})[0] == 200
    ana = make_block(olx("case_study_contract"), user="ana")
    graded_pair_by_handlers(call, ana, make_block.as_user(ana, "ben"), ("Ana's answer.", "Ben's answer."),
                            ({"options": {"c": 1}}, {"options": {"c": 0}}))
    published = []
    views = [masquerade(make_block.as_user(amina, "amina"), "amina"), masquerade(make_block.as_user(ana, "ana"), "ana")]
    for view in views:
        view.runtime.publish = lambda blk, kind, data: published.append((kind, data))
        view.render("student_view", {})
    assert call(views[0], "submit", {"attempt": 2, "answers": RIGHT})[0] == 403
    status, reply = call(views[1], "state", {})
    assert status == 200 and reply["state"]["grade"]["earned"] == 0  # she is graded, and it is shown
    assert published == []
    # Her own page announces it.
    mine = make_block.as_user(ana, "ana")
    mine.runtime.publish = lambda blk, kind, data: published.append((kind, data))
    call(mine, "state", {})
    assert [kind for kind, _data in published] == ["sse_academy.case_study.grade_received"]


def test_staff_viewing_the_course_as_themselves_is_still_read_only(make_block, call):
    """Masquerade as a specific learner who is the staff member: the platform still keeps the block's field
    writes in the session, so our tables must not be written for them either."""
    own = make_block(QUIZ, user="staff_member")
    assert call(own, "submit", {"attempt": 1, "answers": RIGHT})[0] == 200
    before = snapshot()
    view = masquerade(make_block.as_user(own, "staff_member"), "staff_member", staff="staff_member")
    assert view.read_only
    html = filter_displayed_blocks(view, view.render("student_view", {})).body_html()
    assert "You are viewing this as a learner: nothing you do here is saved." in html
    status, reply = call(view, "submit", {"attempt": 2, "answers": RIGHT})
    assert status == 403 and "nothing you do here is saved" in reply["error"]
    assert snapshot() == before


POOLED = """<sse_quiz dimension="employment">
  <pool id="p" draw="1">
    <question id="a" type="text"><prompt>A</prompt><answer>KEYA</answer></question>
    <question id="b" type="text"><prompt>B</prompt><answer>KEYB</answer></question>
    <question id="c" type="text"><prompt>C</prompt><answer>KEYC</answer></question>
    <question id="d" type="text"><prompt>D</prompt><answer>KEYD</answer></question>
  </pool>
</sse_quiz>"""


def test_a_pooled_quiz_shows_staff_the_learners_own_draw(make_block):
    for learner in ("amina", "bruno", "chen", "dara"):
        own = make_block(POOLED, user=learner)
        drawn = [q.id for q in own.asked_questions(1)]
        view = masquerade(make_block.as_user(own, learner), learner)
        html = filter_displayed_blocks(view, view.render("student_view", {})).body_html()
        shown = [qid for qid in "abcd" if f'data-question="{qid}"' in html]
        assert shown == drawn
