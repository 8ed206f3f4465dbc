"""The answer-leak scan: nothing the browser receives reveals the key before the policy allows.

Every part of the key carries a unique marker; the rendered HTML (with the JS init data) and every
JSON reply are searched for the markers and for correctness flags.
"""

import json
import re

import pytest

MARKERS = {
    "accepted answer": "ZEBRAFINCH",
    "second accepted answer": "OKAPIWREN",
    "numeric answer": "7351.25",
    "tolerance": "0.125",
    "explanation": "EXPLAINMARKER",
    "feedback of a choice not chosen": "UNCHOSENFEEDBACK",
}

QUIZ = """
<sse_quiz display_name="Leak test" max_attempts="{attempts}" show_answer="{policy}" shuffle="{shuffle}">
  <question id="q1" type="single">
    <prompt>Pick one</prompt>
    <choice id="c1">First</choice>
    <choice id="c2">Second</choice>
    <choice id="c3" correct="true">Third<feedback>UNCHOSENFEEDBACK</feedback></choice>
    <explanation>EXPLAINMARKER one</explanation>
  </question>
  <question id="q2" type="multiple">
    <prompt>Pick some</prompt>
    <choice id="m1">One</choice><choice id="m2" correct="true">Two</choice><choice id="m3" correct="true">Three</choice>
  </question>
  <question id="q3" type="truefalse" answer="false"><prompt>Statement</prompt></question>
  <question id="q4" type="numeric" answer="7351.25" tolerance="0.125"><prompt>Number</prompt>
    <explanation>EXPLAINMARKER four</explanation></question>
  <question id="q5" type="text"><prompt>Word</prompt><answer>ZEBRAFINCH</answer><answer>OKAPIWREN</answer></question>
</sse_quiz>
"""
WRONG = {"q1": "c1", "q2": ["m1"], "q3": True, "q4": "12", "q5": "lion"}
FLAGS = [re.compile(p, re.I) for p in (r'"correct"\s*:', r'correct\s*=\s*"true"', r"data-correct", r"Correct answer")]


def rendered(block):
    """The block's HTML as the page gets it, the JS init data (an escaped JSON script tag) included."""
    fragment = block.render("student_view", {})
    html = fragment.body_html()
    assert 'class="sse-init"' in html
    return html + "".join(r.data for r in fragment.resources if r.kind == "text")


def assert_no_leak(text, where):
    for name, marker in MARKERS.items():
        assert marker not in text, f"{name} leaked in {where}"
    for flag in FLAGS:
        assert not flag.search(text), f"correctness flag {flag.pattern} in {where}"


@pytest.mark.parametrize("policy", ["never", "finished", "always"])
@pytest.mark.parametrize("shuffle", ["true", "false"])
def test_nothing_leaks_before_a_submission(make_block, policy, shuffle):
    block = make_block(QUIZ.format(attempts=2, policy=policy, shuffle=shuffle))
    assert_no_leak(rendered(block), "the first render")
    staff = make_block.as_user(block, "staff")
    assert_no_leak(rendered(staff), "the staff render")


@pytest.mark.parametrize("policy", ["never", "finished"])
def test_nothing_leaks_after_a_wrong_attempt_while_attempts_remain(make_block, call, policy):
    block = make_block(QUIZ.format(attempts=2, policy=policy, shuffle="true"))
    status, reply = call(block, "submit", {"attempt": 1, "answers": WRONG})
    assert status == 200
    assert_no_leak(json.dumps(reply, ensure_ascii=False), "the submit reply")
    assert_no_leak(rendered(make_block.as_user(block, "student_1")), "the render after submitting")
    for body in ({"attempt": 1, "answers": {"q4": "x"}}, {"attempt": 1, "answers": WRONG}, {"attempt": 9}):
        _status, error = call(block, "submit", body)
        assert_no_leak(json.dumps(error, ensure_ascii=False), "an error reply")


def test_never_policy_keeps_the_key_after_the_last_attempt(make_block, call):
    block = make_block(QUIZ.format(attempts=1, policy="never", shuffle="false"))
    _status, reply = call(block, "submit", {"attempt": 1, "answers": WRONG})
    assert not reply["view"]["can_submit"]
    assert_no_leak(json.dumps(reply, ensure_ascii=False), "the last submit reply")
    assert_no_leak(rendered(make_block.as_user(block, "student_1")), "the final render")


def test_the_key_is_shown_once_the_policy_allows(make_block, call):
    block = make_block(QUIZ.format(attempts=1, policy="finished", shuffle="false"))
    _status, reply = call(block, "submit", {"attempt": 1, "answers": WRONG})
    text = json.dumps(reply, ensure_ascii=False)
    assert "EXPLAINMARKER" in text and "ZEBRAFINCH" in text and "7351.25" in text
    assert "Correct answer: Third" in text


def test_choice_order_does_not_follow_the_key(make_block):
    """Without shuffling the author's order is kept; with it, the correct choice moves between learners."""
    block = make_block(QUIZ.format(attempts=0, policy="never", shuffle="false"))
    html = block.render("student_view", {}).body_html()
    assert html.index('value="c1"') < html.index('value="c2"') < html.index('value="c3"')
    shuffled = make_block(QUIZ.format(attempts=0, policy="never", shuffle="true"))
    positions = set()
    for n in range(12):
        html = make_block.as_user(shuffled, f"learner_{n}").render("student_view", {}).body_html()
        order = sorted(("c1", "c2", "c3"), key=lambda c: html.index(f'value="{c}"'))
        positions.add(order.index("c3"))
    assert len(positions) > 1
