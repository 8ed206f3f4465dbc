"""The three Studio editors in the shape of a content library's editor iframe.

The library's editor (frontend-app-authoring ``src/editors/AdvancedEditor.tsx`` at
061f010516764f0b83d74b8bf3601b41192fa69c) shows the block's ``studio_view`` in an iframe rendered from the
platform's ``common/templates/xblock_v2/xblock_iframe.html`` (openedx/openedx-platform at
2ce8c5224a4eaaf0c6aaab05aa0c687714961180, ``blockFrameJS``). Replayed here, in the iframe:

* ``initializeXBlock`` hands a ``studio_view``'s init function a *jQuery wrapper* of the block's element, not the
  DOM node, and stores the block's handler address on that wrapper (``passElement[HANDLER_URL]``);
* the runtime's ``handlerUrl(block, name)`` reads the address from what it is given and replaces ``handler_name``
  in it; its ``notify(eventName, data)`` posts ``{type: 'xblock-event', eventName, data}`` to the parent window.

And in the parent: the editor window closes on ``save`` with ``state: 'end'``, asks to confirm on ``cancel`` and
shows a message on ``error``. Here the iframe is the workbench's ``studio_view`` page, its editor started again
as the library's iframe starts it (the workbench's own start is discarded with the element it used).
"""

from __future__ import annotations

import pytest

from workbench_server import serve_workbench


@pytest.fixture(scope="module")
def workbench_url():
    """This module's own workbench, on a fresh database: what other browser modules saved is not here."""
    with serve_workbench("--nothreading") as bench:
        yield bench.url


EDITORS = [
    ("sse_quiz.0", "sse_quiz", "Display name"),
    ("sse_case_study.0", "sse_case_study", "Display name"),
    ("sse_profile.6", "sse_profile", "Display name"),
]

# The parent window: the library editor's listener, which closes the editor (removes the iframe) on a save's end.
PARENT = """
(src) => {
  document.body.innerHTML = '';
  window.received = [];
  window.addEventListener('message', (event) => {
    if (!event.data || event.data.type !== 'xblock-event') { return; }
    window.received.push({eventName: event.data.eventName, data: event.data.data});
    if (event.data.eventName === 'save' && event.data.data && event.data.data.state === 'end') {
      document.getElementById('editor').remove();
    }
  });
  const frame = document.createElement('iframe');
  frame.id = 'editor';
  frame.src = src;
  frame.style.width = '1100px';
  frame.style.height = '800px';
  document.body.appendChild(frame);
}
"""

# Inside the iframe: the library iframe's start of a studio_view block.
START_AS_LIBRARY_IFRAME = """
([blockType, student]) => {
  const HANDLER_URL = '_jsrt_xb_handler_url';
  const old = document.querySelector(`[data-block-type="${blockType}"][data-init]`);
  const element = old.cloneNode(true);  // without the listeners of the workbench's own start
  old.replaceWith(element);
  const usage = element.getAttribute('data-usage');
  const runtime = {
    handlerUrl: (block, handlerName, suffix, query) => {
      let url = block[HANDLER_URL].replace('handler_name', handlerName);
      if (suffix) { url += `${suffix}/`; }
      if (query) { url += `?${query}`; }
      return url;
    },
    notify: (eventName, data) => {
      window.parent.postMessage({type: 'xblock-event', eventName, data}, '*');
    },
    children: () => [],
    childMap: () => undefined,
  };
  const isStudioView = element.className.indexOf('studio_view') !== -1;
  const passElement = isStudioView && window.$ ? window.$(element) : element;
  passElement[HANDLER_URL] = `/handler/${usage}/handler_name/?student=${student}`;
  const InitFunction = window[element.getAttribute('data-init')];
  new InitFunction(runtime, passElement, {});
  return {wrapped: Boolean(passElement.jquery), nodeHasNoAddress: element[HANDLER_URL] === undefined};
}
"""


def open_in_library_iframe(page, workbench_url, scenario, block_type):
    page.goto(workbench_url + "/")
    page.evaluate(PARENT, f"{workbench_url}/scenario/{scenario}/studio_view/?student=staff")
    frame_element = page.wait_for_selector("#editor")
    frame = frame_element.content_frame()
    frame.wait_for_selector(f'[data-block-type="{block_type}"][data-init]')
    frame.wait_for_function("() => window.jQuery !== undefined")
    # The editor's own script may still be loading (a slow machine): start it once its function exists.
    frame.wait_for_function(
        "(blockType) => { const el = document.querySelector(`[data-block-type=\"${blockType}\"][data-init]`);"
        " return typeof window[el.getAttribute('data-init')] === 'function'; }", arg=block_type)
    shape = frame.evaluate(START_AS_LIBRARY_IFRAME, [block_type, "staff"])
    assert shape == {"wrapped": True, "nodeHasNoAddress": True}
    return frame


def events(page):
    return page.evaluate("() => window.received")


@pytest.mark.parametrize("scenario, block_type, name_label", EDITORS, ids=[e[1] for e in EDITORS])
def test_an_editor_saves_and_closes_in_the_library_iframe(workbench_url, page, scenario, block_type, name_label):
    frame = open_in_library_iframe(page, workbench_url, scenario, block_type)
    block = frame.locator(f'[data-block-type="{block_type}"][data-init]')
    name = block.get_by_label(name_label).first
    title = name.input_value()
    assert title

    # A refused save (no display name) is reported to the library editor as an error; the editor stays open.
    name.fill("   ")
    block.get_by_role("button", name="Save").first.click()
    page.wait_for_function("() => window.received.some((e) => e.eventName === 'error')")
    assert page.locator("#editor").count() == 1
    assert [e["eventName"] for e in events(page)] == ["save", "error"]

    # Cancel asks the library editor to close (it confirms first).
    block.get_by_role("button", name="Cancel").first.click()
    page.wait_for_function("() => window.received.some((e) => e.eventName === 'cancel')")

    # A valid save: start, then end, and the library editor closes the window.
    name.fill(title)
    block.get_by_role("button", name="Save").first.click()
    page.wait_for_function("() => document.getElementById('editor') === null")
    saves = [e["data"].get("state") for e in events(page) if e["eventName"] == "save"]
    assert saves[-2:] == ["start", "end"]
    assert page.js_errors == []
