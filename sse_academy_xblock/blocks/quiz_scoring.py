"""The quiz's score as the platform reads and changes it: the gradebook, rescoring, overrides, deleting state.

The methods of ``ScorableXBlockMixin`` (the instructor dashboard's rescore and score override call
them), the publish of the grade, and the instructor dashboard's "delete learner state". A score kept
here is also written to the Decent Work profile's table and, when it is the grading of the learner's
answers, to the item analysis (:func:`sse_academy_xblock.quiz.workflow.record_result`).
"""

from __future__ import annotations

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

    def _store(self, result: grading.QuizResult) -> None:
        """Keep a grading as this learner's score and record it for the Decent Work profile and item analysis."""
        self._keep_result(result)
        anon = self.anonymous_id
        if anon and not self.is_author_mode:
            workflow.record_result(anon, platform.course_id(self), platform.usage_id(self), self.question_list(),
                                   self.answers or {}, result)

    def _record_dimensions(self) -> None:
        anon = self.anonymous_id
        if anon and not self.is_author_mode:
            scores.record(anon, platform.course_id(self), platform.usage_id(self), self.breakdown)

    def has_submitted_answer(self):
        return self.raw_earned is not None

    def get_score(self):
        if self.raw_earned is None:
            return Score(0.0, float(self.max_score()))
        return Score(float(self.raw_earned), float(self.raw_possible))

    def _grade_stored_answers(self) -> grading.QuizResult:
        return grading.grade_quiz(self.question_list(), self.answers or {}, self.multiple_scoring, self.dimension)

    def calculate_score(self):
        """The last answers graded against the current key (for rescoring after a correction)."""
        result = self._grade_stored_answers()
        return Score(result.earned, result.possible)

    def set_score(self, score):
        """Persist a score; a score that is not the grading of the answers (an override) is spread
        over the dimensions in proportion, so the Decent Work profile agrees with the gradebook."""
        result = self._grade_stored_answers()
        if (result.earned, result.possible) == (score.raw_earned, score.raw_possible):
            self._store(result)
            return
        self.raw_earned = float(score.raw_earned)
        self.raw_possible = float(score.raw_possible)
        self.breakdown = grading.scaled_breakdown(self.possible_by_dimension(), self.raw_earned, self.raw_possible)
        self._record_dimensions()

    def publish_grade(self):
        """Send the stored score to the gradebook (the instructor dashboard's override calls this)."""
        score = self.get_score()
        self.runtime.publish(self, "grade", {"value": score.raw_earned, "max_value": score.raw_possible})

    def rescore(self, only_if_higher):
        """Regrade the last answers against the current key, keep it, and publish it."""
        if not self.allows_rescore():
            raise TypeError(self._("This quiz cannot be rescored."))
        if not self.has_submitted_answer():
            raise ValueError(self._("This learner has not submitted the quiz, so it cannot be rescored."))
        new = self.calculate_score()
        if not only_if_higher or new.raw_earned > (self.raw_earned or 0):
            self.set_score(new)
        self._publish_grade(new, only_if_higher)

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
