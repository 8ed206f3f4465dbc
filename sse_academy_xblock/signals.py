"""Signal receivers of the plugin app: what happens to our tables when a learner's account is retired.

Wired in the LMS through ``SSEAcademyConfig.plugin_app['signals_config']`` to the platform's
``USER_RETIRE_LMS_MISC`` signal (sent with ``user=``). Our tables key learners by their
course-specific anonymous ids, which only the platform can list for a user; that look-up is done
lazily here, so this module imports without Open edX.

What retirement does (docs/operations.md, "Learner data and retirement"):

* the per-dimension scores, the quiz roster and the quiz answers kept for item analysis of the learner
  are deleted (their answers are taken out of the running totals first);
* in peer review (``peer.staff_actions.retire_learner``), the learner's response drafts are deleted;
  their anonymous id is replaced by a random alias (``secrets``; nothing stored links the two) on
  their submission, the leases and reviews they gave, the flags they raised, their agreement
  counters and the staff columns where they acted as staff, so other learners keep their grades and
  the reviews they received; their texts are emptied: review drafts, the comments of the reviews
  they gave (the points stay), flag reasons, the comments of their ratings of the reviews they
  received (the helpful/not helpful answer stays, under the alias); their unfinished reviews are
  withdrawn;
* the staff audit trail is kept as it is, but for the id of a retired staff member.

The text of the learner's submitted responses and their real anonymous id stay in edx-submissions,
which has no retirement function (docs/operations.md says what an operator can do).
"""

from __future__ import annotations

import logging

from django.db import transaction

from .peer import staff_actions
from .profile import scores
from .quiz import item_totals, roster

log = logging.getLogger(__name__)

RETIREMENT_SIGNAL = "openedx.core.djangoapps.user_api.accounts.signals.USER_RETIRE_LMS_MISC"


def anonymous_ids_of(user) -> list[str]:
    """Every course-specific anonymous id the platform gave ``user``.

    Outside Open edX (the XBlock SDK workbench) a learner's id in our tables is their workbench user
    id, which is the user's name.
    """
    try:
        from common.djangoapps.student.models import AnonymousUserId  # pylint: disable=import-error
    except ImportError:
        name = getattr(user, "username", None) or (user if isinstance(user, str) else None)
        return [name] if name else []
    return sorted(set(AnonymousUserId.objects.filter(user=user).values_list("anonymous_user_id", flat=True)))


def retire_anonymous_ids(anon_ids) -> None:
    """Delete or anonymise what our tables hold for these anonymous ids (safe to run again)."""
    anon_ids = sorted({a for a in anon_ids if a})
    if not anon_ids:
        return
    with transaction.atomic():
        scores.forget_learners(anon_ids)
        for anon_id in anon_ids:
            roster.forget_learner(anon_id)
            item_totals.forget_learner(anon_id)
        staff_actions.retire_learner(anon_ids)


def on_user_retired(sender, user=None, **kwargs):  # pylint: disable=unused-argument
    """Receiver of ``USER_RETIRE_LMS_MISC``: retire the learner's data in our tables."""
    if user is None:
        return
    anon_ids = anonymous_ids_of(user)
    retire_anonymous_ids(anon_ids)
    log.info("SSE Academy data retired for %d anonymous id(s)", len(anon_ids))
