"""Translation helpers usable without a configured Django (marking) and with it (translating)."""


def gettext_noop(text: str) -> str:
    """Mark ``text`` for extraction; it is translated later, where it is shown."""
    return text


def ngettext_noop(singular: str, plural: str) -> tuple[str, str]:
    return singular, plural


class BlockTranslator:
    """The block's i18n service, or Django's gettext when the block has none (unit tests)."""

    def __init__(self, service=None):
        self._service = service

    def gettext(self, text: str) -> str:
        if self._service is not None:
            return self._service.gettext(text)
        from django.utils.translation import gettext

        return gettext(text)

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        if self._service is not None:
            return self._service.ngettext(singular, plural, number)
        from django.utils.translation import ngettext

        return ngettext(singular, plural, number)
