"""Server databases in the test suite, and the reliability figures printed at the end of a run.

Loaded by ``tests/conftest.py`` (``pytest_plugins``), so it applies to every test, wherever it lives:

- ``SSE_DB=sqlite`` (the default, ``make test``): tests marked ``@pytest.mark.db`` are skipped and the
  terminal summary says plainly that the server-database tests were not run.
- ``SSE_DB=postgresql|mariadb`` (``make test-db``, CI): the server must answer before anything runs
  (otherwise the run stops with the reason, never skipping silently), at least one ``db`` test must
  pass, and on MariaDB the test database is migrated with the documented workaround for
  edx-submissions' migration 0006 (see :func:`fake_submissions_0006_on_mariadb` and
  docs/operations.md).
- ``figures``: a session fixture where tests count what they did (races repeated, fuzz calls made,
  payloads tried); the counts are printed at the end of the run.
"""

from __future__ import annotations

import collections
import os
import threading

import pytest

from sse_academy_xblock.settings.databases import SERVER_KINDS, current_kind

# edx-submissions' migration that fails on MariaDB: it alters a ``uuid`` column of
# ``submissions_studentitem`` and ``submissions_score``, tables that have no such column.
BROKEN_ON_MARIADB = ("submissions", "0006_mariadb_uuid_conversion")

LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "mariadb": "MariaDB"}
# Figures printed at the end of every run, even when no test counted any.
ALWAYS_SHOWN = ("races repeated", "fuzz calls made", "XSS payloads tried", "hostile OLX documents refused",
                "HTTP submit races (20 parallel requests)")


class Figures:
    """Thread-safe counters that tests add to; printed in the terminal summary."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts: collections.Counter = collections.Counter()

    def add(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self._counts[name] += amount

    def get(self, name: str) -> int:
        with self._lock:
            return self._counts[name]

    def items(self):
        with self._lock:
            return sorted(self._counts.items())


FIGURES = Figures()
_db_outcomes: collections.Counter = collections.Counter()


@pytest.fixture(scope="session")
def figures() -> Figures:
    return FIGURES


@pytest.fixture
def server_db():
    """(kind, settings) of the server database under test; the tests using it are server-only by nature."""
    from django.conf import settings

    kind = current_kind()
    if kind == "sqlite":
        pytest.skip("needs a server database")
    return kind, dict(settings.DATABASES["default"])


def server_settings() -> dict:
    from django.conf import settings

    return settings.DATABASES["default"]


def raw_server_connection(kind: str, cfg: dict):
    """An autocommit driver connection to the server itself, not to a database (for CREATE/DROP DATABASE)."""
    host, port, user = cfg.get("HOST") or "127.0.0.1", int(cfg.get("PORT") or 0), cfg.get("USER")
    if kind == "postgresql":
        import psycopg

        return psycopg.connect(
            host=host, port=port, user=user, password=cfg.get("PASSWORD") or None, dbname="postgres",
            autocommit=True, connect_timeout=5,
        )
    try:
        import MySQLdb
    except ImportError as exc:
        raise RuntimeError(
            "the MariaDB driver mysqlclient is not installed: apt-get install libmariadb-dev pkg-config, "
            "then pip install -r requirements/mariadb.txt (make test-db does this)"
        ) from exc
    conn = MySQLdb.connect(host=host, port=port, user=user, passwd=cfg.get("PASSWORD") or "", connect_timeout=5)
    conn.autocommit(True)
    return conn


def server_execute(kind: str, cfg: dict, *statements: str) -> list:
    """Run statements on the server in autocommit; the rows of each (None for statements without rows)."""
    conn = raw_server_connection(kind, cfg)
    try:
        results = []
        for sql in statements:
            cursor = conn.cursor()
            cursor.execute(sql)
            results.append(cursor.fetchall() if cursor.description else None)
            cursor.close()
        return results
    finally:
        conn.close()


def check_server_reachable(kind: str, cfg: dict) -> str:
    """The server's version, or an exception saying why it cannot be reached."""
    (rows,) = server_execute(kind, cfg, "SELECT version()")
    version = rows[0][0]
    return version.split(" on ")[0] if kind == "postgresql" else f"MariaDB {version}"


def fake_submissions_0006_on_mariadb() -> None:
    """Record edx-submissions' 0006 as applied without running it, on MariaDB connections only.

    This is what an operator does with ``migrate submissions 0006_mariadb_uuid_conversion --fake``
    (docs/operations.md), applied to the test database that pytest-django creates and migrates in one
    ``migrate`` call. Why it is right on a fresh database: the migration's first statement converts
    ``submissions_submission.uuid`` to MariaDB's native ``uuid`` type, which is what Django 5 already
    creates (Django 4.2 creates and expects ``char(32)``); its second and third statements name a
    ``uuid`` column in ``submissions_studentitem`` and ``submissions_score``, which those models do not
    have, so MariaDB answers error 1054 "Unknown column 'uuid'" and the whole migrate stops.
    ``tests/db/test_migrations.py`` shows the failure and checks the resulting schema.
    """
    from django.db.migrations.executor import MigrationExecutor

    if getattr(MigrationExecutor.apply_migration, "sse_fakes", None):
        return
    original = MigrationExecutor.apply_migration

    def apply_migration(self, state, migration, fake=False, fake_initial=False):
        conn = self.connection
        if (migration.app_label, migration.name) == BROKEN_ON_MARIADB and conn.vendor == "mysql" and conn.mysql_is_mariadb:
            fake = True
        return original(self, state, migration, fake=fake, fake_initial=fake_initial)

    apply_migration.sse_fakes = BROKEN_ON_MARIADB
    MigrationExecutor.apply_migration = apply_migration


def pytest_sessionstart(session):
    kind = current_kind()
    session.config.sse_db_kind = kind
    session.config.sse_db_server = None
    if kind not in SERVER_KINDS:
        return
    cfg = server_settings()
    try:
        session.config.sse_db_server = check_server_reachable(kind, cfg)
    except Exception as exc:  # noqa: BLE001 - any failure to connect is reported as such
        pytest.exit(
            f"SSE_DB={kind}: the {LABELS[kind]} server at {cfg.get('HOST')}:{cfg.get('PORT')} cannot be reached "
            f"({exc}). Start it (see docs/operations.md) or run without SSE_DB for SQLite.",
            returncode=3,
        )
    if kind == "mariadb":
        fake_submissions_0006_on_mariadb()


def pytest_collection_modifyitems(config, items):
    if current_kind() in SERVER_KINDS:
        return
    skip = pytest.mark.skip(reason="needs a server database: SSE_DB=postgresql or SSE_DB=mariadb (make test-db)")
    for item in items:
        if item.get_closest_marker("db"):
            item.add_marker(skip)


def pytest_runtest_logreport(report):
    if "db" not in report.keywords:
        return
    if report.when == "call" or (report.when == "setup" and not report.passed):
        _db_outcomes["xfailed" if hasattr(report, "wasxfail") else report.outcome] += 1


def pytest_sessionfinish(session, exitstatus):
    kind = getattr(session.config, "sse_db_kind", "sqlite")
    if kind in SERVER_KINDS and exitstatus == 0 and _db_outcomes["passed"] == 0:
        # A server run that passed no database test proves nothing: fail it instead of passing falsely.
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    tr = terminalreporter
    kind = getattr(config, "sse_db_kind", current_kind())
    tr.section("databases and reliability figures")
    if kind in SERVER_KINDS:
        cfg = server_settings()
        tr.write_line(
            f"SSE_DB={kind}: {config.sse_db_server} at {cfg.get('HOST')}:{cfg.get('PORT')}; database tests: "
            f"{_db_outcomes['passed']} passed, {_db_outcomes['failed']} failed, {_db_outcomes['skipped']} skipped, "
            f"{_db_outcomes['xfailed']} xfailed (known bugs, see their reasons)."
        )
        if _db_outcomes["passed"] == 0:
            tr.write_line("No database test passed on this server: the run counts as failed.", red=True, bold=True)
    else:
        skipped = _db_outcomes["skipped"]
        tr.write_line(
            f"Server-database tests were NOT run ({skipped} test(s) marked `db` skipped on SQLite). Run them with "
            "`make test-db SSE_DB=postgresql` and `make test-db SSE_DB=mariadb` (CI runs both).",
            yellow=True, bold=True,
        )
    counts = dict(FIGURES.items())
    for name in ALWAYS_SHOWN:
        counts.setdefault(name, 0)
    for name, count in sorted(counts.items()):
        note = " (server-database tests not run)" if name == "races repeated" and kind not in SERVER_KINDS else ""
        tr.write_line(f"  {name}: {count:,}{note}")
