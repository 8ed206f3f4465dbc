"""``?lang=fr`` on any workbench address: see the blocks in another language without the browser's settings.

The choice is kept in Django's language cookie, so the block handlers the page calls afterwards (which
carry no ``?lang=``) answer in the same language; ``?lang=en`` goes back. An unknown code changes
nothing. Open edX has its own language preference; this middleware exists in the workbench settings only.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


class QueryLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lang = request.GET.get("lang", "").strip().lower()
        if lang not in {code for code, _name in settings.LANGUAGES}:
            return self.get_response(request)
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang, samesite="Lax")
        return response
