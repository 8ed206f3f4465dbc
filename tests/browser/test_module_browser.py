"""The module in Chromium on a live workbench: answering its quiz redraws the profile without a reload.

The scenario is found by its title on the workbench index ("Module demo: a quiz on two dimensions",
``sse_academy_xblock/scenarios/sse_module__1-profile-demo.xml``): its quiz has a 2-point question on
rights at work and a 1-point question on social dialogue.
"""

import uuid

import pytest

pytestmark = pytest.mark.browser

DEMO_TITLE = "Module demo: a quiz on two dimensions"



def submit_quiz(quiz):
    """Submit, confirming when the quiz says some questions are unanswered."""
    quiz.get_by_role("button", name="Submit", exact=True).click()
    confirm = quiz.locator('[data-role="confirm"]')
    confirm.page.wait_for_timeout(200)
    if confirm.is_visible():
        quiz.get_by_role("button", name="Submit anyway").click()

def scenario_url(page, workbench_url, title):
    page.goto(workbench_url + "/")
    link = page.get_by_role("link", name=title, exact=True)
    return workbench_url + link.get_attribute("href")


def bar_value(module, dimension):
    return module.locator(f'.sse-module-bar[data-dimension="{dimension}"] .sse-module-bar-value')


def test_answering_the_quiz_updates_the_profile_without_reload(workbench_url, page):
    from playwright.sync_api import expect

    url = scenario_url(page, workbench_url, DEMO_TITLE)
    learner = f"profile_{uuid.uuid4().hex[:8]}"
    page.goto(f"{url}?student={learner}")
    module = page.locator(".sse-module").first
    expect(module.locator(".sse-module-title")).to_have_text(DEMO_TITLE)
    expect(bar_value(module, "rights_at_work")).to_have_text("0 of 2 points (0%)")
    expect(bar_value(module, "social_dialogue")).to_have_text("0 of 1 point (0%)")
    expect(bar_value(module, "employment")).to_have_text("No points in this module")
    page.evaluate("() => { window.sseNotReloaded = true; }")

    quiz = module.locator(".sse-quiz")
    quiz.get_by_label("The Promotion of Cooperatives Recommendation, 2002 (No. 193)", exact=True).check()
    quiz.get_by_label("Your answer (a number)").fill("1900")
    submit_quiz(quiz)
    expect(quiz.locator('[data-role="score"]')).to_contain_text("2 of 3 points")

    expect(bar_value(module, "rights_at_work")).to_have_text("2 of 2 points (100%)")
    expect(bar_value(module, "social_dialogue")).to_have_text("0 of 1 point (0%)")
    expect(module.locator(".sse-module-total-text")).to_have_text("2 of 3 points (67%)")
    fill = module.locator('.sse-module-bar[data-dimension="rights_at_work"] .sse-module-bar-fill')
    expect(fill).to_have_attribute("width", "100%")
    expect(module.locator(".sse-module-live")).to_have_text("Your Decent Work profile was updated.")

    # The data table alternative changed too.
    module.locator(".sse-module-table-details summary").click()
    row = module.locator('.sse-module-table tbody tr[data-dimension="rights_at_work"]')
    expect(row).to_contain_text("Rights at work")
    expect(row.locator("td").first).to_have_text("2")
    expect(module.locator(".sse-module-table tfoot td").nth(2)).to_have_text("67%")
    empty = module.locator('.sse-module-table tbody tr[data-dimension="employment"] td')
    expect(empty.nth(2)).to_have_text("No points in this module")

    assert page.evaluate("() => window.sseNotReloaded") is True
    assert page.js_errors == []

    # And the server agrees after a reload.
    page.reload()
    expect(bar_value(page.locator(".sse-module").first, "rights_at_work")).to_have_text("2 of 2 points (100%)")


def test_staff_page_through_the_cohort_and_download_it(workbench_url, page):
    from playwright.sync_api import expect

    url = scenario_url(page, workbench_url, DEMO_TITLE)
    learner = f"cohort_{uuid.uuid4().hex[:8]}"
    page.goto(f"{url}?student={learner}")
    quiz = page.locator(".sse-quiz").first
    quiz.get_by_label("Your answer (a number)").fill("1895")
    submit_quiz(quiz)
    expect(quiz.locator('[data-role="score"]')).to_contain_text("1 of 3 points")

    page.goto(f"{url}?student=staff")
    staff = page.locator(".sse-module-staff")
    table = staff.locator("table.sse-module-staff-list")
    expect(table).to_be_visible()
    expect(table.locator("thead th").nth(3)).to_have_text("Social dialogue (of 1)")
    row = table.locator("tbody tr", has_text=learner)
    expect(row.locator("td").nth(2)).to_have_text("1")
    expect(row.locator("td").last).to_have_text("1 (33%)")
    expect(staff.locator(".sse-module-page")).to_contain_text("Page 1 of 1")

    with page.expect_download() as download_info:
        staff.get_by_role("link", name="Download the cohort profile (CSV)").click()
    content = open(download_info.value.path(), encoding="utf-8-sig").read()
    assert learner in content
    assert page.js_errors == []


def test_learners_do_not_see_the_cohort(workbench_url, page):
    from playwright.sync_api import expect

    url = scenario_url(page, workbench_url, DEMO_TITLE)
    page.goto(f"{url}?student=learner_{uuid.uuid4().hex[:8]}")
    expect(page.locator(".sse-module").first).to_be_visible()
    expect(page.locator(".sse-module-staff")).to_have_count(0)


def test_studio_settings_report_errors_then_save(workbench_url, page):
    from playwright.sync_api import expect

    url = scenario_url(page, workbench_url, DEMO_TITLE)
    page.goto(f"{url}studio_view/?student=staff")
    form = page.locator(".sse-module-studio")
    form.get_by_label("Display name").fill("")
    form.get_by_label("Estimated time in minutes (optional)").fill("0")
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".sse-module-form-error")).to_be_visible()
    expect(form.locator('[data-field="display_name"] .sse-module-field-error')).to_have_text("Enter a display name.")
    expect(form.locator('[data-field="estimated_time"] .sse-module-field-error')).to_contain_text("whole number")
    expect(form.get_by_label("Display name")).to_have_attribute("aria-invalid", "true")

    form.get_by_label("Display name").fill(DEMO_TITLE)
    form.get_by_label("Estimated time in minutes (optional)").fill("10")
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".sse-module-form-status")).to_have_text("Saved")
    expect(form.locator(".sse-module-form-error")).to_be_hidden()
    assert page.js_errors == []


def test_a_shipped_module_works_in_the_browser(workbench_url, page):
    """Module 2 of the curriculum, quiz and case study inside: one right answer shows in the profile."""
    from playwright.sync_api import expect

    from sse_academy_xblock.curriculum import loader
    from sse_academy_xblock.olx import parse_string

    shipped = next(m for m in loader.modules() if m.number == 2)
    quiz_node = parse_string(shipped.xml).find("sse_quiz")
    question = next(q for q in quiz_node.findall("question") if q.get("type") == "single")
    correct = next(c for c in question.findall("choice") if c.get("correct") == "true")
    label = " ".join(((correct.text or "") + "".join(e.tail or "" for e in correct)).split())
    dimension = question.get("dimension") or quiz_node.get("dimension")

    url = scenario_url(page, workbench_url, f"2. {shipped.title}")
    page.goto(f"{url}?student=shipped_{uuid.uuid4().hex[:8]}")
    module = page.locator(".sse-module").first
    expect(module.locator(".sse-module-title")).to_have_text(shipped.title)
    expect(module.locator(".sse-case-study")).to_have_count(1)
    before = bar_value(module, dimension).text_content()
    assert before.startswith("0 of ")

    quiz = module.locator(".sse-quiz")
    quiz.locator(f'fieldset[data-question="{question.get("id")}"]').get_by_label(label, exact=True).check()
    submit_quiz(quiz)
    expect(quiz.locator('[data-role="score"]')).to_be_visible()
    expect(bar_value(module, dimension)).not_to_have_text(before)
    assert not bar_value(module, dimension).text_content().startswith("0 of ")
    assert page.js_errors == []


def test_paging_the_cohort_by_keyboard_keeps_the_focus(workbench_url, page):
    """On the last page 'Next page' is disabled: the focus moves to 'Previous page' instead of the
    top of the page, and back again on the first page."""
    import json

    from playwright.sync_api import expect

    from sse_academy_xblock.curriculum import loader

    # A shipped module no other test counts learners on (the demo's cohort test expects one page).
    shipped = next(m for m in loader.modules() if m.number == 5)
    url = scenario_url(page, workbench_url, f"5. {shipped.title}")
    page.goto(f"{url}?student=staff")
    quiz_usage = page.locator('[data-block-type="sse_quiz"]').first.get_attribute("data-usage")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    batch = uuid.uuid4().hex[:6]
    # one answer (an attempt with none is refused): the first choice of the first question
    question = page.locator('[data-block-type="sse_quiz"]').first.locator("fieldset").first
    qid, qtype = question.get_attribute("data-question"), question.get_attribute("data-type")
    first_value = question.locator("input").first.get_attribute("value")
    answer = {"single": first_value, "multiple": [first_value], "truefalse": True, "numeric": "1", "text": "x"}[qtype]
    for n in range(26):                               # one more than a page
        reply = page.request.post(
            f"{workbench_url}/handler/{quiz_usage}/submit/?student=paging_{batch}_{n}",
            data=json.dumps({"attempt": 1, "answers": {qid: answer}}),
            headers={"Content-Type": "application/json", "X-CSRFToken": token},
        )
        assert reply.status == 200, reply.text()
    page.reload()
    staff = page.locator(".sse-module-staff")
    expect(staff.locator("table.sse-module-staff-list")).to_be_visible()
    pages = staff.locator(".sse-module-page")
    expect(pages).to_contain_text("Page 1 of")
    total = int(pages.inner_text().split(" of ")[1].split(" ")[0])
    focused = "() => document.activeElement && document.activeElement.className"
    staff.get_by_role("button", name="Next page").focus()
    for number in range(2, total + 1):
        page.keyboard.press("Enter")
        expect(pages).to_contain_text(f"Page {number} of {total}")
    expect(staff.get_by_role("button", name="Next page")).to_be_disabled()
    assert "sse-module-prev" in page.evaluate(focused)
    for number in range(total - 1, 0, -1):
        page.keyboard.press("Enter")
        expect(pages).to_contain_text(f"Page {number} of {total}")
    expect(staff.get_by_role("button", name="Previous page")).to_be_disabled()
    assert "sse-module-next" in page.evaluate(focused)
    assert page.js_errors == []
