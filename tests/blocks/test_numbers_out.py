"""Numbers, counts and moments out, in the reader's language, and the five CSVs in one style.

Staff read a learner's score as the learner reads it; a case study's rules count with the language's
plural and grouping; the CSVs share the panel's column titles (in the staff member's language), ISO 8601
times with their offset and the screen's status words, while their figures stay numbers.
"""

from __future__ import annotations

import json
import re

import pytest
from django.utils import translation

from factories import graded_pair_by_handlers, olx
from spreadsheets import read_back
from sse_academy_xblock import platform
from sse_academy_xblock.peer.models import PeerSubmission
from sse_academy_xblock.quiz import roster

ISO_WITH_OFFSET = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")
QUIZ = """<sse_quiz dimension="employment" max_attempts="0">
  <question id="q1" type="single" points="2"><prompt>Pick a.</prompt>
    <choice id="a" correct="true">A</choice><choice id="b">B</choice></question>
  <question id="q2" type="truefalse" answer="true" points="1"><prompt>True?</prompt></question>
</sse_quiz>"""


@pytest.mark.parametrize("lang, learner_reads", [
    ("en", "Your score: 2 of 3 points (67%)."),
    ("fr", "Votre score\u00a0: 2 sur 3 points (67\u00a0%)."),
    ("es", "Su puntuación: 2 de 3 puntos (67\u00a0%)."),
])
def test_the_quiz_staff_panel_shows_the_score_the_learner_reads(make_block, call, lang, learner_reads):
    with translation.override(lang):
        learner = make_block(QUIZ, user="ana")
        status, reply = call(learner, "submit", {"attempt": 1, "answers": {"q1": "a", "q2": False}})
        assert status == 200 and reply["view"]["score_text"] == learner_reads, reply["view"]
        staff = make_block.as_user(learner, "staff")
        row = staff.staff_row(next(iter(roster.every(platform.usage_id(learner)))))
        html = staff.render("student_view", {}).body_html()
    score = learner_reads.split(": ", 1)[1].rstrip(".")
    assert row["score"] == score and score in html
    assert row["last_submitted"].endswith(" UTC")


@pytest.mark.parametrize("lang, attrs, rule", [
    ("en", 'min_words="1"', "Write at least 1 word."),
    ("fr", 'max_words="1200"', "Rédigez au maximum 1\u202f200 mots."),
    ("fr", 'min_words="30" max_words="12000"', "Rédigez entre 30 et 12\u202f000 mots."),
    ("es", 'min_words="30" max_words="12000"', "Escriba entre 30 y 12.000 palabras."),
    ("es", 'max_words="1200"', "Escriba como máximo 1200 palabras."),
])
def test_the_case_studys_rules_count_with_the_languages_plural_and_grouping(make_block, lang, attrs, rule):
    with translation.override(lang):
        html = make_block(olx("case_study_argument", attributes=" " + attrs)).render("student_view", {}).body_html()
    assert rule in html


def test_a_bound_in_the_case_study_editor_is_written_in_the_authors_language(make_block, call):
    block = make_block(olx("case_study_every_setting"), user="staff")
    body = {"display_name": block.display_name, "dimension": block.dimension, "weight": "", "reviews_required": "3",
            "reviews_to_give": "3", "min_words": "0", "max_words": "0", "lease_hours": "24", "waiting_days": "0,001",
            "waiting_rule": "lower", "divergence_threshold": "0.5", "case": block.case, "prompt": block.prompt,
            "rubric": block.rubric}
    with translation.override("fr"):
        status, reply = call(block, "studio_submit", body)
    assert status == 400 and "entre 0,01 et 365" in str(reply), reply


@pytest.fixture
def graded(make_block, call, transactional_db):
    ana = make_block(olx("case_study_argument"), user="ana")
    graded_pair_by_handlers(call, ana, make_block.as_user(ana, "ben"), ("ana's answer", "ben's answer"),
                            ({"options": {"a": 1}}, {"options": {"a": 2}}))
    staff = make_block.as_user(ana, "staff")
    ana_id = PeerSubmission.objects.get(anonymous_user_id="ana").pk
    status, reply = call(staff, "staff_grade", {"submission": ana_id, "points": 3, "reason": "Fair."})
    assert status == 200 and reply["detail"]["status"] == "overridden", reply
    return ana, staff


def test_the_case_study_csvs_use_the_panels_words_in_the_staff_members_language(graded, call):
    _ana, staff = graded
    with translation.override("fr"):
        status, text = call(staff, "staff_csv", method="GET")
        _status, reviewers = call(staff, "staff_agreement_csv", method="GET")
    assert status == 200
    rows = read_back(text, ",")
    by_learner = {row[1]: dict(zip(rows[0], row)) for row in rows[1:]}
    ana = by_learner["ana"]
    assert rows[0][:4] == ["Soumission", "Apprenant", "Date de soumission", "Statut"], rows[0]
    assert rows[0][-1] == "Médiane : Argument"
    assert ana["Statut"] == "Notée par l'équipe"          # the screen's word, not "overridden"
    assert ISO_WITH_OFFSET.fullmatch(ana["Date de soumission"]), ana
    assert ana["Note finale"] == "3" and ana["Points possibles"] == "4"  # numbers stay numbers
    assert read_back(reviewers, ",")[0][0] == "Évaluateur"


def test_every_csv_writes_its_times_in_iso_8601_with_their_offset(make_block, call):
    course = make_block(f"<vertical_demo>{QUIZ}<sse_profile/></vertical_demo>", user="ana")
    quiz_id, profile_id = course.children
    assert call(course.runtime.get_block(quiz_id), "submit", {"attempt": 1, "answers": {"q1": "a", "q2": True}})[0] == 200
    staff = make_block.as_user(course, "staff")
    _status, quiz_csv = call(staff.runtime.get_block(quiz_id), "staff_csv", method="GET")
    _status, profile_csv = call(staff.runtime.get_block(profile_id), "staff_csv", method="GET")
    quiz_rows, profile_rows = read_back(quiz_csv, ","), read_back(profile_csv, ",")
    assert quiz_rows[0][-1] == "Last submitted" and profile_rows[0][-1] == "Last change"
    assert ISO_WITH_OFFSET.fullmatch(quiz_rows[1][-1]), quiz_rows
    assert ISO_WITH_OFFSET.fullmatch(profile_rows[1][-1]), profile_rows
    assert quiz_rows[1][2:5] == ["3", "3", "100"]


def test_a_numeric_key_keeps_its_decimals_and_reads_as_a_year(make_block, call):
    quiz = ('<sse_quiz show_answer="always"><question id="y" type="numeric" answer="1895"><prompt>Year?</prompt>'
            '</question><question id="n" type="numeric" answer="7351.125" tolerance="0.125"><prompt>N?</prompt>'
            '</question></sse_quiz>')
    with translation.override("fr"):
        block = make_block(quiz)
        status, reply = call(block, "submit", {"attempt": 1, "answers": {"y": "1895", "n": "1"}})
    assert status == 200
    keys = [q["key_text"] for q in reply["view"]["questions"]]
    assert keys[0].endswith("1895") and keys[1].endswith("7351,125 (à 0,125 près)"), keys


def test_the_case_study_staff_list_shows_grades_as_the_learner_reads_them(graded, call):
    ana, staff = graded
    with translation.override("fr"):
        _status, listed = call(staff, "staff_list", {})
        html = ana.render("student_view", {}).body_html()
    row = next(r for r in listed["rows"] if r["learner"] == "ana")
    assert row["final_points_text"] == "3 sur 4 points (75\u00a0%)"
    assert json.dumps(row["final_points_text"])[1:-1] in html   # the learner's own grade line (data for its script)
