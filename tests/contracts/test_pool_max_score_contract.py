"""One ``max_score()`` per block: what a quiz with question pools owes the platform's gradebook.

Platform code followed (openedx/openedx-platform at commit e57a655d77b614f19223984e9805b1fb940ab192):
lms/djangoapps/grades/transformer.py ``GradesTransformer._collect_max_scores`` walks the course's block
structure when it is collected (after a publish, not per learner) and ``_collect_max_score`` stores each
scored block's ``block.max_score()`` once, as a transformer field of the block: every learner's subsection
grade reads that one number for a block they have not attempted. So the points a learner can earn on a
quiz cannot depend on which questions were drawn for them; the quiz refuses pools whose draws could differ
in points (docs/decisions/0008-question-pools.md).

Replayed: the collection calls ``max_score()`` on the block loaded with nobody's state; the test asks it as
that block and as every learner, and compares with each learner's own possible points after a submit.
"""

from __future__ import annotations

QUIZ = """
<sse_quiz dimension="employment">
  <question id="fixed" type="truefalse" answer="true" points="3"><prompt>Fixed</prompt></question>
  <pool id="p" draw="2" balanced="true">
    <question id="a" type="truefalse" answer="true" points="2"><prompt>A</prompt></question>
    <question id="b" type="truefalse" answer="true" points="2"><prompt>B</prompt></question>
    <question id="c" type="truefalse" answer="true" points="2" dimension="rights_at_work"><prompt>C</prompt></question>
    <question id="d" type="truefalse" answer="true" points="2" dimension="rights_at_work"><prompt>D</prompt></question>
  </pool>
</sse_quiz>
"""


def _collect_max_score(block):
    """``GradesTransformer._collect_max_score``: the block's ``max_score()``, one value stored for the block."""
    return block.max_score()


def test_the_collected_max_score_is_every_learners_possible_score(make_block, call):
    collected = _collect_max_score(make_block(QUIZ, user="nobody"))
    assert collected == 7.0
    for n in range(8):
        learner = make_block(QUIZ, user=f"learner_{n}")
        assert learner.max_score() == collected
        drawn = [q.id for q in learner.asked_questions(1)]
        status, reply = call(learner, "submit", {"attempt": 1, "answers": {q: True for q in drawn}})
        assert status == 200, reply
        assert (learner.raw_earned, learner.raw_possible) == (collected, collected)
        assert learner.get_score().raw_possible == collected
