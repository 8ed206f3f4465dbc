"""Review feedback in Chromium, at 1280 and 390 px: a graded learner rates the reviews they received
(Yes / No, a comment with a character counter, Save, the result announced), the rating survives a
reload, reviewers never see it, staff do; axe-core finds no WCAG 2.0/2.1 A/AA violation.

The three learners of ``sse_case_study.1`` ("Mutual health organisations": 2 reviews required and
given) submit and review each other through the block's own handlers (called from the page, as its
script does), so that the test spends its time on the part it is about.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from workbench_server import serve_workbench

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def workbench_url():
    """This module's own workbench, on a fresh database: reviews other browser modules gave are not here."""
    with serve_workbench("--nothreading") as bench:
        yield bench.url

SCENARIO = "sse_case_study.1"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
TEXT = ("Mutual health organisations reach workers whom social insurance misses, but membership stays low because "
        "contributions compete with daily needs; linking them to the national floor of social protection lets the "
        "state subsidise the poorest members while the mutual keeps its democratic governance.")
CALL = """async ([name, payload]) => {
    const init = JSON.parse(document.querySelector('script.sse-init').textContent);
    return await window.SSEAcademy.postJSON(init.urls[name], payload);
}"""
AXE_RUN = """async () => {
    const result = await axe.run(document.querySelector('.sse-case-study'), {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
    return result.violations.map(v => `${v.id}: ${v.nodes.length} node(s) ${v.nodes[0].target}`);
}"""


def open_case(page, workbench_url, student):
    page.goto(f"{workbench_url}/scenario/{SCENARIO}/?student={student}&lang=en")
    page.wait_for_selector(".sse-case-study")
    return page.locator(".sse-case-study").first


def handler(page, name, payload):
    reply = page.evaluate(CALL, [name, payload])
    assert reply["ok"], reply
    return reply["data"]


def graded_learners(page, workbench_url) -> list[str]:
    run = uuid.uuid4().hex[:6]
    learners = [f"{name}_{run}" for name in ("fb_awa", "fb_bintou", "fb_chidi")]
    for student in learners:
        open_case(page, workbench_url, student)
        handler(page, "submit_response", {"text": f"{student}: {TEXT}"})
    for _round in range(2):
        for student in learners:
            open_case(page, workbench_url, student)
            task = handler(page, "next_review", {})["state"]["review"]
            # the last option of each criterion (earlier tests on the same server may have edited the rubric)
            options = {crit["name"]: crit["options"][-1]["index"] for crit in task["rubric"]}
            handler(page, "submit_review", {"lease_id": task["lease_id"], "review": {
                "options": options, "overall": f"Review by a peer, round {_round + 1}."}})
    return learners


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN)


def test_a_learner_rates_the_reviews_they_received_at_1280_and_390_px(workbench_url, browser):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(20000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        learners = graded_learners(page, workbench_url)
        author = learners[0]
        case = open_case(page, workbench_url, author)
        grade = case.locator('[data-role="grade"]')
        expect(grade.locator('[data-role="grade-summary"]')).to_be_visible()
        expect(grade.locator('[data-role="feedback-note"]')).to_contain_text("Reviewers never see your ratings")
        cards = grade.locator('[data-role="feedback"]')
        expect(cards).to_have_count(2)
        first, second = cards.nth(0), cards.nth(1)

        # Save without an answer: told to choose, in the card's live region; the focus goes to the choices.
        first.get_by_role("button", name="Save your rating").click()
        expect(first.get_by_role("status")).to_have_text("Choose Yes or No.")
        expect(first.get_by_role("radio", name="Yes")).to_be_focused()

        # Too long a comment: the counter says so in words, the server refuses, nothing is saved.
        first.get_by_role("group", name="Was this review helpful?").get_by_label("Yes").check()
        comment = first.get_by_label("Comment for the course team (optional; the reviewer does not see it)")
        comment.fill("x" * 501)
        expect(first.locator('[data-role="feedback-count"]')).to_have_text(
            "501 of 500 characters: too long, shorten your comment.")
        expect(comment).to_have_attribute("aria-invalid", "true")
        first.get_by_role("button", name="Save your rating").click()
        expect(first.get_by_role("status")).to_contain_text("the limit is 500")
        expect(first.locator('[data-role="feedback-saved"]')).to_be_hidden()

        words = "It showed me that the subsidy question was missing."
        comment.fill(words)
        expect(first.locator('[data-role="feedback-count"]')).to_have_text(f"{len(words)} of 500 characters used.")
        first.get_by_role("button", name="Save your rating").click()
        expect(first.get_by_role("status")).to_have_text("Thank you: your rating is saved. Only the course team sees it.")
        saved = first.locator('[data-role="feedback-saved"]')
        expect(saved).to_contain_text("You rated this review as helpful")
        expect(saved).to_contain_text("You can change your rating until")
        assert not re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", saved.inner_text())  # in the learner's own time
        assert axe_violations(page) == []

        # The rating is there after a reload; on a phone the second review is rated with the keyboard.
        page.set_viewport_size({"width": 390, "height": 844})
        case = open_case(page, workbench_url, author)
        cards = case.locator('[data-role="feedback"]')
        first, second = cards.nth(0), cards.nth(1)
        expect(first.get_by_role("radio", name="Yes")).to_be_checked()
        expect(first.get_by_label("Comment for the course team (optional; the reviewer does not see it)")).to_have_value(words)
        second.get_by_role("radio", name="Yes").focus()
        page.keyboard.press("ArrowRight")          # moves to "No" and selects it
        expect(second.get_by_role("radio", name="No")).to_be_checked()
        page.keyboard.press("Tab")
        page.keyboard.type("Too short to help.")
        second.get_by_role("button", name="Save your rating").focus()
        page.keyboard.press("Enter")
        expect(second.get_by_role("status")).to_have_text("Thank you: your rating is saved. Only the course team sees it.")
        expect(second.locator('[data-role="feedback-saved"]')).to_contain_text("You rated this review as not helpful")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert axe_violations(page) == []

        # Reviewers never see a rating or a comment.
        for reviewer in learners[1:]:
            case = open_case(page, workbench_url, reviewer)
            expect(case.locator('[data-role="grade"]')).to_be_visible()
            expect(case).not_to_contain_text("subsidy question was missing")
            expect(case).not_to_contain_text("Too short to help.")
            expect(case).not_to_contain_text("rated this review as")

        # Staff see both ratings, with the comments, in the author's submission.
        page.set_viewport_size({"width": 1280, "height": 900})
        case = open_case(page, workbench_url, "staff")
        staff = case.locator('[data-role="staff"]')
        staff.get_by_role("button", name=f"Open the submission of {author}").click()
        detail = staff.locator('[data-role="detail"]')
        expect(detail.locator('[data-role="staff-feedback"]')).to_have_count(2)
        expect(detail).to_contain_text("The author rated this review as helpful")
        expect(detail).to_contain_text("The author rated this review as not helpful")
        expect(detail).to_contain_text("It showed me that the subsidy question was missing.")
        assert axe_violations(page) == []
    finally:
        context.close()
    assert errors == []
