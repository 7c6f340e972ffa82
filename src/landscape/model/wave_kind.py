"""What a wave is, from its values: which kinds of value it holds and which report it reproduces.

A wave's kind is derived from its per-value provenance (landscape.model.composition), never
claimed by whoever uploads it: a wave holding one invented value says so. The store records the
kind when the wave is published (migrations 0006 and 0008); banners, headline labels, About, the
downloads, the PDF and `landscape figures` read it from there.

A wave tied to a report (the bundled wave, and corrections of it) is checked against that report;
it claims calibration only while it still gives every figure the report printed. Any other wave
is compared with the wave before it, never with a report it was not meant to reproduce.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from landscape.schema import ValueProvenance
from landscape.values import number_text


class WaveBasis(StrEnum):
    ILLUSTRATIVE = "illustrative"
    """Holds invented values and no area's own answer (the bundled wave: real where a public
    source says so, invented elsewhere)."""
    REPORTED = "reported"
    """Every value is an area's own answer."""
    SOURCED = "sourced"
    """Every value is stated by a named public document or the published report."""
    MIXED = "mixed"
    """Areas' own answers beside values of another kind (invented, sourced or published)."""
    CORRECTED = "corrected"
    """Recorded before migration 0008 for a correction that held no invented record; read as the
    kind its values give (recorded_kind)."""


@dataclass(frozen=True)
class ProvenanceMix:
    """How many of a wave's (or a view's) values are of each kind: one per answer (a cell of the
    Areas or Programmes sheet), a several-of-a-list answer counted once."""

    published: int = 0
    sourced: int = 0
    reported: int = 0
    illustrative: int = 0

    @classmethod
    def from_counts(cls, counts: Mapping[str, int]) -> ProvenanceMix:
        """From counts keyed by ValueProvenance names ("Published", ...) or by field names."""
        value = {str(k).casefold(): int(v) for k, v in counts.items()}
        return cls(
            published=value.get("published", 0),
            sourced=value.get("sourced", 0),
            reported=value.get("reported", 0),
            illustrative=value.get("illustrative", 0),
        )

    def by_kind(self) -> dict[str, int]:
        """Counts keyed by the kinds' names, in ValueProvenance order (what figures --json and the
        store write)."""
        return {
            ValueProvenance.PUBLISHED.value: self.published,
            ValueProvenance.SOURCED.value: self.sourced,
            ValueProvenance.REPORTED.value: self.reported,
            ValueProvenance.ILLUSTRATIVE.value: self.illustrative,
        }

    @property
    def total(self) -> int:
        return self.published + self.sourced + self.reported + self.illustrative

    @property
    def citing(self) -> int:
        """Values that cite a public source: the report (Published) or a named document."""
        return self.published + self.sourced

    def __add__(self, other: ProvenanceMix) -> ProvenanceMix:
        return ProvenanceMix(
            self.published + other.published,
            self.sourced + other.sourced,
            self.reported + other.reported,
            self.illustrative + other.illustrative,
        )

    @property
    def basis(self) -> WaveBasis:
        if self.reported == 0:
            return WaveBasis.ILLUSTRATIVE if self.illustrative else WaveBasis.SOURCED
        if self.illustrative == 0 and self.citing == 0:
            return WaveBasis.REPORTED
        return WaveBasis.MIXED

    def text(self) -> str:
        """E.g. '1,234 values: 140 cite a public source, 1,094 illustrative'."""
        parts = [
            f"{number_text(count)} {words}"
            for count, words in (
                (self.citing, "cite a public source"),
                (self.reported, "areas' own answers"),
                (self.illustrative, "illustrative (invented)"),
            )
            if count
        ]
        noun = "value" if self.total == 1 else "values"
        return f"{number_text(self.total)} {noun}" + (": " + ", ".join(parts) if parts else "")


_BASIS_WORDS = {
    WaveBasis.ILLUSTRATIVE: "illustrative (real where a public source says so, invented elsewhere)",
    WaveBasis.REPORTED: "reported (every value is an area's own answer)",
    WaveBasis.SOURCED: "sourced (every value cites a public document)",
    WaveBasis.MIXED: "mixed (areas' own answers beside values of other kinds)",
    WaveBasis.CORRECTED: "corrected",
}


@dataclass(frozen=True)
class Report:
    """A published report a wave can be tied to."""

    title: str
    """How a headline names it, e.g. "APCC report (7 March 2025)"."""
    published_on: datetime.date


APCC_2025_REPORT = "apcc-2025"
REPORT_SOURCES = {
    APCC_2025_REPORT: Report("APCC report (7 March 2025)", datetime.date(2025, 3, 7)),
}
REPORTS = {report_id: report.title for report_id, report in REPORT_SOURCES.items()}
"""The published reports a wave can be tied to, by id: how a headline names each."""


@dataclass(frozen=True)
class WaveKind:
    basis: WaveBasis
    reproduces: str | None = None
    """The id of the published report the wave is tied to and checked against (REPORTS), if any:
    the report it was calibrated to (the bundled wave) or whose calibrated wave it corrects."""
    mix: ProvenanceMix | None = field(default=None, compare=False)
    """Its values by kind; None only for a kind recorded before migration 0008 and not yet
    completed from the wave's values (landscape.model.composition.complete_kind)."""
    differs: tuple[str, ...] = ()
    """Ids of the report's figures that the wave no longer gives (beyond those the report itself
    printed inconsistently): empty for a wave that reproduces its report."""
    corrects: bool = False
    """A correction: a new version of an earlier wave, replacing some of its answers."""

    @property
    def illustrative(self) -> bool:
        """Whether the wave holds any invented value."""
        if self.mix is not None:
            return self.mix.illustrative > 0
        return self.basis is WaveBasis.ILLUSTRATIVE

    @property
    def calibrated(self) -> bool:
        """Tied to a report and still giving every figure it printed (the banner's claim)."""
        return self.reproduces is not None and not self.differs

    @property
    def report_title(self) -> str | None:
        return REPORTS.get(self.reproduces) if self.reproduces else None

    def describe(self) -> str:
        """E.g. "illustrative (real where ...), calibrated to reproduce the APCC report (7 March
        2025)" or "correction, mixed (...): 12 values ...; compared with the APCC report (7 March
        2025), no longer calibrated to it: 2 of its figures now differ (...)"."""
        what = _BASIS_WORDS[self.basis]
        if self.basis is WaveBasis.ILLUSTRATIVE and self.mix is not None and not self.mix.citing:
            what = "illustrative (no value cites a public source)"
        if self.basis is WaveBasis.MIXED and self.mix is not None:
            what += f": {self.mix.text()}"
        if self.corrects:
            what = f"correction, {what}"
        title = self.report_title
        if title is None:
            return f"{what}; tied to no published report"
        if not self.differs and self.illustrative:
            return f"{what}; calibrated to reproduce the {title}"
        if not self.differs:
            return f"{what}; gives every figure of the {title}"
        count = len(self.differs)
        verb = "differs" if count == 1 else "differ"
        if self.corrects:
            return (
                f"{what}; compared with the {title}, no longer calibrated to it: {count} of its "
                f"figures now {verb} (see the report-figure check)"
            )
        return f"{what}; compared with the {title}: {count} of its figures {verb}"


SEED_KIND = WaveKind(WaveBasis.ILLUSTRATIVE, APCC_2025_REPORT)
"""The bundled wave as recorded before its values were counted (a store seeded before 0008)."""


def report_of_upload(*, base: WaveKind | None, corrects: bool) -> str | None:
    """The report a wave about to be published is tied to: a correction keeps its base's tie
    (its differences from the report are then shown, not hidden); a new wave is tied to none,
    and is compared with the wave before it."""
    return base.reproduces if corrects and base is not None else None


def recorded_kind(
    basis: str | None,
    reproduces: str | None,
    *,
    illustrative: bool,
    seed: bool,
    corrects: bool,
    mix: Mapping[str, int] | None = None,
    differs: tuple[str, ...] | list[str] | None = None,
) -> WaveKind:
    """A stored wave's kind. Recorded since 0008, it carries its values' mix and the report
    figures it no longer gives. Before 0008 (mix NULL) it is inferred from what the row records
    (basis NULL before 0006: the seed is the calibrated wave, any other is tied to none) and
    completed from the wave's values when read (composition.complete_kind)."""
    if mix is not None:
        counted = ProvenanceMix.from_counts(mix)
        return WaveKind(counted.basis, reproduces or None, counted, tuple(differs or ()), corrects)
    if basis and basis != WaveBasis.CORRECTED:
        return WaveKind(WaveBasis(basis), reproduces or None, corrects=corrects)
    if seed:
        return SEED_KIND
    fallback = WaveBasis.ILLUSTRATIVE if illustrative else WaveBasis.REPORTED
    return WaveKind(fallback, reproduces or None, corrects=corrects)
