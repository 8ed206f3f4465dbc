"""Telling a deadlock from other database errors, and running a rolled-back transaction again."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, OperationalError, transaction

from sse_academy_xblock.quiz.models import QuizRoster
from sse_academy_xblock.transactions import is_deadlock, run_with_retries


class DriverError(Exception):
    """What psycopg raises: the SQLSTATE is an attribute of the driver's error, Django's wraps it."""

    def __init__(self, sqlstate):
        super().__init__("could not serialize access")
        self.sqlstate = sqlstate


def wrapped(driver_error):
    error = OperationalError(*driver_error.args)
    error.__cause__ = driver_error
    return error


@pytest.mark.parametrize("error", [
    OperationalError(1213, "Deadlock found when trying to get lock; try restarting transaction"),
    OperationalError(1205, "Lock wait timeout exceeded; try restarting transaction"),
    wrapped(DriverError("40P01")),  # PostgreSQL: deadlock detected
    wrapped(DriverError("40001")),  # PostgreSQL: serialisation failure
])
def test_deadlocks_and_lock_wait_timeouts_are_told_apart(error):
    assert is_deadlock(error)


@pytest.mark.parametrize("error", [
    OperationalError(2006, "MySQL server has gone away"),
    OperationalError("database is locked"),
    OperationalError(),
    wrapped(DriverError("23505")),  # PostgreSQL: unique violation
    IntegrityError(1062, "Duplicate entry"),
    ValueError("not a database error"),
])
def test_other_errors_are_not_deadlocks(error):
    assert not is_deadlock(error)


def failing(times, error, log):
    """A transaction body that writes a row, then fails its first ``times`` runs with ``error``."""

    def body():
        log.append(transaction.get_connection().in_atomic_block)
        QuizRoster.objects.create(anonymous_user_id=f"learner-{len(log)}", course_id="c", usage_id="u")
        if len(log) <= times:
            raise error
        return len(log)

    return body


DEADLOCK = OperationalError(1213, "Deadlock found when trying to get lock; try restarting transaction")


def test_a_deadlock_victim_is_run_again_from_the_start(transactional_db):
    log, undone = [], []
    assert run_with_retries(failing(2, DEADLOCK, log), tries=3, rolled_back=lambda: undone.append(1)) == 3
    assert log == [True, True, True]  # every run inside its own transaction
    assert undone == [1, 1]
    # The failed runs' writes were rolled back: only the last run's row is stored.
    assert list(QuizRoster.objects.values_list("anonymous_user_id", flat=True)) == ["learner-3"]


def test_a_transaction_that_keeps_failing_raises_the_last_error_after_its_tries(transactional_db):
    log, undone = [], []
    with pytest.raises(OperationalError) as raised:
        run_with_retries(failing(5, DEADLOCK, log), tries=3, rolled_back=lambda: undone.append(1))
    assert raised.value is DEADLOCK
    assert len(log) == 3 and len(undone) == 3
    assert not QuizRoster.objects.exists()


@pytest.mark.parametrize("error", [OperationalError(2006, "MySQL server has gone away"), RuntimeError("no")])
def test_other_errors_are_raised_at_once(transactional_db, error):
    log, undone = [], []
    with pytest.raises(type(error)):
        run_with_retries(failing(1, error, log), tries=3, rolled_back=lambda: undone.append(1))
    assert len(log) == 1 and undone == [1]
    assert not QuizRoster.objects.exists()


def test_the_caller_chooses_which_errors_are_worth_another_run(transactional_db):
    log = []
    busy = OperationalError("database is locked")
    result = run_with_retries(failing(1, busy, log), retry_if=lambda error: isinstance(error, OperationalError))
    assert result == 2 and len(log) == 2


def test_inside_the_callers_transaction_it_runs_once(transactional_db):
    log = []
    with pytest.raises(OperationalError), transaction.atomic():
        run_with_retries(failing(1, DEADLOCK, log), tries=3)
    assert len(log) == 1
    assert not QuizRoster.objects.exists()


def test_a_run_that_succeeds_commits_without_calling_rolled_back(transactional_db):
    undone = []
    assert run_with_retries(lambda: QuizRoster.objects.create(
        anonymous_user_id="a", course_id="c", usage_id="u").anonymous_user_id,
        rolled_back=lambda: undone.append(1)) == "a"
    assert undone == []
    assert QuizRoster.objects.count() == 1


# --- whether a write was committed (the "saved" of a handler's 503) --------------------------------

def roster_row(name):
    QuizRoster.objects.create(anonymous_user_id=name, course_id="c", usage_id="u")


def test_a_write_counts_as_saved_only_once_committed(transactional_db):
    from sse_academy_xblock.transactions import Writes

    with Writes().watch() as reads_only:
        list(QuizRoster.objects.all())
        with transaction.atomic():
            list(QuizRoster.objects.all())
    assert not reads_only.committed

    with Writes().watch() as rolled_back:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                roster_row("a")
                raise RuntimeError("after the write, before the commit")
    assert not rolled_back.committed

    with Writes().watch() as savepoint:
        with transaction.atomic():
            with pytest.raises(RuntimeError):
                with transaction.atomic():
                    roster_row("b")
                    raise RuntimeError("the savepoint is rolled back")
    assert not savepoint.committed

    with Writes().watch() as committed:
        with transaction.atomic():
            roster_row("c")
    assert committed.committed

    with Writes().watch() as autocommit:
        roster_row("d")
    assert autocommit.committed


def test_errors_caused_by_a_database_error_are_database_failures():
    from sse_academy_xblock.transactions import is_database_failure

    class SubmissionInternalError(Exception):
        pass

    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as error:
            raise SubmissionInternalError("An error occurred creating student item") from error
    except SubmissionInternalError as wrapped_error:
        assert is_database_failure(wrapped_error)
    assert is_database_failure(IntegrityError())
    assert not is_database_failure(ValueError("not a database error"))
