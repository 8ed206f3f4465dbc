"""Review feedback through the case study's handlers: the author rates the reviews of their graded
response, reviewers never see the ratings, staff see them in the submission detail and the CSV."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from factories import graded_pair_by_handlers, olx, respond, review_through
from spreadsheets import read_back
from sse_academy_xblock import platform
from sse_academy_xblock.peer.models import PeerSubmission, Review, ReviewFeedback

CASE = olx("case_study_argument")


@pytest.fixture
def blocks(make_block, call, transactional_db):
    """ana and ben review each other (both graded); cleo has submitted and waits. By user name."""
    ana = make_block(CASE, user="ana")
    found = {"ana": ana, "ben": make_block.as_user(ana, "ben"), "cleo": make_block.as_user(ana, "cleo"),
             "staff": make_block.as_user(ana, "staff")}
    graded_pair_by_handlers(call, found["ana"], found["ben"],
                            ("ana's answer about the cooperative", "ben's answer about the cooperative"),
                            ({"options": {"a": 1}, "overall": "Ben, say more about the members."},
                             {"options": {"a": 2}, "overall": "Strong, Ana."}))
    return found


def review_of(author):
    return Review.objects.get(submission__anonymous_user_id=author)


def rows():
    return sorted(ReviewFeedback.objects.values_list("review_id", "helpful", "comment", "created", "updated"))


def test_the_author_rates_a_review_and_sees_it_on_their_page(blocks, call):
    ana = blocks["ana"]
    card = call(ana, "state", {})[1]["state"]["grade"]["counted"][0]
    assert card["id"] == review_of("ana").pk and card["feedback"]["rated"] is False and card["feedback"]["editable"]
    status, reply = call(ana, "rate_review", {"review_id": card["id"], "helpful": True,
                                              "comment": "  It told me what to add.  "})
    assert status == 200, reply
    assert reply["message"] == "Thank you: your rating is saved. Only the course team sees it."
    assert reply["feedback"]["saved_text"].startswith("You rated this review as helpful (")
    assert reply["feedback"]["until_text"].startswith("You can change your rating until ")
    card = call(ana, "state", {})[1]["state"]["grade"]["counted"][0]
    assert (card["feedback"]["helpful"], card["feedback"]["comment"]) == (True, "It told me what to add.")
    # Changed the same day: still one rating.
    assert call(ana, "rate_review", {"review_id": card["id"], "helpful": False})[0] == 200
    assert [(h, c) for _r, h, c, _c, _u in rows()] == [(False, "")]
    html = ana.render("student_view", {}).body_html()
    assert "rate_review" in html  # the page knows where to send ratings


def test_refusals_are_4xx_with_a_message_and_change_nothing(blocks, call):
    ana, ben, cleo = blocks["ana"], blocks["ben"], blocks["cleo"]
    assert call(cleo, "submit_response", {"text": "cleo's answer, not yet reviewed"})[0] == 200
    mine, theirs = review_of("ana").pk, review_of("ben").pk
    call(ana, "rate_review", {"review_id": mine, "helpful": True, "comment": "first"})
    before = rows()
    refusals = [
        (ana, {"review_id": theirs, "helpful": True}, 404, "not found"),            # ben's review (ana wrote it)
        (ben, {"review_id": mine, "helpful": False}, 404, "not found"),             # its reviewer, not its author
        (cleo, {"review_id": mine, "helpful": False}, 404, "not found"),            # another learner
        (ana, {"review_id": 10**12, "helpful": True}, 404, "not found"),
        (ana, {"review_id": "12abc", "helpful": True}, 400, "not valid"),
        (ana, {"review_id": mine}, 400, "Yes or No"),
        (ana, {"review_id": mine, "helpful": "yes"}, 400, "Yes or No"),
        (ana, {"review_id": mine, "helpful": True, "comment": "x" * 501}, 400, "501 characters; the limit is 500"),
        (ana, {"review_id": mine, "helpful": True, "comment": 5}, 400, "must be text"),
        (ana, {"review_id": mine, "helpful": True, "comment": "bell \u0007"}, 400, "cannot be stored"),
        (ana, {"review_id": mine, "helpful": True, "comment": "nul \u0000"}, 400, "cannot be stored"),
    ]
    for block, body, status, words in refusals:
        got, reply = call(block, "rate_review", body)
        assert (got, words in reply["error"]) == (status, True), (body, got, reply)
        assert rows() == before
    assert call(ana, "rate_review", raw=b'{"review_id": 1, "helpful": true, "helpful": false}')[0] == 400
    assert call(ana, "rate_review", method="GET")[0] == 405
    assert rows() == before


def test_not_before_the_grade(blocks, call, make_block):
    cleo, dan = blocks["cleo"], make_block.as_user(blocks["ana"], "dan")
    for block in (cleo, dan):
        respond(call, block, "an answer about the cooperative")
    review_through(call, dan, {"options": {"a": 1}})
    to_cleo = Review.objects.get(reviewer_id="dan")
    assert to_cleo.submission.anonymous_user_id == "cleo"  # the least reviewed response
    assert to_cleo.submission.graded_at is None            # cleo has not given her review yet
    status, reply = call(cleo, "rate_review", {"review_id": to_cleo.pk, "helpful": True})
    assert status == 409 and reply["error"] == "You can rate the reviews of your response once it is graded."
    assert not ReviewFeedback.objects.exists()
    review_through(call, cleo, {"options": {"a": 1}})
    assert call(cleo, "rate_review", {"review_id": to_cleo.pk, "helpful": True})[0] == 200


def test_a_week_later_the_rating_is_read_only(blocks, call):
    ana = blocks["ana"]
    mine = review_of("ana").pk
    assert call(ana, "rate_review", {"review_id": mine, "helpful": True, "comment": "useful"})[0] == 200
    ReviewFeedback.objects.filter(review_id=mine).update(created=timezone.now() - timedelta(days=7, minutes=1))
    before = rows()
    status, reply = call(ana, "rate_review", {"review_id": mine, "helpful": False})
    assert status == 409 and "can no longer be changed" in reply["error"]
    assert rows() == before
    card = call(ana, "state", {})[1]["state"]["grade"]["counted"][0]
    assert card["feedback"]["editable"] is False and "can no longer be changed" in card["feedback"]["until_text"]


def test_staff_viewing_as_the_learner_and_anonymous_callers_cannot_rate(blocks, call, monkeypatch):
    ana = blocks["ana"]
    mine = review_of("ana").pk
    monkeypatch.setattr(platform, "is_viewing_as_learner", lambda block: True)
    status, reply = call(ana, "rate_review", {"review_id": mine, "helpful": True})
    assert status == 403 and "viewing this as a learner" in reply["error"]
    monkeypatch.undo()
    monkeypatch.setattr(platform, "anonymous_user_id", lambda block: None)
    assert call(ana, "rate_review", {"review_id": mine, "helpful": True})[0] == 403
    assert not ReviewFeedback.objects.exists()


def test_reviewers_never_learn_about_ratings(blocks, call):
    ana, ben = blocks["ana"], blocks["ben"]
    call(ana, "rate_review", {"review_id": review_of("ana").pk, "helpful": False, "comment": "Vague and rude."})
    reply = call(ben, "state", {})[1]
    text = json.dumps(reply)
    assert "Vague and rude." not in text and "not helpful" not in text
    assert all(not c["feedback"]["rated"] for c in reply["state"]["grade"]["counted"])  # ben's own received review
    assert "Vague and rude." not in ben.render("student_view", {}).body_html()


def test_staff_see_the_rating_and_the_comment_in_the_detail_and_counts_in_the_csv(blocks, call):
    ana, staff = blocks["ana"], blocks["staff"]
    hostile = "<img src=x onerror=alert(1)> =HYPERLINK(\"x\")"
    call(ana, "rate_review", {"review_id": review_of("ana").pk, "helpful": True, "comment": hostile})
    ana_sub = PeerSubmission.objects.get(anonymous_user_id="ana").pk
    status, reply = call(staff, "staff_submission", {"submission": ana_sub})
    assert status == 200
    (shown,) = reply["detail"]["reviews"]
    assert shown["feedback"]["helpful"] is True and shown["feedback"]["comment"] == hostile  # shown as text
    status, csv_text = call(staff, "staff_csv", method="GET")
    assert status == 200
    columns, *lines = read_back(csv_text, ",")
    by_learner = {line[1]: line for line in lines}
    # ben wrote the review ana rated helpful; ana's review of ben is not rated.
    assert by_learner["ben"][columns.index("Ratings received")] == "1"
    assert by_learner["ben"][columns.index("Rated helpful by the authors")] == "1"
    assert by_learner["ana"][columns.index("Ratings received")] == "0"
    assert "HYPERLINK" not in csv_text  # comments are not in the CSV
