"""Stand-ins for the parts of the Open edX LMS our blocks talk to, replaying the platform's steps.

Each stand-in names the platform code it follows (openedx-platform unless said otherwise); only the
behaviour the contracts depend on is replayed. The platform modules our package imports lazily
(``platform.announce_score_deleted``) are installed in ``sys.modules`` under their real dotted names,
so the code under test runs its real import path.
"""

from __future__ import annotations

import sys
import types
from types import SimpleNamespace

from django.dispatch import Signal
from submissions import models as submissions_models

CSM = "csm"  # lms/djangoapps/grades/constants.py ScoreDatabaseTableEnum.courseware_student_module
SUBMISSIONS = "submissions"  # ... ScoreDatabaseTableEnum.submissions


class FakeLMS:
    """The gradebook and completion of one course, fed the way the LMS feeds them.

    * ``score_published`` follows ``score_published_handler`` (lms/djangoapps/grades/signals/handlers.py):
      the score is stored in the learner's StudentModule and PROBLEM_RAW_SCORE_CHANGED is sent.
    * receivers of PROBLEM_RAW_SCORE_CHANGED and of edx-submissions' score_set / score_reset follow
      ``problem_raw_score_changed_handler``, ``submissions_score_set_handler`` and
      ``submissions_score_reset_handler``; each ends in a weighted score change whose grade task
      (``recalculate_subsection_grade_v3``) we fold into ``gradebook``, and whose completion follows
      ``scorable_block_completion`` in openedx/completion completion/handlers.py (1.0, or 0.0 when the
      score is deleted).
    """

    def __init__(self):
        self.gradebook: dict[tuple[str, str], tuple[float, float]] = {}
        self.completion: dict[tuple[str, str], float] = {}
        self.PROBLEM_RAW_SCORE_CHANGED = Signal()
        self.PROBLEM_RAW_SCORE_CHANGED.connect(self._raw_changed, weak=False)
        submissions_models.score_set.connect(self._submissions_set, weak=False, dispatch_uid="fake-lms-set")
        submissions_models.score_reset.connect(self._submissions_reset, weak=False, dispatch_uid="fake-lms-reset")

    def close(self):
        submissions_models.score_set.disconnect(dispatch_uid="fake-lms-set")
        submissions_models.score_reset.disconnect(dispatch_uid="fake-lms-reset")

    # ``user_by_anonymous_id`` in common/djangoapps/student/models: in the workbench the anonymous
    # id is the user's name, which stands for the user here.
    @staticmethod
    def user_by_anonymous_id(anonymous_id):
        return SimpleNamespace(id=str(anonymous_id)) if anonymous_id else None

    def _weighted_changed(self, user_id, usage_id, earned, possible, score_deleted):
        key = (str(user_id), str(usage_id))
        if score_deleted:
            self.gradebook.pop(key, None)
            self.completion[key] = 0.0
        else:
            self.gradebook[key] = (earned, possible)
            self.completion[key] = 1.0

    def _raw_changed(self, sender, **kw):
        self._weighted_changed(kw["user_id"], kw["usage_id"], kw["raw_earned"], kw["raw_possible"],
                               kw.get("score_deleted", False))

    def _submissions_set(self, sender, **kw):
        if kw["points_possible"]:
            self._weighted_changed(kw["anonymous_user_id"], kw["item_id"], kw["points_earned"],
                                   kw["points_possible"], False)

    def _submissions_reset(self, sender, **kw):
        self._weighted_changed(kw["anonymous_user_id"], kw["item_id"], 0, 0, True)

    def score_published(self, block, event_type, data):
        """The LMS runtime's ``publish`` for a learner-bound block (grade events only)."""
        if event_type != "grade":
            return
        user = block.scope_ids.user_id
        self.PROBLEM_RAW_SCORE_CHANGED.send(
            sender=None, raw_earned=data["value"], raw_possible=data["max_value"], weight=block.weight,
            user_id=str(user), course_id="course", usage_id=str(block.scope_ids.usage_id), only_if_higher=False,
            modified=None, score_db_table=CSM, score_deleted=False,
        )

    def install_platform_modules(self, monkeypatch):
        """Make the platform modules our package imports lazily importable, under their real names."""
        modules = {
            "common.djangoapps.student.models": {"user_by_anonymous_id": self.user_by_anonymous_id},
            "lms.djangoapps.grades.constants": {
                "ScoreDatabaseTableEnum": SimpleNamespace(courseware_student_module=CSM, submissions=SUBMISSIONS)},
            "lms.djangoapps.grades.signals.signals": {"PROBLEM_RAW_SCORE_CHANGED": self.PROBLEM_RAW_SCORE_CHANGED},
        }
        for dotted, attrs in modules.items():
            parts = dotted.split(".")
            for i in range(1, len(parts) + 1):
                name = ".".join(parts[:i])
                if name not in sys.modules:
                    monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
            for attr, value in attrs.items():
                monkeypatch.setattr(sys.modules[dotted], attr, value, raising=False)


def student_module_exists(block, learner: str) -> bool:
    """Whether the learner has a StudentModule for the block: a stored user_state in the workbench.

    (The workbench creates an empty row on a read; the LMS creates a StudentModule only on a write.)
    """
    from workbench.models import XBlockState

    rows = XBlockState.objects.filter(scope="usage", scope_id=str(block.scope_ids.usage_id), user_id=learner)
    return rows.exclude(state__in=("{}", "")).exists()


def delete_student_module(block, learner: str) -> None:
    """``studentmodule.delete()``; raises like ``StudentModule.objects.get`` when there is none."""
    from workbench.models import XBlockState

    if not student_module_exists(block, learner):
        raise LookupError("Module does not exist")  # the dashboard's StudentModule.DoesNotExist
    XBlockState.objects.filter(scope="usage", scope_id=str(block.scope_ids.usage_id), user_id=learner).delete()


def reset_student_attempts(lms: FakeLMS, modulestore_block, learner: str, requesting_user: str,
                           delete_module: bool) -> None:
    """``reset_student_attempts`` in lms/djangoapps/instructor/enrollment.py, step by step.

    1. the block is loaded from the modulestore, not bound to any learner (``modulestore_block``);
    2. with ``delete_module``, a block defining ``clear_student_state`` is called with the learner's
       anonymous id while edx-submissions' score_set receiver is disconnected
       (``_conditionally_disconnect_submissions_signal_recievers``), and the score is then taken as
       cleared: neither ``sub_api.reset_score`` nor the score-deleted signal follows;
    3. the learner's StudentModule is fetched (``StudentModule.DoesNotExist`` is the dashboard's
       "Module does not exist") and deleted, or its ``attempts`` set to 0 (``_reset_module_attempts``).
    """
    import json

    from submissions import api as sub_api
    from workbench.models import XBlockState

    from sse_academy_xblock import platform

    course = platform.course_id(modulestore_block)
    usage = str(modulestore_block.scope_ids.usage_id)
    submission_cleared = False
    if delete_module:
        clear = getattr(modulestore_block, "clear_student_state", None)
        if callable(clear):
            submissions_models.score_set.disconnect(dispatch_uid="fake-lms-set")
            try:
                clear(user_id=learner, course_id=course, item_id=usage, requesting_user_id=requesting_user)
            finally:
                submissions_models.score_set.connect(lms._submissions_set, weak=False, dispatch_uid="fake-lms-set")
            submission_cleared = True
    if delete_module and not submission_cleared:
        sub_api.reset_score(learner, course, usage)
    if delete_module:
        delete_student_module(modulestore_block, learner)
        if not submission_cleared:  # ``_fire_score_changed_for_block``
            lms.PROBLEM_RAW_SCORE_CHANGED.send(
                sender=None, raw_earned=0, raw_possible=modulestore_block.max_score(), weight=None,
                user_id=learner, course_id=course, usage_id=usage, score_deleted=True, only_if_higher=False,
                modified=None, score_db_table=CSM)
        return
    if not student_module_exists(modulestore_block, learner):
        raise LookupError("Module does not exist")
    row = XBlockState.objects.get(scope="usage", scope_id=usage, user_id=learner)
    state = json.loads(row.state)
    state["attempts"] = 0
    row.state = json.dumps(state)
    row.save()
