"""Each answer's provenance in words, for tables, hover text and downloads.

The kinds are `ValueProvenance`'s: Published, Sourced (with its citation), Reported, Illustrative.
A value `Landscape.value_provenance` does not list (a blank answer the Provenance sheet does not
name) takes its row's default, the same rule `landscape.model.landscape.value_provenance` applies.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from landscape.model.landscape import Landscape
from landscape.schema import AREAS, Provenance, ValueProvenance
from landscape.values import is_blank


def provenance_text(provenance: object, document: object = None, section: object = None) -> str:
    """'Sourced (document, section)' for a sourced value, else the kind's name."""
    if is_blank(provenance):
        return ""
    if str(provenance) == ValueProvenance.SOURCED:
        citation = ", ".join(str(p) for p in (document, section) if not is_blank(p))
        return f"{ValueProvenance.SOURCED} ({citation})" if citation else ValueProvenance.SOURCED
    return str(provenance)


def entry_text(entry: Any) -> str:
    """One answer's provenance in words, from its `value_provenance` row: for an entry that
    speaks for only some options of a list answer, each part with its own kind, e.g.
    'Sourced (document, section): Home Office fund 2023-25 · Illustrative: Policing budget'."""
    text = provenance_text(entry.provenance, entry.document, entry.section)
    members = getattr(entry, "members", None)
    rest = getattr(entry, "other_members", None)
    if not isinstance(members, tuple) or not isinstance(rest, tuple) or not rest:
        return text
    spoken = "; ".join(members) or "no option of this answer"
    return f"{text}: {spoken} · {entry.others}: {'; '.join(rest)}"


def row_default(row_provenance: object) -> ValueProvenance:
    """A value's provenance when its row's own is all that is known."""
    if is_blank(row_provenance) or str(row_provenance) == Provenance.REPORTED:
        return ValueProvenance.REPORTED
    return ValueProvenance.ILLUSTRATIVE


def area_value_provenance(model: Landscape, column: str) -> pd.Series:
    """Per area of the view (ONS code index): the provenance, in words, of its `column` answer.

    Empty text for an area that did not respond: it gave no answer to have a provenance."""
    values = model.value_provenance
    listed = values[(values["sheet"] == AREAS.name) & (values["column"] == column)]
    texts = {str(row.area_code): entry_text(row) for row in listed.itertuples(index=False)}
    areas = model.areas
    return pd.Series(
        [
            str(texts.get(str(code), row_default(row_provenance))) if bool(responded) else ""
            for code, responded, row_provenance in zip(
                areas.index, areas["responded"], _row_provenance(areas), strict=True
            )
        ],
        index=areas.index,
        name="provenance",
        dtype=object,
    )


def area_answer_provenance(model: Landscape, area_code: str, column: str) -> str:
    """The provenance, in words, of one area's `column` answer as the wave holds it, whether or
    not the area responded (a non-respondent's Home Office fund status is held too)."""
    values = model.value_provenance
    listed = values[
        (values["sheet"] == AREAS.name)
        & (values["area_code"] == area_code)
        & (values["column"] == column)
    ]
    for row in listed.itertuples(index=False):
        return entry_text(row)
    return str(row_default(_row_provenance(model.areas).get(area_code)))


def _row_provenance(frame: pd.DataFrame) -> pd.Series:
    if "provenance" in frame.columns:
        return frame["provenance"]
    return pd.Series(None, index=frame.index, dtype=object)


def stalking_provision_provenance(model: Landscape) -> pd.Series:
    """Per area: the provenance of the stalking-provision answer its map category is drawn from."""
    return area_value_provenance(model, "stalking_provision")
