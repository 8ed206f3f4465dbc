"""XSS: payloads in everything learners and authors write, rendered in Chromium for learners, peers and staff.

Every payload calls ``window.__xss(name)`` if it ever runs. The blocks' real fragments (HTML, CSS,
their own JS and init data) are served in a page of Debian's Chromium; the handlers their JS calls
are answered by the real blocks in this process. After the pages are used (staff opening every
submission included), ``__xss`` must never have been called, and no element may carry an event
attribute or a ``javascript:`` URL. CSV downloads neutralise cells that start a formula.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from urllib.parse import unquote, urlparse
from xml.sax.saxutils import escape, quoteattr

import pytest
from django.utils import timezone

from browser.conftest import browser, page  # noqa: F401 - the fixtures of tests/browser
from factories import respond

from .conftest import STAFF, json_call, open_as, raw_call

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RAW = [
    '<script>__xss("raw-script")</script>',
    '<img src=x onerror=__xss("raw-img")>',
    '"><img src=x onerror=__xss("raw-attr")>',
    "'><svg onload=__xss('raw-svg')>",
    '</textarea><script>__xss("raw-textarea")</script>',
    '</script><script>__xss("raw-endscript")</script>',
    '<iframe srcdoc="<script>parent.__xss(`raw-iframe`)</script>"></iframe>',
    "<a href=\"javascript:__xss('raw-href')\">x</a>",
    'javascript:__xss("raw-url")',
    '<details open ontoggle=__xss("raw-details")>',
    '<math><mtext><table><mglyph><style><img src=x onerror=__xss("raw-mxss")>',
    '<!--<img src="--><img src=x onerror=__xss("raw-comment")//">',
    '<scr<script>ipt>__xss("raw-split")</script>',
    "';__xss('raw-js-sq');'",
    '";__xss("raw-js-dq");//',
    "{{constructor.constructor('__xss(\"raw-template\")')()}}",
    '<input autofocus onfocus=__xss("raw-focus")>',
    '%(x)s %s {0} ${__xss("raw-tpl")}',
    '<img src="x" onerror="__xss(\'raw-broken\')"',
    "=HYPERLINK(\"http://evil.example\",\"x\")",
]
# Author HTML arrives in OLX, so it is well-formed XML; the server must sanitise it (nh3).
XML_HTML = [
    '<script>__xss("olx-script")</script>',
    "<img src=\"x\" onerror=\"__xss('olx-img')\"/>",
    "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"__xss('olx-svg')\"><script>__xss('olx-svg-script')</script></svg>",
    "<a href=\"javascript:__xss('olx-href')\">link</a>",
    "<a href=\" JaVaScRiPt:__xss('olx-href2')\">link</a>",
    "<iframe srcdoc=\"&lt;script&gt;parent.__xss('olx-iframe')&lt;/script&gt;\"></iframe>",
    "<details open=\"\" ontoggle=\"__xss('olx-details')\"><summary>s</summary></details>",
    "<p style=\"background:url(javascript:__xss('olx-style'))\">styled</p>",
    "<form action=\"javascript:__xss('olx-form')\"><button>go</button></form>",
    "<object data=\"javascript:__xss('olx-object')\"></object>",
    "<div onmouseover=\"__xss('olx-hover')\">hover</div>",
]
PAYLOAD_COUNT = len(RAW) + len(XML_HTML)
AUTHOR_HTML = "".join(XML_HTML) + "<p>" + escape(" ".join(RAW)) + "</p>"
LEARNER_TEXT = "\n\n".join(RAW)

CASE = f"""
<sse_case_study display_name={quoteattr(RAW[1])} reviews_required="1" reviews_to_give="1">
  <case>{AUTHOR_HTML}</case>
  <prompt>{AUTHOR_HTML}</prompt>
  <rubric>
    <criterion name="analysis" label={quoteattr(RAW[2])}>
      <option points="0" label={quoteattr(RAW[0])}>{AUTHOR_HTML}</option>
      <option points="2" label={quoteattr(RAW[6])}>{escape(RAW[10])}</option>
    </criterion>
  </rubric>
</sse_case_study>
"""
QUIZ = f"""
<sse_quiz display_name={quoteattr(RAW[3])} show_answer="always" max_attempts="0">
  <question id="q1" type="single">
    <prompt>{AUTHOR_HTML}</prompt>
    <choice id="a" correct="true">{AUTHOR_HTML}<feedback>{AUTHOR_HTML}</feedback></choice>
    <choice id="b">{escape(RAW[7])}<feedback>{escape(RAW[5])}</feedback></choice>
    <explanation>{AUTHOR_HTML}</explanation>
  </question>
  <question id="q2" type="text"><prompt>{escape(RAW[4])}</prompt><answer>{escape(RAW[9])}</answer></question>
</sse_quiz>
"""
UNIT = f"""
<vertical_demo>
{QUIZ}
<sse_profile display_name={quoteattr(RAW[4])} scope="section"/>
</vertical_demo>
"""
GUARD = "window.__xssCalls = []; window.__xss = function (name) { window.__xssCalls.push(String(name)); };"


def page_html(block, view: str = "student_view", wrapped: bool = False) -> str:
    """The page a runtime would serve: the block's own fragment, its init data passed as escaped JSON.

    ``wrapped=True`` uses XBlock's default wrapper (the workbench's) instead of calling the view.
    """
    frag = block.render(view) if wrapped else getattr(block, view)()
    args = json.dumps(frag.json_init_args or {}).replace("<", "\\u003c")
    usage = json.dumps(str(block.scope_ids.usage_id))
    init = ""
    if frag.js_init_fn:
        init = (f"<script>(function(){{var el=document.getElementById('block');var usage={usage};"
                "var rt={handlerUrl:function(e,n){return '/handler/'+encodeURIComponent(usage)+'/'+n+'/';},"
                f"notify:function(){{}}}};window[{json.dumps(frag.js_init_fn)}](rt,el,{args});}})();</script>")
    return (f"<!doctype html><html><head><meta charset='utf-8'>{frag.head_html()}</head><body>"
            f"<div id='block' class='xblock'>{frag.body_html()}</div>{frag.foot_html()}{init}</body></html>")


def visit(page, block, user, act=None, wrapped=False) -> list[str]:
    """Open the block as ``user`` in Chromium; its handler calls reach the real block. Returns __xss calls."""
    html = page_html(open_as(block.scope_ids.usage_id, user), wrapped=wrapped)

    def serve(route):
        url = urlparse(route.request.url)
        if url.path == "/":
            return route.fulfill(status=200, content_type="text/html", body=html)
        if url.path.startswith("/handler/"):
            _, _, usage, name = url.path.rstrip("/").split("/")[:4]
            response, body = raw_call(open_as(unquote(usage), user), name, route.request.post_data_buffer or b"",
                                      method=route.request.method)
            return route.fulfill(status=response.status_code, content_type=response.content_type, body=body)
        return route.fulfill(status=404, body="")

    page.route("http://sse.test/**", serve)
    page.goto("http://sse.test/")
    page.wait_for_timeout(300)
    if act:
        act(page)
    page.mouse.move(5, 5)
    for link in page.locator("a[href]").all():
        if link.is_visible():
            link.click(modifiers=["Alt"], no_wait_after=True, timeout=2000)  # Alt: no download, no navigation
    page.wait_for_timeout(300)
    dangerous = page.evaluate("""() => Array.from(document.querySelectorAll('*')).flatMap(el =>
        Array.from(el.attributes).filter(a => /^on/i.test(a.name) ||
          (/^(href|src|action|formaction|data|xlink:href)$/i.test(a.name) && /^\\s*javascript:/i.test(a.value)))
        .map(a => el.tagName + ' ' + a.name + '=' + a.value))""")
    if dangerous:
        where = page.evaluate("""() => Array.from(document.querySelectorAll('[onerror],[onload],[ontoggle]'))
            .map(el => (el.parentElement ? el.parentElement.outerHTML : el.outerHTML).slice(0, 400))""")
        pytest.fail(f"dangerous attributes rendered for {user}: {dangerous[:5]}\nin: {where[:3]}")
    assert "__xss(" in page.inner_text("body"), f"no payload is shown to {user} as text: the page did not render"
    calls = page.evaluate("window.__xssCalls")
    page.unroute("http://sse.test/**")
    return calls


@pytest.fixture(scope="module", autouse=True)
def django_beside_playwright():
    """Playwright's sync API keeps an event loop in this thread; the handlers' database calls run beside it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture
def guarded(page):  # noqa: F811 - the page fixture from tests/browser
    page.add_init_script(GUARD)
    return page


def open_every_submission(page):
    buttons = page.locator("button[data-submission]")
    buttons.nth(2).wait_for(timeout=15000)  # the list arrives from the staff_list handler
    assert buttons.count() == 3, "the staff list should show the three submissions"
    for index in range(buttons.count()):
        ident = buttons.nth(index).get_attribute("data-submission")
        buttons.nth(index).click()
        detail = page.locator("[data-role=detail]").filter(has_text="raw-endscript")
        detail.first.wait_for(timeout=15000)  # the submission's text, as staff see it
        assert ident


def test_no_payload_runs_in_a_case_study_for_authors_peers_or_staff(guarded, make_block, figures):
    from sse_academy_xblock.peer import staff_actions
    from sse_academy_xblock.peer.models import PeerSubmission, ReviewLease

    block = make_block(CASE)
    usage = block.scope_ids.usage_id
    review = {"options": {"analysis": 1}, "comments": {"analysis": LEARNER_TEXT}, "overall": LEARNER_TEXT}
    for user in ("l1", "l2", "l3"):
        respond(json_call, open_as(usage, user), LEARNER_TEXT + f"\n\nBy {user}.")
    assert json_call(open_as(usage, "l2"), "next_review", {})[0] == 200
    peer_view = visit(guarded, block, "l2")  # l2 reviews l1's response: the learner text, as a peer
    assert json_call(open_as(usage, "l3"), "next_review", {})[0] == 200
    lease = ReviewLease.objects.get(usage_id=str(usage), reviewer_id="l3")
    assert json_call(open_as(usage, "l3"), "flag_response", {"lease_id": lease.pk, "reason": LEARNER_TEXT})[0] == 200
    lease = ReviewLease.objects.get(usage_id=str(usage), reviewer_id="l2")
    assert json_call(open_as(usage, "l2"), "submit_review", {"lease_id": lease.pk, "review": review})[0] == 200
    assert json_call(open_as(usage, "l1"), "next_review", {})[0] == 200
    lease = ReviewLease.objects.get(usage_id=str(usage), reviewer_id="l1")
    assert json_call(open_as(usage, "l1"), "submit_review", {"lease_id": lease.pk, "review": review})[0] == 200
    item = open_as(usage, STAFF).peer_item()
    l1 = PeerSubmission.objects.get(usage_id=str(usage), anonymous_user_id="l1")
    assert l1.graded_at is not None
    staff_actions.set_staff_grade(item, STAFF, l1.pk, 1, LEARNER_TEXT)
    l3 = PeerSubmission.objects.get(usage_id=str(usage), anonymous_user_id="l3")
    staff_actions.cancel_submission(item, STAFF, l3.pk, LEARNER_TEXT)
    assert PeerSubmission.objects.get(pk=l1.pk).grade_source == "override"

    calls = {
        "peer": peer_view,
        "author graded and overridden, reading peer comments": visit(guarded, block, "l1"),
        "author flagged": visit(guarded, block, "l2"),
        "author cancelled": visit(guarded, block, "l3"),
        "staff": visit(guarded, block, STAFF, act=open_every_submission),
    }
    figures.add("XSS payloads tried", PAYLOAD_COUNT * len(calls))
    assert all(not v for v in calls.values()), calls


def test_no_payload_runs_in_a_quiz_or_a_profile(guarded, make_block, figures):
    quiz = make_block(QUIZ)
    for user, answers in (("q_learner", {"q1": "b", "q2": RAW[0]}), ("q_other", {"q1": "a", "q2": RAW[9]})):
        status, data = json_call(open_as(quiz.scope_ids.usage_id, user), "submit", {"attempt": 1, "answers": answers})
        assert status == 200, data

    def submit_again(page):
        page.locator("input[type=radio]").first.check()
        page.locator("input[type=text], textarea").first.fill(RAW[1])
        page.locator("button[type=submit], button.sse-primary").first.click()
        page.wait_for_timeout(400)

    unit = make_block(UNIT)
    unit_quiz = open_as(unit.children[0], "q_learner")
    status, data = json_call(unit_quiz, "submit", {"attempt": 1, "answers": {"q1": "a", "q2": RAW[2]}})
    assert status == 200, data
    profile = open_as(unit.children[1], "q_learner")
    calls = {
        "quiz learner": visit(guarded, quiz, "q_learner", act=submit_again),
        "quiz staff": visit(guarded, quiz, STAFF),
        "profile learner": visit(guarded, profile, "q_learner"),
        "profile staff": visit(guarded, profile, STAFF),
    }
    figures.add("XSS payloads tried", PAYLOAD_COUNT * len(calls))
    assert all(not v for v in calls.values()), calls


def test_csv_cells_that_start_a_formula_are_neutralised(make_block, figures):
    """Learner ids and text that start with = + - @ reach staff CSVs as text, never as formulas."""
    hostile_ids = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(1)"]
    quiz = make_block(QUIZ)
    case = make_block(CASE)
    for user in hostile_ids:
        assert json_call(open_as(quiz.scope_ids.usage_id, user), "submit", {"attempt": 1, "answers": {"q1": "a"}})[0] == 200
        assert json_call(open_as(case.scope_ids.usage_id, user), "submit_response", {"text": RAW[-1]})[0] == 200
    for block in (quiz, case):
        response, body = raw_call(open_as(block.scope_ids.usage_id, STAFF), "staff_csv", b"", method="GET")
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        cells = [cell for row in rows for cell in row]
        assert any("HYPERLINK" in cell for cell in cells), "the hostile learner should be listed"
        formulas = [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
        assert formulas == [], f"cells a spreadsheet would run: {formulas}"
        figures.add("XSS payloads tried", len(hostile_ids))
    assert timezone.now() - timedelta(seconds=1) < timezone.now()


def test_no_payload_runs_through_xblocks_default_wrapper(guarded, make_block):
    """XBlock's default wrapper (the workbench's) writes init data unescaped into a script element.

    Regression: the case study once put learners' text in its init data, so a response containing
    ``</script>`` broke out of it and ran for the peer reviewing it.
    """
    block = make_block(CASE)
    usage = block.scope_ids.usage_id
    for user in ("l1", "l2"):
        assert json_call(open_as(usage, user), "submit_response", {"text": LEARNER_TEXT})[0] == 200
    assert json_call(open_as(usage, "l2"), "next_review", {})[0] == 200
    html = page_html(open_as(usage, "l2"), wrapped=True)
    guarded.route("http://sse.test/**", lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    guarded.goto("http://sse.test/")
    guarded.wait_for_timeout(300)
    assert guarded.evaluate("window.__xssCalls") == []
