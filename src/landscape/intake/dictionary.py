"""The data dictionary: every survey column, generated from the schema declaration."""

from __future__ import annotations

import pandas as pd

from landscape.schema import LIST_SEPARATOR, SHEETS, Column, Kind

DICTIONARY_COLUMNS = (
    "sheet",
    "column",
    "type",
    "required",
    "allowed_values",
    "description",
    "example",
)

AREA_VALUES = (
    "Any of the 43 police force areas of England and Wales: name, common alias or ONS code"
)


def required_text(column: Column) -> str:
    if column.required:
        return "Yes"
    if column.required_if_responded:
        return "If responded"
    return "No"


def allowed_values_text(column: Column) -> str:
    if column.kind is Kind.AREA:
        return AREA_VALUES
    if column.kind is Kind.CHOICES:
        return f"Any of (separated by {LIST_SEPARATOR}): {', '.join(column.allowed)}"
    if column.kind is Kind.CHOICE:
        return f"One of: {', '.join(column.allowed)}"
    if column.minimum is not None:
        return f"{column.minimum:g} or more"
    if column.kind is Kind.DATE:
        return "A date (YYYY-MM-DD, DD/MM/YYYY or an Excel date)"
    return ""


def data_dictionary() -> pd.DataFrame:
    """One row per column of every survey sheet, in sheet and column order."""
    return pd.DataFrame(
        [
            {
                "sheet": sheet.name,
                "column": column.name,
                "type": column.kind.value,
                "required": required_text(column),
                "allowed_values": allowed_values_text(column),
                "description": column.description,
                "example": column.example,
            }
            for sheet in SHEETS
            for column in sheet.columns
        ],
        columns=list(DICTIONARY_COLUMNS),
    )
