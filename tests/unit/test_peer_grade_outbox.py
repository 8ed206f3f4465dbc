"""The grade outbox: every grade we give, change or take back reaches edx-submissions, or staff see it has not.

edx-submissions is made to fail (a score's storing, ``lms_scores.set_score``, or ``reset_score`` raises) during
each change that moves a
grade: a review, a staff grade, a cancellation, the waiting rule, a cleared report. Each time the change is
stored, its outbox row is pending, staff see it, and a later delivery (a request to the block, the command,
"Send again") delivers it; delivering twice sends nothing twice, and an older grade never overwrites a newer.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from submissions import api as submissions_api
from submissions.models import Score

from factories import ANALYSIS_AND_RIGHTS, RUBRIC_A, graded_pair, peer_item, review, submit
from sse_academy_xblock.peer import gradebook, lms_scores, staff, staff_actions, waiting, workflow
from sse_academy_xblock.peer.models import GradeDelivery, PeerSubmission, Review
from sse_academy_xblock.profile.models import DimensionScore

make_item = partial(peer_item, usage_id="block-o", rubric=ANALYSIS_AND_RIGHTS, dimension="rights_at_work")
#: For :func:`factories.graded_pair`: one criterion of 4 points; a is graded 4, b 2.
pair_item = partial(peer_item, usage_id="block-o", rubric=RUBRIC_A, reviews_required=1, reviews_to_give=1)
LATER = timedelta(days=1)  # past any backoff


class Gradebook:
    """edx-submissions that fails while ``down`` is set; counts the calls that reached it."""

    def __init__(self, monkeypatch):
        self.down = False
        self.calls = []
        for module, name in ((lms_scores, "set_score"), (submissions_api, "reset_score")):
            monkeypatch.setattr(module, name, self._wrap(name, getattr(module, name)))

    def _wrap(self, name, real):
        def call(*args, **kwargs):
            self.calls.append(name)
            if self.down:
                raise submissions_api.SubmissionInternalError("the database of edx-submissions is unreachable")
            return real(*args, **kwargs)
        return call


@pytest.fixture
def lms(monkeypatch, transactional_db):
    return Gradebook(monkeypatch)


def latest(user: str) -> GradeDelivery:
    return GradeDelivery.objects.filter(anonymous_user_id=user).latest("pk")


def lms_score(item, user: str):
    score = submissions_api.get_score(item.student_item(user))
    return None if score is None else (score["points_earned"], score["points_possible"])


def staff_row(item, user: str) -> dict:
    return next(r for r in staff.list_page(item)["rows"] if r["anonymous_id"] == user)


def deliver_with_the_command(*args) -> str:
    out = StringIO()
    call_command("sse_deliver_grades", *args, stdout=out)
    return out.getvalue()


def test_a_review_whose_grade_cannot_be_sent_is_kept_and_staff_see_it_pending(lms):
    item = make_item(reviews_required=1, reviews_to_give=0)
    submit(item, "a", "b")
    lms.down = True
    review(item, "b", {"analysis": 2, "rights": 1})  # returns: the review is committed
    a = PeerSubmission.objects.get(anonymous_user_id="a")
    assert a.final_points == 7 and Review.objects.filter(submission=a, counted=True).count() == 1
    assert lms_score(item, "a") is None and not DimensionScore.objects.exists()
    assert staff_row(item, "a")["delivery"]["state"] == "failed"
    assert latest("a").next_attempt_at > timezone.now()  # backoff: not tried again at once
    lms.down = False
    assert gradebook.deliver_due(item.usage_id) == (0, 0)  # not due yet
    assert gradebook.deliver_due(item.usage_id, now=timezone.now() + LATER) == (1, 0)
    assert lms_score(item, "a") == (7, 7)
    assert DimensionScore.objects.get(anonymous_user_id="a").earned == 7
    assert staff_row(item, "a")["delivery"]["state"] == "delivered"


def test_an_override_that_cannot_be_sent_is_stored_pending_and_the_command_delivers_it(lms):
    item = pair_item()
    a, _b = graded_pair(item)
    lms.down = True
    staff_actions.set_staff_grade(item, "staff-1", a.pk, 3, "A weak conclusion.")
    a.refresh_from_db()
    assert (a.final_points, a.grade_source) == (3, "override")
    assert lms_score(item, "a") == (4, 4)  # still the peer grade there
    row = latest("a")
    assert (row.state, row.attempts, row.lms_earned) == (GradeDelivery.PENDING, 1, 3)
    detail = staff.submission_detail(item, staff_actions.get_for_block(item, a.pk), "text")
    assert detail["delivery"]["state"] == "failed"
    with pytest.raises(CommandError):
        deliver_with_the_command("--all")  # still down: exit status 1
    lms.down = False
    assert "delivered: 0, still pending: 0" in deliver_with_the_command()  # the backoff is not over
    assert "delivered: 1, still pending: 0" in deliver_with_the_command("--all")
    assert lms_score(item, "a") == (3, 4)
    score = submissions_api.get_score(item.student_item("a"))
    assert score["annotations"][0]["annotation_type"] == "staff_override"
    assert DimensionScore.objects.get(anonymous_user_id="a").earned == 3


def test_a_cancellation_that_cannot_be_sent_is_stored_pending_and_shows_no_lms_points(lms):
    item = pair_item()
    a, _b = graded_pair(item)
    lms.down = True
    staff_actions.cancel_submission(item, "staff-1", a.pk, "Copied.")
    a.refresh_from_db()
    assert a.is_cancelled and lms_score(item, "a") is not None  # the LMS still has the grade: pending
    row = staff_row(item, "a")
    assert row["delivery"] == {**row["delivery"], "state": "failed", "kind": "reset"}
    header = staff.csv_header(item)
    line = next(r for r in staff.csv_rows(item) if r[1] == "a")
    assert (line[header.index("Gradebook points earned")], line[header.index("Gradebook points possible")]) == ("", "")
    assert line[header.index("Gradebook")] == "failed"
    lms.down = False
    assert gradebook.deliver_due(now=timezone.now() + LATER) == (1, 0)
    assert lms_score(item, "a") is None and not DimensionScore.objects.filter(anonymous_user_id="a").exists()
    line = next(r for r in staff.csv_rows(item) if r[1] == "a")
    assert line[header.index("Gradebook")] == "delivered" and line[header.index("Gradebook points earned")] == ""


def test_the_waiting_rule_grade_that_cannot_be_sent_is_delivered_later(lms):
    item = make_item(reviews_required=3, reviews_to_give=0, waiting_days=7)
    start = timezone.now() - timedelta(days=8)
    submit(item, "a", "b", start=start)
    review(item, "b", now=start + timedelta(hours=1))
    lms.down = True
    assert waiting.apply_waiting_rule(item) >= 1
    a = PeerSubmission.objects.get(anonymous_user_id="a")
    assert a.graded_at is not None and a.required_lowered_to == 1
    assert lms_score(item, "a") is None and staff_row(item, "a")["delivery"]["state"] == "failed"
    lms.down = False
    gradebook.deliver_due(item.usage_id, now=timezone.now() + LATER)
    assert lms_score(item, "a") == (a.final_points, 7)


def test_a_cleared_report_whose_grade_cannot_be_sent_is_delivered_later(lms):
    two = make_item(reviews_required=2, reviews_to_give=0)
    submit(two, "a", "b", "c")
    lease_b = workflow.next_review(two, "b", want_extra=True).lease  # b gets a
    first_c = workflow.next_review(two, "c", want_extra=True).lease  # c gets b (fewer reviews)
    workflow.complete_review(two, "c", first_c.pk, {"options": {"analysis": 0, "rights": 0}})
    lease_c = workflow.next_review(two, "c", want_extra=True).lease  # then a
    assert lease_b.submission.anonymous_user_id == lease_c.submission.anonymous_user_id == "a"
    workflow.flag_response(two, "b", lease_b.pk, "rude")
    item = make_item(reviews_required=1, reviews_to_give=0)  # the author lowers the requirement to one
    workflow.complete_review(item, "c", lease_c.pk, {"options": {"analysis": 1, "rights": 1}})
    a = PeerSubmission.objects.get(anonymous_user_id="a")
    assert a.is_flagged and a.graded_at is None  # held while flagged
    lms.down = True
    staff_actions.clear_flags(item, "staff-1", a.pk, "It is fine.")
    a.refresh_from_db()
    assert a.graded_at is not None and a.final_points == 5
    assert lms_score(item, "a") is None and latest("a").attempts == 1
    lms.down = False
    staff_actions.send_again(item, a.pk)  # staff do not wait for the backoff
    assert lms_score(item, "a") == (5, 7) and latest("a").state == GradeDelivery.DELIVERED


def test_delivering_twice_sends_once(lms):
    item = make_item(reviews_required=1, reviews_to_give=0)
    submit(item, "a", "b")
    review(item, "b", {"analysis": 2, "rights": 1})
    row = latest("a")
    assert row.state == GradeDelivery.DELIVERED and lms.calls == ["set_score"]
    assert gradebook.deliver(row.pk) is True
    GradeDelivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - LATER)
    assert gradebook.deliver_due(now=timezone.now() + LATER) == (0, 0)
    assert lms.calls == ["set_score"]
    assert Score.objects.filter(submission__uuid=PeerSubmission.objects.get(anonymous_user_id="a").uuid).count() == 1


def test_an_older_grade_never_overwrites_a_newer_one(lms):
    item = pair_item()
    a, _b = graded_pair(item)
    lms.down = True
    staff_actions.set_staff_grade(item, "staff-1", a.pk, 1, "first look")
    older = latest("a")
    lms.down = False
    staff_actions.set_staff_grade(item, "staff-1", a.pk, 2, "second look")
    newer = latest("a")
    assert newer.state == GradeDelivery.DELIVERED and lms_score(item, "a") == (2, 4)
    older.refresh_from_db()
    assert older.state == GradeDelivery.SUPERSEDED  # given up when the newer one was recorded
    # Even if the older one were still pending (written by a request that had not seen the newer one):
    GradeDelivery.objects.filter(pk=older.pk).update(state=GradeDelivery.PENDING)
    assert gradebook.deliver(older.pk) is False
    assert lms_score(item, "a") == (2, 4)
    older.refresh_from_db()
    assert older.state == GradeDelivery.SUPERSEDED


def test_a_delivery_inside_a_transaction_raises_instead_of_swallowing(lms):
    item = make_item(reviews_required=1, reviews_to_give=0)
    submit(item, "a", "b")
    review(item, "b", {"analysis": 2, "rights": 1})
    with pytest.raises(RuntimeError), transaction.atomic():
        gradebook.deliver(latest("a").pk)


def test_reconciliation_reports_a_score_that_differs_and_send_again_repairs_it(lms):
    item = pair_item()
    a, b = graded_pair(item)
    assert "differences: 0" in deliver_with_the_command("--check")
    submissions_api.set_score(a.uuid, 1, 4)  # someone changed the score in edx-submissions behind our back
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("sse_deliver_grades", "--check", stdout=out)
    assert "\ta\t" in out.getvalue() and "ours 4/4\tedx-submissions 1/4\tdelivery delivered" in out.getvalue()
    assert [d.anonymous_user_id for d in gradebook.reconcile(item.usage_id)] == ["a"]
    assert list(gradebook.reconcile("another-block")) == []
    lms.down = True
    staff_actions.set_staff_grade(item, "staff-1", b.pk, 1, "checked")  # pending: a difference too
    assert {(d.anonymous_user_id, d.state) for d in gradebook.reconcile()} == {("a", "delivered"), ("b", "failed")}
    lms.down = False
    staff_actions.send_again(item, a.pk)
    deliver_with_the_command("--all")
    assert "differences: 0" in deliver_with_the_command("--check")


def test_send_again_refuses_a_submission_without_a_grade(lms):
    item = make_item(reviews_required=2, reviews_to_give=0)
    submit(item, "a")
    sub = PeerSubmission.objects.get()
    with pytest.raises(staff_actions.Refusal) as info:
        staff_actions.send_again(item, sub.pk)
    assert info.value.status == 409 and not GradeDelivery.objects.exists()


def test_retirement_replaces_the_learner_id_in_the_outbox(lms):
    item = pair_item()
    graded_pair(item)
    staff_actions.retire_learner(["a"])
    assert not GradeDelivery.objects.filter(anonymous_user_id="a").exists()
    assert GradeDelivery.objects.filter(anonymous_user_id__startswith="retired-").exists()


def test_backoff_doubles_up_to_six_hours():
    assert [gradebook.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert gradebook.backoff(50) == timedelta(hours=6)


def test_reconciliation_reads_the_gradebook_once_a_chunk_and_as_its_api_does(lms):
    """Checking many learners costs the same reads as checking two, and a score taken back (a reset, 0 of
    0, which edx-submissions' ``get_score`` hides) reads as no score, as the API reads it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    items = [partial(pair_item, usage_id=f"block-r{n}")() for n in range(4)]
    for item in items:
        graded_pair(item)
    staff_actions.cancel_submission(items[0], "staff-1", PeerSubmission.objects.get(
        usage_id=items[0].usage_id, anonymous_user_id="b").pk, "Copied.")
    assert lms_score(items[0], "b") is None
    submissions_api.set_score(PeerSubmission.objects.get(usage_id=items[1].usage_id, anonymous_user_id="a").uuid, 1, 4)
    with CaptureQueriesContext(connection) as ctx:
        differences = list(gradebook.reconcile())
    assert [(d.usage_id, d.anonymous_user_id, d.found) for d in differences] == [(items[1].usage_id, "a", (1, 4))]
    assert len(ctx.captured_queries) == 3  # the latest row ids, those rows, their scores in edx-submissions
    rows = GradeDelivery.objects.filter(pk__in=[GradeDelivery.objects.filter(
        usage_id=item.usage_id, anonymous_user_id=user).latest("pk").pk for item in items for user in "ab"])
    read = gradebook.scores_in_gradebook(rows)
    assert {pk: found for pk, found in read.items()} == {
        row.pk: lms_score(next(i for i in items if i.usage_id == row.usage_id), row.anonymous_user_id)
        for row in rows}


def test_a_score_edx_submissions_stores_but_does_not_make_the_latest_stays_pending(lms, monkeypatch):
    """edx-submissions' score-summary receiver logs a database error instead of raising: the score row is
    written, its learner's latest score is not. The delivery is not counted as done, and is tried again."""
    from django.db import DatabaseError
    from submissions.models import ScoreSummary

    item = pair_item()
    a, _b = graded_pair(item)
    real_save = ScoreSummary.save

    def failing_save(self, *args, **kwargs):
        raise DatabaseError("lock wait timeout exceeded")

    monkeypatch.setattr(ScoreSummary, "save", failing_save)
    staff_actions.set_staff_grade(item, "staff-1", a.pk, 1, "A weak conclusion.")
    row = latest("a")
    assert row.state == GradeDelivery.PENDING and "NotInGradebook" in row.last_error
    assert lms_score(item, "a") == (4, 4) and staff_row(item, "a")["delivery"]["state"] == "failed"
    monkeypatch.setattr(ScoreSummary, "save", real_save)
    assert gradebook.deliver_due(item.usage_id, now=timezone.now() + LATER) == (1, 0)
    assert lms_score(item, "a") == (1, 4) and latest("a").state == GradeDelivery.DELIVERED


@pytest.mark.parametrize("through", ["set_score", "lms_scores"])
def test_a_score_edx_submissions_does_not_store_stays_pending(lms, monkeypatch, through):
    """The score's insert refused (an integrity error). Through edx-submissions' own ``set_score`` (a uuid not
    found as stored), which passes over the error without storing the score; through ours, which raises it.
    Either way the delivery is not counted as done, and is tried again."""
    from django.db import IntegrityError
    from submissions import serializers

    item = pair_item()
    a, _b = graded_pair(item)

    def refused(self, *args, **kwargs):
        raise IntegrityError("FOREIGN KEY constraint failed")

    if through == "set_score":
        monkeypatch.setattr(lms_scores, "_submission", lambda uuid: None)
        monkeypatch.setattr(serializers.ScoreSerializer, "save", refused)
    else:
        monkeypatch.setattr(Score, "save", refused)
    staff_actions.set_staff_grade(item, "staff-1", a.pk, 2, "Second look.")
    row = latest("a")
    said = "stored no score" if through == "set_score" else "IntegrityError"
    assert row.state == GradeDelivery.PENDING and said in row.last_error
    assert lms_score(item, "a") == (4, 4) and DimensionScore.objects.get(anonymous_user_id="a").earned == 4
    monkeypatch.undo()
    assert gradebook.deliver_due(item.usage_id, now=timezone.now() + LATER) == (1, 0)
    assert lms_score(item, "a") == (2, 4) and DimensionScore.objects.get(anonymous_user_id="a").earned == 2
