"""Each learner's Decent Work profile counts the blocks that learner may see now, whoever rendered first.

Platform code followed (openedx/openedx-platform, the stored versions read):

* xmodule/x_module.py at 68a5285b1defe164711815c28decebada10d6edb, ``ModuleStoreRuntime.get_block``:
  ``load_item`` (the published content, the same for everyone; the split modulestore's
  ``CachingDescriptorSystem._load_item``), then ``get_block_for_descriptor``.
* lms/djangoapps/courseware/block_render.py at 5af5f01fa9480258a5001852cd7498fe3e4cd2fb,
  ``get_block_for_descriptor`` (through the runtime's ``inner_get_block`` set by
  ``prepare_runtime_for_user``): binds the block to the learner, runs
  ``has_access(user, 'load', block, course_key)`` and returns None when it is refused, or the block
  with ``has_access_error`` set when the caller will check access again (``will_recheck_access``: the
  Learning MFE's unit view asks ``recheck_access=1``) and the refusal carries a message. No check at
  all for a user marked ``known = False`` (``handle_xblock_callback_noauth``). ``get_block_by_usage_id``
  and ``load_single_xblock`` turn a None into Http404.
* lms/djangoapps/courseware/access.py at 4d22797209228ef2a9eb5110c0f1dd880a5f8b0a, ``_has_access_to_block``:
  ``_has_group_access`` on the merged ``group_access`` (cohorts, enrollment tracks, content-type gating),
  granted to course staff and instructors; then staff may load anything; otherwise
  ``visible_to_staff_only`` and ``check_start_date``.
* openedx/features/content_type_gating/partitions.py at e57a655d77b614f19223984e9805b1fb940ab192,
  ``ContentTypeGatingPartition.access_denied_message``: the gating partition's refusal has a message
  ("Graded assessments are available to Verified Track learners.") for audit learners when the course has
  a verified mode.

Not replayed: ``visible_to_staff_only`` and beta testers' days early (no test here sets them).

:class:`LMSRuntime` is the workbench's runtime with those two loaders; :class:`GetBlockOnlyRuntime`
refuses the same way but has no ``load_item``, as a runtime that offers only ``get_block``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from workbench.runtime import WorkbenchRuntime

from factories import olx
from sse_academy_xblock.blocks.mixins import SIGN_IN_MESSAGE
from sse_academy_xblock.blocks.profile import SSEProfileBlock
from sse_academy_xblock.profile import scope as profile_scope
from sse_academy_xblock.profile.models import DimensionScore

COHORT_QUIZ = """<sse_quiz display_name="{name}" dimension="social_dialogue" max_attempts="0">
    <question id="c1" type="truefalse" answer="true" points="{points}"><prompt>{name}?</prompt></question>
  </sse_quiz>"""
PROTECTION = """<sse_quiz display_name="Protection quiz" dimension="social_protection" max_attempts="0">
    <question id="p1" type="numeric" answer="1952" points="3"><prompt>Year of C102?</prompt></question>
  </sse_quiz>"""
# Section one: a quiz for everyone, one for cohort A (2 points), one for cohort B (5 points).
# Section two: released at a date. The course profile at the end.
COURSE = f"""<vertical_demo>
  <vertical_demo>
    {olx("quiz_jobs")}
    {COHORT_QUIZ.format(name="Cohort A quiz", points=2)}
    {COHORT_QUIZ.format(name="Cohort B quiz", points=5)}
  </vertical_demo>
  <vertical_demo>{PROTECTION}</vertical_demo>
  <sse_profile display_name="Course profile"/>
</vertical_demo>"""
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


class Refused(Exception):
    """What a runtime that refuses by raising raises."""


@dataclass
class Access:
    """What ``has_access(user, 'load', block)`` decides in this course, per learner and block."""

    cohorts: dict[str, str] = field(default_factory=dict)  # learner -> cohort
    group_access: dict[str, str] = field(default_factory=dict)  # usage id -> the cohort it is for
    starts: dict[str, datetime] = field(default_factory=dict)  # usage id -> start (inherited from the section)
    gated: set[str] = field(default_factory=set)  # graded blocks behind content-type gating
    audit: set[str] = field(default_factory=set)  # audit learners
    raising: set[str] = field(default_factory=set)  # learners the runtime refuses by raising
    staff: set[str] = field(default_factory=lambda: {"staff"})
    now: datetime = NOW
    recheck: bool = True  # the caller will check access again (``will_recheck_access``)

    def load(self, user: str, block):
        """The block as ``get_block`` returns it to ``user``: itself, None, or with ``has_access_error``."""
        usage_id = str(block.scope_ids.usage_id)
        if user in self.staff:
            return block  # group access granted to staff; start dates and staff-only waived
        if user in self.raising and usage_id in self.gated | set(self.group_access) | set(self.starts):
            raise Refused(usage_id)
        group = self.group_access.get(usage_id)
        if group is not None and self.cohorts.get(user) != group:
            return None
        start = self.starts.get(usage_id)
        if start is not None and self.now < start:
            return None
        if usage_id in self.gated and user in self.audit:
            if not self.recheck:
                return None
            block.has_access_error = True  # will_recheck_access and a refusal with a message
        return block


class LMSRuntime(WorkbenchRuntime):
    """``ModuleStoreRuntime``'s loaders on the workbench: ``load_item`` for everyone, ``get_block`` per learner."""

    def __init__(self, user, access: Access):
        super().__init__(user)
        self.access = access
        self.calls: Counter = Counter()

    def load_item(self, usage_id, for_parent=None):
        self.calls["load_item"] += 1
        return WorkbenchRuntime.get_block(self, usage_id, for_parent=for_parent)

    def get_block(self, usage_id, for_parent=None):
        self.calls["get_block"] += 1
        return self.access.load(self.user_id, WorkbenchRuntime.get_block(self, usage_id, for_parent=for_parent))


class GetBlockOnlyRuntime(LMSRuntime):
    """The same refusals from a runtime that has no ``load_item``."""

    load_item = None


class World:
    def __init__(self, make_block, access: Access):
        self.access = access
        root = make_block(COURSE, user="staff")
        rt = root.runtime
        one, two, profile = root.children
        first = rt.get_block(one).children
        self.ids = {"jobs": first[0], "cohort_a": first[1], "cohort_b": first[2], "section_two": two,
                    "protection": rt.get_block(two).children[0], "profile": profile}
        access.group_access.update({str(self.ids["cohort_a"]): "A", str(self.ids["cohort_b"]): "B"})
        self.start = NOW + timedelta(days=7)
        access.starts.update({str(self.ids["section_two"]): self.start, str(self.ids["protection"]): self.start})

    def profile(self, user, runtime_class=LMSRuntime):
        """The course profile as one new request of ``user`` gets it."""
        runtime = runtime_class(user, self.access)
        block = runtime.get_block(self.ids["profile"])
        runtime.calls.clear()
        return block

    def submit(self, call, user, name, answers):
        quiz = WorkbenchRuntime(user).get_block(self.ids[name])
        status, reply = call(quiz, "submit", {"answers": answers, "attempt": 1})
        assert status == 200, reply


def lines(block) -> dict:
    profile = block.learner_profile(block.learner_scope().visible)
    return {line.dimension: (line.earned, line.possible, line.attempted) for line in profile.lines}


def possible(block) -> dict:
    return {dim: points for dim, (_earned, points, _attempted) in lines(block).items()}


@pytest.fixture(autouse=True)
def published(monkeypatch):
    """Every block carries the course's published version, as the split modulestore sets it."""
    cache.clear()
    monkeypatch.setattr(SSEProfileBlock, "course_version", "published-1", raising=False)
    yield
    cache.clear()


@pytest.fixture
def access():
    return Access(cohorts={"amina": "A", "bruno": "B", "carla": "A"}, now=NOW + timedelta(days=30))


RUNTIMES = [LMSRuntime, GetBlockOnlyRuntime]


@pytest.mark.parametrize("runtime_class", RUNTIMES, ids=["lms", "get-block-only"])
@pytest.mark.parametrize("first", ["amina", "bruno", "staff"])
def test_each_cohort_counts_its_own_quiz_whoever_rendered_first(make_block, access, runtime_class, first):
    world = World(make_block, access)
    world.profile(first, runtime_class).render("student_view", {})
    amina = possible(world.profile("amina", runtime_class))
    bruno = possible(world.profile("bruno", runtime_class))
    staff = possible(world.profile("staff", runtime_class))
    assert amina == {"employment": 2.0, "social_protection": 3.0, "social_dialogue": 2.0, "rights_at_work": 1.0}
    assert bruno == {**amina, "social_dialogue": 5.0}
    assert staff == {**amina, "social_dialogue": 7.0}  # staff see every group's content
    html = world.profile("bruno", runtime_class).render("student_view", {}).body_html()
    assert "0 of 5 points: not started" in html and "0 of 7 points" not in html


def test_the_structure_is_walked_once_and_cached_for_everyone(make_block, access, monkeypatch):
    world = World(make_block, access)
    walks = []
    original = profile_scope._ordered_walk
    monkeypatch.setattr(profile_scope, "_ordered_walk", lambda root, walk: walks.append(1) or original(root, walk))
    for user in ("amina", "bruno", "staff", "amina"):
        world.profile(user).render("student_view", {})
    assert len(walks) == 1


def test_a_section_counts_once_its_start_date_passes_with_nothing_to_refresh(make_block, access, monkeypatch):
    access.now = NOW
    world = World(make_block, access)
    staff = world.profile("staff")
    assert possible(staff)["social_protection"] == 3.0  # staff see the unreleased section...
    amina = world.profile("amina")
    assert possible(amina)["social_protection"] == 0.0  # ...learners do not, though staff rendered first
    assert "No points in this course" in amina.render("student_view", {}).body_html()
    access.now = world.start + timedelta(minutes=1)
    walks = []
    original = profile_scope._ordered_walk
    monkeypatch.setattr(profile_scope, "_ordered_walk", lambda root, walk: walks.append(1) or original(root, walk))
    later = world.profile("amina")
    assert possible(later)["social_protection"] == 3.0
    assert "0 of 3 points: not started" in later.render("student_view", {}).body_html()
    assert walks == []  # the cached structure was right all along


@pytest.mark.parametrize("recheck", [True, False], ids=["block-with-access-error", "none"])
def test_an_audit_learner_does_not_count_gated_graded_blocks(make_block, access, recheck):
    access.audit.add("carla")
    access.recheck = recheck
    world = World(make_block, access)
    access.gated.add(str(world.ids["jobs"]))
    world.profile("carla").render("student_view", {})
    assert possible(world.profile("carla"))["employment"] == 0.0
    assert possible(world.profile("amina"))["employment"] == 2.0  # same cohort, verified


@pytest.mark.parametrize("runtime_class", RUNTIMES, ids=["lms", "get-block-only"])
def test_a_runtime_that_refuses_by_raising_hides_the_block_from_that_learner_only(make_block, access, runtime_class):
    access.raising.add("amina")
    world = World(make_block, access)
    html = world.profile("amina", runtime_class).render("student_view", {}).body_html()
    assert "No points in this course" in html  # social dialogue: her cohort's quiz refused by raising
    assert possible(world.profile("amina", runtime_class))["social_dialogue"] == 0.0
    assert possible(world.profile("carla", runtime_class))["social_dialogue"] == 2.0


def test_points_on_a_block_the_learner_no_longer_sees_are_not_counted(make_block, access, call):
    world = World(make_block, access)
    world.submit(call, "amina", "cohort_a", {"c1": "true"})
    world.submit(call, "amina", "jobs", {"j1": "true", "j2": "false"})
    assert lines(world.profile("amina"))["social_dialogue"] == (2.0, 2.0, True)
    access.cohorts["amina"] = "B"  # moved to cohort B
    after = lines(world.profile("amina"))
    assert after["social_dialogue"] == (0.0, 5.0, False)
    assert after["employment"] == (2.0, 2.0, True)


def test_a_render_asks_the_runtime_once_per_graded_block(make_block, access, call):
    """The cost of a learner's render: once the structure is cached, one ``get_block`` per graded
    block of the scope (the platform's access check for that learner) and nothing else loaded; the
    first render also loads each container and graded block once as authored (``load_item``)."""
    world = World(make_block, access)
    world.submit(call, "amina", "jobs", {"j1": "true", "j2": "true"})
    graded = 4
    first = world.profile("amina")
    first.render("student_view", {})
    # The course root (the profile's parent), two sections, four graded blocks.
    assert first.runtime.calls == Counter({"load_item": 1 + 2 + graded, "get_block": graded})
    again = world.profile("amina")
    with CaptureQueriesContext(connection) as captured:
        again.render("student_view", {})
    assert again.runtime.calls == Counter({"get_block": graded})
    assert len([q for q in captured.captured_queries if DimensionScore._meta.db_table in q["sql"]]) == 1


def test_without_load_item_a_walk_the_learner_was_refused_in_is_not_kept_for_others(make_block, access):
    world = World(make_block, access)
    amina = world.profile("amina", GetBlockOnlyRuntime)
    amina.render("student_view", {})
    # Walked through get_block as amina: each block loaded once, her answers reused for her figures.
    assert amina.runtime.calls == Counter({"get_block": 1 + 2 + 4})
    assert possible(world.profile("staff", GetBlockOnlyRuntime))["social_dialogue"] == 7.0
    again = world.profile("amina", GetBlockOnlyRuntime)
    again.render("student_view", {})
    assert again.runtime.calls == Counter({"get_block": 4})  # the staff's complete walk was kept


def signed_in_through_handler_noauth(block, user):
    """``handle_xblock_callback_noauth`` marks the request's user ``known = False``; the user service
    (``DjangoXBlockUserService``) keeps that user, signed in or not."""
    block.runtime.service(block, "user")._django_user = SimpleNamespace(id=user, known=False)
    return block


@pytest.mark.parametrize("caller", ["anonymous", "signed-in learner through handler_noauth",
                                    "signed-in staff through handler_noauth"])
def test_a_caller_without_a_checked_learner_gets_no_learner_figures_and_no_cohort_data(make_block, access, call,
                                                                                        caller):
    world = World(make_block, access)
    for number in range(6):
        world.submit(call, f"learner_{number}", "jobs", {"j1": "true", "j2": "false"})
    assert "Cohort median: 100%" in world.profile("learner_0").render("student_view", {}).body_html()
    if caller == "anonymous":
        block = world.profile(None)
    else:
        block = signed_in_through_handler_noauth(world.profile(caller.split()[1]), caller.split()[1])
    with CaptureQueriesContext(connection) as captured:
        html = block.render("student_view", {}).body_html()
        status, reply = call(block, "refresh", {})
    body = re.search(r'<div class="sse-profile-body">(.*?)</div>', html, re.S).group(1)
    shown = [body]
    if caller == "anonymous":  # no handler answers a caller who is not signed in (json_api)
        assert status == 403 and reply["error"] == SIGN_IN_MESSAGE
    else:
        assert status == 200
        shown.append(reply["html"])
    for text in shown:
        assert text.strip() == '<p class="sse-profile-empty">Sign in to see your Decent Work profile.</p>'
    assert "staff only" not in html
    assert block.runtime.calls == Counter()  # nothing walked, no block asked for
    assert not [q for q in captured.captured_queries if DimensionScore._meta.db_table in q["sql"]]


def test_the_cohort_median_is_scope_wide_and_shown_where_the_learner_sees_the_same_points(make_block, access, call):
    """Medians count every learner's points on every graded block of the scope, as a percentage of all
    the points the scope offers; on a dimension where a learner may see only part of those points
    (here social dialogue: their cohort's quiz of two), no median is set against their percentage."""
    world = World(make_block, access)
    for number in range(6):
        learner = f"learner_{number}"
        access.cohorts[learner] = "A"
        world.submit(call, learner, "jobs", {"j1": "true", "j2": "false"})
        world.submit(call, learner, "cohort_a", {"c1": "true"})
    html = world.profile("learner_0").render("student_view", {}).body_html()
    assert "Cohort median: 100%" in html  # employment: the same 2 points for everyone
    assert "2 of 2 points (100%)" in html
    assert html.count("Cohort median: not shown, as learners here have different activities") == 1
    staff = world.profile("staff").render("student_view", {}).body_html()
    # For staff, who see all 7 points of social dialogue, the median of 2 of 7 (29%) is shown.
    assert "Cohort median: 29%" in staff and "not shown, as learners" not in staff


def test_only_quizzes_that_can_hide_results_are_asked_whether_they_do(make_block, access, monkeypatch):
    """Every graded block is loaded for the learner (their access), but only one whose ``show_correctness`` can
    hold results back (none here) is asked for its dates: the cached structure says which, as authored."""
    from sse_academy_xblock.blocks.quiz import SSEQuizBlock

    world = World(make_block, access)
    asked = []
    original = SSEQuizBlock.results_availability
    monkeypatch.setattr(SSEQuizBlock, "results_availability", lambda self: asked.append(1) or original(self))
    for user in ("amina", "bruno", "amina"):
        world.profile(user).render("student_view", {})
    assert possible(world.profile("amina"))["employment"] == 2.0
    assert asked == []
