"""Whole-test statistics of a quiz, as Moodle's quiz statistics report defines them, from running totals.

Over a set of attempts (each learner's first, their last (counted) one, or every attempt), with one
score per attempt: the attempt's points earned as a share of *its* possible points (a percentage,
in millionths: ``item_statistics.Z_SCALE`` = 100%). Scoring on percentages lets learners who answered
different questions (a question added after they submitted, or questions drawn from a pool) be
compared on one scale; with every learner answering the same questions it is the points scale
multiplied by a constant, so every figure below is the one Moodle computes on points.

- **mean**, **median**, **standard deviation** (sample, n - 1), **skewness** and **kurtosis**
  (excess; the k-statistic estimates k3 / k2^1.5 and k4 / k2^2 Moodle uses);
- **coefficient of internal consistency** (Cronbach's alpha; KR-20 when every question is scored
  right or wrong, which alpha then equals): alpha = k / (k - 1) * (1 - sum of w_i s_i^2 / s^2), where
  s_i^2 is the sample variance of question i's share z_i of the score over the attempts that
  included it, w_i = n_i / n the share of attempts that included it, k = sum of w_i (the mean
  number of questions per attempt) and s^2 the variance of the scores. With every attempt
  including every question (w_i = 1) this is Cronbach's alpha exactly; with questions drawn from a
  pool, it is the alpha of a k-question test whose positions hold the questions each learner drew
  (the variance of each question counted over the learners who drew it);
- **error ratio** 100 * sqrt(1 - alpha) (in percent) and **standard error of measurement**
  s * sqrt(1 - alpha) (in percentage points of the score);
- per question: **alpha if the question were removed** (the same formula without the question:
  scores p - z_i, k - w_i, the question's term left out of the sum), and **discriminative
  efficiency**: the covariance of z_i with the rest of the score (p - z_i) over the largest
  covariance those two sets of values could have (both sorted and paired in order), as a
  percentage.

Everything comes from integer sums that one attempt adds and takes away again (:class:`QuizTotals`,
and the whole-test sums of :class:`~.item_statistics.QuestionTotals`), so the database keeps them
up to date and the staff panel reads them whatever the number of learners. Two figures need an
order and come from bands instead (documented in ``docs/insight.md``): the **median**, from the
scores rounded to whole percents (:func:`score_band`); the largest covariance of the discriminative
efficiency, from bands of one percent with the sum of the values in each.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

from .item_statistics import MIN_LEARNERS, X_SCALE, Z_SCALE, Answer, QuestionTotals, aggregate, contributions

# Each score's cube and fourth power are kept divided by these (rounded down), so that the sums of 100,000
# learners' scores fit in 64 bits; the figures then multiply them back.
THIRD_POWER_DIVISOR = 10 ** 6
FOURTH_POWER_DIVISOR = 10 ** 12
PERCENT = Z_SCALE // 100  # one percentage point in Z_SCALE units
DISTRIBUTION_GROUPS = 10  # the chart's groups: 0-9%, 10-19%, ..., 90-100%
ALPHA_GOOD = 0.8
ALPHA_ACCEPTABLE = 0.7


def score_band(p: int) -> int:
    """A score's band for the median and the distribution: its whole percent, rounded half up (0 to 100)."""
    return max(0, min(100, (p + PERCENT // 2) // PERCENT))


@dataclass
class QuizTotals:
    """Sums over one set of attempts of a quiz: what the whole-test figures need, nothing per learner."""

    n: int = 0
    sp: int = 0  # sum of scores (Z_SCALE units)
    spp: int = 0  # sum of squares
    s3: int = 0  # sum of cubes, each divided by THIRD_POWER_DIVISOR (rounded down)
    s4: int = 0  # sum of fourth powers, each divided by FOURTH_POWER_DIVISOR (rounded down)
    bands: dict = field(default_factory=dict)  # score_band -> attempts

    def add(self, p: int, sign: int = 1) -> None:
        self.n += sign
        self.sp += sign * p
        self.spp += sign * p * p
        self.s3 += sign * (p ** 3 // THIRD_POWER_DIVISOR)
        self.s4 += sign * (p ** 4 // FOURTH_POWER_DIVISOR)
        band = score_band(p)
        self.bands[band] = self.bands.get(band, 0) + sign


def aggregate_all(attempts: Iterable[Mapping[str, Answer]]) -> tuple[QuizTotals, dict[str, QuestionTotals]]:
    """Attempts (``{question id: Answer}`` each) as the quiz's sums and the per-question totals."""
    attempts = [a for a in attempts if a]
    quiz = QuizTotals()
    for answers in attempts:
        quiz.add(sum(c.z for c in contributions(answers)))
    _count, questions = aggregate(attempts)
    return quiz, questions


@dataclass(frozen=True)
class QuestionFigures:
    id: str
    alpha_if_removed: float | None
    discriminative_efficiency: float | None  # percent


@dataclass(frozen=True)
class WholeTest:
    learners: int  # attempts in the set (one per learner for first and last)
    mean: float | None  # percent
    median: float | None  # percent
    sd: float | None  # percentage points
    skewness: float | None
    kurtosis: float | None
    alpha: float | None
    kr20: bool  # every question scored right or wrong: alpha is KR-20
    error_ratio: float | None  # percent
    sem: float | None  # percentage points
    questions_per_attempt: float | None  # k
    same_questions: bool  # every attempt included every question
    distribution: tuple[int, ...]  # attempts per group of DISTRIBUTION_GROUPS
    questions: dict = field(default_factory=dict)  # question id -> QuestionFigures

    @property
    def enough(self) -> bool:
        return self.learners >= MIN_LEARNERS


def median_from_bands(bands: Mapping[int, int]) -> float | None:
    """The median of the scores rounded to whole percents (each band is one whole percent)."""
    n = sum(count for count in bands.values() if count > 0)
    if n <= 0:
        return None
    ordered = sorted(b for b, count in bands.items() if count > 0)

    def nth(rank: int) -> int:  # 1-based rank in ascending order
        seen = 0
        for band in ordered:
            seen += bands[band]
            if seen >= rank:
                return band
        return ordered[-1]

    if n % 2:
        return float(nth(n // 2 + 1))
    return (nth(n // 2) + nth(n // 2 + 1)) / 2


def distribution(bands: Mapping[int, int]) -> tuple[int, ...]:
    """Attempts per group of ten percents (0-9, ..., 80-89, 90-100) of the rounded scores."""
    groups = [0] * DISTRIBUTION_GROUPS
    for band, count in bands.items():
        if count > 0:
            groups[min(DISTRIBUTION_GROUPS - 1, band // (100 // DISTRIBUTION_GROUPS))] += count
    return tuple(groups)


def _variance(n: int, s: float, ss: float) -> float | None:
    """The sample variance (n - 1) from a count, a sum and a sum of squares."""
    if n < 2:
        return None
    return (ss - s * s / n) / (n - 1)


def _dichotomous(t: QuestionTotals) -> bool:
    """Every answer to the question had full credit or none (x is 0 or X_SCALE exactly when sum x^2 = X_SCALE sum x)."""
    return t.n > 0 and t.sxx == X_SCALE * t.sx


def _alpha(k: float, item_variance: float, total_variance: float) -> float | None:
    if k <= 1 or total_variance <= 0:
        return None
    return k / (k - 1) * (1 - item_variance / total_variance)


def largest_covariance_sum(a_bands: Mapping[int, Sequence[int]], b_bands: Mapping[int, Sequence[int]]) -> float:
    """The sum of products of two sets of values sorted and paired in order, from their bands.

    Each band is ``[count, sum of its values]``; inside a band every value counts as the band's mean.
    """
    def chunks(bands):
        return [[count, total / count] for band, (count, total) in sorted(bands.items()) if count > 0]

    a, b = chunks(a_bands), chunks(b_bands)
    i = j = 0
    out = 0.0
    while i < len(a) and j < len(b):
        take = min(a[i][0], b[j][0])
        out += take * a[i][1] * b[j][1]
        a[i][0] -= take
        b[j][0] -= take
        if not a[i][0]:
            i += 1
        if not b[j][0]:
            j += 1
    return out


def discriminative_efficiency(t: QuestionTotals | None) -> float | None:
    """100 * cov(z, p - z) / the largest covariance the same values could have (paired in order)."""
    if t is None or t.n < MIN_LEARNERS:
        return None
    n = t.n
    sr = t.sp - t.sz
    if n * t.szz - t.sz * t.sz <= 0:
        return None
    srr = t.spp - 2 * t.szp + t.szz
    if n * srr - sr * sr <= 0:
        return None
    szr = t.szp - t.szz
    covariance = (szr - t.sz * sr / n) / (n - 1)
    largest = (largest_covariance_sum(t.zbands, t.rbands) - t.sz * sr / n) / (n - 1)
    if largest <= 0:
        return None
    return 100 * covariance / largest


def analyse(quiz: QuizTotals, questions: Mapping[str, QuestionTotals], question_ids: Sequence[str]) -> WholeTest:
    """The whole-test figures of one set of attempts over the quiz's current questions ``question_ids``.

    Minimum counts: mean, median and distribution need one attempt; the standard deviation two;
    skewness, kurtosis, alpha, error ratio, standard error, alpha if removed and discriminative
    efficiency need :data:`~.item_statistics.MIN_LEARNERS` attempts, scores that vary and (for the
    alpha figures) more than one question per attempt. Below them a figure is ``None``.
    """
    n = quiz.n
    scale = PERCENT
    mine = {qid: questions[qid] for qid in question_ids if qid in questions and questions[qid].n > 0}
    if n <= 0:
        return WholeTest(0, None, None, None, None, None, None, False, None, None, None, True,
                         (0,) * DISTRIBUTION_GROUPS, {qid: QuestionFigures(qid, None, None) for qid in question_ids})
    mean = quiz.sp / n
    variance = _variance(n, quiz.sp, quiz.spp)
    exact_variance = n * quiz.spp - quiz.sp * quiz.sp  # integer: zero when every score is the same
    sd = math.sqrt(variance) if variance is not None and exact_variance > 0 else (0.0 if n >= 2 else None)
    skewness = kurtosis = alpha = error_ratio = sem = None
    enough = n >= MIN_LEARNERS and exact_variance > 0
    if enough:
        # Central moments about the mean from the power sums (as Moodle's m2, m3, m4).
        m2 = exact_variance / (n * n)
        s3 = quiz.s3 * THIRD_POWER_DIVISOR
        m3 = (s3 - 3 * mean * quiz.spp + 3 * mean * mean * quiz.sp) / n - mean ** 3
        s4 = quiz.s4 * FOURTH_POWER_DIVISOR
        m4 = (s4 - 4 * mean * s3 + 6 * mean ** 2 * quiz.spp - 4 * mean ** 3 * quiz.sp) / n + mean ** 4
        k2 = n * m2 / (n - 1)
        k3 = n * n * m3 / ((n - 1) * (n - 2))
        k4 = n * n * ((n + 1) * m4 - 3 * (n - 1) * m2 * m2) / ((n - 1) * (n - 2) * (n - 3))
        skewness = k3 / k2 ** 1.5
        kurtosis = k4 / (k2 * k2)
    k = sum(t.n for t in mine.values()) / n
    same = all(t.n == n for t in mine.values()) and len(mine) == len(question_ids)
    item_terms = {qid: (t.n / n) * (_variance(t.n, t.sz, t.szz) or 0.0) for qid, t in mine.items()}
    figures = {}
    if enough:
        alpha = _alpha(k, sum(item_terms.values()), variance)
        if alpha is not None:
            error_ratio = 100 * math.sqrt(max(0.0, 1 - alpha))
            sem = math.sqrt(variance) * math.sqrt(max(0.0, 1 - alpha)) / scale
    for qid in question_ids:
        t = mine.get(qid)
        removed = None
        if enough and t is not None:
            rest_sum = quiz.sp - t.sz
            rest_squares = quiz.spp - 2 * t.szp + t.szz
            rest_variance = _variance(n, rest_sum, rest_squares)
            if rest_variance is not None and n * rest_squares - rest_sum * rest_sum > 0:
                removed = _alpha(k - t.n / n, sum(item_terms.values()) - item_terms[qid], rest_variance)
        figures[qid] = QuestionFigures(qid, removed, discriminative_efficiency(t))
    return WholeTest(
        n, mean / scale, median_from_bands(quiz.bands), None if sd is None else sd / scale, skewness, kurtosis, alpha,
        bool(mine) and all(_dichotomous(t) for t in mine.values()), error_ratio, sem, k, same,
        distribution(quiz.bands), figures,
    )

