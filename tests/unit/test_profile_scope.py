"""The profile's scope walk against an Open edX-shaped course, without a runtime.

Contract (read from the platform): in the LMS, children are usage keys that carry their
``block_type`` (opaque-keys' BlockUsageLocator), ``get_parent()`` follows the ``parent`` the
modulestore sets (XBlock's xblock/core.py), the course's outline is course > chapter > sequential >
vertical > component, and openedx-platform's xmodule/modulestore/split_mongo/caching_descriptor_system.py
sets ``course_version`` on every block it loads. The fakes below have exactly those attributes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from sse_academy_xblock.profile import scope


@dataclass(frozen=True)
class Key:
    block_type: str
    block_id: str

    def __str__(self):
        return f"block-v1:ILO+SSE101+2026+type@{self.block_type}+block@{self.block_id}"


@dataclass
class ScopeIds:
    usage_id: Key

    @property
    def block_type(self):
        return self.usage_id.block_type


class Runtime:
    def __init__(self):
        self.blocks: dict[Key, "Block"] = {}
        self.loaded: list[str] = []

    def get_block(self, key):
        self.loaded.append(key.block_type)
        return self.blocks[key]

    def service(self, block, name):
        return None


@dataclass(eq=False)
class Block:
    runtime: Runtime
    key: Key
    children: list = field(default_factory=list)
    parent: Key | None = None
    possible: dict | None = None
    visible_to_staff_only: bool = False
    course_version: str = "5f0c0ffee"
    display_name: str = ""

    @property
    def scope_ids(self):
        return ScopeIds(self.key)

    def get_parent(self):
        return self.runtime.blocks[self.parent] if self.parent else None

    def possible_by_dimension(self):
        return self.possible


def build_course():
    """Two chapters: chapter 1 has a quiz and a hidden case study, chapter 2 a case study; each unit
    also holds an html and a problem, which the walk must never load."""
    rt = Runtime()

    def add(kind, name, parent=None, **kwargs):
        key = Key(kind, name)
        rt.blocks[key] = Block(rt, key, parent=parent.key if parent else None, **kwargs)
        if parent:
            parent.children.append(key)
        return rt.blocks[key]

    course = add("course", "2026")
    for c in (1, 2):
        chapter = add("chapter", f"ch{c}", course)
        seq = add("sequential", f"seq{c}", chapter)
        unit = add("vertical", f"unit{c}", seq)
        add("html", f"text{c}", unit)
        add("problem", f"problem{c}", unit)
        if c == 1:
            add("sse_quiz", "quiz1", unit, possible={"employment": 4})
            add("sse_case_study", "hidden", unit, possible={"employment": 50}, visible_to_staff_only=True)
        else:
            add("sse_case_study", "case2", unit, possible={"social_dialogue": 6})
        add("sse_profile", f"profile{c}", unit)
    return rt


@pytest.fixture(autouse=True)
def no_cache(monkeypatch):
    store = {}

    class Cache:
        def get(self, key):
            return store.get(key)

        def set(self, key, value, timeout):
            store[key] = value

    monkeypatch.setattr(scope, "_cache", lambda: Cache())
    return store


def test_course_and_section_scopes_in_an_open_edx_outline():
    rt = build_course()
    profile = rt.blocks[Key("sse_profile", "profile1")]
    course = scope.find(profile, "course")
    assert [u.split("@")[-1] for u in course.usage_ids] == ["quiz1", "case2"]
    assert course.possible["employment"] == 4 and course.possible["social_dialogue"] == 6
    section = scope.find(profile, "section")
    assert section.root_id.endswith("block@ch1")
    assert [u.split("@")[-1] for u in section.usage_ids] == ["quiz1"]
    assert "html" not in rt.loaded and "problem" not in rt.loaded


def test_the_walk_is_cached_per_published_version(no_cache):
    rt = build_course()
    profile = rt.blocks[Key("sse_profile", "profile2")]
    scope.find(profile, "course")
    walked = len(rt.loaded)
    scope.find(profile, "course")
    assert len(rt.loaded) == walked  # served from the cache: nothing loaded
    for block in rt.blocks.values():
        block.course_version = "newly-published"
    scope.find(profile, "course")
    assert len(rt.loaded) > walked
