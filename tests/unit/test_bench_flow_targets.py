"""``make bench``'s verdict on the peer flow beside ORA2: a step slower than ORA2's is a missed target."""

from bench.__main__ import set_flow_targets


def _ours(step: str, ms: float) -> dict:
    return {"path": f"flow-{step}", "size": 1000, "value": ms, "ok": None, "target": "faster than ORA2"}


def test_each_flow_step_is_judged_against_ora2s_figure_at_the_same_size():
    rows = [_ours("submit", 10.0), _ours("grade", 90.0), _ours("total", 50.0), {"path": "late", "size": 1000, "ok": True}]
    ora2 = {"results": [{"path": "flow-submit", "size": 1000, "ms": 30.0},
                        {"path": "flow-grade", "size": 1000, "ms": 80.0},
                        {"path": "flow-total", "size": 100000, "ms": 900.0}]}
    set_flow_targets(rows, ora2)
    assert [r["ok"] for r in rows] == [True, False, None, True]
    assert rows[1]["target"] == "< 80.00 ms ORA2"
