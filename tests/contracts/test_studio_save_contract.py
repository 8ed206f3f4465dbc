"""Studio saves by users who may not edit the course (issue 10, item 6).

Platform source followed (openedx/openedx-platform, the stored versions read):

- cms/djangoapps/contentstore/views/component.py at 14f7dc8962faf4c8c762c1182add032f181a3180,
  ``component_handler``: it loads the block, calls ``load_services_for_studio``, runs the editor's handler
  for any signed-in user, and only afterwards stores the block if ``has_course_author_access``; otherwise
  it "fails quietly" and returns the handler's reply. The block must refuse first, or a read-only course
  team member is told "Saved" while nothing is stored.
- cms/djangoapps/contentstore/utils.py at 039cae804e4ac91188204443056d6c2eac237d16,
  ``load_services_for_studio`` (imported by component.py through
  cms/djangoapps/contentstore/xblock_storage_handlers/view_handlers.py): the ``user`` service is
  ``DjangoXBlockUserService(user)``, with no anonymous id, staff flag or role (``lms_users.studio_editor``),
  and ``studio_user_permissions`` is ``StudioPermissionsService(user)``.
- openedx/core/djangoapps/content/services.py at 1aa103942c657a1e9cadad9c1a27b7b3acc86498,
  ``StudioPermissionsService.can_write(context_key)``: ``has_studio_write_access(user, context_key)`` for a
  course (a v2 library asks openedx-authz instead).
"""

from __future__ import annotations

import pytest
from xblock.fields import Scope

from . import lms_users
from .test_dashboard_contract import CASE, QUIZ


class StudioPermissions:
    """``StudioPermissionsService``: ``can_write`` is ``has_studio_write_access``."""

    def __init__(self, writers):
        self.writers = set(writers)
        self.asked = []

    def can_write(self, course_key):
        self.asked.append(course_key)
        return self.user in self.writers


def component_handler(block, call, user, permissions, handler, body):
    """``component_handler``: services for Studio, the handler, then the save only for authors."""
    permissions.user = user
    block.runtime._services["user"] = lms_users.studio_editor(user)  # pylint: disable=protected-access
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
