"""The case study's tracking events, named and shaped as the platform's own peer-assessed block sends them.

Open edX's open response assessment (ORA2, openedx/edx-ora2, read at commit
025558e2e742467dc20775af21d047b4d80b15bc) publishes an ``openassessmentblock.*`` event at every step:
``save_submission`` (a draft saved, ``submission_mixin``), ``create_submission`` (a response submitted,
``submissions_actions.create_submission``), ``get_peer_submission`` (a response handed to a reviewer) and
``peer_assess`` (a review given, ``peer_assessment_api.peer_assess`` through ``publish_assessment_event``),
``submit_feedback_on_assessments`` (the author's opinion of the reviews), ``self_assess`` (a learner's assessment
of their own response, through ``publish_assessment_event`` too) and ``openassessment.student_training_assess_example``
(a learner's assessment of a staff-scored training example, ``student_training_mixin``). The case study sends the same
names with the same fields where it does the same thing; a grade reaching the author, which ORA2 does
not announce, has a name of ours. docs/events.md lists them, with where a field differs.

Plain functions of the peer-review rows (read, never queried here) and of texts; the block publishes them.

* ``save_submission(text) -> dict``; ``create_submission(submission, text) -> dict``
* ``get_peer_submission(item, reviewer_id, submission) -> dict``
* ``peer_assess(review, rubric, parts, rubric_digest) -> dict``
* ``submit_feedback_on_assessments(submission_uuid, review_id, helpful, comment) -> dict``
* ``grade_received(submission_uuid, earned, possible, source) -> dict``
* ``self_assess(assessment, rubric, rubric_digest) -> dict``
* ``student_training_assess_example(submission_uuid, attempt, rubric, reference) -> dict``
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names for annotations: the rows are read, never queried, here
    from .config import PeerItem
    from .models import CalibrationAttempt, PeerSubmission, Review, ReviewPart, SelfAssessment
    from .rubric import Rubric

SAVE_SUBMISSION = "openassessmentblock.save_submission"
CREATE_SUBMISSION = "openassessmentblock.create_submission"
GET_PEER_SUBMISSION = "openassessmentblock.get_peer_submission"
PEER_ASSESS = "openassessmentblock.peer_assess"
SUBMIT_FEEDBACK = "openassessmentblock.submit_feedback_on_assessments"
SELF_ASSESS = "openassessmentblock.self_assess"
STUDENT_TRAINING_ASSESS_EXAMPLE = "openassessment.student_training_assess_example"  # ORA2's prefix for this one
GRADE_RECEIVED = "sse_academy.case_study.grade_received"

PEER_SCORE_TYPE = "PE"  # ORA2's score type of a peer assessment
SELF_SCORE_TYPE = "SE"  # ... and of a self-assessment
# The author's rating of a review, as one of ORA2's feedback options (a list of chosen labels there).
HELPFUL = "helpful"
NOT_HELPFUL = "not_helpful"
# ORA2 names a rubric by a 40-hex content hash (SHA-1); ours is the rubric version's SHA-256, cut to as much.
CONTENT_HASH_LENGTH = 40


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _answer(text: str) -> dict:
    """A response as ORA2 writes one: its parts, each with its text (the case study has one part)."""
    return {"parts": [{"text": text}]}


def save_submission(text: str) -> dict:
    """The learner saved a draft of their response: ORA2 sends the saved answer as a JSON string."""
    return {"saved_response": json.dumps(_answer(text))}


def create_submission(submission: PeerSubmission, text: str) -> dict:
    """The learner submitted their response (``attempt_number``: 2 and more after a staff reset)."""
    return {
        "submission_uuid": submission.uuid,
        "attempt_number": submission.attempt,
        "created_at": _when(submission.submitted_at),
        "submitted_at": _when(submission.submitted_at),
        "answer": _answer(text),
    }


def get_peer_submission(item: PeerItem, reviewer_id: str, submission: PeerSubmission | None) -> dict:
    """A reviewer asked for a response to review; ``submission_returned_uuid`` is None when none was given."""
    return {
        "requesting_student_id": reviewer_id,
        "course_id": item.course_id,
        "item_id": item.usage_id,
        "submission_returned_uuid": submission.uuid if submission is not None else None,
    }


def peer_assess(review: Review, rubric: Rubric, parts: list[ReviewPart], rubric_digest: str) -> dict:
    """A reviewer gave a review: per criterion the option chosen with its points, and the comments."""
    possible = {criterion.name: criterion.max_points for criterion in rubric.criteria}
    return {
        "feedback": review.overall_comment,
        "rubric": {"content_hash": rubric_digest[:CONTENT_HASH_LENGTH]},
        "scorer_id": review.reviewer_id,
        "score_type": PEER_SCORE_TYPE,
        "scored_at": _when(review.created),
        "submission_uuid": review.submission.uuid,
        "parts": [
            {
                "option": {"name": part.option_label, "points": part.points},
                "criterion": {"name": part.criterion_name, "points_possible": possible.get(part.criterion_name, 0)},
                "feedback": part.comment,
            }
            for part in parts
        ],
    }


def submit_feedback_on_assessments(submission_uuid: str, review_id: int, helpful: bool, comment: str) -> dict:
    """The author rated one review of their response (ORA2's feedback covers all reviews at once, so the
    review rated is named too)."""
    return {
        "submission_uuid": submission_uuid,
        "feedback_text": comment,
        "options": [HELPFUL if helpful else NOT_HELPFUL],
        "review_id": review_id,
    }


def grade_received(submission_uuid: str, earned: float, possible: float, source: str) -> dict:
    """The author's grade, as their page first shows it (``source``: peer, staff, override, waiting rule...)."""
    return {
        "submission_uuid": submission_uuid,
        "points_earned": earned,
        "points_possible": possible,
        "grade_source": source,
    }


def self_assess(assessment: SelfAssessment, rubric: Rubric, rubric_digest: str) -> dict:
    """The learner assessed their own response (``rubric``: the one it was submitted under): ORA2's assessment
    fields with score type ``SE``, per criterion the option chosen with its points. The case study's
    self-assessment has no comments, so every ``feedback`` is empty."""
    parts = []
    for criterion in rubric.criteria:
        index = assessment.options.get(criterion.name)
        if index is None or not 0 <= int(index) < len(criterion.options):
            continue
        option = criterion.options[int(index)]
        parts.append({
            "option": {"name": option.label, "points": option.points},
            "criterion": {"name": criterion.name, "points_possible": criterion.max_points},
            "feedback": "",
        })
    return {
        "feedback": "",
        "rubric": {"content_hash": rubric_digest[:CONTENT_HASH_LENGTH]},
        "scorer_id": assessment.anonymous_user_id,
        "score_type": SELF_SCORE_TYPE,
        "scored_at": _when(assessment.created),
        "submission_uuid": assessment.submission.uuid,
        "parts": parts,
    }


def student_training_assess_example(submission_uuid: str, attempt: CalibrationAttempt, rubric: Rubric,
                                    reference: dict[str, int]) -> dict:
    """The learner assessed a practice example (``reference``: its reference option's index per criterion).
    As ORA2: ``options_selected`` and ``corrections`` (the reference option of each criterion where the learner
    chose another) by label, and ``submission_uuid`` the learner's own response; the example's name, the attempt
    and whether it came within the tolerance are the case study's own fields."""
    selected, corrections = {}, {}
    for criterion in rubric.criteria:
        chosen = attempt.options.get(criterion.name)
        if chosen is not None and 0 <= int(chosen) < len(criterion.options):
            selected[criterion.name] = criterion.options[int(chosen)].label
        ref = reference.get(criterion.name)
        if ref is not None and ref != chosen:
            corrections[criterion.name] = criterion.options[ref].label
    return {
        "submission_uuid": submission_uuid,
        "options_selected": selected,
        "corrections": corrections,
        "example": attempt.example,
        "attempt_number": attempt.attempt,
        "within_tolerance": attempt.within,
    }
