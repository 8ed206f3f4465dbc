"""The staff panel and its handlers: staff only, this block's learners only, and resets that work."""

import pytest

from spreadsheets import read_back
from sse_academy_xblock.quiz import roster
from sse_academy_xblock.quiz.models import QuizRoster

QUIZ = """
<sse_quiz display_name="Staff test" max_attempts="1" show_answer="never">
  <question id="q" type="truefalse" answer="true"><prompt>Statement</prompt></question>
</sse_quiz>
"""


@pytest.fixture
def attempted(make_block, call):
    """A quiz that student_1 and student_2 have each used up (one attempt each)."""
    block = make_block(QUIZ)
    for user, answer in (("student_1", True), ("student_2", False)):
        learner = make_block.as_user(block, user)
        assert call(learner, "submit", {"attempt": 1, "answers": {"q": answer}})[0] == 200
    return block


def test_learners_do_not_see_the_panel_and_staff_do(attempted, make_block):
    learner_html = make_block.as_user(attempted, "student_1").render("student_view", {}).body_html()
    assert "sse-staff" not in learner_html and "student_2" not in learner_html
    staff_html = make_block.as_user(attempted, "staff").render("student_view", {}).body_html()
    assert 'data-learner="student_1"' in staff_html and 'data-learner="student_2"' in staff_html
    # The score reads as the learner reads it (points and percentage); the time says its zone.
    assert "1 of 1 point (100%)" in staff_html and "0 of 1 point (0%)" in staff_html and " UTC" in staff_html
    assert "staff_csv" in staff_html


@pytest.mark.parametrize("user", ["student_1", "student_3"])
def test_learners_get_403_from_every_staff_handler(attempted, make_block, call, user):
    learner = make_block.as_user(attempted, user)
    status, data = call(learner, "staff_reset", {"learner": "student_2"})
    assert status == 403 and data["error"]
    status, data = call(learner, "staff_csv", method="GET")
    assert status == 403 and data["error"]
    assert QuizRoster.objects.get(anonymous_user_id="student_2").attempts == 1


def test_staff_reset_lets_the_learner_submit_again(attempted, make_block, call):
    staff = make_block.as_user(attempted, "staff")
    status, data = call(staff, "staff_reset", {"learner": "student_2"})
    assert status == 200 and data["row"]["attempts"] == 0 and "student_2" in data["message"]
    learner = make_block.as_user(attempted, "student_2")
    html = learner.render("student_view", {}).body_html()
    assert learner.attempts == 0                    # the learner's own state follows on their next load
    assert "1 of 1 attempt left." in html
    assert learner.raw_earned == 0                  # the score already earned is kept
    status, reply = call(make_block.as_user(attempted, "student_2"), "submit", {"attempt": 1, "answers": {"q": True}})
    assert status == 200 and reply["view"]["earned"] == 1
    # the other learner is untouched
    other = make_block.as_user(attempted, "student_1")
    assert other.attempts == 1
    assert call(other, "submit", {"attempt": 2, "answers": {"q": True}})[0] == 409


def test_reset_applies_on_submit_without_a_page_load(attempted, make_block, call):
    learner = make_block.as_user(attempted, "student_2")
    assert learner.attempts == 1
    call(make_block.as_user(attempted, "staff"), "staff_reset", {"learner": "student_2"})
    status, _reply = call(learner, "submit", {"attempt": 1, "answers": {"q": True}})
    assert status == 200


def test_staff_cannot_reach_learners_of_another_block(attempted, make_block, call):
    other_quiz = make_block(QUIZ, user="student_9")
    assert call(other_quiz, "submit", {"attempt": 1, "answers": {"q": True}})[0] == 200
    staff = make_block.as_user(attempted, "staff")
    status, data = call(staff, "staff_reset", {"learner": "student_9"})
    assert status == 404 and data["error"]
    assert QuizRoster.objects.get(anonymous_user_id="student_9").attempts == 1
    _status, csv_text = call(staff, "staff_csv", method="GET")
    assert "student_9" not in csv_text


@pytest.mark.parametrize("body", [{}, {"learner": ""}, {"learner": 5}, {"learner": "x" * 300}])
def test_reset_needs_a_learner_id(attempted, make_block, call, body):
    assert call(make_block.as_user(attempted, "staff"), "staff_reset", body)[0] == 400


def test_csv_lists_every_learner_of_the_block(attempted, make_block, call):
    status, text = call(make_block.as_user(attempted, "staff"), "staff_csv", method="GET")
    assert status == 200
    rows = read_back(text, ",")
    assert rows[0] == ["Anonymous learner id", "Attempts", "Points earned", "Points possible", "Percent",
                       "Last submitted"]
    assert rows[1][:5] == ["student_1", "1", "1", "1", "100"] and rows[2][:5] == ["student_2", "1", "0", "1", "0"]
    assert len(rows) == 3


def test_csv_cells_cannot_run_as_formulas(make_block, call):
    block = make_block(QUIZ, user="=HYPERLINK(1)")
    call(block, "submit", {"attempt": 1, "answers": {"q": True}})
    _status, text = call(make_block.as_user(block, "staff"), "staff_csv", method="GET")
    assert "'=HYPERLINK(1)" in text


def test_a_lost_roster_row_never_blocks_a_learner(make_block, call):
    """User retirement or a restore may drop roster rows; the learner's own state wins."""
    block = make_block('<sse_quiz><question id="q" type="truefalse" answer="true"><prompt>S</prompt></question>'
                       "</sse_quiz>")
    call(block, "submit", {"attempt": 1, "answers": {"q": False}})
    roster.forget_learner("student_1")
    learner = make_block.as_user(block, "student_1")
    assert call(learner, "submit", {"attempt": 2, "answers": {"q": True}})[0] == 200
    assert QuizRoster.objects.get(usage_id=str(block.scope_ids.usage_id)).attempts == 2


def test_an_old_roster_version_ahead_of_the_state_is_not_a_twin(make_block, call):
    from datetime import timedelta

    from django.utils import timezone

    block = make_block('<sse_quiz><question id="q" type="truefalse" answer="true"><prompt>S</prompt></question>'
                       "</sse_quiz>")
    call(block, "submit", {"attempt": 1, "answers": {"q": False}})
    block.submits = 0                                 # the state was restored without the roster
    block.attempts = 0
    block.save()
    QuizRoster.objects.update(last_submitted=timezone.now() - roster.TWIN_WINDOW - timedelta(seconds=1))
    assert call(make_block.as_user(block, "student_1"), "submit", {"attempt": 1, "answers": {"q": True}})[0] == 200


def _roster(block, count: int):
    """``count`` learners of the block, one second apart (learner 0 submitted first)."""
    from datetime import timedelta

    from django.utils import timezone

    usage = str(block.scope_ids.usage_id)
    start = timezone.now() - timedelta(days=1)
    QuizRoster.objects.bulk_create([
        QuizRoster(anonymous_user_id=f"learner_{i:03d}", course_id="course", usage_id=usage, submits=1, attempts=1,
                   earned=1, possible=1, last_submitted=start + timedelta(seconds=i))
        for i in range(count)
    ])


def test_staff_panel_pages_through_every_learner_most_recent_first(make_block, call):
    """Issue 12: the panel used to show the 100 most recent learners only; now every page is reachable."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    block = make_block(QUIZ)
    _roster(block, roster.STAFF_PAGE_SIZE * 2 + 5)
    staff = make_block.as_user(block, "staff")
    html = staff.render("student_view", {}).body_html()
    assert 'data-learner="learner_104"' in html and 'data-learner="learner_054"' not in html
    assert 'data-role="staff-next"' in html and "Page 1" in html
    seen, cursor = [], None
    for expected_next in (True, False):
        # the second and third pages come from the handler
        if cursor is None:
            cursor = staff.staff_context()["last"]
        with CaptureQueriesContext(connection) as ctx:
            status, page = call(staff, "staff_page", {"after": cursor})
        assert status == 200 and page["has_prev"] and page["has_next"] is expected_next
        assert len(ctx.captured_queries) <= 2  # one keyset read (plus the staff check's own look-up)
        seen += [r["learner"] for r in page["rows"]]
        cursor = page["last"]
    assert seen[0] == "learner_054" and seen[-1] == "learner_000" and len(seen) == 55
    status, back = call(staff, "staff_page", {"before": page["first"]})
    assert [r["learner"] for r in back["rows"]][0] == "learner_054" and back["has_prev"]


@pytest.mark.parametrize("body", [{}, {"after": "x"}, {"after": 5}, {"before": "2020-01-01T00:00:00|x"},
                                  {"after": "2020-01-01T00:00:00+00:00|1", "before": "2020-01-01T00:00:00+00:00|1"},
                                  {"after": "2020-13-01T00:00:00+00:00|1"},
                                  {"after": "2020-01-01T00:00:00+00:00|\u00b2"}])  # a digit int() does not read
def test_staff_page_refuses_a_bad_cursor(attempted, make_block, call, body):
    status, data = call(make_block.as_user(attempted, "staff"), "staff_page", body)
    assert status == 400 and data["error"]


def test_learners_get_403_from_the_staff_pages(attempted, make_block, call):
    status, _data = call(make_block.as_user(attempted, "student_1"), "staff_page",
                         {"after": "2020-01-01T00:00:00+00:00|1"})
    assert status == 403
