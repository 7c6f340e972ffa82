"""Shared by the round tests: a store with a published wave, an open round, edited returns."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl

from landscape.schema import AREAS
from landscape.store.access import Principal, Role
from landscape.store.rounds import Round, Rounds
from landscape.store.waves import Store
from tests.store_support import ADMIN, CAMBRIDGESHIRE, ESSEX, valid_workbook

CUMBRIA = "E23000002"
SURREY = "E23000031"
ESSEX_OFFICE = Principal("essex", Role.AREA, ESSEX)
CUMBRIA_OFFICE = Principal("cumbria", Role.AREA, CUMBRIA)
SURREY_OFFICE = Principal("surrey", Role.AREA, SURREY)
DEADLINE = dt.date(2026, 3, 31)


def store_with_wave(store: Store) -> Store:
    """`store` with the builders' four-area survey published as its current wave."""
    store.publish(valid_workbook(), "existing.xlsx", principal=ADMIN, label="APCC 2025 survey")
    return store


def open_round(rounds: Rounds, label: str = "APCC 2026 survey") -> Round:
    return rounds.open_round(
        ADMIN, label=label, period="April 2025 to March 2026", deadline=DEADLINE
    )


def edited_areas_row(data: bytes, **answers: Any) -> bytes:
    """The workbook with Areas row 2's named answers replaced (as an office edits its return)."""
    return edited_row(data, AREAS.name, 2, **answers)


def edited_row(data: bytes, sheet: str, row: int, **answers: Any) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    worksheet = book[sheet]
    headers = [cell.value for cell in worksheet[1]]
    for name, value in answers.items():
        worksheet.cell(row=row, column=headers.index(name) + 1, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def areas_row_of(data: bytes, area_name: str) -> int:
    """The Excel row of `area_name` on the Areas sheet of a whole workbook."""
    worksheet = openpyxl.load_workbook(io.BytesIO(data))[AREAS.name]
    for number, row in enumerate(worksheet.iter_rows(min_row=2, values_only=True), start=2):
        if row[0] == area_name:
            return number
    raise KeyError(area_name)


__all__ = ["CAMBRIDGESHIRE", "ESSEX"]


def workbook_changing_essex(**own_changes: Any) -> bytes:
    """The builders' survey with Essex's strategic_board changed (No -> Yes) and `own_changes`
    to Cambridgeshire's row: what a Cambridgeshire office may not upload."""
    from tests.builders import area_rows, programme_rows, workbook_from_rows

    areas = area_rows()
    areas[0].update(own_changes)
    areas[1].update(strategic_board="Yes")
    return workbook_from_rows(areas, programme_rows())
