"""Errors where the eye is, and no dead ends, in the language each problem was found in.

A French learner on a phone was asked to confirm a response that the server then refused for too few
words; an English instructor read the "Set the grade" errors under the learner's Submit button, could
give 11 points out of 10, withdrew responses through the browser's OK/Cancel box, could not uphold a
report, and was told "No submissions yet" by an empty filter; the withdrawn learner read the reason and
nothing else.

Scenario ``sse_case_study.0``: at least 30 words, a rubric worth 10 points, 3 reviews to give.
"""

import uuid

import pytest

from workbench_server import serve_workbench

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def workbench_url():
    """This module's own workbench, on a fresh database: what other browser modules saved or graded is not here."""
    with serve_workbench("--nothreading") as bench:
        yield bench.url


SCENARIO = "sse_case_study.0"
WORDS = ("The workers of the recovered enterprise became members of a worker cooperative, so they own it "
         "together and vote on its decisions; freedom of association under Convention No. 87 still matters "
         "because members can also organise and bargain.")


def submit_response(page, url, student):
    from playwright.sync_api import expect

    page.goto(f"{url}/scenario/{SCENARIO}/?student={student}&lang=en")
    case = page.locator(".sse-case-study").first
    case.locator('textarea').first.fill(f"{student}: {WORDS}")
    case.locator('[data-role="submit-response"]').click()
    case.locator('[data-role="confirm-submit"]').click()
    expect(case.locator('[data-role="notice"]')).to_have_text("Your response has been submitted.")


def staff_detail(page, url, student):
    page.goto(f"{url}/scenario/{SCENARIO}/?student=staff&lang=en")
    staff = page.locator('.sse-case-study [data-role="staff"]').first
    staff.get_by_role("button", name=f"Open the submission of {student}").click()
    return staff, staff.locator('[data-role="detail"]')


def test_a_french_learner_on_a_phone_is_not_asked_to_confirm_a_refused_response(workbench_url, browser):
    from playwright.sync_api import expect

    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        student = f"frw_{uuid.uuid4().hex[:6]}"
        page.goto(f"{workbench_url}/scenario/{SCENARIO}/?student={student}&lang=fr")
        case = page.locator(".sse-case-study").first
        box = case.locator("textarea").first
        box.fill("Trop court")
        case.get_by_role("button", name="Soumettre votre réponse").click()
        # no confirmation: the limit the server applies is said beside the box, which has the focus
        expect(case.locator('[data-role="confirm"]')).to_be_hidden()
        error = case.locator('[data-role="response-error"]')
        expect(error).to_have_text("Votre réponse compte 2 mots ; il en faut au moins 30 avant de pouvoir la soumettre.")
        expect(box).to_have_attribute("aria-invalid", "true")
        assert error.get_attribute("id") in box.get_attribute("aria-describedby").split()
        expect(box).to_be_focused()
        box_bottom = box.bounding_box()["y"] + box.bounding_box()["height"]
        assert 0 <= error.bounding_box()["y"] - box_bottom < 120  # right under the box
        box.fill(f"{student}: {WORDS}")
        expect(error).to_be_hidden()
        expect(box).not_to_have_attribute("aria-invalid", "true")
        case.get_by_role("button", name="Soumettre votre réponse").click()
        expect(case.locator('[data-role="confirm"]')).to_be_visible()
    finally:
        context.close()


def test_an_instructor_reads_grade_errors_beside_the_form_and_withdraws_through_a_named_dialog(workbench_url, page):
    from playwright.sync_api import expect

    student = f"gr_{uuid.uuid4().hex[:6]}"
    submit_response(page, workbench_url, student)
    staff, detail = staff_detail(page, workbench_url, student)
    form = detail.locator('[data-role="grade-form"]')
    points = form.get_by_label("Points (0–10)")
    points.fill("11")
    form.get_by_role("button", name="Set the grade").click()
    # beside its fields, inside its own form; the learner's error line stays empty
    expect(form.locator('[data-role="field-error"]')).to_have_text(
        ["The points must be between 0 and 10.", "A reason is required; it is kept in the audit trail."])
    expect(points).to_have_attribute("aria-invalid", "true")
    expect(points).to_be_focused()
    expect(page.locator('.sse-case-study [data-role="error"]').first).to_have_text("")
    points.fill("10")
    form.get_by_label("Reason (shown to the learner, kept in the audit trail)").fill("Checked by hand.")
    form.get_by_role("button", name="Set the grade").click()
    expect(detail.locator("h4")).to_contain_text("Graded by staff")

    # a withdrawal needs a reason (said beside it), then asks in our own dialog: "Keep it" keeps
    cancel = detail.locator('[data-role="cancel-form"]')
    cancel.get_by_role("button", name="Cancel this submission").click()
    expect(cancel.locator('[data-role="field-error"]')).to_have_text("A reason is required; it is kept in the audit trail.")
    cancel.get_by_label("Reason for cancelling (shown to the learner)").fill("Copied from a website.")
    cancel.get_by_role("button", name="Cancel this submission").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Keep it")).to_be_focused()
    dialog.get_by_role("button", name="Keep it").click()
    expect(dialog).to_have_count(0)
    expect(cancel.get_by_role("button", name="Cancel this submission")).to_be_focused()
    expect(detail.locator("h4")).to_contain_text("Graded by staff")  # nothing happened
    cancel.get_by_role("button", name="Cancel this submission").click()
    page.keyboard.press("Escape")  # Escape keeps too
    expect(page.get_by_role("dialog")).to_have_count(0)
    cancel.get_by_role("button", name="Cancel this submission").click()
    page.get_by_role("dialog").get_by_role("button", name="Withdraw response").click()
    expect(detail.locator("h4")).to_contain_text("Cancelled")
    assert page.js_errors == []

    # the learner reads what happened, why, and what happens next, first, without the writing rules
    page.goto(f"{workbench_url}/scenario/{SCENARIO}/?student={student}&lang=en")
    case = page.locator(".sse-case-study").first
    withdrawn = case.locator('[data-role="withdrawn"]')
    expect(withdrawn.get_by_role("heading")).to_have_text("Your response was withdrawn")
    expect(withdrawn).to_contain_text("Copied from a website.")
    expect(withdrawn.locator('[data-role="withdrawn-next"]')).to_contain_text("ask the course team")
    assert withdrawn.bounding_box()["y"] < case.locator(".sse-cs-case").bounding_box()["y"]
    expect(case.locator(".sse-cs-rules")).to_be_hidden()


def test_an_instructor_upholds_a_report_and_the_empty_filter_says_why(workbench_url, page):
    from playwright.sync_api import expect

    run = uuid.uuid4().hex[:6]
    author, reporter = f"fa_{run}", f"fr_{run}"
    submit_response(page, workbench_url, author)
    submit_response(page, workbench_url, reporter)
    page.goto(f"{workbench_url}/scenario/{SCENARIO}/?student={reporter}&lang=en")
    case = page.locator(".sse-case-study").first
    case.get_by_role("button", name="Review a response").click()
    flag = case.locator(".sse-cs-flag")
    flag.locator("summary").click()
    flag.get_by_label("Why is it inappropriate?").fill("Insults other learners.")
    flag.get_by_role("button", name="Send the report").click()
    expect(case.locator('[data-role="notice"]')).to_be_visible()

    page.goto(f"{workbench_url}/scenario/{SCENARIO}/?student=staff&lang=en")
    staff = page.locator('.sse-case-study [data-role="staff"]').first
    expect(staff.get_by_role("button", name=f"Open the submission of {author}")).to_be_visible()
    with page.expect_response(lambda response: "staff_list" in response.url):
        staff.get_by_label("Show").select_option("flagged")
    expect(staff.get_by_label("Show")).to_have_value("flagged")
    staff.get_by_role("button", name=f"Open the submission of {author}").click()
    detail = staff.locator('[data-role="detail"]')
    dismiss = detail.locator('[data-role="clear-flag-form"]')
    uphold = detail.locator('[data-role="uphold-flag-form"]')
    expect(dismiss).to_contain_text("the learner is not told about the report")
    expect(uphold).to_contain_text("its grade is taken back, the learner reads your reason")
    uphold.get_by_label("Reason for cancelling (shown to the learner)").fill("Insulting.")
    uphold.get_by_role("button", name="Uphold the report: withdraw the response").click()
    page.get_by_role("dialog").get_by_role("button", name="Withdraw response").click()
    expect(detail.locator("h4")).to_contain_text("Cancelled")
    expect(detail).to_contain_text("Report upheld")
    # the list under the "Flagged" filter is empty now, and says so, with a way back to every submission
    empty = staff.locator('[data-role="empty-filter"]')
    expect(empty).to_contain_text("No submissions have the status “Flagged” now.")
    expect(staff).not_to_contain_text("No submissions yet.")
    empty.get_by_role("button", name="Show all submissions").click()
    expect(staff.get_by_role("button", name=f"Open the submission of {author}")).to_be_visible()
    expect(staff.get_by_label("Show")).to_have_value("")
    assert page.js_errors == []
