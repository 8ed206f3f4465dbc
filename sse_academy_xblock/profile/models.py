"""The per-learner, per-block, per-dimension score table that crosses learners and blocks."""

import hashlib

from django.db import models

from ..dimensions import DIMENSION_IDS


def hash_key(text: str) -> int:
    """A signed 64-bit number derived from ``text`` (the first 8 bytes of its SHA-256)."""
    digest = hashlib.sha256((text or "").encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def learner_key(anonymous_user_id: str) -> int:
    """The 64-bit number of an anonymous id (:func:`hash_key`).

    The cohort figures group a scope's scores by this number instead of the id itself: grouping
    100,000 learners by a 64-bit integer fits in the database's memory, by a 255-character string
    it does not. Two learners of one scope share a number with a probability of about n² / 2⁶⁵
    (3 in 10 billion for 100,000 learners).
    """
    return hash_key(anonymous_user_id)


def block_key(usage_id: str) -> int:
    """The 64-bit number of a block's usage id (:func:`hash_key`).

    The cohort figures select a scope's rows by these numbers: an index entry of two 64-bit numbers
    instead of a usage id (up to 255 characters, about 80 in Open edX) is half the size or less, and
    comparing integers costs a fraction of comparing strings under a collation. A block outside the
    scope would be counted only if its number equalled one of the scope's: about b·B / 2⁶⁴ for b
    blocks in the scope and B in the table (about 5 in 10¹¹, one in 18 billion, for 100 among 10 million).
    """
    return hash_key(usage_id)


class _DerivedKeyField(models.BigIntegerField):
    """A number computed from another column of the row, set on every save and bulk insert."""

    source = ""

    @staticmethod
    def derive(value: str) -> int:
        raise NotImplementedError

    def pre_save(self, model_instance, add):
        value = self.derive(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


class LearnerKeyField(_DerivedKeyField):
    """:func:`learner_key` of the row's ``anonymous_user_id``."""

    source = "anonymous_user_id"
    derive = staticmethod(learner_key)


class BlockKeyField(_DerivedKeyField):
    """:func:`block_key` of the row's ``usage_id``."""

    source = "usage_id"
    derive = staticmethod(block_key)


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
    block_key = BlockKeyField(default=0)
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
            # Covers the cohort figures: per block a range read of two numbers, a dimension and the
            # points, grouped by learner_key in memory.
            models.Index(fields=["block_key", "learner_key", "dimension", "earned"], name="sse_dimscore_blockkey"),
        ]

    def __str__(self):
        return f"{self.usage_id} {self.dimension}: {self.earned}/{self.possible}"
