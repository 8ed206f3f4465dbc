"""The load run's runtime (``bench/runtime_as_lms.py``): each stored row read once per request, and
nothing else of the workbench's store changed: values written are stored at once, a value read and
changed by its reader changes nothing stored, and a new request reads what was written meanwhile."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection
from django.test.utils import CaptureQueriesContext
from workbench.models import XBlockState

from bench import runtime_as_lms
from tests.factories import open_as

QUIZ = """<sse_quiz display_name="Rows" max_attempts="0">
  <question id="q1" type="truefalse" answer="true" dimension="employment"><prompt>Work is decent.</prompt></question>
</sse_quiz>"""


@pytest.fixture
def as_lms():
    runtime_as_lms.install()
    yield
    runtime_as_lms.uninstall()


def _state_reads(ctx) -> int:
    return sum(1 for q in ctx.captured_queries
               if q["sql"].startswith("SELECT") and XBlockState._meta.db_table in q["sql"])


def _render_reads(usage_id) -> int:
    with CaptureQueriesContext(connection) as ctx:
        request_started.send(sender=None)
        try:
            open_as(usage_id, "learner_rows").render("student_view", {})
        finally:
            request_finished.send(sender=None)
    return _state_reads(ctx)


def test_a_render_reads_each_stored_row_once(make_block, as_lms):
    usage_id = make_block(QUIZ).scope_ids.usage_id
    _render_reads(usage_id)  # the learner's rows are created by the first visit, as the SDK creates them
    with_rows = _render_reads(usage_id)
    runtime_as_lms.uninstall()
    sdk = _render_reads(usage_id)
    assert 0 < with_rows < sdk
    # one SELECT per (scope, block, user) row: fewer than the quiz's fields read
    assert with_rows <= 8


def test_values_are_stored_at_once_and_a_new_request_reads_what_others_wrote(make_block, as_lms):
    usage_id = make_block(QUIZ).scope_ids.usage_id
    request_started.send(sender=None)
    block = open_as(usage_id, "learner_rows")
    assert block.display_name == "Rows"
    # a write is saved to the database at once, and read back within the request
    store = block._field_data._kvs
    key = block._field_data._key(block, "display_name")
    store.set(key, "Renamed")
    assert store.get(key) == "Renamed"
    assert XBlockState.get_for_key(key).state.count("Renamed") == 1
    # a value read and changed by its reader changes nothing stored
    store.set(key, ["a"])
    value = store.get(key)
    value.append("b")
    assert store.get(key) == ["a"]
    request_finished.send(sender=None)

    # another process writes between two requests: the next request reads it
    record = XBlockState.get_for_key(key)
    record.state = record.state.replace('"a"', '"z"')
    record.save()
    request_started.send(sender=None)
    assert store.get(key) == ["z"]
    assert store.has(key)
    store.delete(key)
    assert not store.has(key)
    request_finished.send(sender=None)


def test_no_aside_applies_as_in_an_lms_with_asides_off(make_block, as_lms):
    from workbench.runtime import WorkbenchRuntime

    block = open_as(make_block(QUIZ).scope_ids.usage_id, "learner_rows")
    assert WorkbenchRuntime(None).applicable_aside_types(block) == []
    runtime_as_lms.uninstall()
    assert "applicable_aside_types" not in WorkbenchRuntime.__dict__
