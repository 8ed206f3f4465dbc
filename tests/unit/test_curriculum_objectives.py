"""Learning objectives are tied to what assesses them: questions and rubric criteria name an objective of
their module, the parsers refuse an unknown one, and every shipped objective is assessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from sse_academy_xblock.curriculum.objectives import check_module_xml, objective_coverage
from sse_academy_xblock.olx import OLXError, parse_string
from sse_academy_xblock.peer.rubric import Rubric, rubric_from_xml, rubric_to_xml, validate_rubric_data
from sse_academy_xblock.quiz.olx import parse_quiz, parse_quiz_string, quiz_to_string
from sse_academy_xblock.quiz.authoring import validate_studio_payload

CURRICULUM = Path(__file__).resolve().parents[2] / "sse_academy_xblock" / "curriculum"
SLUGS = sorted(p.parent.name for p in CURRICULUM.glob("*/module.xml"))

QUIZ = """<sse_quiz dimension="employment">
  <question id="q1" type="truefalse" answer="true" objective="{ref}"><prompt>P</prompt></question>
</sse_quiz>"""

RUBRIC = """<rubric>
  <criterion name="c1" label="C" objective="{ref}"><option points="0" label="No">x</option>
  <option points="2" label="Yes">y</option></criterion>
</rubric>"""


def module(quiz_ref="o1", rubric_ref="o2", objectives='<objective id="o1">A</objective><objective id="o2">B</objective>'):
    return f"""<sse_module dimension="employment">{objectives}<intro><p>I</p></intro>
      {QUIZ.format(ref=quiz_ref)}
      <sse_case_study><case><p>C</p></case><prompt>P</prompt>{RUBRIC.format(ref=rubric_ref)}</sse_case_study>
    </sse_module>"""


def test_quiz_question_keeps_its_objective_through_export_and_parse():
    _settings, questions = parse_quiz_string(QUIZ.format(ref="o1"))
    assert questions[0].objective == "o1"
    _settings, again = parse_quiz_string(quiz_to_string(*parse_quiz_string(QUIZ.format(ref="o1"))))
    assert again[0].objective == "o1"
    assert again[0].to_dict()["objective"] == "o1"


def test_quiz_parser_refuses_an_objective_the_module_does_not_have():
    with pytest.raises(OLXError, match='objective="o9" is not a learning objective'):
        parse_quiz(parse_string(QUIZ.format(ref="o9")), objectives=["o1", "o2"])
    # Without a module to check against (a quiz on its own), the reference is kept as written.
    assert parse_quiz(parse_string(QUIZ.format(ref="o9")))[1][0].objective == "o9"


def test_quiz_parser_refuses_a_malformed_objective_reference():
    with pytest.raises(OLXError, match="learning objective"):
        parse_quiz_string(QUIZ.format(ref="not an id"))


def test_studio_quiz_editor_keeps_the_objective():
    payload = {"display_name": "Q", "dimension": "employment", "max_attempts": 0, "show_answer": "finished",
               "shuffle": False, "pass_mark": 60, "multiple_scoring": "partial",
               "questions": [{"id": "q1", "type": "truefalse", "prompt": "P", "points": 1, "answer": True,
                              "objective": "o1"}]}
    _settings, questions, errors = validate_studio_payload(payload, lambda s: s)
    assert errors == []
    assert questions[0].objective == "o1"


def test_rubric_criterion_keeps_its_objective_and_parser_refuses_an_unknown_one():
    rubric = rubric_from_xml(parse_string(RUBRIC.format(ref="o2")), objectives={"o1", "o2"})
    assert rubric.criteria[0].objective == "o2"
    again = rubric_from_xml(rubric_to_xml(rubric, parse_string("<x/>")))
    assert again == rubric
    assert Rubric.from_list(rubric.to_list()) == rubric
    with pytest.raises(OLXError, match='objective="o3" is not a learning objective'):
        rubric_from_xml(parse_string(RUBRIC.format(ref="o3")), objectives={"o1", "o2"})


def test_a_rubric_without_objectives_keeps_its_version_digest():
    plain = rubric_from_xml(parse_string(RUBRIC.replace(' objective="{ref}"', "")))
    assert "objective" not in plain.to_list()[0]
    linked = rubric_from_xml(parse_string(RUBRIC.format(ref="o1")))
    assert linked.digest() != plain.digest()


def test_studio_rubric_editor_keeps_the_objective():
    data = [{"name": "c1", "label": "C", "objective": "o2", "options": [{"label": "No", "points": 0}]}]
    rubric, errors = validate_rubric_data(data)
    assert errors == [] and rubric.criteria[0].objective == "o2"
    _rubric, errors = validate_rubric_data([dict(data[0], objective="two words")])
    assert errors and "learning objective" in errors[0]["message"]


def test_module_coverage_lists_what_assesses_each_objective():
    assert check_module_xml(module()) == {"o1": ["quiz q1"], "o2": ["rubric c1"]}


@pytest.mark.parametrize("kwargs, message", [
    ({"quiz_ref": "o7"}, 'objective="o7" is not a learning objective'),
    ({"rubric_ref": "o1"}, "o2 assessed by no question or criterion"),
    ({"objectives": "<objective>A</objective>"}, "needs id="),
    ({"objectives": '<objective id="o1">A</objective><objective id="o1">B</objective>'}, "second learning objective"),
])
def test_module_coverage_refuses_authoring_errors(kwargs, message):
    with pytest.raises(OLXError, match=message):
        check_module_xml(module(**kwargs))


def test_a_question_that_names_no_objective_is_refused_in_a_module():
    xml = module().replace(' objective="o1"', "")
    with pytest.raises(OLXError, match='question "q1" does not name the objective'):
        check_module_xml(xml)
@pytest.mark.parametrize("slug", SLUGS)
def test_every_shipped_objective_is_assessed(slug):
    root = parse_string((CURRICULUM / slug / "module.xml").read_bytes())
    coverage = objective_coverage(root)
    assert len(coverage) == len(root.findall("objective"))
    assert all(coverage.values())


def test_course_export_refuses_a_module_with_an_unassessed_objective(monkeypatch, tmp_path):
    from sse_academy_xblock.curriculum import export, loader

    broken = loader.ShippedModule(9, "09-broken", module(rubric_ref="o1"))
    monkeypatch.setattr(loader, "modules", lambda language="en": [broken])
    with pytest.raises(SystemExit, match="09-broken/module.xml: .*o2 assessed by no question or criterion"):
        export.build(tmp_path / "course.tar.gz")
    assert not (tmp_path / "course.tar.gz").exists()
