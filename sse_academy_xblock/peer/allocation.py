"""Giving a reviewer the next response to review: one short transaction, no double allocation.

Rules (documented in the README):

* A reviewer first gets back what they already hold: a live lease, or an expired one that they may
  keep (nobody else took the free slot, or they had started a draft: a draft is never lost).
* Otherwise the pick is: same block, in the pool (not flagged, not cancelled), not their own, not
  one they ever leased, still needing reviews (``load < reviews_required``); ordered by ``load``
  (completed reviews + live leases), then age. It is one range of the index (usage_id, pool, load,
  id), read with ``SELECT ... FOR UPDATE SKIP LOCKED LIMIT 1`` where the database has it, so
  concurrent reviewers take different rows and the cost does not grow with the pool; "not one
  they ever leased" is a probe of the unique (reviewer, submission) index per row read. If SKIP
  LOCKED passed over every eligible row (rows are also locked for a moment while a review of them
  is completed), the first one is waited for.
* With the adaptive review count (:mod:`.review_count`), a response is eligible while its count is open
  and it carries fewer reviews than it wants now (the minimum, plus one per disagreement, up to the
  maximum): the same pick on the index (usage_id, pool, count_state, load, id), the same statements.
* Extra reviews (asked for by a learner who gave their required reviews) use the same pick, so they
  go to responses still waiting for reviews. A response that has all its reviews is not leased
  again; a learner who owes reviews when none is available waits (see the waiting rule in
  :mod:`.waiting`).
* Leases expire after ``lease_hours``; expired leases return their slot to the pool (``load`` is
  decremented exactly once, by a conditional update).
* A reviewer holds at most one open lease per block: the stored column ``open_slot`` (1 while the
  lease is open, NULL otherwise) is unique per (block, reviewer), so of two simultaneous requests
  of one reviewer (a second tab, a double click) the database lets one insert its lease and the
  other is given that lease.

The path most requests take (a reviewer with nothing in hand gets a new response) costs four data
statements: one read of the reviewer's own submission that also says whether they hold anything,
whether a lease of the block is due to expire and (for :func:`.workflow.next_review`) whether the
waiting rule has work; then, in one transaction, the pick, the lease insert and the ``load``
update. The sweep, the resume and the waiting rule run only when that first read says they have
something to do.

Locking order, the same on every path so that transactions cannot deadlock: a lease row, then
submission rows in primary-key order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from ..transactions import is_deadlock
from .config import PeerItem
from .models import PeerSubmission, ReviewLease
from .review_count import slot_limit
from .submissions import effective_to_give, lock_submissions

SWEEP_BATCH = 200
ATTEMPTS = 6


class AllocationError(Exception):
    """The reviewer cannot review in this block (no submission of their own, or cancelled)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass
class Allocation:
    """What the reviewer gets: a lease (``lease`` set) or a reason there is none.

    ``outcome`` is one of: ``held`` (a live lease they already had), ``resumed`` (an expired lease
    given back), ``new``, ``none_available`` (nothing they may review right now), ``not_needed``
    (they have given their required reviews and did not ask for an extra one).
    """

    outcome: str
    lease: ReviewLease | None = None
    own: PeerSubmission | None = None  # the reviewer's own submission as this request read it


def _lock_options() -> dict:
    """SKIP LOCKED where the database has it; on PostgreSQL, lock the picked row alone."""
    features = connection.features
    if not (features.has_select_for_update and features.has_select_for_update_skip_locked):
        return {}
    options = {"skip_locked": True}
    if features.has_select_for_update_of:
        options["of"] = ("self",)
    return options


def sweep_expired(usage_id: str, now=None, batch: int = SWEEP_BATCH) -> int:
    """Expire the block's leases whose time is up and give their slots back; returns how many.

    Each lease is expired by a conditional update in its own short transaction, so a lease is
    counted out exactly once even when several requests sweep at the same time.
    """
    now = now or timezone.now()
    due = list(
        ReviewLease.objects.filter(usage_id=usage_id, status=ReviewLease.OPEN, expires_at__lt=now)
        .order_by("expires_at")
        .values_list("pk", "submission_id")[:batch]
    )
    expired = 0
    for lease_id, submission_id in due:
        with transaction.atomic():
            changed = ReviewLease.objects.filter(
                pk=lease_id, status=ReviewLease.OPEN, expires_at__lt=now
            ).update(status=ReviewLease.EXPIRED, open_slot=None, expiries=F("expiries") + 1)
            if changed:
                PeerSubmission.objects.filter(pk=submission_id).update(load=F("load") - 1)
                expired += 1
    return expired


def _sql(template: str) -> str:
    """Quote ``{name}`` placeholders with the database's quoting (MySQL reserves ``load``)."""
    quote = connection.ops.quote_name
    names = {
        "sub": quote(PeerSubmission._meta.db_table), "lease": quote(ReviewLease._meta.db_table),
        **{f.column: quote(f.column) for model in (PeerSubmission, ReviewLease) for f in model._meta.concrete_fields},
    }
    return " ".join(template.format(**names).split())


_SNAPSHOT = """
SELECT s.*,
  EXISTS(SELECT 1 FROM {lease} l WHERE l.{usage_id} = %s AND l.{reviewer_id} = %s AND l.{status} IN (0, 1))
    AS unfinished,
  EXISTS(SELECT 1 FROM {lease} l WHERE l.{usage_id} = %s AND l.{status} = 0 AND l.{expires_at} < %s) AS lease_due,
  {waiting} AS waiting_due
FROM {sub} s WHERE s.{usage_id} = %s AND s.{anonymous_user_id} = %s ORDER BY s.{attempt} DESC LIMIT 1
"""
_WAITING = """EXISTS(SELECT 1 FROM {sub} w WHERE w.{usage_id} = %s AND w.{graded_at} IS NULL AND w.{submitted_at} < %s
    AND w.{pool} = 0 AND w.{staff_queue} = %s AND w.{required_lowered_to} IS NULL AND w.{received} < %s + w.{extra_wanted})"""
_PICK = """
SELECT s.* FROM {sub} s
WHERE s.{usage_id} = %s AND s.{pool} = 0 AND s.{load} < %s AND s.{anonymous_user_id} <> %s
  AND NOT EXISTS (SELECT 1 FROM {lease} l WHERE l.{reviewer_id} = %s AND l.{submission_id} = s.{id})
ORDER BY s.{load}, s.{id} LIMIT 1"""
# The adaptive review count (peer.review_count): the responses still collecting reviews, each bounded by the
# reviews it wants now (the minimum plus the extra ones asked), least-reviewed first; read on the index
# (usage_id, pool, count_state, load, id), so responses whose count closed are never scanned.
_PICK_ADAPTIVE = """
SELECT s.* FROM {sub} s
WHERE s.{usage_id} = %s AND s.{pool} = 0 AND s.{count_state} = 0 AND s.{load} < %s AND s.{load} < %s + s.{extra_wanted}
  AND s.{anonymous_user_id} <> %s
  AND NOT EXISTS (SELECT 1 FROM {lease} l WHERE l.{reviewer_id} = %s AND l.{submission_id} = s.{id})
ORDER BY s.{load}, s.{id} LIMIT 1"""
_LOAD_UP = "UPDATE {sub} SET {load} = {load} + 1 WHERE {id} = %s"
_compiled: dict = {}


def _statement(kind: str) -> str:
    """The allocation's statements, written out once per database (no ORM compiling per request).

    ``snapshot`` / ``snapshot+waiting``: the first read; ``pick``: the locking pick; ``first``: the
    same range read without a lock, for the first eligible id (whether the pick skipped locked
    rows); ``pick_adaptive`` / ``first_adaptive``: the same with the adaptive review count;
    ``load_up``: one more review in progress on a response.
    """
    key = (connection.vendor, kind)
    if key not in _compiled:
        if kind.startswith("snapshot"):
            waiting = _WAITING if kind == "snapshot+waiting" else "0"
            sql = _SNAPSHOT.replace("{waiting}", waiting)
        elif kind in ("pick", "pick_adaptive"):
            sql = _PICK_ADAPTIVE if kind == "pick_adaptive" else _PICK
            options = _lock_options()
            if options:
                sql += " FOR UPDATE OF s SKIP LOCKED" if "of" in options else " FOR UPDATE SKIP LOCKED"
        elif kind in ("first", "first_adaptive"):
            sql = (_PICK_ADAPTIVE if kind == "first_adaptive" else _PICK).replace("SELECT s.*", "SELECT s.{id}", 1)
        else:
            sql = _LOAD_UP
        _compiled[key] = _sql(sql)
    return _compiled[key]


def _snapshot(item: PeerItem, reviewer_id: str, now, waiting: bool) -> PeerSubmission | None:
    """The reviewer's own submission, annotated with what else this request has to do (one query).

    ``unfinished``: the reviewer holds an open or expired lease in the block (held / resume path);
    ``lease_due``: some lease of the block is past its time and still counted (sweep first);
    ``waiting_due``: with ``waiting``, some response waited long enough for the waiting rule
    (:func:`.waiting.waiting_candidates`). All three are ``EXISTS`` probes of an index, so the read
    does not grow with the pool.
    """
    moment = connection.ops.adapt_datetimefield_value(now)
    params = [item.usage_id, reviewer_id, item.usage_id, moment]
    if waiting:
        params += [item.usage_id, connection.ops.adapt_datetimefield_value(now - item.waiting_time), False,
                   max(1, item.reviews_required)]
    params += [item.usage_id, reviewer_id]
    rows = list(PeerSubmission.objects.raw(_statement("snapshot+waiting" if waiting else "snapshot"), params))
    return rows[0] if rows else None


def _resumable(reviewer_id: str, item: PeerItem, now) -> list[ReviewLease]:
    """The reviewer's unfinished leases in this block, the ones with a draft first."""
    leases = list(
        ReviewLease.objects.filter(
            usage_id=item.usage_id, reviewer_id=reviewer_id, status__in=(ReviewLease.OPEN, ReviewLease.EXPIRED)
        ).select_related("submission")
    )
    leases.sort(key=lambda l: (l.status != ReviewLease.OPEN or l.expires_at <= now, not l.draft, l.created))
    return leases


def _try_resume(lease: ReviewLease, item: PeerItem, now) -> ReviewLease | None:
    """Give an expired lease back if the slot is still free or the reviewer had a draft."""
    try:
        with transaction.atomic():
            lease = ReviewLease.objects.select_for_update().get(pk=lease.pk)
            target = lock_submissions(lease.submission_id).get(lease.submission_id)
            if lease.status not in (ReviewLease.OPEN, ReviewLease.EXPIRED) or target is None:
                return None
            if target.pool != PeerSubmission.IN_POOL:
                # Flagged or cancelled: not shown again; the draft stays stored.
                return None
            if lease.status == ReviewLease.OPEN:
                # Due but not yet swept: its slot is still counted, so the reviewer simply keeps it.
                lease.expires_at = now + item.lease_time
                lease.save(update_fields=["expires_at"])
                return lease
            slot_free = target.load < slot_limit(target, item)
            if not (slot_free or lease.draft):
                return None
            lease.status = ReviewLease.OPEN
            lease.expires_at = now + item.lease_time
            lease.resumed_at = now
            lease.save(update_fields=["status", "expires_at", "resumed_at"])
            PeerSubmission.objects.filter(pk=target.pk).update(load=F("load") + 1)
            return lease
    except IntegrityError:
        # Another request of this reviewer opened a lease meanwhile: that one is what they hold.
        return None


def _pick_params(item: PeerItem, reviewer_id: str) -> list:
    if item.adaptive:
        return [item.usage_id, item.most_reviews, item.reviews_required, reviewer_id, reviewer_id]
    return [item.usage_id, item.reviews_required, reviewer_id, reviewer_id]


def _first_eligible(item: PeerItem, reviewer_id: str) -> int | None:
    """The id the pick would take if no row were locked (the pick's range read, without a lock)."""
    with connection.cursor() as cursor:
        cursor.execute(_statement("first_adaptive" if item.adaptive else "first"), _pick_params(item, reviewer_id))
        row = cursor.fetchone()
    return row[0] if row else None


def _still_eligible(row: PeerSubmission | None, item: PeerItem, reviewer_id: str) -> bool:
    return (
        row is not None and row.pool == PeerSubmission.IN_POOL and row.load < slot_limit(row, item)
        and row.anonymous_user_id != reviewer_id
        and not ReviewLease.objects.filter(reviewer_id=reviewer_id, submission_id=row.pk).exists()
    )


class _Busy(Exception):
    """Every eligible row was locked: ``first`` is the one to wait for, outside the pick's transaction."""

    def __init__(self, first: int):
        super().__init__(first)
        self.first = first


class _Taken(Exception):
    """The lease insert hit a unique key: another request of this reviewer opened a lease first."""


def _attempt(item: PeerItem, reviewer_id: str, extra: bool, now, wait_for: int | None) -> Allocation:
    """One allocation transaction: the pick, the lease insert, the ``load`` update.

    The pick is ``SKIP LOCKED`` or (``wait_for``) a wait on one row by its key. A transaction that
    finds every eligible row locked gives up (raising :class:`_Busy`) instead of waiting: on InnoDB
    its scan keeps locks on index entries that the lock holder needs to update, so waiting there
    could deadlock. The wait happens in a fresh transaction that holds nothing yet.
    """
    try:
        with transaction.atomic():
            if wait_for is not None:
                candidate = PeerSubmission.objects.select_for_update().filter(pk=wait_for).first()
                if not _still_eligible(candidate, item, reviewer_id):
                    raise _Busy(-1)
            else:
                picked = list(PeerSubmission.objects.raw(
                    _statement("pick_adaptive" if item.adaptive else "pick"), _pick_params(item, reviewer_id)
                ))
                candidate = picked[0] if picked else None
                if candidate is None:
                    first = _first_eligible(item, reviewer_id) if _lock_options() else None
                    if first is not None:
                        raise _Busy(first)
                    return Allocation("none_available")
            lease = ReviewLease.objects.create(
                submission=candidate, usage_id=item.usage_id, reviewer_id=reviewer_id,
                status=ReviewLease.OPEN, extra=extra, created=now, expires_at=now + item.lease_time,
            )
            with connection.cursor() as cursor:
                cursor.execute(_statement("load_up"), [candidate.pk])
            candidate.load += 1
    except IntegrityError:
        raise _Taken() from None
    lease.submission = candidate
    return Allocation("new", lease)


def _held(item: PeerItem, reviewer_id: str) -> ReviewLease | None:
    return (
        ReviewLease.objects.filter(usage_id=item.usage_id, reviewer_id=reviewer_id, status=ReviewLease.OPEN)
        .select_related("submission").first()
    )


def allocate(item: PeerItem, reviewer_id: str, want_extra: bool = False, now=None,
             apply_waiting_rule: Callable[[PeerItem, datetime], object] | None = None) -> Allocation:
    """Give ``reviewer_id`` a response to review in ``item`` (see the module docstring).

    With ``apply_waiting_rule``, the block's waiting rule, handed in by the caller
    (:func:`.workflow.next_review` passes :func:`.waiting.apply_to_lacking`), is called as
    ``apply_waiting_rule(item, now)`` first when the first read finds a response it applies to.

    Raises :class:`AllocationError` (``not_submitted`` / ``cancelled``) when the reviewer has no
    active submission of their own in this block.
    """
    now = now or timezone.now()
    own = _snapshot(item, reviewer_id, now, apply_waiting_rule is not None)
    if own is None or own.is_cleared:
        raise AllocationError("not_submitted")
    if own.is_cancelled:
        raise AllocationError("cancelled")
    if own.lease_due:
        sweep_expired(item.usage_id, now)
    if apply_waiting_rule is not None and own.waiting_due:
        apply_waiting_rule(item, now)
    if own.unfinished:
        for lease in _resumable(reviewer_id, item, now):
            if lease.status == ReviewLease.OPEN and lease.expires_at > now:
                return Allocation("held", lease)
            resumed = _try_resume(lease, item, now)
            if resumed is not None:
                return Allocation("resumed", resumed)
        own.refresh_from_db(fields=["given", "to_give_lowered_to"])

    required_left = own.given < effective_to_give(own, item)
    if not required_left and not want_extra:
        return Allocation("not_needed")
    wait_for = None
    for _round in range(ATTEMPTS):
        try:
            result = _attempt(item, reviewer_id, not required_left, now, wait_for)
            result.own = own
            return result
        except _Busy as busy:
            # Locked rows are only ever held for a moment: wait for the first one (or pick again).
            wait_for = busy.first if busy.first > 0 else None
        except _Taken:
            held = _held(item, reviewer_id)
            if held is not None:
                return Allocation("held", held)
            wait_for = None
        except OperationalError as error:
            if not is_deadlock(error):
                raise
            wait_for = None
    return Allocation("none_available", own=own)


def release_for_submission(submission_id: int, now=None) -> int:
    """Cancel every unfinished lease on a submission that left the pool; drafts stay stored."""
    changed = ReviewLease.objects.filter(
        submission_id=submission_id, status__in=(ReviewLease.OPEN, ReviewLease.EXPIRED)
    )
    live = changed.filter(status=ReviewLease.OPEN).count()
    count = changed.update(status=ReviewLease.CANCELLED, open_slot=None)
    if live:
        PeerSubmission.objects.filter(pk=submission_id).update(load=F("load") - live)
    return count
