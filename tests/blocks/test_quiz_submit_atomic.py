"""A quiz submit is all or nothing: the attempt claim, the learner's state and the per-dimension score rows
are written together or not at all, and the grade and tracking events are published once, after the commit.

Regression: the roster's claim of an attempt was committed before the learner's state and the score
rows were written, so a failure in between ("database is locked" in the score table) left a phantom
attempt: the page said "Attempts used: 0", every retry got 409 for two minutes, and the staff CSV
listed an attempt scored 0 that the learner never saw.
"""

from __future__ import annotations

import pytest
from django.db import OperationalError

from factories import olx, open_as

QUIZ = olx("quiz_cooperatives", display_name="All or nothing", q2_attributes=' dimension="social_dialogue"')
ANSWERS = {"q1": "a", "q2": "1895"}


def stored(usage_id, user="student_1"):
    from sse_academy_xblock.profile.models import DimensionScore
    from sse_academy_xblock.quiz.models import QuizRoster

    block = open_as(usage_id, user)
    roster = QuizRoster.objects.filter(usage_id=str(usage_id), anonymous_user_id=user).first()
    rows = DimensionScore.objects.filter(usage_id=str(usage_id), anonymous_user_id=user).count()
    return {"attempts": block.attempts, "earned": block.raw_earned, "roster": roster and roster.attempts, "rows": rows}


def fresh_quiz(make_block):
    usage_id = make_block(QUIZ).scope_ids.usage_id
    open_as(usage_id, "student_1").render("student_view")
    return usage_id


def names(published):
    return [kind for kind, _data in published]


def test_a_failure_after_the_claim_leaves_no_phantom_attempt(make_block, call, transactional_db, monkeypatch):
    from sse_academy_xblock.profile import scores

    usage_id = fresh_quiz(make_block)

    def broken(*args, **kwargs):
        raise RuntimeError("the score table is unreachable")

    monkeypatch.setattr(scores, "record", broken)
    published: list = []
    with pytest.raises(RuntimeError):
        call(open_as(usage_id, "student_1", published), "submit", {"attempt": 1, "answers": ANSWERS})
    assert stored(usage_id) == {"attempts": 0, "earned": None, "roster": None, "rows": 0}
    assert published == []  # nothing announced for an attempt that was not kept

    monkeypatch.undo()
    status, data = call(open_as(usage_id, "student_1", published), "submit", {"attempt": 1, "answers": ANSWERS})
    assert status == 200, data  # the retry is counted at once, not refused as "already submitted"
    assert stored(usage_id) == {"attempts": 1, "earned": 3.0, "roster": 1, "rows": 2}
    assert published[0] == ("grade", {"value": 3.0, "max_value": 3.0})
    assert names(published) == ["grade", "problem_check", "showanswer"]


def test_the_grade_is_published_after_the_commit(make_block, call, transactional_db):
    """The gradebook is told of an attempt only once it is stored: at the grade event, no transaction is
    open and the roster, the learner's state and the score rows already hold the attempt."""
    from django.db import transaction

    usage_id = fresh_quiz(make_block)
    seen = []
    block = open_as(usage_id, "student_1")

    def publish(blk, kind, data):
        if kind == "grade":
            seen.append((transaction.get_connection().in_atomic_block, stored(usage_id)))

    block.runtime.publish = publish
    status, data = call(block, "submit", {"attempt": 1, "answers": ANSWERS})
    assert status == 200, data
    assert seen == [(False, {"attempts": 1, "earned": 3.0, "roster": 1, "rows": 2})]


def test_a_commit_the_database_refuses_once_publishes_one_grade(make_block, call, transactional_db, monkeypatch):
    """Regression (issue 30): the grade was published inside the attempt's transaction, so an attempt whose
    commit failed and was run again published two grade events (670 events for 669 attempts)."""
    from django.db import connection

    usage_id = fresh_quiz(make_block)
    real = connection._commit
    refused = []

    def commit_refused_once():
        if not refused:
            refused.append(1)
            raise OperationalError("database is locked")
        return real()

    monkeypatch.setattr(connection, "_commit", commit_refused_once)
    published: list = []
    status, data = call(open_as(usage_id, "student_1", published), "submit", {"attempt": 1, "answers": ANSWERS})
    monkeypatch.undo()
    assert status == 200, data
    assert refused == [1]
    assert stored(usage_id) == {"attempts": 1, "earned": 3.0, "roster": 1, "rows": 2}
    assert names(published) == ["grade", "problem_check", "showanswer"]


def test_a_gradebook_that_fails_after_the_commit_leaves_the_attempt_counted(make_block, call, transactional_db):
    """The attempt is committed before the gradebook hears of it: a failure there keeps the attempt, and
    the learner's state, roster and score rows agree on it (the next submit is attempt 2)."""
    usage_id = fresh_quiz(make_block)
    block = open_as(usage_id, "student_1")

    def publish(blk, kind, data):
        raise RuntimeError("the gradebook is unreachable")

    block.runtime.publish = publish
    with pytest.raises(RuntimeError):
        call(block, "submit", {"attempt": 1, "answers": ANSWERS})
    assert stored(usage_id) == {"attempts": 1, "earned": 3.0, "roster": 1, "rows": 2}


def test_a_busy_database_is_waited_out_and_the_attempt_counted_once(make_block, call, transactional_db, monkeypatch):
    from sse_academy_xblock.profile import scores

    usage_id = fresh_quiz(make_block)
    real = scores.record
    failures = []

    def locked_once(*args, **kwargs):
        if not failures:
            failures.append(1)
            raise OperationalError("database is locked")
        return real(*args, **kwargs)

    monkeypatch.setattr(scores, "record", locked_once)
    published: list = []
    status, data = call(open_as(usage_id, "student_1", published), "submit", {"attempt": 1, "answers": ANSWERS})
    assert status == 200, data
    assert failures == [1]
    assert stored(usage_id) == {"attempts": 1, "earned": 3.0, "roster": 1, "rows": 2}
    assert published[0] == ("grade", {"value": 3.0, "max_value": 3.0})
    assert names(published) == ["grade", "problem_check", "showanswer"]


def test_a_database_that_stays_busy_gets_a_json_refusal_and_changes_nothing(make_block, call, transactional_db,
                                                                            monkeypatch):
    from sse_academy_xblock.profile import scores

    usage_id = fresh_quiz(make_block)

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(scores, "record", locked)
    status, data = call(open_as(usage_id, "student_1"), "submit", {"attempt": 1, "answers": ANSWERS})
    assert status == 503 and "not counted" in data["error"]
    assert stored(usage_id) == {"attempts": 0, "earned": None, "roster": None, "rows": 0}


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["settings", "our engine"])
def test_sqlite_transactions_take_the_write_lock_at_once(tmp_path, how):
    """Concurrent writers wait for each other instead of failing: the workbench's SQLite settings give a
    busy timeout and start every transaction with BEGIN IMMEDIATE (Django 4.2 and 5.x alike), so a
    transaction that reads first cannot be refused the write lock later."""
    import sqlite3

    from django.db.utils import ConnectionHandler

    from sse_academy_xblock.settings.databases import SQLITE_BUSY_TIMEOUT, sqlite_config

    path = str(tmp_path / "lock.db")
    config = sqlite_config(path)
    if how == "our engine":  # what Django 4.2 uses; checked on every Django version
        config["ENGINE"] = "sse_academy_xblock.settings.sqlite_immediate"
        config["OPTIONS"].pop("transaction_mode", None)
    conn = ConnectionHandler({"default": config})["default"]
    try:
        assert conn.get_connection_params()["timeout"] == SQLITE_BUSY_TIMEOUT
        with conn.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x integer)")
        conn._start_transaction_under_autocommit()  # what transaction.atomic() does on SQLite
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM t")  # a read: a deferred BEGIN would hold no lock yet
        other = sqlite3.connect(path, timeout=0.05)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("INSERT INTO t VALUES (1)")
        finally:
            other.close()
        conn.connection.rollback()
    finally:
        conn.close()


def test_a_busy_database_at_the_first_read_of_a_submit_is_waited_out_too(make_block, call, transactional_db):
    """Regression: the submit's first database read (the learner's state and the roster's pending reset)
    was outside the retried transaction, so a busy database there failed the request."""
    from faults.injection import FailAt

    usage_id = fresh_quiz(make_block)
    block = open_as(usage_id, "student_1")
    fault = FailAt(1)
    with fault.installed():
        status, data = call(block, "submit", {"attempt": 1, "answers": ANSWERS})
    assert fault.fired
    assert status == 200, data
    assert stored(usage_id) == {"attempts": 1, "earned": 3.0, "roster": 1, "rows": 2}


@pytest.mark.db
def test_on_a_server_a_connection_lost_at_the_handlers_first_statement_is_opened_again(make_block, call,
                                                                                       transactional_db):
    """On PostgreSQL and MariaDB a handler's first statement sets its time limits: a connection found lost
    there (a server that closed an idle connection) is opened again, and the submit goes through once."""
    from faults.injection import FailAt

    usage_id = fresh_quiz(make_block)
    block = open_as(usage_id, "student_1")
    fault = FailAt(1)
    with fault.installed():
        status, data = call(block, "submit", {"attempt": 1, "answers": ANSWERS})
    assert fault.fired and "timeout" in str(fault.failed_sql).lower(), fault.failed_sql  # the limits
    assert status == 200, data
    assert stored(usage_id) == {"attempts": 1, "earned": 3.0, "roster": 1, "rows": 2}


def test_a_failure_after_the_commit_says_the_attempt_was_counted(make_block, call, transactional_db, monkeypatch):
    """The attempt is stored: the learner is told so (never "try again", which would be refused as
    "already submitted"), and the page stops offering the same attempt."""
    from sse_academy_xblock.blocks.quiz import SSEQuizBlock

    usage_id = fresh_quiz(make_block)

    def unreadable(self):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SSEQuizBlock, "_learner_view", unreadable)
    status, data = call(open_as(usage_id, "student_1"), "submit", {"attempt": 1, "answers": ANSWERS})
    assert status == 200 and data["view"] is None and data["counted"], data
    assert "was counted" in data["message"]
    assert stored(usage_id) == {"attempts": 1, "earned": 3.0, "roster": 1, "rows": 2}


def test_a_later_submit_takes_one_savepoint(make_block, call, transactional_db):
    """The roster claim and the item analysis are parts of the submit's transaction, not savepoints of their own
    (two round trips each before): one savepoint is left, the submit's own inside the handler's transaction. The
    attempt is still counted everywhere."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sse_academy_xblock.quiz.models import QuizItemAnswer

    usage_id = fresh_quiz(make_block)
    first = {"attempt": 1, "answers": {"q1": "b", "q2": "1900"}}
    assert call(open_as(usage_id, "student_1"), "submit", first)[0] == 200
    with CaptureQueriesContext(connection) as queries:
        status, data = call(open_as(usage_id, "student_1"), "submit", {"attempt": 2, "answers": ANSWERS})
    assert status == 200, data
    savepoints = [q["sql"] for q in queries.captured_queries if q["sql"].upper().startswith("SAVEPOINT")]
    assert len(savepoints) == 1, savepoints
    assert stored(usage_id) == {"attempts": 2, "earned": 3.0, "roster": 2, "rows": 2}
    assert QuizItemAnswer.objects.filter(usage_id=str(usage_id), attempts="last", attempt=2).exists()
