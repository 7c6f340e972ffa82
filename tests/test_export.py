"""Downloads: CSV and XLSX never carry a live formula, and data comes out as it went in."""

from __future__ import annotations

import csv
import datetime as dt
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from landscape.errors import Problem
from landscape.figures.export import csv_bytes, neutralise, xlsx_bytes
from landscape.intake.validate import problems_frame

TRIGGERS = ["=1+1", "+44 20 7946 0000", "-2+3", "@SUM(A1)", "\tindented", "\rreturn"]


def risky_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "text": [*TRIGGERS, "<script>alert(1)</script>", "plain"],
            "count": [1, -2, 3, 4, 5, 6, 7, 8],
            "share": [0.5, np.nan, -1.25, 0, 1, 2, 3, 4],
            "choices": [("DA", "CAPVA"), (), ("=evil",), (), (), (), (), ()],
        }
    )


@pytest.mark.parametrize("text", TRIGGERS)
def test_text_starting_with_a_formula_character_gets_a_quote(text):
    assert neutralise(text) == "'" + text


def test_ordinary_text_is_unchanged():
    assert neutralise("Cambridgeshire") == "Cambridgeshire"
    assert neutralise("a=b") == "a=b"


def test_csv_neutralises_text_and_keeps_numbers():
    data = csv_bytes(risky_frame())
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["text", "count", "share", "choices"]
    texts = [r[0] for r in rows[1:]]
    assert texts[:6] == ["'" + t for t in TRIGGERS]
    assert texts[6] == "<script>alert(1)</script>"
    assert [r[1] for r in rows[1:3]] == ["1", "-2"]  # a negative number is a number, untouched
    assert rows[1][3] == "DA; CAPVA"
    assert rows[3][3] == "'=evil"
    assert rows[2][2] == ""


def test_xlsx_writes_text_cells_never_formulas():
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(risky_frame(), sheet_name="Programmes")))
    sheet = book["Programmes"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    types = {c.data_type for row in sheet.iter_rows() for c in row if c.value is not None}
    assert "f" not in types
    # XML reading turns a stored CR into LF; what matters is the leading quote
    assert [row[0] for row in values[1:7]] == ["'" + t.replace("\r", "\n") for t in TRIGGERS]
    assert values[7][0] == "<script>alert(1)</script>"
    assert values[2][1] == -2 and isinstance(values[2][1], int)
    assert values[1][2] == 0.5 and values[2][2] is None
    assert values[1][3] == "DA; CAPVA" and values[3][3] == "'=evil"


def test_xlsx_keeps_dates_and_named_index_and_drops_illegal_characters():
    frame = pd.DataFrame(
        {"when": [pd.Timestamp("2025-03-31")], "note": ["bell\x07 here"]},
        index=pd.Index(["E23000023"], name="area_code"),
    )
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame))).active
    assert [c.value for c in sheet[1]] == ["area_code", "when", "note"]
    assert sheet["A2"].value == "E23000023"
    assert sheet["B2"].value == dt.datetime(2025, 3, 31)
    assert sheet["C2"].value == "bell here"


def test_long_or_odd_sheet_names_are_made_valid():
    data = xlsx_bytes(pd.DataFrame({"a": [1]}), sheet_name="Problems: [all] of them / more words")
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == [
        "Problems all of them  more word"
    ]


def test_the_problem_list_downloads_safely():
    problems = [Problem("Areas", "B2", "=cmd|' /C calc'!A0", "Not allowed", "Use one of: Yes")]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(problems_frame(problems)))).active
    row = [c.value for c in sheet[2]]
    assert row[:4] == ["Areas!B2", "Areas", "B2", "'=cmd|' /C calc'!A0"]
