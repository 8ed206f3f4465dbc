"""One statement that inserts rows or, where a row's unique key is taken, updates the stored row.

Each server spells it its own way, and this module is the one place that knows how:

* PostgreSQL and SQLite: ``INSERT ... ON CONFLICT (key) DO UPDATE SET c = t.c + excluded.c``;
* MySQL 8.0.19 and later: ``INSERT ... VALUES (...) AS new ON DUPLICATE KEY UPDATE c = c + new.c``
  (the row alias; the ``VALUES(c)`` function is deprecated from MySQL 8.0.20 on and warns on every
  statement);
* MariaDB (every version) and MySQL before 8.0.19: ``INSERT ... ON DUPLICATE KEY UPDATE c = c + VALUES(c)``
  (MariaDB has no row alias).

Callers write each assignment once, naming the stored row's columns ``{old[c]}`` and the row that
was to be inserted ``{new[c]}``; :func:`insert_or_update` turns them into the connection's form.
MySQL and MariaDB apply the assignments left to right (a later one reads the columns an earlier one
has just set), PostgreSQL and SQLite all from the stored row: an assignment may therefore read only
columns that it or a later assignment sets, or that no assignment sets, so that every server gives
the same result. See docs/operations.md, "MySQL 8".

:func:`update_each` and :func:`insert_all` are the other multi-row writes: several stored rows, each with its own
new values, in one ``UPDATE`` (the same spelling on every server); several new rows in one ``INSERT``.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence

from django.db import models

#: The three spellings, as :func:`form` names them.
EXCLUDED, ROW_ALIAS, VALUES_FUNCTION = "excluded", "row_alias", "values_function"

#: The first MySQL version with the row alias (``INSERT ... VALUES (...) AS new``).
ROW_ALIAS_SINCE = (8, 0, 19)

#: The name the row alias gives the row that was to be inserted.
NEW_ROW = "new"


def form(connection) -> str:
    """The spelling the connection's server takes: :data:`EXCLUDED`, :data:`ROW_ALIAS` or :data:`VALUES_FUNCTION`."""
    if connection.vendor != "mysql":
        return EXCLUDED
    if connection.mysql_is_mariadb or tuple(connection.mysql_version[:3]) < ROW_ALIAS_SINCE:
        return VALUES_FUNCTION
    return ROW_ALIAS


class _Columns:
    """``refs["c"]`` in a ``str.format`` template: column ``c`` of one row, as the statement names it."""

    def __init__(self, spell):
        self._spell = spell

    def __getitem__(self, column: str) -> str:
        return self._spell(column)


def insert_or_update(connection, table: str, columns: Sequence[str], rows: str, key: Sequence[str],
                     assignments: Sequence[tuple[str, str]]) -> str:
    """``INSERT INTO table (columns) <rows>`` and, on a taken unique key, the ``assignments``.

    ``table`` is the unquoted table name; ``rows`` the text after the column list: ``VALUES (%s, ...), ...``
    on every server, or a ``SELECT`` on PostgreSQL and SQLite (MySQL's row alias follows a ``VALUES``
    list only). ``key`` names the unique key's columns (PostgreSQL and SQLite require it; MySQL and
    MariaDB find the key themselves). ``assignments`` are ``(column, template)`` pairs, the template
    naming ``{old[c]}`` and ``{new[c]}`` (see the module docstring), applied in their order.
    """
    qn = connection.ops.quote_name
    spelling = form(connection)
    quoted_table = qn(table)
    head = f"INSERT INTO {quoted_table} ({', '.join(qn(c) for c in columns)}) {rows}"
    if spelling == EXCLUDED:
        old = _Columns(lambda c: f"{quoted_table}.{qn(c)}")
        new = _Columns(lambda c: f"excluded.{qn(c)}")
        clause = f" ON CONFLICT ({', '.join(qn(c) for c in key)}) DO UPDATE SET "
    else:
        old = _Columns(qn)
        if spelling == ROW_ALIAS:
            if not rows.lstrip().upper().startswith("VALUES"):
                raise ValueError("MySQL's row alias follows a VALUES list: give the rows as VALUES (...)")
            head += f" AS {NEW_ROW}"
            new = _Columns(lambda c: f"{NEW_ROW}.{qn(c)}")
        else:
            new = _Columns(lambda c: f"VALUES({qn(c)})")
        clause = " ON DUPLICATE KEY UPDATE "
    return head + clause + ", ".join(
        f"{qn(column)} = {template.format(old=old, new=new)}" for column, template in assignments
    )


def insert_or_lock(connection, table: str, key: Sequence[str]) -> str:
    """``INSERT INTO table (key) VALUES (%s, ...)`` or, where the key is taken, lock the stored row without
    changing it (one statement, no new row version written):

    * PostgreSQL and SQLite: ``ON CONFLICT (key) DO UPDATE SET k = excluded.k WHERE false``: PostgreSQL
      locks the conflicting row although the ``WHERE`` lets no update through (its ``INSERT`` reference,
      "ON CONFLICT Clause"); SQLite holds the database's write lock for the transaction anyway;
    * MySQL and MariaDB: ``ON DUPLICATE KEY UPDATE k = k``: InnoDB takes the duplicate row's exclusive lock
      before it finds that nothing changes.
    """
    qn = connection.ops.quote_name
    head = f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in key)}) {values_list(1, len(key))}"
    first = qn(key[0])
    if form(connection) == EXCLUDED:
        return head + f" ON CONFLICT ({', '.join(qn(c) for c in key)}) DO UPDATE SET {first} = excluded.{first} WHERE false"
    return head + f" ON DUPLICATE KEY UPDATE {first} = {first}"


def values_list(rows: int, width: int) -> str:
    """``VALUES (%s, ...), ...``: ``rows`` rows of ``width`` placeholders."""
    row = "(" + ", ".join(["%s"] * width) + ")"
    return "VALUES " + ", ".join([row] * rows)


def update_each(connection, model, changes) -> None:
    """One ``UPDATE`` of several rows of ``model``, each with its own fields: ``changes`` is ``[(row, field
    names)]``. Each named column becomes ``CASE <pk> WHEN <row's pk> THEN <its value> ... ELSE <column> END``
    (a column one row does not name keeps its stored value there), the values prepared as Django saves them
    (JSON, dates); only the rows named are touched. Written out: Django's ``bulk_update`` sets every field of
    every row through expressions that took longer to build than the statement took to run.

    On PostgreSQL, when every row names the same fields, the rows travel as one JSON document instead
    (``UPDATE ... FROM json_populate_recordset``, as :func:`insert_all` inserts them): one value to quote."""
    if not changes:
        return
    meta = model._meta  # noqa: SLF001
    qn = connection.ops.quote_name
    pk = qn(meta.pk.column)
    if connection.vendor == "postgresql" and len({tuple(fields) for _row, fields in changes}) == 1:
        fields = [meta.get_field(name) for name in changes[0][1]]
        document = [{meta.pk.column: row.pk, **{f.column: _document_value(f, row, stamp=False) for f in fields}}
                    for row, _fields in changes]
        table = qn(meta.db_table)
        assignments = ", ".join(f"{qn(f.column)} = d.{qn(f.column)}" for f in fields)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {assignments} FROM json_populate_recordset(NULL::{table}, %s::json) "
                           f"AS d WHERE {table}.{pk} = d.{pk}", [json.dumps(document, separators=(",", ":"),
                                                                            allow_nan=False)])
        return
    by_column: dict[str, list] = {}
    for row, fields in changes:
        for name in fields:
            field = meta.get_field(name)
            by_column.setdefault(field.column, []).extend(
                [row.pk, field.get_db_prep_save(getattr(row, field.attname), connection)])
    params: list = []
    assignments = []
    for column, values in by_column.items():
        cases = " ".join(["WHEN %s THEN %s"] * (len(values) // 2))
        assignments.append(f"{qn(column)} = CASE {pk} {cases} ELSE {qn(column)} END")
        params += values
    params += [row.pk for row, _fields in changes]
    marks = ", ".join(["%s"] * len(changes))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {qn(meta.db_table)} SET {', '.join(assignments)} WHERE {pk} IN ({marks})", params)


#: Field classes whose column takes the Python value of the named type as it is (no preparation).
_PLAIN = ((models.CharField, str), (models.TextField, str), (models.BooleanField, bool),
          (models.FloatField, float), (models.IntegerField, int))


def _value(field, obj, stamp: bool):
    """``obj``'s value of ``field``; ``stamp``: a new row's ``auto_now`` fields stamped as Django's save stamps them
    (an update sends the values the caller set)."""
    if stamp and (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)):
        return field.pre_save(obj, True)
    return getattr(obj, field.attname)


def _saved_value(field, obj, connection):
    """The value of ``field`` for a new row ``obj`` as :func:`insert_all` sends it: ``auto_now`` fields stamped, a
    value the column takes as it is passed on, any other prepared by the field."""
    value = _value(field, obj, stamp=True)
    for kind, python_type in _PLAIN:
        if isinstance(field, kind) and type(value) is python_type:  # noqa: E721 (bool is not an int here)
            return value
    if value is None or (isinstance(field, models.FloatField) and type(value) is int):
        return value
    return field.get_db_prep_save(value, connection)


def _document_value(field, obj, stamp: bool = True):
    """The value of ``field`` for a row ``obj`` inside a JSON document of rows (PostgreSQL; ``stamp`` as
    :func:`_value`)."""
    value = _value(field, obj, stamp)
    if isinstance(field, models.JSONField):
        return value
    if isinstance(value, (datetime.date, datetime.time)):  # datetimes included; aware ones keep their offset
        return value.isoformat()
    if value is None or type(value) in (str, int, float, bool):
        return value
    raise TypeError(f"{field.name} = {value!r} has no form in a JSON document of rows "
                    "(give str, int, float, bool, a date or time, or a JSON field's value)")


def insert_all(connection, model, objs: Sequence) -> None:
    """One ``INSERT`` of the new rows ``objs`` of ``model`` (instances not yet saved; their primary keys are not read
    back), every concrete field but the automatic key, ``auto_now`` fields stamped as Django's save stamps them.

    Written out because Django's ``bulk_create`` took longer to build the statement than the statement took to
    run: on PostgreSQL the rows travel as one JSON document (``json_populate_recordset`` over the table's row
    type, so each column converts the value as it would a literal), which the driver quotes as one value; on
    MySQL, MariaDB and SQLite as a ``VALUES`` list, each value prepared only when the column does not take the
    Python value as it is."""
    if not objs:
        return
    meta = model._meta  # noqa: SLF001
    fields = [field for field in meta.concrete_fields if field is not meta.auto_field]
    qn = connection.ops.quote_name
    table = qn(meta.db_table)
    columns = ", ".join(qn(field.column) for field in fields)
    if connection.vendor == "postgresql":
        document = [{field.column: _document_value(field, obj) for field in fields} for obj in objs]
        sql = (f"INSERT INTO {table} ({columns}) SELECT {columns} "
               f"FROM json_populate_recordset(NULL::{table}, %s::json)")
        params = [json.dumps(document, separators=(",", ":"), allow_nan=False)]
    else:
        sql = f"INSERT INTO {table} ({columns}) {values_list(len(objs), len(fields))}"
        params = [_saved_value(field, obj, connection) for obj in objs for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
