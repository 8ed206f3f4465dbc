"""Self-assessment: once, before the grade; shown beside the peers' grade or counted with the author's weight;
the cohort's self-minus-peer gap for staff; never more possible points."""

from functools import partial

import pytest

from factories import ANALYSIS_AND_RIGHTS, peer_item, review, submit
from sse_academy_xblock.peer import self_assessment
from sse_academy_xblock.peer.models import GradeDelivery, PeerSubmission, SelfAssessment
from sse_academy_xblock.refusals import Refusal

make_item = partial(peer_item, usage_id="block-self", rubric=ANALYSIS_AND_RIGHTS, reviews_required=1,
                    reviews_to_give=1)


class T:
    def gettext(self, text):
        return text

    def ngettext(self, one, many, n):
        return one if n == 1 else many


def sub_of(user, item):
    return PeerSubmission.objects.get(usage_id=item.usage_id, anonymous_user_id=user)


def test_the_formula_weighs_self_beside_peers():
    # analysis: peers 2, self 4, w 0.25 -> 2.5 -> 3 (a half rounded up); rights: peers 3, self 0 -> 2.25 -> 2
    assert self_assessment.combined_medians(["analysis", "rights"], {"analysis": 2, "rights": 3},
                                            {"analysis": 4, "rights": 0}, 0.25) == {"analysis": 3, "rights": 2}
    assert self_assessment.combined_medians(["analysis"], {"analysis": 2}, {"analysis": 4}, 0) == {"analysis": 2}


def test_off_by_default_refuses_the_step(db):
    item = make_item()
    submit(item, "a")
    with pytest.raises(Refusal) as info:
        self_assessment.submit(item, "a", {"options": {"analysis": 2, "rights": 1}})
    assert info.value.status == 409
    assert SelfAssessment.objects.count() == 0


def test_shown_self_score_is_compared_not_counted(db):
    item = make_item(self_assessment="shown")
    submit(item, "a", "b")
    self_assessment.submit(item, "a", {"options": {"analysis": 2, "rights": 1}})  # 4 + 3: the best
    with pytest.raises(Refusal, match="already assessed"):
        self_assessment.submit(item, "a", {"options": {"analysis": 0, "rights": 0}})
    review(item, "a", 1)
    review(item, "b", 1)  # b gives a: analysis 2, rights 3
    a = sub_of("a", item)
    assert a.final_points == 5 and a.points_possible == 7
    view = self_assessment.learner_view(item, a, T())
    assert [(r["self"], r["peers"], r["gap"]) for r in view["rows"]] == [("4", "2", "+2"), ("3", "3", "0")]
    assert not view["counted"] and not view["open"]
    gaps = {g["criterion"]: g["mean_gap"] for g in self_assessment.cohort_gaps(item)}
    assert gaps == {"analysis": 2.0, "rights": 0.0}


def test_counted_self_score_weighs_in_the_grade_and_never_adds_possible_points(db):
    item = make_item(self_assessment="counted", self_weight=0.25)
    submit(item, "a", "b")
    self_assessment.submit(item, "a", {"options": {"analysis": "2", "rights": "0"}})
    review(item, "a", 1)
    review(item, "b", 1)
    a = sub_of("a", item)
    # analysis 0.75 x 2 + 0.25 x 4 = 2.5 -> 3; rights 0.75 x 3 + 0.25 x 0 = 2.25 -> 2
    assert a.medians == {"analysis": 3, "rights": 2} and a.final_points == 5 and a.points_possible == 7
    delivery = GradeDelivery.objects.get(submission=a)
    assert (delivery.points, delivery.points_possible) == (5, 7)
    stored = SelfAssessment.objects.get(submission=a)
    assert stored.peer_medians == {"analysis": 2, "rights": 3} and stored.weight == 0.25
    # b did not assess: peers alone.
    assert sub_of("b", item).final_points == 5


def test_the_step_closes_when_the_response_is_graded(db):
    item = make_item(self_assessment="counted")
    submit(item, "a", "b")
    review(item, "a", 1)
    review(item, "b", 1)
    with pytest.raises(Refusal, match="already been graded") as info:
        self_assessment.submit(item, "a", {"options": {"analysis": 2, "rights": 1}})
    assert info.value.status == 409


@pytest.mark.parametrize("payload", [None, {"options": []}, {"options": {"analysis": 9, "rights": 0}},
                                     {"options": {"analysis": 1}}, {"options": {"analysis": 1, "rights": 0, "x": 1}},
                                     {"options": {"analysis": True, "rights": 0}}])
def test_bad_self_assessments_are_refused_and_nothing_is_stored(db, payload):
    item = make_item(self_assessment="shown")
    submit(item, "a")
    with pytest.raises(Refusal) as info:
        self_assessment.submit(item, "a", payload)
    assert info.value.status == 400
    assert SelfAssessment.objects.count() == 0


def test_without_a_response_there_is_nothing_to_assess(db):
    item = make_item(self_assessment="shown")
    with pytest.raises(Refusal, match="Submit your own response") as info:
        self_assessment.submit(item, "nobody", {"options": {"analysis": 1, "rights": 0}})
    assert info.value.status == 409


def test_the_csv_lists_each_criterion_beside_the_peers(db):
    item = make_item(self_assessment="shown")
    submit(item, "a", "b")
    self_assessment.submit(item, "a", {"options": {"analysis": 0, "rights": 1}})
    review(item, "a", 1)
    review(item, "b", 1)
    rows = list(self_assessment.csv_rows(item))
    a = sub_of("a", item)
    assert rows == [("a", a.pk, "analysis", 0, 2, -2, 0.0), ("a", a.pk, "rights", 3, 3, 0, 0.0)]


def test_a_counted_self_assessment_is_explained_with_its_numbers(db):
    from sse_academy_xblock.peer import learner_state

    item = make_item(self_assessment="counted", self_weight=0.25)
    submit(item, "a", "b")
    self_assessment.submit(item, "a", {"options": {"analysis": 2, "rights": 0}})
    review(item, "a", 1)
    review(item, "b", 1)
    state = learner_state.learner_state(item, "a", T())
    lines = [m["text"] for m in state["grade"]["medians"]]
    assert lines == ["3 of 4 points (peers' grade 2, your self-assessment 4)",
                     "2 of 3 points (peers' grade 3, your self-assessment 0)"]
    assert "counted for 25%" in state["grade"]["how"] and "weighted 75%" in state["grade"]["how"]
    # shown, not counted: the peers' medians are explained as before
    other = make_item(usage_id="block-self-2", self_assessment="shown")
    submit(other, "a", "b")
    self_assessment.submit(other, "a", {"options": {"analysis": 2, "rights": 0}})
    review(other, "a", 1)
    review(other, "b", 1)
    state = learner_state.learner_state(other, "a", T())
    assert "median of" in state["grade"]["medians"][0]["text"] and "self-assessment" not in state["grade"]["how"]
