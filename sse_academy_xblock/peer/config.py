"""What the peer-review services need to know about one block, without importing the block.

The block builds a :class:`PeerItem` from its fields and passes it to every service call, so the
services (and the reliability tests that call them directly) never touch an XBlock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from ..deadlines import Deadline
from .rubric import Rubric

WAITING_RULES = ("lower", "staff")

DEFAULTS = {
    "reviews_required": 3,
    "reviews_to_give": 3,
    "min_words": 0,
    "max_words": 0,
    "lease_hours": 24.0,
    "waiting_days": 7.0,
    "waiting_rule": "lower",
    "divergence_threshold": 0.5,
    "weight": None,
    "weight_by_agreement": False,
    "in_profile": True,
    "reviews_max": None,
    "agreement_points": 0,
    "self_assessment": "off",
    "self_weight": 0.25,
    # The share of the score earned by reviewing (peer/reviewing_grade.py): off while 0.
    "review_share": 0.0,
    # Calibration on staff-scored examples (peer/calibration.py): off while 0 examples are asked.
    "calibration_count": 0,
    "calibration_tolerance": 1.0,
    "calibration_retries": 2,
}

SELF_ASSESSMENT_MODES = ("off", "shown", "counted")



@dataclass(frozen=True)
class PeerItem:
    """One case-study block as the services see it.

    ``weight``: the points the exercise is worth in the LMS (None: the rubric's best total).
    ``reviews_required``: completed reviews a submission needs before it is graded.
    ``reviews_to_give``: reviews an author must complete before their grade is released.
    ``lease_hours``: how long a reviewer holds a response before the slot returns to the pool.
    ``waiting_days`` / ``waiting_rule``: see :mod:`.workflow` (the waiting rule).
    ``divergence_threshold``: fraction of the rubric's best total (0-1) above which the spread of
    a submission's reviews marks it for staff.
    ``weight_by_agreement``: grade with the weighted median, each review weighted by its reviewer's
    agreement with other reviewers (see :mod:`.agreement_totals`); off by default.
    ``dimension``: the Decent Work dimension the grade counts towards in the profile; empty for an
    exercise left out of the profile (its grades reach the gradebook but no dimension).
    ``responses`` / ``reviews``: when writing and submitting responses, and reviewing (flags and
    ratings too), close for the learner the item was built for (:func:`~sse_academy_xblock.deadlines.peer_windows`:
    the platform's due date, the block's ``review_due``, the grace period); open when they have no date.
    Once reviewing has closed, the waiting rule handles every response still waiting (:mod:`.waiting`).
    ``reviews_max`` / ``agreement_points``: the adaptive review count (:mod:`.review_count`); ``reviews_required``
    is then the minimum. None (or not above the minimum): the count is fixed.
    ``self_assessment`` (``off``, ``shown``, ``counted``) / ``self_weight``: the learner's assessment of their own
    response (:mod:`.self_assessment`), with the share of the grade it carries when it counts.
    ``review_share``: the share (0 to 0.5) of the case study's score earned by reviewing (:mod:`.reviewing_grade`);
    0 (the default): the score is the response's grade.
    """

    course_id: str
    usage_id: str
    item_type: str
    rubric: Rubric
    dimension: str = "employment"
    weight: float | None = None
    reviews_required: int = 3
    reviews_to_give: int = 3
    min_words: int = 0
    max_words: int = 0
    lease_hours: float = 24.0
    waiting_days: float = 7.0
    waiting_rule: str = "lower"
    divergence_threshold: float = 0.5
    weight_by_agreement: bool = False
    # Calibration (see :mod:`.calibration`): examples each learner assesses before reviewing (0: none),
    # the distance within which they must come (1: any assessment does) and the retries per example.
    calibration_count: int = 0
    calibration_tolerance: float = 1.0
    calibration_retries: int = 2
    calibration_examples: tuple = ()
    responses: Deadline = Deadline()
    reviews: Deadline = Deadline()
    reviews_max: int | None = None
    agreement_points: int = 0
    self_assessment: str = "off"
    self_weight: float = 0.25
    review_share: float = 0.0

    @property
    def adaptive(self) -> bool:
        """Whether the review count adapts: a maximum above the minimum (``reviews_required``), see :mod:`.review_count`."""
        return self.reviews_max is not None and self.reviews_max > self.reviews_required

    @property
    def most_reviews(self) -> int:
        """The most reviews a response may be asked to receive (the minimum when the count is fixed)."""
        return self.reviews_max if self.adaptive else self.reviews_required

    @property
    def lease_time(self) -> timedelta:
        return timedelta(hours=self.lease_hours)

    @property
    def waiting_time(self) -> timedelta:
        return timedelta(days=self.waiting_days)

    def student_item(self, anonymous_id: str) -> dict:
        return {
            "student_id": anonymous_id,
            "course_id": self.course_id,
            "item_id": self.usage_id,
            "item_type": self.item_type,
        }
