"""A peer grade stored in edx-submissions as its own ``set_score`` stores it, on the server: the contract's tests
(tests/contracts/test_lms_scores_contract.py) run on PostgreSQL (a ``uuid`` column) and MariaDB (``char(32)``)."""

from __future__ import annotations

import pytest

from contracts.test_lms_scores_contract import *  # noqa: F401,F403 - the contract's tests and fixtures, run here too

pytestmark = [pytest.mark.db]
