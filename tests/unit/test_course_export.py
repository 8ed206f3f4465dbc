"""``make course``: the Open edX course export archive built from the shipped curriculum."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest
from lxml import etree

from sse_academy_xblock.curriculum import export, loader

OURS = ("sse_module", "sse_quiz", "sse_case_study")


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


def test_the_archive_has_the_layout_studio_imports(course_dir):
    root = etree.parse(str(course_dir / "course.xml")).getroot()
    assert root.tag == "course" and set(root.attrib) == {"url_name", "org", "course"}
    run = root.get("url_name")
    course = etree.parse(str(course_dir / "course" / f"{run}.xml")).getroot()
    chapters = [c.get("url_name") for c in course.iter("chapter")]
    assert len(chapters) == len(loader.modules()) == 5
    for name in chapters:
        chapter = etree.parse(str(course_dir / "chapter" / f"{name}.xml")).getroot()
        sequence = chapter.find("sequential").get("url_name")
        sequential = etree.parse(str(course_dir / "sequential" / f"{sequence}.xml")).getroot()
        assert sequential.get("graded") == "true" and sequential.get("format") == "Module"
        unit = sequential.find("vertical").get("url_name")
        vertical = etree.parse(str(course_dir / "vertical" / f"{unit}.xml")).getroot()
        assert [child.tag for child in vertical] == ["sse_module"]
    policy = json.loads((course_dir / "policies" / run / "policy.json").read_text())
    assert policy[f"course/{run}"]["advanced_modules"] == list(OURS)
    grading = json.loads((course_dir / "policies" / run / "grading_policy.json").read_text())
    assert grading["GRADER"][0]["type"] == "Module"
    assert (course_dir / "static" / policy[f"course/{run}"]["course_image"]).read_bytes().startswith(b"\x89PNG")


def test_olxcleaner_finds_no_error(course_dir):
    from olxcleaner import validate

    course, errors, url_names = validate(str(course_dir), steps=8, allowed_xblocks=list(OURS))
    assert course is not None
    assert [f"{e.level} {e.name}: {e.description}" for e in errors.errors] == []
    assert {"m01_chapter", "m05_unit"} <= set(url_names)


def test_every_block_of_ours_has_a_stable_unique_url_name(course_dir):
    names = [element.get("url_name") for _file, element in our_elements(course_dir)]
    assert all(names) and len(names) == len(set(names))
    assert {"m01_module", "m01_quiz", "m01_case_study"} <= set(names)


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
        if block_type == "sse_module":
            assert block.objectives and block.intro
            assert {make_block.as_user(block, "x").runtime.get_block(c).scope_ids.block_type
                    for c in block.children} <= set(OURS)
