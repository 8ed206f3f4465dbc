"""Load: a course's learners over HTTP against gunicorn with several worker processes, a shared Redis cache
and a server database (``make bench-load``).

    SSE_DB=postgresql python -m bench.load                     # 100 learners for 60 s, 2 workers
    SSE_DB=postgresql python -m bench.load --learners 20 --seconds 10

What it does, in order:

1. a database of its own (``SSE_LOAD_DB_NAME``, ``sse_load`` unless set), dropped if it exists, created and
   migrated; the Redis database of the load settings (``SSE_REDIS_URL``, ``redis://127.0.0.1:6379/3``) emptied
   (Redis must be running: ``make bench-load`` starts ``redis-server`` when it is not);
2. gunicorn serving the workbench (:mod:`bench.load_wsgi`, settings :mod:`sse_academy_xblock.settings.load`)
   with ``--workers`` sync worker processes on a free port; the workbench reads fields and asides as an LMS
   does (:mod:`bench.runtime_as_lms`), or as the SDK has it with ``--sdk-runtime``;
3. the course's earlier learners (``--seed``): each answers the quiz and submits a case-study response,
   over HTTP, before anything is measured, so the profile has a cohort and the case study responses to review;
4. ``--learners`` simulated learners for ``--seconds``, each a thread with its own cookies, doing what a learner
   does in the course, one unit at a time, with a pause of ``--think`` seconds (drawn uniformly) between two
   requests: open the quiz unit, submit an attempt, open the case-study unit, submit a response (first time)
   or get a response to review and submit the review, open the profile unit. ``--staff`` of them are course
   staff instead: they open the three units (with their staff panels) and ask for the case study's list of
   responses and the profile's cohort table;
5. gunicorn stopped.

Reported per request type: count, median and 95th percentile (ms), errors (HTTP 5xx, a broken or refused
connection, a timeout) and refusals (HTTP 4xx: every simulated user does only what the blocks offer them);
requests per second, and per core of the machine (the client, gunicorn and the database share the cores).
Exits non-zero on any error or refusal, or when a learner request type's p95 is above ``--target-ms``.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import math
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

SETTINGS = "sse_academy_xblock.settings.load"
UNITS = {"quiz": "sse_load.quiz", "case": "sse_load.case", "profile": "sse_load.profile"}
STAFF_USERS = ("staff", "instructor")
REVIEW = {"options": {"analysis": 2, "rights": 1, "principles": 2}, "overall": "Clear and well argued."}
RESPONSE = ("The workers of a recovered enterprise exercise their rights at work through democratic member "
            "control: each member has one vote in the assembly, which decides wages, hours and safety. "
            "Convention No. 87 protects their freedom of association, and the cooperative principle of "
            "democratic member control turns that freedom into a daily practice of shared decisions.")
ANSWERS = ({"q1": "a", "q2": True}, {"q1": "b", "q2": True}, {"q1": "a", "q2": False}, {"q1": "b", "q2": False})
CSRF_COOKIE = re.compile(r"csrftoken=([A-Za-z0-9]+)")
INIT_DATA = re.compile(r'<script type="application/json" class="sse-init">(.*?)</script>', re.S)
BLOCK_USAGE = re.compile(r"data-usage='([^']+)'")
TIMEOUT = 30.0

# The request types, learners' first; "staff: ..." ones are not held to the learners' target.
LEARNER_TYPES = ("quiz unit page", "quiz submit", "case study unit page", "case: submit response",
                 "case: get a review", "case: submit review", "profile unit page")


# --- the database, Redis and gunicorn ------------------------------------------------------------------------

def database_name() -> str:
    return os.environ.get("SSE_LOAD_DB_NAME", "sse_load")


def recreate_database(name: str) -> None:
    """Drop and create ``name`` on the server that SSE_DB names, then migrate it (in this process)."""
    from sse_academy_xblock.settings.databases import current_kind, database_config

    kind = current_kind()
    if kind == "sqlite":
        raise SystemExit("bench.load: set SSE_DB=postgresql (or mariadb): SQLite serialises the workers' writes.")
    os.environ["SSE_DB_NAME"] = name
    cfg = database_config("")
    if kind == "postgresql":
        import psycopg

        with psycopg.connect(host=cfg["HOST"], port=int(cfg["PORT"]), user=cfg["USER"], dbname="postgres",
                             password=cfg["PASSWORD"] or None, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        import MySQLdb

        conn = MySQLdb.connect(host=cfg["HOST"], port=int(cfg["PORT"]), user=cfg["USER"], passwd=cfg["PASSWORD"],
                               connect_timeout=10)
        try:
            cursor = conn.cursor()
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
            cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        finally:
            conn.close()

    import django
    from django.core.management import call_command
    from django.db import connections

    from bench.common import fake_broken_submissions_migration

    django.setup()
    fake_broken_submissions_migration()
    call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)
    connections.close_all()


def empty_cache() -> str:
    """Empty the load settings' Redis database; its address (or SystemExit when Redis does not answer)."""
    import redis

    from django.conf import settings

    url = settings.CACHES["default"]["LOCATION"]
    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).flushdb()
    except redis.RedisError as exc:
        raise SystemExit(f"bench.load: Redis at {url} does not answer ({exc}); start it: "
                         "redis-server --daemonize yes --port 6379 --bind 127.0.0.1 (make bench-load does).")
    return url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    def __init__(self, workers: int, var_dir: str):
        self.workers = workers
        self.port = free_port()
        self.var_dir = var_dir
        self.process = None
        self.log_path = os.path.join(var_dir, "gunicorn.log")

    def start(self) -> "Gunicorn":
        env = dict(os.environ, DJANGO_SETTINGS_MODULE=SETTINGS, SSE_VAR_DIR=self.var_dir, PYTHONUNBUFFERED="1")
        command = [sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--worker-class", "sync",
                   "--bind", f"127.0.0.1:{self.port}", "--preload", "--backlog", "2048", "--timeout", "60",
                   "--graceful-timeout", "10", "--log-level", "warning", "--error-logfile", self.log_path,
                   "bench.load_wsgi:application"]
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        self.process = subprocess.Popen(command, cwd=root, env=env, start_new_session=True)
        deadline = time.monotonic() + 120
        while True:
            try:
                status, _headers, _body = request(self.port, "GET", "/scenario/sse_load.quiz/?student=warm-up")
                if status == 200:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"bench.load: gunicorn did not start; see {self.log_path}")
            time.sleep(0.5)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # the master stops its workers
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


# --- HTTP ----------------------------------------------------------------------------------------------------

def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


class Browser:
    """One user's requests: their csrftoken cookie, and the usage ids read from the pages they opened."""

    def __init__(self, port: int, student: str, record):
        self.port, self.student, self.record = port, student, record
        self.csrftoken = None
        self.usage = {}

    def _timed(self, kind: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        start = time.perf_counter()
        try:
            status, reply_headers, data = request(self.port, method, path, body, headers)
        except (OSError, http.client.HTTPException) as exc:
            self.record(kind, (time.perf_counter() - start) * 1000, None, f"{type(exc).__name__}: {exc}")
            return None, None
        self.record(kind, (time.perf_counter() - start) * 1000, status, data[:300])
        match = CSRF_COOKIE.search(reply_headers.get("Set-Cookie") or "")
        if match:
            self.csrftoken = match.group(1)
        return status, data

    def page(self, kind: str, unit: str) -> bool:
        status, data = self._timed(kind, "GET", f"/scenario/{UNITS[unit]}/?student={self.student}")
        if status != 200:
            return False
        if unit not in self.usage:
            html = data.decode("utf-8", "replace")
            block_type = {"quiz": "sse_quiz", "case": "sse_case_study", "profile": "sse_profile"}[unit]
            found = [json.loads(m.group(1)).get("usage_id") or "" for m in INIT_DATA.finditer(html)]
            found += BLOCK_USAGE.findall(html)  # the runtime's wrapper of each block (the profile has no init data)
            self.usage.update({unit: u for u in found[::-1] if block_type in u})
        return unit in self.usage

    def post(self, kind: str, unit: str, handler: str, body: dict):
        headers = {"Content-Type": "application/json", "X-CSRFToken": self.csrftoken or "",
                   "Cookie": f"csrftoken={self.csrftoken}"}
        status, data = self._timed(kind, "POST", f"/handler/{self.usage[unit]}/{handler}/?student={self.student}",
                                   json.dumps(body).encode(), headers)
        try:
            return status, (json.loads(data) if data else None)
        except ValueError:
            return status, None


# --- the run -------------------------------------------------------------------------------------------------

class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.timings = collections.defaultdict(list)
        self.refused = collections.Counter()
        self.errors = collections.Counter()
        self.first_errors = []
        self.until = float("inf")  # requests started after this (time.monotonic()) are not counted

    def record(self, kind: str, ms: float, status: int | None, detail) -> None:
        if time.monotonic() - ms / 1000 > self.until:
            return
        with self.lock:
            self.timings[kind].append(ms)
            if status is None or status >= 500:
                self.errors[kind] += 1
                if len(self.first_errors) < 5:
                    self.first_errors.append(f"{kind}: {status or ''} {detail!r}")
            elif status >= 400:
                self.refused[kind] += 1
                if len(self.first_errors) < 5:
                    self.first_errors.append(f"{kind} refused: {status} {detail!r}")


def seed(port: int, count: int, threads: int = 8) -> Tally:
    """``count`` earlier learners: each answers the quiz once and submits a case-study response."""
    tally = Tally()
    queue = list(range(count))
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                if not queue:
                    return
                index = queue.pop()
            browser = Browser(port, f"earlier-{index}", tally.record)
            if browser.page("seed: page", "quiz"):
                browser.post("seed: quiz", "quiz", "submit", {"attempt": 1, "answers": ANSWERS[index % len(ANSWERS)]})
            if browser.page("seed: page", "case"):
                browser.post("seed: response", "case", "submit_response", {"text": RESPONSE})

    workers = [threading.Thread(target=work, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return tally


def run(port: int, learners: int, staff: int, seconds: float, think: tuple[float, float]) -> tuple[Tally, float]:
    tally = Tally()
    barrier = threading.Barrier(learners + 1)
    stop = [0.0]

    def pause(rng):
        time.sleep(rng.uniform(*think))
        return time.monotonic() < stop[0]

    def learner(index: int):
        rng = random.Random(index)
        browser = Browser(port, f"learner-{index}", tally.record)
        barrier.wait()
        time.sleep(rng.uniform(0, think[1]))  # learners do not all click at the same instant
        attempt, responded = 1, False
        while time.monotonic() < stop[0]:
            if not browser.page("quiz unit page", "quiz"):
                pause(rng)
                continue
            if not pause(rng):
                break
            status, _ = browser.post("quiz submit", "quiz", "submit",
                                     {"attempt": attempt, "answers": rng.choice(ANSWERS)})
            attempt += 1 if status == 200 else 0
            if not pause(rng) or not browser.page("case study unit page", "case") or not pause(rng):
                continue
            if not responded:
                status, _ = browser.post("case: submit response", "case", "submit_response", {"text": RESPONSE})
                responded = status == 200
            else:
                status, data = browser.post("case: get a review", "case", "next_review", {"extra": True})
                review = ((data or {}).get("state") or {}).get("review") if status == 200 else None
                if review and pause(rng):
                    browser.post("case: submit review", "case", "submit_review",
                                 {"lease_id": review["lease_id"], "review": REVIEW})
            if pause(rng):
                browser.page("profile unit page", "profile")
            pause(rng)

    def staff_member(index: int):
        rng = random.Random(-1 - index)
        browser = Browser(port, STAFF_USERS[index % len(STAFF_USERS)], tally.record)
        barrier.wait()
        time.sleep(rng.uniform(0, think[1]))
        while time.monotonic() < stop[0]:
            if browser.page("staff: quiz unit page", "quiz") and pause(rng):
                pass
            if browser.page("staff: case study unit page", "case") and pause(rng):
                browser.post("staff: case study responses", "case", "staff_list", {})
            if pause(rng) and browser.page("staff: profile unit page", "profile") and pause(rng):
                browser.post("staff: profile cohort table", "profile", "staff_learners", {})
            pause(rng)

    threads = [threading.Thread(target=learner, args=(i,), daemon=True) for i in range(learners - staff)]
    threads += [threading.Thread(target=staff_member, args=(i,), daemon=True) for i in range(staff)]
    for thread in threads:
        thread.start()
    stop[0] = tally.until = time.monotonic() + seconds
    barrier.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join(max(1.0, stop[0] - time.monotonic()) + TIMEOUT + think[1] * 2)
    # Counted: the requests that started in the window (those still running at its end included).
    return tally, stop[0] - started


def p95(values: list[float]) -> float:
    """The 95th percentile, nearest rank: the smallest value that at least 95% of the values do not exceed."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def report(tally: Tally, elapsed: float, args, database: str, cache: str) -> dict:
    cores = os.cpu_count() or 1
    total = sum(len(v) for v in tally.timings.values())
    learner = [x for kind, v in tally.timings.items() if kind in LEARNER_TYPES for x in v]
    order = [*LEARNER_TYPES, *sorted(k for k in tally.timings if k not in LEARNER_TYPES)]
    return {
        "learners": args.learners, "staff": args.staff, "workers": args.workers, "seconds": round(elapsed, 1),
        "think_seconds": list(args.think), "seeded_learners": args.seed, "database": database, "cache": cache,
        "runtime": "sdk workbench" if args.sdk_runtime else "workbench as an LMS (bench/runtime_as_lms.py)",
        "cores": cores, "requests": total, "per_second": round(total / elapsed, 1),
        "per_second_per_core": round(total / elapsed / cores, 1),
        "learner_p50_ms": round(statistics.median(learner), 1) if learner else None,
        "learner_p95_ms": round(p95(learner), 1) if learner else None,
        "target_p95_ms": args.target_ms,
        "types": {
            kind: {"count": len(tally.timings[kind]), "p50_ms": round(statistics.median(tally.timings[kind]), 1),
                   "p95_ms": round(p95(tally.timings[kind]), 1), "errors": tally.errors[kind],
                   "refused": tally.refused[kind], "learner": kind in LEARNER_TYPES}
            for kind in order if tally.timings.get(kind)
        },
        "errors": sum(tally.errors.values()), "refused": sum(tally.refused.values()),
        "first_errors": tally.first_errors,
    }


def think_range(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    low, high = float(low), float(high or low)
    if not 0 <= low <= high:
        raise argparse.ArgumentTypeError("--think: MIN-MAX seconds, 0 <= MIN <= MAX")
    return low, high


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--learners", type=int, default=100, help="simulated users, staff included")
    parser.add_argument("--staff", type=int, default=5, help="how many of them are course staff")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--think", type=think_range, default=(1.0, 3.0),
                        help="seconds between two requests of one user, MIN-MAX (drawn uniformly)")
    parser.add_argument("--seed", type=int, default=300, help="earlier learners of the course")
    parser.add_argument("--target-ms", type=float, default=300.0, help="p95 target of each learner request type")
    parser.add_argument("--json", default="var/bench-load.json")
    parser.add_argument("--sdk-runtime", action="store_true",
                        help="the XBlock SDK's workbench as it is (a SELECT per field read, asides listed at every "
                             "render), not as an LMS reads fields and asides (bench/runtime_as_lms.py)")
    args = parser.parse_args(argv)
    if args.sdk_runtime:
        os.environ["SSE_LOAD_SDK_RUNTIME"] = "1"
    if not 0 <= args.staff < args.learners:
        parser.error("--staff must be below --learners")

    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    var_dir = os.path.abspath(os.path.join(os.environ.get("SSE_VAR_DIR", "var"), "load"))
    os.makedirs(var_dir, exist_ok=True)
    os.environ["SSE_VAR_DIR"] = var_dir
    name = database_name()
    recreate_database(name)
    cache = empty_cache()
    database = os.environ.get("SSE_DB", "sqlite")
    server = Gunicorn(args.workers, var_dir).start()
    print(f"bench.load: gunicorn with {args.workers} workers on 127.0.0.1:{server.port}, {database} "
          f"database {name}, cache {cache}")
    try:
        seeded = seed(server.port, args.seed)
        if seeded.errors or seeded.refused:
            print("bench.load: seeding the course failed: " + "; ".join(seeded.first_errors))
            return 1
        tally, elapsed = run(server.port, args.learners, args.staff, args.seconds, args.think)
    finally:
        server.stop()
    result = report(tally, elapsed, args, database, cache)
    os.makedirs(os.path.dirname(args.json) or ".", exist_ok=True)
    with open(args.json, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2)

    print(f"{result['learners']} users ({result['staff']} staff) for {result['seconds']} s, "
          f"{args.think[0]:g}-{args.think[1]:g} s between two requests of a user, {args.seed} earlier learners; "
          f"gunicorn {args.workers} workers, {database}, Redis cache; runtime: "
          f"{'the SDK workbench as it is' if args.sdk_runtime else 'fields and asides as an LMS (bench/runtime_as_lms.py)'}")
    print(f"{result['requests']} requests: {result['per_second']} per second, {result['per_second_per_core']} "
          f"per second per core ({result['cores']} cores); errors {result['errors']}, refusals {result['refused']}")
    print(f"  {'request':<30} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} {'refused':>8}")
    misses = []
    for kind, fig in result["types"].items():
        miss = fig["learner"] and fig["p95_ms"] > args.target_ms
        misses += [kind] if miss else []
        print(f"  {kind:<30} {fig['count']:>6} {fig['p50_ms']:>8} {fig['p95_ms']:>8} {fig['errors']:>7} "
              f"{fig['refused']:>8}{'  MISS' if miss else ''}")
    print(f"  learner requests: p50 {result['learner_p50_ms']} ms, p95 {result['learner_p95_ms']} ms "
          f"(target: p95 <= {args.target_ms:g} ms for each learner request type)")
    for error in result["first_errors"]:
        print("  " + error)
    if misses:
        print("bench.load: p95 above the target for " + ", ".join(misses))
    return 1 if result["errors"] or result["refused"] or misses else 0


if __name__ == "__main__":
    sys.exit(main())
