"""The quiz's whole-test statistics in Chromium, as staff, at 1280 and 320 px: the figures, the score chart and
its table alternative readable without sideways scrolling of the page, the choice of attempts worked from the
keyboard with the change announced, and no axe violation."""

import uuid
from pathlib import Path

import pytest

from quiz_learners import every_type_answers, take_quiz_as_learners

pytestmark = pytest.mark.browser

EVERY_TYPE = "sse_quiz.1"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
LEARNERS = 14


@pytest.mark.parametrize("width", [1280, 320])
def test_staff_read_the_whole_test_and_switch_attempts(workbench_url, browser, width):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(20000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        take_quiz_as_learners(page, workbench_url, EVERY_TYPE, f"whole_{width}_{uuid.uuid4().hex[:6]}",
                              [every_type_answers(i) for i in range(LEARNERS)])
        page.goto(f"{workbench_url}/scenario/{EVERY_TYPE}/?student=staff")
        panel = page.locator('[data-role="item-analysis"]').first
        whole = panel.locator('[data-role="whole-test"]')
        expect(whole.get_by_role("heading", name="Whole test")).to_be_visible()
        figures = whole.locator('[data-role="whole-figures"]')
        for label in ("Mean score", "Median score", "Standard deviation (percentage points)", "Skewness",
                      "Error ratio", "Standard error of measurement (percentage points)"):
            expect(figures).to_contain_text(label)
        alpha = figures.locator('[data-figure="alpha"] dd')
        expect(alpha).to_have_text(__import__("re").compile(r"^(−?\d\.\d\d \((good|acceptable|low)\)|not enough data)$"))
        chart = whole.locator('[data-role="score-chart"]')
        expect(chart).to_be_visible()
        assert chart.locator("ul").get_attribute("aria-hidden") == "true"  # the table below is the accessible form
        table = whole.get_by_role("table", name="Score distribution")
        expect(table).to_be_visible()
        counts = [int(c) for c in table.locator("tbody td:nth-child(2)").all_inner_texts()]
        assert len(counts) == 10 and sum(counts) >= LEARNERS
        # Every bar label and count is text a reader can see, and the page never scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        box = chart.bounding_box()
        assert box["width"] <= width
        # The choice of attempts, from the keyboard: pick "All attempts" and press the button.
        choice = panel.locator('[data-role="items-choice"]')
        expect(choice.get_by_role("group", name="Attempts counted")).to_be_visible()
        all_attempts = choice.get_by_role("radio", name="All attempts")
        all_attempts.focus()
        page.keyboard.press("Space")
        expect(all_attempts).to_be_checked()
        choice.get_by_role("button", name="Show the analysis").focus()
        page.keyboard.press("Enter")
        status = panel.locator('[data-role="items-status"]')
        expect(status).to_contain_text("every counted attempt of every learner")
        assert status.get_attribute("aria-live") == "polite"
        expect(panel.locator('[data-role="items-summary"]')).to_contain_text("every counted attempt")
        assert "attempts=all" in panel.locator('[data-role="items-csv"]').get_attribute("href")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
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
