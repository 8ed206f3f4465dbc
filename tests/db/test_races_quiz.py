"""Twenty simultaneous submits of one quiz attempt by one learner, on PostgreSQL and MariaDB.

Every thread is one request: its own runtime, its own load of the learner's state, its own
database connection, going through ``block.handle('submit', ...)`` as the LMS would. How the quiz
keeps this safe: the roster row (unique per learner and block) is a compare-and-set on the
learner's ``submits`` version, so one request of an attempt is counted and the others get 409 and
write nothing (see ``sse_academy_xblock/quiz/models.py``).
"""

from __future__ import annotations

import json
import os
import threading

import pytest
import webob

from db.concurrency import run_threads
from factories import olx, open_as

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]

ROUNDS = int(os.environ.get("SSE_RACE_ROUNDS", "20"))
THREADS = 20
QUIZ = olx("quiz_cooperatives", display_name="Race quiz", q2_attributes=' points="1"')
# Never full marks: a full score ends the quiz, and the second attempt must still be open.
ANSWERS = [{"q1": "a", "q2": "1900"}, {"q1": "b", "q2": "1895"}, {"q1": "b", "q2": "1"}, {"q1": "a", "q2": "1"}]
POINTS = [2.0, 1.0, 0.0, 2.0]


def request_for(body: dict) -> webob.Request:
    return webob.Request.blank("/", method="POST", body=json.dumps(body).encode(), content_type="application/json")


def submit(usage_id, user: str, attempt: int, answers: dict, published: list | None = None):
    block = open_as(usage_id, user, published)
    response = block.handle("submit", request_for({"attempt": attempt, "answers": answers}))
    return response.status_code, json.loads(response.body or b"null")


def test_twenty_parallel_submits_of_one_attempt_count_once(server_db, make_block, figures):
    from sse_academy_xblock.profile.models import DimensionScore
    from sse_academy_xblock.quiz.models import QuizRoster

    for round_number in range(ROUNDS):
        user = f"racer_{round_number}"
        usage_id = make_block(QUIZ).scope_ids.usage_id
        open_as(usage_id, user).student_view()  # the learner opened the quiz: their state row exists
        for attempt in (1, 2, 3):
            published: list = []
            run = run_threads(
                THREADS, lambda i: submit(usage_id, user, attempt, ANSWERS[i % len(ANSWERS)], published)
            )
            run.raise_errors()
            statuses = sorted(status for status, _ in run.results)
            if attempt <= 2:
                assert statuses == [200] + [409] * (THREADS - 1), statuses
                winner = next(i for i, (status, _) in enumerate(run.results) if status == 200)
                grades = [data for kind, data in published if kind == "grade"]
                assert grades == [{"value": POINTS[winner % len(POINTS)], "max_value": 3.0}], grades
            else:
                assert statuses == [409] * THREADS
                assert all("used all your attempts" in data["error"] for _, data in run.results)
                assert published == []
            for status, data in run.results:
                if status == 409:
                    assert data["error"]
            final = open_as(usage_id, user)
            counted = min(attempt, 2)
            assert final.attempts == counted
            row = QuizRoster.objects.get(anonymous_user_id=user, usage_id=str(usage_id))
            assert (row.attempts, row.submits) == (counted, counted)
            if attempt <= 2:
                # The state, the roster and the module's score table all hold the winner's result.
                expected = ANSWERS[winner % len(ANSWERS)]
                assert final.answers["q1"] == expected["q1"] and final.answers["q2"] == float(expected["q2"])
                assert final.raw_earned == POINTS[winner % len(POINTS)] == row.earned
                earned = sum(DimensionScore.objects.filter(anonymous_user_id=user, usage_id=str(usage_id))
                             .values_list("earned", flat=True))
                assert earned == POINTS[winner % len(POINTS)]
            figures.add("races repeated", 1)


def test_a_refused_twin_submit_after_a_staff_reset_does_not_give_an_extra_attempt(server_db, make_block, monkeypatch):
    """Regression: a refused twin once saved the reset it had applied in memory, over the winner's attempts."""
    from sse_academy_xblock.quiz import roster

    usage_id = make_block(QUIZ.replace('max_attempts="2"', 'max_attempts="1"')).scope_ids.usage_id
    user = "reset_racer"
    assert submit(usage_id, user, 1, ANSWERS[1])[0] == 200
    assert roster.reset_attempts(user, str(usage_id)) is not None  # staff gave one more attempt

    # Twin requests of the new attempt: the loser reads the state and applies the reset before the
    # winner commits, and reaches the roster only after the winner has finished.
    loser_at_claim, winner_done = threading.Event(), threading.Event()
    real_claim = roster.claim_submit

    def claim(*args, **kwargs):
        if threading.current_thread().name == "loser":
            loser_at_claim.set()
            winner_done.wait(10)
        return real_claim(*args, **kwargs)

    monkeypatch.setattr(roster, "claim_submit", claim)
    outcome = {}

    def loser():
        from django.db import connections

        try:
            outcome["loser"] = submit(usage_id, user, 1, ANSWERS[3])[0]
        finally:
            connections.close_all()

    thread = threading.Thread(target=loser, name="loser")
    thread.start()
    assert loser_at_claim.wait(10)
    assert submit(usage_id, user, 1, ANSWERS[0])[0] == 200
    winner_done.set()
    thread.join(20)
    assert outcome["loser"] == 409
    monkeypatch.setattr(roster, "claim_submit", real_claim)

    assert open_as(usage_id, user).attempts == 1
    status, data = submit(usage_id, user, 1, ANSWERS[2])
    assert status == 409, "a third submit was counted with max_attempts=1 and one staff reset"


def test_a_stale_twin_request_does_not_roll_back_the_roster(server_db, make_block):
    """Regression: a request holding a stale state once lowered the roster's attempts to what it had read."""
    from sse_academy_xblock.quiz.models import QuizRoster

    usage_id = make_block(QUIZ).scope_ids.usage_id
    user = "stale_reader"
    open_as(usage_id, user).student_view()
    stale = open_as(usage_id, user)
    (stale.attempts, stale.submits, stale.resets_seen)  # this request has read the learner's state
    assert submit(usage_id, user, 1, ANSWERS[0])[0] == 200  # its twin is counted meanwhile
    stale.student_view()  # the stale request goes on (a page load, or a submit that will get 409)
    row = QuizRoster.objects.get(anonymous_user_id=user, usage_id=str(usage_id))
    assert row.attempts == 1, "the roster lost a counted attempt"
