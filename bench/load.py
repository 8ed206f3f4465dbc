"""Load: learners submitting quizzes, asking for reviews and submitting reviews, through the handlers.

    SSE_DB=postgresql python -m bench.load                 # 50 threads for 30 s (make bench-load)
    SSE_DB=postgresql python -m bench.load --threads 20 --seconds 10

Each thread is one learner in a browser: it calls the blocks' JSON handlers on the workbench runtime
(the same code path as a request, with its own database connection), one after the other, as fast
as the server answers. A learner first submits the case study's response, then loops: submit a quiz
attempt, ask for a review, submit it (or ask for an extra one once their own reviews are given).
Reported: requests per second, median and 95th percentile per handler, and errors (any HTTP 5xx or
exception); a handler's refusal (4xx, e.g. "nothing to review right now") is counted apart.
It exits non-zero on any error.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import sys
import threading
import time
import traceback
import uuid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sse_academy_xblock.settings.test")

# Unlimited attempts, and another attempt allowed after a full score (a full score is otherwise final,
# and every later submit would rightly be refused).
QUIZ = """<sse_quiz display_name="Load quiz" max_attempts="0" show_answer="always" retry_after_full="true">
  <question id="q1" type="single"><prompt>Which body adopted the Decent Work Agenda?</prompt>
    <choice id="a" correct="true">The ILO</choice><choice id="b">The WTO</choice></question>
  <question id="q2" type="truefalse" answer="true"><prompt>Cooperatives are member-owned.</prompt></question>
</sse_quiz>"""
REVIEW = {"options": {"analysis": 2, "rights": 1, "principles": 2}, "overall": "Clear and well argued."}
RESPONSE = ("The workers of a recovered enterprise exercise their rights at work through democratic member "
            "control: each member has one vote in the assembly, which decides wages, hours and safety. "
            "Convention No. 87 protects their freedom of association, and the cooperative principle of "
            "democratic member control turns that freedom into a daily practice of shared decisions.")


def _case_study_xml() -> str:
    from pathlib import Path

    import sse_academy_xblock

    path = Path(sse_academy_xblock.__file__).parent / "scenarios" / "sse_case_study__a-recovered-factory.xml"
    return path.read_text(encoding="utf-8")


def _blocks():
    from workbench.runtime import ID_MANAGER, WorkbenchRuntime

    runtime = WorkbenchRuntime("load-author")
    ID_MANAGER.set_scenario(f"load-{uuid.uuid4().hex[:8]}")
    quiz = runtime.parse_xml_string(QUIZ)
    case = runtime.parse_xml_string(_case_study_xml())
    return quiz, case


def _call(usage_id, runtime, handler: str, body: dict):
    import webob

    block = runtime.get_block(usage_id)
    request = webob.Request.blank("/", method="POST", body=json.dumps(body).encode(), content_type="application/json")
    response = block.handle(handler, request)
    data = json.loads(response.body) if response.content_type == "application/json" and response.body else None
    return response.status_code, data


def run(threads: int, seconds: float) -> dict:
    from django.db import connections

    quiz, case = _blocks()
    timings = collections.defaultdict(list)
    refused = collections.Counter()
    errors = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads + 1)
    stop = [0.0]

    def timed(user, usage, handler, body):
        start = time.perf_counter()
        try:
            status, data = _call(usage, user, handler, body)
        except Exception:  # noqa: BLE001 - an error of the run, reported below
            with lock:
                errors.append(f"{handler}: {traceback.format_exc(limit=3)}")
            return None, None
        elapsed = (time.perf_counter() - start) * 1000
        with lock:
            timings[handler].append(elapsed)
            if status >= 500:
                errors.append(f"{handler}: HTTP {status} {data}")
            elif status >= 400:
                refused[f"{handler} {status}"] += 1
        return status, data

    def learner(index: int):
        from workbench.runtime import WorkbenchRuntime

        user = WorkbenchRuntime(f"load-learner-{index}")
        try:
            barrier.wait()
            timed(user, case, "submit_response", {"text": RESPONSE})
            attempt = 1
            while time.perf_counter() < stop[0]:
                status, _data = timed(user, quiz, "submit", {"attempt": attempt, "answers": {"q1": "a", "q2": True}})
                attempt += 1 if status == 200 else 0
                status, data = timed(user, case, "next_review", {"extra": True})
                review = ((data or {}).get("state") or {}).get("review") if status == 200 else None
                if review:
                    timed(user, case, "submit_review", {"lease_id": review["lease_id"], "review": REVIEW})
        finally:
            connections.close_all()

    workers = [threading.Thread(target=learner, args=(i,), daemon=True) for i in range(threads)]
    for worker in workers:
        worker.start()
    stop[0] = time.perf_counter() + seconds
    started = time.perf_counter()
    barrier.wait()
    for worker in workers:
        worker.join(seconds + 120)
    elapsed = time.perf_counter() - started
    total = sum(len(v) for v in timings.values())
    every = sorted(x for v in timings.values() for x in v)
    return {
        "threads": threads, "seconds": round(elapsed, 1), "requests": total,
        "throughput": round(total / elapsed, 1),
        "p50_ms": round(statistics.median(every), 1) if every else None,
        "p95_ms": round(every[int(0.95 * (len(every) - 1))], 1) if every else None,
        "handlers": {
            name: {"count": len(v), "p50_ms": round(statistics.median(v), 1),
                   "p95_ms": round(sorted(v)[int(0.95 * (len(v) - 1))], 1)}
            for name, v in sorted(timings.items())
        },
        "refused": dict(refused), "errors": len(errors), "first_errors": errors[:3],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--threads", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--json", default="var/bench-load.json")
    args = parser.parse_args(argv)

    from bench.common import bench_databases

    with bench_databases():
        from django.db import connection

        if connection.vendor == "sqlite":
            print("bench.load: SQLite serialises writers; run it on a server (SSE_DB=postgresql or mariadb).")
        report = run(args.threads, args.seconds)
    report["database"] = os.environ.get("SSE_DB", "sqlite")
    os.makedirs(os.path.dirname(args.json) or ".", exist_ok=True)
    with open(args.json, "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=2)
    print(f"{report['threads']} learners for {report['seconds']} s on {report['database']}: "
          f"{report['requests']} requests, {report['throughput']} per second, "
          f"median {report['p50_ms']} ms, p95 {report['p95_ms']} ms, errors {report['errors']}")
    for name, figures in report["handlers"].items():
        print(f"  {name:<16} {figures['count']:>6} calls  median {figures['p50_ms']:>7} ms  p95 {figures['p95_ms']:>7} ms")
    if report["refused"]:
        print("  refused (4xx): " + ", ".join(f"{k}: {v}" for k, v in sorted(report["refused"].items())))
    for error in report["first_errors"]:
        print("  ERROR " + error)
    # Every learner of the run does only what the blocks offer them, so a refusal is a failure too.
    return 1 if report["errors"] or report["refused"] else 0


if __name__ == "__main__":
    sys.exit(main())
