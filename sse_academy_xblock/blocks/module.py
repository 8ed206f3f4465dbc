"""``sse_module``: an SSE Academy module, a container of text, quizzes and case studies.

The block holds the module's own fields and renders its children in order, followed by the learner's
Decent Work profile (earned/possible points per dimension over the graded children) and, for staff,
the cohort table. The arithmetic lives in :mod:`..module.profile`, the cohort queries in
:mod:`..module.staff`, the OLX shape in :mod:`..module.olx`.
"""

from __future__ import annotations

import hashlib
import json

from web_fragments.fragment import Fragment
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Integer, List, Scope, String
from xblock.utils.studio_editable import NestedXBlockSpec, StudioContainerWithNestedXBlocksMixin
from xblock.validation import ValidationMessage

from .. import dimensions, platform, resources, scenarios
from ..i18n import gettext_noop as _
from ..module import olx as module_olx
from ..module import profile as dw_profile
from ..module import scores, staff
from ..module.editing import duration_text, validate_settings
from ..olx import format_number
from ..sanitize import clean_author_html
from .mixins import HandlerError, SSEBlockMixin, csv_response, editor_errors, json_api, require

CSS = ("css/sse.css", "css/module.css")


@XBlock.needs("i18n")
@XBlock.needs("user")
@XBlock.wants("settings")
@XBlock.wants("mako")
class SSEModuleBlock(SSEBlockMixin, StudioContainerWithNestedXBlocksMixin, XBlock):
    """A module of the SSE Academy course, mapped to one primary Decent Work dimension."""

    has_children = True
    has_score = False
    completion_mode = XBlockCompletionMode.AGGREGATOR
    CATEGORY = module_olx.TAG
    STUDIO_LABEL = _("SSE Academy module")

    display_name = String(
        display_name=_("Display name"), scope=Scope.settings, default=_("SSE Academy module")
    )
    dimension = String(
        display_name=_("Primary Decent Work dimension"),
        scope=Scope.content,
        default=dimensions.DEFAULT_DIMENSION,
        values=dimensions.choices(),
    )
    objectives = List(display_name=_("Learning objectives"), scope=Scope.content, default=[])
    intro = String(display_name=_("Introduction"), scope=Scope.content, default="")
    estimated_time = Integer(
        display_name=_("Estimated time (minutes)"), scope=Scope.content, default=None, enforce_type=False
    )

    # ------------------------------------------------------------------ children

    @property
    def allowed_nested_blocks(self):
        return [
            NestedXBlockSpec(None, category="html", label=self._("Text")),
            NestedXBlockSpec(None, category="video", label=self._("Video")),
            NestedXBlockSpec(None, category="sse_quiz", label=self._("Quiz")),
            NestedXBlockSpec(None, category="sse_case_study", label=self._("Case study")),
        ]

    def graded_children(self) -> list:
        """Children whose content awards Decent Work points (they define ``possible_by_dimension``)."""
        return [child for child in self.get_children() if callable(getattr(child, "possible_by_dimension", None))]

    def _possible(self, graded) -> dict[str, float]:
        return dw_profile.possible_totals(child.possible_by_dimension() for child in graded)

    def learner_profile(self) -> dw_profile.Profile:
        """The current learner's profile: one query on the score table for all graded children."""
        graded = self.graded_children()
        possible = self._possible(graded)
        anonymous_id = self.anonymous_id
        rows = []
        if graded and anonymous_id and not self.is_author_mode:
            usage_ids = [platform.usage_id(child) for child in graded]
            rows = [(row.dimension, row.earned) for row in scores.for_learner(anonymous_id, usage_ids)]
        return dw_profile.build(possible, rows)

    # ------------------------------------------------------------------ learner view

    def _uid(self) -> str:
        return "sse-module-" + hashlib.sha1(platform.usage_id(self).encode("utf-8")).hexdigest()[:10]

    def _header_context(self) -> dict:
        return {
            "display_name": self.display_name,
            "dimension_label": dimensions.label(self.dimension, self._) if dimensions.is_dimension(self.dimension)
            else "",
            "estimated_time": duration_text(self.estimated_time, self.translator),
            "objectives": [clean_author_html(text) for text in self.objectives],
            "intro": clean_author_html(self.intro),
        }

    def _texts(self) -> dict:
        """Every string the JavaScript shows, translated here (there is no JS catalog)."""
        return {
            "updated": self._("Your Decent Work profile was updated."),
            "failed": self._("Your profile could not be updated. Reload the page to see your latest points."),
            "no_points": self._("No points in this module"),
            "staff_failed": self._("The cohort table could not be loaded."),
            "staff_empty": self._("No learner has a score in this module yet."),
            "staff_caption": self._("Points per learner and Decent Work dimension"),
            "staff_column": self._("%(dimension)s (of %(possible)s)"),
            "chart_title": self._("Points per Decent Work dimension"),
            "learner": self._("Anonymous learner id"),
            "overall": self._("Overall"),
        }

    def student_view(self, context=None):
        context = dict(context or {})
        child_fragments = [
            self.runtime.render_child(child, "student_view", context) for child in self.get_children()
        ]
        data = self.learner_profile().to_dict(self.translator)
        uid = self._uid()
        show_staff = self.is_staff and not self.is_author_mode
        init = {
            "uid": uid,
            "chart": dw_profile.chart_constants(),
            "texts": self._texts(),
            "staff": show_staff,
            "dimensions": [
                {"id": dim, "label": dimensions.label(dim, self._)} for dim in dimensions.DIMENSION_IDS
            ],
        }
        ctx = {
            **self._header_context(),
            "uid": uid,
            "children": [frag.content for frag in child_fragments],
            "profile": data,
            "chart_html": resources.render_template(
                "module/chart.html", {"uid": uid, "chart": dw_profile.chart(data)}
            ),
            "is_staff": show_staff,
            "csv_url": self.runtime.handler_url(self, "staff_csv") if show_staff else "",
            "init_json": json.dumps(init),
            "dimension_ids": dimensions.DIMENSION_IDS,
        }
        frag = self.render_fragment("module/student.html", ctx, "SSEModuleBlock", None, css=CSS, js=("js/module.js",))
        for child_frag in child_fragments:
            frag.add_fragment_resources(child_frag)
        return frag

    @json_api(allow_author_mode=True)
    def profile(self, data, suffix=""):
        """The current learner's profile as JSON, for redrawing the chart after a child is graded."""
        result = self.learner_profile().to_dict(self.translator)
        return {"profile": result, "chart": dw_profile.chart(result)}

    # ------------------------------------------------------------------ staff

    def _graded_ids_and_possible(self):
        graded = self.graded_children()
        return [platform.usage_id(child) for child in graded], self._possible(graded)

    @json_api(staff_only=True)
    def staff_learners(self, data, suffix=""):
        """One page of the cohort table: each learner's points per dimension and overall."""
        number = data.get("page", 1)
        require(isinstance(number, int) and not isinstance(number, bool) and number >= 1, 400,
                self._("The page number must be a whole number from 1."))
        usage_ids, possible = self._graded_ids_and_possible()
        result = staff.page(usage_ids, possible, number)
        totals = dw_profile.build(possible, [])
        page_text = self.translator.ngettext(
            "Page %(page)s of %(pages)s (%(learners)s learner)", "Page %(page)s of %(pages)s (%(learners)s learners)",
            result.learners,
        ) % {"page": result.number, "pages": result.pages, "learners": result.learners}
        return {
            "page": result.number,
            "pages": result.pages,
            "learners": result.learners,
            "page_text": page_text,
            "possible": [
                {"id": line.dimension, "possible_text": format_number(line.possible)} for line in totals.lines
            ],
            "possible_text": format_number(totals.possible),
            "rows": [
                {**row.to_dict(), "overall_text": self._("%(earned)s (%(percent)s%%)") % {
                    "earned": format_number(row.profile.earned), "percent": row.profile.percent}}
                for row in result.rows
            ],
        }

    @XBlock.handler
    def staff_csv(self, request, suffix=""):
        """The whole cohort table as a streamed CSV download (staff only)."""
        if not self.is_staff:
            return HandlerError(403, self._("Only course staff can do this.")).get_response()
        usage_ids, possible = self._graded_ids_and_possible()
        return csv_response("sse-module-profile.csv", staff.csv_header(possible, self._), staff.csv_rows(usage_ids, possible))

    # ------------------------------------------------------------------ Studio

    def studio_view(self, context=None):
        ctx = {
            "uid": self._uid(),
            "display_name": self.display_name,
            "dimension": self.dimension,
            "dimension_choices": dimensions.choices(self._),
            "objectives": "\n".join(self.objectives),
            "intro": self.intro,
            "estimated_time": self.estimated_time or "",
        }
        init = {
            "texts": {
                "saving": self._("Saving…"),
                "saved": self._("Saved"),
                "error_title": self._("The module could not be saved"),
                "failed": self._("Something went wrong. Please try again."),
            }
        }
        return self.render_fragment("module/studio.html", ctx, "SSEModuleStudioView", init, css=CSS,
                                    js=("js/module-studio.js",))

    @json_api(authoring=True)
    def studio_submit(self, data, suffix=""):
        """Validate the whole settings payload, report every problem at once, then save.

        Who may call it: see :func:`sse_academy_xblock.platform.may_author`.
        """
        values, errors = validate_settings(data, self._)
        if errors:
            return editor_errors(self._("Please correct the highlighted fields."), errors)
        for name, value in values.items():
            setattr(self, name, value)
        return {"saved": True}

    def author_view(self, context=None):
        """On the module's own container page: its children, reorderable, with add buttons; elsewhere a summary."""
        context = context or {}
        root = context.get("root_xblock")
        if root is not None and _location(root) == _location(self):
            return self.author_edit_view(context)
        return self.author_preview_view(context)

    def author_edit_view(self, context):
        header = self.render_fragment("module/author.html", {**self._header_context(), "children": None}, css=CSS)
        frag = Fragment(header.content)
        frag.add_fragment_resources(header)
        body = super().author_edit_view(context)
        frag.add_content(body.content)
        frag.add_fragment_resources(body)
        if body.js_init_fn:
            frag.initialize_js(body.js_init_fn, body.json_init_args)
        return frag

    def author_preview_view(self, context):
        children = [
            {"name": getattr(child, "display_name", None) or child.scope_ids.block_type,
             "type": child.scope_ids.block_type,
             "graded": callable(getattr(child, "possible_by_dimension", None))}
            for child in self.get_children()
        ]
        return self.render_fragment("module/author.html", {**self._header_context(), "children": children}, css=CSS)

    def render_children(self, context, fragment, can_reorder=True, can_add=False):
        """Studio's container markup when Studio's template service is there; plain previews otherwise."""
        if self.runtime.service(self, "mako") is not None:
            return super().render_children(context, fragment, can_reorder=can_reorder, can_add=can_add)
        for child in self.get_children():
            view = "author_view" if hasattr(child, "author_view") else "student_view"
            rendered = child.render(view, context)
            fragment.add_fragment_resources(rendered)
            fragment.add_content(rendered.content)
        return None

    def validate(self):
        """Studio warnings: the module's own settings, then every child's messages, named by child."""
        validation = super().validate()
        if not dimensions.is_dimension(self.dimension):
            validation.add(ValidationMessage(ValidationMessage.ERROR, self._(
                "The primary dimension is not one of the four Decent Work dimensions.")))
        graded = 0
        for child in self.get_children():
            if callable(getattr(child, "possible_by_dimension", None)):
                graded += 1
            child_validation = child.validate() if hasattr(child, "validate") else None
            for message in getattr(child_validation, "messages", []):
                name = getattr(child, "display_name", None) or child.scope_ids.block_type
                validation.add(ValidationMessage(message.type, self._("%(name)s: %(message)s") % {
                    "name": name, "message": message.text}))
        if not graded:
            validation.add(ValidationMessage(ValidationMessage.WARNING, self._(
                "This module has no quiz or case study, so learners have no Decent Work profile here.")))
        return validation

    # ------------------------------------------------------------------ OLX

    @classmethod
    def _platform_fields(cls) -> tuple[str, ...]:
        """Fields the hosting runtime mixes in (Open edX's scheduling, visibility...), kept through OLX."""
        own = set(SSEModuleBlock.fields)
        return tuple(
            sorted(
                name for name, field in cls.fields.items()
                if name not in own and field.scope in (Scope.settings, Scope.content)
            )
        )

    @classmethod
    def parse_xml(cls, node, runtime, keys, *args, **kwargs):
        content, child_nodes = module_olx.read(node, cls._platform_fields())
        block = runtime.construct_xblock_from_class(cls, keys)
        block.display_name = content.display_name
        block.dimension = content.dimension
        block.objectives = content.objectives
        block.intro = content.intro
        block.estimated_time = content.estimated_time
        for name, value in content.platform_attributes.items():
            cls._set_field_if_present(block, name, value, {})
        for child in child_nodes:
            runtime.add_node_as_child(block, child)
        return block

    def add_xml_to_node(self, node):
        platform_attributes = {}
        for name in self._platform_fields():
            field = self.fields[name]
            if field.is_set_on(self):
                value = field.to_string(field.read_from(self))
                if value is not None:
                    platform_attributes[name] = value
        content = module_olx.ModuleContent(
            display_name=self.display_name,
            dimension=self.dimension,
            objectives=list(self.objectives),
            intro=self.intro,
            estimated_time=self.estimated_time,
            platform_attributes=platform_attributes,
        )
        module_olx.write(node, content)
        node.set("xblock-family", self.entry_point)
        self.add_children_to_node(node)

    @staticmethod
    def workbench_scenarios():
        from ..curriculum import loader

        return loader.workbench_scenarios(scenarios.load(module_olx.TAG))


def _location(block):
    """Open edX's version-free ``location`` of a block, or its usage id elsewhere."""
    return getattr(block, "location", None) or block.scope_ids.usage_id
