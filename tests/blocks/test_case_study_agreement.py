"""The case study's "Review quality" section and its weighting setting, through the block's handlers."""

import pytest
from django.utils import translation
from lxml import etree

from factories import olx, respond, review_through
from spreadsheets import read_back
from sse_academy_xblock.blocks.case_study_staff import review_quality_texts
from sse_academy_xblock.i18n import BlockTranslator
from sse_academy_xblock.insight import agreement_statistics
from sse_academy_xblock.peer.models import PeerSubmission, ReviewerAgreement


def case(extra=""):
    """The case study of these tests: two reviews required and given; ``extra`` attributes after a space."""
    return olx("case_study_argument", reviews_required=2, reviews_to_give=2, attributes=extra)


LEARNERS = ("ana", "ben", "cy")
# Each learner reviews the other two; cy always gives "Weak", the others "Good".
CHOICES = {"ana": 2, "ben": 2, "cy": 0}


def run_course(make_block, call, extra="", standing=False):
    """Three learners each submit and review the other two: all three are graded with two reviews.

    With ``standing``, cy is known (from earlier responses) as far from the others, and ben as close.
    """
    first = make_block(case(extra), user=LEARNERS[0])
    usage = str(first.scope_ids.usage_id)
    if standing:
        ReviewerAgreement.objects.create(usage_id=usage, reviewer_id="cy", reviews=5, distance_sum=4.5,
                                         mean_distance=0.9)
        ReviewerAgreement.objects.create(usage_id=usage, reviewer_id="ben", reviews=5, distance_sum=0, mean_distance=0)
    blocks = {LEARNERS[0]: first, **{name: make_block.as_user(first, name) for name in LEARNERS[1:]}}
    for name, block in blocks.items():
        respond(call, block, f"The analysis of {name}.")
    for _round in range(2):
        for name, block in blocks.items():
            review_through(call, block, {"options": {"a": CHOICES[name]}})
    assert PeerSubmission.objects.filter(usage_id=usage, graded_at__isnull=False).count() == 3
    return blocks, make_block.as_user(first, "staff")


def test_staff_see_agreement_per_criterion_and_per_reviewer(make_block, call, transactional_db):
    blocks, staff = run_course(make_block, call)
    status, data = call(staff, "staff_agreement", {})
    assert status == 200, data
    (criterion,) = data["criteria"]
    assert criterion["label"] == "Argument" and criterion["units"] == 3 and criterion["reviews"] == 6
    assert criterion["alpha"] is None and not criterion["enough"]  # 3 responses < the minimum of 5
    rows = data["reviewers"]["rows"]
    # cy's 0 stands 4 points (of 4) from the other review of each response: distance 1; ana and ben
    # each reviewed cy's response together (agreeing: 0) and one response with cy (distance 1): 0.5.
    assert [(r["reviewer"], r["reviews"], r["mean_distance"]) for r in rows][0] == ("cy", 2, 1.0)
    assert sorted((r["reviewer"], r["reviews"], r["mean_distance"]) for r in rows[1:]) == [
        ("ana", 2, 0.5), ("ben", 2, 0.5)]  # a tie: newest row first
    assert data["weighting_on"] is False and data["min_reviews"] == 3
    assert criterion["alpha_text"] == "Not enough data (fewer than 5 responses)" and criterion["verdict"] is None
    assert data["weight_label"] == "Weight if weighting were on"


def _summary(alphas, weighting_on=False):
    criteria = [{"name": f"c{i}", "label": f"C{i}", "units": 9, "reviews": 18, "alpha": value,
                 "enough": value is not None, "verdict": agreement_statistics.alpha_verdict(value)}
                for i, value in enumerate(alphas)]
    return {"criteria": criteria, "reviewers": {"rows": []}, "min_units": 5, "min_reviews": 3,
            "weighting_on": weighting_on}


def test_every_alpha_has_two_decimals_and_a_verdict_word():
    with translation.override("en"):
        data = review_quality_texts(BlockTranslator(), _summary([0.9, 0.8, 0.7, 0.5, -0.123, None]))
    assert [c["alpha_text"] for c in data["criteria"]] == [
        "0.90 (reliable)", "0.80 (reliable)", "0.70 (tentative conclusions only)", "0.50 (low)",
        "\u22120.12 (systematic disagreement)", "Not enough data (fewer than 5 responses)"]


def test_the_weight_column_says_what_it_holds_whether_weighting_is_on_or_off():
    t = BlockTranslator()
    with translation.override("en"):
        assert review_quality_texts(t, _summary([], weighting_on=True))["weight_label"] == "Weight in peer grades"
        assert review_quality_texts(t, _summary([]))["weight_label"] == "Weight if weighting were on"
    with translation.override("fr"):
        french = review_quality_texts(t, _summary([0.7], weighting_on=True))
    assert french["weight_label"] == "Poids dans les notes des pairs"
    assert french["criteria"][0]["alpha_text"].startswith("0,70 (")


@pytest.mark.parametrize("handler", ["staff_agreement", "staff_agreement_csv"])
def test_learners_get_403(make_block, call, transactional_db, handler):
    blocks, _staff = run_course(make_block, call)
    status, reply = call(blocks["ana"], handler, {}, **({"method": "GET"} if handler.endswith("csv") else {}))
    assert status == 403 and reply["error"]


def test_bad_page_cursors_are_refused(make_block, call, db):
    staff = make_block(case(), user="staff")
    for body in ({"after": "1; DROP"}, {"before": -3}, {"page": True}, {"after": 1.5}, {"after": 1, "before": 2}):
        status, reply = call(staff, "staff_agreement", body)
        assert status == 400 and reply["error"], body
    assert call(staff, "staff_agreement", {"after": 99999})[1]["reviewers"]["rows"] == []


def test_reviewers_csv(make_block, call, transactional_db):
    _blocks, staff = run_course(make_block, call)
    status, body = call(staff, "staff_agreement_csv", method="GET")
    assert status == 200
    rows = read_back(body, ",")
    assert rows[0] == ["Reviewer", "Anonymous learner id", "Comparable reviews", "Mean distance from the others",
                       "Weight if weighting were on", "Ratings received", "Rated helpful by the authors"]
    assert rows[1] == ["cy", "cy", "2", "1", "1", "0", "0"]  # no rating yet
    assert len(rows) == 4


def test_the_setting_round_trips_through_olx_and_is_off_by_default(make_block, db):
    plain = make_block(case())
    assert plain.weight_by_agreement is False and plain.peer_item().weight_by_agreement is False
    on = make_block(case(' weight_by_agreement="true"'))
    assert on.peer_item().weight_by_agreement is True
    node = etree.Element("x")
    on.add_xml_to_node(node)
    assert node.get("weight_by_agreement") == "true"
    again = make_block(etree.tostring(node, encoding="unicode"))
    assert again.weight_by_agreement is True
    node = etree.Element("x")
    plain.add_xml_to_node(node)
    assert node.get("weight_by_agreement") is None


def test_a_bad_olx_value_is_refused(make_block, db):
    from sse_academy_xblock.olx import OLXError

    with pytest.raises(OLXError, match="weight_by_agreement"):
        make_block(case(' weight_by_agreement="sometimes"'))


def test_studio_saves_the_setting_and_warns_when_it_cannot_apply(make_block, call, db):
    block = make_block(case(), user="staff")
    body = {"display_name": "Case", "dimension": "employment", "weight": None, "reviews_required": 1,
            "reviews_to_give": 1, "min_words": 0, "max_words": 0, "lease_hours": 24, "waiting_days": 7,
            "waiting_rule": "lower", "divergence_threshold": 0.5, "case": "c", "prompt": "p",
            "rubric": [{"name": "a", "label": "A", "description": "",
                        "options": [{"label": "W", "points": 0, "explanation": ""},
                                    {"label": "G", "points": 2, "explanation": ""}]}]}
    status, reply = call(block, "studio_submit", {**body, "weight_by_agreement": "yes"})
    assert status == 400 and any("Weight reviewers by agreement" in e for e in reply["errors"])
    assert block.weight_by_agreement is False
    status, reply = call(block, "studio_submit", {**body, "weight_by_agreement": True})
    assert status == 200 and block.weight_by_agreement is True
    assert any("only 1 review" in w for w in reply["warnings"])
    status, reply = call(block, "studio_submit", {**body, "reviews_required": 2, "reviews_to_give": 2})
    assert status == 200 and block.weight_by_agreement is True  # not sent: kept
    assert any("learners give only 2" in w for w in reply["warnings"])
    assert any("learners give only 2" in m.text for m in block.validate().messages)
    status, reply = call(block, "studio_submit", {**body, "weight_by_agreement": False})
    assert status == 200 and block.weight_by_agreement is False
    assert not any("agreement" in w for w in reply["warnings"])


def test_the_studio_editor_shows_the_setting(make_block, db):
    block = make_block(case(' weight_by_agreement="true"'))
    html = block.render("studio_view").content
    assert 'name="weight_by_agreement"' in html and "checked" in html.split('name="weight_by_agreement"')[1][:200]


def test_weighting_reaches_the_learners_grade_only_when_on(make_block, call, transactional_db):
    """The same course twice: with weighting off and on, after reviewers have a standing."""
    grades, staff_of = {}, {}
    for extra in ("", ' weight_by_agreement="true"'):
        ReviewerAgreement.objects.all().delete()
        blocks, staff_of[bool(extra)] = run_course(make_block, call, extra, standing=True)
        state = call(blocks["ana"], "state", {})[1]["state"]["grade"]
        grades[bool(extra)] = state
    off, on = grades[False], grades[True]
    assert off["weighting_text"] == "" and on["weighting_text"]
    # ana's response: ben 4 (weight 1), cy 0 (weight 0.1): plain median (0 + 4) / 2 = 2, weighted 4
    assert (off["earned"], on["earned"]) == (2, 4)
    assert "would have been 2 points instead of 4" in on["weighting_text"]
    ana = PeerSubmission.objects.filter(anonymous_user_id="ana").order_by("-pk").first()
    status, reply = call(staff_of[True], "staff_submission", {"submission": ana.pk})
    assert status == 200 and reply["detail"]["weighting"]["plain_points"] == 2
    assert reply["detail"]["weighting"]["weights"] == [1.0, 0.1] or reply["detail"]["weighting"]["weights"] == [0.1, 1.0]


def test_a_share_for_reviewing_reaches_each_learner_score_and_the_gradebook(make_block, call, transactional_db):
    from submissions import api as submissions_api

    from sse_academy_xblock.peer.models import GradeDelivery

    blocks, staff = run_course(make_block, call, extra=' review_share="0.25"')
    usage = str(blocks["ana"].scope_ids.usage_id)
    item = blocks["ana"].peer_item()
    # Response grades: ana 2 and ben 2 (medians of 4 and 0), cy 4. Distances (above): ana 0.5, ben 0.5, cy 1.
    # Scores: ana and ben 0.75 x 2 + 0.25 x 0.5 x 4 = 2; cy 0.75 x 4 + 0.25 x 0 x 4 = 3.
    expected = {"ana": 2, "ben": 2, "cy": 3}
    for name, points in expected.items():
        found = submissions_api.get_score(item.student_item(name))
        assert (found["points_earned"], found["points_possible"]) == (points, 4), name
        grade = call(blocks[name], "state", {})[1]["state"]["grade"]
        assert grade["earned"] == points and grade["reviewing"]["formula"].endswith(f"{points} of 4 points "
                                                                                     f"({points * 25}%).")
    # The learners graded before the last grading had their score sent again once their distance changed: the
    # latest of their rows holds the final score, and it was delivered.
    resent = [name for name in expected
              if GradeDelivery.objects.filter(usage_id=usage, anonymous_user_id=name, kind="set").count() > 1]
    assert resent
    for name in resent:
        last = GradeDelivery.objects.filter(usage_id=usage, anonymous_user_id=name).latest("pk")
        assert (last.points, last.state) == (expected[name], GradeDelivery.DELIVERED)
    # Staff see each learner's grade for reviewing and score, in the panel and the CSV.
    status, data = call(staff, "staff_list", {})
    rows = {r["anonymous_id"]: r for r in data["rows"]}
    assert {n: (rows[n]["reviewing_grade"], rows[n]["score"], rows[n]["lms_points"]) for n in expected} == {
        "ana": (0.5, 2, [2, 4]), "ben": (0.5, 2, [2, 4]), "cy": (0.0, 3, [3, 4])}
    import webob

    response = staff.handle("staff_csv", webob.Request.blank("/", method="GET"))
    table = read_back(b"".join(response.app_iter).decode("utf-8-sig"), ",")
    cy = dict(zip(table[0], next(r for r in table[1:] if r[1] == "cy")))
    assert (cy["Final grade"], cy["Grade for reviewing"], cy["Score with reviewing"], cy["Gradebook points earned"]) == (
        "4", "0", "3", "3")
