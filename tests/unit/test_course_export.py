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
