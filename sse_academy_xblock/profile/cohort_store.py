"""The cohort figures kept as scores change: counts per whole percent, moved inside each score write.

A profile's scope (a composition: its graded blocks and what each can award) is *kept* once it is
registered: a :class:`.models.CohortScope` row, its blocks (:class:`.models.CohortScopeBlock`) and its
counts (:class:`.models.CohortCount`, see :mod:`.cohort_counts`). From then on:

* **a score write moves the learner between the counts** of every kept scope holding the block, in the
  write's transaction (:func:`change`): it locks the learner's row (:class:`.models.CohortLearnerLock`,
  one insert-or-lock), reads the learner's sums per kept scope and dimension before the write (one grouped
  read of the covering index ``(block_key, learner_key, dimension, earned)``, which also gives the
  dimensions the learner's rows on the block hold, so the write removes rows only where there are
  some to remove), lets the write run, then
  adds the moves to the counts (one upsert, left out when nobody moves). Two changes of one learner's
  scores run one after the other (the lock); changes of different learners add to the counts
  (``count = count + d``) and never overwrite each other. The counts therefore equal a recount of the
  score table after every committed write;
* **a render reads the figures** of its scope in one statement (:func:`read`): the scope's counts, and
  those of the profile's previous composition while a new one is being counted;
* **a new composition** (a publish that adds, removes or reweighs a graded block) is registered by the
  first render that meets it (three short inserts, no count), which shows the previous composition's
  figures with their "as of" meanwhile; the count itself (:func:`build`) runs outside any learner's
  request: in a thread started after the request's transaction commits, or by
  ``manage.py sse_cohort_build``. It counts under a lock of the scope's count rows, so a score write
  that reached them first is counted, and one that reaches them later adds its move to the finished
  count. A write whose transaction began before the composition was registered and that commits after
  the count began would be missed: :data:`BUILD_GRACE_SECONDS` after registering passes before
  the count starts, for writes in flight to end (a score write lasts milliseconds).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timezone as dt_timezone

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .. import upsert
from ..transactions import run_with_retries
from ..dimensions import DIMENSION_IDS
from . import cohort_counts
from .cohort import _learner_sums, figures_of
from .models import (CohortCount, CohortLearnerLock, CohortScope, CohortScopeBlock, DimensionScore, block_key,
                     learner_key)

log = logging.getLogger(__name__)

LEARNERS = ""  # the dimension of the count row that counts the scope's learners
BUILD_GRACE_SECONDS = 2.0
BUILD_TRIES = 5  # a count that loses a deadlock to a score write starts again
_DIM = {dim: n for n, dim in enumerate(DIMENSION_IDS)}


def scope_key(course_id: str, composition_key: str) -> str:
    return hashlib.sha1(f"{course_id}|{composition_key}".encode("utf-8")).hexdigest()


def profile_key(course_id: str, profile_usage_id: str, scope: str) -> str:
    return hashlib.sha1(f"{course_id}|{profile_usage_id}|{scope}".encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------- the write path


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model) -> str:
    return _qn(model._meta.db_table)


def _lock(key: int) -> None:
    """Lock the learner's row, creating it on their first change (one statement; an existing row is locked,
    not rewritten)."""
    sql = upsert.insert_or_lock(connection, CohortLearnerLock._meta.db_table, ("learner_key",))
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])


def _sums_before(key: int, block: int | None, anonymous_user_id: str, usage_id: str | None = None):
    """Per kept scope: its possible points and the learner's sums per dimension, in one grouped read;
    and the dimensions of the learner's rows on the block written (``usage_id``), read in the same
    statement from the score table's unique key.

    With ``block`` (and ``usage_id``), the kept scopes holding that block, and per dimension the
    learner's points on the scope's other blocks and on ``block`` apart: ``{scope: (possible, {dim:
    [others, others_rows, mine, mine_rows]})}``. Without it (a retirement), every kept scope holding any
    of the learner's blocks, their rows found by ``anonymous_user_id``, counted as "others", and no
    dimensions.
    """
    score, blocks, scopes = _table(DimensionScore), _table(CohortScopeBlock), _table(CohortScope)
    if block is not None:
        sql = (f"SELECT 's', own.{_qn('scope_id')}, sc.{_qn('possible')}, s.{_qn('dimension')}, "
               f"SUM(CASE WHEN s.{_qn('block_key')} <> %s THEN s.{_qn('earned')} END), "
               f"SUM(CASE WHEN s.{_qn('block_key')} <> %s THEN 1 ELSE 0 END), "
               f"SUM(CASE WHEN s.{_qn('block_key')} = %s THEN s.{_qn('earned')} END), "
               f"SUM(CASE WHEN s.{_qn('block_key')} = %s THEN 1 ELSE 0 END) "
               f"FROM {blocks} own JOIN {scopes} sc ON sc.{_qn('id')} = own.{_qn('scope_id')} "
               f"JOIN {blocks} other ON other.{_qn('scope_id')} = own.{_qn('scope_id')} "
               f"LEFT JOIN {score} s ON s.{_qn('block_key')} = other.{_qn('block_key')} AND s.{_qn('learner_key')} = %s "
               f"WHERE own.{_qn('block_key')} = %s "
               f"GROUP BY own.{_qn('scope_id')}, sc.{_qn('possible')}, s.{_qn('dimension')} "
               f"UNION ALL SELECT 'b', NULL, NULL, {_qn('dimension')}, NULL, 0, NULL, 0 FROM {score} "
               f"WHERE {_qn('anonymous_user_id')} = %s AND {_qn('usage_id')} = %s")
        params = [block, block, block, block, key, block, anonymous_user_id, usage_id]
    else:
        sql = (f"SELECT 's', b.{_qn('scope_id')}, sc.{_qn('possible')}, s.{_qn('dimension')}, "
               f"SUM(s.{_qn('earned')}), COUNT(*), NULL, 0 "
               f"FROM {score} s JOIN {blocks} b ON b.{_qn('block_key')} = s.{_qn('block_key')} "
               f"JOIN {scopes} sc ON sc.{_qn('id')} = b.{_qn('scope_id')} "
               f"WHERE s.{_qn('anonymous_user_id')} = %s "
               f"GROUP BY b.{_qn('scope_id')}, sc.{_qn('possible')}, s.{_qn('dimension')}")
        params = [anonymous_user_id]
    found: dict[int, tuple[dict, dict]] = {}
    dimensions = set()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, scope_id, possible, dim, others, others_rows, mine, mine_rows in cursor.fetchall():
            if kind == "b":
                dimensions.add(dim)
                continue
            entry = found.setdefault(scope_id, (json.loads(possible or "{}"), {}))
            if dim is not None:
                entry[1][dim] = [float(others or 0), int(others_rows or 0), float(mine or 0), int(mine_rows or 0)]
    return found, frozenset(dimensions)


def _state(per_dim: Mapping[str, list], mine: Mapping[str, float] | None) -> cohort_counts.Sums:
    """The learner's sums in one scope, with this block's rows as they were (``mine`` None) or are now."""
    sums: list = [None] * len(DIMENSION_IDS)
    rows = 0
    for dim, (others, others_rows, old_mine, old_mine_rows) in per_dim.items():
        earned, count = others, others_rows
        if mine is None:
            earned, count = earned + old_mine, count + old_mine_rows
        if count:
            rows += count
            if dim in _DIM:
                sums[_DIM[dim]] = earned
    for dim, earned in (mine or {}).items():
        rows += 1
        if dim in _DIM:
            others = per_dim.get(dim, [0.0, 0])
            sums[_DIM[dim]] = (others[0] if others[1] else 0.0) + earned
    return tuple(sums) if rows else None


def _moves(before: Mapping, after: Callable[[Mapping], cohort_counts.Sums]) -> dict[tuple[int, str, int], int]:
    """The count changes ``{(scope, dimension, percent): d}`` of one learner's change in every kept scope."""
    moves: dict[tuple[int, str, int], int] = defaultdict(int)
    for scope_id, (possible, per_dim) in before.items():
        old, new = _state(per_dim, None), after(per_dim)
        for sums, sign in ((old, -1), (new, 1)):
            if sums is None:
                continue
            moves[(scope_id, LEARNERS, 0)] += sign
            for dim, value in cohort_counts.percents(sums, possible).items():
                moves[(scope_id, dim, value)] += sign
    return {k: d for k, d in moves.items() if d}


def _add(moves: Mapping[tuple[int, str, int], int]) -> None:
    """Add the moves to the counts (one upsert, rows in key order so that writers lock them alike)."""
    if moves:
        _upsert(moves, "{old[count]} + {new[count]}")


def _set(counts: Mapping[tuple[int, str, int], int]) -> None:
    """Set the counts (one upsert over rows that exist, in key order)."""
    _upsert(counts, "{new[count]}")


def _upsert(rows: Mapping[tuple[int, str, int], int], count: str) -> None:
    ordered = sorted(rows.items())
    sql = upsert.insert_or_update(
        connection, CohortCount._meta.db_table, ("scope_id", "dimension", "percent", "count"),
        upsert.values_list(len(ordered), 4), key=("scope_id", "dimension", "percent"),
        assignments=[("count", count)])
    params = []
    for (scope_id, dim, value), number in ordered:
        params += [scope_id, dim, value, number]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def change(anonymous_user_id: str, usage_id: str,
           write: Callable[[frozenset[str]], Mapping[str, float]]) -> None:
    """Run ``write`` (which replaces the learner's rows on one block and returns them as ``{dimension:
    earned}``) and move the learner between the counts of every kept scope holding the block, in one
    transaction: two statements before the write, one after it when anybody moves.

    ``write`` is given the dimensions the learner's rows on the block hold before it, read under the
    learner's lock (so exact), which spares it removing rows that are not there."""
    with transaction.atomic(savepoint=False):
        key = learner_key(anonymous_user_id)
        _lock(key)
        before, dimensions = _sums_before(key, block_key(usage_id), anonymous_user_id, usage_id)
        now = write(dimensions)
        _add(_moves(before, lambda per_dim: _state(per_dim, now)))


def forget_learners(anonymous_user_ids: Sequence[str], delete: Callable[[], None]) -> None:
    """Run ``delete`` (which removes every score row of these learners) and take them out of every count."""
    with transaction.atomic(savepoint=False):
        moves: dict = defaultdict(int)
        for anonymous_user_id in anonymous_user_ids:
            _lock(learner_key(anonymous_user_id))
            for k, d in _moves(_sums_before(0, None, anonymous_user_id)[0], lambda _per_dim: None).items():
                moves[k] += d
        delete()
        CohortLearnerLock.objects.filter(learner_key__in=[learner_key(a) for a in anonymous_user_ids]).delete()
        _add({k: d for k, d in moves.items() if d})


# ---------------------------------------------------------------------------------- the read path


STUCK_SECONDS = 600  # a count not finished this long after registering is started again


class Kept:
    """What :func:`read` found for a scope: its figures (None before any count of the profile is
    complete; with ``as_of`` when they are those of a previous composition), whether the composition
    asked for is registered, and the id of its count when that has not finished long after it should
    have (a process stopped while counting)."""

    def __init__(self, figures, registered: bool, stuck: int | None = None):
        self.figures = figures
        self.registered = registered
        self.stuck = stuck


def read(scope: str, profile: str):
    """The kept figures of composition ``scope`` of ``profile`` (one statement)."""
    scopes, counts = _table(CohortScope), _table(CohortCount)
    sql = (f"SELECT sc.{_qn('id')}, sc.{_qn('scope_key')}, sc.{_qn('built')}, sc.{_qn('registered')}, "
           f"c.{_qn('dimension')}, c.{_qn('percent')}, c.{_qn('count')} FROM {scopes} sc "
           f"LEFT JOIN {counts} c ON c.{_qn('scope_id')} = sc.{_qn('id')} AND sc.{_qn('built')} IS NOT NULL "
           f"AND c.{_qn('count')} <> 0 "
           f"WHERE sc.{_qn('scope_key')} = %s OR sc.{_qn('profile_key')} = %s")
    found: dict[int, dict] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [scope, profile])
        for scope_id, key, built, registered, dim, value, count in cursor.fetchall():
            entry = found.setdefault(scope_id, {"key": key, "built": built, "registered": registered,
                                                "counts": cohort_counts.Counts()})
            if dim is None:
                continue
            if dim == LEARNERS:
                entry["counts"].learners += count
            elif dim in entry["counts"].by_dimension and 0 <= value < cohort_counts.PERCENTS:
                entry["counts"].by_dimension[dim][value] += count
    mine = next((e for e in found.values() if e["key"] == scope), None)
    if mine is not None and mine["built"] is not None:
        return Kept(figures_of(mine["counts"]), True)
    # The profile's previous composition, newest first, while the new one is being counted.
    previous = sorted((e for e in found.values() if e["built"] is not None and e["key"] != scope),
                      key=lambda e: e["registered"], reverse=True)
    stuck = None
    if mine is not None and time.time() - _timestamp(mine["registered"]) > STUCK_SECONDS:
        stuck = next(scope_id for scope_id, e in found.items() if e is mine)
    if previous:
        since = mine["registered"] if mine is not None else previous[0]["registered"]
        return Kept(replace(figures_of(previous[0]["counts"]), as_of=_timestamp(since)), mine is not None, stuck)
    return Kept(None, mine is not None, stuck)


def _timestamp(value) -> float:
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            value = value.replace(tzinfo=dt_timezone.utc)
        return value.timestamp()
    return time.time()


# ---------------------------------------------------------------------------------- compositions


def register(course_id: str, scope: str, profile: str, usage_ids: Sequence[str],
             possible: Mapping[str, float]) -> int | None:
    """Keep a new composition: its row, its blocks and its zero counts, committed at once. Its counts
    are complete only once :func:`build` has run. Returns the scope's id (None if another request
    registered it first)."""
    try:
        with transaction.atomic():
            row = CohortScope.objects.create(scope_key=scope, profile_key=profile, course_id=course_id,
                                             possible=json.dumps(dict(possible), sort_keys=True), registered=timezone.now())
            CohortScopeBlock.objects.bulk_create(
                [CohortScopeBlock(scope=row, block_key=k) for k in sorted({block_key(u) for u in usage_ids})])
            CohortCount.objects.bulk_create(
                [CohortCount(scope=row, dimension=LEARNERS, percent=0)]
                + [CohortCount(scope=row, dimension=dim, percent=value)
                   for dim in DIMENSION_IDS for value in range(cohort_counts.PERCENTS)])
    except IntegrityError:
        return None
    return row.pk


def build(scope_id: int, grace: float | None = None) -> bool:
    """Count a registered composition from the score table (outside any learner's request), then
    forget the profile's older compositions. False when the scope is gone or already built."""
    row = CohortScope.objects.filter(pk=scope_id, built__isnull=True).first()
    if row is None:
        return False
    wait = BUILD_GRACE_SECONDS if grace is None else grace
    if wait > 0:
        time.sleep(max(0.0, wait - (timezone.now() - row.registered).total_seconds()))
    keys = list(CohortScopeBlock.objects.filter(scope_id=scope_id).values_list("block_key", flat=True))
    possible = json.loads(row.possible or "{}")

    def count() -> bool:
        # Lock the scope's count rows, in the order score writes lock them: writes that moved a learner
        # in them are counted below, those that reach them later add their move to this count.
        locked = list(CohortCount.objects.select_for_update().filter(scope_id=scope_id)
                      .order_by("scope_id", "dimension", "percent").values_list("pk", flat=True))
        if not locked or not CohortScope.objects.filter(pk=scope_id, built__isnull=True).exists():
            return False
        counts = cohort_counts.Counts.of(_learner_sums(keys, by_key=True) if keys else (), possible)
        rows = {(scope_id, LEARNERS, 0): counts.learners}
        rows.update({(scope_id, dim, value): n for dim in DIMENSION_IDS
                     for value, n in enumerate(counts.by_dimension[dim])})
        _set(rows)
        CohortScope.objects.filter(pk=scope_id).update(built=timezone.now())
        return True

    if not run_with_retries(count, BUILD_TRIES):
        return False
    older = CohortScope.objects.filter(profile_key=row.profile_key, registered__lte=row.registered).exclude(pk=scope_id)
    forget_scopes(list(older.values_list("pk", flat=True)))
    return True


def forget_scopes(scope_ids: Sequence[int]) -> None:
    if not scope_ids:
        return
    with transaction.atomic():
        CohortScopeBlock.objects.filter(scope_id__in=scope_ids).delete()
        CohortCount.objects.filter(scope_id__in=scope_ids).delete()
        CohortScope.objects.filter(pk__in=scope_ids).delete()


def pending() -> list[int]:
    """Registered compositions not counted yet, oldest first."""
    return list(CohortScope.objects.filter(built__isnull=True).order_by("registered").values_list("pk", flat=True))


def build_later(scope_id: int) -> bool:
    """Count a composition outside the request: after the request's transaction commits, in a thread of
    its own (``SSE_PROFILE_COHORT_BUILD = "thread"``, the default), or left to ``manage.py
    sse_cohort_build`` (``"command"``); ``"now"`` counts at once, for tests only (True: counted)."""
    mode = getattr(settings, "SSE_PROFILE_COHORT_BUILD", "thread")
    if mode == "now":  # tests: counted at once, in the caller's transaction
        return build(scope_id, grace=0)
    if mode != "thread":
        return False

    def run():
        try:
            build(scope_id)
        except Exception:  # noqa: BLE001 - a failed count is retried by the next render or the command
            log.exception("Decent Work profile: cohort count of scope %s failed", scope_id)
        finally:
            connection.close()

    transaction.on_commit(lambda: threading.Thread(target=run, name=f"sse-cohort-{scope_id}", daemon=True).start())
    return False
