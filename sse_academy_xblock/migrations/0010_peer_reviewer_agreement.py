"""Peer-review agreement: per-reviewer distance counters and per-criterion coincidence sums, kept up to
date when a response is graded; the weights of a grade computed as a weighted median.

The unique key (usage_id, reviewer_id) is 2,040 bytes in utf8mb4, within MySQL 8's 3,072. Responses
graded before this migration are counted by a full pass over their counted reviews (one ordered read,
streamed), so the staff page shows them at once.
"""

from django.db import migrations, models

from sse_academy_xblock.insight import agreement_statistics


def backfill(apps, schema_editor):
    ReviewPart = apps.get_model("sse_academy_xblock", "ReviewPart")
    ReviewerAgreement = apps.get_model("sse_academy_xblock", "ReviewerAgreement")
    CriterionAgreement = apps.get_model("sse_academy_xblock", "CriterionAgreement")
    reviewers = {}
    criteria = {}

    def add(usage_id, best, reviews):
        reviews = list(reviews.values())
        if len(reviews) < 2:
            return
        totals = [(r, sum(p.values())) for r, p in reviews]
        for reviewer, distance in agreement_statistics.review_distances(totals, best):
            count, total = reviewers.get((usage_id, reviewer), (0, 0.0))
            reviewers[(usage_id, reviewer)] = (count + 1, total + distance)
        for name in sorted({n for _r, parts in reviews for n in parts}):
            scores = [parts[name] for _r, parts in reviews if name in parts]
            cells = agreement_statistics.unit_coincidences(scores)
            if not cells:
                continue
            units, values, stored = criteria.get((usage_id, name), (0, 0, {}))
            for (c, k), weight in cells.items():
                stored[f"{c},{k}"] = stored.get(f"{c},{k}", 0.0) + weight
            criteria[(usage_id, name)] = (units + 1, values + len(scores), stored)

    current, reviews, current_usage, current_best = None, {}, None, 0
    parts = (
        ReviewPart.objects.filter(review__counted=True, review__submission__graded_at__isnull=False)
        .order_by("review__submission_id", "review_id", "pk")
        .values_list("review__submission_id", "review__usage_id", "review_id", "review__reviewer_id", "criterion_name",
                     "points", "review__submission__rubric__max_points")
    )
    for sub_id, usage_id, review_id, reviewer, name, points, best in parts.iterator(chunk_size=2000):
        if sub_id != current:
            if current is not None:
                add(current_usage, current_best, reviews)
            current, reviews, current_usage, current_best = sub_id, {}, usage_id, best
        reviews.setdefault(review_id, (reviewer, {}))[1][name] = points
    if current is not None:
        add(current_usage, current_best, reviews)
    ReviewerAgreement.objects.bulk_create([
        ReviewerAgreement(usage_id=usage_id, reviewer_id=reviewer, reviews=count, distance_sum=total,
                          mean_distance=total / count)
        for (usage_id, reviewer), (count, total) in reviewers.items()
    ], batch_size=1000)
    RubricVersion = apps.get_model("sse_academy_xblock", "RubricVersion")
    for usage_id, stored_criteria in RubricVersion.objects.values_list("usage_id", "criteria").iterator(chunk_size=500):
        for criterion in stored_criteria or []:
            criteria.setdefault((usage_id, criterion["name"]), (0, 0, {}))
    CriterionAgreement.objects.bulk_create([
        CriterionAgreement(usage_id=usage_id, criterion_name=name, units=units, reviews=values, cells=cells)
        for (usage_id, name), (units, values, cells) in criteria.items()
    ], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('sse_academy_xblock', '0009_peer_review_feedback'),
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
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
