"""Where templates, CSS and JS are read from, installed or in a source checkout.

An installed wheel carries ``templates/`` and ``static/`` inside the package (see setup.py); a
source checkout keeps them at the top level of the repository.
"""

from __future__ import annotations

import functools
from importlib.resources import files
from pathlib import Path

from django.template import Context, Engine

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
    return Engine(libraries={"i18n": "django.templatetags.i18n"}, builtins=["django.templatetags.i18n"], autoescape=True)


@functools.lru_cache(maxsize=64)
def _template(relative_path: str):
    return _engine().from_string(read_text("templates", relative_path))


def render_template(relative_path: str, context: dict) -> str:
    """Render a Django template from ``templates/`` with autoescaping and the i18n tags."""
    return _template(relative_path).render(Context(context))
