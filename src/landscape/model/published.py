"""What the APCC report published, and how the model's measures compare with it.

The project's own copy of the report's figures lives in reference/published_figures.csv (id,
statement, value, unit, of, section, measure), one row per printed figure. Rows without a
measure are policy facts about the Home Office fund, kept as context: no survey answer gives them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from io import StringIO
from types import MappingProxyType

import pandas as pd

from landscape.model.landscape import Landscape
from landscape.model.measures import MEASURES, Figure
from landscape.model.wave_kind import WaveBasis, WaveKind
from landscape.values import number_text

POLICY_FACT_NOTE = "policy fact, not a survey measure"

NOTES = {
    "evaluation_any_percent": (
        "The report printed 76% beside 26 areas; 26 of 33 is 79% (25 of 33 would be 76%). "
        "The count (26) is reproduced; the printed percentage does not follow from it."
    ),
    "evaluation_any": "The report prints '76% (26)'; this is the 26 (see evaluation_any_percent).",
    "early_intervention_share": "Early intervention and CAPVA programmes, as the report counts.",
    "accredited_share": (
        "The report's base: every programme commissioned or co-commissioned, including those "
        "(stalking and others) for which no accreditation route exists."
    ),
}
"""Explanations shown beside a figure whatever the data (why it is computed as it is)."""

CHECK_COLUMNS = (
    "id",
    "statement",
    "section",
    "published",
    "unit",
    "computed",
    "numerator",
    "denominator",
    "matches",
    "note",
)


@cache
def _published_csv() -> str:
    return (
        resources.files("landscape.reference")
        .joinpath("published_figures.csv")
        .read_text(encoding="utf-8")
    )


def published_figures() -> pd.DataFrame:
    """The report's published figures (a fresh copy each call)."""
    frame = pd.read_csv(StringIO(_published_csv()), dtype=str, keep_default_na=False)
    frame["value"] = frame["value"].astype(float)
    return frame


def published_value(fid: str) -> float | None:
    """The value the report printed for a figure id, or None when it printed none."""
    values = dict(zip(*(published_figures()[c] for c in ("id", "value")), strict=True))
    return float(values[fid]) if fid in values else None


def check_figures(model: Landscape) -> pd.DataFrame:
    """Each published figure beside the value the model computes, and whether they match."""
    rows = []
    for row in published_figures().itertuples(index=False):
        fid = str(row.id)
        measure = MEASURES.get(fid) if row.measure else None
        printed = {
            "id": row.id,
            "statement": row.statement,
            "section": row.section,
            "published": row.value,
            "unit": row.unit,
        }
        if measure is None:
            rows.append(
                {
                    **printed,
                    "computed": None,
                    "numerator": None,
                    "denominator": None,
                    "matches": None,
                    "note": POLICY_FACT_NOTE,
                }
            )
            continue
        figure = measure(model)
        computed = figure.value
        rows.append(
            {
                **printed,
                "computed": computed,
                "numerator": figure.numerator,
                "denominator": figure.denominator,
                "matches": bool(computed == row.value),
                "note": NOTES.get(fid, ""),
            }
        )
    return pd.DataFrame(rows, columns=list(CHECK_COLUMNS))


PRINTED_INCONSISTENTLY = frozenset({"evaluation_any_percent"})
"""Figures the report printed so that no wave can give them (NOTES says why): a wave that differs
from the report only there still reproduces it."""


def differing_figures(model: Landscape) -> tuple[str, ...]:
    """Ids of the report's survey figures this model does not give, in the report's order (the
    ones printed inconsistently aside): empty when the model reproduces the report."""
    check = check_figures(model)
    differs = check[(check["matches"] == False) & ~check["id"].isin(PRINTED_INCONSISTENTLY)]  # noqa: E712
    return tuple(str(fid) for fid in differs["id"])


def figure_statements(figure_ids: tuple[str, ...]) -> tuple[str, ...]:
    """What each of the report's figures says, in its words as the reference table keeps them."""
    statements = dict(zip(*(published_figures()[c] for c in ("id", "statement")), strict=True))
    return tuple(str(statements.get(fid, fid)) for fid in figure_ids)


def check_for_wave(model: Landscape, wave: WaveKind) -> pd.DataFrame:
    """`check_figures` for a wave tied to a published report; for any other wave the same
    columns and no rows: there is nothing it should reproduce."""
    check = check_figures(model)
    return check if wave.reproduces is not None else check.iloc[0:0]


DERIVED_FROM = {"stalking_non_da_gap": "stalking_non_da"}
"""Measures the report does not print but that follow from one it does (its complement)."""


@dataclass(frozen=True)
class FigureBasis:
    """What kind of number a figure is, as its headline must say."""

    kind: str
    """"published" (the report prints it), "answers" (a reported wave's own answers) or
    "illustrative" (computed from invented answers)."""
    text: str

    @property
    def published(self) -> bool:
        return self.kind == PUBLISHED


PUBLISHED, ANSWERS, ILLUSTRATIVE = "published", "answers", "illustrative"
NO_FIGURE = "Illustrative: the report gives no figure"


def figure_basis(figure: Figure, wave: WaveKind, *, whole_wave: bool) -> FigureBasis:
    """How a headline must label `figure` on a wave of this kind, in this view.

    Published: the wave is tied to the report, the view is the whole wave (the report covers all
    of England and Wales), the report prints the figure (or the one it is the complement of) and
    the wave gives it. The report prints a percentage, not its count: the label says that the
    count is the wave's. A wave that gives another value (a correction) is labelled as its own
    answers, with the report's value beside it. Otherwise the figure is the wave's: its answers,
    or invented answers on an illustrative wave.
    """
    printed = _printed_rows()
    source_id = DERIVED_FROM.get(figure.id, figure.id)
    row = printed.get(source_id)
    own = computed_text(wave)
    if wave.report_title and whole_wave and row is not None:
        unit = str(row["unit"])
        shown = _value_text(float(row["value"]), unit)
        published = f"Published: {wave.report_title}, {row['section']}: {shown}"
        if source_id != figure.id:
            return FigureBasis(PUBLISHED, published + " (this figure is its complement)")
        if figure.value != float(row["value"]) and source_id not in PRINTED_INCONSISTENTLY:
            return FigureBasis(
                ILLUSTRATIVE if wave.illustrative else ANSWERS,
                f"{own}: {figure.text}, not the report's figure · {published}",
            )
        if figure.value != float(row["value"]):
            return FigureBasis(PUBLISHED, f"{published}; this wave gives {figure.text}")
        if unit == "percent" and figure.denominator is not None:
            count = f"{number_text(figure.numerator)} of {number_text(figure.denominator)}"
            return FigureBasis(PUBLISHED, f"{published} · {count_words(wave, count)}")
        return FigureBasis(PUBLISHED, published)
    if wave.illustrative and wave.basis is WaveBasis.MIXED:
        return FigureBasis(ILLUSTRATIVE, own)
    if wave.illustrative:
        if row is None:
            return FigureBasis(ILLUSTRATIVE, NO_FIGURE)
        if wave.report_title and not whole_wave:
            return FigureBasis(
                ILLUSTRATIVE, "Illustrative: the report gives only the national figure"
            )
        return FigureBasis(ILLUSTRATIVE, "Illustrative: computed from invented answers")
    return FigureBasis(ANSWERS, "From the wave's answers (no published figure is compared)")


def count_words(wave: WaveKind, count: str) -> str:
    """What the count behind a published percentage is: the report prints only the share."""
    whose = "an illustrative count" if wave.illustrative else "the wave's own count"
    return f"{count} is {whose}, not published"


def computed_text(wave: WaveKind) -> str:
    """What a figure the wave computes itself (none the report prints) is, in a label's words."""
    if wave.illustrative and wave.basis is WaveBasis.MIXED:
        return "Mixed: computed from areas' own answers and invented (illustrative) values"
    if wave.illustrative:
        return "Illustrative: computed from invented answers"
    if wave.basis is WaveBasis.SOURCED:
        return "Sourced: computed from values public documents state"
    return "From the wave's answers"


def wave_basis(wave: WaveKind) -> FigureBasis:
    """The label of a headline that states no named measure (a count of rows, an area's answers)."""
    if wave.illustrative and wave.basis is WaveBasis.MIXED:
        return FigureBasis(ILLUSTRATIVE, f"{computed_text(wave)}; the report gives no figure")
    if wave.illustrative:
        return FigureBasis(ILLUSTRATIVE, NO_FIGURE)
    return FigureBasis(ANSWERS, computed_text(wave))


def _value_text(value: float, unit: str) -> str:
    return f"{value:,.0f}%" if unit == "percent" else f"{value:,.0f}"


@cache
def _printed_rows() -> Mapping[str, Mapping[str, str]]:
    """The published rows tied to a measure, by id: read once (the file ships with the package;
    ~7 ms a read, and every headline label asks), read-only."""
    records = published_figures().astype(str).to_dict(orient="records")
    return MappingProxyType(
        {
            str(r["id"]): MappingProxyType({str(k): str(v) for k, v in r.items()})
            for r in records
            if r["measure"]
        }
    )
