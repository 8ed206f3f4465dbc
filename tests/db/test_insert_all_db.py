"""``upsert.insert_all`` on PostgreSQL (one JSON document of rows) and MariaDB (a ``VALUES`` list): the rows
stored as Django's ``bulk_create`` stores them (the checks of tests/unit/test_insert_all.py)."""

from __future__ import annotations

import importlib.util
import pathlib

import pytest

pytestmark = [pytest.mark.db, pytest.mark.django_db]

_spec = importlib.util.spec_from_file_location(
    "insert_all_checks", pathlib.Path(__file__).resolve().parent.parent / "unit" / "test_insert_all.py")
_checks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_checks)


def test_rows_are_stored_as_bulk_create_stores_them_on_the_server():
    _checks.check_rows_stored_as_bulk_create_stores_them()
