"""Writing and reading the per-dimension score table (see :class:`DimensionScore`)."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from .. import upsert
from ..dimensions import DIMENSION_IDS
from . import cohort_store
from .models import DimensionScore, block_key, learner_key


def _clean(breakdown: dict) -> dict[str, tuple[float, float]]:
    return {
        dim: (float(v.get("earned", 0)), float(v.get("possible", 0)))
        for dim, v in breakdown.items()
        if dim in DIMENSION_IDS and float(v.get("possible", 0)) > 0
    }


def _upsert_sql(rows: int) -> str:
    """One statement that inserts the learner's rows or updates them in place (unique key
    ``(anonymous_user_id, usage_id, dimension)``); ``modified`` moves only when the points change
    (it is set first, from the stored points)."""
    columns = ("anonymous_user_id", "learner_key", "course_id", "usage_id", "block_key", "dimension", "earned",
               "possible", "modified")
    return upsert.insert_or_update(
        connection, DimensionScore._meta.db_table, columns, upsert.values_list(rows, len(columns)),
        key=("anonymous_user_id", "usage_id", "dimension"),
        assignments=[
            ("modified", "CASE WHEN {old[earned]} <> {new[earned]} OR {old[possible]} <> {new[possible]} "
                         "THEN {new[modified]} ELSE {old[modified]} END"),
            ("earned", "{new[earned]}"),
            ("possible", "{new[possible]}"),
        ],
    )


def record(anonymous_user_id: str, course_id: str, usage_id: str, breakdown: dict) -> None:
    """Store a learner's per-dimension points for one block, replacing what was there, and move the
    learner between the kept cohort counts of every profile scope holding the block, in one transaction
    (:func:`.cohort_store.change`).

    ``breakdown`` is ``{dimension: {"earned": x, "possible": y}}``; dimensions absent from it are
    removed, so the table always equals the block's latest score. One statement for the rows, an upsert
    of the block's dimensions, and a second only when a dimension the block scored before is no longer
    scored (its removal). Which dimensions the rows held is read, under the learner's lock, by the
    statement that reads the learner's sums for the cohort counts: the counts add that lock and that
    read before the rows, and one statement after them when the learner moves.
    """
    if not anonymous_user_id:
        return
    clean = _clean(breakdown)

    def write(existing: frozenset[str]) -> dict[str, float]:
        if clean:
            now = timezone.now()
            key, block = learner_key(anonymous_user_id), block_key(usage_id)
            params = []
            for dim in sorted(clean):
                earned, possible = clean[dim]
                params += [anonymous_user_id, key, course_id, usage_id, block, dim, earned, possible,
                           DimensionScore._meta.get_field("modified").get_db_prep_value(now, connection)]
            with connection.cursor() as cursor:
                cursor.execute(_upsert_sql(len(clean)), params)
        stale = sorted(existing - set(clean))
        if stale:
            DimensionScore.objects.filter(anonymous_user_id=anonymous_user_id, usage_id=usage_id,
                                          dimension__in=stale).delete()
        return {dim: earned for dim, (earned, _possible) in clean.items()}

    cohort_store.change(anonymous_user_id, usage_id, write)


def forget(anonymous_user_id: str, usage_id: str) -> None:
    """Remove a learner's rows for one block (their state was deleted by staff), and take them out of
    the kept cohort counts accordingly (nothing is removed where the learner has no row)."""
    if not anonymous_user_id:
        return

    def write(existing: frozenset[str]) -> dict[str, float]:
        if existing:
            DimensionScore.objects.filter(anonymous_user_id=anonymous_user_id, usage_id=usage_id).delete()
        return {}

    cohort_store.change(anonymous_user_id, usage_id, write)


def forget_learners(anonymous_user_ids) -> None:
    """Remove every row of these learners (user retirement), and take them out of every kept cohort count."""
    anonymous_user_ids = sorted({a for a in anonymous_user_ids if a})
    if anonymous_user_ids:
        cohort_store.forget_learners(
            anonymous_user_ids, DimensionScore.objects.filter(anonymous_user_id__in=anonymous_user_ids).delete)


def for_learner(anonymous_user_id: str, usage_ids: list[str]) -> list[DimensionScore]:
    return list(DimensionScore.objects.filter(anonymous_user_id=anonymous_user_id, usage_id__in=usage_ids))
