"""Numbers, counts, lists and moments read as each language writes them, in Chromium, where they were found
wrong: in French on a 360 px phone, in Spanish on a 1280 px laptop.

French: the word counter groups thousands ("1 200 mots", CLDR's narrow no-break space) and takes the
singular for 0; a graded learner reads the values behind each median joined with "et" ("médiane de 4 et
4", never "4, 4", which reads as 4.4), and the review-rating counter "0 caractère utilisé". The quiz's
staff panel shows a learner's score as the learner reads it (points and percentage). Spanish: the pass
mark is "60 %" (CLDR's spacing), and the case study's staff list shows its moments with their time zone,
named as the quiz's staff panel names it.
"""

from __future__ import annotations

import re
import uuid

import pytest

pytestmark = pytest.mark.browser

NNBSP, NBSP = "\u202f", "\u00a0"
QUIZ = "sse_quiz.0"            # two attempts, pass mark 60
WRITING = "sse_case_study.0"   # 30 to 1200 words
REVIEWED = "sse_case_study.1"  # two reviews required and given
TEXT = ("Mutual health organisations reach workers whom social insurance misses, but membership stays low because "
        "contributions compete with daily needs and the state can subsidise the poorest members.")
CALL = """async ([name, payload]) => {
    const init = JSON.parse(document.querySelector('script.sse-init').textContent);
    return await window.SSEAcademy.postJSON(init.urls[name], payload);
}"""
TYPE = """(text) => {
    const box = document.querySelector('.sse-case-study textarea');
    box.value = text;
    box.dispatchEvent(new Event('input', {bubbles: true}));
    return document.querySelector('.sse-case-study .sse-cs-words').textContent;
}"""
ZONE = re.compile(r"(GMT[+\-\u2212]?[\d:]*|UTC[+\-\u2212]?[\d:]*|[A-Z]{3,5})$")


def context(browser, lang, width, zone):
    ctx = browser.new_context(viewport={"width": width, "height": 800}, timezone_id=zone,
                              locale={"fr": "fr-FR", "es": "es-ES"}[lang])
    page = ctx.new_page()
    page.set_default_timeout(20000)
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    return ctx, page


def open_block(page, workbench_url, scenario, student, lang):
    page.goto(f"{workbench_url}/scenario/{scenario}/?student={student}&lang={lang}")
    page.wait_for_selector(".sse-block")


def handler(page, name, payload):
    reply = page.evaluate(CALL, [name, payload])
    assert reply["ok"], reply
    return reply["data"]


def graded_learners(page, workbench_url, lang) -> list[str]:
    """Three learners of ``REVIEWED`` submit and review each other twice through the block's handlers."""
    run = uuid.uuid4().hex[:6]
    learners = [f"{name}_{run}" for name in ("fmt_awa", "fmt_bintou", "fmt_chidi")]
    for student in learners:
        open_block(page, workbench_url, REVIEWED, student, lang)
        handler(page, "submit_response", {"text": f"{student}: {TEXT}"})
    for _round in range(2):
        for student in learners:
            open_block(page, workbench_url, REVIEWED, student, lang)
            task = handler(page, "next_review", {})["state"]["review"]
            options = {crit["name"]: crit["options"][-1]["index"] for crit in task["rubric"]}
            handler(page, "submit_review", {"lease_id": task["lease_id"], "review": {"options": options}})
    return learners


def submit_quiz(page, workbench_url, student, lang) -> str:
    """One attempt at ``QUIZ`` (one right answer of two); returns the score line the learner reads."""
    from playwright.sync_api import expect

    open_block(page, workbench_url, QUIZ, student, lang)
    quiz = page.locator(".sse-quiz").first
    quiz.locator('input[value="a"]').check()
    quiz.locator('input[value="false"]').check()
    quiz.locator('[data-role="submit"]').click()
    score = quiz.locator('[data-role="score"]')
    expect(score).not_to_be_empty()
    return score.text_content()


def staff_cells(page, selector, learner) -> list[str]:
    row = page.locator(f'{selector} tr:has-text("{learner}")').first
    row.wait_for()
    return [re.sub(r"[ \t\n]+", " ", cell).strip() for cell in row.locator("td, th").all_text_contents()]


def test_french_on_a_phone_groups_thousands_joins_values_and_takes_the_singular_for_zero(workbench_url, browser):
    from playwright.sync_api import expect

    ctx, page = context(browser, "fr", 360, "Europe/Paris")
    try:
        open_block(page, workbench_url, WRITING, f"fmt_words_{uuid.uuid4().hex[:6]}", "fr")
        page.route("**/save_draft/**", lambda route: route.fulfill(status=200, content_type="application/json",
                                                                 body='{"saved": true}'))
        assert page.evaluate(TYPE, " ".join(["mot"] * 1200)) == f"1{NNBSP}200 mots"
        assert page.evaluate(TYPE, " ".join(["mot"] * 1300)) == f"1{NNBSP}300 mots (au plus 1{NNBSP}200 autorisés)"
        assert page.evaluate(TYPE, "").startswith("0 mot ")

        author = graded_learners(page, workbench_url, "fr")[0]
        open_block(page, workbench_url, REVIEWED, author, "fr")
        case = page.locator(".sse-case-study").first
        expect(case).to_contain_text("médiane de")
        grade = case.text_content()
        assert re.search(r"\(médiane de \d+ et \d+\)", grade), grade
        assert not re.search(r"médiane de \d+, \d+\)", grade), grade
        counter = case.locator('[data-role="feedback-count"]').first
        expect(counter).to_have_text("0 caractère utilisé sur 500.")
        case.locator('[data-role="feedback-comment"]').first.fill("Merci")
        expect(counter).to_have_text("5 caractères utilisés sur 500.")

        learner = f"fmt_quiz_{uuid.uuid4().hex[:6]}"
        learner_reads = submit_quiz(page, workbench_url, learner, "fr")
        assert f"1 sur 2 points (50{NBSP}%)" in learner_reads, learner_reads
        open_block(page, workbench_url, QUIZ, "staff", "fr")
        cells = staff_cells(page, '[data-role="staff-table"]', learner)
        assert f"1 sur 2 points (50{NBSP}%)" in cells, cells
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert page.js_errors == []
    finally:
        ctx.close()


def test_spanish_at_1280_spaces_percentages_and_names_the_zone_of_every_moment(workbench_url, browser):
    from playwright.sync_api import expect

    ctx, page = context(browser, "es", 1280, "America/Mexico_City")
    try:
        learner = f"fmt_es_{uuid.uuid4().hex[:6]}"
        open_block(page, workbench_url, QUIZ, learner, "es")
        expect(page.locator(".sse-quiz").first).to_contain_text(f"60{NBSP}%")
        learner_reads = submit_quiz(page, workbench_url, learner, "es")
        assert f"1 de 2 puntos (50{NBSP}%)" in learner_reads, learner_reads
        open_block(page, workbench_url, QUIZ, "staff", "es")
        quiz_cells = staff_cells(page, '[data-role="staff-table"]', learner)
        assert f"1 de 2 puntos (50{NBSP}%)" in quiz_cells, quiz_cells
        quiz_zone = ZONE.search(quiz_cells[3])

        writer = f"fmt_es_case_{uuid.uuid4().hex[:6]}"
        open_block(page, workbench_url, REVIEWED, writer, "es")
        handler(page, "submit_response", {"text": f"{writer}: {TEXT}"})
        open_block(page, workbench_url, REVIEWED, "staff", "es")
        case_cells = staff_cells(page, '[data-role="staff-list"]', writer)
        case_zone = ZONE.search(case_cells[1])
        assert quiz_zone and case_zone and quiz_zone.group() == case_zone.group(), (quiz_cells, case_cells)
        assert page.js_errors == []
    finally:
        ctx.close()


NUMBERS = [0, 1, 2.5, 5.3333, 999, 1200, 12345.678, 1000000, -3.5]
PERCENTS = [0, 60, 99.5, 100]
LISTS = [[3, 5], [3, 5, 7], [2.5], [1200, 4]]
COUNTS = [0, 1, 1.5, 2, 1200]
SAME_RULES = """([numbers, percents, lists, counts, forms]) => {
    const S = window.SSEAcademy;
    return {numbers: numbers.map((n) => S.number(n)), percents: percents.map((n) => S.percent(n)),
            lists: lists.map((l) => S.list(l)), counts: counts.map((n) => S.plural(forms, n))};
}"""


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_browser_writes_numbers_with_the_servers_rules(workbench_url, browser, lang):
    """``SSEAcademy`` (Intl, the page's language) and ``l10n`` (Babel, the request's) write the same figures."""
    from django.utils import translation

    from sse_academy_xblock import l10n
    from sse_academy_xblock.i18n import BlockTranslator

    t = BlockTranslator()
    word = ("%(count)s word", "%(count)s words")
    with translation.override(lang):
        forms = l10n.plural_forms(t, *word)   # what a block gives its script
        expected = {
            "numbers": [l10n.number(n) for n in NUMBERS],
            "percents": [l10n.percentage(n) for n in PERCENTS],
            "lists": [l10n.values(items) for items in LISTS],
            "counts": [l10n.counted(t, *word, n) for n in COUNTS],
        }
    ctx = browser.new_context(locale={"en": "en-US", "fr": "fr-FR", "es": "es-ES"}[lang])
    page = ctx.new_page()
    try:
        open_block(page, workbench_url, QUIZ, "fmt_rules", lang)
        shown = page.evaluate(SAME_RULES, [NUMBERS, PERCENTS, LISTS, COUNTS, forms])
    finally:
        ctx.close()
    assert shown == expected
