"""The shared OLX parser refuses hostile XML with a message naming the problem."""

import pytest

from sse_academy_xblock import olx


@pytest.mark.parametrize(
    "xml, expected",
    [
        ('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "DTD"),
        ('<!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>', "DTD"),
        ("<x>" * 300 + "</x>" * 300, "(?i)nested|depth"),
        ("<x><y></x>", "not well formed"),
    ],
)
def test_hostile_or_broken_xml_is_refused(xml, expected):
    with pytest.raises(olx.OLXError, match=expected):
        olx.parse_string(xml)


def test_oversized_document_is_refused_before_parsing():
    with pytest.raises(olx.OLXError, match="larger than"):
        olx.parse_string("<x>" + "a" * (olx.MAX_OLX_BYTES + 1) + "</x>")


def test_errors_name_element_and_line():
    root = olx.parse_string("<quiz>\n\n<question bogus='1'/></quiz>")
    with pytest.raises(olx.OLXError, match=r"<question> \(line 3\).*bogus"):
        olx.check_attributes(root[0], {"id"})


def test_inner_html_round_trips_mixed_content():
    root = olx.parse_string("<prompt>a &lt; b <b>bold</b> tail</prompt>")
    html = olx.inner_html(root)
    assert html == "a &lt; b <b>bold</b> tail"
    from lxml import etree

    node = etree.Element("prompt")
    olx.set_inner_html(node, html)
    assert olx.inner_html(node) == html


def test_html_that_is_not_xml_is_normalised_not_lost():
    from lxml import etree

    node = etree.Element("prompt")
    olx.set_inner_html(node, "line<br>next &amp; more")
    assert olx.inner_html(node) == "line<br/>next &amp; more"
