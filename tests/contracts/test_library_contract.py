"""Our blocks in a content library (v2): who may save an editor, and what a library preview writes.

Platform source followed (openedx/openedx-platform, the stored versions read):

- openedx/core/djangoapps/xblock/rest_api/views.py at 06d427724c4640de3344df5669c7b3910339add2, ``xblock_handler``:
  the handler address carries a signed token for one user and one usage key; the view loads the block with
  ``load_block(usage_key, user)`` and runs any handler, then the block is saved.
- openedx/core/djangoapps/xblock/api.py at 2f8af3b986adf603f19a5947c62ec4ab5f5b4931, ``load_block``: the default
  check is ``CheckPerm.CAN_LEARN`` (``can_view_block``), so a library user who may only view the component still
  reaches the editor's save handler.
- openedx/core/djangoapps/xblock/runtime/openedx_core_runtime.py at 2f8af3b986adf603f19a5947c62ec4ab5f5b4931,
  ``OpenedXCoreRuntime.save_block``: only when authored fields changed, it asks the learning context's
  ``can_edit_block(user, usage_key)`` and raises ``RuntimeError`` (a server error for the editor) for a user who
  may not; ``_get_component_from_usage_key`` reads ``usage_key.lib_key``: the usage key is a library's.
- openedx/core/djangoapps/xblock/runtime/runtime.py at 2f8af3b986adf603f19a5947c62ec4ab5f5b4931,
  ``XBlockRuntime.service``: no ``studio_user_permissions`` service; ``user`` is
  ``DjangoXBlockUserService(user, user_is_staff=user.is_staff, anonymous_user_id=...)``, so the author has a
  learner id; ``publish`` of a ``grade`` event by a signed-in user sends ``SCORE_PUBLISHED`` for the library block.
  ``XBlockRuntime.__init__`` keeps the Django user as ``runtime.user``.
- openedx/core/djangoapps/content_libraries/api/blocks.py at efaab55d172d0eaa9b5af888a60d37c3cfd6ceb3,
  ``_create_component_for_block``: a component added to a library starts as the bare element ``<block_type />``
  titled with the class's ``display_name`` default (``xblock_type_display_name`` in
  openedx/core/djangoapps/xblock/api.py).
"""

from __future__ import annotations

import sys
import types
import uuid
from types import SimpleNamespace

import pytest
from xblock.fields import Scope

from factories import olx
from sse_academy_xblock import platform

from . import lms_users
from .test_studio_save_contract import case_payload, profile_payload, quiz_payload

QUIZ = olx("quiz_contract")
CASE = olx("case_study_contract")
PROFILE = '<sse_profile display_name="Profile" scope="section"/>'
MANAGER = "openedx.core.djangoapps.xblock.learning_context.manager"


class LibraryContext:
    """The library's learning context: ``can_edit_block`` for its authors, ``can_view_block`` for its readers."""

    def __init__(self, editors, viewers=()):
        self.editors = set(editors)
        self.viewers = set(viewers) | self.editors
        self.asked = []

    def can_edit_block(self, user, usage_key):
        self.asked.append((user.username, str(usage_key)))
        return user.username in self.editors

    def can_view_block(self, user, usage_key):
        return user.username in self.viewers


@pytest.fixture
def library(monkeypatch):
    """Installs the platform's learning context manager, answering for one library."""
    context = LibraryContext(editors={"author"}, viewers={"reader"})
    parts = MANAGER.split(".")
    for i in range(1, len(parts) + 1):
        name = ".".join(parts[:i])
        if name not in sys.modules:
            monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setattr(sys.modules[MANAGER], "get_learning_context_impl", lambda usage_key: context, raising=False)
    return context


def library_block(xml: str):
    from lxml import etree
    from workbench.runtime import ID_MANAGER, WorkbenchRuntime

    tag = etree.fromstring(xml.encode()).tag
    ID_MANAGER.set_scenario(f"lb:SSE:reuse:{tag}:c{uuid.uuid4().hex[:10]}")
    runtime = WorkbenchRuntime("nobody")
    return runtime.get_block(runtime.parse_xml_string(xml))


def authored(block) -> dict:
    return {name: field.read_json(block) for name, field in block.fields.items()
            if field.scope in (Scope.settings, Scope.content)}


def library_handler(block, call, username, context, handler, body):
    """``xblock_handler`` on the library runtime: load (``can_view_block``), run the handler, ``save_block``."""
    user = SimpleNamespace(id=abs(hash(username)) % 10_000, username=username, is_staff=False, is_anonymous=False)
    assert context.can_view_block(user, block.scope_ids.usage_id), "load_block refuses"
    block.runtime.user = user
    block.runtime._services["user"] = lms_users.DjangoXBlockUserService(  # pylint: disable=protected-access
        user, anonymous_user_id=f"anon-{username}", user_is_staff=user.is_staff)
    before = authored(block)
    status, reply = call(block, handler, body)
    if authored(block) != before and not context.can_edit_block(user, block.scope_ids.usage_id):
        raise RuntimeError("You do not have permission to edit this XBlock")  # the save fails: a server error
    return status, reply


@pytest.mark.parametrize("xml, payload", [(QUIZ, quiz_payload), (CASE, case_payload), (PROFILE, profile_payload)],
                         ids=["quiz", "case_study", "profile"])
def test_saving_follows_the_library_rights(db, call, library, xml, payload):
    block = library_block(xml)
    assert platform.is_library_context(block)
    assert block.runtime.service(block, "studio_user_permissions") is None  # the library runtime has none

    status, reply = library_handler(block, call, "reader", library, "studio_submit", payload(block, "Changed"))
    assert status == 403
    assert "Only authors of this library can change this component" in reply["error"]
    assert block.display_name != "Changed"
    assert ("reader", str(block.scope_ids.usage_id)) in library.asked  # the library was asked, not a guess

    status, reply = library_handler(block, call, "author", library, "studio_submit", payload(block, "Changed"))
    assert status == 200 and reply["saved"] is True, reply
    assert block.display_name == "Changed"


def test_without_the_platform_nobody_edits_a_library_component(db, call):
    block = library_block(PROFILE)
    block.runtime.user = SimpleNamespace(id=1, username="author", is_staff=True, is_anonymous=False)
    block.runtime._services["user"] = lms_users.learner("author", staff=True)  # pylint: disable=protected-access
    assert platform.may_author(block) is False


def test_the_library_author_has_a_learner_id_yet_the_preview_writes_nothing(db, call, library):
    from django.apps import apps

    quiz = library_block(QUIZ)
    status, reply = library_handler(quiz, call, "author", library, "submit",
                                    {"attempt": 1, "answers": {"q1": "a"}})
    assert platform.anonymous_user_id(quiz) == "anon-author"
    assert status == 403 and "preview of a library component" in reply["error"]
    assert all(not model.objects.exists() for model in apps.get_app_config("sse_academy_xblock").get_models())


# --- search ------------------------------------------------------------------------------------------
# openedx/core/djangoapps/content/search/documents.py at 9d7b88c4af89fa326b84b482afcb00b22b549bf5,
# ``searchable_doc_for_library_block`` loads the component with ``user=None`` and ``_get_content_from_block``
# flattens ``index_dictionary()``: ``content_type`` and ``content["display_name"]`` dropped, the other ``content``
# keys moved up into the document's ``content`` field, which the library's search matches words in.


def searchable_content(block) -> dict:
    data = block.index_dictionary()
    data.pop("content_type", None)
    content = data.pop("content", {})
    content.pop("display_name", None)
    data.update(content)
    return data


def without_a_user(block):
    """The library's indexer binds nobody: the block must not ask for the user service."""
    block.runtime._services["user"] = None  # pylint: disable=protected-access
    return block


def test_the_quiz_questions_and_choices_are_searchable_without_markup(db):
    quiz = without_a_user(library_block(
        '<sse_quiz display_name="Jobs"><question id="q1" type="single"><prompt>Which <strong>recommendation</strong>'
        ' covers &amp; promotes cooperatives?</prompt><choice id="a" correct="true">R193</choice>'
        '<choice id="b">C87</choice></question></sse_quiz>'))
    content = searchable_content(quiz)
    assert content == {"quiz_content": "Which recommendation covers & promotes cooperatives? R193 C87"}
    assert quiz.index_dictionary()["content"]["display_name"] == "Jobs"


def test_the_case_and_its_rubric_are_searchable_without_markup_or_scripts(db):
    case = without_a_user(library_block(olx("case_study_factory")))
    text = searchable_content(case)["case_study_content"]
    assert text.startswith("The workers took over. More. Analyse the takeover.")
    assert "Analysis" in text and "Rights" in text
    assert "<" not in text and "alert" not in text


def test_the_profile_is_found_by_its_title_and_scope(db):
    profile = without_a_user(library_block('<sse_profile display_name="My profile" scope="section"/>'))
    assert profile.index_dictionary()["content"] == {"display_name": "My profile", "profile_content": "This section"}


# --- creation --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tag, title", [("sse_quiz", "Quiz"), ("sse_case_study", "Case study"),
                                        ("sse_profile", "Your Decent Work profile")])
def test_a_component_created_in_a_library_starts_empty_and_usable(db, tag, title):
    from xblock.core import XBlock

    block = library_block(f"<{tag} />")
    assert XBlock.load_class(tag).display_name.default == title == block.display_name
    assert block.render("student_view", {}).body_html()
    assert block.render("studio_view", {}).body_html()
    block.validate()
    assert block.index_dictionary()["content"]["display_name"] == title
