"""The profile's cohort figures kept as scores change: after every write, override, reset and retirement
they equal a recount of the score table; a render reads them in one statement; a scope whose composition
changes keeps showing the previous figures, with their "as of", until it is counted outside the request."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from xblock.scorable import Score

from sse_academy_xblock.profile import cohort, cohort_store, scope as profile_scope, scores
from sse_academy_xblock.profile.models import CohortCount, CohortScope
from sse_academy_xblock.signals import retire_anonymous_ids
from test_profile_block import Course, submit

JOBS_RIGHT = {"j1": "true", "j2": "false"}      # 2 of 2 employment, 1 of 1 rights
JOBS_HALF = {"j1": "false", "j2": "false"}      # 0 employment, 1 rights
JOBS_WRONG = {"j1": "false", "j2": "true"}      # nothing


def kept_and_recount(course, name="course"):
    """The figures a render shows for the profile ``name`` and a recount of the table for its scope."""
    block = course.block(name, "staff")
    index = block.scope_index()
    kept = block.cohort_figures(index)
    return kept, cohort.figures(index.usage_ids, index.possible)


def assert_agrees(course):
    for name in ("course", "section_one", "section_two"):
        kept, recount = kept_and_recount(course, name)
        assert kept == recount, name


def test_the_kept_figures_equal_a_recount_after_writes_overrides_resets_and_retirements(make_block, call):
    course = Course(make_block)
    assert_agrees(course)  # every profile's scope registered and counted (empty)
    for number in range(6):
        submit(course, call, f"l{number}", "jobs", [JOBS_RIGHT, JOBS_HALF, JOBS_WRONG][number % 3])
        assert_agrees(course)
    submit(course, call, "l1", "protection", {"p1": "1952"})
    submit(course, call, "l2", "protection", {"p1": "1900"})
    assert_agrees(course)
    status, reply = call(course.block("jobs", "l2"), "submit", {"answers": JOBS_RIGHT, "attempt": 2})
    assert status == 200, reply  # a learner's new attempt moves them up
    assert_agrees(course)
    course.block("jobs", "l3").set_score(Score(1.5, 3.0))  # a staff override, spread over the dimensions
    assert_agrees(course)
    quiz = course.block("jobs", "staff")
    quiz.clear_student_state("l4", "course-v1:SSE+Workbench+local", str(course.ids["jobs"]), "staff")  # reset
    assert_agrees(course)
    retire_anonymous_ids(["l1", "l5"])  # two learners retired: every row and every count of theirs gone
    assert_agrees(course)
    kept, _recount = kept_and_recount(course)
    assert kept.learners == 3  # l0, l2 (protection only) and l3; l4 reset, l1 and l5 retired
    assert scores.for_learner("l1", [str(course.ids["jobs"])]) == []


def test_a_render_reads_the_figures_in_one_statement_and_a_score_write_adds_two(make_block, call):
    course = Course(make_block)
    submit(course, call, "l0", "jobs", JOBS_RIGHT)
    learner = course.block("course", "l0")
    learner.render("student_view", {})  # registers and counts the scope
    with CaptureQueriesContext(connection) as captured:
        html = learner.render("student_view", {}).body_html()
    ours = [q["sql"] for q in captured.captured_queries if "sse_academy_xblock_" in q["sql"]]
    tables = (CohortScope._meta.db_table, CohortCount._meta.db_table)
    assert len([sql for sql in ours if any(t in sql for t in tables)]) == 1
    assert len(ours) <= 3  # the learner's scores, the cohort's figures (the workbench reads its field data apart)
    assert "2 of 2 points (100%)" in html

    usage_id = str(course.ids["protection"])
    breakdown = {"social_protection": {"earned": 3, "possible": 3}}
    with CaptureQueriesContext(connection) as kept:
        scores.record("l9", "course-v1:SSE+Workbench+local", usage_id, breakdown)
    row_writes = [q for q in kept.captured_queries if scores.DimensionScore._meta.db_table in q["sql"]
                  and "cohort" not in q["sql"].lower()]
    assert len(row_writes) == 1  # the rows' upsert; nothing to remove (the read before says which rows exist)
    assert len(kept.captured_queries) == 1 + 3  # the learner's lock, their sums before, the counts' move
    with CaptureQueriesContext(connection) as same:
        scores.record("l9", "course-v1:SSE+Workbench+local", usage_id, breakdown)
    assert len(same.captured_queries) == 1 + 2  # the same score again moves nobody: no count written
    # Without the counts the write would be the upsert and a removal of dimensions no longer scored: the
    # counts add two statements (the lock, and the read that also replaces the removal's search).


def test_a_changed_scope_shows_the_previous_figures_as_of_until_counted_outside_the_request(
        make_block, call, settings, monkeypatch):
    course = Course(make_block)
    for number in range(5):
        submit(course, call, f"l{number}", "jobs", JOBS_RIGHT)
    staff = course.block("course", "staff")
    html = staff.render("student_view", {}).body_html()
    assert "5 learners have points in this scope." in html and " as of " not in html

    # A publish changes the scope's composition; its count is left to the command.
    settings.SSE_PROFILE_COHORT_BUILD = "command"
    before = profile_scope.ScopeIndex.key.fget
    monkeypatch.setattr(profile_scope.ScopeIndex, "key", property(lambda self: before(self) + "|published again"))
    with CaptureQueriesContext(connection) as captured:
        html = course.block("course", "staff").render("student_view", {}).body_html()
    assert not any("GROUP BY" in q["sql"] for q in captured.captured_queries)  # no count in the request
    assert "5 learners had points in this scope as of " in html
    assert "Cohort median: 100%" in course.block("course", "l0").render("student_view", {}).body_html()
    submit(course, call, "l5", "jobs", JOBS_RIGHT)  # still moved in the previous figures meanwhile
    assert "6 learners had points in this scope as of " in course.block("course", "staff").render(
        "student_view", {}).body_html()

    call_command("sse_cohort_build")
    html = course.block("course", "staff").render("student_view", {}).body_html()
    assert "6 learners have points in this scope." in html and " as of " not in html
    index = course.block("course", "staff").scope_index()
    assert list(CohortScope.objects.filter(profile_key=cohort_store.profile_key(
        "course-v1:SSE+Workbench+local", str(course.ids["course"]), "course")).exclude(built=None).values_list("scope_key", flat=True)) == [
        cohort_store.scope_key("course-v1:SSE+Workbench+local", index.key)]  # the previous one forgotten
    kept, recount = kept_and_recount(course)
    assert kept == recount


def test_a_first_scope_not_counted_yet_says_so_and_shows_no_median(make_block, call, settings):
    settings.SSE_PROFILE_COHORT_BUILD = "command"
    course = Course(make_block)
    for number in range(5):
        submit(course, call, f"l{number}", "jobs", JOBS_RIGHT)
    html = course.block("course", "staff").render("student_view", {}).body_html()
    assert "The cohort&#x27;s figures for this content are being counted" in html
    assert "Cohort median:" not in course.block("course", "l0").render("student_view", {}).body_html()
    call_command("sse_cohort_build")
    assert "Cohort median: 100%" in course.block("course", "l0").render("student_view", {}).body_html()


@pytest.mark.parametrize("mode", ["command"])
def test_the_command_counts_nothing_twice(make_block, call, settings, mode, capsys):
    settings.SSE_PROFILE_COHORT_BUILD = mode
    course = Course(make_block)
    submit(course, call, "l0", "jobs", JOBS_RIGHT)
    course.block("course", "l0").render("student_view", {})
    call_command("sse_cohort_build")
    assert "1 scope(s) counted" in capsys.readouterr().out
    call_command("sse_cohort_build")
    assert "0 scope(s) counted" in capsys.readouterr().out
