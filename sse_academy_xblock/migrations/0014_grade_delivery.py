"""The grade outbox: one row per grade to send to edx-submissions and the score table, written with the change
that gives, changes or takes back the grade, delivered after commit and retried until delivered (peer.gradebook)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sse_academy_xblock', '0013_dimension_score_block_key'),
    ]

    operations = [
        migrations.CreateModel(
            name='GradeDelivery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('usage_id', models.CharField(max_length=255)),
                ('course_id', models.CharField(max_length=255)),
                ('anonymous_user_id', models.CharField(max_length=255)),
                ('item_type', models.CharField(max_length=64)),
                ('kind', models.CharField(default='set', max_length=8)),
                ('points', models.IntegerField(blank=True, null=True)),
                ('points_possible', models.IntegerField(default=0)),
                ('lms_earned', models.IntegerField(blank=True, null=True)),
                ('lms_possible', models.IntegerField(blank=True, null=True)),
                ('dimension', models.CharField(blank=True, default='', max_length=64)),
                ('first', models.BooleanField(default=False)),
                ('annotation', models.JSONField(blank=True, default=dict)),
                ('created', models.DateTimeField(default=django.utils.timezone.now)),
                ('state', models.SmallIntegerField(choices=[(0, 'pending'), (1, 'delivered'), (2, 'superseded')], default=0)),
                ('attempts', models.PositiveIntegerField(default=0)),
                ('next_attempt_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('delivered_at', models.DateTimeField(blank=True, null=True)),
                ('last_error', models.CharField(blank=True, default='', max_length=255)),
                ('submission', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deliveries', to='sse_academy_xblock.peersubmission')),
            ],
            options={
                'indexes': [models.Index(fields=['state', 'next_attempt_at'], name='sse_gradedel_due'), models.Index(fields=['usage_id', 'state', 'next_attempt_at'], name='sse_gradedel_block_due'), models.Index(fields=['usage_id', 'anonymous_user_id', 'id'], name='sse_gradedel_learner'), models.Index(fields=['submission', 'id'], name='sse_gradedel_sub')],
            },
        ),
    ]
