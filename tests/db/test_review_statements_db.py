"""A review that grades its response, counted on the server, where the delivery's locks are real ``FOR UPDATE``s:
21 statements, 4 of them edx-submissions', and no lock on the learner's submissions after the outbox row."""

from __future__ import annotations

import pytest

from db.unit_checks import unit_module

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]


def test_a_grading_review_takes_21_statements_on_the_server():
    unit_module("test_peer_workflow").test_a_review_that_grades_its_response_and_sends_the_grade_takes_21_statements(
        None)
