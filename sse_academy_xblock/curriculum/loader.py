"""Find the shipped curriculum modules and lay each out as native course content.

Each module is a folder ``<NN-slug>/`` in this package holding ``module.xml`` (the source format of
:mod:`.source`). :func:`parts` turns a module into its components in course order: an html component
with the objectives and the introduction, then each quiz, case study or other component of the
source, then a profile of the module's section. :mod:`.export` writes them as an Open edX section;
:func:`workbench_scenarios` as one workbench page per module, plus a page with the whole course.

The XBlock SDK workbench has no ``html`` or ``video`` block: there (only) they become the SDK's
``html_demo`` text block.
"""

from __future__ import annotations

import copy
import html
import logging
import re
from dataclasses import dataclass
from importlib.resources import files

from lxml import etree

from ..dimensions import label
from ..olx import parse_string
from . import source

log = logging.getLogger(__name__)

MODULE_FILE = "module.xml"
FOLDER = re.compile(r"^(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$")
GRADED_TAGS = source.GRADED_CHILD_TAGS
SECTION_PROFILE_NAME = "Your Decent Work profile in this module"
COURSE_PROFILE_NAME = "Your Decent Work profile across the course"
WHOLE_COURSE_TITLE = "The whole course: every module and your course profile"


@dataclass(frozen=True)
class Part:
    """One component of a module: its OLX element, a stable url_name and a title for its unit."""

    kind: str
    element: etree._Element
    url_name: str
    title: str


@dataclass(frozen=True)
class ShippedModule:
    number: int
    slug: str
    xml: str

    def read(self) -> tuple[source.ModuleContent, list]:
        return source.read(parse_string(self.xml))

    @property
    def title(self) -> str:
        return self.read()[0].display_name

    @property
    def prefix(self) -> str:
        return f"m{self.number:02d}"


def module_folders():
    """The module folders, in course order (by their two-digit prefix)."""
    root = files(__package__)
    folders = [item for item in root.iterdir() if item.is_dir() and FOLDER.match(item.name)]
    return sorted((f for f in folders if f.joinpath(MODULE_FILE).is_file()), key=lambda f: f.name)


def modules() -> list[ShippedModule]:
    return [
        ShippedModule(int(FOLDER.match(folder.name).group(1)), folder.name,
                      folder.joinpath(MODULE_FILE).read_text(encoding="utf-8"))
        for folder in module_folders()
    ]


def duration(minutes: int | None) -> str:
    if not minutes:
        return ""
    hours, rest = divmod(int(minutes), 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


def intro_html(content: source.ModuleContent) -> str:
    """The module's first html component: its dimension and time, objectives, then the introduction."""
    meta = [f"Decent Work dimension: {html.escape(label(content.dimension))}"]
    if content.estimated_time:
        meta.append(f"Estimated time: {duration(content.estimated_time)}")
    pieces = ["<p>" + html.escape(" · ").join(meta) + "</p>"]
    if content.objectives:
        items = "".join(f"<li>{text}</li>" for text in content.objectives)
        pieces.append(f"<h3>Learning objectives</h3><ul>{items}</ul>")
    if content.intro:
        pieces.append(content.intro)
    return "\n".join(pieces)


def _html_element(markup: str, display_name: str) -> etree._Element:
    node = parse_string(f"<html>{markup}</html>")
    node.set("display_name", display_name)
    return node


def parts(module: ShippedModule) -> list[Part]:
    """The module's components in course order, each with a stable url_name (kept across re-imports)."""
    content, children = module.read()
    prefix = module.prefix
    result = [Part("html", _html_element(intro_html(content), "Objectives and introduction"),
                   f"{prefix}_intro", "Objectives and introduction")]
    counts: dict[str, int] = {}
    for child in children:
        element = copy.deepcopy(child)
        element.tail = None
        counts[element.tag] = counts.get(element.tag, 0) + 1
        suffix = "" if counts[element.tag] == 1 else f"_{counts[element.tag]}"
        url_name = f"{prefix}_{element.tag.replace('sse_', '')}{suffix}"
        element.set("url_name", url_name)
        title = element.get("display_name") or element.tag
        result.append(Part(element.tag, element, url_name, title))
    profile = etree.Element("sse_profile", display_name=SECTION_PROFILE_NAME, scope="section",
                            url_name=f"{prefix}_profile")
    result.append(Part("sse_profile", profile, f"{prefix}_profile", SECTION_PROFILE_NAME))
    return result


def course_profile() -> etree._Element:
    return etree.Element("sse_profile", display_name=COURSE_PROFILE_NAME, scope="course", url_name="course_profile")


# ---------------------------------------------------------------------------------- workbench

def _for_workbench(element: etree._Element) -> etree._Element:
    """An LMS-only content block as the workbench's text block; our blocks unchanged."""
    node = copy.deepcopy(element)
    node.attrib.pop("url_name", None)
    if node.tag not in ("html", "video"):
        return node
    replacement = etree.Element("html_demo")
    if node.tag == "html":
        replacement.text = node.text
        for child in node:
            replacement.append(child)
    else:
        paragraph = etree.SubElement(replacement, "p")
        paragraph.text = f"{node.get('display_name') or 'Video'} (the video plays in the Open edX LMS)."
    # html_demo fills ``$name`` placeholders from the render context: keep dollar signs literal.
    for item in replacement.iter():
        if item.text:
            item.text = item.text.replace("$", "$$")
        if item is not replacement and item.tail:
            item.tail = item.tail.replace("$", "$$")
        for key, value in item.attrib.items():
            item.set(key, value.replace("$", "$$"))
    return replacement


def module_page(module: ShippedModule) -> etree._Element:
    """One module as one workbench page: its components in order in a ``vertical_demo``."""
    page = etree.Element("vertical_demo")
    for index, part in enumerate(parts(module)):
        element = _for_workbench(part.element)
        if index == 0:
            heading = etree.Element("h2")
            heading.text = f"{module.number}. {module.title}"
            heading.tail = element.text
            element.text = None
            element.insert(0, heading)
        page.append(element)
    return page


def whole_course_page(shipped: list[ShippedModule]) -> etree._Element:
    page = etree.Element("vertical_demo")
    for module in shipped:
        page.append(module_page(module))
    page.append(course_profile())
    page[-1].attrib.pop("url_name", None)
    return page


def _missing_block_types(root) -> set[str]:
    """Block types used in ``root`` that no installed XBlock provides (yet)."""
    from xblock.core import XBlock
    from xblock.plugin import PluginMissingError

    missing = set()
    tags = {root.tag}
    for node in root.iter("vertical_demo"):
        tags |= {child.tag for child in node if isinstance(child.tag, str)}
    for tag in sorted(tags):
        try:
            XBlock.load_class(tag)
        except PluginMissingError:
            missing.add(tag)
    return missing


def workbench_scenarios(extra: list[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """``[(title, xml)]``: every shipped module (numbered), then the whole course, then ``extra``.

    A page that uses a block type that is not installed (the SDK's page blocks are absent from a
    production install) is left out with a warning rather than breaking the whole workbench index.
    """
    shipped = modules()
    candidates = [(f"{m.number}. {m.title}", module_page(m)) for m in shipped]
    if shipped:
        candidates.append((WHOLE_COURSE_TITLE, whole_course_page(shipped)))
    candidates += [(title, parse_string(xml)) for title, xml in extra]
    result = []
    for title, root in candidates:
        missing = _missing_block_types(root)
        if missing:
            log.warning("Workbench scenario %r skipped: block type(s) %s not installed", title, sorted(missing))
            continue
        result.append((title, etree.tostring(root, encoding="unicode")))
    return result
