"""The survey questions the dashboard charts as answer shares, each named once.

A page asks for "the risk levels served" by name; which column it reads, whether it counts areas or
programmes and out of what is declared here, so no page or UI helper spells a column name.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

import pandas as pd

from landscape.model import breakdowns

if TYPE_CHECKING:
    from landscape.model.landscape import Landscape


class Counting(Enum):
    """What a share counts, and so which breakdown answers it."""

    AREAS_ANSWERING = "areas"
    """Responding areas giving each answer (breakdowns.area_choice_shares)."""
    PROGRAMMES = "programmes"
    """Programmes carrying each value (breakdowns.programme_choice_shares)."""
    AREAS_WITH_PROGRAMME = "areas with a programme"
    """Responding areas with at least one programme of each value
    (breakdowns.areas_with_programme_value)."""


@dataclass(frozen=True)
class Question:
    """One survey column shown as shares of its answers."""

    column: str
    counting: Counting

    @property
    def count_column(self) -> str:
        """The shares table's count column (what the bars measure)."""
        return "programmes" if self.counting is Counting.PROGRAMMES else "areas"

    @property
    def out_of(self) -> str:
        """The denominator in words, for a chart's axis."""
        return "Programmes" if self.counting is Counting.PROGRAMMES else "Responding areas"


def _area(column: str) -> Question:
    return Question(column, Counting.AREAS_ANSWERING)


PROGRAMME_TYPES = Question("programme_type", Counting.PROGRAMMES)
AREAS_BY_PROGRAMME_TYPE = Question("programme_type", Counting.AREAS_WITH_PROGRAMME)
RISK_LEVELS = Question("risk_levels", Counting.PROGRAMMES)
COHORTS = Question("cohorts", Counting.AREAS_WITH_PROGRAMME)
ACCREDITATION = Question("accreditation", Counting.PROGRAMMES)
EVALUATION_TYPES = Question("evaluation_type", Counting.PROGRAMMES)
FUNDING_SOURCES = _area("funding_sources")
CONTINUATION_PLANS = _area("continuation_plan")
CO_COMMISSIONING_PARTNERS = _area("co_commissioning_partners")
VICTIM_SUPPORT = _area("victim_support")
RISK_FORUMS = _area("risk_forums")
STRATEGIC_BOARDS = _area("strategic_board")
MONITORING = _area("monitoring_frequency")
STALKING_STANDARDS = _area("stalking_standards_would_help")


def question_shares(model: Landscape, question: Question) -> pd.DataFrame:
    """The question's shares table: answer, count, denominator, percent, label."""
    if question.counting is Counting.PROGRAMMES:
        return breakdowns.programme_choice_shares(model, question.column)
    if question.counting is Counting.AREAS_WITH_PROGRAMME:
        return breakdowns.areas_with_programme_value(model, question.column)
    return breakdowns.area_choice_shares(model, question.column)


def funding_sources_by_area(model: Landscape) -> pd.DataFrame:
    """Every area's funding sources, one row per source (non-respondents say so).

    Columns: area_code, area, region, funding_source."""
    frame = breakdowns.area_answers_by_area(model, FUNDING_SOURCES.column)
    return frame.rename(columns={"answer": "funding_source"})
