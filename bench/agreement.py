"""Peer-review agreement: the staff "Review quality" section and the counters kept when a response is graded.

For each size, a block with that many reviewers in the per-reviewer table (their distances spread over the
scale, as after a course's grading) and its three criteria's coincidence sums, built with bulk inserts; then
measured through the functions the handler and the grading call, the pages of every size in turns.
"""

from __future__ import annotations

import random

from django.db import connection, reset_queries, transaction

from .common import PAGE_ROUNDS, StatementLog, median_ms, row, statements
from .peer import analyze, peer_item

# Targets (docs/performance.md): a staff page as fast as the submissions list; grading pays three statements.
PAGE_MS, PAGE_STATEMENTS, GROWTH = 25.0, 3, 1.5
RECORD_MS, RECORD_STATEMENTS = 5.0, 3


def fill(usage_id: str, size: int) -> None:
    from sse_academy_xblock.peer import agreement_totals
    from sse_academy_xblock.peer.models import ReviewerAgreement

    rng = random.Random(size)
    for first in range(0, size, 5000):
        batch = []
        for i in range(first, min(size, first + 5000)):
            reviews = rng.randint(1, 8)
            mean = round(rng.random() * 0.6, 4)
            batch.append(ReviewerAgreement(usage_id=usage_id, reviewer_id=f"reviewer-{i}", reviews=reviews,
                                           distance_sum=mean * reviews, mean_distance=mean))
        ReviewerAgreement.objects.bulk_create(batch, batch_size=2000)
    with transaction.atomic():
        for unit in range(50):  # the criterion rows exist once a block has graded responses
            agreement_totals.record(usage_id, 12, [(f"reviewer-{(unit + j) % size}", {f"c{c}": rng.choice((0, 2, 4))
                                                    for c in range(3)}) for j in range(3)])
    analyze(ReviewerAgreement)


def page_figures(items: dict) -> dict:
    """A middle page of the reviewers (keyset from a row half-way down) with the criteria, for each size of
    ``items`` ``{size: item}``: ``{size: (ms, statements)}``. The sizes are timed in turns, one page per size per
    round, so that a change in the machine's load while measuring weighs on every size alike (the growth
    compares them)."""
    import statistics
    import time

    from sse_academy_xblock.peer import staff_review_quality
    from sse_academy_xblock.peer.models import ReviewerAgreement

    pages, counts, samples = {}, {}, {}
    for size, item in items.items():
        middle = (
            ReviewerAgreement.objects.filter(usage_id=item.usage_id).order_by("-mean_distance", "-id")
            .values_list("id", flat=True)[size // 2]
        )
        pages[size] = lambda item=item, middle=middle, size=size: staff_review_quality.summary(
            item, after=middle, page=size // 50)
        reset_queries()
        with StatementLog(connection) as ctx:
            pages[size]()
        counts[size], samples[size] = statements(ctx), []
    for _round in range(PAGE_ROUNDS):
        for size, page in pages.items():
            start = time.perf_counter()
            page()
            samples[size].append((time.perf_counter() - start) * 1000)
    return {size: (statistics.median(samples[size]), counts[size]) for size in items}


def record_figures(item, size: int) -> tuple[float, float]:
    """Adding one graded response's three reviews to the counters (inside a rolled-back transaction)."""
    from sse_academy_xblock.peer import agreement_totals

    rng = random.Random(7)
    samples = []
    counts = []

    def once():
        reviewers = rng.sample(range(size), 3)
        reviews = [(f"reviewer-{r}", {f"c{c}": rng.choice((0, 2, 4)) for c in range(3)}) for r in reviewers]
        with StatementLog(connection) as ctx:
            agreement_totals.record(item.usage_id, 12, reviews)
        counts.append(statements(ctx))

    for _ in range(50):
        with transaction.atomic():
            samples.append(median_ms(once, rounds=1))
            transaction.set_rollback(True)
    samples.sort()
    return samples[len(samples) // 2], max(counts)


def agreement_cases(sizes: list[int]) -> list[dict]:
    rows = []
    items = {}
    for size in sizes:
        items[size] = peer_item(f"bench-agreement-{size}")
        fill(items[size].usage_id, size)
    pages = page_figures(items)
    for size, item in items.items():
        page_ms, page_statements = pages[size]
        record_ms, record_statements = record_figures(item, size)
        rows.append(row(f"agreement: review-quality page (25 reviewers), {size:,} reviewers", page_ms, PAGE_MS, "ms"))
        rows.append(row(f"agreement: statements per review-quality page, {size:,}", page_statements,
                        PAGE_STATEMENTS, "", "{:.0f}"))
        rows.append(row(f"agreement: counters kept for one graded response, {size:,}", record_ms, RECORD_MS, "ms"))
        rows.append(row(f"agreement: statements to keep the counters, {size:,}", record_statements,
                        RECORD_STATEMENTS, "", "{:.0f}"))
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        rows.append(row(f"agreement: time growth {small:,} -> {large:,}, review-quality page (x)",
                        pages[large][0] / pages[small][0], GROWTH, "x"))
    return rows
