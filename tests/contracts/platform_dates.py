"""A block as the LMS binds it to a learner, for the settings the course gives it: inheritance and dates.

In Open edX a block does not hold the course's settings itself: the LMS reads each field through layers
of field data. Two of them matter to the calendar and to ``max_attempts``:

* the course's inheritable settings (``InheritingFieldData.default`` in xmodule/modulestore/inheritance.py,
  openedx-platform commit e57a655d77b614f19223984e9805b1fb940ab192): a field of ``InheritanceMixin``
  that the block leaves unset takes the value of the nearest ancestor that sets it (its JSON, read by
  the field), so a course's ``max_attempts: null`` reaches every problem that sets none. Replayed here,
  the course being the one ancestor;
* edx-when's ``DateLookupFieldData`` (edx_when/field_data.py, the package itself, installed for the
  tests), which gives each learner their own ``due`` (the course's date, or their extension).

``lms_block`` builds the learner's block on the workbench's storage with those layers, and gives it the
``location`` the LMS's ``XModuleMixin`` gives every block (edx-when looks dates up by it).
"""

from __future__ import annotations

from opaque_keys.edx.keys import CourseKey
from xblock.field_data import FieldData
from xblock.fields import ScopeIds

COURSE = CourseKey.from_string("course-v1:SSE+Workbench+local")  # platform.course_id of a workbench block

# Fields of InheritanceMixin our blocks declare too (the platform's list is longer).
INHERITABLE = frozenset({"due", "graceperiod", "show_correctness", "showanswer", "max_attempts", "start"})


class InheritingFieldData(FieldData):
    """``InheritingFieldData``: the block's own values, and for an inheritable field it leaves unset, the
    value the course sets (``course`` holds the course's settings as JSON, as ``read_json`` gives them)."""

    def __init__(self, authored: FieldData, course: dict):
        super().__init__()
        self._authored = authored
        self._course = dict(course)

    def get(self, block, name):
        return self._authored.get(block, name)

    def set(self, block, name, value):
        self._authored.set(block, name, value)

    def delete(self, block, name):
        self._authored.delete(block, name)

    def has(self, block, name):
        return self._authored.has(block, name)

    def default(self, block, name):
        if name in INHERITABLE and name in self._course:
            return self._course[name]
        return self._authored.default(block, name)


def usage_key(block):
    """The usage key the LMS would give the workbench block (edx-when stores dates under it)."""
    return COURSE.make_usage_key(block.scope_ids.block_type, str(block.scope_ids.usage_id))


def lms_block(block, user: str, layers=lambda authored: authored):
    """``block`` bound to ``user`` as the LMS binds it: its fields read through ``layers(authored)``,
    where ``authored`` is the workbench's storage of the block's own values and the user's state."""
    from workbench.runtime import WorkbenchRuntime

    runtime = WorkbenchRuntime(user)
    keys = ScopeIds(user, block.scope_ids.block_type, block.scope_ids.def_id, block.scope_ids.usage_id)
    authored = runtime.service(block, "field-data")
    unmixed = getattr(type(block), "unmixed_class", type(block))  # the runtime mixes its own mixins in again
    located = type(unmixed.__name__, (unmixed,), {"location": property(usage_key)})
    return runtime.construct_xblock_from_class(located, keys, field_data=layers(authored))


def with_course_settings(**course):
    """Layers for :func:`lms_block`: the course's inheritable settings, given as their JSON."""
    return lambda authored: InheritingFieldData(authored, course)
