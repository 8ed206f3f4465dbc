"""Safe OLX parsing and the small helpers every block's parse/export shares.

Course authors and course imports supply the XML, so it is untrusted: no entities are
expanded, no DTD is loaded, nothing is fetched, and size and depth are bounded.
"""

from __future__ import annotations

import html as html_lib
from datetime import datetime, timezone

from lxml import etree
from lxml import html as lxml_html

MAX_OLX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
TRUE_WORDS = {"true", "1", "yes"}
FALSE_WORDS = {"false", "0", "no"}


class OLXError(ValueError):
    """An author-facing error in OLX, naming the element and its line."""

    def __init__(self, message: str, element=None):
        where = ""
        if element is not None:
            line = getattr(element, "sourceline", None)
            where = f"<{element.tag}>" + (f" (line {line})" if line else "")
        super().__init__(f"{where}: {message}" if where else message)
        self.element_tag = getattr(element, "tag", None)
        self.line = getattr(element, "sourceline", None)


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_string(text: str | bytes) -> etree._Element:
    """Parse an OLX document, refusing DTDs, entities, oversize and over-deep input."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if len(data) > MAX_OLX_BYTES:
        raise OLXError(f"the document is larger than {MAX_OLX_BYTES // 1024} KiB")
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise OLXError("DTDs and entity declarations are not allowed in OLX")
    try:
        root = etree.fromstring(data, parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        raise OLXError(f"the XML is not well formed: {exc}") from exc
    check_tree(root)
    return root


def check_tree(root) -> None:
    """Reject what a parser may have let through: DTDs, entity references, excessive depth or size.

    Blocks call this from ``parse_xml`` on the element the runtime parsed, so the same limits hold
    for a course import as for :func:`parse_string`: at most ``MAX_OLX_BYTES`` of text, attribute
    values and tags in the block's element.
    """
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.externalDTD is not None or tree.docinfo.doctype:
        raise OLXError("DTDs are not allowed in OLX", root)
    size = 0
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise OLXError(f"elements are nested more than {MAX_DEPTH} deep", node)
        size += len(node.text or "") + len(node.tail or "") + sum(len(k) + len(v) for k, v in node.attrib.items())
        size += len(node.tag) if isinstance(node.tag, str) else 0
        if size > MAX_OLX_BYTES:
            raise OLXError(f"the block's content is larger than {MAX_OLX_BYTES // 1024} KiB", root)
        for child in node:
            if isinstance(child, etree._Entity):
                raise OLXError(f"entity reference &{child.name}; is not allowed", node)
            stack.append((child, depth + 1))


def check_attributes(node, allowed: set[str]) -> None:
    unknown = sorted(set(node.attrib) - allowed - {"url_name", "xblock-family"})
    if unknown:
        raise OLXError(f"unknown attribute(s): {', '.join(unknown)}", node)


def check_children(node, allowed: set[str]) -> None:
    for child in node:
        if not isinstance(child.tag, str):
            continue
        if child.tag not in allowed:
            raise OLXError(f"unknown element <{child.tag}> inside <{node.tag}>", child)


def parse_bool(node, name: str, default: bool) -> bool:
    value = node.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise OLXError(f'attribute {name}="{value}" must be true or false', node)


def parse_int(node, name: str, default: int, minimum: int | None = None, maximum: int | None = None) -> int:
    value = node.get(name)
    if value is None:
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise OLXError(f'attribute {name}="{value}" must be a whole number', node) from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise OLXError(f'attribute {name}="{value}" is out of range', node)
    return number


def parse_float(node, name: str, default: float, minimum: float | None = None, maximum: float | None = None) -> float:
    value = node.get(name)
    if value is None:
        return default
    try:
        number = float(value.strip())
    except ValueError:
        raise OLXError(f'attribute {name}="{value}" must be a number', node) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise OLXError(f'attribute {name}="{value}" must be a finite number', node)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise OLXError(f'attribute {name}="{value}" is out of range', node)
    return number


def parse_choice(node, name: str, default: str, allowed) -> str:
    value = node.get(name)
    if value is None:
        return default
    if value not in allowed:
        raise OLXError(f'attribute {name}="{value}" must be one of: {", ".join(allowed)}', node)
    return value


def moment_from_text(text: str) -> datetime:
    """An ISO 8601 date and time ("2026-12-05T17:00:00Z", "2026-12-05T17:00"); without an offset it is UTC.
    Raises ValueError."""
    value = datetime.fromisoformat(str(text).strip())
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def parse_moment(node, name: str) -> datetime | None:
    value = node.get(name)
    if value is None or not value.strip():
        return None
    try:
        return moment_from_text(value)
    except ValueError:
        raise OLXError(f'attribute {name}="{value}" must be a date and time such as 2026-12-05T17:00:00Z', node) from None


def format_moment(value: datetime) -> str:
    """A moment in OLX: UTC, to the second ("2026-12-05T17:00:00Z")."""
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def inner_html(node) -> str:
    """The mixed content of ``node`` (text and child elements) as an HTML string."""
    parts = [html_lib.escape(node.text or "", quote=False)]
    for child in node:
        parts.append(etree.tostring(child, encoding="unicode", with_tail=True))
    return "".join(parts).strip()


def set_inner_html(node, html: str) -> None:
    """Put an HTML fragment inside ``node``; text that is not well-formed XML stays as text."""
    if not html:
        return
    try:
        wrapper = etree.fromstring(f"<w>{html}</w>", parser=safe_parser())
    except etree.XMLSyntaxError:
        # Author HTML that is not XML (``<br>``, ``&nbsp;``): let the HTML parser normalise it.
        wrapper = lxml_html.fragment_fromstring(html, create_parent="w")
    node.text = wrapper.text
    for child in list(wrapper):
        node.append(child)


def format_number(value: float) -> str:
    """Numbers in OLX without a needless ``.0``."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def bool_attr(value: bool) -> str:
    return "true" if value else "false"
