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
    expect(quiz.locator('[data-role="attempts"]')).to_have_text("2 of 2 attempts left.")
    expect(quiz).to_contain_text("Pass mark: 60%")
    page.evaluate("""() => { window.sseScored = [];
        document.addEventListener('sse:scored', (e) => window.sseScored.push(e.detail.usageId)); }""")

    answer_and_submit(page, quiz, "Convention No. 87", "False")
    score = quiz.locator('[data-role="score"]')
    expect(score).to_have_text("Your score: 0 of 2 points (0%). Not passed.")
    first = quiz.locator("fieldset").first
    expect(first.locator('[data-role="result"]')).to_contain_text("Incorrect: 0 of 1 point")
    expect(first).to_contain_text("No: Convention No. 87 (1948) protects freedom of association.")
    expect(first).not_to_contain_text("Correct answer")
    expect(quiz.locator('[data-role="attempts"]')).to_have_text("1 of 2 attempts left.")

    answer_and_submit(page, quiz, "Recommendation No. 193", "True")
    expect(score).to_have_text("Your score: 2 of 2 points (100%). Passed.")
    expect(first.locator('[data-role="result"]')).to_contain_text("Correct: 1 of 1 point")
    expect(first).to_contain_text("Correct answer: Recommendation No. 193")
    expect(quiz.locator('[data-role="attempts"]')).to_have_text("No attempts left.")
    expect(quiz.get_by_role("button", name="Submit")).to_be_disabled()
    assert len(page.evaluate("window.sseScored")) == 2

    # The server refuses a third attempt even if the button is forced back on.
    quiz.get_by_role("button", name="Submit").evaluate("button => { button.disabled = false; }")
    quiz.get_by_role("button", name="Submit").click()
    expect(quiz.locator('[data-role="error"]')).to_have_text("You have used all your attempts on this quiz.")

    page.reload()
    quiz = page.locator(".sse-quiz").first
    expect(quiz.locator('[data-role="score"]')).to_have_text("Your score: 2 of 2 points (100%). Passed.")
    expect(quiz.get_by_label("Recommendation No. 193", exact=True)).to_be_checked()
    expect(quiz.locator('[data-role="attempts"]')).to_have_text("No attempts left.")
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
    expect(quiz.locator('[data-role="score"]')).to_have_text("Your score: 2 of 2 points (100%). Passed.")


def test_staff_resets_a_learner_who_then_submits_again(workbench_url, page):
    from playwright.sync_api import expect

    learner = learner_id("reset")
    quiz = open_quiz(page, workbench_url, TWO_ATTEMPTS, learner)
    for _ in range(2):
        answer_and_submit(page, quiz, "Convention No. 87", "False")
        expect(quiz.locator('[data-role="score"]')).to_contain_text("0 of 2 points")
    expect(quiz.get_by_role("button", name="Submit")).to_be_disabled()

    staff = open_quiz(page, workbench_url, TWO_ATTEMPTS, "staff")
    row = staff.locator(f'tr[data-learner="{learner}"]')
    expect(row.locator('[data-role="staff-attempts"]')).to_have_text("2")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name=f"Reset attempts of {learner}").click()
    expect(row.locator('[data-role="staff-attempts"]')).to_have_text("0")
    expect(staff.locator('[data-role="staff-status"]')).to_have_text(f"Attempts reset for {learner}.")

    quiz = open_quiz(page, workbench_url, TWO_ATTEMPTS, learner)
    expect(quiz.locator('[data-role="attempts"]')).to_have_text("2 of 2 attempts left.")
    answer_and_submit(page, quiz, "Recommendation No. 193", "True")
    expect(quiz.locator('[data-role="score"]')).to_have_text("Your score: 2 of 2 points (100%). Passed.")
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
    new.get_by_label("Prompt", exact=True).fill("Which year was COPAC founded?")
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
    expect(quiz.locator('[data-role="score"]')).to_have_text("Your score: 1 of 2 points (50%). Not passed.")
    assert page.evaluate(focused) == "submit"

    page.keyboard.press("Enter")                      # second and last attempt, same answers
    expect(quiz.locator('[data-role="attempts"]')).to_have_text("No attempts left.")
    expect(quiz.get_by_role("button", name="Submit")).to_be_disabled()
    assert page.evaluate(focused) == "score"
    assert page.js_errors == []


def test_the_attempts_line_reads_cleanly_when_attempts_are_unlimited(workbench_url, page):
    """No empty 'attempts left' part between two separators ("... (no limit). · · Pass mark")."""
    from playwright.sync_api import expect

    quiz = open_quiz(page, workbench_url, "sse_quiz.1", learner_id("meta"))
    expect(quiz.locator('[data-role="attempts"]')).to_have_text("0 attempts used (no limit).")
    shown = quiz.locator(".sse-quiz-meta").evaluate("""meta => Array.from(meta.children)
        .filter(part => getComputedStyle(part).display !== 'none')
        .map(part => {
            const before = getComputedStyle(part, '::before').content;
            return (before && before !== 'none' ? JSON.parse(before) : '') + part.textContent;
        }).join('')""")
    assert shown == "0 attempts used (no limit). · Pass mark: 70%"


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
        expect(learner.locator('[data-role="score"]')).to_contain_text("0 of 2 points")
    quiz = open_quiz(page, workbench_url, TWO_ATTEMPTS, student)
    expect(quiz.get_by_role("button", name="Submit")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    if student == "staff":
        # the table scrolls inside its box, and edge shadows say so
        box = quiz.locator(".sse-quiz-staff-table")
        assert box.evaluate("e => e.scrollWidth > e.clientWidth")
        assert "radial-gradient" in box.evaluate("e => getComputedStyle(e).backgroundImage")


def test_studio_editor_buttons_name_what_they_act_on(workbench_url, page):
    """Screen-reader users list buttons out of context: each move or delete button says which
    question or choice it acts on, and still starts with its visible word."""
    from playwright.sync_api import expect

    editor = open_quiz(page, workbench_url, TWO_ATTEMPTS, "staff", view="studio_view")
    questions = editor.locator('[data-role="questions"] > li')
    expect(questions).to_have_count(2)
    for name in ("Move up question 2", "Move down question 1", "Delete question 1", "Delete question 2",
                 "Move up choice 2 of question 1", "Move down choice 1 of question 1",
                 "Delete choice 3 of question 1"):
        expect(editor.get_by_role("button", name=name, exact=True)).to_have_count(1)
    delete = editor.get_by_role("button", name="Delete choice 3 of question 1", exact=True)
    expect(delete).to_have_text("Delete")
    delete.click()
    expect(questions.first.locator("ol > li[data-c]")).to_have_count(2)
    expect(questions.first.locator('ol > li[data-role="undo"]')).to_have_count(1)  # where the choice was
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
    expect(quiz.locator('[data-role="attempts"]')).to_have_text("3 of 3 attempts left.")
    expect(quiz.locator('[data-role="score"]')).to_have_count(0)
    quiz.get_by_role("button", name="Submit").click()
    quiz.get_by_role("button", name="Submit anyway").click()
    expect(quiz.locator('[data-role="attempts"]')).to_have_text("2 of 3 attempts left.")
    expect(quiz.locator('[data-role="score"]')).to_contain_text("Your score: 2 of")
    assert page.js_errors == []


def test_unanswered_questions_are_counted_before_an_attempt_is_spent(workbench_url, page):
    """An empty Submit used to spend an attempt ("0 out of 2, 1 attempt left"): now nothing answered
    is refused before anything is sent, and a partly answered quiz says how many questions are
    unanswered and waits for the learner's decision."""
    from playwright.sync_api import expect

    quiz = open_quiz(page, workbench_url, TWO_ATTEMPTS, learner_id("empty"))
    submit = quiz.get_by_role("button", name="Submit", exact=True)
    submit.click()
    expect(quiz.locator('[data-role="error"]')).to_have_text("Answer at least one question before you submit.")
    expect(quiz.locator('[data-role="attempts"]')).to_have_text("2 of 2 attempts left.")

    quiz.get_by_label("Recommendation No. 193", exact=True).check()
    expect(quiz.locator('[data-role="error"]')).to_be_empty()
    submit.click()
    confirm = quiz.locator('[data-role="confirm"]')
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text("1 question is unanswered. It scores 0, and submitting uses one attempt.")
    expect(quiz.get_by_role("button", name="Submit anyway")).to_be_focused()
    quiz.get_by_role("button", name="Keep answering").click()
    expect(confirm).to_be_hidden()
    expect(quiz.locator('[data-role="attempts"]')).to_have_text("2 of 2 attempts left.")

    submit.click()
    quiz.get_by_role("button", name="Submit anyway").click()
    expect(quiz.locator('[data-role="score"]')).to_have_text("Your score: 1 of 2 points (50%). Not passed.")
    expect(quiz.locator('[data-role="attempts"]')).to_have_text("1 of 2 attempts left.")
    assert page.js_errors == []


def test_a_full_score_is_final_unless_the_author_allows_more(workbench_url, page):
    """After 100% with attempts left, Submit stayed enabled beside the revealed key and a worse last
    attempt replaced the full score. Now the quiz closes, says why, and the server refuses a forced try."""
    from playwright.sync_api import expect

    quiz = open_quiz(page, workbench_url, TWO_ATTEMPTS, learner_id("full"))
    answer_and_submit(page, quiz, "Recommendation No. 193", "True")
    expect(quiz.locator('[data-role="score"]')).to_have_text("Your score: 2 of 2 points (100%). Passed.")
    submit = quiz.get_by_role("button", name="Submit", exact=True)
    expect(submit).to_be_disabled()
    expect(quiz.locator('[data-role="closed"]')).to_have_text("You have the full score on this quiz; it is final.")
    expect(quiz.get_by_label("Convention No. 87", exact=True)).to_be_disabled()

    submit.evaluate("button => { button.disabled = false; }")
    quiz.locator("fieldset").evaluate_all("sets => sets.forEach(s => { s.disabled = false; })")
    quiz.get_by_label("Convention No. 87", exact=True).check()
    submit.click()
    expect(quiz.locator('[data-role="error"]')).to_have_text("You have the full score on this quiz; it is final.")
    page.reload()
    quiz = page.locator(".sse-quiz").first
    expect(quiz.locator('[data-role="score"]')).to_have_text("Your score: 2 of 2 points (100%). Passed.")
    expect(quiz.locator('[data-role="attempts"]')).to_have_text("1 of 2 attempts left.")
    expect(quiz.get_by_role("button", name="Submit", exact=True)).to_be_disabled()
    assert page.js_errors == []


def test_changing_an_answer_clears_its_old_result(workbench_url, page):
    """The old "Incorrect" and the feedback of the old choice no longer stay beside a new choice."""
    from playwright.sync_api import expect

    quiz = open_quiz(page, workbench_url, TWO_ATTEMPTS, learner_id("change"))
    answer_and_submit(page, quiz, "Convention No. 87", "True")
    first, second = quiz.locator("fieldset").nth(0), quiz.locator("fieldset").nth(1)
    expect(first.locator('[data-role="result"]')).to_contain_text("Incorrect: 0 of 1 point")
    expect(first).to_contain_text("Convention No. 87 (1948) protects freedom of association.")
    quiz.get_by_label("Recommendation No. 193", exact=True).check()
    expect(first.locator('[data-role="result"]')).to_be_empty()
    expect(first).not_to_contain_text("protects freedom of association")
    expect(second.locator('[data-role="result"]')).to_contain_text("Correct: 1 of 1 point")
    assert page.js_errors == []


def test_editor_errors_are_summarised_at_the_top_marked_on_their_fields_and_focused(workbench_url, page):
    """The quiz editor listed errors at the bottom, marked no field and left the focus where it was
    (the field could be 2,000 px up). Now: a summary at the top linking to each field, each field
    marked and described by its message, the focus on the first; a mark goes once the field changes."""
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 390, "height": 844})
    editor = open_quiz(page, workbench_url, NEVER_SHOWN, "staff", view="studio_view")
    questions = editor.locator('[data-role="questions"] > li')
    expect(questions.first).to_be_visible()
    count = questions.count()                      # another test may have added one
    editor.get_by_label("Pass mark (percent, shown to learners)").fill("150")
    editor.get_by_role("button", name="Add a question").click()
    new = questions.nth(count)
    new.get_by_label("Type").select_option("numeric")
    new.get_by_label("Prompt", exact=True).fill("Which year was COPAC founded?")
    editor.get_by_role("button", name="Save").click()

    summary = editor.locator('[data-role="errors"]')
    expect(summary).to_contain_text("The quiz was not saved. Correct these fields:")
    pass_mark = editor.get_by_label("Pass mark (percent, shown to learners)")
    expect(pass_mark).to_be_focused()
    expect(pass_mark).to_have_attribute("aria-invalid", "true")
    described = pass_mark.get_attribute("aria-describedby")
    expect(editor.locator(f"#{described}")).to_contain_text("The pass mark must be a percentage from 0 to 100.")
    assert summary.bounding_box()["y"] < editor.get_by_label("Display name").bounding_box()["y"]
    message = f"Question {count + 1}: a number question needs the correct number."
    group = new.locator("fieldset").first
    expect(group).to_have_class("sse-invalid")
    expect(group).to_contain_text(message)

    summary.get_by_role("link", name=message).click()
    expect(new.get_by_label("Id")).to_be_focused()
    pass_mark.fill("70")
    expect(pass_mark).not_to_have_attribute("aria-invalid", "true")
    expect(editor.locator(f"#{described}")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.js_errors == []


def test_authors_write_paragraphs_lists_emphasis_and_links_without_html(workbench_url, page):
    from playwright.sync_api import expect

    editor = open_quiz(page, workbench_url, TWO_ATTEMPTS, "staff", view="studio_view")
    first = editor.locator('[data-role="questions"] > li').first
    prompt = first.get_by_label("Prompt", exact=True)
    expect(prompt).to_have_value("Which ILO instrument of 2002 promotes cooperatives?")
    expect(editor).to_contain_text("Formatting: leave an empty line between paragraphs")
    prompt.fill("Which **ILO** instrument of 2002 promotes cooperatives?\n\nThink of:\n- *recommendations*\n"
                "- [the ILO site](https://www.ilo.org)")
    editor.get_by_role("button", name="Save").click()
    expect(editor.get_by_role("status")).to_have_text("Saved")

    quiz = open_quiz(page, workbench_url, TWO_ATTEMPTS, learner_id("markup"))
    shown = quiz.locator(".sse-quiz-prompt").first
    expect(shown.locator("strong")).to_have_text("ILO")
    expect(shown.locator("ul > li")).to_have_count(2)
    expect(shown.locator("em")).to_have_text("recommendations")
    expect(shown.get_by_role("link", name="the ILO site")).to_have_attribute("href", "https://www.ilo.org")
    expect(shown).not_to_contain_text("**")

    editor = open_quiz(page, workbench_url, TWO_ATTEMPTS, "staff", view="studio_view")
    editor.locator('[data-role="questions"] > li').first.get_by_label("Prompt", exact=True).fill(
        "Which ILO instrument of 2002 promotes cooperatives?")
    editor.get_by_role("button", name="Save").click()
    expect(editor.get_by_role("status")).to_have_text("Saved")
    assert page.js_errors == []


def test_french_results_use_french_punctuation_and_numbers(workbench_url, browser):
    """French lacked the space before ":" in results built in the browser ("Incorrect: 0 sur 1")."""
    from playwright.sync_api import expect

    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(f"{workbench_url}/scenario/{TWO_ATTEMPTS}/?student={learner_id('fr')}&lang=fr")
        quiz = page.locator(".sse-quiz").first
        quiz.locator('input[type="radio"]').nth(1).check()
        quiz.locator('input[type="radio"]').nth(3).check()
        quiz.locator('[data-role="submit"]').click()
        expect(quiz.locator('[data-role="score"]')).to_contain_text("1 sur 2 points (50\u00a0%)")
        expect(quiz.locator("fieldset").first.locator(".sse-status")).to_have_text("Incorrect\u00a0: 0 sur 1 point")
        expect(quiz.locator('[data-role="attempts"]')).to_have_text("Tentatives restantes\u00a0: 1 sur 2.")
    finally:
        context.close()
