"""The rubric of a case study: criteria, their options and points, and its OLX form.

A rubric is immutable data. Submissions record the rubric version they were written against (see
``models.RubricVersion``), so an author may change points after learners have submitted without
changing what an earlier grade meant: old submissions keep being reviewed and graded against the
rubric they were submitted under, new submissions use the new one.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from lxml import etree

from .. import json_input
from ..i18n import gettext_noop as _
from ..olx import OLXError, check_attributes, check_children, inner_html, set_inner_html
from ..refusals import Refusal
from ..sanitize import author_text

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MAX_CRITERIA = 20
MAX_OPTIONS = 10
MAX_LABEL = 200
MAX_TEXT = 5000
POINTS_RANGE = (-1000, 1000)


@dataclass(frozen=True)
class Option:
    """One level of a criterion: what a reviewer picks."""

    label: str
    points: int
    explanation: str = ""

    def to_dict(self) -> dict:
        return {"label": self.label, "points": self.points, "explanation": self.explanation}


@dataclass(frozen=True)
class Criterion:
    """One aspect of the response that reviewers judge, by choosing exactly one option.

    ``objective`` names the learning objective the criterion assesses (the ``id`` of an
    ``<objective>`` of the module), or is empty.
    """

    name: str
    label: str
    options: tuple[Option, ...]
    description: str = ""
    objective: str = ""

    @property
    def max_points(self) -> int:
        return max((o.points for o in self.options), default=0)

    @property
    def min_points(self) -> int:
        return min((o.points for o in self.options), default=0)

    def to_dict(self) -> dict:
        data = {
            "name": self.name,
            "label": self.label,
            "description": self.description,
            "options": [o.to_dict() for o in self.options],
        }
        # Only when set, so that the digest of a rubric without objectives stays what it was.
        if self.objective:
            data["objective"] = self.objective
        return data


@dataclass(frozen=True)
class Rubric:
    criteria: tuple[Criterion, ...] = field(default_factory=tuple)

    @property
    def max_points(self) -> int:
        """The best total a response can get: the sum of each criterion's highest option."""
        return sum(c.max_points for c in self.criteria)

    def criterion(self, name: str) -> Criterion | None:
        for crit in self.criteria:
            if crit.name == name:
                return crit
        return None

    def to_list(self) -> list[dict]:
        return [c.to_dict() for c in self.criteria]

    def read_choices(self, options: dict) -> tuple[dict[str, int], list[str]]:
        """A learner's chosen option per criterion (a review, a self-assessment, a practice assessment):
        ``{criterion name: option index}`` and the labels of the criteria left without a choice. A choice
        that is not one of its criterion's options is refused; names outside the rubric are the caller's."""
        chosen, missing = {}, []
        for crit in self.criteria:
            choice = options.get(crit.name)
            if choice is None or choice == "":
                missing.append(crit.label)
                continue
            index = json_input.ascii_digits(choice, max_digits=3)
            if index is None or index >= len(crit.options):
                raise Refusal(_("The choice for '%(criterion)s' is not one of its options."), criterion=crit.label)
            chosen[crit.name] = index
        return chosen, missing

    def complete_choices(self, payload, invalid: str, unknown: str) -> dict[str, int]:
        """The chosen option of every criterion from ``payload["options"]`` (a self-assessment, a practice
        assessment): ``invalid`` is refused for a payload without options, ``unknown`` for a criterion name
        outside the rubric, and a criterion left without a choice is named in the refusal."""
        options = payload.get("options") if isinstance(payload, dict) else None
        if not isinstance(options, dict):
            raise Refusal(invalid)
        if set(options) - {c.name for c in self.criteria}:
            raise Refusal(unknown)
        chosen, missing = self.read_choices(options)
        if missing:
            raise Refusal(_("Choose an option for every criterion: %(missing)s."), missing=", ".join(missing))
        return chosen

    def digest(self) -> str:
        """A stable fingerprint of the rubric's content, used as its version key."""
        canonical = json.dumps(self.to_list(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @classmethod
    def from_list(cls, data) -> Rubric:
        """Build a rubric from stored data (already validated when it was saved)."""
        criteria = []
        for crit in data or []:
            options = tuple(
                Option(label=str(o.get("label", "")), points=int(o.get("points", 0)),
                       explanation=str(o.get("explanation", "") or ""))
                for o in crit.get("options", [])
            )
            criteria.append(Criterion(name=str(crit.get("name", "")), label=str(crit.get("label", "")),
                                      options=options, description=str(crit.get("description", "") or ""),
                                      objective=str(crit.get("objective", "") or "")))
        return cls(criteria=tuple(criteria))


# ---------------------------------------------------------------------------------------------
# Validation of an editor payload: every problem is collected, nothing is half applied.
# ---------------------------------------------------------------------------------------------

def _as_int(value):
    """A whole number from the editor (ASCII digits only; ``true`` is not 1); None otherwise."""
    return json_input.whole_number(value, -json_input.MAX_NUMBER, json_input.MAX_NUMBER)


def validate_rubric_data(data) -> tuple[Rubric | None, list[dict]]:
    """Check a rubric sent by the Studio editor; return the rubric or a list of errors.

    Each error is ``{"message": str, "params": dict, "where": str}``: ``message`` is an
    untranslated sentence with ``%(name)s`` placeholders, for the caller to translate.
    """
    errors: list[dict] = []

    def err(where, message, **params):
        errors.append({"where": where, "message": message, "params": params})

    if not isinstance(data, list):
        err("rubric", _("The rubric must be a list of criteria."))
        return None, errors
    if len(data) > MAX_CRITERIA:
        err("rubric", _("A rubric can have at most %(n)s criteria."), n=MAX_CRITERIA)
    criteria = []
    seen = set()
    for ci, crit in enumerate(data[:MAX_CRITERIA], start=1):
        where = f"criterion-{ci}"
        if not isinstance(crit, dict):
            err(where, _("Criterion %(n)s is not valid."), n=ci)
            continue
        name = str(crit.get("name", "")).strip()
        label = str(crit.get("label", "")).strip()
        description = str(crit.get("description", "") or "").strip()
        if not NAME_RE.match(name):
            err(where, _("Criterion %(n)s needs a short name made of letters, digits, '-', '_' or '.'."), n=ci)
        elif name in seen:
            err(where, _("Two criteria are named '%(name)s'; names must be unique."), name=name)
        seen.add(name)
        if not label:
            err(where, _("Criterion %(n)s needs a label."), n=ci)
        elif len(label) > MAX_LABEL:
            err(where, _("The label of criterion %(n)s is longer than %(max)s characters."), n=ci, max=MAX_LABEL)
        if len(description) > MAX_TEXT:
            err(where, _("The description of criterion %(n)s is too long."), n=ci)
        objective = str(crit.get("objective", "") or "").strip()
        if objective and not NAME_RE.match(objective):
            err(where, _("The learning objective of criterion %(n)s must be named by its id (letters, digits, "
                         "'-', '_' or '.')."), n=ci)
        raw_options = crit.get("options")
        if not isinstance(raw_options, list) or not raw_options:
            err(where, _("Criterion %(n)s needs at least one option."), n=ci)
            raw_options = []
        if len(raw_options) > MAX_OPTIONS:
            err(where, _("Criterion %(n)s has more than %(max)s options."), n=ci, max=MAX_OPTIONS)
        options = []
        for oi, opt in enumerate(raw_options[:MAX_OPTIONS], start=1):
            owhere = f"{where}-option-{oi}"
            if not isinstance(opt, dict):
                err(owhere, _("Option %(o)s of criterion %(n)s is not valid."), n=ci, o=oi)
                continue
            olabel = str(opt.get("label", "")).strip()
            points = _as_int(opt.get("points"))
            explanation = str(opt.get("explanation", "") or "").strip()
            if not olabel:
                err(owhere, _("Option %(o)s of criterion %(n)s needs a label."), n=ci, o=oi)
            elif len(olabel) > MAX_LABEL:
                err(owhere, _("The label of option %(o)s of criterion %(n)s is too long."), n=ci, o=oi)
            if points is None:
                err(owhere, _("The points of option %(o)s of criterion %(n)s must be a whole number."), n=ci, o=oi)
                points = 0
            elif not POINTS_RANGE[0] <= points <= POINTS_RANGE[1]:
                err(owhere, _("The points of option %(o)s of criterion %(n)s are out of range."), n=ci, o=oi)
            if len(explanation) > MAX_TEXT:
                err(owhere, _("The explanation of option %(o)s of criterion %(n)s is too long."), n=ci, o=oi)
            options.append(Option(label=olabel, points=points, explanation=explanation))
        criteria.append(Criterion(name=name, label=label, options=tuple(options), description=description,
                                  objective=objective))
    if errors:
        return None, errors
    return Rubric(criteria=tuple(criteria)), []


def rubric_warnings(rubric: Rubric) -> list[tuple[str, dict]]:
    """Problems an author should fix that do not stop saving (shown by ``validate()``)."""
    warnings = []
    if not rubric.criteria:
        warnings.append((_("The rubric has no criteria: reviewers have nothing to judge."), {}))
    for crit in rubric.criteria:
        for opt in crit.options:
            if opt.points < 0:
                warnings.append((
                    _("Option '%(option)s' of criterion '%(criterion)s' has negative points."),
                    {"option": opt.label, "criterion": crit.label},
                ))
    if rubric.criteria and rubric.max_points <= 0:
        warnings.append((_("The rubric's best total is 0 points, so no grade can be given."), {}))
    return warnings


# ---------------------------------------------------------------------------------------------
# OLX
# ---------------------------------------------------------------------------------------------

def _label_attr(node, name: str) -> str:
    value = (node.get(name) or "").strip()
    if not value:
        raise OLXError(f'the attribute {name}="..." is required', node)
    if len(value) > MAX_LABEL:
        raise OLXError(f"the attribute {name} is longer than {MAX_LABEL} characters", node)
    return value


def rubric_from_xml(node, objectives=None) -> Rubric:
    """Parse ``<rubric>`` with ``<criterion>`` children; errors name the element and line.

    ``objectives``, when given, is the collection of learning objective ids the criteria may refer
    to (those of the module): a criterion whose ``objective="..."`` names another one is refused.
    """
    check_attributes(node, set())
    check_children(node, {"criterion"})
    criteria = []
    seen = set()
    for crit_node in node:
        if not isinstance(crit_node.tag, str):
            continue
        check_attributes(crit_node, {"name", "label", "objective"})
        check_children(crit_node, {"option", "description"})
        name = (crit_node.get("name") or "").strip()
        if not NAME_RE.match(name):
            raise OLXError('name="..." must be letters, digits, "-", "_" or "." (up to 64)', crit_node)
        if name in seen:
            raise OLXError(f'a second criterion is named "{name}"', crit_node)
        seen.add(name)
        label = _label_attr(crit_node, "label")
        objective = (crit_node.get("objective") or "").strip()
        if crit_node.get("objective") is not None and not NAME_RE.match(objective):
            raise OLXError('objective="..." must be the id of a learning objective (letters, digits, "-", "_", ".")',
                           crit_node)
        if objectives is not None and objective and objective not in objectives:
            known = ", ".join(sorted(objectives)) or "none"
            raise OLXError(f'criterion "{name}": objective="{objective}" is not a learning objective of this module '
                           f"(known: {known})", crit_node)
        description = ""
        options = []
        for child in crit_node:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "description":
                check_attributes(child, set())
                description = inner_html(child)
                continue
            check_attributes(child, {"points", "label"})
            points_text = (child.get("points") or "").strip()
            if not re.fullmatch(r"-?[0-9]+", points_text):
                raise OLXError(f'points="{child.get("points", "")}" must be a whole number', child)
            points = int(points_text)
            if not POINTS_RANGE[0] <= points <= POINTS_RANGE[1]:
                raise OLXError(f'points="{points_text}" is out of range', child)
            options.append(Option(label=_label_attr(child, "label"), points=points, explanation=inner_html(child)))
        if not options:
            raise OLXError("a criterion needs at least one <option>", crit_node)
        if len(options) > MAX_OPTIONS:
            raise OLXError(f"a criterion can have at most {MAX_OPTIONS} options", crit_node)
        criteria.append(Criterion(name=name, label=label, options=tuple(options), description=description,
                                  objective=objective))
    if len(criteria) > MAX_CRITERIA:
        raise OLXError(f"a rubric can have at most {MAX_CRITERIA} criteria", node)
    return Rubric(criteria=tuple(criteria))


def rubric_to_xml(rubric: Rubric, parent) -> etree._Element:
    """Append ``<rubric>`` to ``parent``, the exact inverse of :func:`rubric_from_xml`."""
    node = etree.SubElement(parent, "rubric")
    for crit in rubric.criteria:
        crit_node = etree.SubElement(node, "criterion", name=crit.name, label=crit.label)
        if crit.objective:
            crit_node.set("objective", crit.objective)
        if crit.description:
            set_inner_html(etree.SubElement(crit_node, "description"), crit.description)
        for opt in crit.options:
            opt_node = etree.SubElement(crit_node, "option", points=str(opt.points), label=opt.label)
            set_inner_html(opt_node, opt.explanation)
    return node


def plain(text: str) -> str:
    """Rubric text flattened for places that cannot show HTML (CSV headers, legends)."""
    return author_text(text)
