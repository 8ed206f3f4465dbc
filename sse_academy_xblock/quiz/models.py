"""The quiz roster: one row per learner and quiz block, for the staff panel and attempt locking.

Why a table of our own: the learner's state lives in the runtime's user_state (``StudentModule`` in
the LMS, ``XBlockState`` in the workbench), which a block cannot list or lock portably. The roster
is written in the same request as every accepted submit, so it lets the staff panel list learners
with one indexed query, and it serialises submits: ``submits`` is a version number that a submit
must match to be counted (compare-and-set), so two simultaneous submits of one attempt count once.
A staff reset from the panel zeroes ``attempts`` here and increments ``resets``; the learner's block
sees the new ``resets`` value on its next load or submit and zeroes its own ``attempts`` field.
"""

from django.db import models


class QuizRoster(models.Model):
    """A learner's attempts and last score on one quiz block.

    .. pii: ``anonymous_user_id`` is the course-specific anonymous id of the learner.
    .. pii_types: id
    .. pii_retirement: local_api (deleted by the user-retirement receiver)
    """

    anonymous_user_id = models.CharField(max_length=255)
    course_id = models.CharField(max_length=255)
    usage_id = models.CharField(max_length=255)
    submits = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    resets = models.PositiveIntegerField(default=0)
    earned = models.FloatField(null=True, blank=True)
    possible = models.FloatField(default=0)
    last_submitted = models.DateTimeField(null=True, blank=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "sse_academy_xblock"
        constraints = [
            models.UniqueConstraint(fields=["anonymous_user_id", "usage_id"], name="sse_quizroster_unique_user_block")
        ]
        indexes = [
            models.Index(fields=["usage_id", "anonymous_user_id"], name="sse_quizroster_block_user"),
            # The staff panel's pages (most recent first, keyset): 2,048 bytes in utf8mb4.
            models.Index(fields=["usage_id", "last_submitted", "id"], name="sse_quizroster_recent"),
        ]

    def __str__(self):
        return f"{self.usage_id} {self.anonymous_user_id}: {self.attempts} attempt(s)"
