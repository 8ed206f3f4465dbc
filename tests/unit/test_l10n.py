"""One score wording, with numbers and plurals in the page's language."""

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
        assert l10n.score(t, 2.5, 3) == "2,5 de 3 puntos (83%)"


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
