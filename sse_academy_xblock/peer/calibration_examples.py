"""Staff-scored examples of a case study's calibration: their form, their OLX, and the arithmetic of an assessment.

Plain data and formulas, no database (the learner's progress and the staff's figures are in :mod:`.calibration`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..i18n import gettext_noop as _
from ..insight import agreement_statistics
from ..olx import OLXError, check_attributes, check_children, inner_html, set_inner_html
from .rubric import NAME_RE, Rubric

MAX_EXAMPLES = 10
MAX_RETRIES = 5
MAX_RESPONSE = 20_000
MAX_NOTE = 5000


@dataclass(frozen=True)
class Example:
    """One staff-scored example: its text, the reference option's label per criterion and the author's notes."""

    name: str
    response: str
    reference: dict = field(default_factory=dict)  # criterion name -> option label
    notes: dict = field(default_factory=dict)  # criterion name -> author HTML

    def to_dict(self) -> dict:
        return {"name": self.name, "response": self.response, "reference": dict(self.reference),
                "notes": dict(self.notes)}


def examples_from_list(data) -> tuple[Example, ...]:
    """Examples from the stored field (validated when saved)."""
    found = []
    for raw in data or []:
        if isinstance(raw, dict) and raw.get("name"):
            found.append(Example(str(raw["name"]), str(raw.get("response", "")), dict(raw.get("reference") or {}),
                                 dict(raw.get("notes") or {})))
    return tuple(found)


# --- arithmetic (no database) -------------------------------------------------------------------

def reference_points(example: Example, rubric: Rubric) -> dict[str, int] | None:
    """The reference's points per criterion, or None when the example does not fit the rubric
    (a criterion without reference, or a reference naming no option of it)."""
    points = {}
    for crit in rubric.criteria:
        label = example.reference.get(crit.name)
        option = next((o for o in crit.options if o.label == label), None)
        if option is None:
            return None
        points[crit.name] = option.points
    return points


def reference_index(example: Example, rubric: Rubric) -> dict[str, int]:
    """The reference option's index per criterion (for an example that fits the rubric)."""
    return {crit.name: next(i for i, o in enumerate(crit.options) if o.label == example.reference.get(crit.name))
            for crit in rubric.criteria}


def distance(chosen: dict[str, int], reference: dict[str, int], best_total: int) -> float:
    """Sum over criteria of the points away from the reference, as a share of the best total."""
    scale = float(best_total) if best_total > 0 else 1.0
    return sum(abs(int(chosen.get(name, 0)) - int(points)) for name, points in reference.items()) / scale


def is_within(value: float, tolerance: float) -> bool:
    """A tolerance of 1 or more asks for nothing; otherwise the distance may not exceed it."""
    return tolerance >= 1 or value <= tolerance + 1e-9


def calibration_weight(mean_distance: float | None) -> float:
    """The weight a calibration result gives a reviewer before they have enough comparable reviews."""
    if mean_distance is None:
        return 1.0
    return max(agreement_statistics.MIN_WEIGHT, 1.0 - min(1.0, mean_distance))


# --- OLX and the editor's checks ------------------------------------------------------------------

def examples_from_xml(node, rubric: Rubric) -> list[dict]:
    """Parse ``<calibration>``: each example must name every criterion of ``rubric`` and one of its options."""
    check_attributes(node, set())
    check_children(node, {"example"})
    examples, seen = [], set()
    for child in node:
        if not isinstance(child.tag, str):
            continue
        check_attributes(child, {"name"})
        check_children(child, {"response", "reference"})
        name = (child.get("name") or "").strip()
        if not NAME_RE.match(name):
            raise OLXError('an <example> needs name="..." made of letters, digits, "-", "_" or "." (up to 64)', child)
        if name in seen:
            raise OLXError(f'a second example is named "{name}"', child)
        seen.add(name)
        response, reference, notes = None, {}, {}
        for part in child:
            if not isinstance(part.tag, str):
                continue
            if part.tag == "response":
                check_attributes(part, set())
                if response is not None or len(part):
                    raise OLXError("an example has one <response>, of plain text", part)
                response = (part.text or "").strip()
                if len(response) > MAX_RESPONSE:
                    raise OLXError(f"the response of an example is longer than {MAX_RESPONSE} characters", part)
                continue
            check_attributes(part, {"criterion", "option"})
            crit = rubric.criterion((part.get("criterion") or "").strip())
            if crit is None:
                raise OLXError(f'criterion="{part.get("criterion", "")}" is not a criterion of the rubric', part)
            if crit.name in reference:
                raise OLXError(f'a second <reference> for criterion "{crit.name}"', part)
            option = part.get("option") or ""
            if option not in {o.label for o in crit.options}:
                raise OLXError(f'option="{option}" is not an option of criterion "{crit.name}"', part)
            reference[crit.name] = option
            note = inner_html(part)
            if len(note) > MAX_NOTE:
                raise OLXError(f"the note on criterion \"{crit.name}\" is longer than {MAX_NOTE} characters", part)
            if note.strip():
                notes[crit.name] = note
        if not response:
            raise OLXError("an example needs a <response> with its text", child)
        missing = [c.name for c in rubric.criteria if c.name not in reference]
        if missing:
            raise OLXError(f"the example has no <reference> for: {', '.join(missing)}", child)
        examples.append(Example(name, response, reference, notes).to_dict())
    if len(examples) > MAX_EXAMPLES:
        raise OLXError(f"a case study can have at most {MAX_EXAMPLES} examples", node)
    return examples


def validate_examples_data(data, rubric: Rubric) -> tuple[list[dict] | None, list[dict]]:
    """Check the examples the Studio editor sends against the (valid) ``rubric``, as :func:`examples_from_xml`
    checks the OLX: a name, unique; the response's text; for every criterion one of its options as reference,
    and nothing for a criterion the rubric has not; notes within their length. Returns the examples or every
    error at once, each ``{"where", "message" (untranslated), "params"}``; ``where`` names the field:
    ``example-<n>`` (the example), with ``-name``, ``-response``, ``-criterion-<c>`` (the reference of the
    rubric's c-th criterion) or ``-note-<c>``; ``calibration`` for the list."""
    errors: list[dict] = []

    def err(where, message, **params):
        errors.append({"where": where, "message": message, "params": params})

    if data is None:
        return [], []
    if not isinstance(data, list):
        err("calibration", _("The practice examples must be a list."))
        return None, errors
    if len(data) > MAX_EXAMPLES:
        err("calibration", _("A case study can have at most %(max)s practice examples."), max=MAX_EXAMPLES)
    examples, seen = [], set()
    for n, raw in enumerate(data[:MAX_EXAMPLES], start=1):
        where = f"example-{n}"
        if not isinstance(raw, dict):
            err(where, _("Practice example %(n)s is not valid."), n=n)
            continue
        name = raw.get("name").strip() if isinstance(raw.get("name"), str) else ""
        if not NAME_RE.match(name):
            err(f"{where}-name", _("Practice example %(n)s needs a short name made of letters, digits, '-', '_' or "
                                   "'.'."), n=n)
        elif name in seen:
            err(f"{where}-name", _("Two practice examples are named '%(name)s'; names must be unique."), name=name)
        seen.add(name)
        response = raw.get("response").strip() if isinstance(raw.get("response"), str) else ""
        if not response:
            err(f"{where}-response", _("Practice example %(n)s needs the text of its response."), n=n)
        elif len(response) > MAX_RESPONSE:
            err(f"{where}-response", _("The response of practice example %(n)s is longer than %(max)s characters."),
                n=n, max=MAX_RESPONSE)
        reference = raw.get("reference") if isinstance(raw.get("reference"), dict) else {}
        notes = raw.get("notes") if isinstance(raw.get("notes"), dict) else {}
        if not isinstance(raw.get("reference", {}), dict) or not isinstance(raw.get("notes", {}), dict):
            err(where, _("Practice example %(n)s is not valid."), n=n)
        unknown = sorted(str(key) for key in set(reference) | set(notes) if rubric.criterion(str(key)) is None)
        if unknown:
            err(where, _("Practice example %(n)s refers to criteria the rubric does not have: %(names)s."), n=n,
                names=", ".join(unknown))
        clean_reference, clean_notes = {}, {}
        for c, crit in enumerate(rubric.criteria, start=1):
            option = reference.get(crit.name)
            if not isinstance(option, str) or option not in {o.label for o in crit.options}:
                err(f"{where}-criterion-{c}", _("Practice example %(n)s: choose the reference option of the "
                                                "criterion '%(criterion)s'."), n=n, criterion=crit.label)
            else:
                clean_reference[crit.name] = option
            note = notes.get(crit.name)
            if note is not None and not isinstance(note, str):
                err(f"{where}-note-{c}", _("Practice example %(n)s: the note on '%(criterion)s' must be text."), n=n,
                    criterion=crit.label)
            elif isinstance(note, str) and len(note) > MAX_NOTE:
                err(f"{where}-note-{c}", _("Practice example %(n)s: the note on '%(criterion)s' is longer than "
                                           "%(max)s characters."), n=n, criterion=crit.label, max=MAX_NOTE)
            elif isinstance(note, str) and note.strip():
                clean_notes[crit.name] = note.strip()
        examples.append(Example(name, response, clean_reference, clean_notes).to_dict())
    if errors:
        return None, errors
    return examples, []


def examples_to_xml(examples, parent) -> None:
    """Append ``<calibration>`` to ``parent`` (nothing without examples), the inverse of :func:`examples_from_xml`."""
    examples = examples_from_list(examples)
    if not examples:
        return
    node = etree.SubElement(parent, "calibration")
    for example in examples:
        ex = etree.SubElement(node, "example", name=example.name)
        etree.SubElement(ex, "response").text = example.response
        for name, option in example.reference.items():
            ref = etree.SubElement(ex, "reference", criterion=name, option=option)
            set_inner_html(ref, example.notes.get(name, ""))


def warnings(item_settings: dict, examples, rubric: Rubric) -> list[tuple[str, dict]]:
    """Problems of the calibration an author should fix (``validate()`` and the editor's save show them)."""
    count = item_settings.get("calibration_count") or 0
    if not count:
        return []
    examples = examples_from_list(examples)
    fitting = [e for e in examples if reference_points(e, rubric) is not None]
    found = []
    for example in examples:
        if example not in fitting:
            found.append((_("The practice example '%(name)s' has no reference option for some criterion of the "
                            "rubric (it changed): learners are not asked to assess it."), {"name": example.name}))
    if len(fitting) < count:
        found.append((_("Learners should assess %(count)s practice examples, but the case study has %(have)s that fit "
                        "the rubric: they assess %(have)s."), {"count": count, "have": len(fitting)}))
    return found
