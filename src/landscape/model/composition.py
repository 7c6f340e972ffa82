"""A wave's kind from its values: how many answers are of each provenance, and whether the wave
still gives the figures of the report it is tied to.

The store calls `kind_of_wave` when it publishes a wave and records the result; a wave stored
before that record existed is completed from its values when read (`complete_kind`). Views
count their own values (`view_mix`) from a per-record tally made once a wave (`record_mix`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landscape.model.landscape import Landscape
from landscape.model.published import differing_figures
from landscape.model.wave_kind import ProvenanceMix, WaveKind
from landscape.schema import AREAS, PROGRAMMES, ValueProvenance

KINDS = tuple(kind.value for kind in ValueProvenance)
RECORD_MIX_COLUMNS = ("sheet", "area_code", "programme_key", *KINDS)


def provenance_mix(model: Landscape) -> ProvenanceMix:
    """Counts of the model's values (answers) by the kind that holds for the whole answer (a list
    answer a source states only in part counts as its other options' kind)."""
    counts = _whole_kinds(model.value_provenance).value_counts()
    return ProvenanceMix.from_counts({str(k): int(v) for k, v in counts.items()})


def _whole_kinds(values: pd.DataFrame) -> pd.Series:
    if "others" not in values.columns:
        return values["provenance"]
    return values["others"].where(values["others"].notna(), values["provenance"])


def kind_of_wave(model: Landscape, *, report: str | None, corrects: bool = False) -> WaveKind:
    """The kind a wave's values give it; `report`: the report it is tied to and checked against."""
    mix = provenance_mix(model)
    differs = differing_figures(model) if report else ()
    return WaveKind(mix.basis, report, mix, differs, corrects)


def complete_kind(kind: WaveKind, model: Landscape) -> WaveKind:
    """A recorded kind with its values counted: a kind recorded before its mix was (store
    migration 0008) is derived afresh from the wave's values; one recorded since is as stored."""
    if kind.mix is not None:
        return kind
    return kind_of_wave(model, report=kind.reproduces, corrects=kind.corrects)


def record_mix(model: Landscape) -> pd.DataFrame:
    """Per record (an area's answers, one programme's answers): counts of its values by
    provenance. Made once a wave: a view's mix sums the rows of its records (`view_mix`)."""
    values = model.value_provenance
    if not len(values):
        return pd.DataFrame(columns=list(RECORD_MIX_COLUMNS))
    keyed = pd.DataFrame(
        {
            "sheet": values["sheet"],
            "area_code": values["area_code"],
            "programme_key": [_programme_key(n) for n in values["programme_name"]],
            "provenance": _whole_kinds(values),
        }
    )
    counts = (
        keyed.groupby(["sheet", "area_code", "programme_key", "provenance"], dropna=False)
        .size()
        .unstack("provenance", fill_value=0)
        .reindex(columns=list(KINDS), fill_value=0)
        .reset_index()
    )
    return counts[list(RECORD_MIX_COLUMNS)]


def view_mix(records: pd.DataFrame, view: Landscape) -> ProvenanceMix:
    """The mix of the values of the view's areas (area answers) and programmes, from the whole
    wave's `record_mix`."""
    if not len(records):
        return ProvenanceMix()
    area_rows = (records["sheet"] == AREAS.name).to_numpy() & records["area_code"].isin(
        view.areas.index
    ).to_numpy()
    kept = set(
        zip(
            view.programmes["area_code"],
            (_programme_key(n) for n in view.programmes["programme_name"]),
            strict=True,
        )
    )
    programme_rows = (records["sheet"] == PROGRAMMES.name).to_numpy() & np.fromiter(
        (
            (code, key) in kept
            for code, key in zip(records["area_code"], records["programme_key"], strict=True)
        ),
        dtype=bool,
        count=len(records),
    )
    chosen = records[area_rows | programme_rows]
    return ProvenanceMix.from_counts({kind: int(chosen[kind].sum()) for kind in KINDS})


def provenance_table(records: pd.DataFrame, view: Landscape) -> pd.DataFrame:
    """The view's values by provenance, for area answers, programme answers and all values."""
    mixes = {
        label: view_mix(records[records["sheet"] == sheet], view)
        if len(records)
        else ProvenanceMix()
        for label, sheet in (("Area answers", AREAS.name), ("Programme answers", PROGRAMMES.name))
    }
    mixes["All values"] = sum(mixes.values(), ProvenanceMix())
    rows = [{"values": label, **mix.by_kind()} for label, mix in mixes.items()]
    frame = pd.DataFrame(rows, columns=["values", *KINDS])
    frame["total"] = frame[list(KINDS)].sum(axis=1)
    frame["cite a public source"] = frame["Published"] + frame["Sourced"]
    return frame


def _programme_key(name: object) -> str:
    return "" if name is None or (isinstance(name, float) and name != name) else str(name)
