"""The pages' one door to the data: a thin cached facade, one typed function per thing shown.

Every public function here names one table, chart or finding a page shows and returns it typed
(`pd.DataFrame`, `go.Figure`, a domain dataclass); the work is a domain call (landscape.model,
landscape.figures) and this module only caches it. Work is cached at the level it varies: the
survey and model once per wave (`cache_resource`, shared and never mutated), the filtered model
once per `FilterKey`, and each table, chart or finding once per key and arguments (`ui.memo`:
shared too, so never mutated either). A rerun after a filter change therefore filters an
in-memory model and derives a few small tables; a rerun without one does almost nothing.

Charts bind a breakdown's columns to a builder's parameters: that wiring is the one place the
names of derived-table columns appear on the Streamlit side.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from landscape.figures import charts, map_svg, maps
from landscape.figures.picture import Picture
from landscape.model import (
    breakdowns,
    composition,
    findings,
    profile,
    provenance,
    questions,
    report,
    wave_change,
    wave_words,
)
from landscape.model.diff import WaveComparison, compare_waves
from landscape.model.diff import area_changes as diff_area_changes
from landscape.model.landscape import Landscape, WaveInfo, build_landscape
from landscape.model.measures import ALL_MEASURES, Figure
from landscape.model.published import (
    FigureBasis,
    check_for_wave,
    figure_basis,
    figure_statements,
    wave_basis,
)
from landscape.model.reference_date import ReferenceDate, wave_reference_date
from landscape.model.wave_kind import ProvenanceMix, WaveKind, recorded_kind
from landscape.schema import ProgrammeType
from landscape.survey import Survey
from ui.memo import memo


@dataclass(frozen=True)
class FilterKey:
    """One view of one wave: the cache key of everything derived from it (hashable).

    Empty tuples mean "all"; the sidebar's `Filters.key` makes one.
    """

    wave_id: str
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    programme_types: tuple[str, ...] = ()

    @property
    def narrowed(self) -> bool:
        return bool(self.countries or self.regions or self.programme_types)

    def whole_wave(self) -> FilterKey:
        """The same wave with no filter (the About page and the report check use all of it)."""
        return FilterKey(self.wave_id)

    def in_wave(self, wave_id: str) -> FilterKey:
        """The same filters applied to another wave (for comparing waves)."""
        return dataclasses.replace(self, wave_id=wave_id)


@dataclass(frozen=True)
class Chart:
    """A chart and the exact table behind it (shared from the cache: never mutate either)."""

    figure: go.Figure
    table: pd.DataFrame


@dataclass(frozen=True)
class Wave:
    """What the pages need to know about a stored wave (mirrors landscape.store's WaveRecord)."""

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
    basis: str | None = None
    """Illustrative, reported, sourced or mixed (landscape.model.wave_kind); None: not recorded."""
    reproduces: str | None = None
    """The published report the wave is tied to, if any."""
    kind: WaveKind | None = None
    """The kind as the store recorded it (its values' mix, the report figures it no longer
    gives); None: only `basis` and `reproduces` are known (a fixed test source)."""
    round_period: str | None = None
    """The survey period of the round it was published from, if any."""

    @property
    def wave_kind(self) -> WaveKind:
        if self.kind is not None:
            return self.kind
        return recorded_kind(
            self.basis,
            self.reproduces,
            illustrative=self.illustrative,
            seed=False,
            corrects=self.version > 1,
        )

    @property
    def title(self) -> str:
        """How pickers show the wave: its label, with the version and whether it was corrected."""
        title = self.label if self.version == 1 else f"{self.label} v{self.version}"
        return title if self.superseded_by is None else f"{title} (superseded)"


class WaveRecordLike(Protocol):
    """The fields of a stored wave record that the dashboard reads."""

    @property
    def wave_id(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def survey_date(self) -> datetime.date | None: ...
    @property
    def version(self) -> int: ...
    @property
    def uploaded_by(self) -> str | None: ...
    @property
    def uploaded_at(self) -> datetime.datetime | None: ...
    @property
    def sha256(self) -> str | None: ...
    @property
    def illustrative(self) -> bool: ...
    @property
    def superseded_by(self) -> str | None: ...
    @property
    def wave_kind(self) -> WaveKind: ...
    @property
    def round_period(self) -> str | None: ...


class WaveSource(Protocol):
    def list_waves(self) -> Sequence[WaveRecordLike]: ...

    def load_survey(self, wave_id: str) -> Survey: ...


@runtime_checkable
class KnowsLatestWave(Protocol):
    """A source that chooses its own latest wave (the store does; a fixed test source need not)."""

    def latest_wave_id(self) -> str | None: ...


def _wave_source() -> WaveSource:
    """Where waves come from: THE one place to change (tests replace it with a fixed source)."""
    from ui.store import store

    source: WaveSource = store()
    return source


@runtime_checkable
class KnowsWaveVersion(Protocol):
    """A source that stamps its waves (the store: its newest wave row's id); a fixed test source
    need not, and is then never re-read."""

    def wave_version(self) -> int: ...


@st.cache_resource(show_spinner=False)
def wave_source() -> WaveSource:
    return _wave_source()


def wave_version() -> int:
    """The store's stamp, asked afresh on every call: the wave caches below are keyed by it, not
    by the life of this process, so a wave another dashboard process (or the CLI) published on
    the same database is shown on this process's next page load."""
    source = wave_source()
    return source.wave_version() if isinstance(source, KnowsWaveVersion) else 0


def _stamp_or_now(version: int | None) -> int:
    """`version`, a stamp the caller already read this rerun (Filters.stamp), or asked now."""
    return wave_version() if version is None else version


def waves(version: int | None = None) -> list[Wave]:
    """Every wave, oldest first, as of the store's stamp `version` (by default asked now; a page
    passes the one its sidebar read, Filters.stamp)."""
    return _waves(_stamp_or_now(version))


def wave_listing(version: int | None = None) -> tuple[list[Wave], str]:
    """Every wave (oldest first) and the current one ("" when none is stored), both as of one
    stamp (`version`, by default asked now): the sidebar's needs in one query, not two."""
    version = _stamp_or_now(version)
    listed = _waves(version)
    return listed, (_latest_wave_id(version) if listed else "")


@memo(4)
def _waves(version: int) -> list[Wave]:
    return [
        Wave(
            wave_id=str(r.wave_id),
            label=str(r.label),
            survey_date=r.survey_date,
            version=int(r.version or 1),
            uploaded_by=r.uploaded_by,
            uploaded_at=r.uploaded_at,
            sha256=r.sha256,
            illustrative=bool(r.illustrative),
            superseded_by=r.superseded_by,
            basis=r.wave_kind.basis.value,
            reproduces=r.wave_kind.reproduces,
            kind=r.wave_kind,
            round_period=r.round_period,
        )
        for r in wave_source().list_waves()
    ]


def refresh_waves() -> None:
    """Forget the listed waves (a new wave version already re-keys them; this also covers a
    source without versions)."""
    _waves.clear()
    _latest_wave_id.clear()
    _wave_verification.clear()
    _wave_table.clear()


def wave_by_id(wave_id: str) -> Wave:
    for wave in waves():
        if wave.wave_id == wave_id:
            return wave
    raise KeyError(wave_id)


def latest_wave_id() -> str:
    """The current wave, chosen as the store chooses it: the latest version of the most recently
    started wave (a correction of an older wave published later does not become "latest")."""
    return _latest_wave_id(wave_version())


@memo(4)
def _latest_wave_id(version: int) -> str:
    listed = _waves(version)
    if not listed:
        raise LookupError("No survey wave is stored yet.")
    ids = [w.wave_id for w in listed]
    source = wave_source()
    chosen = source.latest_wave_id() if isinstance(source, KnowsLatestWave) else None
    if chosen is not None and str(chosen) in ids:
        return str(chosen)
    current = [w for w in listed if w.superseded_by is None]
    return (current or listed)[-1].wave_id


def previous_wave_id(wave_id: str, version: int | None = None) -> str | None:
    """The wave listed just before `wave_id` (every version counts as a wave), if any, as of
    the store's stamp `version` (by default asked now)."""
    ids = [w.wave_id for w in waves(version)]
    position = ids.index(wave_id) if wave_id in ids else -1
    return ids[position - 1] if position > 0 else None


def wave_table(version: int | None = None) -> pd.DataFrame:
    """Every stored wave: label, id, version, date, illustrative or not, uploader, time, hash;
    made once per store stamp (`version`, by default asked now) and verification (shared: never
    mutate it)."""
    stamp = _stamp_or_now(version)
    return _wave_table(stamp, tuple(wave_verification().items()))


@memo(8)
def _wave_table(version: int, verified: tuple[tuple[str, bool], ...]) -> pd.DataFrame:
    checked = dict(verified)
    return findings.wave_table(
        {
            "wave": w.label,
            "wave_id": w.wave_id,
            "version": w.version,
            "survey_date": w.survey_date,
            "illustrative": w.illustrative,
            "uploaded_by": w.uploaded_by,
            "uploaded_at": w.uploaded_at,
            "sha256": w.sha256,
            "verified": _verification_words(checked.get(w.wave_id)),
        }
        for w in _waves(version)
    )


@runtime_checkable
class VerifiesWaves(Protocol):
    """A source that can recompute its waves' chained content hashes (the store can)."""

    def verified_waves(self) -> dict[str, bool]: ...


VERIFY_EVERY_SECONDS = 60


def wave_verification() -> dict[str, bool]:
    """wave_id -> whether its stored content still matches its published hash (empty: the
    source cannot tell). Recomputed at least once a minute (shared: never mutate it)."""
    return _wave_verification(int(time.monotonic() // VERIFY_EVERY_SECONDS))


@memo(2)
def _wave_verification(minute: int) -> dict[str, bool]:
    """wave_verification, once per minute of the clock (`minute`): a new minute is a new key."""
    source = wave_source()
    return source.verified_waves() if isinstance(source, VerifiesWaves) else {}


def wave_verified(wave_id: str) -> bool | None:
    """Whether the wave verifies; None when the source cannot tell."""
    return wave_verification().get(wave_id)


def verification_text(wave_id: str) -> str:
    """A wave's verification as the dashboard states it: verified, NOT verified or not checked."""
    return _verification_words(wave_verified(wave_id))


def _verification_words(verified: bool | None) -> str:
    return "not checked" if verified is None else ("verified" if verified else "NOT verified")


# --- the model of a wave and of a view ---------------------------------------------------------


@st.cache_resource(show_spinner="Loading the survey wave...", max_entries=8)
def model(wave_id: str) -> Landscape:
    """The landscape model of one wave (shared by every session: never mutate it)."""
    wave = wave_by_id(wave_id)
    info = WaveInfo(
        wave_id=wave.wave_id,
        label=wave.label,
        survey_date=wave.survey_date,
        illustrative=wave.illustrative,
        version=wave.version,
    )
    return build_landscape(wave_source().load_survey(wave_id), info)


@memo(64)
def filtered(key: FilterKey) -> Landscape:
    """The wave's model narrowed to the chosen countries, regions and programme types."""
    full = model(key.wave_id)
    if not key.narrowed:
        return full
    return full.filter(
        countries=key.countries or None,
        regions=key.regions or None,
        programme_types=key.programme_types or None,
    )


# --- what every page shows ---------------------------------------------------------------------


@memo(64)
def coverage(key: FilterKey) -> breakdowns.Coverage:
    """Areas in the view, responding areas, programmes."""
    return breakdowns.coverage(filtered(key))


@memo(64)
def non_respondent_names(key: FilterKey) -> list[str]:
    return breakdowns.non_respondent_names(filtered(key))


@memo(64)
def view_mix(key: FilterKey) -> ProvenanceMix:
    """The view's values (its areas' answers and its programmes') by provenance."""
    return composition.view_mix(_record_mix(key.wave_id), filtered(key))


@memo(8)
def _record_mix(wave_id: str) -> pd.DataFrame:
    return composition.record_mix(model(wave_id))


def is_illustrative(key: FilterKey) -> bool:
    """Whether any value in the view is invented (the banner's condition)."""
    return view_mix(key).illustrative > 0


def wave_label(key: FilterKey) -> str:
    return filtered(key).wave.label


@memo(64)
def wave_kind(wave_id: str) -> WaveKind:
    """What the wave is, from its values, as the store recorded it when it was published (a wave
    recorded before its values were counted is counted now: composition.complete_kind)."""
    return composition.complete_kind(wave_by_id(wave_id).wave_kind, model(wave_id))


def ties_to_report(key: FilterKey) -> bool:
    """Whether the view's wave is tied to a published report (the 'APCC report: ... matches'
    lines and the figure check depend on it; the banner's 'calibrated' claim on `calibrated`)."""
    return wave_kind(key.wave_id).reproduces is not None


@memo(16)
def differing_statements(wave_id: str) -> tuple[str, ...]:
    """What each figure of its report the wave no longer gives says (empty: none, or untied)."""
    return figure_statements(wave_kind(wave_id).differs)


def calibrated(key: FilterKey) -> bool:
    """Whether the view's wave still gives every figure of the report it is tied to."""
    return wave_kind(key.wave_id).calibrated


@memo(256)
def headline_basis(
    key: FilterKey, figure_ids: tuple[str, ...] = (), unpublished: bool = False
) -> str:
    """The label a page headline carries: what kind of number each figure it states is.

    `unpublished`: the headline also states a figure that is no named measure (the report gives
    none); with no figure ids, that is all it states (counts of rows, an area's answers)."""
    kind = wave_kind(key.wave_id)
    if not figure_ids:
        return wave_basis(kind).text
    labels: list[str] = [wave_basis(kind).text] if unpublished else []
    for fid in figure_ids:
        basis = figure_basis(measure(key, fid), kind, whole_wave=not key.narrowed)
        if basis.text not in labels:
            labels.append(basis.text)
    return " · ".join(labels)


@memo(256)
def figure_label(key: FilterKey, figure_id: str) -> FigureBasis:
    """What kind of number one measure is in this view."""
    return figure_basis(
        measure(key, figure_id),
        wave_kind(key.wave_id),
        whole_wave=not key.narrowed,
    )


def download_about(
    key: FilterKey, basis: str, version: int | None = None
) -> tuple[tuple[str, str], ...]:
    """What every download of the view states first: wave, kind, view, provenance; as of the
    store's stamp `version` (by default asked now; a page passes the one its sidebar read)."""
    return _download_about(key, basis, _stamp_or_now(version))


@memo(256)
def _download_about(key: FilterKey, basis: str, version: int) -> tuple[tuple[str, str], ...]:
    """download_about once per view, headline and store stamp (`version`: a correction published
    since marks the wave superseded in its title); every page header asks for it."""
    wave = wave_by_id(key.wave_id)
    kind = wave_kind(key.wave_id)
    mix = view_mix(key)
    return (
        ("Wave", f"{wave.title} (wave id {wave.wave_id})"),
        ("Kind of wave", kind.describe()),
        ("View", _view_text(key)),
        ("Figures on this page", basis),
        (
            "Provenance of the values",
            f"{mix.text()}."
            + (" Do not quote an area's answers as fact." if mix.illustrative else ""),
        ),
        ("Source", source_text(key.wave_id)),
    )


@memo(16)
def method_text(wave_id: str) -> str:
    """The About page's methodology for the wave (Markdown)."""
    from ui.layout import plain

    cover = coverage(FilterKey(wave_id))
    return wave_words.method_text(
        plain(wave_by_id(wave_id).label),
        wave_kind(wave_id),
        responding=cover.responding,
        areas=cover.areas,
    )


def comparison_note(before: str, after: str) -> str:
    """What a comparison of two waves says of their kinds (empty: of one kind)."""
    return wave_words.comparison_note(wave_kind(before), wave_kind(after))


def kind_word(wave_id: str) -> str:
    return wave_words.kind_word(wave_kind(wave_id))


@memo(16)
def source_text(wave_id: str) -> str:
    """Where the wave shown comes from, as a source line says it."""
    return wave_words.source_of(wave_by_id(wave_id).label, wave_kind(wave_id))


def _view_text(key: FilterKey) -> str:
    parts = [
        f"{name}: {', '.join(values)}"
        for name, values in (
            ("countries", key.countries),
            ("regions", key.regions),
            ("programme types", key.programme_types),
        )
        if values
    ]
    return "; ".join(parts) or "all of England and Wales"


@memo(1024)
def measure(key: FilterKey, figure_id: str) -> Figure:
    """One named measure of the view (by its published figure id), made when first asked for:
    a page states two to five of them, not all (issue 13)."""
    return ALL_MEASURES[figure_id](filtered(key))


def measures(key: FilterKey) -> dict[str, Figure]:
    """Every named measure of the view, by its published figure id (a download's About lines
    name them all)."""
    return {name: measure(key, name) for name in ALL_MEASURES}


@memo(64)
def figure_check(key: FilterKey) -> pd.DataFrame:
    """Published APCC figures beside the computed ones (landscape.model.published); for a wave
    tied to no report, the same columns and no rows: there is nothing it should reproduce.
    Shared (never mutate it), so the About page converts it once."""
    return check_for_wave(filtered(key), wave_kind(key.wave_id))


@st.cache_resource(show_spinner=False)
def data_dictionary() -> pd.DataFrame:
    """The survey schema as a table (shared: never mutate it)."""
    from landscape.intake.dictionary import data_dictionary as build

    return build()


# --- answer shares: one chart per survey question a page shows ---------------------------------


@memo(256)
def _question_chart(key: FilterKey, question: questions.Question, title: str) -> Chart:
    table = questions.question_shares(filtered(key), question)
    figure = charts.share_bars(
        table,
        category="answer",
        count=question.count_column,
        title=title,
        x_title=question.out_of,
    )
    return Chart(figure, table)


def programme_type_shares(key: FilterKey, title: str) -> Chart:
    """Programmes by type."""
    return _question_chart(key, questions.PROGRAMME_TYPES, title)


def areas_by_programme_type(key: FilterKey, title: str) -> Chart:
    """Responding areas with at least one programme of each type."""
    return _question_chart(key, questions.AREAS_BY_PROGRAMME_TYPE, title)


def risk_level_shares(key: FilterKey, title: str) -> Chart:
    """Programmes by risk level served (a programme may serve several)."""
    return _question_chart(key, questions.RISK_LEVELS, title)


def cohort_shares(key: FilterKey, title: str) -> Chart:
    """Responding areas with a programme for each cohort."""
    return _question_chart(key, questions.COHORTS, title)


def accreditation_shares(key: FilterKey, title: str) -> Chart:
    """Programmes by accreditation route."""
    return _question_chart(key, questions.ACCREDITATION, title)


def funding_source_shares(key: FilterKey, title: str) -> Chart:
    return _question_chart(key, questions.FUNDING_SOURCES, title)


def continuation_plan_shares(key: FilterKey, title: str) -> Chart:
    return _question_chart(key, questions.CONTINUATION_PLANS, title)


def co_commissioning_partner_shares(key: FilterKey, title: str) -> Chart:
    return _question_chart(key, questions.CO_COMMISSIONING_PARTNERS, title)


def victim_support_shares(key: FilterKey, title: str) -> Chart:
    return _question_chart(key, questions.VICTIM_SUPPORT, title)


def risk_forum_shares(key: FilterKey, title: str) -> Chart:
    return _question_chart(key, questions.RISK_FORUMS, title)


def strategic_board_shares(key: FilterKey, title: str) -> Chart:
    return _question_chart(key, questions.STRATEGIC_BOARDS, title)


def monitoring_shares(key: FilterKey, title: str) -> Chart:
    return _question_chart(key, questions.MONITORING, title)


def stalking_standards_shares(key: FilterKey, title: str) -> Chart:
    return _question_chart(key, questions.STALKING_STANDARDS, title)


# --- availability ------------------------------------------------------------------------------


@memo(16)
def reference_date(wave_id: str) -> ReferenceDate | None:
    """The day the wave's dates are read against (reference_date.wave_reference_date: the
    report's date, the round's period end, its survey date or the day it was published), never
    the clock: a wave's figures read the same tomorrow. A function of the wave alone, kept by
    its id as `model` is (a rerun asks the store nothing for it)."""
    wave = wave_by_id(wave_id)
    return wave_reference_date(
        wave.wave_kind,
        round_period=wave.round_period,
        survey_date=wave.survey_date,
        published=wave.uploaded_at,
    )


def funding_already_ended(key: FilterKey) -> findings.EndedFunding:
    """Programmes whose recorded funding end date is already past on the wave's reference date
    (shown as past, not ahead)."""
    return _funding_already_ended(key, reference_date(key.wave_id))


@memo(64)
def _funding_already_ended(
    key: FilterKey, reference: ReferenceDate | None
) -> findings.EndedFunding:
    return findings.funding_already_ended(filtered(key), reference)


@memo(64)
def high_risk_programmes(key: FilterKey) -> findings.Share:
    return findings.high_risk_programmes(filtered(key))


@memo(64)
def early_intervention_programmes(key: FilterKey) -> findings.Share:
    return findings.early_intervention_programmes(filtered(key))


@memo(64)
def programme_types_by_area(key: FilterKey, title: str) -> Chart:
    """Programmes per responding area, stacked by type."""
    table = breakdowns.programme_types_by_area(filtered(key))
    figure = charts.stacked_bars(
        table,
        category="area",
        stack=questions.PROGRAMME_TYPES.column,
        count="programmes",
        title=title,
        x_title="Programmes",
        stack_order=tuple(t.value for t in ProgrammeType),
    )
    return Chart(figure, table)


@memo(64)
def early_intervention_table(key: FilterKey) -> pd.DataFrame:
    """Every early intervention or CAPVA programme in the view."""
    return breakdowns.early_intervention(filtered(key), _row_provenance(key.wave_id))


@memo(8)
def _row_provenance(wave_id: str) -> dict[tuple[str, str], str]:
    """breakdowns.row_provenance of the whole wave, made once (as `model`): a view looks its rows
    up here instead of narrowing the wave's per-answer table on every filter change (issue 13).
    Shared: never mutate it."""
    return breakdowns.row_provenance(model(wave_id))


# --- stalking ----------------------------------------------------------------------------------


@memo(64)
def stalking_gap(key: FilterKey) -> breakdowns.StalkingGap:
    return breakdowns.stalking_gap(filtered(key))


@memo(64)
def stalking_summary(key: FilterKey, title: str) -> Chart:
    """Areas in each stalking category."""
    table = breakdowns.stalking_summary(filtered(key))
    figure = charts.share_bars(
        table, category="category", count="areas", title=title, x_title="Force areas"
    )
    return Chart(figure, table)


MapView = Literal["geographic", "tiles"]


@memo(16)
def stalking_map(wave_id: str, view: MapView, in_view: tuple[str, ...] | None = None) -> Picture:
    """The stalking-provision map of all 43 areas (geographic or tiles) for one wave, as the
    SVG picture the page sends (no plotly on a phone); areas not `in_view` (areas_in_view)
    drawn pale grey and counted apart in the key."""
    full = model(wave_id)
    return map_svg.map_picture(
        breakdowns.stalking_categories(full),
        view=view,
        in_view=in_view,
        illustrative=full.areas["illustrative"],
        category_order=breakdowns.STALKING_CATEGORIES,
        provenance=provenance.stalking_provision_provenance(full),
    )


def areas_in_view(key: FilterKey) -> tuple[str, ...] | None:
    """The ONS codes a country or region filter keeps (None when it keeps every area)."""
    if not (key.countries or key.regions):
        return None
    return tuple(str(code) for code in filtered(key).areas.index)


@memo(16)
def stalking_map_table(wave_id: str) -> pd.DataFrame:
    full = model(wave_id)
    return maps.map_table(
        breakdowns.stalking_categories(full),
        full.areas["illustrative"],
        provenance.stalking_provision_provenance(full),
    )


# --- accreditation and evaluation --------------------------------------------------------------


@memo(64)
def accredited_share(key: FilterKey) -> breakdowns.AccreditedShare:
    return breakdowns.accredited_share(filtered(key))


@memo(64)
def evaluation_types(key: FilterKey, title: str) -> Chart:
    """Programmes by evaluation type, completed or planned."""
    table = breakdowns.evaluation_types(filtered(key))
    figure = charts.grouped_share_bars(
        table,
        category=questions.EVALUATION_TYPES.column,
        group="status",
        count="programmes",
        title=title,
        x_title="Programmes",
        group_order=("Completed", "Planned", "None"),
    )
    return Chart(figure, table)


# --- funding -----------------------------------------------------------------------------------


@memo(64)
def funding_sources_by_area(key: FilterKey) -> pd.DataFrame:
    return questions.funding_sources_by_area(filtered(key))


@memo(64)
def ho_fund_by_area(key: FilterKey) -> pd.DataFrame:
    return breakdowns.ho_fund_by_area(filtered(key))


def funding_cliff(key: FilterKey, title: str) -> Chart:
    """Programmes by the quarter their current funding ends, or ended (before the wave's
    reference date)."""
    return _funding_cliff(key, title, reference_date(key.wave_id))


@memo(64)
def _funding_cliff(key: FilterKey, title: str, reference: ReferenceDate | None) -> Chart:
    table = breakdowns.funding_cliff(filtered(key), reference)
    return Chart(charts.funding_cliff_bars(table, title=title), table)


# --- victims and governance --------------------------------------------------------------------


@memo(64)
def most_given_victim_support(key: FilterKey) -> findings.TopAnswer:
    """The victim support approach the most responding areas use."""
    return findings.most_given_answer(filtered(key), questions.VICTIM_SUPPORT)


# --- programme directory -----------------------------------------------------------------------


@memo(512)
def directory(key: FilterKey, search: str = "", sourced_only: bool = False) -> pd.DataFrame:
    """Every programme in the view; `search` keeps rows containing all its words; `sourced_only`
    keeps programmes with a field a document states."""
    return breakdowns.directory(filtered(key), search, sourced_only=sourced_only)


# --- one area and its peers --------------------------------------------------------------------


@memo(64)
def area_choices(key: FilterKey) -> profile.AreaChoices:
    return profile.area_choices(filtered(key))


def peers_for(key: FilterKey, area_code: str, choice: profile.PeerChoice) -> list[str]:
    return profile.peers_for(filtered(key), area_code, choice)


def _area_basis(key: FilterKey, area_code: str, *, programmes: bool = True) -> FilterKey:
    """The view an area's own tables really depend on: its wave and, when they read its
    programmes, the programme-type choice. A country or region filter only decides which areas
    are in the view, never an area's answers or programmes, so while the area is in the view its
    tables are those of the wave (Landscape.filter): a sidebar change that keeps it in the view
    reuses them (issue 13). An area outside the view keeps the view's key (its empty tables)."""
    if not (key.countries or key.regions) or area_code not in _view_area_codes(key):
        return key if programmes else dataclasses.replace(key, programme_types=())
    return FilterKey(key.wave_id, programme_types=key.programme_types if programmes else ())


def _peers_in_view(key: FilterKey, peers: tuple[str, ...]) -> tuple[str, ...]:
    """The peers that are among the view's areas (the only ones the view's tables count)."""
    if not (key.countries or key.regions):
        return peers
    areas = _view_area_codes(key)
    return tuple(p for p in peers if p in areas)


@functools.lru_cache(maxsize=256)
def _view_area_codes(key: FilterKey) -> frozenset[str]:
    """The view's area codes. Kept in the process, not asked of a Streamlit cache (each asking
    hashes the key, ~0.3 ms, five times a rerun of the area profile): which areas a view holds
    follows from the force-area reference alone (Landscape.filter), never from a wave's answers."""
    return frozenset(str(c) for c in filtered(key).areas.index)


@memo(16)
def jaccard_distances(key: FilterKey) -> pd.DataFrame:
    """Every responding area's distance to every other (profile.jaccard_distances), once per
    wave and programme-type choice; each view cuts it to its own areas."""
    return profile.jaccard_distances(filtered(key))


def _distances_for(key: FilterKey) -> pd.DataFrame:
    return jaccard_distances(FilterKey(key.wave_id, programme_types=key.programme_types))


@memo(128)
def peer_group(
    key: FilterKey, area_code: str, wanted: profile.PeerChoice, chosen: tuple[str, ...] = ()
) -> profile.PeerGroup:
    """The peers of the group asked for, or of the next group that has some (with a note)."""
    distances = _distances_for(key) if wanted is profile.PeerChoice.SIMILAR else None
    return profile.peer_group(filtered(key), area_code, wanted, chosen, distances)


@memo(128)
def similarity_table(key: FilterKey, area_code: str) -> pd.DataFrame:
    """The most similar areas with their Jaccard distance (profile.SIMILARITY_METHOD): the
    wave's distances cut to the view (shared: never mutate it)."""
    return profile.similarity_table(filtered(key), area_code, _distances_for(key))


def area_profile(key: FilterKey, area_code: str, peers: tuple[str, ...]) -> profile.AreaProfile:
    """The area beside its peers, made once per wave, programme types, area and peers (shared:
    never mutate it)."""
    return _area_profile(_area_basis(key, area_code), area_code, _peers_in_view(key, peers))


@memo(128)
def _area_profile(key: FilterKey, area_code: str, peers: tuple[str, ...]) -> profile.AreaProfile:
    return profile.area_profile(filtered(key), area_code, peers)


@memo(128)
def area_fund(key: FilterKey, area_code: str) -> pd.DataFrame:
    return profile.area_fund(filtered(key), area_code)


def fund_note(key: FilterKey, area_code: str) -> str:
    """Where a non-respondent's Home Office fund status comes from (profile.fund_note)."""
    return profile.fund_note(filtered(key), area_code)


def area_answers(key: FilterKey, area_code: str) -> pd.DataFrame:
    """The area's answers, each with its provenance (profile.area_answers): once per wave and
    area (shared: never mutate it)."""
    return _area_answers(_area_basis(key, area_code, programmes=False), area_code)


@memo(128)
def _area_answers(key: FilterKey, area_code: str) -> pd.DataFrame:
    return profile.area_answers(filtered(key), area_code)


def area_programmes(key: FilterKey, area_code: str) -> pd.DataFrame:
    """The area's programmes as directory rows, once per wave, programme types and area (shared:
    never mutate it)."""
    return _area_programmes(_area_basis(key, area_code), area_code)


@memo(128)
def _area_programmes(key: FilterKey, area_code: str) -> pd.DataFrame:
    return profile.area_programmes(filtered(key), area_code)


def area_programme_answers(key: FilterKey, area_code: str) -> pd.DataFrame:
    """Each answer of the area's programmes with its provenance (profile.area_programme_answers),
    once per wave, programme types and area (shared: never mutate it)."""
    return _area_programme_answers(_area_basis(key, area_code), area_code)


@memo(128)
def _area_programme_answers(key: FilterKey, area_code: str) -> pd.DataFrame:
    return profile.area_programme_answers(filtered(key), area_code)


def ranked_charts(
    key: FilterKey, area_code: str, peers: tuple[str, ...]
) -> tuple[tuple[str, go.Figure], ...]:
    """The area beside its peers, ranked on each of profile.RANKED_MEASURES: (measure, chart);
    once per wave, programme types, area and peers."""
    return _ranked_charts(_area_basis(key, area_code), area_code, _peers_in_view(key, peers))


@memo(128)
def _ranked_charts(
    key: FilterKey, area_code: str, peers: tuple[str, ...]
) -> tuple[tuple[str, go.Figure], ...]:
    view = filtered(key)
    name = profile.area_name(view, area_code)
    rows = profile.ranked_rows(view, area_code, peers)
    return tuple(
        (
            measure,
            charts.ranked_bars(
                rows,
                category="area",
                value=measure,
                highlight=name,
                title=f"{label}: {name} (▶) and its peers",
                x_title=label,
            ),
        )
        for measure, label in profile.RANKED_MEASURES.items()
    )


def area_profile_pdf(
    key: FilterKey, area_code: str, peers: tuple[str, ...], headline: str
) -> bytes:
    """The area profile as a PDF (landscape.figures.pdf), with the wave, provenance and date;
    not cached: it is built only when its button is clicked, and it carries the day's date."""
    from landscape.figures import pdf

    view = filtered(key)
    name = profile.area_name(view, area_code)
    shown = area_profile(key, area_code, peers)
    answers_note = (
        "Provenance per answer: Published, Sourced (a public document states it), Reported "
        "(the area's own answer) or Illustrative (invented to make the wave whole)."
    )
    sections = (
        pdf.Section(f"What {name} has that most peers lack", items=shown.has or ("Nothing.",)),
        pdf.Section(f"What most peers have that {name} lacks", items=shown.lacks or ("Nothing.",)),
        *(
            pdf.Section(f"{profile.RANKED_MEASURES[measure]}: {name} and its peers", figure=figure)
            for measure, figure in (ranked_charts(key, area_code, peers) if peers else ())
        ),
        pdf.Section("Side by side with peers", table=shown.comparison),
        pdf.Section(f"{name}'s answers", table=area_answers(key, area_code), note=answers_note),
        pdf.Section(f"{name}'s programmes", table=area_programmes(key, area_code)),
    )
    document = pdf.ProfileDocument(
        area=name,
        headline=headline,
        wave=wave_label(key),
        about=download_about(key, headline_basis(key)),
        sections=sections,
    )
    return pdf.profile_pdf(document)


# --- about the data ----------------------------------------------------------------------------


@memo(8)
def provenance_table(key: FilterKey) -> pd.DataFrame:
    """The view's values by provenance (area answers, programme answers, all)."""
    return composition.provenance_table(_record_mix(key.wave_id), filtered(key))


@memo(64)
def check_summary(key: FilterKey) -> findings.CheckSummary:
    """How many published figures the view reproduces, and which differ."""
    return findings.summarise_check(figure_check(key))


@st.cache_resource(show_spinner=False)
def definitions() -> pd.DataFrame:
    """The terms and denominators (shared: never mutate it)."""
    return findings.definitions()


# --- the overview ------------------------------------------------------------------------------


@memo(64)
def headlines(key: FilterKey, *, compare: bool) -> findings.Headlines:
    """The overview's headline cards, each labelled with what kind of number it is: beside the
    published figure when `compare` and the wave is tied to the report, else beside the wave
    before it (when there is one)."""
    previous = previous_wave_id(key.wave_id)
    return findings.headlines(
        filtered(key),
        compare=compare,
        wave=wave_kind(key.wave_id),
        previous=filtered(key.in_wave(previous)) if previous else None,
        previous_kind=wave_kind(previous) if previous else None,
    )


# --- what the report concludes -----------------------------------------------------------------


def report_items(kind: str) -> tuple[report.ReportItem, ...]:
    return report.items_of(kind)


@memo(64)
def report_sections(key: FilterKey) -> tuple[report.ReportSection, ...]:
    """Every part of the report page in order, each finding with the measures that would show
    progress on it and their change since the wave before (when there is one): one cache entry
    per view, not one per finding (shared and frozen: never mutate it)."""
    previous = previous_wave_id(key.wave_id)
    earlier = filtered(key.in_wave(previous)) if previous else None
    return report.report_sections(filtered(key), earlier)


@memo(64)
def report_progress_table(key: FilterKey) -> pd.DataFrame:
    """Recommendations and challenges with their measures, one row per pair (for download)."""
    return report.sections_table(report_sections(key))


@memo(16)
def report_word_checks(wave_id: str) -> tuple[report.WordCheck, ...]:
    """Where the whole wave's counts fit (or not) the report's words ("several areas")."""
    return report.word_checks(model(wave_id))


# --- waves over time ---------------------------------------------------------------------------


@memo(32)
def comparison(before: FilterKey, after: FilterKey) -> WaveComparison:
    """`landscape.model.diff.compare_waves` of two views (shared: never mutate it)."""
    return compare_waves(filtered(before), filtered(after))


@memo(32)
def comparison_chart(before: FilterKey, after: FilterKey, titles: tuple[str, str]) -> go.Figure:
    """Areas per stalking category in the two waves, side by side (shared: never mutate it)."""
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


@memo(32)
def overview_change(before: FilterKey, after: FilterKey) -> wave_change.OverviewChange:
    """What changed between two views: figures, stalking provision, categories."""
    return wave_change.overview_change(comparison(before, after))


@memo(128)
def area_change(before: FilterKey, after: FilterKey, area_code: str) -> wave_change.AreaChange:
    """One area's changed answers and programmes between two views."""
    return wave_change.area_change(diff_area_changes(filtered(before), filtered(after), area_code))


@memo(128)
def area_in_view(key: FilterKey, area_code: str) -> bool:
    return profile.in_view(filtered(key), area_code)


@memo(128)
def stalking_category_of(key: FilterKey, area_code: str) -> str:
    return profile.stalking_category_of(filtered(key), area_code)
