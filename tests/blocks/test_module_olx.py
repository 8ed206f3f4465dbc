"""OLX of ``sse_module``: a full module round-trips with its children; bad OLX is refused with its line."""

from __future__ import annotations

import io

import pytest
from lxml import etree

from sse_academy_xblock.module import olx as module_olx
from sse_academy_xblock.olx import OLXError

FULL = """<sse_module display_name="Rights at work &amp; SSE" dimension="rights_at_work" estimated_time="90">
  <objective>Name the <strong>ten</strong> fundamental conventions.</objective>
  <objective>Relate cooperatives to freedom of association.</objective>
  <intro><p>An introduction with <a href="https://www.ilo.org/">a link</a> &amp; an ampersand.</p><ul><li>one</li></ul></intro>
  <html_demo><p>Between the graded parts.</p></html_demo>
  <sse_quiz display_name="Quiz" dimension="rights_at_work" max_attempts="2" show_answer="finished" pass_mark="60">
    <question id="q1" type="single" points="2">
      <prompt>Which convention of 1948 protects freedom of association?</prompt>
      <choice id="a" correct="true">C87<feedback>Yes.</feedback></choice>
      <choice id="b">C100</choice>
      <explanation>C87 dates from 1948.</explanation>
    </question>
    <question id="q2" type="numeric" answer="1998" tolerance="0" dimension="social_dialogue">
      <prompt>Year of the Declaration?</prompt>
    </question>
  </sse_quiz>
</sse_module>"""


def export(block) -> bytes:
    out = io.BytesIO()
    block.runtime.export_to_xml(block, out)
    return out.getvalue()


def own_fields(block) -> dict:
    return {name: getattr(block, name) for name in ("display_name", "dimension", "objectives", "intro", "estimated_time")}


def tree(block):
    """The block and its descendants as comparable data (type, fields set on it, children).

    The SDK's ``html_demo`` text block is not ours and adds namespace declarations on export, so it is
    compared by its text.
    """
    if block.scope_ids.block_type == "html_demo":
        return "html_demo", " ".join(etree.fromstring(f"<x>{block.content}</x>").itertext()).split(), []
    fields = {
        name: field.read_json(block)
        for name, field in block.fields.items()
        if name not in ("children", "parent") and field.is_set_on(block)
    }
    kids = [tree(block.runtime.get_block(child)) for child in getattr(block, "children", []) or []]
    return block.scope_ids.block_type, fields, kids


def test_a_full_module_round_trips_with_its_children(make_block):
    first = make_block(FULL)
    assert own_fields(first) == {
        "display_name": "Rights at work & SSE",
        "dimension": "rights_at_work",
        "objectives": ["Name the <strong>ten</strong> fundamental conventions.",
                       "Relate cooperatives to freedom of association."],
        "intro": '<p>An introduction with <a href="https://www.ilo.org/">a link</a> &amp; an ampersand.</p>'
                 "<ul><li>one</li></ul>",
        "estimated_time": 90,
    }
    exported = export(first)
    second = make_block(exported)
    assert tree(second) == tree(first)
    assert export(second) == exported
    root = etree.fromstring(exported)
    assert [child.tag for child in root] == ["objective", "objective", "intro", "html_demo", "sse_quiz"]
    assert len(root.find("sse_quiz").findall("question")) == 2


def test_an_empty_module_round_trips(make_block):
    first = make_block('<sse_module display_name="Empty" dimension="employment"/>')
    second = make_block(export(first))
    assert own_fields(second) == own_fields(first) == {
        "display_name": "Empty", "dimension": "employment", "objectives": [], "intro": "", "estimated_time": None,
    }
    assert second.children == []


@pytest.mark.parametrize(
    "xml, element, line, words",
    [
        ('<sse_module display_name="M"\n colour="red"/>', "sse_module", 2, "colour"),
        ('<sse_module dimension="leisure"/>', "sse_module", 1, "dimension"),
        ('<sse_module estimated_time="3 hours"/>', "sse_module", 1, "minutes"),
        ('<sse_module estimated_time="0"/>', "sse_module", 1, "minutes"),
        ('<sse_module>\n<objective/>\n</sse_module>', "objective", 2, "empty"),
        ('<sse_module>\n<intro>a</intro>\n<intro>b</intro></sse_module>', "intro", 3, "at most one"),
        ('<sse_module>\n\n<problem/></sse_module>', "problem", 3, "unknown element"),
        ('<sse_module>stray text</sse_module>', "sse_module", 1, "text directly"),
        ('<sse_module>\n<objective lang="fr">x</objective></sse_module>', "objective", 2, "lang"),
    ],
)
def test_bad_olx_is_refused_naming_the_element_and_line(make_block, xml, element, line, words):
    with pytest.raises(OLXError) as caught:
        make_block(xml)
    message = str(caught.value)
    assert f"<{element}> (line {line})" in message
    assert words in message


def test_entities_and_dtds_are_refused(make_block):
    hostile = '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x "boom">]><sse_module display_name="&x;"/>'
    with pytest.raises(OLXError):
        make_block(hostile)
    with pytest.raises(OLXError):
        module_olx.read(etree.fromstring(hostile.encode(), etree.XMLParser(resolve_entities=False)))


def test_platform_fields_survive_export_and_import():
    """Open edX mixes its own settings (e.g. visibility) into every block: the module keeps them."""
    from xblock.fields import Boolean, Scope
    from xblock.runtime import DictKeyValueStore, KvsFieldData
    from xblock.test.tools import TestRuntime

    from sse_academy_xblock.blocks.module import SSEModuleBlock

    class VisibilityMixin:
        visible_to_staff_only = Boolean(scope=Scope.settings, default=False)

    runtime = TestRuntime(services={"field-data": KvsFieldData(DictKeyValueStore())}, mixins=(VisibilityMixin,))
    runtime.id_generator = runtime.id_reader  # TestRuntime's memory id manager does both
    usage = runtime.parse_xml_string(
        '<sse_module display_name="Hidden" dimension="employment" visible_to_staff_only="true"/>'
    )
    block = runtime.get_block(usage)
    assert block.visible_to_staff_only is True
    node = etree.Element("x")
    block.add_xml_to_node(node)
    assert node.get("visible_to_staff_only") == "true"
