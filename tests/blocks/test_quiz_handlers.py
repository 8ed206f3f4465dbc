"""The quiz on the workbench's real runtime: submitting, attempts, scores, rescoring, state on reload."""

import pytest
from xblock.scorable import Score

from sse_academy_xblock.profile.models import DimensionScore
from sse_academy_xblock.quiz.models import QuizRoster

QUIZ = """
<sse_quiz display_name="Test quiz" dimension="rights_at_work" max_attempts="2" show_answer="finished" pass_mark="50">
  <question id="q1" type="single" points="2">
    <prompt>Which instrument of 2002 promotes cooperatives?</prompt>
    <choice id="a" correct="true">R193<feedback>Right: adopted in 2002.</feedback></choice>
    <choice id="b">C87<feedback>No: that is freedom of association.</feedback></choice>
  </question>
  <question id="q2" type="numeric" answer="1895" tolerance="0" dimension="social_dialogue">
    <prompt>ICA founded?</prompt>
  </question>
</sse_quiz>
"""
RIGHT = {"q1": "a", "q2": "1895"}
WRONG = {"q1": "b", "q2": "1900"}


@pytest.fixture
def quiz(make_block):
    return make_block(QUIZ)


@pytest.fixture
def grades(monkeypatch):
    """Capture the grade events the block publishes to the runtime (``tracking``: the other events)."""
    events, tracking = [], []

    def install(block):
        monkeypatch.setattr(block.runtime, "publish",
                            lambda b, kind, data: (events if kind == "grade" else tracking).append((kind, data)))
        return block

    install.events = events
    install.tracking = tracking
    return install


def state_of(block):
    return (block.attempts, dict(block.answers), dict(block.results), block.raw_earned, block.submits)


def test_wrong_then_right_then_out_of_attempts(quiz, call, grades):
    grades(quiz)
    status, data = call(quiz, "submit", {"attempt": 1, "answers": WRONG})
    assert status == 200
    view = data["view"]
    assert (view["earned"], view["possible"], view["passed"]) == (0, 3, False)
    assert view["questions"][0]["result"]["feedback"] == ["No: that is freedom of association."]
    assert view["questions"][0]["key_text"] == ""          # finished policy: not yet
    assert grades.events[-1] == ("grade", {"value": 0.0, "max_value": 3.0})

    status, data = call(quiz, "submit", {"attempt": 2, "answers": RIGHT})
    assert status == 200 and data["view"]["earned"] == 3 and data["view"]["passed"]
    assert data["view"]["questions"][0]["key_text"] == "Correct answer: R193"
    assert grades.events[-1] == ("grade", {"value": 3.0, "max_value": 3.0})
    assert not data["view"]["can_submit"]

    before = state_of(quiz)
    status, data = call(quiz, "submit", {"attempt": 3, "answers": WRONG})
    assert status == 409 and "used all your attempts" in data["error"]
    assert state_of(quiz) == before and len(grades.events) == 2


def test_reload_renders_the_stored_state(quiz, call, make_block):
    call(quiz, "submit", {"attempt": 1, "answers": {"q1": "b", "q2": "1895"}})
    html = make_block.as_user(quiz, "student_1").render("student_view", {}).body_html()
    assert "Your score: 1 of 3 points (33%). Not passed." in html
    assert "1 of 2 attempts left." in html
    assert 'value="b" checked' in html and 'value="1895"' in html
    assert "No: that is freedom of association." in html
    assert "Pass mark: 50%" in html


@pytest.mark.parametrize("body, status, fragment", [
    ({"attempt": 1, "answers": {"q9": "a"}}, 400, 'no question with the id "q9"'),
    ({"attempt": 1, "answers": {"q1": "z"}}, 400, "Question 1"),
    ({"attempt": 1, "answers": {"q2": "nineteen"}}, 400, "Question 2: the answer must be a number"),
    ({"attempt": 1, "answers": {"q1": 3}}, 400, "Question 1"),
    ({"attempt": 1, "answers": "a"}, 400, "object"),
    ({"answers": RIGHT}, 400, "attempt number"),
    ({"attempt": "1", "answers": RIGHT}, 400, "attempt number"),
    ({"attempt": 2, "answers": RIGHT}, 409, "already been submitted"),
])
def test_bad_submits_change_nothing(quiz, call, grades, body, status, fragment):
    grades(quiz)
    before = state_of(quiz)
    got_status, data = call(quiz, "submit", body)
    assert got_status == status and fragment in data["error"]
    assert state_of(quiz) == before
    assert grades.events == []
    assert not QuizRoster.objects.exists() and not DimensionScore.objects.exists()


def test_body_that_is_not_json_is_refused(quiz, call):
    status, data = call(quiz, "submit", raw=b"{not json")
    assert status == 400 and data["error"]
    assert call(quiz, "submit", method="GET")[0] == 405


def test_text_longer_than_1000_characters_is_refused(make_block, call):
    block = make_block('<sse_quiz><question id="t" type="text"><prompt>Name?</prompt><answer>SEWA</answer>'
                       "</question></sse_quiz>")
    status, data = call(block, "submit", {"attempt": 1, "answers": {"t": "x" * 1001}})
    assert status == 400 and "Question 1" in data["error"] and block.attempts == 0
    assert call(block, "submit", {"attempt": 1, "answers": {"t": " sewa "}})[1]["view"]["earned"] == 1


def test_the_same_attempt_sent_twice_at_once_counts_once(quiz, call, make_block):
    """Two requests that both loaded the state before either saved: the roster lets one through."""
    first = make_block.as_user(quiz, "student_1")
    second = make_block.as_user(quiz, "student_1")
    for block in (first, second):                           # both have read their state
        assert (block.submits, block.attempts) == (0, 0)
    assert call(first, "submit", {"attempt": 1, "answers": WRONG})[0] == 200
    status, data = call(second, "submit", {"attempt": 1, "answers": RIGHT})
    assert status == 409 and "already been submitted" in data["error"]
    fresh = make_block.as_user(quiz, "student_1")
    assert fresh.attempts == 1 and fresh.raw_earned == 0
    assert QuizRoster.objects.get().submits == 1


def test_dimension_scores_follow_every_score_change(quiz, call):
    call(quiz, "submit", {"attempt": 1, "answers": {"q1": "a", "q2": "1"}})
    rows = {r.dimension: (r.earned, r.possible) for r in DimensionScore.objects.filter(anonymous_user_id="student_1")}
    assert rows == {"rights_at_work": (2, 2), "social_dialogue": (0, 1)}
    call(quiz, "submit", {"attempt": 2, "answers": RIGHT})
    rows = {r.dimension: (r.earned, r.possible) for r in DimensionScore.objects.filter(anonymous_user_id="student_1")}
    assert rows == {"rights_at_work": (2, 2), "social_dialogue": (1, 1)}


def test_score_api_for_the_platform_and_the_module(quiz, call, make_block):
    assert quiz.max_score() == 3
    assert quiz.has_score and quiz.weight is None
    assert quiz.possible_by_dimension() == {"social_dialogue": 1, "rights_at_work": 2}
    assert not quiz.has_submitted_answer()
    assert quiz.learner_breakdown() == {"social_dialogue": {"earned": 0.0, "possible": 1},
                                        "rights_at_work": {"earned": 0.0, "possible": 2}}
    call(quiz, "submit", {"attempt": 1, "answers": {"q1": "a"}})
    assert quiz.has_submitted_answer()
    assert tuple(quiz.get_score()) == (2.0, 3.0)
    assert quiz.learner_breakdown() == {"social_dialogue": {"earned": 0.0, "possible": 1.0},
                                        "rights_at_work": {"earned": 2.0, "possible": 2.0}}
    other = make_block.as_user(quiz, "student_2")
    assert other.max_score() == 3 and not other.has_submitted_answer()


def test_rescore_after_the_author_fixes_the_key(make_block, call, grades):
    block = grades(make_block(QUIZ.replace('answer="1895"', 'answer="1896"')))
    call(block, "submit", {"attempt": 1, "answers": RIGHT})
    assert block.raw_earned == 2
    fixed = [dict(q) for q in block.questions]
    fixed[1]["answer"] = 1895.0
    block.questions = fixed
    block.save()
    assert tuple(block.calculate_score()) == (3.0, 3.0)
    assert block.raw_earned == 2                       # calculate_score changes nothing
    block.rescore(only_if_higher=True)
    # The new score goes to the gradebook, which decides; until it keeps it, nothing changes here.
    assert grades.events[-1] == ("grade", {"value": 3.0, "max_value": 3.0, "only_if_higher": True})
    assert block.raw_earned == 2 and block.results["q2"]["status"] != "correct"
    assert QuizRoster.objects.get().earned == 2
    block.set_score(Score(3.0, 3.0))                   # the gradebook kept it
    assert block.raw_earned == 3 and block.results["q2"]["status"] == "correct"
    row = DimensionScore.objects.get(anonymous_user_id="student_1", dimension="social_dialogue")
    assert (row.earned, row.possible) == (1, 1)
    assert QuizRoster.objects.get().earned == 3


def test_rescore_refuses_an_unanswered_quiz(quiz):
    with pytest.raises(ValueError):
        quiz.rescore(only_if_higher=False)


def test_override_score_spreads_over_dimensions_and_publishes(quiz, call, grades):
    from xblock.scorable import Score

    grades(quiz)
    call(quiz, "submit", {"attempt": 1, "answers": WRONG})
    quiz.set_score(Score(1.5, 3.0))
    quiz.publish_grade()
    assert grades.events[-1] == ("grade", {"value": 1.5, "max_value": 3.0})
    assert quiz.learner_breakdown()["rights_at_work"] == {"earned": 1.0, "possible": 2}


def test_unlimited_attempts(make_block, call):
    block = make_block('<sse_quiz max_attempts="0"><question id="t" type="truefalse" answer="true">'
                       "<prompt>?</prompt></question></sse_quiz>")
    for attempt in range(1, 5):
        assert call(block, "submit", {"attempt": attempt, "answers": {"t": False}})[0] == 200
    assert block.attempts == 4


def test_clear_student_state_forgets_roster_and_profile(quiz, call):
    call(quiz, "submit", {"attempt": 1, "answers": RIGHT})
    usage = str(quiz.scope_ids.usage_id)
    quiz.clear_student_state(user_id="student_1", course_id="c", item_id=usage, requesting_user_id="staff")
    assert not QuizRoster.objects.exists() and not DimensionScore.objects.exists()


def test_platform_reset_of_attempts_lets_the_learner_submit_again(quiz, call, make_block):
    """The instructor dashboard zeroes ``attempts`` in the learner's state; the roster follows it."""
    call(quiz, "submit", {"attempt": 1, "answers": WRONG})
    call(quiz, "submit", {"attempt": 2, "answers": WRONG})
    quiz.attempts = 0
    quiz.save()
    again = make_block.as_user(quiz, "student_1")
    again.render("student_view", {})
    assert QuizRoster.objects.get().attempts == 0
    assert call(again, "submit", {"attempt": 1, "answers": RIGHT})[0] == 200


def test_author_mode_preview_never_saves(quiz, call, monkeypatch):
    monkeypatch.setattr(type(quiz.runtime), "is_author_mode", True, raising=False)
    status, data = call(quiz, "submit", {"attempt": 1, "answers": RIGHT})
    assert status == 403 and "preview" in data["error"]
    assert "preview" in quiz.render("student_view", {}).body_html()
    assert not QuizRoster.objects.exists()


def test_completion_follows_the_published_score(quiz, call, grades):
    """Open edX completes a COMPLETABLE block without custom completion when it publishes a grade,
    so every graded submit (and only a graded one) must publish one."""
    from xblock.completable import XBlockCompletionMode

    assert XBlockCompletionMode.get_mode(type(quiz)) == XBlockCompletionMode.COMPLETABLE
    assert not getattr(type(quiz), "has_custom_completion", False)
    grades(quiz)
    assert call(quiz, "submit", {"attempt": 1, "answers": {"q4": "x"}})[0] == 400
    assert grades.events == []
    assert call(quiz, "submit", {"attempt": 1, "answers": WRONG})[0] == 200
    assert grades.events == [("grade", {"value": 0.0, "max_value": 3.0})]


def test_a_select_all_question_says_how_it_is_scored(make_block):
    block = make_block("""<sse_quiz multiple_scoring="partial"><question id="m" type="multiple"><prompt>Pick</prompt>
        <choice id="a" correct="true">A</choice><choice id="b">B</choice></question></sse_quiz>""")
    html = block.render("student_view", {}).body_html()
    assert "each wrong choice you select takes part away" in html
    fieldset = html[html.index("<fieldset"): html.index(">", html.index("<fieldset"))]
    hint_id = html.split('class="sse-muted sse-quiz-scoring" id="')[1].split('"')[0]
    assert hint_id in fieldset.split('aria-describedby="')[1].split('"')[0].split()


def test_an_attempt_without_any_answer_is_refused_and_spends_nothing(quiz, call):
    status, data = call(quiz, "submit", {"attempt": 1, "answers": {}})
    assert status == 400 and data["error"] == "Answer at least one question before you submit."
    status, data = call(quiz, "submit", {"attempt": 1, "answers": {"q1": None, "q2": ""}})
    assert status == 400
    assert quiz.attempts == 0 and quiz.raw_earned is None


def test_a_full_score_is_final_unless_the_author_allows_more_attempts(quiz, call, make_block):
    status, data = call(quiz, "submit", {"attempt": 1, "answers": RIGHT})
    assert status == 200 and not data["view"]["can_submit"]
    assert data["view"]["closed_text"] == "You have the full score on this quiz; it is final."
    status, data = call(quiz, "submit", {"attempt": 2, "answers": WRONG})
    assert status == 409 and data["error"] == "You have the full score on this quiz; it is final."
    assert (quiz.attempts, quiz.raw_earned) == (1, 3.0)

    generous = make_block(QUIZ.replace('pass_mark="50"', 'pass_mark="50" retry_after_full="true"'))
    assert call(generous, "submit", {"attempt": 1, "answers": RIGHT})[1]["view"]["can_submit"]
    status, data = call(generous, "submit", {"attempt": 2, "answers": WRONG})
    assert status == 200 and generous.raw_earned == 0.0
