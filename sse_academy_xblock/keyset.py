"""Keyset pages of one block's rows: one short index read per page, whatever the page, and no count.

A staff table is ordered by a key: the columns after ``usage_id`` of an index that starts with it,
the last one unique (the row's id). A page is read from the edge of the page on screen (``after``
its last row, ``before`` its first), with one row more than the page holds to know whether the
table goes on; a page before is read backwards from the edge and turned round (:func:`page`,
:meth:`Key.page`). The browser names an edge by a cursor: the edge row's id, or its key's values
written as one string by :func:`encode` and read back, checked, by :func:`decode`.

Every database reads only the page's index range. A page after a cursor is
``WHERE usage_id = %s AND (key) > cursor ORDER BY (key) LIMIT n``. PostgreSQL and SQLite read that
as one index range from the cursor. MariaDB (and MySQL) prefer a ``ref`` access on the equality
alone and walk the block's whole index range from one end, filtering row by row, so a page in the
middle of 100,000 learners read some 50,000 index entries (about 100 ms).

On MariaDB and MySQL the equality is written as a closed range (``usage_id >= %s AND usage_id <= %s``)
and the order names the index's columns from the first, which leaves them no ``ref`` to pick: they
read the index range from the cursor, as the others do (2 ms at 100,000 on MariaDB 10.11). SQLite
would read that range as the block's whole index range (it cannot go on to the cursor's column after a
range), so the other databases keep the equality. The results are the same rows in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime

R = TypeVar("R")

SEPARATOR = "|"
MAX_CURSOR = 64  # characters; a longer cursor is refused unread


def in_block(column: str, value: str) -> Q:
    """``column = value``; on MariaDB and MySQL written as a closed range (see the module's docstring)."""
    if connection.vendor == "mysql":
        return Q(**{f"{column}__gte": value, f"{column}__lte": value})
    return Q(**{column: value})


def order(prefix: str, *fields: str, descending: bool = False) -> list[str]:
    """ORDER BY the index's columns, its block column first, all in one direction."""
    sign = "-" if descending else ""
    return [sign + name for name in (prefix, *fields)]


def beyond(columns: Sequence[str], values: Sequence, *, descending: bool = False) -> Q:
    """The rows that come after ``values`` in the order of ``columns`` (all ascending, or all descending).

    One column: ``c > v``. Several: ``(c1 > v1 OR (<the rest beyond their values> AND c1 = v1)) AND
    c1 >= v1``. The plain bound lets every planner start the index range at the cursor (the OR alone
    would make some scan from the end of the block); the equality inside the OR lets MariaDB start it
    on the next columns too, so a cursor among rows of one equal ``c1`` does not read those before it.
    A value may be an expression (a subquery reading the edge row).
    """
    column, *others = columns
    value, *rest = values
    strict, bound = ("lt", "lte") if descending else ("gt", "gte")
    after = Q(**{f"{column}__{strict}": value})
    if not others:
        return after
    tie = beyond(others, rest, descending=descending) & Q(**{column: value})
    return (after | tie) & Q(**{f"{column}__{bound}": value})


def _itself(row):
    return row


@dataclass(frozen=True)
class Page(Generic[R]):
    """One page of a table, its rows in the table's order; ``first`` and ``last`` are the cursors of its
    first and last rows (the browser's ``before`` and ``after``), None on an empty page."""

    rows: Sequence[R]
    has_prev: bool
    has_next: bool
    cursor: Callable[[R], Any] = field(default=_itself, repr=False, compare=False)

    @property
    def first(self) -> Any:
        return self.cursor(self.rows[0]) if self.rows else None

    @property
    def last(self) -> Any:
        return self.cursor(self.rows[-1]) if self.rows else None


def page(read: Callable[[int], Iterable[R]], size: int, *, after: Any = None, before: Any = None,
         cursor: Callable[[R], Any] = _itself) -> Page[R]:
    """The page after ``after``, before ``before`` (which wins when both are given), or the first page.

    ``read(limit)`` returns at most ``limit`` rows beyond the edge in reading order: the table's
    order after ``after`` (or from the start), the reverse order before ``before``, nearest row first.
    One row more than ``size`` is asked for: it tells whether there is a next page (or, read
    backwards, a previous one) and is not shown.
    """
    rows = list(read(size + 1))
    more = len(rows) > size
    rows = rows[:size]
    if before is not None:
        return Page(rows[::-1], has_prev=more, has_next=True, cursor=cursor)
    return Page(rows, has_prev=after is not None, has_next=more, cursor=cursor)


@dataclass(frozen=True)
class Key:
    """The order of a staff table: the index's block column, then ``columns`` (the last one unique)."""

    block: str
    columns: tuple[str, ...]
    descending: bool = False

    def page(self, rows: QuerySet, size: int, *, after: Any = None, before: Any = None,
             cursor: Callable[[Any], Any] = _itself) -> Page:
        """One page of ``rows`` (the block's rows, already filtered) in this order: one statement.

        ``after`` / ``before`` are the edge row's values of :attr:`columns` (the value alone for a key
        of one column); see :func:`page`.
        """
        backwards = before is not None
        edge = before if backwards else after
        descending = self.descending != backwards
        if edge is not None:
            values = edge if len(self.columns) > 1 else (edge,)
            rows = rows.filter(beyond(self.columns, values, descending=descending))
        ordered = rows.order_by(*order(self.block, *self.columns, descending=descending))
        return page(lambda limit: ordered[:limit], size, after=after, before=before, cursor=cursor)


def encode(*values) -> str:
    """A cursor of several values, as the browser carries it: ``<value>|<value>``, times in ISO 8601."""
    return SEPARATOR.join(value.isoformat() if isinstance(value, datetime) else str(value) for value in values)


def _read_datetime(text: str) -> datetime | None:
    try:
        moment = parse_datetime(text)
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


def _read_int(text: str) -> int | None:
    return int(text) if text.isdecimal() else None  # not isdigit: "²" is a digit that int() refuses


_READERS: dict[type, Callable[[str], Any]] = {datetime: _read_datetime, int: _read_int}


def decode(value, *kinds: type) -> tuple | None:
    """The values :func:`encode` wrote, read as ``kinds`` (``datetime``: an ISO time with its offset;
    ``int``: digits), or None for anything else: not a string, longer than :data:`MAX_CURSOR`, another
    number of values, or a value not of its kind. The caller refuses a None (400)."""
    if not isinstance(value, str) or len(value) > MAX_CURSOR or value.count(SEPARATOR) != len(kinds) - 1:
        return None
    values = tuple(_READERS[kind](text) for kind, text in zip(kinds, value.split(SEPARATOR)))
    return None if any(item is None for item in values) else values
