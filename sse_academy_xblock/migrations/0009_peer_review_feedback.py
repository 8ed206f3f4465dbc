"""Review feedback: the reviewed author rates each review they received (helpful or not, a comment).

One row per review (``review`` is unique); the block index (usage_id, review) is 1,028 bytes in
utf8mb4, within MySQL 8's 3,072.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("sse_academy_xblock", "0008_quiz_item_answers"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReviewFeedback",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("usage_id", models.CharField(max_length=255)),
                ("helpful", models.BooleanField()),
                ("comment", models.CharField(blank=True, default="", max_length=500)),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "review",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="feedback",
                        to="sse_academy_xblock.review",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["usage_id", "review"], name="sse_reviewfb_block")],
            },
        ),
    ]
