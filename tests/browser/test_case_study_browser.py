"""The case study in Chromium on a live workbench: four learners submit, review each other and see
explained grades; staff list, open, override with a reason and download the CSV.

Scenario ids follow the file names: ``sse_case_study.0`` is "A recovered factory" (3 reviews
required and given, at least 30 words, rubric worth 10 points).
"""

import uuid

import pytest

from spreadsheets import read_back

pytestmark = pytest.mark.browser

SCENARIO = "sse_case_study.0"
WORDS = ("The workers of the recovered enterprise became members of a worker cooperative, so they own it "
         "together and vote on its decisions; freedom of association under Convention No. 87 still matters "
         "because members can also organise and bargain. ")


def open_case(page, workbench_url, student):
    page.goto(f"{workbench_url}/scenario/{SCENARIO}/?student={student}")
    return page.locator(".sse-case-study").first


def listen_scored(page):
    page.evaluate("""() => { window.sseScored = [];
        document.addEventListener('sse:scored', (e) => window.sseScored.push(e.detail.usageId)); }""")


def write_and_submit(page, workbench_url, student, check_draft=False):
    from playwright.sync_api import expect

    case = open_case(page, workbench_url, student)
    box = case.get_by_label("Your analysis (plain text; leave an empty line between paragraphs)")
    box.fill("Too short")
    expect(case.locator(".sse-cs-words")).to_have_text("2 words (at least 30 needed)")
    box.fill(f"{student}: {WORDS}\n\nIn short, ownership changes who protects which rights.")
    expect(case.locator('[data-role="draft-status"]')).to_have_text("Draft saved.")
    if check_draft:
        page.reload()
        case = page.locator(".sse-case-study").first
        expect(case.get_by_label("Your analysis (plain text; leave an empty line between paragraphs)")).to_have_value(
            f"{student}: {WORDS}\n\nIn short, ownership changes who protects which rights.")
    case.get_by_role("button", name="Submit your response").click()
    expect(case.locator('[data-role="confirm"]')).to_contain_text("Submitting is final")
    case.get_by_role("button", name="Yes, submit").click()
    expect(case.locator('[data-role="notice"]')).to_have_text("Your response has been submitted.")
    expect(case.locator('[data-role="progress"]')).to_have_text("Reviews given: 0 of 3. Reviews received: 0.")


def review_next(page, workbench_url, student, number):
    from playwright.sync_api import expect

    case = open_case(page, workbench_url, student)
    listen_scored(page)
    case.get_by_role("button", name="Review a response").click()
    form = case.locator('[data-role="review-form"]')
    expect(case.get_by_role("heading", name=f"Review {number} of 3")).to_be_visible()
    text = case.locator(".sse-cs-peer-text").first.inner_text()
    assert not text.startswith(student)  # never their own response
    form.locator('fieldset[data-criterion="analysis"] input[value="2"]').check()  # Strong: 4
    form.locator('fieldset[data-criterion="rights"] input[value="1"]').check()  # Present: 2
    # the keyboard works too: focus the first option of the last criterion and move with arrows
    form.locator('fieldset[data-criterion="principles"] input[value="0"]').focus()
    page.keyboard.press("ArrowDown")  # Named: 1
    expect(form.locator('fieldset[data-criterion="principles"] input[value="1"]')).to_be_checked()
    form.get_by_label("Comment on “Analysis of the case” (optional)").fill(f"Comment from a peer ({number}).")
    form.get_by_role("button", name="Submit your review").click()
    expect(case.locator('[data-role="notice"]')).to_have_text("Thank you: your review has been submitted.")
    return case


def test_four_learners_and_staff(workbench_url, page):
    from playwright.sync_api import expect

    run = uuid.uuid4().hex[:6]
    learners = [f"{name}_{run}" for name in ("amina", "bruno", "chen", "dolores")]
    for i, student in enumerate(learners):
        write_and_submit(page, workbench_url, student, check_draft=(i == 0))

    case = None
    for number in (1, 2, 3):
        for student in learners:
            case = review_next(page, workbench_url, student, number)
    # the last reviewer's own request completed their grade: it appears at once and is announced
    grade = case.locator('[data-role="grade"]')
    expect(grade.locator('[data-role="grade-summary"]')).to_have_text("Your score: 7 of 10 points (70%).")
    assert len(page.evaluate("window.sseScored")) == 1

    for student in learners:
        case = open_case(page, workbench_url, student)
        grade = case.locator('[data-role="grade"]')
        expect(grade.locator('[data-role="grade-summary"]')).to_have_text("Your score: 7 of 10 points (70%).")
        expect(grade.locator("tbody tr").first).to_contain_text("4 of 4 points (median of 4, 4, and 4)")
        expect(grade).to_contain_text("Review 3")
        # the grade comes first, above the case, the task and the rubric
        assert grade.bounding_box()["y"] < case.locator(".sse-cs-case").bounding_box()["y"]
        # review card headings are not smaller than the text
        sizes = grade.evaluate("""g => [parseFloat(getComputedStyle(g.querySelector('.sse-cs-review-card h5')).fontSize),
            parseFloat(getComputedStyle(g.querySelector('.sse-cs-review-card li')).fontSize)]""")
        assert sizes[0] >= sizes[1]
        expect(grade).to_contain_text("Comment from a peer")
        for other in learners:
            if other != student:
                expect(grade).not_to_contain_text(other)  # reviewers are anonymous

    # staff: the list, one submission, an override with a reason, the CSV
    case = open_case(page, workbench_url, "staff")
    staff = case.locator('[data-role="staff"]')
    expect(staff.locator("tbody tr")).to_have_count(4)
    expect(staff.locator("tbody tr").first).to_contain_text("Graded")
    staff.get_by_role("button", name=f"Open the submission of {learners[0]}").click()
    detail = staff.locator('[data-role="detail"]')
    expect(detail).to_contain_text("Comment from a peer")
    detail.locator('[data-role="grade-points"]').fill("9")
    detail.locator('[data-role="grade-reason"]').fill("The conclusion deserves more credit.")
    detail.get_by_role("button", name="Set the grade").click()
    expect(detail.locator("h4")).to_contain_text("Graded by staff")
    expect(detail).to_contain_text("The conclusion deserves more credit.")
    expect(detail).to_contain_text("Gradebook: delivered")  # the override reached edx-submissions
    expect(detail.locator('[data-role="send-again"]')).to_be_visible()
    # the reservation and audit tables name states and actions in words, not internal codes
    expect(detail.locator("table").first.locator("tbody tr").first).to_contain_text("Review submitted")
    expect(detail.locator("table").last.locator("tbody tr").first).to_contain_text("Grade overridden")
    expect(staff.locator("tbody tr").first).to_contain_text("9 of 10 points (90%)")  # as the learner reads it
    with page.expect_download() as info:
        staff.get_by_role("link", name="Download all submissions (CSV)").click()
    csv_text = open(info.value.path(), encoding="utf-8-sig").read()
    assert read_back(csv_text, ",")[0][:2] == ["Submission", "Learner"]
    assert all(name in csv_text for name in learners)

    case = open_case(page, workbench_url, learners[0])
    expect(case.locator('[data-role="grade-summary"]')).to_have_text("Your score: 9 of 10 points (90%).")
    expect(case.locator('[data-role="grade"]')).to_contain_text("The conclusion deserves more credit.")
    assert page.js_errors == []


def test_studio_editor_reorders_the_rubric_and_reports_every_error(workbench_url, page):
    from playwright.sync_api import expect

    page.goto(f"{workbench_url}/scenario/sse_case_study.1/studio_view/?student=staff")
    editor = page.locator(".sse-cs-studio").first
    criteria = editor.locator('[data-role="criteria"] > li')
    expect(criteria).to_have_count(2)
    editor.get_by_role("button", name="Criterion 1: Move down").click()
    expect(criteria.first.locator("legend").first).to_have_text("Criterion 1: Public policy and R202")
    editor.get_by_role("button", name="Add a criterion").click()
    expect(criteria).to_have_count(3)
    editor.get_by_label("Reviews each response needs").fill("0")
    editor.get_by_role("button", name="Save").click()
    errors = editor.locator('[data-role="errors"]')
    # errors name a setting by the label the author sees, and the setting is marked invalid
    expect(errors).to_contain_text("“Reviews each response needs” must be between 1 and 20.")
    expect(editor.get_by_label("Reviews each response needs")).to_have_attribute("aria-invalid", "true")
    expect(errors).to_contain_text("Criterion 3 needs a label.")
    expect(errors).to_contain_text("Option 1 of criterion 3 needs a label.")

    editor.get_by_label("Reviews each response needs").fill("2")
    third = criteria.nth(2)
    third.get_by_label("Short name (letters, digits, - _ .)").fill("sources")
    third.get_by_label("Label", exact=True).first.fill("Use of sources")
    third.locator("fieldset fieldset").first.get_by_label("Label", exact=True).fill("Named")
    third.locator("fieldset fieldset").first.get_by_label("Points").fill("2")
    editor.get_by_role("button", name="Save").click()
    expect(errors).to_be_empty()
    expect(editor.get_by_label("Reviews each response needs")).not_to_have_attribute("aria-invalid", "true")

    page.goto(f"{workbench_url}/scenario/sse_case_study.1/?student=editor_check")
    case = page.locator(".sse-case-study").first
    titles = case.locator(".sse-cs-rubric h4")
    expect(titles).to_have_text(["Public policy and R202", "Causes of low enrolment", "Use of sources"])
    assert page.js_errors == []


def focused(page) -> str:
    """What a keyboard user is on: the focused element's tag, role attribute and text."""
    return page.evaluate("""() => { const a = document.activeElement;
        return a ? a.tagName + '|' + (a.getAttribute('data-role') || '') + '|' + a.textContent.trim() : ''; }""")


def test_keyboard_users_keep_their_place_when_the_exercise_moves_on(workbench_url, page):
    """An action that replaces what the learner was on (submit, start a review, submit it) moves the
    focus to what replaced it, inside the block, instead of dropping it on the page body."""
    from playwright.sync_api import expect

    run = uuid.uuid4().hex[:6]
    first, second = f"kb1_{run}", f"kb2_{run}"
    write_and_submit(page, workbench_url, first)

    case = open_case(page, workbench_url, second)
    case.get_by_label("Your analysis (plain text; leave an empty line between paragraphs)").fill(f"{second}: {WORDS}")
    case.get_by_role("button", name="Submit your response").focus()
    page.keyboard.press("Enter")  # opens the confirmation, focus on "Yes, submit"
    page.keyboard.press("Enter")
    expect(case.locator('[data-role="notice"]')).to_have_text("Your response has been submitted.")
    assert focused(page) == "P|notice|Your response has been submitted."

    case.get_by_role("button", name="Review a response").focus()
    page.keyboard.press("Enter")
    expect(case.get_by_role("heading", name="Review 1 of 3")).to_be_visible()
    assert focused(page) == "H3||Review 1 of 3"

    form = case.locator('[data-role="review-form"]')
    for criterion in ("analysis", "rights", "principles"):
        form.locator(f'fieldset[data-criterion="{criterion}"] input[value="0"]').focus()
        page.keyboard.press("Space")
    form.get_by_role("button", name="Submit your review").focus()
    page.keyboard.press("Enter")
    expect(case.locator('[data-role="notice"]')).to_have_text("Thank you: your review has been submitted.")
    assert focused(page) == "P|notice|Thank you: your review has been submitted."
    assert page.js_errors == []


def test_a_click_right_after_typing_is_not_lost(workbench_url, page):
    """Leaving a text box starts a draft save whose status line appears above the button being
    clicked; the button must not move under the pointer (the click would land elsewhere and be lost)."""
    from playwright.sync_api import expect

    run = uuid.uuid4().hex[:6]
    first, second = f"ck1_{run}", f"ck2_{run}"
    for student in (first, second):
        case = open_case(page, workbench_url, student)
        # typed and clicked at once: no autosave has run, the status line is still empty
        case.get_by_label("Your analysis (plain text; leave an empty line between paragraphs)").fill(
            f"{student}: {WORDS}")
        case.get_by_role("button", name="Submit your response").click()
        expect(case.locator('[data-role="confirm"]')).to_be_visible()
        case.get_by_role("button", name="Yes, submit").click()
        expect(case.locator('[data-role="notice"]')).to_have_text("Your response has been submitted.")

    case.get_by_role("button", name="Review a response").click()
    form = case.locator('[data-role="review-form"]')
    for criterion in ("analysis", "rights", "principles"):
        form.locator(f'fieldset[data-criterion="{criterion}"] input[value="1"]').check()
    form.get_by_label("Overall comment (optional)").fill("Clear and well argued.")
    form.get_by_role("button", name="Submit your review").click()
    expect(case.locator('[data-role="notice"]')).to_have_text("Thank you: your review has been submitted.")
    assert page.js_errors == []


def test_staff_grading_an_ungraded_response_see_the_points_it_can_get(workbench_url, page):
    """A response with no grade yet (e.g. from the staff queue): the staff grade form still names its range."""
    from playwright.sync_api import expect

    student = f"sq_{uuid.uuid4().hex[:6]}"
    case = open_case(page, workbench_url, student)
    case.get_by_label("Your analysis (plain text; leave an empty line between paragraphs)").fill(f"{student}: {WORDS}")
    case.get_by_role("button", name="Submit your response").click()
    case.get_by_role("button", name="Yes, submit").click()
    expect(case.locator('[data-role="notice"]')).to_have_text("Your response has been submitted.")

    case = open_case(page, workbench_url, "staff")
    staff = case.locator('[data-role="staff"]')
    staff.get_by_role("button", name=f"Open the submission of {student}").click()
    detail = staff.locator('[data-role="detail"]')
    expect(detail.get_by_label("Points (0–10)")).to_have_attribute("max", "10")
    assert page.js_errors == []


def test_staff_tables_scroll_inside_the_block_on_a_narrow_screen(workbench_url, page):
    """The submissions table is wider than a phone: it scrolls in its own keyboard-reachable region
    instead of widening the whole page."""
    from playwright.sync_api import expect

    student = f"nw_{uuid.uuid4().hex[:6]}"
    case = open_case(page, workbench_url, student)
    case.get_by_label("Your analysis (plain text; leave an empty line between paragraphs)").fill(f"{student}: {WORDS}")
    case.get_by_role("button", name="Submit your response").click()
    case.get_by_role("button", name="Yes, submit").click()
    expect(case.locator('[data-role="notice"]')).to_have_text("Your response has been submitted.")

    page.set_viewport_size({"width": 380, "height": 800})
    case = open_case(page, workbench_url, "staff")
    staff = case.locator('[data-role="staff"]')
    expect(staff.locator("tbody tr").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 380
    region = staff.get_by_role("region", name="Staff: submissions")
    expect(region).to_have_attribute("tabindex", "0")
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")  # the table scrolls inside it
    staff.get_by_role("button", name=f"Open the submission of {student}").click()
    expect(staff.get_by_role("region", name="Reservations")).to_be_attached()
    assert page.evaluate("document.documentElement.scrollWidth") <= 380
    assert page.js_errors == []


def test_review_errors_stand_by_the_form_and_go_once_fixed(workbench_url, page):
    """"Choose an option for every criterion" appeared below the waiting message, far from the form,
    and stayed after the fix; the waiting message showed during the review; the report link sat
    right under Submit; text boxes stuck out of their boxes on a phone."""
    from playwright.sync_api import expect

    run = uuid.uuid4().hex[:6]
    first, second = f"er1_{run}", f"er2_{run}"
    write_and_submit(page, workbench_url, first)
    page.set_viewport_size({"width": 390, "height": 844})
    write_and_submit(page, workbench_url, second)
    case = page.locator(".sse-case-study").first
    case.get_by_role("button", name="Review a response").click()
    form = case.locator('[data-role="review-form"]')
    expect(form).to_be_visible()
    expect(case.locator('[data-role="waiting"]')).to_have_count(0)

    form.locator('fieldset[data-criterion="analysis"] input[value="1"]').check()
    submit = form.get_by_role("button", name="Submit your review")
    submit.click()
    error = form.locator('[data-role="review-error"]')
    expect(error).to_contain_text("every criterion")
    expect(case.locator('[data-role="error"]')).to_be_empty()
    gap = submit.bounding_box()["y"] - (error.bounding_box()["y"] + error.bounding_box()["height"])
    assert 0 <= gap < 40
    rights = form.locator('fieldset[data-criterion="rights"]')
    expect(rights).to_contain_text("Choose an option for this criterion.")
    expect(rights.locator("input").first).to_be_focused()
    expect(form.locator('fieldset[data-criterion="analysis"]')).not_to_contain_text("Choose an option")

    rights.locator('input[value="1"]').check()
    expect(rights).not_to_contain_text("Choose an option for this criterion.")
    expect(error).not_to_be_empty()                       # "principles" is still missing
    form.locator('fieldset[data-criterion="principles"] input[value="1"]').check()
    expect(error).to_be_empty()
    expect(error).to_be_hidden()

    flag = case.locator(".sse-cs-flag > summary")
    assert flag.bounding_box()["y"] - (submit.bounding_box()["y"] + submit.bounding_box()["height"]) >= 30
    sticking_out = case.evaluate("""root => Array.from(root.querySelectorAll('textarea')).filter(box => {
        const parent = box.parentElement.getBoundingClientRect();
        return box.getBoundingClientRect().right > parent.right + 0.5; }).length""")
    assert sticking_out == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.js_errors == []


def test_french_learners_read_plurals_and_their_own_time(workbench_url, browser):
    """French wrote "0 mot(s)" and deadlines in UTC ("2026-12-06 02:47 UTC"): counts now take the
    language's plural form, and moments are shown in the learner's time zone and language."""
    import re

    from playwright.sync_api import expect

    context = browser.new_context(locale="fr-FR", timezone_id="America/Mexico_City",
                                  viewport={"width": 1000, "height": 900})
    page = context.new_page()
    try:
        student = f"fr_{uuid.uuid4().hex[:6]}"
        page.goto(f"{workbench_url}/scenario/{SCENARIO}/?student={student}")
        case = page.locator(".sse-case-study").first
        box = case.locator("textarea").first
        box.fill("Un")
        expect(case.locator(".sse-cs-words")).to_have_text("1 mot (au moins 30 requis)")
        box.fill("Deux mots")
        expect(case.locator(".sse-cs-words")).to_have_text("2 mots (au moins 30 requis)")
        box.fill(f"{student}: {WORDS}")
        case.locator('[data-role="submit-response"]').click()
        case.locator('[data-role="confirm-submit"]').click()
        own = case.locator(".sse-cs-own")
        own.locator("summary").click()
        text = own.locator("p.sse-muted").inner_text()
        assert text.startswith("Envoyée le ") and "mots)" in text
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
        assert re.search(r"(janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)", text)
        assert "UTC−6" in text or "UTC-6" in text or "UTC−5" in text or "UTC-5" in text   # Mexico City
        waiting = case.locator('[data-role="waiting"]').inner_text()
        assert "UTC" in waiting and not re.search(r"\d{4}-\d{2}-\d{2}", waiting)
    finally:
        context.close()


def test_case_study_editor_shows_text_not_html_and_marks_the_fields_in_error(workbench_url, page):
    """The case text showed the OLX's <p> tags and indentation; errors now follow the shared editor
    behaviour (summary at the top, field marked and described, focus on the first)."""
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{workbench_url}/scenario/{SCENARIO}/studio_view/?student=staff")
    editor = page.locator(".sse-cs-studio").first
    case_text = editor.get_by_label("The case", exact=True).input_value()
    assert "<p>" not in case_text and "\n " not in case_text and case_text.strip()
    editor.get_by_label("Reviews each learner gives").fill("50")
    criteria = editor.locator('[data-role="criteria"] > li')
    editor.get_by_role("button", name="Add a criterion").click()
    editor.get_by_role("button", name="Save").click()
    summary = editor.locator('[data-role="errors"]')
    expect(summary).to_contain_text("The case study was not saved. Correct these fields:")
    field = editor.get_by_label("Reviews each learner gives")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    last = criteria.last.locator("fieldset").first
    expect(last).to_have_class("sse-invalid")
    expect(summary.get_by_role("link")).not_to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.js_errors == []


AXE = __import__("pathlib").Path(__file__).parent / "vendor" / "axe.min.js"
QUALITY_SCENARIO = "sse_case_study.1"  # "Mutual health organisations": 2 reviews required and given, 20 words


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const result = await axe.run(document.querySelector('.sse-case-study'), {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return result.violations.map(v => `${v.id}: ${v.nodes.length} node(s) ${v.nodes[0].target}`);
    }""")


def test_staff_read_review_quality_at_1280_and_390_px(workbench_url, page):
    """Three learners review each other (one always harsher): staff see alpha per criterion (not enough
    data yet) and the reviewers, the harshest first, with the CSV; the section passes axe on a wide
    screen and on a phone, where its tables scroll inside their own regions."""
    from playwright.sync_api import expect

    run = uuid.uuid4().hex[:6]
    learners = [f"q{name}_{run}" for name in ("ama", "ben", "cyd")]
    url = f"{workbench_url}/scenario/{QUALITY_SCENARIO}/"
    for student in learners:
        page.goto(f"{url}?student={student}")
        case = page.locator(".sse-case-study").first
        case.locator("textarea").first.fill(f"{student}: {WORDS}")
        case.locator('[data-role="submit-response"]').click()
        case.locator('[data-role="confirm-submit"]').click()
        expect(case.locator('[data-role="notice"]')).to_have_text("Your response has been submitted.")
    for _round in range(2):
        for student in learners:
            page.goto(f"{url}?student={student}")
            case = page.locator(".sse-case-study").first
            form = case.locator('[data-role="review-form"]')
            if not form.count():
                case.locator('[data-role="start-review"]').click()
            expect(form).to_be_visible()
            harsh = student.startswith("qcyd")
            criteria = form.locator("fieldset[data-criterion]")
            for i in range(criteria.count()):
                options = criteria.nth(i).locator("input[type=radio]")
                (options.first if harsh else options.last).check()
            form.locator('[data-role="submit-review"]').click()
            expect(case.locator('[data-role="notice"]')).to_have_text("Thank you: your review has been submitted.")

    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{url}?student=staff")
        quality = page.locator('.sse-case-study [data-role="quality"]')
        expect(quality.get_by_role("heading", name="Staff: review quality")).to_be_visible()
        criteria = quality.locator('table[data-role="quality-criteria"]')
        expect(criteria.locator("caption")).to_have_text("Agreement per criterion")
        # one row per criterion of the rubric (another test adds a third criterion to this scenario)
        expect(criteria.locator("tbody tr")).to_have_count(page.locator(".sse-case-study .sse-cs-rubric h4").count())
        expect(criteria.locator("tbody tr").first).to_contain_text("Not enough data (fewer than 5 responses)")
        reviewers = quality.locator('table[data-role="quality-reviewers"]')
        expect(reviewers.locator("tbody tr").first).to_be_visible()
        expect(reviewers.locator("thead")).to_contain_text("Weight if weighting were on")
        names = reviewers.locator("tbody th").all_inner_texts()
        ours = [n for n in names if n.endswith(run)]
        assert sorted(ours) == sorted(learners) and ours[0] == learners[2], names  # the harsh one first
        expect(quality.get_by_role("link", name="Download all reviewers (CSV)")).to_be_visible()
        expect(quality.locator('[data-role="quality-weighting"]')).to_contain_text("is off")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(page) == [], width
    region = page.locator('.sse-case-study [data-role="quality"]').get_by_role(
        "region", name="Reviewers, the most distant from the others first")
    expect(region).to_have_attribute("tabindex", "0")
    assert page.js_errors == []
