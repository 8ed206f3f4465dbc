"""When a graded block closes, and when a learner may see their results: the pure rules, without a runtime.

The platform's own rule for results is packaged (XBlock's ``ShowCorrectness``): ours is checked against it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from django.utils import translation
from xblock.scorable import ShowCorrectness

from sse_academy_xblock import deadlines
from sse_academy_xblock.deadlines import Deadline, correctness_available, peer_windows, require_open
from sse_academy_xblock.i18n import BlockTranslator
from sse_academy_xblock.l10n import Moment, in_words
from sse_academy_xblock.refusals import Refusal

OURS = BlockTranslator()  # what a block translates with outside a runtime: our own catalogs

UTC = timezone.utc
DUE = datetime(2026, 12, 5, 17, 0, tzinfo=UTC)
CLOSED = "This quiz closed on %(when)s."


def test_without_a_due_date_nothing_closes():
    assert Deadline().closes_at is None
    assert not Deadline(None, timedelta(days=2)).passed(datetime(2100, 1, 1, tzinfo=UTC))


def test_a_block_closes_after_its_due_date_and_grace_period():
    """InheritanceMixin.close_date and is_past_due: due + graceperiod, then strictly later."""
    deadline = Deadline(DUE, timedelta(hours=2))
    assert deadline.closes_at == DUE + timedelta(hours=2)
    assert not deadline.passed(DUE + timedelta(hours=1, minutes=59))
    assert not deadline.passed(DUE + timedelta(hours=2))
    assert deadline.passed(DUE + timedelta(hours=2, seconds=1))
    assert Deadline(DUE).passed(DUE + timedelta(seconds=1)) and not Deadline(DUE).passed(DUE)
    assert Deadline(DUE, timedelta(0)).closes_at == DUE


def test_a_write_after_the_deadline_is_refused_with_the_due_date():
    require_open(Deadline(DUE), DUE, CLOSED)  # still open: nothing raised
    with pytest.raises(Refusal) as info:
        require_open(Deadline(DUE, timedelta(hours=1)), DUE + timedelta(hours=2), CLOSED)
    assert info.value.status == deadlines.CLOSED_STATUS == 409
    # The learner is told the due date; the grace period is the course team's margin.
    assert str(info.value) == "This quiz closed on 5 December 2026 at 17:00 (UTC)."


def test_the_due_date_is_written_in_the_readers_time_zone_when_it_is_known():
    refusal = Refusal(CLOSED, status=409, when=Moment(DUE, "America/Bogota"))
    assert str(refusal) == "This quiz closed on 5 December 2026 at 12:00 (UTC\u22125)."
    assert in_words(str, DUE, "Asia/Kolkata") == "5 December 2026 at 22:30 (UTC+5:30)"
    assert in_words(str, DUE, "Not/A_Zone") == "5 December 2026 at 17:00 (UTC)"
    assert in_words(str, DUE, None) == "5 December 2026 at 17:00 (UTC)"


@pytest.mark.parametrize("language, expected", [
    ("en", "5 December 2026 at 18:00 (UTC+1)"),
    ("fr", "5 décembre 2026 à 18:00 (UTC+1)"),
    ("es", "5 de diciembre de 2026 a las 18:00 (UTC+1)"),
])
def test_the_due_date_is_written_in_the_readers_language(language, expected):
    with translation.override(language):
        assert Moment(DUE, "Europe/Paris").translated(OURS.gettext) == expected


def test_the_peer_windows_close_responses_at_due_and_reviews_at_review_due():
    later = DUE + timedelta(days=7)
    grace = timedelta(hours=1)
    responses, reviews = peer_windows(DUE, later, grace)
    assert (responses.closes_at, reviews.closes_at) == (DUE + grace, later + grace)
    assert reviews.due == later
    # Without review_due, reviews close with the responses.
    responses, reviews = peer_windows(DUE, None, None)
    assert responses == reviews == Deadline(DUE)
    # A learner's extension past review_due extends their reviewing too.
    extended = later + timedelta(days=3)
    assert peer_windows(extended, later, None) == (Deadline(extended), Deadline(extended))
    # review_due alone closes both; nothing set closes nothing.
    assert peer_windows(None, later, None) == (Deadline(later), Deadline(later))
    assert peer_windows(None, None, grace) == (Deadline(None, grace), Deadline(None, grace))


NOW = DUE + timedelta(hours=3)


@pytest.mark.parametrize("show", ["always", "past_due", "never", "never_but_include_grade", "", None])
@pytest.mark.parametrize("due", [None, DUE + timedelta(days=1), DUE - timedelta(days=1)])
@pytest.mark.parametrize("staff", [False, True])
def test_results_are_shown_when_the_platforms_rule_says_so(show, due, staff):
    """Ours gives what XBlock's own ShowCorrectness gives for the same block, as CAPA asks it (the close date)."""
    deadline = Deadline(due, timedelta(hours=1))
    ours = correctness_available(show, deadline, staff, datetime.now(UTC))
    theirs = ShowCorrectness.correctness_available(show_correctness=show or "", due_date=deadline.closes_at,
                                                   has_staff_access=staff)
    assert ours is theirs


def test_past_due_results_appear_once_the_grace_period_is_over():
    deadline = Deadline(DUE, timedelta(hours=2))
    assert not correctness_available("past_due", deadline, False, DUE + timedelta(hours=1))
    assert correctness_available("past_due", deadline, False, DUE + timedelta(hours=2, seconds=1))
    assert correctness_available("past_due", deadline, True, DUE)
    assert not correctness_available("never", deadline, True, NOW)


@pytest.mark.parametrize("show", ["always", "past_due", "never", "never_but_include_grade", None])
@pytest.mark.parametrize("staff", [False, True])
def test_hidden_results_say_from_when_they_are_shown(show, staff):
    """The quiz's page and the Decent Work profile share one rule: shown as :func:`correctness_available`
    says, and when hidden, shown after the due date learners are told (``past_due``) or never."""
    deadline = Deadline(DUE, timedelta(hours=2))
    for now in (DUE - timedelta(days=1), DUE + timedelta(hours=1), DUE + timedelta(days=1)):
        found = deadlines.results_availability(show, deadline, staff, now)
        assert found.shown is correctness_available(show, deadline, staff, now)
        if not found.shown:
            assert found.after == (DUE if show == "past_due" else None)
