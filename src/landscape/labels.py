"""The wording of categories every layer shares: declared once, so a table, a chart and a map
never disagree on what "Did not respond" or "None" is called."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from landscape.schema import OPTIONAL_SHEETS, SHEETS

if TYPE_CHECKING:
    import pandas as pd

DID_NOT_RESPOND = "Did not respond"
NONE_LABEL = "None"
NOT_ANSWERED = "Not answered (left blank)"
"""A respondent's blank answer: the question was not answered, which is never "none" or "no"."""
ILLUSTRATIVE_LABEL = "illustrative"
SOURCED_LABEL = "sourced"


class StalkingCategory(StrEnum):
    """Stalking provision of a force area, best first (the report's stalking-gap story)."""

    SPECIALIST_NON_DA = "Specialist non-DA programme"
    SPECIALIST_DA_RELATED = "Specialist DA-related only"
    WITHIN_DA = "Within DA programmes only"
    NO_PROVISION = "No stalking provision"
    DID_NOT_RESPOND = DID_NOT_RESPOND


def provenance_label(illustrative: bool | None) -> str:
    return ILLUSTRATIVE_LABEL if illustrative else SOURCED_LABEL


# --- column headers ---------------------------------------------------------------------------

DERIVED_COLUMN_LABELS: dict[str, str] = {
    "area_code": "ONS code",
    "area": "Force area",
    "display_name": "Force area",
    "region": "Region",
    "country": "Country",
    "responded": "Responded",
    "answer": "Answer",
    "label": "Share",
    "percent": "Per cent",
    "areas": "Areas",
    "responding_areas": "Responding areas",
    "total_areas": "All areas in view",
    "programmes": "Programmes",
    "total_programmes": "All programmes in view",
    "area_programmes": "Programmes in the area",
    "programme_types": "Programme types",
    "victim_support_approaches": "Victim support approaches",
    "category": "Category",
    "status": "Status",
    "question": "Question",
    "feature": "Feature",
    "area_has": "Area has it",
    "peer_label": "Peers with it",
    "peers_with": "Peers with it (count)",
    "peers": "Peers compared",
    "difference": "Difference",
    "quarter": "Quarter funding ends",
    "quarter_start": "Quarter starts",
    "ended": "Programmes ended (before the reference date)",
    "budget_gbp": "Known annual budget (£)",
    "programmes_with_budget": "Programmes with a known budget",
    "records": "Records",
    "sourced": "Sourced",
    "illustrative": "Illustrative",
    "total": "Total",
    "wave_id": "Wave id",
    "survey_date": "Survey date",
    "uploaded_by": "Uploaded by",
    "uploaded_at": "Uploaded at",
    "sha256": "SHA-256",
    "id": "Figure id",
    "jaccard_distance": "Distance (Jaccard, 0 = same features)",
}
"""Headers of the columns the model derives (not survey columns): declared here once."""


def column_label(name: str) -> str:
    """A column's header in words: a derived column's label, a survey column's declared label
    (schema.Column.heading), and a header already in words left as it is."""
    if name in DERIVED_COLUMN_LABELS:
        return DERIVED_COLUMN_LABELS[name]
    for sheet in (*SHEETS, *OPTIONAL_SHEETS):
        if name in sheet.column_names:
            return sheet.column(name).heading
    if "_" in name or name.islower():
        return name.replace("_", " ").capitalize()
    return name


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every column header in words (a copy; the frame's data unchanged)."""
    if frame.columns.nlevels > 1:  # a MultiIndex: rename labels each level
        return frame.rename(columns={c: column_label(str(c)) for c in frame.columns})
    # set_axis, not rename: the same frame a quarter of the time (issue 13, every new table)
    return frame.set_axis([column_label(str(c)) for c in frame.columns], axis=1)
