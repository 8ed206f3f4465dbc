"""A peer grade sent to edx-submissions after the review's transaction, as the LMS expects it.

The grade a review completes is recorded in the outbox in the review's transaction and sent to
edx-submissions once it has committed, in the delivery's own transaction (``peer/gradebook.py``,
``record_intent`` and ``deliver``), with the rows and the signal of ``submissions.api.set_score``
(``peer/lms_scores.py``; tests/contracts/test_lms_scores_contract.py compares them). The platform is built for that
(openedx/openedx-platform at commit e57a655d77b614f19223984e9805b1fb940ab192):

* ``submissions_score_set_handler`` (lms/djangoapps/grades/signals/handlers.py) turns edx-submissions'
  ``score_set`` into PROBLEM_WEIGHTED_SCORE_CHANGED with ``modified=created_at`` and
  ``score_db_table=submissions``; ``enqueue_subsection_update`` queues ``recalculate_subsection_grade_v3``
  with ``expected_modified_time`` and a countdown;
* the task (lms/djangoapps/grades/tasks.py) first calls ``_has_db_updated_with_new_score``: it reads
  ``sub_api.get_score(student item)`` and retries ("the transaction in the task creator's process
  hasn't committed") until the score's ``created_at`` is at least ``expected_modified_time``, which
  ``enqueue_subsection_update`` set to ``to_timestamp(created_at)``, whole seconds
  (common/djangoapps/util/date_utils.py, openedx/edx-platform at 17b71c56273c03beab788d0b9ceca4e046c33b6d).

So the contract is: once the delivery has committed, ``get_score`` returns the score the signal
announced, with the announced ``created_at``; the signal is sent once per grade; and nothing is sent
for a review whose transaction rolls back.
"""

from __future__ import annotations

import pytest
from submissions import api as sub_api
from submissions import models as submissions_models

from factories import ANALYSIS_AND_RIGHTS, peer_item, review, submit
from sse_academy_xblock.peer import workflow
from sse_academy_xblock.peer.models import GradeDelivery, PeerSubmission

from .platform_replay import from_timestamp, to_timestamp


@pytest.fixture
def announced(transactional_db):
    """What edx-submissions' ``score_set`` announced, as the LMS's receiver gets it."""
    sent = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    submissions_models.score_set.connect(receiver, weak=False, dispatch_uid="contract-score-set")
    yield sent
    submissions_models.score_set.disconnect(dispatch_uid="contract-score-set")


def stored_score(item, signal):
    return sub_api.get_score({"student_id": signal["anonymous_user_id"], "course_id": signal["course_id"],
                              "item_id": signal["item_id"], "item_type": item.item_type})


def has_db_updated_with_new_score(item, signal) -> bool:
    """``_has_db_updated_with_new_score`` for ``score_db_table == submissions``, after our commit (a score
    set is no deleted score, so finding none means "not yet")."""
    score = stored_score(item, signal)
    if score is None:
        return False
    return score["created_at"] >= from_timestamp(to_timestamp(signal["created_at"]))


def test_the_grade_task_finds_the_announced_score_once_the_review_commits(announced):
    item = peer_item("block-w", ANALYSIS_AND_RIGHTS, dimension="rights_at_work", reviews_required=1, reviews_to_give=0)
    submit(item, "a", "b")
    review(item, "b", {"analysis": 2, "rights": 1})  # grades a, inside b's request
    assert len(announced) == 1, announced  # one signal per grade, not one inside and one after commit
    signal = announced[0]
    assert (signal["anonymous_user_id"], signal["item_id"], signal["points_earned"]) == ("a", item.usage_id, 7)
    assert has_db_updated_with_new_score(item, signal)
    score = stored_score(item, signal)  # and the score found is the one announced
    assert score["created_at"] >= signal["created_at"]
    assert (score["points_earned"], score["points_possible"]) == (signal["points_earned"], signal["points_possible"])


def test_a_grade_rolled_back_with_its_review_is_never_announced(announced, monkeypatch):
    """The grade is sent after the review's commit: a review whose transaction rolls back (here after
    the grade and its outbox row were written) announces nothing, so the LMS never hears of a grade
    our tables do not hold."""
    from django.db import DatabaseError

    from sse_academy_xblock.peer import gradebook

    item = peer_item("block-w", ANALYSIS_AND_RIGHTS, dimension="rights_at_work", reviews_required=1, reviews_to_give=0)
    submit(item, "a", "b")
    lease = workflow.next_review(item, "b", want_extra=True).lease
    real = gradebook.record_intent

    def fails_after_the_push(sub, *args, **kwargs):
        real(sub, *args, **kwargs)  # a's grade recorded, its outbox row written
        raise DatabaseError("connection lost")

    monkeypatch.setattr(gradebook, "record_intent", fails_after_the_push)
    with pytest.raises(DatabaseError):
        workflow.complete_review(item, "b", lease.pk, {"options": {"analysis": 2, "rights": 1}})
    assert announced == []
    assert sub_api.get_score(item.student_item("a")) is None
    assert not GradeDelivery.objects.exists()
    a = PeerSubmission.objects.get(anonymous_user_id="a")
    assert a.graded_at is None and a.received == 0  # nothing of the rolled-back review remains
