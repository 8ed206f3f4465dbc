"""Bodies that are not JSON, sent to every JSON handler of every block: a JSON 4xx, and nothing read or written.

A page on another site can make a signed-in learner's browser send a form (``application/x-www-form-urlencoded``,
``multipart/form-data``) or ``text/plain`` to a handler address without asking the site first; only a body
declared ``application/json`` needs the site's consent (a CORS preflight). So every JSON handler takes
``application/json`` alone (415 otherwise), before it reads the body or looks at who asks. And a body the web
framework has already read (Django parses a form body into ``request.POST`` when its CSRF check or the LMS's
file check looks at the request) is a JSON 4xx, never a 500.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from sse_academy_xblock import json_input
from sse_academy_xblock.refusals import Refusal

from .conftest import LEARNER, STAFF, block_classes, handlers_of, is_json_api, raw_call, table_snapshot
from .test_permissions import body_for

BOUNDARY = "sseBoundary7MA4YWxkTrZu0gW"


def multipart(fields: dict) -> bytes:
    lines = []
    for name, value in fields.items():
        lines += [f"--{BOUNDARY}", f'Content-Disposition: form-data; name="{name}"', "", str(value)]
    return ("\r\n".join([*lines, f"--{BOUNDARY}--", ""])).encode()


def form(fields: dict) -> bytes:
    from urllib.parse import urlencode

    return urlencode({k: json.dumps(v) for k, v in fields.items()}).encode()


# (name, Content-Type or None for none at all, body built from the handler's valid JSON body)
KINDS = [
    ("form", "application/x-www-form-urlencoded", form),
    ("multipart", f"multipart/form-data; boundary={BOUNDARY}", lambda body: multipart({"payload": json.dumps(body)})),
    ("text", "text/plain", lambda body: json.dumps(body).encode()),
    ("text utf-8", "text/plain;charset=UTF-8", lambda body: json.dumps(body).encode()),
    ("none", None, lambda body: json.dumps(body).encode()),
    ("json in latin-1", "application/json; charset=iso-8859-1", lambda body: json.dumps(body).encode()),
    ("json suffix", "application/vnd.api+json", lambda body: json.dumps(body).encode()),
]

JSON_CASES = [(block_type, handler) for block_type, cls in block_classes().items() for handler in handlers_of(cls)
              if is_json_api(cls, handler)]


def test_the_blocks_have_33_json_handlers():
    assert len(JSON_CASES) == 33, JSON_CASES


@pytest.mark.parametrize("value", [
    "application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8",
    'application/json; charset="utf-8"', "application/json;",
])
def test_json_is_application_json_with_at_most_a_utf8_charset(value):
    json_input.check_content_type(value)


@pytest.mark.parametrize("value", [
    None, "", " ", "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
    f"multipart/form-data; boundary={BOUNDARY}", "application/json; charset=latin-1", "application/jsonp",
    "application/vnd.api+json", "application/json-seq", "application/json, text/plain", "application/json; x=1",
    "text/json", "application/*", "*/*",
])
def test_any_other_content_type_is_refused_with_415(value):
    with pytest.raises(Refusal) as err:
        json_input.check_content_type(value)
    assert err.value.status == 415 and err.value.message


@pytest.mark.parametrize("block_type,handler", JSON_CASES, ids=[f"{b}.{h}" for b, h in JSON_CASES])
def test_every_json_handler_refuses_a_body_that_is_not_json(world, block_type, handler, figures):
    """The body is one the handler accepts as JSON, declared (or encoded) as something else."""
    body = body_for(world, block_type, handler)
    for user in (LEARNER, STAFF):
        block = world.block(block_type, user)
        block.render("student_view")
        before = table_snapshot()
        for kind, content_type, encode in KINDS:
            response, content = raw_call(block, handler, encode(body), content_type=content_type)
            where = f"{block_type}.{handler} as {user}, {kind} body"
            assert response.status_code == 415, f"{where}: {response.status_code} {content[:200]!r}"
            assert response.content_type == "application/json", where
            assert json.loads(content)["error"].strip(), where
            assert table_snapshot() == before, f"{where} was refused but changed stored data"
            figures.add("bodies of other content types refused")


def test_a_refused_content_type_is_told_in_the_learners_language(world):
    from django.utils import translation

    block = world.block("sse_quiz", LEARNER)
    with translation.override("fr"):
        response, content = raw_call(block, "submit", b'{"attempt": 2, "answers": {}}', content_type="text/plain")
    assert response.status_code == 415
    error = json.loads(content)["error"]
    assert error != json_input.NOT_JSON_TYPE and "JSON" in error


# --- a body the framework has already read ------------------------------------------------------


def django_request(body: bytes, content_type: str):
    from django.test import RequestFactory

    return RequestFactory().generic("POST", "/handler/", data=body, content_type=content_type)


@pytest.mark.parametrize("block_type,handler", JSON_CASES, ids=[f"{b}.{h}" for b, h in JSON_CASES])
def test_a_body_already_read_by_the_framework_is_a_json_4xx(world, block_type, handler):
    """Django's request stream, read before the handler (by a middleware, say): ``request.body`` raises."""
    from xblock.django.request import django_to_webob_request

    body = json.dumps(body_for(world, block_type, handler)).encode()
    for user in (LEARNER, STAFF):
        block = world.block(block_type, user)
        before = table_snapshot()
        request = django_request(body, "application/json")
        request.read()  # the stream is consumed; Django's request.body now raises RawPostDataException
        response = block.handle(handler, django_to_webob_request(request))
        assert 400 <= response.status_code < 500, (block_type, handler, user, response.status_code)
        assert response.content_type == "application/json"
        assert json.loads(response.body)["error"].strip()
        assert table_snapshot() == before


# --- through the workbench's HTTP stack ---------------------------------------------------------


@pytest.fixture
def workbench_blocks(db):
    """Each block type's usage id in the workbench's scenarios, as ``make run`` serves them."""
    from workbench.runtime import WorkbenchRuntime
    from workbench.scenarios import SCENARIOS, init_scenarios

    init_scenarios()
    runtime = WorkbenchRuntime("student_1")
    found = {}

    def walk(usage_id):
        block = runtime.get_block(usage_id)
        found.setdefault(block.scope_ids.block_type, usage_id)
        for child in getattr(block, "children", None) or []:
            walk(child)

    for name, scenario in SCENARIOS.items():
        if name.startswith("sse_"):
            walk(scenario.usage_id)
    return found


@pytest.mark.parametrize("student", ["student_1", "staff"])
def test_a_multipart_post_through_the_workbench_gets_a_json_4xx(workbench_blocks, student):
    """Through Django's middleware (its CSRF check reads a form body into request.POST) and the workbench's view.

    Before the handlers checked the content type, every JSON handler answered a multipart body with a 500.
    """
    client = Client(enforce_csrf_checks=True)
    client.get(f"/scenario/sse_quiz.0/?student={student}")
    token = client.cookies["csrftoken"].value
    before = table_snapshot()
    checked = 0
    for block_type, cls in block_classes().items():
        usage = workbench_blocks[block_type]
        for handler in handlers_of(cls):
            if not is_json_api(cls, handler):
                continue
            for data, content_type in (({"attempt": "1", "text": "a response"}, None),
                                       ("attempt=1&text=x", "application/x-www-form-urlencoded"),
                                       ('{"attempt": 1}', "text/plain")):
                extra = {"content_type": content_type} if content_type else {}
                response = client.post(f"/handler/{usage}/{handler}/?student={student}", data=data,
                                       HTTP_X_CSRFTOKEN=token, **extra)
                where = f"{block_type}.{handler} as {student}, {content_type or 'multipart'}"
                assert response.status_code == 415, f"{where}: {response.status_code} {response.content[:200]!r}"
                assert response["Content-Type"].startswith("application/json"), where
                assert json.loads(response.content)["error"].strip(), where
                checked += 1
    assert checked == 33 * 3
    assert table_snapshot() == before


def many_parts(count: int, files: bool = False) -> bytes:
    part = ('--{b}\r\nContent-Disposition: form-data; name="f{i}"' + ('; filename="f{i}.txt"\r\nContent-Type: text/plain'
                                                                   if files else "") + "\r\n\r\n1\r\n")
    return ("".join(part.format(b=BOUNDARY, i=i) for i in range(count)) + f"--{BOUNDARY}--\r\n").encode()


# Form bodies Django refuses to parse (an HTML 400 from its CSRF check, before any block could answer).
UNPARSABLE_FORMS = [
    ("multipart without a boundary", "multipart/form-data", b"a=1"),
    ("multipart with an invalid boundary", "multipart/form-data; boundary=\"\"", b"--\r\n"),
    ("more fields than Django takes", "application/x-www-form-urlencoded",
     "&".join(f"f{i}=1" for i in range(1200)).encode()),
    ("more parts than Django takes", f"multipart/form-data; boundary={BOUNDARY}", many_parts(1200)),
    ("more files than Django takes", f"multipart/form-data; boundary={BOUNDARY}", many_parts(120, files=True)),
]


@pytest.mark.parametrize("name,content_type,body", UNPARSABLE_FORMS, ids=[n for n, _c, _b in UNPARSABLE_FORMS])
def test_a_form_body_django_cannot_parse_gets_the_blocks_json_415_in_the_workbench(workbench_blocks, name,
                                                                                  content_type, body):
    """Before the workbench answered form bodies on handler addresses itself, these were Django's HTML 400 page."""
    client = Client(enforce_csrf_checks=True)
    client.get("/scenario/sse_quiz.0/?student=student_1")
    token = client.cookies["csrftoken"].value
    before = table_snapshot()
    for block_type, cls in block_classes().items():
        for handler in handlers_of(cls):
            if not is_json_api(cls, handler):
                continue
            for route in (f"/handler/{workbench_blocks[block_type]}/{handler}/?student=student_1",
                          f"/unauth_handler/{workbench_blocks[block_type]}/{handler}/"):
                response = client.generic("POST", route, data=body, content_type=content_type, HTTP_X_CSRFTOKEN=token)
                where = f"{name} to {route}"
                assert response.status_code == 415, f"{where}: {response.status_code} {response.content[:120]!r}"
                assert response["Content-Type"].startswith("application/json"), where
                assert json.loads(response.content)["error"].strip(), where
    assert table_snapshot() == before


def test_the_workbench_answers_a_form_body_in_the_language_of_the_page(workbench_blocks):
    from django.utils import translation

    client = Client(enforce_csrf_checks=True)
    usage = workbench_blocks["sse_quiz"]
    with translation.override(translation.get_language()):  # the requests run in this thread: keep its language
        client.get("/scenario/sse_quiz.0/?student=student_1&lang=es")
        response = client.generic("POST", f"/handler/{usage}/submit/?student=student_1", data=b"a=1",
                                  content_type="multipart/form-data")
    assert response.status_code == 415
    assert json.loads(response.content)["error"] == "La solicitud debe enviarse en JSON (Content-Type: application/json)."
