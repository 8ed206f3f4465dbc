"""The quiz's tracking events through its handlers (docs/events.md): per counted attempt, the key shown, a reset."""

from __future__ import annotations

import pytest

from factories import olx, open_as

ANSWERS = {"single": "c122", "multiple": ["c87"], "truefalse": False, "numeric": 1895, "text": "mondragon"}


@pytest.mark.parametrize("show_answer, shown", [("always", True), ("never", False), ("finished", False)])
def test_each_counted_attempt_publishes_problem_check_and_showanswer_when_the_key_is_shown(
        make_block, call, show_answer, shown):
    usage_id = make_block(olx("quiz_events", show_answer=show_answer), user="amina").scope_ids.usage_id
    for attempt in (1, 2):
        published: list = []
        status, reply = call(open_as(usage_id, "amina", published), "submit", {"attempt": attempt, "answers": ANSWERS})
        assert status == 200, reply
        assert [kind for kind, _ in published] == ["grade", "problem_check"] + (["showanswer"] if shown else [])
        check = published[1][1]
        assert (check["attempts"], check["grade"], check["max_grade"]) == (attempt, 5, 7)
        assert bool(check["state"]["done"]) is (attempt == 2)  # the state before the attempt
    published = []
    status, reply = call(open_as(usage_id, "amina", published), "submit", {"attempt": 2, "answers": ANSWERS})
    assert status == 409 and published == []  # a refused attempt publishes nothing


def test_a_staff_reset_of_attempts_is_published_with_the_learner_it_is_for(make_block, call):
    usage_id = make_block(olx("quiz_events"), user="amina").scope_ids.usage_id
    assert call(open_as(usage_id, "amina"), "submit", {"attempt": 1, "answers": ANSWERS})[0] == 200
    published: list = []
    status, reply = call(open_as(usage_id, "staff", published), "staff_reset", {"learner": "amina"})
    assert status == 200, reply
    assert published == [("sse_academy.quiz.attempts_reset",
                          {"problem_id": str(usage_id), "learner_id": "amina", "attempts": 0})]
    published.clear()
    assert call(open_as(usage_id, "staff", published), "staff_reset", {"learner": "nobody"})[0] == 404
    assert published == []
