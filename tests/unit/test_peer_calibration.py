"""Calibration services and feedback to reviewers, without a runtime: order per learner, distance and tolerance,
retries, the calibration weight that seeds agreement weighting, delete-state, and the reviewer's comparison."""

import json

import pytest

from factories import ANALYSIS_AND_RIGHTS, graded_with, peer_item, submit
from sse_academy_xblock.i18n import BlockTranslator
from sse_academy_xblock.peer import calibration, gradebook, reviewer_feedback, staff_actions
from sse_academy_xblock.peer.calibration_examples import Example, calibration_weight, distance, is_within
from sse_academy_xblock.peer.models import CalibrationAttempt, ReviewerAgreement

# ANALYSIS_AND_RIGHTS: analysis (Missing 0, Partial 2, Strong 4), rights (see factories), best total 7.
EXAMPLES = tuple(
    Example(name, f"text {name}", {"analysis": analysis, "rights": rights}, {"analysis": f"why {name}"})
    for name, analysis, rights in (("one", "Strong", "Present"), ("two", "Missing", "Absent"), ("three", "Partial", "Present"),
                                   ("four", "Strong", "Absent"))
)
T = BlockTranslator()


def item(**settings):
    values = {"usage_id": "block-cal", "rubric": ANALYSIS_AND_RIGHTS, "reviews_required": 2, "reviews_to_give": 0,
              "calibration_count": 2, "calibration_tolerance": 0.3, "calibration_retries": 1,
              "calibration_examples": EXAMPLES}
    values.update(settings)
    usage, rubric = values.pop("usage_id"), values.pop("rubric")
    return peer_item(usage, rubric, **values)


def test_rubric_in_the_factories_is_what_the_examples_name():
    labels = {c.name: [o.label for o in c.options] for c in ANALYSIS_AND_RIGHTS.criteria}
    assert labels == {"analysis": ["Missing", "Partial", "Strong"], "rights": ["Absent", "Present"]}


def test_distance_tolerance_and_weight():
    assert distance({"a": 4, "b": 0}, {"a": 2, "b": 3}, 7) == pytest.approx(5 / 7)
    assert is_within(0.3, 0.3) and not is_within(0.31, 0.3) and is_within(5.0, 1.0)
    assert (calibration_weight(0.0), calibration_weight(0.25), calibration_weight(0.95), calibration_weight(None)) == (
        1.0, 0.75, 0.1, 1.0)


def test_the_order_is_fixed_per_learner_and_differs_between_learners():
    block = item()
    orders = {anon: [e.name for e in calibration.order_for(block, anon)] for anon in (f"l{i}" for i in range(12))}
    assert all(len(o) == 2 for o in orders.values())
    assert orders["l1"] == [e.name for e in calibration.order_for(block, "l1")]
    assert len({tuple(o) for o in orders.values()}) > 3
    # An example that no longer fits the rubric is never asked.
    broken = item(calibration_examples=EXAMPLES + (Example("odd", "x", {"analysis": "Gone"}),), calibration_count=5)
    assert "odd" not in [e.name for e in calibration.order_for(broken, "l1")]


def test_retries_are_bounded_and_staff_see_who_used_them_all(db):
    block = item()
    submit(block, "ana")
    first, second = calibration.order_for(block, "ana")
    far = {"options": {"analysis": 0 if first.reference["analysis"] != "Missing" else 2,
                       "rights": 1 if first.reference["rights"] == "Absent" else 0}}
    row = calibration.assess(block, "ana", first.name, far)
    assert not row.within and calibration.must_calibrate(block, "ana")
    calibration.assess(block, "ana", first.name, far)  # the one retry, far again: done all the same
    progress = calibration.progress(block, "ana")
    assert progress.current == second and progress.gave_up == [first.name]
    with pytest.raises(Exception, match="not the example"):
        calibration.assess(block, "ana", first.name, far)
    assert CalibrationAttempt.objects.count() == 2


def test_the_calibration_result_seeds_the_weight_of_a_new_reviewer(db):
    block = item(weight_by_agreement=True, calibration_tolerance=1.0)
    submit(block, "careful", "careless")
    for anon, exact in (("careful", True), ("careless", False)):
        for example in calibration.order_for(block, anon):
            ref = calibration.reference_index(example, block.rubric)
            options = ref if exact else {"analysis": 2 - ref["analysis"] if ref["analysis"] != 1 else 0,
                                         "rights": 1 - ref["rights"]}
            calibration.assess(block, anon, example.name, {"options": options})
    seeds = calibration.seed_weights(block.usage_id, ["careful", "careless", "never"])
    assert seeds["careful"] == 1.0 and seeds["careless"] < 0.5 and "never" not in seeds
    # A response reviewed by both: the weights are theirs, and the grade leans to the careful reviewer.
    _grade, weighting = gradebook.compute_grade(block, ["analysis", "rights"], 7, [
        ("careful", {"analysis": 4, "rights": 3}), ("careless", {"analysis": 0, "rights": 0})])
    assert weighting["weights"] == [1.0, round(seeds["careless"], 4)]
    assert _grade.medians == {"analysis": 4, "rights": 3}
    # Once a reviewer has enough comparable reviews, their agreement decides, not their calibration.
    ReviewerAgreement.objects.create(usage_id=block.usage_id, reviewer_id="careless", reviews=5, distance_sum=0,
                                     mean_distance=0)
    _grade, weighting = gradebook.compute_grade(block, ["analysis", "rights"], 7, [
        ("careful", {"analysis": 4, "rights": 3}), ("careless", {"analysis": 0, "rights": 0})])
    assert weighting == {}  # both weigh 1 now: the plain median


def test_delete_state_removes_the_practice_of_that_learner_in_that_block(db):
    block = item()
    submit(block, "ana", "ben")
    for anon in ("ana", "ben"):
        example = calibration.order_for(block, anon)[0]
        calibration.assess(block, anon, example.name, {"options": calibration.reference_index(example, block.rubric)})
    staff_actions.clear_learner_state(block, "ana", "staff")
    assert list(CalibrationAttempt.objects.values_list("anonymous_user_id", flat=True)) == ["ben"]


def test_reviewers_see_their_scores_beside_the_grade_and_nobody_elses(db):
    block = item(calibration_count=0)
    graded_with(block, "auth-9", [("rev", {"analysis": 2, "rights": 1}), ("zed-reviewer", {"analysis": 0, "rights": 1})])
    view = reviewer_feedback.learner_view(block, "rev", T)
    (shown,) = view["reviews"]
    assert [(c["label"], c["your_points"], c["final_points"], c["verdict"]) for c in shown["criteria"]] == [
        ("Analysis", 4, 2, "2 points above the grade"), ("Rights", 3, 3, "the same as the grade")]
    assert shown["totals"] == "You gave 7 of 7 points (100%); the response's grade is 5 of 7 points (71%)."
    assert view["distance"].startswith("In 1 review of yours that could be compared, your total was 57% of the best")
    text = json.dumps(view)
    assert "zed-reviewer" not in text and "auth-9" not in text and "The analysis of" not in text
    assert reviewer_feedback.learner_view(block, "nobody", T) is None
