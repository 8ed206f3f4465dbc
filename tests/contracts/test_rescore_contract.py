"""The staff panel's "Rescore the learners" in the LMS: the platform's own rescore, only where the score improves.

Platform code followed (openedx/openedx-platform at commit e57a655d77b614f19223984e9805b1fb940ab192):

* lms/djangoapps/instructor_task/api.py ``submit_rescore_problem_for_all_students(request, usage_key,
  only_if_higher)``: checks the block supports rescoring, then ``submit_task`` with the task input
  ``{"problem_url", "only_if_higher"}``; lms/djangoapps/instructor_task/api_helper.py ``submit_task`` raises
  ``AlreadyRunningError`` while a task of the same type and key runs, and ``_get_xmodule_instance_args`` reads
  the request's ``user.username``, ``user.id``, ``META["REMOTE_ADDR"]``, ``META.get("HTTP_USER_AGENT", "")`` and
  ``META["SERVER_NAME"]``;
* lms/djangoapps/instructor/views/api.py ``rescore_problem``: rescoring all learners "Requires instructor
  access" (``has_access(request.user, 'instructor', course)``);
* lms/djangoapps/instructor_task/tasks_helper/module_state.py: the task calls
  ``rescore_problem_module_state`` for each learner's StudentModule of the problem (replayed in
  ``platform_replay``), which calls the block's ``rescore(only_if_higher)``; the gradebook's
  ``score_published_handler`` keeps the new score unless its percentage is lower, then calls ``set_score``.

So a staff member who is the course's instructor rescores every learner of the quiz from its panel in one
step; the learners whose score improves (those who gave an answer now accepted) get it, in the gradebook and
in every row of ours, including the item analysis's wrong answers; nobody's score is lowered.
"""

from __future__ import annotations

import json
import sys
import types

import pytest
import webob

from sse_academy_xblock.quiz.models import QuizWrongAnswer

from . import lms_users
from .platform_replay import bind, rescore_problem_module_state

QUIZ = """
<sse_quiz display_name="Cooperatives">
  <question id="q1" type="text"><prompt>Which Basque cooperative group started in 1956?</prompt>
    <answer>Mondragón</answer></question>
  <question id="q2" type="single"><prompt>Pick</prompt>
    <choice id="a" correct="true">A</choice><choice id="b">B</choice></question>
</sse_quiz>
"""


class AlreadyRunningError(Exception):
    pass


class InstructorTasks:
    """``submit_rescore_problem_for_all_students`` and what ``submit_task`` reads of the request."""

    def __init__(self, instructors):
        self.instructors = set(instructors)
        self.submitted: list[dict] = []
        self.running = False

    def has_access(self, user, action, course_key):
        assert action == "instructor"
        return user.username in self.instructors

    def submit_rescore_problem_for_all_students(self, request, usage_key, only_if_higher=False):
        if self.running:
            raise AlreadyRunningError("requested task is already running")
        request_info = {"username": request.user.username, "user_id": request.user.id,
                        "ip": request.META["REMOTE_ADDR"], "agent": request.META.get("HTTP_USER_AGENT", ""),
                        "host": request.META["SERVER_NAME"]}
        self.submitted.append({"problem_url": str(usage_key), "only_if_higher": only_if_higher,
                               "request_info": request_info})

    def install(self, monkeypatch):
        modules = {
            "lms.djangoapps.courseware.access": {"has_access": self.has_access},
            "lms.djangoapps.instructor_task.api": {
                "submit_rescore_problem_for_all_students": self.submit_rescore_problem_for_all_students},
            "lms.djangoapps.instructor_task.api_helper": {"AlreadyRunningError": AlreadyRunningError},
        }
        for dotted, attrs in modules.items():
            parts = dotted.split(".")
            for i in range(1, len(parts) + 1):
                name = ".".join(parts[:i])
                if name not in sys.modules:
                    monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
            for attr, value in attrs.items():
                monkeypatch.setattr(sys.modules[dotted], attr, value, raising=False)


def post(block, handler: str, body: dict):
    request = webob.Request.blank("/", method="POST", body=json.dumps(body).encode(),
                                  content_type="application/json",
                                  environ={"REMOTE_ADDR": "10.0.0.7", "SERVER_NAME": "lms.example.org",
                                           "HTTP_USER_AGENT": "Chromium"})
    response = block.handle(handler, request)
    return response.status_code, response.json


@pytest.fixture
def taken(make_lms_block, call, lms):
    quiz = bind(make_lms_block(QUIZ, user="amina"), lms)
    for learner, answers in (("amina", {"q1": "Mondragon", "q2": "a"}), ("bruno", {"q1": "Mondragón", "q2": "b"})):
        block = bind(make_lms_block.as_user(quiz, learner), lms)
        status, reply = call(block, "submit", {"attempt": 1, "answers": answers})
        assert status == 200, reply
    return quiz


def staff_block(make_lms_block, quiz, lms, name="prof"):
    return lms_users.bind(bind(make_lms_block.as_user(quiz, name), lms), lms_users.learner(name, staff=True))


def test_an_instructor_rescores_from_the_panel_and_only_improving_scores_are_kept(taken, make_lms_block, lms,
                                                                                monkeypatch):
    tasks = InstructorTasks(instructors={"prof"})
    tasks.install(monkeypatch)
    # The author accepted "mondragon" in Studio and made q2's key "b" (published): the LMS's quiz has the new key.
    author = make_lms_block.as_user(taken, "prof")
    questions = [dict(q) for q in author.questions]
    questions[0]["accepted"] = ["Mondragón", "mondragon"]
    questions[1]["choices"] = [dict(c, correct=(c["id"] == "b")) for c in questions[1]["choices"]]
    author.questions = questions
    author.save()

    status, reply = post(staff_block(make_lms_block, taken, lms), "staff_rescore", {})
    assert status == 200, reply
    assert tasks.submitted == [{"problem_url": str(taken.scope_ids.usage_id), "only_if_higher": True,
                                "request_info": {"username": "prof", "user_id": hash("prof") % 10_000,
                                                 "ip": "10.0.0.7", "agent": "Chromium", "host": "lms.example.org"}}]
    # The task: each learner's StudentModule, rescored with the task's only_if_higher.
    for learner in ("amina", "bruno"):
        assert rescore_problem_module_state(lms, bind(make_lms_block.as_user(taken, learner), lms),
                                            only_if_higher=tasks.submitted[0]["only_if_higher"]) == "succeeded"
    usage = str(taken.scope_ids.usage_id)
    assert lms.gradebook[("amina", usage)] == (1.0, 2.0)  # would be 1 of 2 either way: q1 now right, q2 now wrong
    assert lms.gradebook[("bruno", usage)] == (2.0, 2.0)  # 1 -> 2: kept
    assert make_lms_block.as_user(taken, "bruno").raw_earned == 2.0
    # amina's score stayed 1 of 2 (equal, kept as it was graded now): her "mondragon" is no longer a wrong answer
    assert not QuizWrongAnswer.objects.filter(usage_id=usage, value="mondragon", n__gt=0).exists()


def test_staff_who_are_not_instructors_are_refused_as_the_dashboard_refuses_them(taken, make_lms_block, lms,
                                                                               monkeypatch):
    tasks = InstructorTasks(instructors=set())
    tasks.install(monkeypatch)
    status, reply = post(staff_block(make_lms_block, taken, lms), "staff_rescore", {})
    assert status == 403 and reply["error"] == "Only the course's instructors can rescore all its learners."
    assert tasks.submitted == []


def test_a_rescore_already_running_is_a_409(taken, make_lms_block, lms, monkeypatch):
    tasks = InstructorTasks(instructors={"prof"})
    tasks.running = True
    tasks.install(monkeypatch)
    status, reply = post(staff_block(make_lms_block, taken, lms), "staff_rescore", {})
    assert status == 409 and "already running" in reply["error"]


def test_accepting_in_the_lms_is_refused_because_content_is_edited_in_studio(taken, make_lms_block, lms):
    status, reply = post(staff_block(make_lms_block, taken, lms), "staff_accept_answer",
                         {"question": "q1", "answer": "mondragon"})
    assert status == 403 and reply["error"]
    html = staff_block(make_lms_block, taken, lms).render("student_view", {}).body_html()
    assert 'data-role="accept-answer"' not in html and 'data-role="rescore-all"' in html
