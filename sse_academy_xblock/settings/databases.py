"""Database selection by environment variable, shared by the workbench and test settings.

``SSE_DB`` = ``sqlite`` (default), ``postgresql`` or ``mariadb`` (the MySQL family used by Open edX).
``SSE_DB_NAME`` overrides the database name; the servers are the local ones on loopback.
"""

from __future__ import annotations

import os

KINDS = ("sqlite", "postgresql", "mariadb")


def database_config(sqlite_path: str) -> dict:
    kind = os.environ.get("SSE_DB", "sqlite").strip().lower() or "sqlite"
    if kind not in KINDS:
        raise ValueError(f"SSE_DB must be one of {', '.join(KINDS)}, not {kind!r}")
    name = os.environ.get("SSE_DB_NAME", "sse_academy")
    if kind == "postgresql":
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": os.environ.get("SSE_DB_USER", "postgres"),
            "PASSWORD": os.environ.get("SSE_DB_PASSWORD", ""),
            "HOST": os.environ.get("SSE_DB_HOST", "127.0.0.1"),
            "PORT": os.environ.get("SSE_DB_PORT", "5432"),
        }
    if kind == "mariadb":
        return {
            "ENGINE": "django.db.backends.mysql",
            "NAME": name,
            "USER": os.environ.get("SSE_DB_USER", "root"),
            "PASSWORD": os.environ.get("SSE_DB_PASSWORD", ""),
            "HOST": os.environ.get("SSE_DB_HOST", "127.0.0.1"),
            "PORT": os.environ.get("SSE_DB_PORT", "3306"),
            "OPTIONS": {"charset": "utf8mb4", "isolation_level": "read committed"},
            "TEST": {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
        }
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": sqlite_path}
