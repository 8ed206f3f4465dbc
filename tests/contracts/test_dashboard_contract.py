"""The instructor dashboard's "Reset attempts" and "Delete learner state", and the support tool's course
reset, replayed on our blocks.

Platform source followed: lms/djangoapps/instructor/enrollment.py ``reset_student_attempts``,
``_reset_module_attempts`` and ``_fire_score_changed_for_block`` (openedx/openedx-platform at commit
e57a655d77b614f19223984e9805b1fb940ab192, replayed in ``platform_replay.reset_student_attempts``; a leaf
block without teams, so no children are reset first and only the learner's own StudentModule is), fed
by lms/djangoapps/grades/signals/handlers.py, the grade task and events (replayed in ``platform_replay``
at the commits it names) and edx-completion's receiver and BlockCompletion rows (the package itself). The
dashboard's view that calls it, ``ResetStudentAttempts`` in lms/djangoapps/instructor/views/api.py (commit
0b870c132a5e8e2e1f1c4b3b2b20e329738d3a49), runs without a request-wide transaction.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from django.dispatch import receiver
from submissions import api as submissions_api

from factories import olx, respond
from sse_academy_xblock import platform
from sse_academy_xblock.peer.models import PeerSubmission
from sse_academy_xblock.profile.models import DimensionScore
from sse_academy_xblock.quiz.models import QuizItemAnswer, QuizRoster

from .platform_replay import (PROBLEM_SUBMITTED_EVENT_TYPE, STATE_DELETED_EVENT_TYPE, StudentModule, bind,
                              override_score_module_state, rescore_problem_module_state, reset_student_attempts,
                              student_module_exists)

QUIZ = olx("quiz_contract")
RIGHT = {"q1": "a", "q2": True}
HALF = {"q1": "a", "q2": False}

CASE = olx("case_study_contract")


def submit(call, block, attempt, answers):
    status, reply = call(block, "submit", {"attempt": attempt, "answers": answers})
    assert status == 200, reply


def delete_state(lms, block, learner, capture, **kwargs):
    """The dashboard's "Delete learner state" for ``learner``, in a request of its own that commits."""
    with capture(execute=True):
        reset_student_attempts(lms, block, learner, "instructor", delete_module=True, **kwargs)


def test_quiz_delete_learner_state_clears_gradebook_completion_and_our_rows(
        make_lms_block, call, lms, django_capture_on_commit_callbacks):
    """The platform skips its score-deleted signal for a block with ``clear_student_state``; after the
    delete, amina's gradebook score and completion are gone with our roster, profile and item-analysis
    rows, bruno is untouched, and amina, rescore and override work again."""
    amina = bind(make_lms_block(QUIZ, user="amina"), lms)
    bruno = bind(make_lms_block.as_user(amina, "bruno"), lms)
    usage = str(amina.scope_ids.usage_id)
    submit(call, amina, 1, RIGHT)
    submit(call, bruno, 1, HALF)
    assert lms.gradebook[("amina", usage)] == (3.0, 3.0) and lms.completion_of("amina", usage) == 1.0
    assert lms.gradebook[("bruno", usage)] == (2.0, 3.0)

    delete_state(lms, make_lms_block.as_user(amina, "instructor"), "amina", django_capture_on_commit_callbacks)

    assert ("amina", usage) not in lms.gradebook and lms.score_in_csm("amina", usage) is None
    assert lms.completion_of("amina", usage) == 0.0
    assert lms.retries == []
    for table in (QuizRoster, DimensionScore, QuizItemAnswer):
        assert not table.objects.filter(anonymous_user_id="amina").exists()
    assert not student_module_exists(amina, "amina")
    # Other learners are untouched.
    assert lms.gradebook[("bruno", usage)] == (2.0, 3.0) and lms.completion_of("bruno", usage) == 1.0
    for table in (QuizRoster, DimensionScore, QuizItemAnswer):
        assert table.objects.filter(anonymous_user_id="bruno").exists()

    # amina starts again from nothing, and her new grade reaches the gradebook.
    again = bind(make_lms_block.as_user(amina, "amina"), lms)
    assert (again.attempts, again.raw_earned) == (0, None)
    submit(call, again, 1, HALF)
    assert lms.gradebook[("amina", usage)] == (2.0, 3.0) and lms.completion_of("amina", usage) == 1.0

    # Rescore and override (instructor tasks) still reach the gradebook.
    assert rescore_problem_module_state(lms, bind(make_lms_block.as_user(amina, "bruno"), lms), False) == "succeeded"
    assert lms.gradebook[("bruno", usage)] == (2.0, 3.0)
    override_score_module_state(lms, bind(make_lms_block.as_user(amina, "bruno"), lms), 3.0)
    assert lms.gradebook[("bruno", usage)] == (3.0, 3.0)


def test_the_score_deleted_signal_follows_the_deletion_inside_the_state_deleted_transaction(
        make_lms_block, call, lms, django_capture_on_commit_callbacks):
    """When our signal goes out, the learner's StudentModule is gone and the platform's kind of event
    transaction is open: the grade task finds no score (no retry), and the tracking log has the
    platform's ``state_deleted`` event and no ``problem.submitted`` event with 0 points."""
    amina = bind(make_lms_block(QUIZ, user="amina"), lms)
    usage = str(amina.scope_ids.usage_id)
    submit(call, amina, 1, RIGHT)
    seen = []

    @receiver(lms.PROBLEM_RAW_SCORE_CHANGED, weak=False)
    def when_sent(sender, **kwargs):
        seen.append((kwargs["score_deleted"], student_module_exists(amina, "amina"), lms.score_in_csm("amina", usage),
                     lms.get_event_transaction_type()))

    lms.tracking_log.events.clear()
    delete_state(lms, make_lms_block.as_user(amina, "instructor"), "amina", django_capture_on_commit_callbacks)

    assert seen == [(True, False, None, STATE_DELETED_EVENT_TYPE)]
    assert lms.retries == []
    assert lms.tracking_log.named(PROBLEM_SUBMITTED_EVENT_TYPE) == []
    assert [e["problem_id"] for e in lms.tracking_log.named(STATE_DELETED_EVENT_TYPE)] == [usage]
    assert ("amina", usage) not in lms.gradebook and lms.completion_of("amina", usage) == 0.0


def test_the_support_tools_course_reset_asks_for_no_signal_and_no_event(
        make_lms_block, call, lms, django_capture_on_commit_callbacks):
    """``emit_signals_and_events=False`` (the support tool resets a whole course and tells the grades
    app itself): our rows go with the learner's state, and nothing is sent or logged for it."""
    amina = bind(make_lms_block(QUIZ, user="amina"), lms)
    usage = str(amina.scope_ids.usage_id)
    submit(call, amina, 1, RIGHT)
    sent = []
    lms.PROBLEM_RAW_SCORE_CHANGED.connect(lambda sender, **kw: sent.append(kw), weak=False, dispatch_uid="seen")
    lms.PROBLEM_WEIGHTED_SCORE_CHANGED.connect(lambda sender, **kw: sent.append(kw), weak=False, dispatch_uid="seen")
    lms.tracking_log.events.clear()

    delete_state(lms, make_lms_block.as_user(amina, "instructor"), "amina", django_capture_on_commit_callbacks,
                 emit_signals_and_events=False)

    assert sent == [] and lms.tracking_log.events == []
    assert not student_module_exists(amina, "amina")
    assert not QuizRoster.objects.filter(anonymous_user_id="amina").exists()
    assert lms.completion_of("amina", usage) == 1.0  # left to the caller, as the flag asks
    # Nothing is left waiting for a later deletion of that learner's state either.
    StudentModule.objects.filter(user_id="amina").delete()
    assert sent == []


def test_a_learner_without_state_gets_no_signal(make_lms_block, call, lms, django_capture_on_commit_callbacks):
    """The platform clears the block's state first, then finds no StudentModule ("Module does not exist"):
    no score was kept for the learner, so none is announced deleted."""
    amina = bind(make_lms_block(QUIZ, user="amina"), lms)
    sent = []
    lms.PROBLEM_RAW_SCORE_CHANGED.connect(lambda sender, **kw: sent.append(kw), weak=False, dispatch_uid="seen")
    with pytest.raises(LookupError):
        delete_state(lms, make_lms_block.as_user(amina, "instructor"), "amina", django_capture_on_commit_callbacks)
    assert sent == [] and lms.tracking_log.named(PROBLEM_SUBMITTED_EVENT_TYPE) == []


def test_quiz_reset_attempts_keeps_the_score(make_lms_block, call, lms):
    """"Reset attempts" only zeroes ``attempts`` in the StudentModule (``_reset_module_attempts``)."""
    amina = bind(make_lms_block(QUIZ, user="amina"), lms)
    usage = str(amina.scope_ids.usage_id)
    submit(call, amina, 1, HALF)
    submit(call, amina, 2, RIGHT)
    reset_student_attempts(lms, make_lms_block.as_user(amina, "instructor"), "amina", "instructor",
                           delete_module=False)
    again = make_lms_block.as_user(amina, "amina")
    assert again.attempts == 0 and again.raw_earned == 3.0
    assert lms.gradebook[("amina", usage)] == (3.0, 3.0)


def sub_id(name):
    return PeerSubmission.objects.get(anonymous_user_id=name).pk


# The instructor dashboard's view runs without a request-wide transaction (``transaction.non_atomic_requests`` on
# ``ResetStudentAttempts`` in lms/djangoapps/instructor/views/api.py, openedx/openedx-platform at commit
# 0b870c132a5e8e2e1f1c4b3b2b20e329738d3a49): each write commits at once, and a callback deferred to the commit
# runs there and then. The tests below run on such a database (``transactional_db``).


def test_quiz_delete_learner_state_in_the_dashboards_request_without_a_transaction(make_lms_block, call, lms,
                                                                                  transactional_db):
    """As the dashboard's view runs it: the StudentModule's deletion commits at once, and the quiz's signal
    follows it there, inside its own state-deleted event transaction (no retry, no 0-point event)."""
    amina = bind(make_lms_block(QUIZ, user="amina"), lms)
    usage = str(amina.scope_ids.usage_id)
    submit(call, amina, 1, RIGHT)
    lms.tracking_log.events.clear()
    reset_student_attempts(lms, make_lms_block.as_user(amina, "instructor"), "amina", "instructor", delete_module=True)
    assert lms.retries == [] and lms.tracking_log.named(PROBLEM_SUBMITTED_EVENT_TYPE) == []
    assert [e["problem_id"] for e in lms.tracking_log.named(STATE_DELETED_EVENT_TYPE)] == [usage]
    assert ("amina", usage) not in lms.gradebook and lms.completion_of("amina", usage) == 0.0


def test_case_study_delete_learner_state_finds_a_module_and_clears_the_grade(make_lms_block, call, lms,
                                                                             transactional_db):
    """A learner who took part has a StudentModule, so the dashboard's delete ends without "Module does
    not exist"; their edx-submissions score is reset, which the LMS turns into a deleted score and zero
    completion; the other learner keeps their grade."""
    ana = make_lms_block(CASE, user="ana")
    ben = make_lms_block.as_user(ana, "ben")
    usage = str(ana.scope_ids.usage_id)
    assert not student_module_exists(ana, "ana")
    assert call(ana, "save_draft", {"text": "A first draft of the analysis."})[0] == 200
    assert student_module_exists(ana, "ana")  # a draft alone gives the learner state
    for block, name in ((ana, "ana"), (ben, "ben")):
        respond(call, block, f"{name} writes a careful analysis here.")
    staff = make_lms_block.as_user(ana, "staff")
    for name in ("ana", "ben"):
        status, reply = call(staff, "staff_grade", {"submission": sub_id(name), "points": 4, "reason": "Staff grade."})
        assert status == 200, reply
    assert lms.gradebook[("ana", usage)] == (4, 4) and lms.gradebook[("ben", usage)] == (4, 4)
    assert lms.completion_of("ana", usage) == 1.0

    reset_student_attempts(lms, make_lms_block.as_user(ana, "instructor"), "ana", "instructor", delete_module=True)

    assert ("ana", usage) not in lms.gradebook and lms.completion_of("ana", usage) == 0.0
    assert submissions_api.get_score(platform.student_item(ana)) is None
    assert not DimensionScore.objects.filter(anonymous_user_id="ana").exists()
    assert lms.gradebook[("ben", usage)] == (4, 4)
    assert submissions_api.get_score(platform.student_item(ben))["points_earned"] == 4
    # ana may write again; her new response is a new submission.
    again = make_lms_block.as_user(ana, "ana")
    status, reply = call(again, "submit_response", {"text": "ana starts again with a new analysis."})
    assert status == 200, reply
    assert again.submission_id == PeerSubmission.objects.filter(anonymous_user_id="ana").order_by("-attempt")[0].pk


def test_case_study_response_from_before_the_state_fields_gets_a_module_on_view(make_lms_block, call, lms):
    """A learner who submitted before the block kept any state gets their StudentModule on their next
    view, so the dashboard can reset them."""
    ana = make_lms_block(CASE, user="ana")
    call(ana, "submit_response", {"text": "ana writes a careful analysis here."})
    from workbench.models import XBlockState

    XBlockState.objects.filter(scope="usage", user_id="ana").delete()  # as an older release left it
    assert not student_module_exists(ana, "ana")
    view = make_lms_block.as_user(ana, "ana")
    view.render("student_view", {})
    assert student_module_exists(ana, "ana") and view.submission_id == sub_id("ana")
    reset_student_attempts(lms, make_lms_block.as_user(ana, "instructor"), "ana", "instructor", delete_module=False)


def test_case_study_reset_attempts_lets_the_learner_submit_a_new_response_and_keeps_the_grade_meanwhile(
        make_lms_block, call, lms, transactional_db):
    """"Reset attempts" only zeroes ``attempts`` in the learner's StudentModule. A graded learner may then
    write a new response; the gradebook keeps their grade until the new response is graded, which then
    replaces it (the last response counts, as the quiz's last attempt does)."""
    ana = make_lms_block(CASE, user="ana")
    ben = make_lms_block.as_user(ana, "ben")
    usage = str(ana.scope_ids.usage_id)
    for block, name in ((ana, "ana"), (ben, "ben")):
        respond(call, block, f"{name} writes a careful analysis here.")
    staff = make_lms_block.as_user(ana, "staff")
    for name, points in (("ana", 0), ("ben", 4)):
        call(staff, "staff_grade", {"submission": sub_id(name), "points": points, "reason": "Staff grade."})
    assert lms.gradebook[("ana", usage)] == (0, 4)
    assert make_lms_block.as_user(ana, "ana").attempts == 1

    reset_student_attempts(lms, make_lms_block.as_user(ana, "instructor"), "ana", "instructor", delete_module=False)

    again = make_lms_block.as_user(ana, "ana")
    state = call(again, "state", {})[1]["state"]
    assert state["phase"] == "write"
    assert state["kept_grade"] == ("You may submit a new response. Your earlier response keeps its grade, 0 of 4 "
                                   "points (0%), until the new one is graded.")
    assert lms.gradebook[("ana", usage)] == (0, 4)          # kept meanwhile
    assert DimensionScore.objects.filter(anonymous_user_id="ana").exists()
    status, reply = call(again, "submit_response", {"text": "ana writes a better analysis this time."})
    assert status == 200, reply
    assert make_lms_block.as_user(ana, "ana").attempts == 2
    assert lms.gradebook[("ana", usage)] == (0, 4)          # until the new response is graded
    new = PeerSubmission.objects.filter(anonymous_user_id="ana").order_by("-attempt")[0]
    call(staff, "staff_grade", {"submission": new.pk, "points": 4, "reason": "Better."})
    assert lms.gradebook[("ana", usage)] == (4, 4)
    # ben, whom nobody reset, is untouched.
    assert lms.gradebook[("ben", usage)] == (4, 4)
    status, reply = call(make_lms_block.as_user(ana, "ben"), "submit_response", {"text": "ben tries again."})
    assert status == 409


def test_case_study_reset_attempts_after_the_due_date_changes_nothing(make_lms_block, call, lms):
    """Responses are closed to the learner: the reset would only take their response out of review."""
    ana = make_lms_block(CASE.replace("<sse_case_study ", '<sse_case_study due="2099-01-01T00:00:00Z" ', 1), user="ana")
    respond(call, ana, "ana writes a careful analysis here.")
    staff = make_lms_block.as_user(ana, "staff")
    staff.due = datetime(2020, 1, 1, tzinfo=timezone.utc)
    staff.save()
    reset_student_attempts(lms, make_lms_block.as_user(ana, "instructor"), "ana", "instructor", delete_module=False)
    again = make_lms_block.as_user(ana, "ana")
    assert call(again, "state", {})[1]["state"]["phase"] == "submitted"
    assert PeerSubmission.objects.get(anonymous_user_id="ana").pool == PeerSubmission.IN_POOL


def graded_case_study(make_lms_block, call, learners=("ana", "ben")):
    """A case study with every learner's response graded 4 of 4 by staff; returns the first learner's block."""
    ana = make_lms_block(CASE, user=learners[0])
    blocks = [ana] + [make_lms_block.as_user(ana, name) for name in learners[1:]]
    for block, name in zip(blocks, learners):
        respond(call, block, f"{name} writes a careful analysis here.")
    staff = make_lms_block.as_user(ana, "staff")
    for name in learners:
        status, reply = call(staff, "staff_grade", {"submission": sub_id(name), "points": 4, "reason": "Staff grade."})
        assert status == 200, reply
    return ana


def test_case_study_delete_state_resets_the_score_inside_the_state_deleted_transaction(
        make_lms_block, call, lms, transactional_db):
    """The learner's edx-submissions score is reset with the platform's own receivers, inside an event
    transaction of the platform's ``state_deleted`` kind opened first: the gradebook and completion
    forget the score, the grade task finds it gone (no retry), and the tracking log has the platform's
    ``state_deleted`` event and no ``problem.submitted`` event with 0 of 0 points."""
    ana = graded_case_study(make_lms_block, call)
    usage = str(ana.scope_ids.usage_id)
    seen = []

    @receiver(lms.PROBLEM_WEIGHTED_SCORE_CHANGED, weak=False)
    def when_sent(sender, **kwargs):
        seen.append((kwargs["score_deleted"], kwargs["score_db_table"], lms.get_event_transaction_type()))

    lms.tracking_log.events.clear()
    reset_student_attempts(lms, make_lms_block.as_user(ana, "instructor"), "ana", "instructor", delete_module=True)

    assert seen == [(True, "submissions", STATE_DELETED_EVENT_TYPE)]
    assert lms.tracking_log.named(PROBLEM_SUBMITTED_EVENT_TYPE) == []
    assert [e["problem_id"] for e in lms.tracking_log.named(STATE_DELETED_EVENT_TYPE)] == [usage]
    assert [e["name"] for e in lms.tracking_log.events if e["name"].startswith("edx.grades.")] == [
        STATE_DELETED_EVENT_TYPE]
    assert lms.retries == []
    assert ("ana", usage) not in lms.gradebook and lms.completion_of("ana", usage) == 0.0
    assert submissions_api.get_score(platform.student_item(ana)) is None
    assert not DimensionScore.objects.filter(anonymous_user_id="ana").exists()
    assert lms.gradebook[("ben", usage)] == (4, 4)


def test_case_study_delete_state_for_the_support_tools_course_reset_sends_nothing(
        make_lms_block, call, lms, transactional_db):
    """``emit_signals_and_events=False``: the score is reset in edx-submissions and our rows go, and
    no signal, event or event transaction comes of it (the caller tells the grades app itself)."""
    ana = graded_case_study(make_lms_block, call)
    usage = str(ana.scope_ids.usage_id)
    sent = []
    lms.PROBLEM_WEIGHTED_SCORE_CHANGED.connect(lambda sender, **kw: sent.append(kw), weak=False, dispatch_uid="seen")
    lms.tracking_log.events.clear()

    reset_student_attempts(lms, make_lms_block.as_user(ana, "instructor"), "ana", "instructor", delete_module=True,
                           emit_signals_and_events=False)

    assert sent == [] and lms.tracking_log.events == [] and lms.event_transaction == {}
    assert submissions_api.get_score(platform.student_item(ana)) is None
    assert not DimensionScore.objects.filter(anonymous_user_id="ana").exists()
    assert not student_module_exists(ana, "ana")
    assert lms.completion_of("ana", usage) == 1.0  # left to the caller, as the flag asks


def test_case_study_delete_state_after_reset_attempts_takes_the_kept_grade_back(
        make_lms_block, call, lms, transactional_db):
    """"Reset attempts" keeps the grade until a new response is graded; deleting the learner's state
    afterwards takes that grade back too: the learner starts from nothing."""
    ana = graded_case_study(make_lms_block, call)
    usage = str(ana.scope_ids.usage_id)
    reset_student_attempts(lms, make_lms_block.as_user(ana, "instructor"), "ana", "instructor", delete_module=False)
    call(make_lms_block.as_user(ana, "ana"), "state", {})  # the learner's page applies the reset
    assert lms.gradebook[("ana", usage)] == (4, 4)

    reset_student_attempts(lms, make_lms_block.as_user(ana, "instructor"), "ana", "instructor", delete_module=True)

    assert ("ana", usage) not in lms.gradebook and lms.completion_of("ana", usage) == 0.0
    assert submissions_api.get_score(platform.student_item(ana)) is None
    assert not DimensionScore.objects.filter(anonymous_user_id="ana").exists()
