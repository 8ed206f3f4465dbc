"""Calibration on staff-scored examples through the case study's handlers: the learner assesses the examples in an
order fixed for them before reviewing, sees where they differed from the reference and why, retries within a bound,
and never receives a reference before their assessment is stored. Staff see the figures; OLX round-trips."""

import json
from datetime import datetime, timezone

import pytest
from lxml import etree

from factories import olx, respond, review_through
from spreadsheets import read_back
from sse_academy_xblock.peer import calibration
from sse_academy_xblock.peer.models import CalibrationAttempt

CASE = olx("case_study_practice")
REFERENCE = {"strong": {"a": 2, "e": 1}, "weak": {"a": 0, "e": 0}, "middle": {"a": 1, "e": 1}}  # option indexes
SECRETS = ("NOTE-", "reference")  # what a reply may carry only for an example already assessed


@pytest.fixture
def learners(make_block, transactional_db):
    ana = make_block(CASE, user="ana")
    return {"ana": ana, "ben": make_block.as_user(ana, "ben"), "staff": make_block.as_user(ana, "staff")}


def check_no_key_leaks(reply, assessed: set):
    """No note and no reference option of an example the learner has not assessed yet, anywhere in the reply."""
    text = json.dumps(reply)
    for name in REFERENCE:
        if name not in assessed:
            assert f"NOTE-{name.upper()}" not in text, (name, text)
    last = (reply.get("state") or {}).get("calibration", {}) or {}
    last = last.get("last") if isinstance(last, dict) else None
    if last and not last["finished"]:
        assert all(c["reference"] == "" for c in last["criteria"]), "a reference shown before the example is finished"


def test_practice_comes_before_reviewing_and_shows_where_the_learner_differed(learners, call):
    ana, ben = learners["ana"], learners["ben"]
    respond(call, ben, "ben's answer")
    reply = respond(call, ana, "ana's answer")
    check_no_key_leaks(reply, set())
    state = reply["state"]
    practice = state["calibration"]
    assert practice["finished"] is False and state["can_review"] is False
    task = practice["task"]
    assert task["heading"] == "Practice example 1 of 2" and task["retries_left"] == 2
    assert task["text"].startswith("EXAMPLE-") and "reference" not in json.dumps(task)
    # Reviewing peers is refused until the practice is done, and nothing is allocated.
    status, refused = call(ana, "next_review", {})
    assert status == 409 and "practice examples" in refused["error"]
    first = task["example"]
    # The learner's order is fixed: the page shows the same example again.
    assert call(ana, "state", {})[1]["state"]["calibration"]["task"]["example"] == first
    # A wrong assessment (every criterion off by the most) with one retry left: no reference yet, the notes.
    wrong = {"a": 0 if REFERENCE[first]["a"] else 2, "e": 1 - REFERENCE[first]["e"]}
    status, reply = call(ana, "submit_calibration", {"example": first, "options": wrong})
    assert status == 200, reply
    check_no_key_leaks(reply, {first})
    last = reply["state"]["calibration"]["last"]
    assert (last["finished"], last["within"]) == (False, False)
    assert [c["matched"] for c in last["criteria"]] == [False, False]
    assert all(c["reference"] == "" and c["note_html"].startswith("NOTE-") for c in last["criteria"])
    assert reply["state"]["calibration"]["task"]["example"] == first  # try again
    assert reply["state"]["calibration"]["task"]["retries_left"] == 1
    # The right one: within the tolerance; now the reference is shown.
    status, reply = call(ana, "submit_calibration", {"example": first, "options": REFERENCE[first]})
    last = reply["state"]["calibration"]["last"]
    assert (last["finished"], last["within"], last["distance"]) == (True, True, 0)
    assert all(c["reference"] and c["matched"] for c in last["criteria"])
    assert last["summary"] == "Within the tolerance: well done."
    second = reply["state"]["calibration"]["task"]["example"]
    assert second != first
    check_no_key_leaks(reply, {first})
    # The second example: wrong twice, then no retry is left and the learner goes on.
    wrong = {"a": 0 if REFERENCE[second]["a"] else 2, "e": 1 - REFERENCE[second]["e"]}
    call(ana, "submit_calibration", {"example": second, "options": wrong})
    status, reply = call(ana, "submit_calibration", {"example": second, "options": wrong})
    assert status == 200
    practice = reply["state"]["calibration"]
    assert practice["finished"] and practice["task"] is None and practice["last"]["finished"]
    assert "no try is left" in practice["last"]["summary"]
    assert all(c["reference"] for c in practice["last"]["criteria"])  # shown once the example is finished
    assert reply["state"]["can_review"] is True
    # Now a review is offered, and given.
    review_through(call, ana, {"options": {"a": 1, "e": 1}})
    # Staff see that ana used every retry on the second example without coming within the tolerance.
    summary = calibration.staff_summary(ana.peer_item())
    by_name = {e["name"]: e for e in summary["examples"]}
    assert (by_name[second]["learners"], by_name[second]["gave_up"], by_name[first]["within_first"]) == (1, 1, 0)
    assert by_name[first]["criteria"][0]["matched"] == 0 and by_name[first]["criteria"][0]["learners"] == 1


def test_refusals_change_nothing(learners, call):
    ana, ben = learners["ana"], learners["ben"]
    status, reply = call(ana, "submit_calibration", {"example": "strong", "options": REFERENCE["strong"]})
    assert status == 409 and "Submit your own response" in reply["error"]  # before submitting
    respond(call, ana, "ana's answer")
    current = call(ana, "state", {})[1]["state"]["calibration"]["task"]["example"]
    other = next(n for n in REFERENCE if n != current)
    bodies = [
        ({"example": other, "options": REFERENCE[other]}, 409, "not the example"),
        ({"example": current, "options": {"a": 1}}, 400, "every criterion"),
        ({"example": current, "options": {"a": 9, "e": 0}}, 400, "not one of its options"),
        ({"example": current, "options": {"a": "1x", "e": 0}}, 400, "not one of its options"),
        ({"example": current, "options": {"a": 1, "e": 0, "zzz": 1}}, 400, "not in the rubric"),
        ({"example": current, "options": [1, 2]}, 400, "not valid"),
        ({"example": current}, 400, "not valid"),
    ]
    for body, status, words in bodies:
        got, reply = call(ana, "submit_calibration", body)
        assert (got, words in reply.get("error", "")) == (status, True), (body, got, reply)
        check_no_key_leaks(reply, set())
    assert not CalibrationAttempt.objects.exists()
    # ben has not practised: his page asks him to, and nothing of ana's shows.
    respond(call, ben, "ben's answer")
    assert call(ben, "state", {})[1]["state"]["calibration"]["last"] is None


def test_off_by_default_and_feedback_is_absent_without_examples(make_block, call, transactional_db):
    plain = make_block(olx("case_study_argument"), user="ana")
    reply = respond(call, plain, "ana's answer")
    assert "calibration" not in reply["state"] and reply["state"]["can_review"] is True
    status, reply = call(plain, "submit_calibration", {"example": "x", "options": {"a": 1}})
    assert status == 409 and "no examples" in reply["error"]


def test_olx_round_trip_and_refusals(learners):
    ana = learners["ana"]
    node = etree.Element("x")
    ana.add_xml_to_node(node)
    assert node.get("calibration_count") == "2" and node.get("calibration_tolerance") == "0.25"
    examples = node.find("calibration").findall("example")
    assert [e.get("name") for e in examples] == ["strong", "weak", "middle"]
    assert examples[0].find("reference").get("option") == "Good"
    from sse_academy_xblock.peer.authoring import parse_olx
    assert parse_olx(node)["calibration"] == ana.calibration
    bad = CASE.replace('option="Fair">NOTE-MIDDLE-A', 'option="Great">NOTE-MIDDLE-A')
    with pytest.raises(Exception, match='option="Great" is not an option of criterion "a"'):
        parse_olx(etree.fromstring(bad))
    missing = CASE.replace('<reference criterion="e" option="None">NOTE-WEAK-E: nothing from the case.</reference>', "")
    with pytest.raises(Exception, match="no <reference> for: e"):
        parse_olx(etree.fromstring(missing))


def test_staff_panel_and_csv(learners, call):
    ana, staff = learners["ana"], learners["staff"]
    respond(call, ana, "ana's answer")
    first = call(ana, "state", {})[1]["state"]["calibration"]["task"]["example"]
    call(ana, "submit_calibration", {"example": first, "options": REFERENCE[first]})
    status, reply = call(staff, "staff_calibration", {})
    assert status == 200, reply
    assert reply["on"] and [row["label"] for row in reply["alpha"]] == ["Argument", "Evidence"]
    heading = next(e["heading"] for e in reply["examples"] if e["name"] == first)
    assert "1 learner assessed it; at the first try, within the tolerance: 1; every retry used without it: 0." in heading
    assert call(ana, "staff_calibration", {})[0] == 403
    status, body = call(staff, "staff_calibration_csv", method="GET")
    assert status == 200
    rows = read_back(body, ",")
    assert rows[0] == calibration.CSV_HEADER
    assert [r[:4] for r in rows[1:] if r[0] == first] == [[first, "a", "1", "1"], [first, "e", "1", "1"]]
    assert call(ana, "staff_calibration_csv", method="GET")[0] == 403


def test_practice_closes_with_reviewing(learners, call):
    late = learners["ana"]
    respond(call, late, "ana's answer")
    late.review_due = datetime(2020, 1, 1, tzinfo=timezone.utc)
    assert "calibration" not in call(late, "state", {})[1]["state"]
    status, reply = call(late, "submit_calibration", {"example": "strong", "options": REFERENCE["strong"]})
    assert status == 409 and "closed" in reply["error"]
    assert not CalibrationAttempt.objects.exists()


def test_the_editor_saves_the_practice_settings_and_keeps_the_examples(learners, call):
    staff = learners["staff"]
    payload = {"display_name": "Practice", "dimension": "social_dialogue", "weight": "", "reviews_required": "1",
               "reviews_to_give": "1", "min_words": "0", "max_words": "0", "lease_hours": "24", "waiting_days": "7",
               "waiting_rule": "lower", "divergence_threshold": "0.5", "prompt": "Discuss.", "rubric": staff.rubric}
    status, reply = call(staff, "studio_submit", {**payload, "calibration_count": "11", "calibration_tolerance": "2",
                                                  "calibration_retries": "x"})
    assert status == 400 and len(reply["errors"]) == 3, reply
    assert (staff.calibration_count, staff.calibration_tolerance, staff.calibration_retries) == (2, 0.25, 1)
    status, reply = call(staff, "studio_submit", {**payload, "calibration_count": "3", "calibration_tolerance": "0,1",
                                                  "calibration_retries": "0"})
    assert status == 200, reply
    assert (staff.calibration_count, staff.calibration_tolerance, staff.calibration_retries) == (3, 0.1, 0)
    assert len(staff.calibration) == 3  # the examples are kept
    # An editor without the practice fields leaves them as they are.
    assert call(staff, "studio_submit", payload)[0] == 200 and staff.calibration_count == 3
    html = staff.render("studio_view", {}).body_html()
    assert 'name="calibration_count"' in html and 'data-role="examples"' in html
    assert "EXAMPLE-STRONG" in html and "NOTE-STRONG-A" in html  # the examples, for the author to edit


def test_the_editor_adds_edits_and_removes_examples_with_the_olxs_checks(learners, call):
    staff = learners["staff"]
    payload = {"display_name": "Practice", "dimension": "social_dialogue", "weight": "", "reviews_required": "1",
               "reviews_to_give": "1", "min_words": "0", "max_words": "0", "lease_hours": "24", "waiting_days": "7",
               "waiting_rule": "lower", "divergence_threshold": "0.5", "prompt": "Discuss.", "rubric": staff.rubric,
               "calibration_count": "2"}
    before = list(staff.calibration)
    bad = [
        {"name": "strong", "response": "A text.", "reference": {"a": "Good", "e": "Some"}, "notes": {}},
        {"name": "strong", "response": "  ", "reference": {"a": "Excellent"}, "notes": {"e": "x" * 5001}},
        {"name": "bad name!", "response": "B.", "reference": {"a": "Weak", "e": "None", "z": "Yes"}},
    ]
    status, reply = call(staff, "studio_submit", {**payload, "calibration": bad})
    assert status == 400, reply
    fields = dict(zip(reply["fields"], reply["errors"]))
    assert fields["example-2-name"] == "Two practice examples are named 'strong'; names must be unique."
    assert fields["example-2-response"] == "Practice example 2 needs the text of its response."
    assert fields["example-2-criterion-1"] == (
        "Practice example 2: choose the reference option of the criterion 'Argument'.")  # not an option of it
    assert "example-2-criterion-2" in fields  # none chosen
    assert fields["example-2-note-2"].endswith("is longer than 5000 characters.")
    assert fields["example-3-name"].startswith("Practice example 3 needs a short name")
    assert fields["example-3"] == "Practice example 3 refers to criteria the rubric does not have: z."
    assert staff.calibration == before  # nothing saved
    good = [{"name": "weak", "response": "EXAMPLE-WEAK, rewritten.", "reference": {"a": "Weak", "e": "None"},
             "notes": {"a": "A claim, *no* argument."}},
            {"name": "new-one", "response": "A new example.", "reference": {"a": "Fair", "e": "Some"}, "notes": {}}]
    status, reply = call(staff, "studio_submit", {**payload, "calibration": good})
    assert status == 200, reply
    assert staff.calibration == [
        {"name": "weak", "response": "EXAMPLE-WEAK, rewritten.", "reference": {"a": "Weak", "e": "None"},
         "notes": {"a": "<p>A claim, <em>no</em> argument.</p>"}},
        {"name": "new-one", "response": "A new example.", "reference": {"a": "Fair", "e": "Some"}, "notes": {}}]
    # The editor shows the note as the author wrote it, and the OLX carries the examples.
    html = staff.render("studio_view", {}).body_html()
    assert "A claim, *no* argument." in html
    node = etree.Element("root")
    staff.add_xml_to_node(node)
    assert [e.get("name") for e in node.iter("example")] == ["weak", "new-one"]
    # Every example removed: none left, and the practice is off for learners.
    assert call(staff, "studio_submit", {**payload, "calibration": []})[0] == 200
    assert staff.calibration == [] and not calibration.is_on(staff.peer_item())


def test_the_editor_refuses_an_example_the_changed_rubric_leaves_without_a_reference(learners, call):
    staff = learners["staff"]
    rubric = staff.rubric + [{"name": "x", "label": "Extra", "description": "",
                              "options": [{"label": "No", "points": 0, "explanation": ""}]}]
    payload = {"display_name": "Practice", "dimension": "social_dialogue", "weight": "", "reviews_required": "1",
               "reviews_to_give": "1", "min_words": "0", "max_words": "0", "lease_hours": "24", "waiting_days": "7",
               "waiting_rule": "lower", "divergence_threshold": "0.5", "prompt": "Discuss.", "rubric": rubric,
               "calibration": [dict(e, notes={}) for e in staff.calibration]}
    status, reply = call(staff, "studio_submit", payload)
    assert status == 400
    assert reply["fields"] == ["example-1-criterion-3", "example-2-criterion-3", "example-3-criterion-3"]
    assert len(staff.rubric) == 2  # nothing saved, the rubric neither


def test_validate_warns_when_examples_do_not_fit(make_block):
    block = make_block(olx("case_study_practice", count="5"))
    texts = [m.text for m in block.validate().messages]
    assert any("should assess 5 practice examples, but the case study has 3" in t for t in texts)
    block.rubric = [dict(block.rubric[0], options=[{"label": "Weak", "points": 0, "explanation": ""},
                                                   {"label": "Good", "points": 4, "explanation": ""}]),
                    block.rubric[1]]
    texts = [m.text for m in block.validate().messages]
    assert any("'middle' has no reference option" in t for t in texts)  # "Fair" is gone
    assert [e.name for e in calibration.usable(block.peer_item())] == ["strong", "weak"]


def test_staff_viewing_as_the_learner_see_the_practice_and_write_nothing(learners, call, monkeypatch):
    from sse_academy_xblock import platform

    ana = learners["ana"]
    respond(call, ana, "ana's answer")
    current = call(ana, "state", {})[1]["state"]["calibration"]["task"]["example"]
    monkeypatch.setattr(platform, "is_viewing_as_learner", lambda block: True)
    assert call(ana, "state", {})[1]["state"]["calibration"]["task"]["example"] == current  # reading is allowed
    status, reply = call(ana, "submit_calibration", {"example": current, "options": REFERENCE[current]})
    assert status == 403 and "viewing this as a learner" in reply["error"]
    assert not CalibrationAttempt.objects.exists()


def test_a_library_preview_shows_no_practice_and_refuses_it(transactional_db, call):
    from test_library_context import library_block

    block = library_block(CASE, "sse_case_study")
    html = block.render("student_view", {}).body_html()
    assert "EXAMPLE-" not in html and "NOTE-" not in html
    status, _reply = call(block, "submit_calibration", {"example": "strong", "options": REFERENCE["strong"]})
    assert status == 403
    assert not CalibrationAttempt.objects.exists()


def test_the_page_holds_no_key_of_an_example_not_yet_assessed(learners, call):
    ana = learners["ana"]
    respond(call, ana, "ana's answer")
    html = ana.render("student_view", {}).body_html()
    current = call(ana, "state", {})[1]["state"]["calibration"]["task"]["example"]
    assert f"EXAMPLE-{current.upper()}" in html  # the example to assess is there, its notes are not
    assert "NOTE-" not in html
    call(ana, "submit_calibration", {"example": current, "options": REFERENCE[current]})
    html = ana.render("student_view", {}).body_html()
    assert f"NOTE-{current.upper()}" in html
    assert all(f"NOTE-{name.upper()}" not in html for name in REFERENCE if name != current)
