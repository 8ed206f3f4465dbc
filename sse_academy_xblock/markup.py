"""The small text markup authors write in our editors instead of HTML.

* a blank line starts a new paragraph; a single line break stays a line break;
* lines starting with ``- `` or ``* `` make a bulleted list, ``1. `` a numbered one;
* ``*emphasis*``, ``**strong**`` and ``[link text](https://example.org)``.

The server turns it into HTML (:func:`to_html`, then sanitised with nh3 like every author text), and
turns stored HTML back into it for the editor (:func:`from_html`) when the HTML uses nothing else.
HTML that does (a table, an image, a heading from an imported course) is left as HTML in the editor,
so that saving never loses an author's formatting; text that starts with ``<`` is taken as such HTML.
The indentation of the source (OLX pretty-printing) is never kept.
"""

from __future__ import annotations

import html
import re

from lxml import etree
from lxml import html as lxml_html

from .i18n import gettext_noop
from .sanitize import clean_author_html

_BULLET = re.compile(r"^[-*]\s+(.*)$")
_NUMBER = re.compile(r"^\d{1,3}[.)]\s+(.*)$")
_LINK = re.compile(r"\[([^\[\]\n]+)\]\(((?:https?://|mailto:)[^\s()<>]+)\)")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")
_BLANK = re.compile(r"\n[ \t]*\n")

# The tags the markup can express: stored HTML using only these is shown to authors as markup.
MARKUP_TAGS = {"p", "br", "ul", "ol", "li", "em", "i", "strong", "b", "a"}


def is_html(text: str) -> bool:
    return text.lstrip().startswith("<")


def _inline(text: str) -> str:
    """One escaped line or paragraph with its emphasis and links."""
    out = html.escape(text, quote=False)
    out = _LINK.sub(lambda m: f'<a href="{html.escape(html.unescape(m.group(2)))}">{m.group(1)}</a>', out)
    out = _STRONG.sub(r"<strong>\1</strong>", out)
    return _EM.sub(r"<em>\1</em>", out)


def to_html(text: str | None) -> str:
    """Author markup (or legacy HTML) as sanitised HTML."""
    if not text or not text.strip():
        return ""
    if is_html(text):
        return clean_author_html(text)
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    blocks: list[str] = []
    for chunk in _BLANK.split("\n".join(lines)):
        rows = [row for row in chunk.split("\n") if row]
        if not rows:
            continue
        html_rows: list[str] = []
        i = 0
        while i < len(rows):
            for pattern, tag in ((_BULLET, "ul"), (_NUMBER, "ol")):
                if pattern.match(rows[i]):
                    items = []
                    while i < len(rows) and pattern.match(rows[i]):
                        items.append("<li>" + _inline(pattern.match(rows[i]).group(1)) + "</li>")
                        i += 1
                    html_rows.append(("list", f"<{tag}>{''.join(items)}</{tag}>"))
                    break
            else:
                start = i
                while i < len(rows) and not (_BULLET.match(rows[i]) or _NUMBER.match(rows[i])):
                    i += 1
                html_rows.append(("p", "<p>" + "<br>".join(_inline(r) for r in rows[start:i]) + "</p>"))
        blocks.extend(part for _kind, part in html_rows)
    return clean_author_html("".join(blocks))


def to_inline_html(text: str | None) -> str:
    """Markup for a one-line part (a choice): one paragraph is given without its ``<p>``."""
    result = to_html(text)
    if result.startswith("<p>") and result.endswith("</p>") and result.count("<p>") == 1:
        return result[3:-4]
    return result


HELP = gettext_noop("Formatting: leave an empty line between paragraphs; start lines with “- ” for a list or “1. ” for a "
        "numbered list; *emphasis*, **strong**, [link text](https://example.org).")


def _text_of(node) -> str:
    """A node's inline content as markup."""
    parts = [_escape_text(node.text or "")]
    for child in node:
        tag = child.tag if isinstance(child.tag, str) else ""
        inner = _text_of(child)
        if tag in ("em", "i"):
            parts.append(f"*{inner.strip()}*")
        elif tag in ("strong", "b"):
            parts.append(f"**{inner.strip()}**")
        elif tag == "a":
            parts.append(f"[{inner.strip()}]({child.get('href', '')})")
        elif tag == "br":
            parts.append("\n")
        else:
            parts.append(inner)
        parts.append(_escape_text(child.tail or ""))
    return "".join(parts)


def _escape_text(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def from_html(value: str | None) -> str:
    """Stored HTML as markup for the editor; HTML the markup cannot express is returned unchanged."""
    if not value or not value.strip():
        return ""
    if not is_html(value):
        return html.unescape(value).strip()
    try:
        fragments = lxml_html.fragments_fromstring(value)
    except (etree.ParserError, ValueError):
        return value
    blocks: list[str] = []
    loose = []
    for fragment in fragments:
        if isinstance(fragment, str):
            loose.append(fragment)
            continue
        if fragment.tag is etree.Comment or any(
                not isinstance(n.tag, str) or n.tag not in MARKUP_TAGS for n in fragment.iter()):
            return value
        if fragment.tag in ("p",):
            if loose and "".join(loose).strip():
                blocks.append(_escape_text("".join(loose)).strip())
            loose = []
            blocks.append("\n".join(line.strip() for line in _text_of(fragment).strip().split("\n")))
            if (fragment.tail or "").strip():
                loose.append(fragment.tail)
        elif fragment.tag in ("ul", "ol"):
            items = [li for li in fragment if isinstance(li.tag, str)]
            if any(li.tag != "li" for li in items):
                return value
            marker = (lambda n: "- ") if fragment.tag == "ul" else (lambda n: f"{n}. ")
            blocks.append("\n".join(marker(n) + _text_of(li).strip() for n, li in enumerate(items, 1)))
        else:
            return value
    if loose and "".join(loose).strip():
        blocks.append(_escape_text("".join(loose)).strip())
    return "\n\n".join(b for b in blocks if b)
