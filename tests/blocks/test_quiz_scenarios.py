"""Every quiz scenario of the workbench loads and renders, for learners, staff and authors."""

import pytest

from sse_academy_xblock.blocks.quiz import SSEQuizBlock
from sse_academy_xblock.scenarios import load

SCENARIOS = load("sse_quiz")
TYPES = {"single", "multiple", "truefalse", "numeric", "text"}


def test_scenarios_cover_every_type_and_policy(make_block):
    types, policies, scoring = set(), set(), set()
    for _title, xml in SCENARIOS:
        block = make_block(xml)
        types |= {q["type"] for q in block.questions}
        policies.add(block.show_answer)
        scoring.add(block.multiple_scoring)
    assert types == TYPES
    assert policies == {"never", "always", "finished", "past_due"}
    assert scoring == {"all_or_nothing", "partial"}


def test_the_browser_scenario_comes_first():
    """The browser test opens sse_quiz.0: two attempts, answers shown when finished."""
    assert SCENARIOS[0][0] == "Cooperatives: two attempts"
    assert 'max_attempts="2"' in SCENARIOS[0][1] and 'show_answer="finished"' in SCENARIOS[0][1]


@pytest.mark.parametrize("title, xml", SCENARIOS, ids=[t for t, _ in SCENARIOS])
@pytest.mark.parametrize("user", ["student_1", "staff"])
def test_scenario_renders(make_block, title, xml, user):
    block = make_block.as_user(make_block(xml), user)
    html = block.render("student_view", {}).body_html()
    assert title.replace("'", "&#x27;") in html
    # one fieldset per question the viewer is asked (with question pools, their draw); staff also have the
    # item analysis's choice of attempts
    choice = 1 if user == "staff" else 0
    assert html.count('data-role="items-choice"') == choice
    assert html.count("<fieldset") - choice == len(block.asked_questions(1)) == len(block.questions) - (
        sum(1 for q in block.questions if q.get("pool")) - sum(p["draw"] for p in block.pools))
    assert html.count("<legend>") - choice == len(block.asked_questions(1))
    assert 'aria-live="polite"' in html
    assert block.render("studio_view", {}).body_html()
    assert not [m for m in block.validate().messages]


def test_workbench_lists_the_scenarios():
    assert SSEQuizBlock.workbench_scenarios() == SCENARIOS
