"""What the APCC report concludes, in the project's own words: recommendations, challenges, case
studies, stalking-standards wishes and the report's own inconsistencies (reference/
report_findings.csv), each with its section and the measures that would show progress on it.

Also where a wave's invented answers say more than the report's words allow ("several areas"
is not 31 of 33), so that the dashboard shows such a clash rather than hiding it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from io import StringIO

import pandas as pd

from landscape.model.landscape import Landscape
from landscape.model.measures import ALL_MEASURES, Figure
from landscape.schema import ProgrammeType, VictimSupport

KINDS = {
    "recommendation": "Recommendations",
    "challenge": "Challenges PCCs named",
    "evaluation_finding": "What the evaluations areas sent in found",
    "case_study": "Case studies and their outcomes",
    "standards_wish": "What PCCs want stalking standards to cover",
    "inconsistency": "Where the report disagrees with itself",
}
"""The kinds of finding, in the order the page shows them, with their headings."""


@dataclass(frozen=True)
class ReportItem:
    id: str
    kind: str
    title: str
    summary: str
    figures: str
    section: str
    measures: tuple[str, ...]


@cache
def _findings_csv() -> str:
    return (
        resources.files("landscape.reference")
        .joinpath("report_findings.csv")
        .read_text(encoding="utf-8")
    )


@cache
def report_items() -> tuple[ReportItem, ...]:
    """Every row of report_findings.csv, in file order (read once: the file ships with the
    package, and the items are frozen)."""
    frame = pd.read_csv(StringIO(_findings_csv()), dtype=str, keep_default_na=False)
    return tuple(
        ReportItem(
            id=r["id"],
            kind=r["kind"],
            title=r["title"],
            summary=r["summary"],
            figures=r["figures"],
            section=r["section"],
            measures=tuple(m for m in r["related_measures"].split(";") if m),
        )
        for r in frame.to_dict(orient="records")
    )


def items_of(kind: str) -> tuple[ReportItem, ...]:
    return tuple(item for item in report_items() if item.kind == kind)


@dataclass(frozen=True)
class Progress:
    """A measure that would show progress on a finding: its value now and, with an earlier
    wave, then."""

    measure: str
    label: str
    now: str
    before: str | None = None
    change: float | None = None
    """The numerator's change since the earlier wave (None without one)."""


def progress(
    item: ReportItem, model: Landscape, earlier: Landscape | None = None
) -> tuple[Progress, ...]:
    """The item's measures on `model`, each beside its value on `earlier` when given."""
    return _progress(item, _Measured(model, earlier))


class _Measured:
    """Measures of a model (and of an earlier one), each computed once however many findings
    name it."""

    def __init__(self, model: Landscape, earlier: Landscape | None) -> None:
        self.model, self.earlier = model, earlier
        self._now: dict[str, Figure] = {}
        self._then: dict[str, Figure] = {}

    def now(self, name: str) -> Figure:
        if name not in self._now:
            self._now[name] = ALL_MEASURES[name](self.model)
        return self._now[name]

    def then(self, name: str) -> Figure | None:
        if self.earlier is None:
            return None
        if name not in self._then:
            self._then[name] = ALL_MEASURES[name](self.earlier)
        return self._then[name]


def _progress(item: ReportItem, measured: _Measured) -> tuple[Progress, ...]:
    """The item's measures, each once: a measure that reads as one already shown (the count and
    the percentage of one figure, evaluation_any and evaluation_any_percent) is not repeated."""
    shown: list[Progress] = []
    seen: set[tuple[str, str]] = set()
    for name in item.measures:
        now = measured.now(name)
        if (now.label, now.text) in seen:
            continue
        seen.add((now.label, now.text))
        then = measured.then(name)
        shown.append(
            Progress(
                measure=name,
                label=now.label,
                now=now.text,
                before=then.text if then is not None else None,
                change=now.numerator - then.numerator if then is not None else None,
            )
        )
    return tuple(shown)


@dataclass(frozen=True)
class ShownItem:
    """A finding beside the measures that would show progress on it."""

    item: ReportItem
    progress: tuple[Progress, ...]


@dataclass(frozen=True)
class ReportSection:
    """One kind of finding (KINDS), with its heading and its items in file order."""

    kind: str
    heading: str
    items: tuple[ShownItem, ...]


def report_sections(
    model: Landscape, earlier: Landscape | None = None
) -> tuple[ReportSection, ...]:
    """The whole report page's findings: every kind in KINDS order, each item with its progress
    on `model` (and `earlier`); each measure is computed once."""
    measured = _Measured(model, earlier)
    return tuple(
        ReportSection(
            kind=kind,
            heading=heading,
            items=tuple(ShownItem(item, _progress(item, measured)) for item in items_of(kind)),
        )
        for kind, heading in KINDS.items()
    )


def progress_table(model: Landscape, earlier: Landscape | None = None) -> pd.DataFrame:
    """Every recommendation and challenge beside its measures (one row per pair), for download.

    Columns: finding, kind, section, measure, now, before, change."""
    return sections_table(report_sections(model, earlier))


def sections_table(sections: tuple[ReportSection, ...]) -> pd.DataFrame:
    """progress_table of sections already computed (report_sections): the same rows."""
    rows = [
        {
            "finding": shown.item.title,
            "kind": shown.item.kind,
            "section": shown.item.section,
            "measure": progress.label,
            "now": progress.now,
            "before": progress.before,
            "change": progress.change,
        }
        for section in sections
        if section.kind in ("recommendation", "challenge")
        for shown in section.items
        for progress in shown.progress
    ]
    columns = ["finding", "kind", "section", "measure", "now", "before", "change"]
    return pd.DataFrame(rows, columns=columns)


# --- the report's words against a wave's counts ------------------------------------------------

SEVERAL_AT_MOST = 1 / 3
"""'Several' or 'some' of the responding areas: more than two, and no more than a third of them.
A careful reader takes "several areas" as a minority; 31 of 33 would be "almost all"."""


@dataclass(frozen=True)
class WordCheck:
    """A count the report describes only in words, and whether a wave's count fits the words."""

    id: str
    words: str
    section: str
    count: int
    of: int
    fits: bool

    @property
    def text(self) -> str:
        verdict = "fits" if self.fits else "does NOT fit"
        counted = f"this wave has {self.count} of {self.of}"
        return f"{self.words} ({self.section}): {counted}, which {verdict}"


def _areas_with_programme_type(model: Landscape, programme_type: ProgrammeType) -> int:
    programmes = model.programmes
    chosen = programmes[programmes["programme_type"] == programme_type.value]
    responding = set(model.areas.index[model.areas["responded"].astype(bool)])
    return len(set(chosen["area_code"]) & responding)


def _areas_with_victim_support(model: Landscape, support: VictimSupport) -> int:
    responding = model.areas[model.areas["responded"].astype(bool)]
    return int(responding["victim_support"].map(lambda chosen: support.value in chosen).sum())


def _several(count: int, of: int) -> bool:
    return 2 < count <= of * SEVERAL_AT_MOST


def _not_all(count: int, of: int) -> bool:
    return count < of


WORD_CHECKS: tuple[
    tuple[str, str, str, Callable[[Landscape], int], Callable[[int, int], bool]], ...
] = (
    (
        "oocr_several_areas",
        "'Several areas' offer programmes through out-of-court resolutions",
        "Findings > Eligibility criteria and referral mechanism (p9)",
        lambda m: _areas_with_programme_type(m, ProgrammeType.OUT_OF_COURT),
        _several,
    ),
    (
        "isac_several_pccs",
        "'Several PCCs' commission ISACs or upskill IDVAs as ISACs",
        "Findings > Support for victims (p12)",
        lambda m: _areas_with_victim_support(m, VictimSupport.ISAC),
        _several,
    ),
    (
        "integrated_not_everywhere",
        "Integrated victim support is not everywhere ('where there are no integrated victim "
        "support services')",
        "Findings > Support for victims (p12) > Signposting",
        lambda m: _areas_with_victim_support(m, VictimSupport.INTEGRATED),
        _not_all,
    ),
)
"""Counts the report gives only in words: (id, words, section, count, whether a count fits)."""


def word_checks(model: Landscape) -> tuple[WordCheck, ...]:
    """Each count the report states in words, on the whole wave's responding areas."""
    responding = int(model.areas["responded"].astype(bool).sum())
    return tuple(
        WordCheck(fid, words, section, count(model), responding, fits(count(model), responding))
        for fid, words, section, count, fits in WORD_CHECKS
    )
