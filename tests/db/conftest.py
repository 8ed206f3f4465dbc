"""Fixtures for the server-database tests (threads: ``db.concurrency``; servers: ``db.plugin``).

The tests here are marked ``@pytest.mark.db``: skipped on SQLite (``make test``), run on PostgreSQL
and MariaDB by ``make test-db SSE_DB=...`` and CI. The server check, the MariaDB migration
workaround and the summary live in ``tests/db/plugin.py``.
"""

from __future__ import annotations

import pytest

from sse_academy_xblock.settings.databases import current_kind


@pytest.fixture
def server_db():
    """(kind, settings) of the server under test; the tests using it are server-only by nature."""
    from django.conf import settings

    kind = current_kind()
    if kind == "sqlite":
        pytest.skip("needs a server database")
    return kind, dict(settings.DATABASES["default"])
