"""Translation helpers usable without a configured Django (marking) and with it (translating).

Our catalogs live where the platform's XBlock i18n service looks for an installed XBlock's own:
``sse_academy_xblock/translations/<lang>/LC_MESSAGES/text.mo`` (gettext domain ``text``, beside the package
of the block classes). In the LMS and Studio that service hands our blocks a translator of these catalogs,
so a message id the platform also translates ("Submit", "Yes", "Delete") reads as we translate it. The
workbench's service (``settings/workbench.py``) and :class:`BlockTranslator` without a service (unit tests)
read the same files the same way.
"""

from __future__ import annotations

import functools
import gettext as gettext_module
from pathlib import Path

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
DOMAIN = "text"


def gettext_noop(text: str) -> str:
    """Mark ``text`` for extraction; it is translated later, where it is shown."""
    return text


def ngettext_noop(singular: str, plural: str) -> tuple[str, str]:
    return singular, plural


@functools.lru_cache(maxsize=64)
def block_catalog(language: str | None) -> gettext_module.GNUTranslations | None:
    """Our compiled catalog for a Django language code (``fr``, ``fr-ca``), or None when we ship none.

    Kept per language for the process (the catalogs ship with the package): looking it up again stats the
    translations folder each time, which made a staff panel of a thousand figures spend most of its time there.

    Found as the platform's service finds it: ``gettext.translation`` of our domain in our translations
    folder, for the locale of the language (``fr-ca`` tries ``fr_CA``, then ``fr``). No fallback: a message
    the catalog lacks keeps its English id, as in the LMS.
    """
    if not language:
        return None
    from django.utils.translation import to_locale

    try:
        return gettext_module.translation(DOMAIN, str(TRANSLATIONS_DIR), [to_locale(language)])
    except OSError:
        return None


class BlockTranslator:
    """The block's i18n service, or our own catalogs for Django's current language when the block has none."""

    def __init__(self, service=None):
        self._service = service

    def _translator(self):
        if self._service is not None:
            return self._service
        from django.utils import translation

        return block_catalog(translation.get_language()) or translation

    def gettext(self, text: str) -> str:
        return self._translator().gettext(text)

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        return self._translator().ngettext(singular, plural, number)
