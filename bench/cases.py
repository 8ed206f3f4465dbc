"""The benchmark cases. Each returns rows ``{name, figure, target, ok}``."""

from __future__ import annotations

import random
import tracemalloc
from datetime import timedelta

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from .common import ROUNDS, median_ms as _median_ms, row as _row, statements as _statements
from .peer import analyze, peer_cases


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
    from sse_academy_xblock.quiz import olx as quiz_olx
    from sse_academy_xblock.quiz import validation

    xml = _quiz_xml(50)
    parse_ms = _median_ms(lambda: quiz_olx.parse_quiz(olx.parse_string(xml)), rounds=50)
    _settings, questions = quiz_olx.parse_quiz(olx.parse_string(xml))
    rng = random.Random(7)
    answer_sets = [_answers(questions, rng) for _ in range(ROUNDS)]
    raw_sets = [{k: v for k, v in a.items()} for a in answer_sets]
    it = iter(range(10**9))

    def grade_one():
        answers = answer_sets[next(it) % ROUNDS]
        grading.grade_quiz(questions, answers, "partial", "employment")

    grade_ms = _median_ms(grade_one)

    def validate_one():
        validation.validate_answers(questions, raw_sets[next(it) % ROUNDS], lambda s: s)

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
        with CaptureQueriesContext(connection) as ctx:
            medians[size] = _median_ms(lambda: roster.staff_page(usage, after=cursor), rounds=20)
        rows.append(_row(f"quiz: staff panel page (50 learners), {size:,}", medians[size], QUIZ_PAGE_MS, "ms"))
        rows.append(_row(f"quiz: statements per staff panel page, {size:,}", _statements(ctx) / 20, 1, "", "{:.0f}"))
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        rows.append(_row(f"quiz: staff panel time growth {small:,} -> {large:,} (x)",
                         medians[large] / medians[small], 1.5, "x"))
    return rows


# --- module -----------------------------------------------------------------------------------

def module_cases(sizes: list[int]) -> list[dict]:
    from sse_academy_xblock.dimensions import DIMENSION_IDS
    from sse_academy_xblock.module import staff
    from sse_academy_xblock.module.models import DimensionScore

    rows = []
    possible = {d: 10.0 for d in DIMENSION_IDS}
    for size in sizes:
        usage_ids = [f"bench-quiz-{size}", f"bench-case-{size}"]
        DimensionScore.objects.bulk_create(
            [
                DimensionScore(anonymous_user_id=f"l{i}", course_id="course-v1:SSE+Bench+1", usage_id=u,
                               dimension=d, earned=5, possible=10)
                for i in range(size) for u in usage_ids for d in DIMENSION_IDS[:2]
            ],
            batch_size=5000,
        )
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            page_ms = _median_ms(lambda: staff.page(usage_ids, possible, number=max(1, size // 100)), rounds=5)
        rows.append(_row(f"module: cohort page, {size:,} learners", page_ms, 500.0, "ms"))
        rows.append(_row(f"module: SQL statements per cohort page, {size:,} learners",
                         _statements(ctx) / 5, 4, "", "{:.0f}"))
    return rows


def run_all(sizes: list[int]) -> list[dict]:
    return [*quiz_cases(), *peer_cases(sizes), *quiz_staff_cases(sizes), *module_cases(sizes)]
