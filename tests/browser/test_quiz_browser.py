"""The quiz in Chromium on a live workbench: a learner's two attempts, a staff reset, the Studio editor.

Scenario ids follow the file names: ``sse_quiz.0`` is "Cooperatives: two attempts" (two attempts,
answers shown when finished) and ``sse_quiz.2`` is "Social protection: answers never shown".
"""

import uuid

import pytest

pytestmark = pytest.mark.browser

TWO_ATTEMPTS = "sse_quiz.0"
NEVER_SHOWN = "sse_quiz.2"


def learner_id(prefix="learner"):
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def open_quiz(page, workbench_url, scenario, student, view=""):
    page.goto(f"{workbench_url}/scenario/{scenario}/{view + '/' if view else ''}?student={student}")
    return page.locator(".sse-quiz, .sse-quiz-studio").first


def answer_and_submit(page, quiz, choice, statement):
    from playwright.sync_api import expect

    quiz.get_by_label(choice, exact=True).check()
    quiz.get_by_label(statement, exact=True).check()
    submit = quiz.get_by_role("button", name="Submit")
    expect(submit).to_be_enabled()
    submit.click()


def test_wrong_then_right_then_out_of_attempts(workbench_url, page):
    from playwright.sync_api import expect

    quiz = open_quiz(page, workbench_url, TWO_ATTEMPTS, learner_id())
    expect(quiz.locator('[data-role="attempts"]')).to_have_text("Attempts used: 0 of 2.")
    expect(quiz).to_contain_text("Pass mark: 60%")
    page.evaluate("""() => { window.sseScored = [];
        document.addEventListener('sse:scored', (e) => window.sseScored.push(e.detail.usageId)); }""")

    answer_and_submit(page, quiz, "Convention No. 87", "False")
    score = quiz.locator('[data-role="score"]')
    expect(score).to_have_text("Your score: 0 out of 2 (0%). Not passed.")
    first = quiz.locator("fieldset").first
    expect(first.locator('[data-role="result"]')).to_contain_text("Incorrect: 0 of 1 point")
    expect(first).to_contain_text("No: Convention No. 87 (1948) protects freedom of association.")
    expect(first).not_to_contain_text("Correct answer")
    expect(quiz.locator('[data-role="attempts-left"]')).to_have_text("You have 1 attempt left.")

    answer_and_submit(page, quiz, "Recommendation No. 193", "True")
    expect(score).to_have_text("Your score: 2 out of 2 (100%). Passed.")
    expect(first.locator('[data-role="result"]')).to_contain_text("Correct: 1 of 1 point")
    expect(first).to_contain_text("Correct answer: Recommendation No. 193")
    expect(quiz.locator('[data-role="attempts-left"]')).to_have_text("You have used all your attempts.")
    expect(quiz.get_by_role("button", name="Submit")).to_be_disabled()
    assert len(page.evaluate("window.sseScored")) == 2

    # The server refuses a third attempt even if the button is forced back on.
    quiz.get_by_role("button", name="Submit").evaluate("button => { button.disabled = false; }")
    quiz.get_by_role("button", name="Submit").click()
    expect(quiz.locator('[data-role="error"]')).to_have_text("You have used all your attempts on this quiz.")

    page.reload()
    quiz = page.locator(".sse-quiz").first
    expect(quiz.locator('[data-role="score"]')).to_have_text("Your score: 2 out of 2 (100%). Passed.")
    expect(quiz.get_by_label("Recommendation No. 193", exact=True)).to_be_checked()
    expect(quiz.locator('[data-role="attempts-left"]')).to_have_text("You have used all your attempts.")
    assert page.js_errors == []


def test_keyboard_only_submission(workbench_url, page):
    from playwright.sync_api import expect

    quiz = open_quiz(page, workbench_url, TWO_ATTEMPTS, learner_id("keyboard"))
    quiz.get_by_label("Recommendation No. 193", exact=True).focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")                        # to the true/false group
    page.keyboard.press("Space")                      # selects "True"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")                      # the Submit button
    expect(quiz.locator('[data-role="score"]')).to_have_text("Your score: 2 out of 2 (100%). Passed.")


def test_staff_resets_a_learner_who_then_submits_again(workbench_url, page):
    from playwright.sync_api import expect

    learner = learner_id("reset")
    quiz = open_quiz(page, workbench_url, TWO_ATTEMPTS, learner)
    for _ in range(2):
        answer_and_submit(page, quiz, "Convention No. 87", "False")
        expect(quiz.locator('[data-role="score"]')).to_contain_text("0 out of 2")
    expect(quiz.get_by_role("button", name="Submit")).to_be_disabled()

    staff = open_quiz(page, workbench_url, TWO_ATTEMPTS, "staff")
    row = staff.locator(f'tr[data-learner="{learner}"]')
    expect(row.locator('[data-role="staff-attempts"]')).to_have_text("2")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name=f"Reset attempts of {learner}").click()
    expect(row.locator('[data-role="staff-attempts"]')).to_have_text("0")
    expect(staff.locator('[data-role="staff-status"]')).to_have_text(f"Attempts reset for {learner}.")

    quiz = open_quiz(page, workbench_url, TWO_ATTEMPTS, learner)
    expect(quiz.locator('[data-role="attempts"]')).to_have_text("Attempts used: 0 of 2.")
    answer_and_submit(page, quiz, "Recommendation No. 193", "True")
    expect(quiz.locator('[data-role="score"]')).to_have_text("Your score: 2 out of 2 (100%). Passed.")
    assert page.js_errors == []


def test_learners_do_not_see_the_staff_panel(workbench_url, page):
    from playwright.sync_api import expect

    quiz = open_quiz(page, workbench_url, TWO_ATTEMPTS, learner_id())
    expect(quiz.locator(".sse-staff")).to_have_count(0)


def test_studio_editor_adds_a_question_and_reports_errors(workbench_url, page):
    from playwright.sync_api import expect

    editor = open_quiz(page, workbench_url, NEVER_SHOWN, "staff", view="studio_view")
    questions = editor.locator('[data-role="questions"] > li')
    expect(questions).to_have_count(4)
    editor.get_by_role("button", name="Add a question").click()
    expect(questions).to_have_count(5)
    new = questions.nth(4)
    new.get_by_label("Prompt (HTML)").fill("Which year was COPAC founded?")
    new.get_by_label("Type").select_option("numeric")
    editor.get_by_role("button", name="Save").click()
    errors = editor.locator('[data-role="errors"]')
    expect(errors).to_contain_text("Question 5: a number question needs the correct number.")

    new.get_by_label("Correct number").fill("1971")
    editor.get_by_role("button", name="Save").click()
    expect(errors).to_be_empty()

    quiz = open_quiz(page, workbench_url, NEVER_SHOWN, learner_id())
    expect(quiz.locator("fieldset")).to_have_count(5)
    expect(quiz).to_contain_text("Which year was COPAC founded?")
    assert page.js_errors == []


def test_keyboard_focus_stays_in_the_quiz_after_each_submit(workbench_url, page):
    """A keyboard user is not sent back to the top of the page by a submit: the focus stays on the
    Submit button while attempts remain, then moves to the score once the button is disabled."""
    from playwright.sync_api import expect

    quiz = open_quiz(page, workbench_url, TWO_ATTEMPTS, learner_id("focus"))
    focused = "() => document.activeElement && document.activeElement.getAttribute('data-role')"
    quiz.get_by_label("Convention No. 87", exact=True).focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")                        # to the true/false group
    page.keyboard.press("Space")                      # selects "True"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")                      # first attempt
    expect(quiz.locator('[data-role="score"]')).to_have_text("Your score: 1 out of 2 (50%). Not passed.")
    assert page.evaluate(focused) == "submit"

    page.keyboard.press("Enter")                      # second and last attempt, same answers
    expect(quiz.locator('[data-role="attempts-left"]')).to_have_text("You have used all your attempts.")
    expect(quiz.get_by_role("button", name="Submit")).to_be_disabled()
    assert page.evaluate(focused) == "score"
    assert page.js_errors == []


def test_the_attempts_line_reads_cleanly_when_attempts_are_unlimited(workbench_url, page):
    """No empty 'attempts left' part between two separators ("... (no limit). · · Pass mark")."""
    from playwright.sync_api import expect

    quiz = open_quiz(page, workbench_url, "sse_quiz.1", learner_id("meta"))
    expect(quiz.locator('[data-role="attempts"]')).to_have_text("Attempts used: 0 (no limit).")
    shown = quiz.locator(".sse-quiz-meta").evaluate("""meta => Array.from(meta.children)
        .filter(part => getComputedStyle(part).display !== 'none')
        .map(part => {
            const before = getComputedStyle(part, '::before').content;
            return (before && before !== 'none' ? JSON.parse(before) : '') + part.textContent;
        }).join('')""")
    assert shown == "Attempts used: 0 (no limit). · Pass mark: 70%"


def test_studio_editor_says_when_the_quiz_is_saved(workbench_url, page):
    """Outside Studio's own notifications (the workbench), a save without warnings is still confirmed."""
    from playwright.sync_api import expect

    editor = open_quiz(page, workbench_url, TWO_ATTEMPTS, "staff", view="studio_view")
    expect(editor.locator('[data-role="questions"] > li')).to_have_count(2)
    editor.get_by_role("button", name="Save").click()
    expect(editor.get_by_role("status")).to_have_text("Saved")
    expect(editor.locator('[data-role="errors"]')).to_be_empty()
    assert page.js_errors == []


@pytest.mark.parametrize("student", ["narrow_learner", "staff"])
def test_a_phone_sized_screen_needs_no_sideways_scrolling(workbench_url, page, student):
    """At 375 px the page fits; the staff table, too wide for it, scrolls inside its own box."""
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 375, "height": 800})
    if student == "staff":
        learner = open_quiz(page, workbench_url, TWO_ATTEMPTS, learner_id("narrow"))
        answer_and_submit(page, learner, "Convention No. 87", "False")
        expect(learner.locator('[data-role="score"]')).to_contain_text("0 out of 2")
    quiz = open_quiz(page, workbench_url, TWO_ATTEMPTS, student)
    expect(quiz.get_by_role("button", name="Submit")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_studio_editor_buttons_name_what_they_act_on(workbench_url, page):
    """Screen-reader users list buttons out of context: each move or delete button says which
    question or choice it acts on, and still starts with its visible word."""
    from playwright.sync_api import expect

    editor = open_quiz(page, workbench_url, TWO_ATTEMPTS, "staff", view="studio_view")
    questions = editor.locator('[data-role="questions"] > li')
    expect(questions).to_have_count(2)
    for name in ("Move question 2 up", "Move question 1 down", "Delete question 1", "Delete question 2",
                 "Move choice 2 of question 1 up", "Move choice 1 of question 1 down",
                 "Delete choice 3 of question 1"):
        expect(editor.get_by_role("button", name=name, exact=True)).to_have_count(1)
    delete = editor.get_by_role("button", name="Delete choice 3 of question 1", exact=True)
    expect(delete).to_have_text("Delete")
    delete.click()
    expect(questions.first.locator("ol > li")).to_have_count(2)
    expect(editor.get_by_role("button", name="Delete choice 3 of question 1", exact=True)).to_have_count(0)
    assert page.js_errors == []


def test_enter_in_an_answer_field_does_not_spend_an_attempt(workbench_url, page):
    """Pressing Enter after typing an answer is a habit; it must not submit a half-answered quiz and
    use up one of the learner's attempts. The Submit button still does."""
    from playwright.sync_api import expect

    quiz = open_quiz(page, workbench_url, NEVER_SHOWN, learner_id("enter"))
    field = quiz.locator('[data-question="union"] input[type="text"]')
    field.fill("SEWA")
    field.press("Enter")
    page.wait_for_timeout(500)
    expect(quiz.locator('[data-role="attempts"]')).to_have_text("Attempts used: 0 of 3.")
    expect(quiz.locator('[data-role="score"]')).to_have_count(0)
    quiz.get_by_role("button", name="Submit").click()
    expect(quiz.locator('[data-role="attempts"]')).to_have_text("Attempts used: 1 of 3.")
    expect(quiz.locator('[data-role="score"]')).to_contain_text("Your score: 2 out of")
    assert page.js_errors == []
