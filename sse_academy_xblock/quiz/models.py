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


ATTEMPT_SETS = ("last", "first", "all")  # which attempts the item analysis counts (the staff panel's choice)


class QuizItemAnswer(models.Model):
    """A learner's graded answer to one question of one quiz block, for item analysis, in one attempt set.

    ``attempts`` says which set the row belongs to: ``last`` (the counted attempt, replaced by the
    next one), ``first`` (the learner's first counted attempt, kept) or ``all`` (one row per question
    of every counted attempt, ``attempt`` its number). Written in the submit's transaction (and on a
    rescore). ``x``, ``y``, ``full``, ``band``, ``z`` and ``p`` are what this answer added to
    :class:`QuizItemTotal`, so a resubmission takes exactly that away again (see
    :mod:`sse_academy_xblock.quiz.item_totals`).

    .. pii: ``anonymous_user_id`` is the course-specific anonymous id of the learner.
    .. pii_types: id
    .. pii_retirement: local_api (deleted by the user-retirement receiver)
    """

    anonymous_user_id = models.CharField(max_length=255)
    course_id = models.CharField(max_length=255)
    usage_id = models.CharField(max_length=255)
    question_id = models.CharField(max_length=64)
    earned = models.FloatField()
    possible = models.FloatField()
    chosen = models.JSONField(default=list, blank=True)  # option ids selected (choice and true/false questions)
    x = models.IntegerField()  # score on the question, insight.item_statistics.X_SCALE = full credit
    y = models.BigIntegerField()  # score on the rest of the quiz, in 1/Y_SCALE points
    full = models.BooleanField(default=False)
    band = models.SmallIntegerField()  # the learner's quiz score band, 0..100
    # The QuizWrongAnswer row this answer was counted in (a wrong text or numeric answer of the ``last``
    # set), None otherwise;
    # a row that is gone (its value made way for another) means the question's "other" row.
    wrong = models.BigIntegerField(null=True, blank=True)
    # The version of the question (key, options, points) the answer was graded against (item_totals.version_of).
    version = models.CharField(max_length=16, blank=True, default="")
    attempts = models.CharField(max_length=5, default="last")  # the attempt set: last, first or all
    attempt = models.PositiveIntegerField(default=0)  # the attempt's number (0: counted before numbering)
    z = models.IntegerField(default=0)  # earned as a share of the attempt's possible points, Z_SCALE = 100%
    p = models.IntegerField(default=0)  # the attempt's score, Z_SCALE = 100%
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "sse_academy_xblock"
        constraints = [
            # 2,320 bytes in utf8mb4.
            models.UniqueConstraint(fields=["usage_id", "anonymous_user_id", "attempts", "attempt", "question_id"],
                                    name="sse_quizitemanswer_set_unique"),
        ]
        indexes = [models.Index(fields=["anonymous_user_id"], name="sse_quizitemanswer_user")]

    def __str__(self):
        return f"{self.usage_id} {self.anonymous_user_id} {self.question_id}: {self.earned}/{self.possible}"


class QuizItemTotal(models.Model):
    """Running totals of one quiz block's counted answers, so item analysis reads no learner rows.

    One row per (block, attempt set, question, part): ``part`` ``""`` holds the question's sums
    (learners ``n``, full credit, the integer sums of the point-biserial correlation and the
    whole-test sums ``sz``..``szp``); ``"o:<option id>"`` the learners who chose an option;
    ``"b:<band>"`` the learners (and those with full credit) in one quiz score band, for the
    upper-lower index; ``"z:<band>"`` and ``"r:<band>"`` the learners (``n``) and the sum of their
    values (``sz``) in one percent band of the question's share and of the rest of the score, for the
    discriminative efficiency. The row with an empty question id counts the set's attempts and holds
    the sums of their scores (``sp``, ``spp``, ``s3``, ``s4``); its ``"h:<band>"`` rows the attempts
    per whole percent. Every change is an increment in the submit's transaction (one upsert), so
    simultaneous submits of different learners add up instead of overwriting each other.
    """

    usage_id = models.CharField(max_length=255)
    attempts = models.CharField(max_length=5, default="last")  # the attempt set: last, first or all
    question_id = models.CharField(max_length=64, blank=True, default="")
    part = models.CharField(max_length=80, blank=True, default="")
    n = models.BigIntegerField(default=0)
    full = models.BigIntegerField(default=0)
    sx = models.BigIntegerField(default=0)
    sxx = models.BigIntegerField(default=0)
    sy = models.BigIntegerField(default=0)
    syy = models.BigIntegerField(default=0)
    sxy = models.BigIntegerField(default=0)
    earned = models.BigIntegerField(default=0)  # in 1/POINT_SCALE points
    possible = models.BigIntegerField(default=0)
    sz = models.BigIntegerField(default=0)
    szz = models.BigIntegerField(default=0)
    sp = models.BigIntegerField(default=0)
    spp = models.BigIntegerField(default=0)
    szp = models.BigIntegerField(default=0)
    s3 = models.BigIntegerField(default=0)
    s4 = models.BigIntegerField(default=0)

    class Meta:
        app_label = "sse_academy_xblock"
        constraints = [
            # 1,616 bytes in utf8mb4.
            models.UniqueConstraint(fields=["usage_id", "attempts", "question_id", "part"],
                                    name="sse_quizitemtotal_set_unique"),
        ]

    def __str__(self):
        return f"{self.usage_id} {self.question_id} {self.part}: {self.n}"


class QuizWrongAnswer(models.Model):
    """How many learners' counted answers to one text or numeric question were one wrong value.

    ``value`` is the answer as grading compares it (text normalised as :func:`~.grading.normalise_text`
    does, a number in its shortest exact form); the row with an empty ``value`` counts the question's
    other wrong answers. Bounded: at most :data:`~.wrong_answers.MAX_VALUES` values per question, each
    at most :data:`~.wrong_answers.VALUE_LENGTH` characters (the rule for what lies beyond is in
    :mod:`sse_academy_xblock.quiz.wrong_answers`). No learner id: a learner's own answer row
    (:class:`QuizItemAnswer`) points at the row it was counted in, so a resubmission, a reset of state
    or a retirement takes exactly that count away.
    """

    usage_id = models.CharField(max_length=255)
    question_id = models.CharField(max_length=64)
    value = models.CharField(max_length=200, blank=True, default="")
    n = models.BigIntegerField(default=0)

    class Meta:
        app_label = "sse_academy_xblock"
        constraints = [
            # 2,076 bytes in utf8mb4.
            models.UniqueConstraint(fields=["usage_id", "question_id", "value"], name="sse_quizwronganswer_unique"),
        ]

    def __str__(self):
        return f"{self.usage_id} {self.question_id} {self.value!r}: {self.n}"
