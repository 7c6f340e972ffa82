"""An area office's return: the survey template pre-filled with its area's answers and programmes
from the latest published wave, with the area locked to it.

The workbook is the template itself (`survey_workbook_bytes`), so it validates like any upload;
on top, the Areas row's force_area cell is locked (the sheet is protected, every other cell of
the row left editable), the force_area drop-downs offer only this area, and the Instructions say
whose return it is, for which round, and by when. The store enforces the area whatever the file
says (`access.check_upload`); the locks only save the office a refused upload.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.styles import Font, Protection
from openpyxl.worksheet.worksheet import Worksheet

from landscape.areas import display_name
from landscape.intake.template import INSTRUCTIONS_SHEET, survey_workbook_bytes
from landscape.intake.workbook import column_letter
from landscape.schema import AREAS, PROGRAMMES, Sheet
from landscape.survey import Survey


@dataclass(frozen=True)
class ReturnHeading:
    """What the return's Instructions say about the round it belongs to."""

    round_label: str
    period: str
    deadline: dt.date


def area_rows(published: Survey | None, area_code: str) -> Survey:
    """`area_code`'s Areas row and programmes in `published`; a row with only the area (nothing
    answered) when the wave has none, or there is no wave yet."""
    if published is not None and (published.areas["area_code"] == area_code).any():
        areas = published.areas[published.areas["area_code"] == area_code]
        programmes = published.programmes[published.programmes["area_code"] == area_code]
        return Survey(areas.reset_index(drop=True), programmes.reset_index(drop=True))
    return Survey.from_records([{"area_code": area_code}], [])


def return_filename(area_code: str, round_label: str) -> str:
    def slug(text: str) -> str:
        return "-".join("".join(c if c.isalnum() else " " for c in text).lower().split())

    return f"{slug(round_label)}-return-{slug(display_name(area_code))}.xlsx"


def prefilled_return_bytes(
    published: Survey | None, area_code: str, heading: ReturnHeading
) -> bytes:
    """The return `area_code` downloads: its rows of `published`, its area locked."""
    book = load_workbook(io.BytesIO(survey_workbook_bytes(area_rows(published, area_code))))
    area = display_name(area_code)
    _lock_area_row(book[AREAS.name], area)
    for sheet in (AREAS, PROGRAMMES):
        _only_this_area(book[sheet.name], sheet, area)
    _head_instructions(book[INSTRUCTIONS_SHEET], area, heading)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _force_area_letter(sheet: Sheet) -> str:
    return column_letter(sheet.column_names.index("force_area"))


def _lock_area_row(worksheet: Worksheet, area: str) -> None:
    """Row 2 editable except its force_area cell; the sheet protected so that cell stays."""
    for position in range(len(AREAS.columns)):
        cell = worksheet.cell(row=2, column=position + 1)
        cell.protection = Protection(locked=position == AREAS.column_names.index("force_area"))
    worksheet.protection.sheet = True
    # Formatting and widths stay open: the lock is on the area, not on how the office works.
    worksheet.protection.formatColumns = False
    worksheet.protection.formatRows = False
    worksheet.protection.formatCells = False
    worksheet.protection.sort = False
    worksheet.protection.autoFilter = False


def _only_this_area(worksheet: Worksheet, sheet: Sheet, area: str) -> None:
    """The force_area drop-down offers this area alone, and refuses any other name."""
    letter = _force_area_letter(sheet)
    for validation in worksheet.data_validations.dataValidation:
        if not str(validation.sqref).startswith(f"{letter}2:"):
            continue
        validation.formula1 = f'"{area}"'
        validation.errorStyle = "stop"
        validation.errorTitle = "This return is for one area"
        validation.error = f"This return is {area}'s: the force area is always {area}."
        validation.prompt = f"Always {area} in this return."


def _head_instructions(worksheet: Worksheet, area: str, heading: ReturnHeading) -> None:
    worksheet.insert_rows(2, amount=2)
    title = worksheet.cell(
        row=2,
        column=1,
        value=(
            f"{area}'s return for {heading.round_label} ({heading.period}), due "
            f"{heading.deadline:%d %B %Y}."
        ),
    )
    title.font = Font(bold=True)
    worksheet.cell(
        row=3,
        column=1,
        value=(
            f"It holds {area}'s answers and programmes as last published: change what is no "
            "longer right, add or remove programmes, and upload it on the Upload page. Only "
            f"{area}'s rows are taken."
        ),
    )
