"""``sse_profile``: "Your Decent Work profile", a leaf block placed in a unit of the course.

It shows the learner's points earned and possible per Decent Work dimension over its scope (the
whole course, or the section holding it), the cohort's median beside each, and for staff the cohort
table, a per-dimension histogram and a CSV download. It is informational: excluded from completion,
like the platform's own informational blocks. The scope walk lives in :mod:`..profile.scope`, the
arithmetic in :mod:`..profile.arithmetic`, the cohort queries in :mod:`..profile.cohort`.
"""

from __future__ import annotations

import hashlib

from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Scope, String
from xblock.validation import ValidationMessage

from .. import l10n, platform, resources, scenarios
from ..curriculum import loader
from ..i18n import gettext_noop as _
from ..profile import arithmetic, cohort, cohort_store, presentation, scores
from ..profile import olx as profile_olx
from ..profile import scope as profile_scope
from ..refusals import require
from .contract import PlatformContractMixin
from .mixins import READ_ONLY_MESSAGE, SSEBlockMixin, csv_download, editor_errors, json_api

CSS = ("css/sse.css", "css/profile.css")
COUNTING = _("The cohort's figures for this content are being counted; they appear here within a few minutes.")
LIBRARY_PLACEHOLDER = _("The Decent Work profile shows each learner's points once it is used in a course. "
                        "In a library it has no course, so there is nothing to show here.")


@XBlock.needs("i18n")
@XBlock.needs("user")
@XBlock.wants("settings")
@XBlock.wants("studio_user_permissions")
class SSEProfileBlock(PlatformContractMixin, SSEBlockMixin, XBlock):
    """The learner's Decent Work profile over the course or over one section.

    Platform contracts (see :mod:`.contract`): "View as a specific learner" shows that learner's
    profile (the block only reads); the chart is HTML that wraps at any width (checked at 320 px), so
    ``student_view`` is marked ``multi_device`` for the mobile apps.
    """

    OLX_OWN_ATTRIBUTES = frozenset(a for a in profile_olx.ATTRIBUTES if a != "url_name")

    has_score = False
    completion_mode = XBlockCompletionMode.EXCLUDED
    icon_class = "other"
    CATEGORY = profile_olx.TAG
    STUDIO_LABEL = _("Decent Work profile")

    display_name = String(
        display_name=_("Display name"), scope=Scope.settings, default=_("Your Decent Work profile")
    )
    scope = String(
        display_name=_("Scope"),
        help=_("Whose points the profile adds up: every quiz and case study of the course, or of this section."),
        scope=Scope.settings,
        default=profile_scope.DEFAULT_SCOPE,
        values=[{"value": "course", "display_name": _("The whole course")},
                {"value": "section", "display_name": _("This section")}],
    )

    # ------------------------------------------------------------------ data

    def scope_index(self) -> profile_scope.ScopeIndex:
        """Every graded block of the scope, the same for every learner (the cohort's figures and table).

        Empty in a content library: the component has no parent (the library runtime's ``get_parent`` fails)."""
        if self.in_library:
            return profile_scope.ScopeIndex(self.scope, platform.usage_id(self), self.display_name, ())
        return profile_scope.find(self, self.scope)

    def learner_scope(self) -> profile_scope.LearnerScope:
        """The scope, and the part of it the current learner may see now (see :mod:`..profile.scope`)."""
        return profile_scope.for_learner(self, self.scope)

    def learner_profile(self, index: profile_scope.ScopeIndex) -> arithmetic.Profile:
        """The current learner's profile over ``index`` (the blocks they may see): one indexed query
        on the score table for all of them."""
        possible = index.possible
        rows = []
        anonymous_id = self.anonymous_id
        if index.blocks and anonymous_id and not self.is_author_mode:
            rows = [(row.dimension, row.earned) for row in scores.for_learner(anonymous_id, index.usage_ids)]
        return arithmetic.build(possible, rows)

    def cohort_figures(self, index: profile_scope.ScopeIndex) -> cohort.Figures | None:
        """Medians and histograms of the scope's cohort, kept as scores change (:mod:`..profile.cohort_store`):
        one statement, whatever the number of learners.

        A composition met for the first time (a new profile, or a publish that changed the scope's graded
        blocks or their points) is registered here and counted outside the request; meanwhile the
        figures are those of the profile's previous composition, with the time they stopped being
        current ("as of"), or None when there is none.
        """
        course_id = platform.course_id(self)
        scope_key = cohort_store.scope_key(course_id, index.key)
        profile_key = cohort_store.profile_key(course_id, platform.usage_id(self), self.scope)
        kept = cohort_store.read(scope_key, profile_key)
        if not kept.registered:
            scope_id = cohort_store.register(course_id, scope_key, profile_key, index.usage_ids, index.possible)
            if scope_id is not None and cohort_store.build_later(scope_id):
                kept = cohort_store.read(scope_key, profile_key)  # counted at once (tests)
        elif kept.stuck is not None:
            cohort_store.build_later(kept.stuck)
        return kept.figures

    # ------------------------------------------------------------------ learner view

    def _uid(self) -> str:
        return "sse-profile-" + hashlib.sha1(platform.usage_id(self).encode("utf-8")).hexdigest()[:10]

    def _body_context(self, view: profile_scope.LearnerScope | None) -> dict:
        if self.in_library:
            return {"uid": self._uid(), "placeholder": self._(LIBRARY_PLACEHOLDER)}
        if view is None:
            return {"uid": self._uid(), "signed_out": self._("Sign in to see your Decent Work profile.")}
        preview = self.is_author_mode
        # Studio's preview shows what the scope offers; a learner, what they may see now, less the activities
        # whose results are not shown to them yet (neither their earned nor their possible points count).
        index = view.index if preview else view.counted
        hidden = () if preview else view.hidden
        profile = self.learner_profile(index)
        # The cohort's figures are for its learners: not for Studio's preview, nor for a visitor who is not signed in.
        shared = view.index.blocks and not preview and platform.is_authenticated_learner(self)
        figures = self.cohort_figures(view.index) if shared else None
        texts = presentation.scope_texts(self.scope, self._)
        if view.index.banked and not view.index.blocks and not profile.has_points:
            texts["empty"] = self._(presentation.BANKED_EMPTY)
        rows = presentation.learner_rows(profile, figures, self.scope, self.translator, view.index.possible,
                                         view.hidden_possible if hidden else None)
        return {
            "uid": self._uid(),
            "preview": preview,
            "has_points": profile.has_points,
            "hidden": presentation.hidden_results(hidden, self._, platform.time_zone(self)),
            "hidden_intro": self._(presentation.HIDDEN_INTRO),
            "hidden_all": self._(presentation.HIDDEN_ALL),
            "scope_texts": texts,
            "rows": rows,
            "overall": presentation.overall_text(profile, self.translator),
            "banked_text": presentation.banked_text(view.index.banked, self.translator),
            "earned_text": l10n.number(profile.earned),
            "possible_text": l10n.number(profile.possible),
            "percent_text": l10n.percentage(profile.percent),
            # Bars of different lengths: a sentence under the chart says why.
            "uneven": len({row["track"] for row in rows if row["counts"]}) > 1,
        }

    def _has_learner(self) -> bool:
        """Whether this request has a learner whose access the platform checked.

        Not so for an anonymous caller (no anonymous id), nor on the LMS's ``handler_noauth`` route,
        where the platform applies nobody's access (:func:`..platform.access_is_checked`): such a
        caller gets neither a learner's figures nor the cohort's.
        """
        return bool(self.anonymous_id) and platform.access_is_checked(self)

    def _view(self) -> profile_scope.LearnerScope | None:
        """The scope as this request may show it: all of it in Studio's preview, the learner's part
        for a learner, nothing without one."""
        if self.in_library:  # a library component has no parent, no course and no learners: a placeholder
            return None
        if self.is_author_mode:
            index = self.scope_index()
            return profile_scope.LearnerScope(index, index)
        if not self._has_learner():
            return None
        return self.learner_scope()

    def shown_name(self) -> str:
        """The title learners read: the author's, or the default title in the reader's language (the OLX
        stores the English default when a profile has none of its own)."""
        if self.display_name == profile_olx.DEFAULT_DISPLAY_NAME:
            return self._(profile_olx.DEFAULT_DISPLAY_NAME)
        return self.display_name

    def render_body(self, view: profile_scope.LearnerScope | None) -> str:
        return resources.render_template("profile/body.html", self._body_context(view), self.translator)

    @XBlock.supports("multi_device")
    def student_view(self, context=None):
        view = self._view()
        show_staff = view is not None and self.is_staff and not self.is_author_mode
        uid = self._uid()
        ctx = {
            "uid": uid,
            "display_name": self.shown_name(),
            "body": self.render_body(view),
            "is_staff": show_staff,
            "csv_url": self.runtime.handler_url(self, "staff_csv") if show_staff else "",
            "histogram": self._histogram(view.index) if show_staff else None,
            "read_only_notice": self._(READ_ONLY_MESSAGE) if self.viewing_as_learner else "",
        }
        init = {
            "staff": show_staff,
            "texts": {
                "updated": self._("Your Decent Work profile was updated."),
                "failed": self._("Your profile could not be updated. Reload the page to see your latest points."),
                "staff_failed": self._("The cohort table could not be loaded."),
                "staff_empty": self._("No learner has a score here yet."),
                "staff_caption": self._("Points per learner and Decent Work dimension"),
                "staff_page": self._("Page %(page)s"),
                "staff_column": self._("%(dimension)s (of %(possible)s)"),
                "learner": self._("Anonymous learner id"),
                "overall": self._("Overall"),
            },
        }
        return self.render_fragment("profile/student.html", ctx, "SSEProfileBlock", init, css=CSS,
                                    js=("js/profile.js",))

    def student_view_data(self, context=None):
        """For API clients (the Course Blocks API): what the block shows; the figures are per learner."""
        return {"display_name": self.display_name, "scope": self.scope}

    def index_dictionary(self):
        """What Studio's search indexes: the title and what the profile adds up (it has no text of its own)."""
        scope = next((item["display_name"] for item in self.fields["scope"].values if item["value"] == self.scope),
                     self.scope)
        return {"content": {"display_name": self.display_name, "profile_content": self._(scope)},
                "content_type": "SSE Decent Work profile"}

    @json_api(allow_author_mode=True, read_only_ok=True)
    def refresh(self, data, suffix=""):
        """The profile's body again, after a quiz or case study on the page was graded."""
        return {"html": self.render_body(self._view())}

    # ------------------------------------------------------------------ staff

    def _histogram(self, index) -> dict:
        """The staff histogram with its learner count, the same count the learners' table states while the
        cohort does not fit on one page; "as of" when the figures are those of the previous composition."""
        figures = self.cohort_figures(index)
        if figures is None:
            return {"counting_text": self._(COUNTING)}
        shown = presentation.histogram(figures, self._)
        shown["learners_text"] = self._learners_text(figures)
        return shown

    def _learners_text(self, figures: cohort.Figures | None) -> str:
        if figures is None:
            return self._(COUNTING)
        if figures.as_of is not None:
            return self.translator.ngettext(
                "%(count)s learner had points in this scope as of %(when)s.",
                "%(count)s learners had points in this scope as of %(when)s.", figures.learners,
            ) % {"count": l10n.number(figures.learners), "when": presentation.as_of_text(figures)}
        return self.translator.ngettext(
            "%(count)s learner has points in this scope.", "%(count)s learners have points in this scope.",
            figures.learners) % {"count": l10n.number(figures.learners)}

    @json_api(staff_only=True)
    def staff_learners(self, data, suffix=""):
        """One page of the cohort table: each learner's points per dimension and overall.

        The first page, or the page ``after`` / ``before`` a learner id (the last / first row of the
        page on screen): each page is two short index reads whatever the number of learners.
        """
        after, before = data.get("after"), data.get("before")
        cursor = after if after is not None else before
        require(after is None or before is None, _("Ask for the page after or before a learner, not both."))
        require(cursor is None or (isinstance(cursor, str) and 0 < len(cursor) <= 255),
                _("This page of learners is not valid."))
        index = self.scope_index()
        possible = index.possible
        result = cohort.page(index.usage_ids, possible, after=after, before=before)
        totals = arithmetic.build(possible, [])
        if not (result.has_prev or result.has_next):
            # The whole cohort is on this page: its size is exact and current.
            learners = len(result.rows)
            learners_text = self.translator.ngettext(
                "%(count)s learner has points in this scope.", "%(count)s learners have points in this scope.",
                learners) % {"count": l10n.number(learners)}
        else:
            # Counting a large cohort on every page load is what keyset paging avoids: the count comes
            # with the cohort's kept figures.
            figures = self.cohort_figures(index)
            learners = figures.learners if figures is not None else None
            learners_text = self._learners_text(figures)
        return {
            "has_prev": result.has_prev,
            "has_next": result.has_next,
            "first": result.first or "",
            "last": result.last or "",
            "learners": learners,
            "learners_text": learners_text,
            "possible": [
                {"id": line.dimension, "possible_text": l10n.number(line.possible)} for line in totals.lines
            ],
            "possible_text": l10n.number(totals.possible),
            "rows": [
                {**row.to_dict(), "overall_text": self._("%(earned)s (%(percent)s)") % {
                    "earned": l10n.number(row.profile.earned), "percent": l10n.percentage(row.profile.percent)}}
                for row in result.rows
            ],
        }

    @csv_download("sse-decent-work-profile.csv")
    def staff_csv(self, request, suffix=""):
        """The whole cohort table as a streamed CSV download (staff only)."""
        index = self.scope_index()
        possible = index.possible
        return cohort.csv_header(possible, self._), cohort.csv_rows(index.usage_ids, possible)

    # ------------------------------------------------------------------ Studio

    def studio_view(self, context=None):
        ctx = {
            "uid": self._uid(),
            "display_name": self.display_name,
            "scope": self.scope,
            "scopes": [{"value": item["value"], "label": self._(item["display_name"])}
                       for item in self.fields["scope"].values],
        }
        init = {"texts": {
            "saving": self._("Saving…"),
            "saved": self._("Saved"),
            "failed": self._("Something went wrong. Please try again."),
        }}
        return self.render_fragment("profile/studio.html", ctx, "SSEProfileStudioView", init, css=CSS,
                                    js=("js/sse-editor.js", "js/profile-studio.js"))

    @json_api(authoring=True)
    def studio_submit(self, data, suffix=""):
        """Check both settings, report every problem at once, then save (nothing saved on an error)."""
        errors = []
        unknown = sorted(set(data) - {"display_name", "scope"})
        if unknown:
            errors.append({"field": "", "message": self._("Unknown setting(s): %(names)s.") % {
                "names": ", ".join(unknown)}})
        name = data.get("display_name")
        if not isinstance(name, str) or not name.strip():
            errors.append({"field": "display_name", "message": self._("Enter a display name.")})
        elif len(name.strip()) > profile_olx.MAX_NAME:
            errors.append({"field": "display_name", "message": self._(
                "The display name can have at most %(max)s characters.") % {"max": profile_olx.MAX_NAME}})
        scope = data.get("scope")
        if scope not in profile_scope.SCOPES:
            errors.append({"field": "scope", "message": self._("Choose the whole course or this section.")})
        if errors:
            return editor_errors(self._("Please correct the highlighted fields."), errors)
        self.display_name = name.strip()
        self.scope = scope
        return {"saved": True}

    def validate(self):
        validation = super().validate()
        if self.scope not in profile_scope.SCOPES:
            validation.add(ValidationMessage(ValidationMessage.ERROR, self._(
                "The scope must be the whole course or this section.")))
        return validation

    # ------------------------------------------------------------------ OLX

    @classmethod
    def parse_xml(cls, node, runtime, keys, *args, **kwargs):
        platform_attrs = cls.platform_attributes_of(node)
        settings = profile_olx.read(node, tuple(platform_attrs))
        block = runtime.construct_xblock_from_class(cls, keys)
        block.display_name = settings.display_name
        block.scope = settings.scope
        block.keep_platform_attributes(platform_attrs)
        return block

    def add_xml_to_node(self, node):
        profile_olx.write(node, profile_olx.ProfileSettings(self.display_name, self.scope))
        node.set("xblock-family", self.entry_point)
        self.write_platform_attributes(node)

    @staticmethod
    def workbench_scenarios():
        found = loader.workbench_scenarios(scenarios.load("sse_profile"))
        # Without the SDK's page blocks (a production install), the profile alone.
        return found or [(profile_olx.DEFAULT_DISPLAY_NAME, "<sse_profile/>")]
