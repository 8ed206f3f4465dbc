"""The shipped SSE Academy curriculum is complete, well formed and keyed only to documented facts.

These checks read the OLX with lxml alone, so they hold whatever the block parsers look like. The
answer keys of numeric and text questions are tied, one by one, to the sentence of
``shared/docs/sse-facts.md`` that supports them (see ``ANSWER_FACTS``).
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest

from sse_academy_xblock.dimensions import DIMENSION_IDS
from sse_academy_xblock.olx import parse_string

REPO_ROOT = Path(__file__).resolve().parents[2]
CURRICULUM = REPO_ROOT / "sse_academy_xblock" / "curriculum"
FACTS_FILE = REPO_ROOT.parent / "shared" / "docs" / "sse-facts.md"

MODULE_SLUGS = (
    "01-sse-and-the-academy",
    "02-employment",
    "03-social-protection",
    "04-social-dialogue",
    "05-rights-at-work",
)
QUESTION_TYPES = {"single", "multiple", "truefalse", "numeric", "text"}
INTRO_TAGS = {"p", "ul", "ol", "li", "strong", "em", "h3"}
MODULE_CHILDREN = {"objective", "intro", "sse_quiz", "sse_case_study"}
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")

# For every numeric or text question: the passage of sse-facts.md its answer key relies on.
ANSWER_FACTS = {
    ("01-sse-and-the-academy", "q3"): "Johannesburg, 19-21 October 2009",
    ("01-sse-and-the-academy", "q4"): "First Academy: Turin, 25-29 October 2010",
    ("01-sse-and-the-academy", "q5"): "International Co-operative Alliance (ICA, founded 1895 in London)",
    ("02-employment", "q1"): "C122 Employment Policy Convention 1964",
    ("02-employment", "q4"): "R204 Transition from the Informal to the Formal Economy Recommendation",
    ("02-employment", "q6"): "type B (work integration, at least 30% disadvantaged workers)",
    ("02-employment", "q8"): "Mondragon (Basque Country; first cooperative 1956",
    ("03-social-protection", "q1"): "C102 Social Security (Minimum Standards) Convention 1952",
    ("03-social-protection", "q2"): "C102 Social Security (Minimum Standards) Convention 1952, nine branches",
    ("03-social-protection", "q6"): "R202 Social Protection Floors Recommendation 2012",
    ("03-social-protection", "q9"): "supported by the ILO STEP programme",
    ("03-social-protection", "q10"): "VimoSEWA, SEWA's insurance (1992; cooperative 2009)",
    ("04-social-dialogue", "q1"): "C144 Tripartite Consultation (International Labour Standards) Convention 1976",
    ("04-social-dialogue", "q3"): "SEWA, India (trade union registered 1972 by Ela Bhatt",
    ("04-social-dialogue", "q4"): "SEWA, India (trade union registered 1972 by Ela Bhatt",
    ("05-rights-at-work", "q1"): "Declaration on Fundamental Principles and Rights at Work, 1998",
    ("05-rights-at-work", "q3"): "Ten fundamental conventions",
    ("05-rights-at-work", "q6"): "C87 Freedom of Association and Protection of the Right to Organise 1948",
    ("05-rights-at-work", "q9"): "FaSinPat (formerly Zanón)",
}
NUMBER_WORDS = {3: "three", 4: "four", 7: "seven", 9: "nine", 10: "ten"}


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def text_of(node) -> str:
    return " ".join(" ".join(node.itertext()).split()) if node is not None else ""


def load(slug: str):
    path = CURRICULUM / slug / "module.xml"
    return parse_string(path.read_bytes())


def own_text(node) -> str:
    """A choice's label without its nested feedback."""
    return " ".join(((node.text or "") + " ".join(c.tail or "" for c in node)).split())


@pytest.fixture(scope="module")
def facts_text():
    if not FACTS_FILE.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{FACTS_FILE} is missing: CI checks every answer key against the fact sheet", pytrace=False)
        pytest.skip(f"{FACTS_FILE} is not available")
    return normalise(FACTS_FILE.read_text(encoding="utf-8"))


def test_exactly_the_five_modules_ship():
    shipped = sorted(p.parent.name for p in CURRICULUM.glob("*/module.xml"))
    assert shipped == list(MODULE_SLUGS)


@pytest.mark.parametrize("slug", MODULE_SLUGS)
def test_module_shape(slug):
    root = load(slug)
    assert root.tag == "sse_module"
    assert root.get("display_name", "").strip()
    assert root.get("dimension") in DIMENSION_IDS
    assert root.get("estimated_time", "").isdigit(), "estimated_time is a whole number of minutes"
    tags = [child.tag for child in root]
    assert set(tags) <= MODULE_CHILDREN, f"unexpected children: {set(tags) - MODULE_CHILDREN}"
    assert tags.count("intro") == 1 and tags.count("sse_quiz") == 1 and tags.count("sse_case_study") == 1
    # Objectives first, then the introduction, then the graded children.
    first_other = tags.index("intro")
    assert all(tag == "objective" for tag in tags[:first_other])
    assert "objective" not in tags[first_other:]
    objectives = root.findall("objective")
    assert 3 <= len(objectives) <= 6
    assert all(text_of(o) for o in objectives)


@pytest.mark.parametrize("slug", MODULE_SLUGS)
def test_intro_length_and_markup(slug):
    intro = load(slug).find("intro")
    words = len(" ".join(intro.itertext()).split())
    assert 300 <= words <= 600, f"{slug}: introduction has {words} words"
    used = {node.tag for node in intro.iter() if node is not intro}
    assert used <= INTRO_TAGS, f"{slug}: tags not allowed in the introduction: {used - INTRO_TAGS}"


@pytest.mark.parametrize("slug", MODULE_SLUGS)
def test_quiz_questions_are_complete_and_keyed(slug):
    quiz = load(slug).find("sse_quiz")
    assert quiz.get("dimension") in DIMENSION_IDS
    questions = quiz.findall("question")
    assert len(questions) >= 8, f"{slug}: only {len(questions)} questions"
    types = {q.get("type") for q in questions}
    assert types <= QUESTION_TYPES
    assert len(types) >= 3, f"{slug}: question types {types}"
    ids = [q.get("id") for q in questions]
    assert all(ids) and len(set(ids)) == len(ids), f"{slug}: question ids {ids}"
    for q in questions:
        where = f"{slug} {q.get('id')}"
        assert q.get("dimension") in DIMENSION_IDS, where
        assert float(q.get("points", "1")) > 0, where
        assert text_of(q.find("prompt")), f"{where}: empty prompt"
        assert text_of(q.find("explanation")), f"{where}: no explanation"
        choices = q.findall("choice")
        correct = [c for c in choices if c.get("correct") == "true"]
        kind = q.get("type")
        if kind in ("single", "multiple"):
            choice_ids = [c.get("id") for c in choices]
            assert all(choice_ids) and len(set(choice_ids)) == len(choice_ids), where
            assert all(own_text(c) for c in choices), f"{where}: a choice has no label"
            assert len(choices) > len(correct), f"{where}: no wrong choice to tell apart"
        if kind == "single":
            assert len(correct) == 1, f"{where}: {len(correct)} correct choices"
        elif kind == "multiple":
            assert len(correct) >= 1, where
        elif kind == "truefalse":
            assert q.get("answer") in ("true", "false"), where
        elif kind == "numeric":
            float(q.get("answer"))
            assert float(q.get("tolerance", "0")) >= 0, where
        elif kind == "text":
            assert [a for a in q.findall("answer") if text_of(a)], f"{where}: no accepted answer"


@pytest.mark.parametrize("slug", MODULE_SLUGS)
def test_case_study_rubric(slug):
    case_study = load(slug).find("sse_case_study")
    assert case_study.get("dimension") in DIMENSION_IDS
    assert int(case_study.get("min_words")) < int(case_study.get("max_words"))
    assert text_of(case_study.find("case")) and text_of(case_study.find("prompt"))
    criteria = case_study.find("rubric").findall("criterion")
    assert 3 <= len(criteria) <= 4, f"{slug}: {len(criteria)} criteria"
    names = [c.get("name") for c in criteria]
    assert all(names) and len(set(names)) == len(names)
    for criterion in criteria:
        options = criterion.findall("option")
        assert len(options) >= 2, f"{slug} {criterion.get('name')}"
        points = [float(o.get("points")) for o in options]
        assert min(points) >= 0 and len(set(points)) == len(points)
        assert all(o.get("label") and text_of(o) for o in options)


@pytest.mark.parametrize("slug", MODULE_SLUGS)
def test_nothing_unverified_ships(slug):
    raw = (CURRICULUM / slug / "module.xml").read_text(encoding="utf-8")
    assert "(check" not in raw.casefold()


def _keyed_questions():
    for slug in MODULE_SLUGS:
        for q in load(slug).find("sse_quiz").findall("question"):
            if q.get("type") in ("numeric", "text"):
                yield slug, q


def test_every_numeric_and_text_key_names_its_fact():
    keyed = {(slug, q.get("id")) for slug, q in _keyed_questions()}
    assert keyed == set(ANSWER_FACTS), (
        f"missing facts for {sorted(keyed - set(ANSWER_FACTS))}, stale entries {sorted(set(ANSWER_FACTS) - keyed)}"
    )


def test_every_key_is_stated_by_its_fact():
    for slug, q in _keyed_questions():
        fact = normalise(ANSWER_FACTS[(slug, q.get("id"))])
        if q.get("type") == "numeric":
            value = float(q.get("answer"))
            spelled = [str(int(value)) if value.is_integer() else str(value)]
            if value in NUMBER_WORDS:
                spelled.append(NUMBER_WORDS[int(value)])
            assert any(re.search(rf"\b{re.escape(s)}\b", fact) for s in spelled), (slug, q.get("id"))
        else:
            answers = [normalise(text_of(a)) for a in q.findall("answer")]
            assert answers[0] in fact, (slug, q.get("id"), answers[0])


def test_facts_behind_the_keys_are_in_the_facts_file(facts_text):
    for key, fact in ANSWER_FACTS.items():
        assert normalise(fact) in facts_text, f"{key}: {fact!r} is not in sse-facts.md"


@pytest.mark.parametrize("slug", MODULE_SLUGS)
def test_every_year_comes_from_the_facts_file(slug, facts_text):
    """Numeric answers above all, but any year the module mentions must be a documented one."""
    raw = (CURRICULUM / slug / "module.xml").read_text(encoding="utf-8")
    years = set(YEAR.findall(raw))
    known = set(YEAR.findall(facts_text))
    assert set(years) - known == set(), f"{slug}: years not in sse-facts.md: {sorted(set(years) - known)}"
    for q in load(slug).find("sse_quiz").findall("question"):
        if q.get("type") == "numeric" and YEAR.fullmatch(q.get("answer")):
            assert q.get("answer") in known, (slug, q.get("id"))
