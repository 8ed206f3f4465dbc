"""No request waits for a lock, or runs a statement, beyond the limits of docs/operations.md.

Regression: with a lock held on the quiz roster or on the case study's submissions for a minute, every
request that touched them waited the whole minute (no lock or statement time limit anywhere), so one
lock would pile up every worker of the LMS behind it. Now a request that reaches a limit answers a JSON
503 "nothing was saved" and changes nothing. The limits here are one or two seconds (settings), and
the lock is released after a minute whatever happens, so a regression fails instead of hanging.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections, transaction
from django.test import override_settings

from factories import graded_pair_by_handlers, olx
from faults.injection import changed_tables, stored
from sse_academy_xblock.peer.models import PeerSubmission
from sse_academy_xblock.quiz.models import QuizRoster
from sse_academy_xblock.transactions import timeout_statements

QUIZ = olx("quiz_cooperatives", display_name="Locks", q2_attributes="")
CASE = olx("case_study_contract")
RESPONSE = "The cooperative keeps the jobs and its members decide together about the future."


class HeldLock:
    """Another connection that locks rows (``select_for_update`` of ``queryset``) until released."""

    def __init__(self, queryset):
        self.queryset = queryset
        self.locked = threading.Event()
        self.release = threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self):
        try:
            with transaction.atomic():
                list(self.queryset.select_for_update())
                self.locked.set()
                self.release.wait(60)
        finally:
            connections.close_all()

    def __enter__(self):
        self.thread.start()
        assert self.locked.wait(30), "the other connection could not take its lock"
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join(60)


LIMITS = {
    "lock wait": {"SSE_ACADEMY_DB_LOCK_TIMEOUT": 1, "SSE_ACADEMY_DB_STATEMENT_TIMEOUT": 0},
    "statement": {"SSE_ACADEMY_DB_LOCK_TIMEOUT": 0, "SSE_ACADEMY_DB_STATEMENT_TIMEOUT": 1},
}


@pytest.mark.db
@pytest.mark.parametrize("limit", sorted(LIMITS))
def test_a_quiz_submit_behind_a_held_roster_lock_answers_503_and_counts_nothing(
        server_db, make_block, call, transactional_db, limit):
    quiz = make_block(QUIZ, user="student_1")
    assert call(quiz, "submit", {"attempt": 1, "answers": {"q1": "b", "q2": "1900"}})[0] == 200
    before = stored()
    with HeldLock(QuizRoster.objects.filter(anonymous_user_id="student_1")), override_settings(**LIMITS[limit]):
        again = make_block.as_user(quiz, "student_1")
        status, reply = call(again, "submit", {"attempt": 2, "answers": {"q1": "a", "q2": "1895"}})
    assert status == 503 and "nothing was saved" in reply["error"], reply
    assert changed_tables(before, stored()) == []
    # Once the lock is gone, the same attempt is counted.
    again = make_block.as_user(quiz, "student_1")
    assert call(again, "submit", {"attempt": 2, "answers": {"q1": "a", "q2": "1895"}})[0] == 200


@pytest.mark.db
@pytest.mark.parametrize("limit", sorted(LIMITS))
def test_a_staff_grade_behind_a_held_submission_lock_answers_503_and_changes_nothing(
        server_db, make_block, call, transactional_db, limit):
    ana = make_block(CASE, user="ana")
    graded_pair_by_handlers(call, ana, make_block.as_user(ana, "ben"), (RESPONSE, RESPONSE + " Indeed."),
                            ({"options": {"c": 1}}, {"options": {"c": 0}}))
    sub = PeerSubmission.objects.get(anonymous_user_id="ana")
    staff = make_block.as_user(ana, "staff")
    before = stored()
    with HeldLock(PeerSubmission.objects.filter(pk=sub.pk)), override_settings(**LIMITS[limit]):
        status, reply = call(staff, "staff_grade", {"submission": sub.pk, "points": 3, "reason": "Fairer."})
    assert status == 503 and "nothing was saved" in reply["error"], reply
    assert changed_tables(before, stored()) == []


@pytest.mark.db
def test_the_session_keeps_its_own_limits_after_a_request(server_db, make_block, call, transactional_db):
    """The limits are the request's: the connection's own values are back afterwards (an LMS worker's
    connection serves other code too)."""
    from django.db import connection

    kind, _cfg = server_db
    query = {"postgresql": "SELECT current_setting('lock_timeout'), current_setting('statement_timeout')",
             "mariadb": "SELECT @@SESSION.innodb_lock_wait_timeout, @@SESSION.max_statement_time"}[kind]
    quiz = make_block(QUIZ, user="student_1")
    with connection.cursor() as cursor:
        cursor.execute(query)
        own = cursor.fetchone()
    with override_settings(SSE_ACADEMY_DB_LOCK_TIMEOUT=2, SSE_ACADEMY_DB_STATEMENT_TIMEOUT=3):
        assert call(quiz, "submit", {"attempt": 1, "answers": {"q1": "b", "q2": "1900"}})[0] == 200
    with connection.cursor() as cursor:
        cursor.execute(query)
        assert cursor.fetchone() == own


@pytest.mark.db
def test_a_handler_sets_and_restores_the_limits_in_one_statement_each(server_db, make_block, call, transactional_db):
    """Both limits set in one round trip and put back in one on PostgreSQL (four statements before); the tests
    above show that they still apply."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kind, _cfg = server_db
    quiz = make_block(QUIZ, user="student_1")
    with override_settings(SSE_ACADEMY_DB_LOCK_TIMEOUT=2, SSE_ACADEMY_DB_STATEMENT_TIMEOUT=3), \
            CaptureQueriesContext(connection) as queries:
        assert call(quiz, "submit", {"attempt": 1, "answers": {"q1": "b", "q2": "1900"}})[0] == 200
    limits = [q["sql"] for q in queries.captured_queries
              if "set_config" in q["sql"] or "lock_wait_timeout" in q["sql"]]
    assert len(limits) == {"postgresql": 2, "mariadb": 3}[kind], limits


def test_the_limits_in_each_database_dialect():
    sets, restores = timeout_statements("postgresql", 5, 15, local=True)
    assert sets == ["SELECT set_config('lock_timeout', '5000ms', true), "
                    "set_config('statement_timeout', '15000ms', true)"]
    assert restores == []
    sets, restores = timeout_statements("postgresql", 5, 15)  # both limits: one statement to set, one to restore
    assert len(sets) == 1 and "set_config('lock_timeout', '5000ms', false)" in sets[0]
    assert "set_config('statement_timeout', '15000ms', false)" in sets[0]
    assert restores == [
        "SELECT set_config('lock_timeout', current_setting('sse_academy.saved_lock_timeout'), false), "
        "set_config('statement_timeout', current_setting('sse_academy.saved_statement_timeout'), false)"]
    sets, restores = timeout_statements("postgresql", 5, 0)
    assert len(sets) == 1 and "set_config('lock_timeout', '5000ms', false)" in sets[0] and len(restores) == 1
    sets, restores = timeout_statements("mysql", 5, 15, mariadb=True)
    assert sets[1] == "SET SESSION innodb_lock_wait_timeout = 5, SESSION max_statement_time = 15"
    assert restores == ["SET SESSION innodb_lock_wait_timeout = @sse_academy_saved_innodb_lock_wait_timeout, "
                        "SESSION max_statement_time = @sse_academy_saved_max_statement_time"]
    sets, _restores = timeout_statements("mysql", 0.2, 1.5, mariadb=False)  # MySQL 8: SELECT only, milliseconds
    assert sets[1] == "SET SESSION innodb_lock_wait_timeout = 1, SESSION max_execution_time = 1500"
    assert timeout_statements("sqlite", 5, 15) == ([], [])
