"""Our blocks inside a Problem Bank: the case study warns its author, the profile counts what each learner drew.

The platform's Problem Bank (``itembank``) and legacy library content (``library_content``) show each learner a
random subset of their children. A stand-in with that block type, its children and each learner's draw
(:mod:`contracts.item_bank`) is registered for these tests.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from xblock.core import XBlock

from contracts.item_bank import ReplayBank as ProblemBank
from factories import olx
from sse_academy_xblock import platform
from sse_academy_xblock.blocks.case_study_studio import IN_PROBLEM_BANK
from sse_academy_xblock.profile import scope as profile_scope

CASE = olx("case_study_contract")
QUIZ = olx("quiz_jobs", attributes="")


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def children(block):
    return [block.runtime.get_block(child) for child in block.children]


@pytest.mark.parametrize("bank_type", ["itembank", "library_content"])
def test_a_case_study_in_a_problem_bank_warns_its_author(make_block, bank_type):
    @XBlock.register_temp_plugin(ProblemBank, bank_type)
    def run():
        unit = make_block(f"<vertical_demo><{bank_type}>{CASE}</{bank_type}>{CASE}</vertical_demo>")
        bank, direct = children(unit)
        (banked,) = children(bank)
        assert platform.parent_type(banked) == bank_type
        messages = [m.text for m in banked.validate().messages]
        assert any("inside a problem bank" in text for text in messages), messages
        assert not any("inside a problem bank" in m.text for m in direct.validate().messages)

    run()


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_warning_is_translated(language):
    from sse_academy_xblock.i18n import block_catalog

    assert block_catalog(language).gettext(IN_PROBLEM_BANK) != IN_PROBLEM_BANK


def test_a_block_without_a_parent_has_no_parent_type(make_block):
    assert platform.parent_type(make_block(CASE)) is None


BANKED_SAYS = "Quizzes and case studies in a problem bank count here as each learner drew them"


def quiz(name, dimension, points):
    return (f'<sse_quiz display_name="{name}" dimension="{dimension}" max_attempts="0">'
            f'<question id="q" type="numeric" answer="7" points="{points}"><prompt>Seven?</prompt></question>'
            "</sse_quiz>")


BANK = quiz("Jobs", "employment", 2) + quiz("Protection", "social_protection", 3) + quiz("Dialogue",
                                                                                          "social_dialogue", 4)


def points(profile_block):
    counted = profile_block.learner_scope().counted
    lines = profile_block.learner_profile(counted).lines
    return counted.usage_ids, {line.dimension: (line.earned, line.possible) for line in lines if line.possible}


@pytest.mark.parametrize("version", [None, "published-1"], ids=["walk per render", "structure cached"])
def test_each_learners_profile_counts_exactly_the_quiz_the_bank_drew_for_them(make_block, call, monkeypatch,
                                                                               version):
    """A bank of 3 quizzes drawing 1: two learners drew different quizzes; each profile counts theirs alone,
    earned and possible, also when the structure is cached for the course version (the draw never is)."""
    monkeypatch.setattr(platform, "content_version", lambda block: version)
    walks = []
    walk = profile_scope._ordered_walk
    monkeypatch.setattr(profile_scope, "_ordered_walk", lambda *args: walks.append(1) or walk(*args))

    @XBlock.register_temp_plugin(ProblemBank, "itembank")
    def run():
        page = make_block(f"<vertical_demo><itembank>{BANK}</itembank><sse_profile/></vertical_demo>", user="ana")
        bank_id, profile_id = page.children
        jobs, protection, dialogue = page.runtime.get_block(bank_id).children

        def runtime(user):
            return make_block.as_user(page, user).runtime

        for user, drawn in (("ana", jobs), ("ben", protection)):
            runtime(user).get_block(bank_id).draw(drawn)
            status, reply = call(runtime(user).get_block(drawn), "submit", {"answers": {"q": "7"}, "attempt": 1})
            assert status == 200, reply

        ana, ben, cleo = (runtime(user).get_block(profile_id) for user in ("ana", "ben", "cleo"))
        assert points(ana) == ([str(jobs)], {"employment": (2.0, 2.0)})
        assert points(ben) == ([str(protection)], {"social_protection": (3.0, 3.0)})
        assert points(cleo) == ([], {})  # not drawn anything yet: nothing of the bank counts
        assert "count once a learner is given them" in cleo.render("student_view", {}).body_html()
        assert str(dialogue) not in ana.learner_scope().counted.usage_ids + ben.learner_scope().counted.usage_ids
        for block in (ana, ben):
            html = block.render("student_view", {}).body_html()
            assert BANKED_SAYS in html
        # The structure every learner shares counts no banked quiz; it knows the bank's three.
        assert ana.scope_index().blocks == () and ana.scope_index().banked == 3
        # With a course version the walk ran once for all three learners: only the structure was shared.
        assert len(walks) == 1 if version else len(walks) > 1

    run()


def test_the_profile_counts_banked_quizzes_as_drawn_and_says_so(make_block):
    @XBlock.register_temp_plugin(ProblemBank, "itembank")
    def run():
        page = make_block(f"<vertical_demo>{QUIZ}<itembank>{QUIZ}{QUIZ}</itembank><sse_profile/></vertical_demo>")
        _quiz, bank, profile = children(page)
        index = profile.scope_index()
        assert len(index.blocks) == 1 and index.banked == 2
        assert len(profile.learner_scope().counted.blocks) == 1  # nothing drawn yet
        bank.draw(bank.children[1])
        assert profile.learner_scope().counted.usage_ids == [index.usage_ids[0], str(bank.children[1])]
        html = profile.render("student_view", {}).body_html()
        assert BANKED_SAYS in html
        assert "not counted in this profile" not in html

    run()


def test_a_profile_without_banked_quizzes_says_nothing_of_banks(make_block):
    page = make_block(f"<vertical_demo>{QUIZ}<sse_profile/></vertical_demo>")
    profile = children(page)[1]
    assert profile.scope_index().banked == 0
    assert "problem bank" not in profile.render("student_view", {}).body_html()


@pytest.mark.parametrize("language", ["fr", "es"])
def test_what_the_profile_says_of_banks_is_translated(language):
    from sse_academy_xblock.i18n import block_catalog
    from sse_academy_xblock.profile.presentation import BANKED_EMPTY, BANKED_TEXT

    for text in (BANKED_TEXT, BANKED_EMPTY):
        assert block_catalog(language).gettext(text) != text


def test_no_cohort_median_on_a_dimension_a_drawn_quiz_adds_points_to(make_block):
    """The cohort's medians are over the quizzes every learner has: where the learner's drawn quiz adds points,
    their percentage is of other points, and the median line says learners here have different activities."""
    @XBlock.register_temp_plugin(ProblemBank, "itembank")
    def run():
        page = make_block(f"<vertical_demo>{QUIZ}<itembank>{BANK}</itembank><sse_profile/></vertical_demo>")
        _quiz, bank, profile = children(page)
        bank.draw(bank.children[1])  # social protection
        html = profile.render("student_view", {}).body_html()
        different = "Cohort median: not shown, as learners here have different activities"
        assert html.count(different) == 1
        row = html[html.index('data-dimension="social_protection"'):]
        assert row.index(different) < row.index("data-dimension=", 1)

    run()
