"""The profile's kept cohort figures across worker processes, on PostgreSQL and MariaDB.

Open edX serves a course from several worker processes. Two processes that meet the same new composition of
a profile's scope at the same moment (the first renders after a publish) must register it once and count it
once: the composition's unique key lets only one of them register it, and the count locks the scope's count
rows and checks that nobody counted it meanwhile. Each process here is a fresh Python on the test database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
COURSE = "course-v1:SSE+Processes+1"
BLOCKS = ["proc-block-1", "proc-block-2"]
POSSIBLE = {"employment": 4.0, "social_protection": 2.0, "social_dialogue": 0.0, "rights_at_work": 0.0}

CHILD = r"""
import json, sys, time

import django

django.setup()
from sse_academy_xblock.profile import cohort_store
from sse_academy_xblock.profile.models import CohortScope

course, scope, profile, start = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
blocks, possible = json.loads(sys.argv[5]), json.loads(sys.argv[6])
time.sleep(max(0.0, start - time.time()))
registered = cohort_store.register(course, scope, profile, blocks, possible)
scope_id = registered or CohortScope.objects.get(scope_key=scope).pk
print(json.dumps({"registered": registered is not None, "counted": cohort_store.build(scope_id, grace=0)}))
"""


def test_two_processes_meeting_a_new_composition_register_and_count_it_once(server_db):
    from django.db import connection

    from sse_academy_xblock.profile import cohort, cohort_store, scores
    from sse_academy_xblock.profile.models import CohortScope

    for n in range(12):
        scores.record(f"proc-learner-{n}", COURSE, BLOCKS[n % 2],
                      {"employment": {"earned": n % 5, "possible": 4.0},
                       "social_protection": {"earned": n % 3, "possible": 2.0}})
    scope = cohort_store.scope_key(COURSE, "published")
    profile = cohort_store.profile_key(COURSE, "profile-p", "course")
    env = dict(os.environ, SSE_DB_NAME=connection.settings_dict["NAME"],
               DJANGO_SETTINGS_MODULE="sse_academy_xblock.settings.test", PYTHONPATH=str(ROOT))
    start = time.time() + 3  # both interpreters are up and connected by then
    args = [COURSE, scope, profile, str(start), json.dumps(BLOCKS), json.dumps(POSSIBLE)]
    children = [subprocess.Popen([sys.executable, "-c", CHILD, *args], cwd=ROOT, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err[-2000:]
        results.append(json.loads(out.strip().splitlines()[-1]))

    assert sorted(r["registered"] for r in results) == [False, True], results
    assert sorted(r["counted"] for r in results) == [False, True], results
    assert CohortScope.objects.filter(scope_key=scope).count() == 1
    kept = cohort_store.read(scope, profile).figures
    assert kept == cohort.figures(BLOCKS, POSSIBLE) and kept.learners == 12
