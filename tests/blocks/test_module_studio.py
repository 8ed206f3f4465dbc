"""Editing a module's own settings in Studio: the whole payload is validated before anything changes."""

from __future__ import annotations

MODULE = """<sse_module display_name="Before" dimension="employment" estimated_time="60">
  <objective>Old objective.</objective><intro><p>Old intro.</p></intro>
</sse_module>"""


def settings(block):
    return (block.display_name, block.dimension, list(block.objectives), block.intro, block.estimated_time)


def test_studio_view_shows_the_current_settings(make_block):
    html = make_block(MODULE).render("studio_view", {}).body_html()
    assert 'value="Before"' in html
    assert '<option value="employment" selected>' in html
    assert "Old objective." in html and "&lt;p&gt;Old intro.&lt;/p&gt;" in html
    assert 'name="estimated_time" min="1" step="1" value="60"' in html
    assert html.count("<label") == 5


def test_a_valid_payload_is_saved_cleaned(make_block, call):
    block = make_block(MODULE, user="staff")
    status, data = call(block, "studio_submit", {
        "display_name": "  After  ",
        "dimension": "social_dialogue",
        "objectives": ["First objective.", "", "  Second <em>objective</em>.  ", "<script>x()</script>Third."],
        "intro": '<p onclick="x()">New intro.</p><script>bad()</script>',
        "estimated_time": " 150 ",
    })
    assert status == 200 and data == {"saved": True}
    assert settings(block) == (
        "After", "social_dialogue", ["First objective.", "Second <em>objective</em>.", "Third."],
        "<p>New intro.</p>", 150,
    )


def test_only_authors_may_save(make_block, call):
    block = make_block(MODULE, user="student_1")
    status, data = call(block, "studio_submit", {"display_name": "Taken over", "dimension": "employment"})
    assert status == 403 and data["error"]
    assert block.display_name == "Before"


def test_objectives_may_come_as_one_text_with_one_per_line(make_block, call):
    block = make_block(MODULE, user="staff")
    status, _ = call(block, "studio_submit", {
        "display_name": "M", "dimension": "employment", "objectives": "One.\nTwo.\n\n", "intro": "",
        "estimated_time": "",
    })
    assert status == 200
    assert block.objectives == ["One.", "Two."]
    assert block.estimated_time is None


def test_every_error_is_reported_at_once_and_nothing_changes(make_block, call):
    block = make_block(MODULE, user="staff")
    before = settings(block)
    status, data = call(block, "studio_submit", {
        "display_name": "  ",
        "dimension": "leisure",
        "objectives": ["x" * 1001],
        "intro": 42,
        "estimated_time": "2 hours",
        "colour": "red",
    })
    assert status == 400
    assert data["error"]
    fields = sorted(error["field"] for error in data["errors"])
    assert fields == ["", "dimension", "display_name", "estimated_time", "intro", "objectives"]
    assert all(error["message"].endswith(".") for error in data["errors"])
    assert settings(block) == before
    assert settings(make_block.as_user(block, "student_2")) == before


def test_estimated_time_reads_as_hours_and_minutes_for_learners(make_block):
    for minutes, text in ((180, "Estimated time: 3 hours"), (45, "Estimated time: 45 minutes"),
                          (61, "Estimated time: 1 hour 1 minute"), (90, "Estimated time: 1 hour 30 minutes")):
        block = make_block(MODULE.replace('estimated_time="60"', f'estimated_time="{minutes}"'))
        assert text in block.render("student_view", {}).body_html()


def test_too_many_objectives_are_refused(make_block, call):
    block = make_block(MODULE, user="staff")
    status, data = call(block, "studio_submit", {
        "display_name": "M", "dimension": "employment", "objectives": [f"Objective {i}." for i in range(21)],
    })
    assert status == 400
    assert [e["field"] for e in data["errors"]] == ["objectives"]


def test_a_body_that_is_not_a_json_object_is_a_clear_400(make_block, call):
    block = make_block(MODULE, user="staff")
    status, data = call(block, "studio_submit", raw=b"[1, 2]")
    assert status == 400 and data["error"]
    status, data = call(block, "studio_submit", raw=b"{not json")
    assert status == 400 and data["error"]
    assert block.display_name == "Before"
