"""The one exception the peer services raise for a refused request, with a translatable message."""

from __future__ import annotations


class PeerError(Exception):
    """A request the services refuse; nothing was changed.

    ``message`` is an untranslated sentence (marked with ``gettext_noop``) with ``%(name)s``
    placeholders filled from ``params``; ``status`` is the HTTP status a handler should answer with.
    Text params are words marked with ``gettext_noop`` too (what was too long, say), so they are
    translated along with the sentence.
    """

    def __init__(self, status: int, message: str, **params):
        super().__init__(message % params if params else message)
        self.status = status
        self.message = message
        self.params = params

    def translated(self, gettext) -> str:
        text = gettext(self.message)
        if not self.params:
            return text
        return text % {k: gettext(v) if isinstance(v, str) else v for k, v in self.params.items()}
