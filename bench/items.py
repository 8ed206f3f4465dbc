"""Quiz item analysis: the staff panel's figures as the number of learners grows (20 questions each; with
question pools, 20 drawn of 40).

Each size gets its own block: every learner's counted answers (one row per question, bulk inserted as
the submits would have left them) and the block's running totals. What is measured is what the staff
panel and its JSON handler do: read the totals and the wrong answers of number questions (one statement)
and compute and word the analysis;
then a counted resubmission, which replaces one learner's counted rows, adds to their attempts and adjusts the
totals, and a rescore, which replaces the counted attempt in every set that holds it.
"""

from __future__ import annotations

import random

from django.db import connection, reset_queries

from .common import StatementLog, median_ms, row, statements
from .peer import analyze

QUESTIONS = 20
ANALYSIS_MS, ANALYSIS_STATEMENTS, GROWTH = 25.0, 1, 1.5
PANEL_MS, PANEL_STATEMENTS = 25.0, 2  # the quiz staff panel's analysis with the whole-test figures
RESUBMIT_MS, RESUBMIT_STATEMENTS = 25.0, 4
# A rescore replaces the counted attempt in all three attempt sets, where a submit replaces one and adds to another:
# some 420 totals rows change instead of some 240. No learner waits for it: the LMS rescores in a background task
# that staff start (instructor_task), learner by learner; at 50 ms a learner, one worker rescores a block's
# 100,000 learners in under an hour and a half.
RESCORE_MS = 50.0
ROUNDS = 40


def _questions():
    from sse_academy_xblock.quiz.questions import Choice, Question

    out = []
    for i in range(QUESTIONS):
        if i % 4 == 3:  # every fourth question a number question (no options)
            out.append(Question(f"q{i}", "numeric", answer=1895.0, dimension=None))
        else:
            out.append(Question(f"q{i}", "single", choices=[
                Choice("a", correct=True), Choice("b"), Choice("c"), Choice("d")]))
    return out


def _learner(rng, questions) -> dict:
    """One learner's counted attempt: right answers likelier for abler learners."""
    from sse_academy_xblock.insight.item_statistics import Answer

    ability = rng.random()
    answers = {}
    for q in questions:
        right = rng.random() < 0.25 + 0.6 * ability
        if q.type == "numeric":
            answers[q.id] = Answer(1.0 if right else 0.0, 1.0)
        else:
            answers[q.id] = Answer(1.0 if right else 0.0, 1.0, ("a",) if right else (rng.choice("bcd"),))
    return answers


def _fill(usage: str, size: int, questions, rng, answer_rows: bool = True, asked=None) -> None:
    """``size`` learners with one counted attempt each: their answer rows in the three attempt sets
    (``answer_rows``) and the block's running totals of each set (the same attempt is first, last and all).
    ``asked(learner)``: the questions that learner is asked (default: every question)."""
    from sse_academy_xblock.insight import item_statistics, score_statistics
    from sse_academy_xblock.quiz import item_totals
    from sse_academy_xblock.quiz.models import ATTEMPT_SETS, QuizItemAnswer, QuizItemTotal

    totals: dict = {}
    quiz = score_statistics.QuizTotals()
    batch = []
    for i in range(size):
        answers = _learner(rng, asked(f"l{i}") if asked else questions)
        contributions = item_statistics.contributions(answers)
        quiz.add(contributions[0].p)
        for c in contributions:
            totals.setdefault(c.question, item_statistics.QuestionTotals()).add(c)
            if answer_rows:
                batch += [QuizItemAnswer(anonymous_user_id=f"l{i}", course_id="course-v1:SSE+Bench+1", usage_id=usage,
                                         attempts=attempts, attempt=1, question_id=c.question,
                                         earned=answers[c.question].earned, possible=answers[c.question].possible,
                                         chosen=list(c.chosen), x=c.x, y=c.y, full=c.full, band=c.band, z=c.z, p=c.p)
                          for attempts in ATTEMPT_SETS]
        if len(batch) >= 20_000:
            QuizItemAnswer.objects.bulk_create(batch, batch_size=5000)
            batch = []
    QuizItemAnswer.objects.bulk_create(batch, batch_size=5000)
    for attempts in ATTEMPT_SETS:
        QuizItemTotal.objects.bulk_create(item_totals.total_rows(usage, quiz, totals, attempts), batch_size=1000)
    # The number questions' wrong answers at their bound: 20 values and the others' row each.
    from sse_academy_xblock.quiz import wrong_answers
    from sse_academy_xblock.quiz.models import QuizWrongAnswer

    QuizWrongAnswer.objects.bulk_create([
        QuizWrongAnswer(usage_id=usage, question_id=q.id, value=value, n=1 + size // (k + 2))
        for q in questions if q.type == "numeric"
        for k, value in enumerate([str(1800 + v) for v in range(wrong_answers.MAX_VALUES)] + [wrong_answers.OTHER])
    ])
    analyze(QuizItemAnswer, QuizItemTotal)


def items_cases(sizes: list[int]) -> list[dict]:
    """Every size is filled first, then the analysis is timed in turns (one call per size per round), so a
    change in the machine's load while measuring weighs on every size alike and the growth compares sizes."""
    import statistics
    import time

    from sse_academy_xblock.i18n import BlockTranslator
    from sse_academy_xblock.quiz import item_report
    from sse_academy_xblock.quiz import item_totals

    questions = _questions()
    t = BlockTranslator()
    rows, samples, counts = [], {}, {}
    sizes = sorted(set(sizes))
    for size in sizes:
        _fill(f"bench-items-{size}", size, questions, random.Random(size))

    def panel(size):  # as the staff panel reads it: the totals and the wrong answers, in one statement
        usage = f"bench-items-{size}"
        analysis, whole, wrong, changed = item_totals.full_analysis(usage, questions, "employment")
        return item_report.report(t, questions, analysis, wrong=wrong, changed=changed, whole=whole)

    for size in sizes:
        data = panel(size)
        assert data["learners"] == size and data["items"][0]["point_biserial"] is not None
        assert data["whole_test"]["values"]["alpha"] is not None
        reset_queries()
        with StatementLog(connection) as ctx:
            panel(size)
        counts[size] = statements(ctx)
        samples[size] = []
    for _round in range(ROUNDS):
        for size in sizes:
            start = time.perf_counter()
            panel(size)
            samples[size].append((time.perf_counter() - start) * 1000)
    medians = {size: statistics.median(values) for size, values in samples.items()}
    for size in sizes:
        rows.append(row(f"items: analysis, {size:,} learners x {QUESTIONS} questions", medians[size], ANALYSIS_MS,
                        "ms"))
        rows.append(row(f"items: statements per analysis, {size:,}", counts[size], ANALYSIS_STATEMENTS, "", "{:.0f}"))

    large = max(sizes)
    usage, rng, learners = f"bench-items-{large}", random.Random(1), iter(range(10**6))
    numbers: dict[str, int] = {}  # each learner's last counted attempt (1 for every learner after _fill)

    def resubmit():  # what a learner's submit keeps: a new counted attempt (the last set replaced, all added to)
        learner = f"l{next(learners) % large}"
        numbers[learner] = numbers.get(learner, 1) + 1
        item_totals.record(learner, "course-v1:SSE+Bench+1", usage, _learner(rng, questions), attempt=numbers[learner])

    def rescore():  # what a rescore keeps: a new grading of the counted attempt, in every set that holds it
        item_totals.record(f"l{next(learners) % large}", "course-v1:SSE+Bench+1", usage, _learner(rng, questions))

    for name, action, target in (("counted resubmission", resubmit, RESUBMIT_MS), ("rescore", rescore, RESCORE_MS)):
        with StatementLog(connection) as ctx:
            ms = median_ms(action, rounds=ROUNDS)
        rows.append(row(f"items: {name}, {large:,}", ms, target, "ms"))
        rows.append(row(f"items: statements per {name}, {large:,}", statements(ctx) / ROUNDS, RESUBMIT_STATEMENTS,
                        "", "{:.0f}"))
    if len(sizes) > 1:
        small = min(sizes)
        rows.append(row(f"items: analysis time growth {small:,} -> {large:,} (x)", medians[large] / medians[small],
                        GROWTH, "x"))
    return rows


def whole_test_cases(sizes: list[int]) -> list[dict]:
    """The quiz staff panel's item analysis with the whole-test figures (mean, median, SD, skewness,
    kurtosis, alpha, SEM, error ratio, distribution, alpha if removed, discriminative efficiency), over
    the counted attempts of ``size`` learners and over all attempts: <= 2 statements and <= 25 ms at
    any size. Only the running totals are stored (the analysis never reads the answer rows)."""
    from sse_academy_xblock.i18n import BlockTranslator
    from sse_academy_xblock.quiz import item_report, item_totals

    questions = _questions()
    t = BlockTranslator()
    rows = []
    for size in sorted(set(sizes)):
        usage = f"bench-whole-test-{size}"
        _fill(usage, size, questions, random.Random(size), answer_rows=False)

        def panel(attempts):
            analysis, whole = item_totals.analysis(usage, questions, "employment", attempts)
            return item_report.report(t, questions, analysis, whole=whole, attempts=attempts)

        for attempts in ("last", "all"):
            data = panel(attempts)
            assert data["learners"] == size and data["whole_test"]["values"]["alpha"] is not None
            reset_queries()
            with StatementLog(connection) as ctx:
                ms = median_ms(lambda: panel(attempts), rounds=ROUNDS)
            rows.append(row(f"quiz: staff panel analysis with whole-test figures ({attempts}), {size:,}", ms,
                            PANEL_MS, "ms"))
            rows.append(row(f"quiz: statements per panel analysis ({attempts}), {size:,}", statements(ctx) / ROUNDS,
                            PANEL_STATEMENTS, "", "{:.0f}"))
    return rows


POOLS = 4  # of 10 questions each, on two dimensions half and half, drawn balanced: 6, 4, 6 and 4 per learner


def _pooled_quiz():
    """40 questions in four pools drawing 20 per learner, every pool balanced over two dimensions; every
    fourth question a number question."""
    from sse_academy_xblock.quiz.pools import Pool, pool_problems
    from sse_academy_xblock.quiz.questions import Choice, Question

    questions = []
    for i in range(POOLS * 10):
        pool, dimension = f"p{i // 10}", ("employment", "rights_at_work")[i % 2]
        if i % 4 == 3:
            questions.append(Question(f"q{i}", "numeric", answer=1895.0, dimension=dimension, pool=pool))
        else:
            questions.append(Question(f"q{i}", "single", dimension=dimension, pool=pool, choices=[
                Choice("a", correct=True), Choice("b"), Choice("c"), Choice("d")]))
    pools = [Pool(f"p{k}", draw=(6, 4)[k % 2], balanced=True) for k in range(POOLS)]
    assert not pool_problems(pools, questions, "employment", lambda text: text)
    return questions, pools


def pooled_cases(sizes: list[int]) -> list[dict]:
    """The quiz staff panel's item analysis (what ``staff_items`` computes: the totals and wrong answers read
    in one statement, the analysis and whole-test figures worded) on a quiz with question pools: each learner
    answers only the 20 questions drawn for them, so every question has its own n (about half the learners).
    Every size is filled first, then timed in turns, one call per size per round, as :func:`items_cases`.
    The processor time of the same calls (``time.process_time``) is printed beside the wall-clock time: on a
    loaded machine the wall clock also counts the time other processes held the cores."""
    import statistics
    import time

    from sse_academy_xblock.i18n import BlockTranslator
    from sse_academy_xblock.quiz import item_report, item_totals, pools

    questions, pool_list = _pooled_quiz()
    drawn = sum(pool.draw for pool in pool_list)
    t = BlockTranslator()
    sizes = sorted(set(sizes))
    sets = ("last", "all")
    for size in sizes:
        usage = f"bench-pooled-{size}"

        def asked(learner, usage=usage):  # the learner's draw, as the quiz block makes it
            return pools.draw(questions, pool_list, pools.seed(learner, usage), 0, "employment")

        assert len(asked("l0")) == drawn
        _fill(usage, size, questions, random.Random(size), answer_rows=False, asked=asked)

    def panel(size, attempts):  # as the staff handler's item_analysis
        analysis, whole, wrong, changed = item_totals.full_analysis(f"bench-pooled-{size}", questions, "employment",
                                                                    attempts)
        return item_report.report(t, questions, analysis, wrong=wrong, changed=changed, whole=whole,
                                  attempts=attempts)

    counts, wall, cpu = {}, {}, {}
    for size in sizes:
        for attempts in sets:
            data = panel(size, attempts)
            assert data["learners"] == size and data["whole_test"]["values"]["alpha"] is not None
            assert all(item["point_biserial"] is not None for item in data["items"])
            reset_queries()
            with StatementLog(connection) as ctx:
                panel(size, attempts)
            counts[(size, attempts)] = statements(ctx)
            wall[(size, attempts)], cpu[(size, attempts)] = [], []
    for _round in range(ROUNDS):
        for size in sizes:
            for attempts in sets:
                start, start_cpu = time.perf_counter(), time.process_time()
                panel(size, attempts)
                cpu[(size, attempts)].append((time.process_time() - start_cpu) * 1000)
                wall[(size, attempts)].append((time.perf_counter() - start) * 1000)
    rows = []
    medians = {key: statistics.median(values) for key, values in wall.items()}
    for size in sizes:
        for attempts in sets:
            key = (size, attempts)
            rows.append(row(f"pools: panel analysis ({attempts}), {size:,}, {drawn} of {len(questions)} q",
                            medians[key], PANEL_MS, "ms"))
            rows.append(row(f"pools: processor time ({attempts}), {size:,}", statistics.median(cpu[key]), PANEL_MS,
                            "ms"))
            rows.append(row(f"pools: statements per panel analysis ({attempts}), {size:,}", counts[key],
                            PANEL_STATEMENTS, "", "{:.0f}"))
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        for attempts in sets:
            rows.append(row(f"pools: panel analysis growth ({attempts}) {small:,} -> {large:,} (x)",
                            medians[(large, attempts)] / medians[(small, attempts)], GROWTH, "x"))
    return rows
