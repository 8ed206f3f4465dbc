"""Learners retired before this version: a random alias instead of a hash of their id, and their words gone.

Retirement used to replace a learner's anonymous id with ``retired-`` and the first 24 hexadecimal
digits of its SHA-256: anyone holding the id could compute the alias and find the rows. It also kept
the comments of the reviews the learner gave and their unfinished reviews. This migration does to
those learners what retirement now does (``peer.staff_actions.retire_learner``): each old alias is
replaced by a fresh random one (``secrets``), the same in every table; the comments of the reviews
they gave, their review drafts, flag reasons and rating comments are emptied; their unfinished
reviews are withdrawn and the slots given back. Nothing to undo: going back keeps the new aliases.
"""

import re
import secrets
from collections import Counter

from django.db import migrations, models, transaction

from sse_academy_xblock.profile.models import learner_key

APP = "sse_academy_xblock"
OLD_ALIAS = re.compile(r"retired-[0-9a-f]{24}")
# Where an anonymous id is stored: (model, column).
ID_COLUMNS = (
    ("PeerSubmission", "anonymous_user_id"), ("PeerSubmission", "cancelled_by"), ("ReviewLease", "reviewer_id"),
    ("Review", "reviewer_id"), ("Flag", "reporter_id"), ("Flag", "resolved_by"), ("StaffAction", "staff_id"),
    ("ReviewerAgreement", "reviewer_id"), ("DimensionScore", "anonymous_user_id"),
)
LEASE_OPEN, LEASE_EXPIRED, LEASE_CANCELLED = 0, 1, 3  # ReviewLease.status


def old_aliases(apps) -> list[str]:
    found = set()
    for model_name, column in ID_COLUMNS:
        model = apps.get_model(APP, model_name)
        values = (model.objects.filter(**{f"{column}__startswith": "retired-"}).order_by()
                  .values_list(column, flat=True).distinct())
        found.update(v for v in values if OLD_ALIAS.fullmatch(v))
    return sorted(found)


def realias(apps, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` everywhere and empty what the learner wrote (one learner).

    A copy, frozen with the tables as they are at this migration, of what ``retire_learner`` does.
    """
    def get(name):
        return apps.get_model(APP, name)

    PeerSubmission, ReviewLease, Review = get("PeerSubmission"), get("ReviewLease"), get("Review")

    unfinished = list(ReviewLease.objects.filter(reviewer_id=old, status__in=(LEASE_OPEN, LEASE_EXPIRED))
                      .values_list("pk", "submission_id", "status"))
    live = Counter(sub_id for _pk, sub_id, status in unfinished if status == LEASE_OPEN)
    ReviewLease.objects.filter(pk__in=[pk for pk, _sub, _status in unfinished]).update(
        status=LEASE_CANCELLED, open_slot=None)
    for sub_id, count in sorted(live.items()):
        PeerSubmission.objects.filter(pk=sub_id).update(load=models.F("load") - count)
    ReviewLease.objects.filter(reviewer_id=old).update(reviewer_id=new, draft={}, draft_saved_at=None)

    given = Review.objects.filter(reviewer_id=old)
    get("ReviewPart").objects.filter(review__in=given).exclude(comment="").update(comment="")
    given.update(reviewer_id=new, overall_comment="")
    get("Flag").objects.filter(reporter_id=old).update(reporter_id=new, reason="")
    get("Flag").objects.filter(resolved_by=old).update(resolved_by=new)
    get("ReviewFeedback").objects.filter(review__submission__anonymous_user_id=old).exclude(comment="").update(
        comment="")
    PeerSubmission.objects.filter(anonymous_user_id=old).update(anonymous_user_id=new)
    PeerSubmission.objects.filter(cancelled_by=old).update(cancelled_by=new)
    get("StaffAction").objects.filter(staff_id=old).update(staff_id=new)
    get("ReviewerAgreement").objects.filter(reviewer_id=old).update(reviewer_id=new)
    get("DimensionScore").objects.filter(anonymous_user_id=old).update(anonymous_user_id=new, learner_key=learner_key(new))


def realias_retired_learners(apps, schema_editor):  # pylint: disable=unused-argument
    for old in old_aliases(apps):
        with transaction.atomic():  # one learner at a time, whole (MySQL runs migrations outside a transaction)
            realias(apps, old, "retired-" + secrets.token_hex(16))


class Migration(migrations.Migration):

    dependencies = [
        ("sse_academy_xblock", "0014_grade_delivery"),
    ]

    operations = [
        migrations.RunPython(realias_retired_learners, migrations.RunPython.noop, elidable=True),
    ]
