"""When a graded block closes to a learner: the platform's due date and grace period, and what follows.

Open edX gives every block ``due`` and ``graceperiod`` (``InheritanceMixin`` in
xmodule/modulestore/inheritance.py: inherited from the subsection, and ``due`` personalised per learner
by edx-when, so an extension reaches that learner's block only) and leaves closing to the block. As the
platform's own problems do (``close_date`` and ``is_past_due`` in xmodule/capa_block.py), a block closes
once ``due + graceperiod`` has passed; without a due date it never closes. Learners are told the due
date itself: the grace period is the course team's silent margin.

Also here, because they depend on the same moment: when a learner may see their results
(``show_correctness``, the platform's rule, ``ShowCorrectness.correctness_available`` in XBlock's
xblock/scorable.py), from when they may if not now (for the quiz's page and the Decent Work profile alike),
and the refusal of a write that comes too late.

Plain Python: moments in, answers out; every function takes ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .l10n import Moment
from .refusals import Refusal

# A write that comes after the deadline is refused with this status: the activity's state forbids it
# now, as for a quiz whose attempts are used up (see refusals.py).
CLOSED_STATUS = 409

# The values of the platform's ``show_correctness`` (a subsection setting every block inherits).
SHOW_CORRECTNESS_ALWAYS = "always"
SHOW_CORRECTNESS_PAST_DUE = "past_due"
SHOW_CORRECTNESS_NEVER = "never"
SHOW_CORRECTNESS_NEVER_BUT_INCLUDE_GRADE = "never_but_include_grade"
SHOW_CORRECTNESS_VALUES = (SHOW_CORRECTNESS_ALWAYS, SHOW_CORRECTNESS_PAST_DUE, SHOW_CORRECTNESS_NEVER,
                           SHOW_CORRECTNESS_NEVER_BUT_INCLUDE_GRADE)


@dataclass(frozen=True)
class Deadline:
    """``due`` (what learners are told) and the ``grace`` accepted after it; no due date: always open."""

    due: datetime | None = None
    grace: timedelta | None = None

    @property
    def closes_at(self) -> datetime | None:
        """The platform's ``close_date``: ``due + graceperiod``, or ``due`` without a grace period."""
        if self.due is None:
            return None
        return self.due + self.grace if self.grace else self.due

    def passed(self, now: datetime) -> bool:
        """The platform's ``is_past_due``: it is now later than the close date."""
        closes = self.closes_at
        return closes is not None and now > closes


def peer_windows(due: datetime | None, review_due: datetime | None,
                 grace: timedelta | None) -> tuple[Deadline, Deadline]:
    """The two windows of a peer-assessed activity (a date per step, as ORA2 has): ``(responses, reviews)``.

    Responses close at ``due``; reviews at ``review_due``, never before the responses (so an extension
    of one learner's ``due`` extends their reviewing too), or with the responses when it is not set.
    With ``review_due`` alone, responses close with the reviews. The grace period follows each.
    """
    if due is None or review_due is None:
        reviews_due = due if review_due is None else review_due
    else:
        reviews_due = max(due, review_due)
    return Deadline(due if due is not None else review_due, grace), Deadline(reviews_due, grace)


def require_open(deadline: Deadline, now: datetime, message: str, zone: str | None = None) -> None:
    """Refuse a write that comes after the deadline (409), with ``message`` (marked for translation) naming
    the due date as ``%(when)s``, written in the reader's language and time zone (``zone``, else UTC)."""
    if deadline.passed(now):
        raise Refusal(message, status=CLOSED_STATUS, when=Moment(deadline.due, zone))


def may_hold_back(show_correctness: str | None) -> bool:
    """Whether a ``show_correctness`` value can ever hide results (``past_due`` and the ``never`` values); any
    other shows them at once to everyone, whatever the dates and whoever asks (:func:`correctness_available`)."""
    return show_correctness in (SHOW_CORRECTNESS_PAST_DUE, SHOW_CORRECTNESS_NEVER,
                                SHOW_CORRECTNESS_NEVER_BUT_INCLUDE_GRADE)


def correctness_available(show_correctness: str | None, deadline: Deadline, staff: bool, now: datetime) -> bool:
    """Whether a learner may see if their answers were right, and their score.

    The platform's rule (``ShowCorrectness.correctness_available``, given the block's close date as CAPA
    gives it): ``never`` (and ``never_but_include_grade``) hide them from everyone, course staff
    included; otherwise staff always see them; ``past_due`` shows them to learners once the deadline
    has passed (at once when there is none); ``always`` (and any other value) at once.
    """
    if not may_hold_back(show_correctness):
        return True
    if show_correctness in (SHOW_CORRECTNESS_NEVER, SHOW_CORRECTNESS_NEVER_BUT_INCLUDE_GRADE):
        return False
    if staff:
        return True
    closes = deadline.closes_at  # past_due: shown once the deadline has passed
    return closes is None or closes < now


@dataclass(frozen=True)
class ResultsAvailability:
    """Whether a learner may see their results now (:func:`correctness_available`) and, when not, the date
    after which they will (``after``: the due date learners are told), or None when they never will."""

    shown: bool
    after: datetime | None = None


def results_availability(show_correctness: str | None, deadline: Deadline, staff: bool,
                         now: datetime) -> ResultsAvailability:
    """:func:`correctness_available`, with the date from which hidden results are shown (``past_due``)."""
    if correctness_available(show_correctness, deadline, staff, now):
        return ResultsAvailability(True)
    if show_correctness == SHOW_CORRECTNESS_PAST_DUE:
        return ResultsAvailability(False, deadline.due)
    return ResultsAvailability(False)
