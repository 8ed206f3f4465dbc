"""The benchmark cases. Each returns rows ``{name, figure, target, ok}``."""

from __future__ import annotations

import random
import time
import tracemalloc
from datetime import timedelta

from django.db import connection, reset_queries
from django.utils import timezone

from .common import PAGE_ROUNDS, ROUNDS, StatementLog, median_ms as _median_ms, row as _row, statements as _statements
from .items import items_cases, pooled_cases, whole_test_cases
from .agreement import agreement_cases
from .peer import analyze, flow_cases, peer_cases


# --- quiz -------------------------------------------------------------------------------------

def _quiz_xml(count: int) -> str:
    kinds = ["single", "multiple", "truefalse", "numeric", "text"]
    parts = ['<sse_quiz display_name="Bench" multiple_scoring="partial">']
    for i in range(count):
        kind = kinds[i % len(kinds)]
        if kind == "single":
            parts.append(f'<question id="q{i}" type="single"><prompt>P{i}</prompt>'
                         '<choice id="a" correct="true">A</choice><choice id="b">B</choice>'
                         '<choice id="c">C</choice><explanation>E</explanation></question>')
        elif kind == "multiple":
            parts.append(f'<question id="q{i}" type="multiple"><prompt>P{i}</prompt>'
                         '<choice id="a" correct="true">A</choice><choice id="b" correct="true">B</choice>'
                         '<choice id="c">C</choice><choice id="d">D</choice></question>')
        elif kind == "truefalse":
            parts.append(f'<question id="q{i}" type="truefalse" answer="true"><prompt>P{i}</prompt></question>')
        elif kind == "numeric":
            parts.append(f'<question id="q{i}" type="numeric" answer="1895" tolerance="0.5"><prompt>P{i}</prompt></question>')
        else:
            parts.append(f'<question id="q{i}" type="text"><prompt>P{i}</prompt>'
                         '<answer>Mondragon</answer><answer>Mondragón</answer></question>')
    parts.append("</sse_quiz>")
    return "".join(parts)


def _answers(question_list, rng) -> dict:
    answers = {}
    for q in question_list:
        if q.type == "single":
            answers[q.id] = rng.choice(["a", "b", "c"])
        elif q.type == "multiple":
            answers[q.id] = rng.sample(["a", "b", "c", "d"], rng.randint(0, 4))
        elif q.type == "truefalse":
            answers[q.id] = rng.random() < 0.5
        elif q.type == "numeric":
            answers[q.id] = rng.choice([1895.0, 1900.0])
        else:
            answers[q.id] = rng.choice(["  MONDRAGÓN ", "Fagor"])
    return answers


def quiz_cases() -> list[dict]:
    from sse_academy_xblock import olx
    from sse_academy_xblock.quiz import grading
    from sse_academy_xblock.quiz.olx import parse_quiz
    from sse_academy_xblock.quiz.answers import validate_answers

    xml = _quiz_xml(50)
    parse_ms = _median_ms(lambda: parse_quiz(olx.parse_string(xml)), rounds=50)
    _settings, questions = parse_quiz(olx.parse_string(xml))
    rng = random.Random(7)
    answer_sets = [_answers(questions, rng) for _ in range(ROUNDS)]
    raw_sets = [{k: v for k, v in a.items()} for a in answer_sets]
    it = iter(range(10**9))

    def grade_one():
        answers = answer_sets[next(it) % ROUNDS]
        grading.grade_quiz(questions, answers, "partial", "employment")

    grade_ms = _median_ms(grade_one)

    def validate_one():
        validate_answers(questions, raw_sets[next(it) % ROUNDS], lambda s: s)

    validate_ms = _median_ms(validate_one)
    tracemalloc.start()
    grading.grade_quiz(questions, answer_sets[0], "partial", "employment")
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return [
        _row("quiz: parse a 50-question OLX quiz", parse_ms, 25.0, "ms"),
        _row("quiz: validate one submission (50 questions)", validate_ms, 5.0, "ms"),
        _row("quiz: grade one submission (50 questions)", grade_ms, 5.0, "ms"),
        _row("quiz: memory to grade one submission", peak / 1024, 512.0, "KiB", "{:.0f}"),
    ]


# --- quiz staff panel ---------------------------------------------------------------------------

QUIZ_PAGE_MS = 25.0


def quiz_staff_cases(sizes: list[int]) -> list[dict]:
    """The quiz staff panel's middle page (50 learners, keyset) as the roster grows."""
    from sse_academy_xblock.quiz import roster
    from sse_academy_xblock.quiz.models import QuizRoster

    rows, medians = [], {}
    for size in sizes:
        usage = f"bench-quiz-staff-{size}"
        start = timezone.now() - timedelta(days=30)
        QuizRoster.objects.bulk_create([
            QuizRoster(anonymous_user_id=f"l{i}", course_id="course-v1:SSE+Bench+1", usage_id=usage, submits=1,
                       attempts=1, earned=3, possible=5, last_submitted=start + timedelta(seconds=i))
            for i in range(size)
        ], batch_size=5000)
        analyze(QuizRoster)
        middle = roster.staff_page(usage, per_page=1, after=(start + timedelta(seconds=size // 2), 10**12)).rows[0]
        cursor = (middle.last_submitted, middle.pk)
        reset_queries()
        with StatementLog(connection) as ctx:
            medians[size] = _median_ms(lambda: roster.staff_page(usage, after=cursor), rounds=PAGE_ROUNDS)
        rows.append(_row(f"quiz: staff panel page (50 learners), {size:,}", medians[size], QUIZ_PAGE_MS, "ms"))
        rows.append(_row(f"quiz: statements per staff panel page, {size:,}", _statements(ctx) / PAGE_ROUNDS, 1, "", "{:.0f}"))
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        rows.append(_row(f"quiz: staff panel time growth {small:,} -> {large:,} (x)",
                         medians[large] / medians[small], 1.5, "x"))
    return rows + whole_test_cases(sizes) + pooled_cases(sizes)


# --- profile --------------------------------------------------------------------------------

COHORT_PAGE_MS = 25.0


def cohort_cases(sizes: list[int]) -> list[dict]:
    """The staff cohort table of a profile: a page in the middle of the cohort (keyset on learner id)
    over the two graded blocks of a scope costs two statements and the same time at any size."""
    from sse_academy_xblock.dimensions import DIMENSION_IDS
    from sse_academy_xblock.profile import cohort, cohort_store
    from sse_academy_xblock.profile.models import DimensionScore

    rows, medians, staff = [], {}, {}
    possible = {d: 10.0 for d in DIMENSION_IDS}
    for size in sizes:
        usage_ids = [f"bench-quiz-{size}", f"bench-case-{size}"]
        DimensionScore.objects.bulk_create(
            [
                DimensionScore(anonymous_user_id=f"l{i:07d}", course_id="course-v1:SSE+Bench+1", usage_id=u,
                               dimension=d, earned=5, possible=10)
                for i in range(size) for u in usage_ids for d in DIMENSION_IDS[:2]
            ],
            batch_size=5000,
        )
        analyze(DimensionScore)
        cursor = f"l{size // 2:07d}"
        assert len(cohort.page(usage_ids, possible, after=cursor).rows) == cohort.PAGE_SIZE
        reset_queries()
        with StatementLog(connection) as ctx:
            medians[size] = _median_ms(lambda: cohort.page(usage_ids, possible, after=cursor), rounds=PAGE_ROUNDS)
        rows.append(_row(f"profile: cohort page (25 learners), {size:,} learners", medians[size], COHORT_PAGE_MS,
                         "ms"))
        rows.append(_row(f"profile: SQL statements per cohort page, {size:,} learners",
                         _statements(ctx) / PAGE_ROUNDS, 2, "", "{:.0f}"))
        # The staff page beyond one page of learners: the page and the kept figures (learner count).
        keys = (cohort_store.scope_key("bench", f"cohort-{size}"), cohort_store.profile_key("bench", f"p-{size}", "course"))
        cohort_store.build(cohort_store.register("course-v1:SSE+Bench+1", *keys, usage_ids, possible), grace=0)

        def staff_page():
            cohort.page(usage_ids, possible, after=cursor)
            return cohort_store.read(*keys).figures

        assert staff_page().learners == size
        reset_queries()
        with StatementLog(connection) as ctx:
            staff[size] = _median_ms(staff_page, rounds=PAGE_ROUNDS)
        rows.append(_row(f"profile: staff cohort page with the kept figures, {size:,} learners", staff[size],
                         COHORT_PAGE_MS, "ms"))
        rows.append(_row(f"profile: SQL statements per staff cohort page, {size:,} learners",
                         _statements(ctx) / PAGE_ROUNDS, 3, "", "{:.0f}"))
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        rows.append(_row(f"profile: cohort page time growth {small:,} -> {large:,} (x)",
                         medians[large] / medians[small], 1.5, "x"))
        rows.append(_row(f"profile: staff cohort page time growth {small:,} -> {large:,} (x)",
                         staff[large] / staff[small], 1.5, "x"))
    return rows


PROFILE_UNITS = 100
WRITE_MS = 2.0


def _write_rows(size: int, graded: list[str], index) -> list[dict]:
    """What the kept counts add to a score write in the 100-block scope: statements and time, against the
    same write without them (the rows' upsert and removal alone)."""
    from unittest import mock

    from django.db import transaction

    from sse_academy_xblock.dimensions import DIMENSION_IDS
    from sse_academy_xblock.profile import cohort_store, scores

    dims = dict(index.blocks)
    usage_id = graded[len(graded) // 2]
    dim, points = next(iter(dict(dims[usage_id]).items()))
    learner = f"learner_{size // 2}"
    turn = [0]

    def write():
        turn[0] += 1
        scores.record(learner, "bench", usage_id, {dim: {"earned": (turn[0] % 5) * points / 4, "possible": points}})

    def rows_only(_anonymous_user_id, _usage_id, change):
        # Without the counts nothing says which dimensions the rows hold: the write removes any other
        # dimension (the removal's search), as it did before the counts were kept.
        with transaction.atomic():  # one transaction, as with the counts: the same commits on both sides
            change(frozenset(DIMENSION_IDS))

    write()
    with mock.patch.object(cohort_store, "change", rows_only):
        reset_queries()
        with StatementLog(connection) as ctx:
            before_ms = _median_ms(write, rounds=PAGE_ROUNDS)
        before = _statements(ctx) / PAGE_ROUNDS
    reset_queries()
    with StatementLog(connection) as ctx:
        after_ms = _median_ms(write, rounds=PAGE_ROUNDS)
    after = _statements(ctx) / PAGE_ROUNDS
    return [
        _row(f"profile: score write with the kept counts, {size:,} learners", after_ms, 25.0, "ms"),
        _row(f"profile: time the kept counts add to a score write, {size:,} learners", after_ms - before_ms,
             WRITE_MS, "ms"),
        _row(f"profile: statements the kept counts add to a score write, {size:,} learners", after - before, 2,
             "", "{:.1f}"),
    ]
PROFILE_SECTIONS = 10
SCORES_PER_LEARNER = 10


def _profile_course_xml(units: int = PROFILE_UNITS, sections: int = PROFILE_SECTIONS) -> str:
    """A course of ``units`` units in ``sections`` sections; each unit holds a text and a quiz (every
    fourth a case study instead), then a course-scope profile in the last unit."""
    per_section = units // sections
    parts = ["<vertical_demo>"]
    for s in range(sections):
        parts.append("<vertical_demo>")
        for u in range(per_section):
            n = s * per_section + u
            parts.append("<vertical_demo><html_demo><p>Reading.</p></html_demo>")
            if n % 4 == 3:
                parts.append(
                    f'<sse_case_study display_name="Case {n}" dimension="social_dialogue"><case><p>Case.</p></case>'
                    '<prompt><p>Analyse.</p></prompt><rubric><criterion name="a" label="Analysis">'
                    '<option points="0" label="None">None.</option><option points="4" label="Good">Good.</option>'
                    "</criterion></rubric></sse_case_study>"
                )
            else:
                dim = ("employment", "social_protection", "rights_at_work")[n % 3]
                parts.append(
                    f'<sse_quiz display_name="Quiz {n}" dimension="{dim}">'
                    f'<question id="q1" type="truefalse" answer="true" points="2"><prompt>P{n}</prompt></question>'
                    "</sse_quiz>"
                )
            parts.append("</vertical_demo>")
        parts.append("</vertical_demo>")
    parts.append('<sse_profile display_name="Course profile" scope="course"/></vertical_demo>')
    return "".join(parts)


def profile_cases(sizes: list[int]) -> list[dict]:
    """The learner's profile in a 100-unit course: its render cost must not grow with the cohort.

    The workbench has no published version, so every render walks the course (100 units); Open edX
    caches the walk per published version ("cached scope" rows). The cohort's figures are kept as scores
    change and read in one statement; counting a scope anew (after a publish, in the background) and the
    cost the counts add to a score write are measured on their own.
    """
    from django.core.cache import cache
    from workbench.runtime import ID_MANAGER, WorkbenchRuntime

    from sse_academy_xblock.profile import cohort, cohort_store
    from sse_academy_xblock.profile.models import CohortScope, DimensionScore

    ID_MANAGER.set_scenario("bench-profile")
    runtime = WorkbenchRuntime("learner_0")
    root = runtime.get_block(runtime.parse_xml_string(_profile_course_xml()))
    profile = runtime.get_block(root.children[-1])
    index = profile.scope_index()
    graded = index.usage_ids
    rows = [_row("profile: graded blocks found in the 100-unit course", len(graded), PROFILE_UNITS, "", "{:.0f}")]
    table = DimensionScore._meta.db_table
    possible = index.possible
    rng = random.Random(7)
    render_ms: dict[int, float] = {}
    statements: dict[int, int] = {}
    loaded = 0
    cohort_sizes = sorted({10, *sizes})
    for size in cohort_sizes:
        batch = []
        for i in range(loaded, size):
            for usage_id in rng.sample(graded, SCORES_PER_LEARNER):
                dims = dict(dict(index.blocks)[usage_id])
                dim, points = next(iter(dims.items()))
                batch.append(DimensionScore(anonymous_user_id=f"learner_{i}", course_id="bench", usage_id=usage_id,
                                            dimension=dim, earned=rng.uniform(0, points), possible=points))
        DimensionScore.objects.bulk_create(batch, batch_size=5000)
        analyze(DimensionScore)  # fresh statistics after a bulk load, as the server's auto-analyze keeps them
        loaded = size
        cache.clear()
        # The rows were loaded in bulk, past the score writes: count the scope again, as after a publish
        # (outside any request: the thread or ``sse_cohort_build``).
        cohort_store.forget_scopes(list(CohortScope.objects.values_list("pk", flat=True)))
        build_ms = _median_ms(lambda: profile.cohort_figures(index), rounds=1)
        rows.append(_row(f"profile: scope counted in the background, {size:,} learners (after a publish)",
                         build_ms, 3000.0, "ms"))
        assert profile.cohort_figures(index) == cohort.figures(graded, possible)
        rows.extend(_write_rows(size, graded, index))
        profile.course_version = None  # the workbench: every render walks the course
        walk_ms = _median_ms(lambda: profile.render("student_view", {}), rounds=3)
        rows.append(_row(f"profile: learner render (workbench walk), {size:,} learners", walk_ms, 4000.0, "ms"))
        profile.course_version = "bench-published-version"  # Open edX: the walk is cached per version
        profile.render("student_view", {})
        render_ms[size] = _median_ms(lambda: profile.render("student_view", {}), rounds=PAGE_ROUNDS)
        rows.append(_row(f"profile: learner render (scope cached), {size:,} learners", render_ms[size], 25.0, "ms"))
        reset_queries()
        with StatementLog(connection) as ctx:
            profile.render("student_view", {})
        statements[size] = _statements(ctx)
        rows.append(_row(f"profile: score-table queries per render, {size:,} learners",
                         sum(1 for q in ctx.captured_queries if table in q["sql"]), 1, "", "{:.0f}"))
    small, large = min(cohort_sizes), max(cohort_sizes)
    rows.append(_row(f"profile: SQL statements per render, {large:,} learners", statements[large], 3, "", "{:.0f}"))
    base = min(sizes)  # the time growth over the sizes asked for (10 learners only warm the course up)
    rows.append(_row(f"profile: statement growth {small:,} -> {large:,} learners",
                     statements[large] - statements[small], 0, "", "{:.0f}"))
    rows.append(_row(f"profile: render time growth {base:,} -> {large:,} learners (x)",
                     render_ms[large] / render_ms[base], 1.5, "x"))
    return rows


GROUPS = {
    "quiz": lambda sizes: quiz_cases(),
    "peer": peer_cases,
    "flow": flow_cases,
    "quiz_staff": quiz_staff_cases,
    "cohort": cohort_cases,
    "profile": profile_cases,
    "items": items_cases,
    "agreement": agreement_cases,
}


def run_all(sizes: list[int], only: list[str] | None = None) -> list[dict]:
    rows = []
    for name, run in GROUPS.items():
        if not only or name in only:
            rows.extend(run(sizes))
    return rows
