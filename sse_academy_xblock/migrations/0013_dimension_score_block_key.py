"""A number per block on the score table, and a smaller index that covers the cohort figures.

The cohort figures read every score of a scope. Selected by usage id, each index entry carries the
id (about 80 characters in Open edX) and every row compares it with the scope's ids under the
collation; selected by a 64-bit number derived from it, the entry is half the size or less and the
comparison is of integers (MariaDB, 1,000,000 rows of 100 blocks: 1.9 s down to 0.7 s). The new
index replaces the one of migration 0012. Existing rows get their number here, one block at a time.
"""

from django.db import migrations, models

import sse_academy_xblock.profile.models


def fill_block_keys(apps, schema_editor):
    from sse_academy_xblock.profile.models import block_key

    DimensionScore = apps.get_model("sse_academy_xblock", "DimensionScore")
    blocks = (DimensionScore.objects.filter(block_key=0).order_by()
              .values_list("usage_id", flat=True).distinct())
    for usage_id in list(blocks):
        DimensionScore.objects.filter(usage_id=usage_id).update(block_key=block_key(usage_id))


class Migration(migrations.Migration):

    dependencies = [
        ('sse_academy_xblock', '0012_dimension_score_learner_key'),
    ]

    operations = [
        migrations.AddField(
            model_name='dimensionscore',
            name='block_key',
            field=sse_academy_xblock.profile.models.BlockKeyField(default=0),
        ),
        migrations.RunPython(fill_block_keys, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name='dimensionscore',
            index=models.Index(fields=['block_key', 'learner_key', 'dimension', 'earned'], name='sse_dimscore_blockkey'),
        ),
        migrations.RemoveIndex(
            model_name='dimensionscore',
            name='sse_dimscore_block_key',
        ),
    ]
