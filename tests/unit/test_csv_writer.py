"""The one CSV writer of every staff export: read back with "," or ";", no cell runs as a formula, and
numbers stay numbers."""

from __future__ import annotations

import pytest

from sse_academy_xblock.sanitize import csv_cell, csv_line
from spreadsheets import HOSTILE_CELLS, SEPARATORS, formulas, read_back, shown


@pytest.mark.parametrize("text", HOSTILE_CELLS)
def test_no_text_cell_runs_as_a_formula_whatever_the_separator(text):
    line = csv_line(["id", text, 1])
    assert formulas(line) == [], line
    (row,) = read_back(line, ",")
    assert row[0] == "id" and shown(row[1]) == shown(text) and row[2] == "1"


@pytest.mark.parametrize("separator", SEPARATORS)
def test_a_row_of_hostile_cells_hides_no_formula(separator):
    line = csv_line([*HOSTILE_CELLS, -1.5, *reversed(HOSTILE_CELLS)])
    assert [cell for sep, cell in formulas(line) if sep == separator] == []


def test_every_cell_is_quoted_and_numbers_are_written_as_numbers():
    line = csv_line(["a", -0.25, 3, 2.0, 1.3333, None, "", -7])
    assert line == '"a","-0.25","3","2","1.3333","","","-7"\r\n'
    assert read_back(line, ",") == [["a", "-0.25", "3", "2", "1.3333", "", "", "-7"]]


def test_text_that_looks_like_a_negative_number_stays_text():
    """A learner id or an option written "-2" is text: it is neutralised; the number -2 is not."""
    assert csv_cell("-2") == "'-2"
    assert csv_cell(-2) == "-2"
    assert csv_cell(" -2") == "' -2"


def test_a_quoted_first_cell_is_one_cell_with_either_separator():
    for separator in SEPARATORS:
        rows = read_back(csv_line(["a;b, c", "d"]), separator)
        assert rows[0][0].startswith("a;b, c"), rows


def test_ordinary_text_is_kept_as_it_is():
    for text in ("Mondragón", "Q1: 5 - 3 = 2", "yes; no", "a\nb", "x, -y", "L'économie sociale", "1 + 1"):
        assert csv_cell(text) == text


def test_a_negative_figure_is_a_number_and_text_that_would_run_is_still_neutralised():
    """A discrimination of -0.38 must sort and average in a spreadsheet; "=cmd" and "-1+2" as text must not run."""
    assert csv_cell(-0.38) == "-0.38"
    assert csv_cell(-1e-05) == "-1e-05" and float(csv_cell(-1e-05)) == -1e-05
    assert csv_cell("=cmd") == "'=cmd"
    assert csv_cell("-1+2") == "'-1+2"
    line = csv_line(["q1", -0.38, "=cmd", "-1+2"])
    assert line == '"q1","-0.38","\'=cmd","\'-1+2"\r\n'
    assert formulas(line) == []
