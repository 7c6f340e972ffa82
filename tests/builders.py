"""Small surveys and workbooks built in code from the schema, so no fixture file can go stale."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import openpyxl

from landscape.areas import code_for
from landscape.schema import AREAS, PROGRAMMES, Kind, Sheet, split_choices
from landscape.survey import Survey

# Rows as a person types them in the template: names, "a; b" lists, ISO dates.
AREA_ROWS: list[dict[str, Any]] = [
    {
        "force_area": "Cambridgeshire",
        "response_status": "Responded",
        "respondent_body": "Cambridgeshire PCC",
        "commissions_da_programmes": "Yes",
        "stalking_provision": "Within DA programmes; Specialist non-DA",
        "co_commissions": "Yes",
        "co_commissioning_partners": "Local authority",
        "partner_interventions": "Probation",
        "funding_sources": "Home Office fund 2023-25; Policing budget",
        "ho_fund_recipient": "Yes",
        "continuation_plan": "Only with continued national funding",
        "risk_forums": "MARAC; MATAC",
        "strategic_board": "Yes",
        "monitoring_frequency": "Quarterly",
        "victim_support": "Integrated support; IDVA",
        "stalking_standards_would_help": "Yes",
        "evaluation_undertaken_or_planned": "Yes",
        "evaluation_reports_supplied": 2,
        "follow_up_engagement": "None",
        "provenance": "Sourced",
        "source": "Cambridgeshire OPCC FOI/OPCC/24-018 (June 2024)",
    },
    {
        "force_area": "Essex",
        "response_status": "Responded",
        "respondent_body": "Essex PFCC",
        "commissions_da_programmes": "Yes",
        "stalking_provision": "Specialist DA-related",
        "co_commissions": "No",
        "funding_sources": "Policing budget",
        "ho_fund_recipient": "No",
        "continuation_plan": "Yes",
        "strategic_board": "No",
        "monitoring_frequency": "Monthly",
        "victim_support": "Signposting",
        "stalking_standards_would_help": "Unsure",
        "evaluation_undertaken_or_planned": "No",
        "provenance": "Illustrative",
    },
    {
        "force_area": "Cumbria",
        "response_status": "Responded",
        "respondent_body": "Cumbria PFCC",
        "commissions_da_programmes": "Yes",
        "stalking_provision": "None",
        "co_commissions": "No",
        "funding_sources": "Home Office fund 2023-25",
        "ho_fund_recipient": "Yes",
        "continuation_plan": "Unsure",
        "risk_forums": "MARAC",
        "strategic_board": "Yes",
        "monitoring_frequency": "Six-monthly",
        "victim_support": "IDVA",
        "stalking_standards_would_help": "Yes",
        "evaluation_undertaken_or_planned": "Yes",
        "evaluation_reports_supplied": 0,
        "provenance": "Illustrative",
        "notes": "=not a formula, just text",
    },
    {
        "force_area": "Surrey",
        "response_status": "Did not respond",
        "ho_fund_recipient": "Yes",
        "provenance": "Illustrative",
    },
]

PROGRAMME_ROWS: list[dict[str, Any]] = [
    {
        "force_area": "Cambridgeshire",
        "programme_name": "StepWise",
        "provider": "Probation Service",
        "programme_type": "DA: out-of-court (e.g. CARA)",
        "risk_levels": "Standard; Medium",
        "referral_routes": "Out-of-court resolution",
        "cohorts": "Male only",
        "delivery": "Mixed",
        "accreditation": "None",
        "evaluation_type": "External",
        "evaluation_status": "Completed",
        "funding_sources": "Policing budget",
        "annual_budget_gbp": 15000,
        "annual_capacity": 120,
        "funding_start": dt.date(2023, 4, 1),
        "funding_end": dt.date(2025, 3, 31),
        "provenance": "Sourced",
        "source": "Cambridgeshire OPCC FOI/OPCC/24-018 (June 2024)",
    },
    {
        "force_area": "Cambridgeshire",
        "programme_name": "Stalking intervention team",
        "programme_type": "Non-DA stalking",
        "risk_levels": "High",
        "cohorts": "All",
        "delivery": "One-to-one",
        "accreditation": "Not applicable",
        "evaluation_type": "None",
        "co_commissioning_partners": "Local authority",
        "provenance": "Sourced",
        "source": "Cambridgeshire OPCC FOI/OPCC/24-018 (June 2024)",
    },
    {
        "force_area": "Essex",
        "programme_name": "Good Man Project",
        "provider": "-Minus & Co",
        "programme_type": "DA",
        "risk_levels": "Medium; High",
        "referral_routes": "Police; Self-referral",
        "cohorts": "Male only",
        "delivery": "Group",
        "accreditation": "Respect",
        "evaluation_type": "In-house",
        "evaluation_status": "Planned",
        "funding_sources": "Policing budget",
        "annual_budget_gbp": 250000.5,
        "funding_start": dt.date(2024, 4, 1),
        "provenance": "Illustrative",
    },
    {
        "force_area": "Cumbria",
        "programme_name": "Turning the Spotlight",
        "programme_type": "DA",
        "risk_levels": "Standard; Medium; High",
        "cohorts": "All",
        "accreditation": "CSAAP",
        "evaluation_type": "External",
        "evaluation_status": "Planned",
        "funding_sources": "Home Office fund 2023-25",
        "funding_end": dt.date(2025, 3, 31),
        "provenance": "Illustrative",
        "notes": "@mention and +plus are text too",
    },
]


@dataclass(frozen=True)
class FormulaCell:
    """Plant a formula in a test workbook (plain strings are always written as text)."""

    text: str


def minimal_survey() -> Survey:
    """A small valid survey built straight from python values (not through the loader)."""
    return Survey.from_records(
        [_typed(AREAS, row) for row in AREA_ROWS],
        [_typed(PROGRAMMES, row) for row in PROGRAMME_ROWS],
    )


def _typed(sheet: Sheet, row: Mapping[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {"area_code": code_for(row["force_area"])}
    for column in sheet.columns:
        if column.name == "force_area":
            continue
        value = row.get(column.name)
        if column.kind is Kind.CHOICES:
            value = split_choices(value)
        record[column.name] = value
    return record


def area_rows() -> list[dict[str, Any]]:
    """Fresh copies of the valid raw Areas rows, for tests to plant errors in."""
    return [dict(row) for row in AREA_ROWS]


def programme_rows() -> list[dict[str, Any]]:
    """Fresh copies of the valid raw Programmes rows."""
    return [dict(row) for row in PROGRAMME_ROWS]


def workbook_from_rows(
    areas: list[dict[str, Any]],
    programmes: list[dict[str, Any]],
    *,
    rename: Mapping[str, Mapping[str, str]] | None = None,
    drop: Mapping[str, Sequence[str]] | None = None,
    extra_sheets: Sequence[str] = ("Instructions",),
    omit_sheets: Sequence[str] = (),
) -> bytes:
    """An .xlsx holding the raw values under the schema's headers.

    Keys not in the schema become extra columns; `rename` writes a different header for a
    schema column and `drop` leaves columns out, per sheet name. Strings are written as text;
    use `FormulaCell` to plant a formula.
    """
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name in extra_sheets:
        book.create_sheet(name)["A1"] = "Filled in by a test"
    for sheet, rows in ((AREAS, areas), (PROGRAMMES, programmes)):
        if sheet.name in omit_sheets:
            continue
        dropped = set((drop or {}).get(sheet.name, ()))
        names = [n for n in sheet.column_names if n not in dropped]
        for row in rows:
            names.extend(k for k in row if k not in names and k not in sheet.column_names)
        renamed = (rename or {}).get(sheet.name, {})
        worksheet = book.create_sheet(sheet.name)
        worksheet.append([renamed.get(n, n) for n in names])
        for number, row in enumerate(rows, start=2):
            for position, name in enumerate(names, start=1):
                _write(worksheet.cell(row=number, column=position), row.get(name))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write(cell: Any, value: Any) -> None:
    if isinstance(value, FormulaCell):
        cell.value = value.text
        return
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def csvs_from_rows(
    areas: list[dict[str, Any]], programmes: list[dict[str, Any]], *, encoding: str = "utf-8"
) -> dict[str, bytes]:
    """One CSV per sheet, as Excel's "Save as CSV" writes them, keyed by file name."""
    files = {}
    for sheet, rows in ((AREAS, areas), (PROGRAMMES, programmes)):
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow(sheet.column_names)
        for row in rows:
            writer.writerow([_csv_text(row.get(name)) for name in sheet.column_names])
        files[f"{sheet.name}.csv"] = buffer.getvalue().encode(encoding)
    return files


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)
