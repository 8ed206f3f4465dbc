"""The Decent Work profile never shows points a quiz holds back from the learner (the platform's
``show_correctness``: ``never``; ``past_due`` before the due date): those quizzes count neither earned nor
possible points, and the profile says which results are not shown yet and from when."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from django.core.cache import cache
from django.utils import translation

from factories import olx
from sse_academy_xblock.blocks.quiz import SSEQuizBlock

JOBS = olx("quiz_jobs")  # 2 points of employment, 1 of rights at work, results always shown
PROTECTION = """<sse_quiz display_name="Protection quiz" dimension="social_protection" max_attempts="0"{extra}>
    <question id="p1" type="numeric" answer="1952" points="3"><prompt>Year of C102?</prompt></question>
  </sse_quiz>"""
MORE_JOBS = """<sse_quiz display_name="More jobs quiz" dimension="employment" max_attempts="0"{extra}>
    <question id="m1" type="truefalse" answer="true" points="2"><prompt>Jobs two?</prompt></question>
  </sse_quiz>"""
DUE = ' due="2030-06-01T00:00:00Z"'
AFTER_DUE = datetime(2030, 6, 2, 9, 0, tzinfo=timezone.utc)
RIGHT = {"jobs": {"j1": "true", "j2": "false"}, "protection": {"p1": "1952"}, "more_jobs": {"m1": "true"}}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


class Course:
    """Quizzes side by side and a course profile, on the workbench."""

    def __init__(self, make_block, quizzes: dict[str, str]):
        self.make_block = make_block
        profile = '<sse_profile display_name="Course profile"/>'
        xml = "<vertical_demo>" + "".join(quizzes.values()) + profile + "</vertical_demo>"
        self.root = make_block(xml, user="student_1")
        children = list(self.root.children)
        self.ids = dict(zip(list(quizzes) + ["profile"], children))

    def block(self, name, user="student_1"):
        return self.make_block.as_user(self.root, user).runtime.get_block(self.ids[name])

    def submit_right(self, call, user, *names):
        for name in names:
            status, reply = call(self.block(name, user), "submit", {"answers": RIGHT[name], "attempt": 1})
            assert status == 200, reply

    def profile_html(self, user="student_1"):
        return self.block("profile", user).render("student_view", {}).body_html()

    def lines(self, user="student_1"):
        profile = self.block("profile", user)
        counted = profile.learner_profile(profile.learner_scope().counted)
        return {line.dimension: (line.earned, line.possible) for line in counted.lines}


def test_a_quiz_that_never_shows_results_is_not_counted_and_the_profile_says_so(make_block, call):
    course = Course(make_block, {"jobs": JOBS, "protection": PROTECTION.format(extra=' show_correctness="never"')})
    course.submit_right(call, "student_1", "jobs", "protection")
    assert course.lines()["social_protection"] == (0.0, 0.0)  # neither earned nor possible
    assert course.lines()["employment"] == (2.0, 2.0)
    html = course.profile_html()
    assert "of 6 points" not in html
    assert "3 of 3 points (100%)" in html  # overall: the jobs quiz alone
    assert "Some of your results are not shown yet, so this profile does not count them:" in html
    assert "Protection quiz: this activity does not show results, so it is not counted here." in html
    # The course offers social protection points: they are held back, not absent.
    row = re.search(r'<li class="[^"]*" data-dimension="social_protection">(.*?)</li>', html, re.S).group(1)
    assert "Not counted: results not shown yet" in row and "No points" not in row
    assert "different activities" not in html
    # ``never`` hides results from course staff too, as the quiz's own page does.
    course.submit_right(call, "staff", "protection")
    assert course.lines("staff")["social_protection"] == (0.0, 0.0)


def test_past_due_results_count_once_the_due_date_has_passed(make_block, call, monkeypatch):
    course = Course(make_block, {"jobs": JOBS,
                                 "protection": PROTECTION.format(extra=f' show_correctness="past_due"{DUE}')})
    course.submit_right(call, "student_1", "jobs", "protection")
    assert course.lines()["social_protection"] == (0.0, 0.0)
    html = course.profile_html()
    assert "Protection quiz: shown and counted here after its due date, 1 June 2030 at 00:00 (UTC)." in html
    assert "3 of 3 points (100%)" in html and "6 of 6" not in html
    # Course staff see results before the due date, as on the quiz's page.
    course.submit_right(call, "staff", "protection")
    assert course.lines("staff")["social_protection"] == (3.0, 3.0)

    monkeypatch.setattr(SSEQuizBlock, "now", staticmethod(lambda: AFTER_DUE))
    assert course.lines()["social_protection"] == (3.0, 3.0)
    after = course.profile_html()
    assert "6 of 6 points (100%)" in after
    assert "not shown yet" not in after and "Not counted" not in after


def test_the_profile_asks_the_quiz_with_the_learners_own_due_date(make_block, call, monkeypatch):
    """The rule is the quiz's, asked of the block bound to the learner: a due date personalised for one
    learner (edx-when's extension, in the LMS) keeps that learner's results hidden longer."""
    course = Course(make_block, {"jobs": JOBS,
                                 "protection": PROTECTION.format(extra=f' show_correctness="past_due"{DUE}')})
    course.submit_right(call, "student_1", "protection")
    course.submit_right(call, "student_2", "protection")
    monkeypatch.setattr(SSEQuizBlock, "now", staticmethod(lambda: AFTER_DUE))
    extended = datetime(2030, 7, 1, tzinfo=timezone.utc)
    original = SSEQuizBlock.deadline

    def personal(self):
        found = original(self)
        return type(found)(extended, found.grace) if self.scope_ids.user_id == "student_2" else found

    monkeypatch.setattr(SSEQuizBlock, "deadline", personal)
    assert course.lines("student_1")["social_protection"] == (3.0, 3.0)
    assert course.lines("student_2")["social_protection"] == (0.0, 0.0)
    assert "after its due date, 1 July 2030 at 00:00 (UTC)" in course.profile_html("student_2")


def test_the_cohort_median_is_not_set_against_a_dimension_with_hidden_results(make_block, call):
    """On a dimension where part of the learner's points are hidden, their percentage is not of the
    points the cohort's median is of: no median, and the line says why (not that learners here have
    different activities)."""
    course = Course(make_block, {"jobs": JOBS, "more_jobs": MORE_JOBS.format(extra=' show_correctness="never"')})
    for number in range(6):
        course.submit_right(call, f"learner_{number}", "jobs", "more_jobs")
    html = course.profile_html("learner_0")
    assert "Cohort median: not shown while some of your results here are not shown" in html
    assert "different activities" not in html
    assert "2 of 2 points (100%)" in html and "of 4 points" not in html
    assert "Cohort median: 100%" in html  # rights at work: nothing hidden there


def test_a_profile_whose_every_result_is_hidden_says_so(make_block, call):
    course = Course(make_block, {"protection": PROTECTION.format(extra=f' show_correctness="past_due"{DUE}')})
    course.submit_right(call, "student_1", "protection")
    html = course.profile_html()
    assert "Your results here are not shown yet, so there is no profile to show." in html
    assert "Protection quiz: shown and counted here after its due date" in html
    assert "no graded SSE activity" not in html and "3 of 3" not in html


def test_studio_preview_shows_every_point_the_scope_offers(make_block):
    course = Course(make_block, {"jobs": JOBS, "protection": PROTECTION.format(extra=' show_correctness="never"')})
    profile = course.block("profile")
    profile.runtime.is_author_mode = True
    html = profile.render("student_view", {}).body_html()
    assert "0 of 3 points: not started" in html and "not shown yet" not in html


def test_the_note_is_written_in_the_learners_language_and_time_zone(make_block, call):
    course = Course(make_block, {"jobs": JOBS,
                                 "protection": PROTECTION.format(extra=f' show_correctness="past_due"{DUE}')})
    course.submit_right(call, "student_1", "protection")
    profile = course.block("profile")
    user = profile.runtime.service(profile, "user").get_current_user()
    user.opt_attrs["edx-platform.user_preferences"] = {"time_zone": "Europe/Paris"}
    with translation.override("fr"):
        html = profile.render("student_view", {}).body_html()
    assert "Certains de vos résultats ne sont pas encore affichés" in html
    assert ("Protection quiz : résultats affichés et comptés ici après la date d&#x27;échéance, le 1 juin 2030 à "
            "02:00 (UTC+2).") in html
    with translation.override("es"):
        html = course.block("profile").render("student_view", {}).body_html()
    assert "Protection quiz: los resultados se muestran y se cuentan aquí después de la fecha límite" in html
