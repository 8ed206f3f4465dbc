"""A stand-in for the platform's Problem Bank, as a learner's runtime gives it.

Follows xmodule/item_bank_block.py (openedx/openedx-platform, commit f9d3868b7e26325a7cf9ba0e700c9bce9f272b12),
``ItemBankMixin``: the base of ``ItemBankBlock`` (``itembank``) and, in xmodule/library_content_block.py (commit
98edf7ff358d85d2c796db9cf601eae67dd5dd29), of ``LegacyLibraryContentBlock`` (``library_content``). Rules kept:

* ``max_count`` (settings) is how many children each learner is given;
* ``selected`` (user state, so one value per learner) records a learner's draw as ``(block_type, block_id)``
  pairs, stored as two-item lists; ``selected_children`` draws when it is short and saves it;
* ``get_child_blocks`` gives the learner-bound children of the draw only (the block reports dynamic
  children, ``has_dynamic_children``), whatever ``children`` holds.

The draw itself is random: tests set ``selected`` for each learner instead.
"""

from __future__ import annotations

from xblock.core import XBlock
from xblock.fields import Integer, List, Scope



def _pair(runtime, key) -> tuple[str, str]:
    """A child's ``(block_type, block_id)``: the usage key's parts (a workbench id is its own block id)."""
    return runtime.get_block(key).scope_ids.block_type, str(getattr(key, "block_id", key))


class ReplayBank(XBlock):
    """A container whose children learners draw from; its draw is the learner's ``selected``."""

    has_children = True
    max_count = Integer(default=1, scope=Scope.settings)
    selected = List(default=[], scope=Scope.user_state)

    def has_dynamic_children(self):
        return True

    def get_child_blocks(self):
        """The learner's drawn children, bound to them (the bank's own view of its children)."""
        drawn = {tuple(pair) for pair in self.selected}
        return [self.runtime.get_block(key) for key in self.children if _pair(self.runtime, key) in drawn]

    def draw(self, *child_ids):
        """Records these children as the current learner's draw, as ``selected_children`` would."""
        self.selected = [list(_pair(self.runtime, key)) for key in child_ids]
        self.save()

    def student_view(self, context=None):  # pragma: no cover - never rendered here
        raise NotImplementedError
