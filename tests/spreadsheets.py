"""Staff CSVs read back the way spreadsheets read them, for the tests of every export.

An English spreadsheet splits a line on ","; a French or Spanish one on ";". Some imports trim spaces
(and invisible characters, and quotes) from a cell before looking at it. A cell a person would see
starting with ``=``, ``+``, ``-`` or ``@`` after that trim is run as a formula, unless it is a number.
"""

from __future__ import annotations

import csv
import io
import unicodedata

SEPARATORS = (",", ";")
TRIGGERS = ("=", "+", "-", "@")

# Text a learner or an author can write that a careless export turns into a formula: triggers behind
# spaces of every kind, line breaks, quotes and invisible characters, and after a ";".
HOSTILE_CELLS = [
    "=1+1", " =1+1", "\u00a0=1+1", "\u3000@SUM(A1)", "\n=1+1", "\r\n+1+1", '"=1+1', "'=1+1", "\u201c=1+1",
    "\t-2+3", "\u200b=1+1", "\ufeff=1+1", "\u2028=1+1", "\x85@A1", "x;=1+1;", "y; -2+3;", "z;\"=1+1",
    "w\n=1+1", "v;\u00a0@A1", "-2", "+33 6 12", "@home",
]


def read_back(text: str, separator: str) -> list[list[str]]:
    """The rows of a downloaded CSV (its byte-order mark removed) as a spreadsheet with this separator splits them."""
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=separator))


def trimmed(cell: str) -> str:
    """A cell as a trimming import sees it: spaces, invisible characters and double quotes gone from its start."""
    start = 0
    while start < len(cell) and (cell[start].isspace() or cell[start] == '"'
                                 or unicodedata.category(cell[start]) == "Cf"):
        start += 1
    return cell[start:]


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return cell.strip() == cell and cell.lower() not in ("nan", "inf", "-inf", "+inf", "infinity", "-infinity")


def formulas(text: str) -> list[tuple[str, str]]:
    """(separator, cell) for every cell that a spreadsheet splitting on "," or ";" would run as a formula."""
    found = []
    for separator in SEPARATORS:
        for row in read_back(text, separator):
            for cell in row:
                if trimmed(cell).startswith(TRIGGERS) and not is_number(cell):
                    found.append((separator, cell))
    return found


def shown(cell: str) -> str:
    """The text a neutralised cell stands for (the apostrophes that keep it text removed)."""
    return cell.replace("'", "")
