"""Self-assessment: the learner scores their own response with the rubric, and sees it beside the peers' grade.

Rules (documented in the README), when the block's ``self_assessment`` is ``shown`` or ``counted``:

* After submitting, and until their response is graded, the learner may assess it once with the
  rubric (an option per criterion), while reviewing is open for them. It is optional: a response is
  graded when its reviews are in, self-assessed or not, and an assessment sent after that is refused
  (the page says why).
* ``shown``: the grade is the peers' alone; once graded the learner sees, per criterion, their own
  points beside the peers' grade.
* ``counted``: per criterion ``c``, with the author's weight ``w`` (``self_weight``, 0 to 0.5)::

      grade_c = round_half_up((1 - w) x peers_c + w x self_c)

  where ``peers_c`` is the peers' grade of the criterion (the median, or the weighted median when
  reviewers are weighted by agreement) and ``self_c`` the learner's own points; the total is the sum,
  kept between 0 and the rubric's best total. The rubric's best total is still what the exercise is
  worth: a self-score never adds possible points (in the gradebook or the Decent Work profile).
* Staff see, per criterion, the cohort's mean of (self points - peers' grade) over the responses
  graded by peers: above 0 learners rate themselves higher than their peers do (over-confidence),
  below 0 lower; and a CSV with each learner's points.

The assessment is stored with the response's row locked (the lock every grading takes), so it is
either in before the grade (and counts, or is compared) or refused.
"""

from __future__ import annotations

from dataclasses import replace

from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import l10n
from ..i18n import gettext_noop as _
from ..refusals import Refusal
from . import presentation
from .config import PeerItem
from .grading import PeerGrade, round_half_up
from .models import PeerSubmission, SelfAssessment
from .rubric import Rubric
from .submissions import current_submission, lock_submissions

MAX_SELF_WEIGHT = 0.5


def combined_medians(criteria: list[str], peers: dict[str, int], own: dict[str, int], weight: float) -> dict[str, int]:
    """The module's formula: per criterion, ``(1 - w) x peers + w x self``, a half rounded up."""
    return {name: round_half_up((1 - weight) * peers.get(name, 0) + weight * own.get(name, peers.get(name, 0)))
            for name in criteria}


def combine_locked(sub: PeerSubmission, item: PeerItem, criteria: list[str], result: PeerGrade) -> PeerGrade:
    """At grading time (``sub`` locked): keep the peers' grade beside the learner's self-assessment and, when
    it counts, the grade combined by the formula; the grade unchanged without a self-assessment."""
    if item.self_assessment == "off":
        return result
    own = SelfAssessment.objects.filter(submission_id=sub.pk).first()
    if own is None:
        return result
    weight = min(MAX_SELF_WEIGHT, max(0.0, item.self_weight)) if item.self_assessment == "counted" else 0.0
    own.peer_medians, own.weight = dict(result.medians), weight
    own.save(update_fields=["peer_medians", "weight"])
    if not weight:
        return result
    medians = combined_medians(criteria, result.medians, own.points, weight)
    raw = max(0, min(sum(medians.values()), result.points_possible))
    return replace(result, medians=medians, raw_points=raw)


def _options(rubric: Rubric, payload) -> dict[str, int]:
    return rubric.complete_choices(payload, _("The self-assessment is not valid."),
                                   _("The self-assessment names a criterion that is not in the rubric."))


def submit(item: PeerItem, anon_id: str, payload, now=None) -> SelfAssessment:
    """Store the learner's assessment of their own response (once, before it is graded)."""
    now = now or timezone.now()
    if item.self_assessment not in ("shown", "counted"):
        raise Refusal(_("This exercise has no self-assessment."), status=409)
    own = current_submission(item.usage_id, anon_id)
    if own is None or own.is_cleared:
        raise Refusal(_("Submit your own response before assessing it."), status=409)
    if own.is_cancelled:
        raise Refusal(_("Your submission was cancelled by the course team."), status=409)
    rubric = Rubric.from_list(own.rubric.criteria)
    options = _options(rubric, payload)
    points = {crit.name: crit.options[options[crit.name]].points for crit in rubric.criteria}
    try:
        with transaction.atomic():
            sub = lock_submissions(own.pk)[own.pk]
            if sub.graded_at is not None or sub.final_points is not None:
                raise Refusal(_("Your response has already been graded, so it can no longer be self-assessed."),
                              status=409)
            if SelfAssessment.objects.filter(submission_id=sub.pk).exists():
                raise Refusal(_("You have already assessed your response."), status=409)
            return SelfAssessment.objects.create(
                submission=sub, usage_id=item.usage_id, anonymous_user_id=anon_id, options=options, points=points,
                total_points=sum(points.values()), created=now,
            )
    except IntegrityError:
        raise Refusal(_("You have already assessed your response."), status=409) from None


def learner_view(item: PeerItem, sub: PeerSubmission | None, t, grade: dict | None = None) -> dict | None:
    """What the learner's page shows of the step: whether to offer it, and once graded, self beside peers.

    ``grade``: the grade's explanation (:func:`.learner_state.grade_view`); when the self-assessment counted in
    it, each criterion's line and the explanation say how, with the numbers that produced the grade."""
    if item.self_assessment == "off" or sub is None or sub.is_cleared or sub.is_cancelled:
        return None
    own = SelfAssessment.objects.filter(submission_id=sub.pk).first()
    graded = sub.graded_at is not None
    view = {"counted": item.self_assessment == "counted", "done": own is not None,
            "open": own is None and not graded, "rows": [], "strings": _strings(t)}
    if view["open"]:
        view["rubric"] = presentation.rubric_view(sub.rubric.criteria, t)
    if own is not None and not graded:
        view["status"] = t.gettext("Your self-assessment is saved: %(points)s. You will see it beside the peers' "
                                   "grade once your response is graded.") % {
            "points": l10n.points(t, own.total_points, sub.rubric.max_points)}
    if item.self_assessment == "counted":
        weight = min(MAX_SELF_WEIGHT, max(0.0, item.self_weight))
        view["rule"] = t.gettext(
            "Your self-assessment counts for %(share)s of each criterion's grade; the peers' grade for the rest."
        ) % {"share": l10n.percent(t, round(weight * 100))}
    else:
        view["rule"] = t.gettext("Your self-assessment does not count in your grade: it is shown beside the "
                                 "peers' grade once your response is graded.")
    if own is not None and own.peer_medians:
        for crit in Rubric.from_list(sub.rubric.criteria).criteria:
            mine, peers = own.points.get(crit.name), own.peer_medians.get(crit.name)
            if mine is None or peers is None:
                continue
            view["rows"].append({"criterion": crit.label, "self": l10n.number(mine), "peers": l10n.number(peers),
                                 "gap": ("+" if mine > peers else "") + l10n.number(mine - peers)})
    if grade and own is not None and own.weight and own.peer_medians and sub.grade_source == "peer":
        share = l10n.percent(t, round(own.weight * 100))
        for line, crit in zip(grade["medians"], Rubric.from_list(sub.rubric.criteria).criteria):
            line["text"] = t.gettext("%(points)s (peers' grade %(peers)s, your self-assessment %(self)s)") % {
                "points": l10n.points(t, line["median"] or 0, line["max_points"]),
                "peers": l10n.number(own.peer_medians.get(crit.name, 0)),
                "self": l10n.number(own.points.get(crit.name, 0)),
            }
        grade["how"] += " " + t.gettext(
            "Your self-assessment counted for %(share)s: each criterion's grade is the peers' grade weighted "
            "%(peers)s plus your own points weighted %(share)s, a half point rounded up.") % {
            "share": share, "peers": l10n.percent(t, 100 - round(own.weight * 100))}
    return view


def _strings(t) -> dict:
    return {
        "heading": t.gettext("Assess your own response"),
        "intro": t.gettext("Score your response with the rubric, as a reviewer would. You can do it once, "
                           "before your grade is out."),
        "submit": t.gettext("Save your self-assessment"),
        "choose": t.gettext("Choose an option for this criterion."),
        "caption": t.gettext("Your self-assessment beside the peers' grade"),
        "criterion": t.gettext("Criterion"),
        "self": t.gettext("Your points"),
        "peers": t.gettext("Peers' grade"),
        "gap": t.gettext("Difference"),
    }


def cohort_gaps(item: PeerItem) -> list[dict]:
    """Per criterion of the block's current rubric: the mean of (self - peers) over responses graded by peers
    and self-assessed, and how many. One query, streamed."""
    totals: dict[str, list] = {}
    rows = (SelfAssessment.objects.filter(usage_id=item.usage_id, submission__cleared_at__isnull=True)
            .exclude(peer_medians={}).values_list("points", "peer_medians").order_by("pk"))
    for points, peers in rows.iterator(chunk_size=2000):
        for name, value in points.items():
            if name in peers:
                entry = totals.setdefault(name, [0, 0])
                entry[0] += value - peers[name]
                entry[1] += 1
    result = []
    for crit in item.rubric.criteria:
        total, count = totals.get(crit.name, (0, 0))
        result.append({"criterion": crit.name, "label": crit.label, "responses": count,
                       "mean_gap": round(total / count, 2) if count else None})
    return result


CSV_HEADER = ("learner", "submission", "criterion", "self_points", "peer_points", "gap", "weight")


def csv_rows(item: PeerItem):
    """One row per self-assessed response and criterion (``CSV_HEADER``), streamed in one query; the criteria in
    the rubric's order (a stored JSON object's keys come back in the database's order: PostgreSQL sorts them)."""
    order = {c.name: i for i, c in enumerate(item.rubric.criteria)}
    rows = (SelfAssessment.objects.filter(usage_id=item.usage_id, submission__cleared_at__isnull=True)
            .values_list("anonymous_user_id", "submission_id", "points", "peer_medians", "weight").order_by("pk"))
    for learner, submission_id, points, peers, weight in rows.iterator(chunk_size=2000):
        for name, value in sorted(points.items(), key=lambda pair: (order.get(pair[0], len(order)), pair[0])):
            peer = peers.get(name) if peers else None
            yield (learner, submission_id, name, value, "" if peer is None else peer,
                   "" if peer is None else value - peer, weight)
