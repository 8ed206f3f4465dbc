"""The case study on the workbench runtime: four learners submit, review each other and are graded."""

import pytest
from submissions import api as submissions_api

from factories import olx, respond, review_through
from sse_academy_xblock import platform
from sse_academy_xblock.profile.models import DimensionScore
from sse_academy_xblock.peer.models import PeerSubmission, ResponseDraft, ReviewLease

CASE = olx("case_study_factory")
LEARNERS = ["amina", "bruno", "chen", "dolores"]


@pytest.fixture
def case(make_block):
    return make_block(CASE, user="amina")


def text_of(name):
    return f"{name} thinks the cooperative keeps the jobs and the members decide together."


def submit_all(make_block, case, call):
    blocks = {name: make_block.as_user(case, name) for name in LEARNERS}
    for name, block in blocks.items():
        respond(call, block, text_of(name))
    return blocks


def review_once(block, call, analysis=1, rights=1, extra=False):
    return review_through(call, block, {"options": {"analysis": analysis, "rights": rights},
                                        "comments": {"analysis": "Clear argument."}, "overall": "Well done."},
                          extra=extra)


def test_view_sanitises_author_html_and_shows_the_rubric(case):
    html = case.render("student_view", {}).body_html()
    assert "The workers took over." in html and "<strong>takeover</strong>" in html
    assert "<script>alert" not in html and "onclick" not in html
    assert "Strong" in html and "4 points" in html
    assert "review 3 responses of other learners" in html


def test_a_response_of_zero_width_spaces_is_refused_without_a_word_minimum(make_block, call):
    case = make_block(CASE.replace('min_words="5"', 'min_words="0"'), user="amina")
    status, reply = call(case, "submit_response", {"text": "\u200b\u200b\u2060\u200d"})
    assert status == 400
    assert reply["error"] == "Your response has no words: it holds only spaces or invisible characters."
    assert not PeerSubmission.objects.exists() and case.submission_id is None and case.attempts == 0
    assert submissions_api.get_submissions(platform.student_item(case)) == []
    assert call(make_block.as_user(case, "amina"), "state", {})[1]["state"]["phase"] == "write"


def test_draft_survives_a_reload(case, call, make_block):
    status, reply = call(case, "save_draft", {"text": "My first thoughts"})
    assert status == 200 and reply["saved"]
    again = make_block.as_user(case, "amina")
    status, reply = call(again, "state", {})
    assert reply["state"] == {"phase": "write", "draft": "My first thoughts", "draft_saved": reply["state"]["draft_saved"],
                              "window": {"open": True, "text": ""}}  # no due date: always open
    assert call(make_block.as_user(case, "bruno"), "state", {})[1]["state"]["draft"] == ""


def test_word_limits_and_single_submission(case, call):
    status, reply = call(case, "submit_response", {"text": "too short"})
    assert status == 400 and "at least 5" in reply["error"]
    status, reply = call(case, "submit_response", {"text": "word " * 51})
    assert status == 400 and "at most 50" in reply["error"]
    status, reply = call(case, "submit_response", {"text": text_of("amina")})
    assert status == 200 and reply["state"]["phase"] == "submitted"
    status, reply = call(case, "submit_response", {"text": text_of("amina")})
    assert status == 409
    assert PeerSubmission.objects.count() == 1


def test_bad_requests_are_clear_4xx(case, call):
    assert call(case, "submit_response", raw=b"{not json")[0] == 400
    assert call(case, "submit_response", raw=b"[1, 2]")[0] == 400
    assert call(case, "state", method="GET")[0] == 405
    status, reply = call(case, "submit_review", {"lease_id": "x", "review": {}})
    assert status == 400 and reply["error"]
    status, reply = call(case, "next_review", {})
    assert status == 409 and "Submit your own response" in reply["error"]


def test_four_learners_review_each_other_and_are_all_graded(make_block, case, call, transactional_db):
    blocks = submit_all(make_block, case, call)
    for _round in range(3):
        for name in LEARNERS:
            task, reply = review_once(blocks[name], call)
            assert text_of(name) != task["text"]  # never their own
    for name in LEARNERS:
        status, reply = call(blocks[name], "state", {})
        grade = reply["state"]["grade"]
        assert grade["summary"] == "Your score: 5 of 7 points (71%)."
        assert [m["median"] for m in grade["medians"]] == [2, 3]
        assert len(grade["counted"]) == 3 and grade["counted"][0]["parts"][0]["comment"] == "Clear argument."
        score = submissions_api.get_score(platform.student_item(blocks[name]))
        assert (score["points_earned"], score["points_possible"]) == (5, 7)
        assert DimensionScore.objects.get(anonymous_user_id=name).earned == 5
        assert blocks[name].learner_breakdown() == {"rights_at_work": {"earned": 5.0, "possible": 7.0}}
    assert ReviewLease.objects.filter(status=ReviewLease.DONE).count() == 12


def test_reviews_are_anonymous_both_ways(make_block, case, call, transactional_db):
    blocks = submit_all(make_block, case, call)
    status, reply = call(blocks["amina"], "next_review", {})
    task_json = str(reply["state"]["review"])
    for name in LEARNERS:
        assert name not in task_json.replace(text_of("bruno"), "")  # only the text itself names its author
    for _round in range(3):
        for name in LEARNERS:
            if name == "amina" and _round == 0:
                lease = reply["state"]["review"]["lease_id"]
                call(blocks[name], "submit_review", {"lease_id": lease, "review": {"options": {"analysis": 1, "rights": 1}}})
                continue
            review_once(blocks[name], call)
    grade_json = str(call(blocks["amina"], "state", {})[1]["state"]["grade"])
    for name in ("bruno", "chen", "dolores"):
        assert name not in grade_json


def test_review_draft_is_kept_across_reloads(make_block, case, call):
    blocks = submit_all(make_block, case, call)
    task = call(blocks["chen"], "next_review", {})[1]["state"]["review"]
    status, reply = call(blocks["chen"], "save_review_draft", {
        "lease_id": task["lease_id"], "review": {"options": {"rights": 1}, "comments": {"rights": "Half"}}})
    assert status == 200
    state = call(make_block.as_user(case, "chen"), "state", {})[1]["state"]
    assert state["review"]["lease_id"] == task["lease_id"]
    assert state["review"]["draft"]["comments"] == {"rights": "Half"}
    # another learner cannot touch it
    status, reply = call(blocks["bruno"], "save_review_draft", {"lease_id": task["lease_id"], "review": {}})
    assert status == 404


def test_flagging_gives_another_response(make_block, case, call):
    blocks = submit_all(make_block, case, call)
    task = call(blocks["dolores"], "next_review", {})[1]["state"]["review"]
    status, reply = call(blocks["dolores"], "flag_response", {"lease_id": task["lease_id"], "reason": "Offensive"})
    assert status == 200 and reply["state"]["review"] is None and reply["state"]["can_review"]
    flagged = PeerSubmission.objects.get(pool=PeerSubmission.FLAGGED)
    nxt = call(blocks["dolores"], "next_review", {})[1]["state"]["review"]
    assert nxt["text"] != task["text"]
    assert flagged.anonymous_user_id != "dolores"


def test_waiting_message_when_nobody_else_submitted(case, call):
    call(case, "submit_response", {"text": text_of("amina")})
    status, reply = call(case, "next_review", {})
    assert status == 200 and "No response is available" in reply["message"]
    assert "received 0 of the 3 reviews" not in reply["state"]["waiting"]  # still owes reviews
    assert "you have given 0 of 3" in reply["state"]["waiting"]


def test_anonymous_users_and_author_mode_never_write(case, call, monkeypatch):
    monkeypatch.setattr(platform, "anonymous_user_id", lambda block: None)
    status, reply = call(case, "submit_response", {"text": text_of("x")})
    assert status == 403
    monkeypatch.undo()
    monkeypatch.setattr(type(case.runtime), "is_author_mode", True, raising=False)
    html = case.render("student_view", {}).body_html()
    assert html.count("This is a preview: responses and reviews are not saved in Studio.") == 1  # said once
    for handler, body in (("save_draft", {"text": "x"}), ("submit_response", {"text": text_of("a")}),
                          ("next_review", {}), ("state", {})):
        assert call(case, handler, body)[0] == 403
    assert not PeerSubmission.objects.exists() and not ResponseDraft.objects.exists()


def test_cleared_state_lets_the_learner_submit_again(make_block, case, call, transactional_db):
    blocks = submit_all(make_block, case, call)
    amina = blocks["amina"]
    amina.clear_student_state(user_id="amina", course_id=platform.course_id(amina),
                              item_id=platform.usage_id(amina), requesting_user_id=7)
    state = call(make_block.as_user(case, "amina"), "state", {})[1]["state"]
    assert state["phase"] == "write"
    status, reply = call(make_block.as_user(case, "amina"), "submit_response", {"text": text_of("amina") + " again"})
    assert status == 200


def test_scores_for_the_module(case):
    assert case.max_score() == 7
    assert case.possible_by_dimension() == {"rights_at_work": 7.0}
    assert case.learner_breakdown() == {"rights_at_work": {"earned": 0.0, "possible": 7.0}}


def test_learner_text_stays_out_of_the_init_data_and_is_escaped(make_block, case, call):
    hostile = "Fine words here today </script><script>window.pwned=1</script> and more words"
    call(make_block.as_user(case, "mallory"), "submit_response", {"text": hostile})
    peer = make_block.as_user(case, "amina")
    call(peer, "submit_response", {"text": text_of("amina")})
    task = call(peer, "next_review", {})[1]["state"]["review"]
    assert task["text"] == hostile
    frag = make_block.as_user(case, "amina").render("student_view", {})
    assert "pwned" not in str(frag.json_init_args)
    html = frag.body_html()
    assert "<script>window.pwned" not in html
    assert "\\u003C/script\\u003E\\u003Cscript\\u003Ewindow.pwned=1" in html  # escaped JSON for the page


def test_extra_review_with_nothing_left_says_so_truthfully(make_block, case, call, transactional_db):
    blocks = submit_all(make_block, case, call)
    for _round in range(3):
        for name in LEARNERS:
            review_once(blocks[name], call)
    status, reply = call(blocks["amina"], "next_review", {"extra": True})
    assert status == 200 and reply["state"]["review"] is None
    # every peer submitted and every response has its reviews: "peers have not submitted" would be false
    assert "have not submitted" not in reply["message"]
    assert reply["message"].startswith("No other response needs a review right now.")
