"""Case-study OLX (exact round trip, located errors), the Studio editor and validate() warnings."""

import pytest
from lxml import etree

from factories import olx, respond
from sse_academy_xblock.olx import OLXError
from sse_academy_xblock.peer.models import PeerSubmission

ISSUE_OLX = olx("case_study_every_setting")


def export(block) -> str:
    node = etree.Element("root")
    block.add_xml_to_node(node)
    return etree.tostring(node, encoding="unicode")


def canonical(xml: str) -> str:
    parser = etree.XMLParser(remove_blank_text=True)
    node = etree.fromstring(xml.encode(), parser)
    node.attrib.pop("xblock-family", None)
    for el in node.iter():
        if el.text is not None:
            el.text = " ".join(el.text.split()) or None
        if el.tail is not None:
            el.tail = " ".join(el.tail.split()) or None
    return etree.tostring(node, method="c14n").decode()


def test_issue_olx_round_trips_exactly(make_block):
    block = make_block(ISSUE_OLX)
    assert (block.weight, block.reviews_required, block.min_words) == (1.0, 3, 150)
    assert block.max_score() == 8
    first = export(block)
    assert canonical(first) == canonical(ISSUE_OLX)
    again = make_block(first)
    assert export(again) == first
    assert again.rubric == block.rubric and again.case == block.case and again.prompt == block.prompt


def test_unset_attributes_stay_unset_on_export(make_block):
    block = make_block('<sse_case_study><prompt>Write.</prompt></sse_case_study>')
    xml = export(block)
    assert "weight=" not in xml and "reviews_required=" not in xml
    assert "<rubric>" in xml  # the default rubric is written out, so the export is self-contained


@pytest.mark.parametrize(
    "xml, fragment",
    [
        ('<sse_case_study reviews_required="0"><prompt>x</prompt></sse_case_study>', "reviews_required"),
        ('<sse_case_study weight="1.5"/>', "whole number"),
        ('<sse_case_study min_words="50" max_words="10"/>', "min_words"),
        ('<sse_case_study dimension="happiness"/>', "dimension"),
        ('<sse_case_study min_word="5"/>', 'did you mean "min_words"'),  # a typo of ours, not a platform setting
        ('<sse_case_study>\n<prompt>a</prompt>\n<prompt>b</prompt></sse_case_study>', "line 3"),
        ('<sse_case_study>\n<rubric>\n<criterion name="a" label="A">\n<option points="x" label="y"/>'
         '</criterion></rubric></sse_case_study>', "<option> (line 4)"),
    ],
)
def test_bad_olx_names_the_problem(make_block, xml, fragment):
    with pytest.raises(OLXError) as info:
        make_block(xml)
    assert fragment in str(info.value)


def studio_payload(block, **changes):
    payload = {
        "display_name": block.display_name, "dimension": block.dimension, "weight": "",
        "reviews_required": "3", "reviews_to_give": "3", "min_words": "0", "max_words": "0",
        "lease_hours": "24", "waiting_days": "7", "waiting_rule": "lower", "divergence_threshold": "0.5",
        "case": block.case, "prompt": block.prompt, "rubric": block.rubric,
    }
    payload.update(changes)
    return payload


def test_studio_view_renders_the_editor(make_block):
    block = make_block(ISSUE_OLX, user="staff")
    html = block.render("studio_view", {}).body_html()
    assert 'name="reviews_required"' in html and 'data-init=\'SSECaseStudyStudio\'' in html
    assert "Use of the Decent Work framework" in html  # the rubric handed to the editor
    assert "already been submitted" not in html


def test_studio_saves_everything_or_nothing(make_block, call):
    block = make_block(ISSUE_OLX, user="staff")
    bad = studio_payload(block, reviews_required="zero", min_words="90", max_words="10", prompt="",
                         rubric=[{"name": "", "label": "", "options": []}], weight="2.5", dimension="joy")
    status, reply = call(block, "studio_submit", bad)
    assert status == 400
    assert len(reply["errors"]) >= 7  # every problem reported at once
    assert block.reviews_required == 3 and block.rubric[0]["name"] == "analysis"
    good = studio_payload(block, reviews_required="2", weight="20", case="<p>New</p><script>x()</script>",
                          rubric=list(reversed(block.rubric)))
    status, reply = call(block, "studio_submit", good)
    assert status == 200 and reply["saved"]
    assert block.reviews_required == 2 and block.weight == 20.0 and block.case == "<p>New</p>"
    assert [c["name"] for c in block.rubric] == ["rights", "analysis"]  # criteria reordered


def test_learners_cannot_save_the_editor(make_block, call):
    block = make_block(ISSUE_OLX, user="student_1")
    status, reply = call(block, "studio_submit", studio_payload(block, display_name="Hijacked"))
    assert status == 403 and block.display_name == "A recovered factory"


def test_validate_warnings(make_block):
    block = make_block('<sse_case_study reviews_required="3" reviews_to_give="2" weight="1"><prompt>x</prompt>'
                       '<rubric><criterion name="a" label="A"><option points="-1" label="Bad">-</option>'
                       '<option points="2" label="Good">-</option></criterion></rubric></sse_case_study>')
    texts = [m.text for m in block.validate().messages]
    assert any("negative points" in t for t in texts)
    assert any("fewer reviews (2) than each response needs (3)" in t for t in texts)
    assert any("rounded to whole points" in t for t in texts)
    empty = make_block('<sse_case_study><prompt>x</prompt><rubric/></sse_case_study>')
    assert any("no criteria" in m.text for m in empty.validate().messages)


def test_rubric_edit_after_submissions_keeps_old_grades(make_block, call, transactional_db):
    block = make_block(ISSUE_OLX.replace('min_words="150"', 'min_words="1"').replace(
        'reviews_required="3" reviews_to_give="3"', 'reviews_required="1" reviews_to_give="1"').replace(
        'reviews_max="5" agreement_points="1" self_assessment="counted" self_weight="0.25"', ""), user="staff")
    a, b = make_block.as_user(block, "ana"), make_block.as_user(block, "ben")
    for learner in (a, b):
        respond(call, learner, "An answer.")
    html = make_block.as_user(block, "staff").render("studio_view", {}).body_html()
    assert "2 responses have already been submitted" in html
    doubled = [dict(c, options=[dict(o, points=o["points"] * 10) for o in c["options"]]) for c in block.rubric]
    editor = make_block.as_user(block, "staff")
    assert call(editor, "studio_submit", studio_payload(editor, rubric=doubled, reviews_required="1",
                                                        reviews_to_give="1"))[0] == 200
    a, b = make_block.as_user(block, "ana"), make_block.as_user(block, "ben")
    for learner in (a, b):
        task = call(learner, "next_review", {})[1]["state"]["review"]
        assert [o["points"] for o in task["rubric"][0]["options"]] == [0, 2, 4]  # the rubric they submitted under
        call(learner, "submit_review", {"lease_id": task["lease_id"], "review": {"options": {"analysis": 2, "rights": 1}}})
    for sub in PeerSubmission.objects.all():
        assert (sub.final_points, sub.points_possible) == (8, 8)
    assert make_block.as_user(block, "carla").max_score() == 80


def test_a_case_left_out_of_the_profile_is_graded_but_counts_in_no_dimension(make_block, call, transactional_db):
    """``in_profile="false"`` (the orientation case of module 01): the grade reaches the gradebook, the
    Decent Work profile neither offers its points nor records them; the default case does both."""
    from sse_academy_xblock.profile.models import DimensionScore

    quick = ISSUE_OLX.replace('min_words="150"', 'min_words="1"').replace(
        'reviews_required="3" reviews_to_give="3"', 'reviews_required="1" reviews_to_give="1"').replace(
        'reviews_max="5" agreement_points="1" self_assessment="counted" self_weight="0.25"', "")  # one review grades
    out = make_block(quick.replace("<sse_case_study ", '<sse_case_study in_profile="false" ', 1), user="staff")
    counted = make_block(quick, user="staff")
    assert 'in_profile="false"' in export(out) and "in_profile=" not in export(counted)
    assert out.possible_by_dimension() == {} and counted.possible_by_dimension() == {"rights_at_work": 8.0}
    for block in (out, counted):
        learners = [make_block.as_user(block, name) for name in ("ana", "ben")]
        for learner in learners:
            respond(call, learner, "An answer.")
        for name in ("ana", "ben"):
            learner = make_block.as_user(block, name)
            task = call(learner, "next_review", {})[1]["state"]["review"]
            call(learner, "submit_review", {"lease_id": task["lease_id"],
                                            "review": {"options": {"analysis": 2, "rights": 1}}})
    graded = make_block.as_user(out, "ana")
    assert graded.max_score() == 8 and graded.learner_breakdown() == {}
    assert make_block.as_user(counted, "ana").learner_breakdown()["rights_at_work"]["earned"] > 0
    stored = {(row.usage_id, row.dimension) for row in DimensionScore.objects.all()}
    assert {usage for usage, _dim in stored} == {str(counted.scope_ids.usage_id)}


def test_the_editor_sets_whether_the_case_counts_in_the_profile(make_block, call):
    block = make_block(ISSUE_OLX, user="staff")
    assert 'name="in_profile"' in block.render("studio_view", {}).body_html()
    assert call(block, "studio_submit", studio_payload(block, in_profile=False))[0] == 200
    assert block.in_profile is False and block.possible_by_dimension() == {}
    status, reply = call(block, "studio_submit", studio_payload(block, in_profile="no"))
    assert status == 400 and block.in_profile is False


@pytest.mark.parametrize(
    "xml, fragment",
    [
        ('<sse_case_study reviews_required="3" reviews_max="2"><prompt>x</prompt></sse_case_study>',
         "reviews_max (2) is smaller than reviews_required (3)"),
        ('<sse_case_study reviews_max="21"><prompt>x</prompt></sse_case_study>', "reviews_max"),
        ('<sse_case_study agreement_points="-1"><prompt>x</prompt></sse_case_study>', "agreement_points"),
        ('<sse_case_study self_assessment="always"><prompt>x</prompt></sse_case_study>', "self_assessment"),
        ('<sse_case_study self_weight="0.8"><prompt>x</prompt></sse_case_study>', "self_weight"),
    ],
)
def test_bad_review_count_and_self_assessment_olx_is_refused(make_block, xml, fragment):
    with pytest.raises(OLXError) as info:
        make_block(xml)
    assert fragment in str(info.value)


def test_review_count_and_self_assessment_are_off_by_default(make_block):
    block = make_block('<sse_case_study><prompt>Write.</prompt></sse_case_study>')
    item = block.peer_item()
    assert not item.adaptive and item.self_assessment == "off"
    assert "reviews_max=" not in export(block) and "self_assessment=" not in export(block)


def test_the_editor_saves_the_review_count_and_self_assessment(make_block, call):
    block = make_block(ISSUE_OLX, user="staff")
    html = block.render("studio_view", {}).body_html()
    assert 'name="reviews_max"' in html and 'name="self_assessment"' in html and 'name="self_weight"' in html
    status, reply = call(block, "studio_submit", studio_payload(
        block, reviews_max="6", agreement_points="0", self_assessment="shown", self_weight="0,4"))
    assert status == 200, reply
    assert (block.reviews_max, block.agreement_points, block.self_assessment, block.self_weight) == (6, 0, "shown", 0.4)
    status, reply = call(block, "studio_submit", studio_payload(block, reviews_max=""))
    assert status == 200 and block.reviews_max is None  # empty: a fixed count again


def test_the_editor_refuses_a_maximum_below_the_minimum_and_a_heavy_self_weight(make_block, call):
    block = make_block(ISSUE_OLX, user="staff")
    status, reply = call(block, "studio_submit", studio_payload(
        block, reviews_required="4", reviews_max="3", self_weight="0.9", self_assessment="sometimes"))
    assert status == 400
    assert set(reply["fields"]) >= {"reviews_max", "self_weight", "self_assessment"}
    assert (block.reviews_max, block.self_weight, block.self_assessment) == (5, 0.25, "counted")


def test_validate_warns_about_a_self_weight_without_self_assessment(make_block):
    block = make_block('<sse_case_study self_weight="0.4"><prompt>x</prompt></sse_case_study>')
    assert any("self-assessment is off" in m.text for m in block.validate().messages)


def test_validate_warns_when_learners_give_fewer_reviews_than_the_most_a_response_may_ask(make_block):
    block = make_block('<sse_case_study reviews_required="2" reviews_to_give="2" reviews_max="4">'
                       '<prompt>x</prompt></sse_case_study>')
    assert any("may ask for up to 4 reviews, but learners give 2" in m.text for m in block.validate().messages)
    fixed = make_block('<sse_case_study reviews_required="2" reviews_to_give="2"><prompt>x</prompt></sse_case_study>')
    assert not any("may ask for up to" in m.text for m in fixed.validate().messages)


def test_the_editor_takes_the_share_for_reviewing_as_a_percentage_or_a_fraction(make_block, call):
    block = make_block(ISSUE_OLX, user="staff")
    assert block.review_share == 0.0 and "review_share=" not in export(block)  # off by default
    assert 'name="review_share"' in block.render("studio_view", {}).body_html()
    for typed, saved in (("20 %", 0.2), ("12,5%", 0.125), ("0.3", 0.3), ("", 0.0)):
        status, reply = call(block, "studio_submit", studio_payload(block, review_share=typed))
        assert status == 200, reply
        assert block.review_share == saved, typed
    block.review_share = 0.2
    assert 'review_share="0.2"' in export(block)


@pytest.mark.parametrize("typed", ["60 %", "0.8", "-5 %", "a fifth"])
def test_the_editor_refuses_a_share_for_reviewing_out_of_range(make_block, call, typed):
    block = make_block(ISSUE_OLX, user="staff")
    status, reply = call(block, "studio_submit", studio_payload(block, review_share=typed))
    assert status == 400 and reply["fields"] == ["review_share"]
    assert any("“Share of the score for reviewing" in m and "must be a share between 0% and 50%, written as a "
               "percentage (20%) or a fraction (0.2); 0 turns it off." in m for m in reply["errors"]), reply
    assert block.review_share == 0.0  # nothing saved


def test_a_share_for_reviewing_out_of_range_is_refused_in_olx(make_block):
    with pytest.raises(OLXError, match="review_share"):
        make_block('<sse_case_study review_share="0.6"><prompt>x</prompt></sse_case_study>')


def test_a_learner_sees_the_case_as_last_saved_cleaned_each_time(make_block, call):
    """The cleaned author HTML is kept for the process: an edit shows at once, and a text that comes back to
    an earlier version is shown as that version (and still without its script)."""
    staff = make_block(ISSUE_OLX, user="staff")
    texts = ['<p>First <em>version</em></p><script>alert(1)</script>', '<p>Second <b onclick="x()">version</b></p>',
             '<p>First <em>version</em></p><script>alert(1)</script>']
    shown = []
    for text in texts:
        assert call(staff, "studio_submit", studio_payload(staff, case=text))[0] == 200
        learner = make_block.as_user(staff, "ana")
        html = learner.render("student_view", {}).body_html()
        assert "<script>alert" not in html and "onclick" not in html
        shown.append(("First <em>version</em>" in html, "Second <b>version</b>" in html))
    assert shown == [(True, False), (False, True), (True, False)]
