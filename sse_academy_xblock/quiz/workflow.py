"""The learner's side of the quiz: counting a graded attempt, and the rows its scores are kept in.

Plain functions keyed by the learner's anonymous id and the block's course and usage ids; no
XBlock. What the block itself must do inside the attempt's transaction (its state save) is passed in
as a callback; the block publishes the grade once :func:`count_attempt` has returned (committed).

Signatures used by other code and tests:

* ``count_attempt(anon_id, course_id, usage_id, questions, answers, result, *, version, attempts, keep,
  rolled_back=None) -> bool``
* ``record_result(anon_id, course_id, usage_id, questions, answers, result, attempt=None) -> None``
* ``record_score(anon_id, course_id, usage_id, questions, answers, result) -> None``
* ``record_override(anon_id, course_id, usage_id, breakdown, earned, possible) -> None``
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import DatabaseError, OperationalError, transaction

from ..profile import scores
from ..transactions import run_with_retries
from . import item_totals, roster, wrong_answers
from .grading import QuizResult
from .questions import Question

SUBMIT_TRIES = 3  # an attempt whose transaction the database rolled back is run again, up to this many times


def is_busy(error: DatabaseError) -> bool:
    """A database too busy to finish the attempt now (a deadlock, a lock wait that timed out, SQLite's
    "database is locked"): the attempt is run again."""
    return isinstance(error, OperationalError)


def count_attempt(
    anon_id: str, course_id: str, usage_id: str, questions: list[Question], answers: dict, result: QuizResult,
    *, version: int, attempts: int, keep: Callable[[], None], rolled_back: Callable[[], None] | None = None,
) -> bool:
    """Claim the attempt and keep everything it changes, in one transaction, or change nothing.

    In one transaction: the roster counts the attempt if it is still at ``version`` (the learner's
    ``submits``), the per-dimension score rows and the graded answers are written
    (:func:`record_result`), then ``keep()`` runs (the block's state save; nothing that cannot be
    taken back, such as publishing the grade, which the caller does after this returns True).
    Returns False, having changed nothing, when another request already counted this attempt.

    A database that stays busy (a lock wait that times out, a deadlock) rolls the whole attempt back
    and it is run again (:data:`SUBMIT_TRIES` runs in all, one inside a transaction of the caller's);
    the last :class:`~django.db.OperationalError` is raised. ``rolled_back`` is called after every
    run that did not commit, so the block can put back the state ``keep`` changed in memory.
    """

    def attempt() -> bool:
        claimed = roster.claim_submit(
            anon_id, course_id, usage_id, version=version, attempts=attempts,
            earned=result.earned, possible=result.possible,
        )
        if not claimed:
            transaction.set_rollback(True)
            return False
        record_result(anon_id, course_id, usage_id, questions, answers, result, attempt=version + 1)
        keep()
        return True

    return run_with_retries(attempt, SUBMIT_TRIES, retry_if=is_busy, rolled_back=rolled_back)


def record_result(anon_id: str, course_id: str, usage_id: str, questions: list[Question], answers: dict,
                  result: QuizResult, attempt: int | None = None) -> None:
    """Keep a graded attempt for the Decent Work profile (per-dimension score rows) and for the staff
    panel's item analysis (the graded answers in its attempt sets: ``attempt`` is the number of a new
    counted attempt, ``None`` a new grading of the last one)."""
    scores.record(anon_id, course_id, usage_id, result.breakdown)
    item_totals.record(anon_id, course_id, usage_id, item_totals.answers_of(questions, answers, result),
                       wrong_answers.values_of(questions, answers, result), item_totals.versions_of(questions),
                       attempt=attempt)


def record_score(anon_id: str, course_id: str, usage_id: str, questions: list[Question], answers: dict,
                 result: QuizResult) -> None:
    """A new grading of the learner's last answers became their score (the platform accepted a rescore):
    the roster's score, the per-dimension rows and the graded answers follow it, in one transaction."""
    with transaction.atomic():
        roster.record_score(anon_id, usage_id, result.earned, result.possible)
        record_result(anon_id, course_id, usage_id, questions, answers, result)


def record_override(anon_id: str, course_id: str, usage_id: str, breakdown: dict, earned: float,
                    possible: float) -> None:
    """A score set from outside (a staff override) became the learner's score: the roster's score and the
    per-dimension rows follow it; the item analysis keeps the graded answers."""
    with transaction.atomic():
        roster.record_score(anon_id, usage_id, earned, possible)
        scores.record(anon_id, course_id, usage_id, breakdown)
