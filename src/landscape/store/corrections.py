"""Corrections: which wave an upload corrects, and the survey an area office's correction makes.

A correction is a new version of a wave that supersedes the earlier one (which stays readable).
An administrator's correction replaces the whole wave; an area office's replaces its own area's
row and programmes in the current wave and keeps everything else.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from landscape.schema import AREAS, PROGRAMMES, PROVENANCE
from landscape.store.access import Principal, Role
from landscape.store.errors import StoreError, WaveNotFound
from landscape.store.records import WaveRecord, current_of, frame_records, load_survey
from landscape.survey import Survey


def correction_target(
    records: list[WaveRecord], principal: Principal, corrects: str | None
) -> WaveRecord | None:
    """The wave an upload would supersede: for an area office always the current wave; for an
    administrator the one `corrects` names (None: the upload starts a new wave)."""
    if principal.role is Role.AREA:
        current = current_of(records)
        if current is None:
            raise StoreError("There is no published wave to correct yet.")
        if corrects is not None and str(corrects) != current.wave_id:
            raise StoreError(
                f"An area office corrects the current wave ({current.title}); "
                f"wave {corrects} cannot be changed."
            )
        return current
    if corrects is None:
        return None
    target = next((r for r in records if r.wave_id == str(corrects)), None)
    if target is None:
        raise WaveNotFound(str(corrects))
    if target.superseded_by is not None:
        raise StoreError(
            f"Wave {target.wave_id} has already been corrected by wave {target.superseded_by}; "
            f"correct that newer version instead."
        )
    return target


def compose(
    conn: sa.Connection, principal: Principal, uploaded: Survey, target: WaveRecord | None
) -> Survey:
    """The survey publishing `uploaded` would store: as uploaded, or the target corrected."""
    if principal.role is Role.ADMIN or target is None:
        return uploaded
    return apply_area_correction(
        load_survey(conn, int(target.wave_id)), uploaded, str(principal.area_code)
    )


def apply_area_correction(base: Survey, correction: Survey, area_code: str) -> Survey:
    """`base` with `area_code`'s Areas row, programmes and Provenance entries replaced by those in
    `correction`.

    The area's row keeps its place; its programmes take the place of its old ones (or go last).
    """
    new_row = correction.areas[correction.areas["area_code"] == area_code]
    areas = base.areas
    if (areas["area_code"] == area_code).any():
        position = int((areas["area_code"] == area_code).to_numpy().argmax())
        areas = pd.concat(
            [areas.iloc[:position], new_row, areas.iloc[position + 1 :]], ignore_index=True
        )
    else:
        areas = pd.concat([areas, new_row], ignore_index=True)
    own = base.programmes["area_code"] == area_code
    new_programmes = correction.programmes[correction.programmes["area_code"] == area_code]
    position = int(own.to_numpy().argmax()) if own.any() else len(base.programmes)
    kept = base.programmes[~own]
    before = kept.iloc[: int((~own).iloc[:position].sum())]
    after = kept.iloc[len(before) :]
    programmes = pd.concat([before, new_programmes, after], ignore_index=True)
    # per-value provenance follows its rows: the other areas' entries kept, the area's replaced
    kept_provenance = base.provenance[base.provenance["area_code"] != area_code]
    new_provenance = correction.provenance[correction.provenance["area_code"] == area_code]
    provenance = pd.concat([kept_provenance, new_provenance], ignore_index=True)
    return Survey.from_records(
        frame_records(AREAS, areas),
        frame_records(PROGRAMMES, programmes),
        frame_records(PROVENANCE, provenance),
    )
