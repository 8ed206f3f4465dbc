"""The cohort's figures as counts: per dimension, how many learners stand at each whole percent.

Pure arithmetic, no database. A learner's percent on a dimension is a whole number from 0 to 100
(:func:`.arithmetic.percent` of their points in the scope, capped at the scope's possible points),
so 101 counts per dimension hold everything the figures need, exactly:

* the *histogram* adds the counts of each bin's percents (:func:`.cohort.bin_of`, :func:`.cohort.figures_of`);
* the *median* is read off the counts: the middle percent in order, or for an even number of learners
  the mean of the two middle ones rounded half up, the same rule and the same result as sorting every
  learner's percent (:func:`.cohort.median`); no approximation is involved;
* the *number of learners* is one more count: learners with at least one score row in the scope.

A change to one learner's scores moves them between counts (:meth:`Counts.move`): out of the count of
their old percent on each dimension they had attempted, into the count of their new percent on each
dimension they attempt now, and in or out of the cohort when they gain their first score row in the
scope or lose their last. The learner's points are always summed afresh from their rows (never a
running total with rounding carried over), so the counts after any sequence of changes equal a
recount of the table.

A learner's *sums* in the scope are given as a tuple in :data:`..dimensions.DIMENSION_IDS` order,
each the points summed over their rows on that dimension or ``None`` where they have none (the form
the cohort's grouped query returns), or ``None`` for a learner with no row in the scope at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..dimensions import DIMENSION_IDS
from . import arithmetic

PERCENTS = 101  # 0% to 100%

Sums = Sequence["float | None"] | None


def percents(sums: Sums, possible: Mapping[str, float]) -> dict[str, int]:
    """A learner's whole percent on each dimension they attempted that the scope offers points on."""
    if sums is None:
        return {}
    result = {}
    for dim, earned in zip(DIMENSION_IDS, sums):
        points = possible.get(dim, 0.0)
        if earned is not None and points > 0:
            result[dim] = arithmetic.percent(min(float(earned), points), points)
    return result


def median_of(counts: Sequence[int]) -> int | None:
    """The median percent of the learners counted in ``counts`` (index: percent), None if there are none.

    The same value as :func:`.cohort.median` over the list of their percents: the ``n // 2``-th
    percent in order (from 0) for an odd ``n``, the mean of the ``n / 2 - 1``-th and ``n / 2``-th
    rounded half up for an even one.
    """
    total = sum(counts)
    if total <= 0:
        return None
    wanted = [total // 2] if total % 2 else [total // 2 - 1, total // 2]
    found = []
    seen = 0
    for value, count in enumerate(counts):
        if count <= 0:
            continue
        seen += count
        while wanted and wanted[0] < seen:
            found.append(value)
            wanted.pop(0)
        if not wanted:
            break
    if len(found) == 1:
        return found[0]
    return int((found[0] + found[1]) / 2 + 0.5)


@dataclass
class Counts:
    """How many learners the scope has, and per dimension how many stand at each whole percent."""

    learners: int = 0
    by_dimension: dict[str, list[int]] = field(default_factory=lambda: {dim: [0] * PERCENTS for dim in DIMENSION_IDS})

    def add(self, sums: Sums, possible: Mapping[str, float], sign: int = 1) -> None:
        """Count one learner in (``sign`` 1) or out (-1) with ``sums``; nothing for ``None``."""
        if sums is None:
            return
        self.learners += sign
        for dim, value in percents(sums, possible).items():
            self.by_dimension[dim][value] += sign

    def move(self, old: Sums, new: Sums, possible: Mapping[str, float]) -> None:
        """One learner's scores changed from ``old`` to ``new`` sums."""
        self.add(old, possible, -1)
        self.add(new, possible, 1)

    @classmethod
    def of(cls, learners: Iterable[Sums], possible: Mapping[str, float]) -> "Counts":
        """A recount from every learner's sums."""
        counts = cls()
        for sums in learners:
            counts.add(sums, possible)
        return counts
