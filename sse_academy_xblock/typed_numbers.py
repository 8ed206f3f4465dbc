"""Numbers as people type them, in English, French or Spanish: the one reader for learners, authors and staff.

Accepted, whatever the page's language: a decimal point or a decimal comma ("2.5", "2,5"); spaces,
no-break spaces and narrow no-break spaces between groups of three digits ("1 895", "1 000 000,5");
a point or a comma between groups of three digits when the other one marks the decimals ("1.895,5",
"1,895.5") or when it appears more than once ("1.000.000"); a sign ("-3", "+3", "−3"). Babel reads each
form under the two conventions (a decimal point with comma groups, as English writes; a decimal comma
with point groups, as Spain writes) with its strict grouping rules, so "1,8950" or "12.34,5" are not
numbers at all.

**Never guessed.** One point or one comma followed by exactly three digits ("1.895", "1,895", "-2.500")
reads as a thousand in one convention and as a decimal in the other: Spain writes 1895 as "1.895",
Mexico and English write 1.895 so. Such a text is refused with :class:`Ambiguous`, a refusal naming both
readings in the reader's language, and nothing is saved:

* authors and staff resend the same text together with an explicit choice: the request's ``"meant"``
  object maps the typed text to the number meant, as a JSON number (``{"meant": {"1.895": 1895}}``);
  a JSON number is never ambiguous, and a choice that is not one of the two readings changes nothing;
* learners are asked the same way and write the number again without the doubt: without the thousands
  separator ("1895") or with more or fewer decimals ("1,8950", "1,9"). The learner's page language
  does not decide for them, because a Mexican learner on a Spanish page writes "1.895" for a decimal:
  a quiz answer read the wrong way would be marked wrong without a word.

A leading zero ("0.500", "0,500") or a first group longer than three digits ("1234.567") cannot be a
thousands separator, so such forms are plain decimals. JSON numbers (``2.5``) are taken as they are.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from babel.numbers import NumberFormatError, parse_decimal
from django.utils import formats

from .i18n import gettext_noop as _
from .refusals import Refusal

MAX_NUMBER = 10**15
MAX_TEXT = 64

# The two conventions, as Babel's locales carry them: a decimal point ("1,895.5") and a decimal comma
# ("1.895,5"), as Spain writes them.
_CONVENTIONS = (("en", ","), ("es", "."))
# Spaces that separate digit groups: space, no-break space, narrow no-break space, thin space.
_SPACES = " \u00a0\u202f\u2009"
_SHAPE = re.compile(r"[+\-\u2212]?[0-9][0-9.,%s]*" % _SPACES)
_SPACED = re.compile(r"[0-9]{1,3}(?:[%s][0-9]{3})+(?:[.,][0-9]*)?" % _SPACES)

AMBIGUOUS = _('The number "%(typed)s" can be read as %(thousands)s (with a thousands separator) or as '
              '%(decimal)s (with decimals). Say which number you meant.')
# A learner's answer, after "Question 3: ".
AMBIGUOUS_ANSWER = _('the number "%(typed)s" can be read as %(thousands)s (with a thousands separator) or as '
                     '%(decimal)s (with decimals). Write it again without the doubt: %(thousands_plain)s, or '
                     '%(decimal_long)s.')
NOT_A_NUMBER = _('This is not a number: "%(typed)s". Write digits, with a decimal comma or point (2,5 or 2.5).')
WILL_BE_SAVED = _("Will be saved as %(number)s.")


class Shown:
    """A number written in the reader's language when the sentence is translated (a refusal's parameter)."""

    def __init__(self, value: Decimal, extra_places: int = 0):
        self.value = value
        self.extra_places = extra_places

    def translated(self, gettext) -> str:
        return written(self.value, self.extra_places)

    def __str__(self) -> str:
        return str(self.value)


def written(value, extra_places: int = 0) -> str:
    """``value`` in the active language, no needless zero, no grouping ("1895", French "1,895"); with
    ``extra_places`` a number with exactly three decimals gets one more zero ("1,8950"), so that it no longer
    reads as a thousand."""
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    if value == value.to_integral_value():
        value = value.to_integral_value()
        places = 0
    else:
        value = value.normalize()
        places = -value.as_tuple().exponent
        if extra_places and places == 3:
            places += extra_places
    return formats.number_format(value, decimal_pos=places or None, use_l10n=True, force_grouping=False) \
        .replace("-", "\u2212")


class Ambiguous(Refusal):
    """A typed number with two readings; ``readings`` is (thousands, decimal), both floats."""

    def __init__(self, typed: str, thousands: Decimal, decimal: Decimal, message: str = AMBIGUOUS):
        super().__init__(message, typed=typed, thousands=Shown(thousands), decimal=Shown(decimal),
                         thousands_plain=Shown(thousands), decimal_long=Shown(decimal, extra_places=1))
        self.typed = typed
        self.readings = (float(thousands), float(decimal))

    def for_learner(self) -> "Ambiguous":
        thousands, decimal = (self.params["thousands"].value, self.params["decimal"].value)
        return Ambiguous(self.typed, thousands, decimal, AMBIGUOUS_ANSWER)

    def details(self, gettext) -> dict:
        """The reply names the doubt (see ``blocks.mixins.json_api``), for the page to offer both readings."""
        return {"ambiguous": [self.as_json(gettext)]}

    def as_json(self, gettext) -> dict:
        """What an editor needs to ask: the text, both readings as numbers and as the reader writes them."""
        return {
            "typed": self.typed,
            "message": self.translated(gettext),
            "readings": [{"value": value, "text": shown.translated(gettext)}
                         for value, shown in zip(self.readings, (self.params["thousands"], self.params["decimal"]))],
        }


def _readings(text: str) -> set[Decimal]:
    found = set()
    spaced = any(space in text for space in _SPACES)
    for _locale, group in _CONVENTIONS:
        candidate = text
        if spaced:
            if not _SPACED.fullmatch(text):
                return set()
            candidate = re.sub("[%s]" % _SPACES, group, text)
        try:
            value = parse_decimal(candidate, locale=_locale, strict=True)
        except (NumberFormatError, ArithmeticError, ValueError):
            continue
        if value.is_finite():
            found.add(value)
    return found


def read(value, meant=None, limit: float = MAX_NUMBER) -> float | None:
    """The number ``value`` says, as a finite float below ``limit`` in size; None when it is no number.

    ``value`` is a JSON number or text typed by a person. Raises :class:`Ambiguous` when the text has two
    readings and ``meant`` (the request's ``"meant"`` object) does not name one of them.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value) if abs(value) < limit else math.inf
        return number if math.isfinite(number) and abs(number) < limit else None
    if not isinstance(value, str):
        return None
    text = value.strip(_SPACES + "\t\n")
    if not 0 < len(text) <= MAX_TEXT or not _SHAPE.fullmatch(text):
        return None
    sign = ""
    if text[0] in "+-\u2212":
        sign, text = ("-" if text[0] != "+" else ""), text[1:]
    readings = _readings(text)
    if len(readings) == 2:
        thousands, decimal = sorted(readings, reverse=True)
        if sign:
            thousands, decimal = -thousands, -decimal
        typed = value.strip()  # as the refusal names it, and so as the editor sends the choice back
        chosen = (meant.get(typed, meant.get(value)) if isinstance(meant, dict) else None)
        if isinstance(chosen, (int, float)) and not isinstance(chosen, bool) and float(chosen) in (
                float(thousands), float(decimal)):
            return float(chosen)
        raise Ambiguous(typed, thousands, decimal)
    if len(readings) != 1:
        return None
    number = float(readings.pop())
    number = -number if sign else number
    return number if math.isfinite(number) and abs(number) < limit else None


def echo(payload) -> dict:
    """An editor's echo: the number the typed ``text`` says, as it will be saved (``value``) and as the author
    reads it (``text``, in the active language); a refusal when it is no number or has two readings."""
    typed = payload.get("text") if isinstance(payload, dict) else None
    value = read(typed, meant_of(payload))
    if value is None:
        raise Refusal(NOT_A_NUMBER, typed=str(typed)[:MAX_TEXT] if isinstance(typed, (str, int, float)) else "")
    return {"value": value, "text": written(value)}


def meant_of(payload) -> dict:
    """The request's explicit choices for ambiguous texts: ``{"1.895": 1895}``; anything else is ignored."""
    meant = payload.get("meant") if isinstance(payload, dict) else None
    return meant if isinstance(meant, dict) else {}
