"""The load run's runtime: the workbench's, with two of its costs taken out as the LMS takes them out.

**Field storage.**

The XBlock SDK's workbench keeps the fields of one (scope, block, learner) in one database row
(``workbench.models.XBlockState``) and reads that row again for every ``has`` and every ``get`` of every
field, each read a ``SELECT`` (``get_or_create``): 28 to 45 statements per request of the load course,
about half of a worker's processor time (``make bench-reqcost``). The LMS does not: its ``FieldDataCache``
reads the learner's state of a unit's blocks with one query per block type, and content and settings
come from the course structure its modulestore caches per published version.

:func:`install` keeps, for the length of one request, each row the store has read, so that a row is
read once per request (and created, as the SDK does, when it is missing). Everything else is the
SDK's: the same rows, the same JSON in them, every value parsed again from the row's text at every
read (a caller that changes a value it read changes nothing stored), every write saved to the
database at once. The rows kept are forgotten when a request starts and when it ends, so a request
reads what other processes wrote before it; within one request, only this request writes the
learner's rows (a gunicorn sync worker serves one request at a time).

**Asides.** The XBlock runtime's default ``applicable_aside_types`` lists the installed aside classes from
the packages' entry points (``importlib.metadata``) at every block rendered, twice per page here; the
LMS offers asides only when its ``XBlockAsidesConfig`` (a configuration model, off by default) is
enabled (edx-platform ``lms/djangoapps/lms_xblock/runtime.py``, ``lms_applicable_aside_types``), so
:func:`install` answers that no aside applies, as an LMS with the default configuration does.

``make bench-load`` and ``make bench-reqcost`` install both unless ``SSE_LOAD_SDK_RUNTIME=1``
(``--sdk-runtime``) asks for the SDK's workbench as it is.
"""

from __future__ import annotations

import json
import os
import threading

_local = threading.local()
_sdk: dict = {}  # the store's own methods, while replaced


def sdk_runtime() -> bool:
    """True when the run asks for the SDK's workbench as it is (a read per field access, asides listed)."""
    return os.environ.get("SSE_LOAD_SDK_RUNTIME", "") == "1"


def _rows() -> dict:
    rows = getattr(_local, "rows", None)
    if rows is None:
        rows = _local.rows = {}
    return rows


def forget(**_kwargs) -> None:
    """Forget the rows read (at the start and the end of every request)."""
    _local.rows = {}


def _no_asides(self, block):
    return []


def install() -> None:
    """Put the per-request rows in front of the workbench's key-value store, and no asides (idempotent)."""
    from django.core.signals import request_finished, request_started
    from workbench.models import XBlockState
    from workbench.runtime import WorkbenchDjangoKeyValueStore as Store, WorkbenchRuntime

    if getattr(Store, "_rows_per_request", False):
        return

    def row(key):
        identity = (key.scope, key.block_scope_id, key.user_id)
        rows = _rows()
        found = rows.get(identity)
        if found is None:
            found = rows[identity] = XBlockState.get_for_key(key)
        return found

    def get(self, key):
        return json.loads(row(key).state)[key.field_name]

    def has(self, key):
        return key.field_name in json.loads(row(key).state)

    def set_(self, key, value):
        record = row(key)
        state = json.loads(record.state)
        state[key.field_name] = value
        record.state = self._to_json_str(state)
        record.save()

    def delete(self, key):
        record = row(key)
        state = json.loads(record.state)
        del state[key.field_name]
        record.state = self._to_json_str(state)
        record.save()

    _sdk.update({name: Store.__dict__[name] for name in ("get", "has", "set", "delete")})
    Store.get, Store.has, Store.set, Store.delete = get, has, set_, delete
    WorkbenchRuntime.applicable_aside_types = _no_asides
    Store._rows_per_request = True
    request_started.connect(forget, weak=False, dispatch_uid="sse-bench-field-rows-start")
    request_finished.connect(forget, weak=False, dispatch_uid="sse-bench-field-rows-end")


def uninstall() -> None:
    """Give the workbench's store and runtime back their own methods (tests)."""
    from django.core.signals import request_finished, request_started
    from workbench.runtime import WorkbenchDjangoKeyValueStore as Store, WorkbenchRuntime

    if not getattr(Store, "_rows_per_request", False):
        return
    for name, method in _sdk.items():
        setattr(Store, name, method)
    Store._rows_per_request = False
    if WorkbenchRuntime.__dict__.get("applicable_aside_types") is _no_asides:
        del WorkbenchRuntime.applicable_aside_types
    request_started.disconnect(dispatch_uid="sse-bench-field-rows-start")
    request_finished.disconnect(dispatch_uid="sse-bench-field-rows-end")
    forget()
