"""The write paths with their Nth statement failing, for every N: what a person is told is what is stored.

A connection killed in the middle of a request, a server that stops, a failover: the statement that was
running fails, whichever it is. For each write path (the quiz's submit and its staff reset of attempts; the
case study's draft, response, review draft, review, report, rating, self-assessment and practice on an example,
and a review that makes the adaptive review count ask for one more; the waiting rule, applied on the
learner's next read; the staff's grade, cancellation, clearing of a report or of a divergence, and "Send again
to the gradebook"), the path is run once to count
its statements, then once for each N with statement N failing (:class:`faults.injection.FailAt`), each
time from a fresh start. After each run:

- the reply is JSON: a 4xx or 503 with a message, or a 200;
- an error that says nothing was saved (and every 4xx) left every stored row as it was;
- a 200 announces what is stored: the learner's or staff's next read shows what the reply showed;
- the counters equal a recount: the quiz roster and the learner's attempts, the item analysis totals and
  the stored answers, the peer counters (received, load, given) and the leases and reviews, the agreement
  tables and the counted reviews;
- every peer grade stored is recorded for the gradebook (the latest outbox row of each submission holds
  its grade, or its withdrawal), and once the pending rows are delivered, as the next request or
  ``manage.py sse_deliver_grades`` would, edx-submissions holds exactly those grades (reconciliation).

Marked ``db`` on a server (``make test-db``); on SQLite it runs with ``make test``.
"""

from __future__ import annotations

import collections
from datetime import timedelta

import pytest
from django.utils import timezone

from factories import olx, open_as, review, store_reviews, submit
from faults.injection import FailAt, changed_tables, stored
from sse_academy_xblock.peer import agreement_totals, calibration, gradebook, workflow
from sse_academy_xblock.peer.models import (CriterionAgreement, GradeDelivery, PeerSubmission, Review,
                                            ReviewerAgreement, ReviewLease)
from sse_academy_xblock.profile.models import DimensionScore
from sse_academy_xblock.quiz import item_totals
from sse_academy_xblock.quiz.models import QuizItemTotal, QuizRoster
from sse_academy_xblock.settings.databases import SERVER_KINDS, current_kind

pytestmark = [pytest.mark.db] if current_kind() in SERVER_KINDS else []

QUIZ = olx("quiz_cooperatives", display_name="Faults", q2_attributes="")
CASE = olx("case_study_contract")
TEXT = "The cooperative keeps the jobs and its members decide together about the future."
CASE_WAITING = olx("case_study_contract", reviews='reviews_required="2" reviews_to_give="1" waiting_days="2"')
CASE_SELF = olx("case_study_contract", reviews='reviews_required="1" reviews_to_give="1" self_assessment="counted"')
CASE_ADAPTIVE = olx("case_study_contract", reviews='reviews_required="2" reviews_to_give="1" reviews_max="3"')
REVIEW = {"options": {"c": 1}, "comments": {}, "overall": "Clear."}


# --- recounts ---------------------------------------------------------------------------------

def check_quiz(usage: str) -> None:
    """The roster's attempts are the learner's, score rows exist once an attempt is counted, and the item
    totals equal a rebuild from the stored answers."""
    for row in QuizRoster.objects.filter(usage_id=usage):
        block = open_as(usage, row.anonymous_user_id)
        block._apply_pending_reset()  # noqa: SLF001 - a staff reset, as the learner's next page applies it
        assert block.attempts == row.attempts, (row.anonymous_user_id, block.attempts, row.attempts)
        has_rows = DimensionScore.objects.filter(usage_id=usage, anonymous_user_id=row.anonymous_user_id).exists()
        assert has_rows == (row.attempts > 0 or row.resets > 0)  # a reset keeps the score earned

    def totals():  # rows that count nobody are the same as no row
        return sorted(row for row in QuizItemTotal.objects.filter(usage_id=usage).values_list(
            "question_id", "part", "n", "full", "sx", "sxx", "sy", "syy", "sxy", "earned", "possible") if any(row[2:]))

    kept = totals()
    item_totals.rebuild(usage)
    assert totals() == kept


def check_peer(usage: str) -> None:
    """``received`` = stored reviews, ``load`` = reviews + live leases, ``given`` = done leases, and the
    agreement tables equal a rebuild from the counted reviews."""
    for sub in PeerSubmission.objects.filter(usage_id=usage):
        reviews = Review.objects.filter(submission=sub).count()
        live = ReviewLease.objects.filter(submission=sub, status=ReviewLease.OPEN).count()
        assert sub.received == reviews, (sub.anonymous_user_id, sub.received, reviews)
        assert sub.load == reviews + live, (sub.anonymous_user_id, sub.load, reviews, live)
    done_by = collections.Counter(
        ReviewLease.objects.filter(usage_id=usage, status=ReviewLease.DONE).values_list("reviewer_id", flat=True))
    for sub in PeerSubmission.objects.filter(usage_id=usage, pool=PeerSubmission.IN_POOL):
        assert sub.given == done_by[sub.anonymous_user_id], (sub.anonymous_user_id, sub.given)

    def tables():
        return (sorted(ReviewerAgreement.objects.filter(usage_id=usage).values_list(
                    "reviewer_id", "reviews", "distance_sum")),
                sorted(CriterionAgreement.objects.filter(usage_id=usage, units__gt=0).values_list(
                    "criterion_name", "units", "reviews")))

    kept = tables()
    agreement_totals.rebuild(usage)
    assert tables() == kept
    check_gradebook(usage)


def check_gradebook(usage: str) -> None:
    """Each graded or withdrawn submission's latest outbox row says what it holds; delivered, the rows
    and edx-submissions agree."""
    latest = gradebook.latest_by_submission(PeerSubmission.objects.filter(usage_id=usage).values_list("pk", flat=True))
    for sub in PeerSubmission.objects.filter(usage_id=usage):
        row = latest.get(sub.pk)
        if sub.pool == PeerSubmission.CANCELLED and row is not None and row.kind == GradeDelivery.SET:
            raise AssertionError(f"{sub.anonymous_user_id}: withdrawn, but the gradebook is to keep {row.points}")
        if sub.pool != PeerSubmission.CANCELLED and sub.final_points is not None:
            assert row is not None and row.kind == GradeDelivery.SET and row.points == sub.final_points, (
                sub.anonymous_user_id, sub.final_points, row and (row.kind, row.points))
    gradebook.deliver_due(usage, limit=None, waiting=True)
    assert not GradeDelivery.objects.filter(usage_id=usage, state=GradeDelivery.PENDING).exists()
    assert list(gradebook.reconcile(usage)) == []


# --- the paths ----------------------------------------------------------------------------------
#
# Each path: ``setup(make_block, call)`` builds a fresh start and returns (block, handler, body, usage);
# ``announced(reply, block, call)`` checks that a 200 reply shows what is stored.

def quiz_setup(make_block, call):
    quiz = make_block(QUIZ, user="learner")
    assert call(quiz, "submit", {"attempt": 1, "answers": {"q1": "b", "q2": "1900"}})[0] == 200
    usage = str(quiz.scope_ids.usage_id)
    return open_as(usage, "learner"), "submit", {"attempt": 2, "answers": {"q1": "a", "q2": "1895"}}, usage


def quiz_announced(reply, block, call):
    fresh = open_as(block.scope_ids.usage_id, "learner")
    assert fresh.attempts == 2 and fresh.raw_earned == 3.0
    assert QuizRoster.objects.get(usage_id=str(block.scope_ids.usage_id), anonymous_user_id="learner").attempts == 2
    if reply["view"] is not None:
        assert reply["view"] == fresh._learner_view()  # noqa: SLF001


def quiz_reset_setup(make_block, call):
    _learner, _submit, _body, usage = quiz_setup(make_block, call)
    return open_as(usage, "staff"), "staff_reset", {"learner": "learner"}, usage


def quiz_reset_announced(reply, block, call):
    row = QuizRoster.objects.get(usage_id=str(block.scope_ids.usage_id), anonymous_user_id="learner")
    assert reply["row"]["attempts"] == row.attempts == 0 and row.resets == 1, (reply, row.attempts, row.resets)
    learner = open_as(block.scope_ids.usage_id, "learner")
    assert learner._apply_pending_reset() and learner.attempts == 0  # noqa: SLF001


def learner_state_announced(reply, block, call):
    status, now = call(open_as(block.scope_ids.usage_id, block.runtime.user_id), "state", {})
    assert status == 200 and now["state"] == reply["state"]


def draft_setup(make_block, call):
    case = make_block(CASE, user="chen")
    return case, "save_draft", {"text": "A first thought."}, str(case.scope_ids.usage_id)


def draft_announced(reply, block, call):
    status, now = call(open_as(block.scope_ids.usage_id, "chen"), "state", {})
    assert now["state"]["draft"] == "A first thought."


def response_setup(make_block, call):
    case = make_block(CASE, user="chen")
    return case, "submit_response", {"text": TEXT}, str(case.scope_ids.usage_id)


def leased(make_block, call):
    """Ana and Ben responded (through the peer services: a quicker start); Ana holds a lease on Ben's response."""
    ana = make_block(CASE, user="ana")
    item = ana.peer_item()
    submit(item, "ana", "ben")
    lease = workflow.next_review(item, "ana").lease
    assert lease is not None
    return open_as(ana.scope_ids.usage_id, "ana"), lease.pk, item.usage_id


def review_setup(make_block, call):
    block, lease, usage = leased(make_block, call)
    return block, "submit_review", {"lease_id": lease, "review": REVIEW}, usage


def review_draft_setup(make_block, call):
    block, lease, usage = leased(make_block, call)
    return block, "save_review_draft", {"lease_id": lease, "review": {"options": {"c": 1}, "overall": "So far."}}, usage


def review_draft_announced(reply, block, call):
    status, now = call(open_as(block.scope_ids.usage_id, "ana"), "state", {})
    draft = {"options": {"c": 1}, "comments": {}, "overall": "So far."}
    assert status == 200 and now["state"]["review"]["draft"] == draft


def flag_setup(make_block, call):
    block, lease, usage = leased(make_block, call)
    return block, "flag_response", {"lease_id": lease, "reason": "Copied from a website."}, usage


def graded(make_block, call):
    """Ana and Ben reviewed each other (through the peer services): both graded."""
    ana = make_block(CASE, user="ana")
    item = ana.peer_item()
    submit(item, "ana", "ben")
    review(item, "ana", 1)
    review(item, "ben", 0)
    assert PeerSubmission.objects.filter(usage_id=item.usage_id, graded_at__isnull=False).count() == 2
    return ana, item.usage_id


def rating_setup(make_block, call):
    ana, usage = graded(make_block, call)
    review = Review.objects.get(submission__usage_id=usage, submission__anonymous_user_id="ana")
    return open_as(usage, "ana"), "rate_review", {"review_id": review.pk, "helpful": True}, usage


def rating_announced(reply, block, call):
    status, now = call(open_as(block.scope_ids.usage_id, "ana"), "state", {})
    assert status == 200
    grade = now["state"]["grade"]
    shown = {card["id"]: card["feedback"] for card in grade["counted"] + grade["later"]}
    assert shown[reply["review_id"]] == reply["feedback"], (shown, reply)


def practice_setup(make_block, call):
    """Chen responded; the case study asks for practice on staff-scored examples first: Chen assesses the first."""
    chen = make_block(olx("case_study_practice"), user="chen")
    item = chen.peer_item()
    submit(item, "chen")
    example = calibration.order_for(item, "chen")[0]
    body = {"example": example.name, "options": calibration.reference_index(example, item.rubric)}
    return open_as(chen.scope_ids.usage_id, "chen"), "submit_calibration", body, item.usage_id


def flagged_ready(make_block, call):
    """Ben's response is reported (by Ana) while it has its review (Cara's, stored) and Ben gave his (of
    Ana's): clearing the report grades it."""
    ana = make_block(CASE, user="ana")
    item = ana.peer_item()
    submit(item, "ana", "ben")
    lease = workflow.next_review(item, "ana").lease
    workflow.flag_response(item, "ana", lease.pk, "Copied from a website.")
    review(item, "ben", 1)
    ben = PeerSubmission.objects.get(usage_id=item.usage_id, anonymous_user_id="ben")
    store_reviews(item, ben, [("cara", {"c": 1})], timezone.now())
    assert PeerSubmission.objects.get(pk=ben.pk).pool == PeerSubmission.FLAGGED
    return ana, item.usage_id


def divergent(make_block, call):
    ana, usage = graded(make_block, call)
    PeerSubmission.objects.filter(usage_id=usage).update(divergent=True)
    return ana, usage


def staff_setup(handler, body, start=graded, learner="ana"):
    def setup(make_block, call):
        _ana, usage = start(make_block, call)
        sub = PeerSubmission.objects.get(usage_id=usage, anonymous_user_id=learner).pk
        return open_as(usage, "staff"), handler, {"submission": sub, **body}, usage

    return setup


def staff_announced(reply, block, call):
    status, now = call(open_as(block.scope_ids.usage_id, "staff"), "staff_submission",
                       {"submission": reply["detail"]["id"]})
    assert status == 200 and now["detail"] == reply["detail"]
    if reply["detail"]["delivery"]["state"] in (gradebook.PENDING, gradebook.FAILED):
        assert "pending" in reply["message"], reply["message"]  # never "sent" or "received"


def cleared_announced(reply, block, call):
    staff_announced(reply, block, call)
    ben = PeerSubmission.objects.get(pk=reply["detail"]["id"])
    assert ben.pool == PeerSubmission.IN_POOL and ben.final_points == 4, (ben.pool, ben.final_points)


def kept_announced(reply, block, call):
    staff_announced(reply, block, call)
    assert not PeerSubmission.objects.get(pk=reply["detail"]["id"]).divergent


def waited_setup(make_block, call):
    """Ana and Ben reviewed each other, one of the two reviews each needs; they submitted 3 days ago,
    and the rule lowers the requirement after 2."""
    ana = make_block(CASE_WAITING, user="ana")
    item = ana.peer_item()
    submit(item, "ana", "ben")
    review(item, "ana", 1)
    review(item, "ben", 0)
    PeerSubmission.objects.filter(usage_id=item.usage_id).update(submitted_at=timezone.now() - timedelta(days=3))
    assert not PeerSubmission.objects.filter(usage_id=item.usage_id, graded_at__isnull=False).exists()
    return open_as(item.usage_id, "ana"), "state", {}, item.usage_id


def waited_announced(reply, block, call):
    learner_state_announced(reply, block, call)
    assert reply["state"]["grade"] is not None, reply["state"]
    assert PeerSubmission.objects.filter(usage_id=str(block.scope_ids.usage_id), graded_at__isnull=False).count() == 2


def self_assessment_setup(make_block, call):
    chen = make_block(CASE_SELF, user="chen")
    submit(chen.peer_item(), "chen")
    return open_as(chen.scope_ids.usage_id, "chen"), "submit_self_assessment", {"options": {"c": 1}}, \
        str(chen.scope_ids.usage_id)


def self_assessment_announced(reply, block, call):
    learner_state_announced(reply, block, call)
    assert reply["state"]["self_assessment"]["done"], reply["state"]


def adaptive_review_setup(make_block, call):
    """Dan's response has one review (0 points, stored); Ana holds a lease on it: her review (4 points) is the
    second, the minimum, and disagrees, so it asks for one more."""
    ana = make_block(CASE_ADAPTIVE, user="ana")
    item = ana.peer_item()
    submit(item, "dan", "ana")
    dan = PeerSubmission.objects.get(usage_id=item.usage_id, anonymous_user_id="dan")
    store_reviews(item, dan, [("ben", {"c": 0})], timezone.now())
    lease = workflow.next_review(item, "ana").lease
    assert lease.submission_id == dan.pk
    return open_as(item.usage_id, "ana"), "submit_review", {"lease_id": lease.pk, "review": REVIEW}, item.usage_id


def adaptive_review_announced(reply, block, call):
    learner_state_announced(reply, block, call)
    dan = PeerSubmission.objects.get(usage_id=str(block.scope_ids.usage_id), anonymous_user_id="dan")
    assert (dan.received, dan.extra_wanted, dan.count_state) == (2, 1, PeerSubmission.COLLECTING)


PATHS = {
    "quiz submit": (quiz_setup, quiz_announced, check_quiz),
    "case study draft": (draft_setup, draft_announced, check_peer),
    "case study response": (response_setup, learner_state_announced, check_peer),
    "case study review": (review_setup, learner_state_announced, check_peer),
    "case study report": (flag_setup, learner_state_announced, check_peer),
    "case study rating": (rating_setup, rating_announced, check_peer),
    "case study practice": (practice_setup, learner_state_announced, check_peer),
    "staff grade": (staff_setup("staff_grade", {"points": 3, "reason": "Fairer."}), staff_announced, check_peer),
    "staff cancellation": (staff_setup("staff_cancel", {"reason": "Plagiarism."}), staff_announced, check_peer),
    "case study review draft": (review_draft_setup, review_draft_announced, check_peer),
    "staff clear flag": (staff_setup("staff_clear_flag", {"note": "Checked."}, flagged_ready, "ben"),
                         cleared_announced, check_peer),
    "staff clear divergence": (staff_setup("staff_clear_divergence", {"note": "Checked."}, divergent),
                               kept_announced, check_peer),
    "staff send again": (staff_setup("staff_send_again", {}), staff_announced, check_peer),
    "waiting rule": (waited_setup, waited_announced, check_peer),
    "quiz staff reset": (quiz_reset_setup, quiz_reset_announced, check_quiz),
    "case study self-assessment": (self_assessment_setup, self_assessment_announced, check_peer),
    "case study adaptive review count": (adaptive_review_setup, adaptive_review_announced, check_peer),
}


def statements_to_fail(statements: list[str]) -> list[int]:
    """The numbers (from 1) of the statements to fail: all of them, except the workbench's reads of learner
    state after its first (a read of one XBlock field each, the same statement many times over: in the
    LMS, the platform's field data cache reads them at once)."""
    chosen, seen_state_read = [], False
    for n, sql in enumerate(statements, 1):
        if sql.lstrip().upper().startswith("SELECT") and "workbench_xblockstate" in sql:
            if seen_state_read:
                continue
            seen_state_read = True
        chosen.append(n)
    return chosen


@pytest.mark.parametrize("path", sorted(PATHS))
def test_every_statement_of_a_write_path_failing_in_turn(make_block, call, transactional_db, path):
    setup, announced, recount = PATHS[path]
    block, handler, body, usage = setup(make_block, call)
    counter = FailAt(None)
    with counter.installed():
        status, reply = call(block, handler, body)
    assert status == 200, (path, reply)
    announced(reply, block, call)
    recount(usage)
    outcomes = collections.Counter()
    for n in statements_to_fail(counter.statements):
        block, handler, body, usage = setup(make_block, call)
        before = stored()
        fault = FailAt(n)
        with fault.installed():
            status, reply = call(block, handler, body)
        where = f"{path}, statement {n} of {counter.count} failing ({fault.failed_sql!r:.120}): {status} {reply}"
        assert fault.fired, where
        assert isinstance(reply, dict), where
        outcomes[status] += 1
        if status == 200:
            announced(reply, block, call)
        else:
            assert status in (400, 403, 404, 409, 503) and reply.get("error"), where
            if not reply.get("saved"):
                assert changed_tables(before, stored()) == [], where
        recount(usage)
    assert outcomes, path
