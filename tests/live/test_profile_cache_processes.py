"""The profile's cohort figures across worker processes, with the shared Redis cache of a production deployment.

Open edX runs several worker processes with one Redis cache (Tutor); ``make bench-load`` does the same with the
load settings (``sse_academy_xblock/settings/load.py``). Two processes that find the figures stale at the same
moment must recompute them once, not twice: the refresh lock (``cache.add``) and the figures live in the shared
cache, so the second process gets the previous figures at once while the first recomputes, and afterwards every
process reads the new ones. Each process here is a fresh Python with the load settings' cache and calls
``cohort.cached_figures`` on ``django.core.cache.cache``, as the profile block does on every render.

Needs Redis on 127.0.0.1:6379 (started here when ``redis-server`` is installed and nothing answers, as
``make bench-load`` and ``.ci/run`` do): skipped when there is none, except in CI, where that fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

REDIS_URL = "redis://127.0.0.1:6379/4"  # not the load run's database (3)
ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, os, sys, time

import django

django.setup()
import redis
from django.core.cache import cache

from sse_academy_xblock.dimensions import DIMENSION_IDS
from sse_academy_xblock.profile import cohort

key, mode = sys.argv[1], sys.argv[2]
signals = redis.Redis.from_url(os.environ["SSE_REDIS_URL"])


def figures(learners):
    return cohort.Figures(learners, tuple(
        cohort.DimensionFigures(dim, learners, 50, (0,) * cohort.HISTOGRAM_BINS) for dim in DIMENSION_IDS))


computed = []


def recompute():
    computed.append(os.getpid())
    # The grouped query takes a while on a large cohort: it is still running when the other process asks.
    deadline = time.monotonic() + 20
    while signals.get(key + ":answered") is None and time.monotonic() < deadline:
        time.sleep(0.02)
    return figures(20)


if mode == "stale":  # figures of 10 learners, counted 400 s ago (the period is 300 s)
    cohort.cached_figures(cache, key, lambda: figures(10), 300, now=time.time() - 400)
    result = None
elif mode == "render":
    print("ready", flush=True)
    sys.stdin.readline()
    result = cohort.cached_figures(cache, key, recompute, 300)
    if not computed:
        signals.set(key + ":answered", 1, ex=60)
else:  # "after": what any process reads next
    result = cohort.cached_figures(cache, key, recompute, 300)
print(json.dumps({"learners": result and result.learners, "computed": len(computed),
                  "lock_held": cache.get(key + ":refresh") is not None}), flush=True)
"""


def redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.fixture(scope="module")
def shared_redis():
    if not redis_answers() and shutil.which("redis-server"):
        subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379",
                        "--save", "", "--appendonly", "no"], capture_output=True, timeout=30)
        for _ in range(50):
            if redis_answers():
                break
            time.sleep(0.1)
    if not redis_answers():
        message = "needs Redis on 127.0.0.1:6379 (apt-get install redis-server; make redis starts it)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return REDIS_URL


def child_env(tmp_path) -> dict:
    return dict(os.environ, DJANGO_SETTINGS_MODULE="sse_academy_xblock.settings.load", SSE_REDIS_URL=REDIS_URL,
                SSE_VAR_DIR=str(tmp_path), SSE_DB="sqlite", PYTHONUNBUFFERED="1")


def run_child(key: str, mode: str, env: dict) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, key, mode], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_two_processes_with_stale_figures_recompute_them_once(shared_redis, tmp_path):
    key = f"sse_profile:figures:test-{uuid.uuid4().hex}"
    env = child_env(tmp_path)
    run_child(key, "stale", env)

    workers = [subprocess.Popen([sys.executable, "-c", CHILD, key, "render"], cwd=ROOT, env=env, text=True,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for _ in range(2)]
    try:
        for worker in workers:  # both started (Django set up, the cache connected) before either asks
            assert worker.stdout.readline().strip() == "ready", worker.stderr.read()
        for worker in workers:
            worker.stdin.write("go\n")
            worker.stdin.flush()
        replies = []
        for worker in workers:
            out, err = worker.communicate(timeout=60)
            assert worker.returncode == 0, err
            replies.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()

    assert sorted(r["computed"] for r in replies) == [0, 1], replies  # one recomputation, not two
    recomputed = next(r for r in replies if r["computed"])
    waited_for_nothing = next(r for r in replies if not r["computed"])
    assert recomputed["learners"] == 20
    assert waited_for_nothing["learners"] == 10  # the previous figures, while the other process recomputes

    after = run_child(key, "after", env)  # a third process: the new figures, nothing recomputed, lock given back
    assert after == {"learners": 20, "computed": 0, "lock_held": False}
