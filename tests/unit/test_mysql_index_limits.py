"""Every index our migrations create fits MySQL 8's key limit in utf8mb4.

Production runs MySQL 8.4 (Tutor), which CI cannot start. InnoDB refuses an index whose key is longer
than 3,072 bytes ("Specified key was too long"), and in utf8mb4 a character column takes 4 bytes a
character. The indexes are read from the state our migrations build (not from models.py), so a
migration that adds an index is checked as it will run.
"""

from __future__ import annotations

from django.db import models
from django.db.migrations.loader import MigrationLoader

APP = "sse_academy_xblock"
MYSQL_MAX_KEY_BYTES = 3072
UTF8MB4_BYTES_PER_CHAR = 4
FIXED_BYTES = [  # checked in order: subclasses before their bases
    (models.BigAutoField, 8), (models.BigIntegerField, 8), (models.PositiveBigIntegerField, 8),
    (models.SmallAutoField, 2), (models.SmallIntegerField, 2), (models.PositiveSmallIntegerField, 2),
    (models.AutoField, 4), (models.IntegerField, 4), (models.BooleanField, 1), (models.FloatField, 8),
    (models.DateTimeField, 8), (models.DateField, 3), (models.TimeField, 6), (models.DurationField, 8),
    (models.UUIDField, 32 * UTF8MB4_BYTES_PER_CHAR),  # char(32) on MySQL
    (models.DecimalField, 16),
]
UNINDEXABLE = (models.TextField, models.BinaryField, models.JSONField)


def column_bytes(field) -> int:
    """The bytes a column adds to a MySQL key in utf8mb4; ValueError for a column MySQL cannot index whole."""
    if isinstance(field, models.ForeignKey):
        return column_bytes(field.target_field)
    if isinstance(field, UNINDEXABLE):
        raise ValueError(f"{field.name}: a {type(field).__name__} cannot be indexed without a prefix length")
    if isinstance(field, models.CharField):
        return int(field.max_length) * UTF8MB4_BYTES_PER_CHAR
    for kind, size in FIXED_BYTES:
        if isinstance(field, kind):
            return size
    raise ValueError(f"{field.name}: no MySQL size known for {type(field).__name__}")


def model_indexes(model) -> dict[str, list[str]]:
    """Every index MySQL creates for ``model``: name -> field names."""
    meta = model._meta
    found: dict[str, list[str]] = {f"{meta.db_table}.PRIMARY": [meta.pk.name]}
    for field in meta.local_fields:
        if field.primary_key:
            continue
        if field.unique or field.db_index or isinstance(field, models.ForeignKey):
            found[f"{meta.db_table}.{field.name}"] = [field.name]
    for i, together in enumerate(meta.unique_together):
        found[f"{meta.db_table}.unique_together[{i}]"] = list(together)
    for index in meta.indexes:
        found[index.name] = [name.lstrip("-") for name in index.fields]
    for constraint in meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            found[constraint.name] = list(constraint.fields)
    return found


def too_long(model) -> list[str]:
    problems = []
    for name, field_names in model_indexes(model).items():
        try:
            size = sum(column_bytes(model._meta.get_field(f)) for f in field_names)
        except ValueError as err:
            problems.append(f"{name}: {err}")
            continue
        if size > MYSQL_MAX_KEY_BYTES:
            problems.append(f"{name} ({', '.join(field_names)}): {size} bytes > {MYSQL_MAX_KEY_BYTES}")
    return problems


def migrated_models():
    state = MigrationLoader(None, ignore_no_migrations=True).project_state()
    return [m for m in state.apps.get_models() if m._meta.app_label == APP]


def test_every_index_of_our_migrations_fits_mysql_key_limit():
    found = migrated_models()
    assert len(found) >= 8, [m.__name__ for m in found]  # the roster, the profile and peer review
    problems = [p for model in found for p in too_long(model)]
    assert not problems, problems


def test_the_check_catches_an_index_that_is_too_long():
    class Wide(models.Model):
        a = models.CharField(max_length=255)
        b = models.CharField(max_length=255)
        c = models.CharField(max_length=255)
        d = models.CharField(max_length=64)
        notes = models.TextField()

        class Meta:
            app_label = APP
            indexes = [models.Index(fields=["a", "b", "c", "d"], name="wide_abcd"),
                       models.Index(fields=["a", "b", "c"], name="wide_abc")]
            constraints = [models.UniqueConstraint(fields=["notes"], name="wide_notes")]

    problems = too_long(Wide)
    assert any(p.startswith("wide_abcd") and "3316 bytes" in p for p in problems), problems
    assert not any(p.startswith("wide_abc ") for p in problems)  # 3060 bytes fits
    assert any(p.startswith("wide_notes") and "TextField" in p for p in problems)
