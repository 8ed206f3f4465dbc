"""The assessment design of the shipped curriculum, as a trainer would check it.

- At least 40% of each quiz applies knowledge to a short situation (listed in ``SCENARIOS``).
- True/false keys are 40-60% true in each module, so that guessing "true" does not pay.
- Each case study gives peers 300-500 words of dated facts to check a response against.
- Each rubric has one criterion per numbered task of its prompt, plus one on evidence; a blank scores
  0 on every criterion, an attempt with an error 1, then partial and full answers; ``min_words`` grows
  with the number of tasks.
- The claims flagged by the subject-matter review stay fixed.
- Text answers accept a closing full stop and the French and Spanish spellings of proper names.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sse_academy_xblock.olx import parse_string
from sse_academy_xblock.peer.rubric import rubric_from_xml
from sse_academy_xblock.quiz.grading import grade_question
from sse_academy_xblock.quiz.olx import parse_quiz

CURRICULUM = Path(__file__).resolve().parents[2] / "sse_academy_xblock" / "curriculum"
SLUGS = ("01-sse-and-the-academy", "02-employment", "03-social-protection", "04-social-dialogue", "05-rights-at-work")

# Application questions, counted strictly: the question gives facts (a cooperative, a mutual, a union, a
# policy choice, a figure) and the learner applies a concept to them. A recall question set in a scenario
# ("a report says X: which instrument is it?") is not one.
SCENARIOS = {
    "01-sse-and-the-academy": {"q1", "q2", "q4", "q5", "q6", "q7", "q8"},
    "02-employment": {"q1", "q3", "q5", "q7", "q10", "q13", "q14"},
    "03-social-protection": {"q1", "q4", "q5", "q8", "q10", "q13"},
    "04-social-dialogue": {"q1", "q6", "q11", "q12", "q13", "q14", "q15"},
    "05-rights-at-work": {"q1", "q6", "q7", "q8", "q10", "q11"},
}
TASK_LEVELS = ("Not answered", "Answered with an error", "Partly done", "Done")
EVIDENCE_LEVELS = ("No facts used", "Facts used with faults", "Facts used and supported")
RECALL_OPENINGS = re.compile(r"^(in which year|in which city|how many|who |what is the name|name the|complete the)", re.I)
TASK_MARK = re.compile(r"\((\d)\)")
WORDS_PER_TASK = 100

# Claims the subject-matter review flagged (module, text that must not come back).
FLAGGED = [
    ("05-rights-at-work", "more than 200"),
    ("05-rights-at-work", "9,500"),
    ("05-rights-at-work", "still has to provide"),
    ("05-rights-at-work", "freedom of association also lies close to the roots"),
    ("04-social-dialogue", "chile"),
    ("04-social-dialogue", "<strong>tripartism</strong> is the ilo's own structure"),
    ("04-social-dialogue", "led by"),
    ("02-employment", "with sasra as their regulator"),
    ("02-employment", "early 2020s"),
    ("02-employment", "other saccos are registered under the co-operative societies act"),
    ("01-sse-and-the-academy", "other saccos are registered under the co-operative societies act"),
    ("01-sse-and-the-academy", "with sasra as their regulator"),
    ("03-social-protection", "it must accept at least three of them.</p>"),
]
# What the fixed texts must now say (module, text).
REQUIRED = [
    ("05-rights-at-work", "about 311, with about 13,500 workers, at the end of 2013"),
    ("05-rights-at-work", "paragraph 8(1)(b)"),
    ("05-rights-at-work", "obligation arising from the very fact of membership"),
    ("05-rights-at-work", "not cooperatives, associations or mutual societies as such"),
    ("04-social-dialogue", "<strong>tripartism</strong> means that governments, employers' organisations and workers' organisations shape labour and social policy together"),
    ("04-social-dialogue", "self-employed workers"),
    ("04-social-dialogue", "17 members (un entities and the oecd) and 13 observers"),
    ("04-social-dialogue", "bipartite dialogue"),
    ("04-social-dialogue", "are not tripartite instruments"),
    ("04-social-dialogue", "home work convention, 1996 (no. 177)"),
    ("03-social-protection", "at least one of those three must be unemployment, old-age, employment injury, invalidity"),
    ("03-social-protection", "overall and primary responsibility of the state"),
    ("03-social-protection", "labour protection, the protection of people in the work they do"),
    ("02-employment", "the sacco societies regulatory authority"),
    ("02-employment", "registered under the co-operative societies act"),
    ("01-sse-and-the-academy", "registered under the co-operative societies act"),
]
# Text questions whose key is a proper name: the spellings of the other ILO working languages.
OTHER_SPELLINGS = {
    ("02-employment", "q12"): {"Mondragón", "groupe Mondragon", "grupo Mondragón"},
    ("03-social-protection", "q11"): {"programme STEP", "programa STEP"},
    ("05-rights-at-work", "q12"): {"Zanón", "Zanon"},
}


def load(slug):
    return parse_string((CURRICULUM / slug / "module.xml").read_bytes())


def raw(slug):
    return " ".join((CURRICULUM / slug / "module.xml").read_text(encoding="utf-8").casefold().split())


def words(node):
    return len(" ".join(node.itertext()).split())


def questions(slug):
    return parse_quiz(load(slug).find("sse_quiz"))[1]


@pytest.mark.parametrize("slug", SLUGS)
def test_at_least_two_fifths_of_each_quiz_are_situations(slug):
    by_id = {q.id: q for q in questions(slug)}
    assert SCENARIOS[slug] <= set(by_id), f"{slug}: unknown ids {SCENARIOS[slug] - set(by_id)}"
    assert len(SCENARIOS[slug]) / len(by_id) >= 0.4, f"{slug}: {len(SCENARIOS[slug])} of {len(by_id)}"
    for qid in SCENARIOS[slug]:
        prompt = " ".join(re.sub(r"<[^>]+>", " ", by_id[qid].prompt).split())
        assert by_id[qid].type in ("single", "multiple"), f"{slug} {qid}: a situation asks for a judgement"
        assert len(prompt.split()) >= 20, f"{slug} {qid}: too short to describe a situation"
        assert not RECALL_OPENINGS.match(prompt), f"{slug} {qid}: recall question listed as a situation"


@pytest.mark.parametrize("slug", SLUGS)
def test_true_false_keys_are_balanced(slug):
    keys = [q.answer for q in questions(slug) if q.type == "truefalse"]
    assert keys, f"{slug}: no true/false question"
    share = sum(1 for k in keys if k) / len(keys)
    assert 0.4 <= share <= 0.6, f"{slug}: {share:.0%} of true/false keys are true"


@pytest.mark.parametrize("slug", SLUGS)
def test_case_text_gives_peers_enough_dated_facts(slug):
    case = load(slug).find("sse_case_study/case")
    assert 300 <= words(case) <= 500, f"{slug}: the case has {words(case)} words"
    years = set(re.findall(r"\b(?:19|20)\d\d\b", " ".join(case.itertext())))
    assert len(years) >= 3, f"{slug}: the case dates too few facts ({sorted(years)})"


@pytest.mark.parametrize("slug", SLUGS)
def test_rubric_has_one_criterion_per_task_and_words_in_proportion(slug):
    study = load(slug).find("sse_case_study")
    prompt = " ".join(study.find("prompt").itertext())
    tasks = [int(n) for n in TASK_MARK.findall(prompt)]
    assert tasks == list(range(1, len(tasks) + 1)) and len(tasks) >= 2, f"{slug}: tasks numbered {tasks}"
    criteria = rubric_from_xml(study.find("rubric")).criteria
    task_criteria = [c for c in criteria if c.name != "evidence"]
    assert [c.label.split(":")[0] for c in task_criteria] == [f"Part {n}" for n in tasks], slug
    assert len(criteria) == len(tasks) + 1 and criteria[-1].name == "evidence", slug
    assert int(study.get("min_words")) >= WORDS_PER_TASK * len(tasks), f"{slug}: min_words too low for {len(tasks)} tasks"


@pytest.mark.parametrize("slug", SLUGS)
def test_rubric_levels_score_a_blank_0_and_an_attempt_with_an_error_above_it(slug):
    """Levels in rising order: nothing (or no reasoning) 0, an attempt with an error 1, then partial and full.

    A blank can never outscore an attempt, and no level above 0 is reachable without reasoning.
    """
    for criterion in rubric_from_xml(load(slug).find("sse_case_study/rubric")).criteria:
        where = f"{slug} {criterion.name}"
        options = list(criterion.options)
        assert [o.points for o in options] == list(range(len(options))), f"{where}: levels must be 0, 1, 2..."
        assert len({o.label for o in options}) == len(options), f"{where}: two levels share a label"
        assert len({o.explanation for o in options}) == len(options), f"{where}: two levels share a description"
        labels = [o.label for o in options]
        if criterion.name == "evidence":
            assert labels == list(EVIDENCE_LEVELS), f"{where}: {labels}"
            assert "contradicts" in options[1].explanation.casefold(), where
            continue
        assert labels == list(TASK_LEVELS), f"{where}: {labels}"
        assert "misstates" in options[1].explanation or "contradicts" in options[1].explanation, (
            f"{where}: the error level must name the error"
        )


@pytest.mark.parametrize("slug, text", FLAGGED)
def test_flagged_claims_stay_out(slug, text):
    assert text not in raw(slug)


@pytest.mark.parametrize("slug, text", REQUIRED)
def test_corrected_statements_are_there(slug, text):
    assert text in raw(slug)


def test_orientation_module_spreads_its_points_over_the_four_dimensions():
    """Module 01 no longer counts the Academy's history or the ICA's founding year towards a dimension."""
    qs = questions("01-sse-and-the-academy")
    assert {q.dimension for q in qs} == {"employment", "social_protection", "social_dialogue", "rights_at_work"}
    for q in qs:
        prompt = q.prompt.casefold()
        assert "academy" not in prompt and "1895" not in prompt and "founded" not in prompt, q.id


def _text_questions():
    for slug in SLUGS:
        for q in questions(slug):
            if q.type == "text":
                yield slug, q


@pytest.mark.parametrize("slug, question", list(_text_questions()), ids=lambda v: getattr(v, "id", v))
def test_text_answers_accept_a_closing_full_stop(slug, question):
    for accepted in question.accepted:
        assert grade_question(question, accepted + ".").status == "correct", (slug, question.id, accepted)
    assert grade_question(question, "x" + question.accepted[0]).status == "incorrect"


@pytest.mark.parametrize("key, spellings", OTHER_SPELLINGS.items())
def test_proper_names_accept_french_and_spanish_spellings(key, spellings):
    slug, qid = key
    question = next(q for q in questions(slug) if q.id == qid)
    for spelling in spellings:
        assert grade_question(question, spelling).status == "correct", (key, spelling)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_longest_choice_is_not_a_clue_to_the_key(slug):
    """A learner who always picks the longest choice of a single-choice question gets at most half right."""
    singles = [q for q in questions(slug) if q.type == "single"]
    key_is_longest = [
        q.id for q in singles
        if all(len(c.text) < len(k.text) for k in q.choices if k.correct for c in q.choices if not c.correct)
    ]
    assert len(key_is_longest) <= len(singles) / 2, f"{slug}: the key is the longest choice in {key_is_longest}"


def test_the_orientation_case_is_left_out_of_the_profile_and_no_dimension_dominates():
    """Module 01's case assesses the definition and the principles, not employment: it counts in the course
    grade but not in the Decent Work profile, so that no dimension holds more than 30% of the profile."""
    assert load("01-sse-and-the-academy").find("sse_case_study").get("in_profile") == "false"
    points: dict[str, float] = {}
    for slug in SLUGS:
        for q in questions(slug):
            points[q.dimension] = points.get(q.dimension, 0) + q.points
        study = load(slug).find("sse_case_study")
        if study.get("in_profile") != "false":
            best = rubric_from_xml(study.find("rubric")).max_points
            points[study.get("dimension")] = points.get(study.get("dimension"), 0) + best
    total = sum(points.values())
    assert set(points) == {"employment", "social_protection", "social_dialogue", "rights_at_work"}
    assert max(points.values()) / total <= 0.30, {d: round(p / total, 2) for d, p in points.items()}
