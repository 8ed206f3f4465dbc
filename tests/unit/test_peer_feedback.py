"""Review feedback rules: once graded, the author rates each review of their response once, may change the
rating for 7 days, never rates anyone else's review; reviewers never see a rating; staff do."""

from datetime import timedelta
from functools import partial

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from factories import RUBRIC_A, graded_pair, peer_item, review, submit
from sse_academy_xblock.i18n import BlockTranslator
from sse_academy_xblock.peer import feedback, learner_state, staff, staff_actions, workflow
from sse_academy_xblock.refusals import Refusal
from sse_academy_xblock.peer.models import PeerSubmission, Review, ReviewFeedback

T = BlockTranslator(None)
T0 = timezone.now().replace(microsecond=0) - timedelta(days=30)


make_item = partial(peer_item, usage_id="block-fb", rubric=RUBRIC_A, course_id="course-v1:SSE+FB+1",
                    reviews_required=1, reviews_to_give=1)


def received(author, item=None):
    qs = Review.objects.filter(submission__anonymous_user_id=author)
    if item is not None:
        qs = qs.filter(usage_id=item.usage_id)
    return list(qs.order_by("pk"))


def stored():
    return sorted(ReviewFeedback.objects.values_list("review_id", "helpful", "comment", "created", "updated"))


@pytest.fixture
def item(transactional_db):
    return make_item()


@pytest.fixture
def graded(item):
    """a and b review each other: both graded, each with one review received."""
    graded_pair(item, (1, 2), overall=("Some evidence, little argument.", "Convincing."), now=T0)
    assert all(s.graded_at for s in PeerSubmission.objects.all())
    return item


def rate(item, who, review_id, helpful=True, comment="", now=None):
    return feedback.rate_review(item, who, review_id, helpful, comment, now=now)


def test_the_author_rates_a_review_once_and_may_change_it_for_seven_days(graded):
    (mine,) = received("a")
    first = rate(graded, "a", mine.pk, True, "  It showed me what was missing.  ", now=T0 + timedelta(hours=1))
    assert (first.helpful, first.comment) == (True, "It showed me what was missing.")  # stripped
    changed = rate(graded, "a", mine.pk, False, "", now=T0 + timedelta(days=3))
    assert changed.pk == first.pk and ReviewFeedback.objects.count() == 1  # one rating per review
    last_minute = T0 + timedelta(hours=1) + timedelta(days=7)
    rate(graded, "a", mine.pk, True, "On reflection, helpful.", now=last_minute)
    row = ReviewFeedback.objects.get()
    assert (row.helpful, row.comment, row.created, row.updated) == (
        True, "On reflection, helpful.", T0 + timedelta(hours=1), last_minute)

    before = stored()
    with pytest.raises(Refusal, match="can no longer be changed") as refused:
        rate(graded, "a", mine.pk, False, "too late", now=last_minute + timedelta(seconds=1))
    assert refused.value.status == 409
    assert stored() == before
    view = feedback.learner_view(row, T, now=last_minute + timedelta(seconds=1))
    assert not view["editable"] and "can no longer be changed" in view["until_text"]


def test_the_learner_is_told_until_when_the_rating_can_change(graded):
    (mine,) = received("a")
    when = T0.replace(hour=10, minute=5) + timedelta(days=1)
    row = rate(graded, "a", mine.pk, False, now=when)
    view = feedback.learner_view(row, T, now=when)
    end = when + timedelta(days=7)
    assert view == {
        "rated": True, "helpful": False, "comment": "", "editable": True,
        "saved_text": f"You rated this review as not helpful ({when:%Y-%m-%d %H:%M} UTC).",
        "until_text": f"You can change your rating until {end:%Y-%m-%d %H:%M} UTC.",
    }
    assert feedback.learner_view(None, T)["rated"] is False


def test_no_rating_before_the_response_is_graded(item):
    submit(item, "a", "b", start=T0)
    review(item, "a", now=T0)  # b has a review but has given none: not graded yet
    (theirs,) = received("b")
    with pytest.raises(Refusal, match="once it is graded") as refused:
        rate(item, "b", theirs.pk)
    assert refused.value.status == 409 and ReviewFeedback.objects.count() == 0
    review(item, "b", now=T0)  # now both are graded
    rate(item, "b", theirs.pk)
    assert ReviewFeedback.objects.count() == 1


def test_only_reviews_of_ones_own_response_can_be_rated(graded):
    (to_a,) = received("a")
    (to_b,) = received("b")
    workflow.submit_response(graded, "c", "text of c", now=T0)
    other_block = make_item(usage_id="block-other")
    submit(other_block, "a", "b", start=T0)
    review(other_block, "a", now=T0)
    review(other_block, "b", now=T0)
    (elsewhere,) = received("a", other_block)

    refusals = [
        ("a", to_b.pk, 404),                # the review a wrote, of b's response
        ("b", to_a.pk, 404),                # the review of a's response, rated by its reviewer b
        ("c", to_a.pk, 404),                # a learner who was never reviewed
        ("nobody", to_a.pk, 404),           # a learner without a response
        ("a", elsewhere.pk, 404),           # a's own review, but in another block
        ("a", 10**12, 404),                 # no such review
        ("a", "1.5", 400), ("a", True, 400), ("a", None, 400), ("a", 0, 400), ("a", -3, 400),
    ]
    for who, review_id, status in refusals:
        with pytest.raises(Refusal) as refused:
            rate(graded, who, review_id)
        assert refused.value.status == status, (who, review_id)
    assert ReviewFeedback.objects.count() == 0
    # "not found" never tells whether the review exists: the same sentence for a missing one.
    with pytest.raises(Refusal) as missing:
        rate(graded, "a", 10**12)
    with pytest.raises(Refusal) as not_theirs:
        rate(graded, "b", to_a.pk)
    assert missing.value.message == not_theirs.value.message == feedback.NOT_FOUND


@pytest.mark.parametrize("helpful", [1, 0, "yes", "true", None, [], {}])
def test_helpful_is_a_yes_or_no_answer_and_nothing_else(graded, helpful):
    (mine,) = received("a")
    with pytest.raises(Refusal, match="Yes or No") as refused:
        rate(graded, "a", mine.pk, helpful)
    assert refused.value.status == 400 and ReviewFeedback.objects.count() == 0


def test_the_comment_is_at_most_500_characters_counted_as_characters(graded):
    (mine,) = received("a")
    rate(graded, "a", mine.pk, True, "x" * 500)
    rate(graded, "a", mine.pk, True, "\n  " + "é" * 500 + "  \n")  # surrounding spaces do not count
    assert ReviewFeedback.objects.get().comment == "é" * 500
    rate(graded, "a", mine.pk, True, "\U0001f600" * 500)  # 500 emoji are 500 characters (2,000 bytes)
    assert len(ReviewFeedback.objects.get().comment) == 500
    rate(graded, "a", mine.pk, True, "first line\r\nsecond line")
    assert ReviewFeedback.objects.get().comment == "first line\nsecond line"
    before = stored()
    with pytest.raises(Refusal, match="501 characters; the limit is 500") as refused:
        rate(graded, "a", mine.pk, False, "y" * 501)
    assert refused.value.status == 400
    with pytest.raises(Refusal, match="must be text"):
        rate(graded, "a", mine.pk, False, ["a list"])
    assert stored() == before


def test_a_withdrawn_response_can_no_longer_rate_its_reviews(graded):
    (mine,) = received("a")
    rate(graded, "a", mine.pk, True, "kept")
    staff_actions.cancel_submission(graded, "staff-1", mine.submission_id, "copied")
    before = stored()
    with pytest.raises(Refusal, match="withdrew") as refused:
        rate(graded, "a", mine.pk, False)
    assert refused.value.status == 409 and stored() == before


def test_after_delete_learner_state_the_old_reviews_are_not_found(graded):
    (mine,) = received("a")
    staff_actions.clear_learner_state(graded, "a", "staff-1")
    with pytest.raises(Refusal) as refused:
        rate(graded, "a", mine.pk)
    assert refused.value.status == 404


def test_a_review_that_came_after_the_grade_can_be_rated_too(transactional_db):
    """Not counted in the grade, but shown with its comments: the author may say whether it helped."""
    item = make_item(lease_hours=1)
    submit(item, "a", "b", "c", start=T0)
    held = workflow.next_review(item, "b", now=T0).lease  # b starts on a's response, then lets it expire
    assert held.submission.anonymous_user_id == "a"
    workflow.save_review_draft(item, "b", held.pk, {"options": {"a": 2}, "overall": "Slow but thorough."})
    later = T0 + timedelta(hours=3)
    review(item, "c", 1, now=later)                       # c takes a's free slot: a's counted review
    review(item, "a", 1, now=later)                       # a gives theirs: a is graded
    assert PeerSubmission.objects.get(anonymous_user_id="a").graded_at is not None
    back = workflow.next_review(item, "b", now=later).lease
    assert back.pk == held.pk                             # the draft was kept: b finishes after the grade
    late = workflow.complete_review(item, "b", back.pk, back.draft, now=later)
    late.refresh_from_db()
    assert late.submission.anonymous_user_id == "a" and not late.counted
    rate(item, "a", late.pk, True, "The most useful one.")
    assert ReviewFeedback.objects.get(review=late).helpful is True
    shown = learner_state.learner_state(item, "a", T)["grade"]["later"]
    assert [r["feedback"]["comment"] for r in shown] == ["The most useful one."]


def test_ratings_by_reviewer_counts_helpful_and_rated_in_one_query(graded):
    submit(graded, "c", "d", start=T0)
    to_c = review(graded, "d", 2, now=T0)                 # d reviews c; c reviews d: both graded
    to_d = review(graded, "c", 2, now=T0)
    (to_a_by_b,) = received("a")
    (to_b_by_a,) = received("b")
    rate(graded, "a", to_a_by_b.pk, True)
    rate(graded, "b", to_b_by_a.pk, False)
    rate(graded, to_c.submission.anonymous_user_id, to_c.pk, True)
    rate(graded, to_d.submission.anonymous_user_id, to_d.pk, False)
    with CaptureQueriesContext(connection) as ctx:
        counts = feedback.ratings_by_reviewer(graded, ["a", "b", "c", "d", "e"])
    assert len(ctx.captured_queries) == 1
    assert counts == {"a": (0, 1), "b": (1, 1), "c": (0, 1), "d": (1, 1), "e": (0, 0)}
    assert feedback.ratings_by_reviewer(graded.usage_id, ["b"]) == {"b": (1, 1)}
    assert feedback.ratings_by_reviewer("another-block", ["a", "b"]) == {"a": (0, 0), "b": (0, 0)}
    assert feedback.ratings_by_reviewer(graded, []) == {}


def test_reviewers_never_see_ratings_and_authors_see_only_their_own(graded):
    (to_a,) = received("a")
    rate(graded, "a", to_a.pk, False, "Only a list of complaints.")
    reviewer_state = learner_state.learner_state(graded, "b", T)  # b wrote the review a rated
    text = repr(reviewer_state)
    assert "complaints" not in text and "not helpful" not in text
    assert all(not r["feedback"]["rated"] for r in reviewer_state["grade"]["counted"])  # b's own reviews: unrated
    author_state = learner_state.learner_state(graded, "a", T)
    (shown,) = author_state["grade"]["counted"]
    assert shown["id"] == to_a.pk and shown["feedback"]["comment"] == "Only a list of complaints."
    assert "b" not in {v for v in shown.values() if isinstance(v, str)}  # no reviewer id


def test_staff_see_each_rating_in_the_detail_and_the_counts_in_the_csv(graded):
    (to_a,) = received("a")
    rate(graded, "a", to_a.pk, True, "<b>Thanks</b>, clear advice.")
    sub_a = PeerSubmission.objects.get(anonymous_user_id="a")
    detail = staff.submission_detail(graded, sub_a, "text of a")
    (shown,) = detail["reviews"]
    assert shown["feedback"]["helpful"] is True and shown["feedback"]["comment"] == "<b>Thanks</b>, clear advice."
    sub_b = PeerSubmission.objects.get(anonymous_user_id="b")
    assert staff.submission_detail(graded, sub_b, "text of b")["reviews"][0]["feedback"] is None
    header = staff.csv_header(graded)
    rows = {row[1]: row for row in staff.csv_rows(graded)}
    # b wrote the review a rated helpful; a's review of b is not rated.
    assert rows["b"][header.index("Ratings received")] == 1 and rows["b"][header.index("Rated helpful by the authors")] == 1
    assert rows["a"][header.index("Ratings received")] == 0 and rows["a"][header.index("Rated helpful by the authors")] == 0


def test_the_staff_detail_and_the_learner_grade_cost_the_same_queries_whatever_the_number_of_reviews(
        transactional_db):
    def queries(usage_id, learners):
        item = make_item(usage_id=usage_id, reviews_required=learners - 1, reviews_to_give=learners - 1)
        names = [f"{usage_id}-{i}" for i in range(learners)]
        submit(item, *names, start=T0)
        for _round in range(learners - 1):
            for name in names:
                review(item, name, now=T0)
        sub = PeerSubmission.objects.get(usage_id=usage_id, anonymous_user_id=names[0])
        assert sub.graded_at is not None
        for r in Review.objects.filter(submission=sub):
            rate(item, names[0], r.pk, True, "fine")
        with CaptureQueriesContext(connection) as staff_reads:
            detail = staff.submission_detail(item, sub, "text")
        with CaptureQueriesContext(connection) as learner_reads:
            grade = learner_state.grade_view(sub, T)
        assert all(r["feedback"] for r in detail["reviews"]) and all(r["feedback"]["rated"] for r in grade["counted"])
        return len(detail["reviews"]), len(staff_reads.captured_queries), len(learner_reads.captured_queries)

    few = queries("block-few", 2)
    many = queries("block-many", 4)
    assert (few[0], many[0]) == (1, 3)
    assert few[1:] == many[1:]


def test_retirement_of_the_author_erases_their_comments_and_keeps_the_answer(graded):
    (to_a,) = received("a")
    (to_b,) = received("b")
    rate(graded, "a", to_a.pk, False, "My name is Ana and this did not help.")
    rate(graded, "b", to_b.pk, True, "Helpful advice.")
    staff_actions.retire_learner(["a"])
    assert ReviewFeedback.objects.get(review=to_a).comment == ""
    assert ReviewFeedback.objects.get(review=to_a).helpful is False
    assert ReviewFeedback.objects.get(review=to_b).comment == "Helpful advice."  # b's own words stay
    # The retired learner was also a reviewer: b's rating of a's review still counts, under a's alias.
    alias = Review.objects.get(pk=to_b.pk).reviewer_id
    assert alias.startswith("retired-") and feedback.ratings_by_reviewer(graded, [alias]) == {alias: (1, 1)}
