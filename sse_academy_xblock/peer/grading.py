"""Peer-grade arithmetic: medians, rounding, divergence and the points sent to the LMS.

Rounding rule (documented in the README): per criterion, the grade is the median of the points
the counted reviews gave. With an even number of reviews the median is the mean of the two middle
values, which is either whole or ends in .5; a half point is rounded up, in the learner's favour
(4 and 5 give 5; 1 and 2 give 2; -3 and -2 give -2). The total is the sum of the rounded medians,
kept between 0 and the rubric's best total.

Agreement weighting (the block's "weight reviewers by agreement", off by default): each review's
points count with its reviewer's weight (``insight.agreement_statistics.agreement_weight``) and the
grade per criterion is the weighted median, a half point rounded up as above (:func:`weighted_peer_grade`).

Divergence: the spread of a submission's reviews is (highest review total - lowest review total)
divided by the rubric's best total; above the block's threshold the submission is marked for staff.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..insight.agreement_statistics import weighted_median


def median_half_up(values: list[int]) -> int:
    """The median of whole numbers, a half rounded up. ``values`` must not be empty."""
    if not values:
        raise ValueError("the median of no values is undefined")
    ordered = sorted(int(v) for v in values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    pair = ordered[mid - 1] + ordered[mid]
    # floor((a + b) / 2 + 1/2) in integer arithmetic, correct for negative values too
    return (pair + 1) // 2


@dataclass(frozen=True)
class PeerGrade:
    medians: dict[str, int]
    raw_points: int
    points_possible: int
    review_totals: tuple[int, ...]
    spread: float


def review_total(points_by_criterion: dict[str, int]) -> int:
    return sum(int(p) for p in points_by_criterion.values())


def spread(totals, points_possible: int) -> float:
    """How far apart the reviewers were, as a fraction of the best total (0 with one review)."""
    totals = list(totals)
    if len(totals) < 2 or points_possible <= 0:
        return 0.0
    return (max(totals) - min(totals)) / points_possible


def is_divergent(spread_value: float, threshold: float) -> bool:
    """Strictly above the threshold; a threshold of 1 or more never triggers."""
    return spread_value > threshold + 1e-9


def peer_grade(criteria_names: list[str], points_possible: int, reviews: list[dict[str, int]]) -> PeerGrade:
    """Combine reviews (each ``{criterion_name: points}``) into a grade for one submission.

    A criterion that no counted review scored (the rubric changed under a review, which versioning
    prevents) contributes 0 rather than failing.
    """
    if not reviews:
        raise ValueError("a peer grade needs at least one review")
    medians = {}
    for name in criteria_names:
        values = [r[name] for r in reviews if name in r]
        medians[name] = median_half_up(values) if values else 0
    raw = sum(medians.values())
    raw = max(0, min(raw, points_possible))
    totals = tuple(review_total(r) for r in reviews)
    return PeerGrade(
        medians=medians, raw_points=raw, points_possible=points_possible,
        review_totals=totals, spread=spread(totals, points_possible),
    )


def weighted_peer_grade(criteria_names: list[str], points_possible: int, reviews: list[dict[str, int]],
                        weights: list[float]) -> PeerGrade:
    """As :func:`peer_grade`, but each criterion's grade is the weighted median of the reviews' points
    (``weights[i]`` for ``reviews[i]``), a half point rounded up. Equal weights give :func:`peer_grade`."""
    if not reviews:
        raise ValueError("a peer grade needs at least one review")
    if len(weights) != len(reviews):
        raise ValueError("one weight per review")
    medians = {}
    for name in criteria_names:
        pairs = [(r[name], w) for r, w in zip(reviews, weights) if name in r]
        medians[name] = math.floor(weighted_median(pairs) + 0.5) if pairs else 0
    raw = max(0, min(sum(medians.values()), points_possible))
    totals = tuple(review_total(r) for r in reviews)
    return PeerGrade(
        medians=medians, raw_points=raw, points_possible=points_possible,
        review_totals=totals, spread=spread(totals, points_possible),
    )


def round_half_up(value: float) -> int:
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


def lms_points(raw_points: int, points_possible: int, weight: float | None) -> tuple[int, int]:
    """Whole points for edx-submissions, weight applied (the LMS takes them as already weighted).

    Without a weight the LMS receives the rubric's points as they are. With a weight ``W`` the
    exercise is worth ``W`` points, as any weighted problem in Open edX; edx-submissions stores
    whole numbers, so ``W`` is rounded to a whole number (at least 1, never 0: a score with 0
    possible is hidden by the LMS) and the earned points are ``raw × W / best``, rounded half up.
    """
    if points_possible <= 0:
        raise ValueError("a grade needs a rubric worth more than 0 points")
    raw = max(0, min(int(raw_points), points_possible))
    if weight is None:
        return raw, points_possible
    possible = max(1, round_half_up(float(weight)))
    # round half up of raw * possible / points_possible, in exact integer arithmetic
    earned = (2 * raw * possible + points_possible) // (2 * points_possible)
    return min(earned, possible), possible
