"""The gradebook's rules: the LMS decides which quiz score a learner keeps, and our rows follow it.

Platform code followed (openedx/openedx-platform at commit e57a655d77b614f19223984e9805b1fb940ab192,
replayed in ``platform_replay``): xmodule/services.py ``EventPublishingService._handle_grade_event``,
lms/djangoapps/grades/signals/handlers.py ``score_published_handler`` (the stored score, the percentage
rule of openedx/core/lib/grade_utils.py ``is_score_higher_or_equal`` (read in openedx/edx-platform at
2f96050f58d58c471789c20f1df29c2d6eda3624) when ``only_if_higher``, then
``block.set_score`` and PROBLEM_RAW_SCORE_CHANGED), lms/djangoapps/instructor_task/tasks_helper/module_state.py
``rescore_problem_module_state`` and ``override_score_module_state``; XBlock's own
xblock/scorable.py ``ScorableXBlockMixin.rescore`` (installed), which only publishes.

"Our rows" are what learners and staff read besides the gradebook: the learner's quiz page (their state),
the staff panel's roster, the item analysis's graded answers and the Decent Work profile's rows.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factories import olx
from sse_academy_xblock.profile.models import DimensionScore
from sse_academy_xblock.quiz.models import QuizItemAnswer, QuizRoster

from .platform_replay import (GRADES_RESCORE_EVENT_TYPE, LMSBlocks, bind, override_score_module_state,
                              rescore_problem_module_state)

QUIZ = olx("quiz_contract")  # q1: single choice, 2 points, key "a"; q2: true/false, 1 point, key true
AMINA = {"q1": "a", "q2": False}  # 2 of 3 points (67%)
THIRD_QUESTION = {"id": "q3", "type": "truefalse", "answer": True, "points": 2.0, "prompt": "Added?"}


def submit(call, block, attempt, answers):
    status, reply = call(block, "submit", {"attempt": attempt, "answers": answers})
    assert status == 200, reply


def fix_the_key(author, *, add_question: bool):
    """The author finds q2's key wrong (false is right) and, if asked, adds a 2-point question."""
    questions = [dict(q) for q in author.questions]
    questions[1]["answer"] = False
    if add_question:
        questions.append(dict(THIRD_QUESTION))
    author.questions = questions
    author.save()


def what_everyone_reads(lms, block, learner: str) -> dict:
    """The learner's (earned, possible) as each place reads it."""
    usage = str(block.scope_ids.usage_id)
    page = LMSBlocks.as_user(block, learner)
    # the counted (last) attempt's answers: the item analysis also keeps first and all attempts apart
    answers = QuizItemAnswer.objects.filter(anonymous_user_id=learner, usage_id=usage, attempts="last")
    dimensions = DimensionScore.objects.filter(anonymous_user_id=learner, usage_id=usage)
    roster = QuizRoster.objects.get(anonymous_user_id=learner, usage_id=usage)
    return {
        "gradebook": lms.gradebook[(learner, usage)],
        "stored score": lms.score_in_csm(learner, usage),
        "quiz page": (page.raw_earned, page.raw_possible),
        "staff roster": (roster.earned, roster.possible),
        "item analysis": (sum(a.earned for a in answers), sum(a.possible for a in answers)),
        "profile": (sum(d.earned for d in dimensions), sum(d.possible for d in dimensions)),
    }


def agree_on(readings: dict, score: tuple[float, float]):
    assert readings == dict.fromkeys(readings, score), readings


@pytest.fixture
def amina(make_lms_block, call, lms):
    block = bind(make_lms_block(QUIZ, user="amina"), lms)
    submit(call, block, 1, AMINA)
    agree_on(what_everyone_reads(lms, block, "amina"), (2.0, 3.0))
    return block


def test_a_key_fix_that_adds_points_but_lowers_the_percentage_is_refused_everywhere(amina, make_lms_block, lms):
    """After the fix amina's answers earn 3 of 5 points (60%), below her 2 of 3 (67%): with "only if
    higher" the gradebook keeps 2/3, and so do her page, the staff panel, the item analysis and the profile."""
    fix_the_key(make_lms_block.as_user(amina, "staff"), add_question=True)
    learner = bind(make_lms_block.as_user(amina, "amina"), lms)
    assert tuple(learner.calculate_score()) == (3.0, 5.0)

    assert rescore_problem_module_state(lms, learner, only_if_higher=True) == "succeeded"

    agree_on(what_everyone_reads(lms, amina, "amina"), (2.0, 3.0))
    page = make_lms_block.as_user(amina, "amina")
    assert page.results["q2"]["status"] == "incorrect" and "2 of 3 points" in page.render("student_view", {}).body_html()


def test_a_key_fix_the_gradebook_keeps_reaches_every_row(amina, make_lms_block, lms):
    """Fixing q2 alone lifts amina to 3 of 3: the gradebook keeps it, and every row follows."""
    fix_the_key(make_lms_block.as_user(amina, "staff"), add_question=False)
    rescore_problem_module_state(lms, bind(make_lms_block.as_user(amina, "amina"), lms), only_if_higher=True)
    agree_on(what_everyone_reads(lms, amina, "amina"), (3.0, 3.0))
    assert make_lms_block.as_user(amina, "amina").results["q2"]["status"] == "correct"
    rescored = lms.tracking_log.named(GRADES_RESCORE_EVENT_TYPE)
    assert [(e["new_weighted_earned"], e["only_if_higher"]) for e in rescored] == [(3.0, True)]


def test_a_rescore_without_only_if_higher_lowers_the_percentage_everywhere(amina, make_lms_block, lms):
    fix_the_key(make_lms_block.as_user(amina, "staff"), add_question=True)
    rescore_problem_module_state(lms, bind(make_lms_block.as_user(amina, "amina"), lms), only_if_higher=False)
    agree_on(what_everyone_reads(lms, amina, "amina"), (3.0, 5.0))


def test_an_override_reaches_every_row_and_its_second_set_score_writes_nothing(amina, make_lms_block, lms,
                                                                               monkeypatch):
    """``override_score_module_state`` calls ``set_score`` and then ``publish_grade``, whose score the LMS
    hands back to ``set_score``: the second call finds the score already kept."""
    learner = bind(make_lms_block.as_user(amina, "amina"), lms)
    writes = []
    real = type(learner).set_score

    def counted(block, score):
        with CaptureQueriesContext(connection) as ctx:
            real(block, score)
        writes.append(_writes_to_our_tables(ctx))

    monkeypatch.setattr(type(learner), "set_score", counted)
    override_score_module_state(lms, learner, 1.5)
    assert len(writes) == 2 and writes[0] > 0 and writes[1] == 0
    readings = what_everyone_reads(lms, amina, "amina")
    assert readings.pop("item analysis") == (2.0, 3.0)  # the graded answers, not the override
    agree_on(readings, (1.5, 3.0))


def _writes_to_our_tables(ctx) -> int:
    return sum(1 for q in ctx.captured_queries
               if "sse_academy_xblock_" in q["sql"] and q["sql"].lstrip().split()[0].upper() in ("INSERT", "UPDATE",
                                                                                                 "DELETE"))


def test_a_submit_through_the_lms_writes_our_rows_once(make_lms_block, call, lms, monkeypatch):
    """The LMS hands every published grade back to ``set_score``; a submit has already kept it, so the
    call writes nothing, and a submit costs the same statements with the LMS as without it."""
    first, second = {"q1": "b", "q2": False}, {"q1": "a", "q2": True}

    def statements(bound: bool, learner: str) -> tuple[int, int]:
        block = make_lms_block(QUIZ, user=learner)
        if bound:
            bind(block, lms)
        counts = []
        for attempt, answers in ((1, first), (2, second)):
            with CaptureQueriesContext(connection) as ctx:
                submit(call, block, attempt, answers)
            counts.append(_writes_to_our_tables(ctx))
        return tuple(counts)

    platform_calls = []
    real = type(make_lms_block(QUIZ)).set_score

    def counted(block, score):
        with CaptureQueriesContext(connection) as ctx:
            real(block, score)
        platform_calls.append(len(ctx.captured_queries))

    monkeypatch.setattr(type(make_lms_block(QUIZ)), "set_score", counted)
    without_lms = statements(False, "bruno")
    with_lms = statements(True, "amina")
    assert platform_calls == [0, 0]  # the LMS called set_score after each submit; no statement at all
    assert with_lms == without_lms
    # The roster's claim (and its row, the first time), the learner's lock of the kept cohort figures, the
    # profile's upsert (no removal: the quiz scores the same dimensions again), the graded answers (and the
    # removal of the previous ones), the item totals' upsert.
    assert with_lms == (6, 6), with_lms
