"""A peer grade stored by ``peer/lms_scores.py`` is what edx-submissions' own ``set_score`` would store and announce.

Followed: ``submissions.api.set_score`` of the packaged edx-submissions (this environment's version, pinned in
requirements/), with its ``ScoreSerializer`` and ``ScoreSummary.update_score_summary`` receiver
(openedx/edx-submissions, submissions/api.py and submissions/models.py). Each test gives the same scores to two
learners of the same block, one through edx-submissions' function and one through ours, and compares what
each learner then has: the score rows, the summary (latest and highest), the annotation, what ``get_score``
and ``get_scores`` return, and the ``score_set`` signal the LMS's ``submissions_score_set_handler`` receives
(lms/djangoapps/grades/signals/handlers.py, openedx/openedx-platform at commit
e57a655d77b614f19223984e9805b1fb940ab192, reads its ``points_possible``, ``points_earned``, ``anonymous_user_id``,
``course_id``, ``item_id`` and ``created_at``).
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from submissions import api as sub_api
from submissions.models import Score, ScoreAnnotation, ScoreSummary, score_set

from sse_academy_xblock.peer import lms_scores

COURSE, ITEM = "course-v1:SSE+Contract+1", "block-v1:SSE+Contract+1+type@sse_case_study+block@scores"
THEIRS, OURS = "learner-api", "learner-ours"


def student_item(student: str) -> dict:
    return {"student_id": student, "course_id": COURSE, "item_id": ITEM, "item_type": "sse_case_study"}


@pytest.fixture
def announced(db, monkeypatch):
    """The ``score_set`` signals sent, as the LMS's receiver gets them."""
    sent = []
    monkeypatch.setattr(score_set, "receivers", list(score_set.receivers))
    score_set.connect(lambda sender, **kwargs: sent.append(kwargs), weak=False, dispatch_uid="contract-lms-scores")
    return sent


@pytest.fixture
def uuids(db):
    return {student: str(sub_api.create_submission(student_item(student), {"text": "A response."})["uuid"])
            for student in (THEIRS, OURS)}


def give(student: str, uuids: dict, earned: int, possible: int, annotation: dict | None = None) -> None:
    if student == THEIRS:
        annotation = annotation or {}
        sub_api.set_score(uuids[student], earned, possible, annotation_creator=annotation.get("creator"),
                          annotation_type=annotation.get("type"), annotation_reason=annotation.get("reason"))
    else:
        lms_scores.set_score(uuids[student], earned, possible, annotation)


def held(student: str) -> dict:
    """Everything edx-submissions holds and returns for the learner's scores, without ids or times."""
    scores = Score.objects.filter(student_item__student_id=student).order_by("pk")
    summary = ScoreSummary.objects.get(student_item__student_id=student)
    return {
        "scores": [(s.points_earned, s.points_possible, s.reset, s.submission.student_item.student_id == student,
                    s.submission.student_item_id == s.student_item_id) for s in scores],
        "latest": (summary.latest.points_earned, summary.latest.points_possible, summary.latest_id == scores.last().pk),
        "highest": (summary.highest.points_earned, summary.highest.points_possible),
        "annotations": [(a.annotation_type, a.creator, a.reason) for a in
                        ScoreAnnotation.objects.filter(score__student_item__student_id=student).order_by("pk")],
        "get_score": _without_ids(sub_api.get_score(student_item(student))),
        "get_scores": {item: _without_ids(score) for item, score in sub_api.get_scores(COURSE, student).items()},
    }


def _without_ids(score: dict | None) -> dict | None:
    return None if score is None else {k: v for k, v in score.items()
                                       if k not in ("created_at", "submission_uuid", "student_item", "submission")}


def signal_of(sent: list, student: str) -> dict:
    found = [s for s in sent if s["anonymous_user_id"] == student]
    assert len(found) == 1, sent
    signal = dict(found[0])
    score = Score.objects.filter(student_item__student_id=student).latest("pk")
    assert signal.pop("created_at") == score.created_at  # the stored score's time, which the grade task waits for
    signal.pop("anonymous_user_id")
    return signal


@pytest.mark.parametrize("grades", [
    [(7, 7)],
    [(3, 7), (5, 7)],           # a higher score replaces the highest
    [(6, 8), (2, 8)],           # a lower one is the latest, not the highest
    [(0, 0), (1, 4)],           # a score of nothing possible, then a real one
])
def test_both_store_and_announce_the_same_scores(uuids, announced, grades):
    for earned, possible in grades:
        announced.clear()
        for student in (THEIRS, OURS):
            give(student, uuids, earned, possible)
        assert signal_of(announced, THEIRS) == signal_of(announced, OURS) == {
            "points_possible": possible, "points_earned": earned, "course_id": COURSE, "item_id": ITEM,
            "signal": score_set}
    assert held(THEIRS) == held(OURS)


def test_both_store_a_staff_grade_with_its_annotation(uuids, announced):
    staff = {"creator": "staff-anon", "type": "staff_override", "reason": "A fairer reading of the case."}
    for student in (THEIRS, OURS):
        give(student, uuids, 4, 7)
        give(student, uuids, 6, 7, staff)
    assert held(THEIRS) == held(OURS)
    assert held(OURS)["annotations"] == [("staff_override", "staff-anon", "A fairer reading of the case.")]


@pytest.mark.parametrize("earned, possible", [(-1, 4), (1.5, 4), (True, 4), (2, -4)])
def test_points_edx_submissions_refuses_are_refused_before_anything_is_stored(uuids, announced, earned, possible):
    with pytest.raises(sub_api.SubmissionInternalError):
        give(THEIRS, uuids, earned, possible)
    with pytest.raises(ValueError):
        give(OURS, uuids, earned, possible)
    assert not Score.objects.exists() and not announced


def test_points_beyond_the_columns_range_are_refused(uuids, announced):
    """The integer columns of MySQL and PostgreSQL end at 2,147,483,647 (SQLite's do not, so edx-submissions'
    serializer takes more there): refused everywhere, before anything is stored."""
    with pytest.raises(ValueError):
        give(OURS, uuids, 1, 2**31)
    assert not Score.objects.exists() and not announced


def test_an_unknown_submission_is_edx_submissions_own_error(db, announced):
    """Its lookup of a uuid stored with hyphens is MySQL's SQL: on PostgreSQL it fails as a request error."""
    with pytest.raises((sub_api.SubmissionNotFoundError, sub_api.SubmissionRequestError)), transaction.atomic():
        lms_scores.set_score("0f9b3a52-4f55-4ad4-9d0a-7a3e7c2b1d10", 1, 2)
    assert not Score.objects.exists() and not announced


def test_ours_reads_the_two_rows_once(uuids, announced):
    """edx-submissions' function reads the submission and its student item twice each (the lookup, then its
    serializer's validation); ours reads both in one statement. A first score: the read, the score, the
    summary's read and its insert."""
    def data_statements(student):
        with CaptureQueriesContext(connection) as ctx:
            give(student, uuids, 5, 7)
        return [q["sql"] for q in ctx.captured_queries if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))]

    theirs, ours = data_statements(THEIRS), data_statements(OURS)
    assert len(theirs) == 7 and len(ours) == 4, (theirs, ours)
    assert held(THEIRS) == held(OURS)
