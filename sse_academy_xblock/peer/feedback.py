"""Review feedback: the reviewed author rates each review they received, once, editable for a week.

Rules (docs/insight.md, "Review feedback"):

* only the author of the reviewed response rates, and only reviews of their current response in
  this block; any other review id (another learner's, another block's, a missing one) is "not
  found", so a reply never tells whether a review exists;
* only once the response is graded (the grade and the reviews are then shown); never on a response
  the course team withdrew (cancelled: its reviews are no longer shown). Reviews that arrived after
  the grade ("not counted") may be rated: they are shown with their comments, and helpfulness is
  about those comments, not about the points;
* one rating per review (helpful or not, and an optional comment of at most :data:`MAX_COMMENT`
  characters, stripped, counted in characters); it may be changed for :data:`EDIT_WINDOW` after it
  was first given, then it is read-only;
* reviewers never see ratings, not even counts: nothing here is ever sent to a reviewer. Staff see
  each rating in a submission's detail and the counts in the CSV.

Signatures:

* ``rate_review(item, anon_id, review_id, helpful, comment, now=None) -> ReviewFeedback``
* ``ratings_for_submission(submission_id) -> {review id: ReviewFeedback}`` (one query)
* ``ratings_by_reviewer(usage, reviewer_ids) -> {reviewer id: (helpful, rated)}`` (one query)
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from .. import json_input, l10n
from ..i18n import gettext_noop as _
from ..refusals import Refusal
from .config import PeerItem
from .models import PeerSubmission, Review, ReviewFeedback
from .submissions import current_submission

EDIT_WINDOW = timedelta(days=7)
EDIT_DAYS = 7
MAX_COMMENT = ReviewFeedback.MAX_COMMENT

NOT_FOUND = _("This review was not found among the reviews of your response.")


def clean_helpful(value) -> bool:
    """A JSON ``true`` or ``false``; nothing else (``1``, ``"yes"``) is taken for an answer."""
    if not isinstance(value, bool):
        raise Refusal(_("Choose Yes or No: was this review helpful?"))
    return value


def clean_comment(value) -> str:
    """The comment stripped, with Windows line breaks made plain; at most :data:`MAX_COMMENT` characters.

    Characters are Unicode code points (what Python's ``len`` and every database's ``VARCHAR``
    count); control characters never arrive here, the input layer refuses them.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Refusal(_("The comment must be text."))
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > MAX_COMMENT:
        raise Refusal(_("Your comment has %(count)s characters; the limit is %(max)s. Shorten it and save "
                        "again."), count=len(text), max=MAX_COMMENT)
    return text


def editable_until(feedback: ReviewFeedback) -> datetime:
    return feedback.created + EDIT_WINDOW


def is_editable(feedback: ReviewFeedback | None, now=None) -> bool:
    return feedback is None or (now or timezone.now()) <= editable_until(feedback)


def is_graded(sub: PeerSubmission) -> bool:
    """Graded as the learner sees it: a grade is shown (see ``learner_state.learner_state``)."""
    return sub.graded_at is not None and sub.final_points is not None


def _own_review(item: PeerItem, anon_id: str, review_id) -> tuple[PeerSubmission, Review]:
    number = json_input.record_id(review_id)
    if number is None:
        raise Refusal(_("The review is not valid."))
    sub = current_submission(item.usage_id, anon_id)
    if sub is None or sub.is_cleared:
        raise Refusal(NOT_FOUND, status=404)
    review = Review.objects.filter(pk=number, submission_id=sub.pk, usage_id=item.usage_id).first()
    if review is None:
        raise Refusal(NOT_FOUND, status=404)
    if sub.is_cancelled:
        raise Refusal(_("The course team withdrew your response, so its reviews can no longer be rated."),
                      status=409)
    if not is_graded(sub):
        raise Refusal(_("You can rate the reviews of your response once it is graded."), status=409)
    return sub, review


def rate_review(item: PeerItem, anon_id: str, review_id, helpful, comment, now=None) -> ReviewFeedback:
    """Save the author's rating of one review of their graded response, or a Refusal (nothing changed).

    Two saves of the same rating (two tabs) are serialised on the review's row, locked by primary key
    before the rating is read: a locking read of a rating that does not exist yet would take gap
    locks on MySQL/MariaDB, and two such transactions inserting next to each other deadlock. The
    checks run again once the lock is held, so a response withdrawn meanwhile is not rated.
    """
    now = now or timezone.now()
    helpful = clean_helpful(helpful)
    comment = clean_comment(comment)
    _sub, review = _own_review(item, anon_id, review_id)
    with transaction.atomic():
        Review.objects.select_for_update().filter(pk=review.pk).values_list("pk", flat=True).first()
        _sub, review = _own_review(item, anon_id, review.pk)
        feedback = ReviewFeedback.objects.filter(review=review).first()
        if feedback is None:
            try:
                with transaction.atomic():
                    return ReviewFeedback.objects.create(review=review, usage_id=review.usage_id, helpful=helpful,
                                                         comment=comment, created=now, updated=now)
            except IntegrityError:  # saved meanwhile where the row lock does not serialise (SQLite): update it
                feedback = ReviewFeedback.objects.get(review=review)
        if not is_editable(feedback, now):
            raise Refusal(_("You rated this review on %(when)s. A rating can be changed for %(days)s days "
                            "after it is first given; this one can no longer be changed."), status=409,
                          when=l10n.fallback_when(feedback.created), days=EDIT_DAYS)
        feedback.helpful = helpful
        feedback.comment = comment
        feedback.updated = now
        feedback.save(update_fields=["helpful", "comment", "updated"])
    return feedback


def ratings_for_submission(submission_id: int) -> dict[int, ReviewFeedback]:
    """``{review id: rating}`` of the reviews of one submission, in one query."""
    return {fb.review_id: fb for fb in ReviewFeedback.objects.filter(review__submission_id=submission_id)}


def ratings_by_reviewer(usage, reviewer_ids) -> dict[str, tuple[int, int]]:
    """``{reviewer id: (rated helpful, rated)}``: the ratings the reviews of each reviewer received in a block.

    ``usage`` is a :class:`PeerItem` or a usage id. One query, whatever the number of reviewers; a
    reviewer without ratings is ``(0, 0)``. Counts every rating given, including those on responses
    later withdrawn or cleared (the rating was the author's opinion when they gave it).
    """
    usage_id = usage.usage_id if isinstance(usage, PeerItem) else str(usage)
    wanted = sorted({r for r in reviewer_ids if r})
    result = {r: (0, 0) for r in wanted}
    if not wanted:
        return result
    rows = (
        # Driven by the reviews' (usage_id, reviewer_id) index: the page's reviewers' reviews, then each
        # one's rating by its unique key, whatever the number of ratings in the block.
        ReviewFeedback.objects.filter(review__usage_id=usage_id, review__reviewer_id__in=wanted)
        .values("review__reviewer_id")
        .annotate(rated=Count("id"), helpful=Count("id", filter=Q(helpful=True)))
        .order_by()
    )
    for row in rows:
        result[row["review__reviewer_id"]] = (row["helpful"], row["rated"])
    return result


# --- what the learner and staff see -------------------------------------------------------------


def learner_view(feedback: ReviewFeedback | None, t, now=None) -> dict:
    """The author's rating of one review, as their page shows it (with until when it may change)."""
    now = now or timezone.now()
    if feedback is None:
        return {"rated": False, "helpful": None, "comment": "", "editable": True, "saved_text": "", "until_text": ""}
    editable = is_editable(feedback, now)
    when = l10n.fallback_when(feedback.updated)
    if feedback.helpful:
        saved = t.gettext("You rated this review as helpful (%(when)s).") % {"when": when}
    else:
        saved = t.gettext("You rated this review as not helpful (%(when)s).") % {"when": when}
    if editable:
        until = t.gettext("You can change your rating until %(when)s.") % {
            "when": l10n.fallback_when(editable_until(feedback))}
    else:
        until = t.gettext("A rating can be changed for %(days)s days after it is first given; this one can no "
                          "longer be changed.") % {"days": EDIT_DAYS}
    return {"rated": True, "helpful": feedback.helpful, "comment": feedback.comment, "editable": editable,
            "saved_text": saved, "until_text": until}


def staff_view(feedback: ReviewFeedback | None) -> dict | None:
    """One rating for the staff panel (the comment is learner text: the browser shows it as text)."""
    if feedback is None:
        return None
    return {"helpful": feedback.helpful, "comment": feedback.comment, "created": feedback.created.isoformat(),
            "updated": feedback.updated.isoformat()}
