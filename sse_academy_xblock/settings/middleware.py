"""Workbench middleware (the workbench settings only; Open edX has its own equivalents).

``HandlerBodyLimitMiddleware``: a handler request over the body limit gets the blocks' own JSON 413.
Django refuses a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` with a plain-text 400 as soon as
the workbench's handler view reads it, before any block can answer. This middleware answers first,
from the declared length, with the same JSON reply (and translated message) that
:func:`sse_academy_xblock.json_input.parse` gives for a body between the two limits.

``HandlerFormBodyMiddleware``: a form body (urlencoded or multipart) posted to a handler address gets the
blocks' own JSON 415. Django's CSRF check reads ``request.POST``, which parses such a body before any block
runs: one Django cannot parse (a multipart body without a boundary, more fields or files than its limits)
is Django's HTML 400 page, and one it can is consumed, so that no block could read it anyway. The blocks
take JSON only (:func:`sse_academy_xblock.json_input.check_content_type`), so the workbench answers for them,
with their message, before Django parses anything. Other bodies that are not JSON (``text/plain``, none)
reach the blocks, which answer the same 415 themselves.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import translation

from ..curriculum import loader
from ..i18n import BlockTranslator
from ..json_input import MAX_BODY_BYTES, NOT_JSON_TYPE, TOO_LARGE

HANDLER_PATH = re.compile(r"^/(?:unauth_|aside_)?handler/")
# Read and drop at most this much of a refused body, so the client gets the reply instead of a reset.
DRAIN_LIMIT = 16 * 1024 * 1024
# The bodies Django parses into request.POST and request.FILES itself.
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# The blocks' messages, in our catalogs for the request's language (a block without a runtime translates so).
OUR_CATALOGS = BlockTranslator()


class QueryLanguageMiddleware:
    """``?lang=fr`` on any workbench address: the blocks in another language without the browser's settings.

    The choice is kept in Django's language cookie, so the handlers the page calls afterwards (which carry no
    ``?lang=``) answer in the same language; ``?lang=en`` goes back. An unknown code changes nothing.

    A curriculum module's page follows too: ``/scenario/<id>/?lang=fr`` on a module's page redirects to the
    page of the same module written in French (:func:`sse_academy_xblock.curriculum.loader.page_in_language`),
    when the curriculum has that language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lang = request.GET.get("lang", "").strip().lower()
        if lang not in {code for code, _name in settings.LANGUAGES}:
            return self.get_response(request)
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        other = _module_page_in(request.path_info or "", lang)
        response = redirect(f"{other}?{request.META.get('QUERY_STRING', '')}") if other else self.get_response(request)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang, samesite="Lax")
        return response


SCENARIO_PATH = re.compile(r"^/(scenario|view)/([^/]+)/(.*)$")


def _module_page_in(path: str, lang: str) -> str | None:
    """The address of the same curriculum module's page in ``lang``, when ``path`` shows a module page in
    another language and the curriculum has that one; otherwise None."""
    found = SCENARIO_PATH.match(path)
    if not found:
        return None
    from workbench.scenarios import SCENARIOS

    kind, scenario_id, rest = found.groups()
    current = SCENARIOS.get(scenario_id)
    if current is None:
        return None
    wanted = loader.page_in_language(current.description, lang)
    if wanted is None or wanted == current.description:
        return None
    target = next((name for name, scenario in SCENARIOS.items() if scenario.description == wanted), None)
    return f"/{kind}/{target}/{rest}" if target else None


class HandlerBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if HANDLER_PATH.match(request.path_info or ""):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > MAX_BODY_BYTES:
                _drain(request, min(length, DRAIN_LIMIT))
                return JsonResponse({"error": OUR_CATALOGS.gettext(TOO_LARGE)}, status=413)
        return self.get_response(request)


class HandlerFormBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and HANDLER_PATH.match(request.path_info or ""):
            media_type = (request.META.get("CONTENT_TYPE") or "").split(";", 1)[0].strip().lower()
            if media_type in FORM_TYPES:
                try:
                    length = int(request.META.get("CONTENT_LENGTH") or 0)
                except ValueError:
                    length = 0
                _drain(request, min(length, DRAIN_LIMIT))
                return JsonResponse({"error": OUR_CATALOGS.gettext(NOT_JSON_TYPE)}, status=415)
        return self.get_response(request)


def _drain(request, length: int) -> None:
    """Read and drop ``length`` bytes of a refused body, so the client gets the reply instead of a reset."""
    left = length
    while left > 0:
        chunk = request.read(min(left, 64 * 1024))
        if not chunk:
            break
        left -= len(chunk)
