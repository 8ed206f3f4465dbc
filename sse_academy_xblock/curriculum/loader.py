"""Find the shipped curriculum modules and turn them into workbench scenarios.

Each module is a folder ``<NN-slug>/`` in this package holding ``module.xml``, whose root is an
``<sse_module>`` element. The XBlock SDK workbench has no ``html`` or ``video`` block, so for the
workbench (only) those children become the SDK's ``html_demo`` text block.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib.resources import files

from lxml import etree

from ..olx import parse_string

log = logging.getLogger(__name__)

MODULE_FILE = "module.xml"
FOLDER = re.compile(r"^(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class ShippedModule:
    number: int
    slug: str
    xml: str

    @property
    def title(self) -> str:
        return parse_string(self.xml).get("display_name") or self.slug


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


def for_workbench(xml: str) -> str:
    """The module's OLX with the LMS-only content blocks replaced by the workbench's text block."""
    root = parse_string(xml)
    for node in list(root.iter("html", "video")):
        if node.tag == "html":
            replacement = etree.Element("html_demo")
            replacement.text = node.text
            for child in node:
                replacement.append(child)
        else:
            replacement = etree.Element("html_demo")
            paragraph = etree.SubElement(replacement, "p")
            name = node.get("display_name") or "Video"
            paragraph.text = f"{name} (the video plays in the Open edX LMS)."
        replacement.tail = node.tail
        # html_demo fills ``$name`` placeholders from the render context: keep dollar signs literal.
        for element in replacement.iter():
            if element.text:
                element.text = element.text.replace("$", "$$")
            if element is not replacement and element.tail:
                element.tail = element.tail.replace("$", "$$")
            for key, value in element.attrib.items():
                element.set(key, value.replace("$", "$$"))
        node.getparent().replace(node, replacement)
    return etree.tostring(root, encoding="unicode")


def _missing_block_types(xml: str) -> set[str]:
    """Block types used in ``xml`` that no installed XBlock provides (yet)."""
    from xblock.core import XBlock
    from xblock.plugin import PluginMissingError

    missing = set()
    root = parse_string(xml)
    candidates = {root.tag} | {child.tag for child in root if isinstance(child.tag, str)}
    for tag in candidates - {"objective", "intro"}:
        try:
            XBlock.load_class(tag)
        except PluginMissingError:
            missing.add(tag)
    return missing


def workbench_scenarios(extra: list[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """``[(title, xml)]`` for every shipped module (numbered), then ``extra`` scenarios.

    A module that uses a block type that is not installed is left out with a warning rather than
    breaking the whole workbench index.
    """
    result = []
    candidates = [(f"{m.number}. {m.title}", for_workbench(m.xml)) for m in modules()]
    candidates += [(title, for_workbench(xml)) for title, xml in extra]
    for title, xml in candidates:
        missing = _missing_block_types(xml)
        if missing:
            log.warning("Workbench scenario %r skipped: block type(s) %s not installed", title, sorted(missing))
            continue
        result.append((title, xml))
    return result
