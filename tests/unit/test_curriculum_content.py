"""The shipped SSE Academy curriculum is complete, well formed and keyed only to documented facts.

These checks read the OLX with lxml alone, so they hold whatever the block parsers look like. The
answer keys of numeric and text questions are tied, one by one, to the sentence of
``shared/docs/sse-facts.md`` or of the project's own ``docs/curriculum-facts.md`` that supports them
(see ``ANSWER_FACTS``).
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
# The fact sheet sits beside the repository; SSE_FACTS_FILE points elsewhere (e.g. from a worktree).
FACTS_FILE = Path(os.environ.get("SSE_FACTS_FILE") or REPO_ROOT.parent / "shared" / "docs" / "sse-facts.md")
# The project's own notes: the case facts and instrument details, each with its year and source.
CURRICULUM_FACTS_FILE = REPO_ROOT / "docs" / "curriculum-facts.md"

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
    ("02-employment", "q4"): "C122 Employment Policy Convention 1964",
    ("02-employment", "q6"): "type B (work integration, at least 30% disadvantaged workers)",
    ("02-employment", "q12"): "Mondragon (Basque Country; first cooperative 1956",
    ("03-social-protection", "q3"): "C102 Social Security (Minimum Standards) Convention 1952, nine branches",
    ("03-social-protection", "q11"): "supported by the ILO STEP programme",
    ("03-social-protection", "q12"): "VimoSEWA, SEWA's insurance (1992; cooperative 2009)",
    ("04-social-dialogue", "q5"): "C144 Tripartite Consultation (International Labour Standards) Convention 1976",
    ("04-social-dialogue", "q8"): "SEWA, India (trade union registered 1972 by Ela Bhatt",
    ("05-rights-at-work", "q4"): "Ten fundamental conventions",
    ("05-rights-at-work", "q12"): "FaSinPat (formerly Zanón)",
}

# For every choice or true/false question: (term, passage). The passage is in sse-facts.md, and the
# term is in both the passage and the question's explanation, the text that justifies the key.
KEY_FACTS = {
    ("01-sse-and-the-academy", "q1"): ("mutual societies", "cooperatives, associations, mutual societies, foundations"),
    ("01-sse-and-the-academy", "q2"): ("democratic and/or participatory governance",
                                       "mutual aid, democratic and/or participatory governance, autonomy and independence"),
    ("01-sse-and-the-academy", "q3"): ("applies to all countries", "applies to all countries; replaced the Co-operatives "
                                       "(Developing Countries) Recommendation, 1966 (No. 127)"),
    ("01-sse-and-the-academy", "q4"): ("autonomy and independence", "4 Autonomy and independence"),
    ("01-sse-and-the-academy", "q5"): ("co-operation among co-operatives", "5 Education, training and information; "
                                       "6 Co-operation among co-operatives"),
    ("01-sse-and-the-academy", "q6"): ("type b", "type B (work integration, at least 30% disadvantaged workers)"),
    ("01-sse-and-the-academy", "q7"): ("negotiation, consultation and exchange of information",
                                       "social dialogue covers negotiation, consultation and exchange of information"),
    ("01-sse-and-the-academy", "q8"): ("minimum age", "C138 Minimum Age 1973"),
    ("01-sse-and-the-academy", "q9"): ("social security and labour protection",
                                       "developing and enhancing social protection (social security and labour protection)"),
    ("01-sse-and-the-academy", "q10"): ("cross-cutting", "Gender equality and non-discrimination are cross-cutting"),
    ("02-employment", "q1"): ("freely chosen", "full, productive and freely chosen employment"),
    ("02-employment", "q2"): ("governance convention", "freely chosen employment; a governance convention"),
    ("02-employment", "q3"): ("among the means", "names cooperatives and SSE units among the means"),
    ("02-employment", "q5"): ("type a", "type A (social, health, educational services)"),
    ("02-employment", "q7"): ("30%", "at least 30% disadvantaged workers"),
    ("02-employment", "q8"): ("a strong social economy", "together with a strong social economy and a viable public sector"),
    ("02-employment", "q9"): ("a strong social economy", "together with a strong social economy and a viable public sector"),
    ("02-employment", "q10"): ("licensed and supervised by sasra",
                               "the deposit-taking ones are licensed and supervised by SASRA"),
    ("02-employment", "q11"): ("housed at the world bank", "founded 1995, housed at the World Bank"),
    ("02-employment", "q13"): ("fagor electrodomésticos", "the 2013 failure of Fagor Electrodomésticos is a teaching point"),
    ("02-employment", "q14"): ("digital platforms", "those that recruit members and share capital through digital platforms"),
    ("03-social-protection", "q1"): ("social security and labour protection",
                                     "developing and enhancing social protection (social security and labour protection)"),
    ("03-social-protection", "q2"): ("pseudo-cooperatives", "combat pseudo-cooperatives that violate workers' rights"),
    ("03-social-protection", "q4"): ("unemployment, old-age, employment injury, invalidity or survivors' benefit",
                                     "of which at least one must be unemployment, old-age, employment injury, invalidity "
                                     "or survivors' benefit (Art. 2)"),
    ("03-social-protection", "q5"): ("employment injury", "medical care, sickness, unemployment, old age, employment injury, "
                                     "family, maternity, invalidity, survivors"),
    ("03-social-protection", "q6"): ("unemployment, old-age, employment injury, invalidity or survivors' benefit",
                                     "of which at least one must be unemployment, old-age, employment injury, invalidity "
                                     "or survivors' benefit (Art. 2)"),
    ("03-social-protection", "q7"): ("essential health care", "four basic guarantees (essential health care; basic income "
                                     "security for children"),
    ("03-social-protection", "q8"): ("overall and primary responsibility of the state",
                                     "the overall and primary responsibility of the State"),
    ("03-social-protection", "q9"): ("diversity of methods and approaches",
                                     "diversity of methods and approaches, including of financing and delivery systems"),
    ("03-social-protection", "q10"): ("low voluntary enrolment", "low voluntary enrolment is a documented problem"),
    ("03-social-protection", "q13"): ("old-age", "of which at least one must be unemployment, old-age, employment injury, invalidity "
                                      "or survivors' benefit (Art. 2)"),
    ("04-social-dialogue", "q1"): ("between employers and workers", "between employers and workers (bipartite, e.g. "
                                   "collective bargaining)"),
    ("04-social-dialogue", "q2"): ("tripartite instrument", "Convention 1976 is the tripartite instrument"),
    ("04-social-dialogue", "q3"): ("not tripartite instruments", "C87 and C98 are not tripartite instruments"),
    ("04-social-dialogue", "q4"): ("cooperatives as such", "C87 covers organisations of workers and of employers "
                                   "(not cooperatives as such)"),
    ("04-social-dialogue", "q6"): ("democratic member control", "2 Democratic member control"),
    ("04-social-dialogue", "q7"): ("between employers and workers", "among them (tripartite) or between employers and "
                                   "workers (bipartite"),
    ("04-social-dialogue", "q9"): ("sewa bank", "trade union registered 1972 by Ela Bhatt; SEWA Bank 1974; cooperative "
                                   "federation 1992"),
    ("04-social-dialogue", "q10"): ("home work convention, 1996 (no. 177)",
                                    "Home Work Convention, 1996 (No. 177): SEWA campaigned for it"),
    ("04-social-dialogue", "q11"): ("governing body", "in the Conference and the Governing Body"),
    ("04-social-dialogue", "q12"): ("untfsse", "UN Inter-Agency Task Force on SSE (UNTFSSE): founded 2013"),
    ("04-social-dialogue", "q13"): ("most representative employers' and workers' organisations",
                                    "consult the most representative employers' and workers' organisations, which should "
                                    "include in their ranks"),
    ("04-social-dialogue", "q14"): ("between employers and workers", "between employers and workers (bipartite, e.g. "
                                    "collective bargaining)"),
    ("04-social-dialogue", "q15"): ("collective bargaining", "between employers and workers (bipartite, e.g. "
                                    "collective bargaining)"),
    ("05-rights-at-work", "q1"): ("very fact of membership", "have an obligation arising from the very fact of membership"),
    ("05-rights-at-work", "q2"): ("safe and healthy working environment",
                                  "to add a safe and healthy working environment (five categories)"),
    ("05-rights-at-work", "q3"): ("the conventions in question", "even if they have not ratified the conventions in question"),
    ("05-rights-at-work", "q5"): ("c155", "C155 Occupational Safety and Health 1981"),
    ("05-rights-at-work", "q6"): ("c100", "C100 Equal Remuneration 1951"),
    ("05-rights-at-work", "q7"): ("c182", "C182 Worst Forms of Child Labour 1999"),
    ("05-rights-at-work", "q8"): ("disguised employment relationships", "to establish disguised employment relationships"),
    ("05-rights-at-work", "q9"): ("pseudo-cooperatives", "combat pseudo-cooperatives that violate workers' rights"),
    ("05-rights-at-work", "q10"): ("equality and fairness", "equality and fairness, interdependence"),
    ("05-rights-at-work", "q11"): ("worker cooperatives", "failing firms taken over by their workers, mostly as worker "
                                   "cooperatives"),
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
    return normalise(FACTS_FILE.read_text(encoding="utf-8") + "\n" + CURRICULUM_FACTS_FILE.read_text(encoding="utf-8"))


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
        assert normalise(fact) in facts_text, f"{key}: {fact!r} is in neither fact file"


@pytest.mark.parametrize("slug", MODULE_SLUGS)
def test_every_year_comes_from_the_facts_file(slug, facts_text):
    """Numeric answers above all, but any year the module mentions must be a documented one."""
    raw = (CURRICULUM / slug / "module.xml").read_text(encoding="utf-8")
    years = set(YEAR.findall(raw))
    known = set(YEAR.findall(facts_text))
    assert set(years) - known == set(), f"{slug}: years in neither fact file: {sorted(set(years) - known)}"
    for q in load(slug).find("sse_quiz").findall("question"):
        if q.get("type") == "numeric" and YEAR.fullmatch(q.get("answer")):
            assert q.get("answer") in known, (slug, q.get("id"))


def _choice_and_truefalse_questions():
    for slug in MODULE_SLUGS:
        for q in load(slug).find("sse_quiz").findall("question"):
            if q.get("type") not in ("numeric", "text"):
                yield slug, q


def test_every_choice_and_truefalse_key_names_its_fact():
    keyed = {(slug, q.get("id")) for slug, q in _choice_and_truefalse_questions()}
    assert keyed == set(KEY_FACTS), (
        f"missing facts for {sorted(keyed - set(KEY_FACTS))}, stale entries {sorted(set(KEY_FACTS) - keyed)}"
    )
    for slug, q in _choice_and_truefalse_questions():
        term, passage = (normalise(t) for t in KEY_FACTS[(slug, q.get("id"))])
        assert term in passage, (slug, q.get("id"), term)
        assert term in normalise(text_of(q.find("explanation"))), f"{slug} {q.get('id')}: explanation lacks {term!r}"


def test_choice_key_passages_are_in_the_facts_file(facts_text):
    for key, (_term, passage) in KEY_FACTS.items():
        assert normalise(passage) in facts_text, f"{key}: {passage!r} is in neither fact file"


# ------------------------------------------------------------------------------ other languages
# A translation (``module.<lang>.xml``) states the facts of the English module and no others: every year it
# mentions is a documented one, every number in it is a number of the English text, and its text answers,
# written as a learner of that language writes them, are graded right.

TRANSLATIONS = sorted(CURRICULUM.glob("*/module.*.xml"))
# Digits grouped by spaces or commas ("13 500", "13,500") are one number.
NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f,]\d{3})*")


def numbers_in(text: str) -> set[str]:
    return {re.sub(r"[ \u00a0\u202f,]", "", n) for n in NUMBER.findall(text)}


def translation_id(path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.mark.parametrize("path", TRANSLATIONS, ids=translation_id)
def test_a_translation_has_the_shape_of_a_module(path):
    root = parse_string(path.read_bytes())
    english = load(path.parent.name)
    assert [c.tag for c in root] == [c.tag for c in english]
    used = {node.tag for node in root.find("intro").iter()} - {"intro"}
    assert used <= INTRO_TAGS
    assert "(check" not in path.read_text(encoding="utf-8").casefold()


@pytest.mark.parametrize("path", TRANSLATIONS, ids=translation_id)
def test_every_year_of_a_translation_comes_from_the_facts_file(path, facts_text):
    years = set(YEAR.findall(path.read_text(encoding="utf-8")))
    known = set(YEAR.findall(facts_text))
    assert years - known == set(), f"{translation_id(path)}: years in neither fact file: {sorted(years - known)}"


@pytest.mark.parametrize("path", TRANSLATIONS, ids=translation_id)
def test_a_translation_states_no_number_the_english_does_not(path):
    """Written for its readers, not word for word, but with the same facts: no figure, year, date or
    paragraph number appears that the English module does not give."""
    english = numbers_in(text_of(load(path.parent.name)) + " " + " ".join(
        v for node in load(path.parent.name).iter() for v in node.attrib.values()))
    root = parse_string(path.read_bytes())
    translated = numbers_in(text_of(root) + " " + " ".join(v for node in root.iter() for v in node.attrib.values()))
    assert translated - english == set(), f"{translation_id(path)}: numbers the English does not give: {sorted(translated - english)}"


def test_the_number_check_reads_french_and_english_groupings():
    assert numbers_in("environ 13 500 travailleurs, 1 256 994 membres, 30 %, 1er janvier 2021") == {
        "13500", "1256994", "30", "1", "2021"}
    assert numbers_in("about 13,500 workers, 1,256,994 members") == {"13500", "1256994"}


FRENCH_ANSWERS = [
    ("02-employment", "q12", "le groupe Mondragón", True),
    ("02-employment", "q12", "  Groupe Mondragon. ", True),
    ("02-employment", "q12", "la Corporation Mondragón", True),
    ("02-employment", "q12", "Mondragon Corporation", True),
    ("02-employment", "q12", "Fagor", False),
    ("03-social-protection", "q11", "programme STEP du BIT", True),
    ("03-social-protection", "q11", "le programme STEP de l'OIT", True),
    ("03-social-protection", "q11", "STEP", True),
    ("03-social-protection", "q11", "SASRA", False),
    ("04-social-dialogue", "q8", "Ela Bhatt", True),
    ("05-rights-at-work", "q12", "Cerámica Zanón", True),
    ("05-rights-at-work", "q12", "l'usine Zanon", True),
    ("05-rights-at-work", "q12", "Chilavert", False),
]


@pytest.mark.parametrize("slug, qid, answer, right", FRENCH_ANSWERS)
def test_french_text_answers_are_graded_as_a_french_learner_writes_them(slug, qid, answer, right):
    from sse_academy_xblock.quiz.grading import grade_question
    from sse_academy_xblock.quiz.olx import parse_quiz

    path = CURRICULUM / slug / "module.fr.xml"
    if not path.is_file():
        pytest.fail(f"{slug} has no French version")
    question = next(q for q in parse_quiz(parse_string(path.read_bytes()).find("sse_quiz"))[1] if q.id == qid)
    result = grade_question(question, answer)
    assert (result.earned == result.possible) is right, (slug, qid, answer)


SPANISH_ANSWERS = [
    ("02-employment", "q12", "el grupo Mondragón", True),
    ("02-employment", "q12", "  Grupo Mondragon. ", True),
    ("02-employment", "q12", "la Corporación Mondragón", True),
    ("02-employment", "q12", "Mondragón Corporación Cooperativa", True),
    ("02-employment", "q12", "Mondragon Corporation", True),
    ("02-employment", "q12", "Fagor", False),
    ("03-social-protection", "q11", "el programa STEP de la OIT", True),
    ("03-social-protection", "q11", "Programa STEP", True),
    ("03-social-protection", "q11", "STEP", True),
    ("03-social-protection", "q11", "SASRA", False),
    ("04-social-dialogue", "q8", "Ela Bhatt", True),
    ("04-social-dialogue", "q8", "SEWA", False),
    ("05-rights-at-work", "q12", "Cerámica Zanón", True),
    ("05-rights-at-work", "q12", "la fábrica Zanón", True),
    ("05-rights-at-work", "q12", "la fabrica Zanon", True),
    ("05-rights-at-work", "q12", "Zanon", True),
    ("05-rights-at-work", "q12", "Chilavert", False),
]


@pytest.mark.parametrize("slug, qid, answer, right", SPANISH_ANSWERS)
def test_spanish_text_answers_are_graded_as_a_spanish_speaking_learner_writes_them(slug, qid, answer, right):
    from sse_academy_xblock.quiz.grading import grade_question
    from sse_academy_xblock.quiz.olx import parse_quiz

    path = CURRICULUM / slug / "module.es.xml"
    if not path.is_file():
        pytest.fail(f"{slug} has no Spanish version")
    question = next(q for q in parse_quiz(parse_string(path.read_bytes()).find("sse_quiz"))[1] if q.id == qid)
    result = grade_question(question, answer)
    assert (result.earned == result.possible) is right, (slug, qid, answer)
