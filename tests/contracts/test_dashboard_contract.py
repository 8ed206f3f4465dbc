"""The instructor dashboard's "Reset attempts" and "Delete learner state", replayed on our blocks.

Platform source followed: lms/djangoapps/instructor/enrollment.py ``reset_student_attempts`` (see
``platform_replay.reset_student_attempts``), fed by lms/djangoapps/grades/signals/handlers.py and
openedx/completion completion/handlers.py (``FakeLMS``).
"""

from __future__ import annotations

import pytest
from submissions import api as submissions_api
from xblock.scorable import Score

from factories import olx, respond
from sse_academy_xblock import platform
from sse_academy_xblock.profile.models import DimensionScore
from sse_academy_xblock.peer.models import PeerSubmission
from sse_academy_xblock.quiz.models import QuizRoster

from .platform_replay import FakeLMS, reset_student_attempts, student_module_exists

QUIZ = olx("quiz_contract")
RIGHT = {"q1": "a", "q2": True}
HALF = {"q1": "a", "q2": False}

CASE = olx("case_study_contract")


@pytest.fixture
def lms(monkeypatch):
    fake = FakeLMS()
    fake.install_platform_modules(monkeypatch)
    yield fake
    fake.close()


def bind(block, lms, monkeypatch):
    """The LMS runtime of a learner-bound block: grade events go to the gradebook."""
    monkeypatch.setattr(block.runtime, "publish", lms.score_published)
    return block


def test_quiz_delete_learner_state_clears_gradebook_completion_and_our_rows(make_block, call, lms, monkeypatch):
    """Issue 10, item 1: the platform skips its score-deleted signal for a block with
    ``clear_student_state``; after the delete, amina's gradebook score and completion are gone with
    our roster and profile rows, bruno is untouched, and amina, rescore and override work again."""
    amina = bind(make_block(QUIZ, user="amina"), lms, monkeypatch)
    bruno = bind(make_block.as_user(amina, "bruno"), lms, monkeypatch)
    usage = str(amina.scope_ids.usage_id)
    assert call(amina, "submit", {"attempt": 1, "answers": RIGHT})[0] == 200
    assert call(bruno, "submit", {"attempt": 1, "answers": HALF})[0] == 200
    assert lms.gradebook[("amina", usage)] == (3.0, 3.0) and lms.completion[("amina", usage)] == 1.0
    assert lms.gradebook[("bruno", usage)] == (2.0, 3.0)

    modulestore_block = make_block.as_user(amina, "instructor")
    reset_student_attempts(lms, modulestore_block, "amina", "instructor", delete_module=True)

    assert ("amina", usage) not in lms.gradebook
    assert lms.completion[("amina", usage)] == 0.0
    assert not QuizRoster.objects.filter(anonymous_user_id="amina").exists()
    assert not DimensionScore.objects.filter(anonymous_user_id="amina").exists()
    assert not student_module_exists(amina, "amina")
    # Other learners are untouched.
    assert lms.gradebook[("bruno", usage)] == (2.0, 3.0) and lms.completion[("bruno", usage)] == 1.0
    assert QuizRoster.objects.filter(anonymous_user_id="bruno").exists()
    assert DimensionScore.objects.filter(anonymous_user_id="bruno").exists()

    # amina starts again from nothing, and her new grade reaches the gradebook.
    again = bind(make_block.as_user(amina, "amina"), lms, monkeypatch)
    assert (again.attempts, again.raw_earned) == (0, None)
    assert call(again, "submit", {"attempt": 1, "answers": HALF})[0] == 200
    assert lms.gradebook[("amina", usage)] == (2.0, 3.0) and lms.completion[("amina", usage)] == 1.0

    # Rescore and override (instructor dashboard) still reach the gradebook.
    bruno = bind(make_block.as_user(amina, "bruno"), lms, monkeypatch)
    bruno.rescore(only_if_higher=False)
    assert lms.gradebook[("bruno", usage)] == (2.0, 3.0)
    bruno.set_score(Score(raw_earned=3.0, raw_possible=3.0))
    bruno.publish_grade()
    assert lms.gradebook[("bruno", usage)] == (3.0, 3.0)


def test_quiz_reset_attempts_keeps_the_score(make_block, call, lms, monkeypatch):
    """"Reset attempts" only zeroes ``attempts`` in the StudentModule (``_reset_module_attempts``)."""
    amina = bind(make_block(QUIZ, user="amina"), lms, monkeypatch)
    usage = str(amina.scope_ids.usage_id)
    call(amina, "submit", {"attempt": 1, "answers": RIGHT})
    call(amina, "submit", {"attempt": 2, "answers": RIGHT})
    reset_student_attempts(lms, make_block.as_user(amina, "instructor"), "amina", "instructor", delete_module=False)
    again = make_block.as_user(amina, "amina")
    assert again.attempts == 0 and again.raw_earned == 3.0
    assert lms.gradebook[("amina", usage)] == (3.0, 3.0)


def sub_id(name):
    return PeerSubmission.objects.get(anonymous_user_id=name).pk


def test_case_study_delete_learner_state_finds_a_module_and_clears_the_grade(make_block, call, lms,
                                                                             transactional_db):
    """Issue 10, items 1 and 2: a learner who took part has a StudentModule, so the dashboard's delete
    ends without "Module does not exist"; their edx-submissions score is reset, which the LMS turns
    into a deleted score and zero completion; the other learner keeps their grade."""
    ana = make_block(CASE, user="ana")
    ben = make_block.as_user(ana, "ben")
    usage = str(ana.scope_ids.usage_id)
    assert not student_module_exists(ana, "ana")
    assert call(ana, "save_draft", {"text": "A first draft of the analysis."})[0] == 200
    assert student_module_exists(ana, "ana")  # a draft alone gives the learner state
    for block, name in ((ana, "ana"), (ben, "ben")):
        respond(call, block, f"{name} writes a careful analysis here.")
    staff = make_block.as_user(ana, "staff")
    for name in ("ana", "ben"):
        status, reply = call(staff, "staff_grade", {"submission": sub_id(name), "points": 4, "reason": "Staff grade."})
        assert status == 200, reply
    assert lms.gradebook[("ana", usage)] == (4, 4) and lms.gradebook[("ben", usage)] == (4, 4)

    reset_student_attempts(lms, make_block.as_user(ana, "instructor"), "ana", "instructor", delete_module=True)

    assert ("ana", usage) not in lms.gradebook and lms.completion[("ana", usage)] == 0.0
    assert submissions_api.get_score(platform.student_item(ana)) is None
    assert not DimensionScore.objects.filter(anonymous_user_id="ana").exists()
    assert lms.gradebook[("ben", usage)] == (4, 4)
    assert submissions_api.get_score(platform.student_item(ben))["points_earned"] == 4
    # ana may write again; her new response is a new submission.
    again = make_block.as_user(ana, "ana")
    status, reply = call(again, "submit_response", {"text": "ana starts again with a new analysis."})
    assert status == 200, reply
    assert again.submission_id == PeerSubmission.objects.filter(anonymous_user_id="ana").order_by("-attempt")[0].pk


def test_case_study_response_from_before_the_state_fields_gets_a_module_on_view(make_block, call, lms):
    """A learner who submitted before the block kept any state gets their StudentModule on their next
    view, so the dashboard can reset them."""
    ana = make_block(CASE, user="ana")
    call(ana, "submit_response", {"text": "ana writes a careful analysis here."})
    from workbench.models import XBlockState

    XBlockState.objects.filter(scope="usage", user_id="ana").delete()  # as an older release left it
    assert not student_module_exists(ana, "ana")
    view = make_block.as_user(ana, "ana")
    view.render("student_view", {})
    assert student_module_exists(ana, "ana") and view.submission_id == sub_id("ana")
    reset_student_attempts(lms, make_block.as_user(ana, "instructor"), "ana", "instructor", delete_module=False)
