"""The practice on staff-scored examples and the feedback to reviewers, in Chromium on a live workbench.

Scenario ``sse_case_study.4`` ("Practice first"): two criteria (principle 0/2/4, evidence 0/2), two examples
(``one-vote``: Explained and Some; ``slogan``: Missing and None), two asked, tolerance 0.25, one retry, one
review required and given.
"""

import uuid

import pytest

pytestmark = pytest.mark.browser

SCENARIO = "sse_case_study.4"
ANSWER = "One member, one vote: the assembly elected the board, so the members control the cooperative."
REFERENCE = {"Each member": {"principle": "2", "evidence": "1"}, "Cooperatives are good": {"principle": "0",
                                                                                            "evidence": "0"}}
WRONG = {"Each member": {"principle": "0", "evidence": "0"}, "Cooperatives are good": {"principle": "2",
                                                                                        "evidence": "1"}}


def open_case(page, workbench_url, student, lang=""):
    page.goto(f"{workbench_url}/scenario/{SCENARIO}/?student={student}" + (f"&lang={lang}" if lang else ""))
    return page.locator(".sse-case-study").first


def submit_response(page, case, button="Submit your response", yes="Yes, submit"):
    case.locator("textarea").first.fill(ANSWER)
    case.get_by_role("button", name=button).click()
    case.get_by_role("button", name=yes).click()


def assess(case, choices, submit="Submit your assessment"):
    form = case.locator('[data-role="calibration-form"]')
    for criterion, value in choices.items():
        form.locator(f'fieldset[data-criterion="{criterion}"] input[value="{value}"]').check()
    form.get_by_role("button", name=submit).click()


def which(case):
    text = case.locator('[data-role="example-text"]').inner_text()
    return next(key for key in REFERENCE if text.startswith(key))


def practise(page, case, wrong_first=False):
    from playwright.sync_api import expect

    for number in (1, 2):
        expect(case.get_by_role("heading", name=f"Practice example {number} of 2")).to_be_visible()
        key = which(case)
        if wrong_first and number == 1:
            assess(case, WRONG[key])
            result = case.locator('[data-role="calibration-result"]')
            expect(result.locator('[data-role="calibration-summary"]')).to_have_text(
                "Not yet within the tolerance: look at the notes and assess this example again.")
            expect(result.locator('td[data-role="reference"]')).to_have_count(0)  # no key before it is finished
            expect(result).to_contain_text("Your choice gives")
            expect(case.get_by_role("heading", name="Practice example 1 of 2")).to_be_visible()  # the retry
            expect(case).to_contain_text("Tries left for this example: 1.")
        assess(case, REFERENCE[key])
        result = case.locator('[data-role="calibration-result"]')
        expect(result.locator('[data-role="calibration-summary"]')).to_have_text("Within the tolerance: well done.")
        expect(result.locator('td[data-role="reference"]')).to_have_count(2)
        # announced to screen readers
        expect(case.locator('[data-role="live"]')).to_have_text("Your assessment of the example is saved.")


def test_practice_then_review_then_feedback_to_the_reviewer(workbench_url, page):
    from playwright.sync_api import expect

    run = uuid.uuid4().hex[:6]
    amina, bruno = f"amina_{run}", f"bruno_{run}"
    case = open_case(page, workbench_url, amina)
    submit_response(page, case)
    practice = case.locator('[data-role="calibration"]')
    expect(practice).to_contain_text("Before reviewing other learners, assess 2 practice examples")
    expect(case.get_by_role("button", name="Review a response")).to_have_count(0)
    # the keyboard works: focus the first option and move with the arrows
    first = case.locator('[data-role="calibration-form"] fieldset').first.locator("input").first
    first.focus()
    page.keyboard.press("ArrowDown")
    expect(case.locator('[data-role="calibration-form"] fieldset').first.locator("input").nth(1)).to_be_checked()
    practise(page, case, wrong_first=True)
    expect(case.locator('[data-role="calibration-done"]')).to_have_text(
        "Practice done. You can now review other learners.")

    case = open_case(page, workbench_url, bruno)
    submit_response(page, case)
    practise(page, case)
    for student in (bruno, amina):
        case = open_case(page, workbench_url, student)
        case.get_by_role("button", name="Review a response").click()
        form = case.locator('[data-role="review-form"]')
        form.locator('fieldset[data-criterion="principle"] input[value="2"]').check()
        form.locator('fieldset[data-criterion="evidence"] input[value="0"]').check()
        form.get_by_role("button", name="Submit your review").click()
        expect(case.locator('[data-role="notice"]')).to_have_text("Thank you: your review has been submitted.")

    case = open_case(page, workbench_url, amina)
    given = case.locator('[data-role="given-feedback"]')
    expect(given.get_by_role("heading", name="Your reviews beside the grades")).to_be_visible()
    expect(given.locator('[data-role="given-review"]')).to_have_count(1)
    row = given.locator("tbody tr").first
    expect(row).to_contain_text("The principle")
    expect(row).to_contain_text("the same as the grade")  # one review: the grade is the review
    expect(given).to_contain_text("You gave 4 of 6 points (67%); the response's grade is 4 of 6 points (67%).")
    expect(given).not_to_contain_text(bruno)
    assert page.js_errors == []


def test_practice_in_french(workbench_url, page):
    from playwright.sync_api import expect

    student = f"fr_{uuid.uuid4().hex[:6]}"
    case = open_case(page, workbench_url, student, lang="fr")
    submit_response(page, case, button="Soumettre votre réponse", yes="Oui, soumettre")
    expect(case.get_by_role("heading", name="Exemple d’entraînement 1 sur 2")).to_be_visible()
    key = which(case)
    assess(case, WRONG[key], submit="Soumettre votre évaluation de l’exemple")
    expect(case.locator('[data-role="calibration-summary"]')).to_have_text(
        "Pas encore dans la tolérance : lisez les remarques et évaluez à nouveau cet exemple.")
    expect(case.locator('[data-role="live"]')).to_have_text("Votre évaluation de l’exemple est enregistrée.")
    expect(case).to_contain_text("Essais restants pour cet exemple : 1.")
    assert page.js_errors == []
