"""Peer-review agreement counters, kept up to date inside the transaction that grades a response.

When a response is graded (:func:`.gradebook.grade_locked`), its counted reviews are final and each
review's distance from the median of the *other* reviews of the same response is known. :func:`record`
adds them, in the grading transaction, to two small tables:

- :class:`.models.ReviewerAgreement`, one row per (block, reviewer): comparable reviews, summed
  distance, mean distance. One upsert statement for all the response's reviewers, in reviewer order;
  the increments are done by the database, so concurrent gradings never lose one.
- :class:`.models.CriterionAgreement`, one row per (block, criterion): the criterion's coincidence
  matrix summed over the graded responses, from which Krippendorff's alpha is computed exactly.
  The rows are created with the block's rubric version (:func:`ensure_criteria`), read ``FOR UPDATE``
  (in criterion order) and written back; they also serialise the block's agreement updates, so the
  reviewer rows are always locked after them and never upserted by two gradings of a block at once.

The staff page reads these tables (:mod:`.staff_review_quality`); the formulas are in docs/insight.md
("Peer-review agreement"). A grade weighted by agreement reads the reviewers' weights here
(:func:`weights_for`).

What is counted: the reviews counted in a peer grade (``Review.counted``) of responses with at least
two of them. Reviews that arrive after the grade, and responses graded by staff without peer grade,
add nothing; a later cancellation or staff override does not take a graded response's reviews back
out (the reviews were given and compared).
"""

from __future__ import annotations

from django.db import connection, transaction

from .. import upsert
from ..insight import agreement_statistics
from .models import CriterionAgreement, ReviewerAgreement, ReviewPart


def _cell_key(c: int, k: int) -> str:
    return f"{int(c)},{int(k)}"


def cell_pair(key: str) -> tuple[int, int]:
    """The two points values of a key of ``CriterionAgreement.cells`` (``"c,k"``)."""
    c, k = key.split(",")
    return int(c), int(k)


def weights_for(usage_id: str, reviewer_ids,
                min_reviews: int = agreement_statistics.MIN_REVIEWS_FOR_WEIGHT,
                seeds: dict[str, float] | None = None) -> dict[str, float]:
    """Each reviewer's agreement weight in the block (1 below ``min_reviews``), in one query.

    ``seeds``: weights for reviewers below ``min_reviews`` instead of 1 (their calibration, see
    :func:`.calibration.seed_weights`)."""
    standing = {
        reviewer: agreement_statistics.ReviewerStanding(reviewer, reviews, mean)
        for reviewer, reviews, mean in ReviewerAgreement.objects.filter(
            usage_id=usage_id, reviewer_id__in=sorted(set(reviewer_ids))
        ).values_list("reviewer_id", "reviews", "mean_distance")
    }
    seeds = seeds or {}

    def weight(reviewer):
        found = standing.get(reviewer)
        if reviewer in seeds and (found is None or found.reviews < min_reviews):
            return seeds[reviewer]
        return agreement_statistics.agreement_weight(found, min_reviews)
    return {r: weight(r) for r in reviewer_ids}


def record(usage_id: str, points_possible: int, reviews: list[tuple[str, dict[str, int]]]) -> None:
    """Add one graded response's counted reviews ``[(reviewer_id, {criterion: points})]`` (caller's transaction).

    Nothing happens with fewer than two reviews: a lone review has nothing to be compared with.
    """
    if len(reviews) < 2:
        return
    _record_criteria(usage_id, reviews)
    distances = agreement_statistics.review_distances([(r, sum(parts.values())) for r, parts in reviews], points_possible)
    _upsert_reviewers(usage_id, sorted(distances))


def ensure_criteria(usage_id: str, names) -> None:
    """Create the block's criterion rows that do not exist yet (when a rubric version is first stored).

    Gradings then only lock existing rows: concurrent first inserts of the same keys inside gradings
    could deadlock on MariaDB/MySQL (insert-intention and duplicate-key locks).
    """
    CriterionAgreement.objects.bulk_create(
        [CriterionAgreement(usage_id=usage_id, criterion_name=name) for name in sorted(set(names))],
        ignore_conflicts=True,
    )


def _record_criteria(usage_id: str, reviews) -> None:
    names = sorted({name for _r, parts in reviews for name in parts})
    added = {}
    for name in names:
        scores = [parts[name] for _r, parts in reviews if name in parts]
        cells = agreement_statistics.unit_coincidences(scores)
        if cells:
            added[name] = (len(scores), cells)
    if not added:
        return
    rows = _locked_criteria(usage_id, sorted(added))
    missing = [name for name in added if name not in rows]
    if missing:  # a block graded before its rows were created (rubric stored before this code)
        ensure_criteria(usage_id, missing)
        rows = _locked_criteria(usage_id, sorted(added))
    for name, (count, cells) in added.items():
        row = rows[name]
        row.units += 1
        row.reviews += count
        stored = dict(row.cells or {})
        for (c, k), weight in cells.items():
            key = _cell_key(c, k)
            stored[key] = stored.get(key, 0.0) + weight
        row.cells = stored
    upsert.update_each(connection, CriterionAgreement,  # the locked rows written back in one statement
                       [(rows[name], ("units", "reviews", "cells")) for name in sorted(added)])


def _locked_criteria(usage_id: str, names: list[str]) -> dict[str, CriterionAgreement]:
    rows = CriterionAgreement.objects.select_for_update().filter(
        usage_id=usage_id, criterion_name__in=names
    ).order_by("criterion_name")
    return {row.criterion_name: row for row in rows}


def _upsert_sql(rows: int) -> str:
    """Insert the reviewers' rows or add to their sums; the mean is set first, from the stored sums."""
    columns = ("usage_id", "reviewer_id", "reviews", "distance_sum", "mean_distance")
    return upsert.insert_or_update(
        connection, ReviewerAgreement._meta.db_table, columns, upsert.values_list(rows, len(columns)),
        key=("usage_id", "reviewer_id"),
        assignments=[
            ("mean_distance", "({old[distance_sum]} + {new[distance_sum]}) / ({old[reviews]} + {new[reviews]})"),
            ("distance_sum", "{old[distance_sum]} + {new[distance_sum]}"),
            ("reviews", "{old[reviews]} + {new[reviews]}"),
        ],
    )


def _upsert_reviewers(usage_id: str, distances: list[tuple[str, float]]) -> None:
    """One statement: insert or add to each reviewer's counters (rows in reviewer order)."""
    merged: dict[str, tuple[int, float]] = {}
    for reviewer, distance in distances:
        reviews, total = merged.get(reviewer, (0, 0.0))
        merged[reviewer] = (reviews + 1, total + distance)
    params = []
    for reviewer in sorted(merged):
        reviews, total = merged[reviewer]
        params += [usage_id, reviewer, reviews, total, total / reviews]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(len(merged)), params)


def rebuild(usage_id: str) -> None:
    """Recompute the block's agreement tables from its counted reviews (a full pass: for a block graded
    before these tables existed, or to check them). Replaces the block's rows in one transaction."""
    with transaction.atomic():
        CriterionAgreement.objects.filter(usage_id=usage_id).delete()
        ReviewerAgreement.objects.filter(usage_id=usage_id).delete()
        by_submission: dict[int, dict[int, tuple[str, dict]]] = {}
        possible: dict[int, int] = {}
        parts = (
            ReviewPart.objects.filter(review__usage_id=usage_id, review__counted=True)
            .exclude(review__submission__graded_at__isnull=True)
            .order_by("review__submission_id", "review__created", "review_id", "pk")
            .values_list("review__submission_id", "review_id", "review__reviewer_id", "criterion_name", "points",
                         "review__submission__rubric__max_points")
        )
        for sub_id, review_id, reviewer, name, points, best in parts.iterator(chunk_size=2000):
            reviews = by_submission.setdefault(sub_id, {})
            reviews.setdefault(review_id, (reviewer, {}))[1][name] = points
            possible[sub_id] = best
        for sub_id, reviews in by_submission.items():
            record(usage_id, possible[sub_id], list(reviews.values()))
