"""``upsert.insert_all``: new rows in one ``INSERT``, stored exactly as Django's ``bulk_create`` stores them.

Runs on SQLite here and on PostgreSQL and MariaDB in ``make test-db`` (tests/db/test_written_out_rows_db.py runs
:func:`check_rows_stored_as_bulk_create_stores_them` there).
"""

from __future__ import annotations

import decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sse_academy_xblock import upsert
from sse_academy_xblock.quiz.models import QuizItemAnswer

FIELDS = [f.name for f in QuizItemAnswer._meta.concrete_fields if f.name not in ("id", "anonymous_user_id", "modified")]  # noqa: SLF001


def _rows(learner: str) -> list[QuizItemAnswer]:
    common = {"anonymous_user_id": learner, "course_id": "course-v1:SSE+T+1", "usage_id": "block-v1:u"}
    return [
        QuizItemAnswer(**common, attempts="last", attempt=2, question_id="q1", earned=0.5, possible=2.0,
                       chosen=["a", "c"], x=25, y=123_456_789_012, full=False, band=47, wrong=None, version="v1", z=25,
                       p=47),
        # an int where the column holds floats, an empty list, a wrong-answer row number, quoting and non-ASCII
        QuizItemAnswer(**common, attempts="all", attempt=1, question_id="q'%s\"\\é", earned=1, possible=1,
                       chosen=[], x=100, y=-5, full=True, band=100, wrong=7, version="", z=100, p=100),
    ]


def _stored(learner: str) -> list[dict]:
    return list(QuizItemAnswer.objects.filter(anonymous_user_id=learner).order_by("attempt").values(*FIELDS, "modified"))


def check_rows_stored_as_bulk_create_stores_them() -> None:
    start = timezone.now()
    QuizItemAnswer.objects.bulk_create(_rows("django"))
    with CaptureQueriesContext(connection) as ctx:
        upsert.insert_all(connection, QuizItemAnswer, _rows("ours"))
    assert len(ctx.captured_queries) == 1
    ours, django = _stored("ours"), _stored("django")
    assert len(ours) == 2
    for mine, theirs in zip(ours, django):
        assert {k: mine[k] for k in FIELDS} == {k: theirs[k] for k in FIELDS}
        assert type(mine["earned"]) is float and mine["chosen"] == theirs["chosen"]
        assert start <= mine["modified"] <= timezone.now()  # stamped as auto_now stamps it, time zone kept
    assert QuizItemAnswer.objects.get(anonymous_user_id="ours", attempt=1).question_id == "q'%s\"\\é"


def test_rows_are_stored_as_bulk_create_stores_them(db):
    check_rows_stored_as_bulk_create_stores_them()


def test_no_rows_no_statement(db):
    with CaptureQueriesContext(connection) as ctx:
        upsert.insert_all(connection, QuizItemAnswer, [])
    assert ctx.captured_queries == []


def test_a_value_without_a_json_form_is_refused_not_guessed():
    field = QuizItemAnswer._meta.get_field("version")  # noqa: SLF001
    row = QuizItemAnswer(version=decimal.Decimal("1.5"))
    with pytest.raises(TypeError, match="version"):
        upsert._document_value(field, row)  # noqa: SLF001
