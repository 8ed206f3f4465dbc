"""Item analysis of a quiz over the counted (last) attempt of every learner: which questions work.

For each question, over the learners whose counted attempt included it:

- **difficulty**: the share of learners who got full credit (high = easy);
- **point-biserial discrimination**: the Pearson correlation between the learner's score on the question
  (as a fraction of its points; 0/1 for right/wrong, which makes it the point-biserial) and their score on
  the *rest* of the quiz, so the question is not correlated with itself. Positive: learners who do well
  elsewhere tend to get it right. Negative: the opposite, a sign of a wrong key or a misleading wording;
- **upper-lower index**: the share with full credit among the top 27% of learners by quiz score, minus the
  share among the bottom 27% (Kelley's groups); from -1 to 1, 0.3 and above usually counts as good;
- for choice questions, the share of learners choosing each option and the most chosen wrong option.

Discrimination needs enough learners and some variation: with fewer than :data:`MIN_LEARNERS` learners,
or when everyone scored the same on the question or on the rest of the quiz, it is ``None`` ("not enough
data"), never a made-up 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import sqrt
from typing import Iterable, Mapping, Sequence

MIN_LEARNERS = 10
GROUP_SHARE = 0.27
FULL_CREDIT_EPSILON = 1e-9

# Hints for the author, as codes; the staff panel words them.
HINT_NEGATIVE_DISCRIMINATION = "negative_discrimination"
HINT_WRONG_OPTION_BEATS_KEY = "wrong_option_beats_key"


@dataclass(frozen=True)
class Item:
    """What the analysis needs to know about a question."""

    id: str
    dimension: str
    choices: tuple[str, ...] = ()  # option ids, in the author's order (empty for text and numeric questions)
    correct: frozenset = frozenset()  # the keyed option ids


@dataclass(frozen=True)
class Answer:
    """One learner's counted answer to one question."""

    earned: float
    possible: float
    chosen: tuple[str, ...] = ()  # option ids the learner selected

    @property
    def fraction(self) -> float:
        return self.earned / self.possible if self.possible > 0 else 0.0

    @property
    def full(self) -> bool:
        return self.possible > 0 and self.earned >= self.possible - FULL_CREDIT_EPSILON


@dataclass(frozen=True)
class ItemStats:
    id: str
    dimension: str
    learners: int
    difficulty: float | None  # share with full credit
    point_biserial: float | None
    upper_lower: float | None
    option_shares: dict = field(default_factory=dict)  # option id -> share of learners choosing it
    top_wrong_option: str | None = None
    hints: tuple[str, ...] = ()


@dataclass(frozen=True)
class DimensionStats:
    dimension: str
    questions: int
    learners: int
    difficulty: float | None  # mean difficulty of its questions
    point_biserial: float | None  # mean discrimination of its questions that have one
    score_share: float | None  # points earned / points possible over its questions


@dataclass(frozen=True)
class QuizAnalysis:
    learners: int
    items: tuple[ItemStats, ...]
    dimensions: tuple[DimensionStats, ...]


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
    return sxy / sqrt(sxx * syy)


def _group_size(n: int) -> int:
    return max(1, int(GROUP_SHARE * n + 0.5))


def upper_lower_index(full_credit: Sequence[bool], totals: Sequence[float]) -> float | None:
    """Share with full credit in the top 27% by total minus the bottom 27% (ties broken by input order)."""
    n = len(full_credit)
    if n < MIN_LEARNERS:
        return None
    order = sorted(range(n), key=lambda i: totals[i])
    size = _group_size(n)
    lower, upper = order[:size], order[-size:]
    return sum(full_credit[i] for i in upper) / size - sum(full_credit[i] for i in lower) / size


def analyse(items: Sequence[Item], learners: Iterable[Mapping[str, Answer]]) -> QuizAnalysis:
    """``learners``: for each learner, their counted attempt as ``{question id: Answer}``.

    A question missing from a learner's attempt (added after they answered) is left out of that learner's
    figures for it; a question they left blank is an Answer with 0 earned and nothing chosen.
    """
    rows = [dict(row) for row in learners]
    totals = [sum(a.earned for a in row.values()) for row in rows]
    stats = []
    for item in items:
        took = [(row[item.id], total) for row, total in zip(rows, totals) if item.id in row]
        n = len(took)
        if not n:
            stats.append(ItemStats(item.id, item.dimension, 0, None, None, None,
                                   {c: 0.0 for c in item.choices}))
            continue
        full = [answer.full for answer, _total in took]
        difficulty = sum(full) / n
        point_biserial = None
        if n >= MIN_LEARNERS:
            point_biserial = pearson([a.fraction for a, _t in took], [t - a.earned for a, t in took])
        upper_lower = upper_lower_index(full, [t for _a, t in took])
        shares = {c: sum(c in a.chosen for a, _t in took) / n for c in item.choices}
        wrong = [(share, c) for c, share in shares.items() if c not in item.correct and share > 0]
        top_wrong = max(wrong, key=lambda pair: pair[0])[1] if wrong else None
        hints = []
        if point_biserial is not None and point_biserial < 0:
            hints.append(HINT_NEGATIVE_DISCRIMINATION)
        if top_wrong is not None and item.correct and shares[top_wrong] > min(shares[c] for c in item.correct):
            hints.append(HINT_WRONG_OPTION_BEATS_KEY)
        stats.append(ItemStats(item.id, item.dimension, n, difficulty, point_biserial, upper_lower, shares,
                               top_wrong, tuple(hints)))
    return QuizAnalysis(len(rows), tuple(stats), _by_dimension(items, stats, rows))


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _by_dimension(items: Sequence[Item], stats: list[ItemStats], rows: list[dict]) -> tuple[DimensionStats, ...]:
    order: list[str] = []
    for item in items:
        if item.dimension not in order:
            order.append(item.dimension)
    summary = []
    for dimension in order:
        ids = {item.id for item in items if item.dimension == dimension}
        mine = [s for s in stats if s.id in ids]
        earned = sum(a.earned for row in rows for qid, a in row.items() if qid in ids)
        possible = sum(a.possible for row in rows for qid, a in row.items() if qid in ids)
        learners = sum(1 for row in rows if ids & row.keys())
        summary.append(DimensionStats(
            dimension, len(mine), learners,
            _mean([s.difficulty for s in mine if s.difficulty is not None]),
            _mean([s.point_biserial for s in mine if s.point_biserial is not None]),
            earned / possible if possible > 0 else None,
        ))
    return tuple(summary)
