"""Fixing a missing accepted spelling from the item analysis, in Chromium: staff see the learners' most frequent
wrong answer, accept it through the panel's own dialog (named buttons, Escape cancels and gives the focus
back), hear the result, and the learners who gave it are rescored.

This module changes the "every question type" quiz's key (one more accepted answer), so it runs on a workbench
server of its own, and the other browser modules never see the changed key whatever their order."""

import re
import uuid
from pathlib import Path

import pytest

from quiz_learners import every_type_answers, take_quiz_as_learners
from workbench_server import serve_workbench

pytestmark = pytest.mark.browser

EVERY_TYPE = "sse_quiz.1"


@pytest.fixture(scope="module")
def workbench_url():
    """A workbench of this module's own, on a fresh database: the key it changes is changed nowhere else."""
    with serve_workbench("--nothreading") as bench:
        yield bench.url

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SPELLING = "Mondragón Cooperative Corporation"  # learners' name for the group, missing from the key
SHOWN = "mondragón cooperative corporation"  # as grading compares it


def scores(page, learners):
    """``{learner: (earned, possible)}`` from the staff panel's roster ("2 of 3 points (67%)")."""
    out = {}
    for learner in learners:
        text = page.locator(f'tr[data-learner="{learner}"] td').nth(2).inner_text()
        earned, possible = re.match(r"^([\d.,]+) of ([\d.,]+) points? \(\d+\s?%\)$", text.strip()).groups()
        out[learner] = (float(earned.replace(",", ".")), float(possible.replace(",", ".")))
    return out


def test_staff_accept_a_missing_spelling_and_the_learners_are_rescored(workbench_url, browser):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(20000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    prefix = f"spelling_{uuid.uuid4().hex[:6]}"
    answers = [dict(every_type_answers(i), basque=SPELLING + ("." if i % 2 else "")) for i in range(3)]
    learners = [f"{prefix}_{i}" for i in range(3)]
    try:
        take_quiz_as_learners(page, workbench_url, EVERY_TYPE, prefix, answers)
        page.goto(f"{workbench_url}/scenario/{EVERY_TYPE}/?student=staff")
        before = scores(page, learners)
        panel = page.locator('[data-role="item-analysis"]').first
        row = panel.locator('tr[data-question="basque"]')
        wrong = row.get_by_role("list", name="Most frequent wrong answers:")
        expect(wrong).to_contain_text(f"{SHOWN}: 3 learners")
        accept = wrong.get_by_role("button", name=f"Accept “{SHOWN}” as correct")

        # The dialog: named, both buttons named; Escape cancels and the focus returns to the button.
        accept.click()
        dialog = page.get_by_role("dialog", name="Accept this answer as correct?")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text(f"“{SHOWN}” will be added to the accepted answers of Question 6.")
        expect(dialog).to_contain_text("The 3 learners who gave it will be rescored; a rescore never lowers a score.")
        expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("""async () => {
            const result = await axe.run(document.querySelector('[data-role="accept-dialog"]'), {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return result.violations.map(v => `${v.id}: ${v.nodes.length} node(s) ${v.nodes[0].target}`);
        }""")
        assert violations == []
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        expect(accept).to_be_focused()
        assert scores(page, learners) == before  # cancelled: nothing changed

        accept.click()
        dialog.get_by_role("button", name="Accept and rescore").click()
        status = panel.locator('[data-role="accept-status"]')
        expect(status).to_have_text(f"“{SHOWN}” is now accepted; 3 learners were rescored.")
        expect(status).to_be_focused()
        expect(status).to_have_attribute("aria-live", "polite")

        # Seen again: every one of them has the question's point more, and the answer is no longer listed as wrong.
        page.goto(f"{workbench_url}/scenario/{EVERY_TYPE}/?student=staff")
        after = scores(page, learners)
        assert after == {learner: (earned + 1, possible) for learner, (earned, possible) in before.items()}
        wrong_now = page.locator('tr[data-question="basque"]').first
        expect(wrong_now).not_to_contain_text(f"{SHOWN}:")
        page.goto(f"{workbench_url}/scenario/{EVERY_TYPE}/?student={learners[0]}")
        expect(page.locator(".sse-quiz").first).to_contain_text(
            f"{after[learners[0]][0]:g} of {after[learners[0]][1]:g} points")
    finally:
        context.close()
    assert errors == []
