"""Staff views with a cohort, at 320 px in English, French and Spanish: the page never scrolls sideways, a
table that scrolls does so inside its own labelled, focusable region that says it scrolls, and no dropdown
(nor its label) is cut, at 320 px or at 1280 px.

The whole-course page holds every staff panel at once: the quiz's attempts and item analysis (the whole-test
statistics among them), the case study's submission list with its status filter, and the profiles' cohort
histogram and learner table. Six learners answer every quiz of the page in each language (through the quiz's
own submit handler, as its script does); each language is then one page load. No other test uses that page.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

COURSE_TITLE = "The whole course: every module and your course profile"
LANGUAGES = ("en", "fr", "es")
LOCALES = {"en": "en-US", "fr": "fr-FR", "es": "es-ES"}
LEARNERS = 6


# Each learner answers every question of every quiz on the page, differently, so that the scores spread.
SEED = """async ([url, prefix, count]) => {
    const token = (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] || '';
    const statuses = [];
    for (const quiz of document.querySelectorAll('.sse-quiz')) {
        const usage = quiz.closest('[data-usage]').getAttribute('data-usage');
        const questions = Array.from(quiz.querySelectorAll('fieldset[data-question]'));
        for (let i = 0; i < count; i++) {
            const answers = {};
            questions.forEach((q, n) => {
                const values = Array.from(q.querySelectorAll('input[type=radio], input[type=checkbox]')).map(e => e.value);
                const type = q.dataset.type;
                if (type === 'truefalse') answers[q.dataset.question] = (i + n) % 2 === 0;
                else if (type === 'single') answers[q.dataset.question] = values[(i + n) % values.length];
                else if (type === 'multiple') answers[q.dataset.question] = values.slice(0, 1 + (i + n) % values.length);
                else answers[q.dataset.question] = String(1890 + 10 * i);
            });
            const reply = await fetch(`${url}/handler/${usage}/submit/?student=${prefix}_${i}`, {
                method: 'POST', credentials: 'same-origin',
                headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
                body: JSON.stringify({attempt: 1, answers})});
            statuses.push(reply.status);
        }
    }
    return statuses;
}"""

# The page's width, and what sticks out of it (outside any box that scrolls or clips).
WIDTH = """() => {
    const clipped = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; };
    const wide = Array.from(document.querySelectorAll('body *')).filter(e => {
        const r = e.getBoundingClientRect(); return r.right > window.innerWidth + 1 && r.width > 0 && !clipped(e); });
    return {width: document.documentElement.scrollWidth, view: window.innerWidth,
            wide: wide.slice(0, 4).map(e => `${e.tagName}.${e.className} "${e.textContent.trim().slice(0, 40)}"`)};
}"""

# Every box of a block that scrolls sideways now: a region with a name, reachable by keyboard, which says it
# scrolls (edge shadows, or the hint just before it shown).
SCROLLERS = """() => {
    const problems = [];
    for (const box of document.querySelectorAll('.sse-block *')) {
        const style = getComputedStyle(box);
        if (!['auto', 'scroll'].includes(style.overflowX) || box.scrollWidth <= box.clientWidth + 1) continue;
        const ids = (box.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
        const name = (box.getAttribute('aria-label') || ids.map(id => (document.getElementById(id) || {}).textContent || '').join(' ')).trim();
        const hint = box.previousElementSibling;
        const says = style.backgroundImage.includes('radial-gradient')
            || (hint && hint.dataset.role === 'scroll-hint' && !hint.hidden);
        const what = `${box.tagName}.${box.className} "${box.textContent.trim().slice(0, 40)}"`;
        if (box.getAttribute('role') !== 'region' || !name) problems.push(`${what} scrolls outside a named region`);
        if (box.tabIndex !== 0) problems.push(`${what} scrolls but cannot be reached by keyboard`);
        if (!says) problems.push(`${what} scrolls without saying so`);
    }
    return problems;
}"""

# A dropdown is cut when it is narrower than its own widest option (its width with no limit), or when it or its
# label sticks out of the screen; a label is cut when its text is wider than its box.
DROPDOWNS = """() => {
    const cut = [];
    const selects = Array.from(document.querySelectorAll('.sse-staff select'));
    for (const select of selects) {
        const free = select.cloneNode(true);
        free.removeAttribute('id');
        free.style.cssText = 'position: absolute; visibility: hidden; width: auto; max-width: none; min-width: 0';
        select.parentNode.appendChild(free);
        const needed = free.getBoundingClientRect().width;
        free.remove();
        const box = select.getBoundingClientRect();
        const widest = Array.from(select.options).map(o => o.text).sort((a, b) => b.length - a.length)[0];
        if (box.width + 0.5 < needed) cut.push(`"${widest}": ${Math.round(box.width)} px of ${Math.round(needed)}`);
        if (box.right > window.innerWidth + 0.5) cut.push(`a dropdown ends at ${Math.round(box.right)} px`);
        if (!select.labels.length) cut.push(`a dropdown without a label ("${widest}")`);
        for (const label of select.labels) {
            const r = label.getBoundingClientRect();
            if (label.scrollWidth > label.clientWidth + 1 || r.right > window.innerWidth + 0.5) {
                cut.push(`label "${label.textContent.trim()}" is cut`);
            }
        }
    }
    return {count: selects.length, cut};
}"""


@pytest.fixture(scope="module")
def course_url(workbench_url, browser):
    """The whole-course page (its English address: ``&lang=`` leads to the same page in that language), with
    six learners' answers to each of its quizzes in each language."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30000)
    try:
        page.goto(workbench_url + "/")
        url = workbench_url + page.get_by_role("link", name=COURSE_TITLE, exact=True).get_attribute("href")
        for lang in LANGUAGES:
            page.goto(f"{url}?student=seed_{lang}&lang={lang}", wait_until="domcontentloaded")
            statuses = page.evaluate(SEED, [workbench_url, f"cohort_{lang}", LEARNERS])
            assert statuses and set(statuses) == {200}, statuses
        for _try in range(30):  # each profile's scope, met for the first time, is counted after the request
            page.goto(f"{url}?student=staff", wait_until="domcontentloaded")
            if page.locator(".sse-profile-histogram").count() == page.locator(".sse-profile-staff").count():
                break
            page.wait_for_timeout(500)
    finally:
        context.close()
    return url


@pytest.mark.parametrize("lang", LANGUAGES)
def test_staff_panels_with_a_cohort_fit_320_px_and_no_dropdown_is_cut(course_url, browser, lang):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 320, "height": 720}, locale=LOCALES[lang])
    page = context.new_page()
    page.set_default_timeout(30000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{course_url}?student=staff&lang={lang}")
        assert page.evaluate("document.documentElement.lang").startswith(lang)
        profiles = page.locator(".sse-profile-staff")
        assert profiles.count() >= 1
        # every cohort table drawn, with the seeded learners; every case study's list with its filter
        expect(page.locator("table.sse-profile-staff-list")).to_have_count(profiles.count())
        expect(page.locator("table.sse-profile-histogram")).to_have_count(profiles.count())
        expect(profiles.last.locator("table.sse-profile-staff-list tbody tr")).to_have_count(LEARNERS)
        expect(page.locator('[data-role="staff-filter"]')).to_have_count(page.locator(".sse-cs-staff").count())
        expect(page.locator('.sse-quiz [data-role="score-table"]').first).to_be_visible()

        problems = []
        width = page.evaluate(WIDTH)
        if width["width"] > width["view"]:
            problems.append(f"the page is {width['width']} px wide at {width['view']} px: {width['wide']}")
        problems += page.evaluate(SCROLLERS)
        narrow = page.evaluate(DROPDOWNS)
        assert narrow["count"] >= 1
        problems += [f"320 px: {cut}" for cut in narrow["cut"]]
        page.set_viewport_size({"width": 1280, "height": 900})
        problems += [f"1280 px: {cut}" for cut in page.evaluate(DROPDOWNS)["cut"]]
        assert not problems, "\n".join(problems)
        assert errors == []
    finally:
        context.close()
