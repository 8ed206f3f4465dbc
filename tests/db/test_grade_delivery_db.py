"""The grade outbox on PostgreSQL and MariaDB: failures roll a delivery back whole, deliveries racing each
other send a grade once, and an override racing the delivery of the peer grade it replaces wins.

Marked ``db``: run by ``make test-db SSE_DB=postgresql`` and ``SSE_DB=mariadb``.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from submissions import api as submissions_api
from submissions.models import Score

from db.concurrency import run_threads
from factories import ANALYSIS_AND_RIGHTS, peer_item, review, submit
from sse_academy_xblock.peer import gradebook, lms_scores, staff, staff_actions, waiting
from sse_academy_xblock.peer.models import GradeDelivery, PeerSubmission, Review
from sse_academy_xblock.profile import scores
from sse_academy_xblock.profile.models import DimensionScore

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]

make_item = partial(peer_item, rubric=ANALYSIS_AND_RIGHTS, course_id="course-v1:SSE+Outbox+1",
                    dimension="rights_at_work", reviews_required=1, reviews_to_give=0)
LATER = timedelta(days=1)


def lms_score(item, user):
    score = submissions_api.get_score(item.student_item(user))
    return None if score is None else (score["points_earned"], score["points_possible"])


def check(block=None) -> str:
    out = StringIO()
    args = ["--check"] + (["--block", block] if block else [])
    try:
        call_command("sse_deliver_grades", *args, stdout=out)
    except Exception:  # noqa: BLE001 - the exit status 1 of a difference; the output says which
        pass
    return out.getvalue()


def test_a_database_error_inside_a_delivery_rolls_it_back_whole_and_it_is_delivered_later(server_db, monkeypatch):
    """The score table's write fails with a real SQL error after edx-submissions stored the score: the
    delivery's transaction is rolled back whole (no score in edx-submissions either), the review stays,
    and the row, pending, is delivered once the database works."""
    item = make_item("block-v1:SSE+Outbox+1+type@sse_case_study+block@sqlerror")
    submit(item, "a", "b")
    real_record = scores.record

    def broken_record(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT no_such_column FROM no_such_table")
        return real_record(*args, **kwargs)

    monkeypatch.setattr(scores, "record", broken_record)
    review(item, "b", {"analysis": 2, "rights": 1})
    a = PeerSubmission.objects.get(usage_id=item.usage_id, anonymous_user_id="a")
    assert a.final_points == 7 and Review.objects.filter(submission=a).count() == 1
    assert not Score.objects.filter(submission__uuid=a.uuid).exists()  # set_score was rolled back with it
    row = GradeDelivery.objects.get(submission=a)
    assert row.state == GradeDelivery.PENDING and row.attempts == 1 and row.last_error
    assert "ours 7/7\tedx-submissions none\tdelivery failed" in check(item.usage_id)
    monkeypatch.setattr(scores, "record", real_record)
    assert gradebook.deliver_due(item.usage_id, now=timezone.now() + LATER) == (1, 0)
    assert lms_score(item, "a") == (7, 7) and DimensionScore.objects.get(anonymous_user_id="a").earned == 7
    assert "differences: 0" in check(item.usage_id)


def test_each_grade_change_with_edx_submissions_down_is_stored_and_delivered_by_the_command(server_db, monkeypatch):
    item = make_item("block-v1:SSE+Outbox+1+type@sse_case_study+block@down")
    submit(item, "a", "b")
    review(item, "b", {"analysis": 1, "rights": 1})  # b reviews a: a graded 5
    review(item, "a", {"analysis": 2, "rights": 1})  # a reviews b: b graded 7
    waiting_item = make_item("block-v1:SSE+Outbox+1+type@sse_case_study+block@downwaiting", reviews_required=3,
                             waiting_days=7)
    start = timezone.now() - timedelta(days=8)
    submit(waiting_item, "c", "d", start=start)
    review(waiting_item, "d", {"analysis": 1, "rights": 0}, now=start + timedelta(hours=1))  # c: 1 review of 3
    a, b = (PeerSubmission.objects.get(usage_id=item.usage_id, anonymous_user_id=u) for u in "ab")
    assert (lms_score(item, "a"), lms_score(item, "b")) == ((5, 7), (7, 7))

    def down(*args, **kwargs):
        raise submissions_api.SubmissionInternalError("unreachable")

    monkeypatch.setattr(lms_scores, "set_score", down)
    monkeypatch.setattr(submissions_api, "reset_score", down)
    staff_actions.set_staff_grade(item, "staff", a.pk, 2, "override while the gradebook is down")
    staff_actions.cancel_submission(item, "staff", b.pk, "cancel while the gradebook is down")
    assert waiting.apply_waiting_rule(waiting_item) >= 1  # c is graded with its one review
    states = {r["anonymous_id"]: r["delivery"]["state"] for r in staff.list_page(item)["rows"]}
    assert states == {"a": "failed", "b": "failed"}
    assert staff.list_page(waiting_item)["rows"][0]["delivery"]["state"] == "failed"
    assert (lms_score(item, "a"), lms_score(item, "b")) == ((5, 7), (7, 7))  # the old grades, until delivered
    assert lms_score(waiting_item, "c") is None
    assert check(item.usage_id).count("delivery failed") == 2
    monkeypatch.undo()
    call_command("sse_deliver_grades", "--all", stdout=StringIO())
    assert (lms_score(item, "a"), lms_score(item, "b"), lms_score(waiting_item, "c")) == ((2, 7), None, (2, 7))
    assert "differences: 0" in check(item.usage_id) and "differences: 0" in check(waiting_item.usage_id)


def test_deliveries_racing_each_other_send_a_grade_once(server_db):
    item = make_item("block-v1:SSE+Outbox+1+type@sse_case_study+block@twice")
    submit(item, "a", "b")
    # The grade recorded, not delivered yet: as if the process ended right after the commit.
    real = gradebook.deliver
    try:
        gradebook.deliver = lambda *args, **kwargs: False
        review(item, "b", {"analysis": 2, "rights": 1})
    finally:
        gradebook.deliver = real
    review_row = GradeDelivery.objects.get()
    assert review_row.state == GradeDelivery.PENDING
    run = run_threads(6, lambda i: gradebook.deliver(review_row.pk))
    run.raise_errors()
    assert sum(1 for delivered in run.results if delivered) == 6  # each one finds it delivered
    a = PeerSubmission.objects.get(usage_id=item.usage_id, anonymous_user_id="a")
    assert Score.objects.filter(submission__uuid=a.uuid).count() == 1
    assert GradeDelivery.objects.get().attempts == 1


def test_an_override_racing_the_delivery_of_the_peer_grade_wins(server_db, monkeypatch):
    """The peer grade's delivery is slow (it holds the learner's rows); the override waits for it, then
    its own delivery puts the override in edx-submissions: the latest grade is the one shown."""
    import threading

    item = make_item("block-v1:SSE+Outbox+1+type@sse_case_study+block@slowdelivery")
    submit(item, "a", "b")
    real = gradebook.deliver
    try:
        gradebook.deliver = lambda *args, **kwargs: False
        review(item, "b", {"analysis": 2, "rights": 1})
    finally:
        gradebook.deliver = real
    peer_row = GradeDelivery.objects.get()
    a = PeerSubmission.objects.get(usage_id=item.usage_id, anonymous_user_id="a")
    started, release = threading.Event(), threading.Event()
    real_set_score = lms_scores.set_score

    def slow_set_score(*args, **kwargs):
        if threading.current_thread().name == "delivery":
            started.set()
            release.wait(2)  # a slow edx-submissions (never released: the override cannot run meanwhile)
        return real_set_score(*args, **kwargs)

    monkeypatch.setattr(lms_scores, "set_score", slow_set_score)

    def deliver_slowly():
        from django.db import connections

        try:
            real(peer_row.pk)
        finally:
            connections.close_all()

    thread = threading.Thread(target=deliver_slowly, name="delivery")
    thread.start()
    assert started.wait(10)  # the delivery holds a's outbox row: the override waits for its commit
    staff_actions.set_staff_grade(item, "staff", a.pk, 1, "plagiarised paragraph")
    thread.join(20)
    assert lms_score(item, "a") == (1, 7)
    assert [r.state for r in GradeDelivery.objects.filter(submission=a).order_by("pk")] == [
        GradeDelivery.DELIVERED, GradeDelivery.DELIVERED]
    assert "differences: 0" in check(item.usage_id)
