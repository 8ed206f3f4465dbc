"""The quiz's score as the platform reads and changes it: the gradebook, rescoring, overrides, deleting state.

The methods of ``ScorableXBlockMixin`` (the instructor dashboard's rescore and score override call
them), the publish of the grade, and the instructor dashboard's "delete learner state".

The gradebook decides which score a learner has, and our rows follow it. A rescore only publishes the
new grading with ``only_if_higher``, as XBlock's ``ScorableXBlockMixin.rescore`` does; the LMS's
``score_published_handler`` (lms/djangoapps/grades/signals/handlers.py) keeps it or not (comparing
percentages, not points) and, when it keeps it, calls :meth:`QuizScoringMixin.set_score`. That call is
where the learner's state, the staff panel's roster, the Decent Work profile's rows and the item
analysis change, so they hold what the gradebook holds. The same call follows every grade a submit
publishes; the submit has already written those rows in its transaction, so it changes nothing then.
"""

from __future__ import annotations

import json

from xblock.scorable import Score

from .. import platform
from ..profile import scores
from ..quiz import grading, item_totals, roster, workflow


class QuizScoringMixin:
    """Score keeping of :class:`~sse_academy_xblock.blocks.quiz.SSEQuizBlock` (before ``ScorableXBlockMixin``)."""

    def _keep_result(self, result: grading.QuizResult) -> None:
        self.results = result.results_dict()
        self.breakdown = result.breakdown
        self.raw_earned = result.earned
        self.raw_possible = result.possible
        self.graded_versions = item_totals.versions_of(self.question_list())

    def _store(self, result: grading.QuizResult) -> None:
        """Make a grading of the learner's answers their score: state, roster, profile and item analysis."""
        self._keep_result(result)
        anon = self.anonymous_id
        if anon and not self.is_author_mode:
            workflow.record_score(anon, platform.course_id(self), platform.usage_id(self), self.answered_questions(),
                                  self.answers or {}, result)

    def _holds(self, result: grading.QuizResult) -> bool:
        """Whether the learner's state already is this grading (the submit that published it kept it), against
        the same versions of the questions (after a change of a question, in Studio or by a library sync, a
        rescore the gradebook keeps records the answers again under the new version, even at the same score)."""
        kept = (self.raw_earned, self.raw_possible, self.results, self.breakdown, self.graded_versions)
        graded = (result.earned, result.possible, result.results_dict(), result.breakdown,
                  item_totals.versions_of(self.question_list()))
        return _as_stored(kept) == _as_stored(graded)

    def has_submitted_answer(self):
        return self.raw_earned is not None

    def get_score(self):
        if self.raw_earned is None:
            return Score(0.0, float(self.max_score()))
        return Score(float(self.raw_earned), float(self.raw_possible))

    def _grade_stored_answers(self) -> grading.QuizResult:
        return grading.grade_quiz(self.answered_questions(), self.answers or {}, self.multiple_scoring,
                                  self.dimension)

    def calculate_score(self):
        """The last answers graded against the current key (for rescoring after a correction)."""
        result = self._grade_stored_answers()
        return Score(result.earned, result.possible)

    def set_score(self, score):
        """Persist a score the platform keeps: after a rescore it accepted, after a submit, or an override.

        A score that is the grading of the stored answers against the current key becomes the learner's
        result (per question, per dimension, in the item analysis); any other score (an override) is
        spread over the dimensions in proportion, and the item analysis keeps the graded answers. A
        score the learner already holds changes nothing and writes nothing.
        """
        earned, possible = float(score.raw_earned), float(score.raw_possible)
        result = self._grade_stored_answers()
        if (result.earned, result.possible) == (earned, possible):
            if not self._holds(result):
                self._store(result)
            return
        breakdown = grading.scaled_breakdown(self.possible_by_dimension(), earned, possible)
        if _as_stored((self.raw_earned, self.raw_possible, self.breakdown)) == _as_stored((earned, possible, breakdown)):
            return
        self.raw_earned, self.raw_possible, self.breakdown = earned, possible, breakdown
        anon = self.anonymous_id
        if anon and not self.is_author_mode:
            workflow.record_override(anon, platform.course_id(self), platform.usage_id(self), breakdown,
                                     earned, possible)

    def publish_grade(self):
        """Send the stored score to the gradebook (the instructor dashboard's override calls this)."""
        score = self.get_score()
        self.runtime.publish(self, "grade", {"value": score.raw_earned, "max_value": score.raw_possible})

    def rescore(self, only_if_higher):
        """Regrade the last answers against the current key and publish it; the platform decides.

        Nothing changes here: with ``only_if_higher`` the LMS keeps the new score only if its percentage
        is at least the stored one's, and calls :meth:`set_score` when it keeps it (see the module's
        docstring). Outside Open edX (the workbench) nothing receives the score, so nothing changes.
        """
        if not self.allows_rescore():
            raise TypeError(self._("This quiz cannot be rescored."))
        if not self.has_submitted_answer():
            raise ValueError(self._("This learner has not submitted the quiz, so it cannot be rescored."))
        self._publish_grade(self.calculate_score(), only_if_higher)

    def clear_student_state(self, user_id, course_id, item_id, requesting_user_id):
        """The instructor dashboard's "delete learner state": the learner starts again from nothing.

        Their roster, profile and item-analysis rows go now, and so do their gradebook score and completion
        once the platform, which calls this first (``reset_student_attempts`` in
        lms/djangoapps/instructor/enrollment.py), has deleted the learner's state: the platform leaves
        that signal to a block that defines this method (see :func:`platform.announce_score_deleted`).
        """
        roster.forget(user_id, item_id)
        item_totals.forget(user_id, item_id)
        scores.forget(user_id, item_id)
        self.forget_published_score(user_id, course_id, item_id)


def _as_stored(value):
    """A value as the learner's state stores it (JSON), so kept and new values compare alike."""
    return json.loads(json.dumps(value))
