"""Numbers, scores and moments as a learner reads them, in the page's language.

One wording for a score in every block ("7 of 10 points (70 %)" in French, "7 of 10 points (70%)" in
English), numbers with the language's decimal separator, plural forms through ``ngettext``, and
moments sent as ISO 8601 so that the browser shows them in the learner's own time zone and language
(``SSEAcademy.localTime`` in ``static/js/sse-common.js``); the server's text, in UTC, is only the
fallback before the script runs.
"""

from __future__ import annotations

import math
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from django.utils import dateformat, formats, translation

from .i18n import gettext_noop


# The languages authors can declare for a block's text (the ``content_language`` setting).
CONTENT_LANGUAGES = {"en": "English", "fr": "Français", "es": "Español"}
CONTENT_LANGUAGE_CODES = tuple(CONTENT_LANGUAGES)
DEFAULT_CONTENT_LANGUAGE = "en"


def content_lang(content_language: str | None) -> str:
    """The ``lang`` to put on author text: its language when the page's differs, else ``""``."""
    if not content_language:
        return ""
    page = language().split("-")[0].split("_")[0]
    return "" if page == content_language.split("-")[0] else content_language


def language_choices() -> list[dict]:
    return [{"value": code, "display_name": name} for code, name in CONTENT_LANGUAGES.items()]


def language() -> str:
    return (translation.get_language() or "en").lower()


def number(value) -> str:
    """A number without a needless ``.0``, with the active language's decimal separator."""
    value = float(value)
    if value.is_integer():
        return str(int(value))
    rounded = round(value, 2)
    return formats.number_format(rounded, decimal_pos=None, use_l10n=True) if rounded != int(rounded) else str(
        int(rounded))


def fixed(value, places: int) -> str:
    """A figure with exactly ``places`` decimals (a coefficient: "0.35", French "0,35"), the minus sign typeset."""
    return formats.number_format(round(float(value), places), decimal_pos=places, use_l10n=True).replace("-", "\u2212")


def plural_count(value) -> int:
    """The count that picks a plural form for ``value`` (a fraction: "1.5 points", French "1,5 point")."""
    value = abs(float(value))
    if value.is_integer():
        return int(value)
    if language().startswith("fr") and value < 2:
        return 1
    return 2


def whole_percent(earned: float, possible: float) -> int:
    """The share as a whole percentage; never 100 unless the score is full, never 0 unless it is nothing."""
    if possible <= 0:
        return 0
    share = 100.0 * earned / possible
    shown = int(math.floor(share + 0.5))
    if shown == 100 and earned < possible:
        return 99
    if shown == 0 and earned > 0:
        return 1
    return shown


def percent(t, value) -> str:
    return t.gettext("%(percent)s%%") % {"percent": number(value)}


def points(t, earned, possible) -> str:
    """``"2 of 3 points"``: the one wording of a part's score."""
    return t.ngettext("%(earned)s of %(possible)s point", "%(earned)s of %(possible)s points",
                      plural_count(possible)) % {"earned": number(earned), "possible": number(possible)}


def score(t, earned, possible) -> str:
    """``"2 of 3 points (67%)"``: the one wording of a total score, in every block."""
    return t.gettext("%(points)s (%(percent)s)") % {
        "points": points(t, earned, possible), "percent": percent(t, whole_percent(earned, possible))}


def point_count(t, value) -> str:
    return t.ngettext("%(points)s point", "%(points)s points", plural_count(value)) % {"points": number(value)}


def plural_forms(t, singular: str, plural: str) -> dict:
    """Both forms of a message whose count the browser knows (``SSEAcademy.plural`` picks one)."""
    return {"one": t.ngettext(singular, plural, 1), "other": t.ngettext(singular, plural, 2)}


def iso(moment) -> str:
    """A moment for ``<time datetime>`` and for the browser to show in the learner's time zone."""
    return moment.isoformat() if moment else ""


def fallback_when(moment) -> str:
    """What is shown before the browser puts a moment in the learner's time zone."""
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""


# A date in words, as Django's ``date`` filter writes it ("j F Y": "5 December 2026"); each language orders
# it its own way (Spanish "j \d\e F \d\e Y": "5 de diciembre de 2026"). Month names come from Django.
DATE_IN_WORDS = gettext_noop("j F Y")
MOMENT_IN_WORDS = gettext_noop("%(date)s at %(time)s (%(zone)s)")


def reader_zone(name: str | None):
    """The time zone named by the reader's preference (an IANA name such as "Europe/Paris"), else UTC."""
    if name:
        try:
            return zoneinfo.ZoneInfo(str(name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return timezone.utc


def in_words(gettext, moment: datetime, zone: str | None = None) -> str:
    """``"5 December 2026 at 17:00 (UTC)"``: a moment in the reader's language and time zone (UTC when
    their zone is not known), for text the browser does not rewrite (a refusal's message)."""
    tz = reader_zone(zone)
    local = moment.astimezone(tz)
    return gettext(MOMENT_IN_WORDS) % {
        "date": dateformat.format(local, gettext(DATE_IN_WORDS)),
        "time": dateformat.format(local, "H:i"),
        "zone": utc_offset(local),
    }


def utc_offset(local: datetime) -> str:
    """The offset of a local time as every reader can read it: "UTC", "UTC+1", "UTC−5", "UTC+5:30"."""
    minutes = int((local.utcoffset() or timedelta(0)).total_seconds() // 60)
    if not minutes:
        return "UTC"
    hours, rest = divmod(abs(minutes), 60)
    return "UTC%s%d%s" % ("+" if minutes > 0 else "\u2212", hours, ":%02d" % rest if rest else "")


@dataclass(frozen=True)
class Moment:
    """A moment to write in words where it is shown (a parameter of a refusal: see ``refusals.Refusal``)."""

    value: datetime
    zone: str | None = None

    def translated(self, gettext) -> str:
        return in_words(gettext, self.value, self.zone)
