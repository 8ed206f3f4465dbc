"""Hypothesis strategies for content that once slipped through, shared by the fuzzing tests.

* formulas hidden from a spreadsheet's first-character check: behind spaces of every kind, line breaks,
  quotes and invisible characters, and after a ``;`` (where a French or Spanish spreadsheet starts a
  new cell) or a line break;
* link addresses at the edges of what the authors' markup can write: stars, underscores, parentheses,
  spaces, brackets, quotes, other schemes, relative addresses, attributes on the link;
* adversarial markup: short units of stars, brackets and addresses, repeated;
* exotic whitespace: every character Python or a browser takes for a space, the zero-width spaces and
  the invisible (format) characters.
"""

from __future__ import annotations

import sys
import unicodedata
from html import escape

from hypothesis import strategies as st

EXOTIC_SPACES = sorted({c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()} | set("\u180e\u200b\u2060\ufeff"))
FORMAT_CHARACTERS = [c for c in map(chr, range(sys.maxunicode + 1)) if unicodedata.category(c) == "Cf"]
QUOTES = ['"', "'", "`", "\u201c", "\u2018", "\u00ab"]

exotic_whitespace = st.sampled_from(EXOTIC_SPACES + FORMAT_CHARACTERS)
# Text with words separated (or joined) by any of them.
exotic_text = st.lists(st.one_of(st.sampled_from(["word", "mot", "palabra", "x", "\U0001f600", "é"]),
                                 exotic_whitespace, st.sampled_from([" ", "\n"])), max_size=30).map("".join)

# --- spreadsheet cells -----------------------------------------------------------------------------

TRIGGERS = ["=", "+", "-", "@"]
hidden_by = st.lists(st.sampled_from(EXOTIC_SPACES + FORMAT_CHARACTERS[:8] + QUOTES), max_size=3).map("".join)
formula = st.tuples(
    hidden_by, st.sampled_from(TRIGGERS),
    st.sampled_from(["1+1", 'HYPERLINK("http://e.org","x")', "cmd|' /C calc'!A0", "SUM(A1:A9)", "2", ""]),
).map("".join) | st.tuples(st.sampled_from(["\t", "\r"]), st.text(max_size=4)).map("".join)
plain_cell_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8)
# Several parts, formulas among them, joined by what starts a new cell or row for some spreadsheet.
semicolon_cell = st.tuples(
    st.lists(st.one_of(formula, plain_cell_text), min_size=2, max_size=4),
    st.sampled_from([";", "; ", ";\u00a0", "\n", "\r\n", "\r", ",", "\u2028"]),
).map(lambda t: t[1].join(t[0]))
csv_cell = st.one_of(
    formula, semicolon_cell, plain_cell_text, st.none(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
)

# --- link addresses and markup ---------------------------------------------------------------------

SCHEMES = ["https://", "http://", "mailto:"]
OTHER_SCHEMES = ["ftp://", "javascript:", "HTTPS://", "data:text/html,", "//", "/", "#", "", "tel:"]
address_tail = st.lists(st.sampled_from(list("ab*_~-./?=#;:,!") + ["**", "&", "%20", "e.org/", "x_y", "(x)"]),
                        max_size=8).map("".join)
# What the markup writes as a link: a valid address without space, parenthesis or angle bracket.
markup_address = st.tuples(st.sampled_from(SCHEMES), st.sampled_from(["e.org/", "www.ilo.org/", "x/"]),
                           address_tail.map(lambda t: t.replace("(", "").replace(")", ""))).map("".join)
edge_address = st.tuples(
    st.sampled_from(SCHEMES + OTHER_SCHEMES), st.sampled_from(["e.org/", "www.ilo.org", "x"]),
    st.lists(st.sampled_from(["(", ")", " ", "[", "]", "<", ">", '"', "'", "*", "_", "\u00a0", "a", "%29"]),
             max_size=4).map("".join), address_tail,
).map("".join)
link_attributes = st.sampled_from(["", "", ' title="ILO"', ' lang="fr"', ' target="_blank"', ' dir="rtl"'])
words = st.lists(st.sampled_from(["a", "word", "*", "**", "-", "1.", "[1]", "x_y", "é", "\u00a0", "<", "&", ";"]),
                 min_size=1, max_size=4).map(" ".join)


@st.composite
def stored_html(draw) -> str:
    """Author HTML as a save stores it: paragraphs and lists of text, emphasis and links at the edges."""
    def inline() -> str:
        pieces = []
        for _ in range(draw(st.integers(min_value=1, max_value=4))):
            kind = draw(st.sampled_from(["text", "text", "em", "strong", "i", "b", "link"]))
            text = escape(draw(words), quote=False)
            if kind == "link":
                href = escape(draw(edge_address | markup_address))
                pieces.append(f'<a href="{href}"{draw(link_attributes)}>{text}</a>')
            elif kind == "text":
                pieces.append(text)
            else:
                pieces.append(f"<{kind}>{text}</{kind}>")
        return " ".join(pieces)

    blocks = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        kind = draw(st.sampled_from(["p", "p", "ul", "ol", "br"]))
        if kind in ("ul", "ol"):
            items = "".join(f"<li>{inline()}</li>" for _ in range(draw(st.integers(min_value=1, max_value=3))))
            blocks.append(f"<{kind}>{items}</{kind}>")
        elif kind == "br":
            blocks.append(f"<p>{inline()}<br>{inline()}</p>")
        else:
            blocks.append(f"<p>{inline()}</p>")
    return "".join(blocks)


MARKUP_UNITS = ["*", "**", "***", "**x ", "*x ", "x**", "[", "]", "(", ")", "](", "[x](", "[x](http://", "x", " ",
                "\n", "\n\n", "- ", "1. ", "_", "<", "&", "http://", "https://e.org/", "mailto:", "\u00a0", "\u200b"]
# A short unit that is repeated into a long text: the shape of every quadratic blow-up.
markup_unit = st.lists(st.sampled_from(MARKUP_UNITS), min_size=1, max_size=6).map("".join)
markup_text = st.lists(st.one_of(st.sampled_from(MARKUP_UNITS), markup_address, edge_address, exotic_whitespace,
                                 st.sampled_from(["word", "two words"])), max_size=25).map("".join)
