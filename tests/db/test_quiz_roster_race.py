"""Simultaneous submits of one quiz attempt count once, on PostgreSQL and MariaDB, with real threads."""

import json

import pytest
import webob

from db.concurrency import run_threads

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]

QUIZ = ('<sse_quiz max_attempts="3"><question id="q" type="truefalse" answer="true"><prompt>S</prompt>'
        "</question></sse_quiz>")
THREADS = 8


def test_claims_of_one_version_let_exactly_one_through(server_db, figures):
    from sse_academy_xblock.quiz import roster
    from sse_academy_xblock.quiz.models import QuizRoster

    for round_number in range(5):
        usage = f"block-v1:SSE+Race+1+type@sse_quiz+block@r{round_number}"

        def claim(index):
            return roster.claim_submit("learner", "course", usage, version=0, attempts=1, earned=index, possible=9)

        run = run_threads(THREADS, claim)
        run.raise_errors()
        assert run.results.count(True) == 1, run.results
        row = QuizRoster.objects.get(usage_id=usage)
        assert (row.submits, row.attempts) == (1, 1)
        figures.add("quiz roster races", 1)


def test_simultaneous_submit_requests_count_once(server_db, make_block, figures):
    from workbench.runtime import WorkbenchRuntime

    block = make_block(QUIZ)
    usage_id = block.scope_ids.usage_id
    # A first attempt, alone: the workbench's state table has no unique key, so its rows must exist
    # before threads read them (the LMS's StudentModule has one).
    # A wrong first answer: a full score would end the quiz.
    assert submit_once(WorkbenchRuntime("student_1").get_block(usage_id), 1, False) == 200

    def submit(index):
        learner = WorkbenchRuntime("student_1").get_block(usage_id)
        (learner.submits, learner.attempts)                 # the request has loaded the learner's state
        return submit_once(learner, 2, index % 2 == 0)

    run = run_threads(THREADS, submit)
    run.raise_errors()
    assert sorted(run.results) == [200] + [409] * (THREADS - 1)
    final = WorkbenchRuntime("student_1").get_block(usage_id)
    assert final.attempts == 2
    figures.add("quiz submit races", 1)


def submit_once(learner, attempt, answer=True):
    body = json.dumps({"attempt": attempt, "answers": {"q": answer}}).encode()
    request = webob.Request.blank("/", method="POST", body=body, content_type="application/json")
    return learner.handle("submit", request).status_code
