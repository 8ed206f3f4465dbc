"""The learner's side: response drafts, submitting, review tasks, review drafts, reviews, flags.

Every function takes a :class:`~.config.PeerItem` (the block's settings) and the acting learner's
anonymous id, and raises :class:`~sse_academy_xblock.refusals.Refusal` for a refused request (nothing
changed).

Signatures used by other code and tests:

* ``save_response_draft(item, anon_id, text) -> ResponseDraft``
* ``submit_response(item, anon_id, text, now=None) -> PeerSubmission``
* ``next_review(item, anon_id, want_extra=False, now=None) -> Allocation``
* ``save_review_draft(item, anon_id, lease_id, payload) -> ReviewLease``
* ``complete_review(item, anon_id, lease_id, payload, now=None) -> Review``
* ``flag_response(item, anon_id, lease_id, reason, now=None) -> Flag``
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .. import json_input, upsert
from ..i18n import gettext_noop as _
from ..refusals import Phrase, Refusal
from ..transactions import run_with_retries
from . import agreement_totals, gradebook, waiting
from .allocation import AllocationError, Allocation, allocate
from .config import PeerItem
from .models import Flag, PeerSubmission, ResponseDraft, Review, ReviewLease, ReviewPart, RubricVersion
from .rubric import Rubric
from .submissions import current_submission, lock_submissions

MAX_RESPONSE_CHARS = 100_000
MAX_COMMENT = 2000
MAX_FLAG_REASON = 2000


# Words are runs of characters between separators: every character that Python or a browser takes for a
# space (Python's str.isspace has U+001C-U+001F and U+0085, JavaScript's \s has U+FEFF) and the zero-width
# spaces U+180E, U+200B and U+2060. A run made only of invisible characters (Unicode's format characters:
# joiners, direction marks, soft hyphens, ...) is no word; inside a word they are part of it.
WORD_SEPARATORS = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u180e\u2000\u2001\u2002\u2003\u2004"
                   "\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u2060\u3000\ufeff")


@functools.cache
def word_rule() -> dict[str, str]:
    """The word count's two lists of characters: the page counts with them (the case study sends them in
    its init data), so that it shows the count the server enforces."""
    invisible = "".join(char for char in map(chr, range(sys.maxunicode + 1))
                        if unicodedata.category(char) == "Cf" and char not in WORD_SEPARATORS)
    return {"separators": WORD_SEPARATORS, "invisible": invisible}


@functools.cache
def _word_patterns() -> tuple[re.Pattern, re.Pattern]:
    rule = word_rule()
    return re.compile(f"[^{re.escape(rule['separators'])}]+"), re.compile(f"[{re.escape(rule['invisible'])}]+")


def word_count(text: str | None) -> int:
    """The words of ``text`` (see :data:`WORD_SEPARATORS`); the page counts the same way."""
    runs, invisible = _word_patterns()
    return sum(1 for run in runs.findall(text or "") if not invisible.fullmatch(run))


def _clean_text(value, limit: int, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Refusal(_("The %(what)s must be text."), what=Phrase(what))
    text = value.replace("\r\n", "\n").replace("\x00", "")
    if len(text) > limit:
        raise Refusal(_("The %(what)s is longer than %(max)s characters."), what=Phrase(what), max=limit)
    return text


def clean_response(text) -> str:
    """A response's text as it is stored (a Refusal for a value that cannot be one)."""
    return _clean_text(text, MAX_RESPONSE_CHARS, _("response"))


def _active_submission(item: PeerItem, anon_id: str) -> PeerSubmission | None:
    sub = current_submission(item.usage_id, anon_id)
    return None if sub is None or sub.is_cleared else sub


# --- responses --------------------------------------------------------------------------------

def get_response_draft(item: PeerItem, anon_id: str) -> ResponseDraft | None:
    return ResponseDraft.objects.filter(usage_id=item.usage_id, anonymous_user_id=anon_id).first()


def save_response_draft(item: PeerItem, anon_id: str, text) -> ResponseDraft:
    text = _clean_text(text, MAX_RESPONSE_CHARS, _("response"))
    if _active_submission(item, anon_id) is not None:
        raise Refusal(_("You have already submitted your response."), status=409)
    draft, _created = ResponseDraft.objects.update_or_create(
        usage_id=item.usage_id, anonymous_user_id=anon_id, defaults={"text": text, "modified": timezone.now()}
    )
    return draft


def rubric_version(item: PeerItem) -> RubricVersion:
    digest = item.rubric.digest()
    version = RubricVersion.objects.filter(usage_id=item.usage_id, digest=digest).first()
    if version is not None:
        return version
    try:
        with transaction.atomic():
            version = RubricVersion.objects.create(
                usage_id=item.usage_id, digest=digest, criteria=item.rubric.to_list(),
                max_points=item.rubric.max_points,
            )
            # The agreement rows exist before any grading locks them (see peer.agreement_totals).
            agreement_totals.ensure_criteria(item.usage_id, [c.name for c in item.rubric.criteria])
            return version
    except IntegrityError:
        return RubricVersion.objects.get(usage_id=item.usage_id, digest=digest)


def check_response(item: PeerItem, text: str) -> int:
    """The response's word count, or a refusal (400) when it is empty, has no word (spaces and invisible
    characters alone: ``strip()`` keeps the zero-width ones) or breaks the block's word limits."""
    words = word_count(text)
    if not text.strip():
        raise Refusal(_("Your response is empty."))
    if words == 0:
        raise Refusal(_("Your response has no words: it holds only spaces or invisible characters."))
    if item.min_words and words < item.min_words:
        raise Refusal(_("Your response has %(count)s words; at least %(min)s are needed."),
                      count=words, min=item.min_words)
    if item.max_words and words > item.max_words:
        raise Refusal(_("Your response has %(count)s words; at most %(max)s are allowed."),
                      count=words, max=item.max_words)
    return words


def submit_response(item: PeerItem, anon_id: str, text, now=None) -> PeerSubmission:
    """Create the learner's one submission (edx-submissions + our row) in one transaction."""
    from submissions import api as submissions_api

    now = now or timezone.now()
    text = _clean_text(text, MAX_RESPONSE_CHARS, _("response"))
    if not item.rubric.criteria or item.rubric.max_points <= 0:
        raise Refusal(_("This exercise is not ready yet: its rubric has no points to give. Please tell the course team."),
                      status=409)
    words = check_response(item, text)
    previous = current_submission(item.usage_id, anon_id)
    if previous is not None and not previous.is_cleared:
        raise Refusal(_("You have already submitted your response."), status=409)
    attempt = previous.attempt + 1 if previous is not None else 1
    # Reviews given before a reset still count: the learner did that work.
    given = ReviewLease.objects.filter(
        usage_id=item.usage_id, reviewer_id=anon_id, status=ReviewLease.DONE
    ).count() if previous is not None else 0
    version = rubric_version(item)
    try:
        with transaction.atomic():
            created = submissions_api.create_submission(item.student_item(anon_id), {"text": text}, submitted_at=now)
            sub = PeerSubmission.objects.create(
                uuid=str(created["uuid"]), anonymous_user_id=anon_id, course_id=item.course_id,
                usage_id=item.usage_id, attempt=attempt, rubric=version, word_count=words, submitted_at=now,
                given=given,
            )
            ResponseDraft.objects.filter(usage_id=item.usage_id, anonymous_user_id=anon_id).delete()
    except IntegrityError:
        raise Refusal(_("You have already submitted your response."), status=409) from None
    return sub


def response_text(sub: PeerSubmission) -> str:
    """The response's text, read from edx-submissions' table itself.

    Not through ``submissions.api.get_submission``: that function turns every warning of the
    process into an error while it reads (a process-wide ``warnings.filterwarnings("error")``,
    then ``"default"``), so a warning given by another request's thread at that moment would fail
    that request. A plain query of the one column we need changes no process-wide state. Unsorted:
    the model's default order would let a planner with stale statistics walk the whole table by date.
    """
    from submissions.models import Submission

    rows = Submission.objects.filter(uuid=sub.uuid).order_by().values_list("answer", flat=True)[:1]
    answer = next(iter(rows), None) or {}
    return answer.get("text", "") if isinstance(answer, dict) else str(answer)


# --- reviews ----------------------------------------------------------------------------------

def next_review(item: PeerItem, anon_id: str, want_extra: bool = False, now=None) -> Allocation:
    """The review the learner should work on now (see :mod:`.allocation`), after the waiting rule.

    The allocator applies the waiting rule itself when its first read finds a response it applies
    to, so a request with nothing to do costs no statement for it.
    """
    now = now or timezone.now()
    try:
        result = allocate(item, anon_id, want_extra=want_extra, now=now, apply_waiting_rule=waiting.apply_to_lacking)
    except AllocationError as err:
        if err.code == "cancelled":
            raise Refusal(_("Your submission was cancelled by the course team."), status=409) from None
        raise Refusal(_("Submit your own response before reviewing others."), status=409) from None
    if result.outcome == "none_available":
        own = result.own if result.own is not None else current_submission(item.usage_id, anon_id)
        if own is not None and own.submitted_at <= now - item.waiting_time:
            waiting.lower_own_requirement(own.pk, item, now)
    return result


def _own_lease(item: PeerItem, anon_id: str, lease_id) -> ReviewLease:
    lease_id = json_input.record_id(lease_id)
    if lease_id is None:
        raise Refusal(_("The review is not valid."))
    lease = ReviewLease.objects.select_related("submission__rubric").filter(pk=lease_id).first()
    # Someone else's lease, or one from another block, is reported exactly like a missing one.
    if lease is None or lease.reviewer_id != anon_id or lease.usage_id != item.usage_id:
        raise Refusal(_("This review was not found."), status=404)
    return lease


def _review_payload(rubric: Rubric, payload, complete: bool) -> dict:
    """Check a review (or a draft of one) against the rubric the response was submitted under."""
    if not isinstance(payload, dict):
        raise Refusal(_("The review is not valid."))
    options = payload.get("options") or {}
    comments = payload.get("comments") or {}
    if not isinstance(options, dict) or not isinstance(comments, dict):
        raise Refusal(_("The review is not valid."))
    clean = {"options": {}, "comments": {}, "overall": _clean_text(payload.get("overall"), MAX_COMMENT, _("overall comment"))}
    clean["options"], missing = rubric.read_choices(options)
    for crit in rubric.criteria:
        comment = _clean_text(comments.get(crit.name), MAX_COMMENT, _("comment"))
        if comment:
            clean["comments"][crit.name] = comment
    unknown = (set(options) | set(comments)) - {c.name for c in rubric.criteria}
    if unknown:
        raise Refusal(_("The review names a criterion that is not in the rubric."))
    if complete and missing:
        raise Refusal(_("Choose an option for every criterion: %(missing)s."), missing=", ".join(missing))
    return clean


def save_review_draft(item: PeerItem, anon_id: str, lease_id, payload) -> ReviewLease:
    """Keep an unfinished review; allowed whatever became of the lease (nothing is lost)."""
    lease = _own_lease(item, anon_id, lease_id)
    if lease.status == ReviewLease.DONE:
        raise Refusal(_("This review has already been submitted."), status=409)
    rubric = Rubric.from_list(lease.submission.rubric.criteria)
    lease.draft = _review_payload(rubric, payload, complete=False)
    lease.draft_saved_at = timezone.now()
    lease.save(update_fields=["draft", "draft_saved_at"])
    return lease


def _close_lease(lease_id: int, now) -> bool:
    """Mark the lease done (this also locks it); returns whether it was open (it held a slot).

    A conditional update, so that two submissions of one review cannot both close it: the second
    finds it done and is refused.
    """
    done = {"status": ReviewLease.DONE, "open_slot": None, "completed_at": now, "draft": {}}
    leases = ReviewLease.objects.filter(pk=lease_id)
    if leases.filter(status=ReviewLease.OPEN).update(**done):
        return True
    if leases.filter(status=ReviewLease.EXPIRED).update(**done):
        return False
    if leases.filter(status=ReviewLease.DONE).exists():
        raise Refusal(_("This review has already been submitted."), status=409)
    raise Refusal(_("This response was withdrawn, so the review cannot be submitted. Ask for another one."),
                  status=409)


def _lock_target_and_own(target_id: int, item: PeerItem, anon_id: str):
    """Lock the reviewed response and the reviewer's own submissions (one query, primary-key order)."""
    rows = list(
        PeerSubmission.objects.select_for_update()
        .filter(Q(pk=target_id) | Q(usage_id=item.usage_id, anonymous_user_id=anon_id))
        .order_by("pk")
    )
    target = next(r for r in rows if r.pk == target_id)
    mine = [r for r in rows if r.usage_id == item.usage_id and r.anonymous_user_id == anon_id]
    own = max(mine, key=lambda r: r.attempt) if mine else None
    return target, own


REVIEW_TRIES = 3  # a review's transaction chosen as a deadlock victim is run again, up to this many times


def complete_review(item: PeerItem, anon_id: str, lease_id, payload, now=None) -> Review:
    """Store a finished review, update both learners' counters, grade whoever became ready.

    Statements: the lease read (with the response's rubric), then one transaction: the lease
    closed, both submission rows locked, the review and its parts inserted, both rows' counters
    saved (in one statement unless the reviewer's own response is graded too; with the grade when that review
    completed it, the reviews read and marked counted, and
    the grade's outbox row written, :func:`.gradebook.record_intent`); the grade is sent to
    edx-submissions after the commit, so a failed delivery never takes the review back.
    A transaction the database rolls back as a deadlock victim (or after a lock wait timeout) is
    run again from the start, unless the caller's own transaction surrounds it.
    """
    now = now or timezone.now()
    lease = _own_lease(item, anon_id, lease_id)
    rubric_row = lease.submission.rubric
    rubric = Rubric.from_list(rubric_row.criteria)
    clean = _review_payload(rubric, payload, complete=True)
    return run_with_retries(lambda: _store_review(item, anon_id, lease, rubric_row, rubric, clean, now),
                            REVIEW_TRIES)


def _store_review(item: PeerItem, anon_id: str, lease: ReviewLease, rubric_row, rubric: Rubric, clean: dict,
                  now) -> Review:
    """The review's writes: the body of the transaction that :func:`~..transactions.run_with_retries` opens."""
    was_open = _close_lease(lease.pk, now)
    target, own = _lock_target_and_own(lease.submission_id, item, anon_id)
    if target.is_cancelled:
        raise Refusal(_("This response was withdrawn, so the review cannot be submitted. Ask for another one."),
                      status=409)
    parts = []
    for crit in rubric.criteria:
        option = crit.options[clean["options"][crit.name]]
        parts.append(ReviewPart(
            criterion_name=crit.name, criterion_label=crit.label, option_label=option.label,
            points=option.points, comment=clean["comments"].get(crit.name, ""),
        ))
    review = Review.objects.create(
        lease=lease, submission=target, usage_id=item.usage_id, reviewer_id=anon_id,
        overall_comment=clean["overall"], total_points=sum(p.points for p in parts),
        extra=lease.extra, created=now,
    )
    for part in parts:
        part.review = review
    upsert.insert_all(connection, ReviewPart, parts)
    # The rows are locked, so their counters are set from the values just read.
    # An expired lease gave its slot back; finishing it takes the slot again.
    target.received += 1
    target.load += 0 if was_open else 1
    if target.rubric_id == rubric_row.pk:
        target.rubric = rubric_row
    # The reviewer's own response gets one more review given; when that grades nothing (most reviews), both
    # rows are saved in one statement.
    also = None
    if own is not None and own.pk != target.pk:
        own.given += 1
        also = (own, ("given",)) if gradebook.only_counters_change(own, item) else None
    gradebook.grade_locked(target, item, now, pending=("received", "load"), also=also)
    if own is not None and own.pk != target.pk and also is None:
        gradebook.grade_locked(own, item, now, pending=("given",))
    return review


def flag_response(item: PeerItem, anon_id: str, lease_id, reason, now=None) -> Flag:
    """Report the response under review as inappropriate: it leaves the pool until staff decide.

    The reviewer's lease is released (the review is not owed), so they can ask for another one. Only a
    lease the reviewer still holds (open, or expired but not withdrawn) may be used, and a reviewer
    reports a response once: after staff clear the report, the same reviewer cannot flag it again.
    """
    now = now or timezone.now()
    lease = _own_lease(item, anon_id, lease_id)
    reason = _clean_text(reason, MAX_FLAG_REASON, _("reason")).strip()
    if not reason:
        raise Refusal(_("Say briefly why this response is inappropriate."))
    with transaction.atomic():
        lease = ReviewLease.objects.select_for_update().get(pk=lease.pk)
        if lease.status == ReviewLease.DONE:
            raise Refusal(_("This review has already been submitted."), status=409)
        if lease.status == ReviewLease.CANCELLED:
            # Withdrawn by a report of theirs, by staff or by a reset: not theirs to flag any more.
            raise Refusal(_("You no longer hold this review, so it cannot be reported. Ask for another one."),
                          status=409)
        target = lock_submissions(lease.submission_id)[lease.submission_id]
        if Flag.objects.filter(submission=target, reporter_id=anon_id).exists():
            # One report per reviewer and response: a report staff cleared does not come back.
            raise Refusal(_("You have already reported this response."), status=409)
        flag = Flag.objects.create(submission=target, reporter_id=anon_id, reason=reason, created=now)
        was_open = lease.status == ReviewLease.OPEN
        lease.status = ReviewLease.CANCELLED
        lease.save(update_fields=["status"])
        updates = {"load": F("load") - (1 if was_open else 0)}
        if target.pool == PeerSubmission.IN_POOL:
            updates["pool"] = PeerSubmission.FLAGGED
        PeerSubmission.objects.filter(pk=target.pk).update(**updates)
    return flag
