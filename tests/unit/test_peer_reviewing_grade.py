"""The grade for reviewing (peer/reviewing_grade.py): its formula, and its way through the grade outbox."""

from __future__ import annotations

from functools import partial

import pytest
from django.utils import translation
from submissions import api as submissions_api

from factories import RUBRIC_A, graded_with, peer_item
from sse_academy_xblock.i18n import BlockTranslator
from sse_academy_xblock.peer import learner_state, reviewing_grade
from sse_academy_xblock.peer.models import GradeDelivery, PeerSubmission
from sse_academy_xblock.peer.reviewing_grade import combined_points, reviewing_grade as grade_of, score_from

# RUBRIC_A: one criterion "a" of 4 points (option index 0: 0 points, 1: 2, 2: 4). Nobody owes a review, so a
# response is graded as soon as it has its two reviews.
make_item = partial(peer_item, usage_id="block-rg", rubric=RUBRIC_A, reviews_required=2, reviews_to_give=0)


# --- the formula ---------------------------------------------------------------------------------

def test_the_reviewing_grade_is_one_minus_the_mean_distance_and_pending_before_any_compared_review():
    assert grade_of(None, 0) is None
    assert grade_of(0.0, 0) is None  # a row without a compared review is still pending
    assert grade_of(0.25, 2) == 0.75
    assert grade_of(0.0, 1) == 1.0 and grade_of(1.0, 3) == 0.0


def test_the_score_weighs_the_response_and_the_reviewing_grade_by_the_share():
    # the worked example of docs/insight.md: 0.8 x 6 + 0.2 x 0.9 x 10 = 6.6, rounded to 7 of 10
    assert combined_points(6, 10, 0.2, 0.9) == 7
    assert combined_points(5, 10, 0.5, 0.8) == 7  # 2.5 + 4 = 6.5: a half point rounded up
    assert combined_points(10, 10, 0.5, 0.0) == 5  # reviewing can take points away ...
    assert combined_points(0, 10, 0.5, 1.0) == 5  # ... and add some, never beyond the best total
    assert combined_points(10, 10, 0.5, 1.0) == 10


def test_share_0_or_a_pending_reviewing_grade_leave_the_response_grade():
    assert combined_points(6, 10, 0.0, 0.2) == 6
    assert combined_points(6, 10, 0.3, None) == 6
    item = make_item()  # review_share 0, the default
    score = score_from(item, 3, 4, (5, 0.9))
    assert (score.points, score.reviewing, score.counts_reviewing) == (3, None, False)


def test_reviews_a_learner_did_not_give_do_not_lower_the_reviewing_grade():
    # Three reviews were to be given and only one was: its distance alone makes the grade. Missing reviews are
    # the waiting rule's business (they hold back or lower the learner's own grade), not a distance of 100 %.
    item = make_item(review_share=0.5, reviews_to_give=3)
    score = score_from(item, 2, 4, (1, 0.0))
    assert (score.reviewing, score.compared, score.points) == (1.0, 1, 3)  # 0.5 x 2 + 0.5 x 1 x 4


def test_the_share_is_kept_between_0_and_one_half():
    assert reviewing_grade.share_of(make_item(review_share=0.9)) == 0.5
    assert reviewing_grade.share_of(make_item(review_share=-1)) == 0.0


# --- through the outbox --------------------------------------------------------------------------

def lms_score(item, user):
    found = submissions_api.get_score(item.student_item(user))
    return None if found is None else (found["points_earned"], found["points_possible"])


def set_rows(user):
    return list(GradeDelivery.objects.filter(usage_id="block-rg", anonymous_user_id=user, kind=GradeDelivery.SET)
                .order_by("pk").values_list("points", flat=True))


def test_a_reviewer_score_is_sent_again_when_a_response_they_reviewed_is_graded(transactional_db):
    item = make_item(review_share=0.5)
    # rita's response: 2 of 4 from two reviews; none of her reviews can be compared yet, so her score is pending
    # on reviewing and is her response's grade.
    graded_with(item, "rita", [("x", {"a": 1}), ("y", {"a": 1})])
    assert set_rows("rita") == [2] and lms_score(item, "rita") == (2, 4)
    # She and x review carl's response alike (4 and 4): her distance is 0, her grade for reviewing 100 %, and
    # her score 0.5 x 2 + 0.5 x 1 x 4 = 3, sent again in carl's grading.
    graded_with(item, "carl", [("rita", {"a": 2}), ("x", {"a": 2})])
    assert set_rows("rita") == [2, 3] and lms_score(item, "rita") == (3, 4)
    assert lms_score(item, "carl") == (4, 4)  # carl has no compared review: his response's grade
    rita = PeerSubmission.objects.get(usage_id="block-rg", anonymous_user_id="rita")
    assert rita.final_points == 2  # the response's grade itself is unchanged
    # What her page says is what the gradebook holds.
    with translation.override("en"):
        grade = learner_state.learner_state(item, "rita", BlockTranslator())["grade"]
    assert grade["earned"] == 3
    assert grade["summary"] == "Your score: 3 of 4 points (75%). Your response's grade: 2 of 4 points (50%)."
    assert "Your grade for reviewing is 100%, from 1 review of yours" in grade["reviewing"]["status"]
    assert "50% of your response's grade (2 of 4 points (50%)) plus 50% of your grade for reviewing (100%)" in (
        grade["reviewing"]["formula"])


def test_with_share_0_a_grading_sends_nothing_for_the_reviewers(transactional_db):
    item = make_item()
    graded_with(item, "rita", [("x", {"a": 1}), ("y", {"a": 1})])
    graded_with(item, "carl", [("rita", {"a": 2}), ("x", {"a": 0})])
    assert set_rows("rita") == [2] and lms_score(item, "rita") == (2, 4)
    with translation.override("en"):
        grade = learner_state.learner_state(item, "rita", BlockTranslator())["grade"]
    assert "reviewing" not in grade and grade["summary"] == "Your score: 2 of 4 points (50%)."


def test_the_page_says_pending_until_a_reviewed_response_is_graded(transactional_db):
    item = make_item(review_share=0.2)
    graded_with(item, "rita", [("x", {"a": 1}), ("y", {"a": 1})])
    with translation.override("en"):
        grade = learner_state.learner_state(item, "rita", BlockTranslator())["grade"]
    assert grade["earned"] == 2 and grade["summary"] == "Your score: 2 of 4 points (50%)."
    assert grade["reviewing"]["status"].startswith("Your grade for reviewing is pending")
    assert "Reviewing counts for 20% of your score" in grade["reviewing"]["rule"]
    assert "formula" not in grade["reviewing"]


@pytest.mark.parametrize("weight, expected", [(None, (3, 4)), (10.0, (8, 10))])
def test_the_block_weight_applies_to_the_score_with_reviewing(transactional_db, weight, expected):
    item = make_item(review_share=0.5, weight=weight)
    graded_with(item, "rita", [("x", {"a": 1}), ("y", {"a": 1})])
    graded_with(item, "carl", [("rita", {"a": 2}), ("x", {"a": 2})])
    assert lms_score(item, "rita") == expected  # 3 of 4 as 7.5 of 10, a half rounded up


@pytest.mark.parametrize("lang, counts", [("fr", "L'évaluation compte pour 20\u00a0% de votre score"),
                                          ("es", "Evaluar cuenta por el 20\u00a0% de su puntuación")])
def test_every_percentage_of_the_rule_is_written_as_the_language_writes_it(transactional_db, lang, counts):
    """The rule's "100 %" was part of the translated sentence, with a breakable space: a line could end
    between "100" and "%", unlike every percentage the page formats (a no-break space in French and Spanish)."""
    item = make_item(review_share=0.2)
    graded_with(item, "rita", [("x", {"a": 1}), ("y", {"a": 1})])
    with translation.override(lang):
        rule = learner_state.learner_state(item, "rita", BlockTranslator())["grade"]["reviewing"]["rule"]
    assert rule.startswith(counts)
    assert "100\u00a0%" in rule
    assert " %" not in rule and "%%" not in rule
