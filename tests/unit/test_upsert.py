"""The vendor upserts, spelled for the server: MySQL 8.0.19+ (row alias), older MySQL and MariaDB (VALUES()).

MySQL 8 itself does not run here: these tests pin the statement text each server is sent, and the
row-alias text was checked by hand against the MySQL 8.0 Reference Manual, section 15.2.7.2
("INSERT ... ON DUPLICATE KEY UPDATE Statement"). MariaDB and PostgreSQL run the statements in the
``db`` tests.
"""

from __future__ import annotations

import pytest

from sse_academy_xblock import upsert
from sse_academy_xblock.peer import agreement_totals
from sse_academy_xblock.profile import scores
from sse_academy_xblock.quiz import item_totals


class _Ops:
    @staticmethod
    def quote_name(name: str) -> str:
        return name if name.startswith("`") else f"`{name}`"


class FakeMySQL:
    """What the helper reads of Django's MySQL connection (the server's answer to ``SELECT VERSION()``)."""

    vendor = "mysql"
    ops = _Ops()

    def __init__(self, version: tuple, mariadb: bool = False):
        self.mysql_version = version
        self.mysql_is_mariadb = mariadb


MYSQL_8_0_19 = FakeMySQL((8, 0, 19))
MYSQL_8_4 = FakeMySQL((8, 4, 3))
MYSQL_8_0_18 = FakeMySQL((8, 0, 18))
MYSQL_5_7 = FakeMySQL((5, 7, 44))
MARIADB_11 = FakeMySQL((11, 4, 2), mariadb=True)  # MariaDB's version numbers pass 8.0.19 but it has no row alias


@pytest.mark.parametrize("connection, expected", [
    (MYSQL_8_0_19, upsert.ROW_ALIAS), (MYSQL_8_4, upsert.ROW_ALIAS),
    (MYSQL_8_0_18, upsert.VALUES_FUNCTION), (MYSQL_5_7, upsert.VALUES_FUNCTION),
    (MARIADB_11, upsert.VALUES_FUNCTION),
])
def test_each_server_gets_its_spelling(connection, expected):
    assert upsert.form(connection) == expected


def test_the_row_alias_follows_a_values_list_only():
    with pytest.raises(ValueError):
        upsert.insert_or_update(MYSQL_8_4, "t", ("a", "n"), "SELECT 1, 2", ("a",), [("n", "{old[n]} + {new[n]}")])


def _statement(monkeypatch, module, connection, build):
    monkeypatch.setattr(module, "connection", connection)
    return build()


ITEM_TOTALS_COUNTERS = ("n", "full", "sx", "sxx", "sy", "syy", "sxy", "earned", "possible",
                        "sz", "szz", "sp", "spp", "szp", "s3", "s4")


def _item_totals_sql(monkeypatch, connection):
    seen = []

    class Cursor:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def execute(self, sql, params):
            seen.append((sql, params))

    connection.cursor = Cursor
    monkeypatch.setattr(item_totals, "connection", connection)
    item_totals._apply("u", {("last", "q1", ""): TOTALS_ROW_VALUES})  # noqa: SLF001
    del connection.cursor
    (sql, params), = seen
    assert params == ["u", "last", "q1", ""]  # the key's strings bound, the counters written as integers
    return sql


TOTALS_ROW_VALUES = {c: i - 3 for i, c in enumerate(ITEM_TOTALS_COUNTERS)}
ONE_TOTALS_ROW = "VALUES (%s, %s, %s, %s, " + ", ".join(str(i - 3) for i in range(len(ITEM_TOTALS_COUNTERS))) + ")"
TOTALS_HEAD = ("INSERT INTO `sse_academy_xblock_quizitemtotal` (`usage_id`, `attempts`, `question_id`, `part`, "
               + ", ".join(f"`{c}`" for c in ITEM_TOTALS_COUNTERS) + ") " + ONE_TOTALS_ROW)


def test_item_totals_on_mysql_8_0_19_and_later_add_through_the_row_alias(monkeypatch):
    assert tuple(item_totals.COUNTERS) == ITEM_TOTALS_COUNTERS
    expected = (TOTALS_HEAD + " AS new ON DUPLICATE KEY UPDATE "
                + ", ".join(f"`{c}` = `{c}` + new.`{c}`" for c in ITEM_TOTALS_COUNTERS))
    assert _item_totals_sql(monkeypatch, FakeMySQL((8, 0, 19))) == expected
    assert _item_totals_sql(monkeypatch, FakeMySQL((9, 1, 0))) == expected


@pytest.mark.parametrize("version, mariadb", [((8, 0, 18), False), ((5, 7, 44), False), ((10, 6, 18), True),
                                              ((11, 4, 2), True)])
def test_item_totals_on_mariadb_and_older_mysql_add_through_values(monkeypatch, version, mariadb):
    expected = (TOTALS_HEAD + " ON DUPLICATE KEY UPDATE "
                + ", ".join(f"`{c}` = `{c}` + VALUES(`{c}`)" for c in ITEM_TOTALS_COUNTERS))
    assert _item_totals_sql(monkeypatch, FakeMySQL(version, mariadb)) == expected


DIMSCORE_HEAD = ("INSERT INTO `sse_academy_xblock_dimensionscore` (`anonymous_user_id`, `learner_key`, `course_id`, "
                 "`usage_id`, `block_key`, `dimension`, `earned`, `possible`, `modified`) "
                 "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s), (%s, %s, %s, %s, %s, %s, %s, %s, %s)")


def test_dimension_scores_on_mysql_8_0_19_and_later(monkeypatch):
    sql = _statement(monkeypatch, scores, MYSQL_8_0_19, lambda: scores._upsert_sql(2))  # noqa: SLF001
    assert sql == DIMSCORE_HEAD + (
        " AS new ON DUPLICATE KEY UPDATE `modified` = CASE WHEN `earned` <> new.`earned` OR `possible` <> "
        "new.`possible` THEN new.`modified` ELSE `modified` END, `earned` = new.`earned`, `possible` = new.`possible`")


@pytest.mark.parametrize("connection", [MARIADB_11, MYSQL_8_0_18])
def test_dimension_scores_on_mariadb_and_older_mysql(monkeypatch, connection):
    sql = _statement(monkeypatch, scores, connection, lambda: scores._upsert_sql(2))  # noqa: SLF001
    assert sql == DIMSCORE_HEAD + (
        " ON DUPLICATE KEY UPDATE `modified` = CASE WHEN `earned` <> VALUES(`earned`) OR `possible` <> "
        "VALUES(`possible`) THEN VALUES(`modified`) ELSE `modified` END, `earned` = VALUES(`earned`), "
        "`possible` = VALUES(`possible`)")


AGREEMENT_HEAD = ("INSERT INTO `sse_academy_xblock_revieweragreement` (`usage_id`, `reviewer_id`, `reviews`, "
                  "`distance_sum`, `mean_distance`) VALUES (%s, %s, %s, %s, %s)")


def test_reviewer_agreement_on_mysql_8_0_19_and_later(monkeypatch):
    sql = _statement(monkeypatch, agreement_totals, MYSQL_8_4, lambda: agreement_totals._upsert_sql(1))  # noqa: SLF001
    assert sql == AGREEMENT_HEAD + (
        " AS new ON DUPLICATE KEY UPDATE `mean_distance` = (`distance_sum` + new.`distance_sum`) / "
        "(`reviews` + new.`reviews`), `distance_sum` = `distance_sum` + new.`distance_sum`, "
        "`reviews` = `reviews` + new.`reviews`")


@pytest.mark.parametrize("connection", [MARIADB_11, MYSQL_5_7])
def test_reviewer_agreement_on_mariadb_and_older_mysql(monkeypatch, connection):
    sql = _statement(monkeypatch, agreement_totals, connection, lambda: agreement_totals._upsert_sql(1))  # noqa: SLF001
    assert sql == AGREEMENT_HEAD + (
        " ON DUPLICATE KEY UPDATE `mean_distance` = (`distance_sum` + VALUES(`distance_sum`)) / "
        "(`reviews` + VALUES(`reviews`)), `distance_sum` = `distance_sum` + VALUES(`distance_sum`), "
        "`reviews` = `reviews` + VALUES(`reviews`)")


def test_no_statement_of_ours_names_values_outside_the_helper():
    """Every ON DUPLICATE KEY statement is spelled by sse_academy_xblock.upsert (one place to change)."""
    from pathlib import Path

    package = Path(upsert.__file__).parent
    spelled_elsewhere = [
        str(path.relative_to(package)) for path in package.rglob("*.py")
        if path.name != "upsert.py" and ("ON DUPLICATE" in path.read_text("utf-8")
                                         or "ON CONFLICT" in path.read_text("utf-8"))
    ]
    assert spelled_elsewhere == []


@pytest.mark.parametrize("connection", [MYSQL_8_4, MYSQL_5_7, MARIADB_11])
def test_insert_or_lock_on_mysql_and_mariadb_sets_the_key_to_itself(connection):
    assert upsert.insert_or_lock(connection, "t", ("k",)) == (
        "INSERT INTO `t` (`k`) VALUES (%s) ON DUPLICATE KEY UPDATE `k` = `k`")


def test_insert_or_lock_locks_an_existing_row_without_writing_it(db):
    """The learner's lock row: a second change finds the row and leaves it as it was (PostgreSQL locks it
    through ``DO UPDATE ... WHERE false``; the race test in tests/db checks the lock on both servers)."""
    from django.db import connection, transaction

    from sse_academy_xblock.profile.models import CohortLearnerLock

    sql = upsert.insert_or_lock(connection, CohortLearnerLock._meta.db_table, ("learner_key",))
    if connection.vendor != "mysql":
        assert sql.endswith('DO UPDATE SET "learner_key" = excluded."learner_key" WHERE false')
    for _ in range(2):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [42])
    assert list(CohortLearnerLock.objects.values_list("learner_key", flat=True)) == [42]
