"""Writing and reading the per-dimension score table (see :class:`DimensionScore`)."""

from __future__ import annotations

from django.db import transaction

from ..dimensions import DIMENSION_IDS
from .models import DimensionScore


def record(anonymous_user_id: str, course_id: str, usage_id: str, breakdown: dict) -> None:
    """Store a learner's per-dimension points for one block, replacing what was there.

    ``breakdown`` is ``{dimension: {"earned": x, "possible": y}}``; dimensions absent from it are
    removed, so the table always equals the block's latest score.
    """
    if not anonymous_user_id:
        return
    clean = {
        dim: (float(v.get("earned", 0)), float(v.get("possible", 0)))
        for dim, v in breakdown.items()
        if dim in DIMENSION_IDS and float(v.get("possible", 0)) > 0
    }
    with transaction.atomic():
        existing = {
            row.dimension: row
            for row in DimensionScore.objects.select_for_update().filter(
                anonymous_user_id=anonymous_user_id, usage_id=usage_id
            )
        }
        for dim, (earned, possible) in clean.items():
            row = existing.pop(dim, None)
            if row is None:
                DimensionScore.objects.create(
                    anonymous_user_id=anonymous_user_id, course_id=course_id, usage_id=usage_id,
                    dimension=dim, earned=earned, possible=possible,
                )
            elif (row.earned, row.possible) != (earned, possible):
                row.earned, row.possible = earned, possible
                row.save(update_fields=["earned", "possible", "modified"])
        if existing:
            DimensionScore.objects.filter(pk__in=[r.pk for r in existing.values()]).delete()


def forget(anonymous_user_id: str, usage_id: str) -> None:
    """Remove a learner's rows for one block (their state was deleted by staff)."""
    DimensionScore.objects.filter(anonymous_user_id=anonymous_user_id, usage_id=usage_id).delete()


def for_learner(anonymous_user_id: str, usage_ids: list[str]) -> list[DimensionScore]:
    return list(DimensionScore.objects.filter(anonymous_user_id=anonymous_user_id, usage_id__in=usage_ids))
