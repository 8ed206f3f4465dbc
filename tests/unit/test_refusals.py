"""The one exception family for a refused request: its status, its English text, its translation."""

from __future__ import annotations

import pytest
from django.utils import translation

from sse_academy_xblock.i18n import BlockTranslator
from sse_academy_xblock.refusals import Phrase, Refusal, Refusals, require

WORDS = "Your response has %(count)s words; at least %(min)s are needed."
TOO_LONG = "The %(what)s is longer than %(max)s characters."

OURS = BlockTranslator()  # what a block translates with outside a runtime: our own catalogs


def test_a_refusal_is_a_bad_request_unless_it_says_otherwise():
    assert Refusal("The review is not valid.").status == 400
    conflict = Refusal("You have already submitted your response.", status=409)
    assert conflict.status == 409 and conflict.message == "You have already submitted your response."


def test_its_text_is_the_english_sentence_with_its_parameters():
    refusal = Refusal(WORDS, count=2, min=3)
    assert str(refusal) == "Your response has 2 words; at least 3 are needed."
    assert refusal.message == WORDS and refusal.params == {"count": 2, "min": 3}


def test_a_refusal_with_parameters_is_translated_into_french():
    refusal = Refusal(WORDS, count=2, min=3)
    with translation.override("fr"):
        assert refusal.translated(OURS.gettext) == "Votre réponse compte 2 mot(s) ; il en faut au moins 3."


def test_a_word_given_as_a_parameter_is_translated_with_the_sentence():
    refusal = Refusal(TOO_LONG, what=Phrase("response"), max=10)
    with translation.override("fr"):
        assert refusal.translated(OURS.gettext) == "Le champ « réponse » dépasse 10 caractères."
    assert str(refusal) == "The response is longer than 10 characters."


def test_text_a_person_typed_is_written_as_it_is_even_when_it_is_a_catalog_message():
    """A question id or a criterion's label that happens to read "Submit" is not the button's word."""
    refusal = Refusal('This quiz has no question with the id "%(id)s".', id="Submit")
    with translation.override("fr"):
        assert OURS.gettext("Submit") != "Submit"
        assert "« Submit »" in refusal.translated(OURS.gettext)


def test_an_empty_text_parameter_stays_empty():
    """gettext("") answers a catalog's header: an empty value must never turn into it."""
    def gettext(text):
        return text or "Project-Id-Version: sse-academy-xblock"

    refusal = Refusal("The %(what)s must be text.", what=Phrase(""))
    assert refusal.translated(gettext) == "The  must be text."


def test_several_refusals_are_read_one_after_the_other():
    both = Refusals([Refusal("The review is not valid."), Refusal(WORDS, count=2, min=3)])
    assert both.status == 400
    assert str(both) == "The review is not valid. Your response has 2 words; at least 3 are needed."
    with translation.override("fr"):
        assert both.translated(OURS.gettext).endswith("il en faut au moins 3.")


def test_require_refuses_only_when_the_condition_fails():
    require(True, "The review is not valid.")
    with pytest.raises(Refusal, match="2 words") as refused:
        require(False, WORDS, status=409, count=2, min=3)
    assert refused.value.status == 409


def test_a_refusal_about_a_field_names_it_for_the_page():
    about_q2 = Refusal("the answer must be a number.")
    about_q2.field = "q2"
    whole = Refusals([Refusal("This quiz has no question with that id."), about_q2])
    assert whole.details(lambda text: text) == {"fields": [{"field": "q2", "message": "the answer must be a number."}]}
    assert Refusal("Nothing about a field.").details(lambda text: text) == {}
