"""The word count a learner reads under the response box is the server's, for text with every Unicode space
and invisible character (the server refuses a submission by its own count)."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sse_academy_xblock.peer.workflow import word_count

pytestmark = pytest.mark.browser

SCENARIO = "sse_case_study.0"
EXOTIC = sorted({chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF
                 and (chr(c).isspace() or unicodedata.category(chr(c)) == "Cf")}
                | set("\u180e\u200b\u2060\ufeff\u3164\u2800"))
SAMPLES = [sample for char in EXOTIC
           for sample in (f"a{char}b", char, f"a {char} b", f"{char}one{char}{char}two{char}", f"x{char}\n{char}y")]

# Types each text into the response box (an input event, as typing does) and reads the count shown.
COUNT_SHOWN = """([texts]) => {
    const box = document.querySelector('.sse-case-study textarea');
    const shown = document.querySelector('.sse-case-study .sse-cs-words');
    return texts.map((text) => {
        box.value = text;
        box.dispatchEvent(new Event('input', {bubbles: true}));
        return shown.textContent;
    });
}"""


def open_writing(page, workbench_url):
    page.goto(f"{workbench_url}/scenario/{SCENARIO}/?student=words_{uuid.uuid4().hex[:8]}")
    page.locator(".sse-case-study textarea").wait_for()
    # No draft is saved while the texts are typed: the count is all this test reads.
    page.route("**/save_draft/**", lambda route: route.fulfill(status=200, content_type="application/json",
                                                             body=json.dumps({"saved": True})))


def counts_shown(page, texts) -> list[int]:
    return [int(re.match(r"\d+", shown).group()) for shown in page.evaluate(COUNT_SHOWN, [texts])]


def test_the_page_counts_as_the_server_for_every_space_and_invisible_character(workbench_url, page):
    open_writing(page, workbench_url)
    shown = counts_shown(page, SAMPLES)
    differ = [(text, count, word_count(text)) for text, count in zip(SAMPLES, shown) if count != word_count(text)]
    assert differ == [], [(" ".join(f"U+{ord(c):04X}" for c in text), page_n, server_n)
                          for text, page_n, server_n in differ[:20]]
    assert page.js_errors == []


def test_the_page_counts_as_the_server_for_generated_text(workbench_url, page):
    open_writing(page, workbench_url)
    texts = st.text(alphabet=st.sampled_from(EXOTIC + list("ab \n\U0001f600\u00e9")), max_size=40)

    @settings(max_examples=50, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(batch=st.lists(texts, min_size=20, max_size=20))
    def compare(batch):
        assert counts_shown(page, batch) == [word_count(text) for text in batch]

    compare()
