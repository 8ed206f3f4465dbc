"""Numbers, scores, lists and moments as a reader writes them, in the page's language: the one formatter.

One wording for a score in every block ("7 sur 10 points (70 %)" in French, "7 of 10 points (70%)" in
English); numbers with the language's decimal separator and thousands grouped ("1 200" in French, with
CLDR's narrow no-break space); percentages spaced as the language spaces them (CLDR: "60 %" in French and
Spanish, "60%" in English); lists of values joined with the language's conjunction ("3 et 5", never
"3, 5", which a French reader takes for 3.5); plural forms through ``ngettext`` with the count itself
(French takes the singular for 0 and 1). The rules are CLDR's, read through Babel; the browser applies
the same ones through ``Intl`` with the page's language (``SSEAcademy.number``, ``.list``, ``.plural``
in ``static/js/sse-common.js``), and ``tests/browser/test_formatting_browser.py`` checks that both agree.

Moments are sent as ISO 8601 so that the browser shows them in the learner's own time zone and language,
with the zone named (``SSEAcademy.localTime``); the server's text, in UTC and saying so, is only the
fallback before the script runs. CSV files write moments as ISO 8601 with their offset (:func:`csv_time`).
"""

from __future__ import annotations

import contextvars
import functools
import math
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from babel import Locale
from babel.lists import format_list
from babel.numbers import (
    NumberPattern, get_decimal_symbol, get_group_symbol, get_minus_sign_symbol, parse_pattern,
)
from django import template
from django.utils import dateformat, translation

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


# Set by :func:`one_language` for the length of a long piece of writing (a staff report).
_CODE = contextvars.ContextVar("sse_l10n_locale_code", default=None)


def locale_code() -> str:
    """The CLDR locale of the page's language ("fr-ca" reads as "fr"); English for a language we do not ship."""
    fixed = _CODE.get()
    if fixed is not None:
        return fixed
    code = language().split("-")[0].split("_")[0]
    return code if code in CONTENT_LANGUAGES else DEFAULT_CONTENT_LANGUAGE


def one_language(func):
    """``func`` writes its figures in the language active when it is called, read once: a report of hundreds
    of figures otherwise reads the active language (a thread- and task-local lookup) for each one."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        token = _CODE.set(locale_code())
        try:
            return func(*args, **kwargs)
        finally:
            _CODE.reset(token)

    return wrapper


# CLDR's minimumGroupingDigits where it is not 1: Spanish groups thousands from five digits on ("1200",
# "12.000"), as ``Intl.NumberFormat`` does in the browser; Babel does not read this value.
MINIMUM_GROUPING_DIGITS = {"es": 2}


# Kept for the process: a staff panel writes thousands of figures, and Babel's ``format_decimal`` parses the
# locale's name and the pattern again for each one (half of the time of a figure).
@functools.lru_cache(maxsize=None)
def _locale(code: str) -> Locale:
    return Locale.parse(code)


@functools.lru_cache(maxsize=None)
def _symbols(code: str) -> tuple[str, str, str]:
    """The language's decimal separator, thousands separator and minus sign (CLDR's, through Babel)."""
    locale = _locale(code)
    return get_decimal_symbol(locale), get_group_symbol(locale), get_minus_sign_symbol(locale)


def _decimal(value, places: int, minimum: int = 0, grouping: bool = True, code: str | None = None) -> str:
    """``value`` rounded to ``places`` decimals (keeping at least ``minimum``), written as
    ``babel.numbers.format_decimal(value, format="#,##0.0#", locale=code, group_separator=True)`` writes it
    (``tests/unit/test_l10n.py`` compares the two): the digits from Python's own formatting of the rounded
    value, which Babel's quantizing leaves as they are, then the language's separators and minus sign. A
    staff panel writes hundreds of figures; Babel's general pattern engine takes ten times as long."""
    code = code or locale_code()
    value = round(float(value), places)
    if not math.isfinite(value):
        return _babel_decimal(value, places, minimum, False, code)
    decimal, group, minus = _symbols(code)
    grouped = grouping and abs(value) >= 10 ** (2 + MINIMUM_GROUPING_DIGITS.get(code, 1))
    text = f"{abs(value):{',' if grouped else ''}.{places}f}"
    whole, _, fraction = text.partition(".")
    if grouped:
        whole = whole.replace(",", group)
    fraction = fraction.rstrip("0").ljust(minimum, "0")
    sign = minus if math.copysign(1.0, value) < 0 else ""
    return sign + whole + (decimal + fraction if fraction else "")


@functools.lru_cache(maxsize=256)
def _pattern(grouped: bool, places: int, minimum: int) -> NumberPattern:
    decimals = "." + "0" * minimum + "#" * (places - minimum) if places else ""
    return parse_pattern(("#,##0" if grouped else "0") + decimals)


def _babel_decimal(value: float, places: int, minimum: int, grouped: bool, code: str) -> str:
    """Babel's own writing of a figure: for what Python's formatting does not write as Babel does (infinity)."""
    return _pattern(grouped, places, minimum).apply(value, _locale(code), group_separator=True)


def number(value, places: int = 2, grouping: bool = True) -> str:
    """A number as the page's language writes it: thousands grouped ("1 200", "12.345,5"), the decimal
    separator of the language, at most ``places`` decimals and no needless ``.0``. ``grouping=False`` for
    a number that is a name as much as a quantity (a numeric question's answer, often a year: "1895")."""
    return _decimal(value, places, grouping=grouping)


def count(value: int) -> str:
    """A whole count ("1 200 mots"): grouped as :func:`number` groups it."""
    return _decimal(int(value), 0)


def fixed(value, places: int) -> str:
    """A figure with exactly ``places`` decimals (a coefficient: "0.35", French "0,35"), the minus sign typeset."""
    return _decimal(value, places, minimum=places).replace("-", "\u2212")


def values(items) -> str:
    """Several values as one phrase, joined with the language's conjunction: "3 and 5", "3 et 5", "3, 5 y 7".

    ``items`` are numbers (written with :func:`number`) or text already written."""
    texts = [item if isinstance(item, str) else number(item) for item in items]
    if not texts:
        return ""
    return format_list(texts, style="standard", locale=_locale(locale_code()))


# Templates write a figure with ``{{ value|number }}`` (a builtin of the blocks' template engine, see
# ``resources._engine``), so a count in a template is grouped as everywhere else.
register = template.Library()
register.filter("number", lambda value: "" if value is None or value == "" else number(value))


def counted(t, singular: str, plural: str, amount, **values_) -> str:
    """A message with a count, its form chosen by the language's plural rule for that count
    (``ngettext``), the count written as a number: "0 caractère utilisé", "1 200 mots"."""
    text = number(amount) if isinstance(amount, float) and not float(amount).is_integer() else count(amount)
    return t.ngettext(singular, plural, plural_count(amount)) % {"count": text, **values_}


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
    """:func:`percentage`, for callers holding a translator (every wording function takes it first)."""
    return percentage(value)


def percentage(value) -> str:
    """``value`` per cent, spaced as the language's CLDR pattern spaces it ("60%", "60\u00a0%")."""
    code = locale_code()
    pattern = _percent_pattern(code)
    negative = float(value) < 0
    return pattern.prefix[1 if negative else 0] + _decimal(abs(float(value)), 2, code=code) + pattern.suffix[1 if negative else 0]


@functools.lru_cache(maxsize=None)
def _percent_pattern(code: str) -> NumberPattern:
    return _locale(code).percent_formats[None]


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
    """What is shown before the browser puts a moment in the learner's time zone (which it names): the
    moment in UTC, saying so, in the form ``SSEAcademy.localTimes`` finds and rewrites."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if moment else ""


def csv_time(moment) -> str:
    """A moment in a CSV cell: ISO 8601 in UTC with its offset, to the second ("2026-12-06T21:01:00+00:00")."""
    if not moment:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


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
