"""Sanitising policies for text that reaches a browser, in one place.

Author HTML (prompts, case texts, feedback) keeps a safe subset of formatting; learner text is
never treated as HTML at all: it is escaped and its paragraphs kept.
"""

from __future__ import annotations

import html

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

# Spreadsheet programs execute cells that start with these characters.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean_author_html(value: str | None) -> str:
    """Author HTML reduced to formatting: no scripts, event handlers, styles or unsafe URLs."""
    if not value:
        return ""
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


def learner_paragraphs(value: str | None) -> str:
    """Learner plain text as escaped HTML paragraphs; blank lines separate paragraphs."""
    if not value:
        return ""
    blocks = [b.strip() for b in value.replace("\r\n", "\n").split("\n\n")]
    return "".join(
        "<p>" + "<br>".join(html.escape(line) for line in block.split("\n")) + "</p>" for block in blocks if block
    )


def csv_cell(value) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text
