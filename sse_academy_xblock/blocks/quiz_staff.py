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
section for another attempt set) and in its CSV (``staff_items_csv?attempts=...``).
"""

from __future__ import annotations

import hashlib

from .. import l10n, platform, resources
from ..i18n import gettext_noop as _
from ..quiz import events, grading, item_report, item_totals, roster
from ..quiz.models import ATTEMPT_SETS
from ..refusals import require
from .mixins import csv_download, json_api


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def _score(row) -> str:
    if row.earned is None:
        return ""
    return f"{l10n.number(row.earned)} / {l10n.number(row.possible)}"


class QuizStaffMixin:
    """Staff-only views and handlers of :class:`SSEQuizBlock`."""

    def staff_row(self, row) -> dict:
        return {
            "learner": row.anonymous_user_id,
            "attempts": row.attempts,
            "score": _score(row),
            "last_submitted": _when(row.last_submitted),
        }

    def staff_context(self) -> dict:
        """The panel's first page (the most recent submits); the others come from :meth:`staff_page`."""
        page = roster.staff_page(platform.usage_id(self))
        return {
            "rows": [self.staff_row(r) for r in page.rows],
            "has_next": page.has_next,
            "last": page.last or "",
            "csv_url": self.runtime.handler_url(self, "staff_csv"),
            "items": (items := self.item_analysis()),
            "items_html": self.items_html(items),
        }

    def items_html(self, report: dict) -> str:
        """The panel's item analysis section (whole test, questions, dimensions) for one attempt set."""
        return resources.render_template(
            "quiz/item_analysis.html",
            {"items": report, "prefix": self._items_prefix(), "content_lang": l10n.content_lang(self.content_language)},
            self.translator)

    def item_analysis(self, attempts: str = "last") -> dict:
        """The item analysis and whole-test figures of the quiz's current questions over one attempt set,
        worded for staff (one query)."""
        question_list = self.question_list()
        analysis, whole = item_totals.analysis(platform.usage_id(self), question_list, self.dimension, attempts)
        data = item_report.report(self.translator, question_list, analysis, self.multiple_scoring, whole, attempts)
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
        return {
            "rows": [self.staff_row(r) for r in page.rows],
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
        """Every learner of this quiz as CSV: anonymous id, attempts, score, last submitted."""
        t = self.translator
        header = [t.gettext("Anonymous learner id"), t.gettext("Attempts"), t.gettext("Points earned"),
                  t.gettext("Points possible"), t.gettext("Percent"), t.gettext("Last submitted (UTC)")]

        def rows():
            for row in roster.every(platform.usage_id(self)):
                percent = None if row.earned is None else grading.percent(row.earned, row.possible)
                yield [row.anonymous_user_id, row.attempts, row.earned, row.possible, percent, _when(row.last_submitted)]

        return header, rows()

    @csv_download("sse-quiz-item-analysis.csv")
    def staff_items_csv(self, request, suffix=""):
        """The item analysis as CSV: one row per option of each choice question, one per other question,
        then the whole-test figures. ``?attempts=first|last|all`` picks the attempts (default: last)."""
        t = self.translator
        attempts = request.GET.get("attempts", "last")
        require(attempts in ATTEMPT_SETS, _("Say which attempts to count: first, last or all (“attempts”)."))
        return item_report.csv_header(t), item_report.csv_rows(t, self.item_analysis(attempts))
