"""Our blocks inside a Problem Bank: the case study warns its author, the profile says what it leaves out.

The platform's Problem Bank (``itembank``) and legacy library content (``library_content``) show each learner a
random subset of their children. A stand-in with that block type and children is registered for these tests.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from xblock.core import XBlock
from xblock.fields import Integer, Scope

from factories import olx
from sse_academy_xblock import platform
from sse_academy_xblock.blocks.case_study_studio import IN_PROBLEM_BANK


class ProblemBank(XBlock):
    """Stands in for the platform's ``ItemBankBlock``: a container whose children learners draw from."""

    has_children = True
    max_count = Integer(default=1, scope=Scope.settings)

    def student_view(self, context=None):  # pragma: no cover - never rendered here
        raise NotImplementedError


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


def test_the_warning_is_translated():
    from django.utils import translation

    with translation.override("fr"):
        assert translation.gettext(IN_PROBLEM_BANK) != IN_PROBLEM_BANK


def test_a_block_without_a_parent_has_no_parent_type(make_block):
    assert platform.parent_type(make_block(CASE)) is None


def test_the_profile_leaves_out_banked_quizzes_and_says_so(make_block):
    @XBlock.register_temp_plugin(ProblemBank, "itembank")
    def run():
        page = make_block(f"<vertical_demo>{QUIZ}<itembank>{QUIZ}{QUIZ}</itembank><sse_profile/></vertical_demo>")
        _quiz, _bank, profile = children(page)
        index = profile.scope_index()
        assert len(index.blocks) == 1 and index.banked == 2
        html = profile.render("student_view", {}).body_html()
        assert "2 quizzes or case studies in a problem bank are not counted in this profile" in html

    run()


def test_a_profile_without_banked_quizzes_says_nothing_of_banks(make_block):
    page = make_block(f"<vertical_demo>{QUIZ}<sse_profile/></vertical_demo>")
    profile = children(page)[1]
    assert profile.scope_index().banked == 0
    assert "problem bank" not in profile.render("student_view", {}).body_html()
