"""Build an Open edX course export archive (``course.tar.gz``) from the shipped curriculum.

``python -m sse_academy_xblock.curriculum.export course.tar.gz`` writes the English course;
``--language fr`` the French one; ``--all`` (``make course``) one archive per language the whole curriculum
is written in: ``course.tar.gz`` (English), ``course-fr.tar.gz``, ``course-es.tar.gz``. Each is a course of
its own: its own run (``2026`` in English, ``2026_fr`` in French), its ``language`` (the course's content
language in Studio), its modules' ``module.<lang>.xml`` and every heading the export adds in that language
(from our catalogs). Each archive has the layout Studio's Import accepts, one folder ``course/`` holding::

    course.xml                          <course url_name=RUN org=ORG course=NUMBER/>
    course/RUN.xml                      the course: display name, language, its chapters
    chapter/mNN_chapter.xml             one section per SSE Academy module, then the closing section
    sequential/*.xml                    subsections: introduction, quiz (graded "Quiz"), case study
                                        (graded "Case study"), the module's profile
    vertical/*.xml                      one unit per component
    html/mNN_intro.xml, .html           objectives and introduction (Open edX's own text component)
    policies/RUN/policy.json            advanced_modules (our block types), dates, course image
    policies/RUN/grading_policy.json    assignment types Quiz and Case study with their weights
    policies/assets.json
    static/course_image.png
    about/overview.html, about/short_description.html

Each module becomes a native section (chapter): the platform's own units hold our leaf blocks
(``sse_quiz``, ``sse_case_study``, ``sse_profile``) next to its html component, so authors edit
them in Studio's unit editor like any component. The last section's unit holds the course-scope
profile. Our blocks are written inline in their unit (Open edX resolves pointer files only for its
own block types; an XBlock with its own OLX parser reads its element where it stands). Every block
gets a stable ``url_name`` so that importing a newer archive over the course keeps learners' state.
The archive is reproducible: same input, same bytes.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import io
import json
import struct
import sys
import tarfile
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from ..i18n import gettext_noop as _
from ..olx import OLXError
from . import loader
from .objectives import check_module_xml

OUR_BLOCK_TYPES = ("sse_quiz", "sse_case_study", "sse_profile")
# Assignment types of the grading policy: the subsection format of each graded block type (shown to
# learners on their progress page, so translated like every heading the export adds).
ASSIGNMENT_TYPES = {"sse_quiz": (_("Quiz"), _("Quiz"), 0.4), "sse_case_study": (_("Case study"), _("Case"), 0.6)}
DEFAULT_TITLE = _("Social and Solidarity Economy and Decent Work")
INTRODUCTION = _("Introduction")
YOUR_PROGRESS = _("Your progress")
CLOSING_SUBSECTION = _("Your Decent Work profile")
CLOSING_SECTION = _("Course profile")
SHORT_DESCRIPTION = _(
    "Five modules on the social and solidarity economy and the four dimensions of the ILO Decent Work "
    "Agenda, with quizzes and peer-reviewed case studies."
)
ABOUT_HEADING = _("About this course")
ABOUT = _(
    "%(title)s brings together %(count)s modules on the social and solidarity economy (SSE). Each module links "
    "the SSE to the ILO Decent Work Agenda and ends with a quiz and a case study that learners review among "
    "themselves. After each module, and at the end of the course, every learner sees their own Decent Work "
    "profile: their points on each of the four dimensions (employment, social protection, social dialogue and "
    "rights at work), beside the median of the cohort."
)
TAB_NAMES = {"courseware": _("Course"), "course_info": _("Home"), "progress": _("Progress")}
CLOSING = "closing"
ROOT = "course"
COURSE_IMAGE = "course_image.png"


@dataclass(frozen=True)
class CourseInfo:
    # A neutral name by default: a course branded as the ILO's or the ITC-ILO's needs their clearance,
    # and whoever holds it sets ``--org`` and ``--title``.
    org: str = "SSEAcademy"
    number: str = "SSE101"
    run: str = "2026"
    display_name: str = DEFAULT_TITLE
    language: str = loader.DEFAULT_LANGUAGE
    start: str = "2026-01-05T00:00:00Z"
    end: str = "2026-12-18T23:00:00Z"
    pass_mark: float = 0.6

    def in_language(self, language: str) -> CourseInfo:
        """The same course in ``language``: its own run (``2026_fr``) and, unless a title was chosen, the
        translated default title."""
        if language == loader.DEFAULT_LANGUAGE:
            return replace(self, language=language)
        title = loader.Gettext(language).gettext(self.display_name) if self.display_name == DEFAULT_TITLE \
            else self.display_name
        return replace(self, language=language, run=f"{self.run}_{language}", display_name=title)


def archive_name(language: str) -> str:
    """``course.tar.gz`` for English, ``course-<lang>.tar.gz`` for another language."""
    return "course.tar.gz" if language == loader.DEFAULT_LANGUAGE else f"course-{language}.tar.gz"


def _xml(element) -> bytes:
    return etree.tostring(element, encoding="utf-8", xml_declaration=True, pretty_print=True)


def _element(tag: str, children=(), **attrs):
    node = etree.Element(tag)
    for key, value in attrs.items():
        node.set(key, str(value))
    for child in children:
        node.append(child)
    return node


def _subsections(module: loader.ShippedModule) -> list[tuple[str, str, str | None, list[loader.Part]]]:
    """``(url_name, title, format or None, parts)``: the introduction with any content that follows
    it, each graded block with the content after it, and the module's profile."""
    prefix = module.prefix
    t = loader.Gettext(module.language)
    groups: list[tuple[str, str, str | None, list[loader.Part]]] = []
    for part in loader.parts(module):
        if part.kind == "html" and not groups:
            groups.append((f"{prefix}_intro_seq", t.gettext(INTRODUCTION), None, [part]))
        elif part.kind in ASSIGNMENT_TYPES:
            groups.append((f"{part.url_name}_seq", part.title, t.gettext(ASSIGNMENT_TYPES[part.kind][0]), [part]))
        elif part.kind == "sse_profile":
            groups.append((f"{prefix}_profile_seq", t.gettext(YOUR_PROGRESS), None, [part]))
        else:
            groups[-1][3].append(part)
    return groups


def _unit_files(files: dict[str, bytes], part: loader.Part) -> etree._Element:
    """The unit holding ``part``; an html component is written as Open edX's pointer + .html pair."""
    unit_name = f"{part.url_name}_unit"
    if part.kind == "html":
        markup = "".join(
            [part.element.text or ""] + [etree.tostring(child, encoding="unicode") for child in part.element]
        )
        files[f"html/{part.url_name}.html"] = (markup.strip() + "\n").encode("utf-8")
        files[f"html/{part.url_name}.xml"] = _xml(
            _element("html", filename=part.url_name, display_name=part.element.get("display_name", part.title))
        )
        child = _element("html", url_name=part.url_name)
    else:
        child = copy.deepcopy(part.element)
    files[f"vertical/{unit_name}.xml"] = _xml(_element("vertical", [child], display_name=part.title))
    return _element("vertical", url_name=unit_name)


def course_files(info: CourseInfo, modules: list[loader.ShippedModule]) -> dict[str, bytes]:
    """Every file of the export, by path inside the course folder."""
    if any(module.language != info.language for module in modules):
        raise ValueError(f"the course is in {info.language!r}; every module must be too")
    t = loader.Gettext(info.language)
    formats = {t.gettext(fmt): kind for kind, (fmt, _short, _weight) in ASSIGNMENT_TYPES.items()}
    files: dict[str, bytes] = {}
    chapters = []
    counts = {kind: 0 for kind in ASSIGNMENT_TYPES}
    for module in modules:
        prefix = module.prefix
        sequentials = []
        for url_name, title, fmt, group in _subsections(module):
            units = [_unit_files(files, part) for part in group]
            attrs = {"display_name": title}
            if fmt:
                attrs.update(format=fmt, graded="true")
                counts[formats[fmt]] += 1
            files[f"sequential/{url_name}.xml"] = _xml(_element("sequential", units, **attrs))
            sequentials.append(_element("sequential", url_name=url_name))
        files[f"chapter/{prefix}_chapter.xml"] = _xml(
            _element("chapter", sequentials, display_name=f"{module.number}. {module.title}")
        )
        chapters.append(_element("chapter", url_name=f"{prefix}_chapter"))
    closing = loader.Part("sse_profile", loader.course_profile(info.language), "course_profile",
                          t.gettext(loader.COURSE_PROFILE_NAME))
    files[f"sequential/{CLOSING}_seq.xml"] = _xml(
        _element("sequential", [_unit_files(files, closing)], display_name=t.gettext(CLOSING_SUBSECTION))
    )
    files[f"chapter/{CLOSING}_chapter.xml"] = _xml(
        _element("chapter", [_element("sequential", url_name=f"{CLOSING}_seq")],
                 display_name=t.gettext(CLOSING_SECTION))
    )
    chapters.append(_element("chapter", url_name=f"{CLOSING}_chapter"))
    files["course.xml"] = _xml(_element("course", url_name=info.run, org=info.org, course=info.number))
    files[f"course/{info.run}.xml"] = _xml(
        _element("course", chapters, display_name=info.display_name, language=info.language)
    )
    policy = {
        f"course/{info.run}": {
            "advanced_modules": list(OUR_BLOCK_TYPES),
            "start": info.start,
            "end": info.end,
            "course_image": COURSE_IMAGE,
            "show_calculator": False,
            "tabs": [{"type": kind, "name": t.gettext(name)} for kind, name in TAB_NAMES.items()],
        }
    }
    grading = {
        "GRADER": [
            {"type": t.gettext(fmt), "short_label": t.gettext(short), "min_count": max(1, counts[kind]),
             "drop_count": 0, "weight": weight}
            for kind, (fmt, short, weight) in ASSIGNMENT_TYPES.items()
        ],
        "GRADE_CUTOFFS": {"Pass": info.pass_mark},
    }
    files[f"policies/{info.run}/policy.json"] = _json(policy)
    files[f"policies/{info.run}/grading_policy.json"] = _json(grading)
    files["policies/assets.json"] = _json({})
    files[f"static/{COURSE_IMAGE}"] = course_image()
    files["about/short_description.html"] = (t.gettext(SHORT_DESCRIPTION) + "\n").encode("utf-8")
    files["about/overview.html"] = _overview(info, modules, t).encode("utf-8")
    return files


def _json(data) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _overview(info: CourseInfo, modules: list[loader.ShippedModule], t: loader.Gettext) -> str:
    items = "".join(f"<li>{_escape(m.title)}</li>" for m in modules)
    about = t.gettext(ABOUT) % {"title": info.display_name, "count": len(modules)}
    return (
        f"<section class=\"about\"><h2>{_escape(t.gettext(ABOUT_HEADING))}</h2>"
        f"<p>{_escape(about)}</p>"
        f"<ol>{items}</ol></section>\n"
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def course_image(width: int = 378, height: int = 225) -> bytes:
    """A plain PNG banner: four bands, one per Decent Work dimension (the image carries no text)."""
    bands = [(29, 79, 145), (30, 123, 52), (161, 92, 0), (115, 52, 130)]
    rows = bytearray()
    for y in range(height):
        r, g, b = bands[min(len(bands) - 1, y * len(bands) // height)]
        rows.append(0)
        rows.extend(bytes((r, g, b)) * width)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + \
        chunk(b"IEND", b"")


def write_tree(target: Path, files: dict[str, bytes]) -> Path:
    """Write the export as a folder ``target/course/`` (what olxcleaner and ``tar`` read)."""
    base = Path(target) / ROOT
    for path, data in files.items():
        destination = base / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data)
    return base


def write_archive(output: Path | str, files: dict[str, bytes]) -> Path:
    """A reproducible ``.tar.gz`` with every file under ``course/`` (fixed dates, owners and order)."""
    output = Path(output)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        folders = sorted({str(Path(p).parent) for p in files} - {"."})
        for folder in [ROOT] + [f"{ROOT}/{f}" for f in _with_parents(folders)]:
            info = tarfile.TarInfo(folder)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, 0
            archive.addfile(info)
        for path in sorted(files):
            info = tarfile.TarInfo(f"{ROOT}/{path}")
            info.size, info.mode, info.mtime = len(files[path]), 0o644, 0
            archive.addfile(info, io.BytesIO(files[path]))
    with open(output, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(buffer.getvalue())
    return output


def _with_parents(folders: list[str]) -> list[str]:
    every = set()
    for folder in folders:
        parts = Path(folder).parts
        for i in range(1, len(parts) + 1):
            every.add("/".join(parts[:i]))
    return sorted(every)


def build(output: Path | str, info: CourseInfo | None = None) -> Path:
    """Write the archive of the course ``info`` describes, in ``info.language`` (English by default)."""
    info = info or CourseInfo()
    modules = loader.modules(info.language)
    if not modules:
        raise SystemExit(f"No curriculum module in {info.language!r} found in the package.")
    if loader.missing(info.language):
        raise SystemExit(f"The curriculum is not complete in {info.language!r}: missing "
                         + ", ".join(loader.missing(info.language)))
    for module in modules:
        # Every learning objective assessed, every reference to one known: else no course is written.
        try:
            check_module_xml(module.xml)
        except OLXError as exc:
            raise SystemExit(f"{module.slug}/{loader.module_file(info.language)}: {exc}") from None
    return write_archive(output, course_files(info, modules))


def build_all(folder: Path | str, info: CourseInfo | None = None) -> dict[str, Path]:
    """One archive per language the whole curriculum is written in, ``{language: path}``, in ``folder``."""
    info = info or CourseInfo()
    return {lang: build(Path(folder) / archive_name(lang), info.in_language(lang)) for lang in loader.languages()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sse_academy_xblock.curriculum.export",
        description="Build an Open edX course export archive (for Studio's Import) from the SSE Academy curriculum.",
    )
    defaults = CourseInfo()
    parser.add_argument("output", nargs="?", default=None,
                        help="archive to write (default: course.tar.gz, course-fr.tar.gz ...); with --all, a folder")
    parser.add_argument("--language", default=loader.DEFAULT_LANGUAGE, choices=loader.LANGUAGES,
                        help="the course's language (default: %(default)s)")
    parser.add_argument("--all", action="store_true",
                        help="one archive per language the whole curriculum is written in")
    parser.add_argument("--org", default=defaults.org)
    parser.add_argument("--number", default=defaults.number, help="course number")
    parser.add_argument("--run", default=defaults.run)
    parser.add_argument("--title", default=defaults.display_name, help="course name shown to learners")
    parser.add_argument("--start", default=defaults.start, help="course start, ISO 8601 with time zone")
    parser.add_argument("--end", default=defaults.end, help="course end, ISO 8601 with time zone")
    args = parser.parse_args(argv)
    info = CourseInfo(org=args.org, number=args.number, run=args.run, start=args.start, end=args.end,
                      display_name=args.title)
    if args.all:
        built = build_all(args.output or ".", info)
    else:
        lang = args.language
        built = {lang: build(args.output or archive_name(lang), info.in_language(lang))}
    for lang, path in built.items():
        course = info.in_language(lang)
        print(f"Wrote {path} ({course.org}/{course.number}/{course.run}, {lang}, "
              f"{len(loader.modules(lang))} modules).")
    for lang in loader.started_languages():
        if lang not in built and loader.missing(lang):
            print(f"Not built in {lang!r}: missing " + ", ".join(loader.missing(lang)) + ".")
    print("Import each in Studio: Tools > Import; the course needs these blocks installed: "
          + ", ".join(OUR_BLOCK_TYPES) + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main())
