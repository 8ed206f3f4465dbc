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


class CohortScope(models.Model):
    """A profile scope's composition whose cohort figures are kept as scores change (:mod:`.cohort_store`).

    ``scope_key`` names the composition (the course, the scope's root, its graded blocks and their
    possible points); ``profile_key`` the profile that registered it, so that its render finds the
    previous composition's figures while a new one is counted. ``built`` is when the counts were first
    complete (None while the background count runs); ``registered`` when the composition was found.

    .. no_pii:
    """

    scope_key = models.CharField(max_length=40, unique=True)
    profile_key = models.CharField(max_length=40, db_index=True)
    course_id = models.CharField(max_length=255)
    possible = models.TextField(default="{}")  # JSON: {dimension: points}
    registered = models.DateTimeField()
    built = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "sse_academy_xblock"


class CohortScopeBlock(models.Model):
    """One graded block of a kept scope, by its 64-bit number (:func:`block_key`).

    .. no_pii:
    """

    scope = models.ForeignKey(CohortScope, on_delete=models.CASCADE, related_name="blocks", db_constraint=False)
    block_key = models.BigIntegerField()

    class Meta:
        app_label = "sse_academy_xblock"
        constraints = [models.UniqueConstraint(fields=["block_key", "scope"], name="sse_cohortblock_block_scope")]
        indexes = [models.Index(fields=["scope", "block_key"], name="sse_cohortblock_scope")]


class CohortCount(models.Model):
    """How many learners of a kept scope stand at ``percent`` on ``dimension``; the row with an empty
    dimension (percent 0) counts the scope's learners (at least one score row in it).

    .. no_pii:
    """

    scope = models.ForeignKey(CohortScope, on_delete=models.CASCADE, related_name="counts", db_constraint=False)
    dimension = models.CharField(max_length=32)
    percent = models.SmallIntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        app_label = "sse_academy_xblock"
        constraints = [models.UniqueConstraint(fields=["scope", "dimension", "percent"], name="sse_cohortcount_unique")]


class CohortLearnerLock(models.Model):
    """One row per learner (by :func:`learner_key`), locked by each change to their scores so that two
    changes of one learner's scores move them between the cohort counts one after the other.

    .. pii: ``learner_key`` is derived from the learner's course-specific anonymous id.
    .. pii_types: id
    .. pii_retirement: local_api (deleted by the user-retirement receiver)
    """

    learner_key = models.BigIntegerField(primary_key=True)

    class Meta:
        app_label = "sse_academy_xblock"
