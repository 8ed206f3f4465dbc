"""The most frequent wrong answers of a quiz's text and numeric questions, counted for item analysis.

A table of counts per (block, question, normalised value), at most 20 values a question plus one row for
the others, and on each learner's counted answer the row it was counted in. The unique key (usage_id,
question_id, value) is 2,076 bytes in utf8mb4, within MySQL 8's 3,072. Answers counted before this
migration are not in the counts (a learner's state cannot be read across learners); they enter on the
learner's next submit or a rescore.

Each counted answer also records the version of its question it was graded against (a fingerprint of the
key, the options and the points), so that item analysis can tell answers counted before a change of the
question (a Studio edit, a content library's sync) from the others.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sse_academy_xblock', '0015_realias_retired_learners'),
    ]

    operations = [
        migrations.AddField(
            model_name='quizitemanswer',
            name='wrong',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='quizitemanswer',
            name='version',
            field=models.CharField(blank=True, default='', max_length=16),
        ),
        migrations.CreateModel(
            name='QuizWrongAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('usage_id', models.CharField(max_length=255)),
                ('question_id', models.CharField(max_length=64)),
                ('value', models.CharField(blank=True, default='', max_length=200)),
                ('n', models.BigIntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('usage_id', 'question_id', 'value'), name='sse_quizwronganswer_unique')],
            },
        ),
    ]
