"""A peer grade stored in edx-submissions: the rows and the signal of its ``set_score``, without its repeated reads.

``submissions.api.set_score(uuid, earned, possible, ...)`` (edx-submissions 4.0.2, pinned in requirements/)
reads the submission by its uuid, then the submission's student item, then both again through its
serializer's validation: four reads of two rows. It then inserts the :class:`~submissions.models.Score` (with
a ``ScoreAnnotation`` when a creator is given), whose ``post_save`` receiver in edx-submissions
(``ScoreSummary.update_score_summary``) makes it the student item's latest score, and sends ``score_set``,
which the LMS turns into a grade change (``submissions_score_set_handler``,
lms/djangoapps/grades/signals/handlers.py).

:func:`set_score` reads the submission and its student item in one statement, checks the points as the
serializer does (whole numbers from 0 to 2,147,483,647), saves the same models (so edx-submissions' own
receiver keeps the summary) and sends ``score_set`` with the same arguments. Two differences, both on the side
of not losing a grade: it runs in the caller's transaction without a savepoint of its own, and an integrity
error is raised rather than passed over (``set_score`` swallows it and stores nothing), so the caller's
delivery rolls back and is tried again. A uuid not found as stored (edx-submissions also finds one stored
with hyphens on old MySQL rows) goes through edx-submissions' ``set_score`` itself.

tests/contracts/test_lms_scores_contract.py compares the rows and the signal with ``set_score``'s, on the
packaged edx-submissions.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

MAX_POINTS = 2_147_483_647  # edx-submissions' PositiveIntegerField, as its serializer validates it


def set_score(uuid: str, points_earned: int, points_possible: int, annotation: dict | None = None) -> None:
    """Store a score for the submission ``uuid`` and announce it (``score_set``), in the caller's transaction.

    ``annotation``: ``{"creator", "type", "reason"}`` of a staff grade, stored as edx-submissions'
    ``ScoreAnnotation`` when it names a creator. Raises ``ValueError`` for points edx-submissions would
    refuse, and edx-submissions' own errors for a submission it does not know.
    """
    from submissions import api as submissions_api
    from submissions.models import Score, ScoreAnnotation, score_set

    for name, value in (("points_earned", points_earned), ("points_possible", points_possible)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_POINTS:
            raise ValueError(f"{name} must be a whole number from 0 to {MAX_POINTS}, not {value!r}")
    annotation = annotation or {}
    submission = _submission(uuid)
    if submission is None:
        submissions_api.set_score(uuid, points_earned, points_possible,
                                  annotation_creator=annotation.get("creator"),
                                  annotation_type=annotation.get("type"),
                                  annotation_reason=annotation.get("reason"))
        return
    item = submission.student_item
    score = Score.objects.create(student_item=item, submission=submission, points_earned=points_earned,
                                 points_possible=points_possible)
    if annotation.get("creator") is not None:
        ScoreAnnotation.objects.create(score=score, creator=annotation["creator"],
                                       annotation_type=annotation.get("type"), reason=annotation.get("reason"))
    log.info("Score of (%s/%s) set for submission %s", points_earned, points_possible, uuid)
    score_set.send(
        sender=None,
        points_possible=points_possible,
        points_earned=points_earned,
        anonymous_user_id=item.student_id,
        course_id=item.course_id,
        item_id=item.item_id,
        created_at=score.created_at,
    )


def _submission(uuid: str):
    """edx-submissions' submission ``uuid`` (not deleted) with its student item, in one statement; None if not
    found as stored."""
    from submissions.models import Submission

    found = list(
        Submission.objects.filter(uuid=uuid).order_by().select_related("student_item")
        .only("student_item", "student_item__student_id", "student_item__course_id", "student_item__item_id",
              "student_item__item_type")[:1]
    )
    return found[0] if found else None
