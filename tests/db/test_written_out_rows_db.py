"""The written-out multi-row writes on PostgreSQL (one JSON document of rows) and MariaDB (a ``VALUES`` list, a
``CASE`` per column): ``upsert.insert_all`` stores rows as Django's ``bulk_create`` stores them, and a quiz rescore
updates the learner's answer rows in place (the checks of tests/unit/test_insert_all.py and
tests/unit/test_item_rescore_in_place.py)."""

from __future__ import annotations

import pytest

from db.unit_checks import unit_module

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def test_rows_are_stored_as_bulk_create_stores_them_on_the_server():
    unit_module("test_insert_all").check_rows_stored_as_bulk_create_stores_them()


def test_a_rescore_updates_the_rows_in_place_on_the_server():
    unit_module("test_item_rescore_in_place").check_a_rescore_updates_the_rows_in_place()


def test_a_rescore_without_a_question_deletes_its_rows_on_the_server():
    unit_module("test_item_rescore_in_place").check_a_rescore_without_a_question_deletes_its_rows()
