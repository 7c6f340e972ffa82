"""The domain's fast paths behind issue 13's filter-change target give the same answers as the
plain pandas ones they replaced.

Each `_old_*` function below is the implementation before the change, kept as the reference: the
new one must give the same frame (columns, dtypes, values, order, index), the same figure JSON or
the same figures, on the whole bundled wave and on narrowed views, an empty one included.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.utils import PlotlyJSONEncoder

from landscape.figures import charts, palette
from landscape.model import breakdowns
from landscape.model.landscape import Landscape
from landscape.schema import ProgrammeType

TODAY = datetime.date(2025, 2, 15)
"""A reference day with quarters ended, partly ended and ahead in the bundled wave."""

VIEWS: dict[str, dict[str, Any]] = {
    "whole wave": {},
    "England": {"countries": ["England"]},
    "Wales": {"countries": ["Wales"]},
    "a region": {"regions": ["North West"]},
    "one programme type": {"programme_types": [ProgrammeType.EARLY_INTERVENTION.value]},
    "no programmes": {"regions": ["North East"], "programme_types": [ProgrammeType.CAPVA.value]},
    "no areas": {"countries": ["Scotland"]},
}


def _with_gaps(model: Landscape) -> Landscape:
    """The wave with some end dates and budgets missing and budgets in pence: the "Not recorded"
    row and float sums that depend on the order they are added in."""
    programmes = model.programmes.copy()
    rows = len(programmes)
    programmes.loc[programmes.index % 7 == 3, "funding_end"] = pd.NaT
    pence = [1000.0 + (i * 7919) % 100003 / 100 + 0.1 for i in range(rows)]
    programmes["annual_budget_gbp"] = [
        np.nan if i % 5 == 1 else p for i, p in enumerate(pence, start=0)
    ]
    return dataclasses.replace(model, programmes=programmes)


@pytest.fixture(scope="module", params=[*VIEWS, "gaps in the wave"])
def view(request: pytest.FixtureRequest, bundled: Landscape) -> Landscape:
    if request.param == "gaps in the wave":
        return _with_gaps(bundled)
    return bundled.filter(**VIEWS[request.param])


def test_the_views_include_one_without_programmes_and_one_without_areas(bundled):
    assert len(bundled.filter(**VIEWS["no programmes"]).programmes) == 0
    assert len(bundled.filter(**VIEWS["no areas"]).areas) == 0


def _same_frame(new: pd.DataFrame, old: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(new, old, check_exact=True)
    assert list(new.dtypes) == list(old.dtypes)


# --- breakdowns.programme_types_by_area ----------------------------------------------------------


def _old_programme_types_by_area(model: Landscape) -> pd.DataFrame:
    programmes = model.programmes
    columns = ["area_code", "area", "region", "programme_type", "programmes", "area_programmes"]
    if programmes.empty:
        return pd.DataFrame(columns=columns)
    counts = (
        programmes.groupby(["area_code", "programme_type"], sort=False)
        .size()
        .rename("programmes")
        .reset_index()
    )
    order = {t.value: i for i, t in enumerate(ProgrammeType)}
    counts["area"] = counts["area_code"].map(model.areas["display_name"])
    counts["region"] = counts["area_code"].map(model.areas["region"])
    counts["area_programmes"] = counts.groupby("area_code")["programmes"].transform("sum")
    counts["_order"] = counts["programme_type"].map(order)
    counts = counts.sort_values(
        ["area_programmes", "area", "_order"], ascending=[False, True, True]
    )
    return counts[columns].reset_index(drop=True)


def test_programme_types_by_area_is_the_grouped_table(view):
    _same_frame(breakdowns.programme_types_by_area(view), _old_programme_types_by_area(view))


# --- charts.stacked_bars and grouped_share_bars (their parts as lists) ------------------------


def _old_split_bars(
    frame: pd.DataFrame,
    *,
    category: str,
    split: str,
    count: str,
    names: Sequence[str],
    line: Mapping[str, object],
    text_options: Callable[[str, pd.DataFrame, str], dict[str, Any]],
) -> list[dict[str, Any]]:
    colours = palette.category_colours(names)
    patterns = palette.category_patterns(names)
    traces: list[dict[str, Any]] = []
    for name, part in _old_parts(frame, split, names):
        colour = colours.get(name, charts.PRIMARY)
        traces.append(
            {
                "type": "bar",
                "name": charts.escape(name),
                "x": list(part[count]),
                "y": [charts.escape(c) for c in part[category]],
                "orientation": "h",
                "marker": {
                    "color": colour,
                    "pattern": charts._pattern(patterns.get(name, "")),
                    "line": dict(line),
                },
                **text_options(name, part, colour),
            }
        )
    return traces


def _old_parts(
    frame: pd.DataFrame, split: str, names: Sequence[str]
) -> list[tuple[str, pd.DataFrame]]:
    groups = frame.groupby(split, sort=False, observed=True).indices
    return [(name, frame.iloc[groups[name]]) for name in names if len(groups.get(name, ()))]


def _old_grouped_share_bars(
    frame: pd.DataFrame,
    *,
    category: str,
    group: str,
    count: str,
    label: str = "label",
    title: str = "",
    x_title: str = "",
    group_order: Sequence[str] | None = None,
) -> go.Figure:
    groups = list(group_order or dict.fromkeys(frame[group]))

    def labelled(name: str, part: pd.DataFrame, colour: str) -> dict[str, Any]:
        return {
            "text": [f"{charts.escape(name)}: {charts.escape(v)}" for v in part[label]],
            "hovertemplate": "%{y}, %{text}<extra></extra>",
        }

    data = _old_split_bars(
        frame,
        category=category,
        split=group,
        count=count,
        names=groups,
        line={"color": charts.TEXT_COLOUR, "width": 0.5},
        text_options=labelled,
    )
    order = list(dict.fromkeys(frame[category]))
    # each category's labels, its groups in trace order ("None: 52 of 210" is "52 of 210")
    lines: dict[object, list[str]] = {c: [] for c in order}
    for name, part in _old_parts(frame, group, groups):
        for c, value in zip(part[category], part[label], strict=True):
            lines[c].append(
                charts.escape(value)
                if name == c
                else f"{charts.escape(name)}: {charts.escape(value)}"
            )
    layout = charts._layout(title=title, bars=len(order) * max(1, len(groups)), x_title=x_title)
    charts._headroom(layout, frame[count], factor=1.05)
    charts._labels_under_categories(
        data, layout, [charts.escape(c) for c in order], [lines[c] for c in order]
    )
    layout["barmode"] = "group"
    charts._legend_below(layout, room=40 + 20 * len(groups))
    return charts._figure(data, layout)


def _old_stacked_bars(
    frame: pd.DataFrame,
    *,
    category: str,
    stack: str,
    count: str,
    title: str = "",
    x_title: str = "",
    stack_order: Sequence[str] | None = None,
    totals: Mapping[str, float] | None = None,
) -> go.Figure:
    stacks = list(stack_order or dict.fromkeys(frame[stack]))
    order = list(dict.fromkeys(frame[category]))

    def counted_inside(name: str, part: pd.DataFrame, colour: str) -> dict[str, Any]:
        return {
            "text": [str(v) for v in part[count]],
            "textposition": "inside",
            "insidetextanchor": "middle",
            "textangle": 0,
            "insidetextfont": {"color": [palette.text_colour_on(colour)] * len(part)},
            "customdata": [charts.escape(name)] * len(part),
            "hovertemplate": "%{y}: %{x} %{customdata}<extra></extra>",
        }

    data = _old_split_bars(
        frame,
        category=category,
        split=stack,
        count=count,
        names=stacks,
        line={"color": "#FFFFFF", "width": 1},
        text_options=counted_inside,
    )
    sums: dict[object, float] = (
        {k: float(v) for k, v in totals.items()}
        if totals is not None
        else {k: float(v) for k, v in frame.groupby(category, sort=False)[count].sum().items()}
    )
    data.append(
        {
            "type": "scatter",
            "x": [sums.get(c, 0) for c in order],
            "y": [charts.escape(c) for c in order],
            "mode": "text",
            "text": [f"  {charts._whole(sums.get(c, 0))}" for c in order],
            "textposition": "middle right",
            "showlegend": False,
            "hoverinfo": "skip",
            "cliponaxis": False,
        }
    )
    layout = charts._layout(title=title, bars=len(order), x_title=x_title)
    charts._headroom(layout, pd.Series(list(sums.values()) or [0]))
    layout["yaxis"].update(categoryorder="array", categoryarray=[charts.escape(c) for c in order])
    layout["barmode"] = "stack"
    # a phone wraps the key onto six rows: charts.LEGEND_ROOM pixels for it under the plot
    charts._legend_below(layout, room=charts.LEGEND_ROOM)
    return charts._figure(data, layout)


def _same_figure(new: go.Figure, old: go.Figure) -> None:
    assert new.to_plotly_json() == old.to_plotly_json()
    assert json.dumps(new.to_plotly_json(), cls=PlotlyJSONEncoder, sort_keys=True) == json.dumps(
        old.to_plotly_json(), cls=PlotlyJSONEncoder, sort_keys=True
    )


def test_stacked_bars_of_programme_types_by_area_are_the_same_figure(view):
    table = breakdowns.programme_types_by_area(view)
    options: dict[str, Any] = {
        "category": "area",
        "stack": "programme_type",
        "count": "programmes",
        "title": "Programmes per area, by type",
        "x_title": "Programmes",
        "stack_order": tuple(t.value for t in ProgrammeType),
    }
    _same_figure(charts.stacked_bars(table, **options), _old_stacked_bars(table, **options))
    # in the table's own order of stacks, as when no order is given
    del options["stack_order"]
    _same_figure(charts.stacked_bars(table, **options), _old_stacked_bars(table, **options))


def test_grouped_share_bars_are_the_same_figure(view):
    table = breakdowns.evaluation_types(view)
    options: dict[str, Any] = {
        "category": "evaluation_type",
        "group": "status",
        "count": "programmes",
        "title": "Evaluation",
        "x_title": "Programmes",
        "group_order": ("Completed", "Planned", "None"),
    }
    _same_figure(
        charts.grouped_share_bars(table, **options), _old_grouped_share_bars(table, **options)
    )


# --- breakdowns.funding_cliff and charts.funding_cliff_bars ------------------------------------


def _old_funding_cliff(model: Landscape, today: datetime.date | None = None) -> pd.DataFrame:
    columns = [
        "quarter",
        "quarter_start",
        "programmes",
        "ended",
        "status",
        "total_programmes",
        "budget_gbp",
        "programmes_with_budget",
        "label",
    ]
    programmes = model.programmes
    total = len(programmes)
    if not total:
        return pd.DataFrame(columns=columns)
    on = breakdowns.funding_reference(model, today or datetime.date.today()).on
    ends = pd.to_datetime(programmes["funding_end"])
    budget = pd.to_numeric(programmes["annual_budget_gbp"], errors="coerce")
    frame = pd.DataFrame({"end": ends, "budget": budget})
    rows = []
    dated = frame.dropna(subset=["end"])
    if len(dated):
        dated = dated.assign(period=dated["end"].dt.to_period("Q"))
        for period, group in dated.groupby("period", sort=True):
            start = pd.Period(str(period), freq="Q").start_time
            ended = int((group["end"] < pd.Timestamp(on)).sum())
            rows.append(
                {
                    "quarter": breakdowns._quarter_label(start),
                    "quarter_start": start,
                    "programmes": len(group),
                    "ended": ended,
                    "status": breakdowns._funding_status(ended, len(group)),
                    "total_programmes": total,
                    "budget_gbp": float(group["budget"].sum(min_count=1) or 0.0)
                    if group["budget"].notna().any()
                    else 0.0,
                    "programmes_with_budget": int(group["budget"].notna().sum()),
                    "label": breakdowns.share_label(len(group), total),
                }
            )
    undated = frame[frame["end"].isna()]
    if len(undated):
        rows.append(
            {
                "quarter": breakdowns.NOT_RECORDED,
                "quarter_start": pd.NaT,
                "programmes": len(undated),
                "ended": 0,
                "status": breakdowns.NOT_RECORDED,
                "total_programmes": total,
                "budget_gbp": float(undated["budget"].sum())
                if undated["budget"].notna().any()
                else 0.0,
                "programmes_with_budget": int(undated["budget"].notna().sum()),
                "label": breakdowns.share_label(len(undated), total),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _old_funding_cliff_bars(frame: pd.DataFrame, *, title: str = "") -> go.Figure:
    labels = []
    for _, row in frame.iterrows():
        count = int(row["programmes"])
        text = f"{count} programme" + ("" if count == 1 else "s")
        if row["programmes_with_budget"]:
            text += (
                f"; £{row['budget_gbp']:,.0f} a year known for {int(row['programmes_with_budget'])}"
            )
        labels.append(text)
    quarters = [charts.escape(q) for q in frame["quarter"]]
    # Past is drawn as past: a quarter's programmes whose end date is before the reference date
    # (the frame's "ended", breakdowns.funding_cliff) are their own grey, hatched, keyed part.
    counts = [int(v) for v in frame["programmes"]]
    ended = [int(v) for v in frame["ended"]]
    dated = list(frame["quarter_start"].notna())
    ahead = [c - e if d else 0 for c, e, d in zip(counts, ended, dated, strict=True)]
    undated = [0 if d else c for c, d in zip(counts, dated, strict=True)]
    for i, past in enumerate(ended):
        if past:
            labels[i] += " (ended)" if past == counts[i] else f", {past} ended"
    parts = (
        ("Ended", ended, palette.DARK_GREY, "x"),
        ("Ahead", ahead, charts.PRIMARY, ""),
        ("No end date recorded", undated, palette.MISSING_GREY, ""),
    )
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "name": f"{name} ({sum(xs)})",
            "x": xs,
            "y": quarters,
            "orientation": "h",
            "marker": {"color": colour, "pattern": charts._pattern(shape)},
            "text": labels,
            "textposition": "outside",
            "cliponaxis": False,
            "customdata": [name.lower()] * len(xs),
            "hovertemplate": "%{y}: %{x} %{customdata}<extra></extra>",
        }
        for name, xs, colour, shape in parts
        if sum(xs)
    ]
    layout = charts._layout(title=title, bars=len(frame), x_title="Programmes whose funding ends")
    charts._headroom(layout, frame["programmes"], factor=1.05)
    charts._labels_under_categories(data, layout, quarters, [[t] for t in labels])
    # the key sits under the axis title, as stacked_bars places it: clear of the title at any width
    layout["barmode"] = "stack"
    charts._legend_below(layout, room=60)
    return charts._figure(data, layout)


@pytest.mark.parametrize("today", [TODAY, datetime.date(2026, 12, 2), datetime.date(2020, 1, 1)])
def test_the_funding_cliff_is_the_grouped_table_and_the_same_figure(view, today):
    table = breakdowns.funding_cliff(view, today)
    _same_frame(table, _old_funding_cliff(view, today))
    _same_figure(
        charts.funding_cliff_bars(table, title="Cliff"),
        _old_funding_cliff_bars(table, title="Cliff"),
    )


def test_a_wave_with_a_survey_date_reads_its_ends_against_it(bundled):
    dated = dataclasses.replace(
        bundled, wave=dataclasses.replace(bundled.wave, survey_date=datetime.date(2025, 3, 31))
    )
    for model in (dated, _with_gaps(dated)):
        _same_frame(breakdowns.funding_cliff(model), _old_funding_cliff(model))
