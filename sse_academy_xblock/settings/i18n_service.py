"""The workbench's ``i18n`` service: our own catalogs, as the platform's XBlock i18n service gives them.

The SDK's service is Django's translation module, which knows our strings only if our catalogs were Django's.
In the LMS and Studio a block gets a translator of ``sse_academy_xblock/translations/<lang>/LC_MESSAGES/
text.mo``; this service does the same for the language of the request, and falls back to Django's
translation module where we ship no catalog (English), as the platform's does.
"""

from django.utils import translation
from xblock.runtime import NullI18nService

from ..i18n import block_catalog


class CatalogI18nService(NullI18nService):
    def __getattr__(self, name):
        return getattr(block_catalog(translation.get_language()) or translation, name)
