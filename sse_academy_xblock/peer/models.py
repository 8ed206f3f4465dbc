"""Tables of the case-study peer review: submissions' counters, leases, reviews, flags, audit.

The response text itself lives in edx-submissions (one ``Submission`` per learner and block);
:class:`PeerSubmission` mirrors it with the counters that make allocation one indexed pick.
Reviews and their parts are immutable once written; staff actions are append-only audit rows.
Learners are identified only by their course-specific anonymous id.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class RubricVersion(models.Model):
    """The rubric of a block as it was when a response was submitted against it.

    .. no_pii:
    """

    usage_id = models.CharField(max_length=255)
    digest = models.CharField(max_length=64)
    criteria = models.JSONField(default=list)
    max_points = models.IntegerField(default=0)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "sse_academy_xblock"
        constraints = [models.UniqueConstraint(fields=["usage_id", "digest"], name="sse_rubricver_unique_block_digest")]

    def __str__(self):
        return f"{self.usage_id} rubric {self.digest[:8]}"


class PeerSubmission(models.Model):
    """A learner's response to one case-study block, with its review counters and grade.

    ``pool`` is 0 while the response may be given to reviewers; the pick reads the index
    (usage_id, pool, load, id) and stops at the first row, so its cost does not grow with the pool.
    ``load`` = completed reviews + live leases; ``received``/``given`` count completed reviews.

    .. pii: ``anonymous_user_id`` is the author's course-specific anonymous id; ``cancel_reason``
       is staff text about the response; ``cancelled_by`` is a staff member's anonymous id.
    .. pii_types: id, other
    .. pii_retirement: local_api (``anonymous_user_id`` and ``cancelled_by`` replaced by a random alias by
       ``staff_actions.retire_learner``; ``cancel_reason``, staff text, kept)
    """

    IN_POOL, FLAGGED, CANCELLED = 0, 1, 2
    POOL_CHOICES = [(IN_POOL, "in pool"), (FLAGGED, "flagged"), (CANCELLED, "cancelled")]

    uuid = models.CharField(max_length=36, unique=True)
    anonymous_user_id = models.CharField(max_length=255)
    course_id = models.CharField(max_length=255)
    usage_id = models.CharField(max_length=255)
    attempt = models.PositiveSmallIntegerField(default=1)
    rubric = models.ForeignKey(RubricVersion, on_delete=models.PROTECT, related_name="submissions")
    word_count = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(default=timezone.now)

    pool = models.SmallIntegerField(default=IN_POOL, choices=POOL_CHOICES)
    load = models.IntegerField(default=0)
    received = models.IntegerField(default=0)
    given = models.IntegerField(default=0)
    required_lowered_to = models.PositiveSmallIntegerField(null=True, blank=True)
    to_give_lowered_to = models.PositiveSmallIntegerField(null=True, blank=True)
    staff_queue = models.BooleanField(default=False)

    peer_points = models.IntegerField(null=True, blank=True)
    final_points = models.IntegerField(null=True, blank=True)
    points_possible = models.IntegerField(default=0)
    grade_source = models.CharField(max_length=16, blank=True, default="")
    medians = models.JSONField(default=dict, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)
    divergent = models.BooleanField(default=False)
    spread = models.FloatField(default=0)
    # When the grade was a weighted median (the block's "weight reviewers by agreement"): the
    # reviews' weights and the plain medians, for the learner's explanation; {} otherwise.
    weighting = models.JSONField(default=dict, blank=True)
    # The adaptive review count (peer.review_count): reviews asked beyond the block's minimum because the
    # reviews disagreed, and whether the count is still open (COLLECTING), closed by agreeing reviews (AGREED) or
    # closed at the maximum without agreement, for staff to grade (DISAGREED). Stays 0/COLLECTING when fixed.
    COLLECTING, AGREED, DISAGREED = 0, 1, 2
    extra_wanted = models.SmallIntegerField(default=0)
    count_state = models.SmallIntegerField(default=COLLECTING)

    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True, default="")
    cancelled_by = models.CharField(max_length=255, blank=True, default="")
    cleared_at = models.DateTimeField(null=True, blank=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "sse_academy_xblock"
        constraints = [
            models.UniqueConstraint(
                fields=["usage_id", "anonymous_user_id", "attempt"], name="sse_peersub_unique_block_user_attempt"
            )
        ]
        indexes = [
            models.Index(fields=["usage_id", "pool", "load", "id"], name="sse_peersub_pick"),
            models.Index(fields=["usage_id", "graded_at", "submitted_at"], name="sse_peersub_waiting"),
            models.Index(fields=["usage_id", "id"], name="sse_peersub_block_order"),
            # The adaptive pick: responses still collecting reviews, least-reviewed first (peer.allocation).
            models.Index(fields=["usage_id", "pool", "count_state", "load", "id"], name="sse_peersub_pick_adaptive"),
        ]

    def __str__(self):
        return f"{self.usage_id} submission {self.pk}"

    @property
    def is_cancelled(self) -> bool:
        return self.pool == self.CANCELLED

    @property
    def is_cleared(self) -> bool:
        """Staff deleted the learner's state: the learner may start again with a new attempt."""
        return self.cleared_at is not None

    @property
    def is_flagged(self) -> bool:
        return self.pool == self.FLAGGED

    @property
    def reviews_disagreed(self) -> bool:
        """The adaptive review count closed at its maximum with divergent reviews: staff grade it."""
        return self.count_state == self.DISAGREED


class ReviewLease(models.Model):
    """One reviewer's hold on one response: leased, expired, done or cancelled.

    Unique per (reviewer, submission), so one person can never review a response twice, however
    many tabs or clicks. ``open_slot`` is 1 while the lease is open and NULL otherwise (kept so by
    :meth:`save` and by every bulk update of ``status``); unique per (block, reviewer, open_slot),
    it lets a reviewer hold one open lease per block at a time (NULLs never collide). The
    reviewer's unfinished review is kept in ``draft`` whatever happens to the lease.

    .. pii: ``reviewer_id`` is the reviewer's course-specific anonymous id; ``draft`` holds the
       reviewer's unfinished comments.
    .. pii_types: id, other
    .. pii_retirement: local_api (``reviewer_id`` replaced by a random alias, ``draft`` emptied and an
       unfinished lease withdrawn by ``staff_actions.retire_learner``)
    """

    OPEN, EXPIRED, DONE, CANCELLED = 0, 1, 2, 3
    STATUS_CHOICES = [(OPEN, "open"), (EXPIRED, "expired"), (DONE, "done"), (CANCELLED, "cancelled")]

    submission = models.ForeignKey(PeerSubmission, on_delete=models.PROTECT, related_name="leases")
    usage_id = models.CharField(max_length=255)
    reviewer_id = models.CharField(max_length=255)
    status = models.SmallIntegerField(default=OPEN, choices=STATUS_CHOICES)
    open_slot = models.BooleanField(null=True, default=True)
    extra = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    expiries = models.PositiveSmallIntegerField(default=0)
    resumed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    draft = models.JSONField(default=dict, blank=True)
    draft_saved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "sse_academy_xblock"
        constraints = [
            models.UniqueConstraint(fields=["reviewer_id", "submission"], name="sse_peerlease_unique_reviewer_sub"),
            models.UniqueConstraint(fields=["usage_id", "reviewer_id", "open_slot"], name="sse_peerlease_one_open"),
        ]
        indexes = [
            models.Index(fields=["usage_id", "reviewer_id", "status"], name="sse_peerlease_reviewer"),
            models.Index(fields=["usage_id", "status", "expires_at"], name="sse_peerlease_expiry"),
        ]

    def save(self, *args, **kwargs):
        self.open_slot = True if self.status == self.OPEN else None
        fields = kwargs.get("update_fields")
        if fields is not None and "status" in fields and "open_slot" not in fields:
            kwargs["update_fields"] = [*fields, "open_slot"]
        super().save(*args, **kwargs)

    def __str__(self):
        return f"lease {self.pk} on submission {self.submission_id}"


class Review(models.Model):
    """A completed peer review. Immutable: only ``counted`` is set later, when the grade is computed.

    .. pii: ``reviewer_id`` is the reviewer's anonymous id; ``overall_comment`` is learner text.
    .. pii_types: id, other
    .. pii_retirement: local_api (reviewer id replaced by a random alias and ``overall_comment`` emptied by
       ``staff_actions.retire_learner``)
    """

    lease = models.OneToOneField(ReviewLease, on_delete=models.PROTECT, related_name="review")
    submission = models.ForeignKey(PeerSubmission, on_delete=models.PROTECT, related_name="reviews")
    usage_id = models.CharField(max_length=255)
    reviewer_id = models.CharField(max_length=255)
    overall_comment = models.TextField(blank=True, default="")
    total_points = models.IntegerField(default=0)
    extra = models.BooleanField(default=False)
    counted = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)

    MUTABLE_FIELDS = {"counted", "reviewer_id"}

    class Meta:
        app_label = "sse_academy_xblock"
        indexes = [
            models.Index(fields=["submission", "created"], name="sse_review_sub_created"),
            models.Index(fields=["usage_id", "reviewer_id"], name="sse_review_block_reviewer"),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            fields = set(kwargs.get("update_fields") or ())
            if not fields or not fields <= self.MUTABLE_FIELDS:
                raise ValueError("a submitted review cannot be changed")
        super().save(*args, **kwargs)

    def __str__(self):
        return f"review {self.pk} of submission {self.submission_id}"


class ReviewPart(models.Model):
    """The option a reviewer chose for one criterion, with its points and comment, as given.

    .. pii: ``comment`` is learner text.
    .. pii_types: other
    .. pii_retirement: local_api (``comment`` emptied by ``staff_actions.retire_learner`` when the reviewer
       retires; the points stay, they count in the reviewed author's grade)
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="parts")
    criterion_name = models.CharField(max_length=64)
    criterion_label = models.CharField(max_length=255)
    option_label = models.CharField(max_length=255)
    points = models.IntegerField()
    comment = models.TextField(blank=True, default="")

    class Meta:
        app_label = "sse_academy_xblock"
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion_name"], name="sse_reviewpart_unique_criterion")
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("a submitted review cannot be changed")
        super().save(*args, **kwargs)


class Flag(models.Model):
    """A reviewer's report that a response is inappropriate; open until staff resolve it.

    .. pii: ``reporter_id`` is the reporter's anonymous id; ``reason`` is learner text;
       ``resolved_by`` is a staff member's anonymous id.
    .. pii_types: id, other
    .. pii_retirement: local_api (ids replaced by a random alias, ``reason`` emptied by ``staff_actions.retire_learner``)
    """

    submission = models.ForeignKey(PeerSubmission, on_delete=models.PROTECT, related_name="flags")
    reporter_id = models.CharField(max_length=255)
    reason = models.TextField(blank=True, default="")
    created = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.CharField(max_length=255, blank=True, default="")
    resolution = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        app_label = "sse_academy_xblock"
        indexes = [models.Index(fields=["submission", "resolved_at"], name="sse_flag_sub_open")]


class StaffAction(models.Model):
    """Audit trail of everything staff did to a submission: never updated, never deleted.

    .. pii: ``staff_id`` is the staff member's anonymous (or user) id; ``reason`` is staff text.
    .. pii_types: id, other
    .. pii_retirement: retained (audit trail; a retired staff member's ``staff_id`` is replaced by a random
       alias by ``staff_actions.retire_learner``)
    """

    OVERRIDE, STAFF_GRADE, CANCEL, CLEAR_FLAG, CLEAR_DIVERGENCE, CLEAR_STATE, WAITING_RULE = (
        "override", "staff_grade", "cancel", "clear_flag", "clear_divergence", "clear_state", "waiting_rule",
    )
    RESET_ATTEMPTS = "reset_attempts"  # the instructor dashboard's "Reset attempts": a new response may follow
    UPHOLD_FLAG = "uphold_flag"  # staff agreed with a report: the response is withdrawn

    submission = models.ForeignKey(PeerSubmission, on_delete=models.PROTECT, related_name="staff_actions")
    staff_id = models.CharField(max_length=255)
    action = models.CharField(max_length=24)
    old_points = models.IntegerField(null=True, blank=True)
    new_points = models.IntegerField(null=True, blank=True)
    reason = models.TextField(blank=True, default="")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "sse_academy_xblock"
        indexes = [models.Index(fields=["submission", "created"], name="sse_staffaction_sub")]

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("audit rows cannot be changed")
        super().save(*args, **kwargs)


class ResponseDraft(models.Model):
    """A learner's unsubmitted response, saved as they type so that nothing is lost.

    .. pii: ``anonymous_user_id`` is the learner's anonymous id; ``text`` is learner text.
    .. pii_types: id, other
    .. pii_retirement: local_api (deleted by ``staff_actions.retire_learner``)
    """

    usage_id = models.CharField(max_length=255)
    anonymous_user_id = models.CharField(max_length=255)
    text = models.TextField(blank=True, default="")
    modified = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "sse_academy_xblock"
        constraints = [
            models.UniqueConstraint(fields=["usage_id", "anonymous_user_id"], name="sse_responsedraft_unique")
        ]


class ReviewFeedback(models.Model):
    """The reviewed author's rating of one review they received: helpful or not, with an optional comment.

    One row per review (the author rates each review once, and may change the rating for
    ``peer.feedback.EDIT_WINDOW`` after ``created``). Reviewers never see these rows; staff do.
    The rater is the author of the reviewed submission, so no learner id is stored here.

    .. pii: ``comment`` is learner text (the author's, about a review).
    .. pii_types: other
    .. pii_retirement: local_api (comment erased by ``staff_actions.retire_learner`` when the author retires)
    """

    MAX_COMMENT = 500

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="feedback")
    usage_id = models.CharField(max_length=255)
    helpful = models.BooleanField()
    comment = models.CharField(max_length=MAX_COMMENT, blank=True, default="")
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "sse_academy_xblock"
        indexes = [models.Index(fields=["usage_id", "review"], name="sse_reviewfb_block")]

    def __str__(self):
        return f"feedback on review {self.review_id}"


class ReviewerAgreement(models.Model):
    """How far one reviewer's scores sit from the other reviewers' of the same responses, in one block.

    Maintained when a response is graded (``peer.agreement_totals.record``): each counted review of a
    response with at least two counted reviews adds 1 to ``reviews`` and its distance to
    ``distance_sum``; ``mean_distance`` is their quotient, stored so that the staff table reads a
    page in the order "most distant first" from the index. See docs/insight.md.

    .. pii: ``reviewer_id`` is the reviewer's course-specific anonymous id.
    .. pii_types: id
    .. pii_retirement: local_api (``reviewer_id`` replaced by a random alias by ``staff_actions.retire_learner``)
    """

    usage_id = models.CharField(max_length=255)
    reviewer_id = models.CharField(max_length=255)
    reviews = models.IntegerField(default=0)
    distance_sum = models.FloatField(default=0)
    mean_distance = models.FloatField(default=0)

    class Meta:
        app_label = "sse_academy_xblock"
        constraints = [
            models.UniqueConstraint(fields=["usage_id", "reviewer_id"], name="sse_revagree_unique_reviewer")
        ]
        indexes = [models.Index(fields=["usage_id", "mean_distance", "id"], name="sse_revagree_distance")]

    def __str__(self):
        return f"{self.usage_id} reviewer {self.reviewer_id}"


class CriterionAgreement(models.Model):
    """The coincidence matrix of one rubric criterion in one block, summed over its graded responses.

    ``cells`` maps ``"c,k"`` (two points values) to the summed coincidences; Krippendorff's alpha of
    the criterion is computed from it alone (``insight.agreement_statistics.alpha_from_coincidences``),
    so the staff page never reads the reviews. ``units``: responses that added to it (at least two counted
    reviews); ``reviews``: the scores in those responses. Updated under a row lock at grading time.

    .. no_pii:
    """

    usage_id = models.CharField(max_length=255)
    criterion_name = models.CharField(max_length=64)
    units = models.IntegerField(default=0)
    reviews = models.IntegerField(default=0)
    cells = models.JSONField(default=dict)

    class Meta:
        app_label = "sse_academy_xblock"
        constraints = [
            models.UniqueConstraint(fields=["usage_id", "criterion_name"], name="sse_critagree_unique_criterion")
        ]

    def __str__(self):
        return f"{self.usage_id} criterion {self.criterion_name}"


class GradeDelivery(models.Model):
    """One grade to send to the gradebook: the outbox between our tables and edx-submissions.

    Written in the transaction of the change that gives, changes or takes back a grade (a review that
    completes one, the waiting rule, a cleared report, a staff grade, a cancellation, a deleted
    learner state), so it commits or rolls back with that change. It holds everything the delivery
    needs without the block: ``kind`` ``set`` (``lms_earned``/``lms_possible`` for edx-submissions,
    ``points``/``points_possible`` and ``dimension`` for the per-dimension score table) or ``reset``.
    Delivered after commit (``peer.gradebook.deliver``), only while it is the latest row of its
    learner and block (``usage_id``, ``anonymous_user_id``); a failed delivery stays ``PENDING``
    with ``attempts`` and a later ``next_attempt_at`` (exponential backoff).

    .. pii: ``anonymous_user_id`` is the learner's course-specific anonymous id; ``annotation`` holds
       a staff member's id and reason for a staff grade.
    .. pii_types: id, other
    .. pii_retirement: local_api (anonymised by ``staff_actions.retire_learner``)
    """

    SET, RESET = "set", "reset"
    PENDING, DELIVERED, SUPERSEDED = 0, 1, 2
    STATE_CHOICES = [(PENDING, "pending"), (DELIVERED, "delivered"), (SUPERSEDED, "superseded")]

    submission = models.ForeignKey(PeerSubmission, on_delete=models.PROTECT, related_name="deliveries")
    usage_id = models.CharField(max_length=255)
    course_id = models.CharField(max_length=255)
    anonymous_user_id = models.CharField(max_length=255)
    item_type = models.CharField(max_length=64)
    kind = models.CharField(max_length=8, default=SET)
    points = models.IntegerField(null=True, blank=True)
    points_possible = models.IntegerField(default=0)
    lms_earned = models.IntegerField(null=True, blank=True)
    lms_possible = models.IntegerField(null=True, blank=True)
    dimension = models.CharField(max_length=64, blank=True, default="")
    annotation = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(default=timezone.now)
    state = models.SmallIntegerField(default=PENDING, choices=STATE_CHOICES)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        app_label = "sse_academy_xblock"
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="sse_gradedel_due"),
            models.Index(fields=["usage_id", "state", "next_attempt_at"], name="sse_gradedel_block_due"),
            models.Index(fields=["usage_id", "anonymous_user_id", "id"], name="sse_gradedel_learner"),
            models.Index(fields=["submission", "id"], name="sse_gradedel_sub"),
        ]

    def __str__(self):
        return f"grade delivery {self.pk} ({self.kind}) of submission {self.submission_id}"


class CalibrationAttempt(models.Model):
    """A learner's assessment of one of the block's staff-scored examples (:mod:`.calibration`).

    One row per (block, learner, example, attempt): written once, never changed. ``options`` holds the
    chosen option per criterion (its index in the rubric) and ``points`` their points; ``distance`` is the
    sum over criteria of the points away from the author's reference, as a share of the rubric's best
    total; ``within`` says whether it came within the block's tolerance.

    .. pii: ``anonymous_user_id`` is the learner's course-specific anonymous id.
    .. pii_types: id
    .. pii_retirement: local_api (``anonymous_user_id`` replaced by a random alias by ``staff_actions.retire_learner``)
    """

    usage_id = models.CharField(max_length=255)
    anonymous_user_id = models.CharField(max_length=255)
    example = models.CharField(max_length=64)
    attempt = models.PositiveSmallIntegerField(default=1)
    options = models.JSONField(default=dict)
    points = models.JSONField(default=dict)
    distance = models.FloatField(default=0)
    within = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "sse_academy_xblock"
        constraints = [
            models.UniqueConstraint(fields=["usage_id", "anonymous_user_id", "example", "attempt"],
                                    name="sse_calib_unique_attempt")
        ]
        indexes = [models.Index(fields=["usage_id", "example", "attempt"], name="sse_calib_block_example")]

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("a calibration attempt cannot be changed")
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.usage_id} calibration {self.example} attempt {self.attempt}"


class SelfAssessment(models.Model):
    """A learner's assessment of their own response with the rubric (the block's self-assessment step).

    One per submission, written once. ``points``/``options``: ``{criterion: points}`` and ``{criterion: option
    index}`` as chosen. ``peer_medians``: the peers' grade per criterion, set when the response is graded by
    peers (what the learner's self-score is compared with, and what staff's self-minus-peer gap reads);
    ``weight``: the share the self-score had in that grade (0 when it was only shown).

    .. pii: ``anonymous_user_id`` is the learner's course-specific anonymous id.
    .. pii_types: id
    .. pii_retirement: local_api (``anonymous_user_id`` replaced by a random alias by ``staff_actions.retire_learner``)
    """

    submission = models.OneToOneField(PeerSubmission, on_delete=models.PROTECT, related_name="self_assessment")
    usage_id = models.CharField(max_length=255)
    anonymous_user_id = models.CharField(max_length=255)
    options = models.JSONField(default=dict)
    points = models.JSONField(default=dict)
    total_points = models.IntegerField(default=0)
    peer_medians = models.JSONField(default=dict, blank=True)
    weight = models.FloatField(default=0)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "sse_academy_xblock"
        indexes = [models.Index(fields=["usage_id", "id"], name="sse_selfassess_block")]

    def __str__(self):
        return f"self-assessment of submission {self.submission_id}"
