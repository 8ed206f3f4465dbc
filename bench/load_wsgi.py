"""The WSGI application of the load run (``make bench-load``): the workbench, with the load course added.

gunicorn loads it once in its master process (``--preload``) and forks the workers from there, so every worker
has the same scenarios with the same usage ids. The workbench builds its scenarios lazily on the first request
and writes their definitions to the database unguarded; two workers building them at once would race, so they
are built here, before the fork, and the master's database connections are closed so that no worker shares
one.

The load course is one course of three units, as the LMS shows a course one unit at a time: a quiz, the case
study, and the Decent Work profile over the whole course (its scope walks up to the course, so it counts the
quiz and the case study). Each unit is also a workbench scenario of its own (``sse_load.<unit>``), so that
``/scenario/sse_load.quiz/?student=<id>`` renders that unit alone, as the LMS renders a unit.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sse_academy_xblock.settings.load")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from bench import runtime_as_lms  # noqa: E402

if not runtime_as_lms.sdk_runtime():
    runtime_as_lms.install()  # each stored field row read once per request, no asides: as an LMS

# Unlimited attempts, and another attempt allowed after a full score (a full score is otherwise final, and
# every later submit would rightly be refused).
QUIZ = """<sse_quiz display_name="Load quiz" max_attempts="0" show_answer="always" retry_after_full="true">
  <question id="q1" type="single" dimension="rights_at_work"><prompt>Which body adopted the Decent Work Agenda?</prompt>
    <choice id="a" correct="true">The ILO</choice><choice id="b">The WTO</choice></question>
  <question id="q2" type="truefalse" answer="true" dimension="social_dialogue">
    <prompt>Cooperatives are member-owned.</prompt></question>
</sse_quiz>"""
UNITS = ("quiz", "case", "profile")
SCENARIO_PREFIX = "sse_load."


def course_xml() -> str:
    from pathlib import Path

    import sse_academy_xblock

    case = (Path(sse_academy_xblock.__file__).parent / "scenarios" / "sse_case_study__a-recovered-factory.xml")
    case_xml = case.read_text(encoding="utf-8")
    if case_xml.startswith("<?xml"):
        case_xml = case_xml.split("?>", 1)[1]
    return (f'<vertical_demo><vertical_demo>{QUIZ}</vertical_demo><vertical_demo>{case_xml}</vertical_demo>'
            '<vertical_demo><sse_profile display_name="Your Decent Work profile" scope="course"/></vertical_demo>'
            '</vertical_demo>')


def build_scenarios() -> dict:
    """The workbench's scenarios, then the load course and one scenario per unit: ``{unit: usage id}``."""
    from django.db import connections
    from workbench.runtime import WorkbenchRuntime
    from workbench.scenarios import SCENARIOS, Scenario, get_scenarios

    get_scenarios()
    runtime = WorkbenchRuntime()
    runtime.id_generator.set_scenario("sse-load-course")
    xml = course_xml()
    course = runtime.get_block(runtime.parse_xml_string(xml))
    units = dict(zip(UNITS, course.children))
    SCENARIOS[SCENARIO_PREFIX + "course"] = Scenario("Load course", course.scope_ids.usage_id, xml)
    for name, usage_id in units.items():
        SCENARIOS[SCENARIO_PREFIX + name] = Scenario(f"Load course: {name}", usage_id, "")
    runtime_as_lms.forget()
    connections.close_all()
    return units


UNIT_IDS = build_scenarios()
