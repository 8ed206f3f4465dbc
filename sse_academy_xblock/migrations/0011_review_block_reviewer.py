"""Reviews by block and reviewer: the review-quality table reads the helpfulness ratings of a page's
reviewers through this index, whatever the number of ratings in the block (key 2,040 bytes in utf8mb4,
within MySQL 8's 3,072)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sse_academy_xblock', '0010_peer_reviewer_agreement'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='review',
            index=models.Index(fields=['usage_id', 'reviewer_id'], name='sse_review_block_reviewer'),
        ),
    ]
