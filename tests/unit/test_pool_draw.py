"""Question pools (sse_academy_xblock.quiz.pools): the draw, its balance, and what the OLX says of pools."""

from __future__ import annotations

from collections import Counter

import pytest

from sse_academy_xblock.olx import OLXError
from sse_academy_xblock.quiz import grading, olx, pools
from sse_academy_xblock.quiz.pools import Pool
from sse_academy_xblock.quiz.questions import Question


def _english(text):
    return text


def tf(qid, pool=None, points=1.0, dimension=None):
    return Question(id=qid, type="truefalse", prompt=f"<p>{qid}</p>", answer=True, points=points,
                    dimension=dimension, pool=pool)


def quiz(size=6, draw=2, balanced=False):
    questions = [tf("fixed")] + [tf(f"p{i}", pool="p") for i in range(size)]
    return questions, [Pool("p", draw, balanced)]


def test_a_quiz_without_pools_asks_every_question():
    questions = [tf("a"), tf("b")]
    assert pools.draw(questions, [], "learner|block") == questions


def test_the_draw_is_the_same_for_a_learner_every_time_and_keeps_the_authors_order():
    questions, pool_list = quiz()
    first = pools.draw(questions, pool_list, "anon-1|block-1")
    assert [q.id for q in first] == [q.id for q in pools.draw(questions, pool_list, "anon-1|block-1")]
    assert first[0].id == "fixed" and len(first) == 3
    order = [q.id for q in questions]
    assert [order.index(q.id) for q in first] == sorted(order.index(q.id) for q in first)


def test_learners_and_blocks_get_different_draws():
    questions, pool_list = quiz(size=10, draw=3)
    draws = {tuple(q.id for q in pools.draw(questions, pool_list, f"anon-{n}|block")) for n in range(30)}
    assert len(draws) > 10
    by_block = {tuple(q.id for q in pools.draw(questions, pool_list, f"anon|block-{n}")) for n in range(30)}
    assert len(by_block) > 10


def test_a_new_draw_per_attempt_changes_with_the_attempt_and_only_then():
    questions, pool_list = quiz(size=10, draw=3)
    fixed = {pools.round_of(False, attempt) for attempt in range(1, 5)}
    assert fixed == {0}
    rounds = [tuple(q.id for q in pools.draw(questions, pool_list, "anon|b", pools.round_of(True, a)))
              for a in range(1, 9)]
    assert len(set(rounds)) > 3
    assert rounds[0] == tuple(q.id for q in pools.draw(questions, pool_list, "anon|b", 1))


def test_over_many_learners_each_question_is_drawn_about_as_often():
    questions, pool_list = quiz(size=5, draw=2)
    counts = Counter(q.id for n in range(2000) for q in pools.draw(questions, pool_list, f"learner-{n}|block")
                     if q.pool)
    expected = 2000 * 2 / 5  # 800 each
    assert set(counts) == {f"p{i}" for i in range(5)}
    # chi-square with 4 degrees of freedom: 18.5 is the 0.1% critical value
    chi2 = sum((c - expected) ** 2 / expected for c in counts.values())
    assert chi2 < 18.5, counts


def mixed():
    questions = ([tf(f"e{i}", pool="p", dimension="employment") for i in range(4)]
                 + [tf(f"r{i}", pool="p", dimension="rights_at_work") for i in range(2)])
    return questions


def test_a_balanced_draw_gives_every_learner_the_same_points_per_dimension():
    questions = mixed()
    pool_list = [Pool("p", 3, balanced=True)]
    assert pools.pool_problems(pool_list, questions, "employment", _english) == []
    seen = set()
    for n in range(200):
        drawn = pools.draw(questions, pool_list, f"l{n}|b", 0, "employment")
        assert grading.possible_by_dimension(drawn, "employment") == {"employment": 2.0, "rights_at_work": 1.0}
        seen.add(tuple(q.id for q in drawn))
    assert len(seen) == 12  # C(4,2) * C(2,1): every balanced combination occurs


def test_a_pool_over_several_dimensions_must_be_balanced_and_divide_evenly():
    questions = mixed()
    problems = pools.pool_problems([Pool("p", 3)], questions, "employment", _english)
    assert len(problems) == 1 and "several Decent Work dimensions" in problems[0]
    problems = pools.pool_problems([Pool("p", 2, balanced=True)], questions, "employment", _english)
    assert len(problems) == 1 and "drawing 2 of 6 questions" in problems[0]


@pytest.mark.parametrize("draw", [0, 7])
def test_the_number_drawn_is_between_1_and_the_pool_size(draw):
    questions, _pools = quiz(size=6)
    problems = pools.pool_problems([Pool("p", draw)], questions, "employment", _english)
    assert problems == ["Pool \u201cp\u201d: the number of questions to draw must be from 1 to 6, the questions in "
                        "the pool."]


def test_the_questions_of_a_pool_have_equal_points():
    questions = [tf("a", pool="p"), tf("b", pool="p", points=2.0)]
    problems = pools.pool_problems([Pool("p", 1)], questions, "employment", _english)
    assert len(problems) == 1 and "same points" in problems[0]


def test_unknown_empty_and_twice_named_pools_are_refused():
    questions = [tf("a", pool="ghost"), tf("b", pool="p")]
    problems = pools.pool_problems([Pool("p", 1), Pool("p", 1), Pool("empty", 1)], questions, "employment",
                                   _english)
    assert any("two pools" in p for p in problems)
    assert any("has no questions" in p for p in problems)
    assert any("no pool \u201cghost\u201d" in p for p in problems)


def test_max_points_are_one_draws_points():
    questions, pool_list = quiz(size=6, draw=2)
    assert grading.max_points(pools.representative(questions, pool_list, "employment")) == 3.0


POOLED = """<sse_quiz display_name="Pools" dimension="employment" redraw="true">
  <question id="intro" type="truefalse" answer="true"><prompt>Intro</prompt></question>
  <pool id="rights" draw="2" balanced="true">
    <question id="r1" type="truefalse" answer="true" dimension="rights_at_work"><prompt>R1</prompt></question>
    <question id="r2" type="truefalse" answer="false" dimension="rights_at_work"><prompt>R2</prompt></question>
    <question id="e1" type="numeric" answer="12" tolerance="1"><prompt>E1</prompt></question>
    <question id="e2" type="text"><prompt>E2</prompt><answer>ILO</answer></question>
  </pool>
  <question id="outro" type="truefalse" answer="false"><prompt>Outro</prompt></question>
</sse_quiz>"""


def test_pools_read_and_write_back_the_same():
    settings, questions = olx.parse_quiz_string(POOLED)
    assert settings["redraw"] is True
    assert settings["pools"] == [{"id": "rights", "draw": 2, "balanced": True}]
    assert [(q.id, q.pool) for q in questions] == [("intro", None), ("r1", "rights"), ("r2", "rights"),
                                                   ("e1", "rights"), ("e2", "rights"), ("outro", None)]
    exported = olx.quiz_to_string(settings, questions)
    assert '<pool id="rights" draw="2" balanced="true">' in exported
    assert olx.parse_quiz_string(exported) == (settings, questions)


def test_olx_without_pools_writes_no_pool_and_no_redraw():
    text = '<sse_quiz><question id="q" type="truefalse" answer="true"><prompt>Q</prompt></question></sse_quiz>'
    settings, questions = olx.parse_quiz_string(text)
    assert settings["pools"] == [] and settings["redraw"] is False and questions[0].pool is None
    exported = olx.quiz_to_string(settings, questions)
    assert "pool" not in exported and "redraw" not in exported


def test_a_pools_questions_are_written_together_where_its_first_question_is():
    settings, questions = olx.parse_quiz_string(POOLED)
    questions.append(questions.pop(1))  # r1 moved to the end, away from its pool
    again = olx.parse_quiz_string(olx.quiz_to_string(settings, questions))[1]
    assert [q.id for q in again] == ["intro", "r2", "e1", "e2", "r1", "outro"]


@pytest.mark.parametrize("body, message", [
    ('<pool draw="1"><question id="a" type="truefalse" answer="true"/></pool>', "needs an id"),
    ('<pool id="p"><question id="a" type="truefalse" answer="true"/></pool>', "needs draw"),
    ('<pool id="p" draw="2"><question id="a" type="truefalse" answer="true"><prompt>A</prompt></question></pool>',
     "from 1 to 1"),
    ('<pool id="p" draw="1" size="2"><question id="a" type="truefalse" answer="true"/></pool>', "size"),
    ('<pool id="p" draw="1"><pool id="q" draw="1"/></pool>', "pool"),
    ('<pool id="p" draw="1"/>', "has no questions"),
])
def test_bad_pools_are_refused_with_a_message(body, message):
    with pytest.raises(OLXError, match=message):
        olx.parse_quiz_string(f"<sse_quiz>{body}</sse_quiz>")


def test_the_editor_refuses_more_pools_than_a_quiz_can_have_questions():
    from sse_academy_xblock.quiz.authoring import validate_studio_payload
    from sse_academy_xblock.quiz.questions import DEFAULT_SETTINGS, MAX_QUESTIONS

    payload = {**DEFAULT_SETTINGS, "pass_mark": "60", "questions": [],
               "pools": [{"id": f"p{n}", "draw": 1} for n in range(MAX_QUESTIONS + 1)]}
    _settings, _questions, errors = validate_studio_payload(payload, _english)
    assert errors == ["The question pools are not in the expected form."]
