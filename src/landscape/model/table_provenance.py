"""What the figures of one downloaded table are: the lines its CSV header and About sheet carry.

A page's headline label speaks for the headline only. Each table says, for its own figures, whether
the report publishes them (with the report's section and value), whether they come from the
wave's answers, or whether they are illustrative (computed from invented answers), row by row
where a row is a figure the report prints. Tables that carry a provenance per row (the directory,
an area's answers) say so and point to that column; reference tables say they hold no figures.

Tables are known by their download name (an area's tables with "{area}" for its ONS code):
TABLES lists every table a page offers, so a new table without a line is caught by a test.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum

from landscape.model.measures import Figure
from landscape.model.published import PUBLISHED, computed_text, figure_basis, wave_basis
from landscape.model.wave_kind import WaveKind


class TableKind(Enum):
    COUNTS = "counts"
    """Counts and shares computed from the wave's answers (some rows may be published figures)."""
    PER_ROW = "per row"
    """Each row carries the provenance of its values in a column of its own."""
    REFERENCE = "reference"
    """Reference text or records of the store, not figures of the wave."""


@dataclass(frozen=True)
class TableSpec:
    kind: TableKind
    rows: Mapping[str, str] = field(default_factory=dict)
    """Row label (the table's first column) -> id of the measure that row's figure is."""
    by_measure_label: bool = False
    """Rows name a measure (its label): each row's figure is that measure's."""
    row_column: str = ""
    """The column whose values label the rows ("": the table's first column)."""
    column: str = "Provenance"
    """For PER_ROW: the column holding each row's provenance."""
    note: str = ""
    """For REFERENCE (or to add to a COUNTS line): what the table holds instead."""


FIELD = "Figures in this table"
ROW_FIELD = "Row"
PUBLISHED_ROWS = "the rows named below are figures the report publishes"
"""Each published row's line is ("Row <label>", its basis)."""

COUNTS = TableSpec(TableKind.COUNTS)
COMPUTED_ILLUSTRATIVE = "Illustrative: computed from invented answers"
PER_ROW_TEXT = (
    "each row's provenance is in its {column} column (Published; Sourced, with document and "
    "section; Reported; or Illustrative)"
)

TABLES: dict[str, TableSpec] = {
    # overview
    "overview-figures": TableSpec(TableKind.PER_ROW, column="Basis"),
    "overview-change-per-measure": COUNTS,
    "overview-stalking-changes": COUNTS,
    "overview-stalking-categories-change": COUNTS,
    # availability
    "programme-types": COUNTS,
    "areas-by-programme-type": COUNTS,  # its DA row counts every DA type, out-of-court too
    "programme-types-by-area": COUNTS,
    "risk-levels": COUNTS,
    "programme-cohorts": TableSpec(
        TableKind.COUNTS,
        rows={"LGBTQ+": "lgbtq_tailored", "Racialised and minoritised": "racialised_tailored"},
    ),
    "early-intervention": TableSpec(TableKind.PER_ROW),
    # stalking
    "stalking-map": TableSpec(TableKind.PER_ROW),
    "stalking-categories": TableSpec(
        TableKind.COUNTS, rows={"Specialist non-DA programme": "stalking_non_da"}
    ),
    "stalking-standards": TableSpec(TableKind.COUNTS, rows={"Yes": "stalking_standards_support"}),
    # accreditation
    "accreditation-routes": COUNTS,
    "evaluation-types": COUNTS,
    # funding
    "funding-sources": TableSpec(
        TableKind.COUNTS, rows={"Home Office fund 2023-25": "ho_fund_respondents"}
    ),
    "funding-sources-by-area": COUNTS,
    "ho-fund-by-area": TableSpec(TableKind.PER_ROW),
    "continuation-plans": COUNTS,
    "funding-cliff": COUNTS,
    "co-commissioning-partners": COUNTS,
    # victims and governance
    "victim-support": COUNTS,
    "risk-forums": TableSpec(
        TableKind.COUNTS, rows={"MARAC": "marac", "MATAC": "matac", "DAPP": "dapp"}
    ),
    "strategic-boards": COUNTS,
    "monitoring": COUNTS,
    # directory and report
    "programme-directory": TableSpec(TableKind.PER_ROW),
    "report-recommendations-progress": TableSpec(
        TableKind.COUNTS, by_measure_label=True, row_column="Measure"
    ),
    # area profile
    "area-{area}-fund": TableSpec(TableKind.PER_ROW),
    "area-{area}-similar": COUNTS,
    "area-{area}-ranked": COUNTS,
    "area-{area}-peer-comparison": COUNTS,
    "area-{area}-answers": TableSpec(TableKind.PER_ROW),
    "area-{area}-programmes": TableSpec(TableKind.PER_ROW),
    "area-{area}-programme-answers": TableSpec(TableKind.PER_ROW),
    "area-{area}-change-between-waves": COUNTS,
    # ... and, for its own office and administrators, its return in the open round
    "area-{area}-unpublished-answers": TableSpec(
        TableKind.REFERENCE,
        note="not published: the area's return in the open survey round beside its answers in "
        "the published wave; no figure of the wave counts it",
    ),
    "area-{area}-unpublished-programme-answers": TableSpec(
        TableKind.REFERENCE,
        note="not published: the programme answers the area's return in the open survey round "
        "changes, beside the published wave's",
    ),
    # about
    "definitions": TableSpec(TableKind.REFERENCE, note="no figures: the terms used, defined"),
    "data-dictionary": TableSpec(
        TableKind.REFERENCE, note="no figures: the survey template's columns"
    ),
    "waves": TableSpec(TableKind.REFERENCE, note="no survey figures: the stored waves' records"),
    "value-provenance": TableSpec(
        TableKind.REFERENCE,
        note="counts of this wave's values (answers) by their provenance, not survey figures",
    ),
    "report-figure-check": TableSpec(
        TableKind.REFERENCE,
        note="the Published column and its section are the report's; the Computed column is "
        "this wave's, from its answers",
    ),
}

_AREA_CODE = re.compile(r"\b[EW]\d{8}\b")


def table_key(name: str) -> str:
    """The TABLES key of a download name: an ONS area code becomes "{area}"."""
    return _AREA_CODE.sub("{area}", name)


def spec_of(name: str) -> TableSpec | None:
    return TABLES.get(table_key(name))


def row_column_of(name: str, columns: Iterable[object]) -> object | None:
    """The column of the table `name` whose values label its rows (None: it has no columns)."""
    spec = spec_of(name) or COUNTS
    listed = list(columns)
    if spec.row_column and spec.row_column in listed:
        return spec.row_column
    return listed[0] if listed else None


def table_lines(
    name: str,
    row_labels: Iterable[object],
    figures: Mapping[str, Figure],
    wave: WaveKind,
    *,
    whole_wave: bool,
) -> tuple[tuple[str, str], ...]:
    """The lines saying what the figures of the table `name` are, in this view of this wave.

    `row_labels` are the values of the spec's row column (row_column_of), matched against its
    rows; `figures` the view's measures by id. A table TABLES does not list is COUNTS."""
    spec = spec_of(name) or COUNTS
    computed = wave_basis(wave)
    if spec.kind is TableKind.REFERENCE:
        return ((FIELD, spec.note),)
    if spec.kind is TableKind.PER_ROW:
        return ((FIELD, PER_ROW_TEXT.format(column=spec.column)),)
    wanted = dict(spec.rows)
    if spec.by_measure_label:
        wanted |= {figure.label: figure_id for figure_id, figure in figures.items()}
    published: list[tuple[str, str]] = []
    for label in dict.fromkeys(str(r) for r in row_labels):
        figure_id = wanted.get(label)
        if figure_id is None or figure_id not in figures:
            continue
        basis = figure_basis(figures[figure_id], wave, whole_wave=whole_wave)
        if basis.kind == PUBLISHED:
            published.append((f"{ROW_FIELD} {label}", basis.text))
    rest = computed_text(wave)
    if not published:
        return ((FIELD, rest if spec.rows or spec.by_measure_label else computed.text),)
    return ((FIELD, f"{PUBLISHED_ROWS}; every other figure: {rest}"), *published)
