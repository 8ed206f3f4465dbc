"""The per-learner, per-block, per-dimension score table that crosses learners and blocks."""

import hashlib

from django.db import models

from ..dimensions import DIMENSION_IDS


def learner_key(anonymous_user_id: str) -> int:
    """A signed 64-bit number derived from an anonymous id (the first 8 bytes of its SHA-256).

    The cohort figures group a scope's scores by this number instead of the id itself: grouping
    100,000 learners by a 64-bit integer fits in the database's memory, by a 255-character string
    it does not. Two learners of one scope share a number with a probability of about n² / 2⁶⁵
    (3 in 10 billion for 100,000 learners).
    """
    digest = hashlib.sha256((anonymous_user_id or "").encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class LearnerKeyField(models.BigIntegerField):
    """:func:`learner_key` of the row's ``anonymous_user_id``, set on every save and bulk insert."""

    def pre_save(self, model_instance, add):
        value = learner_key(model_instance.anonymous_user_id)
        setattr(model_instance, self.attname, value)
        return value


class DimensionScore(models.Model):
    """Points a learner earned and could earn on one Decent Work dimension in one graded block.

    Quiz and case-study blocks write it whenever a learner's score changes, so that a Decent Work
    profile (one learner, every block of its scope) and its cohort table (many learners) are each a
    fixed number of indexed queries.

    .. pii: ``anonymous_user_id`` is the course-specific anonymous id of the learner; ``learner_key``
       is derived from it.
    .. pii_types: id
    .. pii_retirement: local_api (deleted by the user-retirement receiver)
    """

    anonymous_user_id = models.CharField(max_length=255)
    learner_key = LearnerKeyField(default=0)
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
        indexes = [
            models.Index(fields=["usage_id", "anonymous_user_id"], name="sse_dimscore_block_user"),
            # Covers the cohort figures: per block a range read, grouped by learner_key in memory.
            models.Index(fields=["usage_id", "learner_key", "dimension", "earned"], name="sse_dimscore_block_key"),
        ]

    def __str__(self):
        return f"{self.usage_id} {self.dimension}: {self.earned}/{self.possible}"
