"""The rubric: editor validation, OLX parsing with located errors, round trip, version digest."""

import pytest
from lxml import etree

from sse_academy_xblock.olx import OLXError, parse_string
from sse_academy_xblock.peer.rubric import Rubric, rubric_from_xml, rubric_to_xml, rubric_warnings, validate_rubric_data

RUBRIC_XML = """<rubric>
  <criterion name="analysis" label="Analysis of the case">
    <description>How well the <em>case</em> is analysed.</description>
    <option points="0" label="Missing">Does not analyse the case.</option>
    <option points="2" label="Partial">Names <strong>some</strong> causes.</option>
    <option points="4" label="Strong">Explains causes and effects.</option>
  </criterion>
  <criterion name="rights" label="Use of the Decent Work framework">
    <option points="0" label="Absent">No link.</option>
    <option points="3" label="Present">Links to rights at work.</option>
  </criterion>
</rubric>"""


def test_parse_rubric():
    rubric = rubric_from_xml(parse_string(RUBRIC_XML))
    assert [c.name for c in rubric.criteria] == ["analysis", "rights"]
    assert rubric.max_points == 7
    assert rubric.criteria[0].description == "How well the <em>case</em> is analysed."
    assert rubric.criteria[0].options[1].explanation == "Names <strong>some</strong> causes."
    assert rubric.criterion("rights").max_points == 3


def test_rubric_round_trip_is_exact():
    rubric = rubric_from_xml(parse_string(RUBRIC_XML))
    parent = etree.Element("x")
    rubric_to_xml(rubric, parent)
    again = rubric_from_xml(parse_string(etree.tostring(parent[0])))
    assert again == rubric
    assert again.digest() == rubric.digest()


@pytest.mark.parametrize(
    "xml, fragment",
    [
        ('<rubric><criterion label="A"><option points="1" label="x"/></criterion></rubric>', "<criterion> (line 1)"),
        ('<rubric>\n<criterion name="a" label="A">\n<option points="1.5" label="x"/></criterion></rubric>',
         "<option> (line 3)"),
        ('<rubric><criterion name="a" label="A"></criterion></rubric>', "at least one <option>"),
        ('<rubric><criterion name="a" label="A"><option points="1" label="x"/></criterion>'
         '<criterion name="a" label="B"><option points="1" label="x"/></criterion></rubric>', "second criterion"),
        ('<rubric><criterion name="a" label="A"><option points="1"/></criterion></rubric>', 'label="..."'),
        ('<rubric><criterion name="a" label="A" colour="red"><option points="1" label="x"/></criterion></rubric>',
         "unknown attribute"),
        ('<rubric><question/></rubric>', "unknown element <question>"),
    ],
)
def test_rubric_olx_errors_name_the_element(xml, fragment):
    with pytest.raises(OLXError) as info:
        rubric_from_xml(parse_string(xml))
    assert fragment in str(info.value)


def test_digest_changes_with_points_only():
    rubric = rubric_from_xml(parse_string(RUBRIC_XML))
    data = rubric.to_list()
    data[1]["options"][1]["points"] = 5
    assert Rubric.from_list(data).digest() != rubric.digest()
    assert Rubric.from_list(rubric.to_list()).digest() == rubric.digest()


def test_validate_editor_payload_collects_every_error():
    payload = [
        {"name": "ok", "label": "Fine", "options": [{"label": "a", "points": 1}]},
        {"name": "bad name!", "label": "", "options": [{"label": "", "points": "two"}]},
        {"name": "ok", "label": "Dup", "options": []},
    ]
    rubric, errors = validate_rubric_data(payload)
    assert rubric is None
    messages = [e["message"] % e["params"] for e in errors]
    assert any("short name" in m for m in messages)
    assert any("needs a label" in m for m in messages)
    assert any("whole number" in m for m in messages)
    assert any("must be unique" in m for m in messages)
    assert any("at least one option" in m for m in messages)
    assert len(errors) >= 6


def test_validate_editor_payload_accepts_a_good_rubric():
    rubric, errors = validate_rubric_data(
        [{"name": "a", "label": "A", "description": "", "options": [{"label": "x", "points": "2"}, {"label": "y", "points": 0}]}]
    )
    assert errors == []
    assert rubric.max_points == 2


def test_warnings_for_authors():
    assert rubric_warnings(Rubric())[0][0].startswith("The rubric has no criteria")
    negative = Rubric.from_list([{"name": "a", "label": "A", "options": [{"label": "x", "points": -1}]}])
    texts = [w[0] for w in rubric_warnings(negative)]
    assert any("negative points" in t for t in texts)
    assert any("0 points" in t for t in texts)
    good = rubric_from_xml(parse_string(RUBRIC_XML))
    assert rubric_warnings(good) == []
