"""The five shipped modules load as workbench pages of native parts, and each quiz's answer key holds.

The answer key is checked through the quiz block itself: a learner who answers exactly what the key
says gets full marks, and the section profile of the module's page then shows those points on the
right dimensions.
"""

from __future__ import annotations

from html import unescape

import pytest
from lxml import etree

from sse_academy_xblock.blocks.profile import SSEProfileBlock
from sse_academy_xblock.curriculum import loader, source
from sse_academy_xblock.dimensions import DIMENSION_IDS
from sse_academy_xblock.olx import parse_string

MODULES = loader.modules()
# Every module in every language the whole curriculum is written in (English first).
VERSIONS = [m for language in loader.languages() for m in loader.modules(language)]


def module_ids():
    return [m.slug for m in MODULES]


def version_ids():
    return [f"{m.slug}:{m.language}" for m in VERSIONS]


def key_answers(question) -> object:
    """What the answer key says a learner should send for one question."""
    if question.type == "single":
        correct = question.correct_choice_ids()
        assert len(correct) == 1, f"{question.id}: {len(correct)} correct choices"
        return correct[0]
    if question.type == "multiple":
        assert question.correct_choice_ids(), f"{question.id}: no correct choice"
        return question.correct_choice_ids()
    if question.type == "truefalse":
        assert isinstance(question.answer, bool), f"{question.id}: no answer"
        return "true" if question.answer else "false"
    if question.type == "numeric":
        assert question.answer is not None, f"{question.id}: no answer"
        return repr(question.answer)
    if question.type == "text":
        assert [a for a in question.accepted if a.strip()], f"{question.id}: no accepted answer"
        return question.accepted[0]
    raise AssertionError(f"{question.id}: unknown type {question.type}")


def test_five_modules_ship_in_course_order():
    assert [m.number for m in MODULES] == [1, 2, 3, 4, 5]
    assert len({m.title for m in MODULES}) == 5


@pytest.mark.parametrize("module", VERSIONS, ids=version_ids())
def test_the_module_source_reads_with_the_source_parser(module):
    content, children = source.read(parse_string(module.xml))
    assert 3 <= len(content.objectives) <= 6 and content.intro
    assert content.estimated_time and content.dimension in DIMENSION_IDS
    assert [c.tag for c in children] == ["sse_quiz", "sse_case_study"]


def page_blocks(page):
    return [page.runtime.get_block(child) for child in page.children]


@pytest.mark.parametrize("module", VERSIONS, ids=version_ids())
def test_every_module_is_one_workbench_page_of_its_components_in_order(make_block, module):
    page = make_block(etree.tostring(loader.module_page(module), encoding="unicode"))
    assert page.scope_ids.block_type == "vertical_demo"
    assert [b.scope_ids.block_type for b in page_blocks(page)] == [
        "html_demo", "sse_quiz", "sse_case_study", "sse_profile"]
    html = unescape(page.render("student_view", {}).body_html())
    assert module.title in html and loader.Gettext(module.language).gettext(loader.LEARNING_OBJECTIVES) in html
    profile = page_blocks(page)[-1]
    assert profile.scope == "section"
    for block in page_blocks(page)[1:]:
        assert not [m for m in block.validate().messages if m.type == "error"], block.validate().to_json()


@pytest.mark.parametrize("module", VERSIONS, ids=version_ids())
def test_each_quiz_answer_key_is_consistent_and_earns_full_marks(make_block, call, module):
    page = make_block(etree.tostring(loader.module_page(module), encoding="unicode"), user="key_reader")
    quiz = next(b for b in page_blocks(page) if b.scope_ids.block_type == "sse_quiz")
    profile = next(b for b in page_blocks(page) if isinstance(b, SSEProfileBlock))
    questions = quiz.question_list()
    assert len(questions) >= 8
    ids = [q.id for q in questions]
    assert len(ids) == len(set(ids)), f"duplicate question ids in {module.slug}"
    for question in questions:
        choice_ids = [c.id for c in question.choices]
        assert len(choice_ids) == len(set(choice_ids)), f"{module.slug} {question.id}: duplicate choice ids"
    answers = {q.id: key_answers(q) for q in questions}

    status, reply = call(quiz, "submit", {"answers": answers, "attempt": 1})
    assert status == 200, reply
    assert quiz.raw_earned == quiz.raw_possible == quiz.max_score() > 0

    learner = profile.learner_profile(profile.scope_index())
    possible = quiz.possible_by_dimension()
    for line in learner.lines:
        assert line.earned == possible.get(line.dimension, 0), line
    # The case study is not attempted: its points are possible, not earned.
    case = next(b for b in page_blocks(page) if b.scope_ids.block_type == "sse_case_study")
    assert learner.possible == pytest.approx(sum(possible.values()) + sum(case.possible_by_dimension().values()))


def test_the_whole_course_page_holds_every_module_then_the_course_profile(make_block):
    titles = [title for title, _xml in loader.workbench_scenarios()]
    # Per language: the modules, then the whole course.
    assert titles[len(MODULES)] == loader.WHOLE_COURSE_TITLE
    assert len(titles) == (len(MODULES) + 1) * len(loader.languages())
    page = make_block(etree.tostring(loader.whole_course_page(MODULES), encoding="unicode"))
    parts = page_blocks(page)
    assert [b.scope_ids.block_type for b in parts] == ["vertical_demo"] * len(MODULES) + ["sse_profile"]
    course_profile = parts[-1]
    assert course_profile.scope == "course"
    index = course_profile.scope_index()
    # Every module's quiz and case study, and nothing else.
    assert len(index.usage_ids) == len(set(index.usage_ids)) == 2 * len(MODULES)
    section_profile = page_blocks(parts[1])[-1]
    assert len(section_profile.scope_index().usage_ids) == 2


def test_each_module_has_a_workbench_page_in_each_language_and_lang_leads_from_one_to_the_other():
    titles = [title for title, _xml in loader.workbench_scenarios()]
    assert "2. Employment through the lens of the SSE" in titles
    assert "2. L'emploi vu par l'ESS [fr]" in titles
    assert "Le cours entier : tous les modules et votre profil du cours [fr]" in titles
    assert loader.page_in_language("2. Employment through the lens of the SSE", "fr") == "2. L'emploi vu par l'ESS [fr]"
    assert loader.page_in_language("2. L'emploi vu par l'ESS [fr]", "en") == "2. Employment through the lens of the SSE"
    assert loader.page_in_language(loader.WHOLE_COURSE_TITLE, "fr") == loader.whole_course_title("fr")
    assert "2. El empleo desde la perspectiva de la ESS [es]" in titles
    assert loader.page_in_language("2. Employment through the lens of the SSE", "es") == (
        "2. El empleo desde la perspectiva de la ESS [es]")
    assert loader.page_in_language("2. L'emploi vu par l'ESS [fr]", "es") == "2. El empleo desde la perspectiva de la ESS [es]"
    assert loader.page_in_language("2. El empleo desde la perspectiva de la ESS [es]", "en") == (
        "2. Employment through the lens of the SSE")
    assert loader.page_in_language(loader.WHOLE_COURSE_TITLE, "es") == loader.whole_course_title("es")
    # The pages that existed before keep their place (and so their scenario ids): English, then French, then Spanish.
    assert titles.index("2. Employment through the lens of the SSE") < titles.index("2. L'emploi vu par l'ESS [fr]") < (
        titles.index("2. El empleo desde la perspectiva de la ESS [es]"))
    # A page that is no module page, or a language the curriculum lacks, leads nowhere.
    assert loader.page_in_language("Quiz with two attempts", "fr") is None
    assert loader.page_in_language("2. Employment through the lens of the SSE", "de") is None


def test_a_french_page_shows_the_module_and_the_headings_in_french(make_block):
    module = next(m for m in loader.modules("fr") if m.number == 3)
    page = make_block(etree.tostring(loader.module_page(module), encoding="unicode"))
    html = unescape(page.render("student_view", {}).body_html())
    assert "3. La protection sociale vue par l'ESS" in html
    assert "Objectifs d'apprentissage" in html and "Durée estimée : 3 heures" in html
    assert "Learning objectives" not in html


def test_a_spanish_page_shows_the_module_and_the_headings_in_spanish(make_block):
    module = next(m for m in loader.modules("es") if m.number == 3)
    page = make_block(etree.tostring(loader.module_page(module), encoding="unicode"))
    html = unescape(page.render("student_view", {}).body_html())
    assert "3. La protección social desde la perspectiva de la ESS" in html
    assert "Objetivos de aprendizaje" in html and "Duración estimada: 3 horas" in html
    assert "Learning objectives" not in html and "Objectifs d'apprentissage" not in html


def test_lms_content_blocks_become_workbench_text_blocks(make_block):
    xml = """<sse_module display_name="M" dimension="employment">
      <html display_name="Reading"><p>Costs US$ 5 per <strong>member</strong>.</p> Tail $x.</html>
      <video display_name="Interview with a cooperative" youtube_id_1_0="abc"/>
    </sse_module>"""
    page = loader.module_page(loader.ShippedModule(9, "09-test", xml))
    assert [child.tag for child in page] == ["html_demo", "html_demo", "html_demo", "sse_profile"]
    html = make_block(etree.tostring(page, encoding="unicode")).render("student_view", {}).body_html()
    assert "Costs US$ 5 per <strong>member</strong>." in html and "Tail $x." in html
    assert "Interview with a cooperative (the video plays in the Open edX LMS)." in html


def test_a_scenario_using_an_uninstalled_block_is_left_out_not_fatal(caplog, monkeypatch):
    broken = loader.ShippedModule(8, "08-broken", '<sse_module display_name="X"><sse_quiz/></sse_module>')
    monkeypatch.setattr(loader, "modules", lambda language="en": [broken] if language == "en" else [])
    original = loader.module_page

    def with_missing(module):
        page = original(module)
        page.append(etree.Element("sse_quiz_v9"))
        return page

    monkeypatch.setattr(loader, "module_page", with_missing)
    titles = [title for title, _xml in loader.workbench_scenarios()]
    assert "8. X" not in titles
    assert "sse_quiz_v9" in caplog.text
