"""Twenty identical quiz submits at once, through the real HTTP server (``make run``'s stack).

A double-clicked Submit, or a script, sends the same attempt several times at once. Exactly one request
per attempt number is counted, none gets a 5xx, and afterwards the learner's page, the staff panel, the
staff CSV and the gradebook events all tell the same story. On SQLite (the workbench's database: its
settings make concurrent writers wait) in every run, and on PostgreSQL and MariaDB in the tests marked
``db``. Before the submit became one transaction, a 500 "database is locked" appeared in most runs and
left a phantom attempt.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import threading
import uuid

import pytest

from workbench_server import LiveWorkbench, usage_id_in

SCENARIO = "sse_quiz.0"          # "Cooperatives: two attempts": max_attempts=2, 2 points
THREADS = 20
ROUNDS = int(os.environ.get("SSE_HTTP_RACE_ROUNDS", "2"))
ANSWERS = {"q1": "b", "q2": "true"}  # 1 point of 2 (full marks would end the quiz after one attempt)
GRADE_LINE = re.compile(r"XBlock event grade for sse_quiz \(usage_id=(?P<usage>[^)]*)\)")


def parallel(count: int, func) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index):
        try:
            barrier.wait(timeout=60)
            results[index] = func(index)
        except BaseException as exc:  # noqa: BLE001 - reported below
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    assert not any(t.is_alive() for t in threads), "requests did not finish within 180 s"
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors[0]
    return results


class Untranslated:
    """English, as the workbench shows it without ?lang=."""

    @staticmethod
    def gettext(text):
        return text

    @staticmethod
    def ngettext(singular, plural, count):
        return singular if count == 1 else plural


def expected_attempts(used: int) -> str:
    from types import SimpleNamespace

    from sse_academy_xblock.quiz import presentation

    return presentation.attempts_text(Untranslated, SimpleNamespace(max_attempts=2), used)


def expected_score(earned: float, possible: float) -> str:
    from sse_academy_xblock import l10n

    return l10n.score(Untranslated, earned, possible)


def attempts_shown(html: str) -> str:
    match = re.search(r'<span data-role="attempts">(.*?)</span>', html, re.S)
    assert match, "the page shows no attempts line"
    return match.group(1).strip()


def grade_events(server: LiveWorkbench, usage_id: str) -> list[dict]:
    """The grade events published for this block, in order (each log record is two lines)."""
    lines = server.events()
    found = []
    for index, line in enumerate(lines):
        match = GRADE_LINE.search(line)
        if match and match.group("usage") == usage_id and index + 1 < len(lines):
            found.append(json.loads(lines[index + 1].replace("'", '"')))
    return found


def race_one_learner(server: LiveWorkbench, figures) -> None:
    learner = f"racer_{uuid.uuid4().hex[:10]}"
    page = server.page(SCENARIO, learner)
    assert page.status == 200, page.text[:300]
    usage_id = usage_id_in(page.text)
    assert attempts_shown(page.text) == expected_attempts(0)
    body = json.dumps({"attempt": 1, "answers": ANSWERS}).encode()
    events_before = len(grade_events(server, usage_id))

    for attempt in (1, 2, 3):
        body = json.dumps({"attempt": attempt, "answers": ANSWERS}).encode()
        replies = parallel(THREADS, lambda i: server.post(usage_id, "submit", learner, body))
        statuses = sorted(r.status for r in replies)
        assert all(s < 500 for s in statuses), [(r.status, r.text[:200]) for r in replies if r.status >= 500]
        for reply in replies:
            assert reply.content_type == "application/json", reply.text[:200]
            if reply.status >= 400:
                assert reply.json()["error"].strip()
        errors = sorted({r.json().get("error", "") for r in replies if r.status >= 400})
        if attempt <= 2:
            assert statuses == [200] + [409] * (THREADS - 1), (attempt, statuses, errors)
        else:
            assert statuses == [409] * THREADS, (attempt, statuses, errors)
        figures.add("HTTP submit races (20 parallel requests)")

    # The learner's page: two attempts, the full score.
    page = server.page(SCENARIO, learner)
    assert attempts_shown(page.text) == expected_attempts(2)
    assert expected_score(1.0, 2.0) in page.text
    # The staff panel and the CSV: the same two attempts and score for this learner.
    staff_page = server.page(SCENARIO, "staff")
    row = re.search(r'<tr data-learner="' + re.escape(learner) + r'">(.*?)</tr>', staff_page.text, re.S)
    assert row, "the staff panel does not list the learner"
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]
    assert cells[1:3] == ["2", "1 of 2 points (50%)"], cells
    csv_reply = server.request("GET", f"/handler/{usage_id}/staff_csv/?student=staff")
    assert csv_reply.status == 200
    rows = [r for r in csv.reader(io.StringIO(csv_reply.text.lstrip("\ufeff"))) if r and r[0] == learner]
    assert len(rows) == 1 and rows[0][1:5] == ["2", "1", "2", "50"], rows
    # The gradebook: one grade event per counted attempt, with that attempt's score.
    assert grade_events(server, usage_id)[events_before:] == [{"value": 1.0, "max_value": 2.0}] * 2


def hostile_requests_get_json_4xx(server: LiveWorkbench) -> None:
    """A few of the reported 500s, through the real stack: each is a JSON 4xx now."""
    learner = f"hostile_{uuid.uuid4().hex[:8]}"
    usage_id = usage_id_in(server.page(SCENARIO, learner).text)
    for body in (b'{"attempt": 1, "answers": {"q1": "a"}, "x": NaN}', b'{"attempt": Infinity}',
                 b'{"attempt": 1, "answers": {"q1": "\\ud800"}}', b'{"attempt": ' + b"9" * 401 + b"}"):
        reply = server.post(usage_id, "submit", learner, body)
        assert reply.status == 400 and reply.json()["error"], (body, reply.status, reply.text[:200])
    # No learner id: refused, not counted against nobody's limit.
    reply = server.post(usage_id, "submit", None, json.dumps({"attempt": 1, "answers": ANSWERS}).encode())
    assert reply.status == 403 and reply.json()["error"], reply.text[:200]
    # Bodies that are not JSON: the blocks' JSON 415 (a multipart body was a 500, Django's CSRF check having read it
    # first; a multipart body without a boundary was Django's HTML 400).
    multipart = b'--sseB\r\nContent-Disposition: form-data; name="attempt"\r\n\r\n1\r\n--sseB--\r\n'
    for content_type, body in (("multipart/form-data; boundary=sseB", multipart), ("multipart/form-data", b"a=1"),
                               ("application/x-www-form-urlencoded", b"attempt=1"),
                               ("text/plain", json.dumps({"attempt": 1, "answers": ANSWERS}).encode())):
        reply = server.post(usage_id, "submit", learner, body, content_type=content_type)
        assert reply.status == 415 and reply.content_type == "application/json", (content_type, reply.text[:200])
        assert reply.json()["error"], content_type
    # Over the limit, whether our layer (300 KB) or the framework (3 MB) would see it first: our JSON 413.
    for size in (300_000, 3_000_000):
        reply = server.post(usage_id, "submit", learner, b'{"text": "' + b"x" * size + b'"}')
        assert reply.status == 413 and reply.content_type == "application/json", (size, reply.status, reply.text[:200])
        assert reply.json()["error"] == "The request is too large."
    assert attempts_shown(server.page(SCENARIO, learner).text) == expected_attempts(0)


def run_all(server: LiveWorkbench, figures, migrate: bool) -> None:
    """Start the server, run every round and the hostile requests, print its log on failure, clean up."""
    try:
        server.start(migrate=migrate)
        for _ in range(ROUNDS):
            race_one_learner(server, figures)
        hostile_requests_get_json_4xx(server)
    except BaseException:
        print(server.tail())
        raise
    finally:
        server.cleanup()


def test_parallel_identical_submits_over_http_on_sqlite(figures):
    run_all(LiveWorkbench({"SSE_DB": "sqlite"}), figures, migrate=True)


@pytest.mark.db
@pytest.mark.django_db(transaction=True)
def test_parallel_identical_submits_over_http_on_the_server_database(server_db, figures):
    """The same, with the server process on the test database pytest migrated (PostgreSQL or MariaDB)."""
    from django.db import connection

    kind, settings = server_db
    database = {"SSE_DB": kind, "SSE_DB_NAME": connection.settings_dict["NAME"]}
    run_all(LiveWorkbench(database), figures, migrate=False)
