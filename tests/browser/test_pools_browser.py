"""Question pools in Chromium on a live workbench: a learner takes a pooled quiz, staff see the draw, and an
author edits the pools with the keyboard.

``sse_quiz.4`` is "Fundamental conventions: question pools": ``declaration`` (true) for everyone, and a pool
``conventions`` of which 2 of 4 are drawn (``freedom``: Convention No. 87, ``bargaining``: Convention No. 98,
``minimum-age``: 138, ``worst-forms``: 182). The learner's test runs before the editor's, which changes the quiz.
"""

import uuid

import pytest

pytestmark = pytest.mark.browser

POOLS = "sse_quiz.4"
POOLED = ("freedom", "bargaining", "minimum-age", "worst-forms")


def open_quiz(page, workbench_url, student, view=""):
    page.goto(f"{workbench_url}/scenario/{POOLS}/{view + '/' if view else ''}?student={student}")
    return page.locator(".sse-quiz, .sse-quiz-studio").first


def drawn(quiz):
    return quiz.locator("fieldset.sse-quiz-question").evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('data-question'))")


def answer(quiz, qid):
    fieldset = quiz.locator(f'fieldset[data-question="{qid}"]')
    if qid == "declaration":
        fieldset.get_by_label("True", exact=True).check()
    elif qid == "freedom":
        fieldset.get_by_label("Convention No. 87", exact=True).check()
    elif qid == "bargaining":
        fieldset.get_by_label("Convention No. 98", exact=True).check()
    else:
        fieldset.get_by_role("textbox").fill("138" if qid == "minimum-age" else "182")


def test_a_learner_keeps_their_draw_and_is_graded_on_it_and_staff_see_it(workbench_url, page):
    from playwright.sync_api import expect

    learner = f"pooled_{uuid.uuid4().hex[:10]}"
    quiz = open_quiz(page, workbench_url, learner)
    expect(quiz.locator("fieldset.sse-quiz-question")).to_have_count(3)
    mine = drawn(quiz)
    assert mine[0] == "declaration" and len(set(mine[1:]) & set(POOLED)) == 2
    page.reload()
    quiz = page.locator(".sse-quiz").first
    assert drawn(quiz) == mine  # the same questions on every load

    for qid in mine:
        answer(quiz, qid)
    quiz.get_by_role("button", name="Submit").click()
    expect(quiz.locator('[data-role="score"]')).to_have_text("Your score: 3 of 3 points (100%). Passed.")
    expect(quiz.locator(".sse-quiz-key")).to_have_count(3)  # the key of the drawn questions only
    others = [qid for qid in POOLED if qid not in mine]
    html = page.content()
    assert all(f'data-question="{qid}"' not in html for qid in others)
    assert page.js_errors == []

    staff = open_quiz(page, workbench_url, "staff")
    row = staff.locator(f'tr[data-learner="{learner}"]')
    expect(row.locator('[data-role="staff-drawn"]')).to_have_text(", ".join(mine[1:]))
    expect(staff.get_by_role("columnheader", name="Questions drawn")).to_be_visible()


def test_an_author_edits_pools_with_the_keyboard(workbench_url, page):
    from playwright.sync_api import expect

    editor = open_quiz(page, workbench_url, "staff", view="studio_view")
    pools = editor.locator('[data-role="pools"] > li')
    expect(pools).to_have_count(1)
    first = pools.nth(0)
    expect(first.get_by_label("Pool id")).to_have_value("conventions")
    expect(first).to_contain_text("Questions in this pool: 4")
    draw = first.get_by_label("Questions each learner is asked")
    draw.fill("5")
    editor.get_by_role("button", name="Save").click()
    errors = editor.locator('[data-role="errors"]')
    expect(errors).to_contain_text("Pool “conventions”: the number of questions to draw must be from 1 to 4")

    # A second pool, by keyboard only: Enter on "Add a pool" puts the focus in its id.
    editor.get_by_role("button", name="Add a pool").focus()
    page.keyboard.press("Enter")
    expect(pools).to_have_count(2)
    new_id = pools.nth(1).get_by_label("Pool id")
    expect(new_id).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("opening")
    page.keyboard.press("Tab")  # the id is kept when the focus leaves it: the questions' menus follow
    question = editor.locator('[data-role="questions"] > li').nth(0)
    menu = question.get_by_label("Pool", exact=True)
    menu.focus()
    menu.select_option(label="Pool “opening”")
    expect(pools.nth(1)).to_contain_text("Questions in this pool: 1")
    expect(menu).to_be_focused()

    draw.fill("3")
    editor.get_by_role("button", name="Save").click()
    expect(errors).to_be_empty()
    expect(editor.get_by_role("status")).to_have_text("Saved")

    quiz = open_quiz(page, workbench_url, f"after_{uuid.uuid4().hex[:10]}")
    expect(quiz.locator("fieldset.sse-quiz-question")).to_have_count(4)  # 1 of 1 and 3 of 4
    assert page.js_errors == []


def test_a_new_draw_per_attempt_shows_the_results_then_the_next_questions(workbench_url, page):
    """Runs after the editor's test: the quiz asks ``declaration`` and 3 of the 4 conventions."""
    from playwright.sync_api import expect

    editor = open_quiz(page, workbench_url, "staff", view="studio_view")
    editor.get_by_label("A new draw per attempt", exact=False).check()
    editor.get_by_role("button", name="Save").click()
    expect(editor.get_by_role("status")).to_have_text("Saved")

    for _try in range(6):  # a redraw asks the same 3 of 4 questions once in 4: find a learner whose draw changes
        quiz = open_quiz(page, workbench_url, f"redraw_{uuid.uuid4().hex[:10]}")
        first = drawn(quiz)
        quiz.locator('fieldset[data-question="declaration"]').get_by_label("False", exact=True).check()
        for qid in first[1:]:
            answer(quiz, qid)
        quiz.get_by_role("button", name="Submit").click()
        expect(quiz.locator('[data-role="score"]')).to_contain_text("Your score: 3 of 4 points")
        if quiz.locator('[data-role="new-draw"]').count():
            break
    else:
        pytest.fail("no learner got a new draw in 6 tries")
    # the results of the questions just answered, beside them; then the next attempt's questions on request
    expect(quiz.locator('fieldset[data-question="declaration"] [data-role="result"]')).to_contain_text("Incorrect")
    expect(quiz.get_by_role("button", name="Submit")).to_be_disabled()
    expect(quiz.locator('[data-role="live"]')).to_contain_text("Your next attempt asks other questions")
    quiz.get_by_role("button", name="Show the questions of my next attempt").click()
    quiz = page.locator(".sse-quiz").first
    expect(quiz.locator('[data-role="score"]')).to_contain_text("Your score: 3 of 4 points")
    expect(quiz.locator("fieldset.sse-quiz-question")).to_have_count(4)
    second = drawn(quiz)
    assert second != first and second[0] == "declaration"
    expect(quiz.get_by_role("button", name="Submit")).to_be_enabled()
    assert page.js_errors == []
