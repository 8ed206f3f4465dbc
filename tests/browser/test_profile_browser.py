"""The Decent Work profile in Chromium on a live workbench: it redraws when the quiz beside it is
graded, reads well at 320 px and 1280 px in English, French and Spanish (no overlapping text, no sideways
scrolling), and shows staff the histogram, the cohort table and the CSV.

The demo page is found by its title on the workbench index
(``sse_academy_xblock/scenarios/sse_profile__1-demo.xml``): a unit whose quiz has a 2-point question on
rights at work and a 1-point question on social dialogue, then a course-scope profile.
"""

import re
import uuid

import pytest

pytestmark = pytest.mark.browser

DEMO_TITLE = "Profile demo: a unit with a quiz on two dimensions"
MODULE_TITLE = "2. Employment through the lens of the SSE"


def scenario_url(page, workbench_url, title):
    page.goto(workbench_url + "/")
    link = page.get_by_role("link", name=title, exact=True)
    return workbench_url + link.get_attribute("href")


def value(profile, dimension):
    return profile.locator(f'.sse-profile-row[data-dimension="{dimension}"] .sse-profile-value')


def test_answering_the_quiz_updates_the_profile_without_reload(workbench_url, page):
    from playwright.sync_api import expect

    url = scenario_url(page, workbench_url, DEMO_TITLE)
    page.goto(f"{url}?student=profile_{uuid.uuid4().hex[:8]}")
    profile = page.locator(".sse-profile").first
    expect(value(profile, "rights_at_work")).to_have_text("0 of 2 points: not started")
    expect(value(profile, "social_dialogue")).to_have_text("0 of 1 point: not started")
    expect(value(profile, "employment")).to_have_text("No points in this course")
    page.evaluate("() => { window.sseNotReloaded = true; }")

    quiz = page.locator(".sse-quiz").first
    quiz.get_by_label("The Promotion of Cooperatives Recommendation, 2002 (No. 193)", exact=True).check()
    quiz.get_by_label("Your answer (a number)").fill("1900")
    quiz.get_by_role("button", name="Submit").click()
    expect(quiz.locator('[data-role="score"]')).to_contain_text("2 of 3 points")

    expect(value(profile, "rights_at_work")).to_have_text("2 of 2 points (100%)")
    expect(value(profile, "social_dialogue")).to_have_text("0 of 1 point (0%)")
    expect(profile.locator(".sse-profile-total-text")).to_have_text("2 of 3 points (67%)")
    fill = profile.locator('.sse-profile-row[data-dimension="rights_at_work"] .sse-profile-fill')
    expect(fill).to_have_attribute("style", "width: 100%")
    expect(profile.locator(".sse-profile-live")).to_have_text("Your Decent Work profile was updated.")

    profile.locator(".sse-profile-table-details summary").click()
    row = profile.locator('.sse-profile-table tbody tr[data-dimension="rights_at_work"]')
    expect(row.locator("td").first).to_have_text("2")
    expect(profile.locator(".sse-profile-table tfoot td").nth(2)).to_have_text("67%")
    assert page.evaluate("() => window.sseNotReloaded") is True
    assert page.js_errors == []


LAYOUT_CHECK = """(root) => {
    const overlaps = [];
    const boxes = (row) => [...row.querySelectorAll('.sse-profile-label, .sse-profile-value, .sse-profile-median-text, .sse-profile-track')]
        .map((el) => [el.className, el.getBoundingClientRect()]);
    for (const row of root.querySelectorAll('.sse-profile-row')) {
        const items = boxes(row);
        for (let i = 0; i < items.length; i++) {
            for (let j = i + 1; j < items.length; j++) {
                const [a, r] = items[i], [b, s] = items[j];
                const apart = r.right <= s.left + 0.5 || s.right <= r.left + 0.5 || r.bottom <= s.top + 0.5 || s.bottom <= r.top + 0.5;
                if (!apart) overlaps.push(row.dataset.dimension + ': ' + a + ' / ' + b);
            }
        }
    }
    const block = root.getBoundingClientRect();
    const outside = [...root.querySelectorAll('.sse-profile-chart *')]
        .filter((el) => el.getBoundingClientRect().right > block.right + 1).map((el) => el.className);
    return {overlaps, outside, scroll: document.documentElement.scrollWidth, view: window.innerWidth};
}"""


@pytest.mark.parametrize("locale, texts", [
    ("en-US", ("not started", "Cohort median", "Show the profile as a table")),
    ("fr-FR", ("pas commencé", "Médiane de la cohorte", "Afficher")),
    ("es-ES", ("sin empezar", "Mediana de la cohorte", "Mostrar")),
])
@pytest.mark.parametrize("width", [320, 1280])
def test_the_chart_reads_at_320_and_1280_px_in_english_french_and_spanish(workbench_url, browser, width, locale, texts):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        url = scenario_url(page, workbench_url, MODULE_TITLE)
        learner = f"layout_{uuid.uuid4().hex[:8]}"
        profile = page.locator(".sse-profile").first
        for _try in range(20):  # a scope met for the first time is counted after the request: no median yet
            page.goto(f"{url}?student={learner}")
            expect(profile.locator(".sse-profile-chart")).to_be_visible()
            if texts[1] in profile.inner_text():
                break
            page.wait_for_timeout(500)
        text = profile.inner_text()
        for expected in texts:
            if expected != texts[2]:
                assert expected in text, (expected, text[:400])
        summary = profile.locator(".sse-profile-table-details summary")
        expect(summary).to_contain_text(texts[2])
        result = page.evaluate(LAYOUT_CHECK, profile.element_handle())
        assert result["overlaps"] == [], result
        assert result["outside"] == [], result
        assert result["scroll"] <= result["view"], result
        summary.click()  # the table alternative must not widen the page either
        result = page.evaluate(LAYOUT_CHECK, profile.element_handle())
        assert result["scroll"] <= result["view"], result
        assert errors == []
    finally:
        context.close()


def test_staff_see_the_histogram_page_the_cohort_and_download_it(workbench_url, page):
    from playwright.sync_api import expect

    url = scenario_url(page, workbench_url, DEMO_TITLE)
    learner = f"cohort_{uuid.uuid4().hex[:8]}"
    page.goto(f"{url}?student={learner}")
    quiz = page.locator(".sse-quiz").first
    quiz.get_by_label("The Employment Policy Convention, 1964 (No. 122)", exact=True).check()
    quiz.get_by_label("Your answer (a number)").fill("1895")
    quiz.get_by_role("button", name="Submit").click()
    expect(quiz.locator('[data-role="score"]')).to_contain_text("1 of 3 points")

    staff = page.locator(".sse-profile-staff")
    for _try in range(20):  # a scope met for the first time is counted in a thread after the request
        page.goto(f"{url}?student=staff")
        if staff.locator(".sse-profile-histogram").count():
            break
        expect(staff.locator('[data-role="histogram-count"]')).to_contain_text("being counted")
        page.wait_for_timeout(500)
    expect(staff.locator(".sse-profile-histogram")).to_be_visible()
    expect(staff.locator(".sse-profile-histogram thead th").nth(3)).to_have_text("Social dialogue")
    table = staff.locator("table.sse-profile-staff-list")
    expect(table).to_be_visible()
    expect(table.locator("thead th").nth(3)).to_have_text("Social dialogue (of 1)")
    row = table.locator("tbody tr", has_text=learner)
    expect(row.locator("td").nth(2)).to_have_text("1")
    expect(staff.locator(".sse-profile-page")).to_have_text("Page 1")
    # the histogram's count and the table's are the same current count, kept as scores change
    size = staff.locator(".sse-profile-cohort-size")
    expect(size).to_contain_text(re.compile(r"^\d[\d,]* learners? (has|have) points in this scope\.$"))
    count = staff.locator('[data-role="histogram-count"]')
    expect(count).to_contain_text(size.text_content())
    expect(count).not_to_contain_text("as of")
    expect(staff.get_by_role("button", name="Previous page")).to_be_disabled()
    expect(staff.locator(".sse-profile-histogram tbody td").first).to_have_text(re.compile(r"^\d+$"))
    with page.expect_download() as download_info:
        staff.get_by_role("link", name="Download the cohort profile (CSV)").click()
    content = open(download_info.value.path(), encoding="utf-8-sig").read()
    assert learner in content
    assert page.js_errors == []


def test_learners_do_not_see_the_cohort(workbench_url, page):
    from playwright.sync_api import expect

    url = scenario_url(page, workbench_url, DEMO_TITLE)
    page.goto(f"{url}?student=learner_{uuid.uuid4().hex[:8]}")
    expect(page.locator(".sse-profile").first).to_be_visible()
    expect(page.locator(".sse-profile-staff")).to_have_count(0)


def test_the_profile_editor_follows_the_shared_error_behaviour(workbench_url, page):
    """As in the quiz and case-study editors: a summary at the top linking to each field in error, the
    field marked and described by its message, the focus on it, and the mark gone once it is fixed."""
    from playwright.sync_api import expect

    url = scenario_url(page, workbench_url, DEMO_TITLE)
    page.goto(url.rstrip("/") + "/studio_view/?student=staff")
    editor = page.locator(".sse-profile-studio").first
    name = editor.get_by_label("Display name")
    name.fill("   ")
    editor.get_by_role("button", name="Save").click()
    summary = editor.locator('[data-role="errors"]')
    expect(summary).to_contain_text("Please correct the highlighted fields.")
    expect(summary.get_by_role("link", name="Enter a display name.")).to_have_count(1)
    expect(name).to_be_focused()
    expect(name).to_have_attribute("aria-invalid", "true")
    described = name.get_attribute("aria-describedby")
    assert described and "Enter a display name." in page.locator(f"#{described.split()[-1]}").inner_text()
    name.fill("My Decent Work profile")
    expect(name).not_to_have_attribute("aria-invalid", "true")
    editor.get_by_role("button", name="Save").click()
    expect(editor.locator(".sse-profile-form-status")).to_contain_text("Saved")
    assert page.js_errors == []


def test_a_french_learner_on_a_360_px_phone_is_told_the_table_scrolls(workbench_url, browser):
    """The profile table was cut at "P..." on a phone with no sign that it scrolls."""
    from playwright.sync_api import expect

    context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 800})
    page = context.new_page()
    try:
        url = scenario_url(page, workbench_url, DEMO_TITLE)
        page.goto(f"{url}?student=phone_{uuid.uuid4().hex[:8]}&lang=fr")
        profile = page.locator(".sse-profile").first
        hint = profile.locator('.sse-profile-table-details [data-role="scroll-hint"]')
        expect(hint).to_be_hidden()  # folded: nothing to say
        profile.locator(".sse-profile-table-details summary").click()
        region = profile.get_by_role("region", name="Points par dimension du travail décent")
        expect(region).to_be_visible()
        assert region.evaluate("e => e.scrollWidth > e.clientWidth")
        expect(hint).to_be_visible()
        expect(hint).to_have_text("Le tableau est plus large que l’écran : faites-le défiler horizontalement pour "
                                  "voir toutes les colonnes.")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.set_viewport_size({"width": 1280, "height": 800})
        expect(hint).to_be_hidden()  # wide enough: the hint goes
    finally:
        context.close()
