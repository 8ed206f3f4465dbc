"""Shared fixtures: blocks on the workbench's real runtime, handler calls as any user."""

from __future__ import annotations

import json
import uuid

import pytest
import webob


def pytest_report_header(config):
    import os

    return f"database: {os.environ.get('SSE_DB', 'sqlite')}"


class BlockFactory:
    """Builds blocks from OLX on the workbench runtime and re-opens them as other users."""

    def __init__(self):
        from workbench.runtime import ID_MANAGER

        self._ids = ID_MANAGER

    def __call__(self, xml: str, user: str = "student_1"):
        from workbench.runtime import WorkbenchRuntime

        runtime = WorkbenchRuntime(user)
        self._ids.set_scenario(f"test-{uuid.uuid4().hex[:12]}")
        usage_id = runtime.parse_xml_string(xml)
        return runtime.get_block(usage_id)

    @staticmethod
    def as_user(block, user: str):
        """The same block (same usage) seen by another workbench user."""
        from workbench.runtime import WorkbenchRuntime

        return WorkbenchRuntime(user).get_block(block.scope_ids.usage_id)


@pytest.fixture
def make_block(db):
    return BlockFactory()


def call_handler(block, name: str, body=None, method: str = "POST", raw: bytes | None = None):
    """Call a handler as the block's runtime would; returns (status, parsed JSON or text)."""
    if raw is None:
        raw = b"" if body is None else json.dumps(body).encode("utf-8")
    request = webob.Request.blank("/", method=method, body=raw, content_type="application/json")
    response = block.handle(name, request)
    text = response.body.decode("utf-8") if response.body else ""
    if response.content_type == "application/json":
        return response.status_code, (json.loads(text) if text else None)
    return response.status_code, text


@pytest.fixture
def call():
    return call_handler


# Server databases (SSE_DB), the `db` marker and the reliability figures: see tests/db/plugin.py.
pytest_plugins = ["db.plugin"]
