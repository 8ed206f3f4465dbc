"""Which graded blocks a profile counts: the whole course, or the section (chapter) that holds it.

The walk uses only what every XBlock runtime offers (``get_parent``, ``children``, ``get_block``), so
it is the same in the Open edX LMS and in the XBlock SDK workbench:

1. up from the profile through its parents to the root (the course in Open edX, the scenario's
   outermost block in the workbench); the *section* is the ancestor directly below the root (a
   chapter in Open edX), or the root itself when the profile sits directly in it;
2. down from the scope's root, loading only containers (:data:`CONTAINER_TYPES`) and our graded
   blocks (:data:`GRADED_TYPES`): a child's type is read from its usage key, so text, video and
   problem components are never loaded;
3. each graded block says what its content can award per dimension (``possible_by_dimension``).

Content shown to some learners only (randomised library content, A/B tests) is left out, as is
content hidden from learners (``visible_to_staff_only``). In Open edX every loaded block carries the
published version of the course (``course_version``); the result is cached under that version and
the profile's own usage id, so a render after the first costs no walk until the course is published
again. The workbench has no version: there the walk runs on every render.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from .. import platform
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
CACHE_PREFIX = "sse_profile:scope:v1:"
log = logging.getLogger(__name__)
CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class ScopeIndex:
    """The graded blocks of a scope and what each can award per dimension."""

    scope: str
    root_id: str
    root_name: str
    blocks: tuple[tuple[str, tuple[tuple[str, float], ...]], ...]

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


def ancestors(block) -> list:
    """The block's parents, nearest first, up to the root."""
    result = []
    current = block
    for _level in range(MAX_DEPTH):
        parent = current.get_parent()
        if parent is None:
            break
        result.append(parent)
        if parent.scope_ids.block_type == "course":
            break
        current = parent
    return result


def scope_root(block, scope: str):
    """The block whose subtree is the scope: the root for the course, the ancestor below it for a section."""
    chain = ancestors(block)
    if not chain:
        return block
    if scope == SECTION and len(chain) >= 2:
        return chain[-2]
    return chain[-1]


def _hidden(block) -> bool:
    return bool(getattr(block, "visible_to_staff_only", False))


def _ordered_walk(root) -> list:
    """Graded blocks in course order (depth first, children in order)."""
    found = []

    def visit(container, depth):
        if depth > MAX_DEPTH:
            return
        for child_id in list(getattr(container, "children", None) or ()):
            kind = platform.block_type_of(container, child_id)
            if kind not in CONTAINER_TYPES and kind not in GRADED_TYPES:
                continue
            try:
                child = container.runtime.get_block(child_id)
            except Exception:  # noqa: BLE001 - a block the runtime cannot load must not hide the others
                log.warning("Decent Work profile: block %s could not be loaded; left out", child_id, exc_info=True)
                continue
            if child is None or _hidden(child):
                continue
            if kind in CONTAINER_TYPES:
                visit(child, depth + 1)
            elif callable(getattr(child, "possible_by_dimension", None)):
                possible = child.possible_by_dimension() or {}
                found.append(
                    (platform.usage_id(child), tuple(sorted((d, float(p)) for d, p in possible.items())))
                )

    visit(root, 0)
    return found


def _cache():
    from django.core.cache import cache

    return cache


def find(block, scope: str) -> ScopeIndex:
    """The graded blocks in ``block``'s scope (cached per published course version in Open edX)."""
    scope = scope if scope in SCOPES else DEFAULT_SCOPE
    version = platform.content_version(block)
    cache_key = None
    if version:
        raw = f"{platform.course_id(block)}|{version}|{platform.usage_id(block)}|{scope}"
        cache_key = CACHE_PREFIX + hashlib.sha1(raw.encode("utf-8")).hexdigest()
        cached = _cache().get(cache_key)
        if isinstance(cached, ScopeIndex):
            return cached
    root = scope_root(block, scope)
    result = ScopeIndex(
        scope=scope,
        root_id=platform.usage_id(root),
        root_name=str(getattr(root, "display_name", "") or ""),
        blocks=tuple(_ordered_walk(root)),
    )
    if cache_key:
        _cache().set(cache_key, result, CACHE_SECONDS)
    return result
