"""The case study's self-assessment (one row per submission) and the adaptive review count: the reviews asked
beyond the minimum and whether the count is still open, with the index of the adaptive pick (peer.review_count)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sse_academy_xblock', '0018_calibration_attempts'),
    ]

    operations = [
        migrations.CreateModel(
            name='SelfAssessment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('usage_id', models.CharField(max_length=255)),
                ('anonymous_user_id', models.CharField(max_length=255)),
                ('options', models.JSONField(default=dict)),
                ('points', models.JSONField(default=dict)),
                ('total_points', models.IntegerField(default=0)),
                ('peer_medians', models.JSONField(blank=True, default=dict)),
                ('weight', models.FloatField(default=0)),
                ('created', models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.AddField(
            model_name='peersubmission',
            name='count_state',
            field=models.SmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='peersubmission',
            name='extra_wanted',
            field=models.SmallIntegerField(default=0),
        ),
        migrations.AddIndex(
            model_name='peersubmission',
            index=models.Index(fields=['usage_id', 'pool', 'count_state', 'load', 'id'], name='sse_peersub_pick_adaptive'),
        ),
        migrations.AddField(
            model_name='selfassessment',
            name='submission',
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='self_assessment', to='sse_academy_xblock.peersubmission'),
        ),
        migrations.AddIndex(
            model_name='selfassessment',
            index=models.Index(fields=['usage_id', 'id'], name='sse_selfassess_block'),
        ),
    ]
