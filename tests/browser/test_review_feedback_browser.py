"""Review feedback in Chromium, at 1280 and 390 px: a graded learner rates the reviews they received
(Yes / No, a comment with a character counter, Save, the result announced), the rating survives a
reload, reviewers never see it, staff do; axe-core finds no WCAG 2.0/2.1 A/AA violation.

The three learners of ``sse_case_study.1`` ("Mutual health organisations": 2 reviews required and
given) submit and review each other through the block's own handlers (called from the page, as its
script does), so that the test spends its time on the part it is about.

The grade for reviewing (``sse_case_study.5``, 20 % of the score) is followed through the page's own forms, in
French, Spanish and English: pending, then counted, found and announced by the page left open, and read by staff.
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


# --- the grade for reviewing, in French, Spanish and English --------------------------------------------------

REVIEWING_SCENARIO = "sse_case_study.5"   # "Graded for reviewing": 20 % for reviewing; rubric 6 + 4 points
COFFEE = ("The minimum price of the label protects the growers when the market falls, and the premium pays for "
          "projects the members vote for in their general assembly.")
# Option indexes: principle 0 / 3 / 6 points, evidence 0 / 2 / 4. Awa marks every response 10; Bintou and Chidi
# give Awa's response 5 (3 + 2) and each other's 8 (6 + 2).
FULL, HALF, MOST = {"principle": 2, "evidence": 2}, {"principle": 1, "evidence": 1}, {"principle": 2, "evidence": 1}
NBSP = "\u00a0"
ENGLISH = re.compile(r"\b(Your|your|grade|reviewing|reviews?|pending|share|of|the|and|with|minus|rounded)\b")


def open_reviewing(page, workbench_url, student, lang):
    page.goto(f"{workbench_url}/scenario/{REVIEWING_SCENARIO}/?student={student}&lang={lang}")
    page.wait_for_selector(".sse-case-study")
    return page.locator(".sse-case-study").first


def submit_through_the_form(page, workbench_url, student):
    from playwright.sync_api import expect

    case = open_reviewing(page, workbench_url, student, "fr")
    case.locator("textarea").fill(f"{student}: {COFFEE}")
    case.locator('[data-role="submit-response"]').click()
    case.locator('[data-role="confirm-submit"]').click()
    expect(case.locator('[data-role="progress"]')).to_be_visible()


def review_through_the_form(page, workbench_url, reviewer, options_for) -> str:
    """One review with the page's form, in French; returns whose response it was."""
    from playwright.sync_api import expect

    case = open_reviewing(page, workbench_url, reviewer, "fr")
    case.locator('[data-role="start-review"]').click()
    form = case.locator('[data-role="review-form"]')
    section = case.locator('section:has([data-role="review-form"])')
    author = section.locator(".sse-cs-peer-text").first.inner_text().split(":")[0]
    for criterion, index in options_for(author).items():
        form.locator(f'fieldset[data-criterion="{criterion}"] input[value="{index}"]').check()
    form.locator('[data-role="submit-review"]').click()
    expect(form).to_have_count(0)
    return author


def test_the_grade_for_reviewing_is_explained_in_french_spanish_and_english(workbench_url, browser):
    """Pending (the score is the response's grade) until a response the learner reviewed is graded with another
    review, then the share, the grade for reviewing and the combined score, with the numbers of the page's
    language; the open page finds it by itself and announces it; staff read the same figures."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(20000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        run = uuid.uuid4().hex[:6]
        awa, bintou, chidi = (f"{name}_{run}" for name in ("rg_awa", "rg_bintou", "rg_chidi"))
        for student in (awa, bintou, chidi):
            submit_through_the_form(page, workbench_url, student)
        assert {review_through_the_form(page, workbench_url, awa, lambda author: FULL) for _ in range(2)} == {
            bintou, chidi}
        peers = lambda author: HALF if author == awa else MOST  # noqa: E731
        # Awa's response is graded (5 of 10); neither response she reviewed is graded yet.
        assert review_through_the_form(page, workbench_url, bintou, peers) == awa
        assert review_through_the_form(page, workbench_url, chidi, peers) == awa

        pending = {
            "fr": ("Votre score : 5 sur 10 points (50\u00a0%).",
                   "L'évaluation compte pour 20\u00a0% de votre score. Votre note d'évaluation est 100\u00a0% moins",
                   "Votre note d'évaluation est en attente"),
            "es": ("Su puntuación: 5 de 10 puntos (50\u00a0%).",
                   "Evaluar cuenta por el 20\u00a0% de su puntuación. Su nota por evaluar es 100\u00a0% menos",
                   "Su nota por evaluar está pendiente"),
            "en": ("Your score: 5 of 10 points (50%).",
                   "Reviewing counts for 20% of your score. Your grade for reviewing is 100% minus",
                   "Your grade for reviewing is pending"),
        }
        for lang, (summary, rule, status) in pending.items():
            case = open_reviewing(page, workbench_url, awa, lang)
            expect(case.locator(".sse-cs-rules")).to_contain_text(rule.split(".")[0])
            grade = case.locator('[data-role="grade"]')
            expect(grade.locator('[data-role="grade-summary"]')).to_have_text(summary)
            box = grade.locator('[data-role="reviewing-grade"]')
            expect(box.locator("p").first).to_contain_text(rule)
            expect(box.locator('[data-role="reviewing-status"]')).to_contain_text(status)
            expect(box.locator('[data-role="reviewing-formula"]')).to_have_count(0)
            if lang != "en":
                assert not ENGLISH.search(box.inner_text()), box.inner_text()
        staff = open_reviewing(page, workbench_url, "staff", "fr").locator('[data-role="staff"]')
        staff.locator("tr", has_text=awa).locator("button[data-submission]").click()
        expect(staff.locator('[data-role="detail"]')).to_contain_text("Note d'évaluation : en attente")

        # Awa keeps her page open (in French) while Bintou and Chidi review each other's responses.
        page.clock.install()
        case = open_reviewing(page, workbench_url, awa, "fr")
        other = context.new_page()
        assert review_through_the_form(other, workbench_url, bintou, peers) == chidi
        assert review_through_the_form(other, workbench_url, chidi, peers) == bintou
        other.close()
        # Her two reviews are now each 2 of 10 points away from the other reviewer's: 80 %, and her score
        # 0.8 x 5 + 0.2 x 0.8 x 10 = 5.6, a half point rounded up: 6 of 10.
        page.clock.fast_forward(31000)   # the page looks for its grade for reviewing every 30 s
        announced = "Votre score : 6 sur 10 points (60\u00a0%). Note de votre réponse : 5 sur 10 points (50\u00a0%)."
        expect(case.locator('[data-role="live"]')).to_have_text(announced)
        counted = {
            "fr": (announced,
                   "Votre note d'évaluation est de 80\u00a0%, d'après 2 de vos évaluations qui ont pu être comparées.",
                   "Votre score est 80\u00a0% de la note de votre réponse (5 sur 10 points (50\u00a0%)) plus 20\u00a0% "
                   "de votre note d'évaluation (80\u00a0%) appliquée au meilleur total, un demi-point arrondi au "
                   "supérieur : 6 sur 10 points (60\u00a0%)."),
            "es": ("Su puntuación: 6 de 10 puntos (60\u00a0%). Nota de su respuesta: 5 de 10 puntos (50\u00a0%).",
                   "Su nota por evaluar es 80\u00a0%, a partir de 2 evaluaciones suyas que pudieron compararse.",
                   "Su puntuación es el 80\u00a0% de la nota de su respuesta (5 de 10 puntos (50\u00a0%)) más el "
                   "20\u00a0% de su nota por evaluar (80\u00a0%) aplicada al mejor total, medio punto redondeado "
                   "hacia arriba: 6 de 10 puntos (60\u00a0%)."),
            "en": ("Your score: 6 of 10 points (60%). Your response's grade: 5 of 10 points (50%).",
                   "Your grade for reviewing is 80%, from 2 reviews of yours that could be compared.",
                   "Your score is 80% of your response's grade (5 of 10 points (50%)) plus 20% of your grade for "
                   "reviewing (80%) applied to the best total, a half point rounded up: 6 of 10 points (60%)."),
        }
        for lang, (summary, status, formula) in counted.items():
            if lang != "fr":
                case = open_reviewing(page, workbench_url, awa, lang)
            grade = case.locator('[data-role="grade"]')
            expect(grade.locator('[data-role="grade-summary"]')).to_have_text(summary)
            box = grade.locator('[data-role="reviewing-grade"]')
            expect(box.locator('[data-role="reviewing-status"]')).to_have_text(status)
            expect(box.locator('[data-role="reviewing-formula"]')).to_have_text(formula)
            if lang != "en":
                assert not ENGLISH.search(box.inner_text()), box.inner_text()
            else:
                assert axe_violations(page) == []

        # Staff read the same figures in her submission, in French and in Spanish.
        for lang, reviewing, score in (("fr", "Note d'évaluation : 80\u00a0%", "Score avec l'évaluation : 6 / 10"),
                                       ("es", "Nota por evaluar: 80\u00a0%", "Puntuación con la evaluación: 6 / 10")):
            staff = open_reviewing(page, workbench_url, "staff", lang).locator('[data-role="staff"]')
            staff.locator("tr", has_text=awa).locator("button[data-submission]").click()
            detail = staff.locator('[data-role="detail"]')
            expect(detail).to_contain_text(reviewing)
            expect(detail).to_contain_text(score)
    finally:
        context.close()
    assert errors == []
