"""Item analysis of quizzes: each learner's counted answers per question, and running totals per block.

Keys in utf8mb4: the answers' unique key (usage_id, anonymous_user_id, question_id) is 2,296 bytes, the
totals' (usage_id, question_id, part) 1,596 bytes, both within MySQL 8's 3,072. Attempts counted before
this migration are not in the tables (a learner's state cannot be read across learners); they enter on
the learner's next submit or a rescore.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sse_academy_xblock', '0007_peer_open_lease_roster_recent'),
    ]

    operations = [
        migrations.CreateModel(
            name='QuizItemAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('anonymous_user_id', models.CharField(max_length=255)),
                ('course_id', models.CharField(max_length=255)),
                ('usage_id', models.CharField(max_length=255)),
                ('question_id', models.CharField(max_length=64)),
                ('earned', models.FloatField()),
                ('possible', models.FloatField()),
                ('chosen', models.JSONField(blank=True, default=list)),
                ('x', models.IntegerField()),
                ('y', models.BigIntegerField()),
                ('full', models.BooleanField(default=False)),
                ('band', models.SmallIntegerField()),
                ('modified', models.DateTimeField(auto_now=True)),
            ],
            options={
                'indexes': [models.Index(fields=['anonymous_user_id'], name='sse_quizitemanswer_user')],
                'constraints': [models.UniqueConstraint(fields=('usage_id', 'anonymous_user_id', 'question_id'), name='sse_quizitemanswer_unique')],
            },
        ),
        migrations.CreateModel(
            name='QuizItemTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('usage_id', models.CharField(max_length=255)),
                ('question_id', models.CharField(blank=True, default='', max_length=64)),
                ('part', models.CharField(blank=True, default='', max_length=80)),
                ('n', models.BigIntegerField(default=0)),
                ('full', models.BigIntegerField(default=0)),
                ('sx', models.BigIntegerField(default=0)),
                ('sxx', models.BigIntegerField(default=0)),
                ('sy', models.BigIntegerField(default=0)),
                ('syy', models.BigIntegerField(default=0)),
                ('sxy', models.BigIntegerField(default=0)),
                ('earned', models.BigIntegerField(default=0)),
                ('possible', models.BigIntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('usage_id', 'question_id', 'part'), name='sse_quizitemtotal_unique')],
            },
        ),
    ]
