"""Which graded blocks a profile counts: the whole course, or the section (chapter) that holds it.

Two questions, answered apart:

* **The scope's structure**, the same for every learner: which of our graded blocks the scope holds,
  in course order, and what each can award per dimension. The walk uses what every XBlock runtime
  offers (``get_parent``, ``children``) and is the same in the Open edX LMS and in the workbench:

  1. up from the profile through its parents to the root (the course in Open edX, the scenario's
     outermost block in the workbench); the *section* is the ancestor directly below the root (a
     chapter in Open edX), or the root itself when the profile sits directly in it;
  2. down from the scope's root, loading only containers (:data:`CONTAINER_TYPES`) and our graded
     blocks (:data:`GRADED_TYPES`): a child's type is read from its usage key, so text, video and
     problem components are never loaded;
  3. each graded block says what its content can award per dimension (``possible_by_dimension``).

  Blocks are loaded as authored, with nobody's access applied (:func:`.platform.content_loader`:
  the runtime's ``load_item`` in Open edX), so whoever renders first finds what everyone would.
  Content hidden from every learner (``visible_to_staff_only``) is left out, as is content shown to
  some learners only through a container of its own (randomised library content, A/B tests). The graded
  blocks of a problem bank (:data:`.platform.PROBLEM_BANK_TYPES`) are kept apart (``ScopeIndex.banks``):
  each learner counts only those the bank drew for them (see :func:`for_learner`). In
  Open edX every loaded block carries the published version of the course (``course_version``); the
  structure is cached under that version and the profile's own usage id, so a render after the first
  costs no walk until the course is published again. The workbench has no version: there the walk
  runs on every render.

* **What the current learner may see now** (:func:`for_learner`), asked on every request and never
  cached: each graded block of the structure goes through ``runtime.get_block``, which in the LMS
  applies the learner's access (group access for cohorts and enrollment tracks, content-type gating,
  start dates, staff's view of unreleased content; see :func:`.platform.learner_block`). A date that
  passes, a learner moved to another cohort or an upgrade shows on the next render. A problem bank bound
  to the learner is asked which of its children it drew for them (:func:`.platform.drawn_children`):
  those count in the learner's points, earned and possible, the others do not. What a learner was
  drawn is theirs alone: it is read on every request and never cached nor shared.

* **Whose results the learner may see now**, asked of the same blocks (bound to the learner, so with
  their own due date, an extension included): a graded block that holds its results back from this
  learner (a quiz whose ``show_correctness`` is ``never``, or ``past_due`` before its due date) says so
  through ``results_availability()``, the rule of its own page; the profile then counts neither its
  earned nor its possible points and says when they will be (:attr:`LearnerScope.hidden`).

A runtime without ``load_item`` (the workbench, other runtimes) walks through ``get_block`` as the
current learner: a walk in which the runtime refused a block is the learner's view only, so it is
used for this request and not cached.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import datetime

from .. import deadlines, platform
from .arithmetic import possible_totals

COURSE = "course"
SECTION = "section"
SCOPES = (COURSE, SECTION)
DEFAULT_SCOPE = COURSE

# Containers whose every child every learner sees: Open edX's course outline and the workbench's
# page containers.
CONTAINER_TYPES = frozenset({"course", "chapter", "sequential", "vertical", "vertical_demo", "sidebar_demo"})
GRADED_TYPES = frozenset({"sse_quiz", "sse_case_study"})
# How deep the walk goes (a course is 4 levels; the bound guards against a malformed structure).
MAX_DEPTH = 12
CACHE_PREFIX = "sse_profile:scope:v5:"
log = logging.getLogger(__name__)
CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class ScopeIndex:
    """The graded blocks of a scope and what each can award per dimension.

    ``blocks`` holds each block's usage id as text with its possible points; ``usage_keys`` the same
    blocks' usage ids as the runtime gave them (Open edX's usage keys), to load them again.
    """

    scope: str
    root_id: str
    root_name: str
    blocks: tuple[tuple[str, tuple[tuple[str, float], ...]], ...]
    usage_keys: tuple = ()
    # The scope's problem banks: each bank's usage id as the runtime gave it, with its graded children
    # as ``(((usage_id, possible), usage key), ...)``. Not in ``blocks``: a learner counts only those
    # drawn for them (:meth:`with_drawn`).
    banks: tuple = ()
    # The blocks whose ``show_correctness`` can hold results back (``past_due``, ``never``): the only ones
    # asked, bound to the learner, whether they do now. The setting is the course's, the same for everyone.
    may_hide: frozenset = frozenset()

    @property
    def banked(self) -> int:
        """How many of our graded blocks sit in a problem bank of the scope."""
        return sum(len(children) for _bank, children in self.banks)

    @property
    def usage_ids(self) -> list[str]:
        return [usage_id for usage_id, _possible in self.blocks]

    @property
    def possible(self) -> dict[str, float]:
        return possible_totals(dict(possible) for _usage_id, possible in self.blocks)

    @property
    def key(self) -> str:
        """A short stable name of this scope's content, for the cohort figures' cache."""
        text = repr((self.root_id, self.blocks))
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def only(self, usage_ids) -> "ScopeIndex":
        """The same scope with only the given blocks (in course order)."""
        keep = set(usage_ids)
        pairs = [(entry, key) for entry, key in zip(self.blocks, self.usage_keys) if entry[0] in keep]
        return replace(self, blocks=tuple(entry for entry, _key in pairs), usage_keys=tuple(key for _e, key in pairs))

    def with_drawn(self, drawn) -> "ScopeIndex":
        """The same scope with the banked blocks ``drawn`` (``(entry, usage key)`` pairs) counted too."""
        drawn = tuple(drawn)
        return replace(self, blocks=self.blocks + tuple(entry for entry, _key in drawn),
                       usage_keys=self.usage_keys + tuple(key for _entry, key in drawn), banks=())


@dataclass(frozen=True)
class HiddenResults:
    """A graded block the learner may see but whose results are held back from them now: its name, and
    the date after which they are shown (None: this block never shows them)."""

    usage_id: str
    name: str
    after: datetime | None = None


@dataclass(frozen=True)
class LearnerScope:
    """A scope as one request sees it: the structure every learner shares, the current learner's part
    of it, and the blocks of that part whose results are held back from the learner now."""

    index: ScopeIndex
    visible: ScopeIndex
    hidden: tuple[HiddenResults, ...] = ()

    @property
    def counted(self) -> ScopeIndex:
        """The blocks the learner's profile counts: those they may see, less those whose results are hidden."""
        held = {item.usage_id for item in self.hidden}
        return self.visible.only(usage_id for usage_id in self.visible.usage_ids if usage_id not in held)

    @property
    def hidden_possible(self) -> dict[str, float]:
        """Per dimension, the points of the blocks whose results are hidden (left out of the profile)."""
        held = {item.usage_id for item in self.hidden}
        return possible_totals(dict(possible) for usage_id, possible in self.visible.blocks if usage_id in held)


def hidden_results(block, usage_id: str) -> HiddenResults | None:
    """What the learner-bound ``block`` holds back from the learner now, asked of the block itself (the rule
    of its own page); None when it shows their results, or has no such rule."""
    ask = getattr(block, "results_availability", None)
    if not callable(ask):
        return None
    availability = ask()
    if availability.shown:
        return None
    return HiddenResults(usage_id, str(getattr(block, "display_name", "") or ""), availability.after)


class _Walk:
    """One walk of the course: loads blocks as authored when the runtime can (``load_item``),
    otherwise as the current learner through ``get_block``, and notes what that learner was refused."""

    def __init__(self, runtime):
        self.load = platform.content_loader(runtime)
        self.shared = self.load is not None
        if not self.shared:
            self.load = runtime.get_block
        # What get_block gave the current learner (graded blocks), and which of those hold their results
        # back from them, when the walk went through it.
        self.granted: set[str] | None = None if self.shared else set()
        self.hidden: list[HiddenResults] = []
        self.complete = True

    def block(self, usage_id):
        """The block, or None when it could not be loaded (or the learner was refused it)."""
        try:
            block = self.load(usage_id)
        except Exception:  # noqa: BLE001 - a block the runtime cannot load must not hide the others
            log.warning("Decent Work profile: block %s could not be loaded; left out", usage_id, exc_info=True)
            block = None
        if block is None and not self.shared:
            self.complete = False  # refused to this learner, or broken: not what everyone would find
        return block

    def parent(self, block):
        parent_id = getattr(block, "parent", None)
        parent = self.block(parent_id) if self.shared and parent_id is not None else block.get_parent()
        if parent is None and parent_id is not None:
            self.complete = False  # the scope's root is not known for sure
        return parent


def ancestors(block, walk: _Walk | None = None) -> list:
    """The block's parents, nearest first, up to the root."""
    walk = walk or _Walk(block.runtime)
    result = []
    current = block
    for _level in range(MAX_DEPTH):
        parent = walk.parent(current)
        if parent is None:
            break
        result.append(parent)
        if parent.scope_ids.block_type == "course":
            break
        current = parent
    return result


def scope_root(block, scope: str, walk: _Walk | None = None):
    """The block whose subtree is the scope: the root for the course, the ancestor below it for a section."""
    chain = ancestors(block, walk)
    if not chain:
        return block
    if scope == SECTION and len(chain) >= 2:
        return chain[-2]
    return chain[-1]


def _hidden(block) -> bool:
    return bool(getattr(block, "visible_to_staff_only", False))


def _entry(child) -> tuple[str, tuple[tuple[str, float], ...]] | None:
    """A graded block's usage id and what it can award per dimension; None for a block that awards nothing."""
    if not callable(getattr(child, "possible_by_dimension", None)):
        return None
    possible = child.possible_by_dimension() or {}
    return platform.usage_id(child), tuple(sorted((d, float(p)) for d, p in possible.items()))


def _bank(bank_id, walk: _Walk, may_hide: set):
    """A problem bank's graded children as ``((entry, usage key), ...)``, as authored; None if it is hidden.
    Those whose results may be held back are added to ``may_hide``."""
    bank = walk.block(bank_id)
    if bank is None or _hidden(bank):
        return None
    children = []
    for key in list(getattr(bank, "children", None) or ()):
        if platform.block_type_of(bank, key) not in GRADED_TYPES:
            continue
        child = walk.block(key)
        entry = _entry(child) if child is not None and not _hidden(child) else None
        if entry is not None:
            children.append((entry, key))
            if _may_hide(child):
                may_hide.add(entry[0])
    return bank_id, tuple(children)


def _may_hide(child) -> bool:
    return deadlines.may_hold_back(getattr(child, "show_correctness", None))


def _ordered_walk(root, walk: _Walk) -> tuple[list, list, frozenset]:
    """Graded blocks in course order (depth first, children in order), with their usage ids as given; the
    problem banks (:data:`.platform.PROBLEM_BANK_TYPES`) with their graded children; and the usage ids of
    the graded blocks whose ``show_correctness`` can hold results back.

    A problem bank gives each learner k of its N components at random: its blocks are kept apart, for
    each learner counts only those drawn for them (:func:`for_learner`).
    """
    found = []
    banks = []
    may_hide: set[str] = set()

    def visit(container, depth):
        if depth > MAX_DEPTH:
            return
        for child_id in list(getattr(container, "children", None) or ()):
            kind = platform.block_type_of(container, child_id)
            if kind in platform.PROBLEM_BANK_TYPES:
                bank = _bank(child_id, walk, may_hide)
                if bank is not None and bank[1]:
                    banks.append(bank)
                continue
            if kind not in CONTAINER_TYPES and kind not in GRADED_TYPES:
                continue
            child = walk.block(child_id)
            if child is None or _hidden(child):
                continue
            if kind in CONTAINER_TYPES:
                visit(child, depth + 1)
            elif (entry := _entry(child)) is not None:
                usage_id = entry[0]
                found.append((entry, child_id))
                if _may_hide(child):
                    may_hide.add(usage_id)
                if walk.granted is not None and platform.granted(child):
                    walk.granted.add(usage_id)
                    held = hidden_results(child, usage_id)
                    if held is not None:
                        walk.hidden.append(held)

    visit(root, 0)
    return found, banks, frozenset(may_hide)


def _cache():
    from django.core.cache import cache

    return cache


def _find(block, scope: str) -> tuple[ScopeIndex, tuple[set[str], list[HiddenResults]] | None]:
    """The scope's structure, and what the current learner was given while walking it, with the results
    held back from them (None when the walk applied nobody's access, or did not run)."""
    scope = scope if scope in SCOPES else DEFAULT_SCOPE
    version = platform.content_version(block)
    cache_key = None
    if version:
        raw = f"{platform.course_id(block)}|{version}|{platform.usage_id(block)}|{scope}"
        cache_key = CACHE_PREFIX + hashlib.sha1(raw.encode("utf-8")).hexdigest()
        cached = _cache().get(cache_key)
        if isinstance(cached, ScopeIndex):
            return cached, None
    walk = _Walk(block.runtime)
    root = scope_root(block, scope, walk)
    found, banks, may_hide = _ordered_walk(root, walk)
    result = ScopeIndex(
        scope=scope,
        root_id=platform.usage_id(root),
        root_name=str(getattr(root, "display_name", "") or ""),
        blocks=tuple(entry for entry, _key in found),
        usage_keys=tuple(key for _entry, key in found),
        banks=tuple(banks),
        may_hide=may_hide,
    )
    if cache_key and walk.complete:
        _cache().set(cache_key, result, CACHE_SECONDS)
    return result, None if walk.granted is None else (walk.granted, walk.hidden)


def find(block, scope: str) -> ScopeIndex:
    """The graded blocks in ``block``'s scope, the same for every learner (cached per published
    course version in Open edX)."""
    return _find(block, scope)[0]


def for_learner(block, scope: str) -> LearnerScope:
    """The scope's structure, the part of it the current learner may see now, and the results held back
    from them.

    Each graded block of the structure is asked of the runtime once (:func:`.platform.learner_block`),
    containers and other components never, and the block it gives is asked whether it shows the learner
    their results (:func:`hidden_results`); when the walk itself ran through ``get_block`` in this
    request, its answers are used instead of asking again. Each problem bank is asked, bound to the
    learner, which children it drew for them; those are asked in turn like the other blocks and, when
    granted, counted (:meth:`ScopeIndex.with_drawn`). Nothing of this is cached.
    """
    index, walked = _find(block, scope)
    if walked is None:
        runtime = block.runtime
        granted, hidden = set(), []
        for usage_id, key in zip(index.usage_ids, index.usage_keys):
            learners = platform.learner_block(runtime, key)
            if learners is None:
                continue
            granted.add(usage_id)
            held = hidden_results(learners, usage_id) if usage_id in index.may_hide else None
            if held is not None:
                hidden.append(held)
    else:
        granted, hidden = walked
    drawn = []
    for bank_key, children in index.banks:
        bank = platform.learner_block(block.runtime, bank_key)
        if bank is None:
            continue
        pairs = platform.drawn_children(bank)
        for entry, key in children:
            if platform.child_pair(bank, key) not in pairs:
                continue
            learners = platform.learner_block(block.runtime, key)
            if learners is None:
                continue
            drawn.append((entry, key))
            held = hidden_results(learners, entry[0]) if entry[0] in index.may_hide else None
            if held is not None:
                hidden.append(held)
    return LearnerScope(index, index.only(granted).with_drawn(drawn), tuple(hidden))
