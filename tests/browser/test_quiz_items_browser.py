"""The quiz's item analysis in Chromium, as staff, at 1280 and 390 px: readable, no axe violation, and a wide
table scrolls inside its own box instead of widening the page."""

import uuid
from pathlib import Path

import pytest

from quiz_learners import every_type_answers, take_quiz_as_learners

pytestmark = pytest.mark.browser

EVERY_TYPE = "sse_quiz.1"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


@pytest.mark.parametrize("width", [1280, 390])
def test_staff_see_the_item_analysis_without_axe_violations(workbench_url, browser, width):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(20000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        take_quiz_as_learners(page, workbench_url, EVERY_TYPE, f"items_{width}_{uuid.uuid4().hex[:6]}",
                              [every_type_answers(i) for i in range(14)])
        page.goto(f"{workbench_url}/scenario/{EVERY_TYPE}/?student=staff")
        panel = page.locator('[data-role="item-analysis"]').first
        expect(panel.get_by_role("heading", name="Item analysis")).to_be_visible()
        expect(panel).to_contain_text("Based on the counted (last) attempts of")
        table = panel.get_by_role("table", name="Questions: difficulty, discrimination and the options chosen")
        expect(table).to_be_visible()
        floors = table.locator('tr[data-question="floors"]')
        hints = floors.locator('[data-role="item-hints"]')
        expect(hints).to_contain_text("More learners chose the wrong option “False”")
        expect(floors).to_contain_text("(negative)")
        expect(table.locator('tr[data-question="employment-policy"]')).to_contain_text("Nothing found")
        # a question cut to fit its cell unfolds to its whole text, by keyboard
        long_row = table.locator('tr[data-question="fundamental"]')
        summary = long_row.locator('[data-role="item-prompt"] summary')
        expect(summary).to_contain_text("…")
        summary.focus()
        page.keyboard.press("Enter")
        expect(long_row.locator('[data-role="item-prompt"] p')).to_be_visible()
        expect(long_row.locator('[data-role="item-prompt"] p')).to_have_text(
            "Which of these are among the ten fundamental ILO conventions? Select all that apply.")
        expect(panel.get_by_role("table", name="Per Decent Work dimension: the means of its questions")).to_be_visible()
        expect(panel.get_by_role("link", name="Download the item analysis (CSV)")).to_be_visible()
        # The page never scrolls sideways; a table wider than the screen scrolls in its focusable region.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        region = panel.get_by_role("region", name="Questions: difficulty, discrimination and the options chosen")
        if width == 390:
            assert region.evaluate("el => el.scrollWidth > el.clientWidth")
            assert "radial-gradient" in region.evaluate("el => getComputedStyle(el).backgroundImage")  # edge shadows
        region.focus()
        expect(region).to_be_focused()
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("""async () => {
            const result = await axe.run(document.querySelector('[data-role="item-analysis"]'), {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return result.violations.map(v => `${v.id}: ${v.nodes.length} node(s) ${v.nodes[0].target}`);
        }""")
        assert violations == []
    finally:
        context.close()
    assert errors == []
