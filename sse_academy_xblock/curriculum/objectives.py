"""Learning objectives and what assesses them, across one module file of the curriculum.

A module declares its objectives as ``<objective id="...">``; each quiz question and each rubric
criterion names the objective it assesses with ``objective="..."``. The quiz and rubric parsers
refuse a reference to an objective the module does not declare; :func:`objective_coverage` adds the
other half of the contract: every objective is assessed by at least one question or criterion.
"""

from __future__ import annotations

from ..olx import OLXError, parse_string
from ..peer.rubric import NAME_RE, rubric_from_xml
from ..quiz.olx import parse_quiz

OBJECTIVE = "objective"


def objective_ids(root) -> list[str]:
    """The ids of the module's objectives, in order; an objective without an id, a bad or a repeated
    id is an authoring error."""
    ids: list[str] = []
    for node in root.findall(OBJECTIVE):
        value = (node.get("id") or "").strip()
        if not NAME_RE.match(value):
            raise OLXError('a learning objective needs id="..." (letters, digits, "-", "_" or ".")', node)
        if value in ids:
            raise OLXError(f'a second learning objective has id="{value}"', node)
        ids.append(value)
    return ids


def objective_coverage(root) -> dict[str, list[str]]:
    """``{objective id: [what assesses it]}`` for a module element, e.g. ``["quiz q3", "rubric evidence"]``.

    Every question and every criterion must name an objective of the module, and every objective
    must be assessed; otherwise :class:`OLXError` names the first problem.
    """
    ids = objective_ids(root)
    coverage: dict[str, list[str]] = {objective: [] for objective in ids}
    for quiz in root.iter("sse_quiz"):
        _settings, questions = parse_quiz(quiz, objectives=ids)
        for question in questions:
            if not question.objective:
                raise OLXError(f'question "{question.id}" does not name the objective it assesses', quiz)
            coverage[question.objective].append(f"quiz {question.id}")
    for rubric_node in root.iter("rubric"):
        for criterion in rubric_from_xml(rubric_node, objectives=ids).criteria:
            if not criterion.objective:
                raise OLXError(f'criterion "{criterion.name}" does not name the objective it assesses', rubric_node)
            coverage[criterion.objective].append(f"rubric {criterion.name}")
    untested = [objective for objective, items in coverage.items() if not items]
    if untested:
        raise OLXError(f"learning objective(s) {', '.join(untested)} assessed by no question or criterion", root)
    return coverage


def check_module_xml(xml: str | bytes) -> dict[str, list[str]]:
    return objective_coverage(parse_string(xml))
