"""Peer-review agreement kept up to date as responses are graded, and what the staff panel reads of it.

When a response is graded (:func:`.grading.grade_locked`), its counted reviews are final and each
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

The staff page then costs a fixed number of statements whatever the size of the course: one read of
the block's criterion rows, one keyset read of a page of reviewers, one look-up of usernames inside
Open edX. The formulas are in docs/insight.md ("Peer-review agreement").

What is counted: the reviews counted in a peer grade (``Review.counted``) of responses with at least
two of them. Reviews that arrive after the grade, and responses graded by staff without peer grade,
add nothing; a later cancellation or staff override does not take a graded response's reviews back
out (the reviews were given and compared).
"""

from __future__ import annotations

import json

from django.db import connection, transaction
from django.db.models import Q, Subquery

from ..insight import agreement_statistics
from .config import PeerItem
from .models import CriterionAgreement, ReviewerAgreement

PER_PAGE = 25
MAX_PER_PAGE = 100


def _cell_key(c: int, k: int) -> str:
    return f"{int(c)},{int(k)}"


def _cell_pair(key: str) -> tuple[int, int]:
    c, k = key.split(",")
    return int(c), int(k)


def weights_for(usage_id: str, reviewer_ids,
                min_reviews: int = agreement_statistics.MIN_REVIEWS_FOR_WEIGHT) -> dict[str, float]:
    """Each reviewer's agreement weight in the block (1 below ``min_reviews``), in one query."""
    standing = {
        reviewer: agreement_statistics.ReviewerStanding(reviewer, reviews, mean)
        for reviewer, reviews, mean in ReviewerAgreement.objects.filter(
            usage_id=usage_id, reviewer_id__in=sorted(set(reviewer_ids))
        ).values_list("reviewer_id", "reviews", "mean_distance")
    }
    return {r: agreement_statistics.agreement_weight(standing.get(r), min_reviews) for r in reviewer_ids}


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
    _update_criteria([rows[name] for name in sorted(added)])


def _update_criteria(rows: list[CriterionAgreement]) -> None:
    """Write the locked rows back in one statement (written out: the ORM's bulk update cost more to build
    than to run)."""
    table = connection.ops.quote_name(CriterionAgreement._meta.db_table)
    json_value = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    params: list = []
    units = reviews = cells = ""
    for row in rows:
        units += " WHEN %s THEN %s"
        reviews += " WHEN %s THEN %s"
        cells += f" WHEN %s THEN {json_value}"
    for row in rows:
        params += [row.pk, row.units]
    for row in rows:
        params += [row.pk, row.reviews]
    for row in rows:
        params += [row.pk, json.dumps(row.cells, sort_keys=True)]
    params += [row.pk for row in rows]
    marks = ", ".join(["%s"] * len(rows))
    sql = (f"UPDATE {table} SET units = CASE id{units} END, reviews = CASE id{reviews} END, "
           f"cells = CASE id{cells} END WHERE id IN ({marks})")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _locked_criteria(usage_id: str, names: list[str]) -> dict[str, CriterionAgreement]:
    rows = CriterionAgreement.objects.select_for_update().filter(
        usage_id=usage_id, criterion_name__in=names
    ).order_by("criterion_name")
    return {row.criterion_name: row for row in rows}


def _upsert_sql(rows: int) -> str:
    table = connection.ops.quote_name(ReviewerAgreement._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * rows)
    insert = f"INSERT INTO {table} (usage_id, reviewer_id, reviews, distance_sum, mean_distance) VALUES {values}"
    if connection.vendor == "mysql":
        # MySQL evaluates the assignments left to right: the mean first, from the old sums.
        return insert + (
            " ON DUPLICATE KEY UPDATE"
            " mean_distance = (distance_sum + VALUES(distance_sum)) / (reviews + VALUES(reviews)),"
            " distance_sum = distance_sum + VALUES(distance_sum),"
            " reviews = reviews + VALUES(reviews)"
        )
    return insert + (
        f" ON CONFLICT (usage_id, reviewer_id) DO UPDATE SET"
        f" mean_distance = ({table}.distance_sum + excluded.distance_sum) / ({table}.reviews + excluded.reviews),"
        f" distance_sum = {table}.distance_sum + excluded.distance_sum,"
        f" reviews = {table}.reviews + excluded.reviews"
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


# --- what staff read -----------------------------------------------------------------------------


def criteria_summary(item: PeerItem) -> list[dict]:
    """Per criterion of the rubric: ordinal alpha with the responses and reviews it rests on (one query).

    Criteria that older rubric versions had and the current one lacks follow, under their stored name.
    """
    rows = {row.criterion_name: row for row in CriterionAgreement.objects.filter(usage_id=item.usage_id)}
    ordered = [(c.name, c.label) for c in item.rubric.criteria]
    ordered += [(name, name) for name in sorted(rows) if name not in {n for n, _l in ordered}]
    result = []
    for name, label in ordered:
        row = rows.get(name)
        if row is None:
            alpha = agreement_statistics.Alpha(None, 0, 0)
            reviews = 0
        else:
            alpha = agreement_statistics.alpha_from_coincidences(
                {_cell_pair(key): float(weight) for key, weight in (row.cells or {}).items()}, row.units
            )
            reviews = row.reviews
        enough = alpha.units >= agreement_statistics.MIN_UNITS_FOR_ALPHA and alpha.value is not None
        result.append({
            "name": name, "label": label, "units": alpha.units, "reviews": reviews,
            "alpha": round(alpha.value, 3) if enough else None, "enough": enough,
        })
    return result


def _reviewer_row(row: ReviewerAgreement, names: dict, ratings: dict) -> dict:
    standing = agreement_statistics.ReviewerStanding(row.reviewer_id, row.reviews, row.mean_distance)
    helpful, rated = ratings.get(row.reviewer_id, (0, 0))
    return {
        "id": row.pk,
        "reviewer": names.get(row.reviewer_id) or row.reviewer_id,
        "anonymous_id": row.reviewer_id,
        "reviews": row.reviews,
        "mean_distance": round(row.mean_distance, 3),
        "weight": round(agreement_statistics.agreement_weight(standing), 2),
        "weighted": row.reviews >= agreement_statistics.MIN_REVIEWS_FOR_WEIGHT,
        "rated": rated,
        "rated_helpful": helpful,
    }


def reviewers_page(item: PeerItem, after: int | None = None, before: int | None = None,
                   per_page: int = PER_PAGE, page: int = 1) -> dict:
    """One page of the block's reviewers, most distant from the others first (then newest row first).

    Keyset pagination on the index (usage_id, mean_distance, id): ``after`` is the last row of the page
    shown, ``before`` its first; the row's distance is read by a subquery in the same statement, and the
    plain bound ``mean_distance <= that distance`` (besides the exact keyset condition) lets every database
    start the index range there: a page is one range read with ``LIMIT`` (no count, no offset) whatever the page.
    """
    from .. import keyset
    from .feedback import ratings_by_reviewer
    from .staff import usernames_for

    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    qs = ReviewerAgreement.objects.filter(keyset.in_block("usage_id", item.usage_id))
    cursor = after if after is not None else before
    if cursor is not None:
        mean = Subquery(ReviewerAgreement.objects.filter(usage_id=item.usage_id, pk=cursor).values("mean_distance")[:1])
    if before is not None:
        rows = list(qs.filter(Q(mean_distance__gt=mean) | Q(mean_distance=mean, id__gt=before), mean_distance__gte=mean)
                    .order_by(*keyset.order("usage_id", "mean_distance", "id"))[: per_page + 1])
        has_prev, has_next = len(rows) > per_page, True
        rows = rows[:per_page][::-1]
    else:
        if after is not None:
            qs = qs.filter(Q(mean_distance__lt=mean) | Q(mean_distance=mean, id__lt=after), mean_distance__lte=mean)
        rows = list(qs.order_by(*keyset.order("usage_id", "mean_distance", "id", descending=True))[: per_page + 1])
        has_prev, has_next = after is not None, len(rows) > per_page
        rows = rows[:per_page]
    page = max(1, int(page)) if has_prev else 1
    names = usernames_for({r.reviewer_id for r in rows}) if rows else {}
    ratings = ratings_by_reviewer(item, [r.reviewer_id for r in rows])
    return {
        "rows": [_reviewer_row(r, names, ratings) for r in rows], "page": page, "per_page": per_page,
        "has_prev": has_prev, "has_next": has_next,
        "first": rows[0].pk if rows else None, "last": rows[-1].pk if rows else None,
    }


def summary(item: PeerItem, after: int | None = None, before: int | None = None, page: int = 1) -> dict:
    """Everything the "Review quality" section shows."""
    return {
        "criteria": criteria_summary(item),
        "reviewers": reviewers_page(item, after=after, before=before, page=page),
        "min_units": agreement_statistics.MIN_UNITS_FOR_ALPHA,
        "min_reviews": agreement_statistics.MIN_REVIEWS_FOR_WEIGHT,
        "weighting_on": bool(item.weight_by_agreement),
    }


# The reviewers' CSV: one (header, value) pair per column, so a column is one line to add.
CSV_COLUMNS = (
    ("reviewer", lambda row: row["reviewer"]),
    ("anonymous_id", lambda row: row["anonymous_id"]),
    ("comparable_reviews", lambda row: row["reviews"]),
    ("mean_distance", lambda row: row["mean_distance"]),
    ("weight_if_weighting", lambda row: row["weight"]),
    ("ratings_received", lambda row: row["rated"]),
    ("rated_helpful", lambda row: row["rated_helpful"]),
)


def csv_header() -> list[str]:
    return [name for name, _value in CSV_COLUMNS]


def csv_rows(item: PeerItem, chunk_size: int = 500):
    """Every reviewer of the block, most distant first, one keyset read per ``chunk_size`` rows."""
    after = None
    while True:
        page = reviewers_page(item, after=after, per_page=min(chunk_size, MAX_PER_PAGE))
        for row in page["rows"]:
            yield [value(row) for _name, value in CSV_COLUMNS]
        if not page["has_next"]:
            return
        after = page["last"]


def rebuild(usage_id: str) -> None:
    """Recompute the block's agreement tables from its counted reviews (a full pass: for a block graded
    before these tables existed, or to check them). Replaces the block's rows in one transaction."""
    from .models import ReviewPart

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
