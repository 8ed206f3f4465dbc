"""Which attributes of our elements are the platform's, and which are misspellings of ours."""

import pytest
from lxml import etree

from sse_academy_xblock.olx import OLXError
from sse_academy_xblock.peer.authoring import SETTING_NAMES
from sse_academy_xblock.platform_olx import looks_like_ours, platform_attributes
from sse_academy_xblock.quiz.olx import SETTING_ATTRS

QUIZ_OWN = frozenset(SETTING_ATTRS)
CASE_OWN = frozenset(SETTING_NAMES)


@pytest.mark.parametrize("name, own, guess", [
    ("max_attempt", QUIZ_OWN, "max_attempts"),
    ("Pass_Mark", QUIZ_OWN, "pass_mark"),
    ("passmark", QUIZ_OWN, "pass_mark"),
    ("reviews_requried", CASE_OWN, "reviews_required"),
    ("min-words", CASE_OWN, "min_words"),
])
def test_misspellings_of_ours_are_recognised(name, own, guess):
    assert looks_like_ours(name, own) == guess


@pytest.mark.parametrize("name, own", [
    ("showanswer", QUIZ_OWN),        # the platform's, although it looks like our show_answer
    ("max_attempts", CASE_OWN),      # the platform's on the case study
    ("due", QUIZ_OWN), ("group_access", CASE_OWN), ("tags-v1", QUIZ_OWN),
    ("{http://example.org/ns}dimension", QUIZ_OWN),  # namespaced: never ours
    ("completely_new_setting", QUIZ_OWN),
])
def test_platform_and_unknown_names_are_not_taken_for_ours(name, own):
    assert looks_like_ours(name, own) is None


def test_platform_attributes_leave_out_ours_and_the_runtimes():
    node = etree.fromstring('<sse_quiz url_name="u" xblock-family="xblock.v1" display_name="Q" due="2030-01-01"'
                            ' visible_to_staff_only="true" new_thing="x"/>')
    assert platform_attributes(node, QUIZ_OWN) == {"due": "2030-01-01", "visible_to_staff_only": "true",
                                                   "new_thing": "x"}


def test_a_misspelling_is_an_error_naming_the_element():
    node = etree.fromstring('<sse_quiz max_attempt="2"/>')
    with pytest.raises(OLXError) as info:
        platform_attributes(node, QUIZ_OWN)
    assert "<sse_quiz>" in str(info.value) and 'did you mean "max_attempts"' in str(info.value)
