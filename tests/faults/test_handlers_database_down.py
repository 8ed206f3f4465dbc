"""Every handler of the three blocks, with the database failing: a JSON 503 that says nothing was saved.

Regression: with the database down or read-only, every handler answered an HTML 500 (a traceback page
under DEBUG, an empty page otherwise), and only the quiz's submit had a JSON 503, for one error type.

Two ways of failing: the first statement of the request raises (a dropped connection, a server that is
down; any database), and, on a server database, a session whose transactions are read-only (a
replica promoted late, a disk full, an operator's ``default_transaction_read_only``): reads work,
the first write fails.
"""

from __future__ import annotations

import pytest
from django.db import connection

from factories import graded_pair_by_handlers, olx
from faults.injection import FailAt, changed_tables, stored
from sse_academy_xblock.blocks.case_study import SSECaseStudyBlock
from sse_academy_xblock.blocks.profile import SSEProfileBlock
from sse_academy_xblock.blocks.quiz import SSEQuizBlock
from sse_academy_xblock.peer.models import PeerSubmission
from sse_academy_xblock.quiz import roster
from sse_academy_xblock.scenarios import load
from sse_academy_xblock.settings.databases import SERVER_KINDS, current_kind

# Server-database runs (``make test-db``, ``-m db``) run the whole file; ``make test`` runs it on SQLite.
pytestmark = [pytest.mark.db] if current_kind() in SERVER_KINDS else []

QUIZ = olx("quiz_cooperatives", display_name="Faults", q2_attributes="")
QUIZ_ANSWERS = {"q1": "a", "q2": "1895"}
CASE = olx("case_study_contract")
RESPONSE = "The cooperative keeps the jobs and its members decide together about the future."
REVIEW = {"options": {"c": 1}, "comments": {}, "overall": "Clear."}
NOTHING_SAVED = "nothing was saved"


def handlers_of(cls) -> set[str]:
    return {name for name in dir(cls) if getattr(getattr(cls, name, None), "_is_xblock_handler", False)}


def quiz_studio_body(block):
    return {**block.quiz_settings(), "questions": [dict(q) for q in block.questions]}


def case_studio_body(block):
    return {
        "display_name": "Renamed", "dimension": block.dimension, "weight": "",
        "reviews_required": "1", "reviews_to_give": "1", "min_words": "0", "max_words": "0",
        "lease_hours": "24", "waiting_days": "7", "waiting_rule": "lower", "divergence_threshold": "0.5",
        "case": block.case, "prompt": block.prompt, "rubric": block.rubric,
    }


class World:
    """A quiz with one counted attempt, a case study with two graded learners (and one who has not
    written), a profile; each handler as the user who may call it, with a body that passes the checks
    made before the database is read."""

    def __init__(self, make_block, call):
        self.quiz = make_block(QUIZ, user="student_1")
        assert call(self.quiz, "submit", {"attempt": 1, "answers": {"q1": "b", "q2": "1900"}})[0] == 200
        page_after = roster.cursor(roster.lookup("student_1", str(self.quiz.scope_ids.usage_id)))
        ana = make_block(CASE, user="ana")
        graded_pair_by_handlers(call, ana, make_block.as_user(ana, "ben"), (RESPONSE, RESPONSE + " Indeed."),
                                ({"options": {"c": 1}}, {"options": {"c": 0}}))
        self.case = ana
        self.profile = make_block('<sse_profile scope="course"/>', user="student_1")
        self.as_user = make_block.as_user
        sub = PeerSubmission.objects.get(anonymous_user_id="ana").pk
        quiz_staff = self.as_user(self.quiz, "staff")
        case_staff = self.as_user(ana, "staff")
        self.calls = {
            "quiz": [
                ("submit", self.quiz, {"attempt": 2, "answers": QUIZ_ANSWERS}),
                ("staff_items", quiz_staff, {}),
                ("staff_page", quiz_staff, {"after": page_after}),
                ("staff_reset", quiz_staff, {"learner": "student_1"}),
                ("studio_submit", quiz_staff, quiz_studio_body(self.quiz)),
                ("staff_csv", quiz_staff, None),
                ("staff_items_csv", quiz_staff, None),
                ("staff_accept_answer", quiz_staff, {"question": "q2", "answer": "1900"}),
                ("staff_rescore", quiz_staff, {}),
            ],
            "case": [
                ("state", ana, {}),
                ("save_draft", self.as_user(ana, "chen"), {"text": "A first thought."}),
                ("submit_response", self.as_user(ana, "chen"), {"text": RESPONSE}),
                ("next_review", ana, {"extra": True}),
                ("save_review_draft", ana, {"lease_id": 1, "review": REVIEW}),
                ("submit_review", ana, {"lease_id": 1, "review": REVIEW}),
                ("flag_response", ana, {"lease_id": 1, "reason": "Copied."}),
                ("rate_review", ana, {"review_id": 1, "helpful": True}),
                ("submit_self_assessment", ana, {"options": {"analysis": 1}}),
                ("submit_calibration", ana, {"example": "strong", "options": {"analysis": 1}}),
                ("staff_list", case_staff, {"page": 1}),
                ("staff_submission", case_staff, {"submission": sub}),
                ("staff_grade", case_staff, {"submission": sub, "points": 3, "reason": "Fairer."}),
                ("staff_clear_flag", case_staff, {"submission": sub, "note": "Checked."}),
                ("staff_clear_divergence", case_staff, {"submission": sub, "note": "Checked."}),
                ("staff_uphold_flag", case_staff, {"submission": sub, "reason": "Insulting."}),
                ("staff_cancel", case_staff, {"submission": sub, "reason": "Plagiarism."}),
                ("staff_send_again", case_staff, {"submission": sub}),
                ("staff_agreement", case_staff, {}),
                ("staff_csv", case_staff, None),
                ("staff_agreement_csv", case_staff, None),
                ("staff_self_assessment_csv", case_staff, None),
                ("staff_calibration", case_staff, {}),
                ("staff_calibration_csv", case_staff, None),
                ("studio_submit", case_staff, case_studio_body(ana)),
            ],
            "profile": [
                ("refresh", self.profile, {}),
                ("staff_learners", self.as_user(self.profile, "staff"), {}),
                ("staff_csv", self.as_user(self.profile, "staff"), None),
                ("studio_submit", self.as_user(self.profile, "staff"), {"display_name": "Mine", "scope": "section"}),
            ],
        }

    def fresh(self, block):
        """The block as a new request of the same user sees it (nothing left in memory from an earlier call)."""
        return self.as_user(block, block.runtime.user_id)


def test_every_handler_is_listed():
    """A new handler must be added to the world above (and so to these tests)."""
    listed = {"quiz": SSEQuizBlock, "case": SSECaseStudyBlock, "profile": SSEProfileBlock}
    world_names = {
        "quiz": {"submit", "staff_items", "staff_page", "staff_reset", "studio_submit", "staff_csv", "staff_items_csv",
                 "staff_accept_answer", "staff_rescore"},
        "case": {"state", "save_draft", "submit_response", "next_review", "save_review_draft", "submit_review",
                 "flag_response", "rate_review", "submit_self_assessment", "submit_calibration", "staff_list",
                 "staff_submission", "staff_grade", "staff_clear_flag", "staff_clear_divergence", "staff_uphold_flag",
                 "staff_cancel", "staff_send_again", "staff_agreement", "staff_csv", "staff_agreement_csv",
                 "staff_self_assessment_csv", "staff_calibration", "staff_calibration_csv", "studio_submit"},
        "profile": {"refresh", "staff_learners", "staff_csv", "studio_submit"},
    }
    for key, cls in listed.items():
        assert handlers_of(cls) - DATABASE_FREE == world_names[key], key


# Handlers that read and write nothing stored: the editors' echo of a typed number.
DATABASE_FREE = {"studio_read_number"}


@pytest.mark.parametrize("xml", [QUIZ, CASE])
def test_the_editors_number_echo_needs_no_database(make_block, call, transactional_db, xml):
    """An author's editor keeps reading typed numbers back while the database is down, and stores nothing."""
    block = make_block(xml, user="staff")
    before = stored()
    fault = FailAt(1, down=True)
    with fault.installed():
        status, reply = call(block, "studio_read_number", {"text": "1,5"})
    if fault.fired:  # a server database: the handler's bounded transaction settings touch it first
        check_503(status, reply, "studio_read_number")
    else:
        assert status == 200 and reply["value"] == 1.5, reply
    assert changed_tables(before, stored()) == []


def check_503(status, reply, name):
    assert status == 503, (name, status, reply)
    assert isinstance(reply, dict) and NOTHING_SAVED in reply["error"] and reply["saved"] is False, (name, reply)


@pytest.mark.parametrize("block", ["quiz", "case", "profile"])
def test_a_database_that_is_down_gives_a_json_503_and_changes_nothing(make_block, call, transactional_db, block):
    world = World(make_block, call)
    for name, target, body in world.calls[block]:
        before = stored()
        fault = FailAt(1, down=True)
        with fault.installed():
            status, reply = call(world.fresh(target), name, body, method="GET" if body is None else "POST")
        assert fault.fired, f"{name}: no statement was run"
        check_503(status, reply, name)
        assert changed_tables(before, stored()) == [], name


def test_the_reply_is_in_the_language_of_the_page(make_block, call, transactional_db):
    from django.utils import translation

    quiz = make_block(QUIZ, user="student_1")
    for lang, words in (("fr", "rien n'a été enregistré"), ("es", "no se guardó nada")):
        case = make_block(CASE, user="chen")
        with translation.override(lang), FailAt(1, down=True).installed():
            status, reply = call(case, "save_draft", {"text": "Une idée."})
            quiz_status, quiz_reply = call(make_block.as_user(quiz, "student_1"), "submit",
                                           {"attempt": 1, "answers": QUIZ_ANSWERS})
        assert status == 503 and words in reply["error"], reply
        assert quiz_status == 503 and words in quiz_reply["error"], quiz_reply


@pytest.mark.skipif(current_kind() == "sqlite", reason="SQLite has no read-only transactions")
@pytest.mark.parametrize("block", ["quiz", "case", "profile"])
def test_a_read_only_database_gives_a_json_503_and_changes_nothing(make_block, call, transactional_db, block):
    world = World(make_block, call)
    read_only, read_write = {
        "postgresql": ("SET default_transaction_read_only = on", "SET default_transaction_read_only = off"),
        "mariadb": ("SET SESSION TRANSACTION READ ONLY", "SET SESSION TRANSACTION READ WRITE"),
    }[current_kind()]
    writers = {"submit", "staff_reset", "studio_submit", "staff_accept_answer", "save_draft", "submit_response", "staff_grade",
               "staff_clear_flag", "staff_clear_divergence", "staff_uphold_flag", "staff_cancel"}
    for name, target, body in world.calls[block]:
        if name not in writers:
            continue
        before = stored()
        fresh = world.fresh(target)
        with connection.cursor() as cursor:
            cursor.execute(read_only)
        try:
            status, reply = call(fresh, name, body)
        finally:
            with connection.cursor() as cursor:
                cursor.execute(read_write)
        check_503(status, reply, name)
        assert changed_tables(before, stored()) == [], name
