"""A learner's submission in a block: the current one, locking rows, what its author owes and is owed.

"How many reviews must this learner still give, how many must their response still receive" is
answered here alone: :func:`effective_to_give` and :func:`effective_required` apply the block's
numbers and what the waiting rule lowered on the row (``to_give_lowered_to``, ``required_lowered_to``).

Submission rows are locked in primary-key order (:func:`lock_submissions`), the order every path
takes so that transactions cannot deadlock (see :mod:`.allocation`).
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from .config import PeerItem
from .models import PeerSubmission
from .review_count import wanted


def current_submission(usage_id: str, anonymous_id: str, lock: bool = False) -> PeerSubmission | None:
    """The learner's latest submission in the block (cancelled ones included), or None."""
    qs = PeerSubmission.objects.filter(usage_id=usage_id, anonymous_user_id=anonymous_id)
    if lock:
        qs = qs.select_for_update()
    return qs.order_by("-attempt").first()


def lock_submissions(*ids) -> dict[int, PeerSubmission]:
    """Lock up to a few submission rows in primary-key order (the deadlock-free order)."""
    wanted = sorted({i for i in ids if i is not None})
    rows = PeerSubmission.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
    return {row.pk: row for row in rows}


def save_together(changes: list[tuple[PeerSubmission, tuple[str, ...]]]) -> None:
    """Save each row's named fields (and its ``modified``) in one ``UPDATE`` of every row: ``[(row, fields)]``,
    rows locked by the caller. Written out: Django's ``bulk_update`` sets every field of every row through
    expressions that took longer to build than the statement took to run."""
    now = timezone.now()
    meta = PeerSubmission._meta
    quote = connection.ops.quote_name
    pk = quote(meta.pk.column)
    by_column: dict[str, list] = {}
    for row, fields in changes:
        row.modified = now
        for name in fields:
            field = meta.get_field(name)
            by_column.setdefault(field.column, []).extend(
                [row.pk, field.get_db_prep_save(getattr(row, field.attname), connection)])
    params: list = []
    assignments = []
    for column, values in by_column.items():
        cases = " ".join(["WHEN %s THEN %s"] * (len(values) // 2))
        assignments.append(f"{quote(column)} = CASE {pk} {cases} ELSE {quote(column)} END")
        params += values
    modified = meta.get_field("modified")
    assignments.append(f"{quote(modified.column)} = %s")
    params.append(modified.get_db_prep_save(now, connection))
    params += [row.pk for row, _fields in changes]
    marks = ", ".join(["%s"] * len(changes))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments)} WHERE {pk} IN ({marks})", params)


def effective_to_give(own: PeerSubmission, item: PeerItem) -> int:
    """The reviews the author of ``own`` must give: the block's number, or less once the waiting rule lowered it."""
    if own.to_give_lowered_to is not None:
        return min(item.reviews_to_give, own.to_give_lowered_to)
    return item.reviews_to_give


def effective_required(sub: PeerSubmission, item: PeerItem) -> int:
    """The reviews ``sub`` must receive (at least 1): the block's number (with the adaptive count, the reviews it
    wants now, :func:`.review_count.wanted`), or less once the waiting rule lowered it."""
    required = wanted(sub, item)
    if sub.required_lowered_to is not None:
        required = min(required, sub.required_lowered_to)
    return max(1, required)
