"""The landscape model: all 43 force areas joined to one survey wave.

The survey only lists the areas it has rows for; the model always carries every force area, so that
"did not respond" is a row of its own and never silently missing (or, worse, counted as "none").
Measures (landscape.model.measures) and breakdowns read this model and nothing else.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from functools import cached_property, partial

import numpy as np
import pandas as pd

from landscape.areas import force_area_table
from landscape.schema import (
    AREAS,
    NOT_ANSWERS,
    PROGRAMMES,
    Kind,
    Provenance,
    ResponseStatus,
    ValueProvenance,
    split_choices,
)
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
VALUE_PROVENANCE_COLUMNS = (
    "sheet",
    "area_code",
    "programme_name",
    "column",
    "provenance",
    "document",
    "section",
    "note",
    "members",
    "other_members",
    "others",
)


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
    provenance_source: Callable[[], pd.DataFrame] = field(
        default=lambda: pd.DataFrame(columns=list(VALUE_PROVENANCE_COLUMNS)), repr=False
    )
    """Makes `value_provenance` when first asked: one row per answer is ~15,000 rows a wave and
    most views never read it, so loading a wave does not pay for it (issue 13)."""

    @cached_property
    def value_provenance(self) -> pd.DataFrame:
        """One row per answer (sheet, area_code, programme_name, column): its provenance
        (Published, Sourced, Reported or Illustrative) and, when Sourced, document and section.

        Built once per model, on first use (cached_property writes the instance's __dict__, which
        a frozen dataclass allows)."""
        return self.provenance_source()

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
        programmes = programmes.reset_index(drop=True)
        whole = self

        def narrowed_provenance() -> pd.DataFrame:
            # the whole model's table (built once, shared by every view of it), cut to the view
            return _provenance_within(whole.value_provenance, areas.index, programmes)

        return replace(
            self,
            areas=areas.copy(),
            programmes=programmes,
            provenance_source=narrowed_provenance,
        )


def _provenance_within(
    values: pd.DataFrame, area_codes: pd.Index, programmes: pd.DataFrame
) -> pd.DataFrame:
    """The value provenance rows of the kept areas' answers and the kept programmes' answers."""
    kept = pd.MultiIndex.from_arrays([programmes["area_code"], programmes["programme_name"]])
    answers = pd.MultiIndex.from_arrays([values["area_code"], values["programme_name"]])
    is_area = (values["sheet"] == AREAS.name).to_numpy()
    keep = np.where(is_area, values["area_code"].isin(area_codes).to_numpy(), answers.isin(kept))
    return values[keep].reset_index(drop=True)


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
    return Landscape(
        wave=wave,
        areas=areas,
        programmes=programmes,
        provenance_source=partial(value_provenance, survey),
    )


def value_provenance(survey: Survey) -> pd.DataFrame:
    """Every answer's provenance: the Provenance sheet's entry, else its row's default.

    A value the sheet does not list is Reported on a Reported (or blank) row, and Illustrative on
    an Illustrative or Sourced row: a row a document names is not thereby sourced in every field.
    A blank answer gets a row only when the sheet lists it (a source can show a cell is empty).
    """
    listed = {
        (r["sheet"], r["area_code"], _name_key(r["programme_name"]), r["column"]): r
        for r in survey.provenance.to_dict("records")
    }
    rows = []
    for sheet, frame in ((AREAS, survey.areas), (PROGRAMMES, survey.programmes)):
        answers = [c for c in sheet.columns if c.name not in NOT_ANSWERS]
        for record in frame.to_dict("records"):
            name = record.get("programme_name") if sheet is PROGRAMMES else None
            name_key = _name_key(name)  # once per row, not per answer (15,000 answers a wave)
            default = (
                ValueProvenance.REPORTED
                if record.get("provenance") in (None, Provenance.REPORTED)
                else ValueProvenance.ILLUSTRATIVE
            )
            for column in answers:
                entry = listed.get((sheet.name, record["area_code"], name_key, column.name))
                answer = record.get(column.name)
                if entry is None and _blank_answer(answer):
                    continue
                members, other_members = _members_spoken_for(entry, answer)
                rows.append(
                    {
                        "sheet": sheet.name,
                        "area_code": record["area_code"],
                        "programme_name": name,
                        "column": column.name,
                        "provenance": str(entry["provenance"] if entry else default),
                        "document": entry["document"] if entry else None,
                        "section": entry["section"] if entry else None,
                        "note": entry["note"] if entry else None,
                        "members": members,
                        "other_members": other_members,
                        "others": str(default) if other_members else None,
                    }
                )
    return pd.DataFrame(rows, columns=list(VALUE_PROVENANCE_COLUMNS))


def _members_spoken_for(
    entry: dict | None, answer: object
) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """For an entry naming some options of a several-of-a-list answer (its `members`): those of
    the answer it speaks for, and the answer's other options (which keep the row's default).
    (None, None) when the entry speaks for the whole answer."""
    named = split_choices(entry.get("members")) if entry else ()
    if not named or not isinstance(answer, tuple):
        return None, None
    spoken = tuple(m for m in answer if m in named)
    rest = tuple(m for m in answer if m not in named)
    return (spoken, rest) if rest else (None, None)


def _name_key(name: object) -> str | None:
    return None if _missing(name) else " ".join(str(name).split()).casefold()


def _blank_answer(value: object) -> bool:
    if isinstance(value, str):  # the common case, without pandas' isna
        return False
    return not value if isinstance(value, tuple) else _missing(value)


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
