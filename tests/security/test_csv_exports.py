"""Every staff CSV download with hostile cells, read back as English (",") and French or Spanish (";")
spreadsheets read it: no cell runs as a formula, the hostile text is still there to read, numbers are numbers.

The downloads: the quiz's results and item analysis, the case study's submissions and reviewers, the
profile's cohort. Learner ids, usernames and option texts carry formulas behind spaces of every kind,
line breaks, quotes, invisible characters and ";".
"""

from __future__ import annotations

from dataclasses import replace
from xml.sax.saxutils import escape

import pytest

from factories import graded_with, olx
from spreadsheets import HOSTILE_CELLS, formulas, is_number, read_back, shown

from .conftest import STAFF, UNIT, json_call, open_as, raw_call

# Learner ids the workbench accepts (one line of text, not empty).
HOSTILE_IDS = [h for h in HOSTILE_CELLS if h.strip() and "\n" not in h and "\r" not in h]
# edx-submissions trims the ids it stores: the case study's learners are ids without spaces around them.
TRIMMED_IDS = [h for h in HOSTILE_IDS if h == h.strip()]
# The ten learners' choices on q1, whose key is "b": the learners who are right on it do worst on q2,
# so its discrimination is negative.
Q1_CHOICES = ["b", "b", "b", "c", None, "a", "a", "a", "a", "a"]
Q2_RIGHT = [False, False, False, False, True, True, True, True, True, True]
OPTIONS = {"a": '"=1+1', "b": "x;=1+1;", "c": "\u200b@A1"}
QUIZ = f"""
<sse_quiz display_name="Spreadsheet quiz" dimension="employment" max_attempts="0">
  <question id="q1" type="single"><prompt>Which one?</prompt>
    {"".join(f'<choice id="{cid}"{" correct=&quot;true&quot;" if cid == "b" else ""}>{escape(text)}</choice>'
             for cid, text in OPTIONS.items())}
  </question>
  <question id="q2" type="truefalse" answer="true"><prompt>-2 + 3 = 1?</prompt></question>
</sse_quiz>
""".replace("&quot;", '"')


def download(usage_id, handler: str) -> str:
    response, body = raw_call(open_as(usage_id, STAFF), handler, b"", method="GET")
    assert response.status_code == 200 and response.content_type == "text/csv", body[:300]
    return body.decode("utf-8")


def assert_safe_and_complete(text: str, expected) -> list[list[str]]:
    """No formula with either separator; each expected text is a cell (read with ","); returns the rows."""
    assert formulas(text) == []
    rows = read_back(text, ",")
    cells = {shown(cell) for row in rows for cell in row}
    missing = [value for value in expected if shown(value) not in cells]
    assert not missing, f"not in the CSV: {missing}"
    return rows


def column(rows, name: str) -> list[str]:
    index = rows[0].index(name)
    return [row[index] for row in rows[1:]]


@pytest.fixture
def quiz(make_block):
    block = make_block(QUIZ, user=STAFF)
    usage = block.scope_ids.usage_id
    for user, choice, right in zip(HOSTILE_IDS, Q1_CHOICES, Q2_RIGHT):
        answers = {"q2": right} | ({"q1": choice} if choice else {})
        status, reply = json_call(open_as(usage, user), "submit", {"attempt": 1, "answers": answers})
        assert status == 200, reply
    return usage


def test_the_quiz_results(quiz):
    rows = assert_safe_and_complete(download(quiz, "staff_csv"), HOSTILE_IDS[:10])
    assert len(rows) == 11
    for name in ("Attempts", "Points earned", "Points possible", "Percent"):
        assert all(is_number(cell) for cell in column(rows, name)), column(rows, name)


def test_the_quiz_item_analysis(quiz):
    rows = assert_safe_and_complete(download(quiz, "staff_items_csv"), OPTIONS.values())
    q1 = [row for row in rows[1:] if row[rows[0].index("Question id")] == "q1"]
    discrimination = {row[rows[0].index("Point-biserial")] for row in q1}
    (value,) = discrimination
    assert is_number(value) and float(value) < 0, "a negative discrimination is written as a number"


def test_the_case_study_submissions(make_block):
    block = make_block(olx("case_study_security"), user=STAFF)
    usage = block.scope_ids.usage_id
    for user in TRIMMED_IDS:
        status, reply = json_call(open_as(usage, user), "submit_response", {"text": "=1+1 ; -2 @A1 words"})
        assert status == 200, reply
    rows = assert_safe_and_complete(download(usage, "staff_csv"), TRIMMED_IDS)
    assert all(is_number(cell) for cell in column(rows, "Words"))


def test_the_case_study_reviewers(make_block):
    block = make_block(olx("case_study_security"), user=STAFF)
    item = replace(block.peer_item(), reviews_to_give=0)
    reviewers = HOSTILE_IDS[:6]
    for number, author in enumerate(("author-1", "author-2", "author-3")):
        pair = reviewers[2 * number:2 * number + 2]
        graded_with(item, author, [(pair[0], {"analysis": 0}), (pair[1], {"analysis": 1})])
    rows = assert_safe_and_complete(download(block.scope_ids.usage_id, "staff_agreement_csv"), reviewers)
    assert len(rows) == 1 + len(reviewers)
    assert all(is_number(cell) for cell in column(rows, "Mean distance from the others"))


def test_the_profile_cohort(make_block):
    unit = make_block(UNIT, user=STAFF)
    quiz_id, profile_id = unit.children
    for user in HOSTILE_IDS:
        status, reply = json_call(open_as(quiz_id, user), "submit",
                                  {"attempt": 1, "answers": {"q1": "a", "q2": "1895", "q3": ""}})
        assert status == 200, reply
    rows = assert_safe_and_complete(download(profile_id, "staff_csv"), HOSTILE_IDS)
    assert all(is_number(cell) for row in rows[1:] for cell in row[1:-1]), rows[1]


def test_the_quiz_item_analysis_wrong_answers(make_block):
    """Learners' typed wrong answers, listed in the item analysis, are text that never runs."""
    from sse_academy_xblock.quiz.grading import normalise_text

    block = make_block("""
<sse_quiz display_name="Typed answers" dimension="employment" max_attempts="0">
  <question id="t1" type="text"><prompt>Which word?</prompt><answer>cooperative</answer></question>
  <question id="n1" type="numeric" answer="3"><prompt>How many?</prompt></question>
</sse_quiz>""", user=STAFF)
    usage = block.scope_ids.usage_id
    typed = [h for h in HOSTILE_CELLS if normalise_text(h)]
    for number, answer in enumerate(typed):
        status, reply = json_call(open_as(usage, f"learner-{number}"), "submit",
                                  {"attempt": 1, "answers": {"t1": answer, "n1": "-2"}})
        assert status == 200, reply
    rows = assert_safe_and_complete(download(usage, "staff_items_csv"),
                                    {normalise_text(answer) for answer in typed})
    questions = [rows[0]] + [row for row in rows[1:] if len(row) == len(rows[0])]  # the whole test's rows are short
    counted = dict(zip(column(questions, "Wrong answer"), column(questions, "Learners who gave it")))
    assert counted.pop("-2") == str(len(typed)), "a negative number is written as a number"
    assert all(is_number(count) for count in counted.values())
