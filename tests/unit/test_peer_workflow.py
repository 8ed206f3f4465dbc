"""The learner's side: drafts, submitting, reviews, grades on commit, waiting rule, divergence."""

from datetime import timedelta
from functools import partial

import pytest
from django.utils import timezone
from submissions import api as submissions_api

from factories import ANALYSIS_AND_RIGHTS, criterion, peer_item, review, rubric, submit
from sse_academy_xblock.profile.models import DimensionScore
from sse_academy_xblock.peer import allocation, gradebook, waiting, workflow
from sse_academy_xblock.refusals import Refusal
from sse_academy_xblock.peer.models import GradeDelivery, PeerSubmission, Review, ReviewLease, StaffAction

make_item = partial(peer_item, usage_id="block-w", rubric=ANALYSIS_AND_RIGHTS, dimension="rights_at_work")


@pytest.fixture
def item(db):
    return make_item()


@pytest.fixture
def run_on_commit(transactional_db):
    """Real commits, so that grades pushed with ``transaction.on_commit`` reach edx-submissions."""


def test_response_draft_is_saved_and_replaced(item):
    workflow.save_response_draft(item, "a", "first words")
    workflow.save_response_draft(item, "a", "second words")
    assert workflow.get_response_draft(item, "a").text == "second words"
    assert workflow.get_response_draft(item, "b") is None


def test_word_limits_are_enforced_on_the_server(db):
    item = make_item(min_words=3, max_words=5)
    with pytest.raises(Refusal, match="at least 3"):
        workflow.submit_response(item, "a", "two words")
    with pytest.raises(Refusal, match="at most 5"):
        workflow.submit_response(item, "a", "one two three four five six")
    with pytest.raises(Refusal, match="empty"):
        workflow.submit_response(item, "a", "   \n ")
    assert PeerSubmission.objects.count() == 0
    sub = workflow.submit_response(item, "a", "one two\n\nthree")
    assert sub.word_count == 3


@pytest.mark.parametrize("text", ["\u200b", "\u200b\u2060 \ufeff\u180e", "\u200d\u200c\u00ad\n\u200e\u2063",
                                  "\u2060\u2060\u2060"],
                         ids=["zero-width space", "zero-width spaces and BOM", "joiners, marks, soft hyphen",
                              "word joiners"])
def test_a_response_of_invisible_characters_alone_is_refused_even_without_a_word_minimum(db, text):
    """Python's ``strip()`` keeps the zero-width spaces and format characters, so such a text was stored as a
    response of 0 words; it is refused like an empty one, with a message that says why, and nothing is stored."""
    item = make_item(min_words=0, max_words=0)
    assert text.strip() and workflow.word_count(text) == 0
    with pytest.raises(Refusal) as info:
        workflow.submit_response(item, "a", text)
    assert info.value.status == 400
    assert info.value.translated(lambda s: s) == ("Your response has no words: it holds only spaces or invisible "
                                                  "characters.")
    assert PeerSubmission.objects.count() == 0
    assert submissions_api.get_submissions(item.student_item("a")) == []


def test_submit_is_final_and_once(item):
    workflow.save_response_draft(item, "a", "draft")
    sub = workflow.submit_response(item, "a", "my answer")
    assert workflow.get_response_draft(item, "a") is None
    assert workflow.response_text(sub) == "my answer"
    with pytest.raises(Refusal) as info:
        workflow.submit_response(item, "a", "another answer")
    assert info.value.status == 409
    with pytest.raises(Refusal):
        workflow.save_response_draft(item, "a", "late draft")
    assert PeerSubmission.objects.count() == 1


def test_a_response_is_read_by_its_uuid_alone_without_sorting_the_submissions_table(db):
    """edx-submissions' model sorts by date by default; reading one response must not ask the database to,
    or a planner with stale statistics walks the whole table by date to find it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    item = make_item()
    sub = workflow.submit_response(item, "a", "my answer")
    with CaptureQueriesContext(connection) as ctx:
        assert workflow.response_text(sub) == "my answer"
    [query] = ctx.captured_queries
    assert "ORDER BY" not in query["sql"].upper() and sub.uuid.replace("-", "") in query["sql"].replace("-", "")


def test_a_rubric_without_points_cannot_take_submissions(db):
    item = make_item(rubric=rubric())
    with pytest.raises(Refusal, match="not ready"):
        workflow.submit_response(item, "a", "text")


def test_review_must_answer_every_criterion_with_a_real_option(item):
    submit(item, "a", "b")
    lease = workflow.next_review(item, "b").lease
    with pytest.raises(Refusal, match="every criterion"):
        workflow.complete_review(item, "b", lease.pk, {"options": {"analysis": 1}})
    with pytest.raises(Refusal, match="not one of its options"):
        workflow.complete_review(item, "b", lease.pk, {"options": {"analysis": 9, "rights": 0}})
    with pytest.raises(Refusal, match="longer than 2000"):
        workflow.complete_review(item, "b", lease.pk, {"options": {"analysis": 1, "rights": 0},
                                                       "comments": {"rights": "x" * 2001}})
    assert Review.objects.count() == 0


def test_another_learners_lease_is_not_found(item):
    submit(item, "a", "b", "c")
    lease = workflow.next_review(item, "b").lease
    with pytest.raises(Refusal) as info:
        workflow.complete_review(item, "c", lease.pk, {"options": {"analysis": 1, "rights": 0}})
    assert info.value.status == 404
    other_block = make_item(usage_id="elsewhere")
    with pytest.raises(Refusal):
        workflow.save_review_draft(other_block, "b", lease.pk, {})


def test_review_is_final(item):
    submit(item, "a", "b")
    lease = review(item, "b").lease
    with pytest.raises(Refusal, match="already been submitted"):
        workflow.complete_review(item, "b", lease.pk, {"options": {"analysis": 0, "rights": 0}})
    with pytest.raises(ValueError):
        r = Review.objects.get()
        r.overall_comment = "changed"
        r.save()


def test_four_learners_are_all_graded_and_scores_reach_the_lms(item, run_on_commit):
    submit(item, "a", "b", "c", "d")
    for _round in range(3):
        for u in "abcd":
            review(item, u)
    for u in "abcd":
        sub = PeerSubmission.objects.get(anonymous_user_id=u)
        assert sub.graded_at is not None and sub.final_points == 5  # medians 2 + 3
        score = submissions_api.get_score(item.student_item(u))
        assert (score["points_earned"], score["points_possible"]) == (5, 7)
        row = DimensionScore.objects.get(anonymous_user_id=u, usage_id=item.usage_id)
        assert (row.dimension, row.earned, row.possible) == ("rights_at_work", 5, 7)


def test_grade_completed_by_a_reviewer_goes_to_the_author(db, run_on_commit):
    item = make_item(reviews_required=1, reviews_to_give=1)
    submit(item, "a", "b")
    review(item, "a", {"analysis": 1, "rights": 0})  # a reviews b; a is not graded yet (no review received)
    assert submissions_api.get_score(item.student_item("b")) is None  # b has given nothing yet
    review(item, "b", {"analysis": 2, "rights": 1})  # in b's request both become ready
    assert submissions_api.get_score(item.student_item("a"))["points_earned"] == 7
    assert submissions_api.get_score(item.student_item("b"))["points_earned"] == 2


def test_grade_is_recorded_for_the_gradebook_in_the_reviews_transaction(db):
    """The review's transaction writes the grade and its outbox row, and sends nothing: the ``db``
    fixture never commits, so nothing reaches edx-submissions here, and the row waits."""
    item = make_item(reviews_required=1, reviews_to_give=0)
    submit(item, "a", "b")
    review(item, "b", {"analysis": 2, "rights": 1})
    assert PeerSubmission.objects.get(anonymous_user_id="a").final_points == 7
    row = GradeDelivery.objects.get()
    assert (row.anonymous_user_id, row.kind, row.lms_earned, row.lms_possible, row.state) == (
        "a", "set", 7, 7, GradeDelivery.PENDING)
    assert submissions_api.get_score(item.student_item("a")) is None


def test_a_failed_push_keeps_the_review_and_grade_and_is_delivered_later(db, run_on_commit, monkeypatch):
    from datetime import timedelta

    from sse_academy_xblock.peer import gradebook
    item = make_item(reviews_required=1, reviews_to_give=0)
    submit(item, "a", "b")
    calls = _fail_once_on_score_set(monkeypatch, RuntimeError("a receiver of score_set failed"))
    review(item, "b", {"analysis": 2, "rights": 1})
    assert len(calls) == 1  # tried once, after the review's commit
    a = PeerSubmission.objects.get(anonymous_user_id="a")
    assert a.graded_at is not None and a.final_points == 7
    assert Review.objects.filter(submission=a, counted=True).count() == 1
    assert submissions_api.get_score(item.student_item("a")) is None
    row = GradeDelivery.objects.get()
    assert (row.state, row.attempts) == (GradeDelivery.PENDING, 1) and "score_set" in row.last_error
    assert gradebook.deliver_due(item.usage_id) == (0, 0)  # not due yet: backoff
    assert gradebook.deliver_due(item.usage_id, now=timezone.now() + timedelta(minutes=2)) == (1, 0)
    assert submissions_api.get_score(item.student_item("a"))["points_earned"] == 7
    assert DimensionScore.objects.get(anonymous_user_id="a").earned == 7


def _fail_once(monkeypatch, module, name, error):
    """Make ``module.name`` raise ``error`` on its first call, then work; returns the calls made."""
    real = getattr(module, name)
    calls = []

    def flaky(*args, **kwargs):
        calls.append(name)
        if len(calls) == 1:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, flaky)
    return calls


def _fail_once_on_score_set(monkeypatch, error):
    """A receiver of edx-submissions' ``score_set`` (the LMS's, say) that raises ``error`` the first time; returns
    the signals it got. Disconnected when the test ends."""
    from submissions.models import score_set

    calls = []

    def receiver(sender, **kwargs):
        calls.append("score_set")
        if len(calls) == 1:
            raise error

    monkeypatch.setattr(score_set, "receivers", list(score_set.receivers))
    score_set.connect(receiver, weak=False, dispatch_uid="test-peer-workflow-fails-once")
    return calls


def _deadlock_once(monkeypatch, module, name, errno=1213):
    """Make ``module.name`` fail once as a MySQL/MariaDB deadlock victim (or ``errno``), then work."""
    from django.db import OperationalError

    return _fail_once(monkeypatch, module, name, OperationalError(
        errno, "Deadlock found when trying to get lock; try restarting transaction"))


def test_a_review_whose_transaction_is_a_deadlock_victim_is_stored_once_on_the_second_try(
        db, run_on_commit, monkeypatch):
    """On MySQL/MariaDB a deadlock rolls back the whole transaction: the review is run again from the
    start, and nothing is stored (or sent) twice."""

    item = make_item(reviews_required=1, reviews_to_give=0)
    submit(item, "a", "b")
    calls = _deadlock_once(monkeypatch, gradebook, "record_intent")  # the grade's outbox row, last in the review
    real_lock, locks = workflow._lock_target_and_own, []
    monkeypatch.setattr(workflow, "_lock_target_and_own", lambda *a, **k: locks.append(1) or real_lock(*a, **k))
    review(item, "b", {"analysis": 2, "rights": 1})
    assert calls == ["record_intent", "record_intent"]
    assert len(locks) == 2  # the whole transaction ran again, not only the push
    a = PeerSubmission.objects.get(anonymous_user_id="a")
    assert a.received == 1 and a.graded_at is not None and a.final_points == 7
    assert Review.objects.filter(submission=a).count() == 1
    assert submissions_api.get_score(item.student_item("a"))["points_earned"] == 7
    assert DimensionScore.objects.get(anonymous_user_id="a").earned == 7


def test_a_review_that_keeps_failing_is_refused_and_changes_nothing(db, run_on_commit, monkeypatch):
    from django.db import OperationalError

    item = make_item(reviews_required=1, reviews_to_give=0)
    submit(item, "a", "b")
    lease = workflow.next_review(item, "b", want_extra=True).lease
    tries = []

    def always_busy(*args, **kwargs):
        tries.append(1)
        raise OperationalError(1205, "Lock wait timeout exceeded; try restarting transaction")

    monkeypatch.setattr(workflow, "_lock_target_and_own", always_busy)
    with pytest.raises(OperationalError):
        workflow.complete_review(item, "b", lease.pk, {"options": {"analysis": 2, "rights": 1}})
    assert len(tries) == workflow.REVIEW_TRIES
    assert ReviewLease.objects.get(pk=lease.pk).status == ReviewLease.OPEN  # still theirs to submit
    assert not Review.objects.exists()


def test_other_database_errors_are_not_retried(db, run_on_commit, monkeypatch):
    from django.db import OperationalError

    item = make_item(reviews_required=1, reviews_to_give=0)
    submit(item, "a", "b")
    lease = workflow.next_review(item, "b", want_extra=True).lease
    calls = _deadlock_once(monkeypatch, workflow, "_lock_target_and_own", errno=2006)  # server has gone away
    with pytest.raises(OperationalError):
        workflow.complete_review(item, "b", lease.pk, {"options": {"analysis": 2, "rights": 1}})
    assert calls == ["_lock_target_and_own"]
    assert not Review.objects.exists()


def test_a_regrade_after_the_dimension_changed_leaves_no_row_of_the_old_dimension(db, run_on_commit):
    from sse_academy_xblock.peer import staff_actions

    item = make_item(reviews_required=1, reviews_to_give=0)
    submit(item, "a", "b")
    review(item, "b", {"analysis": 2, "rights": 1})  # a's first grade: the score table had no row to remove
    assert [(r.dimension, r.earned) for r in DimensionScore.objects.filter(anonymous_user_id="a")] == [
        ("rights_at_work", 7)]
    moved = make_item(reviews_required=1, reviews_to_give=0, dimension="employment")
    a = PeerSubmission.objects.get(anonymous_user_id="a")
    staff_actions.set_staff_grade(moved, "staff", a.pk, 5, "Checked by the instructor")
    assert [(r.dimension, r.earned) for r in DimensionScore.objects.filter(anonymous_user_id="a")] == [
        ("employment", 5)]


def test_grade_waits_for_the_authors_own_reviews(db, run_on_commit):
    item = make_item(reviews_required=1, reviews_to_give=2)
    submit(item, "a", "b", "c", "d")
    review(item, "b")  # b reviews a
    a = PeerSubmission.objects.get(anonymous_user_id="a")
    assert a.received == 1 and a.graded_at is None
    review(item, "a")
    assert PeerSubmission.objects.get(anonymous_user_id="a").graded_at is None  # gave 1 of 2
    review(item, "a")
    assert PeerSubmission.objects.get(anonymous_user_id="a").graded_at is not None


def test_weight_is_applied_to_lms_points(db, run_on_commit):
    item = make_item(reviews_required=1, reviews_to_give=0, weight=20)
    submit(item, "a", "b")
    review(item, "b", {"analysis": 1, "rights": 1})  # 5 of 7 rubric points
    score = submissions_api.get_score(item.student_item("a"))
    assert (score["points_earned"], score["points_possible"]) == (14, 20)  # 5/7 of 20 = 14.29
    row = DimensionScore.objects.get(anonymous_user_id="a")
    assert (row.earned, row.possible) == (5, 7)  # the module profile keeps rubric points


def test_later_reviews_are_not_counted_and_do_not_change_the_grade(db, run_on_commit):
    item = make_item(reviews_required=2, reviews_to_give=0, waiting_days=7)
    start = timezone.now() - timedelta(days=8)
    submit(item, "a", "b", "c", start=start)
    lease_b = workflow.next_review(item, "b", want_extra=True, now=start).lease  # b gets a
    first_c = workflow.next_review(item, "c", want_extra=True, now=start).lease  # c gets b (fewer reviews)
    workflow.complete_review(item, "c", first_c.pk, {"options": {"analysis": 1, "rights": 1}}, now=start)
    lease_c = workflow.next_review(item, "c", want_extra=True, now=start).lease  # then a
    assert lease_b.submission.anonymous_user_id == lease_c.submission.anonymous_user_id == "a"
    workflow.complete_review(item, "b", lease_b.pk, {"options": {"analysis": 2, "rights": 1}}, now=start)
    waiting.apply_waiting_rule(item)  # a waited 8 days with one review: graded with it
    graded = PeerSubmission.objects.get(anonymous_user_id="a")
    assert graded.final_points == 7
    workflow.save_review_draft(item, "c", lease_c.pk, {"options": {"analysis": 0}})
    workflow.complete_review(item, "c", lease_c.pk, {"options": {"analysis": 0, "rights": 0}})
    a = PeerSubmission.objects.get(anonymous_user_id="a")
    assert a.final_points == 7
    assert [r.counted for r in a.reviews.order_by("created", "pk")] == [True, False]


def test_divergent_reviews_mark_the_submission_for_staff(db, run_on_commit):
    item = make_item(reviews_required=2, reviews_to_give=0, divergence_threshold=0.5)
    submit(item, "a", "b", "c")
    review(item, "c", {"analysis": 0, "rights": 0})  # c reviews a (oldest): 0 points
    review(item, "b", {"analysis": 0, "rights": 0})  # b reviews c
    review(item, "b", {"analysis": 2, "rights": 1})  # b reviews a: 7 points, spread 7/7
    a = PeerSubmission.objects.get(anonymous_user_id="a")
    assert a.graded_at is not None and a.divergent and a.spread == 1.0
    assert a.medians == {"analysis": 2, "rights": 2}  # halves rounded up: (0+4)/2, (0+3)/2 -> 2


def test_rubric_change_after_submission_does_not_change_old_grades(db, run_on_commit):
    old = make_item(reviews_required=1, reviews_to_give=0)
    submit(old, "a", "b")
    new_rubric = rubric(criterion("analysis", "Analysis", ("Missing", 0), ("Strong", 10)))
    new = make_item(reviews_required=1, reviews_to_give=0, rubric=new_rubric)
    workflow.submit_response(new, "c", "text c")
    lease = workflow.next_review(new, "c", want_extra=True).lease
    assert lease.submission.anonymous_user_id == "a"
    # the old response is reviewed against the rubric it was submitted under
    assert [c["name"] for c in lease.submission.rubric.criteria] == ["analysis", "rights"]
    workflow.complete_review(new, "c", lease.pk, {"options": {"analysis": 2, "rights": 1}})
    a = PeerSubmission.objects.get(anonymous_user_id="a")
    assert (a.final_points, a.points_possible) == (7, 7)
    assert PeerSubmission.objects.get(anonymous_user_id="c").rubric.max_points == 10


def test_waiting_rule_lowers_required_reviews(db, run_on_commit):
    item = make_item(reviews_required=3, reviews_to_give=0, waiting_days=7)
    start = timezone.now() - timedelta(days=8)
    submit(item, "a", "b", "c", start=start)
    review(item, "b", now=start + timedelta(hours=1))  # a gets one review, then nothing for days
    assert waiting.apply_waiting_rule(item) >= 1
    a = PeerSubmission.objects.get(anonymous_user_id="a")
    assert a.required_lowered_to == 1 and a.graded_at is not None
    assert submissions_api.get_score(item.student_item("a")) is not None
    c = PeerSubmission.objects.get(anonymous_user_id="c")
    assert c.staff_queue and c.graded_at is None  # no review at all: staff queue
    assert StaffAction.objects.filter(submission=c, action=StaffAction.WAITING_RULE).exists()


def test_waiting_rule_staff_sends_to_the_staff_queue(db):
    item = make_item(reviews_required=3, reviews_to_give=0, waiting_rule="staff")
    start = timezone.now() - timedelta(days=8)
    submit(item, "a", "b", start=start)
    review(item, "b", now=start)
    waiting.apply_waiting_rule(item)
    a = PeerSubmission.objects.get(anonymous_user_id="a")
    assert a.staff_queue and a.graded_at is None and a.required_lowered_to is None


def test_waiting_rule_does_not_touch_recent_submissions(item):
    workflow.submit_response(item, "a", "text")
    assert waiting.apply_waiting_rule(item) == 0
    assert not PeerSubmission.objects.get().staff_queue


def test_lonely_learner_is_not_stranded(db, run_on_commit):
    """The last learner: nothing to review, and after the waiting time their requirement drops."""
    item = make_item(reviews_required=1, reviews_to_give=2, waiting_days=1)
    old = timezone.now() - timedelta(days=3)
    submit(item, "a", "b", start=old)
    review(item, "a", now=old)
    review(item, "b", now=old)
    # a gave 1 of 2 and nothing else exists to review; a was reviewed by b
    result = workflow.next_review(item, "a")
    assert result.outcome == "none_available"
    a = PeerSubmission.objects.get(anonymous_user_id="a")
    assert a.to_give_lowered_to == 1 and a.graded_at is not None


def test_flag_takes_the_response_out_and_holds_its_grade(db, run_on_commit):
    item = make_item(reviews_required=1, reviews_to_give=0)
    submit(item, "a", "b", "c")
    lease = workflow.next_review(item, "b", want_extra=True).lease
    assert lease.submission.anonymous_user_id == "a"
    with pytest.raises(Refusal, match="why"):
        workflow.flag_response(item, "b", lease.pk, "  ")
    workflow.flag_response(item, "b", lease.pk, "offensive")
    a = PeerSubmission.objects.get(anonymous_user_id="a")
    assert a.is_flagged and a.graded_at is None
    assert ReviewLease.objects.get(pk=lease.pk).status == ReviewLease.CANCELLED
    # c's review of another response still works; nobody gets "a"
    assert workflow.next_review(item, "c", want_extra=True).lease.submission.anonymous_user_id == "b"


def test_review_draft_is_checked_but_may_be_partial(item):
    submit(item, "a", "b")
    lease = workflow.next_review(item, "b").lease
    workflow.save_review_draft(item, "b", lease.pk, {"options": {"rights": 1}, "overall": "so far"})
    assert ReviewLease.objects.get(pk=lease.pk).draft == {"options": {"rights": 1}, "comments": {}, "overall": "so far"}
    with pytest.raises(Refusal):
        workflow.save_review_draft(item, "b", lease.pk, {"options": {"nope": 1}})
    held = allocation.allocate(item, "b")
    assert held.outcome == "held" and held.lease.draft["overall"] == "so far"


def _submission_updates(ctx) -> int:
    return sum(1 for q in ctx.captured_queries
               if q["sql"].lstrip().upper().startswith("UPDATE") and "peersubmission" in q["sql"].lower())


def test_a_review_that_grades_the_author_saves_both_learners_rows_in_one_statement(db):
    """The author's counters and grade and the reviewer's count of reviews given: one UPDATE, both right."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    item = make_item(reviews_required=1, reviews_to_give=0)
    submit(item, "a", "b")
    lease = workflow.next_review(item, "b", want_extra=True).lease
    before = dict(PeerSubmission.objects.values_list("anonymous_user_id", "modified"))
    with CaptureQueriesContext(connection) as ctx:
        workflow.complete_review(item, "b", lease.pk, {"options": {"analysis": 2, "rights": 1}})
    a, b = (PeerSubmission.objects.get(anonymous_user_id=u) for u in ("a", "b"))
    assert (a.received, a.load, a.final_points, a.grade_source) == (1, 1, 7, "peer") and a.graded_at is not None
    assert a.medians == {"analysis": 4, "rights": 3} and a.spread is not None
    assert (b.given, b.received, b.final_points, b.graded_at) == (1, 0, None, None)
    assert a.modified > before["a"] and b.modified > before["b"]
    assert _submission_updates(ctx) == 1


def test_a_review_that_grades_both_learners_grades_each_as_alone(db):
    """When the review also completes the reviewer's own conditions, each row is graded in its turn."""
    item = make_item(reviews_required=1, reviews_to_give=1)
    submit(item, "a", "b")
    review(item, "a", {"analysis": 1, "rights": 0})  # b is reviewed; b still owes a review
    review(item, "b", {"analysis": 2, "rights": 1})
    a, b = (PeerSubmission.objects.get(anonymous_user_id=u) for u in ("a", "b"))
    assert (a.final_points, b.final_points) == (7, 2) and (a.given, b.given) == (1, 1)
    assert {row.anonymous_user_id for row in GradeDelivery.objects.filter(kind=GradeDelivery.SET)} == {"a", "b"}


def test_a_review_that_grades_its_response_and_sends_the_grade_takes_21_statements(transactional_db):
    """The statements a reviewer waits for when their review completes a response's grade (bench/peer.py measures
    the same at 1,000 and 100,000 responses): 17 on our tables (issue 12's 15 and the 2 of the kept cohort counts,
    issue 27), 4 on edx-submissions' (the submission with its student item, the score, the summary's read and
    write). The delivery after the commit locks the learner's outbox rows, not their submissions."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    item = make_item(reviews_required=2, reviews_to_give=0)
    submit(item, "a", "b", "c")
    first = workflow.next_review(item, "b", want_extra=True).lease
    workflow.complete_review(item, "b", first.pk, {"options": {"analysis": 1, "rights": 1}})
    other = workflow.next_review(item, "c", want_extra=True).lease  # b's response, which has no review yet
    workflow.complete_review(item, "c", other.pk, {"options": {"analysis": 0, "rights": 1}})
    lease = workflow.next_review(item, "c", want_extra=True).lease
    assert lease.submission_id == first.submission_id  # the response with one review of two
    with CaptureQueriesContext(connection) as ctx:
        workflow.complete_review(item, "c", lease.pk, {"options": {"analysis": 2, "rights": 1}})
    data = [q["sql"] for q in ctx.captured_queries
            if not q["sql"].lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK"))]
    theirs = [sql for sql in data if "submissions_" in sql]
    outbox_insert = next(i for i, sql in enumerate(data) if sql.startswith("INSERT") and "gradedelivery" in sql)
    assert (len(data), len(theirs)) == (21, 4), "\n".join(data)
    assert not any("peersubmission" in sql and "FOR UPDATE" in sql.upper() for sql in data[outbox_insert:])
    graded = PeerSubmission.objects.get(pk=lease.submission_id)
    assert graded.final_points is not None
    assert GradeDelivery.objects.get(submission=graded).state == GradeDelivery.DELIVERED
    in_gradebook = submissions_api.get_score(item.student_item(graded.anonymous_user_id))
    assert in_gradebook["points_earned"] == graded.final_points
