"""The Studio editors and their markup: what an editor shows, saved unchanged, is what was stored (links
the markup cannot write back included), and a text too long for its field is refused before any
conversion."""

from __future__ import annotations

import json
import re
import time

import pytest
from lxml import html as lxml_html

from factories import olx
from markup_corpus import STORED
from sse_academy_xblock.peer.authoring import MAX_HTML as CASE_MAX
from sse_academy_xblock.quiz.authoring import MAX_HTML as QUIZ_MAX
from sse_academy_xblock.sanitize import author_text
from sse_academy_xblock.scenarios import load

QUIZ = load("sse_quiz")[1][1]
CASE = olx("case_study_every_setting")
RATIO = 3


def quiz_init(block) -> dict:
    html = block.render("studio_view", {}).body_html()
    return json.loads(re.search(r'<script type="application/json" class="sse-init">(.*?)</script>', html, re.S).group(1))


def quiz_payload(block, questions) -> dict:
    return {**block.quiz_settings(), "pass_mark": "70", "weight": "", "questions": questions}


def case_editor(block) -> dict:
    """The case-study editor's fields as the page holds them (textareas, and the rubric's JSON)."""
    page = lxml_html.fragment_fromstring(block.render("studio_view", {}).body_html(), create_parent="div")
    fields = {name: page.xpath(f'.//textarea[@name="{name}"]')[0].text or "" for name in ("case", "prompt")}
    fields["rubric"] = json.loads(page.xpath('.//*[@data-role="rubric-data"]/script')[0].text)
    return fields


def case_payload(block, **changes) -> dict:
    payload = {
        "display_name": block.display_name, "dimension": block.dimension, "weight": "",
        "reviews_required": "3", "reviews_to_give": "3", "min_words": "0", "max_words": "0",
        "lease_hours": "24", "waiting_days": "7", "waiting_rule": "lower", "divergence_threshold": "0.5",
        **case_editor(block),
    }
    payload.update(changes)
    return payload


@pytest.mark.parametrize("stored", [s for s, _shown in STORED], ids=[f"stored-{i}" for i in range(len(STORED))])
def test_an_unchanged_quiz_save_keeps_the_stored_html(make_block, call, stored):
    block = make_block(QUIZ, user="staff")
    questions = [dict(q) for q in block.questions]
    # a prompt with no text (a link without words) is refused on save: it gets a sentence before it
    prompt = stored if author_text(stored) else "<p>Which?</p>" + stored
    questions[0] = {**questions[0], "prompt": prompt, "explanation": stored}
    block.questions = questions
    status, reply = call(block, "studio_submit", quiz_payload(block, quiz_init(block)["questions"]))
    assert status == 200, reply
    assert (block.questions[0]["prompt"], block.questions[0]["explanation"]) == (prompt, stored)


@pytest.mark.parametrize("stored", [s for s, _shown in STORED], ids=[f"stored-{i}" for i in range(len(STORED))])
def test_an_unchanged_case_study_save_keeps_the_stored_html(make_block, call, stored):
    block = make_block(CASE, user="staff")
    block.case = block.prompt = stored
    block.rubric = [{**block.rubric[0], "description": stored}, *block.rubric[1:]]
    status, reply = call(block, "studio_submit", case_payload(block))
    assert status == 200, reply
    assert (block.case, block.prompt, block.rubric[0]["description"]) == (stored, stored, stored)


def _refusal_seconds(block, call, body) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        status, reply = call(block, "studio_submit", body)
        best = min(best, time.perf_counter() - start)
        assert status == 400, reply
    return best


def test_a_quiz_text_too_long_is_refused_before_it_is_converted(make_block, call):
    """A prompt of markup over the limit costs no more than another refused field of the same size."""
    block = make_block(olx("quiz_security"), user="staff")
    before = [dict(q) for q in block.questions]
    size = 250 * 1024
    questions = [dict(q) for q in quiz_init(block)["questions"]]
    long_name = quiz_payload(block, questions) | {"display_name": "x" * size}
    long_prompt = quiz_payload(block, [{**questions[0], "prompt": ("**x " * size)[:size]}, *questions[1:]])
    status, reply = call(block, "studio_submit", long_prompt)
    assert status == 400 and any("prompt is too long" in e for e in reply["errors"]), reply
    assert block.questions == before
    assert _refusal_seconds(block, call, long_prompt) <= RATIO * _refusal_seconds(block, call, long_name)
    assert len(("**x " * size)[:size]) > QUIZ_MAX


@pytest.mark.parametrize("field", ["case", "prompt", "description"])
def test_a_case_study_text_too_long_is_refused_before_it_is_converted(make_block, call, field):
    block = make_block(CASE, user="staff")
    before = (block.case, block.prompt, block.rubric)
    size = 250 * 1024
    text = ("**x " * size)[:size]
    assert len(text) > CASE_MAX
    long_name = case_payload(block, display_name="x" * size)
    if field == "description":
        rubric = case_editor(block)["rubric"]
        long_text = case_payload(block, rubric=[{**rubric[0], "description": text}, *rubric[1:]])
    else:
        long_text = case_payload(block, **{field: text})
    status, reply = call(block, "studio_submit", long_text)
    assert status == 400 and reply["errors"], reply
    assert (block.case, block.prompt, block.rubric) == before
    assert _refusal_seconds(block, call, long_text) <= RATIO * _refusal_seconds(block, call, long_name)
