"""Every workbench scenario of every SSE Academy block parses and renders, for a learner and for staff.

A scenario that fails to load breaks the whole workbench index, so this guards `make run`.
"""

import pytest
from xblock.core import XBlock

from sse_academy_xblock.settings.workbench import OUR_BLOCKS


def our_scenarios():
    for name, cls in sorted(XBlock.load_classes()):
        if name in OUR_BLOCKS:
            for index, (title, xml) in enumerate(cls.workbench_scenarios()):
                yield pytest.param(name, xml, id=f"{name}.{index}-{title[:40]}")


def _walk(block):
    yield block
    for child_id in getattr(block, "children", []) or []:
        yield from _walk(block.runtime.get_block(child_id))


@pytest.mark.parametrize("user", ["learner_scenarios", "staff"])
@pytest.mark.parametrize("block_type, xml", list(our_scenarios()))
def test_scenario_renders(make_block, block_type, xml, user):
    root = make_block(xml, user=user)
    html = root.render("student_view", {}).body_html()
    assert "sse-block" in html
    ours = [b for b in _walk(root) if b.scope_ids.block_type in OUR_BLOCKS]
    assert any(b.scope_ids.block_type == block_type for b in ours)
    for block in ours:
        assert not any(msg.type == "error" for msg in block.validate().messages), block.validate().to_json()


def test_every_block_has_scenarios():
    installed = {name: cls for name, cls in XBlock.load_classes() if name in OUR_BLOCKS}
    assert installed
    for name, cls in installed.items():
        assert cls.workbench_scenarios(), f"{name} has no workbench scenario"
