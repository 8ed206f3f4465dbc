"""Item analysis in the quiz staff panel: figures from real submits, replaced on resubmission, taken out on a
delete of learner state, staff only, and a constant number of queries whatever the number of learners."""

from __future__ import annotations

import random
from math import sqrt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spreadsheets import read_back
from sse_academy_xblock.insight import item_statistics
from sse_academy_xblock.quiz.models import QuizItemAnswer, QuizItemTotal

# q1: single choice, key "a"; q2: two keyed options of three, 2 points, partial credit ("x" alone earns 1).
QUIZ = """
<sse_quiz display_name="Items quiz" multiple_scoring="partial" dimension="employment">
  <question id="q1" type="single"><prompt>Which one is the <b>key</b>?</prompt>
    <choice id="a" correct="true">Alpha</choice><choice id="b">Beta</choice><choice id="c">Gamma</choice>
  </question>
  <question id="q2" type="multiple" points="2" dimension="social_dialogue"><prompt>Pick both</prompt>
    <choice id="x" correct="true">Ex</choice><choice id="y" correct="true">Why</choice><choice id="z">Zed</choice>
  </question>
</sse_quiz>
"""
# The ten learners of tests/unit/test_insight.py: their q1 choices and q2 points.
Q1_CHOICES = ["b", "b", "b", "c", None, "a", "a", "a", "a", "a"]
Q2_POINTS = [0, 0, 1, 0, 2, 2, 2, 1, 2, 2]
Q2_ANSWER = {0: [], 1: ["x"], 2: ["x", "y"]}


def answers(i: int) -> dict:
    out = {"q2": Q2_ANSWER[Q2_POINTS[i]]}
    if Q1_CHOICES[i]:
        out["q1"] = Q1_CHOICES[i]
    return out


@pytest.fixture
def taken(make_block, call):
    block = make_block(QUIZ)
    for i in range(10):
        status, data = call(make_block.as_user(block, f"learner_{i}"), "submit", {"attempt": 1, "answers": answers(i)})
        assert status == 200, data
    return block


def items_of(block, make_block, call):
    status, data = call(make_block.as_user(block, "staff"), "staff_items", {})
    assert status == 200, data
    return data


def test_figures_from_real_submits_match_the_hand_computation(taken, make_block, call):
    data = items_of(taken, make_block, call)
    assert data["learners"] == 10 and data["enough"]
    q1, q2 = data["items"]
    assert q1["learners"] == 10 and q1["difficulty"] == 0.5
    m1, m0 = 9 / 5, 3 / 5  # mean q2 points of those right and those wrong on q1
    mean = sum(Q2_POINTS) / 10
    s = sqrt(sum((x - mean) ** 2 for x in Q2_POINTS) / 10)
    assert q1["point_biserial"] == pytest.approx((m1 - m0) / s * sqrt(0.25))
    assert q1["upper_lower"] == 1.0
    assert [(o["id"], o["share"], o["correct"]) for o in q1["options"]] == [
        ("a", 0.5, True), ("b", 0.3, False), ("c", 0.1, False)]
    assert q1["top_wrong_option"] == "b" and q1["top_wrong_label"] == "Beta" and q1["hints"] == []
    assert q1["prompt"] == "Which one is the key?"
    assert q2["difficulty"] == 0.5
    assert {o["id"]: o["share"] for o in q2["options"]} == {"x": 0.7, "y": 0.5, "z": 0.0}
    by_dimension = {d["dimension"]: d for d in data["dimensions"]}
    assert by_dimension["employment"]["score_share"] == 0.5
    assert by_dimension["social_dialogue"]["score_share"] == pytest.approx(12 / 20)


def test_the_stored_totals_equal_the_arithmetic_over_the_learners(taken):
    """What the submits added up in the database is what the pure function computes from the answers."""
    from sse_academy_xblock.quiz import item_totals

    learners = []
    for i in range(10):
        rows = QuizItemAnswer.objects.filter(anonymous_user_id=f"learner_{i}")
        learners.append({r.question_id: item_statistics.Answer(r.earned, r.possible, tuple(r.chosen)) for r in rows})
    count, expected = item_statistics.aggregate(learners)
    stored_count, stored = item_totals.totals(str(taken.scope_ids.usage_id))
    assert stored_count == count == 10
    for qid in ("q1", "q2"):
        mine, theirs = stored[qid], expected[qid]
        assert {k: v for k, v in mine.options.items() if v} == theirs.options
        assert {k: v for k, v in mine.bands.items() if v[0]} == theirs.bands
        assert (mine.n, mine.full, mine.sx, mine.sxx, mine.sy, mine.syy, mine.sxy, mine.earned, mine.possible) == (
            theirs.n, theirs.full, theirs.sx, theirs.sxx, theirs.sy, theirs.syy, theirs.sxy, theirs.earned,
            theirs.possible)


def test_a_resubmission_replaces_the_learners_counted_answers(taken, make_block, call):
    before = items_of(taken, make_block, call)
    learner = make_block.as_user(taken, "learner_0")           # was wrong ("b") on q1, 0 on q2
    assert call(learner, "submit", {"attempt": 2, "answers": {"q1": "a", "q2": ["x", "y"]}})[0] == 200
    after = items_of(taken, make_block, call)
    assert after["learners"] == 10                            # still one counted attempt per learner
    q1 = after["items"][0]
    assert q1["learners"] == 10 and q1["difficulty"] == 0.6
    assert {o["id"]: o["share"] for o in q1["options"]} == {"a": 0.6, "b": 0.2, "c": 0.1}
    assert before["items"][0]["difficulty"] == 0.5
    assert QuizItemAnswer.objects.filter(anonymous_user_id="learner_0", attempts="last").count() == 2
    assert sorted(QuizItemAnswer.objects.get(anonymous_user_id="learner_0", question_id="q2",
                                             attempts="last").chosen) == ["x", "y"]
    # The first attempt stays in the "first" set; "all" holds both.
    assert QuizItemAnswer.objects.get(anonymous_user_id="learner_0", question_id="q1", attempts="first").chosen == ["b"]
    assert QuizItemAnswer.objects.filter(anonymous_user_id="learner_0", attempts="all").count() == 4


def test_delete_learner_state_takes_the_learner_out_and_a_reset_of_attempts_does_not(taken, make_block, call):
    usage = str(taken.scope_ids.usage_id)
    call(make_block.as_user(taken, "staff"), "staff_reset", {"learner": "learner_1"})
    assert items_of(taken, make_block, call)["learners"] == 10  # a reset keeps the score, and the answers
    taken.clear_student_state("learner_0", "course", usage, "staff")
    data = items_of(taken, make_block, call)
    assert data["learners"] == 9 and not data["enough"]
    q1 = data["items"][0]
    assert q1["learners"] == 9 and q1["point_biserial"] is None and q1["upper_lower"] is None
    assert {o["id"]: o["share"] for o in q1["options"]} == pytest.approx({"a": 5 / 9, "b": 2 / 9, "c": 1 / 9})
    assert not QuizItemAnswer.objects.filter(anonymous_user_id="learner_0").exists()
    html = make_block.as_user(taken, "staff").render("student_view", {}).body_html()
    assert "Not enough data yet: discrimination needs at least 10 learners, and this quiz has 9." in html


def test_a_broken_key_gets_a_hint_and_rescoring_after_the_fix_clears_it(make_block, call):
    """Twelve learners: the better ones pick "y", which the key wrongly calls wrong."""
    block = make_block(QUIZ)
    for i in range(12):
        good = i >= 4
        status, _ = call(make_block.as_user(block, f"l{i}"), "submit",
                         {"attempt": 1, "answers": {"q1": "b" if good else "a", "q2": ["x", "y"] if good else []}})
        assert status == 200
    data = items_of(block, make_block, call)
    q1 = data["items"][0]
    assert q1["point_biserial"] < 0 and q1["top_wrong_option"] == "b"
    assert set(q1["hints"]) == {item_statistics.HINT_NEGATIVE_DISCRIMINATION,
                                item_statistics.HINT_WRONG_OPTION_BEATS_KEY}
    assert any("“Beta”" in text and "rescore" in text for text in q1["hint_texts"])
    html = make_block.as_user(block, "staff").render("student_view", {}).body_html()
    # q2's rest of the quiz is the broken q1 alone, so it looks broken too until the key is fixed.
    assert "2 questions may have a wrong key or a misleading wording" in html
    # The author fixes the key ("b") and rescores every learner: the figures follow the new key once the
    # gradebook keeps the new scores (the platform then calls set_score; see tests/contracts/test_gradebook_contract.py).
    questions = [dict(q) for q in block.questions]
    questions[0]["choices"] = [dict(c, correct=(c["id"] == "b")) for c in questions[0]["choices"]]
    block.questions = questions
    block.save()
    for i in range(12):
        learner = make_block.as_user(block, f"l{i}")
        learner.set_score(learner.calculate_score())
        learner.save()
    q1, q2 = items_of(block, make_block, call)["items"]
    assert q1["difficulty"] == pytest.approx(8 / 12) and q1["point_biserial"] > 0.9 and q1["hints"] == []
    assert q2["hints"] == []


def test_the_panel_shows_accessible_tables(taken, make_block):
    html = make_block.as_user(taken, "staff").render("student_view", {}).body_html()
    assert "Item analysis" in html and "<caption" in html
    assert "Questions: difficulty, discrimination and the options chosen" in html
    assert "Per Decent Work dimension: the means of its questions" in html
    assert 'role="region" tabindex="0"' in html
    assert "Beta</span>: 30% <strong>(most chosen wrong option)</strong>" in html
    assert "Alpha</span>: 50% <strong>(correct)</strong>" in html and "Nothing found" in html
    assert "staff_items_csv" in html
    learner_html = make_block.as_user(taken, "learner_1").render("student_view", {}).body_html()
    assert "Item analysis" not in learner_html


def test_csv_has_a_row_per_option(taken, make_block, call):
    status, text = call(make_block.as_user(taken, "staff"), "staff_items_csv", method="GET")
    assert status == 200
    rows = read_back(text, ",")
    assert rows[0][:5] == ["Question", "Question id", "Decent Work dimension", "Learners", "Full credit (share)"]
    whole = [r for r in rows if r[0] == "Whole test"]
    assert len(rows) == 1 + 3 + 3 + len(whole)
    assert [r[1] for r in whole][:3] == ["Which attempts", "Attempts counted", "Mean score"]
    assert rows[1][:5] == ["Question 1", "q1", "Employment", "10", "0.5"]
    assert rows[1][5] == "0.5"  # mean score: q1 is all or nothing
    assert rows[1][11:16] == ["Alpha", "a", "0.5", "yes", "Beta"]


@pytest.mark.parametrize("user", ["learner_1", "student_9"])
def test_learners_get_403(taken, make_block, call, user):
    learner = make_block.as_user(taken, user)
    status, data = call(learner, "staff_items", {})
    assert status == 403 and data["error"]
    status, data = call(learner, "staff_items_csv", method="GET")
    assert status == 403 and data["error"]


@pytest.mark.parametrize("body", [{"x": 1}, {"learner": "learner_1"}])
def test_the_handler_takes_no_parameters(taken, make_block, call, body):
    status, data = call(make_block.as_user(taken, "staff"), "staff_items", body)
    assert status == 400 and data["error"]


def test_a_preview_in_studio_records_nothing(make_block, call, monkeypatch):
    from sse_academy_xblock import platform

    block = make_block(QUIZ)
    monkeypatch.setattr(platform, "is_author_mode", lambda _block: True)
    block.set_score(block.calculate_score())  # what a rescore the gradebook keeps does
    assert not QuizItemAnswer.objects.exists() and not QuizItemTotal.objects.exists()


def _fill(block, count: int):
    from sse_academy_xblock.quiz import item_totals

    usage = str(block.scope_ids.usage_id)
    for i in range(count):
        item_totals.record(f"bulk_{i}", "course", usage, {
            "q1": item_statistics.Answer(i % 2, 1, ("a" if i % 2 else "b",)),
            "q2": item_statistics.Answer(i % 3, 2, ("x",) * (i % 3 > 0)),
        })


def _ours(ctx) -> int:
    return sum(1 for q in ctx.captured_queries if "sse_academy_xblock_" in q["sql"])


def test_the_panel_and_the_handler_cost_the_same_queries_for_few_and_many_learners(make_block, call):
    counts = []
    for size in (12, 60):
        block = make_block(QUIZ)
        _fill(block, size)
        staff = make_block.as_user(block, "staff")
        with CaptureQueriesContext(connection) as handler:
            status, data = call(staff, "staff_items", {})
        assert status == 200 and data["learners"] == size
        with CaptureQueriesContext(connection) as panel:
            staff.render("student_view", {})
        counts.append((len(handler.captured_queries), len(panel.captured_queries), _ours(handler)))
    assert counts[0] == counts[1]
    assert counts[0][2] == 1  # the block's totals, in one query (the rest is the runtime loading its fields)


def test_rebuilding_the_totals_from_the_answers_gives_the_same_totals(taken):
    from sse_academy_xblock.quiz import item_totals

    usage = str(taken.scope_ids.usage_id)
    before = item_totals.totals(usage)
    QuizItemTotal.objects.filter(usage_id=usage, question_id="q1", part="").update(n=99)  # damaged
    assert item_totals.rebuild(usage) == 10
    assert item_totals.totals(usage) == before


def test_a_first_submit_costs_three_statements_on_the_item_tables_at_any_number_of_learners(make_block, call):
    counts = []
    for size in (12, 60):
        block = make_block(QUIZ)
        _fill(block, size)
        learner = make_block.as_user(block, "late_learner")
        with CaptureQueriesContext(connection) as ctx:
            assert call(learner, "submit", {"attempt": 1, "answers": {"q1": "a", "q2": ["x"]}})[0] == 200
        counts.append(sum(1 for q in ctx.captured_queries if "sse_academy_xblock_quizitem" in q["sql"]))
    # read the learner's old rows, insert the new ones, one upsert of the totals (no old rows to delete)
    assert counts == [3, 3]


# q1 everyone gets right; q2 partial credit; q3 a hard true/false question the better learners get right.
COHORT_QUIZ = """
<sse_quiz display_name="Cohort quiz" multiple_scoring="partial" dimension="employment">
  <question id="q1" type="single"><prompt>Easy</prompt>
    <choice id="a" correct="true">Alpha</choice><choice id="b">Beta</choice>
  </question>
  <question id="q2" type="multiple" points="2"><prompt>Pick both</prompt>
    <choice id="x" correct="true">Ex</choice><choice id="y" correct="true">Why</choice><choice id="z">Zed</choice>
  </question>
  <question id="q3" type="truefalse" answer="true"><prompt>Hard</prompt></question>
</sse_quiz>
"""


def _item_row(html: str, question: str) -> str:
    """The item analysis table's row of a question."""
    table = html.split('data-role="items-table"')[1]
    return table.split(f'<tr data-question="{question}">')[1].split("</tr>")[0]


@pytest.fixture
def cohort(make_block, call):
    """Twenty seeded learners: everyone right on q1; on q2 and q3 the abler do better."""
    rng = random.Random(24)
    block = make_block(COHORT_QUIZ)
    for i in range(20):
        ability = (i + rng.random()) / 20
        q2 = ["x", "y"] if ability > 0.7 else ["x"] if ability > 0.2 else ["z"]
        status, data = call(make_block.as_user(block, f"c{i}"), "submit",
                            {"attempt": 1, "answers": {"q1": "a", "q2": q2, "q3": ability > 0.6}})
        assert status == 200, data
    return block


def test_a_question_everyone_got_right_reads_not_enough_data_in_the_json_the_panel_and_the_csv(cohort, make_block,
                                                                                                call):
    data = items_of(cohort, make_block, call)
    q1, q2, q3 = data["items"]
    assert q1["difficulty"] == 1.0
    assert q1["point_biserial"] is None and q1["upper_lower"] is None
    assert q1["point_biserial_text"] == q1["upper_lower_text"] == "not enough data"
    assert q2["upper_lower"] is not None and q3["upper_lower"] is not None
    (employment,) = data["dimensions"]
    assert employment["upper_lower"] == pytest.approx((q2["upper_lower"] + q3["upper_lower"]) / 2)
    assert employment["point_biserial"] == pytest.approx((q2["point_biserial"] + q3["point_biserial"]) / 2)
    html = make_block.as_user(cohort, "staff").render("student_view", {}).body_html()
    row = _item_row(html, "q1")
    assert row.count("not enough data") == 3 and "0.00" not in row  # with the discriminative efficiency
    status, text = call(make_block.as_user(cohort, "staff"), "staff_items_csv", method="GET")
    rows = read_back(text, ",")
    header = rows[0]
    q1_row = next(r for r in rows if r[1] == "q1")
    assert q1_row[header.index("Point-biserial")] == "not enough data"
    assert q1_row[header.index("Upper-lower index")] == "not enough data"


def test_a_hard_question_that_discriminates_is_not_told_to_check_its_key(cohort, make_block, call):
    data = items_of(cohort, make_block, call)
    q3 = data["items"][2]
    shares = {o["id"]: o["share"] for o in q3["options"]}
    assert shares["false"] > shares["true"] and q3["top_wrong_option"] == "false"
    assert q3["point_biserial"] >= 0.3 and q3["discrimination_word"] == "good"
    assert q3["hints"] == [] and data["flagged"] == 0
    html = make_block.as_user(cohort, "staff").render("student_view", {}).body_html()
    assert "may have a wrong key" not in html


def test_a_partial_credit_question_shows_its_mean_score_beside_full_credit(cohort, make_block, call):
    data = items_of(cohort, make_block, call)
    q1, q2, _q3 = data["items"]
    earned = q2["mean_score"] * 2 * 20
    assert q2["partial_credit"] and not q1["partial_credit"]
    assert q2["mean_score"] > q2["difficulty"] and earned == pytest.approx(round(earned))
    html = make_block.as_user(cohort, "staff").render("student_view", {}).body_html()
    row = _item_row(html, "q2")
    assert f"mean score {round(100 * q2['mean_score'])}%" in row
    assert "mean score" not in _item_row(html, "q1")
    status, text = call(make_block.as_user(cohort, "staff"), "staff_items_csv", method="GET")
    rows = read_back(text, ",")
    column = rows[0].index("Mean score (share of the points)")
    assert {r[column] for r in rows if r[1] == "q2" and r[0] != "Whole test"} == {str(round(q2["mean_score"], 4))}


def test_select_all_hints_and_whole_prompts_in_the_report():
    """The report words each option of a select-all question that more learners got wrong, and keeps the whole
    text of a question whose label is cut."""
    from sse_academy_xblock.insight import item_statistics
    from sse_academy_xblock.quiz import item_report
    from sse_academy_xblock.quiz.questions import Choice, Question

    class T:
        gettext = staticmethod(lambda s: s)
        ngettext = staticmethod(lambda s, p, n: s if n == 1 else p)

    long_prompt = "Which of these are principles of the social and solidarity economy? Select all that apply."
    question = Question(id="m", type="multiple", prompt=long_prompt, choices=[
        Choice("a", text="Democratic governance", correct=True), Choice("b", text="Profit first"),
        Choice("c", text="Voluntary membership", correct=True)])
    stats = item_statistics.ItemStats("m", "employment", 20, 0.2, None, None, {"a": 0.9, "b": 0.7, "c": 0.3},
                                      0.5, "b", (item_statistics.HINT_WRONG_OPTION_BEATS_KEY,), ("b", "c"))
    analysis = item_statistics.QuizAnalysis(20, (stats,), ())
    row = item_report.report(T, [question], analysis)["items"][0]
    assert row["hint_texts"] == [
        "More learners chose the wrong option “Profit first” than left it out. Check the key; after correcting it, "
        "rescore the learners.",
        "More learners left out the correct option “Voluntary membership” than chose it. Check the key; after "
        "correcting it, rescore the learners."]
    assert row["prompt_cut"] and row["prompt_full"] == long_prompt and row["prompt"].endswith("…")
