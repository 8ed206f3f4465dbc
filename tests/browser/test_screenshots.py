"""``make screenshots``: current pictures of the main views, for the README, in ``docs/screenshots/``.

Each entry of ``SHOTS`` is a file name and a function that brings a page to the view and returns the
part to photograph; add a view by adding an entry. The pictures are taken only when
``SSE_SCREENSHOTS`` names the folder to write (``make screenshots`` sets it), so that ``make test``
does not spend its time on them; each shot still checks that its view rendered and raised no error.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

FOLDER = os.environ.get("SSE_SCREENSHOTS", "")
RUN = uuid.uuid4().hex[:5]
ANALYSIS = ("Mutual health organisations reach workers whom social insurance misses, but membership stays low "
            "because contributions compete with daily needs and the benefit package is narrow. Linking mutuals to "
            "the national floor, as Recommendation No. 202 asks, lets the state subsidise the poorest members "
            "while the mutual keeps its democratic governance and its closeness to members.")


def block(page, selector=".sse-block"):
    return page.locator(selector).first


def go(page, url, path, student, lang="en"):
    page.goto(f"{url}{path}?student={student}&lang={lang}")
    page.wait_for_load_state("networkidle")


# --- quiz -----------------------------------------------------------------------------------------

def quiz_before(page, url):
    go(page, url, "/scenario/sse_quiz.0/", f"shot_quiz_{RUN}")
    return block(page)


def quiz_after(page, url):
    from playwright.sync_api import expect

    go(page, url, "/scenario/sse_quiz.0/", f"shot_quiz_{RUN}")
    quiz = block(page)
    quiz.get_by_label("Convention No. 87", exact=True).check()
    quiz.get_by_label("True", exact=True).check()
    quiz.get_by_role("button", name="Submit", exact=True).click()
    expect(quiz.locator('[data-role="score"]')).to_be_visible()
    return quiz


def quiz_unanswered(page, url):
    from playwright.sync_api import expect

    go(page, url, "/scenario/sse_quiz.1/", f"shot_quiz_all_{RUN}")
    quiz = block(page)
    quiz.locator('input[type="radio"]').first.check()
    quiz.get_by_role("button", name="Submit", exact=True).click()
    expect(quiz.locator('[data-role="confirm"]')).to_be_visible()
    return quiz


def quiz_french_phone(page, url):
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 390, "height": 844})
    go(page, url, "/scenario/sse_quiz.0/", f"shot_quiz_fr_{RUN}", lang="fr")
    quiz = block(page)
    quiz.locator('input[type="radio"]').nth(0).check()
    quiz.locator('input[type="radio"]').nth(3).check()
    quiz.locator('[data-role="submit"]').click()
    expect(quiz.locator('[data-role="score"]')).to_be_visible()
    return quiz


def quiz_staff(page, url):
    go(page, url, "/scenario/sse_quiz.0/", "staff")
    return block(page).locator(".sse-staff")


def quiz_item_analysis(page, url):
    from quiz_learners import every_type_answers, take_quiz_as_learners

    take_quiz_as_learners(page, url, "sse_quiz.1", f"shot_items_{RUN}", [every_type_answers(i) for i in range(14)])
    page.set_viewport_size({"width": 1400, "height": 900})  # the whole table, "What to check" included
    go(page, url, "/scenario/sse_quiz.1/", "staff")
    return block(page).locator('[data-role="item-analysis"]')


def quiz_editor(page, url):
    go(page, url, "/scenario/sse_quiz.0/studio_view/", "staff")
    return block(page)


def quiz_editor_errors(page, url):
    from playwright.sync_api import expect

    go(page, url, "/scenario/sse_quiz.0/studio_view/", "staff")
    editor = block(page)
    editor.get_by_label("Pass mark (percent, shown to learners)").fill("150")
    editor.get_by_role("button", name="Add a question").click()
    editor.get_by_role("button", name="Save").click()
    expect(editor.locator('[data-role="errors"] li').first).to_be_visible()
    page.set_viewport_size({"width": 900, "height": 1000})
    page.evaluate("window.scrollTo(0, 0)")
    return None  # the top of the editor, as the author sees it after Save


# --- case study -----------------------------------------------------------------------------------

CASE = "/scenario/sse_case_study.1/"
CASE_LEARNERS = [f"{name}_{RUN}" for name in ("awa", "bintou", "chidi")]


def submit_response(page, url, student):
    from playwright.sync_api import expect

    go(page, url, CASE, student)
    case = block(page)
    case.locator("textarea").first.fill(f"{ANALYSIS}")
    case.locator('[data-role="submit-response"]').click()
    case.locator('[data-role="confirm-submit"]').click()
    expect(case.locator('[data-role="notice"]')).to_be_visible()


def review(page, url, student, points=1, submit=True):
    from playwright.sync_api import expect

    go(page, url, CASE, student)
    case = block(page)
    form = case.locator('[data-role="review-form"]')
    if not form.count():
        case.locator('[data-role="start-review"]').click()
    expect(form).to_be_visible()
    criteria = form.locator("fieldset[data-criterion]")
    for i in range(criteria.count()):
        criteria.nth(i).locator(f'input[value="{points}"]').check()
    criteria.first.locator("textarea").fill("The link to R202 is clear; say more about who pays the subsidy.")
    if submit:
        form.locator('[data-role="submit-review"]').click()
        expect(case.locator('[data-role="notice"]')).to_be_visible()
    return case


def case_reviewing(page, url):
    for student in CASE_LEARNERS:
        submit_response(page, url, student)
    return review(page, url, CASE_LEARNERS[0], submit=False)


def case_graded(page, url):
    from playwright.sync_api import expect

    review(page, url, CASE_LEARNERS[0], points=1)
    review(page, url, CASE_LEARNERS[0], points=2)
    for student in CASE_LEARNERS[1:]:
        review(page, url, student, points=1)
        review(page, url, student, points=2)
    go(page, url, CASE, CASE_LEARNERS[0])
    expect(block(page).locator('[data-role="grade"]')).to_be_visible()
    return block(page)


def case_feedback(page, url):
    """The graded learner rates the first review they received."""
    from playwright.sync_api import expect

    go(page, url, CASE, CASE_LEARNERS[0])
    card = block(page).locator(".sse-cs-review-card").filter(has=page.locator('[data-role="feedback"]')).first
    card.get_by_role("radio", name="Yes").check()
    card.locator('[data-role="feedback-comment"]').fill("The question about who pays the subsidy changed my "
                                                        "conclusion.")
    card.locator('[data-role="feedback-save"]').click()
    expect(card.locator('[data-role="feedback-saved"]')).to_be_visible()
    return card


def case_staff(page, url):
    from playwright.sync_api import expect

    go(page, url, CASE, "staff")
    staff = block(page).locator('[data-role="staff"]')
    expect(staff.locator("tbody tr").first).to_be_visible()
    staff.locator("tbody tr").first.locator("button").first.click()
    expect(staff.locator('[data-role="detail"]')).to_be_visible()
    return staff


def case_quality(page, url):
    """The review-quality section after the three learners' reviews (two each, one criterion harsher)."""
    from playwright.sync_api import expect

    go(page, url, CASE, "staff")
    quality = block(page).locator('[data-role="quality"]')
    expect(quality.locator('table[data-role="quality-reviewers"] tbody tr').first).to_be_visible()
    return quality


def case_editor(page, url):
    go(page, url, CASE, "staff")
    page.goto(f"{url}{CASE}studio_view/?student=staff&lang=en")
    page.wait_for_load_state("networkidle")
    return block(page)


SELF_CASE = "/scenario/sse_case_study.3/"
SELF_TEXT = ("The cooperative negotiates wages and weekly rest for its members with the households, and registers "
             "them with social security: the rights Convention No. 189 sets out reach workers no inspector visits.")
CALL = """async ([name, payload]) => {
    const init = JSON.parse(document.querySelector('script.sse-init').textContent);
    return await window.SSEAcademy.postJSON(init.urls[name], payload);
}"""


def case_self_vs_peers(page, url):
    """A learner's self-assessment ("Named", 2 points) beside the peers' grade (two reviews of 4), counted with a
    weight of 0.25. The learners submit and review through the block's handlers, as its script calls them."""
    from playwright.sync_api import expect

    learners = [f"{name}_{RUN}" for name in ("sa_ines", "sa_joao", "sa_kofi")]
    for student in learners:
        go(page, url, SELF_CASE, student)
        page.evaluate(CALL, ["submit_response", {"text": SELF_TEXT}])
    go(page, url, SELF_CASE, learners[0])
    page.evaluate(CALL, ["submit_self_assessment", {"options": {"rights": 1}}])
    for _round in range(2):
        for student in learners:
            go(page, url, SELF_CASE, student)
            task = page.evaluate(CALL, ["next_review", {}])["data"]["state"]["review"]
            page.evaluate(CALL, ["submit_review", {"lease_id": task["lease_id"], "review": {"options": {"rights": 2}}}])
    go(page, url, SELF_CASE, learners[0])
    grade = block(page).locator('[data-role="grade"]')
    expect(grade.locator('[data-role="self-vs-peers"]')).to_be_visible()
    return grade


# --- the Decent Work profile ------------------------------------------------------------------------

PROFILE_DEMO = "Profile demo: a unit with a quiz on two dimensions"


def profile_path(page, url):
    page.goto(url + "/")
    return page.get_by_role("link", name=PROFILE_DEMO).get_attribute("href")


def profile_learner(page, url):
    from playwright.sync_api import expect

    go(page, url, profile_path(page, url), f"shot_profile_{RUN}")
    quiz = block(page, ".sse-quiz")
    quiz.locator('input[type="radio"]').first.check()
    quiz.locator('input[type="text"]').first.fill("1900")
    quiz.locator('[data-role="submit"]').click()
    profile = block(page, ".sse-profile")
    expect(profile.locator(".sse-profile-live")).not_to_be_empty()
    return profile


def profile_staff(page, url):
    go(page, url, profile_path(page, url), "staff")
    return block(page, ".sse-profile")


def case_reviewer_feedback(page, url):
    """The first learner's reviews beside the grades of the responses they reviewed (all graded by now)."""
    from playwright.sync_api import expect

    go(page, url, CASE, CASE_LEARNERS[0])
    given = block(page).locator('[data-role="given-feedback"]')
    expect(given.locator('[data-role="given-review"]').first).to_be_visible()
    return given


def case_practice(page, url):
    """A learner's first try at a practice example, off the reference: where they differed, and why."""
    from playwright.sync_api import expect

    go(page, url, "/scenario/sse_case_study.4/", f"shot_practice_{RUN}")
    case = block(page)
    case.locator("textarea").first.fill("One member, one vote: the members elected the board and control it.")
    case.locator('[data-role="submit-response"]').click()
    case.locator('[data-role="confirm-submit"]').click()
    form = case.locator('[data-role="calibration-form"]')
    expect(form).to_be_visible()
    for fieldset in form.locator("fieldset").all():
        fieldset.locator('input[value="1"]').check()
    form.locator('[data-role="submit-calibration"]').click()
    expect(case.locator('[data-role="calibration-result"]')).to_be_visible()
    return case.locator('[data-role="calibration"]')


# File name, what it shows (the README's caption), how to get there. In this order (later shots reuse
# the learners of earlier ones).
SHOTS = [
    ("quiz-before.png", quiz_before),
    ("quiz-after.png", quiz_after),
    ("quiz-unanswered.png", quiz_unanswered),
    ("quiz-french-phone.png", quiz_french_phone),
    ("quiz-staff.png", quiz_staff),
    ("quiz-item-analysis.png", quiz_item_analysis),
    ("quiz-editor.png", quiz_editor),
    ("quiz-editor-errors.png", quiz_editor_errors),
    ("case-study-reviewing.png", case_reviewing),
    ("case-study-graded.png", case_graded),
    ("case-study-feedback.png", case_feedback),
    ("case-study-reviewer-feedback.png", case_reviewer_feedback),
    ("case-study-practice.png", case_practice),
    ("case-study-staff.png", case_staff),
    ("case-study-review-quality.png", case_quality),
    ("case-study-editor.png", case_editor),
    ("case-study-self-vs-peers.png", case_self_vs_peers),
    ("profile-learner.png", profile_learner),
    ("profile-staff.png", profile_staff),
]


@pytest.mark.skipif(not FOLDER, reason="pictures are taken by `make screenshots` (SSE_SCREENSHOTS=<folder>)")
def test_screenshots_of_the_main_views(workbench_url, browser):
    folder = Path(FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 900, "height": 900}, locale="en-US", timezone_id="Europe/Paris")
    page = context.new_page()
    page.set_default_timeout(20000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        for name, show in SHOTS:
            page.set_viewport_size({"width": 900, "height": 900})
            part = show(page, workbench_url)
            page.wait_for_timeout(200)
            if part is None:
                page.screenshot(path=str(folder / name))
            else:
                part.screenshot(path=str(folder / name))
            assert (folder / name).stat().st_size > 2000, name
    finally:
        context.close()
    assert errors == []
