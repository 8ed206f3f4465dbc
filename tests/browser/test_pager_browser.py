"""``SSEAcademy.pager`` in Chromium, on its own: the one keyset pager of the quiz's and the case study's
staff panels and of the profile's cohort table.

A fake server holds 7 rows, 3 per page; the page under test has the pager's two buttons, its label
and a live region, as a block's staff panel has them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

COMMON = (Path(__file__).resolve().parents[2] / "static" / "js" / "sse-common.js").read_text(encoding="utf-8")

PAGE = """<!doctype html><html lang="en"><body>
<div class="block">
  <ul data-role="rows"></ul>
  <p><button type="button" data-role="prev" disabled>Previous page</button>
     <span data-role="label" aria-live="polite"></span>
     <button type="button" data-role="next" disabled>Next page</button></p>
  <p data-role="live" aria-live="polite"></p>
</div></body></html>"""

# The fake server: rows 1..7 (ids), 3 a page, keyset by id; ``window.failNext`` refuses one request.
SETUP = """(options) => {
    const block = document.querySelector('.block');
    const q = (role) => block.querySelector('[data-role="' + role + '"]');
    const ids = [1, 2, 3, 4, 5, 6, 7];
    window.requests = [];
    window.failNext = false;
    function serve(request) {
        window.requests.push(request);
        if (window.failNext) {
            window.failNext = false;
            return Promise.resolve({ok: false, status: 400, data: {error: 'refused'}});
        }
        let rows;
        if (request.before !== undefined) {
            rows = ids.filter((id) => id < request.before).slice(-3);
        } else {
            rows = ids.filter((id) => request.after === undefined || id > request.after).slice(0, 3);
        }
        const data = {rows: rows, first: rows[0], last: rows[rows.length - 1],
                      has_prev: rows[0] > ids[0], has_next: rows[rows.length - 1] < ids[ids.length - 1]};
        return new Promise((resolve) => setTimeout(() => resolve({ok: true, status: 200, data: data}), 20));
    }
    window.failed = [];
    window.pager = SSEAcademy.pager(Object.assign({
        prev: q('prev'), next: q('next'), label: q('label'), text: 'Page %(page)s',
        fetch: serve,
        draw: (data) => {
            q('rows').replaceChildren(...data.rows.map((id) => SSEAcademy.el('li', null, 'row ' + id)));
        },
        failed: (reply) => window.failed.push(reply.data.error)
    }, options.live ? {live: q('live')} : {}, options.loading ? {loading: 'Loading…'} : {}));
    return window.pager.first();
}"""


@pytest.fixture
def block(page):
    page.set_content(PAGE)
    page.add_script_tag(content=COMMON)
    return page


def rows(page):
    return page.locator('[data-role="rows"] li').all_inner_texts()


def focused(page) -> str:
    return page.evaluate("document.activeElement.getAttribute('data-role') || document.activeElement.tagName")


def test_pages_forward_and_back_by_keyboard_and_the_focus_stays_on_a_usable_button(block):
    from playwright.sync_api import expect

    page = block
    page.evaluate(SETUP, {"live": True})
    label, prev, nxt = (page.locator(f'[data-role="{r}"]') for r in ("label", "prev", "next"))
    expect(label).to_have_text("Page 1")
    assert rows(page) == ["row 1", "row 2", "row 3"]
    expect(prev).to_be_disabled()
    nxt.focus()
    page.keyboard.press("Enter")
    expect(label).to_have_text("Page 2")
    assert rows(page) == ["row 4", "row 5", "row 6"]
    expect(page.locator('[data-role="live"]')).to_have_text("Page 2")  # announced after a turn
    page.keyboard.press("Enter")
    expect(label).to_have_text("Page 3")
    assert rows(page) == ["row 7"]
    expect(nxt).to_be_disabled()
    assert focused(page) == "prev"  # the pressed button became disabled: the focus went to the other one
    page.keyboard.press("Space")
    expect(label).to_have_text("Page 2")
    assert rows(page) == ["row 4", "row 5", "row 6"]
    assert focused(page) == "prev"
    page.keyboard.press("Enter")
    expect(label).to_have_text("Page 1")
    assert focused(page) == "next"
    assert page.evaluate("window.requests") == [{}, {"after": 3}, {"after": 6}, {"before": 7}, {"before": 4}]
    assert page.evaluate("window.failed") == []


def test_a_reload_keeps_the_page_and_a_refused_page_changes_nothing(block):
    from playwright.sync_api import expect

    page = block
    page.evaluate(SETUP, {"loading": True})
    label, nxt = page.locator('[data-role="label"]'), page.locator('[data-role="next"]')
    nxt.click()
    expect(label).to_have_text("Page 2")
    page.evaluate("window.pager.reload()")
    expect(label).to_have_text("Page 2")
    assert page.evaluate("window.requests")[-1] == {"after": 3}
    page.evaluate("window.failNext = true")
    nxt.click()
    expect(label).to_have_text("Page 2")  # the loading text gave way to the page still on screen
    assert rows(page) == ["row 4", "row 5", "row 6"]
    expect(nxt).to_be_enabled()
    expect(page.locator('[data-role="prev"]')).to_be_enabled()
    assert page.evaluate("window.failed") == ["refused"]
    expect(page.locator('[data-role="live"]')).to_have_text("")  # no live region given: nothing announced
