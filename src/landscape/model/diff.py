"""What changes between two surveys: the upload preview and the comparison of two waves.

`preview_changes(current, new)` answers "what will this upload change?": areas added, removed or
changed (naming the columns), programmes added, removed or changed (a programme is its force area
plus its name), and the published figures that move.

`compare_waves(before, after)` answers "what changed between these waves?": the net change of
every measure, and the areas that gained or lost stalking provision. An area that did not respond
in one of the waves is reported as not comparable, never as having "none".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from landscape.areas import display_name
from landscape.labels import DID_NOT_RESPOND
from landscape.model.breakdowns import (
    STALKING_CATEGORIES,
    share_label,
    stalking_categories,
    stalking_category,
)
from landscape.model.landscape import Landscape, build_landscape
from landscape.model.measures import Figure, all_figures
from landscape.schema import AREAS, PROGRAMMES, ResponseStatus, StalkingProvision
from landscape.survey import Survey
from landscape.values import counted, is_blank, joined_text, number_text

NOT_LISTED, LISTED = "Not listed", "Listed"
ADDED, REMOVED = "Added", "Removed"


def listing_change(added: bool) -> tuple[str, str]:
    """(before, after) for a whole area or programme that is added or removed, as every table of
    changes shows it: "Not listed" -> "Added", or "Listed" -> "Removed"."""
    return (NOT_LISTED, ADDED) if added else (LISTED, REMOVED)


@dataclass(frozen=True)
class ValueChange:
    """One answer that an upload changes: the column, and its old and new value as text."""

    column: str
    before: str
    after: str


@dataclass(frozen=True)
class ChangedValue:
    """One line of the preview: where, which answer, the old value and the new."""

    area: str
    programme: str
    answer: str
    before: str
    after: str


@dataclass(frozen=True)
class RowChange:
    area_code: str
    area: str
    columns: tuple[str, ...]
    programme_name: str | None = None
    values: tuple[ValueChange, ...] = ()
    """The old and new value of each changed column, in `columns`' order."""


@dataclass(frozen=True)
class FigureChange:
    id: str
    label: str
    before: Figure | None
    after: Figure | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return _figure_number(self.after) - _figure_number(self.before)


@dataclass(frozen=True)
class UploadPreview:
    areas_added: list[str] = field(default_factory=list)
    areas_removed: list[str] = field(default_factory=list)
    areas_changed: list[RowChange] = field(default_factory=list)
    programmes_added: list[tuple[str, str]] = field(default_factory=list)
    programmes_removed: list[tuple[str, str]] = field(default_factory=list)
    programmes_changed: list[RowChange] = field(default_factory=list)
    figures_moved: list[FigureChange] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return any(
            (
                self.areas_added,
                self.areas_removed,
                self.areas_changed,
                self.programmes_added,
                self.programmes_removed,
                self.programmes_changed,
            )
        )

    @property
    def summary(self) -> str:
        parts = [
            counted(len(self.areas_added), "area added", "areas added"),
            counted(len(self.areas_changed), "area changed", "areas changed"),
            counted(len(self.areas_removed), "area removed", "areas removed"),
            counted(len(self.programmes_added), "programme added", "programmes added"),
            counted(len(self.programmes_changed), "programme changed", "programmes changed"),
            counted(len(self.programmes_removed), "programme removed", "programmes removed"),
            counted(len(self.figures_moved), "figure moves", "figures move"),
        ]
        return ", ".join(parts)

    def areas_table(self) -> pd.DataFrame:
        rows = [
            {"change": "Added", "area": display_name(c), "area_code": c, "columns": ""}
            for c in self.areas_added
        ]
        rows += [
            {
                "change": "Changed",
                "area": c.area,
                "area_code": c.area_code,
                "columns": ", ".join(c.columns),
            }
            for c in self.areas_changed
        ]
        rows += [
            {"change": "Removed", "area": display_name(c), "area_code": c, "columns": ""}
            for c in self.areas_removed
        ]
        return pd.DataFrame(rows, columns=["change", "area", "area_code", "columns"])

    def programmes_table(self) -> pd.DataFrame:
        rows = [
            {"change": "Added", "area": display_name(a), "programme": n, "columns": ""}
            for a, n in self.programmes_added
        ]
        rows += [
            {
                "change": "Changed",
                "area": c.area,
                "programme": c.programme_name or "",
                "columns": ", ".join(c.columns),
            }
            for c in self.programmes_changed
        ]
        rows += [
            {"change": "Removed", "area": display_name(a), "programme": n, "columns": ""}
            for a, n in self.programmes_removed
        ]
        return pd.DataFrame(rows, columns=["change", "area", "programme", "columns"])

    def changed_values(self) -> list[ChangedValue]:
        """The change itself: each changed value, old and new side by side (an added or removed
        area or programme is one entry, worded by `listing_change`)."""
        listed = [
            *(("area", a, "", *listing_change(True)) for a in self.areas_added),
            *(("area", a, "", *listing_change(False)) for a in self.areas_removed),
            *(("programme", a, n, *listing_change(True)) for a, n in self.programmes_added),
            *(("programme", a, n, *listing_change(False)) for a, n in self.programmes_removed),
        ]
        return [
            *(
                ChangedValue(c.area, c.programme_name or "", v.column, v.before, v.after)
                for c in (*self.areas_changed, *self.programmes_changed)
                for v in c.values
            ),
            *(
                ChangedValue(display_name(code), name, what, before, after)
                for what, code, name, before, after in listed
            ),
        ]

    def changes_table(self) -> pd.DataFrame:
        """`changed_values` as a table: area, programme, answer, before, after."""
        return pd.DataFrame(
            [vars(change) for change in self.changed_values()],
            columns=["area", "programme", "answer", "before", "after"],
        )

    def figures_table(self) -> pd.DataFrame:
        """Each figure that moves: now and after upload, with both numerators and denominators."""
        return pd.DataFrame(
            [
                {
                    "figure": f.label,
                    "id": f.id,
                    "now": f.before.text if f.before else "",
                    "after upload": f.after.text if f.after else "",
                    "change": f.change,
                    "numerator now": f.before.numerator if f.before else None,
                    "denominator now": f.before.denominator if f.before else None,
                    "numerator after": f.after.numerator if f.after else None,
                    "denominator after": f.after.denominator if f.after else None,
                }
                for f in self.figures_moved
            ],
            columns=FIGURE_COLUMNS,
        )


FIGURE_COLUMNS = [
    "figure",
    "id",
    "now",
    "after upload",
    "change",
    "numerator now",
    "denominator now",
    "numerator after",
    "denominator after",
]


def preview_changes(current: Survey | None, new: Survey) -> UploadPreview:
    """What publishing `new` changes compared with `current` (None: there is no wave yet)."""
    before = current if current is not None else Survey.from_records([], [])
    old_areas = _keyed(before.areas, ("area_code",))
    new_areas = _keyed(new.areas, ("area_code",))
    old_programmes = _keyed(before.programmes, ("area_code", "programme_name"))
    new_programmes = _keyed(new.programmes, ("area_code", "programme_name"))
    area_columns = [c.name for c in AREAS.columns if c.name != "force_area"]
    programme_columns = [
        c.name for c in PROGRAMMES.columns if c.name not in ("force_area", "programme_name")
    ]
    return UploadPreview(
        areas_added=[k[0] for k in new_areas if k not in old_areas],
        areas_removed=[k[0] for k in old_areas if k not in new_areas],
        areas_changed=[
            RowChange(
                key[0], display_name(key[0]), columns, values=_values(old_areas[key], row, columns)
            )
            for key, row in new_areas.items()
            if key in old_areas and (columns := _changed(old_areas[key], row, area_columns))
        ],
        programmes_added=[(k[0], k[1]) for k in new_programmes if k not in old_programmes],
        programmes_removed=[(k[0], k[1]) for k in old_programmes if k not in new_programmes],
        programmes_changed=[
            RowChange(
                key[0],
                display_name(key[0]),
                columns,
                programme_name=key[1],
                values=_values(old_programmes[key], row, columns),
            )
            for key, row in new_programmes.items()
            if key in old_programmes
            and (columns := _changed(old_programmes[key], row, programme_columns))
        ],
        figures_moved=moved_figures(
            all_figures(build_landscape(before)) if current is not None else [],
            all_figures(build_landscape(new)),
        ),
    )


def moved_figures(before: list[Figure], after: list[Figure]) -> list[FigureChange]:
    old = {f.id: f for f in before}
    changes = []
    for figure in after:
        previous = old.get(figure.id)
        if previous is None or _figure_key(previous) != _figure_key(figure):
            changes.append(FigureChange(figure.id, figure.label, previous, figure))
    return changes


GAINED = "Gained provision"
LOST = "Lost provision"
CHANGED = "Changed provision"
NOT_COMPARABLE = "Not comparable (did not respond in one wave)"
STALKING_COLUMNS = [
    "area_code",
    "area",
    "before",
    "after",
    "gained",
    "lost",
    "change",
    "category_before",
    "category_after",
]
CATEGORY_COLUMNS = [
    "category",
    "before",
    "after",
    "change",
    "responding_before",
    "responding_after",
    "total_areas",
    "joined",
    "left",
]


@dataclass(frozen=True)
class WaveComparison:
    measures: pd.DataFrame
    """One row per measure: id, figure, before, after, change, before_text, after_text, unit
    (the figure's unit: a change of a "percent" figure is in percentage points)."""
    stalking: pd.DataFrame
    """Areas whose stalking provision differs: area_code, area, before, after, gained, lost,
    change ("Gained provision", "Lost provision", "Changed provision" or "Not comparable"),
    category_before, category_after (the map's stalking categories)."""
    categories: pd.DataFrame = field(default_factory=lambda: _empty(CATEGORY_COLUMNS))
    """One row per stalking category (map order): category, before, after, change, each wave's
    responding areas (responding_before, responding_after: a provision category's base, as on
    the stalking page), total_areas (the areas compared; "Did not respond" is outside the base),
    joined and left (the areas that moved into or out of it, named)."""

    def categories_by_wave(
        self, before: str = "Earlier wave", after: str = "Later wave"
    ) -> pd.DataFrame:
        """`categories` long, for a grouped chart: category, wave, areas, responding_areas,
        label ("12 of 33 (36%)" out of that wave's responding areas; "Did not respond" as
        "10 (not in the base of 33)"), the earlier wave's row first within each category."""
        rows = [
            {
                "category": row["category"],
                "wave": wave,
                "areas": int(row[column]),
                "responding_areas": int(row[f"responding_{column}"]),
                "label": _category_label(
                    row["category"], int(row[column]), int(row[f"responding_{column}"])
                ),
            }
            for row in self.categories.to_dict(orient="records")
            for wave, column in ((before, "before"), (after, "after"))
        ]
        return pd.DataFrame(
            rows, columns=["category", "wave", "areas", "responding_areas", "label"]
        )

    @property
    def areas_gaining_provision(self) -> list[str]:
        return list(self.stalking.loc[self.stalking["change"] == GAINED, "area_code"])

    @property
    def areas_losing_provision(self) -> list[str]:
        return list(self.stalking.loc[self.stalking["change"] == LOST, "area_code"])


def compare_waves(before: Landscape, after: Landscape) -> WaveComparison:
    """Net change per measure and stalking-provision changes from `before` to `after`."""
    old = {f.id: f for f in all_figures(before)}
    rows = []
    for figure in all_figures(after):
        previous = old.get(figure.id)
        rows.append(
            {
                "id": figure.id,
                "figure": figure.label,
                "before": _figure_number(previous) if previous else None,
                "after": _figure_number(figure),
                "change": _figure_number(figure) - _figure_number(previous) if previous else None,
                "before_text": previous.text if previous else "",
                "after_text": figure.text,
                "unit": figure.unit,
            }
        )
    measures = pd.DataFrame(
        rows,
        columns=[
            "id",
            "figure",
            "before",
            "after",
            "change",
            "before_text",
            "after_text",
            "unit",
        ],
    )
    return WaveComparison(
        measures=measures,
        stalking=_stalking_changes(before, after),
        categories=_category_changes(before, after),
    )


def area_changes(before: Landscape, after: Landscape, area_code: str) -> pd.DataFrame:
    """One area between two waves: each answer that differs, and programmes added or removed.

    Columns: what ("answer" or "programme"), item (column or programme name), before, after.
    """
    rows: list[dict[str, str]] = []
    old_area, new_area = before.areas.loc[area_code], after.areas.loc[area_code]
    for column in ["response_status", *(c.name for c in AREAS.columns[1:])]:
        if column in ("provenance", "source", "notes") or column not in after.areas.columns:
            continue
        old, new = old_area.get(column), new_area.get(column)
        if not _same(old, new):
            rows.append(
                {
                    "what": "answer",
                    "item": column,
                    "before": joined_text(old),
                    "after": joined_text(new),
                }
            )
    old_names = set(
        before.programmes.loc[before.programmes["area_code"] == area_code, "programme_name"]
    )
    new_names = set(
        after.programmes.loc[after.programmes["area_code"] == area_code, "programme_name"]
    )
    for added, names in ((True, new_names - old_names), (False, old_names - new_names)):
        before_text, after_text = listing_change(added)
        rows += [
            {"what": "programme", "item": name, "before": before_text, "after": after_text}
            for name in sorted(names)
        ]
    return pd.DataFrame(rows, columns=["what", "item", "before", "after"])


def _stalking_changes(before: Landscape, after: Landscape) -> pd.DataFrame:
    rows = []
    for code in after.areas.index:
        if code not in before.areas.index:
            continue
        old_row, new_row = before.areas.loc[code], after.areas.loc[code]
        old_set, new_set = _provision(old_row), _provision(new_row)
        if old_set == new_set:
            continue
        if old_set is None or new_set is None:
            change = NOT_COMPARABLE
            gained: tuple[str, ...] = ()
            lost: tuple[str, ...] = ()
        else:
            gained = tuple(sorted(new_set - old_set))
            lost = tuple(sorted(old_set - new_set))
            if not old_set and new_set:
                change = GAINED
            elif old_set and not new_set:
                change = LOST
            else:
                change = CHANGED
        rows.append(
            {
                "area_code": code,
                "area": display_name(str(code)),
                "before": _provision_text(old_set),
                "after": _provision_text(new_set),
                "gained": "; ".join(gained),
                "lost": "; ".join(lost),
                "change": change,
                "category_before": _category(old_row),
                "category_after": _category(new_row),
            }
        )
    return pd.DataFrame(rows, columns=STALKING_COLUMNS)


def _category_changes(before: Landscape, after: Landscape) -> pd.DataFrame:
    """Areas per stalking category in each wave, naming the areas that joined or left it.

    Counted over the areas present in both views; "Did not respond" is a category of its own."""
    codes = [c for c in after.areas.index if c in before.areas.index]
    old = stalking_categories(before).reindex(codes)
    new = stalking_categories(after).reindex(codes)
    rows = []
    for category in STALKING_CATEGORIES:
        joined = [display_name(str(c)) for c in codes if new[c] == category != old[c]]
        left = [display_name(str(c)) for c in codes if old[c] == category != new[c]]
        count_before, count_after = int((old == category).sum()), int((new == category).sum())
        rows.append(
            {
                "category": category,
                "before": count_before,
                "after": count_after,
                "change": count_after - count_before,
                "responding_before": int((old != DID_NOT_RESPOND).sum()),
                "responding_after": int((new != DID_NOT_RESPOND).sum()),
                "total_areas": len(codes),
                "joined": "; ".join(joined),
                "left": "; ".join(left),
            }
        )
    return pd.DataFrame(rows, columns=CATEGORY_COLUMNS)


def _category_label(category: str, areas: int, responding: int) -> str:
    """A category's count out of the wave's responding areas, as breakdowns.stalking_summary
    words it: the areas that did not respond are counted apart, outside that base."""
    if category == DID_NOT_RESPOND:
        return f"{number_text(areas)} (not in the base of {number_text(responding)})"
    return share_label(areas, responding)


def _category(row: pd.Series) -> str:
    provision = row.get("stalking_provision")
    return stalking_category(
        bool(row.get("responded", False)), provision if isinstance(provision, tuple) else ()
    )


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columns)


def _provision(row: pd.Series) -> frozenset[str] | None:
    """The area's stalking provision (empty set: none), or None when it did not respond."""
    if not bool(row.get("responded", False)):
        return None
    values = row.get("stalking_provision") or ()
    return frozenset(str(v) for v in values if v != StalkingProvision.NONE)


def _provision_text(provision: frozenset[str] | None) -> str:
    if provision is None:
        return str(ResponseStatus.DID_NOT_RESPOND)
    if not provision:
        return str(StalkingProvision.NONE)
    order = [str(p) for p in StalkingProvision]
    return "; ".join(sorted(provision, key=order.index))


def _figure_number(figure: Figure) -> float:
    return float(figure.numerator) if figure.unit != "percent" else float(figure.value)


def _figure_key(figure: Figure) -> tuple[Any, ...]:
    return (figure.numerator, figure.denominator)


def _keyed(frame: pd.DataFrame, key: tuple[str, ...]) -> dict[tuple[str, ...], dict[str, Any]]:
    return {
        tuple(str(record[k]) for k in key): {str(name): v for name, v in record.items()}
        for record in frame.to_dict(orient="records")
    }


def _changed(old: dict[str, Any], new: dict[str, Any], columns: list[str]) -> tuple[str, ...]:
    return tuple(c for c in columns if not _same(old.get(c), new.get(c)))


def _values(
    old: dict[str, Any], new: dict[str, Any], columns: tuple[str, ...]
) -> tuple[ValueChange, ...]:
    return tuple(ValueChange(c, _text(old.get(c)), _text(new.get(c))) for c in columns)


def _text(value: Any) -> str:
    """A value as the workbook shows it: dates as YYYY-MM-DD, 1500.0 as 1500."""
    if isinstance(value, pd.Timestamp) and not pd.isna(value):
        return value.date().isoformat()
    if isinstance(value, float) and not pd.isna(value) and value.is_integer():
        return str(int(value))
    return joined_text(value)


def _same(a: Any, b: Any) -> bool:
    if is_blank(a) and is_blank(b):
        return True
    if is_blank(a) or is_blank(b):
        return False
    if isinstance(a, (tuple, list)) or isinstance(b, (tuple, list)):
        return tuple(a) == tuple(b)
    return bool(a == b)
