"""Agreement between peer reviewers: Krippendorff's alpha (ordinal), and how far each reviewer sits from the others.

Krippendorff's alpha for one rubric criterion treats each response as a *unit* and each review's points on
that criterion as one *value*. Units with fewer than two values cannot be paired and are left out. From the
pairable values we build the coincidence matrix ``o[c][k]``: within a unit holding ``m`` values, every ordered
pair of values from two different reviews adds ``1 / (m - 1)``. With ``n_c`` the row sums and ``n`` their total,

    alpha = 1 - (n - 1) * sum(o[c][k] * d2(c, k)) / sum(n_c * n_k * d2(c, k))

where, for ordinal data, ``d2(c, k) = (sum of n_g for g from c to k - (n_c + n_k) / 2) ** 2`` over the values
g observed between c and k (Krippendorff, *Computing Krippendorff's Alpha-Reliability*, 2011). Alpha is 1 for
perfect agreement, about 0 for agreement no better than chance, and undefined when every value is the same
(no variation to agree on): :func:`ordinal_alpha` then returns ``None``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from statistics import median
from typing import Hashable, Iterable, Mapping

# Below this many pairable responses (responses with at least two reviews) an alpha says too little:
# the staff panel shows "not enough data" instead of a value.
MIN_UNITS_FOR_ALPHA = 5

# A reviewer's weight differs from 1 only once they have this many comparable reviews (reviews of
# graded responses that had at least one other counted review); until then every review weighs 1.
MIN_REVIEWS_FOR_WEIGHT = 3

# The lowest weight: a reviewer always as far from the others as the whole scale still counts a little.
MIN_WEIGHT = 0.1

# Krippendorff's guidance for alpha: from 0.800 the criterion can be relied on; from 0.667 it supports
# tentative conclusions only; below, the reviewers agree too little; below 0 they disagree systematically.
ALPHA_GOOD = 0.8
ALPHA_TENTATIVE = 0.667
ALPHA_GOOD_WORD, ALPHA_TENTATIVE_WORD, ALPHA_LOW_WORD, ALPHA_NEGATIVE_WORD = "reliable", "tentative", "low", "negative"


def alpha_verdict(value: float | None) -> str | None:
    """The verdict on an alpha, as a code the staff panel words (``None`` without a value)."""
    if value is None:
        return None
    if value >= ALPHA_GOOD:
        return ALPHA_GOOD_WORD
    if value >= ALPHA_TENTATIVE:
        return ALPHA_TENTATIVE_WORD
    return ALPHA_LOW_WORD if value >= 0 else ALPHA_NEGATIVE_WORD


@dataclass(frozen=True)
class Alpha:
    value: float | None
    units: int  # responses with at least two reviews scoring this criterion
    values: int  # pairable scores in those responses


def unit_coincidences(unit: Iterable[int]) -> dict[tuple[int, int], float]:
    """One unit's share of the coincidence matrix (empty when it holds fewer than two values)."""
    scores = [int(v) for v in unit if v is not None]
    m = len(scores)
    cells: dict[tuple[int, int], float] = defaultdict(float)
    if m < 2:
        return {}
    for i, c in enumerate(scores):
        for j, k in enumerate(scores):
            if i != j:
                cells[(c, k)] += 1.0 / (m - 1)
    return dict(cells)


def coincidences(units: Iterable[Iterable[int]]) -> tuple[dict[tuple[int, int], float], int]:
    """The coincidence matrix of the pairable units, and how many units were pairable.

    The matrix is a sum over units, so it can be kept up to date one unit at a time (the staff panel
    does: see ``peer.models.CriterionAgreement``) and alpha computed from the sum alone.
    """
    matrix: dict[tuple[int, int], float] = defaultdict(float)
    pairable = 0
    for unit in units:
        cells = unit_coincidences(unit)
        if not cells:
            continue
        pairable += 1
        for key, weight in cells.items():
            matrix[key] += weight
    return dict(matrix), pairable


def ordinal_alpha(units: Iterable[Iterable[int]]) -> Alpha:
    """Krippendorff's alpha with the ordinal metric over ``units`` (each: the scores one response received)."""
    matrix, pairable = coincidences(units)
    return alpha_from_coincidences(matrix, pairable)


def alpha_from_coincidences(matrix: Mapping[tuple[int, int], float], units: int) -> Alpha:
    """Ordinal alpha from a coincidence matrix ``{(c, k): o_ck}`` summed over ``units`` pairable units."""
    totals: dict[int, float] = defaultdict(float)
    for (c, _k), weight in matrix.items():
        totals[c] += weight
    n = sum(totals.values())
    values = sorted(totals)
    if n <= 1 or len(values) < 2:
        return Alpha(None, units, round(n))
    position = {value: index for index, value in enumerate(values)}
    cumulative = [0.0]
    for value in values:
        cumulative.append(cumulative[-1] + totals[value])

    def d2(c: int, k: int) -> float:
        low, high = sorted((position[c], position[k]))
        between = cumulative[high + 1] - cumulative[low]
        return (between - (totals[c] + totals[k]) / 2) ** 2

    observed = sum(weight * d2(c, k) for (c, k), weight in matrix.items())
    expected = sum(totals[c] * totals[k] * d2(c, k) for c in values for k in values)
    if expected == 0:
        return Alpha(None, units, round(n))
    return Alpha(1 - (n - 1) * observed / expected, units, round(n))


@dataclass(frozen=True)
class ReviewerStanding:
    reviewer: Hashable
    reviews: int  # reviews that could be compared (the response had at least one other review)
    mean_distance: float | None  # mean |own total - median of the others' totals| / best total, 0..1


def reviewer_distances(
    totals_by_response: Mapping[Hashable, Mapping[Hashable, int]], points_possible: int
) -> dict[Hashable, ReviewerStanding]:
    """How far each reviewer's totals sit from the median of the *other* reviews of the same responses.

    ``totals_by_response`` maps a response to ``{reviewer: review total}``. Distances are fractions of the
    rubric's best total so that blocks with different rubrics compare. A review alone on its response has
    nothing to be compared with and is not counted.
    """
    distances: dict[Hashable, list[float]] = defaultdict(list)
    scale = float(points_possible) if points_possible > 0 else 1.0
    for reviews in totals_by_response.values():
        for reviewer, total in reviews.items():
            others = [t for r, t in reviews.items() if r != reviewer]
            if others:
                distances[reviewer].append(abs(total - median(others)) / scale)
    standing = {}
    for reviewer, values in distances.items():
        standing[reviewer] = ReviewerStanding(reviewer, len(values), sum(values) / len(values))
    return standing


def review_distances(totals: list[tuple[Hashable, int]], points_possible: int) -> list[tuple[Hashable, float]]:
    """For one response's reviews ``[(reviewer, review total)]``: each review's distance from the median of
    the *other* reviews' totals, as a fraction of the rubric's best total. Empty with fewer than two reviews."""
    if len(totals) < 2:
        return []
    scale = float(points_possible) if points_possible > 0 else 1.0
    result = []
    for index, (reviewer, total) in enumerate(totals):
        others = [t for j, (_r, t) in enumerate(totals) if j != index]
        result.append((reviewer, abs(total - median(others)) / scale))
    return result


def agreement_weight(standing: ReviewerStanding | None, min_reviews: int = MIN_REVIEWS_FOR_WEIGHT) -> float:
    """A reviewer's weight for the weighted median: 1 until they have ``min_reviews`` comparable reviews,
    then ``1 - mean distance`` (a reviewer always as far as the whole scale from the others weighs nothing,
    but never less than 0.1, so that no review is silently discarded)."""
    if standing is None or standing.mean_distance is None or standing.reviews < min_reviews:
        return 1.0
    return max(MIN_WEIGHT, 1.0 - standing.mean_distance)


def weighted_median(values_and_weights: Iterable[tuple[float, float]]) -> float:
    """The weighted median: the smallest value at which the cumulative weight reaches half the total.

    When the cumulative weight lands exactly on half, the midpoint of that value and the next is returned,
    so equal weights give the ordinary median (the mean of the two middle values for an even count).
    """
    pairs = sorted((float(v), float(w)) for v, w in values_and_weights if w > 0)
    if not pairs:
        raise ValueError("the weighted median of no values is undefined")
    half = sum(w for _v, w in pairs) / 2
    running = 0.0
    for index, (value, weight) in enumerate(pairs):
        running += weight
        if abs(running - half) < 1e-9 and index + 1 < len(pairs):
            return (value + pairs[index + 1][0]) / 2
        if running > half:
            return value
    return pairs[-1][0]
