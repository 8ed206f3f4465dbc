"""Calibration on staff-scored examples: learners practise on responses the author scored before reviewing peers.

The author writes example responses, each with the *reference* option of every criterion and a note per
criterion saying why (``<calibration>`` in the OLX, below), and chooses how many examples a learner assesses
(``calibration_count``; 0, the default, turns calibration off), the *tolerance* within which an assessment must
come (``calibration_tolerance``, a share of the rubric's best total; 1, the default, asks for none) and how many
times a learner may try an example again (``calibration_retries``).

After submitting their response, and before their first review, a learner assesses the examples one after the
other, in an order fixed for them (:func:`order_for`: the examples sorted by a hash of the block, the learner and
the example, the first ``calibration_count`` asked). After each assessment the page says, per criterion, whether
they chose the reference option, above or below it, with the author's note. The reference options are shown once
the example is finished (within the tolerance, or no retry left); never before the learner's assessment is stored.
A learner who has used every retry goes on, and staff see it (:func:`staff_summary`).

Distance of an assessment (as in docs/insight.md, "Calibration")::

    distance = sum over criteria |points chosen - points of the reference option| / rubric's best total

It is within the tolerance when ``distance <= tolerance`` (always, with a tolerance of 1).

Calibration weight (when the block weighs reviewers by agreement): a reviewer who has fewer comparable reviews
than :data:`~sse_academy_xblock.insight.agreement_statistics.MIN_REVIEWS_FOR_WEIGHT` weighs
``max(0.1, 1 - mean distance of their first attempts)`` instead of 1 (:func:`seed_weights`); from then on their
agreement with the other reviewers decides, as before.

OLX::

    <calibration>
      <example name="weak">
        <response>The example's text (plain text, paragraphs separated by an empty line)</response>
        <reference criterion="analysis" option="Partly">Why (author HTML)</reference>
        ...
      </example>
    </calibration>
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.utils import timezone

from ..i18n import gettext_noop as _
from ..insight import agreement_statistics
from ..refusals import Refusal
from ..sanitize import clean_author_html
from .calibration_examples import (  # noqa: F401  (the examples' names, used here and by the callers)
    MAX_EXAMPLES, MAX_RETRIES, Example, calibration_weight, distance, examples_from_list, is_within, reference_index,
    reference_points,
)
from .config import PeerItem
from .models import CalibrationAttempt, ReviewPart
from .rubric import Rubric
from .submissions import current_submission


def usable(item: PeerItem) -> list[Example]:
    """The block's examples that fit its rubric, in the author's order."""
    return [e for e in item.calibration_examples if reference_points(e, item.rubric) is not None]


def is_on(item: PeerItem) -> bool:
    return item.calibration_count > 0 and bool(usable(item))


def order_for(item: PeerItem, anon_id: str) -> list[Example]:
    """The examples this learner assesses, in their order: fixed for them, different between learners."""
    def key(example: Example) -> str:
        return hashlib.sha256(f"{item.usage_id}\n{anon_id}\n{example.name}".encode()).hexdigest()
    return sorted(usable(item), key=key)[: item.calibration_count]


# --- a learner's progress -----------------------------------------------------------------------

@dataclass
class Progress:
    asked: list[Example]
    attempts: dict  # example name -> [CalibrationAttempt] in attempt order
    retries: int

    def finished_example(self, example: Example) -> bool:
        tried = self.attempts.get(example.name, [])
        return bool(tried) and (tried[-1].within or len(tried) > self.retries)

    @property
    def current(self) -> Example | None:
        return next((e for e in self.asked if not self.finished_example(e)), None)

    @property
    def finished(self) -> bool:
        return self.current is None

    @property
    def gave_up(self) -> list[str]:
        """Examples finished without coming within the tolerance (every retry used)."""
        return [e.name for e in self.asked if self.finished_example(e) and not self.attempts[e.name][-1].within]


def progress(item: PeerItem, anon_id: str) -> Progress:
    """The learner's calibration so far (one query)."""
    attempts: dict = defaultdict(list)
    for row in CalibrationAttempt.objects.filter(usage_id=item.usage_id, anonymous_user_id=anon_id).order_by(
            "example", "attempt"):
        attempts[row.example].append(row)
    return Progress(order_for(item, anon_id), dict(attempts), item.calibration_retries)


def must_calibrate(item: PeerItem, anon_id: str) -> bool:
    """Whether the learner still has examples to assess before reviewing (no query when calibration is off)."""
    return is_on(item) and not progress(item, anon_id).finished


def _choices(rubric: Rubric, payload) -> dict[str, int]:
    return rubric.complete_choices(payload, _("The assessment is not valid."),
                                   _("The assessment names a criterion that is not in the rubric."))


def assess(item: PeerItem, anon_id: str, example_name, payload, now=None) -> CalibrationAttempt:
    """Store the learner's assessment of the example they are asked now; refuse anything else (nothing stored)."""
    if not is_on(item):
        raise Refusal(_("This case study has no examples to assess."), status=409)
    own = current_submission(item.usage_id, anon_id)
    if own is None or own.is_cleared:
        raise Refusal(_("Submit your own response before reviewing others."), status=409)
    if own.is_cancelled:
        raise Refusal(_("Your submission was cancelled by the course team."), status=409)
    state = progress(item, anon_id)
    current = state.current
    if current is None:
        raise Refusal(_("You have already assessed the examples."), status=409)
    if example_name != current.name:
        raise Refusal(_("This is not the example to assess now. Reload the page to see the one that is."), status=409)
    chosen = _choices(item.rubric, payload)
    points = {c.name: c.options[chosen[c.name]].points for c in item.rubric.criteria}
    value = distance(points, reference_points(current, item.rubric), item.rubric.max_points)
    row = CalibrationAttempt(
        usage_id=item.usage_id, anonymous_user_id=anon_id, example=current.name,
        attempt=len(state.attempts.get(current.name, [])) + 1, options=chosen, points=points,
        distance=round(value, 6), within=is_within(value, item.calibration_tolerance), created=now or timezone.now())
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:  # the same attempt sent twice (two tabs, a double click): the first one stands
        raise Refusal(_("This assessment was already saved. Reload the page to go on."), status=409) from None
    return row


# --- what the learner sees ----------------------------------------------------------------------

def task_view(example: Example, position: int, total: int, attempts_left: int, rubric_view: list, t) -> dict:
    """The example to assess: its text and the rubric, never its reference."""
    return {
        "example": example.name,
        "heading": t.gettext("Practice example %(number)s of %(total)s") % {"number": position, "total": total},
        "text": example.response,
        "rubric": rubric_view,
        "retries_left": attempts_left,
    }


def result_view(example: Example, row: CalibrationAttempt, rubric: Rubric, finished: bool, item: PeerItem,
                t) -> dict:
    """How an assessment compares with the reference, per criterion: the reference option only once the example
    is finished (within the tolerance, or no retry left); before that, above or below it, and the note."""
    reference = reference_index(example, rubric)
    criteria = []
    for crit in rubric.criteria:
        chosen = int(row.options.get(crit.name, -1))
        ref = reference[crit.name]
        mine = crit.options[chosen].points if 0 <= chosen < len(crit.options) else None
        diff = 0 if mine is None else mine - crit.options[ref].points
        if diff == 0:
            verdict = t.gettext("You chose the reference option.")
        elif diff > 0:
            verdict = t.gettext("Your choice gives more points than the reference.")
        else:
            verdict = t.gettext("Your choice gives fewer points than the reference.")
        criteria.append({
            "label": crit.label, "matched": diff == 0, "verdict": verdict,
            "yours": crit.options[chosen].label if mine is not None else "",
            "reference": crit.options[ref].label if finished else "",
            "note_html": clean_author_html(example.notes.get(crit.name, "")),
        })
    if not finished:
        summary = t.gettext("Not yet within the tolerance: look at the notes and assess this example again.")
    elif row.within:
        summary = t.gettext("Within the tolerance: well done.")
    else:
        summary = t.gettext("Not within the tolerance, and no try is left: you go on, and the course team can see "
                            "it.")
    return {"example": example.name, "finished": finished, "within": row.within, "summary": summary,
            "distance": round(row.distance, 3), "criteria": criteria}


def learner_view(item: PeerItem, anon_id: str, rubric_view: list, t) -> dict | None:
    """The calibration part of the learner's page: the example to assess (or None when finished) and the
    result of their last assessment. None when the block has no calibration."""
    if not is_on(item):
        return None
    state = progress(item, anon_id)
    current = state.current
    total = len(state.asked)
    last = None
    latest = max((row for rows in state.attempts.values() for row in rows), key=lambda r: (r.created, r.pk),
                 default=None)
    if latest is not None:
        example = next((e for e in state.asked if e.name == latest.example), None)
        if example is not None:
            last = result_view(example, latest, item.rubric, state.finished_example(example), item, t)
    view = {"finished": current is None, "last": last, "task": None,
            "intro": t.ngettext(
                "Before reviewing other learners, assess %(n)s practice example that the course team has scored. "
                "Afterwards, you see where your assessment differs from theirs, and why.",
                "Before reviewing other learners, assess %(n)s practice examples that the course team has scored. "
                "After each, you see where your assessment differs from theirs, and why.", total) % {"n": total}}
    if current is not None:
        position = state.asked.index(current) + 1
        tried = len(state.attempts.get(current.name, []))
        view["task"] = task_view(current, position, total, item.calibration_retries + 1 - tried, rubric_view, t)
    else:
        view["done"] = t.gettext("Practice done. You can now review other learners.")
    return view


# --- weights ------------------------------------------------------------------------------------

def mean_first_distances(usage_id: str, anon_ids) -> dict[str, float]:
    """Each learner's mean distance over their first attempts (one query)."""
    return {anon: float(mean) for anon, mean in CalibrationAttempt.objects.filter(
        usage_id=usage_id, anonymous_user_id__in=sorted(set(anon_ids)), attempt=1,
    ).values_list("anonymous_user_id").annotate(mean=Avg("distance")).values_list("anonymous_user_id", "mean")}


def seed_weights(usage_id: str, reviewer_ids) -> dict[str, float]:
    """The calibration weight of the reviewers who assessed examples (the others are left out)."""
    return {anon: calibration_weight(mean) for anon, mean in mean_first_distances(usage_id, reviewer_ids).items()}


# --- staff --------------------------------------------------------------------------------------

def staff_examples(item: PeerItem) -> list[dict]:
    """Per example and criterion, the learners' first attempts: how many, how many chose the reference, the mean
    points away from it; per example, the learners who used every retry without coming within the tolerance."""
    rows = list(CalibrationAttempt.objects.filter(usage_id=item.usage_id).order_by(
        "example", "anonymous_user_id", "attempt").values_list("example", "anonymous_user_id", "attempt", "points",
                                                                "within"))
    by_example: dict = defaultdict(list)
    for row in rows:
        by_example[row[0]].append(row)
    result = []
    for example in item.calibration_examples:
        reference = reference_points(example, item.rubric)
        found = by_example.get(example.name, [])
        firsts = [points for _e, _a, attempt, points, _w in found if attempt == 1]
        last_by_learner = {}
        for _e, anon, attempt, _p, within in found:
            last_by_learner[anon] = (attempt, within)
        gave_up = sum(1 for attempt, within in last_by_learner.values()
                      if not within and attempt > item.calibration_retries)
        criteria = []
        for crit in item.rubric.criteria:
            ref = None if reference is None else reference[crit.name]
            values = [int(p[crit.name]) for p in firsts if crit.name in p]
            criteria.append({
                "name": crit.name, "label": crit.label, "learners": len(values),
                "matched": sum(1 for v in values if v == ref),
                "mean_gap": round(sum(abs(v - ref) for v in values) / len(values), 2) if values and ref is not None
                else None,
            })
        result.append({"name": example.name, "fits": reference is not None, "learners": len(firsts),
                       "within_first": sum(1 for _e, _a, attempt, _p, w in found if attempt == 1 and w),
                       "gave_up": gave_up, "criteria": criteria})
    return result


def alpha_split(item: PeerItem) -> list[dict]:
    """Per criterion, Krippendorff's alpha of the counted reviews by reviewers who assessed the examples beside
    that of those who did not (each response's reviews split in two units; one query for the parts, one for who
    calibrated)."""
    parts = ReviewPart.objects.filter(review__usage_id=item.usage_id, review__counted=True).values_list(
        "review__submission_id", "review__reviewer_id", "criterion_name", "points")
    units: dict = defaultdict(lambda: defaultdict(list))
    reviewers = set()
    for sub_id, reviewer, name, points in parts.iterator(chunk_size=2000):
        units[name][sub_id].append((reviewer, points))
        reviewers.add(reviewer)
    calibrated = set(CalibrationAttempt.objects.filter(usage_id=item.usage_id).values_list(
        "anonymous_user_id", flat=True).distinct()) if reviewers else set()
    result = []
    for crit in item.rubric.criteria:
        sides = {True: [], False: []}
        for scores in units.get(crit.name, {}).values():
            for side in (True, False):
                sides[side].append([p for r, p in scores if (r in calibrated) == side])
        row = {"name": crit.name, "label": crit.label}
        for side, key in ((True, "calibrated"), (False, "uncalibrated")):
            alpha = agreement_statistics.ordinal_alpha(sides[side])
            enough = alpha.units >= agreement_statistics.MIN_UNITS_FOR_ALPHA and alpha.value is not None
            row[key] = {"alpha": round(alpha.value, 3) if enough else None, "units": alpha.units}
        result.append(row)
    return result


def staff_summary(item: PeerItem) -> dict:
    return {"on": is_on(item), "count": item.calibration_count, "tolerance": item.calibration_tolerance,
            "retries": item.calibration_retries, "examples": staff_examples(item), "alpha": alpha_split(item),
            "min_units": agreement_statistics.MIN_UNITS_FOR_ALPHA}


CSV_HEADER = ["example", "criterion", "learners_first_attempt", "chose_reference", "mean_points_away",
              "within_tolerance_first_attempt", "used_every_retry"]


def csv_rows(item: PeerItem):
    for example in staff_examples(item):
        for crit in example["criteria"]:
            yield [example["name"], crit["name"], crit["learners"], crit["matched"],
                   "" if crit["mean_gap"] is None else crit["mean_gap"], example["within_first"], example["gave_up"]]


