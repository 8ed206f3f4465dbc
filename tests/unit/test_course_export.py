"""``make course``: the Open edX course export archive built from the shipped curriculum."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest
from lxml import etree

from sse_academy_xblock.curriculum import export, loader

OURS = ("sse_quiz", "sse_case_study", "sse_profile")


@pytest.fixture(scope="module")
def course_dir(tmp_path_factory):
    """The archive as ``make course`` writes it, unpacked."""
    work = tmp_path_factory.mktemp("course")
    archive = work / "course.tar.gz"
    assert export.main([str(archive)]) == 0
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        assert all(n == "course" or n.startswith("course/") for n in names)
        assert not any(".." in Path(n).parts for n in names)
        tar.extractall(work / "out", filter="data")
    return work / "out" / "course"


def our_elements(course_dir: Path):
    for path in sorted(course_dir.glob("vertical/*.xml")):
        for element in etree.parse(str(path)).getroot().iter(*OURS):
            yield path.name, element


def xml_of(course_dir: Path, kind: str, name: str):
    return etree.parse(str(course_dir / kind / f"{name}.xml")).getroot()


def outline(course_dir: Path):
    """``[(chapter, [(sequential element, [unit element])])]`` in course order."""
    root = etree.parse(str(course_dir / "course.xml")).getroot()
    course = xml_of(course_dir, "course", root.get("url_name"))
    result = []
    for chapter_ref in course.iter("chapter"):
        chapter = xml_of(course_dir, "chapter", chapter_ref.get("url_name"))
        sequences = []
        for seq_ref in chapter.iter("sequential"):
            sequential = xml_of(course_dir, "sequential", seq_ref.get("url_name"))
            units = [xml_of(course_dir, "vertical", v.get("url_name")) for v in sequential.iter("vertical")]
            sequences.append((sequential, units))
        result.append((chapter, sequences))
    return result


def test_each_module_is_a_native_section_of_subsections_and_units(course_dir):
    sections = outline(course_dir)
    assert len(sections) == len(loader.modules()) + 1 == 6
    for chapter, sequences in sections[:-1]:
        components = [[child.tag for child in unit] for _seq, units in sequences for unit in units]
        # One component per unit: the html text, the quiz, the case study, the section's profile.
        assert components == [["html"], ["sse_quiz"], ["sse_case_study"], ["sse_profile"]], chapter.get("display_name")
        formats = [(seq.get("format"), seq.get("graded")) for seq, _units in sequences]
        assert formats == [(None, None), ("Quiz", "true"), ("Case study", "true"), (None, None)]
        profile = sequences[-1][1][0][0]
        assert profile.get("scope") == "section"
    closing, closing_sequences = sections[-1]
    assert [[c.tag for c in unit] for _s, units in closing_sequences for unit in units] == [["sse_profile"]]
    assert closing_sequences[0][1][0][0].get("scope") == "course"


def test_the_html_component_holds_the_objectives_and_the_introduction(course_dir):
    for module in loader.modules():
        content, _children = module.read()
        pointer = xml_of(course_dir, "html", f"{module.prefix}_intro")
        assert pointer.get("filename") == f"{module.prefix}_intro"
        text = (course_dir / "html" / f"{module.prefix}_intro.html").read_text(encoding="utf-8")
        assert "Learning objectives" in text
        for objective in content.objectives:
            assert objective in text
        assert content.intro[:200] in text


def test_policy_grading_and_overview(course_dir):
    root = etree.parse(str(course_dir / "course.xml")).getroot()
    run = root.get("url_name")
    policy = json.loads((course_dir / "policies" / run / "policy.json").read_text())
    assert policy[f"course/{run}"]["advanced_modules"] == list(OURS)
    grading = json.loads((course_dir / "policies" / run / "grading_policy.json").read_text())
    graders = {g["type"]: g for g in grading["GRADER"]}
    assert set(graders) == {"Quiz", "Case study"}
    assert sum(g["weight"] for g in graders.values()) == pytest.approx(1.0)
    assert graders["Quiz"]["min_count"] == graders["Case study"]["min_count"] == 5
    assert (course_dir / "static" / policy[f"course/{run}"]["course_image"]).read_bytes().startswith(b"\x89PNG")
    overview = (course_dir / "about" / "overview.html").read_text(encoding="utf-8")
    assert all(m.title in overview for m in loader.modules())


def test_olxcleaner_finds_no_error(course_dir):
    from olxcleaner import validate

    course, errors, url_names = validate(str(course_dir), steps=8, allowed_xblocks=list(OURS))
    assert course is not None
    assert [f"{e.level} {e.name}: {e.description}" for e in errors.errors] == []
    assert {"m01_chapter", "m05_quiz_unit", "course_profile_unit"} <= set(url_names)


def test_every_block_of_ours_has_a_stable_unique_url_name(course_dir):
    names = [element.get("url_name") for _file, element in our_elements(course_dir)]
    assert all(names) and len(names) == len(set(names))
    assert {"m01_profile", "m01_quiz", "m01_case_study", "course_profile"} <= set(names)


def test_the_archive_is_reproducible(tmp_path):
    first = export.build(tmp_path / "a.tar.gz")
    second = export.build(tmp_path / "b.tar.gz")
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("block_type", OURS)
def test_every_block_of_ours_parses_with_its_block_class(course_dir, make_block, block_type):
    elements = [(name, el) for name, el in our_elements(course_dir) if el.tag == block_type]
    assert elements
    for file_name, element in elements:
        block = make_block(etree.tostring(element, encoding="unicode"))
        assert block.scope_ids.block_type == block_type, file_name


def test_every_component_parses_back_to_what_the_curriculum_source_says(course_dir):
    """Each component of the archive, read with our own parsers (no runtime), equals its source."""
    from sse_academy_xblock.curriculum import source
    from sse_academy_xblock.peer.authoring import parse_olx
    from sse_academy_xblock.profile import olx as profile_olx
    from sse_academy_xblock.quiz.olx import parse_quiz

    seen = {"sse_quiz": 0, "sse_case_study": 0, "sse_profile": 0, "html": 0}
    for module in loader.modules():
        _content, children = source.read(etree.fromstring(module.xml.encode("utf-8")))
        by_tag = {child.tag: child for child in children}
        for tag, parser in (("sse_quiz", parse_quiz), ("sse_case_study", parse_olx)):
            unit = xml_of(course_dir, "vertical", f"{module.prefix}_{tag.replace('sse_', '')}_unit")
            (exported,) = list(unit)
            assert exported.tag == tag
            assert parser(exported) == parser(by_tag[tag]), f"{module.slug} {tag}"
            seen[tag] += 1
        (profile,) = list(xml_of(course_dir, "vertical", f"{module.prefix}_profile_unit"))
        assert profile_olx.read(profile).scope == "section"
        seen["sse_profile"] += 1
        pointer = xml_of(course_dir, "html", f"{module.prefix}_intro")
        assert pointer.tag == "html" and pointer.get("display_name")
        seen["html"] += 1
    (closing,) = list(xml_of(course_dir, "vertical", "course_profile_unit"))
    assert profile_olx.read(closing).scope == "course"
    assert seen == {"sse_quiz": 5, "sse_case_study": 5, "sse_profile": 5, "html": 5}


def test_the_course_is_not_branded_as_the_ilos_without_clearance(course_dir):
    """The default org and title are neutral; an ILO or ITC-ILO brand needs their clearance (issue 26)."""
    root = etree.parse(str(course_dir / "course.xml")).getroot()
    course = xml_of(course_dir, "course", root.get("url_name"))
    assert root.get("org") == "SSEAcademy"
    assert course.get("display_name") == "Social and Solidarity Economy and Decent Work"
    assert "ILO" not in root.get("org") + course.get("display_name")
    overview = (course_dir / "about" / "overview.html").read_text(encoding="utf-8")
    assert "<p>Social and Solidarity Economy and Decent Work brings together 5 modules" in overview


def test_whoever_has_clearance_sets_the_org_and_the_title(tmp_path):
    archive = tmp_path / "c.tar.gz"
    assert export.main([str(archive), "--org", "ITCILO", "--title", "SSE Academy 2026"]) == 0
    with tarfile.open(archive) as tar:
        course_xml = etree.fromstring(tar.extractfile("course/course.xml").read())
        run = etree.fromstring(tar.extractfile(f"course/course/{course_xml.get('url_name')}.xml").read())
    assert course_xml.get("org") == "ITCILO"
    assert run.get("display_name") == "SSE Academy 2026"


# ---------------------------------------------------------------------------------- one course per language

@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    """``make course``: ``{language: unpacked course folder}``, one archive per language the curriculum has."""
    work = tmp_path_factory.mktemp("courses")
    assert export.main(["--all", str(work)]) == 0
    result = {}
    for language in loader.LANGUAGES:
        archive = work / export.archive_name(language)
        if archive.is_file():
            with tarfile.open(archive) as tar:
                tar.extractall(work / language, filter="data")
            result[language] = work / language / "course"
    return result


def expected_languages() -> set[str]:
    """English and French always; Spanish (or any other language) as soon as a module is written in it."""
    return {"en", "fr"} | set(loader.started_languages())


def test_make_course_writes_one_archive_per_language(courses):
    assert set(courses) == expected_languages()
    assert set(loader.languages()) == expected_languages(), {lang: loader.missing(lang) for lang in loader.LANGUAGES}


def _course_of(course_dir):
    root = etree.parse(str(course_dir / "course.xml")).getroot()
    return root, xml_of(course_dir, "course", root.get("url_name"))


def test_each_language_is_a_course_of_its_own(courses):
    runs = {}
    for language, course_dir in courses.items():
        root, course = _course_of(course_dir)
        assert course.get("language") == language
        runs[language] = (root.get("org"), root.get("course"), root.get("url_name"))
    assert len(set(runs.values())) == len(runs), runs
    assert runs["en"][2] == "2026" and runs["fr"][2] == "2026_fr"


@pytest.mark.parametrize("language", sorted(expected_languages()))
def test_olxcleaner_finds_no_error_in_any_language(courses, language):
    from olxcleaner import validate

    course, errors, url_names = validate(str(courses[language]), steps=8, allowed_xblocks=list(OURS))
    assert course is not None
    assert [f"{e.level} {e.name}: {e.description}" for e in errors.errors] == []
    assert {"m01_chapter", "m05_quiz_unit", "course_profile_unit"} <= set(url_names)


def _titles(course_dir) -> list[str]:
    """Every display name the export writes (course, sections, subsections, units, components)."""
    names = []
    for path in sorted(course_dir.rglob("*.xml")):
        names += [node.get("display_name") for node in etree.parse(str(path)).getroot().iter()
                  if node.get("display_name")]
    return names


def test_the_french_course_is_french_wherever_the_export_adds_a_heading(courses):
    course_dir = courses["fr"]
    _root, course = _course_of(course_dir)
    assert course.get("display_name") == "Économie sociale et solidaire et travail décent"
    titles = set(_titles(course_dir))
    english_headings = {"Your progress", "Your Decent Work profile", "Course profile",
                        "Objectives and introduction", "Your Decent Work profile in this module",
                        "Your Decent Work profile across the course", "Case study", "Quiz: the SSE and the Academy"}
    assert not titles & english_headings
    assert {"Objectifs et introduction", "Votre progression", "Profil du cours",
            "Votre profil Travail décent dans ce module"} <= titles
    chapters = [xml_of(course_dir, "chapter", f"{m.prefix}_chapter").get("display_name") for m in loader.modules("fr")]
    assert chapters[1] == "2. L'emploi vu par l'ESS"
    intro = (course_dir / "html" / "m02_intro.html").read_text(encoding="utf-8")
    assert "Objectifs d'apprentissage" in intro and "Learning objectives" not in intro
    assert "Dimension du travail décent : Emploi" in intro and "Durée estimée : 3 heures" in intro
    overview = (course_dir / "about" / "overview.html").read_text(encoding="utf-8")
    assert "À propos de ce cours" in overview and "réunit 5 modules" in overview
    assert "économie sociale et solidaire" in (course_dir / "about" / "short_description.html").read_text(encoding="utf-8")
    run = _course_of(course_dir)[0].get("url_name")
    grading = json.loads((course_dir / "policies" / run / "grading_policy.json").read_text())
    types = {g["type"] for g in grading["GRADER"]}
    assert types == {"Quiz", "Étude de cas"}
    formats = {seq.get("format") for _chapter, seqs in outline(course_dir) for seq, _units in seqs if seq.get("format")}
    assert formats == types, "every graded subsection's format must be an assignment type of the grading policy"


def test_the_spanish_course_is_spanish_wherever_the_export_adds_a_heading(courses):
    course_dir = courses["es"]
    _root, course = _course_of(course_dir)
    assert course.get("language") == "es"
    assert course.get("display_name") == "Economía social y solidaria y trabajo decente"
    titles = set(_titles(course_dir))
    english_headings = {"Your progress", "Your Decent Work profile", "Course profile",
                        "Objectives and introduction", "Your Decent Work profile in this module",
                        "Your Decent Work profile across the course", "Case study", "Quiz: the SSE and the Academy"}
    french_headings = {"Objectifs et introduction", "Votre progression", "Profil du cours"}
    assert not titles & (english_headings | french_headings)
    assert {"Objetivos e introducción", "Su progreso", "Perfil del curso",
            "Su perfil de Trabajo Decente en este módulo"} <= titles
    chapters = [xml_of(course_dir, "chapter", f"{m.prefix}_chapter").get("display_name") for m in loader.modules("es")]
    assert chapters[1] == "2. El empleo desde la perspectiva de la ESS"
    intro = (course_dir / "html" / "m02_intro.html").read_text(encoding="utf-8")
    assert "Objetivos de aprendizaje" in intro and "Learning objectives" not in intro
    assert "Dimensión del trabajo decente: Empleo" in intro and "Duración estimada: 3 horas" in intro
    overview = (course_dir / "about" / "overview.html").read_text(encoding="utf-8")
    assert "Acerca de este curso" in overview and "reúne 5 módulos" in overview
    assert "Programa de Trabajo Decente" in (course_dir / "about" / "short_description.html").read_text(encoding="utf-8")
    run = _course_of(course_dir)[0].get("url_name")
    assert run == "2026_es"
    grading = json.loads((course_dir / "policies" / run / "grading_policy.json").read_text())
    types = {g["type"] for g in grading["GRADER"]}
    assert types == {"Cuestionario", "Estudio de caso"}
    formats = {seq.get("format") for _chapter, seqs in outline(course_dir) for seq, _units in seqs if seq.get("format")}
    assert formats == types, "every graded subsection's format must be an assignment type of the grading policy"


def _keys(course_dir) -> dict:
    """What learners are graded on, per block: question ids, types, points, dimensions, keys; rubric points."""
    from sse_academy_xblock.peer.rubric import rubric_from_xml
    from sse_academy_xblock.quiz.olx import parse_quiz

    keys = {}
    for _file, element in our_elements(course_dir):
        if element.tag == "sse_quiz":
            keys[element.get("url_name")] = [
                (q.id, q.type, q.points, q.dimension, q.answer, tuple(q.correct_choice_ids()), bool(q.accepted))
                for q in parse_quiz(element)[1]]
        elif element.tag == "sse_case_study":
            rubric = rubric_from_xml(element.find("rubric"))
            keys[element.get("url_name")] = [(c.name, c.objective, tuple(o.points for o in c.options))
                                             for c in rubric.criteria] + [element.get("dimension")]
        else:
            keys[element.get("url_name")] = (element.get("scope"),)
    return keys


def test_every_language_grades_the_same_questions_with_the_same_keys(courses):
    english = _keys(courses["en"])
    assert len(english) == 16
    for language, course_dir in courses.items():
        assert _keys(course_dir) == english, language


def test_a_language_not_written_for_every_module_is_not_built(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "missing", lambda language: ["03-social-protection/module.xx.xml"])
    with pytest.raises(SystemExit, match="not complete"):
        export.build(tmp_path / "x.tar.gz", export.CourseInfo().in_language("fr"))
