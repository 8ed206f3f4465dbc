"""The one way a handler reads what a browser sends: strict JSON, bounded numbers, storable text.

Every JSON handler of every block goes through :func:`check_content_type` and :func:`parse` (see
``blocks.mixins.json_api``), so a body that any handler would choke on is refused once, here, with a 4xx
and a human message, before anything is read or written:

* the body is declared ``application/json`` (optionally with ``charset=utf-8``), else 415: forms
  (urlencoded or multipart), ``text/plain`` and bodies without a type are what another site can make a
  browser send without the site's consent, and a form body may already have been read by the web
  framework (Django parses it into ``request.POST``);
* the body is at most :data:`MAX_BODY_BYTES`, UTF-8, one JSON object, nested at most
  :data:`MAX_DEPTH` levels, without duplicate keys;
* ``NaN``, ``Infinity`` and ``-Infinity`` are refused (Python's parser accepts them; JSON does not);
* every integer has at most :data:`MAX_INT_DIGITS` digits and every decimal number is finite and
  below ``10**MAX_INT_DIGITS`` (``1e400`` would become infinity, a 401-digit integer overflows floats);
* every string, keys included, holds only characters that XML and every database can store: no
  lone surrogates (``"\\ud800"``), no control characters other than tab and line breaks, no Unicode
  non-characters. One rule for every text field, so a value is never accepted by one handler and
  refused (or half stored) by another.

Field readers (:func:`record_id`, :func:`whole_number`, :func:`decimal`) then apply each field's own
range: booleans are never integers, decimals are never truncated into ids, and only ASCII digits
count as digits.
"""

from __future__ import annotations

import json
import math
import re

from .i18n import gettext_noop as _
from .refusals import Refusal

MAX_BODY_BYTES = 256 * 1024
MAX_DEPTH = 32
MAX_INT_DIGITS = 15
MAX_NUMBER = 10**MAX_INT_DIGITS
MAX_RECORD_ID = 2**63 - 1
MAX_NUMBER_TEXT = 64

# Characters XML 1.0 cannot carry, and Unicode's non-characters (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF).
_NONCHARACTERS = "".join(chr(plane * 0x10000 + low) for plane in range(17) for low in (0xFFFE, 0xFFFF))
UNSTORABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef" + re.escape(_NONCHARACTERS) + "]"
)
ASCII_INTEGER = re.compile(r"[+-]?[0-9]+")
ASCII_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")

JSON_MEDIA_TYPE = "application/json"

NOT_JSON_TYPE = _("The request must be sent as JSON (Content-Type: application/json).")
UNREADABLE = _("The request could not be read. Please try again.")
TOO_LARGE = _("The request is too large.")
NOT_JSON = _("The request is not valid JSON.")
NOT_OBJECT = _("The request must be a JSON object.")
BAD_CONSTANT = _("The request contains NaN or Infinity, which are not numbers this service accepts.")
NUMBER_RANGE = _("The request contains a number that is too large.")
TOO_DEEP = _("The request is nested too deeply.")
DUPLICATE_KEY = _("The request names the same field twice.")
BAD_CHARACTER = _(
    "The request contains a character that cannot be stored (a control character or an invalid Unicode "
    "character). Remove it and try again."
)


def _refuse(message: str):
    def hook(_value):
        raise Refusal(message)

    return hook


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise Refusal(NUMBER_RANGE)
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > MAX_NUMBER_TEXT:
        raise Refusal(NUMBER_RANGE)
    value = float(text)
    if not math.isfinite(value) or abs(value) >= MAX_NUMBER:
        raise Refusal(NUMBER_RANGE)
    return value


def _object(pairs: list) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise Refusal(DUPLICATE_KEY)
    return result


def check_value(value) -> None:
    """Refuse a parsed value nested too deeply or holding a string that cannot be stored."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if UNSTORABLE.search(item):
                raise Refusal(BAD_CHARACTER)
        elif isinstance(item, (dict, list)):
            if depth > MAX_DEPTH:
                raise Refusal(TOO_DEEP)
            if isinstance(item, dict):
                stack.extend((key, depth) for key in item)
                stack.extend((child, depth + 1) for child in item.values())
            else:
                stack.extend((child, depth + 1) for child in item)


def check_content_type(value: str | None) -> None:
    """Refuse (415) a body not declared as ``application/json``; a ``charset`` parameter may say UTF-8 only.

    Media types are case-insensitive. ``application/json`` defines no parameter, so any other parameter,
    another charset, a ``+json`` suffix type or a list of types is refused rather than guessed at.
    """
    media_type, _sep, parameters = (value or "").partition(";")
    if media_type.strip().lower() != JSON_MEDIA_TYPE:
        raise Refusal(NOT_JSON_TYPE, status=415)
    for parameter in parameters.split(";"):
        if not parameter.strip():
            continue
        name, _eq, setting = parameter.partition("=")
        if name.strip().lower() != "charset" or setting.strip().strip('"').lower() != "utf-8":
            raise Refusal(NOT_JSON_TYPE, status=415)


def parse(body: bytes | None) -> dict:
    """The request body as a dict, or a :class:`~.refusals.Refusal` (413 for a body over the limit, else 400)."""
    body = body or b""
    if len(body) > MAX_BODY_BYTES:
        raise Refusal(TOO_LARGE, status=413)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refusal(NOT_JSON) from None
    try:
        data = json.loads(
            text, parse_constant=_refuse(BAD_CONSTANT), parse_int=_parse_int, parse_float=_parse_float,
            object_pairs_hook=_object,
        )
    except (ValueError, RecursionError):
        raise Refusal(NOT_JSON) from None
    if not isinstance(data, dict):
        raise Refusal(NOT_OBJECT)
    check_value(data)
    return data


# --- one field at a time ------------------------------------------------------------------------


def record_id(value) -> int | None:
    """A database id (1 .. 2**63-1) sent as a JSON integer or as ASCII digits; None for anything else.

    ``true`` is not 1, and ``1.9`` (or ``1.0``) is not an id: nothing is truncated or coerced.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and 0 < len(value) <= 19 and value.isascii() and value.isdigit():
        value = int(value)
    if isinstance(value, int) and 1 <= value <= MAX_RECORD_ID:
        return value
    return None


def whole_number(value, minimum: int, maximum: int) -> int | None:
    """An integer in ``[minimum, maximum]`` from a JSON integer, an integral JSON number (``3.0``) or
    ASCII digits with an optional sign; None for anything else (booleans, ``3.5``, ``"３"``, ``"1_000"``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not (math.isfinite(value) and value.is_integer()):
            return None
        value = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if not (len(text) <= MAX_INT_DIGITS + 1 and ASCII_INTEGER.fullmatch(text)):
            return None
        value = int(text)
    if isinstance(value, int) and minimum <= value <= maximum:
        return value
    return None


def decimal(value, limit: float = MAX_NUMBER) -> float | None:
    """A finite number below ``limit`` in size, from a JSON number or ASCII decimal text
    (``"2.5"``, ``"-3"``, ``"1e3"``); None for anything else (``"１８９５"``, ``"1_000"``, ``"nan"``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if abs(value) >= limit:
            return None
        return float(value)
    if isinstance(value, float):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if not (0 < len(text) <= MAX_NUMBER_TEXT and ASCII_DECIMAL.fullmatch(text)):
            return None
        number = float(text)
    else:
        return None
    return number if math.isfinite(number) and abs(number) < limit else None


def ascii_digits(value, max_digits: int = 6) -> int | None:
    """A non-negative integer written with ASCII digits only (JSON integer or text); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        if not (0 < len(value) <= max_digits and value.isascii() and value.isdigit()):
            return None
        return int(value)
    if isinstance(value, int) and 0 <= value < 10**max_digits:
        return value
    return None
