"""A real workbench server (`make run`'s stack: Django's runserver with our workbench settings) for tests.

Used by the browser tests and by the tests that check what `make run` shows. The server runs on a free
port with a fresh SQLite database in a temporary folder; its console output goes to ``server.log`` there.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path: str, size: int = 3000) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()[-size:]
    except OSError:
        return ""


class Workbench:
    def __init__(self, url: str, workdir: str):
        self.url = url
        self.workdir = workdir
        self.console = os.path.join(workdir, "server.log")

    def console_text(self) -> str:
        with open(self.console, encoding="utf-8", errors="replace") as handle:
            return handle.read()


@contextlib.contextmanager
def serve_workbench(*runserver_args: str):
    """Migrate a fresh workbench database, serve it, wait for the index to answer, stop it afterwards."""
    workdir = tempfile.mkdtemp(prefix="sse-workbench-")
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="sse_academy_xblock.settings.workbench",
        SSE_DB="sqlite",
        SSE_VAR_DIR=os.path.join(workdir, "var"),
        PYTHONUNBUFFERED="1",
    )
    django_admin = [sys.executable, "-m", "django"]
    migrate = subprocess.run(
        [*django_admin, "migrate", "--run-syncdb", "--noinput"], cwd=workdir, env=env, capture_output=True, text=True
    )
    if migrate.returncode != 0:
        pytest.fail(f"workbench migrate failed:\n{migrate.stdout}\n{migrate.stderr}", pytrace=False)
    port = free_port()
    bench = Workbench(f"http://127.0.0.1:{port}", workdir)
    log = open(bench.console, "w")
    server = subprocess.Popen(
        [*django_admin, "runserver", f"127.0.0.1:{port}", "--noreload", *runserver_args],
        cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    last_error = None
    while True:
        try:
            # A long timeout: the first request builds every scenario, and a second request sent while that
            # runs would rebuild them at the same time (the SDK builds them lazily, unguarded).
            with opener.open(bench.url + "/", timeout=120) as response:
                if response.status == 200:
                    break
        except OSError as exc:
            last_error = exc
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            log.close()
            details = tail(bench.console) + tail(os.path.join(workdir, "var", "workbench.log"))
            pytest.fail(f"the workbench index did not answer 200 ({last_error}):\n{details}", pytrace=False)
        time.sleep(0.3)
    try:
        yield bench
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)
