"""Our migrations and edx-submissions' apply on a fresh database of each server kind.

Runs ``django-admin migrate`` in a subprocess against a brand-new database, exactly as an operator
would (``docs/operations.md``). On MariaDB, edx-submissions' migration 0006 stops a plain migrate
(see ``tests/db/plugin.py``); the test checks that this is the failure and nothing else, applies the
documented workaround and finishes, then checks that the schema matches the models.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.apps import apps
from django.db import connection, models

from db.plugin import server_execute

pytestmark = pytest.mark.db

OUR_APPS = ("sse_academy_xblock", "submissions")
FIXED_0006_ERROR = "Unknown column 'uuid' in 'submissions_studentitem'"


def _fresh_name() -> str:
    return f"{os.environ.get('SSE_DB_NAME', 'sse_academy')}_fresh_migrate"


def _manage(kind: str, db_name: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, SSE_DB=kind, SSE_DB_NAME=db_name, DJANGO_SETTINGS_MODULE="sse_academy_xblock.settings.test")
    return subprocess.run(
        [sys.executable, "-m", "django", *args], env=env, capture_output=True, text=True, timeout=600
    )


def _ok(result: subprocess.CompletedProcess, what: str) -> str:
    assert result.returncode == 0, f"{what} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result.stdout


def _recreate(kind: str, cfg: dict, name: str) -> None:
    if kind == "postgresql":
        server_execute(kind, cfg, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    else:
        server_execute(
            kind, cfg, f"DROP DATABASE IF EXISTS `{name}`",
            f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
        )


@pytest.fixture
def fresh_database(server_db):
    kind, cfg = server_db
    name = _fresh_name()
    _recreate(kind, cfg, name)
    yield kind, cfg, name
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' if kind == "postgresql" else f"DROP DATABASE IF EXISTS `{name}`"
    server_execute(kind, cfg, drop)


def _columns(kind: str, cfg: dict, db_name: str) -> dict[tuple[str, str], str]:
    if kind == "postgresql":
        # Each PostgreSQL database has its own catalog: ask the fresh one, through a one-off connection.
        import psycopg

        with psycopg.connect(
            host=cfg["HOST"], port=int(cfg["PORT"]), user=cfg["USER"], password=cfg.get("PASSWORD") or None,
            dbname=db_name, connect_timeout=5,
        ) as conn:
            rows = conn.execute(
                "SELECT table_name, column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'public'"
            ).fetchall()
    else:
        (rows,) = server_execute(
            kind, cfg,
            "SELECT table_name, column_name, column_type FROM information_schema.columns "
            f"WHERE table_schema = '{db_name}'",
        )
    return {(table.lower(), column.lower()): str(kind_).lower() for table, column, kind_ in rows}


def _expected_columns():
    """(table, column, field) for every concrete field of our models and edx-submissions'."""
    for label in OUR_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.managed and not model._meta.proxy:
                for field in model._meta.local_concrete_fields:
                    yield model._meta.db_table.lower(), field.column.lower(), field


@pytest.mark.django_db
def test_migrations_apply_on_a_fresh_database(fresh_database, figures):
    kind, cfg, name = fresh_database

    plain = _manage(kind, name, "migrate", "--noinput")
    if kind == "mariadb" and plain.returncode != 0:
        # The only accepted failure: edx-submissions' 0006 naming a column that does not exist.
        assert "Applying submissions.0006_mariadb_uuid_conversion" in plain.stdout, plain.stdout[-3000:]
        assert FIXED_0006_ERROR in plain.stderr, plain.stderr[-3000:]
        last_applied = plain.stdout.strip().splitlines()[-1]
        assert "0006_mariadb_uuid_conversion" in last_applied, last_applied
        # The documented procedure (docs/operations.md), on a new empty database: migrate edx-submissions
        # up to 0005, record 0006 as applied without running it, then migrate everything.
        _recreate(kind, cfg, name)
        _ok(_manage(kind, name, "migrate", "submissions", "0001_squashed_0005_CreateTeamModel", "--noinput"), "migrate to 0005")
        faked = _ok(_manage(kind, name, "migrate", "submissions", "0006_mariadb_uuid_conversion", "--fake"), "fake 0006")
        assert "0006_mariadb_uuid_conversion... FAKED" in faked
        _ok(_manage(kind, name, "migrate", "--noinput"), "migrate after the workaround")
        figures.add("MariaDB: edx-submissions 0006 worked around")
    else:
        _ok(plain, f"migrate on a fresh {kind} database")

    # Nothing left to apply.
    _ok(_manage(kind, name, "migrate", "--check"), "migrate --check")

    # Every model field has its column, and UUID columns have the type this Django expects on this server.
    columns = _columns(kind, cfg, name)
    missing = []
    for table, column, field in _expected_columns():
        if (table, column) not in columns:
            missing.append(f"{table}.{column}")
        elif isinstance(field, models.UUIDField):
            expected = field.db_type(connection).lower()
            actual = columns[(table, column)]
            assert actual == expected, f"{table}.{column} is {actual}, Django expects {expected}"
    assert not missing, f"columns missing after migrate: {missing}"

    # Our own migrations also reverse cleanly and re-apply (operators may need to roll back a release).
    _ok(_manage(kind, name, "migrate", "sse_academy_xblock", "zero", "--noinput"), "migrate sse_academy_xblock zero")
    remaining = {table for table, _ in _columns(kind, cfg, name) if table.startswith("sse_academy_xblock_")}
    assert not remaining, f"tables left after reversing our migrations: {sorted(remaining)}"
    _ok(_manage(kind, name, "migrate", "--noinput"), "migrate again")

    # The models need no migration that the package does not ship.
    _ok(_manage(kind, name, "makemigrations", "--check", "--dry-run", "sse_academy_xblock"), "makemigrations --check")
    figures.add(f"fresh-database migrations ({kind})")


@pytest.mark.django_db
def test_test_database_has_every_table(server_db):
    """The test database the other database tests run on was migrated completely (workaround included)."""
    kind, _ = server_db
    tables = set(connection.introspection.table_names())
    for label in OUR_APPS:
        for model in apps.get_app_config(label).get_models():
            assert model._meta.db_table in tables, f"{model._meta.db_table} missing on {kind}"
    from django.db.migrations.recorder import MigrationRecorder

    applied = set(MigrationRecorder(connection).applied_migrations())
    assert ("submissions", "0006_mariadb_uuid_conversion") in applied
