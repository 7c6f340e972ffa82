"""What the APCC report published, and how the model's measures compare with it.

The project's own copy of the report's figures lives in reference/published_figures.csv (id,
statement, value, unit, of, section, measure), one row per printed figure. Rows without a
measure are policy facts about the Home Office fund, kept as context: no survey answer gives them.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from io import StringIO

import pandas as pd

from landscape.model.landscape import Landscape
from landscape.model.measures import MEASURES

POLICY_FACT_NOTE = "policy fact, not a survey measure"

NOTES = {
    "evaluation_any_percent": (
        "The report printed 76% beside 26 areas; 26 of 33 is 79% (25 of 33 would be 76%). "
        "The count (26) is reproduced; the printed percentage does not follow from it."
    ),
    "evaluation_any": "The report prints '76% (26)'; this is the 26 (see evaluation_any_percent).",
    "early_intervention_share": "Early intervention and CAPVA programmes, as the report counts.",
    "accredited_share": "Denominator: programmes whose accreditation is not 'Not applicable'.",
}
"""Explanations shown beside a figure whatever the data (why it is computed as it is)."""

CHECK_COLUMNS = (
    "id",
    "statement",
    "section",
    "published",
    "unit",
    "computed",
    "numerator",
    "denominator",
    "matches",
    "note",
)


@cache
def _published_csv() -> str:
    return (
        resources.files("landscape.reference")
        .joinpath("published_figures.csv")
        .read_text(encoding="utf-8")
    )


def published_figures() -> pd.DataFrame:
    """The report's published figures (a fresh copy each call)."""
    frame = pd.read_csv(StringIO(_published_csv()), dtype=str, keep_default_na=False)
    frame["value"] = frame["value"].astype(float)
    return frame


def published_value(fid: str) -> float | None:
    """The value the report printed for a figure id, or None when it printed none."""
    values = dict(zip(*(published_figures()[c] for c in ("id", "value")), strict=True))
    return float(values[fid]) if fid in values else None


def check_figures(model: Landscape) -> pd.DataFrame:
    """Each published figure beside the value the model computes, and whether they match."""
    rows = []
    for row in published_figures().itertuples(index=False):
        fid = str(row.id)
        measure = MEASURES.get(fid) if row.measure else None
        printed = {
            "id": row.id,
            "statement": row.statement,
            "section": row.section,
            "published": row.value,
            "unit": row.unit,
        }
        if measure is None:
            rows.append(
                {
                    **printed,
                    "computed": None,
                    "numerator": None,
                    "denominator": None,
                    "matches": None,
                    "note": POLICY_FACT_NOTE,
                }
            )
            continue
        figure = measure(model)
        computed = figure.value
        rows.append(
            {
                **printed,
                "computed": computed,
                "numerator": figure.numerator,
                "denominator": figure.denominator,
                "matches": bool(computed == row.value),
                "note": NOTES.get(fid, ""),
            }
        )
    return pd.DataFrame(rows, columns=list(CHECK_COLUMNS))
