"""Refusals: a request turned down, with nothing changed, and the sentence the person is told why.

Every block refuses the same way. Domain code (``quiz/``, ``peer/``) and handlers raise
:class:`Refusal` with a message marked for translation and the HTTP status of the reply;
``blocks.mixins.json_api`` answers ``{"error": message}`` with that status, the message translated
with the block's translator. Domain code never needs the caller's language: the sentence is
translated once, at the edge.

The statuses in use: 400 (the request is not valid), 403 (this caller may not do this), 404 (not
found in this block: another learner's or another block's record reads the same as a missing one),
409 (the state forbids it now: already submitted, attempts used up, past the due date,
withdrawn), 413 (too large) and
503 (the database was too busy: nothing was counted, try again).
"""

from __future__ import annotations

from collections.abc import Iterable


def _as_written(text: str) -> str:
    return text


class Phrase(str):
    """A parameter of a refusal that is itself a marked word, translated with the sentence."""


class Refusal(Exception):
    """A request refused with nothing changed: ``status`` and ``message``, translated where it is shown.

    ``message`` is an untranslated sentence (marked with ``gettext_noop``) with ``%(name)s``
    placeholders filled from ``params``. A parameter wrapped in :class:`Phrase` (a word marked with
    ``gettext_noop``: what was too long, say) is translated with the sentence; every other parameter
    (an author's label, a learner's id, a number) is written as it is, even when it happens to equal
    a message of the catalogs. A parameter with a ``translated(gettext)`` method (a moment,
    :class:`sse_academy_xblock.l10n.Moment`) writes itself in the reader's language. ``str()`` of a refusal is its English sentence (for logs and tests).
    """

    def __init__(self, message: str, status: int = 400, **params):
        super().__init__(message)
        self.message = message
        self.status = status
        self.params = params

    def translated(self, gettext) -> str:
        """The sentence in the language of ``gettext`` (the block translator's, or Django's)."""
        text = gettext(self.message)
        if not self.params:
            return text
        return text % {name: _translated(value, gettext) for name, value in self.params.items()}

    # The form field the refusal is about (a quiz question's id), when it is about one: the reply names it so
    # that the page marks that field and puts the message beside it.
    field: str | None = None

    def details(self, gettext) -> dict:
        """What the JSON reply carries beside ``error``: the faulty fields, each with its own message."""
        if self.field is None:
            return {}
        return {"fields": [{"field": self.field, "message": self.translated(gettext)}]}

    def __str__(self) -> str:
        return self.translated(_as_written)


class Refusals(Refusal):
    """Every problem of one request at once (all the invalid answers of a quiz, say), read one after
    the other, so the person can correct them all before trying again."""

    def __init__(self, refusals: Iterable[Refusal], status: int = 400):
        self.refusals = tuple(refusals)
        super().__init__(" ".join(refusal.message for refusal in self.refusals), status=status)

    def translated(self, gettext) -> str:
        return " ".join(refusal.translated(gettext) for refusal in self.refusals)

    def details(self, gettext) -> dict:
        fields = [field for refusal in self.refusals for field in refusal.details(gettext).get("fields", [])]
        return {"fields": fields} if fields else {}


def _translated(value, gettext):
    if isinstance(value, Phrase) and value:  # gettext("") is the catalog's header, never a word
        return gettext(str(value))
    if callable(getattr(value, "translated", None)):  # written in the reader's language (l10n.Moment)
        return value.translated(gettext)
    return value


def require(condition: bool, message: str, status: int = 400, **params) -> None:
    """Refuse the request with ``message`` (untranslated, see :class:`Refusal`) unless ``condition`` holds."""
    if not condition:
        raise Refusal(message, status=status, **params)
