"""The case study's authored content: one table of settings shared by OLX and the Studio editor.

OLX shape (attributes are written only when set, so export reproduces the import)::

    <sse_case_study display_name="..." dimension="rights_at_work" weight="1"
                    reviews_required="3" reviews_to_give="3" min_words="150" max_words="1200"
                    lease_hours="24" waiting_days="7" waiting_rule="lower" divergence_threshold="0.5"
                    weight_by_agreement="true" review_due="2026-12-12T17:00:00Z"
                    reviews_max="5" agreement_points="1" self_assessment="counted" self_weight="0.25"
                    review_share="0.2">
      <case>HTML</case>
      <prompt>HTML</prompt>
      <rubric>...</rubric>       (see rubric.py)
      <calibration>...</calibration>   (optional: staff-scored examples, see calibration.py)
    </sse_case_study>

``calibration_count`` (0: no calibration), ``calibration_tolerance`` and ``calibration_retries`` are attributes.
``review_share`` is a fraction (0 to 0.5) in OLX; the Studio editor also takes it as a percentage ("20 %").
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .. import dimensions, json_input, l10n, typed_numbers
from ..i18n import gettext_noop as _
from ..l10n import CONTENT_LANGUAGE_CODES, fallback_when
from ..olx import (
    OLXError,
    check_attributes,
    parse_bool,
    check_children,
    check_tree,
    format_moment,
    format_number,
    inner_html,
    moment_from_text,
    parse_choice,
    parse_float,
    parse_int,
    parse_moment,
    set_inner_html,
)
from ..sanitize import clean_author_html
from ..insight.agreement_statistics import MIN_REVIEWS_FOR_WEIGHT
from . import calibration_examples
from .config import DEFAULTS, SELF_ASSESSMENT_MODES, WAITING_RULES
from .rubric import Rubric, rubric_from_xml, rubric_to_xml, validate_rubric_data

MAX_HTML = 200_000


@dataclass(frozen=True)
class Setting:
    name: str
    # "text", "int", "optint" (a whole number or empty), "float", "weight", "share" (a fraction, or in the editor a
    # percentage), "choice", "bool", "date"
    kind: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()


SETTINGS: tuple[Setting, ...] = (
    Setting("display_name", "text"),
    Setting("dimension", "choice", choices=dimensions.DIMENSION_IDS),
    # Points the exercise is worth in the LMS; empty means the rubric's best total. Whole points,
    # because edx-submissions stores whole numbers.
    Setting("weight", "weight", 1, 1000),
    Setting("reviews_required", "int", 1, 20),
    Setting("reviews_to_give", "int", 0, 20),
    Setting("min_words", "int", 0, 20000),
    Setting("max_words", "int", 0, 20000),
    Setting("lease_hours", "float", 0.25, 24 * 30),
    Setting("waiting_days", "float", 0.01, 365),
    Setting("waiting_rule", "choice", choices=WAITING_RULES),
    Setting("divergence_threshold", "float", 0, 1),
    Setting("content_language", "choice", choices=CONTENT_LANGUAGE_CODES),
    # Grade with the weighted median, reviewers weighted by their agreement (see peer/agreement_totals.py).
    Setting("weight_by_agreement", "bool"),
    # Whether the grade counts in the learner's Decent Work profile (an orientation exercise may not).
    Setting("in_profile", "bool"),
    # When reviewing closes (UTC in OLX); empty: with the responses, at the platform's due date.
    Setting("review_due", "date"),
    # The adaptive review count (peer/review_count.py): the most reviews a response may be asked to receive
    # (empty: reviews_required, a fixed count) and the points within which reviews agree on a criterion.
    Setting("reviews_max", "optint", 1, 20),
    Setting("agreement_points", "int", 0, 100),
    # Self-assessment (peer/self_assessment.py): off, shown beside the peers' grade, or counted with self_weight.
    Setting("self_assessment", "choice", choices=SELF_ASSESSMENT_MODES),
    Setting("self_weight", "float", 0, 0.5),
    # The share of the score earned by reviewing (reviewing_grade.py): 0 (off) to 0.5.
    Setting("review_share", "share", 0, 0.5),
    # Calibration on staff-scored examples (calibration.py): how many each learner assesses (0: off), the
    # distance within which they must come (1: none asked), the retries of an example.
    Setting("calibration_count", "int", 0, calibration_examples.MAX_EXAMPLES),
    Setting("calibration_tolerance", "float", 0, 1),
    Setting("calibration_retries", "int", 0, calibration_examples.MAX_RETRIES),
)
# Settings an editor payload may leave out: their defaults apply (an editor that does not offer them).
OPTIONAL_SETTINGS = ("calibration_count", "calibration_tolerance", "calibration_retries", "review_share")
SETTING_NAMES = tuple(s.name for s in SETTINGS)
CONTENT_NAMES = ("case", "prompt", "rubric", "calibration")


def parse_olx(node, platform_attrs: set[str] = frozenset()) -> dict:
    """Field values from an ``<sse_case_study>`` element; only what the OLX sets.

    ``platform_attrs``: attributes the caller has taken as the platform's (kept, not parsed here).
    """
    check_tree(node)
    check_attributes(node, set(SETTING_NAMES) | set(platform_attrs))
    check_children(node, {"case", "prompt", "rubric", "calibration"})
    values: dict = {}
    for spec in SETTINGS:
        if node.get(spec.name) is None:
            continue
        if spec.kind == "text":
            values[spec.name] = node.get(spec.name)
        elif spec.kind in ("int", "optint"):
            values[spec.name] = parse_int(node, spec.name, 0, int(spec.minimum), int(spec.maximum))
        elif spec.kind in ("float", "share"):
            values[spec.name] = parse_float(node, spec.name, 0.0, spec.minimum, spec.maximum)
        elif spec.kind == "weight":
            weight = parse_float(node, spec.name, 1.0, spec.minimum, spec.maximum)
            if not weight.is_integer():
                raise OLXError(f'weight="{node.get(spec.name)}" must be a whole number of points', node)
            values[spec.name] = weight
        elif spec.kind == "bool":
            values[spec.name] = parse_bool(node, spec.name, False)
        elif spec.kind == "date":
            values[spec.name] = parse_moment(node, spec.name)
        else:
            values[spec.name] = parse_choice(node, spec.name, spec.choices[0], spec.choices)
    _check_word_limits(values.get("min_words", 0), values.get("max_words", 0), node)
    _check_review_count(values.get("reviews_required", DEFAULTS["reviews_required"]), values.get("reviews_max"), node)
    _check_review_due(values.get("review_due"), node)
    seen = set()
    calibration_node = None
    for child in node:
        if not isinstance(child.tag, str):
            continue
        if child.tag in seen:
            raise OLXError(f"<{child.tag}> may appear only once", child)
        seen.add(child.tag)
        if child.tag == "rubric":
            values["rubric"] = rubric_from_xml(child).to_list()
        elif child.tag == "calibration":
            calibration_node = child  # read against the rubric, wherever it stands
        else:
            check_attributes(child, set())
            values[child.tag] = inner_html(child)
    if calibration_node is not None:
        if "rubric" not in values:
            raise OLXError("<calibration> needs the <rubric> its references name", calibration_node)
        values["calibration"] = calibration_examples.examples_from_xml(calibration_node, Rubric.from_list(values["rubric"]))
    return values


def _check_review_due(review_due, node) -> None:
    """Reviewing may not close before responses are due (the platform's ``due``, when the element has it)."""
    due = parse_moment(node, "due") if review_due is not None and node.get("due") else None
    if due is not None and review_due < due:
        raise OLXError(f'review_due="{node.get("review_due")}" is before due="{node.get("due")}": reviewing cannot '
                       "close before responses are due", node)


def _check_review_count(minimum, maximum, node=None):
    if maximum is not None and maximum < minimum:
        raise OLXError(f"reviews_max ({maximum}) is smaller than reviews_required ({minimum})", node)


def _check_word_limits(min_words, max_words, node=None):
    if min_words and max_words and min_words > max_words:
        raise OLXError(f"min_words ({min_words}) is larger than max_words ({max_words})", node)


def export_olx(values: dict, node) -> None:
    """Write field values onto ``node`` (attributes for set settings, then case, prompt, rubric)."""
    for spec in SETTINGS:
        if spec.name not in values:
            continue
        value = values[spec.name]
        if value is None:
            continue
        if spec.kind == "bool":
            node.set(spec.name, "true" if value else "false")
        elif spec.kind == "date":
            node.set(spec.name, format_moment(value))
        else:
            numeric = spec.kind in ("int", "optint", "float", "weight", "share")
            node.set(spec.name, format_number(value) if numeric else str(value))
    if "case" in values:
        set_inner_html(etree.SubElement(node, "case"), values["case"])
    if "prompt" in values:
        set_inner_html(etree.SubElement(node, "prompt"), values["prompt"])
    if "rubric" in values:
        rubric_to_xml(Rubric.from_list(values["rubric"]), node)
    if values.get("calibration"):
        calibration_examples.examples_to_xml(values["calibration"], node)


def _number(value, kind, meant=None):
    """A number as the author typed it ("0,4", "1 000"), see :mod:`sse_academy_xblock.typed_numbers`; None when
    it is none. Raises :class:`~sse_academy_xblock.typed_numbers.Ambiguous` for "1.895" unless ``meant`` settles it."""
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = typed_numbers.read(value, meant)
    if number is None:
        return None
    if kind == "int":
        return int(number) if number.is_integer() else None
    return number


def _optional_whole(raw, meant) -> tuple[bool, int | None]:
    """An optional whole number as the author typed it: ``(False, None)`` when left empty, else ``(True, number)``
    with None for text that is no whole number. Raises :class:`~sse_academy_xblock.typed_numbers.Ambiguous`."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return False, None
    return True, _number(raw, "int", meant)


def _share(raw, meant) -> float | None:
    """A share as the author typed it: a fraction ("0.2", "0,2") or a percentage ("20 %", "20%"); empty is 0.
    None when it is no number. Raises :class:`~sse_academy_xblock.typed_numbers.Ambiguous`."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return 0.0
    if isinstance(raw, str) and raw.strip().endswith("%"):
        number = _number(raw.strip()[:-1].strip(), "float", meant)
        return None if number is None else number / 100
    return _number(raw, "float", meant)


def validate_payload(payload, due=None) -> tuple[dict, list[dict]]:
    """Check everything the Studio editor sends; return clean values or every error at once.

    ``due`` is the block's due date as the platform gives it (in a course, the subsection's): reviewing may
    not close before it. Errors are ``{"where": field, "message": untranslated, "params": {...}}``.
    """
    errors: list[dict] = []

    def err(where, message, **params):
        errors.append({"where": where, "message": message, "params": params})

    def doubt(where, refusal: typed_numbers.Ambiguous):
        """A typed number with two readings: the error, with the refusal kept for the editor to ask."""
        errors.append({"where": where, "message": refusal.message, "params": refusal.params, "doubt": refusal})

    if not isinstance(payload, dict):
        return {}, [{"where": "", "message": _("The request must be a JSON object."), "params": {}}]
    meant = typed_numbers.meant_of(payload)
    payload = {**{name: DEFAULTS[name] for name in OPTIONAL_SETTINGS}, **payload}
    values: dict = {}
    for spec in SETTINGS:
        raw = payload.get(spec.name)
        if spec.kind == "text":
            text = raw.strip() if isinstance(raw, str) else ""
            if not text:
                err(spec.name, _("The display name cannot be empty."))
            elif len(text) > 255:
                err(spec.name, _("The display name is longer than 255 characters."))
            values[spec.name] = text
        elif spec.kind in ("weight", "optint"):
            values[spec.name] = None
            try:
                present, number = _optional_whole(raw, meant)
            except typed_numbers.Ambiguous as refusal:
                doubt(spec.name, refusal)
                continue
            if not present:
                continue
            if spec.kind == "weight":
                if number is None or not spec.minimum <= number <= spec.maximum:
                    err(spec.name, _("The weight must be empty (the rubric's points count) or a whole number of "
                                     "points between 1 and 1000."))
                values[spec.name] = None if number is None else float(number)
                continue
            if number is None:
                err(spec.name, _("%(field)s must be a whole number or empty."), field=spec.name)
            elif not spec.minimum <= number <= spec.maximum:
                err(spec.name, _("%(field)s must be between %(min)s and %(max)s."), field=spec.name,
                    min=format_number(spec.minimum), max=format_number(spec.maximum))
            values[spec.name] = number
        elif spec.kind == "share":
            values[spec.name] = DEFAULTS[spec.name]
            try:
                share = _share(raw, meant)
            except typed_numbers.Ambiguous as refusal:
                doubt(spec.name, refusal)
                continue
            if share is None or not spec.minimum <= share <= spec.maximum:
                err(spec.name, _("%(field)s must be a share between %(min)s and %(max)s, written as a percentage "
                                 "(%(example_percent)s) or a fraction (%(example_fraction)s); 0 turns it off."),
                    field=spec.name, min=l10n.percentage(spec.minimum * 100),
                    max=l10n.percentage(spec.maximum * 100), example_percent=l10n.percentage(20),
                    example_fraction=l10n.number(0.2))
            else:
                values[spec.name] = share
        elif spec.kind == "bool":
            if raw is None:
                raw = DEFAULTS[spec.name]  # an editor without the field leaves the setting off
            if not isinstance(raw, bool):
                err(spec.name, _("%(field)s must be on or off."), field=spec.name)
            values[spec.name] = raw is True
        elif spec.kind == "date":
            values[spec.name] = None
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            try:
                values[spec.name] = moment_from_text(raw) if isinstance(raw, str) else None
            except ValueError:
                pass
            if values[spec.name] is None:
                err(spec.name, _("%(field)s must be a date and time in UTC, such as 2026-12-05T17:00, or empty."),
                    field=spec.name)
            elif due is not None and values[spec.name] < due:
                err(spec.name, _("Reviewing cannot close before responses are due (%(due)s)."),
                    due=fallback_when(due))
        elif spec.kind == "choice":
            if not isinstance(raw, str) or raw not in spec.choices:
                err(spec.name, _("Choose one of the offered values for %(field)s."), field=spec.name)
            values[spec.name] = raw
        else:
            try:
                number = _number(raw, spec.kind, meant)
            except typed_numbers.Ambiguous as refusal:
                doubt(spec.name, refusal)
                values[spec.name] = None
                continue
            if number is None:
                message = _("%(field)s must be a whole number.") if spec.kind == "int" else _("%(field)s must be a number.")
                err(spec.name, message, field=spec.name)
            elif not spec.minimum <= number <= spec.maximum:
                err(spec.name, _("%(field)s must be between %(min)s and %(max)s."), field=spec.name,
                    min=l10n.number(spec.minimum), max=l10n.number(spec.maximum))
            values[spec.name] = number
    least, most = values.get("reviews_required"), values.get("reviews_max")
    if isinstance(least, int) and isinstance(most, int) and most < least:
        err("reviews_max", _("The most reviews a response may receive is smaller than the reviews it needs."))
    mn, mx = values.get("min_words"), values.get("max_words")
    if isinstance(mn, int) and isinstance(mx, int) and mn and mx and mn > mx:
        err("min_words", _("The minimum number of words is larger than the maximum."))
    for name in ("case", "prompt"):
        raw = payload.get(name)
        if raw is not None and not isinstance(raw, str):
            err(name, _("%(field)s must be text."), field=name)
            raw = ""
        raw = raw or ""
        if len(raw) > MAX_HTML:
            err(name, _("%(field)s is too long."), field=name)
        values[name] = clean_author_html(raw)
    if not values.get("prompt", "").strip():
        err("prompt", _("The prompt cannot be empty."))
    rubric, rubric_errors = validate_rubric_data(payload.get("rubric"))
    errors.extend(rubric_errors)
    if rubric is not None:
        values["rubric"] = rubric.to_list()
        # The practice examples, when sent (an editor without them keeps the block's), against that rubric.
        if "calibration" in payload:
            examples, example_errors = calibration_examples.validate_examples_data(payload["calibration"], rubric)
            errors.extend(example_errors)
            if examples is not None:
                values["calibration"] = examples
    return values, errors


def settings_warnings(values: dict, rubric_max: int = 0, due=None, examples=None,
                      rubric: Rubric | None = None) -> list[tuple[str, dict]]:
    """Non-blocking problems of a saved block, for ``validate()`` (``due``: the platform's due date)."""
    warnings = []
    review_due = values.get("review_due")
    if review_due is not None and due is not None and review_due < due:
        warnings.append((
            _("Reviewing is set to close (%(review_due)s) before responses are due (%(due)s): it closes with the "
              "responses instead."),
            {"review_due": fallback_when(review_due), "due": fallback_when(due)},
        ))
    weight = values.get("weight")
    if weight is not None and rubric_max > 0 and weight < rubric_max:
        warnings.append((
            _("The weight (%(weight)s) is smaller than the rubric's best total (%(max)s): the LMS stores whole "
              "points, so learners' grades will be rounded to whole points out of %(weight)s."),
            {"weight": l10n.number(weight), "max": l10n.number(rubric_max)},
        ))
    to_give = values.get("reviews_to_give", DEFAULTS["reviews_to_give"])
    required = values.get("reviews_required", DEFAULTS["reviews_required"])
    if to_give < required:
        warnings.append((
            _("Learners give fewer reviews (%(give)s) than each response needs (%(need)s): "
              "responses will wait for reviews and the waiting rule will apply often."),
            {"give": to_give, "need": required},
        ))
    most = values.get("reviews_max")
    if most is not None and most > required and to_give < most:
        warnings.append((
            _("Responses whose reviews disagree may ask for up to %(most)s reviews, but learners give %(give)s: the "
              "extra reviews come from learners who review more than required, and otherwise the waiting rule "
              "applies."),
            {"most": most, "give": to_give},
        ))
    if values.get("self_assessment") == "off" and values.get("self_weight", DEFAULTS["self_weight"]) != DEFAULTS[
            "self_weight"]:
        warnings.append((_("A weight for the self-assessment is set, but self-assessment is off: it has no effect."),
                         None))
    if values.get("weight_by_agreement"):
        if required < 2:
            warnings.append((
                _("Reviewers are weighted by agreement, but each response needs only %(need)s review: with a "
                  "single review there is nothing to weigh, so grades stay the plain median."),
                {"need": required},
            ))
        elif to_give < MIN_REVIEWS_FOR_WEIGHT:
            warnings.append((
                _("Reviewers are weighted by agreement once they have %(min)s comparable reviews, but learners give "
                  "only %(give)s: weighting will apply only to learners who review more than required."),
                {"min": MIN_REVIEWS_FOR_WEIGHT, "give": to_give},
            ))
    if rubric is not None:
        warnings += calibration_examples.warnings(values, examples or [], rubric)
    return warnings
