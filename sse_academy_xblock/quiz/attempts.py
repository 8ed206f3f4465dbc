"""When a learner may submit the quiz again: the attempt limit and the finality of a full score.

One place for the rule, used by the learner view (is Submit offered?) and by the submit handler
(a request that the view would not have offered is refused with the same reason).
"""

from __future__ import annotations

from ..i18n import gettext_noop as _
from ..refusals import Refusal


def attempts_used_up(max_attempts: int | None, attempts: int) -> bool:
    """``max_attempts`` None (the platform's null: no course limit either) or 0 means no limit."""
    return bool(max_attempts) and max_attempts > 0 and attempts >= max_attempts


def full_score(earned: float | None, possible: float) -> bool:
    return earned is not None and possible > 0 and earned >= possible


def closed_reason(*, max_attempts: int | None, attempts: int, earned: float | None, possible: float,
                  retry_after_full: bool) -> str:
    """Why this learner may not submit again (a message to translate where it is shown), or ``""`` when they may.

    A full score is final unless the author allows attempts after it: a later, worse attempt would
    otherwise replace it (the last attempt counts).
    """
    if attempts_used_up(max_attempts, attempts):
        return _("You have used all your attempts on this quiz.")
    if full_score(earned, possible) and not retry_after_full:
        return _("You have the full score on this quiz; it is final.")
    return ""


def require_an_answer(answers: dict) -> None:
    """An attempt with no answer at all would only spend an attempt: it is refused (400)."""
    if not any(value not in (None, [], "") for value in answers.values()):
        raise Refusal(_("Answer at least one question before you submit."))
