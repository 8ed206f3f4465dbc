"""The quiz OLX contract: the shape in the README parses, round-trips, and bad OLX is refused clearly."""

import pytest
from lxml import etree

from sse_academy_xblock import platform_olx
from sse_academy_xblock.olx import OLXError, parse_string
from sse_academy_xblock.quiz import olx
from sse_academy_xblock.scenarios import scenario_files

ISSUE_EXAMPLE = """
<sse_quiz display_name="Cooperatives" dimension="rights_at_work" weight="1" max_attempts="2"
          show_answer="finished" shuffle="true" pass_mark="60" multiple_scoring="partial">
  <question id="q1" type="single" points="1">
    <prompt>Which ILO instrument of 2002 promotes cooperatives?</prompt>
    <choice id="a" correct="true">Recommendation No. 193<feedback>Yes: adopted in 2002.</feedback></choice>
    <choice id="b">Convention No. 87</choice>
    <explanation>R193 replaced R127 (1966).</explanation>
  </question>
  <question id="q2" type="numeric" answer="1895" tolerance="0" dimension="social_dialogue">
    <prompt>In which year was the International Co-operative Alliance founded?</prompt>
  </question>
  <question id="q3" type="text"><prompt>Which Basque group?</prompt><answer>Mondragon</answer><answer>Mondragón</answer></question>
  <question id="q4" type="truefalse" answer="true"><prompt>R193 applies to all countries.</prompt></question>
  <question id="q5" type="multiple" points="2.5">
    <prompt>Pick <em>all</em> fundamental conventions.</prompt>
    <choice id="a" correct="true">C87</choice><choice id="b">C102<feedback>No: <strong>social security</strong>.</feedback></choice>
    <choice id="c" correct="true">C98</choice>
  </question>
</sse_quiz>
"""


def test_issue_example_parses_into_settings_and_questions():
    settings, questions = olx.parse_quiz_string(ISSUE_EXAMPLE)
    assert settings == {
        "display_name": "Cooperatives", "dimension": "rights_at_work", "weight": 1.0, "max_attempts": 2,
        "show_answer": "finished", "shuffle": True, "pass_mark": 60, "multiple_scoring": "partial",
        "retry_after_full": False, "content_language": "en", "redraw": False, "pools": [],
    }
    q1, q2, q3, q4, q5 = questions
    assert [c.id for c in q1.choices] == ["a", "b"] and q1.correct_choice_ids() == ["a"]
    assert q1.choices[0].text == "Recommendation No. 193"
    assert q1.choices[0].feedback == "Yes: adopted in 2002."
    assert q1.explanation == "R193 replaced R127 (1966)."
    assert (q2.answer, q2.tolerance, q2.dimension) == (1895.0, 0.0, "social_dialogue")
    assert q3.accepted == ["Mondragon", "Mondragón"]
    assert q4.answer is True
    assert q5.points == 2.5 and q5.prompt == "Pick <em>all</em> fundamental conventions."
    assert q5.choices[1].feedback == "No: <strong>social security</strong>."


def roundtrip(text):
    settings, questions = olx.parse_quiz_string(text)
    exported = olx.quiz_to_string(settings, questions)
    return (settings, questions), olx.parse_quiz_string(exported), exported


@pytest.mark.parametrize("path", scenario_files("sse_quiz"), ids=lambda p: p.name)
def test_every_scenario_round_trips(path):
    """Our settings and questions (a scenario's platform attributes, such as ``due``, are the platform's)."""
    node = parse_string(path.read_text(encoding="utf-8"))
    platform_attrs = set(platform_olx.platform_attributes(node, olx.SETTING_ATTRS))
    first = olx.parse_quiz(node, platform_attrs=platform_attrs)
    assert olx.parse_quiz_string(olx.quiz_to_string(*first)) == first


def test_issue_example_round_trips_and_exports_the_documented_shape():
    first, second, exported = roundtrip(ISSUE_EXAMPLE)
    assert first == second
    root = etree.fromstring(exported)
    assert root.tag == "sse_quiz"
    assert root.find("question[@id='q1']/choice[@id='a']").get("correct") == "true"
    assert root.find("question[@id='q1']/choice[@id='a']/feedback").text == "Yes: adopted in 2002."
    assert [a.text for a in root.findall("question[@id='q3']/answer")] == ["Mondragon", "Mondragón"]
    assert root.find("question[@id='q2']").get("answer") == "1895"


def test_pretty_printed_export_reimports_identically():
    settings, questions = olx.parse_quiz_string(
        '<sse_quiz><question id="q" type="truefalse" answer="false"><prompt><p>One</p><p>Two</p></prompt>'
        "</question></sse_quiz>")
    pretty = etree.tostring(etree.fromstring(olx.quiz_to_string(settings, questions)), pretty_print=True)
    assert olx.parse_quiz_string(pretty) == (settings, questions)
    assert questions[0].prompt == "<p>One</p><p>Two</p>"


def test_defaults_apply_when_attributes_are_absent():
    settings, questions = olx.parse_quiz_string(
        '<sse_quiz><question id="q" type="truefalse" answer="true"><prompt>x</prompt></question></sse_quiz>')
    # No max_attempts of its own: the course's setting (the platform's inheritable one), else no limit.
    assert settings["max_attempts"] is None and settings["show_answer"] == "finished"
    assert settings["multiple_scoring"] == "all_or_nothing" and settings["weight"] is None
    assert questions[0].points == 1.0 and questions[0].dimension is None


@pytest.mark.parametrize("body, message", [
    ('<question id="q" type="essay"><prompt>x</prompt></question>', r'<question> \(line 2\).*type="essay"'),
    ('<question id="q" type="single" colour="red"><prompt>x</prompt></question>', r"<question> \(line 2\).*colour"),
    ('<quiestion id="q"/>', r"<quiestion> \(line 2\).*unknown element"),
    ('<question id="q" type="single"><prompt>x</prompt><hint>h</hint></question>', r"<hint>.*unknown element"),
    ('<question id="q" type="single"><prompt>x</prompt>\n<choice id="a">A</choice><choice id="b">B</choice></question>',
     r"<question> \(line 2\).*exactly one correct"),
    ('<question id="q" type="single"><choice id="a" correct="true">A</choice>'
     '<choice id="b" correct="true">B</choice></question>', "exactly one correct"),
    ('<question id="q" type="numeric"><prompt>x</prompt></question>', "needs answer="),
    ('<question id="q" type="numeric" answer="many"><prompt>x</prompt></question>', 'answer="many" must be a number'),
    ('<question id="q" type="numeric" answer="1" tolerance="-1"><prompt>x</prompt></question>', "out of range"),
    ('<question id="q" type="truefalse" answer="maybe"><prompt>x</prompt></question>', "true or false"),
    ('<question id="q" type="text"><prompt>x</prompt></question>', "at least one accepted answer"),
    ('<question id="q" type="text"><answer>a</answer><choice id="a">A</choice></question>', "no <choice>"),
    ('<question id="q" type="single"><choice id="a" correct="true">A</choice><choice id="a">B</choice></question>',
     "same id"),
    ('<question id="q" type="truefalse" answer="true" points="0"><prompt>x</prompt></question>', "greater than 0"),
    ('<question id="q" type="truefalse" answer="true" dimension="health"><prompt>x</prompt></question>',
     'dimension="health"'),
    ('<question id="q" type="truefalse" answer="true"><prompt>x</prompt></question>'
     '<question id="q" type="truefalse" answer="true"><prompt>y</prompt></question>', 'id "q" is used twice'),
    ('<question id="q" type="truefalse" answer="true"><prompt> </prompt></question>', "the prompt is empty"),
    ('<question id="q" type="multiple"><prompt>x</prompt><choice id="a">A</choice><choice id="b">B</choice></question>',
     "at least one correct choice"),
    ('<question id="q" type="single"><prompt>x</prompt><choice id="a" correct="true">A</choice><choice id="b"/></question>',
     "every choice needs a text"),
    ('<question type="truefalse" answer="true"/>', "needs an id"),
])
def test_invalid_olx_is_refused_naming_element_and_line(body, message):
    with pytest.raises(OLXError, match=message):
        olx.parse_quiz_string(f"<sse_quiz>\n{body}</sse_quiz>")


@pytest.mark.parametrize("root_attrs, message", [
    ('show_answer="sometimes"', "show_answer"),
    ('multiple_scoring="generous"', "multiple_scoring"),
    ('pass_mark="120"', "out of range"),
    ('max_attempts="-1"', "out of range"),
    ('dimension="health"', "dimension"),
    ('shuffle="perhaps"', "true or false"),
    ('theme="dark"', "unknown attribute"),
])
def test_invalid_quiz_settings_are_refused(root_attrs, message):
    with pytest.raises(OLXError, match=rf"<sse_quiz> \(line 1\).*{message}"):
        olx.parse_quiz_string(f'<sse_quiz {root_attrs}><question id="q" type="truefalse" answer="true"/></sse_quiz>')


@pytest.mark.parametrize("xml", [
    '<!DOCTYPE sse_quiz [<!ENTITY key "1895">]><sse_quiz><question id="q" type="numeric" answer="&key;"/></sse_quiz>',
    '<!DOCTYPE sse_quiz SYSTEM "file:///etc/passwd"><sse_quiz/>',
    '<!DOCTYPE z [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><sse_quiz display_name="&b;"/>',
])
def test_hostile_xml_is_refused(xml):
    with pytest.raises(OLXError, match="DTD|entit"):
        olx.parse_quiz_string(xml)
