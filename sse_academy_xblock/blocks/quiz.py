"""``sse_quiz``: a quiz graded on the server, whose score reaches the gradebook and the Decent Work profile.

The class holds fields, views and handlers. Grading, OLX, the checks of answers and of the editor's
payload, the submit's transaction (:mod:`sse_academy_xblock.quiz.workflow`) and what the browser may
see live in :mod:`sse_academy_xblock.quiz`. Staff tools are in :mod:`.quiz_staff`, the editor in
:mod:`.quiz_studio`, the score as the platform reads and changes it (gradebook, rescore, override,
delete learner state) in :mod:`.quiz_scoring`.
"""

from __future__ import annotations

from django.db import DatabaseError
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Boolean, Dict, Float, Integer, List, Scope, String
from xblock.scorable import ScorableXBlockMixin

from .. import deadlines, dimensions, l10n, platform, scenarios
from ..i18n import gettext_noop as _
from ..quiz import events, grading, pools, presentation, roster, workflow
from ..quiz.answers import read_answers
from ..quiz.attempts import closed_reason, require_an_answer
from ..quiz.olx import SETTING_ATTRS, export_quiz, parse_quiz
from ..quiz.questions import (COURSE_SETTINGS, DEFAULT_SETTINGS, SCORING_POLICIES, SHOW_ANSWER_POLICIES, Question,
                               dump_questions, load_questions)
from ..refusals import require
from ..sanitize import index_text
from ..transactions import run_with_retries
from .contract import PlatformContractMixin, PlatformDeadlineMixin
from .mixins import READ_ONLY_MESSAGE, SSEBlockMixin, discard_changes, json_api, json_response
from .quiz_scoring import QuizScoringMixin
from .quiz_staff import QuizStaffMixin
from .quiz_studio import QuizStudioMixin

# The learner's state fields a submit writes (put back as they were when a submit is rolled back).
LEARNER_STATE = ("attempts", "answers", "results", "breakdown", "raw_earned", "raw_possible", "submits", "resets_seen")
MAX_ATTEMPT_NUMBER = 1_000_000


@XBlock.needs("i18n")
@XBlock.needs("user")
@XBlock.wants("settings")
@XBlock.wants("studio_user_permissions")
class SSEQuizBlock(QuizScoringMixin, QuizStaffMixin, QuizStudioMixin, PlatformContractMixin, PlatformDeadlineMixin,
                   SSEBlockMixin, ScorableXBlockMixin, XBlock):
    """A quiz of single, multiple, true-or-false, numeric and text questions."""

    OLX_OWN_ATTRIBUTES = frozenset(SETTING_ATTRS)
    OLX_OWN_FIELDS = frozenset({"questions"})

    has_score = True
    completion_mode = XBlockCompletionMode.COMPLETABLE
    icon_class = "problem"

    display_name = String(
        display_name=_("Display name"), default=DEFAULT_SETTINGS["display_name"], scope=Scope.settings,
    )
    dimension = String(
        display_name=_("Decent Work dimension"), default=DEFAULT_SETTINGS["dimension"], scope=Scope.settings,
        values=[d for d in dimensions.DIMENSION_IDS],
        help=_("The dimension of questions that do not name their own."),
    )
    weight = Float(
        display_name=_("Weight"), default=DEFAULT_SETTINGS["weight"], scope=Scope.settings,
        help=_("The points this quiz is worth in the course grade; empty means the sum of its question points."),
    )
    # The name of the platform's inheritable course setting (InheritanceMixin.max_attempts, "Maximum Attempts" in
    # Advanced Settings), with its type and scope: a quiz that sets none takes the course's value; None (the
    # platform's null) and 0 mean no limit.
    max_attempts = Integer(
        display_name=_("Maximum attempts"), default=DEFAULT_SETTINGS["max_attempts"], scope=Scope.settings,
        values={"min": 0},
        help=_("How many times a learner may submit; 0 means no limit; empty means the course's setting "
               "(no limit when the course has none)."),
    )
    show_answer = String(
        display_name=_("Show answers"), default=DEFAULT_SETTINGS["show_answer"], scope=Scope.settings,
        values=list(SHOW_ANSWER_POLICIES),
        help=_("never; always (after each submission); finished (attempts used up or full marks)."),
    )
    # The platform's own field (InheritanceMixin), a subsection setting in Open edX: declared with its name,
    # type, scope and default so that the workbench and OLX can set it too; the inherited value wins in the LMS.
    show_correctness = String(
        display_name=_("Show results"), default=deadlines.SHOW_CORRECTNESS_ALWAYS, scope=Scope.settings,
        values=list(deadlines.SHOW_CORRECTNESS_VALUES),
        help=_("When learners see which answers were right and their score: always; never; past_due (after the "
               "due date). In a course, the subsection's setting."),
    )
    shuffle = Boolean(display_name=_("Shuffle choices"), default=DEFAULT_SETTINGS["shuffle"], scope=Scope.settings)
    pass_mark = Float(
        display_name=_("Pass mark (%)"), default=DEFAULT_SETTINGS["pass_mark"], scope=Scope.settings,
        help=_("The percentage a learner needs to pass; shown to learners."),
    )
    multiple_scoring = String(
        display_name=_("Scoring of multiple choice questions"), default=DEFAULT_SETTINGS["multiple_scoring"],
        scope=Scope.settings, values=list(SCORING_POLICIES),
    )
    retry_after_full = Boolean(
        display_name=_("Attempts after a full score"), default=DEFAULT_SETTINGS["retry_after_full"],
        scope=Scope.settings,
        help=_("Whether a learner with the full score may submit again (the last attempt counts)."),
    )
    content_language = String(
        display_name=_("Language of the text"), default=DEFAULT_SETTINGS["content_language"], scope=Scope.settings,
        values=list(l10n.CONTENT_LANGUAGE_CODES),
        help=_("The language the questions are written in; pages in another language mark it for screen readers."),
    )
    questions = List(default=[], scope=Scope.content, help=_("The questions, as stored by the editor."))
    pools = List(default=[], scope=Scope.content,
                 help=_("The question pools: how many of each pool's questions every learner is asked."))
    redraw = Boolean(
        display_name=_("A new draw per attempt"), default=DEFAULT_SETTINGS["redraw"], scope=Scope.settings,
        help=_("With question pools: draw new questions for every attempt instead of keeping each learner's draw."),
    )

    # Learner state. ``attempts`` is the name the instructor dashboard's "reset attempts" zeroes.
    attempts = Integer(default=0, scope=Scope.user_state)
    answers = Dict(default={}, scope=Scope.user_state, help=_("The answers of the last attempt."))
    results = Dict(default={}, scope=Scope.user_state, help=_("Per-question results of the last attempt."))
    breakdown = Dict(default={}, scope=Scope.user_state, help=_("Points earned and possible per dimension."))
    graded_versions = Dict(default={}, scope=Scope.user_state,
                           help=_("The version of each question the last answers were graded against."))
    raw_earned = Float(default=None, scope=Scope.user_state)
    raw_possible = Float(default=0.0, scope=Scope.user_state)
    # The roster's version at this learner's last submit, and the staff resets already applied.
    submits = Integer(default=0, scope=Scope.user_state)
    resets_seen = Integer(default=0, scope=Scope.user_state)

    # --- content ----------------------------------------------------------------------------

    def question_list(self) -> list[Question]:
        return load_questions(self.questions)

    def pool_list(self) -> list[pools.Pool]:
        return pools.load_pools(self.pools)

    def asked_questions(self, attempt: int) -> list[Question]:
        """The questions this learner is asked on ``attempt`` (every question when the quiz has no pools)."""
        return pools.draw(self.question_list(), self.pool_list(), self._seed(),
                          pools.round_of(self.redraw, attempt), self.dimension)

    def answered_questions(self) -> list[Question]:
        """The questions of the learner's last counted attempt (its answers name every question it asked)."""
        question_list = self.question_list()
        if not self.pools or not self.answers:
            return question_list
        return [q for q in question_list if q.id in self.answers]

    def quiz_settings(self) -> dict:
        """The settings in force (a course setting the quiz leaves unset has the course's value)."""
        return {name: getattr(self, name) for name in DEFAULT_SETTINGS}

    def authored_settings(self) -> dict:
        """The settings as the author left them: None for a course setting the quiz does not set itself."""
        return {name: (getattr(self, name) if name not in COURSE_SETTINGS or self.fields[name].is_set_on(self)
                       else None) for name in DEFAULT_SETTINGS}

    def keep_settings(self, settings: dict) -> None:
        """Store settings from OLX or the editor; None for a course setting leaves it to the course."""
        for name, value in settings.items():
            if name in COURSE_SETTINGS and value is None:
                if self.fields[name].is_set_on(self):
                    delattr(self, name)
            else:
                setattr(self, name, value)

    def max_score(self):
        """Raw points of the quiz, from content only (the platform applies ``weight``): with pools, the points
        of one draw, the same for every learner (:mod:`sse_academy_xblock.quiz.pools`)."""
        return grading.max_points(pools.representative(self.question_list(), self.pool_list(), self.dimension))

    def possible_by_dimension(self) -> dict[str, float]:
        """``{dimension: points}`` this quiz offers (content only), for ``sse_profile``."""
        return grading.possible_by_dimension(
            pools.representative(self.question_list(), self.pool_list(), self.dimension), self.dimension)

    def results_availability(self) -> deadlines.ResultsAvailability:
        """Whether this learner may see their results now, and if not from when: the rule of this quiz's page
        (the platform's ``show_correctness`` with the learner's own due date), for ``sse_profile``. Dates and
        staff rights are read only for a setting that can hide results: the profile asks every quiz it counts."""
        if not deadlines.may_hold_back(self.show_correctness):
            return deadlines.ResultsAvailability(True)
        return deadlines.results_availability(self.show_correctness, self.deadline(), self.is_staff, self.now())

    def learner_breakdown(self) -> dict[str, dict[str, float]]:
        """This learner's ``{dimension: {earned, possible}}``; zero earned before any submission."""
        if self.raw_earned is not None and self.breakdown:
            return {d: dict(v) for d, v in self.breakdown.items() if v.get("possible", 0) > 0}
        return {d: {"earned": 0.0, "possible": p} for d, p in self.possible_by_dimension().items()}

    # --- learner view -----------------------------------------------------------------------

    def _seed(self) -> str:
        return pools.seed(self.anonymous_id, platform.usage_id(self))

    def _rules(self) -> presentation.QuizSettings:
        """The settings the learner's page and the submit apply, with the platform's dates and results rule."""
        return presentation.QuizSettings(
            max_attempts=self.max_attempts, show_answer=self.show_answer, shuffle=self.shuffle,
            pass_mark=self.pass_mark, multiple_scoring=self.multiple_scoring,
            retry_after_full=self.retry_after_full, deadline=self.deadline(), show_correctness=self.show_correctness,
        )

    def _learner_view(self) -> dict:
        state = presentation.LearnerState(
            attempts=self.attempts, answers=self.answers, results=self.results,
            earned=self.raw_earned, possible=self.raw_possible,
        )
        rules, now = self._rules(), self.now()
        # With a new draw per attempt, the page shows the next attempt's questions while one may be made, and
        # the last attempt's once the quiz is closed to the learner.
        attempt = self.submits + 1 if presentation.may_submit(rules, state, now, self.is_staff) else self.submits
        return presentation.learner_view(
            self.translator, self.asked_questions(attempt), self._seed(), rules, state, now=now, staff=self.is_staff,
            answered_only=bool(self.redraw),
            last_attempt=self.answered_questions() if self.redraw and self.pools and self.answers else None)

    def _pending_reset(self):
        """A staff reset made from the panel that this state has not applied yet, or None."""
        anon = self.anonymous_id
        if not anon or self.read_only:
            return None
        return roster.sync_reset(anon, platform.usage_id(self), self.resets_seen, self.attempts, self.submits)

    def _apply_pending_reset(self) -> bool:
        """Honour a staff reset made from the panel (see :mod:`sse_academy_xblock.quiz.models`)."""
        pending = self._pending_reset()
        if pending is None:
            return False
        self.attempts = min(self.attempts, pending.attempts)
        self.resets_seen = pending.resets
        return True

    @XBlock.supports("multi_device")
    def student_view(self, context=None):
        if self._apply_pending_reset():
            self.save()
        t = self.translator
        usage = platform.usage_id(self)
        view = self._learner_view()
        context = {
            "title": self.display_name,
            "prefix": self._items_prefix(),
            "view": view,
            "preview": self.is_author_mode,
            "library": self.in_library,
            "read_only_notice": t.gettext(READ_ONLY_MESSAGE) if self.viewing_as_learner else "",
            "content_lang": l10n.content_lang(self.content_language),
            "staff": self.staff_context() if self.is_staff and not self.is_author_mode else None,
        }
        init = {
            "usage_id": usage,
            "next_attempt": view["next_attempt"],
            "content_lang": l10n.content_lang(self.content_language),
            "strings": {
                "submit": t.gettext("Submit"),
                "submitting": t.gettext("Submitting…"),
                "failed": t.gettext("Something went wrong. Please try again."),
                "confirm_reset": t.gettext("Reset the attempts of %(learner)s?"),
                "accept_title": t.gettext("Accept this answer as correct?"),
                "accept_confirm": t.gettext("Accept and rescore"),
                "rescore_title": t.gettext("Rescore the learners?"),
                "rescore_confirm": t.gettext("Rescore"),
                "working": t.gettext("Working…"),
                "accepted_mark": t.gettext("accepted"),
                "none_answered": t.gettext("Answer at least one question before you submit."),
                "unanswered": {
                    str(n): t.ngettext(
                        "%(count)s question is unanswered. It scores 0, and submitting uses one attempt.",
                        "%(count)s questions are unanswered. They score 0, and submitting uses one attempt.", n,
                    ) % {"count": n}
                    for n in range(1, len(view["questions"]) + 1)
                },
                "reset_of": t.gettext("Reset attempts of %(learner)s"),
                "reset": t.gettext("Reset attempts"),
                "page": t.gettext("Page %(page)s"),
                "loading": t.gettext("Loading…"),
                "next_questions": t.gettext("Show the questions of my next attempt"),
            },
        }
        return self.render_fragment(
            "quiz/student.html", context, "SSEQuizBlock", init, css=("css/sse.css", "css/quiz.css"), js=("js/quiz.js",)
        )

    def student_view_data(self, context=None):
        """The quiz as JSON for API clients (never the key, no pooled question): see :func:`presentation.api_data`."""
        return presentation.api_data(self.question_list(), self.quiz_settings(), self.dimension, self.pool_list())

    def index_dictionary(self):
        """What Studio's search indexes (a course's, a content library's): the title, and the questions' and
        choices' text without markup. Content only, no learner (the library indexes with nobody bound)."""
        questions = self.question_list()
        texts = [q.prompt for q in questions] + [c.text for q in questions for c in q.choices]
        return {"content": {"display_name": self.display_name, "quiz_content": index_text(*texts)},
                "content_type": "SSE quiz"}

    # --- submitting -------------------------------------------------------------------------

    @json_api()
    def submit(self, data, suffix=""):
        """Grade one attempt: validate everything, check the attempt number, then store and publish.

        All or nothing: the roster's claim of the attempt, the learner's state and the per-dimension
        score rows are written in one database transaction
        (:func:`~sse_academy_xblock.quiz.workflow.count_attempt`). The grade and the tracking events
        (``problem_check``, ``showanswer``: docs/events.md) are published once, after that transaction
        has committed: the LMS runs block handlers outside any transaction (``handle_xblock_callback``
        is ``non_atomic_requests``), so the end of the attempt's transaction is its commit, and an
        attempt rolled back or run again publishes nothing twice.
        """
        anon = self.anonymous_id  # a signed-in learner's: json_api answers nobody else
        try:
            # The whole submit, from its first read, is one transaction, run again when the database
            # rolled it back (a deadlock, a lock wait, SQLite's "database is locked").
            counted, attempt = run_with_retries(
                lambda: self._count_submit(anon, data), workflow.SUBMIT_TRIES, retry_if=workflow.is_busy,
                # The runtime's save after the handler must not write an attempt the roster does not have.
                rolled_back=lambda: discard_changes(self, LEARNER_STATE),
            )
        except DatabaseError:
            # Rolled back: the learner is told so, in the words of the quiz (the JSON of every handler's 503).
            message = _("The database is not available right now, and nothing was saved: your attempt was not "
                        "counted. Please submit again in a moment.")
            return json_response({"error": self.translator.gettext(message), "saved": False}, status=503)
        require(counted, self.ALREADY_SUBMITTED, status=409)
        # Committed: a database error from here on must not tell the learner to submit again (they would be
        # told "already submitted"), so the reply says the attempt was counted.
        try:
            self.publish_grade()  # committed: see the docstring
            view = self._learner_view()
            self._publish_attempt(*attempt, revealed=view["revealed"])
        except DatabaseError:
            counted_text = _("Your attempt was counted. Reload the page to see your result.")
            return {"view": None, "counted": True, "message": self.translator.gettext(counted_text)}
        parts = (view.get("score_text"), view.get("pass_text")) if view.get("score_text") else (view["results_text"],)
        parts += (view["new_draw_text"],)
        return {"view": view, "message": " ".join(x for x in parts if x)}

    ALREADY_SUBMITTED = _("This attempt has already been submitted, perhaps from another tab. "
                          "Reload the page to see your result.")

    def _count_submit(self, anon: str, data: dict):
        """The submit's checks and its count, inside the transaction of :meth:`submit`: (False, None) when
        another request already counted this attempt, else (True, what the attempt's events need); a
        :class:`Refusal` changes nothing."""
        # After the due date and grace period (the learner's own, with an extension), nothing is counted.
        deadlines.require_open(self.deadline(), self.now(), presentation.CLOSED_ON, self.reader_zone)
        # The roster version is read before anything else: a state read later can only be newer,
        # so a twin request either fails the attempt-number check or the roster's compare-and-set.
        version = self.submits
        # A pending staff reset is applied to the state only once this submit is counted: a refused
        # request must write nothing, or it would overwrite what its counted twin saved.
        pending = self._pending_reset()
        used = min(self.attempts, pending.attempts) if pending is not None else self.attempts
        # The questions drawn for this attempt: an answer to any other question is refused, as an unknown one is.
        question_list = self.asked_questions(version + 1)
        require(bool(question_list), _("This quiz has no questions yet."), status=409)
        answers = read_answers(question_list, data.get("answers"))
        attempt = data.get("attempt")
        valid = isinstance(attempt, int) and not isinstance(attempt, bool) and 1 <= attempt <= MAX_ATTEMPT_NUMBER
        require(valid, _("The attempt number is missing. Reload the page and try again."))
        closed = closed_reason(
            max_attempts=self.max_attempts, attempts=used, earned=None if used == 0 else self.raw_earned,
            possible=self.raw_possible, retry_after_full=self.retry_after_full or not presentation.results_shown(
                self._rules(), self.now(), self.is_staff))
        require(not closed, closed, status=409)
        require_an_answer(answers)
        require(attempt == used + 1, self.ALREADY_SUBMITTED, status=409)

        result = grading.grade_quiz(question_list, answers, self.multiple_scoring, self.dimension)
        before = (dict(self.answers or {}), dict(self.results or {}))

        def keep() -> None:  # inside the attempt's transaction, once the roster has counted it
            if pending is not None:
                self.resets_seen = pending.resets
            self.attempts = used + 1
            self.submits = version + 1
            self.answers = answers
            self._keep_result(result)
            self.save()

        counted = workflow.count_attempt(
            anon, platform.course_id(self), platform.usage_id(self), question_list, answers, result,
            version=version, attempts=used + 1, keep=keep,
        )
        return counted, ((question_list, answers, result, before) if counted else None)

    def _publish_attempt(self, question_list, answers, result, before, revealed: bool) -> None:
        """The tracking events of a committed attempt: ``problem_check``, and ``showanswer`` when its
        reply shows the answer key (:mod:`sse_academy_xblock.quiz.events`)."""
        usage = platform.usage_id(self)
        self.publish_event(events.PROBLEM_CHECK, events.problem_check(
            usage, question_list, answers, result, attempts=self.attempts,
            before_answers=before[0], before_results=before[1]))
        if revealed:
            self.publish_event(events.SHOW_ANSWER, events.show_answer(usage))

    @classmethod
    def parse_xml(cls, node, runtime, keys, *args, **kwargs):
        platform_attrs = cls.platform_attributes_of(node)
        settings, question_list = parse_quiz(node, platform_attrs=set(platform_attrs))
        block = runtime.construct_xblock_from_class(cls, keys)
        block.keep_settings(settings)
        block.questions = dump_questions(question_list)
        block.keep_platform_attributes(platform_attrs)
        return block

    def add_xml_to_node(self, node):
        node.tag = self.xml_element_name()
        node.set("xblock-family", self.entry_point)
        export_quiz(node, self.authored_settings(), self.question_list())
        self.write_platform_attributes(node)

    @staticmethod
    def workbench_scenarios():
        return scenarios.load("sse_quiz")
