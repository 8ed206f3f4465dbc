"""What the learner's page may show: stable shuffling, the show-answer policy and the results rule."""

from datetime import datetime, timedelta, timezone

import pytest

from sse_academy_xblock.deadlines import Deadline
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


# --- the platform's dates and results rule (deadlines.py) --------------------------------------------

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=timezone.utc)
BEFORE = Deadline(NOW + timedelta(days=1))
AFTER = Deadline(NOW - timedelta(days=1))


def dated(policy, deadline, max_attempts=2, show_correctness="always"):
    return presentation.QuizSettings(max_attempts=max_attempts, show_answer=policy, shuffle=False, pass_mark=50,
                                     deadline=deadline, show_correctness=show_correctness)


@pytest.mark.parametrize("policy, deadline, attempts, earned, revealed", [
    # capa_block.answer_available: past_due once the due date has passed, even without an attempt
    ("past_due", BEFORE, 2, 0, False),
    ("past_due", AFTER, 0, 0, True),
    # closed: attempts used up or past the due date; a full score alone does not close it
    ("closed", BEFORE, 1, 1, False),
    ("closed", BEFORE, 2, 0, True),
    ("closed", AFTER, 0, 0, True),
    # finished: closed, or a full score
    ("finished", BEFORE, 1, 1, True),
    ("finished", AFTER, 0, 0, True),
    ("finished", BEFORE, 1, 0, False),
    ("never", AFTER, 2, 1, False),
    ("always", AFTER, 0, 0, False),   # ours: after each submission
])
def test_show_answer_policies_follow_the_platforms_meanings(policy, deadline, attempts, earned, revealed):
    assert presentation.answers_revealed(dated(policy, deadline), state(attempts, earned), NOW) is revealed


@pytest.mark.parametrize("show, deadline, shown", [
    ("always", BEFORE, True), ("never", AFTER, False), ("past_due", BEFORE, False), ("past_due", AFTER, True),
    ("past_due", Deadline(), True),
])
def test_results_follow_show_correctness(show, deadline, shown):
    t = BlockTranslator(None)
    view = presentation.learner_view(t, [QUESTION], "s", dated("always", deadline, show_correctness=show),
                                     state(1, 1), NOW)
    question = view["questions"][0]
    assert bool(question["result"]) is shown and bool(view.get("score_text")) is shown
    assert ("earned" in view) is shown and ("passed" in view) is shown
    # Hidden results hide the answers too, whatever the show-answer policy.
    assert bool(question["key_text"]) is shown
    if not shown:
        assert view["results_text"].startswith("Your answers have been submitted.")
        assert question["result"] is None and "fb b" not in str(view)
        # A full score does not end the attempts while it is hidden: saying so would tell the score.
        assert view["can_submit"] is not deadline.passed(NOW)
        assert "full score" not in view["closed_text"]


def test_staff_see_results_unless_never_and_the_key_when_the_policy_allows():
    t = BlockTranslator(None)
    hidden = dated("past_due", BEFORE, show_correctness="past_due")
    staff_view = presentation.learner_view(t, [QUESTION], "s", hidden, state(1, 0), NOW, staff=True)
    assert staff_view["score_text"] and not staff_view["questions"][0]["key_text"]
    never = dated("finished", AFTER, show_correctness="never")
    assert not presentation.learner_view(t, [QUESTION], "s", never, state(1, 0), NOW, staff=True)["score_text"]


def test_the_page_says_when_results_will_be_shown():
    t = BlockTranslator(None)
    view = presentation.learner_view(t, [QUESTION], "s", dated("always", BEFORE, show_correctness="past_due"),
                                     state(1, 0), NOW)
    assert view["results_text"] == ("Your answers have been submitted. Your results will be shown after the due "
                                    "date, 2026-12-06 12:00 UTC.")
    view = presentation.learner_view(t, [QUESTION], "s", dated("always", BEFORE, show_correctness="never"),
                                     state(1, 0), NOW)
    assert view["results_text"] == "Your answers have been submitted. This quiz does not show results."
