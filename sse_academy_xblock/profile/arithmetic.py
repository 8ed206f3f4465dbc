"""A learner's Decent Work profile over a scope: points earned and possible per dimension.

Pure arithmetic, no database and no XBlock: the profile block gives it what the graded blocks of its
scope (a section or the whole course) can award and what the learner earned (rows of the score
table), and shows the result.

Rules:
- *possible* per dimension is the sum over the scope's graded blocks of what each block's content can
  award on that dimension, attempted or not: a learner who has not started sees "0 of 12 points: not
  started", which differs from a dimension the scope does not assess ("No points in this section");
- *earned* per dimension is the sum of the learner's recorded points on the scope's blocks, and is
  never more than the possible points of that dimension (a score recorded before an author lowered
  the points of a question cannot push a bar past 100%);
- a dimension is *attempted* when the learner has at least one score row on it in the scope;
- dimensions always come in the order of :mod:`sse_academy_xblock.dimensions`, all four of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .. import l10n
from ..dimensions import DIMENSION_IDS, is_dimension, label

_EPSILON = 1e-9


def _points(value) -> float:
    """A block's possible points on one dimension: a number, or a ``{'possible': x}`` breakdown entry."""
    if isinstance(value, Mapping):
        value = value.get("possible", 0)
    try:
        number = float(value or 0)
    except (TypeError, ValueError):
        return 0.0
    if number != number or number < 0 or number == float("inf"):
        return 0.0
    return number


def _round(value: float) -> float:
    return round(value + 0.0, 4)


def percent(earned: float, possible: float) -> int:
    """Whole percent, rounded half up, 0 when nothing can be earned; never above 100."""
    if possible <= _EPSILON:
        return 0
    share = max(0.0, min(1.0, earned / possible))
    return int(share * 100 + 0.5 + _EPSILON)


def possible_totals(blocks_possible: Iterable[Mapping]) -> dict[str, float]:
    """Sum what each graded block can award, per dimension; unknown dimensions are ignored."""
    totals = {dim: 0.0 for dim in DIMENSION_IDS}
    for child in blocks_possible:
        for dim, value in (child or {}).items():
            if is_dimension(dim):
                totals[dim] = _round(totals[dim] + _points(value))
    return totals


def earned_totals(rows: Iterable, possible: Mapping[str, float]) -> dict[str, float]:
    """Sum a learner's ``(dimension, earned)`` rows per dimension, capped at the possible points."""
    sums = {dim: 0.0 for dim in DIMENSION_IDS}
    for dim, earned in rows:
        if is_dimension(dim):
            sums[dim] += max(0.0, float(earned or 0))
    return {dim: _round(min(sums[dim], possible.get(dim, 0.0))) for dim in DIMENSION_IDS}


@dataclass(frozen=True)
class DimensionLine:
    dimension: str
    earned: float
    possible: float
    attempted: bool = False

    @property
    def percent(self) -> int:
        return percent(self.earned, self.possible)

    @property
    def counts(self) -> bool:
        """Whether the scope offers points on this dimension at all."""
        return self.possible > _EPSILON


@dataclass(frozen=True)
class Profile:
    """Earned and possible points per dimension (all four, canonical order) and overall."""

    lines: tuple[DimensionLine, ...]

    @property
    def earned(self) -> float:
        return _round(sum(line.earned for line in self.lines))

    @property
    def possible(self) -> float:
        return _round(sum(line.possible for line in self.lines))

    @property
    def percent(self) -> int:
        return percent(self.earned, self.possible)

    @property
    def has_points(self) -> bool:
        return self.possible > _EPSILON

    @property
    def attempted(self) -> bool:
        return any(line.attempted for line in self.lines)

    def line(self, dimension: str) -> DimensionLine:
        return next(line for line in self.lines if line.dimension == dimension)


def build(possible: Mapping[str, float], earned_rows: Iterable) -> Profile:
    """A profile from per-dimension possible totals and the learner's ``(dimension, earned)`` rows."""
    rows = list(earned_rows)
    earned = earned_totals(rows, possible)
    attempted = {dim for dim, _earned in rows if is_dimension(dim) and possible.get(dim, 0.0) > _EPSILON}
    return Profile(
        tuple(
            DimensionLine(dim, earned[dim], _round(possible.get(dim, 0.0)), dim in attempted)
            for dim in DIMENSION_IDS
        )
    )


def from_blocks(blocks_possible: Iterable[Mapping], earned_rows: Iterable) -> Profile:
    """Shortcut: sum the blocks' possible points, then build the learner's profile."""
    return build(possible_totals(blocks_possible), earned_rows)


def points_text(earned: float, possible: float, translator) -> str:
    """"3 of 5 points (60%)", with the plural chosen by the possible points."""
    template = translator.ngettext(
        "%(earned)s of %(possible)s point (%(percent)s)", "%(earned)s of %(possible)s points (%(percent)s)",
        l10n.plural_count(possible),
    )
    return template % {
        "earned": l10n.number(earned), "possible": l10n.number(possible), "percent": l10n.percentage(percent(earned, possible))
    }


def not_started_text(possible: float, translator) -> str:
    """"0 of 12 points: not started" (the learner has no score on this dimension yet)."""
    template = translator.ngettext(
        "0 of %(possible)s point: not started", "0 of %(possible)s points: not started", l10n.plural_count(possible)
    )
    return template % {"possible": l10n.number(possible)}
