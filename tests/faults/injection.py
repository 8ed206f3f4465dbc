"""Database faults for tests: fail the Nth statement of a request, snapshot what is stored.

:class:`FailAt` is a Django database execute wrapper (``connection.execute_wrapper``): it counts the
statements run on the current thread's connection while installed and fails the ``n``-th one,
without running it, with the :class:`~django.db.OperationalError` a dropped connection or a busy
server gives; with ``down=True`` every statement from the ``n``-th on fails (a server that stopped).
``n=None`` only counts. :func:`stored` reads every row of our tables, edx-submissions'
and the workbench's learner state, to compare before and after a failed request.
"""

from __future__ import annotations

import contextlib

from django.apps import apps
from django.db import OperationalError, connection

STORED_APPS = ("sse_academy_xblock", "submissions", "workbench")


class FailAt:
    def __init__(self, n: int | None = None, down: bool = False):
        self.n = n
        self.down = down
        self.count = 0
        self.fired = False
        self.failed_sql = None
        self.statements: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        self.statements.append(str(sql))
        if self.n is not None and (self.count == self.n or (self.down and self.count > self.n)):
            self.fired = True
            self.failed_sql = sql
            raise OperationalError(f"injected fault at statement {self.n}: the connection was lost")
        return execute(sql, params, many, context)

    @contextlib.contextmanager
    def installed(self):
        with connection.execute_wrapper(self):
            yield self


def stored() -> dict:
    """Every row of the stored apps' tables, as sorted tuples per table."""
    rows = {}
    for label in STORED_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models():
            fields = [f.attname for f in model._meta.concrete_fields]  # noqa: SLF001
            rows[model._meta.db_table] = sorted(  # noqa: SLF001
                (tuple(repr(v) for v in row) for row in model.objects.values_list(*fields)))
    return rows


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
