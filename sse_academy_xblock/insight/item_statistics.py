"""Item analysis of a quiz over the counted (last) attempt of every learner: which questions work.

For each question, over the learners whose counted attempt included it:

- **difficulty**: the share of learners who got full credit (high = easy);
- **point-biserial discrimination**: the Pearson correlation between the learner's score on the question
  (as a fraction of its points; 0/1 for right/wrong, which makes it the point-biserial) and their score on
  the *rest* of the quiz, so the question is not correlated with itself. Positive: learners who do well
  elsewhere tend to get it right. Negative: the opposite, a sign of a wrong key or a misleading wording;
- **upper-lower index**: the share with full credit among the top 27% of learners by quiz score, minus the
  share among the bottom 27% (Kelley's groups); from -1 to 1, 0.3 and above usually counts as good;
- for choice questions, the share of learners choosing each option and the most chosen wrong option;
- for select-all questions (each option is its own right-or-wrong decision), the options that more learners
  got wrong than right: a keyed option more learners left out than chose, an unkeyed one more chose than left
  out. Comparing a wrong option's share with the key's, as for a single choice, means nothing there: one
  learner may choose both.

Discrimination needs enough learners and some variation: with fewer than :data:`MIN_LEARNERS` learners,
or when everyone scored the same on the question or on the rest of the quiz, both figures (point-biserial
and upper-lower index) are ``None`` ("not enough data"), never a made-up 0, and the question is left out
of its dimension's means of them.

Everything is computed from per-question *totals* (:class:`QuestionTotals`): counts and sums that a
learner's answer adds to and a resubmission takes away again (:func:`contributions`), so the database
can keep them up to date and the staff panel reads a few hundred rows whatever the number of learners.
The sums are integers (scaled points), so adding and taking away is exact. The score groups of the
upper-lower index come from a histogram of quiz scores in :data:`BANDS` bands of one percent; learners
in the band where a group ends are counted in proportion (ties are shared, not broken arbitrarily).
:func:`analyse` takes learners' answers directly and goes through the same totals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

MIN_LEARNERS = 10
GROUP_SHARE = 0.27
FULL_CREDIT_EPSILON = 1e-9
BANDS = 100  # quiz scores are grouped in bands 0..100 (percent of the learner's possible points, rounded down)
X_SCALE = 10_000  # the question score (a fraction of its points) in ten-thousandths
Y_SCALE = 100  # the rest-of-quiz score (points) in hundredths of a point
POINT_SCALE = 10_000  # points earned and possible in ten-thousandths (what grading rounds to)
Z_SCALE = 1_000_000  # a learner's quiz score in millionths of *their* possible points (100% = 1,000,000)

# Hints for the author, as codes; the staff panel words them.
HINT_NEGATIVE_DISCRIMINATION = "negative_discrimination"
HINT_WRONG_OPTION_BEATS_KEY = "wrong_option_beats_key"
# A wrong option chosen more than the key points at the key only when the question does not discriminate:
# a point-biserial of at least this ("fair" or "good") says the better learners find the key, so the
# question is hard, not wrongly keyed.
KEY_CHECK_DISCRIMINATION = 0.2


@dataclass(frozen=True)
class Item:
    """What the analysis needs to know about a question."""

    id: str
    dimension: str
    choices: tuple[str, ...] = ()  # option ids, in the author's order (empty for text and numeric questions)
    correct: frozenset = frozenset()  # the keyed option ids
    select_all: bool = False  # a multiple choice question: every option is judged on its own


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
class Contribution:
    """What one learner's counted answer to one question adds to that question's totals (integers)."""

    question: str
    x: int  # score on the question, X_SCALE = full credit
    y: int  # score on the rest of the quiz, in 1/Y_SCALE points
    full: bool
    earned: int  # in 1/POINT_SCALE points
    possible: int
    band: int  # the learner's quiz score band, 0..BANDS
    chosen: tuple[str, ...] = ()
    z: int = 0  # the question's points earned as a share of the learner's possible points, Z_SCALE = 100%
    p: int = 0  # the learner's quiz score, the sum of their z over the questions they answered


def _units(value: float, scale: int) -> int:
    return int(round(float(value) * scale))


def band_of(earned: float, possible: float) -> int:
    """The score band of a quiz score: the percent of the possible points, rounded down (0 to 100)."""
    if possible <= 0:
        return 0
    return max(0, min(BANDS, math.floor(BANDS * earned / possible + 1e-9)))


def shares(answers: Mapping[str, Answer]) -> dict[str, int]:
    """Each question's points earned as a share of the learner's possible points (``Z_SCALE`` = 100%).

    Rounded question by question to a millionth of the score; the learner's quiz score is their sum."""
    possible = sum(a.possible for a in answers.values())
    return {qid: _units(a.earned / possible, Z_SCALE) if possible > 0 else 0 for qid, a in answers.items()}


def contributions(answers: Mapping[str, Answer]) -> list[Contribution]:
    """One learner's counted attempt (``{question id: Answer}``) as one contribution per question."""
    total = sum(a.earned for a in answers.values())
    band = band_of(total, sum(a.possible for a in answers.values()))
    z = shares(answers)
    p = sum(z.values())
    return [
        Contribution(qid, _units(a.fraction, X_SCALE), _units(total - a.earned, Y_SCALE), a.full,
                     _units(a.earned, POINT_SCALE), _units(a.possible, POINT_SCALE), band, tuple(a.chosen),
                     z[qid], p)
        for qid, a in answers.items()
    ]


def share_band(value: int) -> int:
    """The band of a share in ``Z_SCALE`` units: whole percents rounded down, 0 to 100."""
    return max(0, min(BANDS, value // (Z_SCALE // BANDS)))


@dataclass
class QuestionTotals:
    """Sums over the learners who answered one question: what the statistics need, nothing per learner."""

    n: int = 0
    full: int = 0
    sx: int = 0
    sxx: int = 0
    sy: int = 0
    syy: int = 0
    sxy: int = 0
    earned: int = 0
    possible: int = 0
    options: dict = field(default_factory=dict)  # option id -> learners who chose it
    bands: dict = field(default_factory=dict)  # band -> [learners, learners with full credit]
    # Whole-test sums over the same learners (see insight.score_statistics): z the question's share of the
    # learner's possible points, p the learner's quiz score, both in Z_SCALE units.
    sz: int = 0
    szz: int = 0
    sp: int = 0
    spp: int = 0
    szp: int = 0
    zbands: dict = field(default_factory=dict)  # share_band(z) -> [learners, their sum of z]
    rbands: dict = field(default_factory=dict)  # share_band(p - z) -> [learners, their sum of p - z]

    def add(self, c: Contribution, sign: int = 1) -> None:
        self.n += sign
        self.full += sign * c.full
        self.sx += sign * c.x
        self.sxx += sign * c.x * c.x
        self.sy += sign * c.y
        self.syy += sign * c.y * c.y
        self.sxy += sign * c.x * c.y
        self.earned += sign * c.earned
        self.possible += sign * c.possible
        for option in c.chosen:
            self.options[option] = self.options.get(option, 0) + sign
        counts = self.bands.setdefault(c.band, [0, 0])
        counts[0] += sign
        counts[1] += sign * c.full
        self.sz += sign * c.z
        self.szz += sign * c.z * c.z
        self.sp += sign * c.p
        self.spp += sign * c.p * c.p
        self.szp += sign * c.z * c.p
        for bands, value in ((self.zbands, c.z), (self.rbands, c.p - c.z)):
            counts = bands.setdefault(share_band(value), [0, 0])
            counts[0] += sign
            counts[1] += sign * value


@dataclass(frozen=True)
class ItemStats:
    id: str
    dimension: str
    learners: int
    difficulty: float | None  # share with full credit
    point_biserial: float | None
    upper_lower: float | None
    option_shares: dict = field(default_factory=dict)  # option id -> share of learners choosing it
    mean_score: float | None = None  # points earned / points possible (differs from difficulty with partial credit)
    top_wrong_option: str | None = None
    hints: tuple[str, ...] = ()
    wrong_options: tuple[str, ...] = ()  # select-all: the options more learners got wrong than right


@dataclass(frozen=True)
class DimensionStats:
    dimension: str
    questions: int
    learners: int  # the most learners any of its questions has
    difficulty: float | None  # mean difficulty of its questions
    point_biserial: float | None  # mean discrimination of its questions that have one
    score_share: float | None  # points earned / points possible over its questions
    upper_lower: float | None = None  # mean upper-lower index of its questions that have one


@dataclass(frozen=True)
class QuizAnalysis:
    learners: int
    items: tuple[ItemStats, ...]
    dimensions: tuple[DimensionStats, ...]

    @property
    def enough(self) -> bool:
        return self.learners >= MIN_LEARNERS


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
    return sxy / math.sqrt(sxx * syy)


def pearson_from_sums(n: int, sx: int, sy: int, sxx: int, syy: int, sxy: int) -> float | None:
    """The Pearson correlation from integer sums (exact up to the final division); None without variation."""
    if n < 2:
        return None
    vx = n * sxx - sx * sx
    vy = n * syy - sy * sy
    if vx <= 0 or vy <= 0:
        return None
    r = (n * sxy - sx * sy) / math.sqrt(vx * vy)
    return max(-1.0, min(1.0, r))


def _group_size(n: int) -> int:
    return max(1, int(GROUP_SHARE * n + 0.5))


def upper_lower_from_bands(bands: Mapping[int, Sequence[int]]) -> float | None:
    """Share with full credit in the top 27% by quiz score minus the bottom 27%.

    ``bands``: score band -> (learners, learners with full credit). Where a group ends inside a band,
    it takes that band's learners in proportion (a tie shared, with the band's share of full credit).
    """
    n = sum(counts[0] for counts in bands.values())
    if n < MIN_LEARNERS:
        return None
    size = _group_size(n)

    def full_in(order) -> float:
        left, full = size, 0.0
        for band in order:
            count, full_count = bands[band][0], bands[band][1]
            if count <= 0:
                continue
            take = min(left, count)
            full += full_count * take / count
            left -= take
            if not left:
                break
        return full

    return (full_in(sorted(bands, reverse=True)) - full_in(sorted(bands))) / size


def upper_lower_index(full_credit: Sequence[bool], totals: Sequence[float], possible: float = 0.0) -> float | None:
    """The upper-lower index of learners' (full credit, quiz score) pairs; scores banded as in the totals."""
    top = possible or max([*totals, 0.0]) or 1.0
    bands: dict[int, list[int]] = {}
    for full, total in zip(full_credit, totals):
        counts = bands.setdefault(band_of(total, top), [0, 0])
        counts[0] += 1
        counts[1] += bool(full)
    return upper_lower_from_bands(bands)


def aggregate(learners: Iterable[Mapping[str, Answer]]) -> tuple[int, dict[str, QuestionTotals]]:
    """Learners' counted attempts as (number of learners, totals per question id)."""
    count, totals = 0, {}
    for row in learners:
        count += 1
        for c in contributions(row):
            totals.setdefault(c.question, QuestionTotals()).add(c)
    return count, totals


def analyse(items: Sequence[Item], learners: Iterable[Mapping[str, Answer]]) -> QuizAnalysis:
    """``learners``: for each learner, their counted attempt as ``{question id: Answer}``.

    A question missing from a learner's attempt (added after they answered) is left out of that learner's
    figures for it; a question they left blank is an Answer with 0 earned and nothing chosen.
    """
    count, totals = aggregate(learners)
    return analyse_totals(items, count, totals)


def item_stats(item: Item, t: QuestionTotals | None) -> ItemStats:
    """One question's statistics from its totals."""
    if t is None or t.n <= 0:
        return ItemStats(item.id, item.dimension, 0, None, None, None, {c: 0.0 for c in item.choices})
    n = t.n
    varies = n * t.sxx - t.sx * t.sx > 0 and n * t.syy - t.sy * t.sy > 0
    enough = n >= MIN_LEARNERS and varies
    point_biserial = pearson_from_sums(n, t.sx, t.sy, t.sxx, t.syy, t.sxy) if enough else None
    upper_lower = upper_lower_from_bands(t.bands) if enough else None
    shares = {c: max(0, t.options.get(c, 0)) / n for c in item.choices}
    wrong = [(share, c) for c, share in shares.items() if c not in item.correct and share > 0]
    top_wrong = max(wrong, key=lambda pair: pair[0])[1] if wrong else None
    hints = []
    if point_biserial is not None and point_biserial < 0:
        hints.append(HINT_NEGATIVE_DISCRIMINATION)
    keyed = [shares[c] for c in item.correct if c in shares]
    discriminates = point_biserial is not None and point_biserial >= KEY_CHECK_DISCRIMINATION
    wrong_options: tuple[str, ...] = ()
    if item.select_all:
        # per option: chosen by more than half when unkeyed, left out by more than half when keyed
        chosen = {c: max(0, t.options.get(c, 0)) for c in item.choices}
        wrong_options = tuple(c for c in item.choices
                              if (n - chosen[c] > chosen[c] if c in item.correct else chosen[c] > n - chosen[c]))
        if wrong_options and not discriminates:
            hints.append(HINT_WRONG_OPTION_BEATS_KEY)
    elif top_wrong is not None and keyed and shares[top_wrong] > min(keyed) and not discriminates:
        hints.append(HINT_WRONG_OPTION_BEATS_KEY)
    mean_score = t.earned / t.possible if t.possible > 0 else None
    return ItemStats(item.id, item.dimension, n, t.full / n, point_biserial, upper_lower,
                     shares, mean_score, top_wrong, tuple(hints), wrong_options)


def analyse_totals(items: Sequence[Item], learners: int, totals: Mapping[str, QuestionTotals]) -> QuizAnalysis:
    """The analysis from stored totals: ``learners`` with a counted attempt, ``totals`` per question id."""
    stats = [item_stats(item, totals.get(item.id)) for item in items]
    return QuizAnalysis(learners, tuple(stats), _by_dimension(items, stats, totals))


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _by_dimension(items: Sequence[Item], stats: list[ItemStats],
                  totals: Mapping[str, QuestionTotals]) -> tuple[DimensionStats, ...]:
    order: list[str] = []
    for item in items:
        if item.dimension not in order:
            order.append(item.dimension)
    summary = []
    for dimension in order:
        ids = [item.id for item in items if item.dimension == dimension]
        mine = [s for s in stats if s.id in ids]
        earned = sum(totals[qid].earned for qid in ids if qid in totals)
        possible = sum(totals[qid].possible for qid in ids if qid in totals)
        summary.append(DimensionStats(
            dimension, len(mine), max((s.learners for s in mine), default=0),
            _mean([s.difficulty for s in mine if s.difficulty is not None]),
            _mean([s.point_biserial for s in mine if s.point_biserial is not None]),
            earned / possible if possible > 0 else None,
            _mean([s.upper_lower for s in mine if s.upper_lower is not None]),
        ))
    return tuple(summary)
