"""What many tests build before they act, written once: rubrics, peer items, learners who submit and
review (through the peer services or through a block's handlers), graded pairs, and the OLX cases kept
in ``tests/data``.

The tests reach the peer-review internals they need for their set-up through this module only, so a
module of ``sse_academy_xblock.peer`` that moves is followed here, in one place.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from sse_academy_xblock.peer import gradebook, workflow
from sse_academy_xblock.peer.config import PeerItem
from sse_academy_xblock.peer.models import PeerSubmission, Review, ReviewLease, ReviewPart
from sse_academy_xblock.peer.rubric import Criterion, Option, Rubric

DATA = Path(__file__).resolve().parent / "data"
COURSE = "course-v1:SSE+T+1"


# --- OLX cases ----------------------------------------------------------------------------------
#
# tests/data/<name>.xml, by name:
#   case_study_argument      one criterion "a" (Argument: 0, 2, 4 points); slots reviews_required and
#                            reviews_to_give (1), attributes (more attributes, each after a space)
#   case_study_factory       "Recovered factory": criteria analysis (0, 2, 4) and rights (0, 3), 3 reviews,
#                            5 to 50 words, author HTML with a script and an event handler to remove
#   case_study_every_setting every attribute of ours set, a criterion with a description (exact round trip)
#   case_study_contract      one criterion "c" (0, 4), 1 review required and given; slots platform (attributes
#                            before display_name), display_name, reviews (the review attributes), case
#   case_study_security      the security tests' case; slot reviews_required (2)
#   case_study_practice      criteria a (0, 2, 4) and e (0, 4), three staff-scored examples (strong, weak, middle:
#                            texts EXAMPLE-<NAME>, notes NOTE-<NAME>-<A|E>); slots reviews_required, reviews_to_give
#                            (1), count (2), tolerance (0.25), retries (1), attributes
#   quiz_contract            two questions, 3 points, 2 attempts
#   quiz_cooperatives        R193 and the ICA's founding year; slots display_name, q2_attributes
#   quiz_jobs                two true/false questions, employment (2 points) and rights at work (1); slot attributes
#   quiz_security            the security tests' quiz, three questions with feedback; slot display_name

_SLOT = re.compile(r"\{([a-z][a-z0-9_]*)(?:=([^{}]*))?\}")


def olx(name: str, **values) -> str:
    """The OLX case ``tests/data/<name>.xml``, its slots filled.

    A slot is ``{key}`` or ``{key=default}`` (the default runs to the closing brace); a slot without a
    default needs a value, and a value for a slot the case does not have is refused, so a misspelt
    name cannot go unnoticed.
    """
    text = (DATA / f"{name}.xml").read_text(encoding="utf-8").strip()
    seen = set()

    def fill(match):
        key, default = match.groups()
        seen.add(key)
        if key in values:
            return str(values[key])
        if default is None:
            raise KeyError(f"tests/data/{name}.xml needs a value for {{{key}}}")
        return default

    filled = _SLOT.sub(fill, text)
    unknown = sorted(set(values) - seen)
    if unknown:
        raise TypeError(f"tests/data/{name}.xml has no slot {', '.join(unknown)}")
    return filled


# --- rubrics and peer items ---------------------------------------------------------------------


def criterion(name: str, label: str, *options: tuple[str, int]) -> Criterion:
    """A rubric criterion; ``options`` are (label, points) pairs, in order."""
    return Criterion(name, label, tuple(Option(text, points) for text, points in options))


def rubric(*criteria: Criterion) -> Rubric:
    """A rubric of ``criteria`` (see :func:`criterion`); none at all is a rubric without points."""
    return Rubric(tuple(criteria))


ANALYSIS = criterion("analysis", "Analysis", ("Missing", 0), ("Partial", 2), ("Strong", 4))
RIGHTS = criterion("rights", "Rights", ("Absent", 0), ("Present", 3))
#: Two criteria, 7 points (as in case_study_factory.xml): option indexes 1 and 1 give 2 + 3 = 5.
ANALYSIS_AND_RIGHTS = rubric(ANALYSIS, RIGHTS)
#: One criterion "analysis" of 4 points.
ANALYSIS_ONLY = rubric(ANALYSIS)
#: One criterion "a" of 4 points: index 0 "no" 0, 1 "half" 2, 2 "yes" 4.
RUBRIC_A = rubric(criterion("a", "A", ("no", 0), ("half", 2), ("yes", 4)))


def peer_item(usage_id: str = "block-1", rubric: Rubric = RUBRIC_A, *, course_id: str = COURSE,
              **settings) -> PeerItem:
    """A case study as the peer services see it; ``settings`` as :class:`PeerItem` names them."""
    return PeerItem(course_id, usage_id, "sse_case_study", rubric, **settings)


# --- learners through the peer services ---------------------------------------------------------


def submit(item: PeerItem, *users: str, text: str = "text {user}", start=None) -> list[PeerSubmission]:
    """Each of ``users`` submits a response (``text`` with their name), one a minute from ``start``
    (an hour ago unless given), in the order given; returns the submissions."""
    start = start or timezone.now() - timedelta(hours=1)
    return [workflow.submit_response(item, user, text.format(user=user), now=start + timedelta(minutes=i))
            for i, user in enumerate(users)]


def review(item: PeerItem, reviewer: str, options=1, *, comments: dict | None = None, overall: str | None = None,
           now=None) -> Review:
    """``reviewer`` takes the next response to review (one more if they owe none) and completes the review.

    ``options``: {criterion name: option index}, or one index for every criterion of the item's rubric.
    Returns the stored review (``.lease`` is the lease it completed).
    """
    allocated = workflow.next_review(item, reviewer, want_extra=True, now=now)
    assert allocated.lease is not None, allocated.outcome
    if not isinstance(options, dict):
        options = {c.name: options for c in item.rubric.criteria}
    payload = {"options": options}
    if comments is not None:
        payload["comments"] = comments
    if overall is not None:
        payload["overall"] = overall
    return workflow.complete_review(item, reviewer, allocated.lease.pk, payload, now=now)


def graded_pair(item: PeerItem, choices=(1, 2), *, overall=(None, None), now=None):
    """``a`` and ``b`` submit, then review each other: ``a`` gives b's response option ``choices[0]`` on every
    criterion (with ``overall[0]`` as the overall comment), then ``b`` gives a's ``choices[1]``. With one review
    required and one to give, both are graded. Returns their submissions (a, b) as stored."""
    submit(item, "a", "b", start=now)
    for reviewer, choice, words in zip("ab", choices, overall):
        review(item, reviewer, choice, overall=words, now=now)
    return tuple(PeerSubmission.objects.get(usage_id=item.usage_id, anonymous_user_id=user) for user in "ab")


def store_reviews(item: PeerItem, sub: PeerSubmission, reviews, now) -> None:
    """Completed reviews of ``sub`` written straight to the tables, one a second from ``now``:
    ``reviews`` [(reviewer, {criterion name: option index})] against the rubric ``sub`` was submitted under.
    The submission's counters say it received them; nothing is graded."""
    rubric = Rubric.from_list(sub.rubric.criteria)
    for i, (reviewer, options) in enumerate(reviews):
        lease = ReviewLease.objects.create(submission=sub, usage_id=item.usage_id, reviewer_id=reviewer,
                                           status=ReviewLease.DONE, expires_at=now + timedelta(hours=1))
        stored = Review.objects.create(lease=lease, submission=sub, usage_id=item.usage_id, reviewer_id=reviewer,
                                       created=now + timedelta(seconds=i))
        total = 0
        for crit in rubric.criteria:
            option = crit.options[options[crit.name]]
            ReviewPart.objects.create(review=stored, criterion_name=crit.name, criterion_label=crit.label,
                                      option_label=option.label, points=option.points)
            total += option.points
        Review.objects.filter(pk=stored.pk).update(total_points=total)
    PeerSubmission.objects.filter(pk=sub.pk).update(received=len(reviews), load=len(reviews))


def graded_with(item: PeerItem, author: str, reviews, now=None) -> PeerSubmission:
    """``author`` submits; ``reviews`` (see :func:`store_reviews`) are stored; then the submission is graded
    as the workflow does it. Returns the graded submission."""
    now = now or timezone.now()
    sub = workflow.submit_response(item, author, f"The analysis of {author}.", now=now)
    store_reviews(item, sub, reviews, now)
    assert gradebook.grade_if_ready(sub.pk, item, now)
    return PeerSubmission.objects.get(pk=sub.pk)


# --- learners through a block's handlers --------------------------------------------------------
# ``call`` is the tests' handler caller: call(block, handler, body) -> (status, reply).


def respond(call, block, text: str) -> dict:
    """The block's learner submits ``text`` through the ``submit_response`` handler."""
    status, reply = call(block, "submit_response", {"text": text})
    assert status == 200, reply
    return reply


def review_through(call, block, review_body: dict, **next_body):
    """The block's learner asks for their next review (``next_review`` with ``next_body``) and submits
    ``review_body`` ({"options": ..., "comments": ..., "overall": ...}); returns (the task, the reply)."""
    status, reply = call(block, "next_review", next_body)
    assert status == 200, reply
    task = reply["state"]["review"]
    assert task is not None, reply
    status, reply = call(block, "submit_review", {"lease_id": task["lease_id"], "review": review_body})
    assert status == 200, reply
    return task, reply


def graded_pair_by_handlers(call, first, second, texts, reviews) -> None:
    """Two learners of one case study (``first`` and ``second``: the block as each sees it) submit ``texts``,
    then review each other with ``reviews`` (first's review first). With one review required and one to
    give, both are graded."""
    for block, text in zip((first, second), texts):
        respond(call, block, text)
    for block, body in zip((first, second), reviews):
        review_through(call, block, body)


# --- blocks -------------------------------------------------------------------------------------


def open_as(usage_id, user, published: list | None = None):
    """The block as one new request of ``user`` sees it (a fresh runtime); with ``published``, the
    runtime's events are appended to that list as (event type, data) instead of being sent."""
    from workbench.runtime import WorkbenchRuntime

    runtime = WorkbenchRuntime(user)
    if published is not None:
        runtime.publish = lambda block, kind, data: published.append((kind, data))
    return runtime.get_block(usage_id)
