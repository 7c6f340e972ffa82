"""A validated survey wave: the typed tables that validation produces and the model consumes.

Column contract (both tables): `area_code` (ONS code, str) replaces the sheet's `force_area`;
every other schema column keeps its name, typed by its `Kind`:

- TEXT, CHOICE: `str`, or `None` when blank
- CHOICES: `tuple[str, ...]` in the enum's declared order, `()` when blank
- INTEGER: pandas nullable `Int64`; NUMBER: `float64` (NaN when blank)
- DATE: `datetime64[ns]` (NaT when blank)

The optional Provenance sheet is a third table of the same contract (empty when the upload has
none). Rows keep the order of the sheet. A Survey is only ever built from validated data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from landscape.schema import AREAS, PROGRAMMES, PROVENANCE, Column, Kind, Sheet
from landscape.values import is_blank


def canonical_choices(column: Column, tokens: Iterable[str]) -> tuple[str, ...]:
    """Tokens already known to be allowed (or a former wording of one, Column.current),
    de-duplicated, in the enum's declared order.

    A token that is neither (say "Home Office Fund 2023\u201325", or the characters of a string
    passed for a tuple) is a defect upstream, not an answer to drop: ValueError, so that no
    answer is ever lost without a word."""
    if isinstance(tokens, str):
        raise ValueError(f"{column.name}: a tuple of choices is needed, not the text {tokens!r}")
    chosen = {column.current(token) for token in tokens}
    unknown = chosen - set(column.allowed)
    if unknown:
        raise ValueError(f"{column.name}: {sorted(unknown)} not among {list(column.allowed)}")
    return tuple(value for value in column.allowed if value in chosen)


def typed_frame(sheet: Sheet, records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Build a table with the contract's dtypes from already-valid python values."""
    names = ["area_code", *(c.name for c in sheet.columns if c.name != "force_area")]
    frame = pd.DataFrame(list(records), columns=names)
    for column in sheet.columns:
        if column.name == "force_area":
            continue
        series = frame[column.name]
        if column.kind is Kind.CHOICES:
            frame[column.name] = pd.Series(
                [canonical_choices(column, () if is_blank(v) else v) for v in series],
                index=frame.index,
                dtype=object,
            )
        elif column.kind is Kind.INTEGER:
            frame[column.name] = pd.array(
                [None if is_blank(v) else int(v) for v in series], dtype="Int64"
            )
        elif column.kind is Kind.NUMBER:
            frame[column.name] = pd.to_numeric(series, errors="raise").astype("float64")
        elif column.kind is Kind.DATE:
            frame[column.name] = pd.to_datetime(series).astype("datetime64[ns]")
        elif column.kind is Kind.CHOICE:
            frame[column.name] = pd.Series(
                [None if is_blank(v) else column.current(str(v)) for v in series],
                index=frame.index,
                dtype=object,
            )
        else:
            frame[column.name] = pd.Series(
                [None if is_blank(v) else str(v) for v in series], index=frame.index, dtype=object
            )
    frame["area_code"] = frame["area_code"].astype(object)
    return frame.reset_index(drop=True)


def empty_provenance() -> pd.DataFrame:
    return typed_frame(PROVENANCE, [])


@dataclass(frozen=True)
class Survey:
    areas: pd.DataFrame
    programmes: pd.DataFrame
    provenance: pd.DataFrame = field(default_factory=empty_provenance)
    """The Provenance sheet's rows (the contract's columns; `programme_name` None for Areas)."""

    @classmethod
    def from_records(
        cls,
        areas: Iterable[Mapping[str, Any]],
        programmes: Iterable[Mapping[str, Any]],
        provenance: Iterable[Mapping[str, Any]] = (),
    ) -> Survey:
        return cls(
            typed_frame(AREAS, areas),
            typed_frame(PROGRAMMES, programmes),
            typed_frame(PROVENANCE, provenance),
        )

    @property
    def area_codes(self) -> frozenset[str]:
        return frozenset(self.areas["area_code"])
