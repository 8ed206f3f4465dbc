"""Studio saves by users who may not edit the course (issue 10, item 6).

Platform source followed: cms/djangoapps/contentstore/views/component.py ``component_handler``:
it loads the block, calls ``load_services_for_studio`` (which adds the ``studio_user_permissions``
service, ``StudioPermissionsService`` with ``can_write(course_key)``), runs the editor's handler for
any signed-in user, and only afterwards stores the block if ``has_course_author_access``; otherwise
it "fails quietly" and returns the handler's reply. The block must refuse first, or a read-only
course team member is told "Saved" while nothing is stored.
"""

from __future__ import annotations

import pytest
from xblock.fields import Scope
from xblock.reference.user_service import UserService, XBlockUser

from .test_dashboard_contract import CASE, QUIZ


class StudioPermissions:
    """``StudioPermissionsService``: ``can_write`` is ``has_studio_write_access``."""

    def __init__(self, writers):
        self.writers = set(writers)
        self.asked = []

    def can_write(self, course_key):
        self.asked.append(course_key)
        return self.user in self.writers


class StudioUser(UserService):
    """``DjangoXBlockUserService(user)`` as ``load_services_for_studio`` builds it (no staff flag)."""

    def __init__(self, name):
        super().__init__()
        self.name = name

    def get_current_user(self):
        user = XBlockUser(is_current_user=True)
        user.opt_attrs.update({"edx-platform.is_authenticated": True, "edx-platform.user_id": self.name,
                               "edx-platform.user_is_staff": False})
        return user


def component_handler(block, call, user, permissions, handler, body):
    """``component_handler``: services for Studio, the handler, then the save only for authors."""
    permissions.user = user
    block.runtime._services["user"] = StudioUser(user)  # pylint: disable=protected-access
    block.runtime._services["studio_user_permissions"] = permissions  # pylint: disable=protected-access
    before = {name: field.read_json(block) for name, field in block.fields.items() if field.scope in (Scope.settings, Scope.content)}
    status, reply = call(block, handler, body)
    if user not in permissions.writers:  # the platform does not store the block: undo what the handler set
        for name, value in before.items():
            block.fields[name].write_to(block, block.fields[name].from_json(value))
    return status, reply


def quiz_payload(block, title):
    return {"display_name": title, "dimension": block.dimension, "weight": "", "max_attempts": "0",
            "show_answer": "finished", "shuffle": False, "pass_mark": "50", "multiple_scoring": "all_or_nothing",
            "questions": block.questions}


def case_payload(block, title):
    return {"display_name": title, "dimension": block.dimension, "weight": "", "reviews_required": "1",
            "reviews_to_give": "1", "min_words": "0", "max_words": "0", "lease_hours": "24", "waiting_days": "7",
            "waiting_rule": "lower", "divergence_threshold": "0.5", "case": block.case, "prompt": block.prompt,
            "rubric": block.rubric}


def profile_payload(block, title):
    return {"display_name": title, "scope": "course"}


PROFILE = '<sse_profile display_name="Profile" scope="section"/>'


@pytest.mark.parametrize("xml, payload", [(QUIZ, quiz_payload), (CASE, case_payload), (PROFILE, profile_payload)])
def test_a_user_without_write_access_is_refused_and_told_so(make_block, call, xml, payload):
    block = make_block(xml, user=None)
    permissions = StudioPermissions(writers={"author"})
    status, reply = component_handler(block, call, "reader", permissions, "studio_submit", payload(block, "Changed"))
    assert status == 403 and reply.get("saved") is not True
    assert "authors" in reply["error"]
    assert block.display_name != "Changed"
    assert permissions.asked  # the course's key was checked, not a guess

    status, reply = component_handler(block, call, "author", permissions, "studio_submit", payload(block, "Changed"))
    assert status == 200 and reply["saved"] is True, reply
    assert block.display_name == "Changed"


@pytest.mark.parametrize("xml", [QUIZ, CASE, PROFILE])
def test_the_lms_never_authors(make_block, call, xml):
    """In the LMS there is no studio_user_permissions service: nobody may save the block's content."""
    from .test_masquerade_contract import MasqueradedUserService

    block = make_block(xml, user=None)
    service = MasqueradedUserService("learner", "learner")
    service._django_user.real_user = None
    block.runtime._services["user"] = service  # pylint: disable=protected-access
    status, reply = call(block, "studio_submit", {})
    assert status == 403
