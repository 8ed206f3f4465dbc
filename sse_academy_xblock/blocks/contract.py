"""What every SSE Academy leaf block owes the Open edX platform, in one mixin.

* Studio import/export and copy-paste: the platform's attributes on our element are kept (see
  :mod:`sse_academy_xblock.platform_olx`); a block calls :meth:`keep_platform_attributes` from
  ``parse_xml`` and :meth:`write_platform_attributes` from ``add_xml_to_node``.
* Masquerade ("View this course as: Specific learner"): ``show_in_read_only_mode`` tells the LMS the
  block can be shown; :attr:`read_only` is true there (and in Studio's preview), and the block then
  writes nothing (the JSON handlers refuse, the views skip their side effects).
* Mobile apps and the Course Blocks API: a block marks its ``student_view`` with
  ``@XBlock.supports("multi_device")`` and defines ``student_view_data()`` (content only, no user).
* The instructor dashboard's "delete learner state": :meth:`forget_published_score` tells the
  gradebook and completion, which the platform leaves to blocks that define ``clear_student_state``.

A new block gets all of this by listing the mixin before ``XBlock`` and naming its own OLX
attributes and content fields in ``OLX_OWN_ATTRIBUTES`` and ``OLX_OWN_FIELDS``. A block that closes at
the course's due date also lists :class:`PlatformDeadlineMixin`.
"""

from __future__ import annotations

from datetime import datetime, timezone

from xblock.fields import Date, Dict, Scope, Timedelta

from .. import platform, platform_olx
from ..deadlines import Deadline
from ..i18n import gettext_noop as _
from .mixins import discard_changes

# Fields never written as attributes by the generic exporter.
_STRUCTURAL = frozenset({"children", "parent", "content", "xml_attributes"})


class PlatformContractMixin:
    """Platform OLX attributes, read-only mode and score deletion for a leaf block."""

    # Set by each block: the attributes its own OLX parser reads, and its own content fields.
    OLX_OWN_ATTRIBUTES: frozenset[str] = frozenset()
    OLX_OWN_FIELDS: frozenset[str] = frozenset()

    # The LMS shows blocks with this flag when staff view the course as a specific learner
    # (``filter_displayed_blocks`` in lms/djangoapps/courseware/masquerade.py).
    show_in_read_only_mode = True

    xml_attributes = Dict(
        default={}, scope=Scope.settings,
        help=_("Attributes of the block's OLX that belong to the platform, kept for export."),
    )

    # --- read-only mode -------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return platform.is_read_only(self)

    @property
    def viewing_as_learner(self) -> bool:
        return platform.is_viewing_as_learner(self)

    # --- OLX ------------------------------------------------------------------------------------

    @classmethod
    def platform_attributes_of(cls, node) -> dict[str, str]:
        """The attributes of ``node`` that are the platform's (an :class:`OLXError` for a typo of ours)."""
        return platform_olx.platform_attributes(node, cls.OLX_OWN_ATTRIBUTES)

    def keep_platform_attributes(self, attrs: dict[str, str]) -> None:
        """Set the platform's fields named in ``attrs`` and keep the rest for export."""
        own = self.OLX_OWN_ATTRIBUTES | self.OLX_OWN_FIELDS
        values, kept = platform_olx.split_by_field(attrs, self.fields, own, Scope.settings)
        for name, value in values.items():
            setattr(self, name, value)
        if kept:
            self.xml_attributes = kept

    def write_platform_attributes(self, node) -> None:
        """Write the platform's settings fields that are set, and the kept attributes, onto ``node``."""
        own = self.OLX_OWN_ATTRIBUTES | self.OLX_OWN_FIELDS
        values = {}
        for name, field in self.fields.items():
            if name in own or name in _STRUCTURAL or field.scope != Scope.settings:
                continue
            if not field.is_set_on(self):
                continue
            values[name] = platform_olx.serialize_value(field, getattr(self, name))
        platform_olx.write_platform_attributes(node, values, dict(self.xml_attributes or {}))

    # --- the instructor dashboard -----------------------------------------------------------------

    def forget_published_score(self, anonymous_id: str, course: str, usage: str) -> bool:
        """After our own rows are gone: the gradebook's score and completion go too, once the platform
        has deleted the learner's state (Open edX only; see :func:`platform.announce_score_deleted`)."""
        return platform.announce_score_deleted(self, anonymous_id, course, usage)


class PlatformDeadlineMixin:
    """The platform's due date and grace period, for a block that stops taking learners' work after them.

    Open edX mixes ``due`` and ``graceperiod`` into every block (``InheritanceMixin`` in
    xmodule/modulestore/inheritance.py): inherited from the subsection, and ``due`` personalised per
    learner by edx-when (an extension reaches that learner's block only). They are declared here with
    the same names, types and scope, so that the workbench and OLX can set them on the block itself; in
    the LMS the inherited, personalised value is what the block reads. The rule is
    :mod:`sse_academy_xblock.deadlines`.
    """

    due = Date(
        display_name=_("Due date"), scope=Scope.settings,
        help=_("The date after which learners' work is no longer accepted; in a course, the subsection's due date."),
    )
    graceperiod = Timedelta(
        display_name=_("Grace period"), scope=Scope.settings,
        help=_("How long after the due date work is still accepted (learners are told the due date)."),
    )

    def deadline(self) -> Deadline:
        self._forget_workbench_stand_ins()
        return Deadline(self.due, self.graceperiod)

    def save(self):
        self._forget_workbench_stand_ins()
        super().save()

    def _forget_workbench_stand_ins(self) -> None:
        """The XBlock SDK's workbench sets ``due = datetime.utcnow()`` and ``graceperiod = 0`` on every block
        before each render and handler call (``WorkbenchRuntime._patch_xblock``, for blocks that expect a
        course's dates). They are not the block's dates: unsaved, and naive where every date the block
        reads (OLX, Studio, the platform) has a time zone, they are forgotten, never stored."""
        due = self._field_data_cache.get("due")  # noqa: SLF001 - XBlock's cache of values set, saved or not
        if isinstance(due, datetime) and due.tzinfo is None and self.fields["due"] in self._dirty_fields:  # noqa: SLF001
            discard_changes(self, ("due", "graceperiod"))

    @staticmethod
    def now() -> datetime:
        return datetime.now(timezone.utc)

    @property
    def reader_zone(self) -> str | None:
        """The learner's time zone where the platform knows it, for dates written by the server."""
        return platform.time_zone(self)
