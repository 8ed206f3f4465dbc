"""A quiz with question pools, through the real handlers: what each learner is asked, graded on and told,
what never reaches their browser, and what staff, the profile and the item analysis see."""

from __future__ import annotations

import json
import random

import pytest

from spreadsheets import read_back
from sse_academy_xblock.quiz.models import QuizItemAnswer

# Two pools. "rights" (draw 2 of 4, balanced: 1 rights-at-work + 1 employment) and "facts" (draw 1 of 3).
# Each pooled question's key carries a marker, so a key that reaches the browser is found.
QUIZ = """
<sse_quiz display_name="Pooled" dimension="employment" show_answer="{policy}" max_attempts="{attempts}"{redraw}>
  <question id="intro" type="truefalse" answer="true" points="2"><prompt>Intro</prompt></question>
  <pool id="rights" draw="2" balanced="true">
    <question id="r1" type="text" dimension="rights_at_work"><prompt>R1</prompt><answer>KEYRONE</answer></question>
    <question id="r2" type="text" dimension="rights_at_work"><prompt>R2</prompt><answer>KEYRTWO</answer></question>
    <question id="e1" type="numeric" answer="1111.5" tolerance="0.25"><prompt>E1</prompt>
      <explanation>EXPLAINEONE</explanation></question>
    <question id="e2" type="numeric" answer="2222.5"><prompt>E2</prompt><explanation>EXPLAINETWO</explanation>
    </question>
  </pool>
  <pool id="facts" draw="1">
    <question id="f1" type="single"><prompt>F1</prompt><choice id="a" correct="true">A<feedback>FEEDFA</feedback>
      </choice><choice id="b">B</choice></question>
    <question id="f2" type="text"><prompt>F2</prompt><answer>KEYFTWO</answer></question>
    <question id="f3" type="text"><prompt>F3</prompt><answer>KEYFTHREE</answer></question>
  </pool>
</sse_quiz>
"""
MARKERS = {"r1": ["KEYRONE"], "r2": ["KEYRTWO"], "e1": ["1111", "EXPLAINEONE"], "e2": ["2222", "EXPLAINETWO"],
           "f1": ["FEEDFA"], "f2": ["KEYFTWO"], "f3": ["KEYFTHREE"]}
RIGHT = {"intro": True, "r1": "KEYRONE", "r2": "KEYRTWO", "e1": "1111.5", "e2": "2222.5", "f1": "a",
         "f2": "KEYFTWO", "f3": "KEYFTHREE"}
POOLED = set(MARKERS)


def quiz(policy="always", attempts=3, redraw=False):
    return QUIZ.format(policy=policy, attempts=attempts, redraw=' redraw="true"' if redraw else "")


def rendered(block):
    fragment = block.render("student_view", {})
    return fragment.body_html() + "".join(r.data for r in fragment.resources if r.kind == "text")


def asked(block, attempt=1):
    return [q.id for q in block.asked_questions(attempt)]


def undrawn_markers(drawn):
    return [m for qid in POOLED - set(drawn) for m in MARKERS[qid]]


def test_each_learner_is_asked_the_fixed_questions_and_a_balanced_draw(make_block):
    block = make_block(quiz())
    draws = set()
    for n in range(12):
        learner = make_block.as_user(block, f"learner_{n}")
        drawn = asked(learner)
        assert drawn[0] == "intro" and len(drawn) == 4
        assert len({"r1", "r2"} & set(drawn)) == 1 and len({"e1", "e2"} & set(drawn)) == 1
        assert len({"f1", "f2", "f3"} & set(drawn)) == 1
        page = rendered(learner)
        for qid in POOLED:
            assert (f'data-question="{qid}"' in page) == (qid in drawn), qid
        assert asked(make_block.as_user(block, f"learner_{n}")) == drawn  # a reload: the same draw
        draws.add(tuple(drawn))
    assert len(draws) > 3


def test_every_learner_can_earn_the_same_points_and_the_platform_reads_one_max_score(make_block):
    block = make_block(quiz())
    assert block.max_score() == 5.0  # intro 2 + rights 2 + facts 1
    assert block.possible_by_dimension() == {"employment": 4.0, "rights_at_work": 1.0}


@pytest.mark.parametrize("policy", ["always", "finished", "never"])
def test_the_key_of_an_undrawn_question_never_reaches_the_browser(make_block, call, policy):
    block = make_block(quiz(policy=policy, attempts=1))
    for n in range(6):
        learner = make_block.as_user(block, f"learner_{n}")
        drawn = asked(learner)
        hidden = undrawn_markers(drawn)
        assert not [m for m in hidden if m in rendered(learner)]
        status, reply = call(learner, "submit", {"attempt": 1, "answers": {q: RIGHT[q] for q in drawn}})
        assert status == 200, reply
        text = json.dumps(reply, ensure_ascii=False) + rendered(make_block.as_user(block, f"learner_{n}"))
        assert not [m for m in hidden if m in text]
        if policy == "always":  # the drawn questions' key is shown, as for any quiz
            assert any(m in text for qid in drawn if qid in POOLED for m in MARKERS[qid])
        assert json.dumps(block.student_view_data()).count("KEY") == 0


def test_the_mobile_api_lists_no_pooled_question_and_says_what_each_pool_asks(make_block):
    """The Course Blocks API collects ``student_view_data`` once, for no learner: a pooled question, which a
    learner may not be asked, is not listed; each pool says how many of its questions a learner is asked."""
    data = make_block(quiz()).student_view_data()
    assert [q["id"] for q in data["questions"]] == ["intro"]
    assert data["pools"] == [{"id": "rights", "asked": 2, "questions": 4, "points_each": 1},
                             {"id": "facts", "asked": 1, "questions": 3, "points_each": 1}]
    text = json.dumps(data)
    assert not [qid for qid in ("R1", "E1", "F1", "F2") if f"<p>{qid}</p>" in text or f'"{qid}"' in text]


def test_an_answer_to_an_undrawn_question_is_refused_and_nothing_is_counted(make_block, call):
    learner = make_block(quiz())
    drawn = asked(learner)
    other = sorted(POOLED - set(drawn))[0]
    status, reply = call(learner, "submit", {"attempt": 1, "answers": {**{q: RIGHT[q] for q in drawn},
                                                                       other: RIGHT[other]}})
    assert status == 400 and f'no question with the id \\"{other}\\"' in json.dumps(reply)
    assert learner.attempts == 0 and learner.raw_earned is None
    assert not QuizItemAnswer.objects.exists()


def test_grading_and_the_profile_count_the_drawn_questions_only(make_block, call):
    learner = make_block(quiz())
    drawn = asked(learner)
    pooled = [q for q in drawn if q in POOLED]
    answers = {q: RIGHT[q] for q in drawn}
    answers[pooled[0]] = "999" if pooled[0].startswith("e") else "wrong"
    status, reply = call(learner, "submit", {"attempt": 1, "answers": answers})
    assert status == 200, reply
    assert (learner.raw_earned, learner.raw_possible) == (4.0, 5.0)
    assert set(learner.results) == set(drawn)
    breakdown = learner.learner_breakdown()
    assert {d: v["possible"] for d, v in breakdown.items()} == learner.possible_by_dimension()
    assert learner.calculate_score().raw_earned == 4.0  # a rescore grades the same questions
    # every attempt set (the first attempt is also the last, and one of all) holds the drawn questions only
    for attempts in ("first", "last", "all"):
        assert sorted(QuizItemAnswer.objects.filter(attempts=attempts).values_list("question_id", flat=True)) == sorted(
            drawn), attempts


def test_the_draw_is_kept_across_attempts_unless_a_new_draw_per_attempt_is_asked(make_block, call):
    fixed = make_block(quiz(attempts=5))
    first = asked(fixed)
    call(fixed, "submit", {"attempt": 1, "answers": {"intro": False}})
    assert [q["id"] for q in fixed._learner_view()["questions"]] == first

    changed = 0
    for n in range(6):
        learner = make_block(quiz(attempts=5, redraw=True), user=f"learner_{n}")
        before = [q["id"] for q in learner._learner_view()["questions"]]
        assert before == asked(learner, 1)
        # a wrong answer, so that another attempt may be made
        status, reply = call(learner, "submit", {"attempt": 1, "answers": {**{q: RIGHT[q] for q in before},
                                                                           "intro": False}})
        assert status == 200, reply
        after = [q["id"] for q in reply["view"]["questions"]]
        assert after == asked(learner, 2)
        # the page that submitted gets the results of the questions it asked, and is told of the new draw
        if after != before:
            assert [q["id"] for q in reply["view"]["last_attempt"]] == before
            assert all(q["result"] for q in reply["view"]["last_attempt"])
            assert reply["view"]["new_draw"] and "other questions" in reply["message"]
        else:
            assert not reply["view"]["new_draw"] and reply["view"]["last_attempt"] == []
        # the key of a question the learner has not answered yet is not shown, even with show_answer="always"
        assert not [m for qid in set(after) - set(before) for m in MARKERS.get(qid, []) if m in json.dumps(reply)]
        changed += after != before
        status, reply = call(learner, "submit", {"attempt": 2, "answers": {q: RIGHT[q] for q in after}})
        assert status == 200, reply
        assert (learner.raw_earned, learner.raw_possible) == (5.0, 5.0)
        # full marks close the quiz: the page then shows the questions of the last attempt, with their key
        closed = [q["id"] for q in reply["view"]["questions"]]
        assert closed == after and all(q["key_text"] for q in reply["view"]["questions"])
    assert changed >= 2  # a redraw repeats the same 4 questions 1 time in 12


def test_staff_see_which_questions_each_learner_drew_in_the_panel_and_the_csv(make_block, call):
    block = make_block(quiz())
    drawn = {}
    for n in range(3):
        learner = make_block.as_user(block, f"learner_{n}")
        drawn[learner.anonymous_id] = [q for q in asked(learner) if q in POOLED]
        call(learner, "submit", {"attempt": 1, "answers": {"intro": True}})
    staff = make_block.as_user(block, "staff")
    page = staff.render("student_view", {}).body_html()
    assert "Questions drawn" in page
    for anon, ids in drawn.items():
        assert f'<td data-role="staff-drawn">{", ".join(ids)}</td>' in page
    status, text = call(staff, "staff_csv", method="GET")
    assert status == 200
    rows = read_back(text, ",")
    assert rows[0][-1] == "Questions drawn (ids)"
    assert {r[0]: r[-1] for r in rows[1:]} == {anon: ", ".join(ids) for anon, ids in drawn.items()}


def test_item_analysis_counts_each_question_over_the_learners_who_drew_it(make_block, call):
    """Seeded learners see different questions; each question's n, difficulty and mean are checked against
    a computation here."""
    block = make_block(quiz())
    rng = random.Random(24)
    expected: dict[str, list[float]] = {}
    for n in range(40):
        learner = make_block.as_user(block, f"learner_{n}")
        answers = {}
        for qid in asked(learner):
            right = rng.random() < 0.6
            wrong = {"intro": False, "f1": "b", "e1": "0", "e2": "0"}.get(qid, "no")
            answers[qid] = RIGHT[qid] if right else wrong
            expected.setdefault(qid, []).append(1.0 if right else 0.0)
        status, reply = call(learner, "submit", {"attempt": 1, "answers": answers})
        assert status == 200, reply
    status, data = call(make_block.as_user(block, "staff"), "staff_items", {})
    assert status == 200, data
    assert data["learners"] == 40
    by_id = {row["id"]: row for row in data["items"]}
    assert by_id["intro"]["learners"] == 40
    for qid, scores in expected.items():
        assert by_id[qid]["learners"] == len(scores), qid
        assert by_id[qid]["difficulty"] == pytest.approx(sum(scores) / len(scores)), qid
    assert sum(by_id[q]["learners"] for q in ("f1", "f2", "f3")) == 40
    assert sum(by_id[q]["learners"] for q in ("r1", "r2")) == 40
    # the CSV gives each question its own n too
    status, text = call(make_block.as_user(block, "staff"), "staff_items_csv", method="GET")
    assert status == 200
    rows = read_back(text, ",")
    qid_col, n_col = rows[0].index("Question id"), rows[0].index("Learners")
    csv_n = {row[qid_col]: int(row[n_col]) for row in rows[1:] if row[0] != "Whole test"}
    assert csv_n == {qid: len(scores) for qid, scores in expected.items()} | {
        qid: 0 for qid in POOLED if qid not in expected}
    # and, for its text and numeric questions, the wrong answers of the learners who drew it, with their counts
    wrong_col, count_col = rows[0].index("Wrong answer"), rows[0].index("Learners who gave it")
    csv_wrong = {row[qid_col]: (row[wrong_col], row[count_col]) for row in rows[1:]
                 if row[0] != "Whole test" and row[wrong_col]}
    typed = {"r1": "no", "r2": "no", "f2": "no", "f3": "no", "e1": "0", "e2": "0"}
    assert csv_wrong == {qid: (typed[qid], str(len(scores) - int(sum(scores))))
                         for qid, scores in expected.items() if qid in typed and sum(scores) < len(scores)}


# --- authoring -------------------------------------------------------------------------------


def editor_payload(block):
    return {**block.quiz_settings(), "pass_mark": "60", "weight": None, "max_attempts": 3,
            "questions": [dict(q) for q in block.questions], "pools": [dict(p) for p in block.pools]}


def test_the_editor_shows_and_saves_pools(make_block, call):
    block = make_block(quiz(), user="staff")
    html = block.render("studio_view", {}).body_html()
    assert 'data-role="pools"' in html and 'data-setting="redraw"' in html
    body = editor_payload(block)
    body["pools"][1]["draw"] = "2"
    body["redraw"] = True
    body["questions"][-1]["pool"] = None  # f3 leaves its pool: asked of everyone
    status, data = call(block, "studio_submit", body)
    assert status == 200, data
    assert block.pools == [{"id": "rights", "draw": 2, "balanced": True}, {"id": "facts", "draw": 2, "balanced": False}]
    assert block.redraw is True and block.max_score() == 7.0


@pytest.mark.parametrize("change, message", [
    (lambda b: b["pools"][1].update(draw="4"), "Pool “facts”: the number of questions to draw must be from 1 to 3"),
    (lambda b: b["pools"][1].update(draw="0"), "must be from 1 to 3"),
    (lambda b: b["pools"][1].update(draw="1,5"), "must be a whole number"),
    (lambda b: b["questions"][5].update(points="3"), "Pool “facts”: its questions must all have the same points"),
    (lambda b: b["pools"][0].update(balanced=False), "Pool “rights”: its questions are on several Decent Work"),
    (lambda b: b["pools"][0].update(draw="1"), "does not give a whole number of questions per dimension"),
    (lambda b: b["questions"][1].update(pool="ghost"), "Question 2: there is no pool “ghost”."),
    (lambda b: b.update(pools="rights"), "The question pools are not in the expected form."),
])
def test_the_editor_refuses_pools_that_would_give_learners_different_scores(make_block, call, change, message):
    block = make_block(quiz(), user="staff")
    before = (list(block.pools), list(block.questions))
    body = editor_payload(block)
    change(body)
    status, data = call(block, "studio_submit", body)
    assert status == 400 and any(message in e for e in data["errors"]), data["errors"]
    assert (list(block.pools), list(block.questions)) == before


@pytest.mark.parametrize("language, words", [("fr", ("Groupes de questions", "Tirage")),
                                               ("es", ("Grupos de preguntas", "sorteo"))])
def test_pools_speak_french_and_spanish(make_block, call, language, words):
    from django.utils import translation

    block = make_block(quiz(), user="staff")
    with translation.override(language):
        html = block.render("studio_view", {}).body_html()
        body = editor_payload(block)
        body["pools"][1]["draw"] = "4"
        status, data = call(block, "studio_submit", body)
    assert words[0] in html
    assert status == 400 and "facts" in " ".join(data["errors"]) and "Pool “facts”" not in " ".join(data["errors"])


def test_a_pooled_quiz_exports_the_olx_it_was_imported_from(make_block):
    from lxml import etree

    from sse_academy_xblock.quiz import olx

    block = make_block(quiz(redraw=True), user="staff")
    node = etree.Element("x")
    block.add_xml_to_node(node)
    text = etree.tostring(node, encoding="unicode")
    assert 'redraw="true"' in text and '<pool id="rights" draw="2" balanced="true">' in text
    settings, questions = olx.parse_quiz(node, platform_attrs={"xblock-family"})
    assert settings["pools"] == block.pools and [q.to_dict() for q in questions] == block.questions


def test_a_quiz_without_pools_is_unchanged(make_block, call):
    block = make_block('<sse_quiz><question id="a" type="truefalse" answer="true"><prompt>A</prompt></question>'
                       '<question id="b" type="truefalse" answer="true" points="2"><prompt>B</prompt></question>'
                       '</sse_quiz>')
    assert asked(block) == ["a", "b"] and block.max_score() == 3.0 and block.pools == []
    staff = make_block.as_user(block, "staff")
    call(block, "submit", {"attempt": 1, "answers": {"a": True}})
    assert "Questions drawn" not in staff.render("student_view", {}).body_html()
    status, text = call(staff, "staff_csv", method="GET")
    assert "drawn" not in text


def test_studio_shows_an_error_when_a_pool_no_longer_gives_every_learner_the_same_points(make_block):
    block = make_block(quiz(), user="staff")
    assert not [m for m in block.validate().messages if m.type == "error"]
    block.dimension = "rights_at_work"  # e1 and e2 follow the quiz's dimension: the pool "rights" is all one
    assert not [m for m in block.validate().messages if m.type == "error"]
    block.pools = [{"id": "rights", "draw": 3, "balanced": True}, {"id": "facts", "draw": 1, "balanced": False}]
    assert not [m for m in block.validate().messages if m.type == "error"]  # 3 of 4 on one dimension: fine
    block.dimension = "employment"  # e1 and e2 back on employment: 3 of 2 + 2 cannot be split evenly
    errors = [m.text for m in block.validate().messages if m.type == "error"]
    assert errors == ["Pool “rights”: a balanced draw takes the same share of each dimension as the pool has; "
                      "drawing 3 of 4 questions does not give a whole number of questions per dimension. Change "
                      "the number drawn or the questions' dimensions."]


def test_the_profile_counts_one_draws_points_for_every_learner(make_block, call):
    from django.core.cache import cache

    cache.clear()
    root = make_block(f"<vertical_demo>{quiz()}<sse_profile/></vertical_demo>")
    quiz_key, profile_key = root.children

    def lines(user):
        profile = make_block.as_user(root, user).runtime.get_block(profile_key)
        return {line.dimension: (line.earned, line.possible) for line in
                profile.learner_profile(profile.learner_scope().visible).lines if line.possible}

    assert lines("student_1") == {"employment": (0.0, 4.0), "rights_at_work": (0.0, 1.0)}
    for n in range(4):
        user = f"learner_{n}"
        learner = make_block.as_user(root, user).runtime.get_block(quiz_key)
        drawn = asked(learner)
        status, reply = call(learner, "submit", {"attempt": 1, "answers": {q: RIGHT[q] for q in drawn}})
        assert status == 200, reply
        # every learner, whatever they drew: all the points, out of the same possible points
        assert lines(user) == {"employment": (4.0, 4.0), "rights_at_work": (1.0, 1.0)}
    cache.clear()
