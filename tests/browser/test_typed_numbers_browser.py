"""Numbers typed in the person's language, in Chromium: a French learner's "1 895" and "1999,0" in the quiz; a
Spanish author's "1.895" in the quiz editor, asked about (both readings, in Spanish) before anything is saved.

``sse_quiz.1`` is "Every question type": its numeric questions are ``ica`` (1895) and ``child_labour`` (1999).
"""

import uuid

import pytest

pytestmark = pytest.mark.browser

EVERY_TYPE = "sse_quiz.1"


def open_as(page, workbench_url, student, lang, view=""):
    page.goto(f"{workbench_url}/scenario/{EVERY_TYPE}/{view + '/' if view else ''}?student={student}&lang={lang}")
    return page.locator(".sse-quiz, .sse-quiz-studio").first


def submit(quiz):
    """Submit, confirming: the other questions are left unanswered on purpose."""
    from playwright.sync_api import expect

    quiz.locator('[data-role="submit"]').click()
    confirm = quiz.locator('[data-role="confirm-submit"]')
    expect(confirm).to_be_visible()
    confirm.click()


def test_a_french_learner_types_numbers_the_french_way(workbench_url, page):
    from playwright.sync_api import expect

    quiz = open_as(page, workbench_url, f"fr_{uuid.uuid4().hex[:10]}", "fr")
    ica = quiz.locator('[data-question="ica"]')
    child = quiz.locator('[data-question="child_labour"]')
    expect(ica.locator(".sse-field-hint")).to_contain_text("virgule ou un point décimal")
    expect(child.locator(".sse-field-hint")).to_be_visible()

    # "1.895" is asked about beside its field; nothing is counted.
    ica.locator("input").fill("1.895")
    child.locator("input").fill("1999,0")
    submit(quiz)
    problem = ica.locator('[data-role="field-error"]')
    expect(problem).to_contain_text("1895")
    expect(problem).to_contain_text("1,895")
    expect(ica.locator("input")).to_have_attribute("aria-invalid", "true")
    expect(ica.locator("input")).to_be_focused()
    expect(child.locator('[data-role="field-error"]')).to_be_hidden()
    expect(quiz.locator('[data-role="score"]')).to_have_count(0)

    ica.locator("input").fill("1\u202f895")
    expect(problem).to_be_hidden()  # a changed answer is no longer the one refused
    submit(quiz)
    expect(quiz.locator('[data-role="score"]')).to_be_visible()
    expect(quiz.locator('[data-role="error"]')).to_be_empty()
    assert page.js_errors == []


def test_a_spanish_author_is_asked_which_number_they_meant(workbench_url, page):
    from playwright.sync_api import expect

    editor = open_as(page, workbench_url, "staff", "es", view="studio_view")
    numbers = editor.locator('input[inputmode="decimal"]')
    expect(numbers.first).to_be_visible()
    index = numbers.evaluate_all("inputs => inputs.findIndex(input => input.value === '1895')")
    assert index >= 0
    answer = numbers.nth(index)

    # The echo: the number as it will be saved, in Spanish.
    answer.fill("1895,5")
    answer.blur()
    echo = editor.locator('[data-role="number-echo"]').first
    expect(echo).to_have_text("Se guardará como 1895,5.")

    answer.fill("1.895")
    answer.blur()
    expect(echo).to_contain_text("puede leerse como 1895")
    editor.locator('button[type="submit"]').click()
    choices = editor.locator('[data-role="meant"]')
    expect(choices).to_have_count(2)
    expect(choices.nth(0)).to_have_text("Quería decir 1895")
    expect(choices.nth(1)).to_have_text("Quería decir 1,895")
    expect(choices.nth(0)).to_be_focused()

    choices.nth(0).click()
    expect(editor.locator('[data-role="errors"]')).to_be_empty()
    expect(editor.locator('[data-role="status"]')).not_to_be_empty()

    # Saved as 1895: the learner's 1895 is right.
    quiz = open_as(page, workbench_url, f"es_{uuid.uuid4().hex[:10]}", "es")
    quiz.locator('[data-question="ica"] input').fill("1895")
    submit(quiz)
    expect(quiz.locator('[data-role="score"]')).to_be_visible()
    expect(quiz.locator('[data-question="ica"] [data-role="result"]')).to_have_class("sse-quiz-result sse-result sse-correct")
    assert page.js_errors == []
