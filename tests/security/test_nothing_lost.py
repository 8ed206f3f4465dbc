"""Nothing lost: a session of peer-review activity is replayed, then rebuilt from the tables alone.

Every submission, lease, review (with its parts), flag, staff action and grade pushed to
edx-submissions is an immutable row with a timestamp; the events recorded while the session ran
must equal the events read back from the tables, in the same order. A rating of a review may be
changed for a week: its row keeps when it was first given and the latest answer with its time, and
a refused late change loses nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from factories import ANALYSIS_AND_RIGHTS, peer_item
from sse_academy_xblock.peer import feedback, staff_actions, workflow
from sse_academy_xblock.refusals import Refusal
from sse_academy_xblock.peer.grading import lms_points
from sse_academy_xblock.peer.models import Flag, PeerSubmission, Review, ReviewFeedback, ReviewLease, StaffAction

pytestmark = pytest.mark.django_db(transaction=True)

ITEM = peer_item("block-v1:SSE+Replay+1+type@sse_case_study+block@replay", ANALYSIS_AND_RIGHTS,
                 course_id="course-v1:SSE+Replay+1", dimension="employment", reviews_required=2, reviews_to_give=2)
LEARNERS = ["ana", "ben", "chloe", "dara", "eli"]


def replay() -> list[tuple]:
    """Run the session; return the events as they happened: (time, kind, actor, subject, details)."""
    log = []
    clock = timezone.now() - timedelta(days=2)

    def tick():
        nonlocal clock
        clock += timedelta(minutes=7)
        return clock

    for i, learner in enumerate(LEARNERS):
        when = tick()
        text = f"Analysis {i}: the cooperative shares decisions among {i + 3} members."
        workflow.submit_response(ITEM, learner, text, now=when)
        log.append((when, "submitted", learner, learner, text))
    for round_number in range(2):
        for i, reviewer in enumerate(LEARNERS):
            when = tick()
            got = workflow.next_review(ITEM, reviewer, now=when)
            if got.lease is None:
                continue
            author = got.lease.submission.anonymous_user_id
            log.append((when, "leased", reviewer, author, ""))
            if reviewer == "dara" and round_number == 1:
                when = tick()
                workflow.flag_response(ITEM, reviewer, got.lease.pk, "copied from a website", now=when)
                log.append((when, "flagged", reviewer, author, "copied from a website"))
                continue
            when = tick()
            options = {"analysis": (i + round_number) % 3, "rights": i % 2}
            comment = f"{reviewer} on {author}, round {round_number}"
            workflow.complete_review(ITEM, reviewer, got.lease.pk,
                                     {"options": options, "comments": {"analysis": comment}, "overall": comment}, now=when)
            points = sum(c.options[options[c.name]].points for c in ITEM.rubric.criteria)
            log.append((when, "reviewed", reviewer, author, (points, comment)))
    # Authors rate the reviews of their graded responses; one changes a rating, one tries a week too late.
    ratings = {}
    for review in Review.objects.filter(usage_id=ITEM.usage_id, submission__graded_at__isnull=False).select_related(
            "submission").order_by("pk"):
        author = review.submission.anonymous_user_id
        when = tick()
        helpful, comment = review.total_points >= 3, f"{author} on {review.reviewer_id}'s review"
        feedback.rate_review(ITEM, author, review.pk, helpful, comment, now=when)
        ratings[review.pk] = [when, when, author, review.reviewer_id, helpful, comment]
    first, last = sorted(ratings)[0], sorted(ratings)[-1]
    when = tick()
    feedback.rate_review(ITEM, ratings[first][2], first, False, "changed my mind", now=when)
    ratings[first][1], ratings[first][4], ratings[first][5] = when, False, "changed my mind"
    with pytest.raises(Refusal):
        feedback.rate_review(ITEM, ratings[last][2], last, False, "too late", now=ratings[last][0] + timedelta(days=8))
    for created, updated, author, reviewer, helpful, comment in ratings.values():
        log.append((created, "rated", author, reviewer, ""))
        log.append((updated, "rating", author, reviewer, (helpful, comment)))
    graded = PeerSubmission.objects.filter(usage_id=ITEM.usage_id, graded_at__isnull=False).order_by("pk").first()
    when = tick()
    staff_actions.set_staff_grade(ITEM, "staff_7", graded.pk, 3, "second marker agreed on 3", now=when)
    log.append((when, "staff:override", "staff_7", graded.anonymous_user_id, "second marker agreed on 3"))
    ungraded = PeerSubmission.objects.filter(usage_id=ITEM.usage_id, graded_at__isnull=True,
                                             pool=PeerSubmission.IN_POOL).order_by("pk").first()
    when = tick()
    staff_actions.cancel_submission(ITEM, "staff_7", ungraded.pk, "off topic", now=when)
    log.append((when, "staff:cancel", "staff_7", ungraded.anonymous_user_id, "off topic"))
    return log


def rebuilt_from_tables() -> list[tuple]:
    """The same events, read back from our tables and edx-submissions only."""
    events = []
    for sub in PeerSubmission.objects.filter(usage_id=ITEM.usage_id):
        events.append((sub.submitted_at, "submitted", sub.anonymous_user_id, sub.anonymous_user_id,
                       workflow.response_text(sub)))
    for lease in ReviewLease.objects.filter(usage_id=ITEM.usage_id).select_related("submission"):
        events.append((lease.created, "leased", lease.reviewer_id, lease.submission.anonymous_user_id, ""))
    for review in Review.objects.filter(usage_id=ITEM.usage_id).select_related("submission").prefetch_related("parts"):
        comment = {p.criterion_name: p.comment for p in review.parts.all()}["analysis"]
        assert review.overall_comment == comment
        assert review.total_points == sum(p.points for p in review.parts.all())
        events.append((review.created, "reviewed", review.reviewer_id, review.submission.anonymous_user_id,
                       (review.total_points, comment)))
    for flag in Flag.objects.filter(submission__usage_id=ITEM.usage_id).select_related("submission"):
        events.append((flag.created, "flagged", flag.reporter_id, flag.submission.anonymous_user_id, flag.reason))
    for rating in ReviewFeedback.objects.filter(usage_id=ITEM.usage_id).select_related("review__submission"):
        author, reviewer = rating.review.submission.anonymous_user_id, rating.review.reviewer_id
        events.append((rating.created, "rated", author, reviewer, ""))
        events.append((rating.updated, "rating", author, reviewer, (rating.helpful, rating.comment)))
    for action in StaffAction.objects.filter(submission__usage_id=ITEM.usage_id).exclude(staff_id="system"):
        events.append((action.created, f"staff:{action.action}", action.staff_id,
                       action.submission.anonymous_user_id, action.reason))
    return sorted(events, key=lambda e: (e[0], e[1]))


def test_every_event_of_a_session_can_be_rebuilt_from_the_tables(figures):
    from submissions.models import Score

    log = sorted(replay(), key=lambda e: (e[0], e[1]))
    assert len([e for e in log if e[1] == "reviewed"]) >= 6
    assert len([e for e in log if e[1] == "rated"]) >= 2
    assert rebuilt_from_tables() == log
    figures.add("replayed events rebuilt from the tables", len(log))

    # Every grade ever pushed is an edx-submissions score row; the latest is what the LMS shows.
    for sub in PeerSubmission.objects.filter(usage_id=ITEM.usage_id, graded_at__isnull=False):
        scores = list(Score.objects.filter(submission__uuid=sub.uuid).order_by("created_at", "pk"))
        assert scores, f"{sub.anonymous_user_id}'s grade never reached edx-submissions"
        assert (scores[-1].points_earned, scores[-1].points_possible) == lms_points(sub.final_points, sub.points_possible, ITEM.weight)
        if sub.grade_source == "override":
            override = StaffAction.objects.get(submission=sub, action=StaffAction.OVERRIDE)
            assert len(scores) == 2 and scores[0].points_earned == lms_points(override.old_points, sub.points_possible, ITEM.weight)[0]
        # The reviews that counted rebuild the peer grade: which reviews counted is stored, not recomputed.
        assert Review.objects.filter(submission=sub, counted=True).count() >= min(2, sub.received)


def test_history_rows_refuse_to_change():
    replay()
    review = Review.objects.first()
    review.overall_comment = "rewritten"
    with pytest.raises(ValueError):
        review.save()
    part = review.parts.first()
    part.points = 99
    with pytest.raises(ValueError):
        part.save()
    action = StaffAction.objects.first()
    action.reason = "rewritten"
    with pytest.raises(ValueError):
        action.save()
