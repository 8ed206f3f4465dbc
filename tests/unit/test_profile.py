"""The Decent Work profile arithmetic of a module, without a runtime or a database."""

import pytest

from sse_academy_xblock.dimensions import DIMENSION_IDS
from sse_academy_xblock.module import profile


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


def test_a_module_without_graded_content_has_no_points():
    result = profile.from_children([], [])
    assert not result.has_points
    assert result.percent == 0


class Translator:
    """Upper-cases one label to show that labels go through the catalog; English plurals."""

    def gettext(self, text):
        return text.upper() if text == "Employment" else text

    def ngettext(self, singular, plural, number):
        return singular if number == 1 else plural


def test_to_dict_carries_translated_texts_for_every_dimension():
    result = profile.build({"employment": 4, "rights_at_work": 2}, [("employment", 3)])
    data = result.to_dict(Translator())
    first = data["dimensions"][0]
    assert first == {
        "id": "employment", "label": "EMPLOYMENT", "earned": 3.0, "possible": 4.0, "percent": 75,
        "earned_text": "3", "possible_text": "4", "summary": "3 of 4 points (75%)", "counts": True,
    }
    assert data["dimensions"][1]["counts"] is False
    assert data["summary"] == "3 of 6 points (50%)"
    assert data["has_points"] is True


@pytest.mark.parametrize(
    "earned, possible, text",
    [(0, 1, "0 of 1 point (0%)"), (1, 2, "1 of 2 points (50%)"), (0.5, 1.5, "0.5 of 1.5 points (33%)")],
)
def test_summary_sentence_uses_the_plural_of_the_possible_points(earned, possible, text):
    assert profile.summary_text(earned, possible, Translator()) == text


def test_chart_rows_stack_without_overlap():
    data = profile.build({"employment": 4}, [("employment", 1)]).to_dict(Translator())
    chart = profile.chart(data)
    tops = [row["bar_y"] for row in chart["rows"]]
    assert tops == sorted(tops) and len(set(tops)) == 4
    assert all(b - a >= chart["bar_height"] for a, b in zip(tops, tops[1:]))
    assert chart["rows"][0]["bar_width"] == 25
    assert chart["height"] >= tops[-1] + chart["bar_height"]
