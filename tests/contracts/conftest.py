"""The contract tests' LMS: the platform's packaged apps and replays (``platform_replay``), and blocks
whose usage ids are LMS usage keys."""

from __future__ import annotations

import pytest

from .platform_replay import FakeLMS, LMSBlocks


@pytest.fixture
def lms(db, monkeypatch):
    fake = FakeLMS()
    fake.install_platform_modules(monkeypatch)
    yield fake
    fake.close()


@pytest.fixture
def make_lms_block(db):
    return LMSBlocks()
