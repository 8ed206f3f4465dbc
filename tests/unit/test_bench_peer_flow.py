"""``make bench``'s peer flow runs through the same services as a request, on a pool small enough for the suite:
each learner's review grades the author it picked, and the grade reaches edx-submissions."""

from __future__ import annotations

from submissions import api as submissions_api

from bench import peer
from sse_academy_xblock.peer.models import GradeDelivery


def test_the_flow_grades_each_picked_author_and_delivers_the_grade(transactional_db, monkeypatch):
    monkeypatch.setattr(peer, "REVIEWERS", 4)
    figures = peer.flow_figures(12)
    assert set(figures) == {"submit", "review", "assess", "grade", "total"}
    assert all(ms > 0 and statements > 0 for ms, statements in figures.values()), figures
    delivered = GradeDelivery.objects.filter(usage_id="bench-flow-12", state=GradeDelivery.DELIVERED)
    assert delivered.count() == 4
    for row in delivered:
        item = peer.peer_item("bench-flow-12").student_item(row.anonymous_user_id)
        assert submissions_api.get_score(item)["points_earned"] == row.lms_earned
