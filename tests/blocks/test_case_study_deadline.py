"""The case study's windows: responses close at the platform's due date, reviewing at ``review_due``.

Every learner write after its window (a draft, a response, asking for a review, a review's draft, a
review, a report, a rating) is refused with 409 and the date, and changes nothing; reading the page
stays open, and so do the staff's tools. Once reviewing has closed, nobody is left waiting.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from django.utils import translation
from lxml import etree
from submissions import api as submissions_api

from factories import olx, respond
from sse_academy_xblock import platform
from sse_academy_xblock.olx import OLXError
from sse_academy_xblock.peer.models import Flag, PeerSubmission, ResponseDraft, Review, ReviewLease
from sse_academy_xblock.peer.feedback import ReviewFeedback

PAST = datetime(2020, 12, 5, 17, 0, tzinfo=timezone.utc)
FUTURE = datetime(2099, 3, 1, 9, 30, tzinfo=timezone.utc)
RESPONSES_CLOSED = "Responses to this case study closed on 5 December 2020 at 17:00 (UTC)."
REVIEWS_CLOSED = "Reviews for this case study closed on 5 December 2020 at 17:00 (UTC)."
TEXT = "A careful analysis of the recovered factory and its workers."
REVIEW = {"options": {"c": 1}, "overall": "Clear."}


def case(make_block, user="ana", **attributes):
    platform_attrs = "".join(f'{name}="{value}" ' for name, value in attributes.items())
    return make_block(olx("case_study_contract", platform=platform_attrs), user=user)


def set_dates(block, make_block, **dates):
    """The course team moves a date (or time passes it): stored on the block, seen by every learner after."""
    staff = make_block.as_user(block, "staff")
    for name, value in dates.items():
        setattr(staff, name, value)
    staff.save()


def as_user(make_block, block, name):
    return make_block.as_user(block, name)


def test_after_the_due_date_no_response_is_written_or_submitted(make_block, call):
    ana = case(make_block, due="2020-12-05T17:00:00Z")
    status, reply = call(ana, "save_draft", {"text": "First thoughts"})
    assert (status, reply["error"]) == (409, RESPONSES_CLOSED)
    status, reply = call(ana, "submit_response", {"text": TEXT})
    assert (status, reply["error"]) == (409, RESPONSES_CLOSED)
    assert not ResponseDraft.objects.exists() and not PeerSubmission.objects.exists()
    assert submissions_api.get_submissions(platform.student_item(ana)) == []
    assert not as_user(make_block, ana, "ana").has_saved
    # Reading the page stays open, and says why nothing can be written.
    status, reply = call(ana, "state", {})
    assert status == 200 and reply["state"]["window"] == {
        "open": False, "text": "Responses to this case study closed on 2020-12-05 17:00 UTC."}


@pytest.fixture
def reviewing(make_block, call):
    """ana and ben submitted before the due date; ben holds ana's response to review, with a draft."""
    ana = case(make_block, due=FUTURE.isoformat())
    ben = as_user(make_block, ana, "ben")
    respond(call, ana, TEXT)
    respond(call, ben, TEXT + " Ben's view.")
    status, reply = call(ben, "next_review", {})
    lease = reply["state"]["review"]["lease_id"]
    assert call(ben, "save_review_draft", {"lease_id": lease, "review": {"options": {"c": 0}}})[0] == 200
    return ana, ben, lease


def test_after_reviewing_closes_no_review_is_asked_for_drafted_given_or_reported(make_block, call, reviewing):
    ana, ben, lease = reviewing
    set_dates(ana, make_block, due=PAST)
    ben = as_user(make_block, ana, "ben")
    before = ReviewLease.objects.get(pk=lease)
    for handler, body in (
        ("next_review", {}),
        ("save_review_draft", {"lease_id": lease, "review": REVIEW}),
        ("submit_review", {"lease_id": lease, "review": REVIEW}),
        ("flag_response", {"lease_id": lease, "reason": "Copied."}),
    ):
        status, reply = call(ben, handler, body)
        assert (status, reply["error"]) == (409, REVIEWS_CLOSED), handler
    after = ReviewLease.objects.get(pk=lease)
    assert (after.status, after.draft) == (before.status, before.draft)
    assert after.status == ReviewLease.OPEN and after.draft["options"] == {"c": 0}
    assert not Review.objects.exists() and not Flag.objects.exists()


def test_with_a_review_date_responses_close_first_and_reviewing_goes_on(make_block, call, reviewing):
    ana, ben, lease = reviewing
    set_dates(ana, make_block, due=PAST, review_due=FUTURE)
    ben, cleo = as_user(make_block, ana, "ben"), as_user(make_block, ana, "cleo")
    status, reply = call(cleo, "submit_response", {"text": TEXT})
    assert (status, reply["error"]) == (409, RESPONSES_CLOSED)
    status, reply = call(ben, "submit_review", {"lease_id": lease, "review": REVIEW})
    assert status == 200, reply
    assert reply["state"]["window"] == {"open": True, "text": "Reviewing closes on 2099-03-01 09:30 UTC."}


def test_ratings_of_reviews_close_with_reviewing(make_block, call):
    ana = case(make_block, due=FUTURE.isoformat())
    ben = as_user(make_block, ana, "ben")
    for block in (ana, ben):
        respond(call, block, TEXT)
    for block in (ana, ben):
        status, reply = call(block, "next_review", {})
        call(block, "submit_review", {"lease_id": reply["state"]["review"]["lease_id"], "review": REVIEW})
    review_id = Review.objects.get(reviewer_id="ben").pk
    set_dates(ana, make_block, due=PAST)
    ana = as_user(make_block, ana, "ana")
    status, reply = call(ana, "rate_review", {"review_id": review_id, "helpful": True})
    assert status == 409
    assert reply["error"] == ("This case study closed on 5 December 2020 at 17:00 (UTC): ratings of reviews can no "
                              "longer be given.")
    assert not ReviewFeedback.objects.exists()
    grade = call(ana, "state", {})[1]["state"]["grade"]
    assert grade and not any(r["feedback"]["editable"] for r in grade["counted"])


def test_once_reviewing_has_closed_nobody_is_left_waiting(make_block, call, reviewing):
    """ben owes a review and ana's response has none: when reviewing closes, both responses go to the staff
    queue (no review to grade them with) and ben owes nothing more; the course team can grade them."""
    ana, ben, _lease = reviewing
    set_dates(ana, make_block, due=PAST)
    status, reply = call(as_user(make_block, ana, "ana"), "state", {})
    assert status == 200 and reply["state"]["waiting"].startswith("Too few reviews arrived in time")
    assert set(PeerSubmission.objects.values_list("staff_queue", flat=True)) == {True}
    # Staff tools stay open after the dates.
    staff = as_user(make_block, ana, "staff")
    sub = PeerSubmission.objects.get(anonymous_user_id="ana")
    status, reply = call(staff, "staff_grade", {"submission": sub.pk, "points": 4, "reason": "Graded by staff."})
    assert status == 200, reply
    assert PeerSubmission.objects.get(pk=sub.pk).final_points == 4


def test_the_page_gives_the_dates_before_they_pass(make_block, call):
    ana = case(make_block, due=FUTURE.isoformat())
    state = call(ana, "state", {})[1]["state"]
    assert state["window"] == {"open": True, "text": "Responses are due on 2099-03-01 09:30 UTC."}
    assert "Responses are due on 2099-03-01 09:30 UTC." in ana.render("student_view", {}).content


def test_the_refusal_is_in_the_learners_language_and_time_zone(make_block, call):
    ana = case(make_block, due="2020-12-05T17:00:00Z")
    user = ana.runtime.service(ana, "user").get_current_user()
    user.opt_attrs["edx-platform.user_preferences"] = {"time_zone": "America/Mexico_City"}
    with translation.override("es"):
        status, reply = call(ana, "submit_response", {"text": TEXT})
    assert reply["error"] == ("Las respuestas a este estudio de caso se cerraron el 5 de diciembre de 2020 a las 11:00 "
                              "(UTC\u22126).")
    with translation.override("fr"):
        status, reply = call(ana, "save_draft", {"text": TEXT})
    assert reply["error"] == "Les réponses à cette étude de cas ont été closes le 5 décembre 2020 à 11:00 (UTC\u22126)."


# --- review_due: OLX, export, the editor -------------------------------------------------------------------


def test_review_due_is_an_olx_attribute_kept_through_export(make_block):
    block = make_block(olx("case_study_contract", reviews='reviews_required="1" review_due="2099-03-08T09:30:00Z"'))
    assert block.review_due == datetime(2099, 3, 8, 9, 30, tzinfo=timezone.utc)
    node = etree.Element("root")
    block.add_xml_to_node(node)
    assert node.get("review_due") == "2099-03-08T09:30:00Z"


@pytest.mark.parametrize("attributes, message", [
    ('review_due="next week"', "must be a date and time"),
    ('due="2099-03-08T09:30:00Z" review_due="2099-03-01T09:30:00Z"', "before due="),
])
def test_olx_refuses_a_review_date_that_is_not_one_or_comes_before_the_due_date(make_block, attributes, message):
    with pytest.raises(OLXError, match=message):
        make_block(olx("case_study_contract", reviews='reviews_required="1" ' + attributes))


def editor_payload(block, **changes):
    payload = {"display_name": "Case", "dimension": "employment", "weight": "", "reviews_required": "1",
               "reviews_to_give": "1", "min_words": "0", "max_words": "0", "lease_hours": "24", "waiting_days": "7",
               "waiting_rule": "lower", "divergence_threshold": "0.5", "content_language": "en",
               "case": "", "prompt": "Write.", "rubric": block.rubric, "review_due": ""}
    payload.update(changes)
    return payload


def test_the_editor_sets_review_due_in_utc_and_refuses_one_before_the_due_date(make_block, call):
    staff = case(make_block, user="staff", due=FUTURE.isoformat())
    html = staff.render("studio_view", {}).content
    assert 'name="review_due" value=""' in html and "Responses are due on 2099-03-01 09:30 UTC" in html
    status, reply = call(staff, "studio_submit", editor_payload(staff, review_due="2099-02-20T12:00"))
    assert status == 400 and reply["fields"] == ["review_due"]
    assert reply["errors"] == ["Reviewing cannot close before responses are due (2099-03-01 09:30 UTC)."]
    assert as_user(make_block, staff, "staff").review_due is None
    status, reply = call(staff, "studio_submit", editor_payload(staff, review_due="2099-03-08T09:30"))
    assert status == 200, reply
    saved = as_user(make_block, staff, "staff")
    assert saved.review_due == datetime(2099, 3, 8, 9, 30, tzinfo=timezone.utc)
    assert 'name="review_due" value="2099-03-08T09:30"' in saved.render("studio_view", {}).content
    status, reply = call(staff, "studio_submit", editor_payload(staff, review_due="soon"))
    assert status == 400 and "must be a date and time in UTC" in reply["errors"][0]


def test_the_workbench_scenario_past_its_due_date_refuses_every_write(make_block, call):
    from sse_academy_xblock.scenarios import load

    block = make_block(dict(load("sse_case_study"))["Worker cooperatives: past their due date"])
    status, reply = call(block, "submit_response", {"text": TEXT})
    assert status == 409 and reply["error"] == "Responses to this case study closed on 30 June 2025 at 17:00 (UTC)."
    status, reply = call(block, "next_review", {})
    assert status == 409 and reply["error"] == "Reviews for this case study closed on 14 July 2025 at 17:00 (UTC)."


def test_self_assessment_closes_with_reviewing(make_block, call):
    ana = case(make_block, due=FUTURE.isoformat(), self_assessment="shown")
    respond(call, ana, TEXT)
    assert call(ana, "state", {})[1]["state"]["self_assessment"]["open"]
    set_dates(ana, make_block, due=PAST)
    ana = as_user(make_block, ana, "ana")
    status, reply = call(ana, "submit_self_assessment", {"options": {"c": 1}})
    assert status == 409
    assert reply["error"] == ("This case study closed on 5 December 2020 at 17:00 (UTC): your response can no longer "
                              "be self-assessed.")
    from sse_academy_xblock.peer.models import SelfAssessment

    assert not SelfAssessment.objects.exists()
    assert not call(ana, "state", {})[1]["state"]["self_assessment"]["open"]
