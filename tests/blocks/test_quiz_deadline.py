"""The quiz closes after the due date and grace period that the platform gives it: nothing is counted after.

The dates are set on the block as OLX attributes (``due``, ``graceperiod``), as the workbench and an import
set them; in the LMS they are inherited from the subsection and personalised by edx-when (see
tests/contracts/test_calendar_contract.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from django.utils import translation

from factories import olx
from sse_academy_xblock.profile.models import DimensionScore
from sse_academy_xblock.quiz.models import QuizRoster

RIGHT = {"q1": "a", "q2": True}
PAST = "2020-12-05T17:00:00Z"
FUTURE = "2099-03-01T09:30:00Z"


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def quiz(make_block, user="amina", **attributes):
    text = olx("quiz_contract").replace("<sse_quiz ", "<sse_quiz " + " ".join(
        f'{name}="{value}"' for name, value in attributes.items()) + " ", 1)
    return make_block(text, user=user)


def test_a_submit_after_the_due_date_is_refused_with_the_date_and_nothing_is_counted(make_block, call):
    block = quiz(make_block, due=PAST)
    published = []
    block.runtime.publish = lambda *args: published.append(args)
    status, reply = call(block, "submit", {"attempt": 1, "answers": RIGHT})
    assert status == 409
    assert reply["error"] == "This quiz closed on 5 December 2020 at 17:00 (UTC)."
    assert block.attempts == 0 and block.raw_earned is None and published == []
    assert not QuizRoster.objects.exists() and not DimensionScore.objects.exists()
    again = make_block.as_user(block, "amina")
    assert again.attempts == 0 and again.answers == {}
    # The workbench's stand-in dates (the SDK sets due to "now" before every handler call) are never stored.
    assert again.due == datetime(2020, 12, 5, 17, 0, tzinfo=timezone.utc) and again.graceperiod is None


def test_the_page_tells_the_due_date_before_it_passes_and_that_the_quiz_closed_after(make_block):
    open_quiz = quiz(make_block, due=FUTURE)
    html = open_quiz.render("student_view", {}).content
    assert "Due: 2099-03-01 09:30 UTC." in html  # the browser writes it in the learner's time zone
    assert 'data-role="submit" disabled' not in html

    closed = quiz(make_block, due=PAST)
    html = closed.render("student_view", {}).content
    assert "This quiz closed on 2020-12-05 17:00 UTC." in html and "Due:" not in html
    assert 'data-role="submit" disabled' in html


def test_a_quiz_without_a_due_date_never_closes(make_block, call):
    block = quiz(make_block)
    assert call(block, "submit", {"attempt": 1, "answers": RIGHT})[0] == 200
    assert "Due:" not in block.render("student_view", {}).content


def test_the_grace_period_keeps_the_quiz_open_after_the_due_date(make_block, call):
    """The platform's close date is due + graceperiod (InheritanceMixin.close_date)."""
    now = datetime.now(timezone.utc)
    within = quiz(make_block, due=stamp(now - timedelta(hours=1)), graceperiod="2 hours")
    status, reply = call(within, "submit", {"attempt": 1, "answers": RIGHT})
    assert status == 200, reply
    after = quiz(make_block, due=stamp(now - timedelta(hours=3)), graceperiod="2 hours")
    status, reply = call(after, "submit", {"attempt": 1, "answers": RIGHT})
    assert status == 409 and reply["error"].startswith("This quiz closed on ")


def test_the_refusal_is_written_in_the_learners_language_and_time_zone(make_block, call):
    block = quiz(make_block, due=PAST)
    # The LMS hands blocks the user's time zone preference (common/djangoapps/xblock_django/user_service.py).
    user = block.runtime.service(block, "user").get_current_user()
    user.opt_attrs["edx-platform.user_preferences"] = {"pref-lang": "fr", "time_zone": "Europe/Paris"}
    with translation.override("fr"):
        status, reply = call(block, "submit", {"attempt": 1, "answers": RIGHT})
    assert status == 409
    assert reply["error"] == "Ce quiz a été fermé le 5 décembre 2020 à 18:00 (UTC+1)."
    with translation.override("es"):
        status, reply = call(block, "submit", {"attempt": 1, "answers": RIGHT})
    assert reply["error"] == "Este cuestionario se cerró el 5 de diciembre de 2020 a las 18:00 (UTC+1)."


@pytest.mark.parametrize("attribute", ["due", "graceperiod"])
def test_the_dates_survive_export_and_import(make_block, attribute):
    """They are the platform's fields: kept as attributes of the element, not in our own settings."""
    from lxml import etree

    block = quiz(make_block, due=FUTURE, graceperiod="1 day")
    node = etree.Element("root")
    block.add_xml_to_node(node)
    assert node.get(attribute) == {"due": "2099-03-01T09:30:00Z", "graceperiod": "1 day"}[attribute] or (
        attribute == "graceperiod" and node.get(attribute))
    again = make_block(etree.tostring(node, encoding="unicode"))
    assert (again.due, again.graceperiod) == (block.due, block.graceperiod)


# --- results: the platform's show_correctness, and the show-answer choices that depend on the date -----------


def test_past_due_results_stay_hidden_until_the_due_date_then_appear(make_block, call):
    block = quiz(make_block, due=FUTURE, show_correctness="past_due", show_answer="past_due")
    status, reply = call(block, "submit", {"attempt": 1, "answers": RIGHT})
    assert status == 200, reply
    assert reply["message"] == ("Your answers have been submitted. Your results will be shown after the due date, "
                                "2099-03-01 09:30 UTC.")
    view = reply["view"]
    assert not {"earned", "possible", "percent", "passed"} & set(view) and view["score_text"] == ""
    assert all(q["result"] is None and not q["key_text"] for q in view["questions"])
    # A full score does not end the attempts while it is hidden (it would tell the score).
    assert view["can_submit"] and call(block, "submit", {"attempt": 2, "answers": RIGHT})[0] == 200
    html = block.render("student_view", {}).content
    assert "Your results will be shown after the due date" in html and "3 of 3 points" not in html

    later = make_block.as_user(block, "amina")
    later.due = datetime(2020, 1, 1, tzinfo=timezone.utc)  # the due date has passed (as for a later visit)
    later.save()
    html = later.render("student_view", {}).content
    assert "Your score: 3 of 3 points (100%)." in html and "Correct answer: A" in html


def test_never_hides_results_from_learners_and_staff_alike(make_block, call):
    block = quiz(make_block, show_correctness="never")
    status, reply = call(block, "submit", {"attempt": 1, "answers": RIGHT})
    assert reply["message"] == "Your answers have been submitted. This quiz does not show results."
    staff = make_block.as_user(block, "staff")
    status, reply = call(staff, "submit", {"attempt": 1, "answers": RIGHT})
    assert status == 200 and reply["view"]["score_text"] == "" and "earned" not in reply["view"]


def test_show_correctness_is_the_platforms_attribute_kept_through_export(make_block):
    from lxml import etree

    block = quiz(make_block, show_correctness="past_due")
    node = etree.Element("root")
    block.add_xml_to_node(node)
    assert node.get("show_correctness") == "past_due"


def test_the_workbench_scenario_past_its_due_date_refuses_a_submit_and_shows_the_answers(make_block, call):
    from sse_academy_xblock.scenarios import load

    xml = dict(load("sse_quiz"))["Cooperatives: past its due date"]
    block = make_block(xml)
    status, reply = call(block, "submit", {"attempt": 1, "answers": {"instrument": "a"}})
    assert status == 409 and reply["error"] == "This quiz closed on 30 June 2025 at 17:00 (UTC)."
    html = block.render("student_view", {}).content
    assert "This quiz closed on 2025-06-30 17:00 UTC." in html
    assert "Correct answer: Recommendation No. 193" in html  # show_answer="past_due"
