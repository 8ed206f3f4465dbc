"""Whole-test statistics (insight.score_statistics) against computations done here, independently, on the raw scores.

The worked example is the one of docs/insight.md ("Whole-test statistics"): ten learners, four questions of
one point, right or wrong. Every expected figure is computed in the test from the learners' answers with
the standard library (``statistics``) and the textbook formulas, never through the module's sums.
"""

from __future__ import annotations

import math
import random
import statistics

import pytest

from sse_academy_xblock.insight import item_statistics, score_statistics
from sse_academy_xblock.insight.item_statistics import Answer
from sse_academy_xblock.quiz import grading
from sse_academy_xblock.quiz.questions import ALL_OR_NOTHING, PARTIAL, Choice, Question

# The worked example: rows are learners, columns questions q1..q4 (1 = right).
MATRIX = [
    (1, 1, 1, 1), (1, 1, 1, 0), (1, 1, 1, 0), (1, 1, 0, 1), (1, 1, 0, 0),
    (1, 0, 1, 0), (1, 0, 0, 0), (0, 1, 0, 0), (1, 0, 0, 0), (0, 0, 0, 0),
]
IDS = ["q1", "q2", "q3", "q4"]


def _attempts(matrix, ids=IDS, points=None):
    points = points or [1.0] * len(ids)
    return [{qid: Answer(float(v) * p, p) for qid, v, p in zip(ids, row, points) if v is not None} for row in matrix]


def _figures(attempts, ids=IDS):
    quiz, questions = score_statistics.aggregate_all(attempts)
    return score_statistics.analyse(quiz, questions, ids)


# Independent computations ---------------------------------------------------------------------------------

def _percent_scores(attempts):
    return [100 * sum(a.earned for a in att.values()) / sum(a.possible for a in att.values()) for att in attempts]


def _shares(attempts, qid):
    """Question qid's share of each attempt's score (percent), None where the attempt lacks the question."""
    out = []
    for att in attempts:
        possible = sum(a.possible for a in att.values())
        out.append(100 * att[qid].earned / possible if qid in att else None)
    return out


def _k_statistics(scores):
    n = len(scores)
    mean = sum(scores) / n
    m2 = sum((s - mean) ** 2 for s in scores) / n
    m3 = sum((s - mean) ** 3 for s in scores) / n
    m4 = sum((s - mean) ** 4 for s in scores) / n
    k2 = n * m2 / (n - 1)
    k3 = n * n * m3 / ((n - 1) * (n - 2))
    k4 = n * n * ((n + 1) * m4 - 3 * (n - 1) * m2 * m2) / ((n - 1) * (n - 2) * (n - 3))
    return k3 / k2 ** 1.5, k4 / k2 ** 2


def _alpha(attempts, ids):
    """The documented alpha: k/(k-1) (1 - sum (n_i/n) var_i / var), variances over who answered."""
    scores = _percent_scores(attempts)
    n = len(scores)
    terms, k = 0.0, 0.0
    for qid in ids:
        values = [v for v in _shares(attempts, qid) if v is not None]
        if len(values) > 1:
            terms += len(values) / n * statistics.variance(values)
        k += len(values) / n
    return k / (k - 1) * (1 - terms / statistics.variance(scores))


def _alpha_without(attempts, ids, removed):
    """Alpha of the scores without the question (its share taken out, nothing re-scaled)."""
    shares = _shares(attempts, removed)
    scores = [p - (z or 0.0) for p, z in zip(_percent_scores(attempts), shares)]
    n = len(scores)
    terms, k = 0.0, 0.0
    for qid in ids:
        if qid == removed:
            continue
        values = [v for v in _shares(attempts, qid) if v is not None]
        if len(values) > 1:
            terms += len(values) / n * statistics.variance(values)
        k += len(values) / n
    return k / (k - 1) * (1 - terms / statistics.variance(scores))


def _efficiency(attempts, qid):
    """Moodle's discriminative efficiency: cov(z, rest) / the covariance of both sorted and paired."""
    pairs = [(z, p - z) for z, p in zip(_shares(attempts, qid), _percent_scores(attempts)) if z is not None]
    zs, rests = [z for z, _ in pairs], [r for _, r in pairs]
    n = len(pairs)
    mz, mr = sum(zs) / n, sum(rests) / n
    covariance = sum((z - mz) * (r - mr) for z, r in pairs) / (n - 1)
    largest = sum((z - mz) * (r - mr) for z, r in zip(sorted(zs), sorted(rests))) / (n - 1)
    return 100 * covariance / largest


# The worked example ----------------------------------------------------------------------------------------

def test_the_worked_example_of_the_docs_by_hand():
    figures = _figures(_attempts(MATRIX))
    scores = [100, 75, 75, 75, 50, 50, 25, 25, 25, 0]
    assert _percent_scores(_attempts(MATRIX)) == scores
    assert figures.learners == 10 and figures.same_questions and figures.kr20
    assert figures.mean == 50.0 and figures.median == 50.0
    # s^2 = 8750 / 9; the sum of cubed deviations is 0.
    assert figures.sd == pytest.approx(math.sqrt(8750 / 9)) == pytest.approx(31.18, abs=0.005)
    assert figures.skewness == pytest.approx(0.0, abs=1e-12)
    # k4 = 100 (11 * 1,484,375 - 27 * 875^2) / 504; kurtosis = k4 / k2^2
    k4 = 100 * (11 * 1_484_375 - 27 * 875 ** 2) / 504
    assert figures.kurtosis == pytest.approx(k4 / (8750 / 9) ** 2) == pytest.approx(-0.9118, abs=5e-5)
    # KR-20 with p q: (4/3) (1 - (.16 + .24 + .24 + .16) * 625 / 875) = 4/7
    assert figures.alpha == pytest.approx(4 / 7)
    p = [sum(col) / 10 for col in zip(*MATRIX)]
    kr20 = 4 / 3 * (1 - sum(x * (1 - x) for x in p) / statistics.pvariance([s / 100 * 4 for s in scores]))
    assert figures.alpha == pytest.approx(kr20)
    assert figures.error_ratio == pytest.approx(100 * math.sqrt(3 / 7)) == pytest.approx(65.47, abs=0.005)
    assert figures.sem == pytest.approx(math.sqrt(8750 / 9) * math.sqrt(3 / 7)) == pytest.approx(20.41, abs=0.005)
    assert figures.distribution == (1, 0, 3, 0, 0, 2, 0, 3, 0, 1)


def test_the_worked_example_per_question_by_hand():
    attempts = _attempts(MATRIX)
    figures = _figures(attempts)
    for qid in IDS:
        assert figures.questions[qid].alpha_if_removed == pytest.approx(_alpha_without(attempts, IDS, qid))
        assert figures.questions[qid].discriminative_efficiency == pytest.approx(_efficiency(attempts, qid))
    # q1 by hand: without it, the three other questions' KR-20 over the scores 75, 50, 50, 50, 25, 25, 0, 25, 0, 0.
    rest = [sum(row[1:]) for row in MATRIX]
    p = [sum(col) / 10 for col in list(zip(*MATRIX))[1:]]
    kr20 = 3 / 2 * (1 - sum(x * (1 - x) for x in p) / statistics.pvariance(rest))
    assert figures.questions["q1"].alpha_if_removed == pytest.approx(kr20)


def test_cronbach_alpha_on_partial_credit_and_unequal_points_matches_the_item_variance_formula():
    rng = random.Random(7)
    ids = ["a", "b", "c", "d", "e"]
    points = [1.0, 2.0, 3.0, 1.0, 2.0]
    matrix = []
    for _ in range(40):
        ability = rng.random()
        matrix.append(tuple(min(1.0, max(0.0, round(ability + rng.uniform(-0.4, 0.4), 2))) for _ in ids))
    attempts = _attempts(matrix, ids, points)
    figures = _figures(attempts, ids)
    # Cronbach on points (what Moodle computes): k/(k-1) (1 - sum var(item points) / var(total points)).
    items = [[row[i] * points[i] for row in matrix] for i in range(len(ids))]
    totals = [sum(col) for col in zip(*items)]
    cronbach = 5 / 4 * (1 - sum(statistics.variance(col) for col in items) / statistics.variance(totals))
    assert not figures.kr20 and figures.same_questions
    # Within the rounding of each question's share to a millionth of the score.
    assert figures.alpha == pytest.approx(cronbach, abs=1e-4)
    scores = _percent_scores(attempts)
    assert figures.mean == pytest.approx(statistics.mean(scores), abs=1e-3)
    assert figures.sd == pytest.approx(statistics.stdev(scores), abs=1e-3)
    skewness, kurtosis = _k_statistics(scores)
    # Scores are kept to a millionth; the higher moments agree to about 1e-3.
    assert figures.skewness == pytest.approx(skewness, abs=1e-3)
    assert figures.kurtosis == pytest.approx(kurtosis, abs=1e-3)
    assert figures.median == statistics.median(math.floor(s + 0.5) for s in scores)
    for qid in ids:
        assert figures.questions[qid].alpha_if_removed == pytest.approx(_alpha_without(attempts, ids, qid), abs=1e-4)


def test_learners_who_lack_questions_are_scored_on_their_own_points_and_alpha_weights_each_question():
    """q5 was added after four learners submitted; pools: each learner drew 3 of 5 equal questions."""
    added_late = [row + ((1 if i % 3 else 0) if i >= 4 else None,) for i, row in enumerate(MATRIX)]
    ids = IDS + ["q5"]
    attempts = _attempts(added_late, ids)
    figures = _figures(attempts, ids)
    assert not figures.same_questions
    assert figures.questions_per_attempt == pytest.approx((10 * 4 + 6) / 10)
    scores = _percent_scores(attempts)
    assert figures.mean == pytest.approx(statistics.mean(scores), abs=1e-3)
    assert figures.sd == pytest.approx(statistics.stdev(scores), abs=1e-3)
    assert figures.alpha == pytest.approx(_alpha(attempts, ids), abs=1e-5)
    for qid in ids:
        assert figures.questions[qid].alpha_if_removed == pytest.approx(_alpha_without(attempts, ids, qid), abs=1e-4)

    rng = random.Random(11)
    pool = ["p1", "p2", "p3", "p4", "p5"]
    drawn = []
    for _ in range(60):
        ability = rng.random()
        picks = rng.sample(pool, 3)
        drawn.append({qid: Answer(float(rng.random() < ability), 1.0) for qid in picks})
    figures = _figures(drawn, pool)
    assert figures.questions_per_attempt == pytest.approx(3.0) and not figures.same_questions
    assert figures.alpha == pytest.approx(_alpha(drawn, pool), abs=1e-5)
    for qid in pool:
        assert figures.questions[qid].alpha_if_removed == pytest.approx(_alpha_without(drawn, pool, qid), abs=1e-5)
        assert figures.questions[qid].discriminative_efficiency == pytest.approx(_efficiency(drawn, qid), abs=0.5)


def test_minimum_counts_give_none_never_a_made_up_number():
    figures = _figures(_attempts(MATRIX[:9]))
    assert figures.mean is not None and figures.median is not None and figures.sd is not None
    assert figures.skewness is figures.kurtosis is figures.alpha is figures.sem is figures.error_ratio is None
    assert all(q.alpha_if_removed is None and q.discriminative_efficiency is None for q in figures.questions.values())
    same = _figures(_attempts([(1, 1, 0, 0)] * 12))
    assert same.sd == 0.0 and same.alpha is None and same.skewness is None
    empty = score_statistics.analyse(score_statistics.QuizTotals(), {}, IDS)
    assert empty.learners == 0 and empty.mean is None and empty.median is None and empty.sd is None
    one = _figures(_attempts(MATRIX[:1]))
    assert one.mean == 100.0 and one.median == 100.0 and one.sd is None


def test_the_median_is_that_of_the_scores_rounded_to_whole_percents():
    # 1/3 and 2/3 of the points: 33.33% and 66.67% round to 33 and 67.
    attempts = [{"a": Answer(1, 3)}, {"a": Answer(2, 3)}, {"a": Answer(2, 3)}]
    assert _figures(attempts, ["a"]).median == 67.0
    attempts.append({"a": Answer(1, 3)})
    assert _figures(attempts, ["a"]).median == 50.0  # (33 + 67) / 2
    assert score_statistics.median_from_bands({}) is None


def test_taking_an_attempt_away_leaves_the_sums_as_if_it_never_came():
    quiz = score_statistics.QuizTotals()
    for p in (1_000_000, 333_333, 666_667):
        quiz.add(p)
    quiz.add(333_333, -1)
    again = score_statistics.QuizTotals()
    for p in (1_000_000, 666_667):
        again.add(p)
    assert (quiz.n, quiz.sp, quiz.spp, quiz.s3, quiz.s4) == (again.n, again.sp, again.spp, again.s3, again.s4)
    assert {b: c for b, c in quiz.bands.items() if c} == again.bands
    # 100,000 learners at 100% fit the 64-bit columns.
    top = item_statistics.Z_SCALE
    assert 100_000 * max(top ** 2, top ** 3 // score_statistics.THIRD_POWER_DIVISOR,
                         top ** 4 // score_statistics.FOURTH_POWER_DIVISOR) < 2 ** 63


def _choice(qtype, correct, count=4, **extra):
    return Question(id="q", type=qtype, prompt="?", points=1,
                    choices=[Choice(id=f"c{i}", text=f"C{i}", correct=i in correct) for i in range(count)], **extra)


def test_random_guess_score_by_hand():
    assert grading.random_guess_score(_choice("single", {0})) == 0.25
    assert grading.random_guess_score(Question(id="q", type="truefalse", prompt="?", points=1, answer=True)) == 0.5
    # Two keyed of three: 7 non-empty selections, one of them right.
    assert grading.random_guess_score(_choice("multiple", {0, 1}, 3), ALL_OR_NOTHING) == pytest.approx(1 / 7)
    # Partial credit (hits - misses) / 2 over the 7 selections: {0}:.5 {1}:.5 {2}:0 {0,1}:1 {0,2}:0 {1,2}:0 {all}:.5
    assert grading.random_guess_score(_choice("multiple", {0, 1}, 3), PARTIAL) == pytest.approx(2.5 / 7)
    assert grading.random_guess_score(Question(id="q", type="text", prompt="?", points=1, accepted=["x"])) == 0.0
