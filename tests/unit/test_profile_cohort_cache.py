"""The cohort figures' cache: fresh figures are served, stale ones are recomputed by one request
while the others get the previous figures at once (``profile/cohort.py`` ``cached_figures``)."""

from __future__ import annotations

import uuid

from django.core.cache.backends.locmem import LocMemCache

from sse_academy_xblock.dimensions import DIMENSION_IDS
from sse_academy_xblock.profile import cohort

KEY = "sse_profile:figures:test"


def figures(learners: int) -> cohort.Figures:
    return cohort.Figures(learners, tuple(
        cohort.DimensionFigures(dim, learners, 50, (0,) * cohort.HISTOGRAM_BINS) for dim in DIMENSION_IDS))


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return figures(self.calls * 10)


def fresh_cache():
    return LocMemCache(f"sse-test-figures-{uuid.uuid4().hex}", {})  # one store per test


def test_empty_cache_computes_and_keeps_the_figures():
    cache, compute = fresh_cache(), Counter()
    assert cohort.cached_figures(cache, KEY, compute, 300, now=1000).learners == 10
    assert cohort.cached_figures(cache, KEY, compute, 300, now=1299).learners == 10
    assert compute.calls == 1


def test_stale_figures_are_recomputed_once_the_period_has_passed():
    cache, compute = fresh_cache(), Counter()
    cohort.cached_figures(cache, KEY, compute, 300, now=1000)
    assert cohort.cached_figures(cache, KEY, compute, 300, now=1300).learners == 20
    assert compute.calls == 2
    assert cohort.cached_figures(cache, KEY, compute, 300, now=1400).learners == 20  # fresh again
    assert cache.get(KEY + ":refresh") is None  # the lock is given back


def test_while_one_request_refreshes_the_others_get_the_previous_figures_at_once():
    cache, compute = fresh_cache(), Counter()
    cohort.cached_figures(cache, KEY, compute, 300, now=1000)
    cache.add(KEY + ":refresh", 1, 60)  # another request is recomputing
    assert cohort.cached_figures(cache, KEY, compute, 300, now=1500).learners == 10
    assert compute.calls == 1


def test_a_failed_refresh_keeps_the_previous_figures_and_frees_the_lock():
    cache, compute = fresh_cache(), Counter()
    cohort.cached_figures(cache, KEY, compute, 300, now=1000)

    def broken():
        raise RuntimeError("database gone")

    try:
        cohort.cached_figures(cache, KEY, broken, 300, now=1400)
    except RuntimeError:
        pass
    assert cache.get(KEY + ":refresh") is None
    assert cohort.cached_figures(cache, KEY, compute, 300, now=1400).learners == 20


def test_unreadable_cache_entries_are_recomputed():
    cache, compute = fresh_cache(), Counter()
    cache.set(KEY, "not figures")
    assert cohort.cached_figures(cache, KEY, compute, 300, now=1000).learners == 10
