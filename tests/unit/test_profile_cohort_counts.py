"""The cohort's figures kept as counts per whole percent: medians and histograms equal to sorting every
learner's percent, and counts moved learner by learner equal to a recount of the table."""

from __future__ import annotations

import random

import pytest

from sse_academy_xblock.dimensions import DIMENSION_IDS
from sse_academy_xblock.profile import arithmetic, cohort
from sse_academy_xblock.profile.cohort_counts import PERCENTS, Counts, median_of, percents

POSSIBLE = {DIMENSION_IDS[0]: 12.0, DIMENSION_IDS[1]: 3.0, DIMENSION_IDS[2]: 7.5, DIMENSION_IDS[3]: 0.0}


def _counts_of(values):
    counts = [0] * PERCENTS
    for value in values:
        counts[value] += 1
    return counts


@pytest.mark.parametrize("values", [[], [0], [100], [40, 60], [41, 60], [0, 100], [7, 7, 7, 9], [99, 100, 100],
                                    [10, 20, 30, 40, 50, 60]])
def test_median_of_counts_is_the_median_of_the_percents(values):
    assert median_of(_counts_of(values)) == cohort.median(values)


def test_median_of_counts_agrees_with_sorting_on_random_cohorts():
    rng = random.Random(27)
    for _case in range(500):
        values = [rng.choice([rng.randint(0, 100), rng.choice([0, 49, 50, 51, 100])])
                  for _n in range(rng.randint(1, 60))]
        assert median_of(_counts_of(values)) == cohort.median(values), values


def test_an_even_cohort_rounds_the_mean_of_the_two_middle_percents_half_up():
    assert median_of(_counts_of([40, 41])) == 41
    assert median_of(_counts_of([0, 0, 1, 1])) == 1
    assert median_of(_counts_of([0, 0, 0, 1])) == 0


def test_percents_count_only_attempted_dimensions_the_scope_offers_points_on():
    dims = DIMENSION_IDS
    sums = (6.0, None, 20.0, 1.0)  # over the possible on the third; a row on a dimension worth nothing here
    assert percents(sums, POSSIBLE) == {dims[0]: 50, dims[2]: 100}
    assert percents(None, POSSIBLE) == {}


def _recount(table, possible):
    """What the cohort's grouped query gives: each learner's sums over their rows, then the figures."""
    learners = []
    for rows in table.values():
        if not rows:
            continue
        sums = []
        for dim in DIMENSION_IDS:
            points = [earned for (_block, row_dim), earned in rows.items() if row_dim == dim]
            sums.append(sum(points) if points else None)
        learners.append(tuple(sums))
    return cohort.figures_of(Counts.of(learners, possible))


def _sums(rows):
    if not rows:
        return None
    return tuple((sum(e for (_b, d), e in rows.items() if d == dim) if any(d == dim for _b, d in rows) else None)
                 for dim in DIMENSION_IDS)


def test_counts_moved_learner_by_learner_equal_a_recount_after_writes_overrides_resets_and_retirements():
    """A learner's scores change (a block graded, regraded, overridden with fewer dimensions, its state
    reset, the learner retired): each change moves them between counts, and at every step the figures
    equal those of a recount of the table."""
    rng = random.Random(2027)
    blocks = [f"block-{n}" for n in range(4)]
    table: dict[str, dict] = {}
    counts = Counts()
    for _step in range(3000):
        learner = f"learner-{rng.randint(0, 30)}"
        rows = table.setdefault(learner, {})
        before = _sums(rows)
        action = rng.random()
        block = rng.choice(blocks)
        if action < 0.6:  # a graded attempt, a regrade or an override: the block's rows replaced
            for dim in DIMENSION_IDS:
                rows.pop((block, dim), None)
            for dim in rng.sample(DIMENSION_IDS, rng.randint(0, len(DIMENSION_IDS))):
                rows[(block, dim)] = rng.choice([0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 7.5, 12.0])
        elif action < 0.9:  # staff reset the learner's state on one block
            for dim in DIMENSION_IDS:
                rows.pop((block, dim), None)
        else:  # the learner retired: every row gone
            rows.clear()
        counts.move(before, _sums(rows), POSSIBLE)
        assert cohort.figures_of(counts) == _recount(table, POSSIBLE)
    assert counts.learners == sum(1 for rows in table.values() if rows)


def test_the_histogram_of_counts_puts_each_percent_in_its_bin_and_100_in_the_last():
    counts = Counts.of([(0.0, None, None, None), (12.0, None, None, None), (1.19, None, None, None),
                        (1.2, None, None, None)], POSSIBLE)
    first = cohort.figures_of(counts).dimensions[0]
    # 0%, 100%, 10% (1.19 of 12 is 9.9%, rounded to 10%), 10%
    assert arithmetic.percent(1.19, 12.0) == 10
    assert first.histogram == (1, 2, 0, 0, 0, 0, 0, 0, 0, 1)
    assert first.learners == 4 and first.median == 10
