"""Where a request's worker time goes: the load course's requests in one process, sampled on CPU time.

    SSE_DB=postgresql python -m bench.reqcost                 # 40 requests of each type after warm-up
    SSE_DB=postgresql python -m bench.reqcost --repeat 100 --top 25

It builds the load course of ``make bench-load`` (:mod:`bench.load_wsgi`, settings
:mod:`sse_academy_xblock.settings.load`) in a database of its own (``SSE_REQCOST_DB_NAME``, ``sse_reqcost``
unless set; dropped, created and migrated) with a Redis database of its own (``SSE_REDIS_URL``,
``redis://127.0.0.1:6379/5`` unless set, emptied), seeds ``--seed`` earlier learners, then sends each request
type of the load run through Django's test client (the whole WSGI stack, middleware and the workbench's views
included, no HTTP socket), warm-up requests first, then ``--repeat`` measured ones.

Per request type it reports the process CPU time per request (``time.process_time``) and where it went, from a
CPU-time profiler (``setitimer(ITIMER_PROF)``, a sample every ``--interval`` ms of CPU, as the kernel's clock
allows): the innermost frame of the sampled stack that belongs to the database layer (Django's ORM, a driver),
the cache client (Redis), the XBlock SDK (XBlock, xblock-sdk's workbench) or our package decides; library frames
below it (Babel, nh3, templates, json...) are charged to it. Database time is split by who asked for the
statement: the runtime (the workbench's field storage) or our code. "runtime" also holds Django's request
handling. Statements: count and wall time per request, by the function that issued them (a wrapper around every
statement of the connection). The run is one process and one thread: it measures cost, not concurrency.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import signal
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sse_academy_xblock.settings.load")
os.environ.setdefault("SSE_DB", "postgresql")
os.environ.setdefault("SSE_REDIS_URL", "redis://127.0.0.1:6379/5")
os.environ["SSE_LOAD_DB_NAME"] = os.environ.get("SSE_REQCOST_DB_NAME", "sse_reqcost")

OURS = os.sep + "sse_academy_xblock" + os.sep
DB_PARTS = (os.sep + "django" + os.sep + "db" + os.sep, os.sep + "psycopg" + os.sep, os.sep + "MySQLdb" + os.sep,
            os.sep + "sqlite3" + os.sep)
CACHE_PARTS = (os.sep + "redis" + os.sep, os.sep + "django" + os.sep + "core" + os.sep + "cache" + os.sep)
SDK_PARTS = (os.sep + "xblock" + os.sep, os.sep + "workbench" + os.sep)
LIBS = (("babel", os.sep + "babel" + os.sep), ("nh3/bleach", os.sep + "nh3"), ("mako", os.sep + "mako" + os.sep),
        ("django templates", os.sep + "django" + os.sep + "template" + os.sep),
        ("gettext/translation", os.sep + "gettext.py"), ("django i18n", os.sep + "django" + os.sep + "utils"
                                                        + os.sep + "translation" + os.sep),
        ("json", os.sep + "json" + os.sep), ("lxml/xml", os.sep + "lxml" + os.sep), ("xml", os.sep + "xml" + os.sep),
        ("markupsafe", os.sep + "markupsafe" + os.sep), ("re", os.sep + "re" + os.sep))


def classify(frame) -> tuple[str, str, str]:
    """(category, what our code had called, our function) of one sampled stack.

    The innermost frame that belongs to the database layer, the cache client, the SDK (XBlock, workbench) or our
    package decides; library frames below it (Babel, templates, json...) are charged to it.
    """
    lib = None
    f = frame
    while f is not None:
        name = f.f_code.co_filename
        if any(part in name for part in DB_PARTS):
            origin = statement_origin(f)
            return "database: " + origin.split(":", 1)[0], "", ""
        if any(part in name for part in CACHE_PARTS):
            return "cache (Redis client)", "", ""
        if any(part in name for part in SDK_PARTS):
            return "runtime (XBlock, workbench, Django)", lib or "", sdk_function(f)
        if OURS in name:
            return "ours", lib or "our own Python", f"{name.split(OURS, 1)[1]}:{f.f_code.co_name}"
        if lib is None:
            lib = next((label for label, part in LIBS if part in name), None)
        f = f.f_back
    return "runtime (XBlock, workbench, Django)", "", ""


class Sampler:
    def __init__(self, interval_ms: float):
        self.interval = interval_ms / 1000
        self.samples = collections.Counter()
        self.active = False

    def _handler(self, signum, frame):
        if self.active:
            self.samples[classify(frame)] += 1

    def __enter__(self):
        signal.signal(signal.SIGPROF, self._handler)
        signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)
        return self

    def __exit__(self, *exc):
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, signal.SIG_DFL)


def sdk_function(frame) -> str:
    """The outermost SDK function below the workbench's view: what the runtime was doing (rendering, asides,
    field access...), not which helper it was in."""
    label = None
    f = frame
    while f is not None:
        name = f.f_code.co_filename
        if OURS in name:
            break
        if any(part in name for part in SDK_PARTS) and f.f_code.co_name not in ("render", "render_child",
                                                                                 "render_children", "view"):
            label = name.rsplit(os.sep, 2)[-2] + "/" + name.rsplit(os.sep, 1)[-1] + ":" + f.f_code.co_name
            if f.f_code.co_name in ("show_scenario", "handler", "_wrap_ele", "render_asides", "wrap_xblock",
                                    "__get__", "__set__", "get_block", "handle"):
                break
        f = f.f_back
    return label or ""


def statement_origin(frame=None) -> str:
    """Who issued the statement being run: the innermost frame of the SDK or of our package."""
    f = frame or sys._getframe(2)
    while f is not None:
        name = f.f_code.co_filename
        if any(part in name for part in SDK_PARTS):
            return "runtime: " + name.rsplit(os.sep, 2)[-2] + "/" + name.rsplit(os.sep, 1)[-1] + ":" + f.f_code.co_name
        if OURS in name:
            return "ours: " + name.split(OURS, 1)[1] + ":" + f.f_code.co_name
        f = f.f_back
    return "other"


class Statements:
    def __init__(self):
        self.count = 0
        self.seconds = 0.0
        self.origins = collections.Counter()

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1
            self.origins[statement_origin()] += 1


def prepare(seed: int):
    from bench.load import recreate_database

    recreate_database(os.environ["SSE_LOAD_DB_NAME"])
    from bench.load import empty_cache

    empty_cache()
    import bench.load_wsgi  # noqa: F401  (builds the load course's scenarios)
    from django.test import Client

    return Client


class Learner:
    """One workbench user's requests through the test client; the usage ids come from the pages."""

    def __init__(self, client_class, student: str):
        self.client = client_class(HTTP_HOST="127.0.0.1")
        self.student = student
        self.usage = {}

    def page(self, unit: str):
        from bench.load import BLOCK_USAGE, INIT_DATA, UNITS

        response = self.client.get(f"/scenario/{UNITS[unit]}/", {"student": self.student})
        assert response.status_code == 200, (unit, response.status_code)
        if unit not in self.usage:
            html = response.content.decode()
            block_type = {"quiz": "sse_quiz", "case": "sse_case_study", "profile": "sse_profile"}[unit]
            found = [json.loads(m.group(1)).get("usage_id") or "" for m in INIT_DATA.finditer(html)]
            found += BLOCK_USAGE.findall(html)
            self.usage.update({unit: u for u in found[::-1] if block_type in u})
        return response

    def post(self, unit: str, handler: str, body: dict, expect=200):
        response = self.client.post(f"/handler/{self.usage[unit]}/{handler}/?student={self.student}",
                                    json.dumps(body), content_type="application/json")
        assert response.status_code == expect, (handler, response.status_code, response.content[:300])
        return response.json() if response.content else None


def request_plan(client_class, seed: int, repeat: int, warm: int):
    """(type, callable) pairs, warm-up first, each callable one request."""
    from bench.load import ANSWERS, RESPONSE, REVIEW

    earlier = []
    for index in range(seed):
        learner = Learner(client_class, f"earlier-{index}")
        learner.page("quiz")
        learner.post("quiz", "submit", {"attempt": 1, "answers": ANSWERS[index % len(ANSWERS)]})
        learner.page("case")
        learner.post("case", "submit_response", {"text": RESPONSE})
        earlier.append(learner)
    staff = Learner(client_class, "staff")
    for unit in ("quiz", "case", "profile"):
        staff.page(unit)
    count = warm + repeat
    fresh = [Learner(client_class, f"learner-{i}") for i in range(count)]
    for learner in fresh:
        learner.page("quiz")
        learner.page("case")
        learner.page("profile")
    attempts = collections.Counter()
    state = {}

    def quiz_submit(learner):
        attempts[learner.student] += 1
        learner.post("quiz", "submit", {"attempt": attempts[learner.student], "answers": ANSWERS[0]})

    def get_review(learner):
        data = learner.post("case", "next_review", {"extra": True})
        state[learner.student] = data["state"]["review"]["lease_id"]

    def submit_review(learner):
        learner.post("case", "submit_review", {"lease_id": state.pop(learner.student), "review": REVIEW})

    types = [
        ("quiz unit page", lambda i: fresh[i].page("quiz")),
        ("quiz submit", lambda i: quiz_submit(fresh[i])),
        ("case study unit page", lambda i: fresh[i].page("case")),
        ("case: submit response", lambda i: fresh[i].post("case", "submit_response", {"text": REVIEW["overall"] * 20})),
        ("case: get a review", lambda i: get_review(fresh[i])),
        ("case: submit review", lambda i: submit_review(fresh[i])),
        ("profile unit page", lambda i: fresh[i].page("profile")),
        ("staff: quiz unit page", lambda i: staff.page("quiz")),
        ("staff: case study unit page", lambda i: staff.page("case")),
        ("staff: profile unit page", lambda i: staff.page("profile")),
        ("staff: case study responses", lambda i: staff.post("case", "staff_list", {})),
        ("staff: profile cohort table", lambda i: staff.post("profile", "staff_learners", {})),
    ]
    return types, count


def measure(args) -> dict:
    client_class = prepare(args.seed)
    from django.db import connection

    types, count = request_plan(client_class, args.seed, args.repeat, args.warm)
    results = {}
    for kind, call in types:
        for i in range(args.warm):
            call(i)
        statements = Statements()
        sampler = Sampler(args.interval)
        cpu, wall = [], []
        with sampler, connection.execute_wrapper(statements):
            for i in range(args.warm, count):
                start_cpu, start_wall = time.process_time(), time.perf_counter()
                sampler.active = True
                call(i)
                sampler.active = False
                cpu.append((time.process_time() - start_cpu) * 1000)
                wall.append((time.perf_counter() - start_wall) * 1000)
        n = len(cpu)
        total = sum(sampler.samples.values()) or 1
        cpu_median = statistics.median(cpu)
        by_category = collections.Counter()
        by_lib = collections.Counter()
        by_function = collections.Counter()
        by_sdk = collections.Counter()
        for (category, lib, function), value in sampler.samples.items():
            by_category[category] += value
            if category == "ours":
                by_lib[lib] += value
                by_function[function] += value
            elif category.startswith("runtime"):
                by_sdk[function or "Django (request, middleware)"] += value
        cpu_mean = statistics.fmean(cpu)
        results[kind] = {
            "requests": n,
            "cpu_ms_median": round(cpu_median, 2), "cpu_ms_mean": round(cpu_mean, 2),
            "wall_ms_median": round(statistics.median(wall), 2),
            "statements_per_request": round(statements.count / n, 2),
            "statement_ms_per_request": round(statements.seconds * 1000 / n, 2),
            "statements_by_origin": {o: round(v / n, 2) for o, v in statements.origins.most_common()},
            "samples": total,
            "cpu_ms_by_category": {c: round(cpu_mean * v / total, 2) for c, v in by_category.most_common()},
            "ours_ms_by_callee": {c: round(cpu_mean * v / total, 2) for c, v in by_lib.most_common()},
            "runtime_top_functions": {c: round(cpu_mean * v / total, 2) for c, v in by_sdk.most_common(6)},
            "ours_top_functions": {c: round(cpu_mean * v / total, 2) for c, v in by_function.most_common(args.top)},
        }
    return results


def print_results(results: dict) -> None:
    categories = ("runtime (XBlock, workbench, Django)", "ours", "database: runtime", "database: ours",
                  "cache (Redis client)")
    print(f"{'request':32} {'CPU ms':>7} {'wall ms':>8} | {'runtime':>8} {'ours':>6} {'db:rt':>6} {'db:ours':>7}"
          f" {'cache':>6} |"
          f" {'stmts':>6} {'stmt ms':>7}")
    for kind, r in results.items():
        c = r["cpu_ms_by_category"]
        print(f"{kind:32} {r['cpu_ms_mean']:7.1f} {r['wall_ms_median']:8.1f} | "
              + " ".join(f"{c.get(k, 0):{w}.1f}" for k, w in zip(categories, (8, 6, 6, 7, 6)))
              + f" | {r['statements_per_request']:6.1f} {r['statement_ms_per_request']:7.1f}")
    print()
    for kind, r in results.items():
        print(f"{kind}: ours by callee {r['ours_ms_by_callee']}")
        print(f"    top: {r['ours_top_functions']}")
        print(f"    runtime: {r['runtime_top_functions']}")
        print(f"    statements: {r['statements_by_origin']}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reqcost")
    parser.add_argument("--seed", type=int, default=60, help="earlier learners (quiz answered, response submitted)")
    parser.add_argument("--warm", type=int, default=5, help="warm-up requests of each type, not measured")
    parser.add_argument("--repeat", type=int, default=40, help="measured requests of each type")
    parser.add_argument("--interval", type=float, default=0.5, help="CPU milliseconds between two samples")
    parser.add_argument("--top", type=int, default=12, help="our functions listed per request type")
    parser.add_argument("--json", default="var/bench-reqcost.json")
    parser.add_argument("--sdk-runtime", action="store_true",
                        help="the XBlock SDK's workbench as it is (a SELECT per field read, asides listed at every "
                             "render), not as an LMS reads fields and asides (bench/runtime_as_lms.py)")
    args = parser.parse_args(argv)
    if args.sdk_runtime:
        os.environ["SSE_LOAD_SDK_RUNTIME"] = "1"
    results = measure(args)
    print_results(results)
    if args.json:
        os.makedirs(os.path.dirname(args.json) or ".", exist_ok=True)
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results, out, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
