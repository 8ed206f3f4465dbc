"""One score wording, with numbers and plurals in the page's language."""

from datetime import datetime, timedelta, timezone

import pytest
from django.utils import translation


from sse_academy_xblock import l10n
from sse_academy_xblock.i18n import BlockTranslator


def test_scores_read_the_same_in_every_block_and_language():
    t = BlockTranslator()
    with translation.override("en"):
        assert l10n.score(t, 2, 3) == "2 of 3 points (67%)"
        assert l10n.points(t, 1, 1) == "1 of 1 point"
        assert l10n.score(t, 2.5, 3) == "2.5 of 3 points (83%)"
    with translation.override("fr"):
        assert l10n.score(t, 2.5, 3) == "2,5 sur 3 points (83\u00a0%)"
        assert l10n.point_count(t, 1.5) == "1,5 point"
    with translation.override("es"):
        assert l10n.score(t, 2.5, 3) == "2,5 de 3 puntos (83\u00a0%)"


def test_a_percentage_never_claims_full_or_nothing_wrongly():
    assert l10n.whole_percent(199, 200) == 99
    assert l10n.whole_percent(1, 1000) == 1
    assert l10n.whole_percent(0, 5) == 0 and l10n.whole_percent(5, 5) == 100 and l10n.whole_percent(1, 0) == 0


def test_the_lang_of_author_text_is_set_only_when_it_differs_from_the_page():
    with translation.override("fr"):
        assert l10n.content_lang("en") == "en" and l10n.content_lang("fr") == ""
    with translation.override("en"):
        assert l10n.content_lang("en") == ""


def test_coefficients_keep_their_decimals_in_the_pages_language():
    with translation.override("en"):
        assert l10n.fixed(0.3456, 2) == "0.35" and l10n.fixed(-0.1, 2) == "\u22120.10"
    with translation.override("fr"):
        assert l10n.fixed(0.3456, 2) == "0,35" and l10n.fixed(-0.1, 2) == "\u22120,10"


NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize("lang, expected", [
    ("en", ["1,200", "12,345.5", "5.33", "999"]),
    # French groups with CLDR's narrow no-break space; Spanish groups from five digits on (CLDR's
    # minimumGroupingDigits, as the browser's Intl.NumberFormat does).
    ("fr", [f"1{NNBSP}200", f"12{NNBSP}345,5", "5,33", "999"]),
    ("es", ["1200", "12.345,5", "5,33", "999"]),
])
def test_numbers_are_grouped_and_rounded_as_each_language_writes_them(lang, expected):
    with translation.override(lang):
        assert [l10n.number(1200), l10n.number(12345.5), l10n.number(5.3333), l10n.count(999)] == expected


@pytest.mark.parametrize("lang, expected", [("en", "60%"), ("fr", f"60{NBSP}%"), ("es", f"60{NBSP}%")])
def test_a_percentage_is_spaced_as_cldr_spaces_it(lang, expected):
    with translation.override(lang):
        assert l10n.percent(BlockTranslator(), 60) == expected


@pytest.mark.parametrize("lang, two, three", [
    ("en", "3 and 5", "3, 5, and 7"),
    ("fr", "3 et 5", "3, 5 et 7"),
    ("es", "3 y 5", "3, 5 y 7"),
])
def test_lists_of_values_are_joined_with_the_languages_conjunction(lang, two, three):
    with translation.override(lang):
        assert l10n.values([3, 5]) == two and l10n.values([3, 5, 7]) == three
        assert l10n.values([2.5]) == ("2.5" if lang == "en" else "2,5") and l10n.values([]) == ""


def test_counts_pick_the_plural_form_of_each_language():
    t = BlockTranslator()
    word, words = "%(count)s word", "%(count)s words"
    with translation.override("en"):
        assert [l10n.counted(t, word, words, n) for n in (0, 1, 1200)] == ["0 words", "1 word", "1,200 words"]
    with translation.override("fr"):
        assert [l10n.counted(t, word, words, n) for n in (0, 1, 2, 1200)] == [
            "0 mot", "1 mot", "2 mots", f"1{NNBSP}200 mots"]
    with translation.override("es"):
        assert [l10n.counted(t, word, words, n) for n in (0, 1, 1200)] == ["0 palabras", "1 palabra", "1200 palabras"]


def test_moments_name_their_zone_on_screen_and_carry_their_offset_in_csv():
    moment = datetime(2026, 12, 6, 21, 1, 30, tzinfo=timezone.utc)
    paris = moment.astimezone(timezone(timedelta(hours=1)))
    assert l10n.csv_time(paris) == "2026-12-06T21:01:30+00:00"
    assert l10n.csv_time(None) == ""
    assert l10n.fallback_when(paris) == "2026-12-06 21:01 UTC"
    t = BlockTranslator()
    with translation.override("fr"):
        assert l10n.in_words(t.gettext, moment, "Europe/Paris") == "6 décembre 2026 à 22:01 (UTC+1)"
    with translation.override("es"):
        assert l10n.in_words(t.gettext, moment, "America/Mexico_City") == "6 de diciembre de 2026 a las 15:01 (UTC\u22126)"
    with translation.override("en"):
        assert l10n.in_words(t.gettext, moment) == "6 December 2026 at 21:01 (UTC)"


def test_templates_write_counts_with_the_same_rules():
    from django.template import Context

    from sse_academy_xblock import resources

    shown = resources._engine().from_string("{{ learners|number }} / {{ share|number }}")
    with translation.override("fr"):
        assert shown.render(Context({"learners": 1200, "share": 0.5})) == f"1{NNBSP}200 / 0,5"
    with translation.override("es"):
        assert shown.render(Context({"learners": 12000, "share": 0.5})) == "12.000 / 0,5"


def test_a_numeric_key_reads_as_the_author_wrote_it_with_the_readers_decimal_separator():
    with translation.override("en"):
        assert l10n.number(1895, places=6, grouping=False) == "1895"
        assert l10n.number(7351.125, places=6, grouping=False) == "7351.125"
    with translation.override("fr"):
        assert l10n.number(7351.125, places=6, grouping=False) == "7351,125"


@pytest.mark.parametrize("value, places, minimum, grouping", [
    (1234.5, 2, 0, True), (-1234.567, 2, 2, True), (12345, 0, 0, True), (0.35, 2, 2, True), (1895, 0, 0, False),
    (1200, 2, 0, True), (7, 2, 0, True), (-0.5, 1, 0, True), (1234567.891, 3, 1, True)])
def test_figures_read_as_babel_writes_them_in_each_language_one_after_another(value, places, minimum, grouping):
    """The locales and patterns are kept for the process: a figure written in one language and then in another
    takes each language's separators, and reads exactly as Babel's own ``format_decimal`` writes it."""
    from babel.numbers import format_decimal

    for code in ("fr", "en", "es", "fr"):
        with translation.override(code):
            minimum_grouping = l10n.MINIMUM_GROUPING_DIGITS.get(code, 1)
            grouped = grouping and abs(round(value, places)) >= 10 ** (2 + minimum_grouping)
            decimals = "." + "0" * minimum + "#" * (places - minimum) if places else ""
            pattern = ("#,##0" if grouped else "0") + decimals
            expected = format_decimal(round(value, places), format=pattern, locale=code, group_separator=True)
            assert l10n._decimal(value, places, minimum, grouping) == expected


def test_the_same_figure_changes_with_the_language():
    with translation.override("en"):
        assert l10n.number(1234.5) == "1,234.5" and l10n.percentage(60) == "60%"
        assert l10n.values([3, 5]) == "3 and 5"
    with translation.override("fr"):
        assert l10n.number(1234.5) == "1\u202f234,5" and l10n.percentage(60) == "60\u00a0%"
        assert l10n.values([3, 5]) == "3 et 5"
    with translation.override("es"):
        assert l10n.number(1234.5) == "1234,5" and l10n.number(12345.5) == "12.345,5"
    with translation.override("en"):
        assert l10n.number(1234.5) == "1,234.5"


def test_thousands_of_figures_read_exactly_as_babel_writes_them():
    """The figures are written without Babel's pattern engine: for values of every size and sign (negative
    zero, halves, long fractions, millions), every number of places and every language, the text is Babel's
    own ``format_decimal``'s, character for character."""
    import random

    from babel.numbers import format_decimal

    rng = random.Random(27)
    values = [0.0, -0.0, -0.001, 0.005, 0.015, 2.675, 999.995, 9999.5, 99999.5, -1e9 - 0.25, 1e15 + 0.5]
    values += [rng.uniform(-1, 1) for _ in range(400)] + [rng.uniform(-1e7, 1e7) for _ in range(400)]
    values += [rng.randint(-10**9, 10**9) for _ in range(200)] + [round(rng.uniform(0, 100), 1) for _ in range(200)]
    values += [float("inf"), float("-inf")]
    for code in ("en", "fr", "es"):
        with translation.override(code):
            for value in values:
                for places in (0, 1, 2, 3, 6):
                    for minimum in {0, places}:
                        for grouping in (True, False):
                            rounded = round(float(value), places)
                            grouped = grouping and abs(rounded) >= 10 ** (2 + l10n.MINIMUM_GROUPING_DIGITS.get(code, 1))
                            decimals = "." + "0" * minimum + "#" * (places - minimum) if places else ""
                            pattern = ("#,##0" if grouped else "0") + decimals
                            expected = format_decimal(rounded, format=pattern, locale=code, group_separator=True)
                            assert l10n._decimal(value, places, minimum, grouping) == expected, (code, value, places)


def test_a_report_written_in_one_language_reads_it_once_and_then_follows_the_page_again():
    @l10n.one_language
    def report():
        with translation.override("en"):  # a language changed inside does not reach the report's figures
            return l10n.number(1234.5), l10n.percentage(60)

    with translation.override("fr"):
        assert report() == ("1\u202f234,5", "60\u00a0%")
        assert l10n.number(1234.5) == "1\u202f234,5"
    with translation.override("es"):
        assert report() == ("1234,5", "60\u00a0%")
        assert l10n.number(1234.5) == "1234,5"
    with translation.override("en"):
        assert l10n.number(1234.5) == "1,234.5"
