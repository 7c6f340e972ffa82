"""Cached data access for the pages: waves, the landscape model per wave and filter, tables.

Work is cached at the level it varies: the survey and model once per wave (`cache_resource`, shared
and never mutated), the filtered model once per filter choice, and each breakdown table once per
(filter, function, arguments). A rerun after a filter change therefore filters an in-memory model
and derives a few small tables; a rerun without one does almost nothing.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd
import streamlit as st

from landscape import paths
from landscape.model import breakdowns
from landscape.model.landscape import Landscape, WaveInfo, build_landscape
from landscape.survey import Survey

FilterKey = tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]
"""(wave_id, countries, regions, programme_types); empty tuples mean "all"."""


@dataclass(frozen=True)
class Wave:
    """What the pages need to know about a stored wave (mirrors landscape.store.WaveRecord)."""

    wave_id: str
    label: str
    survey_date: datetime.date | None
    version: int
    uploaded_by: str | None
    uploaded_at: datetime.datetime | None
    sha256: str | None
    illustrative: bool
    superseded_by: str | None = None
    """The wave_id of the version that corrected this one (None: the current version)."""

    @property
    def title(self) -> str:
        """How pickers show the wave: its label, with the version and whether it was corrected."""
        title = self.label if self.version == 1 else f"{self.label} v{self.version}"
        return title if self.superseded_by is None else f"{title} (superseded)"


class WaveSource(Protocol):
    def list_waves(self) -> list[Any]: ...

    def load_survey(self, wave_id: str) -> Survey: ...


class BundledWave:
    """The bundled illustrative workbook as a one-wave source (used when no store is available)."""

    wave_id = "apcc-2025-illustrative"

    def list_waves(self) -> list[Wave]:
        content = paths.BUNDLED_WAVE.read_bytes()
        return [
            Wave(
                wave_id=self.wave_id,
                label="APCC 2025 survey (illustrative)",
                survey_date=datetime.date(2025, 3, 7),
                version=1,
                uploaded_by="bundled with the project",
                uploaded_at=None,
                sha256=hashlib.sha256(content).hexdigest(),
                illustrative=True,
            )
        ]

    def load_survey(self, wave_id: str) -> Survey:
        from landscape.intake.validate import load_survey

        return load_survey(paths.BUNDLED_WAVE.read_bytes(), paths.BUNDLED_WAVE.name)


def _wave_source() -> WaveSource:
    """Where waves come from: THE one place to change (the store; else the bundled workbook)."""
    try:
        from landscape.store import open_store
    except ImportError:
        return BundledWave()
    return open_store()  # type: ignore[no-any-return]


@st.cache_resource(show_spinner=False)
def wave_source() -> WaveSource:
    return _wave_source()


@st.cache_data(ttl=60, show_spinner=False)
def waves() -> list[Wave]:
    """Every wave, oldest first (refreshed at least once a minute, or by refresh_waves)."""
    records = wave_source().list_waves()
    return [
        Wave(
            wave_id=str(r.wave_id),
            label=str(r.label),
            survey_date=getattr(r, "survey_date", None),
            version=int(getattr(r, "version", 1) or 1),
            uploaded_by=getattr(r, "uploaded_by", None),
            uploaded_at=getattr(r, "uploaded_at", None),
            sha256=getattr(r, "sha256", None),
            illustrative=bool(getattr(r, "illustrative", False)),
            superseded_by=getattr(r, "superseded_by", None),
        )
        for r in records
    ]


def refresh_waves() -> None:
    """Call after publishing a wave so that the wave selector offers it at once."""
    waves.clear()
    latest_wave_id.clear()


def wave_by_id(wave_id: str) -> Wave:
    for wave in waves():
        if wave.wave_id == wave_id:
            return wave
    raise KeyError(wave_id)


@st.cache_data(ttl=60, show_spinner=False)
def latest_wave_id() -> str:
    """The current wave, chosen as the store chooses it: the latest version of the most recently
    started wave (a correction of an older wave published later does not become "latest")."""
    listed = waves()
    if not listed:
        raise LookupError("No survey wave is stored yet.")
    ids = [w.wave_id for w in listed]
    source = wave_source()
    latest = getattr(source, "latest_wave_id", None)
    chosen = latest() if callable(latest) else None
    if chosen is not None and str(chosen) in ids:
        return str(chosen)
    current = [w for w in listed if w.superseded_by is None]
    return (current or listed)[-1].wave_id


def previous_wave_id(wave_id: str) -> str | None:
    """The wave listed just before `wave_id` (every version counts as a wave), if any."""
    ids = [w.wave_id for w in waves()]
    position = ids.index(wave_id) if wave_id in ids else -1
    return ids[position - 1] if position > 0 else None


@st.cache_resource(show_spinner="Loading the survey wave...", max_entries=8)
def model(wave_id: str) -> Landscape:
    """The landscape model of one wave (shared by every session: never mutate it)."""
    wave = wave_by_id(wave_id)
    survey = wave_source().load_survey(wave_id)
    info = WaveInfo(
        wave_id=wave.wave_id,
        label=wave.label,
        survey_date=wave.survey_date,
        illustrative=wave.illustrative,
        version=wave.version,
    )
    built = build_landscape(survey, info)
    if not info.illustrative and (
        built.areas["illustrative"].any() or built.programmes["illustrative"].any()
    ):
        # a wave holding any invented record is illustrative, whatever its label says
        built = build_landscape(
            survey,
            WaveInfo(info.wave_id, info.label, info.survey_date, True, info.version),
        )
    return built


@st.cache_resource(show_spinner=False, max_entries=64)
def filtered(key: FilterKey) -> Landscape:
    """The wave's model narrowed to the chosen countries, regions and programme types."""
    wave_id, countries, regions, programme_types = key
    full = model(wave_id)
    if not (countries or regions or programme_types):
        return full
    return full.filter(
        countries=countries or None,
        regions=regions or None,
        programme_types=programme_types or None,
    )


@st.cache_data(show_spinner=False, max_entries=512)
def table(key: FilterKey, name: str, *args: Any) -> Any:
    """`landscape.breakdowns.<name>(filtered model, *args)`, cached per filter and arguments."""
    function: Callable[..., Any] = getattr(breakdowns, name)
    return function(filtered(key), *args)


@st.cache_data(show_spinner=False, max_entries=64)
def figure_check(key: FilterKey) -> pd.DataFrame:
    """Published APCC figures beside the computed ones (landscape.published.check_figures)."""
    from landscape.model.published import check_figures

    return check_figures(filtered(key))


@st.cache_data(show_spinner=False, max_entries=64)
def measures(key: FilterKey) -> dict[str, Any]:
    """Every named measure of the filtered model, by id."""
    from landscape.model.measures import MEASURES

    return {name: measure(filtered(key)) for name, measure in MEASURES.items()}


@st.cache_resource(show_spinner=False, max_entries=256)
def chart(key: FilterKey, name: str, builder: str, *args: Any, **options: Any) -> Any:
    """`landscape.charts.<builder>` over a cached breakdown (shared: never mutate it)."""
    from landscape.figures import charts

    frame = table(key, name, *args)
    return getattr(charts, builder)(frame, **options)


@st.cache_resource(show_spinner=False, max_entries=32)
def comparison(before: FilterKey, after: FilterKey) -> Any:
    """`landscape.diff.compare_waves` of two filtered models (shared: never mutate it)."""
    from landscape.model.diff import compare_waves

    return compare_waves(filtered(before), filtered(after))


@st.cache_resource(show_spinner=False, max_entries=32)
def comparison_chart(before: FilterKey, after: FilterKey, titles: tuple[str, str]) -> Any:
    """Areas per stalking category in the two waves, side by side (shared: never mutate it)."""
    from landscape.figures import charts

    frame = comparison(before, after).categories_by_wave()
    return charts.grouped_share_bars(
        frame,
        category="category",
        group="wave",
        count="areas",
        title=f"Areas per stalking category: {titles[0]} and {titles[1]}",
        x_title="Force areas",
        group_order=("Earlier wave", "Later wave"),
    )


@st.cache_data(show_spinner=False, max_entries=128)
def area_changes(before: FilterKey, after: FilterKey, area_code: str) -> pd.DataFrame:
    """`landscape.diff.area_changes` of one area between two filtered models."""
    from landscape.model.diff import area_changes as changes

    return changes(filtered(before), filtered(after), area_code)


@st.cache_data(show_spinner=False)
def data_dictionary() -> pd.DataFrame:
    from landscape.intake.dictionary import data_dictionary as build

    return build()


@st.cache_resource(show_spinner=False, max_entries=16)
def stalking_map(wave_id: str, view: str) -> Any:
    """The stalking-provision map of all 43 areas (geographic or tiles) for one wave."""
    from landscape.figures import maps

    full = model(wave_id)
    return maps.area_map(
        breakdowns.stalking_categories(full),
        view=view,  # type: ignore[arg-type]
        illustrative=full.areas["illustrative"],
        category_order=breakdowns.STALKING_CATEGORIES,
    )


@st.cache_data(show_spinner=False, max_entries=16)
def stalking_map_table(wave_id: str) -> pd.DataFrame:
    from landscape.figures import maps

    full = model(wave_id)
    return maps.map_table(breakdowns.stalking_categories(full), full.areas["illustrative"])


@st.cache_resource(show_spinner=False, max_entries=128)
def ranked_chart(
    key: FilterKey, area_code: str, peers: tuple[str, ...], measure: str, label: str
) -> Any:
    """One area beside its peers, ranked on one of ranked_feature_counts' measures (shared)."""
    from landscape.figures import charts

    counts = table(key, "ranked_feature_counts")
    chosen = counts[counts["area_code"].isin([area_code, *peers])]
    name = str(filtered(key).areas.at[area_code, "display_name"])
    return charts.ranked_bars(
        chosen,
        category="area",
        value=measure,
        highlight=name,
        title=f"{label}: {name} (▶) and its peers",
        x_title=label,
    )
