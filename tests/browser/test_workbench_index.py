"""The workbench started by `make run` lists our scenarios and nothing of the SDK's samples."""

import pytest

pytestmark = pytest.mark.browser


def test_index_lists_only_our_scenarios(workbench_url, page):
    from xblock.core import XBlock

    from sse_academy_xblock.settings.workbench import OUR_BLOCKS

    page.goto(workbench_url + "/")
    links = page.locator(".main a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    blocks_listed = {href.split("/")[2].split(".")[0] for href in hrefs}
    installed_ours = {name for name, _cls in XBlock.load_classes() if name in OUR_BLOCKS}
    assert installed_ours, "no SSE Academy block is installed"
    assert blocks_listed == installed_ours
    expected = sum(len(cls.workbench_scenarios()) for name, cls in XBlock.load_classes() if name in OUR_BLOCKS)
    assert len(hrefs) == expected
    assert page.js_errors == []


@pytest.mark.parametrize("scenario, view", [("sse_quiz.0", ""), ("sse_case_study.0", ""), ("sse_quiz.0", "studio_view/")])
def test_the_page_header_does_not_cover_the_top_of_the_block(workbench_url, page, scenario, view):
    """The scenario page's header (two lines) must not hide the block's title or first field."""
    page.goto(f"{workbench_url}/scenario/{scenario}/{view}?student=staff")
    page.wait_for_load_state("networkidle")
    covered = page.evaluate("""() => {
        const block = document.querySelector('.sse-block');
        const first = block.querySelector('h2, label');
        const box = first.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + 5, box.top + box.height / 2);
        return hit && first.contains(hit) ? null : (hit ? hit.outerHTML.slice(0, 80) : 'nothing');
    }""")
    assert covered is None, f"the top of the block is covered by {covered}"
