"""The parts of the Open edX LMS our blocks talk to: the platform's packaged apps, and replays of the rest.

Run as they are (packages on the index, installed by requirements/test.in):

* edx-submissions: ``score_set`` / ``score_reset`` and the scores the grade task reads;
* edx-completion: ``completion.handlers.scorable_block_completion``, connected to
  PROBLEM_WEIGHTED_SCORE_CHANGED as its app's ``signals_config`` connects it in the LMS, and the
  ``BlockCompletion`` rows it writes (its waffle switch ``completion.enable_completion_tracking`` on);
* event-tracking: the tracker the grades events are emitted to (``tracking_log`` holds what it got).

Replayed step by step, because the code lives only in the platform (openedx/openedx-platform at commit
e57a655d77b614f19223984e9805b1fb940ab192 unless another commit is named):

* xmodule/services.py ``EventPublishingService.publish`` / ``_handle_grade_event``: a learner-bound
  block's "grade" event becomes SCORE_PUBLISHED (:meth:`FakeLMS.publish`). Not replayed: the platform
  sends the grade events of a staff member masquerading as a specific learner to the tracking log
  instead (no contract masquerades through :class:`FakeLMS`), and "completion" / "progress" events to
  the completion service (our blocks publish neither);
* lms/djangoapps/grades/signals/handlers.py ``score_published_handler``, ``problem_raw_score_changed_handler``,
  ``submissions_score_set_handler``, ``submissions_score_reset_handler``, ``enqueue_subsection_update``,
  ``disconnect_submissions_signal_receiver``;
* openedx/core/lib/grade_utils.py ``compare_scores`` / ``is_score_higher_or_equal`` (imported by the
  handlers above; openedx/edx-platform, commit 2f96050f58d58c471789c20f1df29c2d6eda3624) and
  lms/djangoapps/grades/scores.py ``weighted_score``;
* lms/djangoapps/courseware/model_data.py ``set_score`` / ``get_score`` (commit 35f8781393b39ea4ce48697ce708a34132a3f2b0):
  the score kept on the learner's StudentModule. ``set_score`` there is a ``get_or_create``, so a grade
  alone creates the learner's StudentModule, and ``get_score`` returns any StudentModule, graded or not;
  here the grade columns are kept apart (:attr:`FakeLMS.csm`) and a StudentModule is the learner's block
  state, which our blocks write in the request that publishes a grade;
* lms/djangoapps/grades/events.py ``grade_updated``; common/djangoapps/track/event_transaction_utils.py
  (openedx/edx-platform, commit 9baaffbf75af52c8f40a54d8da3413e63805771c), the request cache of the event transaction;
* lms/djangoapps/grades/tasks.py ``_recalculate_subsection_grade`` and ``_has_db_updated_with_new_score``:
  the task runs at once here; a check that fails is recorded in ``retries`` (the real task retries
  40 seconds later) and a check that passes folds the problem's weighted score into ``gradebook``. The
  task's ``expected_modified_time`` is ``to_timestamp(modified)`` and the check compares with
  ``from_timestamp`` of it: whole seconds (common/djangoapps/util/date_utils.py, openedx/edx-platform,
  commit 17b71c56273c03beab788d0b9ceca4e046c33b6d);
* lms/djangoapps/instructor/enrollment.py ``reset_student_attempts``, ``_conditionally_disconnect_submissions_signal_recievers``,
  ``_reset_module_attempts``, ``_fire_score_changed_for_block``;
* lms/djangoapps/instructor_task/tasks_helper/module_state.py ``rescore_problem_module_state`` and
  ``override_score_module_state``.

The platform modules our package imports lazily are installed in ``sys.modules`` under their real dotted
names, so the code under test runs its real import path. Learners are Django users named after the
workbench user id, which is also their anonymous id. The learner's StudentModule is their ``user_state``
row of the workbench (:class:`StudentModule`), with the grade columns kept in :attr:`FakeLMS.csm`.
"""

from __future__ import annotations

import json
import sys
import types
import uuid
from contextlib import ExitStack, contextmanager
from datetime import datetime, timezone
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.dispatch import Signal
from opaque_keys.edx.keys import LearningContextKey, UsageKey
from submissions import api as sub_api
from submissions.models import score_reset, score_set
from workbench.models import XBlockState
from xblock.scorable import ScorableXBlockMixin, Score

COMPLETION_SWITCH = "completion.enable_completion_tracking"

# lms/djangoapps/grades/constants.py ``ScoreDatabaseTableEnum``
SCORE_TABLES = SimpleNamespace(courseware_student_module="csm", submissions="submissions", overrides="overrides")

# lms/djangoapps/grades/events.py
PROBLEM_SUBMITTED_EVENT_TYPE = "edx.grades.problem.submitted"
STATE_DELETED_EVENT_TYPE = "edx.grades.problem.state_deleted"
GRADES_RESCORE_EVENT_TYPE = "edx.grades.problem.rescored"
GRADES_OVERRIDE_EVENT_TYPE = "edx.grades.problem.score_overridden"
SUBSECTION_OVERRIDE_EVENT_TYPE = "edx.grades.subsection.score_overridden"


def user_named(name: str):
    """The Django user a workbench user id stands for (created on first use)."""
    return get_user_model().objects.get_or_create(username=str(name))[0]


class StudentModule(XBlockState):
    """The learner's StudentModule (lms/djangoapps/courseware/models.py): their ``user_state`` row."""

    class Meta:
        proxy = True
        app_label = "workbench"

    @property
    def student_id(self):
        return user_named(self.user_id).id

    @property
    def module_state_key(self):
        return self.scope_id


def _student_module(usage: str, learner: str) -> StudentModule:
    """``StudentModule.objects.get``: the learner's state row, when the learner has state (the workbench
    creates an empty row on a read; the LMS creates a StudentModule only on a write)."""
    row = StudentModule.objects.filter(scope="usage", scope_id=usage, user_id=learner).exclude(
        state__in=("{}", "")).first()
    if row is None:
        raise LookupError("Module does not exist")  # the dashboard's StudentModule.DoesNotExist
    return row


def student_module_exists(block, learner: str) -> bool:
    try:
        _student_module(str(block.scope_ids.usage_id), learner)
    except LookupError:
        return False
    return True


class TrackingLog:
    """An event-tracking backend that keeps what it is sent: the tracking log."""

    def __init__(self):
        self.events: list[dict] = []

    def send(self, event):
        self.events.append(event)

    def named(self, name: str) -> list[dict]:
        return [event["data"] for event in self.events if event["name"] == name]


def is_score_higher_or_equal(earned1, possible1, earned2, possible2, treat_undefined_as_zero=False) -> bool:
    """openedx/core/lib/grade_utils.py ``is_score_higher_or_equal`` (with ``compare_scores``): whether
    the second score's percentage is at least the first's."""
    try:
        percentage1 = float(earned1) / float(possible1)
    except ZeroDivisionError:
        if not treat_undefined_as_zero:
            raise
        percentage1 = 0.0
    try:
        percentage2 = float(earned2) / float(possible2)
    except ZeroDivisionError:
        if not treat_undefined_as_zero:
            raise
        percentage2 = 0.0
    return percentage2 >= percentage1


def to_timestamp(value: datetime) -> int:
    """common/djangoapps/util/date_utils.py ``to_timestamp``: whole seconds since the epoch."""
    return int((value - datetime(1970, 1, 1, tzinfo=timezone.utc)).total_seconds())


def from_timestamp(timestamp) -> datetime:
    """common/djangoapps/util/date_utils.py ``from_timestamp``."""
    return datetime.fromtimestamp(int(timestamp), tz=timezone.utc)


def weighted_score(raw_earned, raw_possible, weight):
    """lms/djangoapps/grades/scores.py ``weighted_score``."""
    if weight is None or raw_possible == 0:
        return raw_earned, raw_possible
    return float(raw_earned) * weight / raw_possible, float(weight)


class FakeLMS:
    """The grades, completion and tracking of one course, fed the way the LMS feeds them.

    ``gradebook`` maps (learner, usage id) to the weighted (earned, possible) the grade task last
    computed; ``csm`` maps (user id, usage id) to the StudentModule's (grade, max_grade, modified);
    ``retries`` lists the grade tasks whose database check failed.
    """

    def __init__(self):
        self.gradebook: dict[tuple[str, str], tuple[float, float]] = {}
        self.csm: dict[tuple[int, str], tuple[float, float, datetime]] = {}
        self.retries: list[dict] = []
        self.event_transaction: dict = {}  # the request cache's 'event_transaction' namespace
        self.tracking_log = TrackingLog()
        self.SCORE_PUBLISHED = Signal()
        self.PROBLEM_RAW_SCORE_CHANGED = Signal()
        self.PROBLEM_WEIGHTED_SCORE_CHANGED = Signal()
        self.SCORE_PUBLISHED.connect(self.score_published_handler, weak=False)
        self.PROBLEM_RAW_SCORE_CHANGED.connect(self.problem_raw_score_changed_handler, weak=False)
        self.PROBLEM_WEIGHTED_SCORE_CHANGED.connect(self.enqueue_subsection_update, weak=False)
        self._stack = ExitStack()
        self._start_packaged_apps()
        score_set.connect(self.submissions_score_set_handler, weak=False, dispatch_uid="submissions_score_set_handler")
        score_reset.connect(self.submissions_score_reset_handler, weak=False,
                            dispatch_uid="submissions_score_reset_handler")

    def _start_packaged_apps(self):
        from completion.handlers import scorable_block_completion
        from edx_django_utils.cache import RequestCache
        from eventtracking import tracker
        from waffle.testutils import override_switch

        RequestCache.clear_all_namespaces()
        self._stack.callback(RequestCache.clear_all_namespaces)
        self._stack.enter_context(override_switch(COMPLETION_SWITCH, active=True))
        previous = dict(tracker.TRACKERS)
        tracker.register_tracker(tracker.Tracker(backends={"log": self.tracking_log}))
        self._stack.callback(lambda: (tracker.TRACKERS.clear(), tracker.TRACKERS.update(previous)))
        # completion/apps.py ``signals_config``: the LMS connects the receiver to this signal.
        self.PROBLEM_WEIGHTED_SCORE_CHANGED.connect(
            scorable_block_completion, weak=False, dispatch_uid="completion.handlers.scorable_block_completion")

    def close(self):
        score_set.disconnect(dispatch_uid="submissions_score_set_handler")
        score_reset.disconnect(dispatch_uid="submissions_score_reset_handler")
        self._stack.close()

    # --- common/djangoapps/student/models.py ----------------------------------------------------

    @staticmethod
    def user_by_anonymous_id(anonymous_id):
        return user_named(anonymous_id) if anonymous_id else None

    @staticmethod
    def anonymous_id_for_user(user, course_id):
        return user.username

    # --- common/djangoapps/track/event_transaction_utils.py -------------------------------------

    def get_event_transaction_id(self):
        return self.event_transaction.get("id", None)

    def get_event_transaction_type(self):
        return self.event_transaction.get("type", None)

    def create_new_event_transaction_id(self):
        new_id = uuid.uuid4()
        self.event_transaction["id"] = new_id
        return new_id

    def set_event_transaction_id(self, new_id):
        self.event_transaction["id"] = uuid.UUID(new_id)

    def set_event_transaction_type(self, action_type):
        self.event_transaction["type"] = action_type

    # --- lms/djangoapps/courseware/model_data.py ------------------------------------------------

    def set_score(self, user_id, usage_key, score, max_score):
        modified = datetime.now(timezone.utc)
        self.csm[(user_id, str(usage_key))] = (score, max_score, modified)
        return modified

    def get_score(self, user_id, usage_key):
        found = self.csm.get((user_id, str(usage_key)))
        return None if found is None else SimpleNamespace(grade=found[0], max_grade=found[1], modified=found[2])

    # --- xmodule/services.py ``EventPublishingService`` ------------------------------------------

    def publish(self, block, event_type, event):
        """The LMS runtime's ``publish`` for a learner-bound block (grade events; others go to tracking)."""
        if event_type != "grade":
            self.tracking_log.send({"name": event_type, "data": event})
            return
        user = user_named(block.scope_ids.user_id)
        if not user.is_anonymous:
            self.SCORE_PUBLISHED.send(
                sender=None, block=block, user=user, raw_earned=event["value"], raw_possible=event["max_value"],
                only_if_higher=event.get("only_if_higher"), score_deleted=event.get("score_deleted"),
                grader_response=event.get("grader_response"),
            )

    # --- lms/djangoapps/grades/signals/handlers.py ------------------------------------------------

    @staticmethod
    def location(block):
        """``block.location``: the LMS's blocks carry their usage key there (XModuleMixin); the
        workbench's usage id (a string, see :class:`LMSBlocks`), parsed, is that key."""
        usage = block.scope_ids.usage_id
        return usage if isinstance(usage, UsageKey) else UsageKey.from_string(str(usage))

    def score_published_handler(self, sender, block, user, raw_earned, raw_possible, only_if_higher, **kwargs):
        """Keep the score unless ``only_if_higher`` and its percentage is lower than the stored one's;
        then store it, hand it to the block (``set_score``) and announce it. Returns whether it was kept."""
        location = self.location(block)
        update_score = True
        if only_if_higher:
            previous_score = self.get_score(user.id, location)
            if previous_score is not None:
                if not is_score_higher_or_equal(previous_score.grade, previous_score.max_grade, raw_earned,
                                                raw_possible):
                    update_score = False
        if update_score:
            score_modified_time = self.set_score(user.id, location, raw_earned, raw_possible)
            if isinstance(block, ScorableXBlockMixin):
                block.set_score(Score(raw_earned=raw_earned, raw_possible=raw_possible))
            self.PROBLEM_RAW_SCORE_CHANGED.send(
                sender=None, raw_earned=raw_earned, raw_possible=raw_possible, weight=getattr(block, "weight", None),
                user_id=user.id, course_id=str(location.course_key), usage_id=str(location),
                only_if_higher=only_if_higher, modified=score_modified_time,
                score_db_table=SCORE_TABLES.courseware_student_module,
                score_deleted=kwargs.get("score_deleted", False), grader_response=kwargs.get("grader_response", False),
            )
        return update_score

    def problem_raw_score_changed_handler(self, sender, **kwargs):
        if kwargs["raw_possible"] is not None:
            weighted_earned, weighted_possible = weighted_score(kwargs["raw_earned"], kwargs["raw_possible"],
                                                                kwargs["weight"])
        else:
            weighted_earned, weighted_possible = kwargs["raw_earned"], kwargs["raw_possible"]
        self.PROBLEM_WEIGHTED_SCORE_CHANGED.send(
            sender=None, weighted_earned=weighted_earned, weighted_possible=weighted_possible,
            user_id=kwargs["user_id"], course_id=kwargs["course_id"], usage_id=kwargs["usage_id"],
            only_if_higher=kwargs["only_if_higher"], score_deleted=kwargs.get("score_deleted", False),
            modified=kwargs["modified"], score_db_table=kwargs["score_db_table"],
            grader_response=kwargs.get("grader_response", False),
        )

    def submissions_score_set_handler(self, sender, **kwargs):
        user = self.user_by_anonymous_id(kwargs["anonymous_user_id"])
        if user is None or kwargs["points_possible"] == 0:
            return
        self.PROBLEM_WEIGHTED_SCORE_CHANGED.send(
            sender=None, weighted_earned=kwargs["points_earned"], weighted_possible=kwargs["points_possible"],
            user_id=user.id, anonymous_user_id=kwargs["anonymous_user_id"], course_id=kwargs["course_id"],
            usage_id=kwargs["item_id"], modified=kwargs["created_at"], score_db_table=SCORE_TABLES.submissions,
        )

    def submissions_score_reset_handler(self, sender, **kwargs):
        user = self.user_by_anonymous_id(kwargs["anonymous_user_id"])
        if user is None:
            return
        self.PROBLEM_WEIGHTED_SCORE_CHANGED.send(
            sender=None, weighted_earned=0, weighted_possible=0, user_id=user.id,
            anonymous_user_id=kwargs["anonymous_user_id"], course_id=kwargs["course_id"], usage_id=kwargs["item_id"],
            modified=kwargs["created_at"], score_deleted=True, score_db_table=SCORE_TABLES.submissions,
        )

    @contextmanager
    def disconnect_submissions_signal_receiver(self, signal):
        if signal == score_set:
            handler, dispatch_uid = self.submissions_score_set_handler, "submissions_score_set_handler"
        else:
            if signal != score_reset:
                raise ValueError("This context manager only handles score_set and score_reset signals.")
            handler, dispatch_uid = self.submissions_score_reset_handler, "submissions_score_reset_handler"
        signal.disconnect(dispatch_uid=dispatch_uid)
        try:
            yield
        finally:
            signal.connect(handler, weak=False, dispatch_uid=dispatch_uid)

    def enqueue_subsection_update(self, sender, **kwargs):
        self.grade_updated(**kwargs)
        if not LearningContextKey.from_string(kwargs["course_id"]).is_course:
            return  # not a course: no subsections to grade
        self.recalculate_subsection_grade(
            user_id=kwargs["user_id"], anonymous_user_id=kwargs.get("anonymous_user_id"),
            course_id=kwargs["course_id"], usage_id=kwargs["usage_id"], only_if_higher=kwargs.get("only_if_higher"),
            expected_modified_time=to_timestamp(kwargs["modified"]), score_deleted=kwargs.get("score_deleted", False),
            event_transaction_id=str(self.get_event_transaction_id()),
            event_transaction_type=str(self.get_event_transaction_type()),
            score_db_table=kwargs["score_db_table"], weighted=(kwargs["weighted_earned"], kwargs["weighted_possible"]),
        )

    # --- lms/djangoapps/grades/events.py ------------------------------------------------------------

    def grade_updated(self, **kwargs):
        """A problem.submitted event, unless an outer event transaction (rescore, override, state deleted) is open."""
        root_type = self.get_event_transaction_type()
        if not root_type:
            root_id = self.get_event_transaction_id()
            if not root_id:
                root_id = self.create_new_event_transaction_id()
            self.set_event_transaction_type(PROBLEM_SUBMITTED_EVENT_TYPE)
            self._emit(PROBLEM_SUBMITTED_EVENT_TYPE, {
                "user_id": str(kwargs["user_id"]), "course_id": str(kwargs["course_id"]),
                "problem_id": str(kwargs["usage_id"]), "event_transaction_id": str(root_id),
                "event_transaction_type": PROBLEM_SUBMITTED_EVENT_TYPE,
                "weighted_earned": kwargs.get("weighted_earned"), "weighted_possible": kwargs.get("weighted_possible"),
            })
        elif root_type in (GRADES_RESCORE_EVENT_TYPE, GRADES_OVERRIDE_EVENT_TYPE):
            self._emit(root_type, {
                "course_id": str(kwargs["course_id"]), "user_id": str(kwargs["user_id"]),
                "problem_id": str(kwargs["usage_id"]), "new_weighted_earned": kwargs.get("weighted_earned"),
                "new_weighted_possible": kwargs.get("weighted_possible"), "only_if_higher": kwargs.get("only_if_higher"),
                "instructor_id": "None", "event_transaction_id": str(self.get_event_transaction_id()),
                "event_transaction_type": str(root_type),
            })
        elif root_type == SUBSECTION_OVERRIDE_EVENT_TYPE:
            self._emit(root_type, {
                "course_id": str(kwargs["course_id"]), "user_id": str(kwargs["user_id"]),
                "problem_id": str(kwargs["usage_id"]), "only_if_higher": kwargs.get("only_if_higher"),
                "override_deleted": kwargs.get("score_deleted", False),
                "event_transaction_id": str(self.get_event_transaction_id()), "event_transaction_type": str(root_type),
            })

    @staticmethod
    def _emit(name, data):
        from eventtracking import tracker

        tracker.emit(name, data)

    # --- lms/djangoapps/grades/tasks.py ---------------------------------------------------------------

    def recalculate_subsection_grade(self, weighted, **kwargs):
        """The grade task, run at once: it checks that the database holds the announced score (or none,
        for a deleted one), then the problem's score enters the learner's grade."""
        if not self.has_db_updated_with_new_score(**kwargs):
            self.retries.append(kwargs)  # ScoreNotFoundError: the task is retried
            return
        learner = get_user_model().objects.get(id=kwargs["user_id"]).username
        key = (learner, kwargs["usage_id"])
        if kwargs["score_deleted"]:
            self.gradebook.pop(key, None)
        else:
            self.gradebook[key] = weighted

    def has_db_updated_with_new_score(self, **kwargs) -> bool:
        if kwargs["score_db_table"] == SCORE_TABLES.courseware_student_module:
            score = self.get_score(kwargs["user_id"], kwargs["usage_id"])
            found_modified_time = score.modified if score is not None else None
        else:
            assert kwargs["score_db_table"] == SCORE_TABLES.submissions
            usage = UsageKey.from_string(kwargs["usage_id"])
            score = sub_api.get_score({"student_id": kwargs["anonymous_user_id"], "course_id": str(usage.course_key),
                                       "item_id": str(usage)})
            found_modified_time = score["created_at"] if score is not None else None
        if score is None:
            return kwargs["score_deleted"]
        return found_modified_time >= from_timestamp(kwargs["expected_modified_time"])

    # --- reading what the LMS holds -------------------------------------------------------------------

    def completion_of(self, learner: str, usage: str) -> float | None:
        """The learner's BlockCompletion of the block (edx-completion's own table), or None."""
        from completion.models import BlockCompletion

        row = BlockCompletion.objects.filter(user__username=learner, block_key=UsageKey.from_string(usage)).first()
        return None if row is None else row.completion

    def score_in_csm(self, learner: str, usage: str) -> tuple[float, float] | None:
        found = self.get_score(user_named(learner).id, usage)
        return None if found is None else (found.grade, found.max_grade)

    # --- the platform modules our package imports -------------------------------------------------

    def install_platform_modules(self, monkeypatch):
        """Make the platform modules our package imports lazily importable, under their real names."""
        constants = SimpleNamespace(ScoreDatabaseTableEnum=SCORE_TABLES)
        events = SimpleNamespace(
            PROBLEM_SUBMITTED_EVENT_TYPE=PROBLEM_SUBMITTED_EVENT_TYPE, STATE_DELETED_EVENT_TYPE=STATE_DELETED_EVENT_TYPE,
            GRADES_RESCORE_EVENT_TYPE=GRADES_RESCORE_EVENT_TYPE, GRADES_OVERRIDE_EVENT_TYPE=GRADES_OVERRIDE_EVENT_TYPE,
            grade_updated=self.grade_updated)
        signals = SimpleNamespace(SCORE_PUBLISHED=self.SCORE_PUBLISHED,
                                  PROBLEM_RAW_SCORE_CHANGED=self.PROBLEM_RAW_SCORE_CHANGED,
                                  PROBLEM_WEIGHTED_SCORE_CHANGED=self.PROBLEM_WEIGHTED_SCORE_CHANGED)
        modules = {
            "common.djangoapps.student.models": {"user_by_anonymous_id": self.user_by_anonymous_id,
                                                 "anonymous_id_for_user": self.anonymous_id_for_user},
            "common.djangoapps.track.event_transaction_utils": {
                name: getattr(self, name) for name in (
                    "get_event_transaction_id", "get_event_transaction_type", "create_new_event_transaction_id",
                    "set_event_transaction_id", "set_event_transaction_type")},
            "lms.djangoapps.courseware.models": {"StudentModule": StudentModule},
            "lms.djangoapps.grades.constants": {"ScoreDatabaseTableEnum": SCORE_TABLES},
            "lms.djangoapps.grades.events": vars(events),
            "lms.djangoapps.grades.signals.signals": vars(signals),
            "lms.djangoapps.grades.api": {"constants": constants, "events": events, "signals": signals,
                                          "disconnect_submissions_signal_receiver":
                                              self.disconnect_submissions_signal_receiver},
        }
        for dotted, attrs in modules.items():
            parts = dotted.split(".")
            for i in range(1, len(parts) + 1):
                name = ".".join(parts[:i])
                if name not in sys.modules:
                    monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
            for attr, value in attrs.items():
                monkeypatch.setattr(sys.modules[dotted], attr, value, raising=False)


def bind(block, lms: FakeLMS):
    """The LMS runtime of a learner-bound block: its events go to the LMS's publishing service, and each
    handler call is a request of its own (edx-django-utils' RequestCacheMiddleware empties the request
    cache, and with it the event transaction, at the start of every request)."""
    real_handle = block.runtime.handle

    def handle(handled, handler_name, request, suffix=""):
        lms.event_transaction.clear()
        return real_handle(handled, handler_name, request, suffix)

    block.runtime.publish = lms.publish
    block.runtime.handle = handle
    return block


LMS_COURSE = "course-v1:SSE+Workbench+local"  # the course ``platform.course_id`` names in the workbench


class LMSBlocks:
    """Blocks on the workbench's runtime whose usage ids are LMS usage keys of the workbench's course.

    The workbench's ids are ``{scenario}.{block type}.d0.u0``; with the scenario
    ``block-v1:SSE+Workbench+local+type@<block type>+block@<unique>`` they parse as a
    ``BlockUsageLocator`` of that type, which is what the platform's code (edx-completion's receiver,
    the grade task) reads the usage id as.
    """

    def __call__(self, xml: str, user: str = "student_1"):
        from lxml import etree
        from workbench.runtime import ID_MANAGER, WorkbenchRuntime

        tag = etree.fromstring(xml.encode()).tag
        ID_MANAGER.set_scenario(f"block-v1:SSE+Workbench+local+type@{tag}+block@t{uuid.uuid4().hex[:12]}")
        runtime = WorkbenchRuntime(user)
        return runtime.get_block(runtime.parse_xml_string(xml))

    @staticmethod
    def as_user(block, user: str):
        from workbench.runtime import WorkbenchRuntime

        return WorkbenchRuntime(user).get_block(block.scope_ids.usage_id)


# --- lms/djangoapps/instructor/enrollment.py ---------------------------------------------------------


@contextmanager
def _conditionally_disconnect_submissions_signal_recievers(lms: FakeLMS, emit_score_reset: bool):
    with ExitStack() as context_stack:
        context_stack.enter_context(lms.disconnect_submissions_signal_receiver(score_set))
        if not emit_score_reset:
            context_stack.enter_context(lms.disconnect_submissions_signal_receiver(score_reset))
        yield


def reset_student_attempts(lms: FakeLMS, modulestore_block, learner: str, requesting_user: str,
                           delete_module: bool = False, emit_signals_and_events: bool = True) -> None:
    """``reset_student_attempts``: the instructor dashboard's "Reset attempts" and "Delete learner state",
    and the support tool's course reset (``emit_signals_and_events=False``).

    ``modulestore_block`` is the block as ``modulestore().get_item`` returns it: bound to no learner. A
    leaf block has no children to reset first. Teams are not enabled on our blocks, so the learner's own
    StudentModule is the one reset or deleted. Raises LookupError where the platform raises
    ``StudentModule.DoesNotExist``.
    """
    lms.event_transaction.clear()  # a request of its own
    student = user_named(learner)
    course_id = _course_of(modulestore_block)
    module_state_key = str(modulestore_block.scope_ids.usage_id)
    user_id = lms.anonymous_id_for_user(student, course_id)
    requesting_user_id = lms.anonymous_id_for_user(user_named(requesting_user), course_id)
    submission_cleared = False
    block = modulestore_block
    if delete_module:
        clear_student_state = getattr(block, "clear_student_state", None)
        if callable(clear_student_state):
            with _conditionally_disconnect_submissions_signal_recievers(lms, emit_signals_and_events):
                clear_student_state(user_id=user_id, course_id=str(course_id), item_id=module_state_key,
                                    requesting_user_id=requesting_user_id)
            submission_cleared = True

    if delete_module and not submission_cleared:
        sub_api.reset_score(user_id, str(course_id), module_state_key, emit_signal=emit_signals_and_events)

    def _reset_or_delete_module(studentmodule):
        if delete_module:
            studentmodule.delete()
            lms.csm.pop((student.id, module_state_key), None)  # the grade columns went with the row
            if not emit_signals_and_events:
                return
            lms.create_new_event_transaction_id()
            lms.set_event_transaction_type(STATE_DELETED_EVENT_TYPE)
            lms._emit(STATE_DELETED_EVENT_TYPE, {  # noqa: SLF001
                "user_id": str(student.id), "course_id": str(course_id), "problem_id": module_state_key,
                "instructor_id": str(user_named(requesting_user).id),
                "event_transaction_id": str(lms.get_event_transaction_id()),
                "event_transaction_type": STATE_DELETED_EVENT_TYPE,
            })
            if not submission_cleared:
                _fire_score_changed_for_block(lms, course_id, student, block, module_state_key)
        else:
            _reset_module_attempts(studentmodule)

    _reset_or_delete_module(_student_module(module_state_key, learner))


def _reset_module_attempts(studentmodule):
    problem_state = json.loads(studentmodule.state)
    problem_state["attempts"] = 0
    problem_state["score_history"] = []
    problem_state["correct_map_history"] = []
    problem_state["student_answers_history"] = []
    studentmodule.state = json.dumps(problem_state)
    studentmodule.save()


def _fire_score_changed_for_block(lms: FakeLMS, course_id, student, block, module_state_key):
    if block and block.has_score:
        max_score = block.max_score()
        if max_score is not None:
            lms.PROBLEM_RAW_SCORE_CHANGED.send(
                sender=None, raw_earned=0, raw_possible=max_score, weight=getattr(block, "weight", None),
                user_id=student.id, course_id=str(course_id), usage_id=str(module_state_key), score_deleted=True,
                only_if_higher=False, modified=datetime.now(timezone.utc),
                score_db_table=SCORE_TABLES.courseware_student_module,
            )


def _course_of(block) -> str:
    return str(FakeLMS.location(block).course_key)


# --- lms/djangoapps/instructor_task/tasks_helper/module_state.py ---------------------------------------


def rescore_problem_module_state(lms: FakeLMS, instance, only_if_higher: bool) -> str:
    """The rescore task for one learner: ``instance`` is the block bound to the learner (``bind``)."""
    if not hasattr(instance, "rescore"):
        raise TypeError("does not support rescoring")
    if not instance.has_submitted_answer():
        return "skipped"
    lms.event_transaction.clear()  # a task of its own
    lms.create_new_event_transaction_id()
    lms.set_event_transaction_type(GRADES_RESCORE_EVENT_TYPE)
    instance.rescore(only_if_higher=only_if_higher)
    instance.save()
    return "succeeded"


def override_score_module_state(lms: FakeLMS, instance, score: float) -> str:
    """The score-override task for one learner (the instructor dashboard's "Override score")."""
    weighted_override_score = float(score)
    if not 0 <= weighted_override_score <= instance.max_score():
        raise ValueError("Score must be between 0 and the maximum points available for the problem.")
    lms.event_transaction.clear()  # a task of its own
    lms.create_new_event_transaction_id()
    lms.set_event_transaction_type(GRADES_OVERRIDE_EVENT_TYPE)
    problem_weight = instance.weight if instance.weight is not None else 1
    if problem_weight == 0:
        raise ValueError("Scores cannot be overridden for a problem that has a weight of zero.")
    instance.set_score(Score(raw_earned=weighted_override_score / problem_weight,
                             raw_possible=instance.max_score() / problem_weight))
    instance.publish_grade()
    instance.save()
    return "succeeded"
