"""The quiz's staff panel: who attempted the quiz, resetting one learner's attempts, item analysis, CSV exports.

Learners are listed from the quiz roster (:mod:`sse_academy_xblock.quiz.models`), which works the
same in the LMS and the workbench. A reset zeroes the roster's attempts and leaves a reset marker
that the learner's own block applies to its ``attempts`` field on their next page load or submit,
so the learner can submit again; the score already earned is kept, as with the instructor
dashboard's "reset attempts". Every handler checks staff on the server, and looks the learner up
by this block's usage id only, so a learner of another block is "not found".

Item analysis and whole-test statistics (:mod:`sse_academy_xblock.quiz.item_totals`,
:mod:`sse_academy_xblock.insight.item_statistics`, :mod:`sse_academy_xblock.insight.score_statistics`) are read from
the block's running totals of one attempt set (first, last or all attempts): one query whatever the
number of learners, in the panel, in its JSON handler (``staff_items``, which also returns the panel's
section for another attempt set) and in its CSV (``staff_items_csv?attempts=...``). With the counted
(last) attempts come the most frequent wrong answers of its text and numeric questions
(:mod:`sse_academy_xblock.quiz.wrong_answers`), read in the same query.

A counted wrong answer can be accepted from the panel (``staff_accept_answer``) by whoever may edit the
block: it is saved as an editor's save is, then the learners who gave it are rescored where the runtime
keeps the scores (the workbench). In Open edX the content is edited in Studio and reaches the LMS once
published; the LMS's panel then asks the platform's rescore (``staff_rescore``), only where scores improve.
"""

from __future__ import annotations

import hashlib

from .. import l10n, platform, resources
from ..i18n import gettext_noop as _
from ..quiz import authoring, events, grading, item_report, item_totals, pools, roster, wrong_answers
from ..quiz.models import ATTEMPT_SETS
from ..quiz.questions import dump_questions
from ..refusals import Refusal, require
from .mixins import csv_download, editor_errors, json_api
from .quiz_studio import editor_markup_to_html, questions_as_markup


def _score(t, row) -> str:
    """The learner's last score worded as the learner reads it: points and percentage."""
    if row.earned is None:
        return ""
    return l10n.score(t, row.earned, row.possible)


class QuizStaffMixin:
    """Staff-only views and handlers of :class:`SSEQuizBlock`."""

    def staff_row(self, row, content=None) -> dict:
        return {
            "learner": row.anonymous_user_id,
            "attempts": row.attempts,
            "attempts_text": l10n.count(row.attempts),
            "score": _score(self.translator, row),
            "drawn": self.drawn_text(row, content) if self.pools else None,
            "last_submitted": l10n.fallback_when(row.last_submitted),
        }

    def drawn_text(self, row, content=None) -> str:
        """The ids of the pooled questions a learner was asked on their last attempt (a quiz with pools).

        The draw is a function of the learner, the block and the attempt (:mod:`sse_academy_xblock.quiz.pools`),
        so it is computed here from the roster's row, with no query. ``content``: the questions and pools, read
        once by a caller that lists many learners."""
        questions, pool_list = content or (self.question_list(), self.pool_list())
        drawn = pools.draw(questions, pool_list, pools.seed(row.anonymous_user_id, platform.usage_id(self)),
                           pools.round_of(self.redraw, row.submits), self.dimension)
        return ", ".join(q.id for q in drawn if q.pool is not None)

    def staff_context(self) -> dict:
        """The panel's first page (the most recent submits); the others come from :meth:`staff_page`."""
        page = roster.staff_page(platform.usage_id(self))
        content = (self.question_list(), self.pool_list())
        return {
            "rows": [self.staff_row(r, content) for r in page.rows],
            "has_next": page.has_next,
            "last": page.last or "",
            "pooled": bool(self.pools),
            "csv_url": self.runtime.handler_url(self, "staff_csv"),
            "items": (items := self.item_analysis()),
            "items_html": self.items_html(items),
            "may_accept": platform.may_author(self),
            "accept_url": self.runtime.handler_url(self, "staff_accept_answer"),
            "rescore_url": self.runtime.handler_url(self, "staff_rescore"),
        }

    def items_html(self, report: dict) -> str:
        """The panel's item analysis section (whole test, questions, dimensions) for one attempt set."""
        return resources.render_template(
            "quiz/item_analysis.html",
            {"items": report, "prefix": self._items_prefix(), "content_lang": l10n.content_lang(self.content_language),
             "may_accept": platform.may_author(self)},
            self.translator)

    def item_analysis(self, attempts: str = "last") -> dict:
        """The item analysis and whole-test figures of the quiz's current questions over one attempt set,
        worded for staff (one query)."""
        question_list = self.question_list()
        analysis, whole, wrong, changed = item_totals.full_analysis(platform.usage_id(self), question_list,
                                                                    self.dimension, attempts)
        data = item_report.report(self.translator, question_list, analysis, self.multiple_scoring,
                                  wrong=wrong, changed=changed, whole=whole, attempts=attempts)
        data["csv_url"] = self.runtime.handler_url(self, "staff_items_csv", query=f"attempts={attempts}")
        return data

    @json_api(staff_only=True)
    def staff_items(self, data, suffix=""):
        """The item analysis as JSON: ``{}`` (the counted attempts) or ``{"attempts": "first" | "last" | "all"}``.

        Per question, per dimension, the whole test, and ``html``: the panel's section for that choice.
        """
        require(set(data) <= {"attempts"} and data.get("attempts", "last") in ATTEMPT_SETS,
                _("Say which attempts to count: first, last or all (“attempts”), and nothing else."))
        report = self.item_analysis(data.get("attempts", "last"))
        report["html"] = self.items_html(report)
        return report

    def _items_prefix(self) -> str:
        """The ids' prefix of the panel's section, as the page rendered it (``student_view``)."""
        return "sseq-" + hashlib.sha1(platform.usage_id(self).encode()).hexdigest()[:10]

    @json_api(authoring=True)
    def staff_accept_answer(self, data, suffix=""):
        """Accept a counted wrong answer of a text or numeric question, then rescore the learners who gave it.

        Body: ``{"question": id, "answer": the wrong answer as the item analysis lists it}``. Who may: whoever may
        edit the block (:func:`sse_academy_xblock.platform.may_author`). Saved through the editor's validation,
        all or nothing; the reply says how many learners were rescored, or, where the platform rescores (Open
        edX), what to do next.
        """
        t = self.translator
        require(set(data) == {"question", "answer"},
                _("Say which question and which of its wrong answers to accept."))
        question_id, value = data["question"], data["answer"]
        require(isinstance(question_id, str) and isinstance(value, str) and 0 < len(value) <= wrong_answers.VALUE_LENGTH,
                _("Say which question and which of its wrong answers to accept."))
        question = next((q for q in self.question_list() if q.id == question_id), None)
        require(question is not None, _('This quiz has no question with the id "%(id)s".'), status=404,
                id=question_id[:64])
        require(question.type in wrong_answers.TYPES,
                _("Only the answers of text and number questions can be accepted from here."))
        usage = platform.usage_id(self)
        learners = wrong_answers.learners_counted(usage, question_id, value)
        require(learners is not None, _("This answer is not among the question's counted wrong answers."), status=409)
        # The stored questions as the editor starts from them, changed as an author would, saved as the editor saves.
        questions = authoring.accepting(questions_as_markup(self.questions), question_id, value)
        require(questions is not None, _("Only the answers of text and number questions can be accepted from here."))
        settings, question_list, errors = authoring.validate_studio_payload(
            {**self.authored_settings(), "questions": editor_markup_to_html(questions)}, t.gettext)
        if errors:
            return editor_errors(t.gettext("The answer was not accepted."), errors)
        self.keep_settings(settings)
        self.questions = dump_questions(question_list)
        self.save()
        rescored = platform.rescore_learners(self, learners)
        shown = item_report.wrong_answer_text(question, value)
        if rescored is None:
            message = t.gettext("“%(answer)s” is now accepted. Publish the quiz, then rescore the learners from the "
                                "quiz's staff panel in the course.") % {"answer": shown}
        else:
            message = t.ngettext("“%(answer)s” is now accepted; %(count)s learner was rescored.",
                                 "“%(answer)s” is now accepted; %(count)s learners were rescored.",
                                 rescored) % {"answer": shown, "count": rescored}
        return {"accepted": True, "rescored": rescored, "message": message, "items": self.item_analysis()}

    @json_api(staff_only=True, with_request=True)
    def staff_rescore(self, data, suffix="", request=None):
        """Ask the platform to rescore every learner of this quiz, keeping a new score only where it improves."""
        t = self.translator
        require(not data, _("This request takes no parameters."))
        count = platform.rescore_learners(self, roster.learner_ids(platform.usage_id(self)))
        if count is not None:  # the workbench: the learners of the roster, now
            return {"submitted": True, "message": t.ngettext(
                "%(count)s learner was rescored.", "%(count)s learners were rescored.", count) % {"count": count}}
        try:
            submitted = platform.submit_rescore(self, request)
        except PermissionError:
            raise Refusal(_("Only the course's instructors can rescore all its learners."), status=403) from None
        except platform.RescoreRunning:
            raise Refusal(_("A rescore of this quiz is already running; its results will show when it ends."),
                          status=409) from None
        require(submitted, _("Rescoring is done by the course's platform, which is not available here."), status=409)
        return {"submitted": True, "message": t.gettext(
            "The rescore has started: learners whose score improves get it in a few minutes. Follow it under "
            "the instructor dashboard's pending tasks.")}

    @json_api(staff_only=True)
    def staff_page(self, data, suffix=""):
        """Another page of the panel: ``after`` (next page) or ``before`` (previous page) a cursor.

        Each page is one short keyset read of the roster, whatever the number of learners.
        """
        after, before = data.get("after"), data.get("before")
        require((after is None) != (before is None), _("This page of learners is not valid."))
        cursor = roster.parse_cursor(after if after is not None else before)
        require(cursor is not None, _("This page of learners is not valid."))
        usage = platform.usage_id(self)
        page = roster.staff_page(usage, after=cursor) if after is not None else roster.staff_page(usage, before=cursor)
        content = (self.question_list(), self.pool_list())
        return {
            "rows": [self.staff_row(r, content) for r in page.rows],
            "has_prev": page.has_prev,
            "has_next": page.has_next,
            "first": page.first,
            "last": page.last,
        }

    @json_api(staff_only=True)
    def staff_reset(self, data, suffix=""):
        """Zero one learner's attempts on this quiz so they can submit again."""
        t = self.translator
        learner = data.get("learner")
        require(isinstance(learner, str) and 0 < len(learner) <= 255,
                _("Say whose attempts to reset (their anonymous id)."))
        row = roster.reset_attempts(learner, platform.usage_id(self))
        require(row is not None, _("No learner with this id has attempted this quiz."), status=404)
        self.publish_event(events.ATTEMPTS_RESET,
                           events.attempts_reset(platform.usage_id(self), learner, row.attempts))
        if learner == self.anonymous_id:
            self._apply_pending_reset()
        return {
            "row": self.staff_row(row),
            "message": t.gettext("Attempts reset for %(learner)s.") % {"learner": learner},
        }

    @csv_download("sse-quiz-results.csv")
    def staff_csv(self, request, suffix=""):
        """Every learner of this quiz as CSV: anonymous id, attempts, score, last submitted (and, with question
        pools, the questions each learner drew)."""
        t = self.translator
        pooled = bool(self.pools)
        content = (self.question_list(), self.pool_list())
        header = [t.gettext("Anonymous learner id"), t.gettext("Attempts"), t.gettext("Points earned"),
                  t.gettext("Points possible"), t.gettext("Percent"), t.gettext("Last submitted")]
        if pooled:
            header.append(t.gettext("Questions drawn (ids)"))

        def rows():
            for row in roster.every(platform.usage_id(self)):
                percent = None if row.earned is None else grading.percent(row.earned, row.possible)
                line = [row.anonymous_user_id, row.attempts, row.earned, row.possible, percent,
                        l10n.csv_time(row.last_submitted)]
                yield line + [self.drawn_text(row, content)] if pooled else line

        return header, rows()

    @csv_download("sse-quiz-item-analysis.csv")
    def staff_items_csv(self, request, suffix=""):
        """The item analysis as CSV: one row per option of each choice question, one per counted wrong answer of
        a text or numeric question (the counted attempts), one per other question, then the whole-test figures.
        ``?attempts=first|last|all`` picks the attempts (default: last)."""
        t = self.translator
        attempts = request.GET.get("attempts", "last")
        require(attempts in ATTEMPT_SETS, _("Say which attempts to count: first, last or all (“attempts”)."))
        return item_report.csv_header(t), item_report.csv_rows(t, self.item_analysis(attempts))
