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
