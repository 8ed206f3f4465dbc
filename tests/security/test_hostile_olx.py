"""Hostile OLX through each block's ``parse_xml``, as the runtime hands it a course's XML.

External entities (file and network), DTDs, billion laughs, 10 MB documents, 10,000-deep nesting,
unknown elements and wrong types: each is refused with an error that says what is wrong, nothing
is stored, nothing is fetched (a local HTTP server counts requests), in bounded time and memory.
"""

from __future__ import annotations

import http.server
import threading
import uuid

import pytest
from lxml import etree

from sse_academy_xblock.olx import OLXError

from .conftest import table_snapshot

MARKER = "SSE-SECRET-" + uuid.uuid4().hex
BODIES = {
    "sse_quiz": '<question id="q1" type="truefalse" answer="true"><prompt>Is it &e;?</prompt></question>',
    "sse_case_study": '<case><p>The case: &e;</p></case><prompt>Analyse.</prompt>',
    "sse_profile": '&e;',
}
WRONG_TYPES = {
    "sse_quiz": '<sse_quiz max_attempts="lots"/>',
    "sse_case_study": '<sse_case_study reviews_required="three"/>',
    "sse_profile": '<sse_profile scope="everywhere"/>',
}
LAUGHS = "".join(
    [f'<!ENTITY l0 "{"ha" * 5}">']
    + [f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)]
    + ['<!ENTITY e "&l9;&l9;">']
)


class Recorder(http.server.BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):  # noqa: N802 - the http.server interface
        Recorder.hits.append(self.path)
        body = f'<!ENTITY e "{MARKER}">'.encode() if self.path.endswith(".dtd") else MARKER.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def secret_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("olx") / "secret.txt"
    path.write_text(MARKER)
    return path


def hostile_documents(block_type: str, server: str, secret_file) -> dict[str, str]:
    body = BODIES[block_type]
    element = lambda inner: f'<{block_type} display_name="Hostile">{inner}</{block_type}>'  # noqa: E731
    text = "word " * (2 * 1024 * 1024 + 10)
    container = {"sse_quiz": '<question id="q" type="truefalse" answer="true"><prompt>{}</prompt></question>',
                 "sse_case_study": "<case>{}</case>", "sse_profile": "{}"}[block_type]
    return {
        "external file entity": f'<!DOCTYPE r [<!ENTITY e SYSTEM "file://{secret_file}">]>' + element(body),
        "external network entity": f'<!DOCTYPE r [<!ENTITY e SYSTEM "{server}/entity">]>' + element(body),
        "external DTD": f'<!DOCTYPE {block_type} SYSTEM "{server}/schema.dtd">' + element(body),
        "parameter entity": f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{server}/p.dtd"> %p;]>' + element(body),
        "internal entity (DTD)": f'<!DOCTYPE r [<!ENTITY e "{MARKER}">]>' + element(body),
        "billion laughs": f"<!DOCTYPE r [{LAUGHS}]>" + element(body),
        "xinclude": element(f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://{secret_file}" parse="text"/>'),
        "10 MB text": element(container.format(text)),
        "10 MB of elements": element(container.format("<p>x</p>" * (1300 * 1024))),
        "10,000-deep nesting": element(container.format("<b>" * 10000 + "x" + "</b>" * 10000)),
        "unknown element": element("<blink>hello</blink>"),
        "wrong types": WRONG_TYPES[block_type],
    }


CASES = [(b, name) for b in BODIES for name in hostile_documents(b, "http://x", "/x")]


@pytest.mark.parametrize("block_type,name", CASES, ids=[f"{b}-{n}" for b, n in CASES])
def test_hostile_olx_is_refused(block_type, name, server, secret_file, make_block, figures):
    from workbench.runtime import ID_MANAGER, WorkbenchRuntime

    xml = hostile_documents(block_type, server, secret_file)[name]
    before = table_snapshot()
    Recorder.hits.clear()
    ID_MANAGER.set_scenario(f"hostile-{uuid.uuid4().hex[:10]}")
    with pytest.raises((OLXError, etree.XMLSyntaxError)) as refused:
        WorkbenchRuntime("staff").parse_xml_string(xml)
    figures.add("hostile OLX documents refused")

    message = str(refused.value)
    assert message.strip(), "the refusal must say what is wrong"
    if isinstance(refused.value, OLXError) and name not in ("wrong types",):
        assert message.startswith("<"), f"the error should name the element: {message}"
    assert MARKER not in message
    assert Recorder.hits == [], f"fetched during import: {Recorder.hits}"
    assert table_snapshot() == before, "something was stored from a refused document"


MEMORY_PROBE = """
import json, os, resource, sys
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "sse_academy_xblock.settings.test"
django.setup()
from workbench.runtime import ID_MANAGER, WorkbenchRuntime
documents = json.loads(sys.stdin.read())
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
refused = 0
for index, xml in enumerate(documents):
    ID_MANAGER.set_scenario(f"memory-{index}")
    try:
        WorkbenchRuntime("staff").parse_xml_string(xml)
    except Exception:
        refused += 1
print(json.dumps({"refused": refused, "grown_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before}))
"""


def test_entity_expansion_attacks_stay_within_bounded_memory(server, secret_file):
    """In a fresh process (so that the peak is theirs): billion laughs and entities grow memory by < 50 MB."""
    import json
    import subprocess
    import sys

    names = ("billion laughs", "internal entity (DTD)", "external file entity", "parameter entity",
             "external network entity")
    documents = [hostile_documents(b, server, secret_file)[n] for b in BODIES for n in names]
    Recorder.hits.clear()
    result = subprocess.run([sys.executable, "-c", MEMORY_PROBE], input=json.dumps(documents), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["refused"] == len(documents)
    assert outcome["grown_kb"] < 50 * 1024, f"memory grew by {outcome['grown_kb'] // 1024} MB"
    assert Recorder.hits == []


def test_the_same_documents_through_the_blocks_own_string_parser(server, secret_file):
    """``parse_string`` (used for OLX outside a runtime) refuses them too, before parsing anything."""
    from sse_academy_xblock.olx import parse_string

    for block_type in BODIES:
        for name, xml in hostile_documents(block_type, server, secret_file).items():
            if name in ("unknown element", "wrong types", "xinclude"):
                continue  # well-formed XML: the blocks' parse_xml refuses these (above)
            Recorder.hits.clear()
            with pytest.raises(OLXError) as refused:
                parse_string(xml)
            assert str(refused.value) and MARKER not in str(refused.value)
            assert Recorder.hits == []
