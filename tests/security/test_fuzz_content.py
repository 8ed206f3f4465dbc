"""Fuzzing of what learners and authors write, read back where it once went wrong: staff CSVs in
spreadsheets of every locale, the editors' markup (links, time) and the word count.

The strategies (``hostile_content``): formulas behind spaces, line breaks, quotes and invisible
characters or after a ``;``; link addresses with stars, parentheses, spaces, other schemes and
attributes; short units of markup repeated into long texts; every Unicode space and invisible character.
``SSE_FUZZ_EXAMPLES`` (300) sets the examples of the fast properties; those that call handlers or time
conversions run fewer. With ``CI=true`` the examples are derandomised.
"""

from __future__ import annotations

import itertools
import os
import re
import sys
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from sse_academy_xblock import markup
from sse_academy_xblock.peer.workflow import word_count
from sse_academy_xblock.sanitize import clean_author_html, csv_line
from markup_corpus import PLAIN, conversion_seconds, sized
from spreadsheets import formulas, read_back, shown

from .conftest import STAFF, json_call, open_as, raw_call
from .hostile_content import (
    csv_cell, exotic_text, formula, markup_address, markup_text, markup_unit, semicolon_cell, stored_html,
)

EXAMPLES = int(os.environ.get("SSE_FUZZ_EXAMPLES", "300"))
CI = os.environ.get("CI", "") not in ("", "0", "false")


def fuzz(examples: int):
    return settings(max_examples=max(1, examples), deadline=None, derandomize=CI, database=None,
                    suppress_health_check=list(HealthCheck))


# --- spreadsheets ----------------------------------------------------------------------------------


# Every export starts its rows with text (an id, a name, a label): a spreadsheet that splits on ";" reads a
# whole line written with "," as one cell starting with the first.
rows_of_cells = st.lists(st.tuples(csv_cell.filter(lambda c: not isinstance(c, (int, float))),
                                   st.lists(csv_cell, max_size=5)).map(lambda t: [t[0], *t[1]]),
                         min_size=1, max_size=4)


@fuzz(EXAMPLES)
@given(rows=rows_of_cells)
def test_fuzzed_cells_never_run_as_formulas_and_read_back_whole(rows):
    text = "".join(csv_line(row) for row in rows)
    assert formulas(text) == []
    back = read_back(text, ",")
    assert len(back) == len(rows)
    for written, read in zip(rows, back):
        assert len(read) == len(written)
        for value, cell in zip(written, read):
            if value is None:
                assert cell == ""
            elif isinstance(value, (int, float)):
                assert float(cell) == value, "a number is written as a number"
            else:
                assert shown(cell) == shown(value)


QUIZ = """<sse_quiz display_name="Fuzzed" dimension="employment" max_attempts="0">
  <question id="q1" type="single"><prompt>Which?</prompt>
    <choice id="a" correct="true">A</choice><choice id="b">B</choice></question>
</sse_quiz>"""


def test_fuzzed_learner_ids_and_option_texts_reach_the_quiz_exports_as_text(make_block, figures):
    """Learners with hostile ids answer; the author saves hostile option texts; both downloads stay text."""
    block = make_block(QUIZ, user=STAFF)
    usage = block.scope_ids.usage_id
    counter = itertools.count()

    @fuzz(EXAMPLES // 6)
    @given(learner=formula | semicolon_cell, option=formula | semicolon_cell)
    def call(learner, option):
        learner_id = f"{learner[:120]}~{next(counter)}"
        status, reply = json_call(open_as(usage, learner_id), "submit", {"attempt": 1, "answers": {"q1": "b"}})
        assert status == 200, reply
        editor = open_as(usage, STAFF)
        questions = [{**q, "choices": [{**q["choices"][0]}, {**q["choices"][1], "text": option}]}
                     for q in editor.questions]
        body = {**editor.quiz_settings(), "pass_mark": "50", "weight": "", "questions": questions}
        status, _reply = json_call(editor, "studio_submit", body)
        assert status in (200, 400)
        for handler in ("staff_csv", "staff_items_csv"):
            response, content = raw_call(open_as(usage, STAFF), handler, b"", method="GET")
            assert response.status_code == 200
            assert formulas(content.decode("utf-8")) == [], handler
        figures.add("fuzz calls made", 4)

    call()


# --- the editors' markup ---------------------------------------------------------------------------

SIZE = 64 * 1024
RATIO = 10


def test_fuzzed_markup_converts_in_proportion_to_its_size():
    """Any short unit repeated to 64 KB converts within a few times an ordinary prompt of that size."""
    plain = max(conversion_seconds(sized(PLAIN, SIZE), runs=2), 0.001)

    @fuzz(min(EXAMPLES // 10, 40))
    @given(unit=markup_unit)
    def convert(unit):
        assert conversion_seconds(sized(unit, SIZE), runs=2) <= RATIO * plain, unit

    convert()


emphasis = st.lists(st.sampled_from(["*a*", "**b**", "*", "**", "_c_", "x", "é", ";"]), max_size=4).map(" ".join)
label = st.lists(st.sampled_from(["x", "*y*", "**z**", "é", "1"]), min_size=1, max_size=3).map(" ".join)


@fuzz(EXAMPLES)
@given(before=emphasis, text=label, address=markup_address, after=emphasis)
def test_fuzzed_links_keep_their_address(before, text, address, after):
    html = markup.to_html(f"{before} [{text}]({address}) {after}")
    hrefs = [a.get("href") for a in lxml_html.fragment_fromstring(html, create_parent="div").iter("a")]
    assert hrefs == [address], html


def _same_tags(value: str) -> str:
    return re.sub(r"<(/?)b>", r"<\1strong>", re.sub(r"<(/?)i>", r"<\1em>", value))


@fuzz(EXAMPLES)
@given(html=stored_html())
def test_fuzzed_stored_html_survives_an_unchanged_save(html):
    """What the editor shows for stored HTML, saved unchanged, stores the same HTML (``<i>`` and ``<b>``
    may come back as ``<em>`` and ``<strong>``)."""
    stored = clean_author_html(html)
    saved = markup.to_html(markup.from_html(stored))
    assert saved in (stored, _same_tags(stored)), (stored, markup.from_html(stored))
    if stored.startswith("<p>") and stored.count("<p>") == 1 and stored.endswith("</p>"):
        choice = stored[3:-4]  # a choice is stored without its paragraph
        assert markup.to_inline_html(markup.from_html(choice)) in (choice, _same_tags(choice))


@fuzz(EXAMPLES)
@given(text=markup_text)
def test_fuzzed_markup_saved_twice_is_saved_once(text):
    """Markup (or HTML) an author types, opened again in the editor and saved, reads the same."""
    first = markup.to_html(text)
    again = markup.to_html(markup.from_html(first))
    assert markup._shape(again) == markup._shape(first), (first, markup.from_html(first), again)  # noqa: SLF001


# --- the word count --------------------------------------------------------------------------------

# ECMAScript's WhiteSpace and LineTerminator, and the zero-width spaces.
BROWSER_SPACES = set("\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff") | {
    chr(c) for c in range(0x2000, 0x200B)}
SPACES = BROWSER_SPACES | {c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()} | set("\u180e\u200b\u2060")


def words_seen(text: str) -> int:
    """Words as a reader counts them: split wherever Python or a browser sees a space, ignoring runs of
    invisible characters only."""
    runs = re.split("[" + re.escape("".join(sorted(SPACES))) + "]+", text)
    return sum(1 for run in runs if any(unicodedata.category(c) != "Cf" for c in run))


@fuzz(EXAMPLES)
@given(text=exotic_text)
def test_fuzzed_word_count_sees_the_spaces_of_python_and_of_browsers(text):
    assert word_count(text) == words_seen(text)


def test_fuzzed_responses_are_counted_as_the_page_counts_them(make_block, figures):
    """Submitted responses of exotic whitespace: the server keeps the count the rule gives, or refuses
    with that count."""
    counter = itertools.count()
    block = make_block('<sse_case_study min_words="3" max_words="6"><prompt>Write.</prompt></sse_case_study>',
                       user=STAFF)
    usage = block.scope_ids.usage_id

    @fuzz(EXAMPLES // 6)
    @given(text=exotic_text)
    def call(text):
        status, reply = json_call(open_as(usage, f"writer-{next(counter)}"), "submit_response", {"text": text})
        figures.add("fuzz calls made")
        count = words_seen(text.replace("\r\n", "\n"))
        if status == 200:
            assert 3 <= count <= 6 and reply["state"]["response"]["words"] == count, reply
        else:
            assert status == 400 and reply["error"], reply
            if text.strip() and not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text):
                assert not 3 <= count <= 6, (count, reply)

    call()
