"""Every handler of every block, called as a learner and as staff with generated request bodies.

Bodies: random JSON of every type, objects built from the keys the handlers read with values of
the wrong type, huge strings, deep nesting, invalid UTF-8, bytes that are not JSON, other methods.
For every call: no exception and no 5xx; every 4xx is JSON with a non-empty human ``error``; after
a refused call nothing changed, neither the learners' block state nor any row of our tables.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import LEARNER, STAFF, block_classes, handlers_of, raw_call, table_snapshot

EXAMPLES = int(os.environ.get("SSE_FUZZ_EXAMPLES", "230"))
CI = os.environ.get("CI", "") not in ("", "0", "false")
BLOCKS_DIR = Path(__file__).resolve().parents[2] / "sse_academy_xblock" / "blocks"


def handler_keys() -> list[str]:
    """The keys the handlers read from a request body (``data.get("...")`` / ``data["..."]``)."""
    keys = set()
    for path in BLOCKS_DIR.glob("*.py"):
        keys |= set(re.findall(r"""data(?:\.get\(|\[)\s*["']([A-Za-z_][A-Za-z0-9_]*)["']""", path.read_text()))
    keys |= {"answers", "attempt", "learner", "submission", "lease_id", "review", "options", "comments", "questions"}
    return sorted(keys)


KEYS = handler_keys()
scalars = (
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=40)
    | st.sampled_from(["", " ", "0", "-1", "1e309", "NaN", "a" * 1001, "<script>x()</script>", "\x00", "q1", "a"])
)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(
    st.sampled_from(KEYS) | st.text(max_size=10), inner, max_size=5), max_leaves=25)
shaped = st.dictionaries(st.sampled_from(KEYS), json_values, max_size=6)


def deep(depth: int) -> bytes:
    return b'{"answers": ' + b"[" * depth + b"]" * depth + b"}"


def world_values(world) -> list:
    """Ids that exist in the populated course, so that generated bodies also reach deep validation."""
    from sse_academy_xblock.peer.models import PeerSubmission, ReviewLease

    values = ["student_1", "student_2", "peer_a", "staff", world.learner_lease, world.other_lease,
              str(world.learner_lease), {"options": {"analysis": 1}}, {"options": {"analysis": "1"}, "comments": {"analysis": 5}},
              {"q1": "a", "q2": "1895", "q3": "Mondragon"}, {"q1": ["a"], "q2": None}, 1, 2, 3]
    values += list(PeerSubmission.objects.values_list("pk", flat=True))
    values += list(ReviewLease.objects.values_list("pk", flat=True))
    return values


def near_valid(world):
    return st.dictionaries(st.sampled_from(KEYS), st.sampled_from(world_values(world)) | json_values, max_size=5).map(
        lambda d: ("POST", json.dumps(d).encode()))


bodies = st.one_of(
    shaped.map(lambda d: ("POST", json.dumps(d).encode())),
    json_values.map(lambda v: ("POST", json.dumps(v).encode())),
    st.binary(max_size=200).map(lambda b: ("POST", b)),
    st.sampled_from([
        ("POST", b"\xff\xfe\xfd"), ("POST", b'{"text": "\xc3\x28"}'), ("POST", b""), ("POST", b"null"),
        ("POST", b"not json"), ("POST", deep(900)), ("POST", deep(20000)), ("POST", b'{"a": 1}' * 3),
        ("POST", json.dumps({"text": "w " * 120_000}).encode()), ("POST", json.dumps({"reason": "x" * 300_000}).encode()),
        ("GET", b""), ("PUT", b"{}"), ("DELETE", b""),
    ]),
    st.tuples(st.sampled_from(["GET", "PUT"]), shaped.map(lambda d: json.dumps(d).encode())),
)

CASES = [(block_type, handler) for block_type, cls in block_classes().items() for handler in handlers_of(cls)]


def test_every_block_type_is_fuzzed():
    assert {b for b, _ in CASES} == {"sse_quiz", "sse_case_study", "sse_profile"}
    assert len(CASES) >= 20, CASES


@pytest.mark.parametrize("role", [LEARNER, STAFF], ids=["learner", "staff"])
@pytest.mark.parametrize("block_type,handler", CASES, ids=[f"{b}.{h}" for b, h in CASES])
def test_fuzzed_handler_never_fails_and_refusals_change_nothing(world, block_type, handler, role, figures):
    block = world.block(block_type, role)
    block.render("student_view")  # the user has opened the page (the workbench creates their state row)
    baseline = {"tables": table_snapshot()}

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=CI, database=None,
              suppress_health_check=list(HealthCheck))
    @given(body=bodies | near_valid(world) | near_valid(world))
    def call(body):
        method, raw = body
        response, content = raw_call(block, handler, raw, method=method)
        figures.add("fuzz calls made")
        status = response.status_code
        assert status < 500, f"{status} from {handler}: {content[:300]!r}"
        after = table_snapshot()
        if status >= 400:
            assert response.content_type == "application/json", f"{status} is not JSON: {content[:200]!r}"
            data = json.loads(content)
            assert isinstance(data, dict) and isinstance(data.get("error"), str) and data["error"].strip(), data
            assert after == baseline["tables"], f"{handler} refused the call ({status}) but changed stored data"
        baseline["tables"] = after

    call()
