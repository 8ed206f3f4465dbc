"""The content checks of the shipped curriculum that a machine can make.

- Each case study opens with its facts: the section under the case's first ``<h3>``. It holds 150-250
  words, and every item of it is dated and ends with its source and year in parentheses.
- Every single-choice question has four options; no key shares a telling word with its stem (the keys
  repeat a word of the stem and no distractor repeats any).
- Every rubric criterion lists its levels from 0 points upwards, each level worth more than the one
  before; the 0 level is where a blank response goes, and no other level mentions a blank. Every level
  carries reviewer guidance: an example, in ``<em>``, of what a response at that level looks like, and
  every criterion a description telling reviewers in which order to decide.
- A translation of a module (``module.<lang>.xml`` beside ``module.xml``) has the same question ids,
  types, keys, points, dimensions and objectives, and the same rubric criteria and points; its text
  questions accept every answer the English accepts, and more (the forms natural in that language).

The checks above run on every language version of every module (``LANGUAGES`` holds what is
language-specific in them: the word a 0 level uses for a blank response, the opening of the reviewer
guidance and of each example, and the words too common to tell anything about a key).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from sse_academy_xblock.i18n import BlockTranslator
from sse_academy_xblock.olx import parse_string
from sse_academy_xblock.peer.presentation import rubric_view
from sse_academy_xblock.peer.rubric import rubric_from_xml
from sse_academy_xblock.quiz.grading import normalise_text
from sse_academy_xblock.quiz.olx import parse_quiz

CURRICULUM = Path(__file__).resolve().parents[2] / "sse_academy_xblock" / "curriculum"
SLUGS = sorted(p.parent.name for p in CURRICULUM.glob("*/module.xml"))
TRANSLATIONS = sorted(CURRICULUM.glob("*/module.*.xml"))
# Every language version of every module: (slug, language, path).
VERSIONS = [(s, "en", CURRICULUM / s / "module.xml") for s in SLUGS] + [
    (p.parent.name, p.name.split(".")[1], p) for p in TRANSLATIONS
]


def version_id(version) -> str:
    return f"{version[0]}:{version[1]}"

FACT_WORDS = (150, 250)
SINGLE_CHOICE_OPTIONS = 4
YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
SOURCE_WITH_YEAR = re.compile(r"\([^()]*\b(?:1[89]|20)\d\d\b[^()]*\)\W*$")
# Words that tell nothing about the answer, however often stem and key share them.
COMMON_EN = set("""
about above after again against also among and another any are because been before being between both
but can cannot could does doing down each either every for from further have having here into its itself
just more most much must never none nor not now once only other ought over own same should since some
such than that the their them then there these they this those through under until very was were what
when where which while who whom why will with within without would your yours
work worker workers labour state states member members social people convention conventions
cooperative cooperatives organisation organisations
""".split())
COMMON_FR = set("""
avec avoir aussi autre autres avant après aucun aucune cela celle celles celui ceux chaque comme dans depuis
donc dont elle elles entre être leur leurs mais même moins notre nous plus pour quand quel quelle quelles
quels sans selon sont sous tous tout toute toutes très votre vous était été sera doit peut cette ces
travail travailleurs travailleur travailleuses membre membres social sociale sociaux sociales personnes
convention conventions coopérative coopératives organisation organisations état états
""".split())
COMMON_ES = set("""
como cada cual cuales desde donde entre esta este estos estas otra otro otros otras para pero porque
según sobre sólo solo también todo toda todos todas muy más menos sus suya tiene tienen puede debe
trabajo trabajadores trabajador trabajadoras miembro miembros social sociales personas
convenio convenios cooperativa cooperativas organización organizaciones estado estados
""".split())


@dataclass(frozen=True)
class Language:
    """What the checks need to know of one language's wording."""

    blank: re.Pattern  # how a 0 level says that a blank response goes there
    decide: str  # how a criterion's reviewer guidance opens
    example: str  # how each level's example opens, inside <em>
    common: set
    suffixes: tuple


LANGUAGES = {
    "en": Language(re.compile(r"\bblank\b", re.I), "Decide in this order.", "For example:", COMMON_EN,
                   ("ations", "ation", "ers", "ing", "ies", "ed", "es", "er", "s")),
    "fr": Language(re.compile(r"\bvide\b", re.I), "Décidez dans cet ordre.", "Par exemple :", COMMON_FR,
                   ("ations", "ation", "ements", "ement", "euses", "euse", "eurs", "eur", "ées", "ée", "es", "e",
                    "s", "x")),
    "es": Language(re.compile(r"\ben blanco\b", re.I), "Decida en este orden.", "Por ejemplo:", COMMON_ES,
                   ("aciones", "ación", "es", "as", "os", "a", "o", "s")),
}
# Kept for readers of the English checks.
BLANK = LANGUAGES["en"].blank
COMMON = COMMON_EN


def load(path):
    return parse_string(Path(path).read_bytes())


# A number written with spaces between its groups of digits (French "13 500") is one word.
DIGIT_GROUPS = re.compile(r"(?<=\d)\s(?=\d{3}\b)")


def words(text: str) -> int:
    return len(DIGIT_GROUPS.sub("", text).split())


def text_of(node) -> str:
    return " ".join(" ".join(node.itertext()).split())


def facts_section(case) -> list:
    """The elements under the case's first ``<h3>``, up to the next ``<h3>`` (language-neutral marker)."""
    children = [c for c in case if isinstance(c.tag, str)]
    headings = [i for i, c in enumerate(children) if c.tag == "h3"]
    assert headings, "the case has no <h3>: its facts section is the one under the first <h3>"
    start = headings[0] + 1
    end = headings[1] if len(headings) > 1 else len(children)
    return children[start:end]


def stem(word: str, language: str = "en") -> str:
    word = word.casefold()
    for suffix in LANGUAGES[language].suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_words(html: str, language: str = "en") -> set[str]:
    plain = re.sub(r"<[^>]+>", " ", html)
    common = LANGUAGES[language].common
    return {stem(w, language) for w in re.findall(r"[^\W\d_]+", plain) if len(w) >= 4 and w.casefold() not in common}


def telling_words(question, language: str = "en") -> dict[str, set[str]]:
    """``{key choice id: the words it shares with the stem}``, for a question whose keys alone echo the
    stem: a learner who picks the option that repeats the stem's wording gets the key."""
    prompt = content_words(question.prompt, language)
    if any(content_words(c.text, language) & prompt for c in question.choices if not c.correct):
        return {}
    return {c.id: shared for c in question.choices if c.correct
            if (shared := content_words(c.text, language) & prompt)}


def signature(root) -> dict:
    """What must be identical across the language versions of a module."""
    _settings, questions = parse_quiz(root.find("sse_quiz"))
    quiz = {
        q.id: (q.type, q.points, q.dimension, q.objective, q.answer, q.tolerance,
               tuple((c.id, c.correct) for c in q.choices), bool(q.accepted))
        for q in questions
    }
    study = root.find("sse_case_study")
    rubric = rubric_from_xml(study.find("rubric"))
    criteria = [(c.name, c.objective, tuple(o.points for o in c.options)) for c in rubric.criteria]
    # Every setting of the module, the quiz and the case study except the title shown to learners.
    settings = {node.tag: {k: v for k, v in node.attrib.items() if k != "display_name"}
                for node in (root, root.find("sse_quiz"), study)}
    return {"quiz": quiz, "case_dimension": study.get("dimension"), "rubric": criteria,
            "objectives": [o.get("id") for o in root.findall("objective")], "settings": settings}


# ---------------------------------------------------------------------------------------------- cases

@pytest.mark.parametrize("version", VERSIONS, ids=version_id)
def test_each_case_gives_150_to_250_words_of_dated_sourced_facts(version):
    slug, _language, path = version
    slug = version_id(version)
    case = load(path).find("sse_case_study/case")
    section = facts_section(case)
    count = sum(words(text_of(node)) for node in section)
    assert FACT_WORDS[0] <= count <= FACT_WORDS[1], f"{slug}: the facts section has {count} words"
    items = [li for node in section for li in node.iter("li")]
    assert len(items) >= 4, f"{slug}: the facts section lists {len(items)} facts"
    for li in items:
        text = text_of(li)
        assert YEAR.search(text), f"{slug}: a fact has no year: {text[:80]!r}"
        assert SOURCE_WITH_YEAR.search(text), f"{slug}: a fact does not end with its source and year: {text[-80:]!r}"


def test_a_number_with_spaced_digit_groups_is_one_word():
    assert words("environ 13 500 travailleurs et 1 256 994 membres en 2013") == 8


def test_the_facts_section_is_the_one_under_the_first_heading():
    case = parse_string("<case><p>Intro</p><h3>Facts</h3><ul><li>A (S, 2001).</li></ul><p>x</p>"
                        "<h3>Tools</h3><ul><li>B</li></ul></case>")
    assert [n.tag for n in facts_section(case)] == ["ul", "p"]


# -------------------------------------------------------------------------------------------- questions

def _questions(path):
    return parse_quiz(load(path).find("sse_quiz"))[1]


@pytest.mark.parametrize("version", VERSIONS, ids=version_id)
def test_single_choice_questions_have_four_options(version):
    short = [(q.id, len(q.choices)) for q in _questions(version[2]) if q.type == "single"
             and len(q.choices) != SINGLE_CHOICE_OPTIONS]
    assert not short, f"{version_id(version)}: single-choice questions without {SINGLE_CHOICE_OPTIONS} options: {short}"


@pytest.mark.parametrize("version", VERSIONS, ids=version_id)
def test_no_key_repeats_a_telling_word_of_its_stem(version):
    _slug, language, path = version
    clues = {q.id: telling_words(q, language) for q in _questions(path) if q.type in ("single", "multiple")}
    clues = {qid: found for qid, found in clues.items() if found}
    assert not clues, f"{version_id(version)}: keys that echo the stem where no distractor does: {clues}"


def test_a_key_that_echoes_its_stem_is_caught():
    quiz = parse_string("""<sse_quiz><question id="q" type="single"><prompt>SEWA organises home-based workers.
      Which convention did it campaign for?</prompt>
      <choice id="a" correct="true">The Home Work Convention</choice><choice id="b">The Tripartite Convention</choice>
      <choice id="c">The Minimum Age Convention</choice><choice id="d">The Equal Remuneration Convention</choice>
      </question></sse_quiz>""")
    assert telling_words(parse_quiz(quiz)[1][0]) == {"a": {"home"}}
    # A distractor that echoes the stem too takes away the clue.
    echo = etree.tostring(quiz, encoding="unicode").replace("The Minimum Age Convention", "The Home Care Convention")
    assert telling_words(parse_quiz(parse_string(echo))[1][0]) == {}


def test_a_french_key_that_echoes_its_stem_is_caught():
    quiz = parse_string("""<sse_quiz><question id="q" type="single"><prompt>La SEWA organise des travailleuses à
      domicile. Pour quelle convention a-t-elle fait campagne ?</prompt>
      <choice id="a" correct="true">La convention sur le travail à domicile</choice>
      <choice id="b">La convention sur les consultations tripartites</choice>
      <choice id="c">La convention sur l'âge minimum</choice><choice id="d">La convention sur l'égalité de rémunération</choice>
      </question></sse_quiz>""")
    assert telling_words(parse_quiz(quiz)[1][0], "fr") == {"a": {"domicil"}}


# ---------------------------------------------------------------------------------------------- rubrics

@pytest.mark.parametrize("version", VERSIONS, ids=version_id)
def test_rubric_levels_rise_from_a_blank_at_zero(version):
    slug, language, path = version
    slug, blank = version_id(version), LANGUAGES[language].blank
    rubric = rubric_from_xml(load(path).find("sse_case_study/rubric"))
    for criterion in rubric.criteria:
        where = f"{slug} {criterion.name}"
        points = [o.points for o in criterion.options]
        assert points[0] == 0, f"{where}: the first level is worth {points[0]}"
        assert all(a < b for a, b in zip(points, points[1:])), f"{where}: levels not in rising order {points}"
        assert blank.search(criterion.options[0].explanation), f"{where}: the 0 level must say a blank goes there"
        assert not any(blank.search(o.explanation) for o in criterion.options[1:]), (
            f"{where}: only the 0 level may take a blank response"
        )


@pytest.mark.parametrize("version", VERSIONS, ids=version_id)
def test_every_level_shows_reviewers_what_a_response_there_looks_like(version):
    slug = version_id(version)
    node = load(version[2]).find("sse_case_study/rubric")
    for criterion in node.findall("criterion"):
        where = f"{slug} {criterion.get('name')}"
        description = criterion.find("description")
        assert description is not None and words(text_of(description)) >= 10, f"{where}: no reviewer guidance"
        for option in criterion.findall("option"):
            example = option.find("em")
            assert example is not None and words(text_of(example)) >= 3, (
                f"{where} {option.get('label')}: no example of a response at this level"
            )


@pytest.mark.parametrize("version", VERSIONS, ids=version_id)
def test_reviewers_see_the_guidance_and_the_examples(version):
    """The review form shows each criterion's description and each level's text, sanitised: the guidance
    and its examples survive the sanitiser that stands between the rubric and the reviewer."""
    language = LANGUAGES[version[1]]
    rubric = rubric_from_xml(load(version[2]).find("sse_case_study/rubric"))
    for criterion in rubric_view(rubric.to_list(), BlockTranslator()):
        assert criterion["description_html"].startswith(language.decide), criterion["name"]
        assert all(f"<em>{language.example}" in o["explanation_html"] for o in criterion["options"]), criterion["name"]


# ------------------------------------------------------------------------------------------ translations

@pytest.mark.parametrize("path", TRANSLATIONS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_translation_keeps_every_id_key_and_point(path):
    assert signature(load(path)) == signature(load(path.parent / "module.xml"))


@pytest.mark.parametrize("path", TRANSLATIONS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_translation_accepts_every_answer_the_english_accepts(path):
    """A learner may answer in the organisation's own name or the English form: a translation accepts those,
    and adds its language's natural forms (articles, accents, the name in that language)."""
    english = {q.id: q for q in _questions(path.parent / "module.xml") if q.type == "text"}
    for question in _questions(path):
        if question.type != "text":
            continue
        accepted = {normalise_text(a) for a in question.accepted}
        lost = [a for a in english[question.id].accepted if normalise_text(a) not in accepted]
        assert not lost, f"{path.parent.name} {question.id}: answers the English accepts and this version does not: {lost}"


def test_every_language_a_module_is_written_in_covers_every_module():
    """A language is started for the whole curriculum or not at all: a half-translated course is not built,
    so this names the files still missing."""
    languages = {version[1] for version in VERSIONS}
    missing = [f"{slug}/module.{lang}.xml" for lang in sorted(languages - {"en"}) for slug in SLUGS
               if not (CURRICULUM / slug / f"module.{lang}.xml").is_file()]
    assert not missing, f"modules not yet written in a language the curriculum has started: {missing}"


def test_the_signature_sees_a_changed_key_and_a_changed_rubric_point():
    root = load(CURRICULUM / SLUGS[0] / "module.xml")
    other = copy.deepcopy(root)
    single = next(q for q in other.iter("question") if q.get("type") == "single")
    right = next(c for c in single.findall("choice") if c.get("correct") == "true")
    wrong = next(c for c in single.findall("choice") if c.get("correct") != "true")
    del right.attrib["correct"]
    wrong.set("correct", "true")
    assert signature(other)["quiz"] != signature(root)["quiz"]
    other = copy.deepcopy(root)
    option = other.find("sse_case_study/rubric/criterion").findall("option")[-1]
    option.set("points", str(int(option.get("points")) + 1))
    assert signature(other)["rubric"] != signature(root)["rubric"]
    assert etree.tostring(root) != etree.tostring(other)
    other = copy.deepcopy(root)
    other.find("sse_case_study").set("min_words", "200")
    assert signature(other)["settings"] != signature(root)["settings"]
    other = copy.deepcopy(root)
    other.find("sse_quiz").set("display_name", "Quiz : autre titre")
    assert signature(other) == signature(root)


# The ILO's own name of the Decent Work Agenda in French and Spanish; "Agenda" is a calque it does not use.
NOT_THE_ILOS_NAME = {"fr": re.compile(r"agenda (?:du|pour le) travail décent", re.I),
                     "es": re.compile(r"agenda de(?:l)? trabajo decente", re.I)}


@pytest.mark.parametrize("language", sorted(NOT_THE_ILOS_NAME))
def test_the_decent_work_agenda_has_the_ilos_name_in_each_language(language):
    catalog = CURRICULUM.parent / "translations" / language / "LC_MESSAGES" / "text.po"
    texts = [catalog] + sorted(CURRICULUM.glob(f"*/module.{language}.xml"))
    found = [p.name for p in texts if NOT_THE_ILOS_NAME[language].search(" ".join(p.read_text(encoding="utf-8").split()))]
    assert not found, f"'Agenda' where the ILO says 'Programme pour le travail décent' / 'Programa de Trabajo Decente': {found}"
