"""The outbox row no longer says whether it is a first grade: the score table's write reads, under the
learner's lock, which dimensions the learner's rows on the block hold (``profile.cohort_store.change``).
The learner's lock row no longer counts the changes: it is locked, not rewritten."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("sse_academy_xblock", "0020_cohort_counts"),
    ]

    operations = [
        migrations.RemoveField(model_name="gradedelivery", name="first"),
        migrations.RemoveField(model_name="cohortlearnerlock", name="changes"),
    ]
