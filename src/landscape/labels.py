"""The wording of categories every layer shares: declared once, so a table, a chart and a map
never disagree on what "Did not respond" or "None" is called."""

from __future__ import annotations

from enum import StrEnum

DID_NOT_RESPOND = "Did not respond"
NONE_LABEL = "None"
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
