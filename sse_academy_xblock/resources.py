"""Where templates, CSS and JS are read from, installed or in a source checkout.

An installed wheel carries ``templates/`` and ``static/`` inside the package (see setup.py); a
source checkout keeps them at the top level of the repository.
"""

from __future__ import annotations

import contextlib
import functools
from importlib.resources import files
from pathlib import Path

from django.template import Context, Engine
from django.utils.translation import get_language, trans_real

PACKAGE_ROOT = files("sse_academy_xblock")
SOURCE_ROOT = Path(__file__).resolve().parent.parent


@functools.lru_cache(maxsize=None)
def asset_dir(name: str):
    shipped = PACKAGE_ROOT / name
    if shipped.is_dir():
        return shipped
    return SOURCE_ROOT / name


@functools.lru_cache(maxsize=256)
def read_text(kind: str, relative_path: str) -> str:
    """The text of ``templates/...`` or ``static/...`` (``kind`` is the folder name)."""
    return asset_dir(kind).joinpath(relative_path).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _engine() -> Engine:
    return Engine(libraries={"i18n": "django.templatetags.i18n"}, builtins=["django.templatetags.i18n", "sse_academy_xblock.l10n"], autoescape=True)


@functools.lru_cache(maxsize=64)
def _template(relative_path: str):
    return _engine().from_string(read_text("templates", relative_path))


def render_template(relative_path: str, context: dict, translator=None) -> str:
    """Render a Django template from ``templates/`` with autoescaping and the i18n tags.

    With a ``translator`` (the block's, see i18n.BlockTranslator), ``{% trans %}`` and ``{% blocktrans %}``
    translate through it: in the LMS that is the platform's i18n service holding our own catalog, so a message
    id the platform's catalog also translates ("Submit") reads as we translate it.
    """
    if translator is None:
        return _template(relative_path).render(Context(context))
    with _translating_through(translator):
        return _template(relative_path).render(Context(context))


_UNSET = object()


@contextlib.contextmanager
def _active_translation(value):
    """Make ``value`` Django's active translation for this thread (or none, for ``_UNSET``), then restore."""
    active = trans_real._active  # noqa: SLF001 - the thread's active translation, as Django's override sets it
    previous = getattr(active, "value", _UNSET)
    if value is _UNSET:
        if previous is not _UNSET:
            del active.value
    else:
        active.value = value
    try:
        yield
    finally:
        if previous is _UNSET:
            if hasattr(active, "value"):
                del active.value
        else:
            active.value = previous


class _ThroughTranslator:
    """What Django's gettext functions consult while one block's template renders: the block's translator.

    The translator may itself be Django's translation module (the platform's service where we ship no
    catalog, as for English): it is called with Django's own active translation back in place.
    """

    def __init__(self, translator, outer, language):
        self._translator, self._outer, self._language = translator, outer, language

    def gettext(self, message):
        with _active_translation(self._outer):
            return self._translator.gettext(message)

    def ngettext(self, singular, plural, number):
        with _active_translation(self._outer):
            return self._translator.ngettext(singular, plural, number)

    def to_language(self):
        return self._language


@contextlib.contextmanager
def _translating_through(translator):
    outer = getattr(trans_real._active, "value", _UNSET)  # noqa: SLF001
    with _active_translation(_ThroughTranslator(translator, outer, get_language())):
        yield
