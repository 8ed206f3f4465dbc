"""Database transactions that a busy database may roll back: telling a deadlock, running one again,
bounding how long a request waits, and knowing whether a request's writes were committed.

A transaction the database chooses as a deadlock victim (or that gives up waiting for a lock) is
rolled back whole, on MySQL/MariaDB even past its savepoints; running it again from the start is
safe and usually succeeds. :func:`run_with_retries` does that for the learner's writes of the quiz
and the case study.

:func:`bounded` limits how long any statement of a request may wait for a lock or run (the handlers
run inside it; values from Django settings, see docs/operations.md "Bounded waits"), and
:class:`Writes` tells whether a write of the request was committed, so that an error reply can say
truthfully whether anything was saved.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from typing import TypeVar

from django.conf import settings
from django.db import DatabaseError, OperationalError, connection, transaction

log = logging.getLogger(__name__)

T = TypeVar("T")


def is_deadlock(error: Exception) -> bool:
    """A deadlock or serialisation failure reported by PostgreSQL or MySQL/MariaDB (safe to retry)."""
    cause = getattr(error, "__cause__", None) or error
    if getattr(cause, "sqlstate", None) in ("40P01", "40001"):
        return True
    args = getattr(cause, "args", ())
    return bool(args) and args[0] in (1213, 1205)


def run_with_retries(fn: Callable[[], T], tries: int = 3, *,
                     retry_if: Callable[[DatabaseError], bool] = is_deadlock,
                     rolled_back: Callable[[], None] | None = None) -> T:
    """``fn()`` inside ``transaction.atomic()``, run again from the start when the database rolled it back.

    A :class:`~django.db.DatabaseError` for which ``retry_if`` holds (by default a deadlock victim
    or a lock wait timeout, :func:`is_deadlock`) runs the whole transaction again, up to ``tries``
    runs in all; the last one's error, or any other error, is raised. Inside a transaction of the
    caller's (``ATOMIC_REQUESTS``, a test's), a failed statement spoils the caller's whole
    transaction, so ``fn`` runs once. ``rolled_back``, when given, is called after every run that
    ended in an error (to put back what ``fn`` changed outside the database).
    """
    if transaction.get_connection().in_atomic_block:
        tries = 1
    attempt = 1
    while True:
        try:
            with transaction.atomic():
                return fn()
        except BaseException as error:
            if rolled_back is not None:
                rolled_back()
            if attempt < tries and isinstance(error, DatabaseError) and retry_if(error):
                attempt += 1
                continue
            raise


def is_database_failure(error: BaseException) -> bool:
    """A :class:`~django.db.DatabaseError`, or an error raised because of one (edx-submissions wraps
    the database's errors in its ``SubmissionInternalError``, keeping the original as the cause)."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, DatabaseError):
            return True
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
        seen += 1
    return False


# --- bounded waits ----------------------------------------------------------------------------

# Django settings (seconds; 0 or None: no limit of ours) and their defaults (docs/operations.md).
LOCK_TIMEOUT_SETTING = "SSE_ACADEMY_DB_LOCK_TIMEOUT"
STATEMENT_TIMEOUT_SETTING = "SSE_ACADEMY_DB_STATEMENT_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 5
DEFAULT_STATEMENT_TIMEOUT = 15


def timeouts() -> tuple[float, float]:
    """(lock wait, statement) limits in seconds from the settings; 0 means no limit of ours."""
    lock = getattr(settings, LOCK_TIMEOUT_SETTING, DEFAULT_LOCK_TIMEOUT)
    statement = getattr(settings, STATEMENT_TIMEOUT_SETTING, DEFAULT_STATEMENT_TIMEOUT)
    return float(lock or 0), float(statement or 0)


def timeout_statements(vendor: str, lock: float, statement: float, *, mariadb: bool = True,
                       local: bool = False) -> tuple[list[str], list[str]]:
    """The statements that set the limits, and those that put the session's own values back.

    PostgreSQL: ``lock_timeout`` and ``statement_timeout`` in milliseconds, ``SET LOCAL`` inside a
    transaction of the caller's (they end with it, nothing to put back), otherwise for the session,
    the previous values kept in the session's own custom settings and restored after. MariaDB:
    ``innodb_lock_wait_timeout`` (whole seconds, at least 1) and ``max_statement_time`` (seconds) for
    the session, the previous values kept in user variables and restored after (a session variable
    is not transactional). MySQL 8 has no ``max_statement_time``; its ``max_execution_time``
    (milliseconds) bounds SELECT statements only. SQLite: nothing (its busy timeout applies).
    """
    sets: list[str] = []
    restores: list[str] = []
    if vendor == "postgresql":
        # One statement to set every limit and one to put them back (a round trip each, on every handler).
        pairs = [(name, f"{int(value * 1000)}ms") for name, value in
                 (("lock_timeout", lock), ("statement_timeout", statement)) if value > 0]
        if pairs and local:
            sets.append("SELECT " + ", ".join(f"set_config('{name}', '{value}', true)" for name, value in pairs))
        elif pairs:
            sets.append("SELECT " + ", ".join(
                f"set_config('sse_academy.saved_{name}', current_setting('{name}'), false), "
                f"set_config('{name}', '{value}', false)" for name, value in pairs))
            restores.append("SELECT " + ", ".join(
                f"set_config('{name}', current_setting('sse_academy.saved_{name}'), false)" for name, _ in pairs))
    elif vendor == "mysql":
        pairs = []
        if lock > 0:
            pairs.append(("innodb_lock_wait_timeout", str(max(1, round(lock)))))
        if statement > 0:
            pairs.append(("max_statement_time", f"{statement:g}") if mariadb
                         else ("max_execution_time", str(int(statement * 1000))))
        if pairs:
            sets.append("SET " + ", ".join(f"@sse_academy_saved_{name} = @@SESSION.{name}" for name, _ in pairs))
            sets.append("SET " + ", ".join(f"SESSION {name} = {value}" for name, value in pairs))
            restores.append("SET " + ", ".join(f"SESSION {name} = @sse_academy_saved_{name}" for name, _ in pairs))
    return sets, restores


@contextlib.contextmanager
def bounded() -> Iterator[None]:
    """Run the block with the lock-wait and statement limits of :func:`timeouts` on the database
    connection, then put the connection's own limits back.

    A statement that waits longer for a lock, or runs longer, fails with a
    :class:`~django.db.OperationalError` (PostgreSQL ``55P03``/``57014``, MariaDB 1205/1969): the
    transaction it was in is rolled back and the handler answers 503 (see
    :func:`sse_academy_xblock.blocks.mixins.json_api`). Nothing is set on SQLite. When the limits
    cannot be put back (the connection broke), the connection is closed, so that no later request
    inherits them.
    """
    lock, statement = timeouts()
    vendor = connection.vendor
    if vendor not in ("postgresql", "mysql") or (lock <= 0 and statement <= 0):
        yield
        return
    local = connection.in_atomic_block and vendor == "postgresql"
    sets, restores = timeout_statements(vendor, lock, statement, mariadb=getattr(connection, "mysql_is_mariadb", True),
                                        local=local)
    _apply(sets)
    try:
        yield
    finally:
        _restore(restores)


def _apply(sets: list[str]) -> None:
    """Set the limits. A connection found lost at this first statement (a server that closed an idle
    connection) has done nothing yet: outside a transaction it is opened again and the limits set on the
    new one, so the request goes on."""
    for attempt in (1, 2):
        try:
            with connection.cursor() as cursor:
                for sql in sets:
                    cursor.execute(sql)
            return
        except OperationalError:
            if attempt == 2 or connection.in_atomic_block:
                raise
            log.warning("the database connection was lost before the handler ran; opening it again", exc_info=True)
            connection.close()


def _restore(restores: list[str]) -> None:
    if not restores:
        return
    try:
        with connection.cursor() as cursor:
            for sql in restores:
                cursor.execute(sql)
    except DatabaseError:
        log.warning("could not put back the database session's time limits; closing the connection", exc_info=True)
        if not connection.in_atomic_block:
            connection.close()


# --- whether anything was saved ---------------------------------------------------------------

_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE")


class Writes:
    """Whether a write of a block of code reached the database for good (:meth:`watch`).

    A write statement outside a transaction counts once it returns; one inside a transaction counts
    when that transaction commits (``on_commit``), so a write rolled back with its transaction or
    savepoint does not. Inside a transaction of the caller's (``ATOMIC_REQUESTS``, a test's) nothing
    commits during the block, so nothing counts.
    """

    def __init__(self):
        self.committed = False
        self._mark = self._committed

    def _committed(self) -> None:
        self.committed = True

    @contextlib.contextmanager
    def watch(self) -> Iterator[Writes]:
        with connection.execute_wrapper(self._wrapper):
            yield self

    def _wrapper(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        words = str(sql).lstrip().split(None, 1)
        if words and words[0].upper() in _WRITES:
            conn = context["connection"]
            if not conn.in_atomic_block:
                self.committed = self.committed or conn.get_autocommit()
            else:
                current = set(conn.savepoint_ids)
                if not any(func is self._mark and sids <= current for sids, func, *_rest in conn.run_on_commit):
                    conn.on_commit(self._mark)
        return result
