"""The five shipped modules load in the workbench runtime, and each quiz's answer key holds together.

The answer key is checked through the quiz block itself: a learner who answers exactly what the key
says gets full marks, and the module's profile then shows those points on the right dimensions.
"""

from __future__ import annotations

import pytest
from lxml import etree

from sse_academy_xblock.blocks.module import SSEModuleBlock
from sse_academy_xblock.curriculum import loader
from sse_academy_xblock.dimensions import DIMENSION_IDS
from sse_academy_xblock.module import olx as module_olx
from sse_academy_xblock.olx import parse_string

MODULES = loader.modules()


def module_ids():
    return [m.slug for m in MODULES]


def without(xml: str, *tags: str) -> str:
    root = parse_string(xml)
    for node in [n for n in root if n.tag in tags]:
        root.remove(node)
    return etree.tostring(root, encoding="unicode")


def key_answers(question) -> object:
    """What the answer key says a learner should send for one question."""
    if question.type == "single":
        correct = question.correct_choice_ids()
        assert len(correct) == 1, f"{question.id}: {len(correct)} correct choices"
        return correct[0]
    if question.type == "multiple":
        assert question.correct_choice_ids(), f"{question.id}: no correct choice"
        return question.correct_choice_ids()
    if question.type == "truefalse":
        assert isinstance(question.answer, bool), f"{question.id}: no answer"
        return "true" if question.answer else "false"
    if question.type == "numeric":
        assert question.answer is not None, f"{question.id}: no answer"
        return repr(question.answer)
    if question.type == "text":
        assert [a for a in question.accepted if a.strip()], f"{question.id}: no accepted answer"
        return question.accepted[0]
    raise AssertionError(f"{question.id}: unknown type {question.type}")


def test_five_modules_ship_in_course_order():
    assert [m.number for m in MODULES] == [1, 2, 3, 4, 5]
    assert len({m.title for m in MODULES}) == 5


@pytest.mark.parametrize("module", MODULES, ids=module_ids())
def test_the_module_element_reads_with_the_module_parser(module):
    content, children = module_olx.read(parse_string(module.xml))
    assert 3 <= len(content.objectives) <= 6 and content.intro
    assert content.estimated_time and content.dimension in DIMENSION_IDS
    assert [c.tag for c in children] == ["sse_quiz", "sse_case_study"]


@pytest.mark.parametrize("module", MODULES, ids=module_ids())
def test_every_shipped_module_loads_and_renders_in_the_workbench(make_block, module):
    block = make_block(loader.for_workbench(module.xml))
    assert isinstance(block, SSEModuleBlock)
    html = block.render("student_view", {}).body_html()
    assert module.title in html
    assert html.count("data-block-type='sse_quiz'") == 1
    assert html.count("data-block-type='sse_case_study'") == 1
    assert not [m for m in block.validate().messages if m.type == "error"], block.validate().to_json()


@pytest.mark.parametrize("module", MODULES, ids=module_ids())
def test_each_quiz_answer_key_is_consistent_and_earns_full_marks(make_block, call, module):
    # The case study is not needed to check the quiz key; leaving it out keeps this check independent of it.
    block = make_block(without(module.xml, "sse_case_study"), user="key_reader")
    quiz = block.runtime.get_block(block.children[0])
    questions = quiz.question_list()
    assert len(questions) >= 8
    ids = [q.id for q in questions]
    assert len(ids) == len(set(ids)), f"duplicate question ids in {module.slug}"
    for question in questions:
        choice_ids = [c.id for c in question.choices]
        assert len(choice_ids) == len(set(choice_ids)), f"{module.slug} {question.id}: duplicate choice ids"
    answers = {q.id: key_answers(q) for q in questions}

    status, reply = call(quiz, "submit", {"answers": answers, "attempt": 1})
    assert status == 200, reply
    assert quiz.raw_earned == quiz.raw_possible == quiz.max_score() > 0

    status, data = call(block, "profile", {})
    assert status == 200
    possible = quiz.possible_by_dimension()
    for line in data["profile"]["dimensions"]:
        assert line["earned"] == line["possible"] == possible.get(line["id"], 0), line
    assert data["profile"]["percent"] == 100


def test_lms_content_blocks_become_workbench_text_blocks(make_block):
    xml = """<sse_module display_name="M" dimension="employment">
      <html display_name="Reading"><p>Costs US$ 5 per <strong>member</strong>.</p> Tail $x.</html>
      <video display_name="Interview with a cooperative" youtube_id_1_0="abc"/>
    </sse_module>"""
    converted = loader.for_workbench(xml)
    root = parse_string(converted)
    assert [child.tag for child in root] == ["html_demo", "html_demo"]
    html = make_block(converted).render("student_view", {}).body_html()
    assert "Costs US$ 5 per <strong>member</strong>." in html and "Tail $x." in html
    assert "Interview with a cooperative (the video plays in the Open edX LMS)." in html


def test_a_scenario_using_an_uninstalled_block_is_left_out_not_fatal(caplog):
    extra = [("Needs a missing block", '<sse_module display_name="X"><sse_quiz_v9/></sse_module>'),
             ("Fine", '<sse_module display_name="Fine"/>')]
    titles = [title for title, _xml in loader.workbench_scenarios(extra)]
    assert "Fine" in titles and "Needs a missing block" not in titles
    assert "sse_quiz_v9" in caplog.text
