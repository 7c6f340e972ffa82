"""Rows <-> Python values: wave rows as `WaveRecord`s, survey tables as JSON records and back.

A survey is stored one JSON record per row (`area_answers`, `programme_records`, and the
Provenance sheet's `provenance_records`), in its upload order, so a wave loads back exactly as it
was published (`Survey.from_records` is the inverse).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pandas as pd
import sqlalchemy as sa

from landscape.model.wave_kind import WaveKind, recorded_kind
from landscape.schema import AREAS, PROGRAMMES, PROVENANCE, Column, Kind, Sheet
from landscape.store.errors import WaveNotFound
from landscape.store.tables import (
    area_answers,
    programme_records,
    provenance_records,
    survey_rounds,
    waves,
)
from landscape.survey import Survey, canonical_choices
from landscape.values import is_blank

if TYPE_CHECKING:
    from landscape.model.landscape import WaveInfo


@dataclass(frozen=True)
class WaveRecord:
    wave_id: str
    label: str
    survey_date: date | None
    version: int
    uploaded_by: str
    uploaded_at: datetime
    sha256: str
    illustrative: bool
    original_filename: str
    kind: str
    """"seed" (the bundled wave), "survey" (an administrator's upload) or "area" (a correction)."""
    area_code: str | None
    """For an area office's correction: the area it replaced."""
    supersedes: str | None
    superseded_by: str | None
    series: str
    """The wave_id of version 1 of this wave: every version of one survey shares it."""
    area_count: int
    programme_count: int
    status: str = "published"
    basis: str | None = None
    """What the wave is ("illustrative", "reported", "corrected"); None: stored before 0006."""
    reproduces: str | None = None
    """The published report it is tied to (landscape.model.wave_kind.REPORTS), if any."""
    provenance_mix: dict[str, int] | None = None
    """Its values by provenance, as recorded when published; None: stored before 0008."""
    report_differs: tuple[str, ...] | None = None
    """The figures of its report it no longer gives, as recorded when published."""
    round_period: str | None = None
    """The survey period of the round the wave (or version 1 of it) was published from, if any."""

    @property
    def wave_kind(self) -> WaveKind:
        return recorded_kind(
            self.basis,
            self.reproduces,
            illustrative=self.illustrative,
            seed=self.kind == "seed",
            corrects=self.supersedes is not None,
            mix=self.provenance_mix,
            differs=self.report_differs,
        )

    @property
    def is_current_version(self) -> bool:
        return self.superseded_by is None

    @property
    def title(self) -> str:
        """How pickers show the wave, e.g. "APCC 2025 survey (illustrative) v2"."""
        return self.label if self.version == 1 else f"{self.label} v{self.version}"

    def info(self) -> WaveInfo:
        from landscape.model.landscape import WaveInfo

        return WaveInfo(
            wave_id=self.wave_id,
            label=self.label,
            survey_date=self.survey_date,
            illustrative=self.illustrative,
            version=self.version,
        )


# --- wave rows -------------------------------------------------------------------------------


def wave_pk(wave_id: str) -> int:
    """The primary key a wave id names (ids are the key as text); not a key: `WaveNotFound`."""
    try:
        return int(wave_id)
    except (TypeError, ValueError):
        raise WaveNotFound(str(wave_id)) from None


def wave_records(conn: sa.Connection) -> list[WaveRecord]:
    """Every wave row, oldest first, with its place in its chain of versions."""
    rows = conn.execute(sa.select(waves).order_by(waves.c.id)).mappings().all()
    periods = {
        wave_pk: period
        for wave_pk, period in conn.execute(
            sa.select(survey_rounds.c.wave_id, survey_rounds.c.period).where(
                survey_rounds.c.wave_id.is_not(None)
            )
        ).all()
    }
    superseded_by = {row["supersedes_id"]: row["id"] for row in rows if row["supersedes_id"]}
    parent = {row["id"]: row["supersedes_id"] for row in rows}

    def root(pk: int) -> int:
        while parent.get(pk):
            pk = parent[pk]
        return pk

    return [
        WaveRecord(
            wave_id=str(row["id"]),
            label=row["label"],
            survey_date=row["survey_date"],
            version=row["version"],
            uploaded_by=row["uploaded_by"],
            uploaded_at=row["uploaded_at"],
            sha256=row["sha256"],
            illustrative=bool(row["illustrative"]),
            original_filename=row["original_filename"],
            kind=row["kind"],
            area_code=row["area_code"],
            supersedes=str(row["supersedes_id"]) if row["supersedes_id"] else None,
            superseded_by=str(superseded_by[row["id"]]) if row["id"] in superseded_by else None,
            series=str(root(row["id"])),
            area_count=row["area_count"],
            programme_count=row["programme_count"],
            status=row["status"],
            basis=row.get("basis"),
            reproduces=row.get("reproduces"),
            provenance_mix=row.get("provenance_mix"),
            report_differs=tuple(row["report_differs"]) if row.get("report_differs") else None,
            round_period=periods.get(row["id"], periods.get(root(row["id"]))),
        )
        for row in rows
    ]


def current_of(records: list[WaveRecord]) -> WaveRecord | None:
    """The latest version of the most recently started wave."""
    heads = [r for r in records if r.is_current_version]
    return max(heads, key=lambda r: int(r.series), default=None)


# --- survey records --------------------------------------------------------------------------


def insert_records(conn: sa.Connection, wave_pk: int, survey: Survey) -> None:
    """Store every row of `survey` under the wave `wave_pk`, keeping the upload's order."""
    area_rows = [
        {
            "wave_id": wave_pk,
            "position": position,
            "area_code": record["area_code"],
            "record": record,
        }
        for position, record in enumerate(frame_records(AREAS, survey.areas))
    ]
    programme_rows = [
        {
            "wave_id": wave_pk,
            "position": position,
            "area_code": record["area_code"],
            "programme_name": record["programme_name"],
            "record": record,
        }
        for position, record in enumerate(frame_records(PROGRAMMES, survey.programmes))
    ]
    provenance_rows = [
        {"wave_id": wave_pk, "position": position, "record": record}
        for position, record in enumerate(frame_records(PROVENANCE, survey.provenance))
    ]
    if area_rows:
        conn.execute(area_answers.insert(), area_rows)
    if programme_rows:
        conn.execute(programme_records.insert(), programme_rows)
    if provenance_rows:
        conn.execute(provenance_records.insert(), provenance_rows)


def load_survey(conn: sa.Connection, wave_pk: int) -> Survey:
    """The survey stored as wave `wave_pk`, rows in their upload order."""
    if conn.execute(sa.select(waves.c.id).where(waves.c.id == wave_pk)).one_or_none() is None:
        raise WaveNotFound(str(wave_pk))
    areas = conn.execute(
        sa.select(area_answers.c.record)
        .where(area_answers.c.wave_id == wave_pk)
        .order_by(area_answers.c.position)
    ).scalars()
    programmes = conn.execute(
        sa.select(programme_records.c.record)
        .where(programme_records.c.wave_id == wave_pk)
        .order_by(programme_records.c.position)
    ).scalars()
    provenance = conn.execute(
        sa.select(provenance_records.c.record)
        .where(provenance_records.c.wave_id == wave_pk)
        .order_by(provenance_records.c.position)
    ).scalars()
    return stored_survey(list(areas), list(programmes), list(provenance))


def stored_survey(
    areas: Sequence[Mapping[str, Any]],
    programmes: Sequence[Mapping[str, Any]],
    provenance: Sequence[Mapping[str, Any]] = (),
) -> Survey:
    """`Survey.from_records` for the JSON records `frame_records` wrote, a column at a time."""
    return Survey(
        stored_frame(AREAS, areas),
        stored_frame(PROGRAMMES, programmes),
        stored_frame(PROVENANCE, provenance),
    )


def stored_frame(sheet: Sheet, records: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The typed table (`landscape.survey.typed_frame`'s contract and result) of stored records.

    Each column is read out of all the records at once and typed in one step, and the frame is
    made once from the typed columns: typed_frame's row-wise frame plus per-cell checks cost
    ~30% of loading a 750-programme wave. Stored records are already JSON-typed (None for a blank,
    lists in the choices' order), so each cell needs only the cheap part of typed_frame's rule."""
    columns: dict[str, Any] = {"area_code": [record.get("area_code") for record in records]}
    for column in sheet.columns:
        if column.name == "force_area":
            continue
        values = [record.get(column.name) for record in records]
        columns[column.name] = _typed_column(column, values)
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(records)))
    frame["area_code"] = frame["area_code"].astype(object)
    return frame


def _typed_column(column: Column, values: list[Any]) -> Any:
    if column.kind is Kind.CHOICES:
        canonical: dict[tuple[str, ...], tuple[str, ...]] = {}  # few distinct answers a column
        cells = []
        for value in values:
            tokens = () if is_blank(value) else tuple(value)
            if tokens not in canonical:
                canonical[tokens] = canonical_choices(column, tokens)
            cells.append(canonical[tokens])
        return pd.Series(cells, dtype=object)
    if column.kind is Kind.INTEGER:
        return pd.array([None if is_blank(v) else int(v) for v in values], dtype="Int64")
    if column.kind is Kind.NUMBER:
        return pd.to_numeric(pd.Series(values, dtype=object), errors="raise").astype("float64")
    if column.kind is Kind.DATE:
        return pd.to_datetime(pd.Series(values, dtype=object)).astype("datetime64[ns]")
    if column.former:  # a choice renamed since the wave was stored: read in today's wording
        current = [None if is_blank(v) else column.current(str(v)) for v in values]
        return pd.Series(current, dtype=object)
    return pd.Series(
        [v if isinstance(v, str) and v.strip() else _text(v) for v in values], dtype=object
    )


def _text(value: Any) -> str | None:
    return None if is_blank(value) else str(value)


def frame_records(sheet: Sheet, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-safe records of a typed survey table (the inverse of `Survey.from_records`)."""
    kinds = {c.name: c.kind for c in sheet.columns if c.name != "force_area"}
    records = []
    for row in frame.to_dict(orient="records"):
        record: dict[str, Any] = {"area_code": str(row["area_code"])}
        for name, kind in kinds.items():
            record[name] = json_value(kind, row.get(name))
        records.append(record)
    return records


def json_value(kind: Kind, value: Any) -> Any:
    """One typed cell as JSON: lists for choices, None for missing or non-finite numbers."""
    if kind is Kind.CHOICES:
        return list(value) if isinstance(value, (tuple, list)) else []
    if value is None or (not isinstance(value, (tuple, list)) and pd.isna(value)):
        return None
    if kind is Kind.INTEGER:
        return int(value)
    if kind is Kind.NUMBER:
        number = float(value)
        return number if math.isfinite(number) else None
    if kind is Kind.DATE:
        return pd.Timestamp(value).isoformat()
    return str(value)


def records_for(survey: Survey) -> Mapping[str, list[dict[str, Any]]]:
    """The JSON records a survey is stored as, per sheet (for tests and diagnostics)."""
    return {
        AREAS.name: frame_records(AREAS, survey.areas),
        PROGRAMMES.name: frame_records(PROGRAMMES, survey.programmes),
        PROVENANCE.name: frame_records(PROVENANCE, survey.provenance),
    }
