"""Blocks past their due date in Chromium: the learner reads when they closed, in their own time zone, and
cannot write any more.

Scenario ids follow the file names: ``sse_quiz.3`` is "Cooperatives: past its due date" (due 30 June 2025
at 17:00 UTC, answers and results shown after the due date) and ``sse_case_study.2`` is "Worker
cooperatives: past their due date" (responses due 30 June 2025, reviews 14 July 2025, 17:00 UTC).
"""

import uuid

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def new_york_page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-US",
                                  timezone_id="America/New_York")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def open_scenario(page, workbench_url, scenario):
    page.goto(f"{workbench_url}/scenario/{scenario}/?student=learner_{uuid.uuid4().hex[:10]}")


def test_a_quiz_past_its_due_date_says_when_it_closed_in_the_learners_time_zone(workbench_url, new_york_page):
    from playwright.sync_api import expect

    open_scenario(new_york_page, workbench_url, "sse_quiz.3")
    quiz = new_york_page.locator(".sse-quiz").first
    closed = quiz.locator('[data-role="closed"]')
    expect(closed).to_contain_text("This quiz closed on June 30, 2025")
    expect(closed).to_contain_text("01:00 PM")  # 17:00 UTC in New York (summer time)
    expect(closed).not_to_contain_text("UTC")
    expect(quiz.get_by_role("button", name="Submit")).to_be_disabled()
    expect(quiz).to_contain_text("Correct answer: Recommendation No. 193")  # show_answer="past_due"


def test_a_case_study_past_its_due_date_offers_nothing_to_write(workbench_url, new_york_page):
    from playwright.sync_api import expect

    open_scenario(new_york_page, workbench_url, "sse_case_study.2")
    case = new_york_page.locator(".sse-case-study").first
    note = case.locator('[data-role="window"]')
    expect(note).to_contain_text("Responses to this case study closed on June 30, 2025")
    expect(case.locator("textarea")).to_have_count(0)
    expect(case.get_by_role("button", name="Submit your response")).to_have_count(0)
