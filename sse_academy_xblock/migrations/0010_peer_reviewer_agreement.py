"""Peer-review agreement: per-reviewer distance counters and per-criterion coincidence sums, kept up to
date when a response is graded; the weights of a grade computed as a weighted median.

The unique key (usage_id, reviewer_id) is 2,040 bytes in utf8mb4, within MySQL 8's 3,072.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sse_academy_xblock', '0007_peer_open_lease_roster_recent'),
    ]

    operations = [
        migrations.AddField(
            model_name='peersubmission',
            name='weighting',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.CreateModel(
            name='CriterionAgreement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('usage_id', models.CharField(max_length=255)),
                ('criterion_name', models.CharField(max_length=64)),
                ('units', models.IntegerField(default=0)),
                ('reviews', models.IntegerField(default=0)),
                ('cells', models.JSONField(default=dict)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('usage_id', 'criterion_name'), name='sse_critagree_unique_criterion')],
            },
        ),
        migrations.CreateModel(
            name='ReviewerAgreement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('usage_id', models.CharField(max_length=255)),
                ('reviewer_id', models.CharField(max_length=255)),
                ('reviews', models.IntegerField(default=0)),
                ('distance_sum', models.FloatField(default=0)),
                ('mean_distance', models.FloatField(default=0)),
            ],
            options={
                'indexes': [models.Index(fields=['usage_id', 'mean_distance', 'id'], name='sse_revagree_distance')],
                'constraints': [models.UniqueConstraint(fields=('usage_id', 'reviewer_id'), name='sse_revagree_unique_reviewer')],
            },
        ),
    ]
