"""The landscape model: all 43 force areas joined to one survey wave.

The survey only lists the areas it has rows for; the model always carries every force area, so that
"did not respond" is a row of its own and never silently missing (or, worse, counted as "none").
Measures (landscape.model.measures) and breakdowns read this model and nothing else.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass, replace

import pandas as pd

from landscape.areas import force_area_table
from landscape.schema import AREAS, Kind, Provenance, ResponseStatus
from landscape.survey import Survey

REFERENCE_COLUMNS = (
    "name",
    "display_name",
    "governing_body",
    "governing_body_type",
    "region",
    "country",
)
PROGRAMME_AREA_COLUMNS = ("display_name", "region", "country")


@dataclass(frozen=True)
class WaveInfo:
    """Which survey wave a model describes."""

    wave_id: str
    label: str
    survey_date: datetime.date | None
    illustrative: bool
    version: int = 1


@dataclass(frozen=True, eq=False)
class Landscape:
    """One wave of the survey seen against every force area.

    Compared by identity: two models are never "equal" by their (pandas) tables.
    """

    wave: WaveInfo
    areas: pd.DataFrame
    programmes: pd.DataFrame

    @property
    def respondents(self) -> pd.DataFrame:
        """The areas that answered this wave."""
        return self.areas[self.areas["responded"]]

    def filter(
        self,
        *,
        countries: Collection[str] | None = None,
        regions: Collection[str] | None = None,
        programme_types: Collection[str] | None = None,
    ) -> Landscape:
        """A new model keeping only the chosen areas (and their programmes) and programme types.

        Countries and regions narrow the areas; programme types narrow the programmes only, so area
        answers and denominators of respondents are unchanged by them. None means no filter.
        """
        areas = self.areas
        if countries is not None:
            areas = areas[areas["country"].isin(list(countries))]
        if regions is not None:
            areas = areas[areas["region"].isin(list(regions))]
        programmes = self.programmes[self.programmes["area_code"].isin(areas.index)]
        if programme_types is not None:
            programmes = programmes[programmes["programme_type"].isin(list(programme_types))]
        return replace(
            self,
            areas=areas.copy(),
            programmes=programmes.reset_index(drop=True),
        )


def build_landscape(survey: Survey, wave: WaveInfo | None = None) -> Landscape:
    """Join the 43 reference areas to a survey wave's Areas and Programmes rows."""
    areas = _areas_frame(survey)
    programmes = _programmes_frame(survey, areas)
    if wave is None:
        wave = WaveInfo(
            wave_id="survey",
            label="Survey",
            survey_date=None,
            illustrative=bool(areas["illustrative"].any() or programmes["illustrative"].any()),
        )
    return Landscape(wave=wave, areas=areas, programmes=programmes)


def _areas_frame(survey: Survey) -> pd.DataFrame:
    reference = force_area_table()[list(REFERENCE_COLUMNS)].copy()
    reference.index.name = "area_code"
    answers = survey.areas.set_index("area_code")
    joined = reference.join(answers, how="left")
    for column in AREAS.columns:
        if column.name == "force_area":
            continue
        if column.kind is Kind.CHOICES:
            # rows absent from the survey join as NaN; the contract says an empty tuple
            joined[column.name] = pd.Series(
                [v if isinstance(v, tuple) else () for v in joined[column.name]],
                index=joined.index,
                dtype=object,
            )
        elif column.kind in (Kind.TEXT, Kind.CHOICE, Kind.AREA):
            joined[column.name] = pd.Series(
                [None if _missing(v) else v for v in joined[column.name]],
                index=joined.index,
                dtype=object,
            )
    joined["response_status"] = [
        ResponseStatus.DID_NOT_RESPOND.value if v is None else v for v in joined["response_status"]
    ]
    joined["responded"] = joined["response_status"] == ResponseStatus.RESPONDED.value
    joined["illustrative"] = joined["provenance"] == Provenance.ILLUSTRATIVE.value
    ordered = [*REFERENCE_COLUMNS, "responded", "illustrative"]
    rest = [c for c in joined.columns if c not in ordered]
    return joined[ordered + rest]


def _programmes_frame(survey: Survey, areas: pd.DataFrame) -> pd.DataFrame:
    programmes = survey.programmes.copy()
    for column in PROGRAMME_AREA_COLUMNS:
        programmes[column] = programmes["area_code"].map(areas[column])
    programmes["illustrative"] = (programmes["provenance"] == Provenance.ILLUSTRATIVE.value).astype(
        bool
    )
    return programmes.reset_index(drop=True)


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False
