"""What differs between Open edX and the XBlock SDK workbench, behind one small adapter.

Blocks ask this module who the learner is, whether they are signed in, whether they are staff and
whether the block is a preview (Studio's author preview, or a content library's component); nothing else
in the package reads user opt_attrs or settings directly.
"""

from __future__ import annotations

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models.signals import post_delete
from django.utils import timezone

OPENEDX_ANONYMOUS_ID = "edx-platform.anonymous_user_id"
OPENEDX_IS_AUTHENTICATED = "edx-platform.is_authenticated"
OPENEDX_IS_STAFF = "edx-platform.user_is_staff"
OPENEDX_USER_ID = "edx-platform.user_id"
# The user's preferences the LMS hands blocks: ``pref-lang`` and ``time_zone`` (USER_PREFERENCES_WHITE_LIST in
# common/djangoapps/xblock_django/user_service.py).
OPENEDX_USER_PREFERENCES = "edx-platform.user_preferences"
WORKBENCH_USER_ID = "xblock-workbench.user_id"
# The user of the workbench's unauthenticated handler address (``/unauth_handler/``).
WORKBENCH_NOBODY = "none"

# Workbench users treated as course staff (``?student=staff``); settable in Django settings.
DEFAULT_WORKBENCH_STAFF = ("staff", "instructor")


def _current_user(block):
    service = block.runtime.service(block, "user")
    return service.get_current_user() if service is not None else None


def _attrs(block) -> dict:
    user = _current_user(block)
    return (user.opt_attrs or {}) if user is not None else {}


def is_signed_in(block) -> bool:
    """Whether the platform says the current user signed in.

    Open edX's user service (``DjangoXBlockUserService`` in common/djangoapps/xblock_django/user_service.py)
    sets ``edx-platform.is_authenticated`` for every user, False for an anonymous one: who calls through the
    LMS's unauthenticated handler address (``handle_xblock_callback_noauth`` in
    lms/djangoapps/courseware/block_render.py, which skips the access check) without a session. The workbench
    signs in every ``?student=`` id except ``none``, the user of its ``unauth_handler`` address. A user the
    runtime says nothing about is not signed in.
    """
    attrs = _attrs(block)
    if OPENEDX_IS_AUTHENTICATED in attrs:
        return bool(attrs[OPENEDX_IS_AUTHENTICATED])
    if WORKBENCH_USER_ID in attrs:
        return attrs[WORKBENCH_USER_ID] not in (None, "", WORKBENCH_NOBODY)
    return False


def is_authenticated_learner(block) -> bool:
    """A signed-in user with a learner id in this course: the only caller a block writes for or shows
    learners', cohort or staff data to (see ``blocks.mixins.json_api``).

    Course staff are learners here too (the LMS gives them an anonymous id in the course), and so is the author
    in Studio's preview. A Studio editor's save carries no learner id: see :func:`may_author`.
    """
    return is_signed_in(block) and anonymous_user_id(block) is not None


def anonymous_user_id(block) -> str | None:
    """The course-specific anonymous id of the current user (the workbench's user id there)."""
    user = _current_user(block)
    if user is None:
        return None
    attrs = user.opt_attrs or {}
    value = attrs.get(OPENEDX_ANONYMOUS_ID) or attrs.get(WORKBENCH_USER_ID)
    if value in (None, "", "none"):
        return None
    return str(value)


def time_zone(block) -> str | None:
    """The time zone the current user chose in their LMS account settings (an IANA name), or None."""
    user = _current_user(block)
    preferences = (user.opt_attrs or {}).get(OPENEDX_USER_PREFERENCES) if user is not None else None
    zone = preferences.get("time_zone") if isinstance(preferences, dict) else None
    return str(zone) if zone else None


def is_staff(block) -> bool:
    """True only when the platform says so; an absent attribute means not staff."""
    user = _current_user(block)
    if user is None:
        return False
    attrs = user.opt_attrs or {}
    if OPENEDX_IS_STAFF in attrs:
        return bool(attrs.get(OPENEDX_IS_STAFF))
    workbench_id = attrs.get(WORKBENCH_USER_ID)
    if workbench_id is None:
        return False
    staff_ids = getattr(django_settings, "SSE_WORKBENCH_STAFF_USERS", DEFAULT_WORKBENCH_STAFF)
    return str(workbench_id) in set(staff_ids)


def may_author(block) -> bool:
    """Whether the current user may save this block's content and settings.

    Studio runs an editor's save handler for any signed-in user and only afterwards skips storing
    the block when the user may not edit the course (``component_handler`` in
    cms/djangoapps/contentstore/views/component.py), so the block must ask first: Studio offers the
    ``studio_user_permissions`` service for that. A content library's runtime has no such service: its
    learning context decides (:func:`_may_edit_library_component`). Otherwise (the LMS) nobody authors. The
    workbench has neither, so there only its staff users may author. A user who is not signed in
    never authors: in the LMS, an anonymous caller reaches the editors' save handler through the
    unauthenticated handler address.
    """
    if not is_signed_in(block):
        return False
    try:
        permissions = block.runtime.service(block, "studio_user_permissions")
    except Exception:  # noqa: BLE001 - a block that does not declare the service
        permissions = None
    if permissions is not None:
        return _can_edit(permissions, context_key(block))
    if is_library_context(block):
        return _may_edit_library_component(block)
    attrs = _attrs(block)
    if OPENEDX_IS_AUTHENTICATED in attrs or OPENEDX_USER_ID in attrs:
        return False
    return is_staff(block)


def _may_edit_library_component(block) -> bool:
    """The library's own rule for who may change a component: its learning context's ``can_edit_block``.

    The library runtime runs any handler for a user its learning context lets *view* the component
    (``load_block`` with ``CheckPerm.CAN_LEARN`` in openedx/core/djangoapps/xblock/api.py), and only when the
    block is saved asks ``can_edit_block`` (``OpenedXCoreRuntime.save_block``), raising an error for a user who
    may not: the block asks the same question first, so a read-only library user is refused clearly and nothing
    is half-done. The runtime's ``user`` is the Django user. Outside the platform there is no library to ask.
    """
    user = getattr(block.runtime, "user", None)
    if user is None or getattr(user, "is_anonymous", False):
        return False
    try:  # pylint: disable=import-error
        from openedx.core.djangoapps.xblock.learning_context.manager import get_learning_context_impl
    except ImportError:
        return False
    usage = block.scope_ids.usage_id
    try:
        return bool(get_learning_context_impl(usage).can_edit_block(user, usage))
    except Exception:  # noqa: BLE001 - a component the library cannot judge is not editable
        return False


def _can_edit(permissions, key) -> bool:
    # ``can_write`` since the service exists; newer releases name it ``can_edit_content``.
    for name in ("can_write", "can_edit_content"):
        check = getattr(permissions, name, None)
        if callable(check):
            try:
                return bool(check(key))
            except Exception:  # noqa: BLE001 - a key the service cannot judge is not writable
                return False
    return False


def context_key(block):
    """The course (or library) key object of the block's usage, or None in the workbench."""
    usage = block.scope_ids.usage_id
    return getattr(usage, "context_key", None) or getattr(usage, "course_key", None)


def is_viewing_as_learner(block) -> bool:
    """Staff using the LMS's "View this course as: Specific learner", whoever the learner is.

    ``setup_masquerade`` (lms/djangoapps/courseware/masquerade.py) binds the block to the learner and
    marks that learner object with the staff member as ``real_user``; the user service keeps it. The
    learner's XBlock fields then only write to the staff session (``MasqueradingKeyValueStore``, whenever
    ``is_masquerading_as_specific_student``), but our own tables would be written for the learner, so the
    blocks render read-only and their handlers refuse to write. That holds when staff view the course as
    themselves too: the platform loads their user again, marks it the same way and keeps their field
    writes in the session just the same, so the learner's id being the staff member's own changes nothing.
    """
    service = block.runtime.service(block, "user")
    bound = getattr(service, "_django_user", None)
    real = getattr(bound, "real_user", None)
    return real is not None and real is not bound


def is_read_only(block) -> bool:
    """Nothing may be written for a learner: a preview (Studio's or a content library's), or staff viewing as a
    learner."""
    return is_preview(block) or is_viewing_as_learner(block)


def announce_score_deleted(block, anonymous_id: str, course: str, usage: str) -> bool:
    """Tell the LMS's grades and completion that this learner's score on the block is gone, once it is.

    The instructor dashboard's "delete learner state" (``reset_student_attempts`` in
    lms/djangoapps/instructor/enrollment.py) calls a block's ``clear_student_state`` first, then deletes
    the learner's StudentModule (where the gradebook reads the block's score), then opens a
    ``STATE_DELETED`` event transaction; it sends the score-deleted signal itself only for blocks that
    do not define ``clear_student_state``. So the block sends it, as the platform would:

    * not before the StudentModule is deleted and that deletion committed (a receiver of its
      ``post_delete``, then ``on_commit``): the grade task then finds no score, as it expects, instead
      of finding the old one and retrying;
    * inside an event transaction of type ``edx.grades.problem.state_deleted``, opened just before
      (``create_new_event_transaction_id``, ``set_event_transaction_type``), so the grades app logs no
      ``edx.grades.problem.submitted`` event with 0 points for it;
    * never when the caller asked for no signals and events (``emit_signals_and_events=False``, the
      support tool's course reset): the platform then disconnects its receiver of edx-submissions'
      ``score_reset`` while the block clears its state
      (``_conditionally_disconnect_submissions_signal_recievers``), which is how a block learns it.

    Returns whether the signal will be sent; False outside Open edX, where there is no gradebook to tell.
    """
    try:  # pylint: disable=import-error
        from common.djangoapps.student.models import user_by_anonymous_id
        from lms.djangoapps.courseware.models import StudentModule
        from lms.djangoapps.grades.api import constants as grades_constants
        from lms.djangoapps.grades.api import signals as grades_signals
    except ImportError:
        return False
    if not _platform_receives_score_resets():
        return False
    user = user_by_anonymous_id(anonymous_id)
    if user is None:
        return False
    raw_possible, weight = block.max_score(), getattr(block, "weight", None)

    def announce() -> None:
        _open_state_deleted_transaction()
        grades_signals.PROBLEM_RAW_SCORE_CHANGED.send(
            sender=None, raw_earned=0, raw_possible=raw_possible, weight=weight, user_id=user.id,
            course_id=str(course), usage_id=str(usage), score_deleted=True, only_if_higher=False,
            modified=timezone.now(), score_db_table=grades_constants.ScoreDatabaseTableEnum.courseware_student_module,
        )

    _when_deleted(StudentModule, user.id, str(usage), announce)
    return True


def begin_state_deleted() -> bool:
    """Before a block's ``clear_student_state`` resets the learner's edx-submissions score: whether the reset
    should be announced to the LMS, and if so the platform's ``STATE_DELETED`` event transaction, opened now.

    The instructor dashboard's "delete learner state" (``reset_student_attempts`` in
    lms/djangoapps/instructor/enrollment.py) calls ``clear_student_state`` first and opens its own
    ``STATE_DELETED`` event transaction only after deleting the learner's StudentModule. A block whose
    score lives in edx-submissions resets it from ``clear_student_state``, as the platform itself does
    for other blocks, before looking the StudentModule up (a score may exist without one); the LMS turns
    edx-submissions' ``score_reset`` signal into a deleted score (``submissions_score_reset_handler`` in
    lms/djangoapps/grades/signals/handlers.py), and the grades app logs that as an
    ``edx.grades.problem.submitted`` event with 0 of 0 points unless an event transaction of another kind
    is open (``grade_updated`` in lms/djangoapps/grades/events.py). So the transaction is opened here,
    of the kind the platform opens for the same deletion a moment later, and nothing extra is logged.

    False (nothing opened, and the reset is to send no signal) when the caller asked for no signals and
    events (``emit_signals_and_events=False``: the platform has disconnected that receiver, see
    :func:`announce_score_deleted`), and outside Open edX, where nobody listens.
    """
    if not _platform_receives_score_resets():
        return False
    return _open_state_deleted_transaction()


def _open_state_deleted_transaction() -> bool:
    """Open the platform's ``STATE_DELETED`` event transaction (False outside Open edX)."""
    try:  # pylint: disable=import-error
        from common.djangoapps.track.event_transaction_utils import (create_new_event_transaction_id,
                                                                     set_event_transaction_type)
        from lms.djangoapps.grades.api import events as grades_events
    except ImportError:
        return False
    create_new_event_transaction_id()
    set_event_transaction_type(grades_events.STATE_DELETED_EVENT_TYPE)
    return True


# The dispatch uid of the LMS's receiver of edx-submissions' ``score_reset``
# (``submissions_score_reset_handler`` in lms/djangoapps/grades/signals/handlers.py).
PLATFORM_SCORE_RESET_RECEIVER = "submissions_score_reset_handler"


def _platform_receives_score_resets() -> bool:
    """Whether the LMS's receiver of edx-submissions' ``score_reset`` is connected right now."""
    from submissions.models import score_reset

    return any(entry[0][0] == PLATFORM_SCORE_RESET_RECEIVER for entry in score_reset.receivers)


def _when_deleted(model, user_id, usage: str, action) -> None:
    """Run ``action`` once the learner's ``model`` row (a StudentModule) for ``usage`` is deleted and
    committed. One pending action per learner and block: a later call replaces it."""
    uid = f"sse-academy-score-deleted:{user_id}:{usage}"

    def deleted(sender, instance, **kwargs):
        if str(instance.module_state_key) != usage or instance.student_id != user_id:
            return
        post_delete.disconnect(sender=model, dispatch_uid=uid)
        transaction.on_commit(action)

    post_delete.disconnect(sender=model, dispatch_uid=uid)
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=uid)


def is_author_mode(block) -> bool:
    """Studio's preview of a course: render, but never write learner or cross-learner data."""
    return bool(getattr(block.runtime, "is_author_mode", False))


# The namespaces of opaque-keys' content library (v2) keys: ``LibraryLocatorV2`` (``lib:org:slug``), the library's
# context key, and ``LibraryUsageLocatorV2`` (``lb:org:slug:type:id``), a block's usage key in it
# (opaque_keys/edx/locator.py, ``CANONICAL_NAMESPACE``). Read as text, so the package needs no opaque-keys.
LIBRARY_CONTEXT_NAMESPACE = "lib"
LIBRARY_USAGE_NAMESPACE = "lb"


def is_library_context(block) -> bool:
    """Whether the block is a content library's (v2) component rather than a course's.

    The library runtime (openedx/core/djangoapps/xblock/runtime/openedx_core_runtime.py) loads a component with
    a ``LibraryUsageLocatorV2`` usage key whose ``context_key`` is the library's ``LibraryLocatorV2``: there is no
    course, no parent, no ``studio_user_permissions`` service, and its user service gives the author an anonymous
    id, so a learner's handler would write for them under the library's key. A copy in a course has a course
    usage key and is a course block again. The workbench's ids are plain text; one written as a library usage key
    counts as one.
    """
    usage = block.scope_ids.usage_id
    context = getattr(usage, "context_key", None)
    if context is not None:
        return str(context).startswith(LIBRARY_CONTEXT_NAMESPACE + ":")
    return isinstance(usage, str) and usage.startswith(LIBRARY_USAGE_NAMESPACE + ":")


def is_preview(block) -> bool:
    """A preview, where the block renders and answers but writes nothing of a learner's: Studio's preview of a
    course, or any view of a content library's component (its preview, and the author trying it)."""
    return is_author_mode(block) or is_library_context(block)


def course_id(block) -> str:
    """The course key as a string; the workbench has no course, so a fixed one stands in."""
    key = getattr(block.scope_ids.usage_id, "context_key", None) or getattr(block.scope_ids.usage_id, "course_key", None)
    if key is None:
        key = getattr(block.runtime, "course_id", None)
    return str(key) if key is not None and not _is_mock(key) else "course-v1:SSE+Workbench+local"


def usage_id(block) -> str:
    return str(block.scope_ids.usage_id)


def _is_mock(value) -> bool:
    return type(value).__module__.startswith("unittest.mock")


def student_item(block, anonymous_id: str | None = None) -> dict:
    """The edx-submissions student_item for the current (or given) learner of this block."""
    return {
        "student_id": anonymous_id or anonymous_user_id(block),
        "course_id": course_id(block),
        "item_id": usage_id(block),
        "item_type": block.scope_ids.block_type,
    }


def block_settings(block) -> dict:
    """Operator settings: ``XBLOCK_SETTINGS[<class name>]`` through the settings service, else {}."""
    service = block.runtime.service(block, "settings")
    if service is None:
        return {}
    try:
        return service.get_settings_bucket(block) or {}
    except Exception:  # pragma: no cover - the service is optional and platform-specific
        return {}


def block_type_of(parent, child_id) -> str:
    """The block type of one of ``parent``'s children without loading it.

    Open edX's children are usage keys that name their type; the workbench's are plain ids that its
    id reader resolves.
    """
    kind = getattr(child_id, "block_type", None)
    if kind:
        return str(kind)
    reader = getattr(parent.runtime, "id_reader", None)
    if reader is None:
        return parent.runtime.get_block(child_id).scope_ids.block_type
    return reader.get_block_type(reader.get_definition_id(child_id))


# The platform's containers that show each learner a random subset of their children: the Problem Bank
# (``ItemBankBlock``, xmodule/item_bank_block.py, ``itembank``) and the legacy library content block
# (``LegacyLibraryContentBlock``, ``library_content``). Both are ``ItemBankMixin``s.
PROBLEM_BANK_TYPES = frozenset({"itembank", "library_content"})


def child_pair(parent, child_id) -> tuple[str, str]:
    """A child's ``(block_type, block_id)``, the pair a problem bank records a learner's draw as.

    Open edX's usage keys carry both; a workbench id is its own block id."""
    block_id = getattr(child_id, "block_id", None)
    return block_type_of(parent, child_id), str(block_id if block_id is not None else child_id)


def drawn_children(bank) -> frozenset[tuple[str, str]]:
    """The ``(block_type, block_id)`` pairs a problem bank bound to the current learner drew for them.

    ``ItemBankMixin.selected`` (xmodule/item_bank_block.py) is a user-state list of such pairs (lists once
    stored); the learner sees those children only (``get_child_blocks``). It is read, not drawn anew: a
    learner who has not opened the bank yet was drawn nothing (drawing would record a selection and send
    the platform's selection events).
    """
    pairs = set()
    for item in getattr(bank, "selected", None) or ():
        if isinstance(item, (list, tuple)) and len(item) == 2:
            pairs.add((str(item[0]), str(item[1])))
    return frozenset(pairs)


def parent_type(block) -> str | None:
    """The block type of the block's parent, without loading it; None for a block without one (a content
    library's component, a scenario's root)."""
    parent = getattr(block, "parent", None)
    if parent is None:
        return None
    try:
        return block_type_of(block, parent)
    except Exception:  # noqa: BLE001 - a parent the runtime cannot name is no container we know
        return None


def content_version(block) -> str | None:
    """The published version of the course this block was loaded from, or None (the workbench).

    Open edX's split modulestore sets ``course_version`` on every block it loads (see
    xmodule/modulestore/split_mongo/caching_descriptor_system.py in openedx-platform).
    """
    value = getattr(block, "course_version", None)
    if value is None or _is_mock(value):
        return None
    return str(value)


def content_loader(runtime):
    """The runtime's loader of blocks as authored, applying nobody's access, or None if it has none.

    In the LMS, ``ModuleStoreRuntime.get_block`` (xmodule/x_module.py) is ``load_item`` followed by
    ``get_block_for_descriptor`` (lms/djangoapps/courseware/block_render.py), which binds the block to
    the current learner and checks their access. ``load_item`` alone (the split modulestore's
    ``CachingDescriptorSystem._load_item``) gives the published content, the same for everyone. The
    workbench has no such loader.
    """
    load_item = getattr(runtime, "load_item", None)
    if not callable(load_item) or _is_mock(load_item):
        return None
    return load_item


def granted(block) -> bool:
    """Whether a block ``runtime.get_block`` returned may be shown to the current learner.

    ``get_block_for_descriptor`` returns a block the learner may not load when the caller said it
    will check access again and the refusal carries a message (content-type gating's upgrade
    message, for audit learners); the block then has ``has_access_error`` set.
    """
    return block is not None and not getattr(block, "has_access_error", False)


def learner_block(runtime, usage_id):
    """The block bound to the current learner, if they may see it now as the LMS decides it; else None.

    ``runtime.get_block`` runs ``has_access(user, 'load', block)`` (lms/djangoapps/courseware/access.py,
    ``_has_access_to_block``): the block's merged ``group_access`` (cohorts, enrollment tracks,
    content-type gating, granted to course staff), ``visible_to_staff_only`` and the start date
    (``check_start_date``, with beta testers' days early), all waived for staff. It returns None when
    access is refused (see :func:`granted` for the one case it returns the block); a runtime may
    also raise (a block it cannot find, or one it refuses that way). The block it returns carries the
    learner's own settings, such as a due date edx-when extended for them.
    """
    try:
        block = runtime.get_block(usage_id)
    except Exception:  # noqa: BLE001 - refused or not found: not shown either way
        return None
    return block if granted(block) else None


def access_is_checked(block) -> bool:
    """False when the platform checks nobody's access for this request.

    ``handle_xblock_callback_noauth`` (lms/djangoapps/courseware/block_render.py) marks the request's
    user ``known = False``, and ``get_block_for_descriptor`` then skips ``has_access`` for every
    block, even for a signed-in user whose session came along. The user service keeps that user.
    """
    service = block.runtime.service(block, "user")
    bound = getattr(service, "_django_user", None)
    return getattr(bound, "known", True) is not False


# --- rescoring learners after a change of the key -----------------------------------------------------


class RescoreRunning(Exception):
    """The platform is already rescoring this block (its task for the block has not finished)."""


def _percent_at_least(new, old) -> bool:
    """The LMS's ``is_score_higher_or_equal`` (openedx/core/lib/grade_utils.py): percentages compared; a
    stored score of 0 possible points is always beaten."""
    if not old.raw_possible:
        return True
    if not new.raw_possible:
        return False
    return new.raw_earned / new.raw_possible >= old.raw_earned / old.raw_possible


def rescore_learners(block, anonymous_ids) -> int | None:
    """Rescore these learners now, as the platform's rescore "only if the score improves" does, where the block's
    runtime keeps the scores itself (the workbench); returns how many got a new score.

    Each learner's block is loaded for them; their last answers are graded against the current key
    (``calculate_score``) and the new score is kept when its percentage is at least the stored one's, the LMS's
    rule, through the block's ``set_score`` (where its rows follow). None in Open edX: there the gradebook keeps
    the scores, a change of content reaches the LMS only once published, and the LMS's own rescore does it
    (:func:`submit_rescore`).
    """
    if WORKBENCH_USER_ID not in _attrs(block):
        return None
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-error

    changed = 0
    for anonymous_id in anonymous_ids:
        learner = WorkbenchRuntime(anonymous_id).get_block(block.scope_ids.usage_id)
        if not learner.has_submitted_answer():
            continue
        old, new = learner.get_score(), learner.calculate_score()
        if _percent_at_least(new, old):  # kept, as the LMS keeps it: at the same score too (set_score then
            learner.set_score(new)       # records the answers under the current version of the questions)
            learner.save()
            changed += (new.raw_earned, new.raw_possible) != (old.raw_earned, old.raw_possible)
    return changed


def submit_rescore(block, request) -> bool:
    """Ask the LMS to rescore every learner of the block, only where the score improves; False outside the LMS.

    The platform's own entry point, as the instructor dashboard's "Rescore learner submissions" (all learners)
    calls it: ``submit_rescore_problem_for_all_students`` in lms/djangoapps/instructor_task/api.py with
    ``only_if_higher``. Its task (``rescore_problem_module_state`` in
    lms/djangoapps/instructor_task/tasks_helper/module_state.py) loads the block for each learner with a state
    and calls its ``rescore``; the gradebook keeps a new score only when its percentage is not lower, and hands
    it back to the block (``set_score``). The dashboard lets only the course's instructors rescore all
    learners; so does this. Raises :class:`PermissionError` for anyone else and :class:`RescoreRunning` while a
    rescore of the block is running.
    """
    try:  # pylint: disable=import-error
        from lms.djangoapps.courseware.access import has_access
        from lms.djangoapps.instructor_task.api import submit_rescore_problem_for_all_students
        from lms.djangoapps.instructor_task.api_helper import AlreadyRunningError
    except ImportError:
        return False
    service = block.runtime.service(block, "user")
    user = getattr(service, "_django_user", None)
    if user is None or not has_access(user, "instructor", context_key(block)):
        raise PermissionError("instructor access")
    environ = request.environ
    caller = _RescoreRequest(user, {
        "REMOTE_ADDR": environ.get("REMOTE_ADDR", ""), "SERVER_NAME": environ.get("SERVER_NAME", ""),
        "HTTP_USER_AGENT": environ.get("HTTP_USER_AGENT", ""),
    })
    try:
        submit_rescore_problem_for_all_students(caller, block.scope_ids.usage_id, only_if_higher=True)
    except AlreadyRunningError as running:
        raise RescoreRunning() from running
    return True


class _RescoreRequest:
    """What the instructor task API reads of a request: the user who asks and the request's address
    (``submit_task`` and ``_get_xmodule_instance_args`` in lms/djangoapps/instructor_task/api_helper.py)."""

    def __init__(self, user, meta: dict):
        self.user = user
        self.META = meta  # noqa: N815 - Django's name
