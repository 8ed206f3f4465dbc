"""The benchmark cases. Each returns rows ``{name, figure, target, ok}``."""

from __future__ import annotations

import random
import statistics
import time
import tracemalloc
import uuid
from datetime import timedelta

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

ROUNDS = 200
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def _statements(ctx) -> int:
    """Data statements (transaction control such as BEGIN or SAVEPOINT not counted)."""
    return sum(1 for q in ctx.captured_queries if not q["sql"].lstrip().upper().startswith(_CONTROL))


def _row(name: str, value: float, limit: float, unit: str, fmt: str = "{:.2f}") -> dict:
    return {
        "name": name, "value": value, "limit": limit, "unit": unit,
        "figure": fmt.format(value) + f" {unit}", "target": "<= " + fmt.format(limit) + f" {unit}",
        "ok": value <= limit,
    }


def _median_ms(func, rounds: int = ROUNDS) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


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


# --- peer review ------------------------------------------------------------------------------

def _peer_item(usage_id: str):
    from sse_academy_xblock.peer.config import PeerItem
    from sse_academy_xblock.peer.rubric import Criterion, Option, Rubric

    rubric = Rubric(tuple(
        Criterion(f"c{i}", f"Criterion {i}", (Option("Missing", 0), Option("Partial", 2), Option("Strong", 4)))
        for i in range(3)
    ))
    return PeerItem("course-v1:SSE+Bench+1", usage_id, "sse_case_study", rubric)


def _fill_pool(item, size: int) -> None:
    from sse_academy_xblock.peer import workflow
    from sse_academy_xblock.peer.models import PeerSubmission

    version = workflow.rubric_version(item)
    start = timezone.now() - timedelta(days=3)
    rng = random.Random(size)
    rows = [
        PeerSubmission(
            uuid=str(uuid.uuid4()), anonymous_user_id=f"learner-{i}", course_id=item.course_id,
            usage_id=item.usage_id, rubric=version, word_count=300, submitted_at=start + timedelta(seconds=i),
            load=rng.choice([0, 1, 2, 3, 3, 3]), received=0, given=0,
        )
        for i in range(size)
    ]
    PeerSubmission.objects.bulk_create(rows, batch_size=2000)


def peer_cases(sizes: list[int]) -> list[dict]:
    from sse_academy_xblock.peer import allocation, staff

    rows = []
    medians = {}
    statement_counts = {}
    for size in sizes:
        item = _peer_item(f"bench-block-{size}")
        _fill_pool(item, size)
        reviewers = [f"learner-{i}" for i in range(size - 1, max(-1, size - 1 - 150), -1)]
        samples, statements = [], []
        for reviewer in reviewers:
            reset_queries()
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                result = allocation.allocate(item, reviewer)
                samples.append((time.perf_counter() - start) * 1000)
            assert result.outcome == "new", result.outcome
            statements.append(_statements(ctx))
        medians[size] = statistics.median(samples)
        statement_counts[size] = max(statements)
        rows.append(_row(f"peer: allocate one review, pool of {size:,}", medians[size], 30.0, "ms"))
        rows.append(_row(f"peer: SQL statements per allocation, pool of {size:,}", statement_counts[size], 10, "",
                         "{:.0f}"))
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            page_ms = _median_ms(lambda: staff.list_page(item, page=max(1, size // 50 // 2)), rounds=5)
        rows.append(_row(f"peer: staff list page (50 rows), pool of {size:,}", page_ms, 250.0, "ms"))
        rows.append(_row(f"peer: SQL statements per staff page, pool of {size:,}", _statements(ctx) / 5, 6,
                         "", "{:.0f}"))
        tracemalloc.start()
        count = sum(1 for _ in staff.csv_rows(item))
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert count == size
        rows.append(_row(f"peer: memory to stream the CSV of {size:,} submissions", peak / 2**20, 24.0, "MiB"))
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        rows.append(_row(f"peer: allocation time growth {small:,} -> {large:,} (x)",
                         medians[large] / medians[small], 3.0, "x"))
        rows.append(_row(f"peer: statement growth {small:,} -> {large:,}",
                         statement_counts[large] - statement_counts[small], 0, "", "{:.0f}"))
    return rows


# --- module -----------------------------------------------------------------------------------

def module_cases(sizes: list[int]) -> list[dict]:
    from sse_academy_xblock.dimensions import DIMENSION_IDS
    from sse_academy_xblock.module import staff
    from sse_academy_xblock.profile.models import DimensionScore

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
    return [*quiz_cases(), *peer_cases(sizes), *module_cases(sizes)]
