"""What the "Change between waves" sections say and show, from `diff.compare_waves` and
`diff.area_changes`: the findings in words and the tables with readable column names."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from landscape.model.diff import CHANGED, GAINED, LOST, NOT_COMPARABLE, WaveComparison

MEASURE_COLUMNS = {
    "figure": "Figure",
    "change": "Net change",
    "change_unit": "Change in",
    "before_text": "Earlier wave",
    "after_text": "Later wave",
    "before": "Earlier value",
    "after": "Later value",
    "id": "Figure id",
}
STALKING_COLUMNS = {
    "area": "Area",
    "change": "Change",
    "category_before": "Category, earlier wave",
    "category_after": "Category, later wave",
    "before": "Provision, earlier wave",
    "after": "Provision, later wave",
    "gained": "Provision added",
    "lost": "Provision ended",
    "area_code": "ONS code",
}
CATEGORY_COLUMNS = {
    "category": "Stalking category",
    "before": "Areas, earlier wave",
    "after": "Areas, later wave",
    "change": "Net change",
    "responding_before": "Responding areas, earlier wave",
    "responding_after": "Responding areas, later wave",
    "total_areas": "Areas compared (responding or not)",
    "joined": "Areas that moved in",
    "left": "Areas that moved out",
}
AREA_CHANGE_COLUMNS = {
    "what": "What",
    "item": "Answer or programme",
    "before": "Earlier wave",
    "after": "Later wave",
}
STALKING_CHANGE_INTROS = (
    (GAINED, "Gained stalking provision (had none)"),
    (LOST, "Lost all stalking provision"),
    (CHANGED, "Changed their kinds of stalking provision"),
    (NOT_COMPARABLE, "Not comparable (did not respond in one of the waves)"),
)


@dataclass(frozen=True)
class MovedFigure:
    figure: str
    before_text: str
    after_text: str


@dataclass(frozen=True)
class OverviewChange:
    """The overview's summary of two waves."""

    moved: tuple[MovedFigure, ...]
    """The figures whose value changed."""
    figures: int
    """All figures compared."""
    measures_table: pd.DataFrame = field(hash=False)
    stalking_finding: str
    stalking_lists: tuple[tuple[str, tuple[str, ...]], ...]
    """(intro, area names) for each kind of stalking change that some area made."""
    stalking_table: pd.DataFrame = field(hash=False)
    categories_table: pd.DataFrame = field(hash=False)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def stalking_finding(stalking: pd.DataFrame) -> str:
    """E.g. '2 areas gained stalking provision, 1 lost it, 0 changed its kind'."""
    if not len(stalking):
        return "No area's stalking provision changed"
    gained, lost, changed = (int((stalking["change"] == c).sum()) for c in (GAINED, LOST, CHANGED))
    return (
        f"{_count(gained, 'area', 'areas')} gained stalking provision, "
        f"{lost} lost it, {changed} changed its kind"
    )


def measures_table(measures: pd.DataFrame) -> pd.DataFrame:
    """compare_waves' measures with readable columns (a percent figure changes in points)."""
    shown = measures.assign(
        change_unit=[
            "percentage points" if unit == "percent" else str(unit) for unit in measures["unit"]
        ]
    )
    return shown[list(MEASURE_COLUMNS)].rename(columns=MEASURE_COLUMNS)


def overview_change(comparison: WaveComparison) -> OverviewChange:
    measures = comparison.measures
    moved = measures[measures["change"].fillna(0) != 0]
    stalking = comparison.stalking
    lists = tuple(
        (intro, names)
        for change, intro in STALKING_CHANGE_INTROS
        if (names := tuple(str(n) for n in stalking.loc[stalking["change"] == change, "area"]))
    )
    return OverviewChange(
        moved=tuple(
            MovedFigure(str(r.figure), str(r.before_text), str(r.after_text))
            for r in moved.itertuples()
        ),
        figures=len(measures),
        measures_table=measures_table(measures),
        stalking_finding=stalking_finding(stalking),
        stalking_lists=lists,
        stalking_table=stalking[list(STALKING_COLUMNS)].rename(columns=STALKING_COLUMNS),
        categories_table=comparison.categories[list(CATEGORY_COLUMNS)].rename(
            columns=CATEGORY_COLUMNS
        ),
    )


@dataclass(frozen=True)
class AreaChange:
    """One area's changed answers and programmes between two waves."""

    answers: int
    programmes: int
    table: pd.DataFrame = field(hash=False)

    @property
    def empty(self) -> bool:
        return not (self.answers or self.programmes)

    def sentence(self, name: str) -> str:
        """E.g. '2 answers and 1 programme of Kent changed.'"""
        return (
            f"{_count(self.answers, 'answer', 'answers')} and "
            f"{_count(self.programmes, 'programme', 'programmes')} of {name} changed."
        )


def area_change(changes: pd.DataFrame) -> AreaChange:
    """Summarise diff.area_changes: how many answers and programmes changed, the table shown."""
    return AreaChange(
        answers=int((changes["what"] == "answer").sum()),
        programmes=int((changes["what"] == "programme").sum()),
        table=changes.rename(columns=AREA_CHANGE_COLUMNS),
    )
