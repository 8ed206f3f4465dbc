"""SQLite for the workbench on Django < 5.1: every transaction starts with ``BEGIN IMMEDIATE``.

Django 5.1 added the ``"transaction_mode": "IMMEDIATE"`` option; older versions start transactions
with a plain (deferred) ``BEGIN``. A deferred transaction that reads and then writes cannot wait for
another writer: SQLite answers "database is locked" at once instead of honouring the busy timeout,
because waiting could deadlock. Taking the write lock at ``BEGIN`` makes concurrent writers queue
(up to the ``timeout`` option) instead of failing. See ``databases.sqlite_config``.
"""

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def _start_transaction_under_autocommit(self):
        self.cursor().execute("BEGIN IMMEDIATE")
