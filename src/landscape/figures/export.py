"""Every CSV and XLSX download goes through here, so no cell can become a live formula.

Spreadsheet programs treat text starting with `=`, `+`, `-`, `@`, tab or carriage return as a
formula (CSV injection). Such text is prefixed with a single quote in both formats, and XLSX cells
are always written as string cells, never formulas. Numbers stay numbers (a negative number is not
text, so it is not touched). Lists (several-of-a-list answers) are written joined with "; ".
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from landscape.schema import join_choices

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_NAME = 31


def neutralise(text: str) -> str:
    """Text that a spreadsheet will show as typed, never evaluate."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def cell_text(value: Any) -> Any:
    """A value ready for a download cell: text neutralised, lists joined, blanks empty."""
    if isinstance(value, (tuple, list, set, frozenset)):
        return neutralise(join_choices(str(v) for v in value))
    if isinstance(value, str):
        return neutralise(value)
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell and header neutralised (index kept as a column)."""
    table = frame.reset_index() if _has_named_index(frame) else frame.reset_index(drop=True)
    table = table.copy()
    table.columns = [neutralise(str(c)) for c in table.columns]
    for column in table.columns:
        if table[column].dtype == object or isinstance(table[column].dtype, pd.StringDtype):
            table[column] = pd.Series(
                [cell_text(v) for v in table[column]], index=table.index, dtype=object
            )
    return table


About = Sequence[tuple[str, str]]
"""What a download states before its data: (field, text) pairs, e.g. ("Wave", "APCC 2025 ...")."""
ABOUT_SHEET = "About this data"
COMMENT = "# "


def about_lines(about: About) -> list[str]:
    """The CSV header comment lines: '# Field: text', one per pair (neutralised, one line each)."""
    return [
        COMMENT + neutralise(f"{field}: {' '.join(str(text).split())}") for field, text in about
    ]


def csv_bytes(frame: pd.DataFrame, about: About = ()) -> bytes:
    """UTF-8 CSV with a byte-order mark (so Excel reads accents right), formulas neutralised.

    With `about`, the file starts with '# ' comment lines saying what the data is (read it back
    with pandas.read_csv(..., comment='#') or skip the lines)."""
    # CRLF line ends: the csv module then quotes any field holding a bare CR, as Excel expects.
    body = safe_frame(frame).to_csv(index=False, lineterminator="\r\n")
    header = "".join(line + "\r\n" for line in about_lines(about))
    return (header + body).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "Data", about: About = ()) -> bytes:
    """A workbook of `frame`; every text cell written as a string cell. With `about`, a first
    sheet "About this data" states the wave, its kind and the figures' provenance."""
    table = safe_frame(frame)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if about:
        sheet.title = ABOUT_SHEET
        for row_number, (field, text) in enumerate(about, start=1):
            _write(sheet.cell(row=row_number, column=1), field)
            _write(sheet.cell(row=row_number, column=2), text)
        sheet.column_dimensions["A"].width = 28
        sheet.column_dimensions["B"].width = 100
        sheet = book.create_sheet()
    sheet.title = _sheet_title(sheet_name)
    for position, header in enumerate(table.columns, start=1):
        _write(sheet.cell(row=1, column=position), header)
    for row_number, row in enumerate(table.itertuples(index=False), start=2):
        for position, value in enumerate(row, start=1):
            _write(sheet.cell(row=row_number, column=position), value)
    for position, header in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = min(
            60, max(10, len(str(header)) + 2)
        )
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write(cell: Any, value: Any) -> None:
    if isinstance(value, np.generic):
        value = value.item()
    value = cell_text(value)
    if value is None:
        return
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
    elif isinstance(value, pd.Timestamp):
        cell.value = value.to_pydatetime()
    elif isinstance(value, (bool, int, float, dt.date, dt.datetime)):
        cell.value = value
    else:
        cell.value = neutralise(str(value))
        cell.data_type = "s"


def _sheet_title(name: str) -> str:
    cleaned = "".join(ch for ch in name if ch not in "[]:*?/\\").strip("'") or "Data"
    return cleaned[:MAX_SHEET_NAME]


def _has_named_index(frame: pd.DataFrame) -> bool:
    return any(name is not None for name in frame.index.names)
