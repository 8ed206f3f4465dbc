"""The quiz roster service: counting submits once, staff resets, and the staff panel's listing.

See :mod:`.models` for why the roster exists. Every function here is keyed by the anonymous id and
the block's usage id, so a staff handler can only touch learners of its own block.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from .. import keyset
from .models import QuizRoster

# A submit that finds the roster one version ahead of the learner's state was beaten by a twin
# request for the same attempt, unless that version is older than this: then the learner's state
# was deleted or restored without the roster (and the roster follows the state).
TWIN_WINDOW = timedelta(minutes=2)
STAFF_PAGE_SIZE = 50


@dataclass(frozen=True)
class PendingReset:
    """A staff reset the learner's block has not applied yet: the values it should now hold."""

    resets: int
    attempts: int


def lookup(anonymous_user_id: str, usage_id: str) -> QuizRoster | None:
    return QuizRoster.objects.filter(anonymous_user_id=anonymous_user_id, usage_id=usage_id).first()


def claim_submit(
    anonymous_user_id: str, course_id: str, usage_id: str, *, version: int, attempts: int,
    earned: float, possible: float,
) -> bool:
    """Count one submit if the roster is still at ``version`` (the learner's ``submits`` field).

    Returns False when another request already counted this attempt. The row is created at the
    learner's version on first use, so a roster row lost (learner retirement) never blocks anyone.
    """
    now = timezone.now()
    values = {"submits": version + 1, "attempts": attempts, "earned": earned, "possible": possible,
              "last_submitted": now, "modified": now}
    # Part of the submit's transaction (an error rolls the whole submit back): no savepoint of its own.
    with transaction.atomic(savepoint=False):
        row, _created = QuizRoster.objects.get_or_create(
            anonymous_user_id=anonymous_user_id, usage_id=usage_id,
            defaults={"course_id": course_id, "submits": version, "last_submitted": now},
        )
        rows = QuizRoster.objects.filter(pk=row.pk)
        if rows.filter(submits=version).update(**values):
            return True
        current = rows.values_list("submits", "last_submitted").first()
        if current is None:
            return False
        submits, last = current
        if submits == version + 1 and last is not None and now - last < TWIN_WINDOW:
            return False
        return bool(rows.filter(submits=submits).update(**values))


def record_score(anonymous_user_id: str, usage_id: str, earned: float, possible: float) -> None:
    """The learner's score changed without a submit (a rescore or an override the gradebook kept)."""
    QuizRoster.objects.filter(anonymous_user_id=anonymous_user_id, usage_id=usage_id).update(
        earned=earned, possible=possible, modified=timezone.now())


def sync_reset(
    anonymous_user_id: str, usage_id: str, resets_seen: int, attempts: int, submits: int | None = None
) -> PendingReset | None:
    """Tell a learner's block about a staff reset it has not applied yet.

    Returns the reset count and attempts the block should now hold, or None when nothing changed.
    When the platform zeroed the block's ``attempts`` itself (the instructor dashboard), the
    roster is brought down to match, so the staff panel shows the same number; only when the
    block's state is as new as the roster (its ``submits`` equals the roster's), because a request
    that read the state before a twin's submit was counted would otherwise roll the roster back.
    """
    row = lookup(anonymous_user_id, usage_id)
    if row is None:
        return None
    if row.resets > resets_seen:
        return PendingReset(resets=row.resets, attempts=row.attempts)
    if attempts < row.attempts and (submits is None or submits == row.submits):
        rows = QuizRoster.objects.filter(pk=row.pk, attempts=row.attempts)
        if submits is not None:
            rows = rows.filter(submits=submits)
        rows.update(attempts=attempts)
    return None


def reset_attempts(anonymous_user_id: str, usage_id: str) -> QuizRoster | None:
    """Zero a learner's attempts on this block; None if they have no row for this block."""
    with transaction.atomic():
        row = (
            QuizRoster.objects.select_for_update()
            .filter(anonymous_user_id=anonymous_user_id, usage_id=usage_id)
            .first()
        )
        if row is None:
            return None
        row.attempts = 0
        row.resets += 1
        row.save(update_fields=["attempts", "resets", "modified"])
    return row


def forget(anonymous_user_id: str, usage_id: str) -> None:
    QuizRoster.objects.filter(anonymous_user_id=anonymous_user_id, usage_id=usage_id).delete()


def forget_learner(anonymous_user_id: str) -> int:
    """Delete every roster row of one learner (user retirement)."""
    deleted, _ = QuizRoster.objects.filter(anonymous_user_id=anonymous_user_id).delete()
    return deleted


# The staff panel's order, most recent submit first, on the index (usage_id, last_submitted, id).
STAFF_KEY = keyset.Key("usage_id", ("last_submitted", "id"), descending=True)


def cursor(row: QuizRoster) -> str:
    """How the staff panel names a row to page from: ``<ISO time>|<id>``."""
    return keyset.encode(row.last_submitted, row.pk)


def parse_cursor(value) -> tuple | None:
    """The (last_submitted, id) of a cursor from :func:`cursor`, or None if it is not one."""
    return keyset.decode(value, datetime, int)


def staff_page(usage_id: str, per_page: int = STAFF_PAGE_SIZE, after: tuple | None = None,
               before: tuple | None = None) -> keyset.Page:
    """The learners of the block, the most recent submit first, one page at a time (one query).

    Keyset pagination on the index (usage_id, last_submitted, id): ``after`` / ``before`` are the
    (last_submitted, id) of the last / first row of the page the panel shows, so any page costs
    one short index range read, whatever the number of learners; nothing counts the block.
    """
    qs = QuizRoster.objects.filter(keyset.in_block("usage_id", usage_id), last_submitted__isnull=False)
    return STAFF_KEY.page(qs, per_page, after=after, before=before, cursor=cursor)


def every(usage_id: str):
    """Every learner of the block, streamed in a stable order (for the CSV)."""
    return QuizRoster.objects.filter(usage_id=usage_id).order_by("anonymous_user_id").iterator(chunk_size=500)


def learner_ids(usage_id: str) -> list[str]:
    """The anonymous ids of the block's learners with a counted submit."""
    return list(QuizRoster.objects.filter(usage_id=usage_id, last_submitted__isnull=False)
                .order_by("anonymous_user_id").values_list("anonymous_user_id", flat=True))
