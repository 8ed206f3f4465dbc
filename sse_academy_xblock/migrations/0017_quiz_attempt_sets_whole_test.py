"""Item analysis per attempt set (first, last, all) and the sums of the whole-test statistics.

Both tables gain ``attempts`` (the set, ``last`` for every existing row) in their unique keys: the
answers' (usage_id, anonymous_user_id, attempts, attempt, question_id) is 2,320 bytes in utf8mb4,
the totals' (usage_id, attempts, question_id, part) 1,616 bytes, both within MySQL 8's 3,072. The
answers gain the attempt's number (0 for rows counted before this migration) and each answer's
share ``z`` of its attempt's score ``p``; the totals gain the whole-test sums.

The data step gives the existing answers their ``z`` and ``p`` and recomputes each quiz's ``last``
totals from them (what ``item_totals.rebuild`` does), so the whole-test figures of the counted
attempts are complete at once. The ``first`` and ``all`` sets start empty: earlier attempts were
never kept, so they count attempts made from now on (``docs/insight.md``). Going back drops the
columns and keeps the ``last`` rows.
"""

from collections import defaultdict

from django.db import migrations, models

from sse_academy_xblock.insight import item_statistics, score_statistics

APP = "sse_academy_xblock"


def keep_last_set(apps, schema_editor):
    """Going back: only the ``last`` rows fit the old unique keys."""
    for name in ("QuizItemAnswer", "QuizItemTotal"):
        apps.get_model(APP, name).objects.exclude(attempts="last").delete()


def fill_last_set(apps, schema_editor):
    from sse_academy_xblock.quiz import item_totals

    Answer = apps.get_model(APP, "QuizItemAnswer")
    Total = apps.get_model(APP, "QuizItemTotal")
    fields = [f.name for f in Total._meta.concrete_fields if f.name != "id"]
    for usage in sorted(set(Answer.objects.values_list("usage_id", flat=True))):
        learners = defaultdict(list)
        for row in Answer.objects.filter(usage_id=usage).order_by("anonymous_user_id", "question_id"):
            learners[row.anonymous_user_id].append(row)
        attempts = []
        for rows in learners.values():
            answers = {r.question_id: item_statistics.Answer(r.earned, r.possible, tuple(r.chosen or ())) for r in rows}
            shares = item_statistics.shares(answers)
            for r in rows:
                r.z, r.p = shares[r.question_id], sum(shares.values())
            Answer.objects.bulk_update(rows, ["z", "p"])
            attempts.append(answers)
        quiz, computed = score_statistics.aggregate_all(attempts)
        versions = defaultdict(int)  # the question versions the answers were graded against (0016), kept
        for rows in learners.values():
            for r in rows:
                if r.version:
                    versions[(r.question_id, r.version)] += 1
        Total.objects.filter(usage_id=usage).delete()
        Total.objects.bulk_create(
            [Total(**{name: getattr(row, name) for name in fields}) for row in item_totals.total_rows(usage, quiz, computed)]
            + [Total(usage_id=usage, attempts="last", question_id=question, part=item_totals.version_part(version), n=n)
               for (question, version), n in sorted(versions.items())],
            batch_size=1000,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('sse_academy_xblock', '0016_quiz_wrong_answers'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='quizitemanswer',
            name='sse_quizitemanswer_unique',
        ),
        migrations.RemoveConstraint(
            model_name='quizitemtotal',
            name='sse_quizitemtotal_unique',
        ),
        migrations.AddField(
            model_name='quizitemanswer',
            name='attempt',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='quizitemanswer',
            name='attempts',
            field=models.CharField(default='last', max_length=5),
        ),
        migrations.AddField(
            model_name='quizitemanswer',
            name='p',
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name='quizitemanswer',
            name='z',
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name='quizitemtotal',
            name='attempts',
            field=models.CharField(default='last', max_length=5),
        ),
        migrations.AddField(
            model_name='quizitemtotal',
            name='s3',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='quizitemtotal',
            name='s4',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='quizitemtotal',
            name='sp',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='quizitemtotal',
            name='spp',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='quizitemtotal',
            name='sz',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='quizitemtotal',
            name='szp',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='quizitemtotal',
            name='szz',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddConstraint(
            model_name='quizitemanswer',
            constraint=models.UniqueConstraint(fields=('usage_id', 'anonymous_user_id', 'attempts', 'attempt', 'question_id'), name='sse_quizitemanswer_set_unique'),
        ),
        migrations.AddConstraint(
            model_name='quizitemtotal',
            constraint=models.UniqueConstraint(fields=('usage_id', 'attempts', 'question_id', 'part'), name='sse_quizitemtotal_set_unique'),
        ),
        migrations.RunPython(fill_last_set, keep_last_set),
    ]
