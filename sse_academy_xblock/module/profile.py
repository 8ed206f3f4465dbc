"""A learner's Decent Work profile for one module: points earned and possible per dimension.

Pure arithmetic, no database and no XBlock: the module block gives it what its graded children can
award (their content) and what the learner earned (rows of the score table), and shows the result.

Rules:
- *possible* per dimension is the sum over the graded children of what each child's content can
  award on that dimension; learners who have not attempted anything see the same possible points;
- *earned* per dimension is the sum of the learner's recorded points on the module's children, and is
  never more than the possible points of that dimension (a score recorded before an author lowered
  the points of a question cannot push a bar past 100%);
- dimensions always come in the order of :mod:`sse_academy_xblock.dimensions`, all four of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..dimensions import DIMENSION_IDS, is_dimension, label
from ..olx import format_number

_EPSILON = 1e-9


def _points(value) -> float:
    """A child's possible points on one dimension: a number, or a ``{'possible': x}`` breakdown entry."""
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


def possible_totals(children_possible: Iterable[Mapping]) -> dict[str, float]:
    """Sum what each graded child can award, per dimension; unknown dimensions are ignored."""
    totals = {dim: 0.0 for dim in DIMENSION_IDS}
    for child in children_possible:
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

    @property
    def percent(self) -> int:
        return percent(self.earned, self.possible)


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

    def line(self, dimension: str) -> DimensionLine:
        return next(line for line in self.lines if line.dimension == dimension)

    def to_dict(self, translator) -> dict:
        """The profile as JSON-ready data with every learner-facing text already translated.

        ``translator`` has ``gettext`` and ``ngettext`` (the block's :class:`BlockTranslator`).
        """
        dimensions = []
        for line in self.lines:
            dimensions.append(
                {
                    "id": line.dimension,
                    "label": label(line.dimension, translator.gettext),
                    "earned": line.earned,
                    "possible": line.possible,
                    "percent": line.percent,
                    "earned_text": format_number(line.earned),
                    "possible_text": format_number(line.possible),
                    "summary": summary_text(line.earned, line.possible, translator),
                    "counts": line.possible > _EPSILON,
                }
            )
        return {
            "dimensions": dimensions,
            "earned": self.earned,
            "possible": self.possible,
            "percent": self.percent,
            "earned_text": format_number(self.earned),
            "possible_text": format_number(self.possible),
            "summary": summary_text(self.earned, self.possible, translator),
            "has_points": self.has_points,
        }


def summary_text(earned: float, possible: float, translator) -> str:
    """"3 of 5 points (60%)", with the plural chosen by the possible points."""
    count = int(possible) if float(possible).is_integer() else 2
    template = translator.ngettext(
        "%(earned)s of %(possible)s point (%(percent)s%%)", "%(earned)s of %(possible)s points (%(percent)s%%)", count
    )
    return template % {
        "earned": format_number(earned), "possible": format_number(possible), "percent": percent(earned, possible)
    }


def build(possible: Mapping[str, float], earned_rows: Iterable) -> Profile:
    """A profile from per-dimension possible totals and the learner's ``(dimension, earned)`` rows."""
    earned = earned_totals(earned_rows, possible)
    return Profile(
        tuple(DimensionLine(dim, earned[dim], _round(possible.get(dim, 0.0))) for dim in DIMENSION_IDS)
    )


def from_children(children_possible: Iterable[Mapping], earned_rows: Iterable) -> Profile:
    """Shortcut: sum the children's possible points, then build the learner's profile."""
    return build(possible_totals(children_possible), earned_rows)


# Geometry of the bar chart, shared by the server-rendered SVG and the JavaScript that redraws it.
CHART_ROW_HEIGHT = 46
CHART_BAR_OFFSET = 22
CHART_BAR_HEIGHT = 16
CHART_TEXT_OFFSET = 15


def chart(data: dict) -> dict:
    """Row positions for the SVG bars of a profile given as :meth:`Profile.to_dict` data."""
    rows = []
    for index, dim in enumerate(data["dimensions"]):
        top = index * CHART_ROW_HEIGHT
        rows.append(
            {
                **dim,
                "text_y": top + CHART_TEXT_OFFSET,
                "bar_y": top + CHART_BAR_OFFSET,
                "bar_width": dim["percent"],
            }
        )
    return {
        "rows": rows,
        "height": len(rows) * CHART_ROW_HEIGHT,
        "bar_height": CHART_BAR_HEIGHT,
    }


def chart_constants() -> dict:
    return {
        "row_height": CHART_ROW_HEIGHT,
        "bar_offset": CHART_BAR_OFFSET,
        "bar_height": CHART_BAR_HEIGHT,
        "text_offset": CHART_TEXT_OFFSET,
    }
