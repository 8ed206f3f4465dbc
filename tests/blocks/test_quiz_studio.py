"""Authoring: the Studio editor's save, validate() warnings, and OLX through the runtime."""

import json
import re

import pytest
from lxml import etree

from sse_academy_xblock.olx import OLXError
from sse_academy_xblock.scenarios import load

QUIZ = load("sse_quiz")[1][1]          # every question type


def payload(block):
    return {**block.quiz_settings(), "pass_mark": "75", "weight": "2", "questions": [dict(q) for q in block.questions]}


def test_studio_view_renders_the_editor_with_the_key(make_block):
    block = make_block(QUIZ, user="staff")
    fragment = block.render("studio_view", {})
    html = fragment.body_html()
    assert "SSEQuizStudio" in html and 'data-role="questions"' in html
    init = json.loads(re.search(r'<script type="application/json" class="sse-init">(.*?)</script>', html, re.S).group(1))
    # the editor shows the author's text as markup, never HTML to type
    assert [q["id"] for q in init["questions"]] == [q["id"] for q in block.questions]
    assert all("<" not in q["prompt"] for q in init["questions"])
    assert {t["value"] for t in init["registry"]["types"]} == {
        "single", "multiple", "truefalse", "numeric", "text"}
    assert 'data-setting="pass_mark" value="70"' in html


def test_studio_submit_saves_everything(make_block, call):
    block = make_block(QUIZ, user="staff")
    body = payload(block)
    body["display_name"] = "Renamed"
    body["questions"] = list(reversed(body["questions"]))
    body["questions"][0]["accepted"] = ["Mondragon", "Arrasate-Mondragón"]
    status, data = call(block, "studio_submit", body)
    assert status == 200 and data["saved"] and data["warnings"] == []
    assert block.display_name == "Renamed" and block.pass_mark == 75 and block.weight == 2
    assert block.questions[0]["id"] == "basque"
    assert block.questions[0]["accepted"] == ["Mondragon", "Arrasate-Mondragón"]


def test_studio_submit_returns_every_error_and_changes_nothing(make_block, call):
    block = make_block(QUIZ, user="staff")
    before = (block.display_name, block.pass_mark, [dict(q) for q in block.questions])
    body = payload(block)
    body["display_name"] = ""
    body["pass_mark"] = "101"
    body["questions"][0]["choices"][1]["correct"] = True
    body["questions"][3]["answer"] = "not a number"
    status, data = call(block, "studio_submit", body)
    assert status == 400 and data["error"] == "The quiz was not saved."
    assert len(data["errors"]) == 4
    assert any(e.startswith("Question 1:") for e in data["errors"])
    assert any(e.startswith("Question 4:") for e in data["errors"])
    assert (block.display_name, block.pass_mark, block.questions) == before


def test_studio_submit_refuses_what_would_be_published_broken(make_block, call):
    """An empty prompt, no correct choice, a choice without text: refused (they were saved with a warning, and
    learners read "Question 2 (1 point)" above an empty box)."""
    block = make_block(QUIZ, user="staff")
    before = [dict(q) for q in block.questions]
    body = payload(block)
    body["questions"][1]["prompt"] = ""
    for choice in body["questions"][1]["choices"]:
        choice["correct"] = False
    body["questions"][1]["choices"][0]["text"] = " "
    status, data = call(block, "studio_submit", body)
    assert status == 400 and data["error"] == "The quiz was not saved."
    question_two = [e for e, f in zip(data["errors"], data["fields"]) if f == "question-2"]
    assert "Question 2: the prompt is empty." in question_two
    assert "Question 2: every choice needs a text." in question_two
    assert any("correct choice" in e for e in question_two)
    assert block.questions == before


def test_validate_tells_errors_from_warnings(make_block):
    block = make_block(QUIZ, user="staff")
    assert not block.validate().messages
    questions = [dict(q) for q in block.questions]
    questions[2] = {**questions[2], "id": questions[0]["id"], "prompt": ""}
    questions[1] = {**questions[1], "choices": [{**c, "correct": False} for c in questions[1]["choices"]]}
    block.questions = questions
    block.pass_mark = 120
    messages = {m.text: m.type for m in block.validate().messages}
    assert messages['Question 3: the id "employment-policy" is used by another question.'] == "warning"
    assert messages["Question 3: the prompt is empty."] == "error"
    assert any(text.startswith("Question 2: a ") and kind == "error" for text, kind in messages.items())
    assert messages["The pass mark must be a percentage from 0 to 100."] == "warning"


def test_export_then_import_gives_the_same_block(make_block):
    block = make_block(QUIZ, user="staff")
    node = etree.Element("root")
    block.add_xml_to_node(node)
    assert node.tag == "sse_quiz"
    again = make_block(etree.tostring(node, pretty_print=True).decode())
    assert again.quiz_settings() == block.quiz_settings()
    assert again.questions == block.questions


def test_import_of_invalid_olx_fails_with_the_line(make_block):
    with pytest.raises(OLXError, match=r"<question> \(line 3\)"):
        make_block('<sse_quiz>\n<question id="a" type="truefalse" answer="true"><prompt>A?</prompt></question>\n'
                   '<question id="b" type="single"><choice id="x">X</choice><choice id="y">Y</choice></question>'
                   "</sse_quiz>")


def test_a_learner_cannot_save_the_editor_in_the_workbench(make_block, call):
    block = make_block(QUIZ, user="student_1")
    before = [dict(q) for q in block.questions]
    body = payload(block)
    body["display_name"] = "Hijacked"
    status, data = call(block, "studio_submit", body)
    assert status == 403 and data["error"]
    assert block.display_name != "Hijacked" and block.questions == before


def test_author_text_cannot_end_the_init_script(make_block):
    block = make_block(QUIZ, user="staff")
    questions = [dict(q) for q in block.questions]
    questions[0]["prompt"] = "</script><script>window.__pwned = 1</script>"
    block.questions = questions
    html = block.render("studio_view", {}).body_html()
    assert "</script><script>window.__pwned" not in html
    init = json.loads(re.search(r'<script type="application/json" class="sse-init">(.*?)</script>', html, re.S).group(1))
    assert init["questions"][0]["prompt"] == questions[0]["prompt"]


def test_a_learner_opening_the_editor_in_the_workbench_does_not_get_the_key(make_block):
    """The workbench serves any view to anyone: a learner who opens the editor's address is told it is
    for staff, and receives none of the answer key."""
    block = make_block(QUIZ, user="student_1")
    fragment = block.render("studio_view", {})
    html = fragment.body_html() + "".join(r.data for r in fragment.resources if r.kind == "text")
    assert "Only course staff can do this." in html
    assert "Mondrag" not in html and '"correct": true' not in html and "1999" not in html


def test_the_editor_and_validate_warn_about_an_id_that_gives_the_answer_away(make_block, call):
    block = make_block(QUIZ, user="staff")
    body = payload(block)
    text_question = next(q for q in body["questions"] if q["type"] == "text")
    text_question["id"] = "mondragon"
    status, data = call(block, "studio_submit", body)
    assert status == 200 and data["saved"]
    assert any('"mondragon" gives the answer away' in w for w in data["warnings"]), data["warnings"]
    messages = [m.text for m in block.validate().messages]
    assert any('"mondragon" gives the answer away' in m for m in messages), messages


def test_the_editor_speaks_markup_and_the_learner_gets_sanitised_html(make_block, call):
    block = make_block(QUIZ, user="staff")
    data = payload(block)
    data["questions"][0]["prompt"] = "Read **this**:\n\n- one\n- *two*\n\n[ILO](https://www.ilo.org) <script>x</script>"
    status, reply = call(block, "studio_submit", data)
    assert status == 200, reply
    stored = block.questions[0]["prompt"]
    assert stored.startswith("<p>Read <strong>this</strong>:</p><ul><li>one</li><li><em>two</em></li></ul>")
    assert '<a href="https://www.ilo.org" rel="noopener noreferrer nofollow">ILO</a>' in stored
    assert "<script>" not in stored and "&lt;script&gt;" in stored
    html = block.render("studio_view", {}).body_html()
    init = json.loads(re.search(r'<script type="application/json" class="sse-init">(.*?)</script>', html, re.S).group(1))
    assert init["questions"][0]["prompt"] == ("Read **this**:\n\n- one\n- *two*\n\n"
                                              "[ILO](https://www.ilo.org) <script>x</script>")


def test_a_refused_save_names_the_field_of_each_error(make_block, call):
    block = make_block(QUIZ, user="staff")
    data = payload(block)
    data["pass_mark"] = "150"
    data["questions"][1]["points"] = "-3"
    status, reply = call(block, "studio_submit", data)
    assert status == 400
    assert len(reply["fields"]) == len(reply["errors"])
    assert dict(zip(reply["fields"], reply["errors"]))["pass_mark"].startswith("The pass mark")
    assert "question-2" in reply["fields"]
