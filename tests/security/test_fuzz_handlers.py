"""Every handler of every block, called as a learner, as another learner, as staff, as the workbench's anonymous
user and as the LMS's visitor on its unauthenticated handler address, with generated bodies.

Bodies: random JSON of every type; objects built from the keys the handlers read with values of the
wrong type; valid bodies with one field, at any depth, replaced by a hostile value; integers up to
10**400, ``NaN``/``Infinity``/``1e400`` written as raw JSON tokens, ``true`` and ``1.9`` where ids go;
lone surrogates, NUL and other controls, bidi overrides, non-characters and non-ASCII digits in text;
formulas behind spaces, quotes or a ";", link addresses at the edges of the authors' markup, markup
that once took quadratic time, every Unicode space and invisible character (``hostile_content``);
deep nesting, duplicate keys, huge strings, invalid UTF-8, bytes that are not JSON, other methods;
and any of these, or a form or multipart encoding of a body, sent with another content type (forms,
multipart with and without a valid boundary, ``text/plain``, none, other charsets, ``+json``, any
printable text), through Django's request the way the workbench and the LMS serve it: Django's CSRF check
and the LMS's file check parse a form body before the handler runs.
``SSE_FUZZ_EXAMPLES`` (300) examples per handler and role: over 20,000 calls in a run.
For every call: no exception and no 5xx; every 4xx is JSON with a non-empty human ``error``; a JSON
handler answers a body declared as anything but JSON with 415, and a caller who is not signed in with 403;
after a refused call nothing changed, neither the learners' block state nor any row of our tables.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts import lms_users
from factories import graded_pair_by_handlers, olx

from .conftest import (
    ANONYMOUS, LEARNER, OTHER, STAFF, block_classes, handlers_of, is_json_api, raw_call, table_snapshot,
)
from .hostile_content import edge_address, exotic_text, formula, markup_text, markup_unit, semicolon_cell

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
# controls, bidi overrides, non-characters, digits that are not ASCII, spaces of one platform only.
HOSTILE_CHARS = ["\ud800", "\udfff", "\udc00", "\x00", "\x07", "\x1b", "\u202e", "\u202d", "\u2066", "\u200f",
                 "\ufeff", "\ufffe", "\uffff", "\U0010ffff", "\U0001f600", "\u00b2", "\uff11", "\u0663", "\u0967",
                 "\u2028", "<", "&", "\"", "'", "\x85", "\x1c", "\u180e", "\u200b", "\u2060", "\u3000", "\u00ad",
                 "\u200d", ";", "=", "*"]
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
        "submit_self_assessment": [{"options": {"analysis": 1}}, {"options": {"analysis": "1", "rights": 0}}],
        "rate_review": [{"review_id": Review.objects.values_list("pk", flat=True).first() or 1, "helpful": True,
                         "comment": "It showed me what was missing."}],
        "staff_list": [{"page": 1, "status": "flagged"}],
        "submit_calibration": [{"example": "strong", "options": {"analysis": 1}}],
        "staff_agreement": [{"page": 2, "after": sub}, {"page": 1, "before": sub}],
        "staff_learners": [{}, {"after": "student_1"}],
        "staff_submission": [staff_action],
        "staff_grade": [staff_action],
        "staff_clear_flag": [staff_action],
        "staff_clear_divergence": [staff_action],
        "staff_cancel": [staff_action],
        "staff_send_again": [staff_action],
        "studio_read_number": [{"text": "1,5"}, {"text": "1.895", "meant": {"1.895": 1895}}],
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
    formula, semicolon_cell, markup_text, exotic_text, edge_address.map(lambda address: f"[x]({address})"),
    markup_unit.map(lambda unit: (unit * (20_000 // len(unit) + 1))[:20_000]),
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

# --- bodies declared as something other than JSON ------------------------------------------------

BOUNDARY = "fuzzBoundary0x7E"
JSON_TYPES = ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=\"UTF-8\""]
# What a page on another site can make a browser send without asking (forms, text), and other near misses.
NOT_JSON_TYPES = [
    None, "", "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
    f"multipart/form-data; boundary={BOUNDARY}", "multipart/form-data", "multipart/form-data; boundary=\"\"",
    "application/json; charset=iso-8859-1", "application/json; charset=utf-16", "application/json; boundary=x",
    "application/vnd.api+json", "application/jsonp", "application/json-seq", "text/json", "application/*", "*/*",
    "application/json, text/plain", "application/x-json", " application/octet-stream",
]


def multipart(fields: dict, boundary: str = BOUNDARY) -> bytes:
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
             for name, value in fields.items()]
    return ("".join(parts) + f"--{boundary}--\r\n").encode("utf-8", "surrogatepass")


def form(fields: dict) -> bytes:
    from urllib.parse import quote

    return "&".join(f"{quote(str(k))}={quote(v, safe='')}" for k, v in fields.items()).encode("utf-8", "surrogatepass")


def typed_requests(world, handler: str):
    """(method, body, content type, whether the type is one a JSON handler must refuse with 415)."""
    as_text = st.dictionaries(st.sampled_from(KEYS), json_values.map(emit), max_size=6)
    encoded = st.one_of(
        as_text.map(lambda d: ("POST", multipart(d), f"multipart/form-data; boundary={BOUNDARY}")),
        as_text.map(lambda d: ("POST", form(d), "application/x-www-form-urlencoded")),
        st.binary(max_size=300).map(lambda b: ("POST", b, f"multipart/form-data; boundary={BOUNDARY}")),
    ).map(lambda t: (*t, True))
    any_body = st.one_of(bodies, near_valid(world), mutated(world, handler))
    retyped = st.tuples(any_body, st.sampled_from(NOT_JSON_TYPES)).map(lambda t: (t[0][0], t[0][1], t[1], True))
    printable = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60)
    free_text = st.tuples(any_body, printable).map(lambda t: (t[0][0], t[0][1], t[1], False))
    charsets = st.tuples(any_body, st.sampled_from(JSON_TYPES)).map(lambda t: (t[0][0], t[0][1], t[1], False))
    return st.one_of(encoded, retyped, free_text, charsets)


def django_call(block, name: str, raw: bytes, method: str, content_type: str | None):
    """The call as Django serves it, or None when Django itself refuses the request before any block runs.

    The workbench's CSRF check reads ``request.POST`` and the LMS's ``_invoke_xblock_handler`` reads
    ``request.FILES`` before the handler: either parses (and consumes) a form or multipart body.
    """
    from django.core.exceptions import SuspiciousOperation
    from django.http.multipartparser import MultiPartParserError
    from django.test import RequestFactory
    from xblock.django.request import django_to_webob_request

    request = RequestFactory().generic(method, "/handler/", data=raw, content_type=content_type or "")
    if content_type is None:
        request.META.pop("CONTENT_TYPE", None)
    try:
        request.POST, request.FILES  # noqa: B018 - read as the platform reads them
    except (MultiPartParserError, SuspiciousOperation, ValueError):
        return None  # Django's own 400 (an unparsable form), in the workbench answered by HandlerFormBodyMiddleware
    response = block.handle(name, django_to_webob_request(request))
    body = b"".join(response.app_iter) if response.app_iter is not None else response.body
    return response, body


CASES = [(block_type, handler) for block_type, cls in block_classes().items() for handler in handlers_of(cls)]


def test_every_block_type_is_fuzzed():
    assert {b for b, _ in CASES} == {"sse_quiz", "sse_case_study", "sse_profile"}
    assert len(CASES) >= 20, CASES


# The user the LMS gives a request without a session on its unauthenticated handler address.
LMS_VISITOR = "LMS visitor"
NOT_SIGNED_IN = (ANONYMOUS, LMS_VISITOR)


@pytest.mark.parametrize("role", [LEARNER, OTHER, STAFF, ANONYMOUS, LMS_VISITOR],
                         ids=["learner", "other-learner", "staff", "anonymous", "lms-visitor"])
@pytest.mark.parametrize("block_type,handler", CASES, ids=[f"{b}.{h}" for b, h in CASES])
def test_fuzzed_handler_never_fails_and_refusals_change_nothing(world, block_type, handler, role, figures):
    if role == LMS_VISITOR:
        block = lms_users.bind(world.block(block_type, None), lms_users.anonymous())
    else:
        block = world.block(block_type, role)
    block.render("student_view")  # the user has opened the page (the workbench creates their state row)
    baseline = {"tables": table_snapshot()}

    # A caller without a learner id changes nothing, whatever it sends (fewer examples: most are 403s).
    examples = EXAMPLES if role not in NOT_SIGNED_IN else max(1, EXAMPLES // 6)

    json_handler = is_json_api(block_classes()[block_type], handler)
    as_json = st.one_of(bodies, near_valid(world), mutated(world, handler), mutated(world, handler),
                        mutated(world, handler)).map(lambda b: (*b, "application/json", False))

    @settings(max_examples=examples, deadline=None, derandomize=CI, database=None,
              suppress_health_check=list(HealthCheck))
    @given(body=st.one_of(as_json, as_json, typed_requests(world, handler)))
    def call(body):
        method, raw, content_type, not_json = body
        if content_type == "application/json":
            response, content = raw_call(block, handler, raw, method=method)
        else:
            answered = django_call(block, handler, raw, method, content_type)
            if answered is None:
                return
            response, content = answered
            figures.add("fuzz calls with other content types")
        figures.add("fuzz calls made")
        status = response.status_code
        assert status < 500, f"{status} from {handler} ({content_type!r}): {content[:300]!r}"
        if json_handler and not_json and method == "POST":
            assert status == 415, f"{handler} answered a {content_type!r} body with {status}: {content[:200]!r}"
        if role in NOT_SIGNED_IN and (not json_handler or (method == "POST" and content_type == "application/json")):
            assert status == 403, f"{handler} answered a caller who is not signed in: {status} {content[:200]!r}"
        after = table_snapshot()
        if status >= 400:
            assert response.content_type == "application/json", f"{status} is not JSON: {content[:200]!r}"
            data = json.loads(content)
            assert isinstance(data, dict) and isinstance(data.get("error"), str) and data["error"].strip(), data
            assert after == baseline["tables"], f"{handler} refused the call ({status}) but changed stored data"
        if role in NOT_SIGNED_IN:
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
