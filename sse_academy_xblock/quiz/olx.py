"""The quiz's OLX, the authors' contract: ``<sse_quiz>`` with ``<question>`` and ``<pool>`` children, both ways.

A ``<pool id="..." draw="N" balanced="true|false">`` holds ``<question>`` elements of which each learner is
asked N (:mod:`.pools`); ``redraw="true"`` on ``<sse_quiz>`` asks for a new draw on every attempt. A quiz
without pools reads and writes exactly as before.

``parse_quiz(node)`` and ``export_quiz(node, settings, questions)`` are symmetric: exporting what
was parsed and parsing it again gives the same settings and questions. Anything not described in
the README (an unknown element or attribute, a bad value) is refused with an :class:`OLXError`
naming the element and its line.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from .. import dimensions
from ..l10n import CONTENT_LANGUAGE_CODES
from ..olx import (
    OLXError,
    bool_attr,
    check_attributes,
    check_children,
    check_tree,
    format_number,
    inner_html,
    parse_bool,
    parse_choice,
    parse_float,
    parse_int,
    parse_string,
    set_inner_html,
)
from .authoring import MAX_ATTEMPTS_LIMIT, question_problems
from .pools import Pool, dump_pools, grouped, load_pools, pool_problems
from .questions import (
    DEFAULT_SETTINGS,
    MAX_QUESTIONS,
    QUESTION_TYPES,
    SCORING_POLICIES,
    SHOW_ANSWER_POLICIES,
    Choice,
    Question,
)

ROOT_TAG = "sse_quiz"
SETTING_ATTRS = {
    "display_name", "dimension", "weight", "max_attempts", "show_answer", "shuffle", "pass_mark",
    "multiple_scoring", "retry_after_full", "content_language", "redraw",
}
POOL_ATTRS = {"id", "draw", "balanced"}
QUESTION_ATTRS = {"id", "type", "points", "dimension", "answer", "tolerance", "objective"}
QUESTION_CHILDREN = {"prompt", "choice", "answer", "explanation"}


# Indentation that pretty-printing puts between elements (a newline and spaces between tags).
_LAYOUT_WHITESPACE = re.compile(r">\s*\n\s*<")


def _english(text: str) -> str:
    return text


def _html(node) -> str:
    """Author HTML of an element, without the layout whitespace an exporter may have added."""
    return _LAYOUT_WHITESPACE.sub("><", inner_html(node))


def parse_quiz_string(text: str | bytes, objectives=None) -> tuple[dict, list[Question]]:
    """Parse an OLX document with the shared safe parser (no entities, no DTD, no network)."""
    return parse_quiz(parse_string(text), objectives=objectives)


def parse_quiz(node, platform_attrs: set[str] = frozenset(), objectives=None) -> tuple[dict, list[Question]]:
    """Settings (every one, defaults filled in; None for a course setting it leaves to the course) and
    questions of an ``<sse_quiz>`` element.

    ``platform_attrs``: attributes the caller has taken as the platform's (kept, not parsed here).
    ``objectives``, when given, is the collection of learning objective ids the quiz may refer to
    (those of its module): a question whose ``objective="..."`` names another one is refused.
    """
    check_tree(node)
    check_attributes(node, SETTING_ATTRS | set(platform_attrs))
    check_children(node, {"question", "pool"})
    settings = dict(DEFAULT_SETTINGS)
    if node.get("display_name") is not None:
        settings["display_name"] = node.get("display_name")
    settings["dimension"] = parse_choice(node, "dimension", settings["dimension"], dimensions.DIMENSION_IDS)
    if node.get("weight") not in (None, ""):
        settings["weight"] = parse_float(node, "weight", 0.0, minimum=0)
    if node.get("max_attempts") not in (None, ""):  # absent or empty: the course's setting
        settings["max_attempts"] = parse_int(node, "max_attempts", 0, minimum=0, maximum=MAX_ATTEMPTS_LIMIT)
    settings["show_answer"] = parse_choice(
        node, "show_answer", settings["show_answer"], tuple(SHOW_ANSWER_POLICIES)
    )
    settings["shuffle"] = parse_bool(node, "shuffle", settings["shuffle"])
    settings["retry_after_full"] = parse_bool(node, "retry_after_full", settings["retry_after_full"])
    settings["redraw"] = parse_bool(node, "redraw", settings["redraw"])
    settings["content_language"] = parse_choice(
        node, "content_language", settings["content_language"], CONTENT_LANGUAGE_CODES)
    mark = parse_float(node, "pass_mark", float(settings["pass_mark"]), minimum=0, maximum=100)
    settings["pass_mark"] = int(mark) if mark.is_integer() else mark
    settings["multiple_scoring"] = parse_choice(
        node, "multiple_scoring", settings["multiple_scoring"], tuple(SCORING_POLICIES)
    )

    questions: list[Question] = []
    pools: list[Pool] = []
    seen: set[str] = set()
    for element in _question_elements(node, pools):
        question = _parse_question(element)
        question.pool = element.getparent().get("id") if element.getparent().tag == "pool" else None
        if objectives is not None and question.objective is not None and question.objective not in objectives:
            known = ", ".join(sorted(objectives)) or "none"
            raise OLXError(
                f'question "{question.id}": objective="{question.objective}" is not a learning objective of this '
                f"module (known: {known})", element)
        if question.id in seen:
            raise OLXError(f'the question id "{question.id}" is used twice', element)
        seen.add(question.id)
        questions.append(question)
        if len(questions) > MAX_QUESTIONS:
            raise OLXError(f"a quiz can have at most {MAX_QUESTIONS} questions", element)
    problems = pool_problems(pools, questions, settings["dimension"], _english)
    if problems:
        raise OLXError("; ".join(problems), node)
    settings["pools"] = dump_pools(pools)
    return settings, questions


def _question_elements(node, pools: list[Pool]):
    """The ``<question>`` elements in document order, those of each ``<pool>`` included; ``pools`` receives the
    pools."""
    found = []
    for child in _elements(node):
        if child.tag != "pool":
            found.append(child)
            continue
        check_attributes(child, POOL_ATTRS)
        check_children(child, {"question"})
        if not child.get("id"):
            raise OLXError("a pool needs an id attribute", child)
        if child.get("draw") in (None, ""):
            raise OLXError('a pool needs draw="<how many questions each learner is asked>"', child)
        pools.append(Pool(child.get("id"), parse_int(child, "draw", 1, minimum=1, maximum=MAX_QUESTIONS),
                          parse_bool(child, "balanced", False)))
        found.extend(_elements(child))
    return found


def _elements(node):
    return [child for child in node if isinstance(child.tag, str)]


def _parse_question(element) -> Question:
    check_attributes(element, QUESTION_ATTRS)
    check_children(element, QUESTION_CHILDREN)
    qid = element.get("id")
    if not qid:
        raise OLXError("a question needs an id attribute", element)
    qtype = element.get("type")
    if qtype not in QUESTION_TYPES:
        raise OLXError(f'type="{qtype}" must be one of: {", ".join(QUESTION_TYPES)}', element)
    question = Question(
        id=qid,
        type=qtype,
        points=parse_float(element, "points", 1.0),
        dimension=parse_choice(element, "dimension", None, dimensions.DIMENSION_IDS),
        objective=element.get("objective"),
    )
    children = _elements(element)
    question.prompt = _single_html(element, children, "prompt")
    question.explanation = _single_html(element, children, "explanation")
    has_choices = QUESTION_TYPES[qtype].has_choices

    if element.get("answer") is not None and qtype not in ("numeric", "truefalse"):
        raise OLXError(f'a {qtype} question has no answer attribute', element)
    if element.get("tolerance") is not None and qtype != "numeric":
        raise OLXError("only numeric questions have a tolerance", element)
    if qtype == "numeric":
        if element.get("answer") is None:
            raise OLXError("a numeric question needs answer=\"<number>\"", element)
        question.answer = parse_float(element, "answer", 0.0)
        question.tolerance = parse_float(element, "tolerance", 0.0, minimum=0)
    elif qtype == "truefalse":
        if element.get("answer") is None:
            raise OLXError('a truefalse question needs answer="true" or answer="false"', element)
        question.answer = parse_bool(element, "answer", False)

    for child in children:
        if child.tag == "choice":
            if not has_choices:
                raise OLXError(f"a {qtype} question has no <choice> elements", child)
            question.choices.append(_parse_choice(child))
        elif child.tag == "answer":
            if qtype != "text":
                raise OLXError(f"<answer> elements belong to text questions, not {qtype}", child)
            check_attributes(child, set())
            if len(child):
                raise OLXError("an accepted answer is plain text, without elements", child)
            question.accepted.append((child.text or "").strip())

    problems = question_problems(question, _english)
    if problems:
        raise OLXError(f'question "{qid}": ' + "; ".join(problems), element)
    return question


def _single_html(parent, children, tag: str) -> str:
    found = [c for c in children if c.tag == tag]
    if len(found) > 1:
        raise OLXError(f"a <{parent.tag}> has at most one <{tag}>", found[1])
    if not found:
        return ""
    check_attributes(found[0], set())
    return _html(found[0])


def _parse_choice(element) -> Choice:
    check_attributes(element, {"id", "correct"})
    choice_id = element.get("id")
    if not choice_id:
        raise OLXError("a choice needs an id attribute", element)
    feedback = [c for c in element if c.tag == "feedback"]
    if len(feedback) > 1:
        raise OLXError("a <choice> has at most one <feedback>", feedback[1])
    if feedback:
        check_attributes(feedback[0], set())
    return Choice(
        id=choice_id,
        text=_html_without(element, "feedback"),
        correct=parse_bool(element, "correct", False),
        feedback=_html(feedback[0]) if feedback else "",
    )


def _html_without(element, tag: str) -> str:
    """The element's mixed content with the ``tag`` children removed (their tails kept)."""
    clone = copy.deepcopy(element)
    for child in list(clone):
        if child.tag != tag:
            continue
        tail = child.tail or ""
        previous = child.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            clone.text = (clone.text or "") + tail
        clone.remove(child)
    return _html(clone)


# --- export ---------------------------------------------------------------------------------


def export_quiz(node, settings: dict, questions: list[Question]) -> None:
    """Write settings as attributes and questions as children of ``node`` (already tagged)."""
    node.set("display_name", str(settings["display_name"]))
    node.set("dimension", settings["dimension"])
    if settings.get("weight") is not None:
        node.set("weight", format_number(settings["weight"]))
    if settings.get("max_attempts") is not None:
        node.set("max_attempts", str(int(settings["max_attempts"])))
    node.set("show_answer", settings["show_answer"])
    node.set("shuffle", bool_attr(settings["shuffle"]))
    node.set("pass_mark", format_number(settings["pass_mark"]))
    node.set("multiple_scoring", settings["multiple_scoring"])
    node.set("content_language", settings.get("content_language") or "en")
    if settings.get("retry_after_full"):
        node.set("retry_after_full", "true")
    if settings.get("redraw"):
        node.set("redraw", "true")
    pools = {p.id: p for p in load_pools(settings.get("pools"))}
    written: dict[str, etree._Element] = {}
    for question in grouped(questions):
        pool = pools.get(question.pool) if question.pool else None
        if pool is None:
            node.append(_export_question(question))
            continue
        if pool.id not in written:
            written[pool.id] = etree.SubElement(node, "pool", id=pool.id, draw=str(pool.draw))
            if pool.balanced:
                written[pool.id].set("balanced", "true")
        written[pool.id].append(_export_question(question))


def _export_question(question: Question):
    element = etree.Element("question", id=question.id, type=question.type)
    element.set("points", format_number(question.points))
    if question.dimension:
        element.set("dimension", question.dimension)
    if question.objective:
        element.set("objective", question.objective)
    if question.type == "numeric":
        element.set("answer", format_number(question.answer))
        element.set("tolerance", format_number(question.tolerance))
    elif question.type == "truefalse":
        element.set("answer", bool_attr(bool(question.answer)))
    prompt = etree.SubElement(element, "prompt")
    set_inner_html(prompt, question.prompt)
    for choice in question.choices:
        child = etree.SubElement(element, "choice", id=choice.id)
        if choice.correct:
            child.set("correct", "true")
        set_inner_html(child, choice.text)
        if choice.feedback:
            feedback = etree.SubElement(child, "feedback")
            set_inner_html(feedback, choice.feedback)
    for accepted in question.accepted:
        etree.SubElement(element, "answer").text = accepted
    if question.explanation:
        explanation = etree.SubElement(element, "explanation")
        set_inner_html(explanation, question.explanation)
    return element


def quiz_to_string(settings: dict, questions: list[Question]) -> str:
    node = etree.Element(ROOT_TAG)
    export_quiz(node, settings, questions)
    etree.indent(node, space="  ")
    return etree.tostring(node, encoding="unicode")
