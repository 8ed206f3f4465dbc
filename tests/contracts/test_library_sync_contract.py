"""A library component copied into a course, then synced after a library edit: which fields follow the library.

Platform source followed (openedx/openedx-platform, the stored versions read):

- cms/lib/xblock/upstream_sync.py at e10c49dbfcebf692bacfd9e459f8a354ad8a6ffc, ``UpstreamSyncMixin``
  (mixed into every block in Studio) and its ``get_customizable_fields``: ``display_name`` is customizable
  (restored from ``upstream_display_name``); ``due``, ``graceperiod``, ``max_attempts``, ``show_correctness``,
  ``showanswer``, ``weight`` and a few CAPA settings are mapped to None, "downstream only": they belong to the
  course. A block outside the platform may override the mapping; ours do not.
- cms/lib/xblock/upstream_sync_block.py at e57a655d77b614f19223984e9805b1fb940ab192: ``sync_from_upstream_block``
  runs ``_update_customizable_fields`` (fetch the upstream value of a customizable field into its ``upstream_*``
  field, and copy it unless the course customized it; downstream-only fields are skipped) then
  ``_update_non_customizable_fields`` (every other field both blocks define in the content or settings scope is
  overwritten with the library's value); ``_get_synchronizable_fields`` keeps the content and settings scopes
  only, so learners' state is never touched. The upstream is the library's *published* version
  (``_load_upstream_block``).
"""

from __future__ import annotations

import uuid

import pytest
from xblock.fields import Scope

from factories import olx
from sse_academy_xblock import platform
from sse_academy_xblock.quiz.models import QuizRoster

# ``UpstreamSyncMixin.get_customizable_fields``: field -> its upstream_* restore field, None for downstream only.
CUSTOMIZABLE_FIELDS = {
    "display_name": "upstream_display_name",
    "attempts_before_showanswer_button": None,
    "due": None,
    "force_save_button": None,
    "graceperiod": None,
    "grading_method": None,
    "max_attempts": None,
    "show_correctness": None,
    "show_reset_button": None,
    "showanswer": None,
    "submission_wait_seconds": None,
    "weight": None,
}
# The hidden settings the mixin adds to every Studio block; our blocks store them in OLX as platform attributes.
UPSTREAM_FIELDS = {"upstream", "upstream_version", "upstream_version_declined", "upstream_display_name",
                   "top_level_downstream_parent_key", "downstream_customized"}


def customizable_fields(block) -> dict:
    own = getattr(type(block), "get_customizable_fields", None)
    return own() if callable(own) else dict(CUSTOMIZABLE_FIELDS)


def synchronizable_fields(upstream, downstream) -> set[str]:
    """``_get_synchronizable_fields``: content- or settings-scoped fields both blocks define."""
    return set.intersection(*[{name for name, field in type(block).fields.items()
                               if field.scope in (Scope.settings, Scope.content)} for block in (upstream, downstream)])


def sync_from_upstream_block(upstream, downstream, fetched: dict, customized: list) -> None:
    """``_update_customizable_fields`` then ``_update_non_customizable_fields`` (the ``upstream_*`` fields the mixin
    would hold are kept in ``fetched``; ``customized`` is ``downstream_customized``)."""
    syncable = synchronizable_fields(upstream, downstream)
    mapping = customizable_fields(downstream)
    for name, fetch_name in mapping.items():
        if name not in syncable or fetch_name is None:
            continue
        fetched[fetch_name] = getattr(upstream, name)
        if name in customized:
            continue
        setattr(downstream, name, getattr(upstream, name))
    for name in syncable - set(mapping) - set(mapping.values()):
        setattr(downstream, name, getattr(upstream, name))
    downstream.save()


def library_block(xml: str):
    from lxml import etree
    from workbench.runtime import ID_MANAGER, WorkbenchRuntime

    tag = etree.fromstring(xml.encode()).tag
    ID_MANAGER.set_scenario(f"lb:SSE:reuse:{tag}:c{uuid.uuid4().hex[:10]}")
    runtime = WorkbenchRuntime("author")
    return runtime.get_block(runtime.parse_xml_string(xml))


LIBRARY_QUIZ = olx("quiz_jobs", attributes=' weight="10" show_answer="always" pass_mark="80"').replace(
    'max_attempts="0"', 'max_attempts="3"')
COURSE_QUIZ = olx("quiz_jobs", attributes="")


def test_our_blocks_keep_the_platforms_list_of_course_fields():
    from sse_academy_xblock.blocks.case_study import SSECaseStudyBlock
    from sse_academy_xblock.blocks.profile import SSEProfileBlock
    from sse_academy_xblock.blocks.quiz import SSEQuizBlock

    for cls in (SSEQuizBlock, SSECaseStudyBlock, SSEProfileBlock):
        assert not hasattr(cls, "get_customizable_fields"), cls  # the mixin's list applies as it is
    quiz_course_fields = {name for name, fetch in CUSTOMIZABLE_FIELDS.items() if fetch is None} & set(SSEQuizBlock.fields)
    assert quiz_course_fields == {"due", "graceperiod", "max_attempts", "show_correctness", "weight"}
    assert {name for name, fetch in CUSTOMIZABLE_FIELDS.items() if fetch is None} & set(SSECaseStudyBlock.fields) == {
        "due", "graceperiod", "weight"}


def test_a_synced_quiz_takes_the_librarys_content_and_settings_but_not_weight_or_max_attempts(make_block):
    upstream = library_block(LIBRARY_QUIZ)
    upstream.questions = [dict(q, prompt=q["prompt"] + " (revised)") for q in upstream.questions]
    downstream = make_block(COURSE_QUIZ)
    assert not platform.is_library_context(downstream)
    sync_from_upstream_block(upstream, downstream, fetched := {}, customized=[])

    assert downstream.questions == upstream.questions and downstream.max_score() == upstream.max_score() == 3
    assert (downstream.show_answer, downstream.pass_mark) == ("always", 80)  # our own settings follow the library
    assert fetched == {"upstream_display_name": "Jobs quiz"}
    # Course fields: the library's 10 points and 3 attempts never reach the course.
    assert upstream.weight == 10 and upstream.max_attempts == 3
    assert downstream.weight is None  # counts its raw points (3) in the course grade
    assert downstream.max_attempts == 0  # as the course copy had it; an unset one takes the course's setting


def test_a_course_copy_without_max_attempts_takes_the_courses_setting(make_block):
    upstream = library_block(LIBRARY_QUIZ)
    downstream = make_block(olx("quiz_jobs", attributes="").replace(' max_attempts="0"', ""))
    sync_from_upstream_block(upstream, downstream, {}, customized=[])
    assert not downstream.fields["max_attempts"].is_set_on(downstream)  # the course's "Maximum Attempts" applies
    assert downstream.authored_settings()["max_attempts"] is None


def test_a_customized_title_survives_the_sync(make_block):
    upstream = library_block(LIBRARY_QUIZ)
    downstream = make_block(COURSE_QUIZ)
    downstream.display_name = "Our course's title"
    sync_from_upstream_block(upstream, downstream, fetched := {}, customized=["display_name"])
    assert downstream.display_name == "Our course's title" and fetched["upstream_display_name"] == "Jobs quiz"


def test_learners_attempts_scores_and_rows_survive_a_sync(make_block, call):
    downstream = make_block(COURSE_QUIZ, user="amina")
    status, reply = call(downstream, "submit", {"attempt": 1, "answers": {"j1": True, "j2": False}})
    assert status == 200, reply
    usage = platform.usage_id(downstream)
    rows_before = QuizRoster.objects.filter(usage_id=usage).count()

    upstream = library_block(LIBRARY_QUIZ)
    upstream.questions = [dict(q, prompt="Changed " + q["prompt"]) for q in upstream.questions]
    author_copy = make_block.as_user(downstream, "staff")
    sync_from_upstream_block(upstream, author_copy, {}, customized=[])

    learner = make_block.as_user(downstream, "amina")
    assert platform.usage_id(learner) == usage
    assert learner.questions[0]["prompt"].startswith("Changed ")
    assert (learner.attempts, learner.raw_earned, learner.raw_possible) == (1, 3.0, 3.0)
    assert QuizRoster.objects.filter(usage_id=usage).count() == rows_before == 1


@pytest.mark.parametrize("name", sorted(UPSTREAM_FIELDS))
def test_the_upstream_fields_are_no_fields_of_ours(name):
    from sse_academy_xblock.blocks.quiz import SSEQuizBlock

    assert name not in SSEQuizBlock.fields  # the mixin adds them in Studio; our OLX keeps them as its attributes


SYNC_QUIZ = """
<sse_quiz display_name="Synced quiz">
  <question id="q1" type="single"><prompt>Which?</prompt>
    <choice id="a" correct="true">A</choice><choice id="b">B</choice></question>
  <question id="q2" type="text"><prompt>Name it</prompt><answer>Mondragón</answer></question>
  <question id="q3" type="truefalse" answer="true"><prompt>True?</prompt></question>
</sse_quiz>
"""
SYNC_ANSWERS = {"amina": {"q1": "a", "q2": "Mondragón", "q3": True},  # 3 of 3; after the edit 1 of 2
                "bruno": {"q1": "b", "q2": "Mondragón", "q3": False},  # 1 of 3; after the edit 2 of 2
                "chen": {"q1": "b", "q2": "Mondragon", "q3": True}}  # 1 of 3; after the edit 1 of 2


def test_a_question_changed_or_removed_by_a_sync_is_marked_and_learners_keep_their_scores_until_rescored(make_block,
                                                                                                      call):
    """The library fixes q1's key (b, not a) and removes q3; the course syncs. The usage key, the learners'
    scores and their rows stay; item analysis marks q1 as changed since its answers were counted, leaves q3
    out, and after the panel's rescore (only where the score does not fall) follows the new version."""
    course = make_block(SYNC_QUIZ, user="amina")
    usage = platform.usage_id(course)
    for learner, answers in SYNC_ANSWERS.items():
        status, reply = call(make_block.as_user(course, learner), "submit", {"attempt": 1, "answers": answers})
        assert status == 200, reply

    upstream = library_block(SYNC_QUIZ)
    questions = [dict(q) for q in upstream.questions if q["id"] != "q3"]
    questions[0]["choices"] = [dict(c, correct=(c["id"] == "b")) for c in questions[0]["choices"]]
    upstream.questions = questions
    staff = make_block.as_user(course, "staff")
    sync_from_upstream_block(upstream, staff, {}, customized=[])

    staff = make_block.as_user(course, "staff")
    assert platform.usage_id(staff) == usage
    status, data = call(staff, "staff_items", {})
    assert status == 200, data
    rows = {row["id"]: row for row in data["items"]}
    assert list(rows) == ["q1", "q2"]  # the removed question is not shown
    assert rows["q1"]["changed_answers"] == 3 and "changed after 3 counted answers" in rows["q1"]["changed_text"]
    assert rows["q2"]["changed_answers"] == 0 and data["changed"] == 1
    assert data["learners"] == 3
    # The old answers of q1 still count as graded then: amina had the key of the time.
    assert rows["q1"]["difficulty"] == pytest.approx(1 / 3)
    html = staff.render("student_view", {}).body_html()
    assert 'data-role="items-changed"' in html and 'data-role="item-changed"' in html
    scores = {learner: make_block.as_user(course, learner).raw_earned for learner in SYNC_ANSWERS}
    assert scores == {"amina": 3.0, "bruno": 1.0, "chen": 1.0}  # stored scores stay until rescored
    assert QuizRoster.objects.get(usage_id=usage, anonymous_user_id="amina").earned == 3.0

    status, reply = call(staff, "staff_rescore", {})
    assert status == 200, reply
    after = {learner: (make_block.as_user(course, learner).raw_earned, make_block.as_user(course, learner).raw_possible)
             for learner in SYNC_ANSWERS}
    # amina would fall from 100% to 50%: she keeps 3 of 3; bruno rises to 2 of 2; chen stays at 50% (1 of 2 now)
    assert after == {"amina": (3.0, 3.0), "bruno": (2.0, 2.0), "chen": (1.0, 2.0)}
    status, data = call(make_block.as_user(course, "staff"), "staff_items", {})
    rows = {row["id"]: row for row in data["items"]}
    assert rows["q1"]["changed_answers"] == 1  # amina's answer, still counted as graded before the change
    # bruno and chen right under the new key, amina's answer right under the old one: the figures mix both
    assert rows["q1"]["difficulty"] == pytest.approx(1.0)
    from sse_academy_xblock.quiz import item_totals

    _learners, totals = item_totals.totals(usage)
    assert totals["q3"].n == 1  # only amina's old answer to the removed question is left
