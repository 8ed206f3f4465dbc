"""Everything learners, authors and instructors see exists in English, French and Spanish."""

from __future__ import annotations

import gettext
import io
import re

import pytest
from babel.messages.mofile import write_mo
from django.utils import translation

from sse_academy_xblock import i18n_tools
from sse_academy_xblock.i18n import BlockTranslator
from sse_academy_xblock.refusals import Phrase, Refusal

LANGS = i18n_tools.LANGUAGES
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")

OURS = BlockTranslator()  # what a block translates with outside a runtime: our own catalogs


@pytest.fixture(scope="module")
def source_messages():
    return i18n_tools.extract_messages()


def _strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (tuple, list)) else [message.string]


def _msgid(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


@pytest.mark.parametrize("lang", LANGS)
def test_every_source_string_is_translated(lang, source_messages):
    catalog = i18n_tools.read_catalog(lang)
    translated = {_msgid(m): m for m in catalog if m.id}
    missing = [msgid for msgid in source_messages if msgid not in translated or not all(_strings(translated[msgid]))]
    assert not missing, f"{len(missing)} strings lack a {lang} translation (make translations), e.g. {missing[:5]}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_catalogs_hold_no_string_the_source_no_longer_uses(lang, source_messages):
    """A message removed from the code leaves the catalogs too (``i18n_tools extract``, then ``compile``)."""
    stale = [_msgid(m) for m in i18n_tools.read_catalog(lang) if m.id and _msgid(m) not in source_messages]
    assert not stale, f"{lang} catalog keeps strings the source no longer has: {stale[:5]}"


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_their_placeholders(lang):
    for message in i18n_tools.read_catalog(lang):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        expected = set().union(*(set(PLACEHOLDER.findall(i)) for i in ids))
        for text in _strings(message):
            assert set(PLACEHOLDER.findall(text)) <= expected, (lang, message.id, text)
            if set(PLACEHOLDER.findall(ids[0])):
                assert set(PLACEHOLDER.findall(text)) >= set(PLACEHOLDER.findall(ids[0])) - {"count", "n"}, (
                    lang, message.id, text)


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang in ("fr", "es")])
def test_a_percent_written_in_a_translation_is_spaced_as_numbers_are(lang):
    """French and Spanish write "27\u00a0%": a percent sign written into a sentence keeps the no-break space that
    every formatted percentage has (l10n.percentage), so a line never breaks between a number and its sign."""
    broken = [text for message in i18n_tools.read_catalog(lang) if message.id
              for text in _strings(message) if re.search(r"(\d|\)s) %%", text)]
    assert not broken, broken[:3]


def _messages(mo_file) -> dict:
    """What a compiled catalog translates: every message and plural form, without the metadata entry.

    The metadata (msgid "") holds volatile lines such as ``Generated-By: Babel x.y`` and dates, which say
    nothing about what a learner reads; comparing them would fail whenever a new Babel is released.
    """
    return {key: text for key, text in gettext.GNUTranslations(mo_file)._catalog.items() if key != ""}


def _compiled(catalog) -> io.BytesIO:
    catalog.fuzzy = False
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    out.seek(0)
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_shipped_mo_files_match_the_po_files(lang):
    with open(i18n_tools.catalog_path(lang, "mo"), "rb") as shipped:
        shipped_messages = _messages(shipped)
    fresh = _messages(_compiled(i18n_tools.read_catalog(lang)))
    stale = sorted(str(k) for k in fresh.keys() ^ shipped_messages.keys())
    changed = sorted(str(k) for k in fresh.keys() & shipped_messages.keys() if fresh[k] != shipped_messages[k])
    assert not stale and not changed, f"run `make translations`: {len(stale)} messages added or removed, " \
        f"{len(changed)} changed since the .mo was compiled, e.g. {(stale + changed)[:3]}"


def test_the_comparison_ignores_the_header_but_not_a_message(monkeypatch):
    """Compiled by another Babel (another header) still matches; one changed translation does not."""
    import babel.messages.catalog

    catalog = i18n_tools.read_catalog("fr")
    before = _messages(_compiled(catalog))
    monkeypatch.setattr(babel.messages.catalog, "VERSION", "99.0")
    assert b"Babel 99.0" in _compiled(catalog).getvalue()
    catalog.last_translator = "Somebody Else"
    catalog.revision_date = catalog.creation_date.replace(year=2000)
    assert _messages(_compiled(catalog)) == before
    message = next(m for m in catalog if m.id and isinstance(m.id, str))
    message.string = message.string + " (changed)"
    assert _messages(_compiled(catalog)) != before


QUIZ = """<sse_quiz display_name="Q" max_attempts="2">
  <question id="q1" type="truefalse" answer="true"><prompt>P</prompt></question>
</sse_quiz>"""


@pytest.mark.parametrize("lang, submit, dimension", [("fr", "Soumettre", "Emploi"), ("es", "Enviar", "Empleo")])
def test_a_quiz_renders_in_the_learners_language(make_block, lang, submit, dimension):
    from sse_academy_xblock import dimensions

    block = make_block(QUIZ)
    with translation.override(lang):
        html = block.render("student_view", {}).body_html()
        assert dimensions.label("employment", block.translator.gettext) == dimension
    assert submit in html
    assert ">Submit<" not in html


def test_words_inside_a_refusal_are_translated_with_it():
    error = Refusal("The %(what)s is longer than %(max)s characters.", what=Phrase("response"), max=10)
    with translation.override("fr"):
        text = error.translated(OURS.gettext)
    assert "réponse" in text and "response" not in text
