"""The per-learner, per-block, per-dimension score table that crosses learners and blocks."""

from django.db import models

from ..dimensions import DIMENSION_IDS


class DimensionScore(models.Model):
    """Points a learner earned and could earn on one Decent Work dimension in one graded block.

    Quiz and case-study blocks write it whenever a learner's score changes, so that a Decent Work
    profile (one learner, every block of its scope) and its cohort table (many learners) are each a
    fixed number of indexed queries.

    .. pii: ``anonymous_user_id`` is the course-specific anonymous id of the learner.
    .. pii_types: id
    .. pii_retirement: local_api (deleted by the user-retirement receiver)
    """

    anonymous_user_id = models.CharField(max_length=255)
    course_id = models.CharField(max_length=255)
    usage_id = models.CharField(max_length=255)
    dimension = models.CharField(max_length=32, choices=[(d, d) for d in DIMENSION_IDS])
    earned = models.FloatField(default=0)
    possible = models.FloatField(default=0)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "sse_academy_xblock"
        constraints = [
            models.UniqueConstraint(
                fields=["anonymous_user_id", "usage_id", "dimension"], name="sse_dimscore_unique_user_block_dim"
            )
        ]
        indexes = [models.Index(fields=["usage_id", "anonymous_user_id"], name="sse_dimscore_block_user")]

    def __str__(self):
        return f"{self.usage_id} {self.dimension}: {self.earned}/{self.possible}"
