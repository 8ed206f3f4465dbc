"""Whole-test statistics and the choice of attempts in the quiz staff panel, its JSON and its CSV, from real submits.

Twelve learners take a three-question quiz (one point each, right or wrong) twice; the expected figures are
computed here from the answers the test sent, with the standard library.
"""

from __future__ import annotations

import statistics

import pytest
import webob

from item_totals_compare import without_empty
from spreadsheets import read_back
from sse_academy_xblock.insight import item_statistics
from sse_academy_xblock.quiz import item_totals
from sse_academy_xblock.quiz.models import QuizItemAnswer, QuizItemTotal

QUIZ = """
<sse_quiz display_name="Whole test quiz" dimension="employment" max_attempts="5">
  <question id="q1" type="single"><prompt>One</prompt>
    <choice id="a" correct="true">Alpha</choice><choice id="b">Beta</choice><choice id="c">Gamma</choice>
  </question>
  <question id="q2" type="truefalse" answer="true"><prompt>Two</prompt></question>
  <question id="q3" type="single"><prompt>Three</prompt>
    <choice id="a" correct="true">Alpha</choice><choice id="b">Beta</choice>
  </question>
</sse_quiz>
"""
# Per learner: (q1, q2, q3) right or wrong, first attempt then second attempt.
FIRST = [(0, 1, 1), (1, 1, 0), (1, 0, 0), (0, 0, 0), (1, 1, 0), (0, 1, 0),
         (1, 0, 1), (0, 0, 0), (1, 0, 1), (0, 1, 0), (1, 0, 0), (0, 0, 1)]  # nobody full: all may try again
SECOND = [(1, 1, 1), (1, 1, 1), (1, 1, 0), (1, 0, 0), (1, 1, 1), (1, 1, 0),
          (1, 1, 1), (0, 1, 0), (1, 1, 1), (1, 1, 0), (1, 1, 0), (0, 1, 1)]


def _answers(row):
    q1, q2, q3 = row
    return {"q1": "a" if q1 else "b", "q2": bool(q2), "q3": "a" if q3 else "b"}


@pytest.fixture
def twice(make_block, call):
    block = make_block(QUIZ)
    for attempt, rows in ((1, FIRST), (2, SECOND)):
        for i, row in enumerate(rows):
            status, data = call(make_block.as_user(block, f"w{i}"), "submit",
                                {"attempt": attempt, "answers": _answers(row)})
            assert status == 200, data
    return block


def _items(block, make_block, call, body=None):
    status, data = call(make_block.as_user(block, "staff"), "staff_items", {} if body is None else body)
    assert status == 200, data
    return data


def _scores(rows):
    return [100 * sum(row) / 3 for row in rows]


def _csv(block, make_block, query=""):
    staff = make_block.as_user(block, "staff")
    response = staff.handle("staff_items_csv", webob.Request.blank("/" + query, method="GET"))
    return response.status_code, response.body.decode("utf-8")


@pytest.mark.parametrize("attempts, rows", [("first", FIRST), ("last", SECOND), ("all", FIRST + SECOND)])
def test_each_attempt_set_gives_the_figures_of_its_attempts(twice, make_block, call, attempts, rows):
    data = _items(twice, make_block, call, {"attempts": attempts})
    whole = data["whole_test"]["values"]
    scores = _scores(rows)
    assert data["attempts"] == attempts and data["learners"] == len(rows)
    assert whole["learners"] == len(rows)
    assert whole["mean"] == pytest.approx(statistics.mean(scores), abs=0.01)
    assert whole["sd"] == pytest.approx(statistics.stdev(scores), abs=0.01)
    assert whole["median"] == statistics.median(int(s + 0.5) for s in scores)
    items = [[row[i] for row in rows] for i in range(3)]
    totals = [sum(row) for row in rows]
    kr20 = 3 / 2 * (1 - sum(statistics.variance(col) for col in items) / statistics.variance(totals))
    assert whole["alpha"] == pytest.approx(kr20, abs=1e-4) and data["whole_test"]["kr20"]
    assert [q["learners"] for q in data["items"]] == [len(rows)] * 3
    assert data["items"][0]["difficulty"] == pytest.approx(sum(items[0]) / len(rows))
    assert data["items"][1]["random_guess"] == 0.5 and data["items"][0]["random_guess"] == pytest.approx(1 / 3)
    assert "Whole test" in data["html"] and 'data-role="score-table"' in data["html"]
    assert [c["value"] for c in data["attempt_choices"] if c["checked"]] == [attempts]


def test_the_default_is_the_counted_attempt_and_a_bad_choice_is_refused(twice, make_block, call):
    assert _items(twice, make_block, call)["attempts"] == "last"
    staff = make_block.as_user(twice, "staff")
    for body in ({"attempts": "best"}, {"attempts": "first", "page": 2}, {"attempts": 1}):
        status, data = call(staff, "staff_items", body)
        assert status == 400 and "first, last or all" in data["error"]
    status, text = _csv(twice, make_block, "?attempts=best")
    assert status == 400 and "first, last or all" in text


def test_the_csv_follows_the_choice_and_writes_numbers(twice, make_block):
    for attempts, rows in (("first", FIRST), ("all", FIRST + SECOND), ("", SECOND)):
        status, text = _csv(twice, make_block, f"?attempts={attempts}" if attempts else "")
        assert status == 200
        table = read_back(text, ",")
        whole = {r[1]: r[2] for r in table if r[0] == "Whole test"}
        assert whole["Attempts counted"] == str(len(rows))
        assert float(whole["Mean score"]) == pytest.approx(statistics.mean(_scores(rows)), abs=1e-3)
        assert float(whole["Standard deviation (percentage points)"]) == pytest.approx(
            statistics.stdev(_scores(rows)), abs=1e-3)
        assert sum(int(v) for k, v in whole.items() if k.startswith("Attempts scoring")) == len(rows)
        # Every figure is a number a spreadsheet reads as one, a negative one too (no leading apostrophe).
        figures = {k: v for k, v in whole.items() if k != "Which attempts"}
        assert all(v == "not enough data" or float(v) == float(v) for v in figures.values()), figures
        assert not any(v.startswith("'") for v in figures.values())
        assert any(v.startswith("-") for v in figures.values())  # the kurtosis of these scores is negative
        header = table[0]
        q1 = next(r for r in table if r[1] == "q1" and r[0] != "Whole test")
        assert float(q1[header.index("Random guess score (share of the points)")]) == pytest.approx(0.3333, abs=1e-4)


def test_the_panel_shows_the_whole_test_with_a_chart_a_table_and_the_choice(twice, make_block):
    html = make_block.as_user(twice, "staff").render("student_view", {}).body_html()
    assert "Attempts counted" in html and 'type="radio"' in html and "<legend>" in html
    assert 'value="last" checked' in html
    assert 'data-role="score-chart"' in html and 'aria-hidden="true"' in html
    assert 'data-role="score-table"' in html and "Score distribution" in html
    assert "Cronbach&#x27;s alpha (KR-20)" in html or "Cronbach's alpha (KR-20)" in html
    assert "Discriminative efficiency" in html and "Alpha if removed" in html
    assert "staff_items_csv" in html and "attempts=last" in html


def test_french_numbers_in_the_panel(twice, make_block, call, settings):
    from django.utils import translation

    with translation.override("fr"):
        data = _items(twice, make_block, call)
    mean = next(f for f in data["whole_test"]["figures"] if f["key"] == "mean")
    assert "," in mean["text"] and "." not in mean["text"]


def test_rescore_reset_delete_state_and_rebuild_keep_every_set_right(twice, make_block, call):
    usage = str(twice.scope_ids.usage_id)
    before = {s: item_totals.set_totals(usage, s) for s in ("first", "last", "all")}
    # A staff reset changes nothing; the next submit is a third attempt: in "all" and "last", not "first".
    call(make_block.as_user(twice, "staff"), "staff_reset", {"learner": "w3"})
    assert {s: item_totals.set_totals(usage, s) for s in ("first", "last", "all")} == before
    learner = make_block.as_user(twice, "w3")
    assert call(learner, "submit", {"attempt": 1, "answers": _answers((1, 1, 1))})[0] == 200
    assert item_totals.set_totals(usage, "first") == before["first"]
    assert item_totals.set_totals(usage, "all")[0].n == 25
    assert QuizItemAnswer.objects.filter(anonymous_user_id="w3", attempts="all").values("attempt").distinct().count() == 3
    # The key of q3 is changed and w0 rescored: the last attempt (in "last" and "all") follows; the first keeps its grading.
    questions = [dict(q) for q in twice.questions]
    questions[2]["choices"] = [dict(c, correct=(c["id"] == "b")) for c in questions[2]["choices"]]
    twice.questions = questions
    twice.save()
    rescored = make_block.as_user(twice, "w0")
    rescored.set_score(rescored.calculate_score())
    rows = {(r.attempts, r.attempt): r.full for r in QuizItemAnswer.objects.filter(anonymous_user_id="w0",
                                                                                    question_id="q3")}
    assert rows == {("first", 1): True, ("all", 1): True, ("all", 2): False, ("last", 2): False}
    # Delete learner state: out of every set.
    twice.clear_student_state("w1", "course", usage, "staff")
    assert not QuizItemAnswer.objects.filter(anonymous_user_id="w1").exists()
    assert [item_totals.set_totals(usage, s)[0].n for s in ("first", "last", "all")] == [11, 11, 23]
    # rebuild gives back exactly the running totals of every set.
    current = {s: item_totals.set_totals(usage, s) for s in ("first", "last", "all")}
    QuizItemTotal.objects.filter(usage_id=usage, attempts="all", question_id="").update(sp=1)  # damaged
    assert item_totals.rebuild(usage) == 11
    assert {s: without_empty(item_totals.set_totals(usage, s)) for s in current} == {s: without_empty(v) for s, v in current.items()}


@pytest.mark.django_db
def test_wrong_answers_and_versions_are_counted_once_for_the_counted_attempt_in_every_set():
    """A learner's wrong answer counts once (for the counted, last, attempt) though the attempt is kept in three sets;
    a further attempt moves it, and the first and all sets keep their own rows without a wrong answer."""
    from sse_academy_xblock.quiz import item_totals

    usage = "sets-and-wrong-answers"
    answer = {"q1": item_statistics.Answer(0, 1, ())}
    item_totals.record("w", "course", usage, answer, wrong={"q1": "1900"}, versions={"q1": "v1"}, attempt=1)
    learners, stored, wrong, versions = item_totals.read(usage)
    assert (learners, wrong, versions) == (1, {"q1": [("1900", 1)]}, {"q1": {"v1": 1}})
    assert [item_totals.set_totals(usage, s)[0].n for s in ("first", "last", "all")] == [1, 1, 1]
    item_totals.record("w", "course", usage, answer, wrong={"q1": "1777"}, versions={"q1": "v2"}, attempt=2)
    learners, stored, wrong, versions = item_totals.read(usage)
    assert (learners, wrong, versions) == (1, {"q1": [("1777", 1)]}, {"q1": {"v2": 1}})
    assert [item_totals.set_totals(usage, s)[0].n for s in ("first", "last", "all")] == [1, 1, 2]
    rows = QuizItemAnswer.objects.filter(usage_id=usage)
    assert {(r.attempts, r.attempt, r.wrong is not None) for r in rows} == {
        ("first", 1, False), ("all", 1, False), ("all", 2, False), ("last", 2, True)}
    item_totals.rebuild(usage)  # the repair tool keeps the version counts of the last set
    assert item_totals.read(usage)[3] == {"q1": {"v2": 1}}
    item_totals.forget("w", usage)
    assert item_totals.read(usage)[2:] == ({}, {})
    assert [item_totals.set_totals(usage, s)[0].n for s in ("first", "last", "all")] == [0, 0, 0]
