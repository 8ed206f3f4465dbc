"""Fixtures of the live-server tests (the server itself: ``live.server``)."""

from __future__ import annotations

import pytest

from sse_academy_xblock.settings.databases import current_kind


@pytest.fixture
def server_db():
    """(kind, settings) of the server database under test (see tests/db/conftest.py)."""
    from django.conf import settings

    kind = current_kind()
    if kind == "sqlite":
        pytest.skip("needs a server database")
    return kind, dict(settings.DATABASES["default"])
