"""Our catalogs are the ones the platform's XBlock i18n service hands our blocks, whatever its own catalog says.

Platform code followed, replayed below (``ReplayedXBlockI18nService``):

- xmodule/modulestore/django.py, ``XBlockI18nService.__init__`` and ``XBlockI18nService.get_python_locale``
  (openedx/openedx-platform at commit e7d393d2ad1b4abe84af79371ef69caa58bd68cc): for a block, the service takes
  the root module of the block's unmixed class; if the operator pulled catalogs with openedx-atlas
  (``<REPO_ROOT>/conf/plugins-locale/xblock.v1/<module>``, domain ``django``) it uses those, otherwise
  ``<module>/translations`` with the domain ``text``; it builds ``gettext.translation(domain, dir,
  [to_locale(current language)])`` without a fallback, and keeps Django's translation module when that raises
  ``OSError`` (no catalog for the language). ``__getattr__`` passes every other name to the translator.
- xmodule/modulestore/api.py, ``get_xblock_root_module_name``, ``get_root_module_name`` and
  ``get_python_locale_root`` (openedx/edx-platform at commit cc88244be61da0ba8069a551f61669df71c52891).

The platform's own catalog is Django's (``conf/locale`` in its ``LOCALE_PATHS``); here a fake one translates
"Submit" and "Yes" differently from ours and is installed the same way.
"""

from __future__ import annotations

import gettext
import importlib.resources
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from django.conf import settings as django_settings
from django.utils import translation
from workbench.runtime import WorkbenchRuntime

from sse_academy_xblock import i18n_tools
from sse_academy_xblock.settings.i18n_service import CatalogI18nService

PLATFORM_SUBMIT = "Envoyer (plateforme)"
PLATFORM_YES = "Oui (plateforme)"
QUIZ = """<sse_quiz display_name="Q" max_attempts="2">
  <question id="q1" type="truefalse" answer="true"><prompt>P</prompt></question>
</sse_quiz>"""


class ReplayedXBlockI18nService:
    """The platform's ``XBlockI18nService``, step by step (see the module docstring)."""

    def __init__(self, block=None, repo_root: Path | None = None):
        self.repo_root = repo_root or Path("/nonexistent-edx-platform")
        self.translator = translation
        if block:
            domain, locale_dir = self.get_python_locale(block)
            language = translation.get_language()
            if locale_dir:
                try:
                    self.translator = gettext.translation(
                        domain, locale_dir, [translation.to_locale(language or django_settings.LANGUAGE_CODE)])
                except OSError:
                    pass

    def get_python_locale(self, block):
        module = getattr(block, "unmixed_class", block.__class__).__module__.split(".")[0]
        atlas = self.repo_root / "conf/plugins-locale/xblock.v1" / module
        if atlas.is_dir():
            return "django", str(atlas)
        with importlib.resources.as_file(importlib.resources.files(module) / "translations") as bundled:
            return "text", str(bundled)

    def __getattr__(self, name):
        return getattr(self.translator, "gettext" if name == "ugettext" else name)


class PlatformI18nRuntime(WorkbenchRuntime):
    """The workbench's runtime with the platform's i18n service: one service per block, as the LMS builds it."""

    def service(self, block, service_name):
        if service_name == "i18n":
            super().service(block, service_name)  # the block must still declare it
            return ReplayedXBlockI18nService(block)
        return super().service(block, service_name)


@pytest.fixture
def platform_catalog(settings, tmp_path):
    """A platform catalog (Django's, from LOCALE_PATHS) that translates two of our message ids its own way."""
    catalog = Catalog(locale="fr", domain="django")
    catalog.add("Submit", PLATFORM_SUBMIT)
    catalog.add("Yes", PLATFORM_YES)
    target = tmp_path / "conf" / "locale" / "fr" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with open(target / "django.mo", "wb") as handle:
        write_mo(handle, catalog)
    settings.LOCALE_PATHS = [str(tmp_path / "conf" / "locale")]  # Django drops its cached catalogs
    with translation.override("fr"):
        assert translation.gettext("Submit") == PLATFORM_SUBMIT  # the conflict is real
    return catalog


def quiz():
    runtime = PlatformI18nRuntime("student_1")
    return runtime.get_block(runtime.parse_xml_string(QUIZ))


def test_the_service_finds_our_catalog_for_french_and_spanish_and_django_for_english(db):
    block = quiz()
    for lang, submit in (("fr", "Soumettre"), ("es", "Enviar")):
        with translation.override(lang):
            service = ReplayedXBlockI18nService(block)
            assert isinstance(service.translator, gettext.GNUTranslations)
            assert service.gettext("Submit") == submit
    with translation.override("en"):
        assert ReplayedXBlockI18nService(block).translator is translation


def test_a_french_learner_reads_our_submit_even_where_the_platform_translates_it_otherwise(db, platform_catalog):
    block = quiz()
    with translation.override("fr"):
        html = block.render("student_view", {}).body_html()
        assert translation.gettext("Submit") == PLATFORM_SUBMIT  # the page around the block keeps the platform's
    assert ">Soumettre<" in html  # the template's button
    assert '"submit": "Soumettre"' in html  # the script's strings
    assert PLATFORM_SUBMIT not in html and ">Submit<" not in html


def test_an_english_learner_reads_english_through_djangos_catalog(db, platform_catalog):
    with translation.override("en"):
        html = quiz().render("student_view", {}).body_html()
    assert ">Submit<" in html and PLATFORM_SUBMIT not in html


@pytest.mark.parametrize("lang", i18n_tools.LANGUAGES)
def test_the_workbench_translates_every_message_as_the_platforms_service_does(db, lang, platform_catalog):
    block = quiz()
    with translation.override(lang):
        platform, workbench = ReplayedXBlockI18nService(block), CatalogI18nService()
        for message in i18n_tools.read_catalog(lang):
            if message.id and isinstance(message.id, str):
                assert workbench.gettext(message.id) == platform.gettext(message.id), message.id
            elif message.id:
                for n in (1, 2, 5):
                    assert workbench.ngettext(*message.id, n) == platform.ngettext(*message.id, n), message.id
