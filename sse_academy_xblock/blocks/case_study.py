"""``sse_case_study``: a written analysis of a case, reviewed by peers against a rubric.

The class holds fields, views and handlers; everything else (allocation, grading, the waiting rule,
staff actions, OLX) lives in :mod:`sse_academy_xblock.peer`. Staff handlers are in
:mod:`.case_study_staff`, the Studio editor in :mod:`.case_study_studio`.
"""

from __future__ import annotations

import hashlib

from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Boolean, Date, Float, Integer, List, Scope, String

from .. import deadlines, dimensions, l10n, platform, scenarios
from ..i18n import gettext_noop as _
from ..i18n import ngettext_noop
from ..peer import (
    calibration, events, feedback, gradebook, learner_state, presentation, reviewer_feedback, reviewing_grade,
    self_assessment, staff_actions, waiting, workflow,
)
from ..peer.authoring import SETTING_NAMES, export_olx, parse_olx
from ..peer.config import DEFAULTS, PeerItem
from ..refusals import Refusal
from ..peer.rubric import Rubric
from ..peer.submissions import current_submission
from ..sanitize import clean_author_html, index_text
from .case_study_staff import CaseStudyStaffMixin
from .case_study_studio import DEFAULT_RUBRIC, CaseStudyStudioMixin
from .contract import PlatformContractMixin, PlatformDeadlineMixin
from .mixins import READ_ONLY_MESSAGE, SSEBlockMixin, json_api

FIELD_NAMES = (
    "display_name", "dimension", "weight", "reviews_required", "reviews_to_give", "min_words", "max_words",
    "lease_hours", "waiting_days", "waiting_rule", "divergence_threshold", "weight_by_agreement", "in_profile", "review_due",
    "reviews_max", "agreement_points", "self_assessment", "self_weight", "review_share",
    "calibration_count", "calibration_tolerance", "calibration_retries",
)


@XBlock.needs("i18n")
@XBlock.needs("user")
@XBlock.wants("settings")
@XBlock.wants("studio_user_permissions")
class SSECaseStudyBlock(CaseStudyStaffMixin, CaseStudyStudioMixin, PlatformContractMixin, PlatformDeadlineMixin,
                        SSEBlockMixin, XBlock):
    """Read a case, write an analysis, review peers, receive a grade computed on the server."""

    OLX_OWN_ATTRIBUTES = frozenset(SETTING_NAMES)
    OLX_OWN_FIELDS = frozenset({"case", "prompt", "rubric", "calibration"})

    has_score = True
    completion_mode = XBlockCompletionMode.COMPLETABLE
    icon_class = "problem"

    display_name = String(display_name=_("Display name"), default=_("Case study"), scope=Scope.settings)
    dimension = String(display_name=_("Decent Work dimension"), default=dimensions.DEFAULT_DIMENSION,
                       scope=Scope.settings, values=list(dimensions.DIMENSION_IDS))
    weight = Float(display_name=_("Weight"), default=DEFAULTS["weight"], scope=Scope.settings,
                   help=_("The points this exercise is worth in the course grade; empty means the rubric's points."))
    reviews_required = Integer(display_name=_("Reviews required"), default=DEFAULTS["reviews_required"],
                               scope=Scope.settings, help=_("Completed reviews a response needs to be graded."))
    reviews_to_give = Integer(display_name=_("Reviews to give"), default=DEFAULTS["reviews_to_give"],
                              scope=Scope.settings, help=_("Reviews a learner gives before seeing their grade."))
    min_words = Integer(display_name=_("Minimum words"), default=DEFAULTS["min_words"], scope=Scope.settings)
    max_words = Integer(display_name=_("Maximum words"), default=DEFAULTS["max_words"], scope=Scope.settings,
                        help=_("0 means no limit."))
    lease_hours = Float(display_name=_("Review reservation (hours)"), default=DEFAULTS["lease_hours"],
                        scope=Scope.settings)
    waiting_days = Float(display_name=_("Waiting time (days)"), default=DEFAULTS["waiting_days"],
                         scope=Scope.settings)
    waiting_rule = String(display_name=_("Waiting rule"), default=DEFAULTS["waiting_rule"], scope=Scope.settings,
                          values=["lower", "staff"])
    divergence_threshold = Float(display_name=_("Divergence threshold"), default=DEFAULTS["divergence_threshold"],
                                 scope=Scope.settings)
    weight_by_agreement = Boolean(
        display_name=_("Weight reviewers by agreement"), default=DEFAULTS["weight_by_agreement"],
        scope=Scope.settings,
        help=_("Grade each criterion with a weighted median: reviewers whose scores usually agree with the other "
               "reviewers of the same responses count more, once they have given enough reviews."),
    )
    in_profile = Boolean(
        display_name=_("Count in the Decent Work profile"), default=DEFAULTS["in_profile"], scope=Scope.settings,
        help=_("Off for an exercise whose criteria do not belong to its dimension, such as an orientation case: "
               "its grade still counts in the course grade, but not in the learners' Decent Work profile."),
    )
    content_language = String(
        display_name=_("Language of the text"), default=l10n.DEFAULT_CONTENT_LANGUAGE, scope=Scope.settings,
        values=list(l10n.CONTENT_LANGUAGE_CODES),
        help=_("The language the case, prompt and rubric are written in; pages in another language mark it for "
               "screen readers."),
    )
    # Responses close at the platform's due date (and grace period, see PlatformDeadlineMixin); reviews at this
    # date, never before the responses, or with them when it is empty.
    review_due = Date(
        display_name=_("Reviews due"), scope=Scope.settings,
        help=_("When reviewing closes (reviews, reports and ratings of reviews); empty: when responses are due. "
               "Not before the due date."),
    )
    # The adaptive review count (peer/review_count.py) and self-assessment (peer/self_assessment.py).
    reviews_max = Integer(
        display_name=_("Most reviews per response"), default=DEFAULTS["reviews_max"], scope=Scope.settings,
        help=_("Empty: every response gets the reviews required. Above that number: a response whose reviews "
               "do not agree asks for one more review at a time, up to this number; if they still diverge, staff "
               "grade it."))
    agreement_points = Integer(
        display_name=_("Points within which reviews agree"), default=DEFAULTS["agreement_points"],
        scope=Scope.settings)
    self_assessment = String(display_name=_("Self-assessment"), default=DEFAULTS["self_assessment"],
                             scope=Scope.settings, values=["off", "shown", "counted"])
    self_weight = Float(display_name=_("Weight of the self-assessment"), default=DEFAULTS["self_weight"],
                        scope=Scope.settings)
    review_share = Float(
        display_name=_("Share of the score for reviewing"), default=DEFAULTS["review_share"], scope=Scope.settings,
        help=_("0 to 0.5 (0: off). The case study's score is (1 - share) x the response's grade + share x the "
               "learner's grade for reviewing (1 minus their mean distance from the other reviewers) x the best "
               "total."))
    calibration_count = Integer(
        display_name=_("Practice examples"), default=DEFAULTS["calibration_count"], scope=Scope.settings,
        help=_("How many of the staff-scored examples each learner assesses before reviewing (0: none)."))
    calibration_tolerance = Float(
        display_name=_("Practice tolerance"), default=DEFAULTS["calibration_tolerance"], scope=Scope.settings,
        help=_("How close to the reference an assessment must come, as a share of the best total (1: any)."))
    calibration_retries = Integer(
        display_name=_("Practice retries"), default=DEFAULTS["calibration_retries"], scope=Scope.settings,
        help=_("How many times a learner may assess an example again before going on."))
    case = String(default="", scope=Scope.content, help=_("The case, as author HTML."))
    prompt = String(default="", scope=Scope.content, help=_("What learners are asked to write, as author HTML."))
    rubric = List(default=DEFAULT_RUBRIC, scope=Scope.content, help=_("Criteria and options, as stored by the editor."))
    calibration = List(default=[], scope=Scope.content,
                       help=_("Staff-scored example responses: text, reference option per criterion, notes."))

    # Learner state. The response, reviews and grade live in the peer-review tables; these fields
    # give the platform a state row for the learner (its StudentModule), which the instructor
    # dashboard's "reset attempts" and "delete learner state" look up and fail without.
    has_saved = Boolean(default=False, scope=Scope.user_state, help=_("Whether the learner saved a draft."))
    submission_id = Integer(default=None, scope=Scope.user_state, help=_("The learner's current response."))
    # Responses submitted: the instructor dashboard's "Reset attempts" sets it to 0 in the learner's state
    # (reset_student_attempts in lms/djangoapps/instructor/enrollment.py), and the learner may then submit a
    # new response (see _apply_dashboard_reset).
    attempts = Integer(default=0, scope=Scope.user_state, help=_("Responses the learner submitted."))
    # The grade last announced to the analytics (docs/events.md): "<submission id>:<earned>:<possible>".
    grade_announced = String(default="", scope=Scope.user_state)

    # --- the block as the services see it ----------------------------------------------------

    def rubric_obj(self) -> Rubric:
        return Rubric.from_list(self.rubric)

    def peer_item(self, course_id: str | None = None, usage_id: str | None = None) -> PeerItem:
        deadline = self.deadline()
        responses, reviews = deadlines.peer_windows(deadline.due, self.review_due, deadline.grace)
        return PeerItem(
            course_id=course_id or platform.course_id(self), usage_id=usage_id or platform.usage_id(self),
            item_type=self.scope_ids.block_type, rubric=self.rubric_obj(),
            dimension=self.dimension if self.in_profile else "",
            weight=self.weight, reviews_required=self.reviews_required, reviews_to_give=self.reviews_to_give,
            min_words=self.min_words, max_words=self.max_words, lease_hours=self.lease_hours,
            waiting_days=self.waiting_days, waiting_rule=self.waiting_rule,
            divergence_threshold=self.divergence_threshold, weight_by_agreement=bool(self.weight_by_agreement),
            calibration_count=self.calibration_count or 0, calibration_tolerance=self.calibration_tolerance,
            calibration_retries=self.calibration_retries or 0,
            calibration_examples=calibration.examples_from_list(self.calibration),
            responses=responses, reviews=reviews, reviews_max=self.reviews_max,
            agreement_points=self.agreement_points, self_assessment=self.self_assessment,
            self_weight=self.self_weight, review_share=self.review_share or 0.0,
        )

    # --- scores ---------------------------------------------------------------------------------

    def max_score(self):
        """The rubric's best total (content only; the platform applies ``weight``)."""
        return self.rubric_obj().max_points

    def possible_by_dimension(self) -> dict[str, float]:
        """``{dimension: rubric best total}`` for ``sse_profile``; nothing when left out of the profile."""
        best = self.rubric_obj().max_points
        return {self.dimension: float(best)} if best > 0 and self.in_profile else {}

    def learner_breakdown(self) -> dict[str, dict[str, float]]:
        """The current learner's ``{dimension: {earned, possible}}``; 0 earned until graded."""
        possible = self.possible_by_dimension()
        anon = self.anonymous_id
        if possible and anon and not self.is_author_mode:
            sub = current_submission(platform.usage_id(self), anon)
            if sub is not None and not sub.is_cancelled and sub.final_points is not None and sub.points_possible > 0:
                # As the gradebook has it: with a share for reviewing, the score of peer/reviewing_grade.py.
                score = reviewing_grade.score_of(self.peer_item(), sub)
                earned = score.points if score.counts_reviewing else sub.final_points
                return {self.dimension: {"earned": float(max(0, earned)), "possible": float(sub.points_possible)}}
        return {d: {"earned": 0.0, "possible": p} for d, p in possible.items()}

    def clear_student_state(self, user_id, course_id, item_id, requesting_user_id):
        """The instructor dashboard's "delete learner state" (see ``staff_actions.clear_learner_state``).

        The learner's score is reset in edx-submissions inside the platform's ``STATE_DELETED`` event
        transaction, opened first, and announced to the LMS only when the caller wants signals and events
        (:func:`..platform.begin_state_deleted`)."""
        announce = platform.begin_state_deleted()
        staff_actions.clear_learner_state(self.peer_item(str(course_id), str(item_id)), str(user_id),
                                          requesting_user_id, announce=announce)

    def _remember_activity(self, submission_id=None, attempt=None) -> None:
        """Keep the learner's state row in step with their work in the peer-review tables."""
        if self.read_only:
            return
        if submission_id is None:
            anon = self.anonymous_id
            sub = current_submission(platform.usage_id(self), anon) if anon else None
            if sub is None or sub.is_cleared or (self.submission_id == sub.pk and self.fields["attempts"].is_set_on(self)):
                return
            submission_id, attempt = sub.pk, sub.attempt
        self.submission_id = submission_id
        if attempt is not None:
            self.attempts = attempt
        self.save()

    def _apply_dashboard_reset(self) -> None:
        """Honour the instructor dashboard's "Reset attempts", which zeroes ``attempts`` in the learner's state
        without calling the block: when the learner next opens the page (or it checks for their grade) their
        response makes way for a new one
        (:func:`~sse_academy_xblock.peer.staff_actions.make_way_for_new_response`; the grade it has counts
        until the new one is graded). Only while responses are open to them: after their due date a reset
        leaves everything as it is, as the date would refuse the new response anyway."""
        if self.read_only or self.attempts or not self.fields["attempts"].is_set_on(self) or not self.anonymous_id:
            return
        item = self.peer_item()
        if item.responses.passed(self.now()):
            return
        if staff_actions.make_way_for_new_response(item, self.anonymous_id) is not None:
            self.submission_id = None
            self.save()

    # --- learner view ---------------------------------------------------------------------------

    def _prefix(self) -> str:
        return "ssecs-" + hashlib.sha1(platform.usage_id(self).encode()).hexdigest()[:10]

    def _rules_text(self) -> str:
        t = self.translator
        parts = []
        if self.min_words and self.max_words:
            parts.append(t.gettext("Write between %(min)s and %(max)s words.") % {
                "min": l10n.count(self.min_words), "max": l10n.count(self.max_words)})
        elif self.min_words:
            parts.append(t.ngettext("Write at least %(min)s word.", "Write at least %(min)s words.", self.min_words)
                         % {"min": l10n.count(self.min_words)})
        elif self.max_words:
            parts.append(t.ngettext("Write at most %(max)s word.", "Write at most %(max)s words.", self.max_words)
                         % {"max": l10n.count(self.max_words)})
        parts.append(t.ngettext(
            "After submitting, review %(n)s response of other learners.",
            "After submitting, review %(n)s responses of other learners.", self.reviews_to_give,
        ) % {"n": self.reviews_to_give})
        item = self.peer_item()
        if item.adaptive:
            parts.append(t.gettext(
                "Your grade is computed from %(min)s to %(max)s reviews of your response, without names on either "
                "side: more only when the first ones disagree.") % {"min": item.reviews_required, "max": item.most_reviews})
        else:
            parts.append(t.ngettext(
                "Your grade is computed from %(n)s review of your response, without names on either side.",
                "Your grade is computed from %(n)s reviews of your response, without names on either side.",
                self.reviews_required,
            ) % {"n": self.reviews_required})
        share = reviewing_grade.share_of(item)
        if share:
            parts.append(t.gettext(
                "Reviewing counts for %(share)s of your score: the closer your reviews are to the other reviewers' "
                "of the same responses, the higher your grade for reviewing.") % {
                "share": l10n.percent(t, round(share * 100))})
        return " ".join(parts)

    def _state(self) -> dict:
        item = self.peer_item()
        state = learner_state.learner_state(item, self.anonymous_id, self.translator)
        self._add_calibration(item, state)
        if state.get("phase") == "submitted":
            state["given_feedback"] = reviewer_feedback.learner_view(item, self.anonymous_id, self.translator)
        self._announce_grade(state)
        return state

    def _add_calibration(self, item: PeerItem, state: dict) -> None:
        """The practice on staff-scored examples, while reviewing is open: until it is done, no review is offered."""
        if state.get("phase") != "submitted" or not state.get("window", {}).get("open") or state.get("review"):
            return
        view = calibration.learner_view(item, self.anonymous_id, presentation.rubric_view(self.rubric, self.translator),
                                        self.translator)
        if view is None:
            return
        state["calibration"] = view
        if not view["finished"]:
            state["can_review"] = state["can_extra"] = state["resume"] = False

    def _announce_grade(self, state: dict) -> None:
        """The first time the learner's page shows a grade (or a changed one), tell the analytics
        (``sse_academy.case_study.grade_received``): the grade is often given in another learner's request,
        so it is announced in the author's own. Never while staff view the course as the learner."""
        grade = state.get("grade")
        if not grade or self.read_only or not self.anonymous_id:
            return
        shown = f"{grade['earned']}:{grade['possible']}"
        if self.grade_announced == f"{self.submission_id}:{shown}":
            return
        sub = current_submission(platform.usage_id(self), self.anonymous_id)
        if sub is None or self.grade_announced == f"{sub.pk}:{shown}":
            return
        self.publish_event(events.GRADE_RECEIVED, events.grade_received(
            sub.uuid, grade["earned"], grade["possible"], sub.grade_source))
        self.grade_announced = f"{sub.pk}:{shown}"
        self.save()

    @XBlock.supports("multi_device")
    def student_view(self, context=None):
        t = self.translator
        preview = self.is_author_mode
        self._apply_dashboard_reset()
        if self.submission_id is None or not self.fields["attempts"].is_set_on(self):
            self._remember_activity()
        item = self.peer_item()
        if not self.read_only and item.reviews.passed(self.now()):
            waiting.apply_waiting_rule(item)  # reviewing is over: nobody is shown waiting for a review
        staff = self.is_staff and not preview
        context = {
            "title": self.display_name,
            "prefix": self._prefix(),
            "case_html": clean_author_html(self.case),
            "prompt_html": clean_author_html(self.prompt),
            "rubric": presentation.rubric_view(self.rubric, t),
            "rules": self._rules_text(),
            "preview": preview,
            "library": self.in_library,
            "read_only_notice": t.gettext(READ_ONLY_MESSAGE) if self.viewing_as_learner else "",
            "staff": staff,
            "content_lang": l10n.content_lang(self.content_language),
        }
        # Learner text (the response under review, peer comments) never goes into the init data:
        # runtimes write that into a <script> without escaping "</script>". The template writes the
        # state with json_script, which escapes "<", ">" and "&".
        context["state"] = {"phase": "preview"} if preview else self._state()
        init = {
            "usage_id": platform.usage_id(self),
            "content_lang": l10n.content_lang(self.content_language),
            "min_words": self.min_words,
            "max_words": self.max_words,
            "word_rule": workflow.word_rule(),
            "urls": self._urls(staff),
            "strings": learner_strings(t),
            "staff": self.staff_init() if staff else None,
        }
        js = ("js/case-study-self.js", "js/case-study-practice.js", "js/case-study.js")
        js = ("js/case-study-staff.js", *js) if staff else js
        return self.render_fragment(
            "case_study/student.html", context, "SSECaseStudyBlock", init,
            css=("css/sse.css", "css/case-study.css"), js=js,
        )

    def student_view_data(self, context=None):
        """The exercise as JSON for API clients (the Course Blocks API, the mobile apps): the case,
        the prompt and the rubric (author HTML sanitised) and the rules a learner is told: the practice on
        staff-scored examples (how many, the tolerance, the retries; never an example, its reference or its
        notes), the self-assessment, the adaptive review count and the share of the score earned by reviewing."""
        rubric = self.rubric_obj()
        fitting = [e for e in calibration.examples_from_list(self.calibration)
                   if calibration.reference_points(e, rubric) is not None]
        practice = min(self.calibration_count or 0, len(fitting))
        counted = self.self_assessment == "counted"
        return {
            "display_name": self.display_name,
            "dimension": self.dimension,
            "weight": self.weight,
            "case_html": clean_author_html(self.case),
            "prompt_html": clean_author_html(self.prompt),
            "rubric": presentation.rubric_view(self.rubric, self.translator),
            "max_points": self.max_score(),
            "min_words": self.min_words,
            "max_words": self.max_words,
            "reviews_required": self.reviews_required,
            "reviews_to_give": self.reviews_to_give,
            "calibration": {"enabled": practice > 0, "examples": practice,
                            "tolerance": self.calibration_tolerance, "retries": self.calibration_retries or 0},
            "self_assessment": {"enabled": self.self_assessment in ("shown", "counted"), "counted": counted,
                                "weight": min(self_assessment.MAX_SELF_WEIGHT, max(0.0, self.self_weight))
                                if counted else 0.0},
            "review_count": {"minimum": self.reviews_required,
                             "maximum": max(self.reviews_required, self.reviews_max or self.reviews_required),
                             "agreement_points": self.agreement_points},
            "grade_for_reviewing": {"share": reviewing_grade.share_of(self.peer_item())},
        }

    def index_dictionary(self):
        """What Studio's search indexes (a course's, a content library's): the title, and the case's, prompt's
        and rubric's text without markup. Content only, no learner."""
        criteria = self.rubric_obj().criteria
        texts = [self.case, self.prompt] + [t for c in criteria for t in (c.label, c.description)]
        return {"content": {"display_name": self.display_name, "case_study_content": index_text(*texts)},
                "content_type": "SSE case study"}

    def _urls(self, staff: bool) -> dict:
        names = ["state", "save_draft", "submit_response", "next_review", "save_review_draft", "submit_review",
                 "flag_response", "rate_review", "submit_self_assessment", "submit_calibration"]
        if staff:
            names += ["staff_list", "staff_submission", "staff_grade", "staff_clear_flag", "staff_uphold_flag",
                      "staff_clear_divergence",
                      "staff_cancel", "staff_send_again", "staff_csv", "staff_agreement", "staff_agreement_csv",
                      "staff_self_assessment_csv", "staff_calibration", "staff_calibration_csv"]
        return {name: self.runtime.handler_url(self, name) for name in names}

    # --- learner handlers -----------------------------------------------------------------------

    def _open_item(self, window: str, message: str) -> PeerItem:
        """The block's item, or a refusal (409, with the date) when ``window`` ("responses" or "reviews") has
        closed for this learner: their own due date, an extension included."""
        item = self.peer_item()
        deadlines.require_open(getattr(item, window), self.now(), message, self.reader_zone)
        return item

    def _reply(self, message: str = "", **extra) -> dict:
        return {"state": self._state(), "message": message, **extra}

    @json_api(read_only_ok=True)
    def state(self, data, suffix=""):
        """The learner's state (the page polls it while waiting); the waiting rule is applied first,
        except when staff view the course as this learner (nothing is written then)."""
        if not self.read_only:
            self._apply_dashboard_reset()
            item = self.peer_item()
            waiting.apply_waiting_rule(item)
            gradebook.deliver_due_after_commit(item.usage_id)  # grades whose delivery failed before
        return self._reply()

    @json_api()
    def save_draft(self, data, suffix=""):
        anon = self.anonymous_id
        item = self._open_item("responses", presentation.RESPONSES_CLOSED)
        draft = workflow.save_response_draft(item, anon, data.get("text"))
        self.has_saved = True
        self.publish_event(events.SAVE_SUBMISSION, events.save_submission(draft.text))
        return {"saved": True, "saved_at": presentation.format_when(draft.modified),
                "message": self._("Draft saved.")}

    @json_api()
    def submit_response(self, data, suffix=""):
        anon = self.anonymous_id
        item = self._open_item("responses", presentation.RESPONSES_CLOSED)
        sub = workflow.submit_response(item, anon, data.get("text"))
        self.submission_id = sub.pk
        self.attempts = sub.attempt
        self.publish_event(events.CREATE_SUBMISSION,
                           events.create_submission(sub, workflow.clean_response(data.get("text"))))
        return self._reply(self._("Your response has been submitted."))

    @json_api()
    def next_review(self, data, suffix=""):
        anon = self.anonymous_id
        item = self._open_item("reviews", presentation.REVIEWS_CLOSED)
        if calibration.must_calibrate(item, anon):
            raise Refusal(_("Assess the practice examples before reviewing other learners."), status=409)
        result = workflow.next_review(item, anon, want_extra=bool(data.get("extra")))
        given = result.lease.submission if result.lease is not None else None
        self.publish_event(events.GET_PEER_SUBMISSION, events.get_peer_submission(item, anon, given))
        state = self._state()
        owes = state.get("can_review", True)  # False once their required reviews are given
        return {"state": state, "message": presentation.allocation_message(result.outcome, self.translator, owes)}

    @json_api()
    def save_review_draft(self, data, suffix=""):
        anon = self.anonymous_id
        item = self._open_item("reviews", presentation.REVIEWS_CLOSED)
        workflow.save_review_draft(item, anon, data.get("lease_id"), data.get("review"))
        return {"saved": True, "message": self._("Draft of your review saved.")}

    @json_api()
    def submit_review(self, data, suffix=""):
        anon = self.anonymous_id
        item = self._open_item("reviews", presentation.REVIEWS_CLOSED)
        review = workflow.complete_review(item, anon, data.get("lease_id"), data.get("review"))
        version = review.submission.rubric
        self.publish_event(events.PEER_ASSESS, events.peer_assess(
            review, Rubric.from_list(version.criteria), learner_state.review_parts(review.pk), version.digest))
        gradebook.deliver_due_after_commit(item.usage_id)
        return self._reply(self._("Thank you: your review has been submitted."))

    @json_api()
    def submit_calibration(self, data, suffix=""):
        """The learner's assessment of the practice example they are asked now: ``example`` (its name) and
        ``options`` (``{criterion: option index}``). The reply compares it with the reference (:mod:`..peer.calibration`)."""
        anon = self.anonymous_id
        item = self._open_item("reviews", presentation.REVIEWS_CLOSED)
        attempt = calibration.assess(item, anon, data.get("example"), data)
        example = next(e for e in item.calibration_examples if e.name == attempt.example)
        own = current_submission(item.usage_id, anon)
        self.publish_event(events.STUDENT_TRAINING_ASSESS_EXAMPLE, events.student_training_assess_example(
            own.uuid, attempt, item.rubric, calibration.reference_index(example, item.rubric)))
        return self._reply(self._("Your assessment of the example is saved."))

    @json_api()
    def flag_response(self, data, suffix=""):
        anon = self.anonymous_id
        item = self._open_item("reviews", presentation.REVIEWS_CLOSED)
        workflow.flag_response(item, anon, data.get("lease_id"), data.get("reason"))
        return self._reply(self._("Thank you: the course team will look at this response. You can review another one."))

    @json_api()
    def submit_self_assessment(self, data, suffix=""):
        """The learner's assessment of their own response: ``options`` ``{criterion: option index}``
        (see :mod:`sse_academy_xblock.peer.self_assessment`). Open with reviewing."""
        item = self._open_item("reviews", presentation.SELF_ASSESSMENT_CLOSED)
        own = self_assessment.submit(item, self.anonymous_id, data)
        version = own.submission.rubric
        self.publish_event(events.SELF_ASSESS, events.self_assess(own, Rubric.from_list(version.criteria),
                                                                  version.digest))
        return self._reply(self._("Your self-assessment is saved."))

    @json_api()
    def rate_review(self, data, suffix=""):
        """The author rates one review of their graded response: ``review_id``, ``helpful`` (true/false),
        ``comment`` (optional). Only the course team sees the rating; the reviewer never does."""
        anon = self.anonymous_id
        item = self._open_item("reviews", presentation.RATINGS_CLOSED)
        rating = feedback.rate_review(item, anon, data.get("review_id"), data.get("helpful"), data.get("comment"))
        own = current_submission(item.usage_id, anon)  # the graded response whose review was rated
        self.publish_event(events.SUBMIT_FEEDBACK, events.submit_feedback_on_assessments(
            own.uuid, rating.review_id, rating.helpful, rating.comment))
        return {"review_id": rating.review_id, "feedback": feedback.learner_view(rating, self.translator),
                "message": self._("Thank you: your rating is saved. Only the course team sees it.")}

    # --- OLX ------------------------------------------------------------------------------------

    @classmethod
    def parse_xml(cls, node, runtime, keys, *args, **kwargs):
        platform_attrs = cls.platform_attributes_of(node)
        values = parse_olx(node, platform_attrs=set(platform_attrs))
        block = runtime.construct_xblock_from_class(cls, keys)
        for name, value in values.items():
            setattr(block, name, value)
        block.keep_platform_attributes(platform_attrs)
        return block

    def add_xml_to_node(self, node):
        node.tag = self.xml_element_name()
        node.set("xblock-family", self.entry_point)
        values = {name: getattr(self, name) for name in FIELD_NAMES if self.fields[name].is_set_on(self)}
        for name in ("case", "prompt", "rubric", "calibration"):
            if self.fields[name].is_set_on(self) or name == "rubric":
                values[name] = getattr(self, name)
        export_olx(values, node)
        self.write_platform_attributes(node)

    @staticmethod
    def workbench_scenarios():
        return scenarios.load("sse_case_study")


def learner_strings(t) -> dict:
    return {
        "pair": t.gettext("%(label)s: %(value)s"),
        "your_response": t.gettext("Your response"),
        "write_label": t.gettext("Your analysis (plain text; leave an empty line between paragraphs)"),
        "words": l10n.plural_forms(t, *ngettext_noop("%(count)s word", "%(count)s words")),
        "words_min": l10n.plural_forms(t, *ngettext_noop("%(count)s word (at least %(min)s needed)", "%(count)s words (at least %(min)s needed)")),
        "words_max": l10n.plural_forms(t, *ngettext_noop("%(count)s word (at most %(max)s allowed)", "%(count)s words (at most %(max)s allowed)")),
        "saving": t.gettext("Saving…"),
        "saved": t.gettext("Draft saved."),
        "not_saved": t.gettext("Your draft could not be saved: %(error)s"),
        "submit": t.gettext("Submit your response"),
        "confirm_submit": t.gettext("Submitting is final: you cannot change your response afterwards. Submit now?"),
        "response_empty": t.gettext("Your response is empty."),
        "too_few_words": l10n.plural_forms(t, *ngettext_noop(
            "Your response has %(count)s word; at least %(min)s are needed before you can submit it.",
            "Your response has %(count)s words; at least %(min)s are needed before you can submit it.")),
        "too_many_words": l10n.plural_forms(t, *ngettext_noop(
            "Your response has %(count)s word; at most %(max)s are allowed. Shorten it before you submit it.",
            "Your response has %(count)s words; at most %(max)s are allowed. Shorten it before you submit it.")),
        "yes_submit": t.gettext("Yes, submit"),
        "keep_editing": t.gettext("Keep editing"),
        "submitted_on": l10n.plural_forms(t, *ngettext_noop("Submitted on %(when)s (%(count)s word).", "Submitted on %(when)s (%(count)s words).")),
        "review_incomplete": t.gettext("Choose an option for this criterion."),
        "start_review": t.gettext("Review a response"),
        "resume_review": t.gettext("Continue your unfinished review"),
        "extra_review": t.gettext("Review another response (optional)"),
        "peer_response": t.gettext("The response to review"),
        "comment_on": t.gettext("Comment on “%(criterion)s” (optional)"),
        "overall": t.gettext("Overall comment (optional)"),
        "submit_review": t.gettext("Submit your review"),
        "flag": t.gettext("Report this response as inappropriate"),
        "flag_reason": t.gettext("Why is it inappropriate?"),
        "send_flag": t.gettext("Send the report"),
        "grade": t.gettext("Your grade"),
        "criterion": t.gettext("Criterion"),
        "median": t.gettext("Your points"),
        "reviews_counted": t.gettext("The reviews that counted"),
        "reviews_later": t.gettext("Later reviews"),
        "overall_label": t.gettext("Overall comment"),
        "feedback_note": t.gettext("You can tell the course team whether each review helped you. Reviewers never "
                                   "see your ratings or comments."),
        "helpful_q": t.gettext("Was this review helpful?"),
        "helpful_yes": t.gettext("Yes"),
        "helpful_no": t.gettext("No"),
        "feedback_comment": t.gettext("Comment for the course team (optional; the reviewer does not see it)"),
        "feedback_count": l10n.plural_forms(t, *ngettext_noop("%(count)s of %(max)s character used.",
                                                              "%(count)s of %(max)s characters used.")),
        "feedback_over": t.gettext("%(count)s of %(max)s characters: too long, shorten your comment."),
        "feedback_max": feedback.MAX_COMMENT,
        "feedback_save": t.gettext("Save your rating"),
        "feedback_choose": t.gettext("Choose Yes or No."),
        "failed": t.gettext("Something went wrong. Please try again."),
        **practice_strings(t),
    }


def practice_strings(t) -> dict:
    """The sentences of the practice on examples and of the feedback to reviewers (js/case-study-practice.js)."""
    return {
        "practice": t.gettext("Practice on scored examples"),
        "practice_result": t.gettext("Your assessment beside the course team's"),
        "practice_yours": t.gettext("Your choice"),
        "practice_reference": t.gettext("The course team's choice"),
        "practice_compared": t.gettext("Compared"),
        "practice_note": t.gettext("Why"),
        "practice_tries": t.gettext("Tries left for this example: %(count)s."),
        "practice_submit": t.gettext("Submit your assessment"),
        "practice_incomplete": t.gettext("Choose an option for every criterion."),
        "given_heading": t.gettext("Your reviews beside the grades"),
        "given_yours": t.gettext("Your points"),
        "given_grade": t.gettext("The grade"),
        "given_compared": t.gettext("Compared"),
    }

