"""Fixtures for the server-database tests (threads: ``db.concurrency``; servers: ``db.plugin``).

The tests here are marked ``@pytest.mark.db``: skipped on SQLite (``make test``), run on PostgreSQL
and MariaDB by ``make test-db SSE_DB=...`` and CI. The server check, the MariaDB migration
workaround, the ``server_db`` fixture and the summary live in ``tests/db/plugin.py``.
"""
