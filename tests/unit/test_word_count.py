"""The case study's word count, the one rule the server enforces and the page shows, over every Unicode
space and every invisible (format) character.

Python and browsers disagree on what a space is (U+0085 and U+001C-U+001F are spaces only for Python,
U+FEFF only for JavaScript); the rule takes both, and the page counts with the lists the server sends
(``tests/browser/test_word_count_browser.py`` compares the two counts in Chromium).
"""

from __future__ import annotations

import sys
import unicodedata

import pytest

from sse_academy_xblock.peer.workflow import word_count

PYTHON_SPACES = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()]
# ECMAScript's WhiteSpace and LineTerminator: what \s and String.prototype.trim take for spaces.
JAVASCRIPT_SPACES = list("\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff") + [
    chr(c) for c in range(0x2000, 0x200B)]
ZERO_WIDTH_SPACES = ["\u180e", "\u200b", "\u2060"]
SPACES = sorted(set(PYTHON_SPACES) | set(JAVASCRIPT_SPACES) | set(ZERO_WIDTH_SPACES))
FORMAT = [c for c in map(chr, range(sys.maxunicode + 1)) if unicodedata.category(c) == "Cf" and c not in SPACES]


def name(char: str) -> str:
    return f"U+{ord(char):04X}"


@pytest.mark.parametrize("space", SPACES, ids=name)
def test_every_space_of_python_or_a_browser_separates_words(space):
    assert word_count(f"a{space}b") == 2
    assert word_count(f"{space}one{space}{space}two{space}") == 2
    assert word_count(space * 3) == 0


@pytest.mark.parametrize("char", FORMAT, ids=name)
def test_invisible_characters_alone_are_no_word(char):
    assert word_count(f"a {char} b") == 2
    assert word_count(f"{char}{char} {char}") == 0


@pytest.mark.parametrize("char", FORMAT, ids=name)
def test_invisible_characters_inside_a_word_keep_it_one_word(char):
    """A joiner, a soft hyphen or a direction mark is part of the word it stands in."""
    assert word_count(f"a{char}b") == 1
    assert word_count(f"{char}ab {char}cd{char}") == 2


def test_ordinary_text():
    assert word_count("The workers own the factory, together.\n\nThey vote.") == 8
    assert word_count("") == word_count(None) == 0
