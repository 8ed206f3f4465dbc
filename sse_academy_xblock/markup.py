"""The small text markup authors write in our editors instead of HTML.

* a blank line starts a new paragraph; a single line break stays a line break;
* lines starting with ``- `` or ``* `` make a bulleted list, ``1. `` a numbered one;
* ``*emphasis*``, ``**strong**`` and ``[link text](https://example.org)`` (``http``, ``https`` or
  ``mailto`` addresses without spaces, parentheses or angle brackets).

The server turns it into HTML (:func:`to_html`, then sanitised with nh3 like every author text), and
turns stored HTML back into it for the editor (:func:`from_html`) only when the markup writes that HTML
back as it is: a table, an image, a heading from an imported course, a link whose address has a
parenthesis or a space or another scheme, an attribute (a title, a language), stars meant as stars are
left as HTML in the editor, so that saving never loses an author's formatting; text that starts with
``<`` is taken as such HTML. The indentation of the source (OLX pretty-printing) is never kept.

Conversion takes time in proportion to the text, whatever it holds: a few passes over each line, left
to right, without regular expressions that could go back over it (``tests/unit/test_markup.py`` times
256 KB of hostile markup against an ordinary prompt of the same size). Emphasis is never applied inside
an address, neither a link's nor one written in the text. The editors check a text's length against
its field's limit before converting it (:func:`within`).
"""

from __future__ import annotations

import html
import re

from lxml import etree
from lxml import html as lxml_html

from .i18n import gettext_noop
from .sanitize import clean_author_html

SCHEMES = ("https://", "http://", "mailto:")
# What ends a link's address in the markup (besides any space).
_ADDRESS_END = frozenset("()<>")
# What does not end an address written in the text: punctuation right after it belongs to the sentence.
_TRAILING = frozenset(".,;:!?*_)]'\"")
# HTML's own spaces (not the no-break space, which is text).
_HTML_SPACES = re.compile("[ \t\n\r\f]+")

# The tags the markup can express: stored HTML using only these may be shown to authors as markup.
MARKUP_TAGS = {"p", "br", "ul", "ol", "li", "em", "i", "strong", "b", "a"}
_SAME_TAG = {"i": "em", "b": "strong"}
_INLINE_TAGS = {"em", "strong", "a"}


def is_html(text: str) -> bool:
    return text.lstrip().startswith("<")


# --- markup to HTML --------------------------------------------------------------------------------


class _Atom:
    """HTML already written (a tag, a whole link, an address): never split, never emphasised inside.

    To emphasis it is one character that is neither a space nor a star; an address written in the text
    counts as a letter (it starts and ends with one), a tag or a link does not."""

    __slots__ = ("html", "word")

    def __init__(self, value: str, word: bool = False):
        self.html = value
        self.word = word


_STRONG = (_Atom("<strong>"), _Atom("</strong>"))
_EM = (_Atom("<em>"), _Atom("</em>"))


def _space(unit) -> bool:
    return unit.__class__ is str and unit.isspace()


def _word(unit) -> bool:
    if unit.__class__ is str:
        return unit.isalnum() or unit == "_"
    return unit.word


def _address_end(text: str, start: int, limit: int | None = None) -> int:
    """The end of an address starting at ``start`` (its scheme): the first space, parenthesis or angle
    bracket, or ``limit``."""
    limit = len(text) if limit is None else limit
    end = start
    while end < limit and not (text[end] in _ADDRESS_END or text[end].isspace()):
        end += 1
    return end


def _link_at(text: str, opening: int):
    """What starts at the bracket ``text[opening]``: ``("link", close, start, end)`` for ``[text](address)``
    (its closing bracket, the address's start and its closing parenthesis), ``("again", position)`` when
    the text holds another opening bracket (a link may start there), or None."""
    close = opening + 1
    while close < len(text) and text[close] not in "[]":
        close += 1
    if close >= len(text):
        return None
    if text[close] == "[":
        return ("again", close)
    start = close + 2
    if close == opening + 1 or not text.startswith("(", close + 1):
        return None
    scheme = next((s for s in SCHEMES if text.startswith(s, start)), None)
    if scheme is None:
        return None
    end = _address_end(text, start)
    if end == start + len(scheme) or end >= len(text) or text[end] != ")":
        return None
    return ("link", close, start, end)


class _Addresses:
    """Where the next address written in a text starts, found with one forward scan per scheme."""

    def __init__(self, text: str):
        self.text = text
        self.found = {scheme: text.find(scheme) for scheme in SCHEMES}

    def next(self, start: int) -> int:
        best = -1
        for scheme, position in self.found.items():
            if 0 <= position < start:
                position = self.found[scheme] = self.text.find(scheme, start)
            if position >= 0 and (best < 0 or position < best):
                best = position
        return best


def _units(text: str, links: bool) -> list:
    """The line as characters and atoms: links (their text converted alone) and addresses in the text.

    Each character is looked at a bounded number of times: a link's text is read up to the next bracket,
    and an address up to its end, which no other link's address can overlap."""
    units: list = []
    addresses = _Addresses(text) if "*" in text else None
    position = 0
    while True:
        opening = text.find("[", position) if links else -1
        found = None
        while opening >= 0:
            found = _link_at(text, opening)
            if found is None or found[0] == "link":
                break
            opening = found[1]
        if opening < 0:
            _add_text(units, text, position, len(text), addresses)
            return units
        if found is None:  # this bracket is text; look again after it
            _add_text(units, text, position, opening + 1, addresses)
            position = opening + 1
            continue
        _kind, close, start, end = found
        _add_text(units, text, position, opening, addresses)
        label = _inline(text[opening + 1:close], links=False)
        units.append(_Atom(f'<a href="{html.escape(text[start:end])}">{label}</a>'))
        position = end + 1


def _add_text(units: list, text: str, start: int, end: int, addresses: _Addresses | None) -> None:
    """Characters of ``text[start:end]``; an address written in it (when emphasis may occur) is one atom."""
    while start < end:
        found = addresses.next(start) if addresses is not None else -1
        if found < 0 or found >= end:
            units.extend(text[start:end])
            return
        stop = _address_end(text, found, end)
        while stop > found and text[stop - 1] in _TRAILING:
            stop -= 1
        units.extend(text[start:found])
        if stop > found:
            units.append(_Atom(html.escape(text[found:stop], quote=False), word=True))
        else:
            units.append(text[found])
            stop = found + 1
        start = stop


def _strong(units: list) -> list:
    """``**text**``: from a ``**`` before a non-space to the nearest ``**`` after a non-space, left to right
    (one pass)."""
    n = len(units)
    closing = [n] * (n + 2)  # closing[i]: the first closing "**" at i or after
    for c in range(n - 2, 0, -1):
        closing[c] = c if units[c] == "*" and units[c + 1] == "*" and not _space(units[c - 1]) else closing[c + 1]
    out: list = []
    i = 0
    while i < n:
        if units[i] == "*" and i + 2 < n and units[i + 1] == "*" and not _space(units[i + 2]):
            c = closing[i + 3] if i + 3 < n else n
            if c < n:
                out.append(_STRONG[0])
                out.extend(units[i + 2:c])
                out.append(_STRONG[1])
                i = c + 2
                continue
        out.append(units[i])
        i += 1
    return out


def _emphasis(units: list) -> list:
    """``*text*``: a star not after a star or a letter, before a non-space, up to the next star if that one
    follows a non-space and comes before neither a star nor a letter (one pass)."""
    n = len(units)
    following = [n] * (n + 1)  # following[i]: the first star at i or after
    for i in range(n - 1, -1, -1):
        following[i] = i if units[i] == "*" else following[i + 1]
    out: list = []
    i = 0
    while i < n:
        if (units[i] == "*" and i + 1 < n and not _space(units[i + 1])
                and (i == 0 or not (units[i - 1] == "*" or _word(units[i - 1])))):
            c = following[i + 1]
            if (c < n and c > i + 1 and not _space(units[c - 1])
                    and (c + 1 == n or not (units[c + 1] == "*" or _word(units[c + 1])))):
                out.append(_EM[0])
                out.extend(units[i + 1:c])
                out.append(_EM[1])
                i = c + 1
                continue
        out.append(units[i])
        i += 1
    return out


def _inline(text: str, links: bool = True) -> str:
    """One line with its emphasis and links, as escaped HTML."""
    if "*" not in text and (not links or "[" not in text):
        return html.escape(text, quote=False)
    units = _units(text, links)
    if "*" in text:
        units = _emphasis(_strong(units))
    parts: list[str] = []
    run: list[str] = []
    for unit in units:
        if unit.__class__ is str:
            run.append(unit)
        else:
            parts.append(html.escape("".join(run), quote=False))
            run = []
            parts.append(unit.html)
    parts.append(html.escape("".join(run), quote=False))
    return "".join(parts)


def _list_item(row: str) -> tuple[str, str] | None:
    """("ul" or "ol", the item's text) when the row starts a list item (``- ``, ``* ``, ``1. ``, ``1) ``)."""
    if len(row) > 1 and row[0] in "-*" and row[1].isspace():
        return "ul", row[1:].lstrip()
    digits = 0
    while digits < len(row) and digits < 4 and row[digits].isdecimal():
        digits += 1
    if 1 <= digits <= 3 and len(row) > digits + 1 and row[digits] in ".)" and row[digits + 1].isspace():
        return "ol", row[digits + 1:].lstrip()
    return None


def to_html(text: str | None) -> str:
    """Author markup (or legacy HTML) as sanitised HTML."""
    if not text or not text.strip():
        return ""
    if is_html(text):
        return clean_author_html(text)
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    parts: list[str] = []
    rows: list[str] = []
    for line in [*lines, ""]:
        if line:
            rows.append(line)
            continue
        # A blank line (or the end) closes the paragraph and lists of the rows before it.
        i = 0
        while i < len(rows):
            item = _list_item(rows[i])
            if item:
                kind, items = item[0], []
                while i < len(rows) and (item := _list_item(rows[i])) and item[0] == kind:
                    items.append("<li>" + _inline(item[1]) + "</li>")
                    i += 1
                parts.append(f"<{kind}>{''.join(items)}</{kind}>")
            else:
                start = i
                while i < len(rows) and not _list_item(rows[i]):
                    i += 1
                parts.append("<p>" + "<br>".join(_inline(r) for r in rows[start:i]) + "</p>")
        rows = []
    return clean_author_html("".join(parts))


def within(limit: int, convert):
    """``convert`` (:func:`to_html` or :func:`to_inline_html`) for a field of at most ``limit`` characters.

    A text longer than that without its surrounding spaces is given back as it is, unconverted: the
    field's own length rule refuses it, and converting it first would only cost time."""

    def convert_within(text: str) -> str:
        return text if len(text.strip()) > limit else convert(text)

    return convert_within


def to_inline_html(text: str | None) -> str:
    """Markup for a one-line part (a choice): one paragraph is given without its ``<p>``."""
    result = to_html(text)
    if result.startswith("<p>") and result.endswith("</p>") and result.count("<p>") == 1:
        return result[3:-4]
    return result


HELP = gettext_noop("Formatting: leave an empty line between paragraphs; start lines with “- ” for a list or “1. ” for a "
        "numbered list; *emphasis*, **strong**, [link text](https://example.org).")


# --- HTML to markup --------------------------------------------------------------------------------


class _NotMarkup(Exception):
    """The HTML uses something the markup cannot write."""


def _escape_text(text: str) -> str:
    return _HTML_SPACES.sub(" ", text)


def _inline_markup(text: str | None, children) -> str:
    """Mixed content (text, then each inline element with its tail) as markup."""
    parts = [_escape_text(text or "")]
    for child in children:
        tag = child.tag if isinstance(child.tag, str) else None
        if tag is None:
            raise _NotMarkup
        if tag not in MARKUP_TAGS or tag in ("p", "ul", "ol", "li"):
            raise _NotMarkup
        inner = _inline_markup(child.text, child)
        if tag in ("em", "i"):
            parts.append(f"*{inner.strip()}*")
        elif tag in ("strong", "b"):
            parts.append(f"**{inner.strip()}**")
        elif tag == "a":
            parts.append(f"[{inner.strip()}]({child.get('href', '')})")
        else:  # br
            parts.append("\n")
        parts.append(_escape_text(child.tail or ""))
    return "".join(parts)


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.strip().split("\n"))


def _parsed(fragment: str):
    """An HTML fragment inside one ``div``, its text kept as it is (lxml's own wrapping drops leading
    text made of spaces, no-break spaces included)."""
    return lxml_html.fragment_fromstring(f"<div>{fragment}</div>")


def _as_markup(value: str) -> str:
    """Stored HTML as markup, written without any check that it would give the HTML back."""
    root = _parsed(value)
    blocks: list[str] = []
    loose_text, loose = root.text, []

    def flush():
        if loose_text or loose:
            text = _lines(_inline_markup(loose_text, loose))
            if text:
                blocks.append(text)

    for child in root:
        if isinstance(child.tag, str) and child.tag in ("p", "ul", "ol"):
            flush()
            loose_text, loose = None, []
            if child.tag == "p":
                blocks.append(_lines(_inline_markup(child.text, child)))
            else:
                if (child.text or "").strip():
                    raise _NotMarkup
                items = []
                for number, item in enumerate(child, 1):
                    if item.tag != "li" or (item.tail or "").strip():
                        raise _NotMarkup
                    marker = "- " if child.tag == "ul" else f"{number}. "
                    items.append(marker + _inline_markup(item.text, item).strip())
                blocks.append("\n".join(items))
            if (child.tail or "").strip():
                loose_text = child.tail
        else:
            loose.append(child)
    flush()
    return "\n\n".join(b for b in blocks if b)


def _shape(fragment: str) -> list:
    """What a reader of the HTML sees, written as a list of events: tags (``i`` as ``em``, ``b`` as
    ``strong``) with their attributes, and text with HTML's spaces collapsed and none at the edges of a
    paragraph, a list, an item or a line break. Text and inline tags outside any block are one paragraph,
    an empty paragraph is nothing."""
    if not fragment or not fragment.strip():
        return []
    root = _parsed(fragment)
    events: list = []
    depth = 0
    for action, node in etree.iterwalk(root, events=("start", "end")):
        if node is root:
            if action == "start" and root.text:
                events.append(["text", 0, root.text])
            continue
        tag = _SAME_TAG.get(node.tag, node.tag) if isinstance(node.tag, str) else "#other"
        if action == "start":
            events.append(["start", depth, tag, sorted(node.attrib.items())])
            depth += 1
            if node.text:
                events.append(["text", depth, node.text])
        else:
            depth -= 1
            events.append(["end", depth, tag])
            if node.tail:
                events.append(["text", depth, node.tail])
    # Loose content at the top: one paragraph.
    wrapped: list = []
    open_paragraph = False
    for event in events:
        loose = event[1] == 0 and (event[0] == "text" or event[2] in _INLINE_TAGS or event[2] == "br")
        if loose and not open_paragraph:
            wrapped.append(["start", 0, "p", []])
            open_paragraph = True
        elif not loose and event[1] == 0 and open_paragraph:
            wrapped.append(["end", 0, "p"])
            open_paragraph = False
        wrapped.append(event)
    if open_paragraph:
        wrapped.append(["end", 0, "p"])
    # Text: spaces collapsed, adjacent pieces joined, trimmed at block edges, dropped when empty.
    shaped: list = []
    for event in wrapped:
        if event[0] == "text":
            text = _escape_text(event[2])
            if shaped and shaped[-1][0] == "text":
                shaped[-1] = ("text", _escape_text(shaped[-1][1] + text))
            else:
                shaped.append(("text", text))
        else:
            shaped.append((event[0], event[2], tuple(event[3]) if event[0] == "start" else ()))

    def edge(event) -> bool:
        return event[0] != "text" and event[1] not in _INLINE_TAGS

    result: list = []
    for index, event in enumerate(shaped):
        if event[0] == "text":
            text = event[1]
            if index == 0 or edge(shaped[index - 1]):
                text = text.lstrip(" ")
            if index + 1 == len(shaped) or edge(shaped[index + 1]):
                text = text.rstrip(" ")
            if not text:
                continue
            event = ("text", text)
        if event[0] == "end" and event[1] == "p" and result and result[-1][:2] == ("start", "p") and not result[-1][2]:
            result.pop()
            continue
        result.append(event)
    return result


def from_html(value: str | None) -> str:
    """Stored HTML as markup for the editor, when a save of that markup gives the HTML back; otherwise the
    HTML itself, starting with ``<`` so that a save keeps it as HTML: HTML imported without a tag first
    (OLX keeps a prompt's mixed content as it is) in a paragraph, or after an empty comment (which the
    sanitiser drops) if a paragraph would change it."""
    if not value or not value.strip():
        return ""
    shown = clean_author_html(value)
    try:
        text = _as_markup(value)
        # Markup that starts with "<" would be saved as HTML, not converted.
        if not is_html(text) and _shape(to_html(text)) == _shape(shown):
            return text
    except (_NotMarkup, etree.ParserError, ValueError, RecursionError):
        pass
    if is_html(value):
        return value
    paragraph = f"<p>{value}</p>"
    try:
        if _shape(clean_author_html(paragraph)) == _shape(shown):
            return paragraph
    except (etree.ParserError, ValueError, RecursionError):
        pass
    return "<!---->" + value
