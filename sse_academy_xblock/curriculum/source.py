"""The curriculum's source format: one ``module.xml`` per SSE Academy module.

The file is not a block: no ``sse_module`` XBlock exists. Its root element keeps that name and lists
what one module of the course holds, in order; :mod:`.loader` and :mod:`.export` turn it into native
Open edX structure (a section of subsections and units holding an html component and our leaf
blocks) or into a workbench page.

```xml
<sse_module display_name="Employment" dimension="employment" estimated_time="180">
  <objective>Explain how cooperatives create and keep jobs.</objective>
  <intro><p>...</p></intro>
  <html>...</html>
  <sse_quiz>...</sse_quiz>
  <sse_case_study>...</sse_case_study>
</sse_module>
```

``estimated_time`` is a whole number of minutes. A case study's ``<case>`` opens with its facts: the
section under its first ``<h3>``, each item dated and ending with its source and year in parentheses
(``tests/unit/test_curriculum_checks.py`` counts it; ``docs/curriculum-facts.md`` holds the sources). Children are returned as elements (each becomes a
component of its own); objectives and the introduction are author HTML, which the exporter puts in
the module's first html component.
"""

from __future__ import annotations

import copy as copy_module
from dataclasses import dataclass, field

from lxml import etree

from ..dimensions import DEFAULT_DIMENSION, DIMENSION_IDS
from ..olx import OLXError, check_attributes, check_tree, inner_html, parse_choice

TAG = "sse_module"
ATTRIBUTES = ("display_name", "dimension", "estimated_time")
OBJECTIVE = "objective"
INTRO = "intro"
# Graded children that feed the profile, and generic content: the LMS's text and video blocks, and the
# XBlock SDK's text block for the workbench.
GRADED_CHILD_TAGS = ("sse_quiz", "sse_case_study")
CONTENT_CHILD_TAGS = ("html", "video", "html_demo")
CHILD_TAGS = GRADED_CHILD_TAGS + CONTENT_CHILD_TAGS
MAX_OBJECTIVES = 20
MAX_MINUTES = 100 * 60
DEFAULT_DISPLAY_NAME = "SSE Academy module"

@dataclass
class ModuleContent:
    """Everything a module source says about the module itself (not its components)."""

    display_name: str = DEFAULT_DISPLAY_NAME
    dimension: str = DEFAULT_DIMENSION
    objectives: list[str] = field(default_factory=list)
    intro: str = ""
    estimated_time: int | None = None
    # Attributes of the hosting platform's own fields (e.g. ``visible_to_staff_only`` in Open edX),
    # kept as text so that an export then import keeps them.
    platform_attributes: dict[str, str] = field(default_factory=dict)


# Elements whose whitespace-only text is layout, not content (pretty-printed exports add it there).
_BLOCK_CONTAINERS = {
    OBJECTIVE, INTRO, "ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "blockquote", "figure", "div",
}


def _html_of(node) -> str:
    """Author HTML inside ``node``, without namespace declarations or layout whitespace.

    Keeps the stored text identical whether the OLX came from an author or from a pretty-printed export.
    """
    copy = copy_module.deepcopy(node)
    etree.cleanup_namespaces(copy)
    for element in copy.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in _BLOCK_CONTAINERS:
            if element.text is not None and not element.text.strip():
                element.text = None
            for child in element:
                if child.tail is not None and not child.tail.strip():
                    child.tail = None
    return inner_html(copy)


def parse_minutes(node) -> int | None:
    value = (node.get("estimated_time") or "").strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or not 0 < int(value) <= MAX_MINUTES:
        raise OLXError(
            f'attribute estimated_time="{value}" must be a whole number of minutes from 1 to {MAX_MINUTES}', node
        )
    return int(value)


def read(node, platform_fields: tuple[str, ...] = ()) -> tuple[ModuleContent, list]:
    """Read a module element; return its content and its child block elements, in order.

    ``platform_fields`` are attribute names the hosting runtime's mixins define (accepted and kept);
    any other unknown attribute or element is an error naming the element and its line.
    """
    if node.tag != TAG:
        raise OLXError(f"expected <{TAG}>, found <{node.tag}>", node)
    check_tree(node)
    check_attributes(node, set(ATTRIBUTES) | set(platform_fields))
    content = ModuleContent(
        display_name=(node.get("display_name") or "").strip() or DEFAULT_DISPLAY_NAME,
        dimension=parse_choice(node, "dimension", DEFAULT_DIMENSION, DIMENSION_IDS),
        estimated_time=parse_minutes(node),
        platform_attributes={name: node.get(name) for name in platform_fields if node.get(name) is not None},
    )
    if (node.text or "").strip():
        raise OLXError("text directly inside <sse_module> is not allowed; put it in <intro>", node)
    children = []
    intro_seen = False
    for child in node:
        if not isinstance(child.tag, str):
            continue
        if (child.tail or "").strip():
            raise OLXError("text directly inside <sse_module> is not allowed; put it in <intro>", child)
        tag = etree.QName(child).localname if child.tag.startswith("{") else child.tag
        if tag == OBJECTIVE:
            # ``id`` lets quiz questions and rubric criteria name the objective they assess.
            check_attributes(child, {"id"})
            text = _html_of(child)
            if not text:
                raise OLXError("an objective must not be empty", child)
            content.objectives.append(text)
        elif tag == INTRO:
            check_attributes(child, set())
            if intro_seen:
                raise OLXError("a module has at most one <intro>", child)
            intro_seen = True
            content.intro = _html_of(child)
        elif tag in CHILD_TAGS:
            children.append(child)
        else:
            allowed = ", ".join(f"<{t}>" for t in (OBJECTIVE, INTRO, *CHILD_TAGS))
            raise OLXError(f"unknown element <{tag}> inside <{TAG}> (allowed: {allowed})", child)
    if len(content.objectives) > MAX_OBJECTIVES:
        raise OLXError(f"a module has at most {MAX_OBJECTIVES} objectives", node)
    return content, children


