"""The per-dimension score table: what a block's score writes (``profile/scores.py``).

Also run on PostgreSQL and MariaDB by ``tests/db/test_profile_queries.py``: the upsert is written
per database.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sse_academy_xblock.profile import scores
from sse_academy_xblock.profile.models import DimensionScore

BLOCK = "block-v1:SSE+T+1+type@sse_quiz+block@q"
OTHER = "block-v1:SSE+T+1+type@sse_case_study+block@c"


def rows(learner="a", usage_id=BLOCK):
    return {r.dimension: (r.earned, r.possible)
            for r in DimensionScore.objects.filter(anonymous_user_id=learner, usage_id=usage_id)}


def exercise_record():
    """The behaviour every database must show (called here on SQLite and by the server tests)."""
    scores.record("a", "course", BLOCK, {"employment": {"earned": 2, "possible": 4},
                                         "rights_at_work": {"earned": 1, "possible": 1}})
    scores.record("b", "course", BLOCK, {"employment": {"earned": 4, "possible": 4}})
    assert rows() == {"employment": (2, 4), "rights_at_work": (1, 1)}

    # A new score replaces the old one; a dimension the block no longer scores is removed.
    scores.record("a", "course", BLOCK, {"employment": {"earned": 3, "possible": 4}})
    assert rows() == {"employment": (3, 4)}
    assert rows("b") == {"employment": (4, 4)}  # another learner untouched

    # "Last change" moves only when the points change.
    long_ago = timezone.now() - timedelta(days=3)
    DimensionScore.objects.filter(anonymous_user_id="a").update(modified=long_ago)
    scores.record("a", "course", BLOCK, {"employment": {"earned": 3, "possible": 4}})
    assert DimensionScore.objects.get(anonymous_user_id="a").modified == long_ago
    scores.record("a", "course", BLOCK, {"employment": {"earned": 4, "possible": 4}})
    assert DimensionScore.objects.get(anonymous_user_id="a").modified > long_ago

    # Dimensions without possible points, or unknown ones, are not stored; nothing left means no rows.
    scores.record("a", "course", BLOCK, {"employment": {"earned": 0, "possible": 0}, "made_up": {"possible": 3}})
    assert rows() == {}
    assert rows("b") == {"employment": (4, 4)}


def test_record_replaces_the_blocks_points(db):
    exercise_record()


def test_record_is_one_statement_for_the_rows_after_the_learners_lock_and_sums(db):
    """The rows: one upsert, no read of them first; before it the learner's lock and their sums in the
    kept cohort scopes (:mod:`.cohort_store`), which also tell which dimensions the rows hold; no count
    moves where no scope holds the block, and nothing is removed while every dimension is still scored."""
    scores.record("a", "course", BLOCK, {"employment": {"earned": 1, "possible": 2}})
    with CaptureQueriesContext(connection) as ctx:
        scores.record("a", "course", BLOCK, {"employment": {"earned": 2, "possible": 2},
                                             "social_dialogue": {"earned": 1, "possible": 3}})
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len(sql) == 3, sql
    assert sql[0].startswith("INSERT") and "cohortlearnerlock" in sql[0] and sql[1].startswith("SELECT")
    assert sql[2].startswith("INSERT") and "dimensionscore" in sql[2]
    assert rows() == {"employment": (2, 2), "social_dialogue": (1, 3)}


def test_a_dimension_no_longer_scored_is_removed_by_a_second_statement(db):
    scores.record("a", "course", BLOCK, {"employment": {"earned": 2, "possible": 2},
                                         "social_dialogue": {"earned": 1, "possible": 3}})
    scores.record("b", "course", BLOCK, {"social_dialogue": {"earned": 2, "possible": 3}})
    with CaptureQueriesContext(connection) as ctx:
        scores.record("a", "course", BLOCK, {"employment": {"earned": 1, "possible": 2}})
    assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["INSERT", "SELECT", "INSERT", "DELETE"]
    assert rows() == {"employment": (1, 2)}
    assert DimensionScore.objects.filter(anonymous_user_id="b").count() == 1


def test_forgetting_a_block_the_learner_has_no_row_on_removes_nothing(db):
    scores.record("a", "course", OTHER, {"employment": {"earned": 2, "possible": 2}})
    with CaptureQueriesContext(connection) as ctx:
        scores.forget("a", "course-v1:nothing+here")
    assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["INSERT", "SELECT"]
    with CaptureQueriesContext(connection) as ctx:
        scores.forget("a", OTHER)
    assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["INSERT", "SELECT", "DELETE"]
    assert DimensionScore.objects.count() == 0


@pytest.mark.parametrize("learner", ["", None])
def test_record_without_a_learner_writes_nothing(db, learner):
    with CaptureQueriesContext(connection) as ctx:
        scores.record(learner, "course", BLOCK, {"employment": {"earned": 1, "possible": 2}})
    assert ctx.captured_queries == [] and DimensionScore.objects.count() == 0


def test_migration_0012_gives_existing_rows_their_learner_key(db, monkeypatch):
    """Rows written before the column existed hold 0 until the migration fills them."""
    import importlib

    from django.apps import apps

    from sse_academy_xblock.profile.models import learner_key

    for learner in ("a", "b", "c"):
        scores.record(learner, "course", BLOCK, {"employment": {"earned": 1, "possible": 2},
                                                 "rights_at_work": {"earned": 1, "possible": 1}})
    DimensionScore.objects.update(learner_key=0)
    migration = importlib.import_module("sse_academy_xblock.migrations.0012_dimension_score_learner_key")
    monkeypatch.setattr(migration, "BATCH", 2)  # several batches, the last one short
    migration.fill_learner_keys(apps, None)
    keys = {(r.anonymous_user_id, r.learner_key) for r in DimensionScore.objects.all()}
    assert keys == {(learner, learner_key(learner)) for learner in ("a", "b", "c")}


def test_the_learner_key_is_set_by_every_write():
    from sse_academy_xblock.profile.models import learner_key

    assert learner_key("a") == learner_key("a") != learner_key("b")
    assert -(2 ** 63) <= learner_key("a") < 2 ** 63
    row = DimensionScore(anonymous_user_id="someone", usage_id=BLOCK, dimension="employment")
    DimensionScore._meta.get_field("learner_key").pre_save(row, add=True)
    assert row.learner_key == learner_key("someone")


def test_migration_0013_gives_existing_rows_their_block_key(db):
    """Rows written before the column existed hold 0 until the migration fills them, block by block."""
    import importlib

    from django.apps import apps

    from sse_academy_xblock.profile.models import block_key

    for block in (BLOCK, OTHER):
        for learner in ("a", "b"):
            scores.record(learner, "course", block, {"employment": {"earned": 1, "possible": 2}})
    DimensionScore.objects.update(block_key=0)
    migration = importlib.import_module("sse_academy_xblock.migrations.0013_dimension_score_block_key")
    migration.fill_block_keys(apps, None)
    keys = {(r.usage_id, r.block_key) for r in DimensionScore.objects.all()}
    assert keys == {(BLOCK, block_key(BLOCK)), (OTHER, block_key(OTHER))}


def test_the_block_key_is_set_by_every_write(db):
    from sse_academy_xblock.profile.models import block_key

    assert block_key(BLOCK) == block_key(BLOCK) != block_key(OTHER)
    scores.record("a", "course", BLOCK, {"employment": {"earned": 1, "possible": 2}})
    scores.record("a", "course", BLOCK, {"employment": {"earned": 2, "possible": 2}})  # the update path
    DimensionScore.objects.bulk_create([DimensionScore(anonymous_user_id="b", usage_id=OTHER, dimension="employment")])
    assert {(r.usage_id, r.block_key) for r in DimensionScore.objects.all()} == {
        (BLOCK, block_key(BLOCK)), (OTHER, block_key(OTHER))}


def test_a_first_record_is_one_statement_for_the_rows(db):
    """The learner has no row on the block: nothing is removed."""
    with CaptureQueriesContext(connection) as ctx:
        scores.record("a", "course", BLOCK, {"employment": {"earned": 1, "possible": 2}})
    assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["INSERT", "SELECT", "INSERT"]
    assert rows() == {"employment": (1, 2)}