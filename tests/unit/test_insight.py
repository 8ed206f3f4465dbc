"""Item analysis and reviewer agreement, checked against hand-computed and published examples."""

from __future__ import annotations

import random
from math import sqrt

import pytest

from sse_academy_xblock.insight import agreement_statistics, item_statistics
from sse_academy_xblock.insight.item_statistics import Answer, Item


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the worked example with missing data:
# 4 observers, 12 units, values 1-5. Published: nominal 0.743, ordinal 0.815, interval 0.849.
OBSERVERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
UNITS = [[row[i] for row in OBSERVERS] for i in range(12)]


def test_ordinal_alpha_matches_krippendorffs_worked_example():
    alpha = agreement_statistics.ordinal_alpha(UNITS)
    assert alpha.value == pytest.approx(0.815, abs=0.0005)
    assert alpha.units == 11  # unit 12 has a single value: not pairable
    assert alpha.values == 40


def test_the_coincidence_matrix_also_gives_the_published_nominal_and_interval_alphas():
    matrix, _units = agreement_statistics.coincidences(UNITS)
    totals = {}
    for (c, _k), weight in matrix.items():
        totals[c] = totals.get(c, 0) + weight
    n = sum(totals.values())

    def alpha(distance):
        observed = sum(w * distance(c, k) for (c, k), w in matrix.items())
        expected = sum(totals[c] * totals[k] * distance(c, k) for c in totals for k in totals)
        return 1 - (n - 1) * observed / expected

    assert alpha(lambda c, k: c != k) == pytest.approx(0.743, abs=0.0005)
    assert alpha(lambda c, k: (c - k) ** 2) == pytest.approx(0.849, abs=0.0005)


def test_alpha_is_one_for_perfect_agreement_and_undefined_without_variation():
    assert agreement_statistics.ordinal_alpha([[1, 1], [2, 2], [3, 3, 3]]).value == pytest.approx(1.0)
    assert agreement_statistics.ordinal_alpha([[2, 2], [2, 2, 2]]).value is None
    assert agreement_statistics.ordinal_alpha([[1], [2]]).value is None  # nothing pairable
    assert agreement_statistics.ordinal_alpha([[1], [2]]).units == 0


def test_systematic_disagreement_gives_a_negative_alpha():
    assert agreement_statistics.ordinal_alpha([[0, 3], [3, 0], [0, 3], [3, 0]]).value < 0


def test_reviewer_distance_is_measured_against_the_median_of_the_others():
    totals = {
        "r1": {"ann": 6, "bob": 6, "cy": 0},  # cy is 6 points (of 10) below the others
        "r2": {"ann": 8, "bob": 7, "cy": 2},
        "r3": {"ann": 5},  # alone: nothing to compare
    }
    standing = agreement_statistics.reviewer_distances(totals, points_possible=10)
    # ann: r1 |6 - median(6, 0)=3| = 3 -> 0.3; r2 |8 - median(7, 2)=4.5| = 3.5 -> 0.35
    assert standing["ann"].reviews == 2
    assert standing["ann"].mean_distance == pytest.approx((0.3 + 0.35) / 2)
    # cy: r1 |0 - 6| = 6 -> 0.6; r2 |2 - 7.5| = 5.5 -> 0.55
    assert standing["cy"].mean_distance == pytest.approx((0.6 + 0.55) / 2)
    assert standing["ann"].mean_distance < standing["cy"].mean_distance


def test_agreement_weight_applies_only_after_the_minimum_number_of_reviews():
    close = agreement_statistics.ReviewerStanding("a", reviews=5, mean_distance=0.1)
    far = agreement_statistics.ReviewerStanding("b", reviews=5, mean_distance=0.95)
    new = agreement_statistics.ReviewerStanding("c", reviews=2, mean_distance=0.9)
    assert agreement_statistics.agreement_weight(close, min_reviews=3) == pytest.approx(0.9)
    assert agreement_statistics.agreement_weight(far, min_reviews=3) == pytest.approx(0.1)  # floor: never discarded
    assert agreement_statistics.agreement_weight(new, min_reviews=3) == 1.0
    assert agreement_statistics.agreement_weight(None, min_reviews=3) == 1.0


def test_weighted_median():
    assert agreement_statistics.weighted_median([(1, 1), (2, 1), (9, 1)]) == 2
    assert agreement_statistics.weighted_median([(1, 1), (2, 1), (3, 1), (9, 1)]) == 2.5  # equal weights: usual median
    assert agreement_statistics.weighted_median([(1, 1), (5, 3)]) == 5
    assert agreement_statistics.weighted_median([(2, 0.1), (7, 1), (8, 1)]) == 7
    with pytest.raises(ValueError):
        agreement_statistics.weighted_median([])


# Ten learners; Q1 (single choice, key "a", 1 point, employment), Q2 (2 points, social dialogue).
Q1 = Item("q1", "employment", choices=("a", "b", "c"), correct=frozenset({"a"}))
Q2 = Item("q2", "social_dialogue")
Q1_CHOICES = [("b",), ("b",), ("b",), ("c",), (), ("a",), ("a",), ("a",), ("a",), ("a",)]
Q2_POINTS = [0, 0, 1, 0, 2, 2, 2, 1, 2, 2]
LEARNERS = [
    {"q1": Answer(1 if chosen == ("a",) else 0, 1, chosen), "q2": Answer(points, 2)}
    for chosen, points in zip(Q1_CHOICES, Q2_POINTS)
]


def test_item_statistics_match_a_hand_computation():
    analysis = item_statistics.analyse([Q1, Q2], LEARNERS)
    q1 = analysis.items[0]
    assert analysis.learners == 10 and q1.learners == 10
    assert q1.difficulty == 0.5
    # Point-biserial by its own formula: (M1 - M0) / s * sqrt(p q), rest score = Q2.
    m1, m0 = 9 / 5, 3 / 5
    mean = sum(Q2_POINTS) / 10
    s = sqrt(sum((x - mean) ** 2 for x in Q2_POINTS) / 10)
    assert q1.point_biserial == pytest.approx((m1 - m0) / s * sqrt(0.25))
    # Totals 0,0,1,0,2,3,3,2,3,3: bottom three (0,0,0) all wrong, top three all right.
    assert q1.upper_lower == 1.0
    assert q1.option_shares == {"a": 0.5, "b": 0.3, "c": 0.1}
    assert q1.top_wrong_option == "b"
    assert q1.hints == ()
    assert analysis.items[1].difficulty == 0.5  # five learners with 2 of 2


def test_a_broken_key_is_pointed_out():
    key = Item("q3", "rights_at_work", choices=("x", "y"), correct=frozenset({"x"}))
    rest = Item("q4", "rights_at_work")
    learners = [
        {"q3": Answer(1 if i < 3 else 0, 1, ("x",) if i < 3 else ("y",)), "q4": Answer(i, 9)} for i in range(10)
    ]
    q3 = item_statistics.analyse([key, rest], learners).items[0]
    assert q3.point_biserial < 0
    assert q3.upper_lower < 0
    assert q3.top_wrong_option == "y"
    assert set(q3.hints) == {item_statistics.HINT_NEGATIVE_DISCRIMINATION, item_statistics.HINT_WRONG_OPTION_BEATS_KEY}


def test_too_few_learners_or_no_variation_gives_no_discrimination_rather_than_zero():
    few = item_statistics.analyse([Q1, Q2], LEARNERS[:3]).items[0]
    assert few.point_biserial is None and few.upper_lower is None and few.difficulty == 0.0
    same = [{"q1": Answer(1, 1, ("a",)), "q2": Answer(i % 3, 2)} for i in range(12)]
    assert item_statistics.analyse([Q1, Q2], same).items[0].point_biserial is None


def test_dimension_summary():
    analysis = item_statistics.analyse([Q1, Q2], LEARNERS)
    by_dimension = {d.dimension: d for d in analysis.dimensions}
    assert [d.dimension for d in analysis.dimensions] == ["employment", "social_dialogue"]
    assert by_dimension["employment"].score_share == 0.5
    assert by_dimension["social_dialogue"].score_share == pytest.approx(12 / 20)
    assert by_dimension["employment"].difficulty == 0.5
    assert by_dimension["employment"].point_biserial == pytest.approx(analysis.items[0].point_biserial)


def test_a_question_added_after_some_learners_answered_counts_only_those_who_saw_it():
    later = Item("q9", "employment")
    learners = [dict(row) for row in LEARNERS]
    learners[0]["q9"] = Answer(1, 1)
    stats = item_statistics.analyse([Q1, later], learners).items[1]
    assert stats.learners == 1 and stats.difficulty == 1.0


def test_sums_give_the_same_correlation_as_the_definition():
    xs, ys = [1, 0, 1, 1, 0, 0.5, 1, 0], [3, 1, 2.5, 4, 0, 2, 3, 1.5]
    sums = dict(n=len(xs), sx=sum(xs), sy=sum(ys), sxx=sum(x * x for x in xs), syy=sum(y * y for y in ys),
                sxy=sum(x * y for x, y in zip(xs, ys)))
    assert item_statistics.pearson_from_sums(**sums) == pytest.approx(item_statistics.pearson(xs, ys))
    assert item_statistics.pearson_from_sums(3, 3, 6, 3, 14, 6) is None  # everyone right: no variation
    assert item_statistics.pearson_from_sums(1, 1, 1, 1, 1, 1) is None


def test_score_bands_are_whole_percents_rounded_down():
    assert [item_statistics.band_of(e, 3) for e in (0, 1, 2, 3)] == [0, 33, 66, 100]
    assert item_statistics.band_of(0.3, 0.3 + 0.6) == 33
    assert item_statistics.band_of(5, 0) == 0 and item_statistics.band_of(7, 5) == 100


def test_a_group_that_ends_inside_a_tie_takes_the_tied_learners_in_proportion():
    # Ten learners, groups of 3 (27% of 10, rounded). Scores: four at the top band (two with full credit),
    # three at the bottom (none with full credit), three in the middle.
    bands = {100: [4, 2], 50: [3, 3], 0: [3, 0]}
    # Upper group: 3 of the 4 tied top learners, so 3 * 2/4 = 1.5 with full credit; lower: 0.
    assert item_statistics.upper_lower_from_bands(bands) == pytest.approx(1.5 / 3)
    assert item_statistics.upper_lower_from_bands({100: [5, 5], 0: [4, 0]}) is None  # nine learners: not enough


def test_contributions_are_integers_that_a_resubmission_takes_away_exactly():
    first = {"q1": Answer(1, 1, ("a",)), "q2": Answer(1 / 3, 1)}
    again = {"q1": Answer(0, 1, ("b",)), "q2": Answer(2 / 3, 1)}
    totals = item_statistics.QuestionTotals()
    for c in item_statistics.contributions(first):
        if c.question == "q2":
            assert (c.x, c.y, c.band, c.full) == (3333, 100, 66, False)  # 1/3 of q2; rest 1 point; 1.33 of 2 = 66%
            totals.add(c)
    for c in item_statistics.contributions(first):
        if c.question == "q2":
            totals.add(c, -1)
    for c in item_statistics.contributions(again):
        if c.question == "q2":
            totals.add(c)
    _count, fresh = item_statistics.aggregate([again])
    assert (totals.n, totals.sx, totals.sxx, totals.sy, totals.syy, totals.sxy, totals.earned) == (
        fresh["q2"].n, fresh["q2"].sx, fresh["q2"].sxx, fresh["q2"].sy, fresh["q2"].syy, fresh["q2"].sxy,
        fresh["q2"].earned)
    assert {b: c for b, c in totals.bands.items() if c[0]} == fresh["q2"].bands


def _seeded_cohort(count: int = 30, seed: int = 24):
    """A seeded cohort: everyone right on "same", everyone wrong on "none", varied answers elsewhere."""
    rng = random.Random(seed)
    cohort = []
    for _ in range(count):
        ability = rng.random()
        right = rng.random() < ability
        cohort.append({
            "same": Answer(1, 1, ("a",)),
            "none": Answer(0, 1, ("b",)),
            "varied": Answer(1 if right else 0, 1, ("a",) if right else ("b",)),
            "rest": Answer(round(ability * 8), 8),
        })
    return cohort


SAME = Item("same", "rights_at_work", choices=("a", "b"), correct=frozenset({"a"}))
NONE = Item("none", "rights_at_work", choices=("a", "b"), correct=frozenset({"a"}))
VARIED = Item("varied", "rights_at_work", choices=("a", "b"), correct=frozenset({"a"}))
REST = Item("rest", "employment")


def test_a_question_without_variation_has_no_discrimination_figure_and_stays_out_of_the_dimension_means():
    analysis = item_statistics.analyse([SAME, NONE, VARIED, REST], _seeded_cohort())
    same, none, varied, _rest = analysis.items
    assert same.difficulty == 1.0 and none.difficulty == 0.0
    for stats in (same, none):
        assert stats.point_biserial is None and stats.upper_lower is None
    assert varied.point_biserial is not None and varied.upper_lower is not None
    rights = next(d for d in analysis.dimensions if d.dimension == "rights_at_work")
    assert rights.upper_lower == pytest.approx(varied.upper_lower)
    assert rights.point_biserial == pytest.approx(varied.point_biserial)
    # Everyone chose the wrong option of "none": nothing but the key can explain it.
    assert item_statistics.HINT_WRONG_OPTION_BEATS_KEY in none.hints


def _true_false(key: str):
    """Twenty learners; the eight best (by the rest of the quiz) answer "true", the others "false"."""
    item = Item("tf", "employment", choices=("true", "false"), correct=frozenset({key}))
    learners = []
    for i in range(20):
        chosen = "true" if i >= 12 else "false"
        learners.append({"tf": Answer(1 if chosen == key else 0, 1, (chosen,)), "rest": Answer(i // 2, 10)})
    return item_statistics.analyse([item, REST], learners).items[0]


def test_a_hard_question_that_discriminates_well_is_not_told_to_check_its_key():
    hard = _true_false("true")
    assert hard.option_shares == {"true": 0.4, "false": 0.6} and hard.top_wrong_option == "false"
    assert hard.point_biserial >= item_statistics.KEY_CHECK_DISCRIMINATION
    assert hard.hints == ()


def test_a_wrong_option_chosen_more_than_a_key_that_does_not_discriminate_is_pointed_out():
    broken = _true_false("false")  # the key says "false", which the weaker learners chose
    assert broken.top_wrong_option == "true" and broken.option_shares["true"] < broken.option_shares["false"]
    assert broken.hints == (item_statistics.HINT_NEGATIVE_DISCRIMINATION,)
    # A key chosen less than a wrong option, on a question that does not discriminate: check the key.
    item = Item("w", "employment", choices=("a", "b"), correct=frozenset({"a"}))
    learners = [{"w": Answer(1 if i % 3 == 0 else 0, 1, ("a",) if i % 3 == 0 else ("b",)), "rest": Answer(i % 2, 1)}
                for i in range(20)]
    weak = item_statistics.analyse([item, REST], learners).items[0]
    assert weak.point_biserial < item_statistics.KEY_CHECK_DISCRIMINATION
    assert item_statistics.HINT_WRONG_OPTION_BEATS_KEY in weak.hints


def test_the_mean_score_counts_partial_credit():
    learners = [{"p": Answer(earned, 2)} for earned in (2, 1, 1, 0)]
    stats = item_statistics.analyse([Item("p", "employment")], learners).items[0]
    assert stats.difficulty == 0.25 and stats.mean_score == 0.5


def test_a_select_all_question_is_checked_option_by_option():
    """Keys a and b; nearly everyone chooses a and b, and most also choose c. Compared as a single choice, c (a
    wrong option) is chosen less than the keys and nothing is found; option by option, more learners got c
    wrong (chose it) than right: that is what to check. Option a, chosen by all, is not pointed out."""
    item = Item("m", "employment", choices=("a", "b", "c", "d"), correct=frozenset({"a", "b"}), select_all=True)
    learners = []
    for i in range(20):
        chosen = ("a", "b", "c") if i % 4 else ("a", "b")  # 15 of 20 choose c too
        learners.append({"m": Answer(0 if "c" in chosen else 1, 1, chosen), "rest": Answer(i % 2, 1)})
    stats = item_statistics.analyse([item, REST], learners).items[0]
    assert stats.option_shares == {"a": 1.0, "b": 1.0, "c": 0.75, "d": 0.0}
    assert stats.wrong_options == ("c",)
    assert item_statistics.HINT_WRONG_OPTION_BEATS_KEY in stats.hints
    # as a single choice would have been judged: c (0.75) is not chosen more than the keys (1.0)
    single = item_statistics.analyse([Item("m", "employment", choices=item.choices, correct=item.correct), REST],
                                     learners).items[0]
    assert item_statistics.HINT_WRONG_OPTION_BEATS_KEY not in single.hints


def test_a_select_all_key_left_out_by_most_is_pointed_out():
    item = Item("m", "employment", choices=("a", "b", "c"), correct=frozenset({"a", "b"}), select_all=True)
    learners = [{"m": Answer(1 if i < 5 else 0, 1, ("a", "b") if i < 5 else ("a",)), "rest": Answer(i % 2, 1)}
                for i in range(20)]
    stats = item_statistics.analyse([item, REST], learners).items[0]
    assert stats.wrong_options == ("b",)
