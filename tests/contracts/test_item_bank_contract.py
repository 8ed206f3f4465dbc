"""What a Problem Bank bound to a learner says of their draw, read as the profile reads it.

Replays xmodule/item_bank_block.py ``ItemBankMixin`` (openedx/openedx-platform, commit
f9d3868b7e26325a7cf9ba0e700c9bce9f272b12): ``selected`` (user state, ``(block_type, block_id)`` pairs) and
``get_child_blocks`` (the learner's drawn children only); the stand-in is :mod:`contracts.item_bank`.
"""

from __future__ import annotations

from xblock.core import XBlock

from contracts.item_bank import ReplayBank
from factories import olx
from sse_academy_xblock import platform

QUIZ = olx("quiz_jobs", attributes="")


def test_the_draw_read_is_the_learner_bound_banks_own_children(make_block):
    @XBlock.register_temp_plugin(ReplayBank, "itembank")
    def run():
        bank = make_block(f"<itembank>{QUIZ}{QUIZ}{QUIZ}</itembank>", user="learner_a")
        first, second, _third = bank.children
        bank.draw(first)
        other = make_block.as_user(bank, "learner_b")
        other.draw(second)
        for learner in (make_block.as_user(bank, "learner_a"), make_block.as_user(bank, "learner_b")):
            pairs = platform.drawn_children(learner)
            read = [key for key in learner.children if platform.child_pair(learner, key) in pairs]
            assert read == [child.scope_ids.usage_id for child in learner.get_child_blocks()]
            assert len(read) == 1
        assert platform.drawn_children(make_block.as_user(bank, "learner_a")) != platform.drawn_children(other)

    run()


def test_a_learner_who_has_not_opened_the_bank_was_drawn_nothing(make_block):
    @XBlock.register_temp_plugin(ReplayBank, "library_content")
    def run():
        bank = make_block(f"<library_content>{QUIZ}</library_content>", user="learner_c")
        assert platform.drawn_children(bank) == frozenset()
        assert bank.get_child_blocks() == []

    run()
