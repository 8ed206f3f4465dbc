"""Every page in French and Spanish, with no English from our catalogs' sources.

The workbench serves every scenario of the three blocks as a learner, as staff and in the editor, and its
index; each page is read as a reader meets it: its text, the attributes read aloud or shown (labels,
titles, placeholders), and the strings its scripts will show (the JSON the server gives them). The English
to look for is the catalogs' own list of sources: every ``msgid`` (and ``msgid_plural``) whose translation
differs from it (a word that is the same in both languages is no finding), matched as the text the code
makes from it (a placeholder stands for any text). Author text is not ours to translate: what is marked
with another ``lang``, what other blocks of the page show (the SDK's HTML blocks of the curriculum), and
any text the scenarios' OLX holds (a title, a choice that happens to read "Employment").
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from babel.messages.pofile import read_po
from django.test import Client

from sse_academy_xblock.i18n_tools import catalog_path

pytestmark = pytest.mark.django_db

LANGUAGES = ("fr", "es")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{[^}]*\}\}|\{\w+\}")
# Attributes whose value a reader sees or hears.
READ_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "aria-description")
# Elements whose content is never read as text.
SILENT = {"style", "noscript"}
CODE = re.compile(r"[a-z][a-z0-9_]*")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class English:
    """The English sources of one catalog, each as a pattern of the text it makes."""

    def __init__(self, lang: str):
        with open(catalog_path(lang), "rb") as handle:
            catalog = read_po(handle, locale=lang, domain="text")
        self.patterns: list[tuple[str, re.Pattern]] = []
        for message in catalog:
            if not message.id:
                continue
            sources = message.id if isinstance(message.id, tuple) else (message.id,)
            targets = message.string if isinstance(message.string, tuple) else (message.string,)
            for source in sources:
                literal = PLACEHOLDER.sub("", source)
                # Nothing to find in a message that is all placeholders and punctuation, or one the
                # language writes the same way ("Page %(page)s", "Alpha").
                if len(re.findall(r"[A-Za-z]", literal)) < 4 or source in targets:
                    continue
                parts = [re.escape(part) for part in PLACEHOLDER.split(source)]
                self.patterns.append((source, re.compile(r"\s*" + r".+?".join(parts) + r"\s*", re.S)))

    def found_in(self, text: str) -> list[str]:
        text = " ".join(text.split())
        if not re.search(r"[A-Za-z]{2}", text):
            return []
        return [source for source, pattern in self.patterns if pattern.fullmatch(text)]


class PageText(HTMLParser):
    """The pieces of text of a page a reader meets, outside author text in another language."""

    def __init__(self, lang: str):
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self.stack: list[tuple[str, bool, bool]] = []   # (tag, foreign, init script)
        self.pieces: list[str] = []

    @property
    def foreign(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = (attrs.get("lang") or "").split("-")[0]
        block_type = attrs.get("data-block-type")
        foreign = self.foreign if block_type is None else not block_type.startswith("sse_")
        foreign = foreign or bool(lang and lang != self.lang)
        if not foreign:
            self.pieces += [attrs[name] for name in READ_ATTRIBUTES if attrs.get(name)]
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.pieces.append(attrs["value"])
        if tag in VOID:
            return
        script = tag == "script" and "sse-init" in (attrs.get("class") or "")
        self.stack.append((tag, foreign, script))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not self.stack:
            self.pieces.append(data)
            return
        tag, foreign, script = self.stack[-1]
        if script:
            self.pieces += list(strings_in(json.loads(data)))
        elif tag not in SILENT and tag != "script" and not foreign:
            self.pieces.append(data)


def strings_in(value):
    """The strings of a JSON value (the server's data for a block's script), at any depth."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def normal(text: str) -> str:
    return " ".join(text.split())


@lru_cache(maxsize=1)
def author_text() -> frozenset[str]:
    """Every scenario's name and every text and attribute value of its OLX: what authors wrote."""
    from xblock.core import XBlock

    from sse_academy_xblock.settings.workbench import OUR_BLOCKS

    found = set()
    for name, cls in XBlock.load_classes():
        if name in OUR_BLOCKS:
            for title, xml in cls.workbench_scenarios():
                found.add(normal(title))  # a page's name, in its content's language ("... [fr]")
                for node in ElementTree.fromstring(xml).iter():
                    found.update(normal(value) for value in (node.text, node.tail, *node.attrib.values()) if value)
    return frozenset(found)


def english_on(html: str, lang: str, english: English, authored=frozenset()) -> dict[str, list[str]]:
    parser = PageText(lang)
    parser.feed(html)
    found = {}
    for piece in parser.pieces:
        if normal(piece) in authored:
            continue
        hits = english.found_in(piece)
        if hits:
            found[" ".join(piece.split())[:120]] = hits
    return found


@pytest.fixture(scope="module")
def sources():
    return {lang: English(lang) for lang in LANGUAGES}


@pytest.fixture
def client(db):
    """The workbench's pages; ``?lang=`` activates its language in this thread (as the workbench's middleware
    does for a request), so the language is put back for the tests that follow."""
    from django.utils import translation
    from workbench.scenarios import init_scenarios

    init_scenarios()
    yield Client()
    translation.deactivate()


def scenario_paths(client) -> list[str]:
    index = client.get("/?lang=en").content.decode()
    return sorted(set(re.findall(r'href="(/scenario/[^"?#]+)', index)))


def test_the_sweep_finds_english_where_it_is_left():
    """The finder itself: an untranslated message is found, a translated one and English author text are not."""
    english = English("fr")
    page = ('<p>Show</p><p lang="en">Submit your response</p><p>Soumettre votre réponse</p>'
            '<div data-block-type="html_demo"><p>Criterion</p></div>'
            '<button aria-label="Next page">→</button>'
            '<script class="sse-init" type="application/json">{"a": {"b": ["%(count)s of %(max)s characters: too '
            'long, shorten your comment."]}}</script><p>Your score: 3 of 4. Passed.</p>')
    found = english_on(page, "fr", english)
    assert set(found) == {"Show", "Next page", "%(count)s of %(max)s characters: too long, shorten your comment.",
                          "Your score: 3 of 4. Passed."}
    assert "Your score: %(score)s." in found["Your score: 3 of 4. Passed."]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_reads_in_the_pages_language(client, sources, lang):
    paths = scenario_paths(client)
    assert len(paths) >= 10, paths
    pages = {"/": client.get(f"/?lang={lang}").content.decode()}
    for path in paths:
        base = path if path.endswith("/") else path + "/"
        for address in (f"{base}?student=sweep_learner", f"{base}?student=staff", f"{base}studio_view/?student=staff"):
            # A curriculum page asked in another language leads to that language's page (a redirect).
            response = client.get(f"{address}&lang={lang}", follow=True)
            assert response.status_code == 200, address
            pages[address] = response.content.decode()
    authored = author_text()
    found = {address: hits for address, html in pages.items()
             if (hits := english_on(html, lang, sources[lang], authored))}
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


# A unit with the three blocks and no title of the author's: the titles are the blocks' own defaults.
UNIT = """<vertical_demo>
  <sse_quiz dimension="employment" max_attempts="0" show_answer="always" pass_mark="60">
    <question id="q1" type="single" points="2"><prompt>Pick a.</prompt>
      <choice id="a" correct="true">A<feedback>Yes.</feedback></choice><choice id="b">B</choice></question>
    <question id="q2" type="numeric" answer="1895"><prompt>Year?</prompt></question>
  </sse_quiz>
  <sse_case_study reviews_required="1" reviews_to_give="1" min_words="2">
    <prompt>Write.</prompt>
    <rubric><criterion name="c" label="C"><option points="0" label="No">n</option>
      <option points="4" label="Yes">y</option></criterion></rubric>
  </sse_case_study>
  <sse_profile/>
</vertical_demo>"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_state_and_handler_reply_reads_in_the_pages_language(make_block, call, sources, lang):
    """A quiz after a submission, a case study graded by two peers, the staff panels and their handlers'
    replies, and the blocks' default titles, in the page's language."""
    from django.utils import translation

    from factories import graded_pair_by_handlers

    with translation.override(lang):
        root = make_block(UNIT, user="ana")
        quiz_id, case_id, profile_id = root.children
        blocks = {user: make_block.as_user(root, user) for user in ("ana", "ben", "staff")}

        def block(user, usage):
            return blocks[user].runtime.get_block(usage)

        replies = [call(block("ana", quiz_id), "submit", {"attempt": 1, "answers": {"q1": "b", "q2": "1,895"}}),
                   call(block("ana", quiz_id), "submit", {"attempt": 1, "answers": {"q1": "b", "q2": "1895"}})]
        graded_pair_by_handlers(call, block("ana", case_id), block("ben", case_id),
                                ("Ana writes about the cooperative.", "Ben writes about the mutual."),
                                ({"options": {"c": 1}, "overall": "Good."}, {"options": {"c": 0}, "overall": "Short."}))
        case_staff = block("staff", case_id)
        listed = call(case_staff, "staff_list", {})
        replies += [listed, call(case_staff, "staff_agreement", {}),
                    call(case_staff, "staff_submission", {"submission": listed[1]["rows"][0]["id"]}),
                    call(case_staff, "staff_grade", {"submission": listed[1]["rows"][0]["id"], "points": 99,
                                                     "reason": "x"}),
                    call(block("staff", quiz_id), "staff_items", {}),
                    call(block("staff", profile_id), "staff_learners", {}),
                    call(block("ana", case_id), "submit_response", {"text": ""})]
        pages = {f"{user} {view}": make_block.as_user(root, user).render(view, {}).body_html()
                 for user in ("ana", "staff") for view in ("student_view",)}
        pages.update({f"staff studio_view {usage}": block("staff", usage).render("studio_view", {}).body_html()
                      for usage in root.children})
    # Each state was reached: a refusal (the ambiguous "1,895", a grade over the best total, an empty response),
    # a graded case study, the pages in the language.
    assert [status for status, _reply in replies] == [400, 200, 200, 200, 200, 400, 200, 200, 400], replies
    assert listed[1]["rows"][0]["final_points"] is not None
    assert {"fr": "Votre profil", "es": "Su perfil"}[lang] in pages["ana student_view"]
    found = {name: hits for name, html in pages.items() if (hits := english_on(html, lang, sources[lang]))}
    for index, (_status, reply) in enumerate(replies):
        # A reply also carries codes ("correct", "graded"): machine words, never shown as they are.
        pieces = [piece for piece in strings_in(reply) if not CODE.fullmatch(piece)]
        hits = {piece[:120]: sources[lang].found_in(piece) for piece in pieces if sources[lang].found_in(piece)}
        if hits:
            found[f"reply {index}"] = hits
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)
