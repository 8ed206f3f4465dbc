"""Every scenario, as a learner, as staff and in the editor, in English, French and Spanish, at 320 px:
no sideways scrolling, headings that nest under the page title, author text marked with its own
language, and no axe-core WCAG 2.0/2.1 A/AA violation, in each of the three languages.

One Chromium, one page per language, reused for every address, to keep the sweep lean. A curriculum
module's page in another language redirects to the same module's page in the sweep's language
(``?lang=``), which the sweep checks under its own address: each page is checked once per language.
axe-core (MPL-2.0) is the npm package's ``axe.min.js``, kept in ``tests/browser/vendor/``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import pytest

from workbench_server import serve_workbench

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def workbench_url():
    """This module's own workbench: every page as a course starts it, whatever other modules submitted."""
    with serve_workbench("--nothreading") as bench:
        yield bench.url

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WIDTH = 320
LANGUAGES = ("en", "fr", "es")
AUTHOR_TEXT = ".sse-quiz-prompt, .sse-quiz-choice-text, .sse-cs-case-text, .sse-cs-prompt-text"

CHECKS = """() => {
    const problems = [];
    const width = document.documentElement.scrollWidth;
    if (width > window.innerWidth) {
        const wide = Array.from(document.querySelectorAll('body *')).filter(e => {
            const r = e.getBoundingClientRect(); return r.right > window.innerWidth + 1 && r.width > 0; })
            .slice(-3).map(e => e.tagName + '.' + e.className);
        problems.push(`scrolls sideways: ${width} px wide (${wide.join(', ')})`);
    }
    const visible = e => e.getClientRects().length > 0;
    const headings = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).filter(visible);
    let previous = 0;
    for (const h of headings) {
        const level = Number(h.tagName[1]);
        if (level > previous + 1) problems.push(`heading ${h.tagName} "${h.textContent.trim().slice(0, 40)}" skips a level`);
        previous = level;
    }
    const title = document.querySelector('h1');
    for (const block of document.querySelectorAll('.sse-block')) {
        const first = Array.from(block.querySelectorAll('h1, h2, h3, h4, h5, h6')).filter(visible)[0];
        if (first && first.tagName !== 'H2') problems.push(`a block starts at ${first.tagName}, not h2`);
        if (first && title && parseFloat(getComputedStyle(first).fontSize) >= parseFloat(getComputedStyle(title).fontSize)) {
            problems.push('a block title is as large as the page title');
        }
    }
    const page = (document.documentElement.lang || '').slice(0, 2);
    for (const part of document.querySelectorAll(arguments[0])) {
        const lang = (part.closest('[lang]') || document.documentElement).getAttribute('lang').slice(0, 2);
        if (lang !== 'en') problems.push(`English author text marked "${lang}" on a "${page}" page`);
    }
    return problems;
}"""


def landing(context, url: str) -> str:
    """Where ``url`` leads: the address it redirects to (a module's page in another language), else itself.
    Asked without rendering the page."""
    response = context.request.get(url, max_redirects=0)
    location = response.headers.get("location")
    return urljoin(url, location) if 300 <= response.status < 400 and location else url


def scenario_paths(page, workbench_url) -> list[str]:
    page.goto(workbench_url + "/")
    links = page.locator(".main a")
    return [links.nth(i).get_attribute("href") for i in range(links.count())]


def addresses(paths: list[str]) -> list[str]:
    """Each scenario as a learner and as staff, and its editor."""
    result = []
    for path in paths:
        base = path if path.endswith("/") else path + "/"
        result += [f"{base}?student=sweep_learner", f"{base}?student=staff", f"{base}studio_view/?student=staff"]
    return result


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_fits_320px_nests_its_headings_and_marks_its_language(workbench_url, browser, lang):
    context = browser.new_context(viewport={"width": WIDTH, "height": 720}, locale={"en": "en-US", "fr": "fr-FR",
                                                                                    "es": "es-ES"}[lang])
    page = context.new_page()
    page.set_default_timeout(30000)          # a busy CI machine: generous, the checks are not timed
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    found: dict[str, list] = {}
    checked: set[str] = set()
    try:
        paths = scenario_paths(page, workbench_url)
        assert paths
        for address in addresses(paths):
            url = landing(context, f"{workbench_url}{address}&lang={lang}")
            if url in checked:
                continue
            checked.add(url)
            page.goto(url, wait_until="load")
            page.wait_for_selector(".sse-block")
            page.wait_for_timeout(100)           # the blocks' scripts run on load; let them render
            assert page.evaluate("document.documentElement.lang").startswith(lang), url
            problems = page.evaluate(CHECKS.replace("arguments[0]", repr(AUTHOR_TEXT)))
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate("""async () => {
                const result = await axe.run(document.querySelector('.preview') || document, {
                    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
                return result.violations.map(v => `${v.id}: ${v.nodes.length} node(s) ${v.nodes[0].target}`);
            }""")
            problems += [f"axe {v}" for v in violations]
            if problems:
                found[address] = problems
    finally:
        context.close()
    assert not found, "\n".join(f"{address}: {problems}" for address, problems in found.items())
    assert errors == []
    # Every page once: a learner's, staff's and the editor's of each scenario that is not another language's
    # module (two thirds of the curriculum's pages redirect here to those of the sweep's language).
    assert len(checked) >= len(addresses(paths)) // 2, len(checked)


def contrast(rgb_a, rgb_b) -> float:
    def luminance(rgb):
        channels = []
        for value in rgb:
            c = value / 255
            channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    light, dark = sorted((luminance(rgb_a), luminance(rgb_b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_focus_indicator_has_3_to_1_contrast(workbench_url, page):
    """The focus ring (#f0a500) was 2.08:1 against white; WCAG 1.4.11 asks 3:1."""
    import re

    page.goto(f"{workbench_url}/scenario/sse_quiz.0/?student=focus_ring")
    page.locator(".sse-quiz input").first.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [document.activeElement.tagName, s.outlineStyle, s.outlineColor, s.outlineWidth]; }""")
    assert style[0] == "BUTTON" and style[1] == "solid", style
    rgb = tuple(int(x) for x in re.findall(r"\d+", style[2])[:3])
    assert contrast(rgb, (255, 255, 255)) >= 3, style
    assert float(style[3].rstrip("px")) >= 2, style
