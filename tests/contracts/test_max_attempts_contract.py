"""``max_attempts``: the quiz's setting has the name of the platform's inheritable course setting, and its meaning.

The platform (``InheritanceMixin.max_attempts``, "Maximum Attempts" in Studio's Advanced Settings) gives
every problem that sets none the course's value, and null means no limit. So a quiz whose author left
the setting empty takes the course's value, a course value of null is no limit, and a quiz's own value
wins (ours: 0 is no limit, so an author can lift a course-wide limit for one quiz). The course's settings
reach the block through the platform's inheritance, replayed in ``platform_dates``.
"""

from __future__ import annotations

import pytest
from lxml import etree

from factories import olx

from .platform_dates import lms_block, with_course_settings

RIGHT = {"q1": "a", "q2": True}
HALF = {"q1": "b", "q2": True}


def unset_quiz(make_block):
    """The contract quiz with no max_attempts of its own, as a quiz added in Studio and never given one."""
    block = make_block(olx("quiz_contract").replace(' max_attempts="2"', ""))
    if block.fields["max_attempts"].is_set_on(block):
        del block.max_attempts
        block.save()
    return block


def submits(call, block, answers=HALF, count=5):
    return [call(block, "submit", {"attempt": n, "answers": answers})[0] for n in range(1, count + 1)]


def test_a_course_value_of_null_means_no_limit_and_never_a_crash(make_block, call):
    quiz = unset_quiz(make_block)
    learner = lms_block(quiz, "amina", with_course_settings(max_attempts=None))
    assert learner.max_attempts is None
    assert "attempts used (no limit)" in learner.render("student_view", {}).content
    assert submits(call, learner) == [200] * 5


def test_a_quiz_without_a_value_takes_the_courses(make_block, call):
    quiz = unset_quiz(make_block)
    learner = lms_block(quiz, "amina", with_course_settings(max_attempts=2))
    assert "2 of 2 attempts left." in learner.render("student_view", {}).content
    assert submits(call, learner, count=3) == [200, 200, 409]


def test_without_a_course_value_a_quiz_without_one_has_no_limit(make_block, call):
    learner = lms_block(unset_quiz(make_block), "amina", with_course_settings())
    assert submits(call, learner) == [200] * 5


@pytest.mark.parametrize("own, statuses", [("1", [200, 409, 409]), ("0", [200, 200, 200])])
def test_the_quizs_own_value_wins_and_zero_lifts_the_courses_limit(make_block, call, own, statuses):
    quiz = make_block(olx("quiz_contract").replace('max_attempts="2"', f'max_attempts="{own}"'))
    learner = lms_block(quiz, "amina", with_course_settings(max_attempts=2))
    assert submits(call, learner, count=3) == statuses


def test_an_unset_value_stays_unset_through_export_and_import(make_block):
    """Export writes no max_attempts for a quiz that has none, so the course's value is not frozen into it."""
    quiz = unset_quiz(make_block)
    learner = lms_block(quiz, "amina", with_course_settings(max_attempts=3))
    node = etree.Element("root")
    learner.add_xml_to_node(node)
    assert node.get("max_attempts") is None
    again = make_block(etree.tostring(node, encoding="unicode"))
    assert not again.fields["max_attempts"].is_set_on(again)
    kept = make_block(olx("quiz_contract"))
    node = etree.Element("root")
    kept.add_xml_to_node(node)
    assert node.get("max_attempts") == "2"


def test_the_editor_leaves_the_setting_to_the_course_when_it_is_empty(make_block, call):
    quiz = make_block(olx("quiz_contract"), user="staff")
    html = quiz.render("studio_view", {}).content
    assert 'data-setting="max_attempts" value="2"' in html
    payload = {"display_name": "Q", "dimension": "employment", "weight": "", "max_attempts": "",
               "show_answer": "finished", "shuffle": False, "pass_mark": 60, "multiple_scoring": "all_or_nothing",
               "questions": quiz.questions}
    status, reply = call(quiz, "studio_submit", payload)
    assert status == 200, reply
    saved = make_block.as_user(quiz, "staff")
    assert not saved.fields["max_attempts"].is_set_on(saved)
    assert 'data-setting="max_attempts" value=""' in saved.render("studio_view", {}).content
    learner = lms_block(quiz, "amina", with_course_settings(max_attempts=1))
    assert submits(call, learner, count=2) == [200, 409]
