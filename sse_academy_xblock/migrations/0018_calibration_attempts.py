"""Calibration on staff-scored examples: each learner's assessment of an example, one row per attempt
(peer.calibration)."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sse_academy_xblock', '0017_quiz_attempt_sets_whole_test'),
    ]

    operations = [
        migrations.CreateModel(
            name='CalibrationAttempt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('usage_id', models.CharField(max_length=255)),
                ('anonymous_user_id', models.CharField(max_length=255)),
                ('example', models.CharField(max_length=64)),
                ('attempt', models.PositiveSmallIntegerField(default=1)),
                ('options', models.JSONField(default=dict)),
                ('points', models.JSONField(default=dict)),
                ('distance', models.FloatField(default=0)),
                ('within', models.BooleanField(default=False)),
                ('created', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'indexes': [models.Index(fields=['usage_id', 'example', 'attempt'], name='sse_calib_block_example')],
                'constraints': [models.UniqueConstraint(fields=('usage_id', 'anonymous_user_id', 'example', 'attempt'),
                                                        name='sse_calib_unique_attempt')],
            },
        ),
    ]
