"""What the learner's page may show: stable shuffling and the show-answer policy."""

import pytest

from sse_academy_xblock.i18n import BlockTranslator
from sse_academy_xblock.quiz import presentation
from sse_academy_xblock.quiz.questions import Choice, Question

QUESTION = Question(id="q", type="single", prompt="<p>Pick</p><script>alert(1)</script>", explanation="Because",
                    choices=[Choice(c, f"Choice {c}", correct=(c == "a"), feedback=f"fb {c}") for c in "abcdefgh"])


def order(seed):
    return [c.id for c in presentation.shuffled_choices(QUESTION, seed)]


def test_shuffle_is_stable_for_a_learner_and_differs_between_learners():
    assert order("learner-1|block") == order("learner-1|block")
    others = {tuple(order(f"learner-{n}|block")) for n in range(2, 12)}
    assert len(others) > 1
    assert sorted(order("learner-1|block")) == list("abcdefgh")


def settings(policy, max_attempts=2):
    return presentation.QuizSettings(max_attempts=max_attempts, show_answer=policy, shuffle=False, pass_mark=50)


def state(attempts, earned, possible=1.0):
    results = {"q": {"question_id": "q", "earned": earned, "possible": possible,
                     "status": "correct" if earned else "incorrect"}} if attempts else {}
    return presentation.LearnerState(attempts=attempts, answers={"q": "b"} if attempts else {}, results=results,
                                     earned=earned if attempts else None, possible=possible)


@pytest.mark.parametrize("policy, attempts, earned, max_attempts, revealed", [
    ("never", 2, 0, 2, False),
    ("never", 1, 1, 2, False),
    ("always", 0, 0, 2, False),
    ("always", 1, 0, 2, True),
    ("finished", 1, 0, 2, False),
    ("finished", 2, 0, 2, True),      # attempts used up
    ("finished", 1, 1, 2, True),      # full marks
    ("finished", 5, 0, 0, False),     # unlimited attempts, never full marks
])
def test_show_answer_policy(policy, attempts, earned, max_attempts, revealed):
    assert presentation.answers_revealed(settings(policy, max_attempts), state(attempts, earned)) is revealed


def test_view_hides_key_until_revealed_and_sanitises_author_html():
    t = BlockTranslator(None)
    hidden = presentation.learner_view(t, [QUESTION], "s", settings("finished"), state(1, 0))
    question = hidden["questions"][0]
    assert "<script>" not in question["prompt_html"]
    assert question["key_text"] == "" and question["explanation_html"] == ""
    assert question["result"]["feedback"] == ["fb b"]          # the learner's own choice only
    assert "correct" not in {k for c in question["choices"] for k in c}
    shown = presentation.learner_view(t, [QUESTION], "s", settings("finished"), state(2, 0))
    assert shown["questions"][0]["key_text"] == "Correct answer: Choice a"
    assert shown["questions"][0]["explanation_html"] == "Because"
    assert shown["attempts_text"] == "No attempts left."
    assert not shown["can_submit"]


MULTIPLE = Question(id="m", type="multiple", prompt="Pick some",
                    choices=[Choice("a", "A", correct=True), Choice("b", "B"), Choice("c", "C", correct=True)])


@pytest.mark.parametrize("scoring, words", [
    ("all_or_nothing", "only if you select every correct choice and no wrong one"),
    ("partial", "each wrong choice you select takes part away"),
])
def test_learners_are_told_how_select_all_questions_are_scored(scoring, words):
    """Partial credit takes points away for wrong choices: a learner must know before answering."""
    t = BlockTranslator(None)
    rules = presentation.QuizSettings(max_attempts=0, show_answer="never", shuffle=False, pass_mark=50,
                                      multiple_scoring=scoring)
    view = presentation.learner_view(t, [MULTIPLE, QUESTION], "s", rules, state(0, 0))
    multiple, single = view["questions"]
    assert words in multiple["scoring_text"]
    assert single["scoring_text"] == ""
