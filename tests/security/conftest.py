"""A populated course for the security tests: every block type with learners' work in it.

``world`` builds, on the workbench's real runtime, a quiz, a case study and a unit holding a quiz
and a Decent Work profile, where ``student_1`` and ``student_2`` have done real work through the handlers (submits,
responses, a held review with a draft, a completed review). Handlers are discovered from the block
classes (``_is_xblock_handler``), so a handler added later is fuzzed and permission-checked too.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import entry_points

import pytest
import webob

from factories import olx, open_as, respond

OUR_BLOCKS = ("sse_quiz", "sse_case_study", "sse_profile")
LEARNER, OTHER, STAFF, ANONYMOUS = "student_1", "student_2", "staff", None
ROLES = {"anonymous": ANONYMOUS, "learner": LEARNER, "another learner": OTHER, "staff": STAFF}

QUIZ = olx("quiz_security")
CASE = olx("case_study_security")
UNIT = f"""<vertical_demo>
{olx("quiz_security", display_name="Unit quiz")}
  <sse_profile display_name="Security profile" scope="course"/>
</vertical_demo>"""


def block_classes() -> dict:
    found = {ep.name: ep.load() for ep in entry_points(group="xblock.v1") if ep.name in OUR_BLOCKS}
    return dict(sorted(found.items()))


def handlers_of(cls) -> list[str]:
    """Every handler name of a block class: methods the runtime would dispatch to."""
    names = []
    for name in dir(cls):
        if getattr(getattr(cls, name, None), "_is_xblock_handler", False):
            names.append(name)
    return sorted(names)


def is_json_api(cls, name: str) -> bool:
    return hasattr(getattr(cls, name), "staff_only")


def raw_call(block, name: str, raw: bytes, method: str = "POST", content_type: str | None = "application/json"):
    """Call a handler with these bytes as the body, declared as ``content_type`` (None: no Content-Type header)."""
    if content_type is None:
        request = webob.Request.blank("/", method=method, body=raw)
        request.environ.pop("CONTENT_TYPE", None)
    else:
        request = webob.Request.blank("/", method=method, body=raw, content_type=content_type)
    response = block.handle(name, request)
    body = b"".join(response.app_iter) if response.app_iter is not None else response.body
    return response, body


def json_call(block, name: str, payload, method: str = "POST"):
    response, body = raw_call(block, name, json.dumps(payload).encode(), method)
    data = json.loads(body) if response.content_type == "application/json" and body else body
    return response.status_code, data


def table_snapshot() -> str:
    """A fingerprint of every row of our tables, edx-submissions' and the workbench's block state."""
    from django.apps import apps
    from django.db import connection

    digest = hashlib.sha256()
    models = [*apps.get_app_config("sse_academy_xblock").get_models(), *apps.get_app_config("submissions").get_models(),
              apps.get_model("workbench", "XBlockState")]
    with connection.cursor() as cursor:
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1")
            digest.update(table.encode())
            for row in cursor.fetchall():
                digest.update(repr(row).encode())
    return digest.hexdigest()


class World:
    """The populated blocks, by type, and who did what in them."""

    def __init__(self, make_block):
        self.usage = {}
        quiz = make_block(QUIZ, user=LEARNER)
        self.usage["sse_quiz"] = quiz.scope_ids.usage_id
        for user, answers in ((LEARNER, {"q1": "b", "q2": "1900", "q3": "x"}), (OTHER, {"q1": "a", "q2": "1895", "q3": "Mondragon"})):
            status, data = json_call(open_as(quiz.scope_ids.usage_id, user), "submit", {"attempt": 1, "answers": answers})
            assert status == 200, data

        case = make_block(CASE, user=LEARNER)
        usage = self.usage["sse_case_study"] = case.scope_ids.usage_id
        text = "The workers own the factory and vote on every decision together as members."
        for number, user in enumerate(("peer_a", OTHER, LEARNER)):
            respond(json_call, open_as(usage, user), f"{text} Response {number}.")
        # OTHER completes a review; LEARNER holds one with a draft; "peer_a" has a response draft elsewhere.
        for user in (OTHER, LEARNER):
            status, data = json_call(open_as(usage, user), "next_review", {})
            assert status == 200, data
        from sse_academy_xblock.peer.models import ReviewLease

        other_lease = ReviewLease.objects.get(usage_id=str(usage), reviewer_id=OTHER)
        status, data = json_call(open_as(usage, OTHER), "submit_review",
                                 {"lease_id": other_lease.pk, "review": {"options": {"analysis": 1}, "overall": "ok"}})
        assert status == 200, data
        mine = ReviewLease.objects.get(usage_id=str(usage), reviewer_id=LEARNER)
        status, data = json_call(open_as(usage, LEARNER), "save_review_draft",
                                 {"lease_id": mine.pk, "review": {"options": {"analysis": 0}, "comments": {"analysis": "half"}}})
        assert status == 200, data
        self.learner_lease, self.other_lease = mine.pk, other_lease.pk

        unit = make_block(UNIT, user=LEARNER)
        self.usage["sse_profile"] = unit.children[1]
        child = unit.children[0]
        status, data = json_call(open_as(child, LEARNER), "submit", {"attempt": 1, "answers": {"q1": "a", "q2": "1", "q3": ""}})
        assert status == 200, data

    def block(self, block_type: str, user):
        return open_as(self.usage[block_type], user)


@pytest.fixture
def world(make_block):
    return World(make_block)
