"""Practice on staff-scored examples under real concurrency, on PostgreSQL and MariaDB: one learner sending an
assessment from several tabs at once never fails and never stores an attempt twice or beyond the retries: each tab
either stores the next attempt or is told (409) that it was already saved or that the example is finished."""

from __future__ import annotations

import os

import pytest

from db.concurrency import run_threads
from factories import ANALYSIS_ONLY, peer_item, submit
from sse_academy_xblock.peer import calibration
from sse_academy_xblock.peer.calibration_examples import Example
from sse_academy_xblock.peer.models import CalibrationAttempt
from sse_academy_xblock.refusals import Refusal

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]

ROUNDS = int(os.environ.get("SSE_RACE_ROUNDS", "20"))
TABS = 8
EXAMPLES = (Example("ex", "An example.", {"analysis": "Strong"}), Example("other", "Another.", {"analysis": "Missing"}))


def test_the_same_assessment_from_several_tabs_is_stored_once(figures):
    for round_number in range(ROUNDS):
        item = peer_item(f"block-calibration-race-{round_number}", ANALYSIS_ONLY, course_id="course-v1:SSE+Races+1",
                         calibration_count=2, calibration_tolerance=0.2, calibration_retries=3,
                         calibration_examples=EXAMPLES)
        submit(item, "a")
        first = calibration.order_for(item, "a")[0]

        def send(_i):
            try:
                return calibration.assess(item, "a", first.name, {"options": {"analysis": 0}}).pk
            except Refusal as refusal:
                return refusal.status

        run = run_threads(TABS, send)
        run.raise_errors()
        rows = list(CalibrationAttempt.objects.filter(usage_id=item.usage_id))
        numbers = sorted(row.attempt for row in rows if row.example == first.name)
        assert numbers == list(range(1, len(numbers) + 1)) and 1 <= len(numbers) <= 4, (round_number, numbers)
        assert len(rows) == len(numbers)  # nothing stored for the second example by a stale tab
        stored = {row.pk for row in rows}
        assert all(result == 409 or result in stored for result in run.results), run.results
        assert sum(1 for result in run.results if result in stored) == len(rows)
        figures.add("races repeated")
