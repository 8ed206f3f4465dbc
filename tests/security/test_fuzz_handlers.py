"""Every handler of every block, called as a learner, as another learner and as staff with generated bodies.

Bodies: random JSON of every type; objects built from the keys the handlers read with values of the
wrong type; valid bodies with one field, at any depth, replaced by a hostile value; integers up to
10**400, ``NaN``/``Infinity``/``1e400`` written as raw JSON tokens, ``true`` and ``1.9`` where ids go;
lone surrogates, NUL and other controls, bidi overrides, non-characters and non-ASCII digits in text;
deep nesting, duplicate keys, huge strings, invalid UTF-8, bytes that are not JSON, other methods.
``SSE_FUZZ_EXAMPLES`` (300) examples per handler and role: over 20,000 calls in a run.
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

from factories import graded_pair_by_handlers, olx

from .conftest import ANONYMOUS, LEARNER, OTHER, STAFF, block_classes, handlers_of, raw_call, table_snapshot

EXAMPLES = int(os.environ.get("SSE_FUZZ_EXAMPLES", "300"))
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


class Raw:
    """A JSON token written as is: what ``json.dumps`` cannot produce (``1e400``) or would not (``NaN``)."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self):
        return f"Raw({self.text[:40]!r})"


def emit(value) -> str:
    """JSON text of ``value``, with :class:`Raw` tokens inserted verbatim (surrogates stay ``\\udxxx`` escapes)."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {emit(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(emit(v) for v in value) + "]"
    return json.dumps(value)


def encode(value) -> bytes:
    return emit(value).encode("utf-8")


# Characters and strings that broke handlers or slipped through: lone surrogates, NUL and other
# controls, bidi overrides, non-characters, and digits that are not ASCII.
HOSTILE_CHARS = ["\ud800", "\udfff", "\udc00", "\x00", "\x07", "\x1b", "\u202e", "\u202d", "\u2066", "\u200f",
                 "\ufeff", "\ufffe", "\uffff", "\U0010ffff", "\U0001f600", "\u00b2", "\uff11", "\u0663", "\u0967",
                 "\u2028", "<", "&", "\"", "'"]
UNICODE_NUMBERS = ["\uff11\uff18\uff19\uff15", "\u00b2", "\u0663", "\u0967\u096e", "1_000", " 1895 ", "0x10", "1e3",
                   "+1", "-0", "1.9", "1e400", "-1e400", "NaN", "Infinity", "inf", "\uff11", "9" * 401, "00001"]
RAW_NUMBERS = [Raw("NaN"), Raw("Infinity"), Raw("-Infinity"), Raw("1e400"), Raw("-1e400"), Raw("1E999"),
               Raw("1" + "0" * 400 + ".5"), Raw("1.9"), Raw("1.0"), Raw("-0.0"), Raw("4.9e-400"), Raw("9" * 401),
               Raw("-" + "9" * 401), Raw("1" + "0" * 15), Raw("9" * 20)]


def nested(depth: int):
    return Raw("[" * depth + "]" * depth)


hostile_text = st.text(alphabet=st.sampled_from(HOSTILE_CHARS) | st.characters(codec="utf-8"), max_size=30)
scalars = (
    st.none() | st.booleans() | st.integers(min_value=-(10**400), max_value=10**400)
    | st.integers(min_value=-3, max_value=2**64) | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(RAW_NUMBERS) | st.text(max_size=40) | hostile_text | st.sampled_from(UNICODE_NUMBERS)
    | st.sampled_from(["", " ", "0", "-1", "a" * 1001, "<script>x()</script>", "q1", "a", "analysis"])
    | st.sampled_from([nested(33), nested(100), nested(900), nested(20000)])
)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(
    st.sampled_from(KEYS) | st.text(max_size=10) | hostile_text, inner, max_size=5), max_leaves=25)
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
        lambda d: ("POST", encode(d)))


def valid_bodies(world) -> dict:
    """Bodies each handler would accept, to be mutated one field at a time (so deep validation is reached)."""
    quiz_question = {"id": "q1", "type": "single", "prompt": "<p>Which?</p>", "points": 1, "dimension": "employment",
                     "choices": [{"id": "a", "text": "A", "correct": True, "feedback": ""},
                                 {"id": "b", "text": "B", "correct": False}]}
    rubric = [{"name": "analysis", "label": "Analysis", "description": "",
               "options": [{"label": "Missing", "points": 0, "explanation": ""}, {"label": "Strong", "points": 2}]}]
    from sse_academy_xblock.peer.models import PeerSubmission, Review

    sub = PeerSubmission.objects.filter(anonymous_user_id=OTHER).values_list("pk", flat=True).first() or 1
    review = {"lease_id": world.learner_lease, "review": {"options": {"analysis": 1}, "comments": {"analysis": "ok"},
                                                          "overall": "fine"}}
    staff_action = {"submission": sub, "points": 1, "reason": "checked", "note": "kept"}
    return {
        "submit": [{"attempt": 2, "answers": {"q1": "a", "q2": "1895", "q3": "Mondragon"}}],
        "staff_reset": [{"learner": "student_1"}],
        "staff_items": [{"extra": True}],
        "save_draft": [{"text": "A draft of several words about the factory."}],
        "submit_response": [{"text": "A response of several words about the factory and its workers."}],
        "save_review_draft": [review],
        "submit_review": [review],
        "flag_response": [{"lease_id": world.learner_lease, "reason": "insulting"}],
        "next_review": [{"extra": True}],
        "rate_review": [{"review_id": Review.objects.values_list("pk", flat=True).first() or 1, "helpful": True,
                         "comment": "It showed me what was missing."}],
        "staff_list": [{"page": 1, "status": "flagged"}],
        "staff_agreement": [{"page": 2, "after": sub}, {"page": 1, "before": sub}],
        "staff_learners": [{}, {"after": "student_1"}],
        "staff_submission": [staff_action],
        "staff_grade": [staff_action],
        "staff_clear_flag": [staff_action],
        "staff_clear_divergence": [staff_action],
        "staff_cancel": [staff_action],
        "studio_submit": [
            {"display_name": "Quiz", "dimension": "employment", "weight": 2, "max_attempts": 2,
             "show_answer": "finished", "multiple_scoring": "partial", "shuffle": False, "pass_mark": 60,
             "questions": [quiz_question, {"id": "n", "type": "numeric", "prompt": "N", "answer": 1895,
                                           "tolerance": 0.5},
                           {"id": "t", "type": "text", "prompt": "T", "accepted": ["x"]}]},
            {"display_name": "Case", "dimension": "employment", "weight": None, "reviews_required": 2,
             "reviews_to_give": 2, "min_words": 0, "max_words": 500, "lease_hours": 24, "waiting_days": 7,
             "waiting_rule": "lower", "divergence_threshold": 0.5, "case": "<p>c</p>", "prompt": "<p>p</p>",
             "rubric": rubric},
            {"display_name": "Profile", "scope": "course"},
        ],
    }


def leaf_paths(value, path=()):
    """Every path to a value inside a body (dict keys and list indexes), the body itself first."""
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from leaf_paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from leaf_paths(child, (*path, index))


def replaced(body, path, new):
    if not path:
        return new
    copy = json.loads(json.dumps(body))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return copy


# What replaces a field: mostly values that once broke a handler, sometimes any JSON of any type.
hostile_values = st.one_of(
    st.sampled_from(RAW_NUMBERS), st.sampled_from(UNICODE_NUMBERS),
    st.tuples(st.text(max_size=8), st.sampled_from(HOSTILE_CHARS), st.text(max_size=8)).map("".join),
    st.integers(min_value=-(10**400), max_value=10**400), st.booleans(), st.none(),
    st.sampled_from([nested(33), nested(900), [], {}, [1], {"a": 1}, "", 0, -1, 1.5]), json_values,
)


def mutated(world, handler: str):
    """A valid body of this handler with one field, at any depth, replaced by a hostile or wrongly typed value."""
    templates = valid_bodies(world)
    chosen = templates.get(handler) or [body for group in templates.values() for body in group]
    pairs = [(body, path) for body in chosen for path in leaf_paths(body) if path]
    return st.tuples(st.sampled_from(pairs), hostile_values).map(
        lambda t: ("POST", encode(replaced(t[0][0], t[0][1], t[1]))))


raw_bodies = st.sampled_from([
    ("POST", b"\xff\xfe\xfd"), ("POST", b'{"text": "\xc3\x28"}'), ("POST", b""), ("POST", b"null"),
    ("POST", b"not json"), ("POST", deep(900)), ("POST", deep(20000)), ("POST", b'{"a": 1}' * 3),
    ("POST", b'{"text": "a", "text": "b"}'), ("POST", b'{"reason": "\xed\xa0\x80"}'),
    ("POST", json.dumps({"text": "w " * 120_000}).encode()), ("POST", json.dumps({"reason": "x" * 300_000}).encode()),
    ("GET", b""), ("PUT", b"{}"), ("DELETE", b""),
])
bodies = st.one_of(
    shaped.map(lambda d: ("POST", encode(d))),
    json_values.map(lambda v: ("POST", encode(v))),
    st.binary(max_size=200).map(lambda b: ("POST", b)),
    raw_bodies,
    st.tuples(st.sampled_from(["GET", "PUT"]), shaped.map(encode)),
)

CASES = [(block_type, handler) for block_type, cls in block_classes().items() for handler in handlers_of(cls)]


def test_every_block_type_is_fuzzed():
    assert {b for b, _ in CASES} == {"sse_quiz", "sse_case_study", "sse_profile"}
    assert len(CASES) >= 20, CASES


@pytest.mark.parametrize("role", [LEARNER, OTHER, STAFF, ANONYMOUS], ids=["learner", "other-learner", "staff", "anonymous"])
@pytest.mark.parametrize("block_type,handler", CASES, ids=[f"{b}.{h}" for b, h in CASES])
def test_fuzzed_handler_never_fails_and_refusals_change_nothing(world, block_type, handler, role, figures):
    block = world.block(block_type, role)
    block.render("student_view")  # the user has opened the page (the workbench creates their state row)
    baseline = {"tables": table_snapshot()}

    # A caller without a learner id changes nothing, whatever it sends (fewer examples: most are 403s).
    examples = EXAMPLES if role is not ANONYMOUS else max(1, EXAMPLES // 6)

    @settings(max_examples=examples, deadline=None, derandomize=CI, database=None,
              suppress_health_check=list(HealthCheck))
    @given(body=st.one_of(bodies, near_valid(world), mutated(world, handler), mutated(world, handler),
                          mutated(world, handler)))
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
        if role is ANONYMOUS:
            assert after == baseline["tables"], f"{handler} changed stored data for a caller without a learner id"
        assert repeated_flags() == [], f"{handler}: a reviewer reported the same response twice"
        baseline["tables"] = after

    call()
    assert unstorable_text() == [], f"{handler} stored text that cannot be stored everywhere"


def repeated_flags() -> list:
    """(submission, reporter) pairs with more than one report: one report per reviewer and response."""
    from django.db.models import Count

    from sse_academy_xblock.peer.models import Flag

    return list(Flag.objects.values("submission", "reporter_id").annotate(n=Count("id")).filter(n__gt=1))


# A lone surrogate kept as a JSON escape inside stored JSON text (a valid pair is allowed).
LONE_ESCAPE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])|(?<![0-9a-fA-F]{4})\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def unstorable_text() -> list:
    """Text values in our tables and edx-submissions' holding characters the input layer refuses."""
    from django.apps import apps
    from django.db import connection

    from sse_academy_xblock.json_input import UNSTORABLE

    found = []
    models = [*apps.get_app_config("sse_academy_xblock").get_models(), *apps.get_app_config("submissions").get_models(),
              apps.get_model("workbench", "XBlockState")]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, str) and (UNSTORABLE.search(value) or LONE_ESCAPE.search(value)):
                        found.append((model._meta.db_table, value[:80]))
    return found


@pytest.fixture
def graded_case(make_block):
    """A case study where student_1 and student_2 reviewed each other: both graded, each with one review."""
    from .conftest import json_call, open_as

    case = make_block(olx("case_study_security", reviews_required=1), user=LEARNER)
    usage = case.scope_ids.usage_id
    texts = [f"The workers own the factory and vote together, says {user}." for user in (LEARNER, OTHER)]
    graded_pair_by_handlers(json_call, open_as(usage, LEARNER), open_as(usage, OTHER), texts,
                            [{"options": {"analysis": 1}, "overall": "ok"}] * 2)
    return usage


@pytest.mark.parametrize("role", [LEARNER, OTHER, STAFF], ids=["learner", "other-learner", "staff"])
def test_fuzzed_ratings_of_a_graded_response(graded_case, role, figures):
    """rate_review where a rating can succeed: every refusal changes nothing; every saved comment is
    stripped, storable and at most 500 characters; one rating per review."""
    from sse_academy_xblock.peer.models import Review, ReviewFeedback

    from .conftest import open_as

    block = open_as(graded_case, role)
    block.render("student_view")
    received = Review.objects.get(submission__anonymous_user_id=LEARNER).pk
    written = Review.objects.get(reviewer_id=LEARNER).pk
    valid = {"review_id": received, "helpful": True, "comment": "It showed me what was missing."}
    comments = st.text(alphabet=st.sampled_from(HOSTILE_CHARS) | st.characters(codec="utf-8"), min_size=0,
                       max_size=520) | st.sampled_from(["x" * 500, " " * 3 + "y" * 500 + "\n", "z" * 501, "\r\n ok"])
    body = st.one_of(
        st.fixed_dictionaries({"review_id": st.sampled_from([received, written, str(received), 0, -1, True, 1.5, None]),
                               "helpful": st.sampled_from([True, False, 1, "yes", None]) | hostile_values,
                               "comment": comments | hostile_values}),
        st.tuples(st.sampled_from(sorted(valid)), hostile_values).map(lambda t: {**valid, t[0]: t[1]}),
    ).map(encode)
    baseline = {"tables": table_snapshot()}

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=CI, database=None,
              suppress_health_check=list(HealthCheck))
    @given(raw=body)
    def call(raw):
        response, content = raw_call(block, "rate_review", raw)
        figures.add("fuzz calls made")
        assert response.status_code < 500, content[:300]
        after = table_snapshot()
        if response.status_code >= 400:
            assert json.loads(content)["error"].strip()
            assert after == baseline["tables"], f"a refused rating ({response.status_code}) changed stored data"
        else:
            rated = Review.objects.get(pk=json.loads(content)["review_id"])
            assert rated.submission.anonymous_user_id == role, f"{role} rated a review of someone else's response"
        baseline["tables"] = after

    call()
    response, content = raw_call(block, "rate_review", encode(valid))
    assert response.status_code == (200 if role == LEARNER else 404), content[:300]
    for rating in ReviewFeedback.objects.select_related("review__submission"):
        assert rating.review.submission.anonymous_user_id == role  # student_2 may rate the review of theirs
        assert len(rating.comment) <= 500 and rating.comment == rating.comment.strip()
    assert ReviewFeedback.objects.filter(review_id=received).count() == (1 if role == LEARNER else 0)
    assert unstorable_text() == []
