"""Nothing published broken, seen by a Spanish author in the editors.

A quiz question with an empty prompt was saved with a warning in the same red as a failed save; a
criterion's "Delete" removed it and its options at once, with no undo and the focus lost; the quiz
question's Up/Down/Delete sat under "Explanation" and read as belonging to it.

Scenarios: ``sse_quiz.0`` (two questions: a single choice with choices a, b, c; a true or false),
``sse_case_study.1`` (two criteria), as authored: the module runs on a workbench server of its own, so
what other modules' editors saved is not here; saves that go through are still undone at the end.
"""

import pytest

from workbench_server import serve_workbench

pytestmark = pytest.mark.browser

QUIZ = "sse_quiz.0"
CASE = "sse_case_study.1"


@pytest.fixture(scope="module")
def workbench_url():
    """This module's own workbench, on a fresh database: the scenarios as their files author them."""
    with serve_workbench("--nothreading") as bench:
        yield bench.url


def test_a_spanish_author_cannot_save_an_empty_prompt_and_tells_warnings_from_errors(workbench_url, page):
    from playwright.sync_api import expect

    page.goto(f"{workbench_url}/scenario/{QUIZ}/studio_view/?student=staff&lang=es")
    editor = page.locator(".sse-quiz-studio").first
    questions = editor.locator('[data-role="questions"] > li')
    expect(questions).to_have_count(2)
    second = questions.nth(1)
    second.get_by_label("Enunciado", exact=True).fill("")
    editor.get_by_role("button", name="Guardar").click()
    errors = editor.locator('[data-role="errors"]')
    expect(errors).to_contain_text("Pregunta 2: el enunciado está vacío.")
    expect(errors.locator("p").first).to_have_text("El cuestionario no se guardó. Corrija estos campos:")
    expect(errors).not_to_have_class("sse-errors sse-warning-box")
    icon = errors.locator("p").first.evaluate("p => getComputedStyle(p, '::before').content")
    assert "✖" in icon
    page.goto(f"{workbench_url}/scenario/{QUIZ}/?student=es_reader&lang=es")
    expect(page.locator(".sse-quiz").first).to_contain_text("The ILO is the only UN specialised agency")  # not saved

    # a save with a warning only (a choice id that gives the answer away) is saved, and looks different
    page.goto(f"{workbench_url}/scenario/{QUIZ}/studio_view/?student=staff&lang=es")
    editor = page.locator(".sse-quiz-studio").first
    first_choice_id = editor.locator('[data-role="questions"] > li').first.locator("ol > li").first.get_by_label("Id")
    first_choice_id.fill("correct")
    editor.get_by_role("button", name="Guardar").click()
    errors = editor.locator('[data-role="errors"]')
    expect(errors.locator("p").first).to_have_text("Guardado, con advertencias:")
    expect(errors).to_have_class("sse-errors sse-warning-box")
    icon = errors.locator("p").first.evaluate("p => getComputedStyle(p, '::before').content")
    assert "⚠" in icon
    assert errors.evaluate("e => getComputedStyle(e).borderTopStyle") == "dashed"
    first_choice_id.fill("a")
    editor.get_by_role("button", name="Guardar").click()
    expect(errors).to_be_empty()
    assert page.js_errors == []


def test_a_spanish_author_undoes_a_deleted_question_and_finds_its_tools_under_its_heading(workbench_url, page):
    from playwright.sync_api import expect

    page.goto(f"{workbench_url}/scenario/{QUIZ}/studio_view/?student=staff&lang=es")
    editor = page.locator(".sse-quiz-studio").first
    questions = editor.locator('[data-role="questions"] > li[data-q]')
    first = questions.first
    # Up / Down / Delete come right under the question's heading, above its fields, not under "Explanation"
    delete = first.get_by_role("button", name="Eliminar la pregunta 1")
    legend = first.locator("legend").first
    explanation = first.get_by_label("Explicación mostrada con la respuesta")
    assert legend.bounding_box()["y"] < delete.bounding_box()["y"] < first.get_by_label("Id").first.bounding_box()["y"]
    assert delete.bounding_box()["y"] < explanation.bounding_box()["y"]
    delete.click()
    expect(questions).to_have_count(1)
    undo = editor.get_by_role("button", name="Deshacer: restaurar la pregunta 1")
    expect(undo).to_be_focused()
    expect(editor.locator('[data-role="undo"]')).to_contain_text("Pregunta 1 eliminada.")
    undo.click()
    expect(questions).to_have_count(2)
    expect(questions.first.get_by_label("Id").first).to_have_value("q1")
    expect(questions.first.get_by_label("Id").first).to_be_focused()
    # a choice too
    questions.first.get_by_role("button", name="Eliminar la opción 2 de la pregunta 1").click()
    expect(questions.first.locator("ol > li[data-c]")).to_have_count(2)
    editor.get_by_role("button", name="Deshacer: restaurar la opción 2 de la pregunta 1").click()
    expect(questions.first.locator("ol > li[data-c]")).to_have_count(3)
    expect(questions.first.locator('[data-c="1"]').get_by_label("Id")).to_have_value("b")
    # moving keeps the focus on the question's button at its new place
    questions.nth(1).get_by_role("button", name="Subir la pregunta 2").click()
    expect(questions.first.get_by_role("button", name="Bajar la pregunta 1")).to_be_focused()
    assert page.js_errors == []


def test_a_spanish_author_undoes_a_deleted_criterion(workbench_url, page):
    from playwright.sync_api import expect

    page.goto(f"{workbench_url}/scenario/{CASE}/studio_view/?student=staff&lang=es")
    editor = page.locator(".sse-cs-studio").first
    criteria = editor.locator('[data-role="criteria"] > li[data-criterion-index]')
    expect(criteria).to_have_count(2)
    label = criteria.first.get_by_label("Etiqueta", exact=True).first.input_value()
    options = criteria.first.locator("fieldset.sse-cs-option-row").count()
    criteria.first.get_by_role("button", name="Criterio 1: Eliminar").click()
    expect(criteria).to_have_count(1)
    undo = editor.get_by_role("button", name="Deshacer: restaurar el criterio 1")
    expect(undo).to_be_focused()
    expect(editor.locator('[data-role="undo"]')).to_contain_text("Criterio 1 eliminado, con sus opciones.")
    undo.click()
    expect(criteria).to_have_count(2)
    expect(criteria.first.get_by_label("Etiqueta", exact=True).first).to_have_value(label)
    expect(criteria.first.locator("fieldset.sse-cs-option-row")).to_have_count(options)
    expect(criteria.first.get_by_label("Nombre corto (letras, dígitos, - _ .)")).to_be_focused()
    # an option, and a move that keeps the focus
    criteria.first.locator("fieldset.sse-cs-option-row").first.get_by_role("button", name="Opción 1: Eliminar").click()
    expect(editor.get_by_role("button", name="Deshacer: restaurar la opción 1 del criterio 1")).to_be_focused()
    editor.get_by_role("button", name="Deshacer: restaurar la opción 1 del criterio 1").click()
    expect(criteria.first.locator("fieldset.sse-cs-option-row")).to_have_count(options)
    criteria.first.get_by_role("button", name="Criterio 1: Bajar").click()
    expect(criteria.nth(1).get_by_role("button", name="Criterio 2: Bajar")).to_be_focused()
    assert page.js_errors == []


# Every select's widest option, measured in its own font, against the room the select gives it (the arrow
# takes about 28 px): a label that does not fit is cut.
CUT_SELECTS = """() => Array.from(document.querySelectorAll('.sse-block select')).filter(s => s.offsetParent).map(s => {
    const font = getComputedStyle(s).font;
    const widest = Math.max(...Array.from(s.options).map(o => {
        const span = document.createElement('span');
        span.style.font = font; span.style.whiteSpace = 'pre'; span.style.position = 'absolute';
        span.textContent = o.text; document.body.appendChild(span);
        const width = span.offsetWidth; span.remove(); return width; }));
    return [s.id, widest, s.clientWidth]; }).filter(x => x[1] + 28 > x[2])"""


@pytest.mark.parametrize("path", [f"{QUIZ}/studio_view", f"{CASE}/studio_view"])
def test_no_dropdown_label_is_cut_at_1280_px_in_spanish(workbench_url, page, path):
    """The Spanish options of "Show the answers" and the waiting rule were cut at 1280 px: sentences are radio
    buttons now, and dropdowns take the editor's width."""
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{workbench_url}/scenario/{path}/?student=staff&lang=es")
    expect(page.locator(".sse-block").first).to_be_visible()
    assert page.evaluate(CUT_SELECTS) == []
    if path.startswith(QUIZ):
        group = page.get_by_role("group", name="Mostrar las respuestas y las explicaciones")
        expect(group.get_by_role("radio")).not_to_have_count(0)
    page.set_viewport_size({"width": 320, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.js_errors == []


# The options of one select that would be cut if chosen: each option's text, measured in the select's font,
# against the room the select gives its chosen label (the arrow takes about 28 px).
CUT_OPTIONS = """s => { const font = getComputedStyle(s).font;
    return Array.from(s.options).filter(o => {
        const span = document.createElement('span');
        span.style.font = font; span.style.whiteSpace = 'pre'; span.style.position = 'absolute';
        span.textContent = o.text; document.body.appendChild(span);
        const width = span.offsetWidth; span.remove(); return width + 28 > s.clientWidth; }).map(o => o.text); }"""

PHONE_LABELS = {
    "en": {"type": "Type", "dimension": "Dimension", "pool": "Pool", "filter": "Show"},
    "es": {"type": "Tipo", "dimension": "Dimensión", "pool": "Grupo", "filter": "Mostrar"},
    "fr": {"type": "Type", "dimension": "Dimension", "pool": "Groupe", "filter": "Afficher"},
}


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_no_dropdown_label_is_cut_on_a_320_px_phone(workbench_url, page, lang):
    """At 320 px the Spanish and French question types ("Opción múltiple (seleccionar todas las que
    correspondan)"), "La dimensión del cuestionario", the pool's "none" and the staff list's statuses ("Cola
    del equipo docente: esperó demasiado") were cut: whichever option is chosen, its label shows whole."""
    from playwright.sync_api import expect

    names = PHONE_LABELS[lang]
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto(f"{workbench_url}/scenario/{QUIZ}/studio_view/?student=staff&lang={lang}")
    question = page.locator('.sse-quiz-studio [data-role="questions"] > li[data-q]').first
    expect(question).to_be_visible()
    cut = {}
    for name in ("type", "dimension", "pool"):
        select = question.get_by_label(names[name], exact=True)
        expect(select).to_have_count(1)
        cut[name] = select.evaluate(CUT_OPTIONS)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    page.goto(f"{workbench_url}/scenario/{CASE}/?student=staff&lang={lang}")
    status = page.locator('.sse-case-study [data-role="staff"]').first.get_by_label(names["filter"], exact=True)
    expect(status).to_be_visible()
    assert len(status.locator("option").all_text_contents()) > 5
    cut["filter"] = status.evaluate(CUT_OPTIONS)
    assert cut == {"type": [], "dimension": [], "pool": [], "filter": []}
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.js_errors == []


def test_a_spanish_author_adds_a_practice_example_and_deletes_it_with_an_undo(workbench_url, page):
    from playwright.sync_api import expect

    page.goto(f"{workbench_url}/scenario/{CASE}/studio_view/?student=staff&lang=es")
    editor = page.locator(".sse-cs-studio").first
    examples = editor.locator('[data-role="examples"] > li[data-example-index]')
    expect(examples).to_have_count(0)
    editor.get_by_role("button", name="Añadir un ejemplo de práctica").click()
    expect(examples).to_have_count(1)
    example = examples.first
    response = example.get_by_label("La respuesta del ejemplo (texto sin formato; una línea vacía entre párrafos)")
    expect(response).to_be_focused()
    response.fill("Una respuesta de ejemplo.")
    references = example.locator("select")
    expect(references).to_have_count(2)  # one per criterion, each labelled with it
    expect(example.get_by_label("Opción de referencia para", exact=False)).to_have_count(2)
    references.first.select_option(index=1)
    # A criterion left without its reference: refused, the message beside that dropdown.
    editor.get_by_role("button", name="Guardar").click()
    expect(references.nth(1)).to_have_attribute("aria-invalid", "true")
    expect(references.nth(1)).to_be_focused()
    expect(editor.locator('[data-role="errors"]')).to_contain_text("Ejemplo de práctica 1: elija la opción de referencia")
    references.nth(1).select_option(index=1)
    editor.get_by_role("button", name="Guardar").click()
    expect(editor.locator('[data-role="live"]')).to_have_text("Guardado.")

    # Deleted after a reload: the undo takes the focus where the example was, and puts it back.
    page.reload()
    editor = page.locator(".sse-cs-studio").first
    examples = editor.locator('[data-role="examples"] > li[data-example-index]')
    expect(examples).to_have_count(1)
    examples.first.get_by_role("button", name="Ejemplo de práctica 1: Eliminar").click()
    expect(examples).to_have_count(0)
    undo = editor.get_by_role("button", name="Deshacer: restaurar el ejemplo de práctica 1")
    expect(undo).to_be_focused()
    undo.press("Enter")
    expect(examples).to_have_count(1)
    expect(examples.first.locator("textarea").first).to_have_value("Una respuesta de ejemplo.")
    expect(examples.first.locator("input").first).to_be_focused()
    # Deleted for good: the case study is as the scenario authors it again.
    examples.first.get_by_role("button", name="Ejemplo de práctica 1: Eliminar").click()
    editor.get_by_role("button", name="Guardar").click()
    expect(editor.locator('[data-role="live"]')).to_have_text("Guardado.")
    page.reload()
    expect(page.locator('.sse-cs-studio [data-role="examples"] > li[data-example-index]')).to_have_count(0)
    assert page.js_errors == []
