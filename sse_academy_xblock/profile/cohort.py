"""The cohort over a profile's scope: the staff table (paged and as CSV) and per-dimension figures.

Learners are those with at least one score row on one of the scope's graded blocks. The staff
table is paged by learner id (keyset pagination): a page costs two statements whatever the number
of learners, both short reads of the index ``(usage_id, anonymous_user_id)``: the page's learner
ids, then their points per dimension summed with conditional aggregates. Nothing counts the cohort
on a page load; the number of learners comes with the kept figures (:mod:`.cohort_store`), which
:func:`figures` recounts from the table. The CSV streams the same grouped query over everyone.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from django.db import connection
from django.db.models import Max, Q, Sum

from .. import keyset, l10n
from ..dimensions import DIMENSION_IDS, label
from . import arithmetic, cohort_counts
from .models import DimensionScore, block_key

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
CSV_CHUNK = 500


@dataclass(frozen=True)
class LearnerRow:
    anonymous_user_id: str
    profile: arithmetic.Profile
    last_modified: object = None

    def to_dict(self) -> dict:
        return {
            "anonymous_user_id": self.anonymous_user_id,
            "dimensions": [
                {"id": line.dimension, "earned_text": l10n.number(line.earned), "percent": line.percent}
                for line in self.profile.lines
            ],
            "earned_text": l10n.number(self.profile.earned),
            "percent": self.profile.percent,
            "last_modified": self.last_modified.isoformat() if self.last_modified else "",
        }


_LEARNER = attrgetter("anonymous_user_id")  # a page's rows are named by learner id


def _scores(usage_ids: Sequence[str]):
    return DimensionScore.objects.filter(usage_id__in=list(usage_ids))


def _grouped(usage_ids: Sequence[str]):
    """One row per learner: earned points per dimension (one column each) and the latest change."""
    sums = {f"earned_{dim}": Sum("earned", filter=Q(dimension=dim)) for dim in DIMENSION_IDS}
    return (
        _scores(usage_ids)
        .values("anonymous_user_id")
        .annotate(last_modified=Max("modified"), **sums)
        .order_by("anonymous_user_id")
    )


def _row(values: Mapping, possible: Mapping[str, float]) -> LearnerRow:
    earned_rows = [(dim, values.get(f"earned_{dim}") or 0) for dim in DIMENSION_IDS]
    return LearnerRow(values["anonymous_user_id"], arithmetic.build(possible, earned_rows), values.get("last_modified"))


def _learner_ids(usage_ids: Sequence[str], size: int, after: str | None, before: str | None) -> list[str]:
    """The next ``size`` distinct learners of the scope after (or before) a cursor, in id order.

    One statement: for each graded block of the scope, a short range read of the index
    ``(usage_id, anonymous_user_id)`` starting at the cursor, merged and cut to the page. It reads
    at most ``size`` learners per block, whatever the number of learners; neither a count nor an
    offset over the cohort.
    """
    table = connection.ops.quote_name(DimensionScore._meta.db_table)
    learner = connection.ops.quote_name("anonymous_user_id")
    usage = connection.ops.quote_name("usage_id")
    cursor_value = after if after is not None else before
    compare, direction = ("<", "DESC") if before is not None else (">", "ASC")
    where = f"{usage} = %s" + (f" AND {learner} {compare} %s" if cursor_value is not None else "")
    # Each block's range read is wrapped in its own derived table, so ORDER BY and LIMIT apply to
    # it alone on SQLite, PostgreSQL and MySQL alike.
    part = (f"SELECT * FROM (SELECT DISTINCT {learner} AS learner FROM {table} WHERE {where} "
            f"ORDER BY {learner} {direction} LIMIT %s) AS part_{{n}}")
    parts, params = [], []
    for n, usage_id in enumerate(usage_ids):
        parts.append(part.format(n=n))
        params += [usage_id, *([cursor_value] if cursor_value is not None else []), size]
    sql = (f"SELECT DISTINCT learner FROM ({' UNION ALL '.join(parts)}) AS merged "
           f"ORDER BY learner {direction} LIMIT %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, size])
        return [row[0] for row in cursor.fetchall()]


def page(usage_ids: Sequence[str], possible: Mapping[str, float], size: int = PAGE_SIZE,
         after: str | None = None, before: str | None = None) -> keyset.Page[LearnerRow]:
    """The scope's learners by anonymous id, a page at a time: the first page, or the one ``after`` /
    ``before`` a learner id (the last / first id of the page on screen).

    Two statements whatever the number of learners: the page's learner ids (:func:`_learner_ids`),
    then the sums for those learners alone. The page's ``first`` and ``last`` are learner ids.
    """
    size = max(1, min(int(size), MAX_PAGE_SIZE))
    if not usage_ids:
        return keyset.Page((), has_prev=False, has_next=False, cursor=_LEARNER)
    ids = keyset.page(lambda limit: _learner_ids(usage_ids, limit, after, before), size, after=after, before=before)
    by_learner = {values["anonymous_user_id"]: values
                  for values in _grouped(usage_ids).filter(anonymous_user_id__in=ids.rows)}
    rows = tuple(_row(by_learner[learner], possible) for learner in ids.rows if learner in by_learner)
    return keyset.Page(rows, has_prev=ids.has_prev and bool(rows), has_next=ids.has_next and bool(rows),
                       cursor=_LEARNER)


def csv_header(possible: Mapping[str, float], gettext) -> list[str]:
    """Column titles; each dimension's title says how many points the scope's content can award."""
    header = [gettext("Anonymous learner id")]
    for dim in DIMENSION_IDS:
        header.append(
            gettext("%(dimension)s: points earned (of %(possible)s)")
            % {"dimension": label(dim, gettext), "possible": l10n.number(possible.get(dim, 0.0))}
        )
    header += [gettext("Points earned"), gettext("Points possible"), gettext("Percent"), gettext("Last change")]
    return header


def csv_rows(usage_ids: Sequence[str], possible: Mapping[str, float]) -> Iterator[list]:
    """Every learner of the scope as CSV rows, read from the database in chunks while being sent."""
    if not usage_ids:
        return
    for values in _grouped(usage_ids).iterator(chunk_size=CSV_CHUNK):
        row = _row(values, possible)
        yield [
            row.anonymous_user_id,
            *(line.earned for line in row.profile.lines),
            row.profile.earned,
            row.profile.possible,
            row.profile.percent,
            l10n.csv_time(row.last_modified),
        ]


HISTOGRAM_BINS = 10


@dataclass(frozen=True)
class DimensionFigures:
    """How the learners who attempted one dimension stand on it (percent of the scope's points)."""

    dimension: str
    learners: int
    median: int | None
    histogram: tuple[int, ...]


@dataclass(frozen=True)
class Figures:
    learners: int
    dimensions: tuple[DimensionFigures, ...]
    # when they stopped being current (seconds since the epoch): figures of a scope's previous composition,
    # shown while its new composition is counted (:mod:`.cohort_store`); None for current figures
    as_of: float | None = field(default=None, compare=False)

    def median(self, dimension: str) -> int | None:
        return next(d.median for d in self.dimensions if d.dimension == dimension)



def median(values: Sequence[int]) -> int | None:
    """The median of whole percentages (the mean of the two middle ones, rounded half up), None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return int((ordered[middle - 1] + ordered[middle]) / 2 + 0.5)


def bin_of(percent: int) -> int:
    """Histogram bin of a percentage: 0-9, 10-19, ..., 90-100 (100% falls in the last bin)."""
    return min(HISTOGRAM_BINS - 1, max(0, int(percent)) * HISTOGRAM_BINS // 100)


def _learner_sums(usage_ids: Sequence, by_key: bool = False) -> Iterator[tuple]:
    """Each learner's points per dimension over the blocks (``None`` where they have no score on a
    dimension), one tuple per learner in :data:`DIMENSION_IDS` order, in no particular order.

    One statement: a range read per block of the covering index ``(block_key, learner_key,
    dimension, earned)``, selected by the blocks' 64-bit numbers (:func:`.models.block_key`) and
    grouped by the learners' (:func:`.models.learner_key`), which the database groups in memory;
    neither usage ids nor anonymous ids are read or compared. With ``by_key``, ``usage_ids`` are the
    blocks' numbers already.
    """
    qn = connection.ops.quote_name
    table = qn(DimensionScore._meta.db_table)
    keys = sorted(set(usage_ids) if by_key else {block_key(usage_id) for usage_id in usage_ids})
    sums = ", ".join(f"SUM(CASE WHEN {qn('dimension')} = %s THEN {qn('earned')} END)" for _dim in DIMENSION_IDS)
    sql = (f"SELECT {sums} FROM {table} WHERE {qn('block_key')} IN ({', '.join(['%s'] * len(keys))}) "
           f"GROUP BY {qn('learner_key')}")
    if connection.vendor == "mysql":
        sql += " ORDER BY NULL"  # MariaDB would otherwise sort the groups
    with connection.cursor() as cursor:
        cursor.execute(sql, [*DIMENSION_IDS, *keys])
        while True:
            rows = cursor.fetchmany(CSV_CHUNK * 10)
            if not rows:
                return
            yield from rows


def figures_of(counts: cohort_counts.Counts) -> Figures:
    """The figures ``counts`` give: per dimension its learners, median and histogram (exact, see
    :mod:`.cohort_counts`)."""
    result = []
    for dim in DIMENSION_IDS:
        by_percent = counts.by_dimension[dim]
        bins = [0] * HISTOGRAM_BINS
        for value, count in enumerate(by_percent):
            if count:
                bins[bin_of(value)] += count
        result.append(DimensionFigures(dim, sum(by_percent), cohort_counts.median_of(by_percent), tuple(bins)))
    return Figures(counts.learners, tuple(result))


def figures(usage_ids: Sequence[str], possible: Mapping[str, float]) -> Figures:
    """Median and histogram per dimension over the learners who attempted it: one grouped query,
    counted per whole percent (:mod:`.cohort_counts`).

    A learner *attempted* a dimension when they have a score row on it in the scope; their percent
    is over every point the scope offers on it, attempted blocks or not.
    """
    learners = _learner_sums(usage_ids) if usage_ids else ()
    return figures_of(cohort_counts.Counts.of(learners, possible))
