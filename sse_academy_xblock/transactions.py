"""Database transactions that a busy database may roll back: telling a deadlock, and running one again.

A transaction the database chooses as a deadlock victim (or that gives up waiting for a lock) is
rolled back whole, on MySQL/MariaDB even past its savepoints; running it again from the start is
safe and usually succeeds. :func:`run_with_retries` does that for the learner's writes of the quiz
and the case study.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import DatabaseError, transaction

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
