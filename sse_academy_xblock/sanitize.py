"""Sanitising policies for text that reaches a browser, in one place.

Author HTML (prompts, case texts, feedback) keeps a safe subset of formatting; learner text is
never treated as HTML at all: it is escaped and its paragraphs kept.
"""

from __future__ import annotations

import csv
import functools
import html
import io
import math
import re
import unicodedata

import nh3

AUTHOR_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "dl", "dt", "em", "figcaption",
    "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "q", "s",
    "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "u", "ul",
}
AUTHOR_ATTRIBUTES = {
    "a": {"href", "title", "lang"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "*": {"lang", "dir"},
}
URL_SCHEMES = {"http", "https", "mailto"}


# Author HTML changes only when the block is edited or published, but every render and every handler's state
# cleaned it again (a case study: eleven texts per request). The result depends on the text alone, so the cleaned
# texts are kept for the process, the longest excepted.
CACHED_HTML_CHARS = 50_000


def clean_author_html(value: str | None) -> str:
    """Author HTML reduced to formatting: no scripts, event handlers, styles or unsafe URLs."""
    if not value:
        return ""
    if len(value) <= CACHED_HTML_CHARS:
        return _clean_author_html_cached(str(value))
    return _clean_author_html(value)


@functools.lru_cache(maxsize=512)
def _clean_author_html_cached(value: str) -> str:
    return _clean_author_html(value)


def _clean_author_html(value: str) -> str:
    return nh3.clean(
        value,
        tags=AUTHOR_TAGS,
        attributes={k: set(v) for k, v in AUTHOR_ATTRIBUTES.items()},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def author_text(value: str | None) -> str:
    """Author HTML flattened to plain text (for labels, legends and CSV cells)."""
    if not value:
        return ""
    return html.unescape(nh3.clean(value, tags=set(), attributes={})).strip()


# The start of an element that begins a new line of text (its words are not joined to the previous element's).
_BLOCK_TAG = re.compile(r"<(?=/?(?:p|div|li|br|h[1-6]|tr|td|th|ul|ol|blockquote|table|pre|hr)\b)", re.IGNORECASE)


def index_text(*values: str | None) -> str:
    """Author HTML (or plain text) as one line of plain text for a search index: no markup, each element's text
    kept apart from the next one's, entities decoded, whitespace collapsed."""
    parts = (author_text(_BLOCK_TAG.sub(" <", value)) for value in values if value)
    return " ".join(" ".join(parts).split())


def learner_paragraphs(value: str | None) -> str:
    """Learner plain text as escaped HTML paragraphs; blank lines separate paragraphs."""
    if not value:
        return ""
    blocks = [b.strip() for b in value.replace("\r\n", "\n").split("\n\n")]
    return "".join(
        "<p>" + "<br>".join(html.escape(line) for line in block.split("\n")) + "</p>" for block in blocks if block
    )


# --- CSV cells -------------------------------------------------------------------------------------
#
# Spreadsheet programs run a cell as a formula when it starts with one of these (OWASP's list), some
# after trimming spaces, invisible characters or quotes from it; a cell that starts with a tab or a
# carriage return is suspect in itself.
FORMULA_TRIGGERS = frozenset("=+-@")
SUSPECT_START = ("\t", "\r")
# Where a spreadsheet may start a new cell or row inside one of our cells: the files are written with
# "," as the separator, every cell quoted, but a French or Spanish spreadsheet splits lines on ";" (and
# then only the first cell of a row is read as quoted), and every reader starts a row at a line break.
CELL_BREAKS = frozenset(";\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
QUOTES = frozenset("\"'`")


def _skipped(char: str) -> bool:
    """Characters a trimming import may drop before it looks at a cell: spaces, invisible, quotes."""
    return char.isspace() or char in QUOTES or unicodedata.category(char) in ("Cf", "Pi", "Pf")


def _neutralised(text: str) -> str:
    """``text`` with an apostrophe (the spreadsheets' mark of text) before every part that a spreadsheet
    could read as a cell of its own and that would start a formula: the text itself, and what follows
    each of :data:`CELL_BREAKS`. Linear: every character is looked at once."""
    out: list[str] = []
    start = 0  # the start of the part being looked at
    length = len(text)
    while start <= length:
        position = start
        while position < length and text[position] not in CELL_BREAKS and _skipped(text[position]):
            position += 1
        if position < length and text[position] in FORMULA_TRIGGERS:
            out.append("'")
        # Up to and including the next break, the part is copied as it is.
        while position < length and text[position] not in CELL_BREAKS:
            position += 1
        out.append(text[start:position + 1])
        start = position + 1
    return "".join(out)


def csv_cell(value) -> str:
    """One cell of a staff CSV: numbers as numbers, text that a spreadsheet shows as text, never runs.

    An ``int`` or ``float`` (not a ``bool``) is written in its machine form, a negative one too (``-0.25``,
    not text); ``None`` and a number that is not finite are an empty cell. Text is kept as it is, except
    that any part of it that would start a formula (see :func:`_neutralised`) starts with an apostrophe:
    ``" =1+1"`` becomes ``"' =1+1"``, ``"-2"`` (text) ``"'-2"``, ``"x;=1"`` ``"x;'=1"``.
    """
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float):
            if not math.isfinite(value):
                return ""
            return str(int(value)) if value.is_integer() else repr(value)
        return str(value)
    text = str(value)
    result = _neutralised(text)
    if text.startswith(SUSPECT_START) and not result.startswith("'"):
        return "'" + result
    return result


def csv_line(cells) -> str:
    """One line of a staff CSV: every cell (see :func:`csv_cell`) quoted, separated by ",", ended by CRLF.

    Quoting every cell keeps a ";" or a line break inside its cell for a spreadsheet that splits on ","
    (the file's separator); for one that splits on ";" :func:`csv_cell` has already made sure that no
    part starts a formula. Such a spreadsheet reads the rest of the line into the row's first cell, so
    every download starts its rows with text (an id, a name, a label), never with a number that could be
    negative. Every download writes its lines with this function.
    """
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerow([csv_cell(c) for c in cells])
    return out.getvalue()
