"""Find the shipped curriculum modules and lay each out as native course content.

Each module is a folder ``<NN-slug>/`` in this package holding ``module.xml`` (the source format of
:mod:`.source`), in English, and ``module.<lang>.xml`` for each language it is written in (``module.fr.xml``,
``module.es.xml``): the same questions, keys, points and rubric in another language (a test compares them). :func:`parts` turns a module into its components in course order: an html component
with the objectives and the introduction, then each quiz, case study or other component of the
source, then a profile of the module's section. :mod:`.export` writes them as an Open edX section;
:func:`workbench_scenarios` as one workbench page per module, plus a page with the whole course.

The XBlock SDK workbench has no ``html`` or ``video`` block: there (only) they become the SDK's
``html_demo`` text block.
"""

from __future__ import annotations

import copy
import html
import logging
import re
from dataclasses import dataclass
from importlib.resources import files

from lxml import etree

from ..dimensions import label
from ..i18n import block_catalog
from ..i18n import gettext_noop as _
from ..i18n import ngettext_noop
from ..olx import parse_string
from . import source

log = logging.getLogger(__name__)

MODULE_FILE = "module.xml"
# The curriculum's languages: the Academy's working languages. English is the source; a language is
# shipped (built, listed in the workbench) when every module has its file.
DEFAULT_LANGUAGE = "en"
LANGUAGES = ("en", "fr", "es")
FOLDER = re.compile(r"^(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$")
GRADED_TAGS = source.GRADED_CHILD_TAGS
SECTION_PROFILE_NAME = _("Your Decent Work profile in this module")
COURSE_PROFILE_NAME = _("Your Decent Work profile across the course")
WHOLE_COURSE_TITLE = _("The whole course: every module and your course profile")
INTRO_TITLE = _("Objectives and introduction")
LEARNING_OBJECTIVES = _("Learning objectives")
HOURS = ngettext_noop("%(count)s hour", "%(count)s hours")
MINUTES = ngettext_noop("%(count)s minute", "%(count)s minutes")


class Gettext:
    """Our catalogs for one language, for the headings the curriculum adds around the authors' text."""

    def __init__(self, language: str = DEFAULT_LANGUAGE):
        self.language = language
        self._catalog = block_catalog(language) if language != DEFAULT_LANGUAGE else None

    def gettext(self, text: str) -> str:
        return self._catalog.gettext(text) if self._catalog else text

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        if self._catalog:
            return self._catalog.ngettext(singular, plural, number)
        return singular if number == 1 else plural


def module_file(language: str = DEFAULT_LANGUAGE) -> str:
    """``module.xml`` for English, ``module.<lang>.xml`` for another language."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown curriculum language {language!r} (known: {', '.join(LANGUAGES)})")
    return MODULE_FILE if language == DEFAULT_LANGUAGE else f"module.{language}.xml"


@dataclass(frozen=True)
class Part:
    """One component of a module: its OLX element, a stable url_name and a title for its unit."""

    kind: str
    element: etree._Element
    url_name: str
    title: str


@dataclass(frozen=True)
class ShippedModule:
    number: int
    slug: str
    xml: str
    language: str = DEFAULT_LANGUAGE

    def read(self) -> tuple[source.ModuleContent, list]:
        return source.read(parse_string(self.xml))

    @property
    def title(self) -> str:
        return self.read()[0].display_name

    @property
    def prefix(self) -> str:
        return f"m{self.number:02d}"


def module_folders():
    """The module folders, in course order (by their two-digit prefix)."""
    root = files(__package__)
    folders = [item for item in root.iterdir() if item.is_dir() and FOLDER.match(item.name)]
    return sorted((f for f in folders if f.joinpath(MODULE_FILE).is_file()), key=lambda f: f.name)


def modules(language: str = DEFAULT_LANGUAGE) -> list[ShippedModule]:
    """The modules written in ``language``, in course order (a module without that language's file is left
    out: :func:`missing` names them)."""
    name = module_file(language)
    return [
        ShippedModule(int(FOLDER.match(folder.name).group(1)), folder.name,
                      folder.joinpath(name).read_text(encoding="utf-8"), language)
        for folder in module_folders() if folder.joinpath(name).is_file()
    ]


def missing(language: str) -> list[str]:
    """``<slug>/module.<lang>.xml`` for every module not yet written in ``language``."""
    name = module_file(language)
    return [f"{folder.name}/{name}" for folder in module_folders() if not folder.joinpath(name).is_file()]


def started_languages() -> list[str]:
    """The languages in which at least one module is written (English always), in :data:`LANGUAGES` order."""
    return [lang for lang in LANGUAGES if modules(lang)]


def languages() -> list[str]:
    """The languages the whole curriculum is written in: every module has its file."""
    return [lang for lang in started_languages() if not missing(lang)]


def duration(minutes: int | None, t: Gettext | None = None) -> str:
    t = t or Gettext()
    if not minutes:
        return ""
    hours, rest = divmod(int(minutes), 60)
    parts = []
    if hours:
        parts.append(t.ngettext(*HOURS, hours) % {"count": hours})
    if rest:
        parts.append(t.ngettext(*MINUTES, rest) % {"count": rest})
    return " ".join(parts)


def intro_html(content: source.ModuleContent, t: Gettext | None = None) -> str:
    """The module's first html component: its dimension and time, objectives, then the introduction."""
    t = t or Gettext()
    dimension = t.gettext("Decent Work dimension: %(dimension)s") % {"dimension": label(content.dimension, t.gettext)}
    meta = [html.escape(dimension)]
    if content.estimated_time:
        meta.append(html.escape(t.gettext("Estimated time: %(duration)s")
                                % {"duration": duration(content.estimated_time, t)}))
    pieces = ["<p>" + html.escape(" · ").join(meta) + "</p>"]
    if content.objectives:
        items = "".join(f"<li>{text}</li>" for text in content.objectives)
        pieces.append(f"<h3>{html.escape(t.gettext(LEARNING_OBJECTIVES))}</h3><ul>{items}</ul>")
    if content.intro:
        pieces.append(content.intro)
    return "\n".join(pieces)


def _html_element(markup: str, display_name: str) -> etree._Element:
    node = parse_string(f"<html>{markup}</html>")
    node.set("display_name", display_name)
    return node


def parts(module: ShippedModule) -> list[Part]:
    """The module's components in course order, each with a stable url_name (kept across re-imports)."""
    content, children = module.read()
    prefix = module.prefix
    t = Gettext(module.language)
    intro_title = t.gettext(INTRO_TITLE)
    result = [Part("html", _html_element(intro_html(content, t), intro_title), f"{prefix}_intro", intro_title)]
    counts: dict[str, int] = {}
    for child in children:
        element = copy.deepcopy(child)
        element.tail = None
        counts[element.tag] = counts.get(element.tag, 0) + 1
        suffix = "" if counts[element.tag] == 1 else f"_{counts[element.tag]}"
        url_name = f"{prefix}_{element.tag.replace('sse_', '')}{suffix}"
        element.set("url_name", url_name)
        title = element.get("display_name") or element.tag
        result.append(Part(element.tag, element, url_name, title))
    profile_name = t.gettext(SECTION_PROFILE_NAME)
    profile = etree.Element("sse_profile", display_name=profile_name, scope="section", url_name=f"{prefix}_profile")
    result.append(Part("sse_profile", profile, f"{prefix}_profile", profile_name))
    return result


def course_profile(language: str = DEFAULT_LANGUAGE) -> etree._Element:
    return etree.Element("sse_profile", display_name=Gettext(language).gettext(COURSE_PROFILE_NAME), scope="course",
                         url_name="course_profile")


# ---------------------------------------------------------------------------------- workbench

def _for_workbench(element: etree._Element) -> etree._Element:
    """An LMS-only content block as the workbench's text block; our blocks unchanged."""
    node = copy.deepcopy(element)
    node.attrib.pop("url_name", None)
    if node.tag not in ("html", "video"):
        return node
    replacement = etree.Element("html_demo")
    if node.tag == "html":
        replacement.text = node.text
        for child in node:
            replacement.append(child)
    else:
        paragraph = etree.SubElement(replacement, "p")
        paragraph.text = f"{node.get('display_name') or 'Video'} (the video plays in the Open edX LMS)."  # workbench only
    # html_demo fills ``$name`` placeholders from the render context: keep dollar signs literal.
    for item in replacement.iter():
        if item.text:
            item.text = item.text.replace("$", "$$")
        if item is not replacement and item.tail:
            item.tail = item.tail.replace("$", "$$")
        for key, value in item.attrib.items():
            item.set(key, value.replace("$", "$$"))
    return replacement


def module_page(module: ShippedModule) -> etree._Element:
    """One module as one workbench page: its components in order in a ``vertical_demo``."""
    page = etree.Element("vertical_demo")
    for index, part in enumerate(parts(module)):
        element = _for_workbench(part.element)
        if index == 0:
            heading = etree.Element("h2")
            heading.text = f"{module.number}. {module.title}"
            heading.tail = element.text
            element.text = None
            element.insert(0, heading)
        page.append(element)
    return page


def whole_course_page(shipped: list[ShippedModule]) -> etree._Element:
    page = etree.Element("vertical_demo")
    for module in shipped:
        page.append(module_page(module))
    page.append(course_profile(shipped[0].language if shipped else DEFAULT_LANGUAGE))
    page[-1].attrib.pop("url_name", None)
    return page


def page_title(module: ShippedModule) -> str:
    """A module's workbench title: ``1. Title`` in English, ``1. Titre [fr]`` in another language."""
    title = f"{module.number}. {module.title}"
    return title if module.language == DEFAULT_LANGUAGE else f"{title} [{module.language}]"


def whole_course_title(language: str = DEFAULT_LANGUAGE) -> str:
    title = Gettext(language).gettext(WHOLE_COURSE_TITLE)
    return title if language == DEFAULT_LANGUAGE else f"{title} [{language}]"


# Which workbench page shows which module in which language: ``{title: (module number or 0 for the whole
# course, language)}``, filled by :func:`workbench_scenarios`, read by :func:`page_in_language`.
_PAGES: dict[str, tuple[int, str]] = {}


def page_in_language(title: str, language: str) -> str | None:
    """The title of the workbench page that shows the same module as the page ``title``, in ``language``;
    None when ``title`` is no module page or the module has no such language."""
    where = _PAGES.get(title)
    if where is None:
        return None
    for other, (number, lang) in _PAGES.items():
        if number == where[0] and lang == language:
            return other
    return None


def _missing_block_types(root) -> set[str]:
    """Block types used in ``root`` that no installed XBlock provides (yet)."""
    from xblock.core import XBlock
    from xblock.plugin import PluginMissingError

    missing = set()
    tags = {root.tag}
    for node in root.iter("vertical_demo"):
        tags |= {child.tag for child in node if isinstance(child.tag, str)}
    for tag in sorted(tags):
        try:
            XBlock.load_class(tag)
        except PluginMissingError:
            missing.add(tag)
    return missing


def workbench_scenarios(extra: list[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """``[(title, xml)]``: every shipped module (numbered), then the whole course, then ``extra``; then the
    modules and the whole course again in each other language the whole curriculum is written in. ``?lang=`` on a module's page leads to the
    same module in that language (:func:`page_in_language`, used by the workbench's language middleware).

    A page that uses a block type that is not installed (the SDK's page blocks are absent from a
    production install) is left out with a warning rather than breaking the whole workbench index.
    """
    candidates = []
    pages = {}
    for language in languages():
        shipped = modules(language)
        for module in shipped:
            candidates.append((page_title(module), module_page(module)))
            pages[candidates[-1][0]] = (module.number, language)
        if shipped:
            candidates.append((whole_course_title(language), whole_course_page(shipped)))
            pages[candidates[-1][0]] = (0, language)
        if language == DEFAULT_LANGUAGE:
            # The other pages keep their place (their scenario ids) whichever languages follow.
            candidates += [(title, parse_string(xml)) for title, xml in extra]
    _PAGES.clear()
    _PAGES.update(pages)
    result = []
    for title, root in candidates:
        missing = _missing_block_types(root)
        if missing:
            log.warning("Workbench scenario %r skipped: block type(s) %s not installed", title, sorted(missing))
            continue
        result.append((title, etree.tostring(root, encoding="unicode")))
    return result
