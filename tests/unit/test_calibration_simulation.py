"""A simulation of calibration weighting: responses of known true quality, reviewers of known bias and noise.

Seeded and fast (well under a second). 400 responses, each scored on three criteria of 0 to 4 points (best total
12) by reviewers drawn from 400: half careful (no bias, noise 0.4 points), a quarter noisy (no bias, noise 1.5),
a quarter biased (always 1.5 points too harsh or too lenient, noise 0.4). A reviewer's score on a criterion is
the true quality plus their bias plus their noise, rounded to a whole option and kept between 0 and 4. Before
reviewing, each assesses three staff-scored examples whose reference is the true quality rounded; their
calibration weight is ``max(0.1, 1 - mean distance)`` (peer/calibration_examples.py). Each response is graded
twice with the block's own arithmetic (peer/grading.py): the plain median, and the weighted median with the
reviewers' calibration weights. The error is |grade - true total quality|, in points of 12, averaged over the
responses. The figures are printed and written in docs/insight.md ("Calibration: a simulation").
"""

import random

import pytest

from sse_academy_xblock.peer.calibration_examples import calibration_weight, distance
from sse_academy_xblock.peer.grading import peer_grade, weighted_peer_grade

NAMES = ("c1", "c2", "c3")
TOP = 4
BEST = TOP * len(NAMES)


def simulate(reviews_per_response: int, seed: int = 2026, responses: int = 400, reviewers: int = 400,
             bias: float = 1.5, noise: float = 1.5) -> dict:
    rng = random.Random(seed)
    kinds = []
    for _ in range(reviewers):
        draw = rng.random()
        kinds.append((0.0, 0.4) if draw < 0.5 else (0.0, noise) if draw < 0.75 else (rng.choice((-bias, bias)), 0.4))

    def score(quality, kind):
        return max(0, min(TOP, round(quality + kind[0] + rng.gauss(0, kind[1]))))

    examples = [{n: rng.uniform(0, TOP) for n in NAMES} for _ in range(3)]
    weights = []
    for kind in kinds:
        found = [distance({n: score(ex[n], kind) for n in NAMES}, {n: round(ex[n]) for n in NAMES}, BEST)
                 for ex in examples]
        weights.append(calibration_weight(sum(found) / len(found)))
    plain_error = weighted_error = 0.0
    changed = 0
    for _ in range(responses):
        quality = {n: rng.uniform(0, TOP) for n in NAMES}
        chosen = rng.sample(range(reviewers), reviews_per_response)
        points = [{n: score(quality[n], kinds[r]) for n in NAMES} for r in chosen]
        true = sum(quality.values())
        plain = peer_grade(list(NAMES), BEST, points).raw_points
        weighted = weighted_peer_grade(list(NAMES), BEST, points, [weights[r] for r in chosen]).raw_points
        plain_error += abs(plain - true)
        weighted_error += abs(weighted - true)
        changed += plain != weighted
    careful = [w for w, k in zip(weights, kinds) if k == (0.0, 0.4)]
    others = [w for w, k in zip(weights, kinds) if k != (0.0, 0.4)]
    return {"plain": round(plain_error / responses, 3), "weighted": round(weighted_error / responses, 3),
            "changed": changed, "careful_weight": round(sum(careful) / len(careful), 2),
            "other_weight": round(sum(others) / len(others), 2)}


# reviews per response -> (mean error plain, mean error weighted, grades changed of 400), as docs/insight.md gives them
EXPECTED = {3: (1.181, 1.181, 0), 4: (1.208, 0.813, 204), 5: (0.915, 0.915, 0)}


@pytest.mark.parametrize("reviews", sorted(EXPECTED))
def test_calibration_weighting_against_the_true_quality(reviews, capsys):
    found = simulate(reviews)
    with capsys.disabled():
        print(f"\ncalibration simulation, {reviews} reviews per response: mean error {found['plain']} points of 12 "
              f"with the median, {found['weighted']} with calibration weights ({found['changed']} of 400 grades "
              f"changed); mean weight {found['careful_weight']} careful reviewers, {found['other_weight']} others")
    plain, weighted, changed = EXPECTED[reviews]
    assert (found["plain"], found["weighted"]) == (pytest.approx(plain, abs=5e-4), pytest.approx(weighted, abs=5e-4))
    # Calibration tells careful reviewers from the others.
    assert (found["careful_weight"], found["other_weight"]) == (0.93, 0.74)
    assert found["changed"] == changed
    if changed == 0:
        # With an odd number of reviews a weight between 0.1 and 1 rarely outweighs the two others together:
        # the weighted median is the median, and nothing changes.
        assert found["weighted"] == found["plain"]
    else:
        # With an even number the weights settle the tie between the middle two, towards the calibrated reviewer.
        assert found["weighted"] < found["plain"] * 0.75
