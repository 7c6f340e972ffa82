"""The day a wave's dates are read against: what "already ended" means for that wave.

Never the clock: a wave describes a moment, and a figure computed from it must read the same
tomorrow. In order: the date of the report a wave is tied to (WaveKind.reproduces, REPORT_DATES);
the end of the survey period of the round a wave was published from; the survey date the wave
records; the day it was published. A wave with none of these is read against no day at all.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from landscape.model.wave_kind import REPORT_SOURCES, WaveKind

REPORT_DATES: dict[str, datetime.date] = {
    report_id: report.published_on for report_id, report in REPORT_SOURCES.items()
}
"""The publication date of each report a wave can be tied to (wave_kind.REPORT_SOURCES), by id."""

REPORT_BASIS = "the report's date"
ROUND_BASIS = "the end of the round's survey period ({period})"
SURVEY_DATE_BASIS = "the wave's survey date"
PUBLISHED_BASIS = "the day the wave was published"


@dataclass(frozen=True)
class ReferenceDate:
    """The day a wave's funding end dates are read against: before it is past, not ahead."""

    on: datetime.date
    basis: str
    """Why this day, in words (e.g. REPORT_BASIS); empty: a day the caller chose."""

    @property
    def day(self) -> str:
        """E.g. "7 March 2025"."""
        return f"{self.on.day} {self.on:%B %Y}"

    @property
    def text(self) -> str:
        """E.g. "7 March 2025, the report's date"."""
        return f"{self.day}, {self.basis}" if self.basis else self.day


_MONTHS = {
    name.casefold(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTH_YEAR = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{4})\b")
_FINANCIAL_YEAR = re.compile(r"\b(\d{4})\s*[-/–]\s*(\d{2}|\d{4})\b")
_YEAR = re.compile(r"\b(\d{4})\b")


def period_end(period: str) -> datetime.date | None:
    """The last day of a survey period as people write one: "April 2025 to March 2026" (the last
    month named), "2025-26" or "2025/26" (a financial year: 31 March), "2025" (31 December).
    None when the text names no such period."""
    named = [
        (int(year), _MONTHS[month.casefold()])
        for month, year in _MONTH_YEAR.findall(period)
        if month.casefold() in _MONTHS
    ]
    if named:
        year, month = named[-1]
        return datetime.date(year, month, calendar.monthrange(year, month)[1])
    financial = _FINANCIAL_YEAR.search(period)
    if financial:
        start, end = financial.groups()
        end_year = int(end) if len(end) == 4 else int(start[:2] + end)
        if end_year == int(start) + 1:
            return datetime.date(end_year, 3, 31)
    years = _YEAR.findall(period)
    if len(years) == 1:
        return datetime.date(int(years[0]), 12, 31)
    return None


def wave_reference_date(
    kind: WaveKind,
    *,
    round_period: str | None = None,
    survey_date: datetime.date | None = None,
    published: datetime.date | None = None,
) -> ReferenceDate | None:
    """The day a wave's dates are read against (the module's order), or None: no day known."""
    if kind.reproduces in REPORT_DATES:
        return ReferenceDate(REPORT_DATES[kind.reproduces], REPORT_BASIS)
    ended = period_end(round_period) if round_period else None
    if ended is not None:
        return ReferenceDate(ended, ROUND_BASIS.format(period=round_period))
    if survey_date is not None:
        return ReferenceDate(survey_date, SURVEY_DATE_BASIS)
    if published is not None:
        day = published.date() if isinstance(published, datetime.datetime) else published
        return ReferenceDate(day, PUBLISHED_BASIS)
    return None
