"""What staff read: the paginated submission list, one submission in full, the CSV export.

The list costs the same number of queries and the same time whatever the number of submissions
(one keyset page of rows, plus one look-up of usernames inside Open edX): everything a row shows
is stored on the submission row (counters, grade, medians, status fields), and no query counts or
sorts the whole block.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter

from django.db.models import Q
from django.utils import timezone

from .. import keyset, l10n
from ..i18n import gettext_noop as _
from . import feedback, gradebook, reviewing_grade
from .config import PeerItem
from .grading import lms_points
from .models import Flag, PeerSubmission, ReviewLease, StaffAction
from .submissions import effective_required, effective_to_give

PER_PAGE = 25
MAX_PER_PAGE = 100

# Status codes, in the order the learner's journey goes; the block translates their labels.
STATUSES = ("waiting_reviews", "waiting_own", "staff_queue", "flagged", "graded", "divergent", "overridden", "cancelled")

STATUS_FILTERS = {
    "waiting_reviews": Q(graded_at__isnull=True, pool=PeerSubmission.IN_POOL, staff_queue=False),
    "waiting_own": Q(graded_at__isnull=True, pool=PeerSubmission.IN_POOL, staff_queue=False),
    "staff_queue": Q(graded_at__isnull=True, pool=PeerSubmission.IN_POOL, staff_queue=True),
    "flagged": Q(pool=PeerSubmission.FLAGGED),
    "graded": Q(graded_at__isnull=False, pool=PeerSubmission.IN_POOL),
    "divergent": Q(divergent=True, pool__in=(PeerSubmission.IN_POOL, PeerSubmission.FLAGGED)),
    "overridden": Q(grade_source__in=("override", "staff"), pool=PeerSubmission.IN_POOL),
    "cancelled": Q(pool=PeerSubmission.CANCELLED),
}


def status_of(sub: PeerSubmission, item: PeerItem) -> str:
    if sub.pool == PeerSubmission.CANCELLED:
        return "cancelled"
    if sub.pool == PeerSubmission.FLAGGED:
        return "flagged"
    if sub.graded_at is not None:
        if sub.grade_source in ("override", "staff"):
            return "overridden"
        return "divergent" if sub.divergent else "graded"
    if sub.staff_queue:
        return "staff_queue"
    if sub.received < effective_required(sub, item):
        return "waiting_reviews"
    return "waiting_own"


def waiting_since_days(sub: PeerSubmission, now: datetime) -> float:
    return max(0.0, (now - sub.submitted_at).total_seconds() / 86400)


def usernames_for(anon_ids) -> dict[str, str]:
    """Usernames of anonymous ids inside Open edX (one query); the workbench has none to look up."""
    try:
        from common.djangoapps.student.models import AnonymousUserId  # pylint: disable=import-error
    except ImportError:
        return {}
    return dict(
        AnonymousUserId.objects.filter(anonymous_user_id__in=list(anon_ids)).values_list(
            "anonymous_user_id", "user__username"
        )
    )


def _row(sub: PeerSubmission, item: PeerItem, now, names, delivery=None, standings=None) -> dict:
    """``delivery``: the submission's latest outbox row (:func:`.gradebook.latest_by_submission`), or None;
    ``standings``: the learners' distances (:func:`.reviewing_grade.standings`) when the block gives a share of the
    score for reviewing. The row then has the learner's grade for reviewing (0 to 1, None while pending) and the
    score sent to the gradebook (``score``); without a share, both None and the score is the final grade."""
    lms = score = reviewing = None
    if sub.final_points is not None and sub.points_possible > 0 and not sub.is_cancelled:
        # A cancelled response's grade is taken back from the gradebook: it has no LMS points.
        points = sub.final_points
        if reviewing_grade.share_of(item):
            found = reviewing_grade.score_from(item, sub.final_points, sub.points_possible,
                                               (standings or {}).get(sub.anonymous_user_id))
            score, reviewing = found.points, found.reviewing
            points = found.points if found.counts_reviewing else sub.final_points
        lms = list(lms_points(points, sub.points_possible, item.weight))
    return {
        "id": sub.pk,
        "learner": names.get(sub.anonymous_user_id) or sub.anonymous_user_id,
        "anonymous_id": sub.anonymous_user_id,
        "submitted_at": sub.submitted_at.isoformat(),
        "waiting_days": round(waiting_since_days(sub, now), 1) if sub.graded_at is None else None,
        "status": status_of(sub, item),
        "word_count": sub.word_count,
        "received": sub.received,
        "required": effective_required(sub, item),
        "given": sub.given,
        "to_give": effective_to_give(sub, item),
        "peer_points": sub.peer_points,
        "final_points": sub.final_points,
        "points_possible": sub.points_possible or None,
        "lms_points": lms,
        "reviewing_grade": None if reviewing is None else round(reviewing, 3),
        "score": score,
        "divergent": sub.divergent,
        "flagged": sub.is_flagged,
        "staff_queue": sub.staff_queue,
        "delivery": gradebook.delivery_view(delivery),
    }


# The staff list's order, oldest first, on the index (usage_id, id); a row is named by its id.
LIST_KEY = keyset.Key("usage_id", ("id",))


def list_page(item: PeerItem, page: int = 1, per_page: int = PER_PAGE, status: str | None = None, now=None,
              after: int | None = None, before: int | None = None) -> dict:
    """One page of the block's submissions, oldest first, with everything the staff table shows.

    Keyset pagination: the next page starts after the last id of this one (``after``), the
    previous page ends before its first id (``before``); one indexed range read with ``LIMIT``,
    so a page costs the same at the 1st or the 2,000th page, and nothing counts the whole block.
    ``page`` is the number the table shows, carried by the browser. ``has_next``/``has_prev``
    come from reading one row more than the page holds.
    """
    now = now or timezone.now()
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    page = max(1, int(page))
    qs = PeerSubmission.objects.filter(keyset.in_block("usage_id", item.usage_id), course_id=item.course_id,
                                       cleared_at__isnull=True)
    if status in STATUS_FILTERS:
        qs = qs.filter(STATUS_FILTERS[status])
    subs = LIST_KEY.page(qs, per_page, after=after, before=before, cursor=attrgetter("pk"))
    if not subs.has_prev:
        page = 1
    names = usernames_for({s.anonymous_user_id for s in subs.rows}) if subs.rows else {}
    deliveries = gradebook.latest_by_submission(s.pk for s in subs.rows)
    standings = reviewing_grade.standings(item, [s.anonymous_user_id for s in subs.rows])
    rows = [_row(s, item, now, names, deliveries.get(s.pk), standings) for s in subs.rows]
    if status in ("waiting_reviews", "waiting_own"):
        # The two waiting statuses share one SQL filter; the page keeps the asked-for one.
        rows = [r for r in rows if r["status"] == status]
    return {
        "rows": rows, "page": page, "per_page": per_page, "has_prev": subs.has_prev, "has_next": subs.has_next,
        "first": subs.first, "last": subs.last,
    }


def submission_detail(item: PeerItem, sub: PeerSubmission, text: str, now=None) -> dict:
    """Everything about one submission for staff: text, reviews with parts, leases, flags, audit."""
    now = now or timezone.now()
    names = usernames_for({sub.anonymous_user_id})
    delivery = gradebook.latest_by_submission([sub.pk]).get(sub.pk)
    reviews = list(gradebook.reviews_with_parts(sub.pk))
    ratings = feedback.ratings_for_submission(sub.pk) if reviews else {}
    leases = ReviewLease.objects.filter(submission=sub).order_by("created", "pk")
    flags = Flag.objects.filter(submission=sub).order_by("created", "pk")
    actions = StaffAction.objects.filter(submission=sub).order_by("created", "pk")
    standings = reviewing_grade.standings(item, [sub.anonymous_user_id])
    return {
        **_row(sub, item, now, names, delivery, standings),
        "text": text,
        "medians": sub.medians,
        "weighting": sub.weighting or {},
        "spread": round(sub.spread, 3),
        "cancel_reason": sub.cancel_reason,
        "rubric": sub.rubric.criteria,
        "points_max": sub.rubric.max_points,  # the range of a staff grade, also before any grade exists
        "reviews": [
            {
                "id": r.pk, "reviewer": r.reviewer_id, "created": r.created.isoformat(), "counted": r.counted,
                "extra": r.extra, "total": r.total_points, "overall": r.overall_comment,
                "parts": [
                    {"criterion": p.criterion_label, "option": p.option_label, "points": p.points, "comment": p.comment}
                    for p in r.parts.all()
                ],
                "feedback": feedback.staff_view(ratings.get(r.pk)),
            }
            for r in reviews
        ],
        "leases": [
            {
                "reviewer": l.reviewer_id, "status": l.get_status_display(), "created": l.created.isoformat(),
                "expires_at": l.expires_at.isoformat(), "expiries": l.expiries,
                "resumed_at": l.resumed_at.isoformat() if l.resumed_at else None,
                "completed_at": l.completed_at.isoformat() if l.completed_at else None,
                "has_draft": bool(l.draft), "extra": l.extra,
            }
            for l in leases
        ],
        "flags": [
            {"reporter": f.reporter_id, "reason": f.reason, "created": f.created.isoformat(),
             "resolved_at": f.resolved_at.isoformat() if f.resolved_at else None, "resolution": f.resolution}
            for f in flags
        ],
        "audit": [
            {"staff": a.staff_id, "action": a.action, "old_points": a.old_points, "new_points": a.new_points,
             "reason": a.reason, "created": a.created.isoformat()}
            for a in actions
        ],
    }


# The submissions CSV's columns, named as the staff panel names them (translated where the file is made;
# see "CSV downloads" in docs/operations.md). "Gradebook points" are the points the gradebook received
# (blank for a cancelled response, whose grade is taken back); "Gradebook" is the state of the latest delivery.
CSV_COLUMNS = (
    _("Submission"), _("Learner"), _("Submitted"), _("Status"), _("Words"), _("Reviews received"),
    _("Reviews required"), _("Reviews given"), _("Reviews to give"), _("Peer grade"), _("Final grade"),
    _("Points possible"), _("Gradebook points earned"), _("Gradebook points possible"), _("Gradebook"),
    _("Divergent reviews"), _("Ratings received"), _("Rated helpful by the authors"),
)
MEDIAN_COLUMN = _("Median: %(criterion)s")
# With a share of the score for reviewing (peer/reviewing_grade.py), before the medians: the learner's grade for
# reviewing (0 to 1; blank while pending) and their score in the rubric's points, as the gradebook receives it.
REVIEWING_COLUMNS = (_("Grade for reviewing"), _("Score with reviewing"))


@dataclass(frozen=True)
class CsvWords:
    """The words a CSV writes for codes: the screen's status and gradebook-delivery labels, yes and no
    (the block translates them; without them, the codes themselves)."""

    statuses: Mapping[str, str] = field(default_factory=dict)
    deliveries: Mapping[str, str] = field(default_factory=dict)
    yes: str = "yes"
    no: str = "no"


def csv_header(item: PeerItem, gettext=lambda text: text) -> list[str]:
    """Column names; ``Ratings received``/``Rated helpful by the authors``: of the reviews this learner gave
    in the block, how many their authors rated, and how many of those as helpful (``peer.feedback``)."""
    reviewing = REVIEWING_COLUMNS if reviewing_grade.share_of(item) else ()
    return [*(gettext(name) for name in CSV_COLUMNS), *(gettext(name) for name in reviewing),
            *[gettext(MEDIAN_COLUMN) % {"criterion": c.label or c.name} for c in item.rubric.criteria]]


def csv_rows(item: PeerItem, chunk_size: int = 500, now=None, words: CsvWords | None = None):
    """Rows generated as they are sent, ``chunk_size`` submissions at a time, never loaded whole.

    Each chunk is one keyset read (``id`` after the last one sent): MySQL's driver has no
    server-side cursor, so iterating one query would hold every row in memory there.
    """
    now = now or timezone.now()
    names_cache: dict[str, str] = {}
    qs = PeerSubmission.objects.filter(
        usage_id=item.usage_id, course_id=item.course_id, cleared_at__isnull=True
    ).order_by("id")
    after = None
    while True:
        batch = list((qs if after is None else qs.filter(id__gt=after))[:chunk_size])
        if not batch:
            return
        yield from _csv_batch(batch, item, now, names_cache, words or CsvWords())
        if len(batch) < chunk_size:
            return
        after = batch[-1].pk
        names_cache.clear()


def _csv_batch(batch, item, now, names_cache, words: CsvWords):
    names_cache.update(usernames_for({s.anonymous_user_id for s in batch}))
    ratings = feedback.ratings_by_reviewer(item, {s.anonymous_user_id for s in batch})
    deliveries = gradebook.latest_by_submission(s.pk for s in batch)
    share = reviewing_grade.share_of(item)
    standings = reviewing_grade.standings(item, [s.anonymous_user_id for s in batch])
    for sub in batch:
        row = _row(sub, item, now, names_cache, deliveries.get(sub.pk), standings)
        reviewing = (_blank(row["reviewing_grade"]), _blank(row["score"])) if share else ()
        lms = row["lms_points"] or ["", ""]
        medians = sub.medians or {}
        yield [
            sub.pk, row["learner"], l10n.csv_time(sub.submitted_at),
            words.statuses.get(row["status"], row["status"]), sub.word_count, sub.received,
            row["required"], sub.given, row["to_give"], _blank(sub.peer_points), _blank(sub.final_points),
            _blank(sub.points_possible or None), lms[0], lms[1],
            words.deliveries.get(row["delivery"]["state"], row["delivery"]["state"]),
            words.yes if sub.divergent else words.no,
            *ratings.get(sub.anonymous_user_id, (0, 0))[::-1],
            *reviewing,
            *[_blank(medians.get(c.name)) for c in item.rubric.criteria],
        ]


def _blank(value):
    return "" if value is None else value

