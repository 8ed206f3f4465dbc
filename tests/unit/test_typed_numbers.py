"""Numbers typed by learners, authors and staff in English, French and Spanish: read, or asked about, never guessed."""

from __future__ import annotations

import pytest
from django.utils import translation

from sse_academy_xblock import typed_numbers
from sse_academy_xblock.typed_numbers import Ambiguous, read

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize("typed, value", [
    # English
    ("2.5", 2.5), ("1,895.5", 1895.5), ("1,000,000", 1_000_000), ("1895", 1895), ("-3", -3), ("+3", 3),
    ("0.500", 0.5), ("1234.567", 1234.567), ("1.8950", 1.895),
    # French
    ("1 895", 1895), (f"1{NNBSP}895", 1895), (f"1{NBSP}895,5", 1895.5), ("1999,0", 1999.0), ("0,5", 0.5),
    ("1 000 000,25", 1_000_000.25), ("\u22121,5", -1.5),
    # Spanish (Spain)
    ("1.895,5", 1895.5), ("1.000.000", 1_000_000), ("0,4", 0.4), ("1,5", 1.5), ("0,500", 0.5),
])
def test_each_languages_forms_are_read(typed, value):
    assert read(typed) == pytest.approx(value)


@pytest.mark.parametrize("typed", [
    "", "abc", "1e3", "1_000", "\uff11\uff18\uff19\uff15", "nan", "1 8950", "12 34", "1,8950,5", "12.34,5", "1..5",
    ".5", "1 895 .5", "--1",
])
def test_what_is_no_number_is_refused_as_such(typed):
    assert read(typed) is None


@pytest.mark.parametrize("typed, thousands, decimal", [
    ("1.895", 1895, 1.895), ("1,895", 1895, 1.895), ("-2.500", -2500, -2.5), ("1,000", 1000, 1.0),
    ("12.345", 12345, 12.345), ("999,999", 999999, 999.999),
])
def test_one_separator_before_three_digits_is_never_guessed(typed, thousands, decimal):
    with pytest.raises(Ambiguous) as refused:
        read(typed)
    assert refused.value.readings == pytest.approx((thousands, decimal))
    assert refused.value.status == 400


def test_an_explicit_choice_settles_it_and_only_a_reading_counts():
    assert read("1.895", meant={"1.895": 1895}) == 1895
    assert read("1.895", meant={"1.895": 1.895}) == 1.895
    with pytest.raises(Ambiguous):
        read("1.895", meant={"1.895": 18.95})
    with pytest.raises(Ambiguous):
        read("1.895", meant={"1.895": "1895"})
    with pytest.raises(Ambiguous):
        read("1.895", meant={"1,895": 1895})
    # The choice is sent back under the text as the refusal named it, without the spaces around it.
    with pytest.raises(Ambiguous) as refused:
        read(" 1.895 ")
    assert refused.value.typed == "1.895"
    assert read(" 1.895 ", meant={"1.895": 1895}) == 1895


@pytest.mark.parametrize("language, thousands, decimal", [("es", "1895", "1,895"), ("fr", "1895", "1,895"),
                                                           ("en", "1895", "1.895")])
def test_both_readings_are_written_in_the_readers_language(language, thousands, decimal):
    with pytest.raises(Ambiguous) as refused, translation.override(language):
        read("1.895")
    with translation.override(language):
        asked = refused.value.as_json(lambda text: text)
    assert [r["text"] for r in asked["readings"]] == [thousands, decimal]
    assert [r["value"] for r in asked["readings"]] == [1895.0, 1.895]
    assert f"as {thousands} (" in asked["message"] and f"as {decimal} (" in asked["message"]


def test_a_learner_is_told_two_ways_to_write_it_without_the_doubt():
    with pytest.raises(Ambiguous) as refused:
        read("1.895")
    with translation.override("es"):
        told = refused.value.for_learner().translated(lambda text: text)
    assert "1895, or 1,8950." in told


def test_json_numbers_are_taken_as_they_are_within_bounds():
    assert read(1895) == 1895 and read(1.895) == 1.895
    assert read(True) is None and read(None) is None and read([1]) is None
    assert read(10**16) is None and read("1" * 17) is None
    assert read(float("inf")) is None


def test_the_request_carries_its_choices_in_meant():
    assert typed_numbers.meant_of({"meant": {"1.895": 1895}}) == {"1.895": 1895}
    assert typed_numbers.meant_of({"meant": [1]}) == {} and typed_numbers.meant_of(None) == {}
