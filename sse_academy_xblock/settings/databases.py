"""Database selection by environment variable, shared by the workbench and test settings.

``SSE_DB`` = ``sqlite`` (default), ``postgresql`` or ``mariadb`` (the MySQL family used by Open edX).
``SSE_DB_NAME`` overrides the database name (tests use ``test_<name>``); ``SSE_DB_HOST``,
``SSE_DB_PORT``, ``SSE_DB_USER`` and ``SSE_DB_PASSWORD`` point at another server than the local one.

Drivers: PostgreSQL uses psycopg 3 (``psycopg[binary]`` in requirements/test.in); MariaDB uses
mysqlclient, the driver Django and Open edX support, which compiles against the MariaDB client
headers (``apt-get install libmariadb-dev pkg-config``, then ``pip install -r requirements/mariadb.txt``).
"""

from __future__ import annotations

import os

KINDS = ("sqlite", "postgresql", "mariadb")
SERVER_KINDS = ("postgresql", "mariadb")


def current_kind() -> str:
    """The database kind named by ``SSE_DB`` (``sqlite`` when unset)."""
    kind = os.environ.get("SSE_DB", "sqlite").strip().lower() or "sqlite"
    if kind not in KINDS:
        raise ValueError(f"SSE_DB must be one of {', '.join(KINDS)}, not {kind!r}")
    return kind


def database_config(sqlite_path: str) -> dict:
    kind = current_kind()
    name = os.environ.get("SSE_DB_NAME", "sse_academy")
    if kind == "postgresql":
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": os.environ.get("SSE_DB_USER", "postgres"),
            "PASSWORD": os.environ.get("SSE_DB_PASSWORD", ""),
            "HOST": os.environ.get("SSE_DB_HOST", "127.0.0.1"),
            "PORT": os.environ.get("SSE_DB_PORT", "5432"),
            "OPTIONS": {"connect_timeout": 10},
        }
    if kind == "mariadb":
        return {
            "ENGINE": "django.db.backends.mysql",
            "NAME": name,
            "USER": os.environ.get("SSE_DB_USER", "root"),
            "PASSWORD": os.environ.get("SSE_DB_PASSWORD", ""),
            "HOST": os.environ.get("SSE_DB_HOST", "127.0.0.1"),
            "PORT": os.environ.get("SSE_DB_PORT", "3306"),
            # Open edX's settings: utf8mb4 and READ COMMITTED (Django's default for the MySQL family).
            "OPTIONS": {"charset": "utf8mb4", "isolation_level": "read committed", "connect_timeout": 10},
            "TEST": {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
        }
    return sqlite_config(sqlite_path)


# Seconds a SQLite writer waits for another one to finish before "database is locked".
SQLITE_BUSY_TIMEOUT = 30


def sqlite_config(path: str) -> dict:
    """SQLite where concurrent writers wait instead of failing (the workbench serves requests in threads).

    ``timeout`` is SQLite's busy timeout. Transactions start with ``BEGIN IMMEDIATE``: a deferred
    transaction that reads before it writes gets "database is locked" at once when another request
    writes, whatever the timeout. Django 5.1+ does this with the ``transaction_mode`` option; older
    Django uses our engine, :mod:`.sqlite_immediate`.
    """
    import django

    config = {"ENGINE": "django.db.backends.sqlite3", "NAME": path, "OPTIONS": {"timeout": SQLITE_BUSY_TIMEOUT}}
    if django.VERSION >= (5, 1):
        config["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    else:
        config["ENGINE"] = "sse_academy_xblock.settings.sqlite_immediate"
    return config
