"""Peer-grade arithmetic: medians with the documented rounding, divergence, LMS points."""

import pytest

from sse_academy_xblock.peer.grading import is_divergent, lms_points, median_half_up, peer_grade, spread


@pytest.mark.parametrize(
    "values, expected",
    [
        ([3], 3),
        ([0, 4, 2], 2),
        ([4, 5], 5),  # a half point is rounded up, in the learner's favour
        ([1, 2], 2),
        ([2, 2, 4, 4], 3),
        ([0, 1, 3, 4], 2),
        ([-3, -2], -2),
        ([-1, 0], 0),
        ([7, 1, 4, 4, 0], 4),
    ],
)
def test_median_half_up(values, expected):
    assert median_half_up(values) == expected


def test_median_of_nothing_is_an_error():
    with pytest.raises(ValueError):
        median_half_up([])


def test_peer_grade_sums_rounded_medians_per_criterion():
    reviews = [{"a": 2, "b": 4}, {"a": 0, "b": 4}, {"a": 2, "b": 2}, {"a": 1, "b": 0}]
    grade = peer_grade(["a", "b"], 8, reviews)
    assert grade.medians == {"a": 2, "b": 3}  # a: (1+2)/2 -> 2; b: (2+4)/2 = 3
    assert grade.raw_points == 5
    assert grade.review_totals == (6, 4, 4, 1)
    assert grade.spread == pytest.approx(5 / 8)


def test_peer_grade_total_is_kept_between_zero_and_best():
    assert peer_grade(["a"], 4, [{"a": -3}, {"a": -2}]).raw_points == 0


def test_peer_grade_needs_reviews():
    with pytest.raises(ValueError):
        peer_grade(["a"], 4, [])


def test_spread_and_divergence_threshold_is_strict():
    assert spread([4], 8) == 0
    assert spread([0, 4], 8) == 0.5
    assert not is_divergent(0.5, 0.5)
    assert is_divergent(0.51, 0.5)
    assert not is_divergent(1.0, 1.0)


@pytest.mark.parametrize(
    "raw, possible, weight, expected",
    [
        (6, 8, None, (6, 8)),  # no weight: the rubric's points as they are
        (6, 8, 8, (6, 8)),
        (6, 8, 16, (12, 16)),
        (5, 8, 4, (3, 4)),  # 2.5 rounds half up
        (3, 8, 1, (0, 1)),  # 0.375 of one point
        (4, 8, 1, (1, 1)),  # exactly a half: rounded up
        (0, 8, 10, (0, 10)),
        (-2, 8, None, (0, 8)),
        (9, 8, None, (8, 8)),
        (1, 1, 0.2, (1, 1)),  # possible is never 0: the LMS would hide the score
    ],
)
def test_lms_points_apply_weight_as_whole_numbers(raw, possible, weight, expected):
    assert lms_points(raw, possible, weight) == expected


def test_lms_points_refuse_a_rubric_worth_nothing():
    with pytest.raises(ValueError):
        lms_points(0, 0, None)
