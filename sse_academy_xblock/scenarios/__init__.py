"""Workbench scenarios: XML files in this folder named ``<block_type>__<slug>.xml``.

A block's ``workbench_scenarios()`` returns ``load(block_type)``; the title is the root element's
``display_name``. A broken file breaks the workbench index, so the test suite loads every one.
"""

from __future__ import annotations

from importlib.resources import files

from lxml import etree

from ..olx import safe_parser


def scenario_files(block_type: str):
    folder = files(__name__)
    return sorted(
        (f for f in folder.iterdir() if f.name.startswith(f"{block_type}__") and f.name.endswith(".xml")),
        key=lambda f: f.name,
    )


def load(block_type: str) -> list[tuple[str, str]]:
    """``[(title, xml)]`` for the workbench, in file-name order."""
    result = []
    for item in scenario_files(block_type):
        xml = item.read_text(encoding="utf-8")
        root = etree.fromstring(xml.encode("utf-8"), parser=safe_parser())
        slug = item.name[len(block_type) + 2 : -4]
        title = root.get("display_name") or slug.replace("-", " ").capitalize()
        if root.tag == "vertical_demo" and "display_name" in root.attrib:
            # The title names the page; the workbench's vertical has no such field and would warn about it.
            del root.attrib["display_name"]
            xml = etree.tostring(root, encoding="unicode")
        result.append((title, xml))
    return result
