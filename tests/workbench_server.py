"""A real workbench server for tests: ``django-admin runserver`` with our workbench settings, as ``make run`` serves it.

The server runs in its own process, on SQLite in a fresh folder (migrated first, as ``make run`` does) or on
the server database a ``db`` test already migrated; its console output goes to ``server.log`` there. Requests
are plain HTTP, with the csrftoken cookie sent back as ``X-CSRFToken``, as a browser or a script would. Used by
the browser tests, the live race tests and the tests of what ``make run`` shows.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager

import pytest

CSRF_COOKIE = re.compile(r"csrftoken=([A-Za-z0-9]+)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Reply:
    def __init__(self, status: int, headers, body: bytes):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip()

    def json(self):
        return json.loads(self.body)


class LiveWorkbench:
    """Start with :meth:`start`, stop with :meth:`stop` (both idempotent)."""

    def __init__(self, database: dict | None = None):
        self.workdir = tempfile.mkdtemp(prefix="sse-live-")
        self.var_dir = os.path.join(self.workdir, "var")
        self.env = dict(os.environ)
        self.env.update(DJANGO_SETTINGS_MODULE="sse_academy_xblock.settings.workbench", SSE_VAR_DIR=self.var_dir,
                        PYTHONUNBUFFERED="1")
        self.env.update(database or {"SSE_DB": "sqlite"})
        self.port = free_port()
        self.process = None
        self.log = None
        self.csrftoken = None

    @property
    def server_log(self) -> str:
        return os.path.join(self.workdir, "server.log")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def console_text(self) -> str:
        """What ``runserver`` printed so far (what a developer sees in the terminal of ``make run``)."""
        with open(self.server_log, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def tail(self, size: int = 4000) -> str:
        out = []
        for path in (self.server_log, os.path.join(self.var_dir, "workbench.log")):
            try:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    out.append(handle.read()[-size:])
            except OSError:
                pass
        return "\n".join(out)

    def start(self, migrate: bool = True, *runserver_args: str) -> "LiveWorkbench":
        command = [sys.executable, "-m", "django"]
        if migrate:
            done = subprocess.run([*command, "migrate", "--run-syncdb", "--noinput"], cwd=self.workdir, env=self.env,
                                  capture_output=True, text=True, timeout=300)
            if done.returncode != 0:
                raise RuntimeError(f"migrate failed:\n{done.stdout}\n{done.stderr}")
        self.log = open(self.server_log, "w")
        self.process = subprocess.Popen([*command, "runserver", f"127.0.0.1:{self.port}", "--noreload", *runserver_args],
                                        cwd=self.workdir, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while True:
            try:
                # The first request builds every scenario (the SDK does it lazily and unguarded): one request
                # at a time, with the default long timeout, so that no second build starts beside it.
                reply = self.request("GET", "/")
                if reply.status == 200:
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the workbench did not start:\n{self.tail()}")
            time.sleep(0.3)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        if self.log is not None:
            self.log.close()
            self.log = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    # --- requests --------------------------------------------------------------------------------

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                timeout: float = 120) -> Reply:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            data = response.read()
            reply = Reply(response.status, response.headers, data)
        finally:
            conn.close()
        match = CSRF_COOKIE.search(reply.headers.get("Set-Cookie") or "")
        if match:
            self.csrftoken = match.group(1)
        return reply

    def page(self, scenario: str, student: str) -> Reply:
        return self.request("GET", f"/scenario/{scenario}/?student={student}")

    def post(self, usage_id: str, handler: str, student: str | None, body: bytes,
             content_type: str = "application/json") -> Reply:
        """POST to a handler as ``student`` (None: the unauthenticated handler address)."""
        assert self.csrftoken, "open a page first: it sets the csrftoken cookie"
        path = (f"/handler/{usage_id}/{handler}/?student={student}" if student is not None
                else f"/unauth_handler/{usage_id}/{handler}/")
        headers = {"Content-Type": content_type, "X-CSRFToken": self.csrftoken,
                   "Cookie": f"csrftoken={self.csrftoken}"}
        return self.request("POST", path, body=body, headers=headers)

    def events(self) -> list[str]:
        """The lines of the events log (what blocks published: grade events)."""
        try:
            with open(os.path.join(self.var_dir, "workbench-events.log"), encoding="utf-8") as handle:
                return handle.read().splitlines()
        except OSError:
            return []


def usage_id_in(page_html: str, block_type: str = "sse_quiz") -> str:
    """The usage id of the first block of this type in a workbench page (from its init data)."""
    for match in re.finditer(r'<script type="application/json" class="sse-init">(.*?)</script>', page_html, re.S):
        data = json.loads(match.group(1))
        usage = data.get("usage_id") or ""
        if block_type in usage or not block_type:
            return usage
    raise AssertionError(f"no {block_type} init data in the page")


@contextmanager
def serve_workbench(*runserver_args: str):
    """A migrated SQLite workbench for the length of a ``with`` block; a start failure fails the test."""
    server = LiveWorkbench()
    try:
        server.start(True, *runserver_args)
    except RuntimeError as exc:
        server.cleanup()
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.cleanup()
