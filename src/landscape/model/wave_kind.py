"""What a wave is: illustrative, reported or corrected, and which published report it reproduces.

The store records both for every wave (migration 0006); the pages and the figures command read
them to decide whether a published-figure check makes sense. A wave tied to a report is checked
against it; any other wave is compared with the wave before it, never with a report it was not
meant to reproduce.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class WaveBasis(StrEnum):
    ILLUSTRATIVE = "illustrative"
    """Holds invented records (the bundled wave: real where a public source says so)."""
    REPORTED = "reported"
    """Every record is an area's own answer."""
    CORRECTED = "corrected"
    """A new version of a reported wave, replacing some of its answers."""


APCC_2025_REPORT = "apcc-2025"
REPORTS = {APCC_2025_REPORT: "APCC report (7 March 2025)"}
"""The published reports a wave can be tied to, by id: how a headline names each."""


@dataclass(frozen=True)
class WaveKind:
    basis: WaveBasis
    reproduces: str | None = None
    """The id of the published report the wave is calibrated to reproduce (REPORTS), if any."""

    @property
    def illustrative(self) -> bool:
        return self.basis is WaveBasis.ILLUSTRATIVE

    @property
    def report_title(self) -> str | None:
        return REPORTS.get(self.reproduces) if self.reproduces else None

    def describe(self) -> str:
        """E.g. "illustrative, calibrated to reproduce the APCC report (7 March 2025)"."""
        title = self.report_title
        return (
            f"{self.basis.value}, calibrated to reproduce the {title}"
            if title
            else (f"{self.basis.value}, tied to no published report")
        )


SEED_KIND = WaveKind(WaveBasis.ILLUSTRATIVE, APCC_2025_REPORT)
"""The bundled wave: invented where no source speaks, calibrated to the 2025 report."""


def kind_of_upload(*, illustrative: bool, base: WaveKind | None, corrects: bool) -> WaveKind:
    """The kind of a wave about to be published.

    A correction keeps its base's report tie (its differences from the report are then shown,
    not hidden); a new wave is tied to no report: it is compared with the wave before it.
    """
    reproduces = base.reproduces if corrects and base is not None else None
    if illustrative:
        return WaveKind(WaveBasis.ILLUSTRATIVE, reproduces)
    if corrects:
        return WaveKind(WaveBasis.CORRECTED, reproduces)
    return WaveKind(WaveBasis.REPORTED, None)


def recorded_kind(
    basis: str | None, reproduces: str | None, *, illustrative: bool, seed: bool, corrects: bool
) -> WaveKind:
    """A stored wave's kind; for a wave stored before the columns existed (basis NULL), inferred
    from what the row does record: the seed is the calibrated wave, any other is tied to none."""
    if basis:
        return WaveKind(WaveBasis(basis), reproduces or None)
    if seed:
        return SEED_KIND
    return kind_of_upload(illustrative=illustrative, base=None, corrects=corrects)
