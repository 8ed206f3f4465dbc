"""A live workbench and Debian's Chromium, driven by Playwright.

Browser tests skip when Playwright or Chromium is missing, unless ``SSE_REQUIRE_BROWSER=1``
(set by ``.ci/run``), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest

from workbench_server import serve_workbench

CHROMIUM = os.environ.get("SSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
REQUIRED = os.environ.get("SSE_REQUIRE_BROWSER", "") not in ("", "0", "false")


def _unavailable(reason: str):
    if REQUIRED:
        pytest.fail(f"browser tests are mandatory here (SSE_REQUIRE_BROWSER=1) but {reason}", pytrace=False)
    pytest.skip(f"browser not available: {reason}")


@pytest.fixture(scope="session")
def workbench_url():
    """Serve the workbench with our settings on a free port, on a fresh SQLite database."""
    with serve_workbench("--nothreading") as bench:
        yield bench.url


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module; Playwright is stopped afterwards so later tests run without its loop."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    if not os.path.exists(CHROMIUM):
        _unavailable(f"{CHROMIUM} does not exist (apt-get install chromium)")
    manager = sync_playwright().start()
    try:
        chromium = manager.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    except Exception as exc:  # noqa: BLE001 - any launch failure means no browser here
        manager.stop()
        _unavailable(f"Chromium did not start: {exc}")
    yield chromium
    chromium.close()
    manager.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()
