"""Review feedback under real concurrency, on PostgreSQL and MariaDB: one author saving the first rating
of a review from several tabs at once ends with one rating, no error, and one of the answers sent."""

from __future__ import annotations

import os

import pytest

from db.concurrency import run_threads
from factories import ANALYSIS_ONLY, graded_pair, peer_item, review, submit
from sse_academy_xblock.peer import feedback
from sse_academy_xblock.peer.config import PeerItem
from sse_academy_xblock.peer.models import Review, ReviewFeedback

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]

ROUNDS = int(os.environ.get("SSE_RACE_ROUNDS", "20"))
TABS = 8


def graded_review(round_number: int) -> tuple[PeerItem, int]:
    """a and b review each other in a block of their own: both graded; the id of the review a received."""
    item = peer_item(f"block-feedback-race-{round_number}", ANALYSIS_ONLY, course_id="course-v1:SSE+Races+1",
                     reviews_required=1, reviews_to_give=1)
    graded_pair(item, (1, 1))
    return item, Review.objects.get(usage_id=item.usage_id, submission__anonymous_user_id="a").pk


def test_simultaneous_first_ratings_of_one_review_end_in_one_row(figures):
    for round_number in range(ROUNDS):
        item, review_id = graded_review(round_number)
        answers = [(i % 2 == 0, f"tab {i}") for i in range(TABS)]

        def save(i):
            helpful, comment = answers[i]
            return feedback.rate_review(item, "a", review_id, helpful, comment).pk

        run = run_threads(TABS, save)
        run.raise_errors()
        rows = list(ReviewFeedback.objects.filter(review_id=review_id))
        assert len(rows) == 1, f"round {round_number}: {len(rows)} ratings of one review"
        assert set(run.results) == {rows[0].pk}
        assert (rows[0].helpful, rows[0].comment) in answers
        figures.add("races repeated")


def test_authors_rating_their_own_reviews_at_the_same_moment_never_deadlock(figures):
    """Ratings of neighbouring reviews are inserted side by side in the index: none may block another."""
    for round_number in range(max(1, ROUNDS // 4)):
        item = peer_item(f"block-feedback-many-{round_number}", ANALYSIS_ONLY, course_id="course-v1:SSE+Races+1",
                         reviews_required=1, reviews_to_give=1)
        authors = [f"author-{i}" for i in range(TABS)]
        submit(item, *authors)
        for who in authors:
            review(item, who, 1)
        received = {r.submission.anonymous_user_id: r.pk
                    for r in Review.objects.filter(usage_id=item.usage_id).select_related("submission")}
        assert sorted(received) == authors

        run = run_threads(TABS, lambda i: feedback.rate_review(item, authors[i], received[authors[i]], True, "").pk)
        run.raise_errors()
        assert ReviewFeedback.objects.filter(usage_id=item.usage_id).count() == TABS
        figures.add("races repeated")
