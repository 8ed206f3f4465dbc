"""Self-assessment and the adaptive review count in Chromium, in English and in French.

``sse_case_study.3`` ("Domestic workers' rights": one criterion of 0, 2 or 4 points; 2 to 3 reviews per
response, 2 to give; self-assessment counted with a weight of 0.25). Learners submit and review through
the block's own handlers (called from the page, as its script does), so that each test spends its time
on the part it is about:

- a learner assesses their own response with the keyboard (told first to choose an option, the focus on
  the choices), the page announces it; once peers graded the response, the grade shows their points
  beside the peers' grade, and the grade counts it (0.75 x 4 + 0.25 x 2 = 3.5, a half rounded up: 4);
- in French, a response whose two reviews disagree asks for a third, and, still divergent at three, goes
  to the staff queue: the learner reads why, staff see it in the queue and the cohort's self-minus-peer
  gap.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SCENARIO = "sse_case_study.3"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
TEXT = ("The cooperative negotiates wages and hours for its members and registers them with social security, so "
        "they enjoy the rights Convention No. 189 promises.")
CALL = """async ([name, payload]) => {
    const init = JSON.parse(document.querySelector('script.sse-init').textContent);
    return await window.SSEAcademy.postJSON(init.urls[name], payload);
}"""
AXE_RUN = """async () => {
    const result = await axe.run(document.querySelector('.sse-case-study'), {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
    return result.violations.map(v => `${v.id}: ${v.nodes.length} node(s) ${v.nodes[0].target}`);
}"""


def open_case(page, workbench_url, student, lang="en"):
    page.goto(f"{workbench_url}/scenario/{SCENARIO}/?student={student}&lang={lang}")
    page.wait_for_selector(".sse-case-study")
    return page.locator(".sse-case-study").first


def handler(page, name, payload):
    reply = page.evaluate(CALL, [name, payload])
    assert reply["ok"], reply
    return reply["data"]


def submit_all(page, workbench_url, learners):
    for student in learners:
        open_case(page, workbench_url, student)
        handler(page, "submit_response", {"text": f"{student}: {TEXT}"})


def review_rounds(page, workbench_url, reviewers, score, rounds=3):
    """Each reviewer in turn takes a response (an extra one once they owe none) and gives it ``score(reviewer,
    text)``, the index of the option; ``rounds`` times, or until nobody has anything to review."""
    for _round in range(rounds):
        for student in reviewers:
            open_case(page, workbench_url, student)
            task = handler(page, "next_review", {"extra": True})["state"]["review"]
            if task is None:
                continue
            handler(page, "submit_review", {"lease_id": task["lease_id"], "review": {
                "options": {"rights": score(student, task["text"])}}})


def new_page(browser, **options):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    page = context.new_page()
    page.set_default_timeout(20000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


def test_a_learner_assesses_their_response_and_sees_it_beside_the_peers_grade(workbench_url, browser):
    from playwright.sync_api import expect

    context, page, errors = new_page(browser, locale="en-US")
    try:
        run = uuid.uuid4().hex[:6]
        learners = [f"{name}_{run}" for name in ("sa_ama", "sa_bea", "sa_cai")]
        submit_all(page, workbench_url, learners)
        author = learners[0]
        case = open_case(page, workbench_url, author)
        expect(case.locator(".sse-cs-rules")).to_contain_text("from 2 to 3 reviews of your response")
        section = case.locator('[data-role="self-assessment"]')
        expect(section.get_by_role("heading", name="Assess your own response")).to_be_visible()
        expect(section.locator('[data-role="self-rule"]')).to_have_text(
            "Your self-assessment counts for 25% of each criterion's grade; the peers' grade for the rest.")
        # Saved without a choice: told so, the focus on the choices; nothing is stored.
        section.get_by_role("button", name="Save your self-assessment").click()
        expect(section.locator('[data-role="self-error"]')).to_have_text("Choose an option for this criterion.")
        expect(section.get_by_role("radio").first).to_be_focused()
        # With the keyboard: the arrow moves to "Named" (2 points), Enter on the button saves.
        page.keyboard.press("ArrowDown")
        expect(section.locator('input[value="1"]')).to_be_checked()
        section.get_by_role("button", name="Save your self-assessment").focus()
        page.keyboard.press("Enter")
        expect(case.locator('[data-role="notice"]')).to_have_text("Your self-assessment is saved.")
        expect(case.locator('[data-role="self-status"]')).to_have_text(
            "Your self-assessment is saved: 2 of 4 points. You will see it beside the peers' grade once your "
            "response is graded.")
        expect(case.locator('[data-role="self-assessment"]')).to_have_count(0)  # once only
        assert axe_violations(page) == []

        # Peers all give "Explained" (4 points): two agreeing reviews settle every grade.
        review_rounds(page, workbench_url, learners, lambda reviewer, text: 2, rounds=2)
        case = open_case(page, workbench_url, author)
        grade = case.locator('[data-role="grade"]')
        expect(grade.locator('[data-role="grade-summary"]')).to_contain_text("4 of 4 points")
        compare = grade.locator('[data-role="self-vs-peers"]')
        expect(compare.get_by_role("heading", name="Your self-assessment beside the peers' grade")).to_be_visible()
        row = compare.locator("tbody tr").first
        expect(row.locator("th")).to_have_text("Rights of Convention No. 189")
        expect(row.locator("td")).to_have_text(["2", "4", "-2"])
        assert axe_violations(page) == []
        # A learner who did not assess their response sees no comparison.
        other = open_case(page, workbench_url, learners[1])
        expect(other.locator('[data-role="grade"]')).to_be_visible()
        expect(other.locator('[data-role="self-vs-peers"]')).to_have_count(0)
    finally:
        context.close()
    assert errors == []


def test_in_french_disagreeing_reviews_ask_for_a_third_then_the_staff_queue(workbench_url, browser):
    from playwright.sync_api import expect

    context, page, errors = new_page(browser, locale="fr-FR")
    try:
        run = uuid.uuid4().hex[:6]
        dan, eli, fay, gus = (f"{name}_{run}" for name in ("ad_dan", "ad_eli", "ad_fay", "ad_gus"))
        submit_all(page, workbench_url, [dan, eli, fay, gus])
        # Eli gives Dan's response "Missing" (0); everyone else gives every response "Explained" (4).
        review_rounds(page, workbench_url, [eli, fay, gus, dan],
                      lambda reviewer, text: 0 if reviewer == eli and text.startswith(dan) else 2)
        case = open_case(page, workbench_url, dan, lang="fr")
        expect(case.locator(".sse-cs-rules")).to_contain_text("à partir de 2 à 3 évaluations de votre réponse")
        expect(case.locator('[data-role="progress"]')).to_contain_text("Évaluations reçues : 3")
        expect(case.locator('[data-role="waiting"]')).to_have_text(
            "Vos évaluateurs divergeaient encore après 3 évaluations : l'équipe pédagogique notera votre réponse. "
            "Votre note apparaîtra ici dès qu'elle l'aura fait.")
        expect(case.locator('[data-role="grade"]')).to_have_count(0)
        # The others agreed at two reviews: graded.
        expect(open_case(page, workbench_url, eli, lang="fr").locator('[data-role="grade"]')).to_be_visible()

        staff = open_case(page, workbench_url, "staff", lang="fr")
        listing = staff.locator('[data-role="staff"]')
        expect(listing.get_by_text(dan)).to_be_visible()
        expect(listing.locator("tr", has_text=dan)).to_contain_text("À noter par l'équipe")
        gaps = staff.locator('table[data-role="quality-self-gaps"]')
        expect(gaps).to_be_visible()
        expect(staff.locator('[data-role="self-csv"]')).to_have_text("Télécharger les auto-évaluations (CSV)")
    finally:
        context.close()
    assert errors == []


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN)
