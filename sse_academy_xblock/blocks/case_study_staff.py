"""The case study's staff panel: submissions list, one submission, grade/flag/cancel actions, CSV.

Every handler checks staff on the server (``json_api(staff_only=True)``, or ``csv_download`` for the
CSV downloads) and every submission id sent by the browser is looked up within this block and course
(``staff_actions.get_for_block``): an id of another block is "not found".
"""

from __future__ import annotations

import functools

from .. import l10n, platform, typed_numbers
from ..i18n import gettext_noop as _
from ..i18n import ngettext_noop
from ..insight import agreement_statistics
from ..peer import calibration, gradebook, self_assessment, staff, staff_actions, staff_review_quality, waiting, workflow
from ..refusals import Refusal
from .mixins import csv_download, json_api


def status_labels(t) -> dict:
    return {
        "waiting_reviews": t.gettext("Waiting for reviews"),
        "waiting_own": t.gettext("Waiting for own reviews"),
        "staff_queue": t.gettext("To be graded by staff"),
        "flagged": t.gettext("Flagged"),
        "graded": t.gettext("Graded"),
        "divergent": t.gettext("Graded, divergent reviews"),
        "overridden": t.gettext("Graded by staff"),
        "cancelled": t.gettext("Cancelled"),
    }


def staff_strings(t) -> dict:
    return {
        "pair": t.gettext("%(label)s: %(value)s"),
        "filter": t.gettext("Show"),
        "all": t.gettext("All submissions"),
        "learner": t.gettext("Learner"),
        "submitted": t.gettext("Submitted"),
        "status": t.gettext("Status"),
        "received": t.gettext("Reviews received"),
        "given": t.gettext("Reviews given"),
        "peer_grade": t.gettext("Peer grade"),
        "final_grade": t.gettext("Final grade"),
        "reviewing_grade": t.gettext("Grade for reviewing"),
        "reviewing_pending": t.gettext("pending"),
        "score_with_reviewing": t.gettext("Score with reviewing"),
        "open": t.gettext("Open"),
        "open_label": t.gettext("Open the submission of %(learner)s"),
        "previous": t.gettext("Previous page"),
        "next": t.gettext("Next page"),
        "page": t.gettext("Page %(page)s"),
        "empty": t.gettext("No submissions yet."),
        "csv": t.gettext("Download all submissions (CSV)"),
        "waiting_days": l10n.plural_forms(t, *ngettext_noop("waiting %(count)s day", "waiting %(count)s days")),
        "point_count": l10n.plural_forms(t, *ngettext_noop("%(count)s point", "%(count)s points")),
        "response": t.gettext("Response"),
        "reviews": t.gettext("Reviews"),
        "no_reviews": t.gettext("No reviews yet."),
        "reviewer": t.gettext("Reviewer %(id)s"),
        "counted": t.gettext("counted"),
        "not_counted": t.gettext("not counted"),
        "leases": t.gettext("Reservations"),
        "flags": t.gettext("Reports"),
        "audit": t.gettext("Audit trail"),
        "points": t.gettext("Points"),
        "reason": t.gettext("Reason (shown to the learner, kept in the audit trail)"),
        "reason_col": t.gettext("Reason"),
        "set_grade": t.gettext("Set the grade"),
        "clear_flag": t.gettext("Clear the report: the response is acceptable"),
        "clear_divergence": t.gettext("Keep the divergent grade"),
        "note": t.gettext("Note (optional)"),
        "cancel": t.gettext("Cancel this submission"),
        "cancel_reason": t.gettext("Reason for cancelling (shown to the learner)"),
        "confirm_cancel": t.gettext("Withdraw this response? The learner's grade is taken back and they read your "
                                    "reason; they cannot submit again unless their attempt is reset."),
        "withdraw": t.gettext("Withdraw response"),
        "keep_it": t.gettext("Keep it"),
        "uphold": t.gettext("Uphold the report: withdraw the response"),
        "uphold_effect": t.gettext("The response is withdrawn: its grade is taken back, the learner reads your reason "
                                   "and cannot submit again unless their attempt is reset."),
        "clear_effect": t.gettext("The response goes back to review and is graded as usual; the learner is not told "
                                  "about the report."),
        "confirm_uphold": t.gettext("Uphold the report and withdraw this response? The learner's grade is taken back "
                                    "and they read your reason."),
        "points_whole": t.gettext("Enter the points as a whole number."),
        "points_range": t.gettext("The points must be between 0 and %(max)s."),
        "reason_required": t.gettext("A reason is required; it is kept in the audit trail."),
        "reason_long": t.gettext("The reason is longer than %(max)s characters."),
        "empty_filter": t.gettext("No submissions have the status “%(status)s” now."),
        "clear_filter": t.gettext("Show all submissions"),
        "close": t.gettext("Close"),
        "status_col": t.gettext("Status"),
        "when": t.gettext("When"),
        "by": t.gettext("By"),
        "action": t.gettext("Action"),
        "old": t.gettext("Old"),
        "new": t.gettext("New"),
        "expires": t.gettext("Expires"),
        "draft": t.gettext("Draft saved"),
        "yes": t.gettext("yes"),
        "no": t.gettext("no"),
        "extra": t.gettext("extra"),
        "fb_helpful": t.gettext("The author rated this review as helpful (%(when)s)."),
        "fb_not_helpful": t.gettext("The author rated this review as not helpful (%(when)s)."),
        "fb_none": t.gettext("The author has not rated this review."),
        "fb_comment": t.gettext("The author's comment on this review:"),
        "divergent_note": t.gettext("The reviews of this submission diverge: spread %(spread)s of the best total."),
        "criterion": t.gettext("Criterion"),
        "weighted_note": l10n.plural_forms(t, *ngettext_noop(
            "Graded with reviewers weighted by agreement: the plain medians would have given %(count)s point.",
            "Graded with reviewers weighted by agreement: the plain medians would have given %(count)s points.")),
        "q_intro": t.gettext(
            "How much reviewers agree, counted when each response is graded, over the reviews that counted in "
            "grades. Alpha (Krippendorff's, ordinal) is 1 when reviewers always agree, about 0 when they agree no "
            "more than chance, below 0 when they disagree systematically; from about 0.67 reviewers can be "
            "trusted to tell responses apart on that criterion."),
        "q_weighting_on": t.gettext("Weighting reviewers by agreement is on: peer grades are weighted medians."),
        "q_weighting_off": t.gettext("Weighting reviewers by agreement is off: peer grades are plain medians. The "
                                     "weight column shows what each reviewer would weigh if it were on."),
        "q_criteria_caption": t.gettext("Agreement per criterion"),
        "q_alpha": t.gettext("Alpha"),
        "q_units": t.gettext("Responses (with 2 or more reviews)"),
        "q_scores": t.gettext("Reviews"),
        "q_reviewers_caption": t.gettext("Reviewers, the most distant from the others first"),
        "q_reviewers_note": t.gettext(
            "Distance: how far a reviewer's total sits from the median total of the other reviews of the same "
            "response, as a share of the best total, averaged over their reviews. Weight: 1 minus that distance "
            "(at least 0.1), once they have %(min)s comparable reviews; 1 before."),
        "q_reviewer": t.gettext("Reviewer"),
        "q_reviews": t.gettext("Comparable reviews"),
        "q_distance": t.gettext("Mean distance from the others"),
        "q_too_few": t.gettext("too few reviews"),
        "q_helpful": t.gettext("Rated helpful by the authors"),
        "q_helpful_value": t.gettext("%(helpful)s of %(rated)s"),
        "q_not_rated": t.gettext("not rated yet"),
        "q_no_reviewers": t.gettext("No graded response has two or more reviews yet."),
        "q_csv": t.gettext("Download all reviewers (CSV)"),
        "gradebook": t.gettext("Gradebook"),
        "send_again": t.gettext("Send again to the gradebook"),
    }


def alpha_words(t) -> dict:
    """Words for the verdicts on an alpha (:func:`sse_academy_xblock.insight.agreement_statistics.alpha_verdict`)."""
    return {
        agreement_statistics.ALPHA_GOOD_WORD: t.gettext("reliable"),
        agreement_statistics.ALPHA_TENTATIVE_WORD: t.gettext("tentative conclusions only"),
        agreement_statistics.ALPHA_LOW_WORD: t.gettext("low"),
        agreement_statistics.ALPHA_NEGATIVE_WORD: t.gettext("systematic disagreement"),
    }


def review_quality_texts(t, summary: dict) -> dict:
    """The "Review quality" summary with its figures worded: each alpha with two decimals and a verdict word
    (or "not enough data"), and the weight column's header as weighting is on or off."""
    words = alpha_words(t)
    criteria = []
    for criterion in summary["criteria"]:
        if criterion["enough"]:
            text = t.gettext("%(alpha)s (%(verdict)s)") % {
                "alpha": l10n.fixed(criterion["alpha"], 2), "verdict": words[criterion["verdict"]]}
        else:
            text = t.gettext("Not enough data (fewer than %(min)s responses)") % {"min": summary["min_units"]}
        criteria.append({**criterion, "alpha_text": text})
    weight = t.gettext("Weight in peer grades") if summary["weighting_on"] else t.gettext("Weight if weighting were on")
    return {**summary, "criteria": criteria, "weight_label": weight}


def self_gap_texts(t, item) -> dict | None:
    """The self-assessment's cohort gap per criterion (:func:`..peer.self_assessment.cohort_gaps`), worded; None
    when the block has no self-assessment."""
    if item.self_assessment == "off":
        return None
    rows = []
    for gap in self_assessment.cohort_gaps(item):
        value = gap["mean_gap"]
        if value is None:
            text = t.gettext("not enough data")
        elif value > 0:
            text = t.gettext("%(gap)s: learners rate themselves higher than their peers do") % {
                "gap": "+" + l10n.fixed(value, 2)}
        elif value < 0:
            text = t.gettext("%(gap)s: learners rate themselves lower than their peers do") % {
                "gap": l10n.fixed(value, 2)}
        else:
            text = t.gettext("0: learners rate themselves as their peers do")
        rows.append({"label": gap["label"], "responses": gap["responses"], "gap": text})
    return {
        "caption": t.gettext("Self-assessment: mean of self minus peers, per criterion"),
        "note": t.gettext("Over the responses graded by peers whose authors assessed them: each learner's points "
                          "minus the peers' grade of the criterion, averaged."),
        "criterion": t.gettext("Criterion"),
        "responses": t.gettext("Responses"),
        "gap_header": t.gettext("Mean gap (self minus peers)"),
        "csv": t.gettext("Download the self-assessments (CSV)"),
        "rows": rows,
    }


def code_labels(t) -> dict:
    """Words for the codes a submission's detail carries (reservation states, audit actions, reports)."""
    return {
        "lease": {
            "open": t.gettext("Reserved"),
            "expired": t.gettext("Reservation expired"),
            "done": t.gettext("Review submitted"),
            "cancelled": t.gettext("Withdrawn from review"),
        },
        "action": {
            "override": t.gettext("Grade overridden"),
            "staff_grade": t.gettext("Graded by staff"),
            "cancel": t.gettext("Submission cancelled"),
            "clear_flag": t.gettext("Report cleared"),
            "uphold_flag": t.gettext("Report upheld, response withdrawn"),
            "clear_divergence": t.gettext("Divergent grade kept"),
            "clear_state": t.gettext("Learner state deleted"),
            "waiting_rule": t.gettext("Waiting rule applied"),
            "reset_attempts": t.gettext("Attempt reset: a new response may be submitted"),
        },
        "delivery": {
            "none": t.gettext("nothing sent"),
            "pending": t.gettext("delivery pending"),
            "failed": t.gettext("delivery failed, tried again automatically"),
            "delivered": t.gettext("delivered"),
        },
        "resolution": {
            "": t.gettext("Not yet handled"),
            "cleared": t.gettext("Report cleared"),
            "upheld": t.gettext("Report upheld"),
            "cancelled": t.gettext("Submission cancelled"),
        },
    }


class CaseStudyStaffMixin:
    """Staff-only handlers of :class:`SSECaseStudyBlock`."""

    def staff_init(self) -> dict:
        t = self.translator
        return {"statuses": status_labels(t), "strings": staff_strings(t), "codes": code_labels(t),
                "order": list(staff.STATUSES), "rules": staff_actions.staff_rules()}

    def _staff_id(self) -> str:
        return platform.anonymous_user_id(self) or "staff"

    def _detail(self, item, sub) -> dict:
        return self._scores_worded(staff.submission_detail(item, sub, workflow.response_text(sub)))

    def _scores_worded(self, row: dict) -> dict:
        """The peer and final grades worded as the learner reads them ("9 of 10 points (90%)")."""
        t = self.translator
        possible = row.get("points_possible")
        for name in ("peer_points", "final_points"):
            value = row.get(name)
            row[f"{name}_text"] = l10n.score(t, value, possible) if value is not None and possible else ""
        return row

    @json_api(staff_only=True)
    def staff_list(self, data, suffix=""):
        page, status = data.get("page", 1), data.get("status") or None
        after, before = data.get("after"), data.get("before")
        for value in (page, after, before):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise Refusal(_("The page number is not valid."))
        if status is not None and status not in staff.STATUSES:
            raise Refusal(_("This status is not known."))
        item = self.peer_item()
        waiting.apply_waiting_rule(item)
        gradebook.deliver_due_after_commit(item.usage_id)
        found = staff.list_page(item, page=page or 1, status=status, after=after, before=before)
        found["rows"] = [self._scores_worded(row) for row in found["rows"]]
        return found

    @json_api(staff_only=True)
    def staff_submission(self, data, suffix=""):
        item = self.peer_item()
        sub = staff_actions.get_for_block(item, data.get("submission"))
        return {"detail": self._detail(item, sub)}

    def _staff_action(self, func, data, *fields, message="", pending=""):
        """Run a staff action, then answer with the submission as stored. ``pending``, when given, is the
        message if the gradebook has not received the submission's grade (its delivery is pending)."""
        item = self.peer_item()
        sub = func(item, self._staff_id(), data.get("submission"), *[data.get(f) for f in fields])
        sub = staff_actions.get_for_block(item, sub.pk)
        detail = self._detail(item, sub)
        if pending and detail["delivery"]["state"] in (gradebook.PENDING, gradebook.FAILED):
            message = pending
        return {"detail": detail, "message": message}

    @json_api(staff_only=True)
    def staff_grade(self, data, suffix=""):
        # Points typed "1.000" are asked about (both readings); "meant" carries the choice when resent.
        return self._staff_action(
            functools.partial(staff_actions.set_staff_grade, meant=typed_numbers.meant_of(data)), data, "points",
            "reason",
            message=self._("The grade was saved and sent to the gradebook."),
            pending=self._("The grade was saved; its delivery to the gradebook is pending. It is tried again "
                           "automatically, or use “Send again to the gradebook”."))

    @json_api(staff_only=True)
    def staff_clear_flag(self, data, suffix=""):
        return self._staff_action(
            staff_actions.clear_flags, data, "note",
            message=self._("The report was cleared; the response is back in review."),
            pending=self._("The report was cleared; the response is back in review. The delivery of its grade to "
                           "the gradebook is pending: it is tried again automatically, or use “Send again to "
                           "the gradebook”."))

    @json_api(staff_only=True)
    def staff_uphold_flag(self, data, suffix=""):
        return self._staff_action(
            staff_actions.uphold_flags, data, "reason",
            message=self._("The report was upheld: the response was withdrawn and its grade taken back from the "
                           "gradebook."),
            pending=self._("The report was upheld: the response was withdrawn; taking its grade back from the "
                           "gradebook is pending. It is tried again automatically, or use “Send again to the "
                           "gradebook”."))

    @json_api(staff_only=True)
    def staff_clear_divergence(self, data, suffix=""):
        return self._staff_action(staff_actions.clear_divergence, data, "note",
                                  message=self._("The grade is kept."))

    @json_api(staff_only=True)
    def staff_cancel(self, data, suffix=""):
        return self._staff_action(
            staff_actions.cancel_submission, data, "reason",
            message=self._("The submission was cancelled and its grade taken back from the gradebook."),
            pending=self._("The submission was cancelled; taking its grade back from the gradebook is pending. It "
                           "is tried again automatically, or use “Send again to the gradebook”."))

    @json_api(staff_only=True)
    def staff_send_again(self, data, suffix=""):
        """Send the submission's grade (or its cancellation) to the gradebook again, now."""
        return self._staff_action(
            lambda item, _staff, submission: staff_actions.send_again(item, submission), data,
            message=self._("The gradebook has received the grade."),
            pending=self._("The gradebook could not be reached; the delivery is still pending and is tried again "
                           "automatically."))

    @json_api(staff_only=True)
    def staff_agreement(self, data, suffix=""):
        """The "Review quality" section: alpha per criterion, one page of reviewers (keyset, see
        ``peer.staff_review_quality.reviewers_page``)."""
        page, after, before = data.get("page", 1), data.get("after"), data.get("before")
        for value in (page, after, before):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise Refusal(_("The page number is not valid."))
        if after is not None and before is not None:
            raise Refusal(_("The page number is not valid."))
        item = self.peer_item()
        reply = review_quality_texts(self.translator, staff_review_quality.summary(
            item, after=after, before=before, page=page or 1))
        reply["self_gaps"] = self_gap_texts(self.translator, item)
        return reply

    @csv_download("case-study-self-assessment.csv")
    def staff_self_assessment_csv(self, request, suffix=""):
        """Every self-assessment of the block, one row per criterion, beside the peers' grade (streamed)."""
        return self_assessment.CSV_HEADER, self_assessment.csv_rows(self.peer_item())

    @json_api(staff_only=True)
    def staff_calibration(self, data, suffix=""):
        """The "Practice on examples" section: per example and criterion how learners did on their first attempt,
        and per criterion the alpha of calibrated and uncalibrated reviewers side by side."""
        return calibration_texts(self.translator, calibration.staff_summary(self.peer_item()))

    @csv_download("case-study-practice.csv")
    def staff_calibration_csv(self, request, suffix=""):
        """Per example and criterion, the learners' first attempts (see ``staff_calibration``)."""
        return list(calibration.CSV_HEADER), calibration.csv_rows(self.peer_item())

    @csv_download("case-study-reviewers.csv")
    def staff_agreement_csv(self, request, suffix=""):
        """Every reviewer of the block with their agreement figures, streamed in keyset chunks."""
        item = self.peer_item()
        return staff_review_quality.csv_header(item, self.translator.gettext), staff_review_quality.csv_rows(item)

    @csv_download("case-study-submissions.csv")
    def staff_csv(self, request, suffix=""):
        """All submissions with grades and per-criterion medians, streamed row by row."""
        t = self.translator
        item = self.peer_item()
        words = staff.CsvWords(statuses=status_labels(t), deliveries=code_labels(t)["delivery"],
                               yes=t.gettext("yes"), no=t.gettext("no"))
        return staff.csv_header(item, t.gettext), staff.csv_rows(item, words=words)


def calibration_texts(t, summary: dict) -> dict:
    """The staff's practice section with its sentences in the reader's language."""
    def alpha(side: dict) -> str:
        if side["alpha"] is None:
            return t.gettext("not enough data (%(units)s responses)") % {"units": side["units"]}
        return t.gettext("%(alpha)s (%(units)s responses)") % {"alpha": l10n.fixed(side["alpha"], 3),
                                                               "units": side["units"]}
    examples = []
    for example in summary["examples"]:
        examples.append({
            "name": example["name"],
            "heading": t.ngettext(
                "Example “%(name)s”: %(learners)s learner assessed it; at the first try, within the tolerance: "
                "%(within)s; every retry used without it: %(gave_up)s.",
                "Example “%(name)s”: %(learners)s learners assessed it; at the first try, within the tolerance: "
                "%(within)s; every retry used without it: %(gave_up)s.", example["learners"]) % {
                "name": example["name"], "learners": example["learners"], "within": example["within_first"],
                "gave_up": example["gave_up"]},
            "fits": example["fits"],
            "criteria": [{"label": c["label"], "matched": t.gettext("%(matched)s of %(learners)s") % c,
                          "gap": "" if c["mean_gap"] is None else l10n.number(c["mean_gap"])}
                         for c in example["criteria"]],
        })
    return {
        "on": summary["on"],
        "off_text": "" if summary["on"] else t.gettext("Practice on examples is off for this case study."),
        "examples": examples,
        "alpha": [{"label": row["label"], "calibrated": alpha(row["calibrated"]),
                   "uncalibrated": alpha(row["uncalibrated"])} for row in summary["alpha"]],
        "strings": {
            "heading": t.gettext("Practice on examples"),
            "criterion": t.gettext("Criterion"),
            "matched": t.gettext("Chose the reference (first try)"),
            "gap": t.gettext("Mean points away from the reference"),
            "alpha_heading": t.gettext("Agreement of reviewers who practised and of those who did not"),
            "calibrated": t.gettext("Alpha, reviewers who practised"),
            "uncalibrated": t.gettext("Alpha, other reviewers"),
            "csv": t.gettext("Download the practice results (CSV)"),
        },
    }
