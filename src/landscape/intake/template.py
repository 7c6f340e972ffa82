"""The survey workbook: the empty downloadable template, or the same layout filled with a Survey.

Everything in it comes from the schema declaration: headers, header comments, drop-down lists,
input messages, number and date validation, and the Instructions sheet.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from landscape.areas import display_name, force_areas
from landscape.intake.dictionary import allowed_values_text, data_dictionary, required_text
from landscape.intake.workbook import column_letter
from landscape.schema import (
    AREAS,
    LIST_SEPARATOR,
    OPTIONAL_SHEETS,
    PROGRAMMES,
    PROVENANCE,
    SHEETS,
    Column,
    Kind,
    Sheet,
    join_choices,
)
from landscape.survey import Survey
from landscape.values import is_blank

INSTRUCTIONS_SHEET = "Instructions"
LISTS_SHEET = "Lists"
SPARE_ROWS = 1000
"""Validation and drop-downs reach this many rows below the last filled row."""
FIXED_TIMESTAMP = dt.datetime(2025, 1, 1, 0, 0, 0)
"""Workbook properties and zip entry times are fixed so the same survey gives the same bytes."""
DATE_FORMAT = "yyyy-mm-dd"
EARLIEST_DATE = dt.date(1990, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
EXCEL_TEXT_LIMIT = 255

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
TITLE_FONT = Font(bold=True, size=14)


def template_workbook_bytes() -> bytes:
    """The empty survey template offered for download."""
    return _save(_build(None))


def survey_workbook_bytes(survey: Survey) -> bytes:
    """The template filled with a survey; `load_survey` of it returns an equal Survey."""
    return _save(_build(survey))


# --- building -----------------------------------------------------------------------------------


def _build(survey: Survey | None) -> Workbook:
    book = Workbook()
    instructions = book.active
    assert instructions is not None
    instructions.title = INSTRUCTIONS_SHEET
    _write_instructions(instructions)
    lists = _ChoiceLists(book.create_sheet(LISTS_SHEET))
    for sheet in (*SHEETS, *OPTIONAL_SHEETS):
        worksheet = book.create_sheet(sheet.name, index=book.index(lists.worksheet))
        rows = _rows(survey, sheet) if survey is not None else []
        _write_sheet(worksheet, sheet, rows)
        _add_validations(worksheet, sheet, lists, last_row=len(rows) + 1 + SPARE_ROWS)
    lists.worksheet.sheet_state = "hidden"
    book.active = 0
    book.properties.creator = "landscape"
    book.properties.title = "Survey of PCC-commissioned perpetrator intervention programmes"
    book.properties.created = FIXED_TIMESTAMP
    book.properties.modified = FIXED_TIMESTAMP
    return book


def _write_sheet(worksheet: Worksheet, sheet: Sheet, rows: Sequence[Sequence[Any]]) -> None:
    for position, column in enumerate(sheet.columns):
        cell = worksheet.cell(row=1, column=position + 1, value=column.name)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        comment = Comment(_header_comment(column), "landscape")
        comment.width, comment.height = 320, 160
        cell.comment = comment
        worksheet.column_dimensions[column_letter(position)].width = _width(column)
    worksheet.freeze_panes = "B2"
    for number, values in enumerate(rows, start=2):
        for position, (column, value) in enumerate(zip(sheet.columns, values, strict=True)):
            _write_value(worksheet.cell(row=number, column=position + 1), column, value)


def _write_value(cell: Any, column: Column, value: Any) -> None:
    if value is None:
        return
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text such as "=1+1" stays text, never becomes a formula
    elif column.kind is Kind.DATE:
        cell.number_format = DATE_FORMAT


def _header_comment(column: Column) -> str:
    need = {"Yes": "Required. ", "If responded": "Required when the area responded. "}
    text = f"{need.get(required_text(column), '')}{column.description}"
    allowed = allowed_values_text(column)
    if allowed and column.kind is not Kind.AREA:
        text += f"\n{allowed}"
    if column.example:
        text += f"\nExample: {column.example}"
    return text


def _width(column: Column) -> float:
    return float(min(max(len(column.name), len(column.example), 12) + 2, 45))


# --- survey values ------------------------------------------------------------------------------


def _rows(survey: Survey, sheet: Sheet) -> list[list[Any]]:
    frame = {
        AREAS.name: survey.areas,
        PROGRAMMES.name: survey.programmes,
        PROVENANCE.name: survey.provenance,
    }[sheet.name]
    rows = []
    for record in frame.to_dict("records"):
        rows.append([_cell_value(column, record, sheet) for column in sheet.columns])
    return rows


def _cell_value(column: Column, record: dict[Any, Any], sheet: Sheet) -> Any:
    if column.kind is Kind.AREA:
        return display_name(str(record["area_code"]))
    value = record[column.name]
    if column.kind is Kind.CHOICES:
        return join_choices(value) if value else None
    if is_blank(value):
        return None
    if column.kind is Kind.INTEGER:
        return int(value)
    if column.kind is Kind.NUMBER:
        return float(value)
    if column.kind is Kind.DATE:
        return pd.Timestamp(value).date()
    return str(value)


# --- validation and drop-downs ------------------------------------------------------------------


class _ChoiceLists:
    """The hidden sheet holding each list a drop-down offers, one list per column of cells."""

    def __init__(self, worksheet: Worksheet) -> None:
        self.worksheet = worksheet
        self._ranges: dict[str, str] = {}

    def range_for(self, key: str, values: Sequence[str]) -> str:
        if key not in self._ranges:
            position = len(self._ranges)
            letter = column_letter(position)
            self.worksheet.cell(row=1, column=position + 1, value=key).font = HEADER_FONT
            for number, value in enumerate(values, start=2):
                self.worksheet.cell(row=number, column=position + 1, value=value).data_type = "s"
            last = len(values) + 1
            self._ranges[key] = f"{LISTS_SHEET}!${letter}$2:${letter}${last}"
        return self._ranges[key]


def _short(text: str) -> str:
    return text if len(text) <= EXCEL_TEXT_LIMIT else text[: EXCEL_TEXT_LIMIT - 3] + "..."


def _validation(column: Column, lists: _ChoiceLists) -> DataValidation | None:
    prompt = _short(f"{column.description}\n{allowed_values_text(column)}".strip())
    if column.kind is Kind.CHOICE and column.choices is not None:
        source = lists.range_for(column.choices.__name__, column.allowed)
        return _list_validation(source, column, prompt, strict=True)
    if column.kind is Kind.AREA:
        names = [area.display_name for area in force_areas()]
        return _list_validation(lists.range_for("force_area", names), column, prompt, strict=False)
    if column.kind is Kind.CHOICES:
        return DataValidation(
            allow_blank=True,
            showInputMessage=True,
            promptTitle=_title(column),
            prompt=_short(f"Any of, separated by {LIST_SEPARATOR}: {', '.join(column.allowed)}"),
        )
    if column.kind in (Kind.INTEGER, Kind.NUMBER):
        return _number_validation(column, prompt)
    if column.kind is Kind.DATE:
        return DataValidation(
            type="date",
            operator="between",
            formula1=str(int(to_excel(EARLIEST_DATE))),
            formula2=str(int(to_excel(LATEST_DATE))),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Not a date",
            error=f"Enter a date between {EARLIEST_DATE} and {LATEST_DATE}.",
            showInputMessage=True,
            promptTitle=_title(column),
            prompt=prompt,
        )
    return None


def _title(column: Column) -> str:
    return column.name[:32]


def _list_validation(source: str, column: Column, prompt: str, *, strict: bool) -> DataValidation:
    message = (
        f"Choose one of: {', '.join(column.allowed)}"
        if strict
        else "Not one of the 43 area names; an alias or ONS code is accepted when uploaded."
    )
    return DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if strict else "warning",
        errorTitle="Not an allowed value" if strict else "Check the area name",
        error=_short(message),
        showInputMessage=True,
        promptTitle=_title(column),
        prompt=prompt,
    )


def _number_validation(column: Column, prompt: str) -> DataValidation:
    whole = column.kind is Kind.INTEGER
    noun = "a whole number" if whole else "a number"
    if column.minimum is not None:
        bounds = {"operator": "greaterThanOrEqual", "formula1": f"{column.minimum:g}"}
        rule = f"Enter {noun}, {column.minimum:g} or more."
    else:
        bounds = {"operator": "between", "formula1": "-1000000000", "formula2": "1000000000"}
        rule = f"Enter {noun}."
    return DataValidation(
        type="whole" if whole else "decimal",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not allowed",
        error=rule,
        showInputMessage=True,
        promptTitle=_title(column),
        prompt=prompt,
        **bounds,
    )


def _add_validations(
    worksheet: Worksheet, sheet: Sheet, lists: _ChoiceLists, last_row: int
) -> None:
    for position, column in enumerate(sheet.columns):
        validation = _validation(column, lists)
        if validation is None:
            continue
        letter = column_letter(position)
        validation.add(f"{letter}2:{letter}{last_row}")
        worksheet.add_data_validation(validation)
    _format_date_columns(worksheet, sheet, last_row)


def _format_date_columns(worksheet: Worksheet, sheet: Sheet, last_row: int) -> None:
    """Date cells formatted as dates down to the last validated row, so that a date pasted as a
    value (an Excel serial such as 45017) shows, saves and reads back as a date."""
    for position, column in enumerate(sheet.columns, start=1):
        if column.kind is not Kind.DATE:
            continue
        for row in range(2, last_row + 1):
            worksheet.cell(row=row, column=position).number_format = DATE_FORMAT


# --- instructions -------------------------------------------------------------------------------


def _instructions() -> list[str]:
    provenance = next(c for c in SHEETS[0].columns if c.name == "provenance")
    several = next(c for c in SHEETS[0].columns if c.kind is Kind.CHOICES)
    lines = [
        "How to fill in this workbook",
        *(f"The {sheet.name} sheet: {sheet.description}" for sheet in (*SHEETS, *OPTIONAL_SHEETS)),
        "Keep the sheet names and the headers in row 1 as they are: do not add, remove or "
        "rename sheets or columns. Hover over a header to read what the column means.",
        "Cells with a drop-down take one value from its list. Cells that take several values "
        f'separate them with "{LIST_SEPARATOR}" (a semicolon), e.g. "{several.example}".',
        "Force areas: pick one of the 43 police force areas from the drop-down; a common "
        "alias (e.g. MOPAC) or the ONS code is accepted too.",
        "Dates: enter them as dates (YYYY-MM-DD or DD/MM/YYYY). Numbers: digits only; a £ sign "
        "and commas are accepted. Enter values, not formulas (Paste Special > Values).",
        f"Provenance, on every row: {provenance.description}",
        "Rules checked when the workbook is uploaded:",
        *(
            f"{sheet.name}: {rule.text}"
            for sheet in (*SHEETS, *OPTIONAL_SHEETS)
            for rule in sheet.rules
        ),
        "Every problem found on upload is reported with its sheet and cell, and nothing is "
        "stored until the whole workbook is valid.",
    ]
    return lines


def _write_instructions(worksheet: Worksheet) -> None:
    lines = _instructions()
    worksheet.cell(row=1, column=1, value=lines[0]).font = TITLE_FONT
    for number, line in enumerate(lines[1:], start=3):
        cell = worksheet.cell(row=number, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    worksheet.column_dimensions["A"].width = 110
    start = len(lines) + 4
    worksheet.cell(row=start - 1, column=1, value="The columns").font = HEADER_FONT
    dictionary = data_dictionary()
    for position, name in enumerate(dictionary.columns):
        worksheet.cell(row=start, column=position + 1, value=str(name)).font = HEADER_FONT
    for offset, record in enumerate(dictionary.itertuples(index=False), start=1):
        for position, value in enumerate(record):
            cell = worksheet.cell(row=start + offset, column=position + 1, value=str(value))
            cell.data_type = "s"
    for letter, width in zip("BCDEFG", (28, 18, 14, 50, 70, 30), strict=True):
        worksheet.column_dimensions[letter].width = width


# --- deterministic bytes ------------------------------------------------------------------------

_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return _normalise_zip(buffer.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Fixed entry times and modified date, so the same content gives the same bytes."""
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            info = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    return out.getvalue()
