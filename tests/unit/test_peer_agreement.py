"""Peer-review agreement kept at grading time, the staff figures read from it, and agreement weighting."""

from functools import partial

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factories import ANALYSIS_AND_RIGHTS, criterion, graded_with, peer_item, rubric
from sse_academy_xblock.i18n import BlockTranslator
from sse_academy_xblock.insight import agreement_statistics
from sse_academy_xblock.peer import agreement_totals, learner_state, staff_review_quality
from sse_academy_xblock.peer.models import CriterionAgreement, Review, ReviewerAgreement

ONE = rubric(criterion("c", "Criterion", *((f"{p} points", p) for p in range(11))))
FIVE = rubric(criterion("c", "C", *((str(p), p) for p in range(1, 6))))  # the values of OBSERVERS

# Krippendorff (2011), the worked example with missing data (see tests/unit/test_insight.py): published
# ordinal alpha 0.815 over 11 pairable units holding 40 values.
OBSERVERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


make_item = partial(peer_item, usage_id="block-agree", rubric=ANALYSIS_AND_RIGHTS, dimension="employment",
                    reviews_required=3, reviews_to_give=0)


def standing(item, reviewer, reviews, mean):
    ReviewerAgreement.objects.create(usage_id=item.usage_id, reviewer_id=reviewer, reviews=reviews,
                                     distance_sum=mean * reviews, mean_distance=mean)


# --- counters kept at grading time --------------------------------------------------------------


def test_alpha_from_the_kept_sums_matches_krippendorffs_worked_example(db):
    item = make_item(rubric=FIVE)
    for unit in range(12):
        reviews = [(f"observer-{o}", {"c": row[unit]}) for o, row in enumerate(OBSERVERS) if row[unit] is not None]
        agreement_totals.record(item.usage_id, 5, reviews)
    (criterion,) = staff_review_quality.criteria_summary(item)
    assert criterion["alpha"] == pytest.approx(0.815, abs=0.0005)
    assert criterion["units"] == 11 and criterion["reviews"] == 40  # unit 12 has one value: not pairable
    assert criterion["enough"]


def test_reviewer_distances_are_kept_as_hand_computed(db):
    item = make_item(usage_id="block-dist", rubric=ONE)
    # Two responses, points out of 10 (see test_insight.py): r1 ann 6, bob 6, cy 0; r2 ann 8, bob 7, cy 2.
    agreement_totals.record(item.usage_id, 10, [("ann", {"c": 6}), ("bob", {"c": 6}), ("cy", {"c": 0})])
    agreement_totals.record(item.usage_id, 10, [("ann", {"c": 8}), ("bob", {"c": 7}), ("cy", {"c": 2})])
    agreement_totals.record(item.usage_id, 10, [("ann", {"c": 5})])  # alone: nothing to compare, nothing kept
    rows = staff_review_quality.reviewers_page(item)["rows"]
    # cy: |0 - 6| = 6 and |2 - 7.5| = 5.5 -> 0.575; ann: |6 - 3| = 3, |8 - 4.5| = 3.5 -> 0.325;
    # bob: |6 - 3| = 3, |7 - 5| = 2 -> 0.25. Most distant first.
    assert [(r["anonymous_id"], r["reviews"], r["mean_distance"]) for r in rows] == [
        ("cy", 2, 0.575), ("ann", 2, 0.325), ("bob", 2, 0.25)]
    assert [r["weighted"] for r in rows] == [False, False, False]  # 2 reviews < the minimum of 3
    assert [r["weight"] for r in rows] == [1.0, 1.0, 1.0]
    agreement_totals.record(item.usage_id, 10, [("ann", {"c": 4}), ("cy", {"c": 4})])  # a third, in agreement
    cy = ReviewerAgreement.objects.get(usage_id=item.usage_id, reviewer_id="cy")
    assert cy.reviews == 3 and cy.mean_distance == pytest.approx((0.6 + 0.55 + 0) / 3)
    row = next(r for r in staff_review_quality.reviewers_page(item)["rows"] if r["anonymous_id"] == "cy")
    assert row["weighted"] and row["weight"] == pytest.approx(1 - 1.15 / 3, abs=0.005)


def test_grading_keeps_the_counters_equal_to_a_full_recount(db):
    item = make_item()
    graded_with(item, "t1", [("r1", {"analysis": 0, "rights": 0}), ("r2", {"analysis": 2, "rights": 1}),
                             ("r3", {"analysis": 2, "rights": 1})])
    graded_with(item, "t2", [("r1", {"analysis": 1, "rights": 0}), ("r2", {"analysis": 1, "rights": 1}),
                             ("r4", {"analysis": 2, "rights": 1})])
    kept = {(r.reviewer_id, r.reviews, round(r.distance_sum, 9)) for r in ReviewerAgreement.objects.all()}
    cells = {r.criterion_name: (r.units, r.reviews, r.cells) for r in CriterionAgreement.objects.all()}
    # r1 on t1: total 0 against median(7, 7) = 7 -> 7/7 = 1; on t2: 2 against median(5, 7) = 6 -> 4/7.
    assert ("r1", 2, round(1 + 4 / 7, 9)) in kept
    assert cells["analysis"][:2] == (2, 6)
    agreement_totals.rebuild(item.usage_id)
    assert {(r.reviewer_id, r.reviews, round(r.distance_sum, 9)) for r in ReviewerAgreement.objects.all()} == kept
    assert {r.criterion_name: (r.units, r.reviews, r.cells) for r in CriterionAgreement.objects.all()} == cells


def test_a_response_with_a_single_review_adds_nothing(db):
    item = make_item(reviews_required=1)
    graded_with(item, "t", [("r1", {"analysis": 2, "rights": 1})])
    assert not ReviewerAgreement.objects.exists()
    # The criterion rows were created with the rubric version, and stay empty.
    assert sorted(CriterionAgreement.objects.values_list("criterion_name", "units", "reviews")) == [
        ("analysis", 0, 0), ("rights", 0, 0)]
    summary = staff_review_quality.summary(item)
    assert [c["alpha"] for c in summary["criteria"]] == [None, None]
    assert summary["reviewers"]["rows"] == []


def test_too_few_responses_give_no_alpha(db):
    item = make_item(usage_id="block-few", rubric=ONE)
    for i in range(agreement_statistics.MIN_UNITS_FOR_ALPHA - 1):
        agreement_totals.record(item.usage_id, 10, [("a", {"c": i}), ("b", {"c": i + 1})])
    (criterion,) = staff_review_quality.criteria_summary(item)
    assert criterion["units"] == agreement_statistics.MIN_UNITS_FOR_ALPHA - 1 and criterion["alpha"] is None
    assert not criterion["enough"]
    agreement_totals.record(item.usage_id, 10, [("a", {"c": 9}), ("b", {"c": 9})])
    assert staff_review_quality.criteria_summary(item)[0]["alpha"] is not None


# --- the staff page -----------------------------------------------------------------------------


def fill_reviewers(item, count):
    ReviewerAgreement.objects.bulk_create([
        ReviewerAgreement(usage_id=item.usage_id, reviewer_id=f"r{i:03d}", reviews=3, distance_sum=3 * (i % 7) / 10,
                          mean_distance=(i % 7) / 10)
        for i in range(count)
    ])


def test_reviewer_pages_walk_every_row_once_most_distant_first(db):
    item = make_item(usage_id="block-pages")
    fill_reviewers(item, 23)  # distances repeat: the keyset must break ties by row
    seen, after, page = [], None, None
    while True:
        page = staff_review_quality.reviewers_page(item, after=after, per_page=5)
        seen += page["rows"]
        if not page["has_next"]:
            break
        after = page["last"]
    assert len(seen) == 23 and len({r["id"] for r in seen}) == 23
    distances = [r["mean_distance"] for r in seen]
    assert distances == sorted(distances, reverse=True)
    back = staff_review_quality.reviewers_page(item, before=page["first"], per_page=5, page=5)
    assert [r["id"] for r in back["rows"]] == [r["id"] for r in seen[15:20]]
    assert back["has_next"] and back["has_prev"]
    first = staff_review_quality.reviewers_page(item, before=seen[5]["id"], per_page=5)
    assert [r["id"] for r in first["rows"]] == [r["id"] for r in seen[:5]] and not first["has_prev"]


def test_the_page_costs_the_same_statements_whatever_the_number_of_reviewers(db):
    small, large = make_item(usage_id="block-small"), make_item(usage_id="block-large")
    fill_reviewers(small, 3)
    fill_reviewers(large, 300)
    for item in (small, large):
        agreement_totals.record(item.usage_id, 7, [("x", {"analysis": 2, "rights": 3}), ("y", {"analysis": 4, "rights": 3})])
    counts = []
    for item in (small, large):
        first = staff_review_quality.reviewers_page(item, per_page=2)
        for kwargs in ({}, {"after": first["last"]}, {"before": first["last"]}):
            with CaptureQueriesContext(connection) as ctx:
                staff_review_quality.summary(item, **kwargs)
            counts.append(len(ctx.captured_queries))
            # No count or offset over the block's reviewers (the ratings are counted for the page's alone).
            pages = [q["sql"].upper() for q in ctx.captured_queries if "REVIEWFEEDBACK" not in q["sql"].upper()]
            assert not any("COUNT(" in sql or "OFFSET" in sql for sql in pages)
    # the criteria, one keyset page, the page's helpfulness ratings (no usernames outside Open edX)
    assert counts == [3] * 6


def test_each_reviewer_shows_the_helpfulness_ratings_their_reviews_received(db):
    from sse_academy_xblock.peer.models import ReviewFeedback

    item = make_item(usage_id="block-rated")
    split = [("r1", {"analysis": 0, "rights": 0}), ("r2", {"analysis": 2, "rights": 1}),
             ("r3", {"analysis": 2, "rights": 1})]
    for author in ("a1", "a2"):
        graded_with(item, author, split)
    reviews = {(r.submission.anonymous_user_id, r.reviewer_id): r for r in Review.objects.select_related("submission")}
    for (author, reviewer), helpful in {("a1", "r1"): True, ("a2", "r1"): False, ("a1", "r2"): True}.items():
        ReviewFeedback.objects.create(review=reviews[(author, reviewer)], usage_id=item.usage_id, helpful=helpful)
    rows = {row["anonymous_id"]: row for row in staff_review_quality.reviewers_page(item)["rows"]}
    assert (rows["r1"]["rated_helpful"], rows["r1"]["rated"]) == (1, 2)
    assert (rows["r2"]["rated_helpful"], rows["r2"]["rated"]) == (1, 1)
    assert (rows["r3"]["rated_helpful"], rows["r3"]["rated"]) == (0, 0)
    header = staff_review_quality.csv_header()
    by_reviewer = {row[1]: dict(zip(header, row)) for row in staff_review_quality.csv_rows(item)}
    assert (by_reviewer["r1"]["Ratings received"], by_reviewer["r1"]["Rated helpful by the authors"]) == (2, 1)


def test_csv_lists_every_reviewer_in_the_page_order(db):
    item = make_item(usage_id="block-csv")
    fill_reviewers(item, 7)
    rows = list(staff_review_quality.csv_rows(item, chunk_size=3))
    assert staff_review_quality.csv_header()[:3] == ["Reviewer", "Anonymous learner id", "Comparable reviews"]
    assert len(rows) == 7 and [r[3] for r in rows] == sorted((r[3] for r in rows), reverse=True)


# --- weighting ----------------------------------------------------------------------------------

SPLIT = [("close", {"analysis": 0, "rights": 0}), ("far1", {"analysis": 2, "rights": 1}),
         ("far2", {"analysis": 2, "rights": 1})]


def test_weighting_changes_the_grade_only_when_switched_on(db):
    results = {}
    for on in (False, True):
        item = make_item(usage_id=f"block-w-{on}", weight_by_agreement=on)
        standing(item, "close", 5, 0.0)  # weight 1
        standing(item, "far1", 5, 0.9)  # weight 0.1
        standing(item, "far2", 5, 0.95)  # weight 0.1 (the floor)
        results[on] = graded_with(item, "t", SPLIT)
    off, on = results[False], results[True]
    # Off: the plain medians, analysis median(0, 4, 4) = 4, rights median(0, 3, 3) = 3.
    assert off.medians == {"analysis": 4, "rights": 3} and off.final_points == 7 and off.weighting == {}
    # On, by hand: weights 1, 0.1, 0.1 (total 1.2, half 0.6); sorted analysis (0, 1) (4, 0.1) (4, 0.1): the
    # cumulative weight passes 0.6 at 0, so 0; rights likewise 0.
    assert on.medians == {"analysis": 0, "rights": 0} and on.final_points == 0
    assert on.weighting == {"weights": [1.0, 0.1, 0.1], "plain_medians": {"analysis": 4, "rights": 3},
                            "plain_points": 7}


def test_a_hand_computed_weighted_grade_between_the_extremes(db):
    item = make_item(usage_id="block-w-mid", weight_by_agreement=True, reviews_required=4)
    standing(item, "a", 4, 0.2)  # weight 0.8
    standing(item, "b", 4, 0.5)  # 0.5
    standing(item, "c", 4, 0.0)  # 1
    standing(item, "d", 2, 0.9)  # below the minimum: 1
    sub = graded_with(item, "t", [("a", {"analysis": 0, "rights": 0}), ("b", {"analysis": 1, "rights": 1}),
                                  ("c", {"analysis": 2, "rights": 1}), ("d", {"analysis": 2, "rights": 0})])
    # analysis: (0, .8) (2, .5) (4, 1) (4, 1), total 3.3, half 1.65: .8, 1.3, 2.3 -> 4 (plain: median 0,2,4,4 = 3 -> 3)
    # rights: (0, .8) (0, 1) (3, .5) (3, 1), half 1.65: .8, 1.8 -> 0 (plain: (0+3)/2 = 1.5 -> 2)
    assert sub.medians == {"analysis": 4, "rights": 0}
    assert sub.weighting["plain_medians"] == {"analysis": 3, "rights": 2}
    assert sub.weighting["weights"] == [0.8, 0.5, 1.0, 1.0]


def test_below_the_minimum_nobody_is_weighted(db):
    item = make_item(usage_id="block-w-new", weight_by_agreement=True)
    for name in ("close", "far1", "far2"):
        standing(item, name, agreement_statistics.MIN_REVIEWS_FOR_WEIGHT - 1, 0.9)
    sub = graded_with(item, "t", SPLIT)
    assert sub.medians == {"analysis": 4, "rights": 3} and sub.weighting == {}


def test_the_explanation_says_so_only_when_weighting_applied(db):
    t = BlockTranslator()
    texts = {}
    for name, on in (("off", False), ("on", True)):
        item = make_item(usage_id=f"block-x-{name}", weight_by_agreement=on)
        standing(item, "close", 5, 0.0)
        standing(item, "far1", 5, 0.9)
        standing(item, "far2", 5, 0.9)
        texts[name] = learner_state.grade_view(graded_with(item, "t", SPLIT), t)
    assert texts["off"]["weighting_text"] == ""
    assert "weighted median" not in " ".join(m["text"] for m in texts["off"]["medians"])
    assert "weighted by agreement" in texts["on"]["weighting_text"]
    assert "would have been 7 points instead of 0" in texts["on"]["weighting_text"]
    assert texts["on"]["medians"][0]["text"].endswith("(weighted median of 0, 4, and 4)")


def test_weighting_is_recorded_the_same_in_the_counters_whether_on_or_off(db):
    for on in (False, True):
        item = make_item(usage_id=f"block-c-{on}", weight_by_agreement=on)
        graded_with(item, "t", SPLIT)
    rows = {(r.usage_id[-4:], r.reviewer_id, r.reviews, r.mean_distance) for r in ReviewerAgreement.objects.all()}
    assert {(r[1], r[2], r[3]) for r in rows if r[0] == "alse"} == {(r[1], r[2], r[3]) for r in rows if r[0] == "True"}


def test_the_migration_counts_responses_graded_before_it(db):
    """Migration 0010 fills the tables from earlier grades: the same rows the grading would have kept."""
    import importlib

    from django.apps import apps

    item = make_item(usage_id="block-before", reviews_required=2)
    graded_with(item, "t1", [("r1", {"analysis": 0, "rights": 0}), ("r2", {"analysis": 2, "rights": 1}),
                             ("r3", {"analysis": 1, "rights": 1})])
    graded_with(item, "t2", [("r1", {"analysis": 1, "rights": 0}), ("r2", {"analysis": 1, "rights": 1})])
    graded_with(make_item(usage_id="block-single", reviews_required=1), "t3", [("r1", {"analysis": 1, "rights": 0})])

    def snapshot():
        return (sorted((r.usage_id, r.reviewer_id, r.reviews, round(r.distance_sum, 9), round(r.mean_distance, 9))
                       for r in ReviewerAgreement.objects.all()),
                sorted((c.usage_id, c.criterion_name, c.units, c.reviews, sorted(c.cells.items()))
                       for c in CriterionAgreement.objects.all()))

    kept = snapshot()
    assert kept[0] and kept[1]
    ReviewerAgreement.objects.all().delete()
    CriterionAgreement.objects.all().delete()
    migration = importlib.import_module("sse_academy_xblock.migrations.0010_peer_reviewer_agreement")
    migration.backfill(apps, None)
    assert snapshot() == kept
