"""Stored JSON objects come back in the server's key order (PostgreSQL's ``jsonb`` sorts keys by length, then bytes):
what a learner or instructor reads follows the rubric's order all the same. The unit test runs on the server here."""

from __future__ import annotations

import pytest

from db.unit_checks import unit_module

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def test_the_self_assessment_csv_lists_the_criteria_in_the_rubrics_order_on_the_server():
    unit_module("test_peer_self_assessment").test_the_csv_lists_each_criterion_beside_the_peers(None)
