"""One open lease per reviewer and block (a unique stored column; AllocationLock retired); the quiz
staff panel's keyset index.

``open_slot`` is 1 on an open lease and NULL otherwise; the unique key (usage_id, reviewer_id,
open_slot) is 2,041 bytes in utf8mb4, within MySQL 8's 3,072. Existing open leases get the column
set, the newest first; an older second open lease of the same reviewer (possible only through a
race the old lock did not cover) keeps its status and draft but no slot.
"""

from django.db import migrations, models


def fill_open_slots(apps, schema_editor):
    ReviewLease = apps.get_model("sse_academy_xblock", "ReviewLease")
    seen = set()
    for pk, usage_id, reviewer_id in (
        ReviewLease.objects.filter(status=0).order_by("-created", "-pk").values_list("pk", "usage_id", "reviewer_id")
        .iterator(chunk_size=2000)
    ):
        key = (usage_id, reviewer_id)
        if key not in seen:
            seen.add(key)
            ReviewLease.objects.filter(pk=pk).update(open_slot=True)


def fill_last_submitted(apps, schema_editor):
    QuizRoster = apps.get_model("sse_academy_xblock", "QuizRoster")
    QuizRoster.objects.filter(last_submitted__isnull=True).update(last_submitted=models.F("modified"))


class Migration(migrations.Migration):

    dependencies = [
        ("sse_academy_xblock", "0005_peer_allocation_lock"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewlease",
            name="open_slot",
            field=models.BooleanField(default=None, null=True),
        ),
        migrations.RunPython(fill_open_slots, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reviewlease",
            name="open_slot",
            field=models.BooleanField(default=True, null=True),
        ),
        migrations.AddConstraint(
            model_name="reviewlease",
            constraint=models.UniqueConstraint(
                fields=("usage_id", "reviewer_id", "open_slot"), name="sse_peerlease_one_open"
            ),
        ),
        migrations.DeleteModel(name="AllocationLock"),
        migrations.RunPython(fill_last_submitted, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="quizroster",
            index=models.Index(fields=["usage_id", "last_submitted", "id"], name="sse_quizroster_recent"),
        ),
    ]
