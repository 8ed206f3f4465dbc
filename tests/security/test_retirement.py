"""User retirement: the learner's data leaves our tables; other learners keep grades and reviews.

``student_1`` takes a quiz and a peer-reviewed case study: they submit, review ``a`` (whose grade
then rests on that review) and are reviewed by ``b``; they rate ``b``'s review and ``a`` rates theirs.
They also leave a response draft, a flag, a half-written review, and act as staff once. The LMS's
``USER_RETIRE_LMS_MISC`` signal is sent for them through the receiver wired in the plugin app; then
no table of ours holds their id or anything they wrote, and every counter still equals its recount.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.dispatch import Signal
from django.utils import timezone

from factories import ANALYSIS_ONLY, graded_with, peer_item, review
from sse_academy_xblock import signals
from sse_academy_xblock.profile.models import DimensionScore
from sse_academy_xblock.peer import agreement_totals, calibration, feedback, self_assessment, staff_actions, workflow
from sse_academy_xblock.peer.calibration_examples import Example
from sse_academy_xblock.peer.models import (
    CalibrationAttempt, CriterionAgreement, Flag, PeerSubmission, ResponseDraft, Review, ReviewerAgreement,
    ReviewFeedback, ReviewLease, SelfAssessment, StaffAction,
)
from sse_academy_xblock.quiz import item_totals
from sse_academy_xblock.quiz.models import QuizItemAnswer, QuizRoster, QuizWrongAnswer

from .conftest import QUIZ, json_call, open_as

pytestmark = pytest.mark.django_db(transaction=True)

ITEM = peer_item("block-v1:SSE+Retire+1+type@sse_case_study+block@case", ANALYSIS_ONLY,
                 course_id="course-v1:SSE+Retire+1", dimension="rights_at_work", reviews_required=1, reviews_to_give=1)
GONE = "student_1"


@pytest.fixture
def activity(make_block):
    quiz = make_block(QUIZ)
    # Both give a wrong number (counted among the question's wrong answers), each their own.
    for user, answers in ((GONE, {"q1": "a", "q2": "1900"}), ("student_2", {"q1": "b", "q2": "1777"})):
        assert json_call(open_as(quiz.scope_ids.usage_id, user), "submit", {"attempt": 1, "answers": answers})[0] == 200
    start = timezone.now() - timedelta(hours=1)
    for i, user in enumerate(("a", "b", GONE)):
        workflow.submit_response(ITEM, user, f"An analysis written by learner number {i}.", now=start + timedelta(seconds=i))
    review(ITEM, GONE, 2, comments={"analysis": "Good use of the case."},  # student_1 reviews a (oldest, least loaded)
           overall="Overall a solid piece, says student_1.")
    review(ITEM, "a", 1, comments={"analysis": "Partly argued."})  # a reviews b: a is graded from student_1's review
    review(ITEM, "b", 0, comments={"analysis": "Too short."})  # b reviews student_1: both graded
    # Ratings of reviews: student_1 rates b's review of their response; a rates student_1's review.
    feedback.rate_review(ITEM, GONE, Review.objects.get(reviewer_id="b").pk, False, "I, student_1, found it unfair.")
    feedback.rate_review(ITEM, "a", Review.objects.get(reviewer_id=GONE).pk, True, "Clear and kind.")
    # Unfinished things that identify student_1: a response draft elsewhere, a flag, a review draft.
    other = peer_item(ITEM.usage_id + "-2", ANALYSIS_ONLY, course_id=ITEM.course_id, reviews_required=1,
                      reviews_to_give=1)
    workflow.save_response_draft(other, GONE, "my unfinished analysis")
    workflow.submit_response(other, "c", "Another analysis of the factory.")
    workflow.submit_response(other, "d", "A third analysis of the factory.")
    workflow.submit_response(other, GONE + "x", "placeholder")  # a learner whose id contains student_1's
    third = peer_item(ITEM.usage_id + "-3", ANALYSIS_ONLY, course_id=ITEM.course_id, reviews_required=1,
                      reviews_to_give=1)
    workflow.submit_response(third, "e", "An analysis that student_1 will report.")
    workflow.submit_response(third, GONE, "student_1's analysis in the third exercise.")
    lease = workflow.next_review(third, GONE).lease
    workflow.flag_response(third, GONE, lease.pk, "copied from a website")
    # A half-written review (an open lease with a draft) and, as course staff, a withdrawn response.
    fourth = peer_item(ITEM.usage_id + "-4", ANALYSIS_ONLY, course_id=ITEM.course_id, reviews_required=1,
                       reviews_to_give=1)
    for user in ("f", "g", GONE):
        workflow.submit_response(fourth, user, f"An analysis of the fourth exercise by {user}.")
    lease = workflow.next_review(fourth, GONE).lease
    workflow.save_review_draft(fourth, GONE, lease.pk, {"options": {}, "comments": {"analysis": "Half-written by me"},
                                                        "overall": "Not finished yet"})
    g_sub = PeerSubmission.objects.get(usage_id=fourth.usage_id, anonymous_user_id="g")
    staff_actions.cancel_submission(fourth, GONE, g_sub.pk, "Withdrawn at the author's request")
    e_sub = PeerSubmission.objects.get(usage_id=third.usage_id, anonymous_user_id="e")
    staff_actions.clear_flags(third, GONE, e_sub.pk, "not copied")
    # Two reviews of one response: the reviewers' agreement is counted.
    fifth = peer_item(ITEM.usage_id + "-5", ANALYSIS_ONLY, course_id=ITEM.course_id, reviews_required=2,
                      reviews_to_give=0)
    graded_with(fifth, "h", [(GONE, {"analysis": 0}), ("i", {"analysis": 2})])
    # A self-assessment of their own response, in an exercise that has the step.
    sixth = peer_item(ITEM.usage_id + "-6", ANALYSIS_ONLY, course_id=ITEM.course_id, reviews_required=1,
                      reviews_to_give=0, self_assessment="counted")
    workflow.submit_response(sixth, GONE, "student_1's analysis in the sixth exercise.")
    self_assessment.submit(sixth, GONE, {"options": {"analysis": 2}})
    # Their practice on a staff-scored example (calibration) before reviewing.
    seventh = peer_item(ITEM.usage_id + "-7", ANALYSIS_ONLY, course_id=ITEM.course_id, reviews_required=1,
                      reviews_to_give=1, calibration_count=1,
                      calibration_examples=(Example("ex", "An example.", {"analysis": "Strong"}),))
    workflow.submit_response(seventh, GONE, "student_1's analysis in the seventh exercise.")
    calibration.assess(seventh, GONE, "ex", {"options": {"analysis": 1}})
    return quiz


# What student_1 wrote: kept by us until retirement, then in none of our tables.
THEIR_TEXTS = ("my unfinished analysis", "Good use of the case.", "Overall a solid piece, says student_1.",
               "I, student_1, found it unfair.", "copied from a website", "Half-written by me", "Not finished yet")
# Their submitted responses: in edx-submissions only, never in our tables.
THEIR_RESPONSES = ("An analysis written by learner number 2.", "student_1's analysis in the third exercise.",
                   "student_1's analysis in the sixth exercise.", "student_1's analysis in the seventh exercise.",
                   f"An analysis of the fourth exercise by {GONE}.")
USAGES = [ITEM.usage_id + suffix for suffix in ("", "-2", "-3", "-4", "-5", "-6", "-7")]


def _cells():
    """Every row of every table of our app, as (model name, row), each cell as text."""
    with connection.cursor() as cursor:
        for model in apps.get_app_config("sse_academy_xblock").get_models():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")
            for row in cursor.fetchall():
                yield model.__name__, [cell if isinstance(cell, str) else json.dumps(cell, default=str)
                                       for cell in row]


def rows_holding(text: str) -> list[str]:
    """Every row of our tables with a cell containing ``text``."""
    return [f"{name}: {row}" for name, row in _cells() if any(text in cell for cell in row)]


def check_recounts(usage: str) -> None:
    """Every counter of the block equals its recount: loads, reviews received and given, agreement."""
    for sub in PeerSubmission.objects.filter(usage_id=usage):
        reviews = Review.objects.filter(submission=sub).count()
        live = ReviewLease.objects.filter(submission=sub, status=ReviewLease.OPEN).count()
        assert (sub.received, sub.load) == (reviews, reviews + live), sub.anonymous_user_id
        done = ReviewLease.objects.filter(usage_id=usage, reviewer_id=sub.anonymous_user_id,
                                          status=ReviewLease.DONE).count()
        assert sub.given == done, sub.anonymous_user_id

    def agreement():
        return (sorted(ReviewerAgreement.objects.filter(usage_id=usage).values_list(
                    "reviewer_id", "reviews", "distance_sum", "mean_distance")),
                sorted(CriterionAgreement.objects.filter(usage_id=usage, units__gt=0).values_list(
                    "criterion_name", "units", "reviews", "cells")))

    kept = agreement()
    with transaction.atomic():
        agreement_totals.rebuild(usage)  # a full recount from the counted reviews
        recounted = agreement()
        transaction.set_rollback(True)
    assert kept == recounted


def rows_naming(anon_id: str) -> list[str]:
    """Every cell of our tables equal to ``anon_id`` (ids are stored whole, never inside other text)."""
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_app_config("sse_academy_xblock").get_models():
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table}")
            for row in cursor.fetchall():
                if any(cell == anon_id for cell in row):
                    found.append(f"{model.__name__}: {row}")
    return found


def grades():
    """Grades in the first exercise, by learner (student_1 under their alias after retirement)."""
    return {s.anonymous_user_id: (s.final_points, s.points_possible, s.graded_at)
            for s in PeerSubmission.objects.filter(usage_id=ITEM.usage_id)}


def test_retirement_removes_the_learner_and_keeps_everyone_elses_grades(activity):
    from submissions import api as submissions_api

    assert rows_naming(GONE), "the set-up should have left student_1's data in our tables"
    quiz_usage = str(activity.scope_ids.usage_id)
    assert item_totals.read(quiz_usage)[2] == {"q2": [("1777", 1), ("1900", 1)]}
    for text in THEIR_TEXTS:
        assert rows_holding(text), f"the set-up should have left {text!r} in our tables"
    for text in THEIR_RESPONSES:
        assert rows_holding(text) == [], "a submitted response lives in edx-submissions, not in our tables"
    for usage in USAGES:
        check_recounts(usage)
    before = grades()
    assert before["a"][0] == 4 and before["b"][0] == 2 and before[GONE][0] == 0
    received_by_a = list(Review.objects.filter(submission__anonymous_user_id="a").values_list("pk", "total_points", "counted"))
    a_item = ITEM.student_item("a")
    a_score = submissions_api.get_score(a_item)
    dims_of_others = sorted(DimensionScore.objects.exclude(anonymous_user_id=GONE).values_list(
        "anonymous_user_id", "usage_id", "dimension", "earned", "possible"))

    # Sent the way the LMS sends it, through the receiver named in the plugin app.
    config = apps.get_app_config("sse_academy_xblock").plugin_app["signals_config"]["lms.djangoapp"]
    module = importlib.import_module(f"sse_academy_xblock.{config['relative_path']}")
    (receiver,) = config["receivers"]
    assert receiver["signal_path"].endswith(".USER_RETIRE_LMS_MISC")
    retire_signal = Signal()
    retire_signal.connect(getattr(module, receiver["receiver_func_name"]), dispatch_uid=receiver["dispatch_uid"])
    from django.contrib.auth.models import User

    retire_signal.send(sender=None, user=User(username=GONE), email="gone@example.com", new_email="x@retired")

    assert rows_naming(GONE) == [], "student_1 is still named in our tables"
    for text in THEIR_TEXTS + THEIR_RESPONSES:
        assert rows_holding(text) == [], f"{text!r} is still in our tables"
    for usage in USAGES:
        check_recounts(usage)
    assert not DimensionScore.objects.filter(anonymous_user_id=GONE).exists()
    assert not QuizRoster.objects.filter(anonymous_user_id=GONE).exists()
    assert not QuizItemAnswer.objects.filter(anonymous_user_id=GONE).exists()
    assert QuizItemAnswer.objects.filter(anonymous_user_id="student_2").exists()
    quiz_usage = QuizItemAnswer.objects.get(anonymous_user_id="student_2", question_id="q1", attempts="last").usage_id
    learners, totals = item_totals.totals(quiz_usage)
    assert learners == 1 and totals["q1"].n == 1 and totals["q1"].options.get("a", 0) == 0  # only student_2's "b"
    # Their wrong number is no longer counted; student_2's is.
    assert item_totals.read(quiz_usage)[2] == {"q2": [("1777", 1)]}
    assert not QuizWrongAnswer.objects.filter(usage_id=quiz_usage, value="1900").exists()
    # Every attempt set (first, last, all) and its whole-test sums hold student_2's attempt alone.
    alone = QuizItemAnswer.objects.filter(anonymous_user_id="student_2", usage_id=quiz_usage, attempts="last").first().p
    for attempts in ("first", "last", "all"):
        quiz, per_question = item_totals.set_totals(quiz_usage, attempts)
        assert (quiz.n, quiz.sp, quiz.spp) == (1, alone, alone * alone), attempts
        assert per_question["q1"].n == 1 and per_question["q1"].sp == alone, attempts
    assert not ResponseDraft.objects.filter(anonymous_user_id=GONE).exists()
    assert QuizRoster.objects.filter(anonymous_user_id="student_2").exists()
    assert QuizRoster.objects.filter(anonymous_user_id=GONE + "x").exists() is False  # never a quiz taker
    assert PeerSubmission.objects.filter(anonymous_user_id=GONE + "x").exists()  # a different learner: untouched

    # Other learners: grades, LMS scores, profile rows and the reviews they received are unchanged.
    after = grades()
    assert after["a"] == before["a"] and after["b"] == before["b"]
    assert list(Review.objects.filter(submission__anonymous_user_id="a").values_list("pk", "total_points", "counted")) == received_by_a
    # The review student_1 gave a keeps its points (a's grade rests on them) and loses its words.
    given = Review.objects.get(submission__anonymous_user_id="a")
    assert (given.overall_comment, given.parts.get().comment, given.parts.get().points) == ("", "", 4)
    assert submissions_api.get_score(a_item)["points_earned"] == a_score["points_earned"]
    assert sorted(DimensionScore.objects.exclude(anonymous_user_id=GONE).values_list(
        "anonymous_user_id", "usage_id", "dimension", "earned", "possible")) == dims_of_others
    # The retired learner's own submission and the reviews they gave stay, under an alias no one can link.
    aliases = {s.anonymous_user_id for s in PeerSubmission.objects.exclude(
        anonymous_user_id__in=("a", "b", "c", "d", "e", "f", "g", "h", GONE + "x"))}
    assert len(aliases) == 1, "one alias for one anonymous id, in every table"
    (alias,) = aliases
    # Random, not derived from the id: no hash of it, nothing of it.
    assert re.fullmatch(r"retired-[0-9a-f]{32}", alias)
    assert GONE not in alias and hashlib.sha256(GONE.encode()).hexdigest()[:24] not in alias
    assert after[alias] == before[GONE]  # their own grade, under the alias
    # The two reviews given, the flagged one and the half-written one (withdrawn: its slot is free again).
    assert sorted(ReviewLease.objects.filter(reviewer_id=alias).values_list("status", flat=True)) == [
        ReviewLease.DONE, ReviewLease.DONE, ReviewLease.CANCELLED, ReviewLease.CANCELLED]
    assert PeerSubmission.objects.get(anonymous_user_id="f").load == 0
    assert not ReviewLease.objects.filter(reviewer_id=alias).exclude(draft={}).exists()
    assert Flag.objects.get().reporter_id == alias and Flag.objects.get().resolved_by == alias
    assert Review.objects.filter(reviewer_id=alias, counted=True).count() == 2
    assert ReviewerAgreement.objects.get(reviewer_id=alias).reviews == 1
    # Their practice stays for the staff's figures per example, under the alias.
    assert list(CalibrationAttempt.objects.values_list("anonymous_user_id", "example")) == [(alias, "ex")]
    # What they did as staff stays in the audit trail, under the alias, with the staff's words.
    assert sorted(StaffAction.objects.filter(staff_id=alias).values_list("action", "reason")) == [
        ("cancel", "Withdrawn at the author's request"), ("clear_flag", "not copied")]
    assert PeerSubmission.objects.get(anonymous_user_id="g").cancelled_by == alias
    # edx-submissions keeps the response and the real anonymous id (docs/operations.md says so).
    kept_there = submissions_api.get_submissions(ITEM.student_item(GONE))
    assert [s["answer"]["text"] for s in kept_there] == ["An analysis written by learner number 2."]
    # student_1's rating keeps its answer but loses their words; a's rating of student_1's review is a's, kept.
    theirs = ReviewFeedback.objects.get(review__reviewer_id="b")
    assert (theirs.helpful, theirs.comment) == (False, "")
    kept = ReviewFeedback.objects.get(review__submission__anonymous_user_id="a")
    assert (kept.helpful, kept.comment) == (True, "Clear and kind.")
    assert feedback.ratings_by_reviewer(ITEM, aliases) == {alias: (1, 1)}
    assert not ReviewFeedback.objects.filter(comment__contains="student_1").exists()

    # Retirement can be retried by the platform: running it again changes nothing.
    def snapshot():
        return (grades(), rows_naming(GONE), Review.objects.count(), Flag.objects.count(),
                sorted(ReviewFeedback.objects.values_list("review_id", "helpful", "comment")))

    before_again = snapshot()
    signals.on_user_retired(sender=None, user=User(username=GONE))
    assert snapshot() == before_again

    # The operator's erasure of the response texts in edx-submissions, as docs/operations.md gives it.
    from django.core.cache import cache
    from submissions.models import Submission

    mine = PeerSubmission.objects.get(usage_id=ITEM.usage_id, anonymous_user_id=alias)
    assert workflow.response_text(mine) == "An analysis written by learner number 2."  # now cached too
    anon_ids = [GONE]
    rows = Submission._objects.filter(student_item__student_id__in=anon_ids, student_item__item_type="sse_case_study")
    uuids = list(rows.values_list("uuid", flat=True))
    rows.update(answer={"text": ""})
    cache.delete_many([Submission.get_cache_key(uuid) for uuid in uuids])
    assert workflow.response_text(mine) == ""
    assert [s["answer"]["text"] for s in submissions_api.get_submissions(ITEM.student_item(GONE))] == [""]
    assert Submission._objects.filter(student_item__student_id="a").exclude(answer={"text": ""}).exists()
    assert after == grades()


def test_the_alias_is_drawn_afresh_each_time(activity):
    """Nothing about the id decides the alias: retiring the same learner twice gives two unrelated aliases."""
    aliases = []
    for _ in range(2):
        with transaction.atomic():
            signals.retire_anonymous_ids([GONE])
            aliases.append(PeerSubmission.objects.get(usage_id=ITEM.usage_id, anonymous_user_id__startswith="retired-")
                           .anonymous_user_id)
            transaction.set_rollback(True)
    assert aliases[0] != aliases[1]
    assert rows_naming(GONE), "rolled back: student_1 is still there"


def test_the_receiver_ignores_a_signal_without_a_user(activity):
    before = rows_naming(GONE)
    signals.on_user_retired(sender=None)
    assert rows_naming(GONE) == before


def test_anonymous_ids_come_from_the_platform_when_it_is_there(monkeypatch):
    """Inside Open edX the ids are every course-specific anonymous id the platform gave the user."""
    import sys
    import types

    calls = []

    class Manager:
        def filter(self, **kwargs):
            calls.append(kwargs)
            return self

        def values_list(self, *args, **kwargs):
            return ["anon-course-2", "anon-course-1", "anon-course-1"]

    fake = types.ModuleType("common.djangoapps.student.models")
    fake.AnonymousUserId = type("AnonymousUserId", (), {"objects": Manager()})
    for name in ("common", "common.djangoapps", "common.djangoapps.student"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "common.djangoapps.student.models", fake)
    user = object()
    assert signals.anonymous_ids_of(user) == ["anon-course-1", "anon-course-2"]
    assert calls == [{"user": user}]


def test_clear_student_state_resets_one_learner_and_keeps_the_others(activity, make_block):
    """The instructor dashboard's "delete learner state", on the quiz and the case study."""
    from submissions import api as submissions_api

    from sse_academy_xblock.peer import staff_actions

    quiz = activity
    before = grades()
    received_by_a = list(Review.objects.filter(submission__anonymous_user_id="a").values_list("pk", "counted"))
    a_score = submissions_api.get_score(ITEM.student_item("a"))

    block = open_as(quiz.scope_ids.usage_id, "staff")
    block.clear_student_state(GONE, "course", str(quiz.scope_ids.usage_id), "staff-user-1")
    assert not QuizRoster.objects.filter(anonymous_user_id=GONE, usage_id=str(quiz.scope_ids.usage_id)).exists()
    assert not QuizItemAnswer.objects.filter(anonymous_user_id=GONE, usage_id=str(quiz.scope_ids.usage_id)).exists()
    assert item_totals.totals(str(quiz.scope_ids.usage_id))[0] == 1
    assert [item_totals.set_totals(str(quiz.scope_ids.usage_id), s)[0].n for s in ("first", "all")] == [1, 1]
    assert not DimensionScore.objects.filter(anonymous_user_id=GONE, usage_id=str(quiz.scope_ids.usage_id)).exists()
    assert QuizRoster.objects.filter(anonymous_user_id="student_2").exists()

    staff_actions.clear_learner_state(ITEM, GONE, "staff-user-1")
    mine = PeerSubmission.objects.get(usage_id=ITEM.usage_id, anonymous_user_id=GONE)
    assert mine.is_cleared and submissions_api.get_score(ITEM.student_item(GONE)) is None
    assert not DimensionScore.objects.filter(anonymous_user_id=GONE, usage_id=ITEM.usage_id).exists()
    # What student_1 gave others stays: a's grade, LMS score and received reviews are unchanged.
    after = grades()
    assert after["a"] == before["a"] and after["b"] == before["b"]
    assert list(Review.objects.filter(submission__anonymous_user_id="a").values_list("pk", "counted")) == received_by_a
    assert submissions_api.get_score(ITEM.student_item("a"))["points_earned"] == a_score["points_earned"]
    # The learner may start again: a new submission, the reviews they gave still count.
    again = workflow.submit_response(ITEM, GONE, "A second analysis after the reset.")
    assert again.attempt == 2 and again.given == 1


def test_learners_retired_by_an_earlier_version_get_a_random_alias_and_lose_their_words(activity):
    """Migration 0015: the hash-of-the-id aliases of earlier retirements are replaced, the kept texts emptied."""
    from sse_academy_xblock.profile.models import learner_key
    from sse_academy_xblock.quiz import roster

    migration = importlib.import_module("sse_academy_xblock.migrations.0015_realias_retired_learners")
    old = "retired-" + hashlib.sha256(GONE.encode("utf-8")).hexdigest()[:24]
    # What the earlier retirement left: the id replaced by the hash everywhere, drafts and the quiz
    # rows deleted, but the comments of the reviews given and the open lease kept (and, as if a grade
    # had come after retirement, score rows under the old alias).
    ResponseDraft.objects.filter(anonymous_user_id=GONE).delete()
    SelfAssessment.objects.filter(anonymous_user_id=GONE).delete()  # the table came later (migration 0020)
    CalibrationAttempt.objects.filter(anonymous_user_id=GONE).delete()  # likewise (migration 0019)
    roster.forget_learner(GONE)
    item_totals.forget_learner(GONE)
    for model_name, column in migration.ID_COLUMNS:
        apps.get_model("sse_academy_xblock", model_name).objects.filter(**{column: GONE}).update(**{column: old})
    assert rows_naming(old) and rows_holding("Good use of the case.") and rows_holding("Half-written by me")
    before = grades()

    migration.realias_retired_learners(apps, None)

    assert rows_naming(old) == [] and rows_naming(GONE) == []
    for text in THEIR_TEXTS + THEIR_RESPONSES:
        assert rows_holding(text) == [], f"{text!r} is still in our tables"
    for usage in USAGES:
        check_recounts(usage)
    (alias,) = {s.anonymous_user_id for s in PeerSubmission.objects.filter(anonymous_user_id__startswith="retired-")}
    assert re.fullmatch(r"retired-[0-9a-f]{32}", alias)
    assert {r.reviewer_id for r in Review.objects.filter(reviewer_id__startswith="retired-")} == {alias}
    assert StaffAction.objects.filter(staff_id=alias).count() == 2
    scores = DimensionScore.objects.filter(anonymous_user_id=alias)
    assert scores.exists() and set(scores.values_list("learner_key", flat=True)) == {learner_key(alias)}
    after = grades()
    assert after.pop(alias) == before.pop(old) and after == before
    # Run again (a re-applied migration): nothing left to do.
    snapshot = sorted(PeerSubmission.objects.values_list("pk", "anonymous_user_id"))
    migration.realias_retired_learners(apps, None)
    assert sorted(PeerSubmission.objects.values_list("pk", "anonymous_user_id")) == snapshot
