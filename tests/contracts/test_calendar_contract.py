"""The course calendar as the LMS gives it: edx-when's personalised due dates, run as the package itself.

In the LMS every block reads ``due`` through edx-when's ``DateLookupFieldData`` (edx_when/field_data.py):
the course's date for everyone, or a learner's own date once the instructor dashboard gives them an
extension (``set_due_date_extension`` in lms/djangoapps/instructor/views/tools.py, openedx-platform
commit e57a655d77b614f19223984e9805b1fb940ab192, calls ``edx_when.api.set_date_for_block`` with the
learner for the unit and every block under it that has a date). Here the course's dates are stored and
extended with edx-when's own API on its own tables, and each learner's block is bound with edx-when's
field data (``platform_dates.lms_block``); the requests go through the blocks' real handlers.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from django.contrib.auth import get_user_model

from factories import olx, respond
from sse_academy_xblock.peer.models import PeerSubmission
from sse_academy_xblock.quiz.models import QuizRoster

from .platform_dates import COURSE, lms_block, usage_key

PAST = datetime(2020, 12, 5, 17, 0, tzinfo=timezone.utc)
EXTENDED = datetime(2099, 3, 1, 9, 30, tzinfo=timezone.utc)
RIGHT = {"q1": "a", "q2": True}
TEXT = "A careful analysis of the recovered factory and its workers."


@pytest.fixture
def learners(db):
    make = get_user_model().objects.create
    return {name: make(username=name) for name in ("amina", "bruno")}


def course_dates(block, due, extensions=()):
    """The course's due date for ``block`` (as the platform stores a published course's dates), and the
    instructor dashboard's extensions ``[(user, date)]``, through edx-when's API."""
    from edx_when import api

    api.set_dates_for_course(COURSE, [(usage_key(block), {"due": due})])
    for user, date in extensions:
        api.set_date_for_block(COURSE, usage_key(block), "due", date, user=user, reason="illness", actor=user)


def bound(block, name, users):
    """The block as the LMS binds it to ``name``: its dates read through edx-when for that learner."""
    from edx_when.field_data import DateLookupFieldData

    return lms_block(block, name,
                     lambda authored: DateLookupFieldData(authored, course_id=COURSE, user=users[name], use_cached=False))


def test_an_extension_reopens_the_quiz_for_that_learner_only(make_block, call, learners):
    quiz = make_block(olx("quiz_contract"))
    course_dates(quiz, PAST, [(learners["amina"], EXTENDED)])
    amina, bruno = bound(quiz, "amina", learners), bound(quiz, "bruno", learners)
    assert (amina.due, bruno.due) == (EXTENDED, PAST)

    status, reply = call(bruno, "submit", {"attempt": 1, "answers": RIGHT})
    assert status == 409 and reply["error"] == "This quiz closed on 5 December 2020 at 17:00 (UTC)."
    assert "This quiz closed on 2020-12-05 17:00 UTC." in bruno.render("student_view", {}).content

    assert "Due: 2099-03-01 09:30 UTC." in amina.render("student_view", {}).content
    status, reply = call(amina, "submit", {"attempt": 1, "answers": RIGHT})
    assert status == 200, reply
    assert list(QuizRoster.objects.values_list("anonymous_user_id", flat=True)) == ["amina"]


def test_an_extension_reopens_the_case_study_for_that_learner_only(make_block, call, learners):
    case = make_block(olx("case_study_contract"))
    course_dates(case, PAST, [(learners["amina"], EXTENDED)])
    amina, bruno = bound(case, "amina", learners), bound(case, "bruno", learners)

    for handler in ("save_draft", "submit_response"):
        status, reply = call(bruno, handler, {"text": TEXT})
        assert status == 409 and reply["error"] == (
            "Responses to this case study closed on 5 December 2020 at 17:00 (UTC)."), handler
    status, reply = call(bruno, "next_review", {})
    assert status == 409 and reply["error"] == "Reviews for this case study closed on 5 December 2020 at 17:00 (UTC)."

    respond(call, amina, TEXT)
    assert list(PeerSubmission.objects.values_list("anonymous_user_id", flat=True)) == ["amina"]
    state = call(amina, "state", {})[1]["state"]
    assert state["window"] == {"open": True, "text": "Reviewing closes on 2099-03-01 09:30 UTC."}


def test_removing_the_extension_closes_the_block_again(make_block, call, learners):
    """``set_due_date_extension`` with no date removes the learner's override: the course's date applies."""
    from edx_when import api

    quiz = make_block(olx("quiz_contract"))
    course_dates(quiz, PAST, [(learners["amina"], PAST + timedelta(days=30000))])
    api.set_date_for_block(COURSE, usage_key(quiz), "due", None, user=learners["amina"], reason="", actor=None)
    status, reply = call(bound(quiz, "amina", learners), "submit", {"attempt": 1, "answers": RIGHT})
    assert status == 409
