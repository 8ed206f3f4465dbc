"""The Decent Work profile arithmetic and presentation, without a runtime or a database."""

import pytest

from sse_academy_xblock.dimensions import DIMENSION_IDS
from sse_academy_xblock.profile import arithmetic as profile
from sse_academy_xblock.profile import cohort, presentation


def test_possible_points_are_summed_per_dimension_over_children():
    totals = profile.possible_totals(
        [
            {"employment": 3, "rights_at_work": 1},
            {"employment": 2.5},
            {"social_dialogue": {"earned": 0, "possible": 4}},  # a breakdown entry counts by its possible
        ]
    )
    assert totals == {"employment": 5.5, "social_protection": 0.0, "social_dialogue": 4.0, "rights_at_work": 1.0}


def test_unknown_dimensions_and_bad_numbers_are_ignored():
    totals = profile.possible_totals([{"leisure": 5, "employment": "x", "social_dialogue": -2}, None, {}])
    assert totals == {dim: 0.0 for dim in DIMENSION_IDS}


def test_learner_points_sum_per_dimension_and_lines_follow_the_canonical_order():
    result = profile.build(
        {"employment": 5, "social_protection": 2, "social_dialogue": 0, "rights_at_work": 4},
        [("rights_at_work", 1), ("employment", 2), ("employment", 1.5), ("rights_at_work", 2)],
    )
    assert [line.dimension for line in result.lines] == list(DIMENSION_IDS)
    assert [(line.earned, line.possible) for line in result.lines] == [(3.5, 5), (0, 2), (0, 0), (3, 4)]
    assert (result.earned, result.possible, result.percent) == (6.5, 11, 59)
    assert result.line("employment").percent == 70
    assert result.line("social_dialogue").percent == 0


def test_earned_never_exceeds_what_the_content_can_award():
    # A score recorded before an author lowered the points, or on a dimension the module no longer has.
    result = profile.build({"employment": 2}, [("employment", 5), ("social_dialogue", 3)])
    assert result.line("employment").earned == 2
    assert result.line("employment").percent == 100
    assert result.line("social_dialogue").earned == 0
    assert result.earned == 2


def test_negative_or_missing_earned_points_count_as_zero():
    result = profile.build({"employment": 4}, [("employment", -3), ("employment", None), ("employment", 1)])
    assert result.line("employment").earned == 1


@pytest.mark.parametrize(
    "earned, possible, expected",
    [(0, 0, 0), (1, 3, 33), (2, 3, 67), (1, 8, 13), (3, 3, 100), (0.5, 1, 50), (7, 3, 100), (-1, 3, 0)],
)
def test_percent_is_whole_and_bounded(earned, possible, expected):
    assert profile.percent(earned, possible) == expected


def test_floating_point_sums_stay_clean():
    result = profile.build({"employment": 0.3}, [("employment", 0.1), ("employment", 0.2)])
    assert result.line("employment").earned == 0.3
    assert result.percent == 100


def test_a_scope_without_graded_content_has_no_points():
    result = profile.from_blocks([], [])
    assert not result.has_points
    assert result.percent == 0


class Translator:
    """Upper-cases one label to show that labels go through the catalog; English plurals."""

    def gettext(self, text):
        return text.upper() if text == "Employment" else text

    def ngettext(self, singular, plural, number):
        return singular if number == 1 else plural


def test_unattempted_blocks_count_in_the_possible_points():
    # Two blocks offer employment points; the learner has a score on one of them only.
    result = profile.from_blocks([{"employment": 4}, {"employment": 8, "social_dialogue": 2}], [("employment", 3)])
    line = result.line("employment")
    assert (line.earned, line.possible, line.attempted) == (3.0, 12.0, True)
    assert result.line("social_dialogue").attempted is False
    assert result.line("social_dialogue").possible == 2.0


@pytest.mark.parametrize(
    "earned, possible, text",
    [(0, 1, "0 of 1 point (0%)"), (1, 2, "1 of 2 points (50%)"), (0.5, 1.5, "0.5 of 1.5 points (33%)")],
)
def test_points_sentence_uses_the_plural_of_the_possible_points(earned, possible, text):
    assert profile.points_text(earned, possible, Translator()) == text


def test_not_started_differs_from_no_points_in_the_scope():
    result = profile.build({"employment": 12}, [])
    rows = presentation.learner_rows(result, None, "course", Translator())
    assert rows[0]["value"] == "0 of 12 points: not started"
    assert rows[1]["value"] == "No points in this course"
    section_rows = presentation.learner_rows(result, None, "section", Translator())
    assert section_rows[1]["value"] == "No points in this section"
    assert rows[0]["label"] == "EMPLOYMENT"
    assert presentation.overall_text(result, Translator()) == "0 of 12 points: not started"


def test_a_one_point_dimension_gets_a_shorter_bar_than_a_fifteen_point_one():
    result = profile.build({"employment": 15, "rights_at_work": 1}, [("employment", 15), ("rights_at_work", 1)])
    rows = {row["id"]: row for row in presentation.learner_rows(result, None, "course", Translator())}
    assert rows["employment"]["track"] == 100
    assert rows["rights_at_work"]["track"] == presentation.MIN_TRACK
    assert rows["employment"]["fill"] == rows["rights_at_work"]["fill"] == 100
    assert rows["rights_at_work"]["value"] == "1 of 1 point (100%)"
    assert rows["social_dialogue"]["track"] == 0


def figures_for(medians: dict, learners: int):
    dims = tuple(
        cohort.DimensionFigures(dim, learners if dim in medians else 0, medians.get(dim), (0,) * 10)
        for dim in DIMENSION_IDS
    )
    return cohort.Figures(learners, dims)


def test_the_cohort_median_is_shown_only_from_five_learners():
    result = profile.build({"employment": 10}, [("employment", 5)])
    few = presentation.learner_rows(result, figures_for({"employment": 40}, 4), "course", Translator())
    assert few[0]["median"] is None and "shown once 5 learners" in few[0]["median_text"]
    enough = presentation.learner_rows(result, figures_for({"employment": 40}, 5), "course", Translator())
    assert enough[0]["median"] == 40 and enough[0]["median_text"] == "Cohort median: 40%"


def test_no_median_where_the_learner_sees_only_part_of_the_scopes_points():
    """The median is of percentages of every point the scope offers; a learner who may see only
    some of them (another cohort's activities) is not compared with it."""
    result = profile.build({"employment": 4, "social_dialogue": 2}, [("employment", 4), ("social_dialogue", 2)])
    figures = figures_for({"employment": 40, "social_dialogue": 30}, 6)
    rows = {row["id"]: row for row in presentation.learner_rows(
        result, figures, "course", Translator(), {"employment": 4, "social_dialogue": 7})}
    assert rows["employment"]["median"] == 40 and rows["employment"]["median_text"] == "Cohort median: 40%"
    assert rows["social_dialogue"]["median"] is None and rows["social_dialogue"]["median_percent"] == ""
    assert rows["social_dialogue"]["median_text"] == (
        "Cohort median: not shown, as learners here have different activities")


@pytest.mark.parametrize("values, expected", [([], None), ([10], 10), ([10, 20], 15), ([0, 50, 100], 50),
                                              ([1, 2, 3, 4], 3)])
def test_median_of_whole_percentages(values, expected):
    assert cohort.median(values) == expected


def test_histogram_bins_put_100_percent_in_the_last_band():
    assert [cohort.bin_of(p) for p in (0, 9, 10, 55, 99, 100)] == [0, 0, 1, 5, 9, 9]
    figures = cohort.Figures(3, tuple(
        cohort.DimensionFigures(dim, 3, 50, (1, 0, 0, 0, 0, 1, 0, 0, 0, 1)) for dim in DIMENSION_IDS))
    table = presentation.histogram(figures, Translator().gettext)
    assert table["rows"][0]["band"] == "90–100%" and table["rows"][-1]["band"] == "0–9%"
    assert table["rows"][0]["cells"][0] == {"count": 1, "width": 100}
