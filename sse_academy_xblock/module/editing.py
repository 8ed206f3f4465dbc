"""Validation of the module's Studio settings: the whole payload is checked before anything is saved."""

from __future__ import annotations

from ..dimensions import is_dimension
from ..i18n import gettext_noop as _
from ..sanitize import clean_author_html
from .olx import MAX_MINUTES, MAX_OBJECTIVES

MAX_NAME = 255
MAX_OBJECTIVE = 1000
MAX_INTRO = 50_000
FIELDS = ("display_name", "dimension", "objectives", "intro", "estimated_time")


def duration_text(minutes: int | None, translator) -> str:
    """"3 hours", "45 minutes", "1 hour 30 minutes": a module's estimated time for learners."""
    if not minutes:
        return ""
    hours, rest = divmod(int(minutes), 60)
    parts = []
    if hours:
        parts.append(translator.ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours})
    if rest:
        parts.append(translator.ngettext("%(count)s minute", "%(count)s minutes", rest) % {"count": rest})
    if len(parts) == 1:
        return parts[0]
    return translator.gettext("%(hours)s %(minutes)s") % {"hours": parts[0], "minutes": parts[1]}


def _objectives(value) -> list[str] | None:
    """Objectives as a list of strings, or one text with an objective per line."""
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return None
    return [item.strip() for item in value if item.strip()]


def validate_settings(data: dict, gettext) -> tuple[dict, list[dict]]:
    """Return ``(values, errors)``; ``values`` is complete and safe to assign only when ``errors`` is empty.

    Every error is ``{"field": name, "message": translated sentence}``; all are reported at once.
    """
    errors: list[dict] = []
    values: dict = {}

    def error(field, message, **params):
        errors.append({"field": field, "message": gettext(message) % params if params else gettext(message)})

    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        error("", _("Unknown setting(s): %(names)s."), names=", ".join(unknown))

    name = data.get("display_name")
    if not isinstance(name, str) or not name.strip():
        error("display_name", _("Enter a display name."))
    elif len(name.strip()) > MAX_NAME:
        error("display_name", _("The display name can have at most %(max)s characters."), max=MAX_NAME)
    else:
        values["display_name"] = name.strip()

    dimension = data.get("dimension")
    if not is_dimension(dimension):
        error("dimension", _("Choose one of the four Decent Work dimensions."))
    else:
        values["dimension"] = dimension

    objectives = _objectives(data.get("objectives", []))
    if objectives is None:
        error("objectives", _("Learning objectives must be text, one objective per line."))
    elif len(objectives) > MAX_OBJECTIVES:
        error("objectives", _("A module can have at most %(max)s learning objectives."), max=MAX_OBJECTIVES)
    elif any(len(item) > MAX_OBJECTIVE for item in objectives):
        error("objectives", _("Each learning objective can have at most %(max)s characters."), max=MAX_OBJECTIVE)
    else:
        values["objectives"] = [clean_author_html(item) for item in objectives]

    intro = data.get("intro", "")
    if not isinstance(intro, str):
        error("intro", _("The introduction must be text (HTML)."))
    elif len(intro) > MAX_INTRO:
        error("intro", _("The introduction can have at most %(max)s characters."), max=MAX_INTRO)
    else:
        values["intro"] = clean_author_html(intro.strip())

    minutes = data.get("estimated_time")
    if isinstance(minutes, str):
        text = minutes.strip()
        minutes = None if not text else int(text) if text.isascii() and text.isdigit() else text
    if minutes is None:
        values["estimated_time"] = None
    elif isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
        error(
            "estimated_time",
            _("The estimated time must be a whole number of minutes from 1 to %(max)s, or empty."),
            max=MAX_MINUTES,
        )
    else:
        values["estimated_time"] = minutes

    return values, errors
