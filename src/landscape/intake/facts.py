"""The sourced facts file (data/sources/sourced_facts.csv): one row per value a public document
states for one area or programme, with its citation. `landscape validate` checks it directly, by
the same cell rules as an upload, and the illustrative-wave builder reads it only through here.

A row's value must be one its column accepts (a choice from the list, a number, a date ...), its
area one of the 43 force areas under its own ONS code, its citation complete (document, seed
file, section and the evidence quoted). Rows whose `schema_fit` is not "fits" record a fact the
schema has no place for yet: they are checked for their citation only.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from landscape.areas import force_areas
from landscape.errors import LandscapeError, Problem
from landscape.intake.cells import InvalidValue, parse
from landscape.intake.workbook import column_letter
from landscape.schema import AREAS, PROGRAMMES, Sheet
from landscape.values import counted

FACTS_SHEET = "Sourced facts"
"""The name problems give the file (as "Sourced facts!F12")."""
COLUMNS = (
    "sheet",
    "area_code",
    "area",
    "programme",
    "column",
    "value",
    "match",
    "basis",
    "period",
    "provenance",
    "document",
    "seed_file",
    "section",
    "evidence",
    "schema_fit",
    "schema_change",
    "note",
)
SHEETS = {"areas": AREAS, "programmes": PROGRAMMES}
MATCHES = ("equals", "includes", "blank")
"""equals: the cell is the value; includes: a list or text cell holds it among others; blank: the
source shows there is none."""
BASES = ("stated", "inferred", "mapped")
FITS = "fits"
SCHEMA_FITS = (FITS, "new_column", "new_choice")
CITATION = ("document", "seed_file", "section", "evidence")


@dataclass(frozen=True)
class Fact:
    """One row of the facts file, checked."""

    sheet: Sheet
    area: str
    programme: str | None
    column: str
    value: str
    match: str
    basis: str
    period: str
    document: str
    section: str
    schema_fit: str
    schema_change: str

    @property
    def key(self) -> tuple[str, str, str | None, str]:
        return (self.sheet.name, self.area, self.programme, self.column)

    @property
    def fits(self) -> bool:
        return self.schema_fit == FITS and bool(self.column)


class FactsInvalid(LandscapeError):
    """The facts file is not valid; `problems` names each cell that is wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            f"{counted(len(problems), 'problem', 'problems')} found in the sourced facts file",
            fix="Correct each problem at the cell it names.",
            problems=problems,
        )


def is_facts_file(data: bytes) -> bool:
    """Whether a CSV's first line is the facts file's header."""
    first = data.decode("utf-8-sig", errors="replace").split("\n", 1)[0]
    return tuple(h.strip() for h in first.strip().split(",")) == COLUMNS


def read_facts(data: bytes) -> list[Fact]:
    """Every row of the facts file, in file order; FactsInvalid naming each cell that is wrong."""
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or tuple(h.strip() for h in rows[0]) != COLUMNS:
        header = ", ".join(rows[0]) if rows else "nothing"
        raise FactsInvalid(
            [
                Problem(
                    FACTS_SHEET,
                    "A1",
                    None,
                    f"The header row is not the facts file's (found: {header})",
                    f"Start the file with the header {','.join(COLUMNS)}",
                )
            ]
        )
    problems: list[Problem] = []
    facts = []
    for number, values in enumerate(rows[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        record = dict(zip(COLUMNS, [*values, *[""] * (len(COLUMNS) - len(values))], strict=False))
        found = _row_problems(number, record)
        problems += found
        if not found:
            facts.append(_fact(record))
    if problems:
        raise FactsInvalid(problems)
    return facts


def _cell(number: int, name: str) -> str:
    return f"{column_letter(COLUMNS.index(name))}{number}"


def _row_problems(number: int, row: dict[str, str]) -> list[Problem]:
    found: list[Problem] = []

    def problem(name: str, message: str, fix: str) -> None:
        found.append(Problem(FACTS_SHEET, _cell(number, name), row[name] or None, message, fix))

    sheet = SHEETS.get(row["sheet"])
    if sheet is None:
        problem("sheet", "The sheet is not areas or programmes", "Write areas or programmes")
    codes = {a.display_name: a.code for a in force_areas()}
    code = codes.get(row["area"])
    if code is None:
        problem("area", "This is not a force area's name", "Use the area's display name")
    elif row["area_code"] != code:
        problem("area_code", f"{row['area']}'s ONS code is {code}", f"Write {code}")
    if sheet is PROGRAMMES and not row["programme"]:
        problem("programme", "A programmes fact names no programme", "Name the programme")
    if sheet is AREAS and row["programme"]:
        problem("programme", "An areas fact names a programme", "Leave programme blank")
    if row["provenance"] != "sourced":
        problem("provenance", "Every fact in this file is sourced", "Write sourced")
    for name, allowed in (("match", MATCHES), ("basis", BASES), ("schema_fit", SCHEMA_FITS)):
        if row[name] not in allowed:
            problem(name, f"The {name} is not one of {', '.join(allowed)}", "Choose one of them")
    for name in CITATION:
        if not row[name].strip():
            problem(name, f"The fact gives no {name.replace('_', ' ')}", "Cite the document")
    if sheet is not None and row["schema_fit"] == FITS and row["column"]:
        found += _value_problems(number, sheet, row)
    return found


def _value_problems(number: int, sheet: Sheet, row: dict[str, str]) -> list[Problem]:
    names = [c.name for c in sheet.columns]
    if row["column"] not in names:
        return [
            Problem(
                FACTS_SHEET,
                _cell(number, "column"),
                row["column"],
                f"The {sheet.name} sheet has no column {row['column']}",
                "Name one of its columns, or mark the fact's schema_fit new_column",
            )
        ]
    if row["match"] == "blank":
        return []
    column = sheet.column(row["column"])
    try:
        typed_value(sheet, row["column"], row["value"])
    except (InvalidValue, ValueError):
        allowed = f" ({', '.join(column.allowed)})" if column.allowed else ""
        return [
            Problem(
                FACTS_SHEET,
                _cell(number, "value"),
                row["value"] or None,
                f"The value is not one the {column.name} column accepts{allowed}",
                "Use one of the listed values, or mark the fact's schema_fit new_choice"
                if allowed
                else f"Write a {column.kind.value} (as the survey template takes it)",
            )
        ]
    return []


def typed_value(sheet: Sheet, name: str, text: str) -> Any:
    """A fact's value as its column holds it, read by the upload's own cell rules (InvalidValue
    when the column would refuse it): the value kept is the value checked, so "Home Office Fund
    2023\u201325" is kept as the option "Home Office fund 2023-25", never as the text written."""
    if not text.strip():
        raise InvalidValue(text)
    return parse(sheet.column(name), text)


def _fact(row: dict[str, str]) -> Fact:
    return Fact(
        sheet=SHEETS[row["sheet"]],
        area=row["area"],
        programme=row["programme"] or None,
        column=row["column"],
        value=row["value"],
        match=row["match"],
        basis=row["basis"],
        period=row["period"],
        document=row["document"],
        section=row["section"],
        schema_fit=row["schema_fit"],
        schema_change=row["schema_change"],
    )
