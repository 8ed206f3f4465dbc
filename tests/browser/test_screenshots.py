"""``make screenshots``: current pictures of the main views, for the README, in ``docs/screenshots/``.

Each entry of ``SHOTS`` is a file name and a function that brings a page to the view and returns the
part to photograph (an element, a region of the page, or None for the window); add a view by adding an
entry. The staff views are taken with a cohort of learners who answered through the blocks' handlers, so
that every figure shows a value. The pictures are taken only when
``SSE_SCREENSHOTS`` names the folder to write (``make screenshots`` sets it), so that ``make test``
does not spend its time on them; each shot still checks that its view rendered and raised no error.
"""

from __future__ import annotations

import os
import random
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

FOLDER = os.environ.get("SSE_SCREENSHOTS", "")
RUN = uuid.uuid4().hex[:5]
ANALYSIS = ("Mutual health organisations reach workers whom social insurance misses, but membership stays low "
            "because contributions compete with daily needs and the benefit package is narrow. Linking mutuals to "
            "the national floor, as Recommendation No. 202 asks, lets the state subsidise the poorest members "
            "while the mutual keeps its democratic governance and its closeness to members.")


def block(page, selector=".sse-block"):
    return page.locator(selector).first


def go(page, url, path, student, lang="en"):
    page.goto(f"{url}{path}?student={student}&lang={lang}")
    page.wait_for_load_state("networkidle")


def region(page, first, last, pad=6):
    """The part of the page from the top of ``first`` to the bottom of ``last`` (locators), as a clip of a
    full-page screenshot; the shot function returns it when the view's relevant part is not one element."""
    top, bottom = first.bounding_box(), last.bounding_box()
    x, y = page.evaluate("[window.scrollX, window.scrollY]")
    left = min(top["x"], bottom["x"])
    right = max(top["x"] + top["width"], bottom["x"] + bottom["width"])
    return {"x": max(0, left + x - pad), "y": max(0, top["y"] + y - pad), "width": right - left + 2 * pad,
            "height": bottom["y"] + bottom["height"] - top["y"] + 2 * pad}


CALL = """async ([name, payload]) => {
    const init = JSON.parse(document.querySelector('script.sse-init').textContent);
    return await window.SSEAcademy.postJSON(init.urls[name], payload);
}"""


# --- quiz -----------------------------------------------------------------------------------------

def quiz_before(page, url):
    go(page, url, "/scenario/sse_quiz.0/", f"shot_quiz_{RUN}")
    return block(page)


def quiz_after(page, url):
    from playwright.sync_api import expect

    go(page, url, "/scenario/sse_quiz.0/", f"shot_quiz_{RUN}")
    quiz = block(page)
    quiz.get_by_label("Convention No. 87", exact=True).check()
    quiz.get_by_label("True", exact=True).check()
    quiz.get_by_role("button", name="Submit", exact=True).click()
    expect(quiz.locator('[data-role="score"]')).to_be_visible()
    return quiz


def quiz_unanswered(page, url):
    from playwright.sync_api import expect

    go(page, url, "/scenario/sse_quiz.1/", f"shot_quiz_all_{RUN}")
    quiz = block(page)
    quiz.locator('input[type="radio"]').first.check()
    quiz.get_by_role("button", name="Submit", exact=True).click()
    expect(quiz.locator('[data-role="confirm"]')).to_be_visible()
    return quiz


def quiz_french_phone(page, url):
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 390, "height": 844})
    go(page, url, "/scenario/sse_quiz.0/", f"shot_quiz_fr_{RUN}", lang="fr")
    quiz = block(page)
    quiz.locator('input[type="radio"]').nth(0).check()
    quiz.locator('input[type="radio"]').nth(3).check()
    quiz.locator('[data-role="submit"]').click()
    expect(quiz.locator('[data-role="score"]')).to_be_visible()
    return quiz


EVERY_TYPE = "sse_quiz.1"
QUIZ_COHORT = 24  # learners of the every-type quiz: enough for every figure of the item analysis


def cohort_answers(i: int, n: int = QUIZ_COHORT) -> dict:
    """Learner ``i`` of ``n`` (from the weakest to the strongest) answering the every-type quiz, with the
    chance of a right answer growing with the learner's level; the same answers on every run. The better
    learners say "False" to the true statement on social protection floors (a question to check), and the
    text and numeric questions collect several wrong answers, some of them more than once."""
    rng = random.Random(1000 + i)
    level = (i + 0.5) / n

    def knows(difficulty: float) -> bool:
        return rng.random() < min(0.95, max(0.05, 0.5 + 1.8 * (level - difficulty)))

    fundamental = [choice for choice, difficulty in (("c87", 0.1), ("c182", 0.4), ("c155", 0.7)) if knows(difficulty)]
    if not knows(0.45) or not fundamental:
        fundamental.append(rng.choice(["c102", "c102", "c144"]))
    return {
        "employment-policy": "c122" if knows(0.3) else rng.choice(["c102", "c144", "c144"]),
        "fundamental": fundamental,
        "floors": rng.random() < (0.85 if level < 0.4 else 0.2),
        "ica": "1895" if knows(0.45) else rng.choice(["1844", "1844", "1900", "1919"]),
        "child_labour": "1999" if knows(0.25) else rng.choice(["2000", "2000", "1973"]),
        "basque": "Mondragon" if knows(0.55) else rng.choice(["Fagor", "Fagor", "Mondragon Corporation", "Eroski"]),
    }


def submit_quiz(page, url, path, submissions) -> None:
    """Submit each ``(student, attempt, answers)`` through the submit handler of the quiz on the page at ``path``,
    as its script does."""
    page.goto(f"{url}{path}?student={submissions[0][0]}")
    usage = page.locator(".sse-quiz").first.evaluate("el => el.closest('[data-usage]').getAttribute('data-usage')")
    statuses = page.evaluate("""async ([url, usage, submissions]) => {
        const token = (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] || '';
        const statuses = [];
        for (const [student, attempt, answers] of submissions) {
            const reply = await fetch(`${url}/handler/${usage}/submit/?student=${student}`, {
                method: 'POST', credentials: 'same-origin',
                headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
                body: JSON.stringify({attempt, answers})});
            statuses.push(reply.status);
        }
        return statuses;
    }""", [url, usage, [list(item) for item in submissions]])
    assert statuses == [200] * len(statuses), statuses


def quiz_cohort(page, url) -> None:
    """The every-type quiz's learners; one in four had a weaker first attempt before the counted one."""
    submissions = []
    for i in range(QUIZ_COHORT):
        student = f"learner_{i + 1:02d}_{RUN}"
        if i % 4 == 1:
            submissions.append((student, 1, cohort_answers(max(0, i - 6))))
            submissions.append((student, 2, cohort_answers(i)))
        else:
            submissions.append((student, 1, cohort_answers(i)))
    submit_quiz(page, url, f"/scenario/{EVERY_TYPE}/", submissions)


def quiz_staff(page, url):
    """The staff panel of the every-type quiz after its cohort: the learners' attempts, then the whole test."""
    from playwright.sync_api import expect

    quiz_cohort(page, url)
    page.set_viewport_size({"width": 1100, "height": 900})
    go(page, url, f"/scenario/{EVERY_TYPE}/", "staff")
    staff = block(page).locator(".sse-staff")
    expect(staff.locator('[data-role="whole-figures"]')).not_to_contain_text("not enough data")
    return region(page, staff, staff.locator('[data-role="whole-test"]'))


def quiz_item_analysis(page, url):
    """The questions and dimensions of the same analysis. The table is wider than the block (on the page it
    scrolls sideways in its own region): the picture lifts the block's width so that every column shows."""
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1640, "height": 900})
    go(page, url, f"/scenario/{EVERY_TYPE}/", "staff")
    page.add_style_tag(content=".sse-block { max-width: none; }")
    items = block(page).locator('[data-role="item-analysis"]')
    expect(items.locator('[data-role="wrong-answers"]').first).to_be_visible()
    expect(items.locator('[data-role="items-table"]')).not_to_contain_text("not enough data")
    return region(page, items.locator('[data-role="items-flagged"]'), items.locator('[data-role="rescore"]'))


def quiz_editor(page, url):
    go(page, url, "/scenario/sse_quiz.0/studio_view/", "staff")
    return block(page)


def quiz_editor_errors(page, url):
    from playwright.sync_api import expect

    go(page, url, "/scenario/sse_quiz.0/studio_view/", "staff")
    editor = block(page)
    editor.get_by_label("Pass mark (percent, shown to learners)").fill("150")
    editor.get_by_role("button", name="Add a question").click()
    editor.get_by_role("button", name="Save").click()
    expect(editor.locator('[data-role="errors"] li').first).to_be_visible()
    page.set_viewport_size({"width": 900, "height": 1000})
    page.evaluate("window.scrollTo(0, 0)")
    return None  # the top of the editor, as the author sees it after Save


# --- case study -----------------------------------------------------------------------------------

CASE = "/scenario/sse_case_study.1/"
CASE_LEARNERS = [f"{name}_{RUN}" for name in ("awa", "bintou", "chidi")]


def submit_response(page, url, student):
    from playwright.sync_api import expect

    go(page, url, CASE, student)
    case = block(page)
    case.locator("textarea").first.fill(f"{ANALYSIS}")
    case.locator('[data-role="submit-response"]').click()
    case.locator('[data-role="confirm-submit"]').click()
    expect(case.locator('[data-role="notice"]')).to_be_visible()


def review(page, url, student, points=1, submit=True):
    from playwright.sync_api import expect

    go(page, url, CASE, student)
    case = block(page)
    form = case.locator('[data-role="review-form"]')
    if not form.count():
        case.locator('[data-role="start-review"]').click()
    expect(form).to_be_visible()
    criteria = form.locator("fieldset[data-criterion]")
    for i in range(criteria.count()):
        criteria.nth(i).locator(f'input[value="{points}"]').check()
    criteria.first.locator("textarea").fill("The link to R202 is clear; say more about who pays the subsidy.")
    if submit:
        form.locator('[data-role="submit-review"]').click()
        expect(case.locator('[data-role="notice"]')).to_be_visible()
    return case


def case_reviewing(page, url):
    for student in CASE_LEARNERS:
        submit_response(page, url, student)
    return review(page, url, CASE_LEARNERS[0], submit=False)


def case_graded(page, url):
    from playwright.sync_api import expect

    review(page, url, CASE_LEARNERS[0], points=1)
    review(page, url, CASE_LEARNERS[0], points=2)
    for student in CASE_LEARNERS[1:]:
        review(page, url, student, points=1)
        review(page, url, student, points=2)
    go(page, url, CASE, CASE_LEARNERS[0])
    expect(block(page).locator('[data-role="grade"]')).to_be_visible()
    return block(page)


def case_feedback(page, url):
    """The graded learner rates the first review they received."""
    from playwright.sync_api import expect

    go(page, url, CASE, CASE_LEARNERS[0])
    card = block(page).locator(".sse-cs-review-card").filter(has=page.locator('[data-role="feedback"]')).first
    card.get_by_role("radio", name="Yes").check()
    card.locator('[data-role="feedback-comment"]').fill("The question about who pays the subsidy changed my "
                                                        "conclusion.")
    card.locator('[data-role="feedback-save"]').click()
    expect(card.locator('[data-role="feedback-saved"]')).to_be_visible()
    return card


# More learners of the same case study, for the staff views: each response has a level on the two criteria
# (option numbers of "causes" and "policy"), which most reviewers see; one reviewer is harsh, one generous
# on policy, one unsteady on causes. Two learners submit first and never review: their responses are not
# graded, so the reviews they received are not compared, and the free places they leave let the learners
# who reviewed neither of them give an extra review that is (three comparable reviews: a weight).
CASE_COHORT = [
    ("dina", (2, 2), "Enrolment stays low for reasons the case gives: contributions compete with food and school fees, "
                     "the benefit package is narrow, and in a healthy year members see nothing back. Recommendation "
                     "No. 202 makes essential health care the first guarantee of the floor: the state can pay the "
                     "contributions of the poorest and widen the package, while the mutuals keep their member "
                     "governance and collect contributions locally, as Senegal's 2013 policy did."),
    ("emeka", (2, 1), "Households with irregular incomes cannot pay a fixed monthly contribution, the package covers "
                      "few services, and people trust a mutual only once they have seen it pay. A public policy can "
                      "link the mutuals to the health care guarantee of Recommendation No. 202 by counting them in "
                      "the national coverage scheme."),
    ("fatou", (1, 1), "Contributions are hard to pay for poor households, so few of them join. The state should "
                      "support the mutuals, because Recommendation No. 202 asks for access to essential health care "
                      "for everyone."),
    ("gora", (1, 0), "Many people do not join because they cannot pay the contribution every month and do not see "
                     "what they get back from it. Mutuals should explain their benefits better to their members and "
                     "to the whole community."),
    ("hamid", (0, 1), "Mutual health organisations are a good idea and the state should help them, since "
                      "Recommendation No. 202 says that everyone should have access to essential health care under "
                      "the national floor."),
    ("ines", (2, 2), "Three causes come from the case: members pay before they are ill, incomes are irregular, and "
                     "the package leaves out hospital care. Under Recommendation No. 202 the state guarantees "
                     "essential health care; it can subsidise the poorest members' contributions and buy care "
                     "through the mutuals, which keep their democratic governance and their closeness to members."),
    ("jabu", (0, 0), "Health is important for everyone, and mutual organisations are one way among others to "
                     "organise health care in a country, together with hospitals, doctors and public insurance."),
]
CASE_SILENT = [
    ("kwame", (1, 1), "People join a mutual only when they can pay, and many cannot. With Recommendation No. 202 the "
                      "government can help the mutuals reach the poorest households with a subsidy."),
    ("lina", (1, 0), "Voluntary enrolment stays low because the contribution is a cost today and the benefit is "
                     "uncertain tomorrow, and because the package is narrow. Mutuals should market themselves better."),
]
CASE_LEVELS = {text: level for _name, level, text in CASE_COHORT + CASE_SILENT} | {ANALYSIS: (1, 1)}
CASE_BIAS = {"gora": (-1, -1), "hamid": (0, 1), "jabu": (1, 0)}


def review_one(page, url, student, name, number, reviewed) -> None:
    """``name`` asks for a response to review (an extra one from the third round on) and scores it."""
    go(page, url, CASE, student)
    task = page.evaluate(CALL, ["next_review", {"extra": number >= 2}])["data"]["state"].get("review")
    if not task:
        return
    level = CASE_LEVELS[task["text"]]
    bias = (-1, 0) if name == "jabu" and number % 2 else CASE_BIAS.get(name, (0, 0))
    options = {criterion: min(2, max(0, level[k] + bias[k])) for k, criterion in enumerate(("causes", "policy"))}
    review = {"options": options, "comments": {}, "overall": ""}
    assert page.evaluate(CALL, ["submit_review", {"lease_id": task["lease_id"], "review": review}])["ok"]
    reviewed[name].add(task["text"])


def case_cohort(page, url) -> None:
    """The cohort's responses, reviews and ratings, through the block's handlers as its script calls them."""
    def student(name):
        return f"{name}_{RUN}"

    for name, _level, text in CASE_SILENT + CASE_COHORT:
        go(page, url, CASE, student(name))
        assert page.evaluate(CALL, ["submit_response", {"text": text}])["ok"]
    silent_texts = {text for _name, _level, text in CASE_SILENT}
    reviewed = {name: set() for name, _level, _text in CASE_COHORT}
    names = [name for name, _level, _text in CASE_COHORT]
    # two required rounds (the second in reverse order, so that four learners review the silent two), then
    # extra reviews until every response has its two, those who reviewed neither of the silent two asked first
    for number, order in enumerate((names, names[::-1])):
        for name in order:
            review_one(page, url, student(name), name, number, reviewed)
    extra = sorted(names, key=lambda name: bool(reviewed[name] & silent_texts))
    for number in range(2, 5):
        for name in extra:
            review_one(page, url, student(name), name, number, reviewed)
    for k, name in enumerate(names):
        go(page, url, CASE, student(name))
        grade = page.evaluate(CALL, ["state", {}])["data"]["state"].get("grade") or {}
        for j, shown in enumerate(grade.get("counted", [])):
            page.evaluate(CALL, ["rate_review", {"review_id": shown["id"], "helpful": (j + k) % 3 != 0,
                                                 "comment": ""}])


def case_staff(page, url):
    """The staff panel with the cohort, one submission open."""
    from playwright.sync_api import expect

    case_cohort(page, url)
    page.set_viewport_size({"width": 1100, "height": 900})
    go(page, url, CASE, "staff")
    staff = block(page).locator('[data-role="staff"]')
    expect(staff.locator("tbody tr").nth(len(CASE_LEARNERS + CASE_COHORT + CASE_SILENT) - 1)).to_be_visible()
    staff.locator("tbody tr").first.locator("button").first.click()
    expect(staff.locator('[data-role="detail"]')).to_be_visible()
    return staff


def case_quality(page, url):
    """The review-quality section after the cohort's reviews: alpha per criterion, the reviewers' distances."""
    from playwright.sync_api import expect

    go(page, url, CASE, "staff")
    quality = block(page).locator('[data-role="quality"]')
    expect(quality.locator('table[data-role="quality-reviewers"] tbody tr').nth(len(CASE_COHORT))).to_be_visible()
    expect(quality).not_to_contain_text("Not enough data")
    return quality


def case_editor(page, url):
    go(page, url, CASE, "staff")
    page.goto(f"{url}{CASE}studio_view/?student=staff&lang=en")
    page.wait_for_load_state("networkidle")
    return block(page)


SELF_CASE = "/scenario/sse_case_study.3/"
SELF_TEXT = ("The cooperative negotiates wages and weekly rest for its members with the households, and registers "
             "them with social security: the rights Convention No. 189 sets out reach workers no inspector visits.")
def case_self_vs_peers(page, url):
    """A learner's self-assessment ("Named", 2 points) beside the peers' grade (two reviews of 4), counted with a
    weight of 0.25. The learners submit and review through the block's handlers, as its script calls them."""
    from playwright.sync_api import expect

    learners = [f"{name}_{RUN}" for name in ("sa_ines", "sa_joao", "sa_kofi")]
    for student in learners:
        go(page, url, SELF_CASE, student)
        page.evaluate(CALL, ["submit_response", {"text": SELF_TEXT}])
    go(page, url, SELF_CASE, learners[0])
    page.evaluate(CALL, ["submit_self_assessment", {"options": {"rights": 1}}])
    for _round in range(2):
        for student in learners:
            go(page, url, SELF_CASE, student)
            task = page.evaluate(CALL, ["next_review", {}])["data"]["state"]["review"]
            page.evaluate(CALL, ["submit_review", {"lease_id": task["lease_id"], "review": {"options": {"rights": 2}}}])
    go(page, url, SELF_CASE, learners[0])
    grade = block(page).locator('[data-role="grade"]')
    expect(grade.locator('[data-role="self-vs-peers"]')).to_be_visible()
    return region(page, grade, grade.locator('[data-role="self-vs-peers"]'))  # the reviews below left out


SHARE_CASE = "/scenario/sse_case_study.0/"
SHARE_RESPONSES = [  # (learner, level per criterion: analysis, rights, principles; the response)
    ("share_olga", (2, 2, 2), "The workers took over the closed firm to keep their jobs, and running it as a worker "
                              "cooperative gave each of them one vote whatever they had put in. Freedom of association "
                              "under Convention No. 87 protected their right to organise the takeover, and democratic "
                              "member control explains how they set wages and chose their managers together."),
    ("share_pablo", (1, 2, 1), "Many Argentine factories closed in the crisis and their workers kept them running as "
                               "cooperatives. Convention No. 87 on freedom of association is the right they used to "
                               "organise, and the cooperative gives every member a voice in the decisions."),
    ("share_rosa", (1, 1, 0), "After the owners left, the workers occupied the factory and restarted production "
                              "themselves. This is linked to rights at work and to the fundamental conventions of the "
                              "ILO, because the workers defended their jobs and their income."),
    ("share_tomas", (0, 1, 1), "Recovered factories exist in Argentina. They are a form of cooperative with members "
                               "who vote, and the ILO has conventions on rights at work that apply to all workers in "
                               "every country of the world."),
]
SHARE_CRITERIA = ("analysis", "rights", "principles")


def case_reviewing_grade(page, url):
    """A case study whose author counts 20% of the score for reviewing: four learners submit and give their
    three reviews; the first, a harsh reviewer, sees a score below their response's grade."""
    from playwright.sync_api import expect

    page.goto(f"{url}{SHARE_CASE}studio_view/?student=staff&lang=en")
    page.wait_for_load_state("networkidle")
    editor = block(page)
    editor.locator('input[name="review_share"]').fill("20%")
    editor.locator('[data-role="save"]').click()
    expect(editor.locator('[data-role="live"]')).not_to_be_empty()
    levels = {text: level for _name, level, text in SHARE_RESPONSES}
    learners = [f"{name}_{RUN}" for name, _level, _text in SHARE_RESPONSES]
    for student, (_name, _level, text) in zip(learners, SHARE_RESPONSES):
        go(page, url, SHARE_CASE, student)
        assert page.evaluate(CALL, ["submit_response", {"text": text}])["ok"]
    for _round in range(3):
        for k, student in enumerate(learners):
            go(page, url, SHARE_CASE, student)
            task = page.evaluate(CALL, ["next_review", {}])["data"]["state"].get("review")
            if not task:
                continue
            harsh = 1 if k == 0 else 0
            options = {name: max(0, levels[task["text"]][i] - harsh) for i, name in enumerate(SHARE_CRITERIA)}
            review = {"options": options, "comments": {}, "overall": ""}
            assert page.evaluate(CALL, ["submit_review", {"lease_id": task["lease_id"], "review": review}])["ok"]
    go(page, url, SHARE_CASE, learners[0])
    grade = block(page).locator('[data-role="grade"]')
    expect(grade.locator('[data-role="reviewing-grade"]')).to_be_visible()
    return region(page, grade, grade.locator('[data-role="reviewing-grade"]'))  # the reviews below left out


# --- the Decent Work profile ------------------------------------------------------------------------

PROFILE_DEMO = "Profile demo: a unit with a quiz on two dimensions"


def profile_path(page, url):
    page.goto(url + "/")
    return page.get_by_role("link", name=PROFILE_DEMO).get_attribute("href")


PROFILE_COHORT = 12


def profile_cohort(page, url) -> None:
    """Learners of the profile demo's quiz, so that the cohort's medians and spread show; the cohort's
    figures are recomputed every few seconds in the workbench, so the function waits until they count them."""
    from playwright.sync_api import expect

    path = profile_path(page, url)
    submit_quiz(page, url, path, [(f"p_{RUN}_{i:02d}", 1, {"r193": "a" if i % 4 else "b",
                                                          "ica": "1895" if i % 3 == 0 else "1900"})
                                  for i in range(PROFILE_COHORT)])
    size = page.locator('.sse-profile [data-role="histogram-count"]')
    for _ in range(40):
        go(page, url, path, "staff")
        if f"{PROFILE_COHORT} learners had points" in (size.first.text_content() or ""):
            break
        page.wait_for_timeout(1000)
    expect(size.first).to_contain_text(f"{PROFILE_COHORT} learners had points")


def profile_learner(page, url):
    from playwright.sync_api import expect

    profile_cohort(page, url)
    go(page, url, profile_path(page, url), f"shot_profile_{RUN}")
    quiz = block(page, ".sse-quiz")
    quiz.locator('input[type="radio"]').first.check()
    quiz.locator('input[type="text"]').first.fill("1900")
    quiz.locator('[data-role="submit"]').click()
    profile = block(page, ".sse-profile")
    expect(profile.locator(".sse-profile-live")).not_to_be_empty()
    return profile


def profile_staff(page, url):
    go(page, url, profile_path(page, url), "staff")
    return block(page, ".sse-profile")


def case_reviewer_feedback(page, url):
    """The first learner's reviews beside the grades of the responses they reviewed (all graded by now)."""
    from playwright.sync_api import expect

    go(page, url, CASE, CASE_LEARNERS[0])
    given = block(page).locator('[data-role="given-feedback"]')
    expect(given.locator('[data-role="given-review"]').first).to_be_visible()
    return given


def case_practice(page, url):
    """A learner's first try at a practice example, off the reference: where they differed, and why."""
    from playwright.sync_api import expect

    go(page, url, "/scenario/sse_case_study.4/", f"shot_practice_{RUN}")
    case = block(page)
    case.locator("textarea").first.fill("One member, one vote: the members elected the board and control it.")
    case.locator('[data-role="submit-response"]').click()
    case.locator('[data-role="confirm-submit"]').click()
    form = case.locator('[data-role="calibration-form"]')
    expect(form).to_be_visible()
    for fieldset in form.locator("fieldset").all():
        fieldset.locator('input[value="1"]').check()
    form.locator('[data-role="submit-calibration"]').click()
    expect(case.locator('[data-role="calibration-result"]')).to_be_visible()
    return case.locator('[data-role="calibration"]')


# File name, what it shows (the README's caption), how to get there. In this order (later shots reuse
# the learners of earlier ones).
SHOTS = [
    ("quiz-before.png", quiz_before),
    ("quiz-after.png", quiz_after),
    ("quiz-unanswered.png", quiz_unanswered),
    ("quiz-french-phone.png", quiz_french_phone),
    ("quiz-staff.png", quiz_staff),
    ("quiz-item-analysis.png", quiz_item_analysis),
    ("quiz-editor.png", quiz_editor),
    ("quiz-editor-errors.png", quiz_editor_errors),
    ("case-study-reviewing.png", case_reviewing),
    ("case-study-graded.png", case_graded),
    ("case-study-feedback.png", case_feedback),
    ("case-study-reviewer-feedback.png", case_reviewer_feedback),
    ("case-study-practice.png", case_practice),
    ("case-study-staff.png", case_staff),
    ("case-study-review-quality.png", case_quality),
    ("case-study-editor.png", case_editor),
    ("case-study-self-vs-peers.png", case_self_vs_peers),
    ("case-study-reviewing-grade.png", case_reviewing_grade),
    ("profile-learner.png", profile_learner),
    ("profile-staff.png", profile_staff),
]


@pytest.mark.skipif(not FOLDER, reason="pictures are taken by `make screenshots` (SSE_SCREENSHOTS=<folder>)")
def test_screenshots_of_the_main_views(workbench_url, browser):
    folder = Path(FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 900, "height": 900}, locale="en-US", timezone_id="Europe/Paris")
    page = context.new_page()
    page.set_default_timeout(20000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        for name, show in SHOTS:
            page.set_viewport_size({"width": 900, "height": 900})
            part = show(page, workbench_url)
            page.wait_for_timeout(200)
            if part is None:
                page.screenshot(path=str(folder / name))
            elif isinstance(part, dict):  # a region of the page (see region())
                page.screenshot(path=str(folder / name), full_page=True, clip=part)
            else:
                part.screenshot(path=str(folder / name))
            assert (folder / name).stat().st_size > 2000, name
    finally:
        context.close()
    assert errors == []
