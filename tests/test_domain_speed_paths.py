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
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.utils import PlotlyJSONEncoder

from landscape.figures import charts, palette
from landscape.model import breakdowns, findings, measures, questions
from landscape.model.breakdowns import is_early_intervention
from landscape.model.landscape import Landscape
from landscape.model.questions import RISK_LEVELS, question_shares
from landscape.schema import (
    ACCREDITED,
    AREAS,
    PROGRAMMES,
    Accreditation,
    Cohort,
    ContinuationPlan,
    FollowUpEngagement,
    Kind,
    ProgrammeType,
    RiskForum,
    RiskLevel,
    StalkingProvision,
    YesNo,
    YesNoUnsure,
)
from landscape.values import is_blank, joined_text

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
            "text": [f"  {charts.whole_number(sums.get(c, 0))}" for c in order],
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
    reference = breakdowns.funding_reference(model, today)
    assert reference is not None  # every caller here gives a day, or a wave with a survey date
    on = reference.on
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


# --- measures: every figure of a view --------------------------------------------------------


def _old_contains(series: pd.Series, wanted: Iterable[str]) -> pd.Series:
    wanted = set(wanted)
    return series.map(lambda chosen: bool(wanted.intersection(chosen)))


def _old_respondent_figure(
    model: Landscape, fid: str, label: str, mask: pd.Series, unit: str = "areas"
) -> measures.Figure:
    # the areas' `responded` column rather than model.respondents: no frame copy per measure
    responded = model.areas["responded"].to_numpy(dtype=bool)
    chosen = mask.reindex(model.areas.index, fill_value=False).to_numpy(dtype=bool)
    return measures.Figure(
        id=fid,
        label=label,
        numerator=float((chosen & responded).sum()),
        denominator=float(responded.sum()),
        unit=unit,
        denominator_label=measures.RESPONDING_AREAS,
    )


def _old_force_area_figure(
    model: Landscape, fid: str, label: str, mask: pd.Series
) -> measures.Figure:
    return measures.Figure(
        id=fid,
        label=label,
        numerator=float(mask.sum()),
        denominator=float(len(model.areas)),
        unit="areas",
        denominator_label=measures.FORCE_AREAS,
    )


def _old_areas_with_programme(model: Landscape, mask: pd.Series) -> pd.Series:
    codes = set(model.programmes.loc[mask, "area_code"])
    return pd.Series(model.areas.index.isin(list(codes)), index=model.areas.index)


def _old_respondent_count(model: Landscape) -> measures.Figure:
    responded = model.areas["responded"]
    return _old_force_area_figure(
        model, "respondents", "Areas that responded to the survey", responded
    )


def _old_non_respondent_count(model: Landscape) -> measures.Figure:
    silent = ~model.areas["responded"]
    return _old_force_area_figure(model, "non_respondents", "Areas that did not respond", silent)


def _old_programme_count(model: Landscape) -> measures.Figure:
    return measures.Figure(
        id="programmes",
        label="Programmes reported",
        numerator=float(len(model.programmes)),
        denominator=None,
        unit="programmes",
        denominator_label="",
    )


def _old_areas_engaged_in_person(model: Landscape) -> measures.Figure:
    mask = model.areas["follow_up_engagement"] == FollowUpEngagement.IN_PERSON.value
    return _old_respondent_figure(model, "inperson_engagement", "Areas engaged in person", mask)


def _old_areas_engaged_online(model: Landscape) -> measures.Figure:
    mask = model.areas["follow_up_engagement"] == FollowUpEngagement.ONLINE.value
    return _old_respondent_figure(
        model, "online_engagement", "Areas engaged in online meetings", mask
    )


def _old_areas_commissioning_da_programmes(model: Landscape) -> measures.Figure:
    mask = model.areas["commissions_da_programmes"] == YesNo.YES.value
    return _old_respondent_figure(
        model, "da_programmes", "Areas commissioning or co-commissioning DA programmes", mask
    )


def _old_areas_with_da_related_stalking_provision(model: Landscape) -> measures.Figure:
    mask = _old_contains(
        model.areas["stalking_provision"],
        (StalkingProvision.WITHIN_DA_PROGRAMMES, StalkingProvision.SPECIALIST_DA_RELATED),
    )
    return _old_respondent_figure(
        model, "stalking_da_related", "Areas commissioning services for DA-related stalking", mask
    )


def _old_areas_with_non_da_stalking_programme(model: Landscape) -> measures.Figure:
    mask = _old_contains(model.areas["stalking_provision"], (StalkingProvision.SPECIALIST_NON_DA,))
    return _old_respondent_figure(
        model,
        "stalking_non_da",
        "Areas commissioning programmes for stalking unrelated to DA",
        mask,
    )


def _old_respondents_without_non_da_stalking_programme(model: Landscape) -> measures.Figure:
    mask = ~_old_contains(model.areas["stalking_provision"], (StalkingProvision.SPECIALIST_NON_DA,))
    return _old_respondent_figure(
        model,
        "stalking_non_da_gap",
        "Areas with no specialist programme for stalking unrelated to DA",
        mask,
    )


def _old_early_intervention_programme_share(model: Landscape) -> measures.Figure:
    types = model.programmes["programme_type"]
    early = is_early_intervention(types)
    return measures.Figure(
        id="early_intervention_share",
        label="Programmes that are early intervention (incl. CAPVA)",
        numerator=float(early.sum()),
        denominator=float(len(types)),
        unit="percent",
        denominator_label="programmes",
    )


def _old_areas_with_lgbtq_tailored_programme(model: Landscape) -> measures.Figure:
    mask = _old_areas_with_programme(
        model, _old_contains(model.programmes["cohorts"], (Cohort.LGBTQ,))
    )
    return _old_respondent_figure(
        model, "lgbtq_tailored", "Areas with programmes tailored to LGBTQ+ people", mask, "percent"
    )


def _old_areas_with_racialised_tailored_programme(model: Landscape) -> measures.Figure:
    cohort = (Cohort.RACIALISED_AND_MINORITISED,)
    mask = _old_areas_with_programme(model, _old_contains(model.programmes["cohorts"], cohort))
    return _old_respondent_figure(
        model,
        "racialised_tailored",
        "Areas with programmes tailored to racialised and minoritised communities",
        mask,
        "percent",
    )


def _old_areas_co_commissioning(model: Landscape) -> measures.Figure:
    mask = model.areas["co_commissions"] == YesNo.YES.value
    return _old_respondent_figure(
        model, "co_commissioning", "Areas co-commissioning programmes", mask, "percent"
    )


def _old_areas_with_partner_provision(model: Landscape) -> measures.Figure:
    mask = model.areas["partner_interventions"].map(bool)
    return _old_respondent_figure(
        model, "partner_provision", "Areas with interventions commissioned by partners", mask
    )


def _old_respondents_receiving_ho_fund(model: Landscape) -> measures.Figure:
    mask = model.areas["ho_fund_recipient"] == YesNo.YES.value
    return _old_respondent_figure(
        model, "ho_fund_respondents", "Responding areas receiving the Home Office fund", mask
    )


def _old_all_areas_receiving_ho_fund(model: Landscape) -> measures.Figure:
    recipients = model.areas["ho_fund_recipient"] == YesNo.YES.value
    return _old_force_area_figure(
        model,
        "ho_fund_recipients_all",
        "Areas receiving the Home Office fund (incl. non-respondents)",
        recipients,
    )


def _old_areas_continuing_after_2024_25(model: Landscape) -> measures.Figure:
    continuing = (ContinuationPlan.YES.value, ContinuationPlan.ONLY_WITH_NATIONAL_FUNDING.value)
    mask = model.areas["continuation_plan"].isin(continuing)
    return _old_respondent_figure(
        model, "continue_after_2425", "Areas planning to continue after 2024-25", mask
    )


def _old_accredited_programme_share(model: Landscape) -> measures.Figure:
    accreditation = model.programmes["accreditation"]
    accredited = accreditation.isin([a.value for a in ACCREDITED])
    return measures.Figure(
        id="accredited_share",
        label="Programmes that are accredited",
        numerator=float(accredited.sum()),
        denominator=float(len(accreditation)),
        unit="percent",
        denominator_label="programmes",
    )


def _old_areas_with_non_accredited_programme(model: Landscape) -> measures.Figure:
    none = model.programmes["accreditation"] == Accreditation.NONE.value
    mask = _old_areas_with_programme(model, none)
    return _old_respondent_figure(
        model, "not_accredited_areas", "Areas with programmes that are not accredited", mask
    )


def _old_areas_supporting_stalking_standards(model: Landscape) -> measures.Figure:
    mask = model.areas["stalking_standards_would_help"] == YesNoUnsure.YES.value
    return _old_respondent_figure(
        model,
        "stalking_standards_support",
        "Areas saying national stalking standards would support them",
        mask,
    )


def _old_areas_using_forum(
    model: Landscape, forum: RiskForum, fid: str, label: str
) -> measures.Figure:
    mask = _old_contains(model.areas["risk_forums"], (forum,))
    return _old_respondent_figure(model, fid, label, mask, "percent")


def _old_areas_using_marac(model: Landscape) -> measures.Figure:
    return _old_areas_using_forum(model, RiskForum.MARAC, "marac", "Areas using MARAC")


def _old_areas_using_matac(model: Landscape) -> measures.Figure:
    return _old_areas_using_forum(model, RiskForum.MATAC, "matac", "Areas using MATAC")


def _old_areas_using_dapp(model: Landscape) -> measures.Figure:
    return _old_areas_using_forum(
        model, RiskForum.DAPP, "dapp", "Areas using a Domestic Abuse Perpetrator Panel"
    )


def _old_areas_evaluating(model: Landscape) -> measures.Figure:
    mask = model.areas["evaluation_undertaken_or_planned"] == YesNo.YES.value
    return _old_respondent_figure(
        model, "evaluation_any", "Areas that have undertaken or plan evaluation", mask
    )


def _old_areas_evaluating_percent(model: Landscape) -> measures.Figure:
    count = _old_areas_evaluating(model)
    return measures.Figure(
        id="evaluation_any_percent",
        label=count.label,
        numerator=count.numerator,
        denominator=count.denominator,
        unit="percent",
        denominator_label=count.denominator_label,
    )


def _old_evaluation_reports_received(model: Landscape) -> measures.Figure:
    responded = model.areas["responded"]
    supplied = model.areas.loc[responded, "evaluation_reports_supplied"].fillna(0)
    return measures.Figure(
        id="evaluations_received",
        label="Evaluations or interim reports received",
        numerator=float(supplied.sum()),
        denominator=None,
        unit="reports",
        denominator_label="",
    )


def _old_areas_supplying_evaluations(model: Landscape) -> measures.Figure:
    mask = model.areas["evaluation_reports_supplied"].fillna(0) > 0
    return _old_respondent_figure(
        model, "evaluations_areas", "Areas that supplied evaluations", mask.astype(bool)
    )


_OLD_MEASURES = {
    "respondents": _old_respondent_count,
    "da_programmes": _old_areas_commissioning_da_programmes,
    "stalking_da_related": _old_areas_with_da_related_stalking_provision,
    "stalking_non_da": _old_areas_with_non_da_stalking_programme,
    "co_commissioning": _old_areas_co_commissioning,
    "partner_provision": _old_areas_with_partner_provision,
    "ho_fund_respondents": _old_respondents_receiving_ho_fund,
    "ho_fund_recipients_all": _old_all_areas_receiving_ho_fund,
    "continue_after_2425": _old_areas_continuing_after_2024_25,
    "accredited_share": _old_accredited_programme_share,
    "not_accredited_areas": _old_areas_with_non_accredited_programme,
    "stalking_standards_support": _old_areas_supporting_stalking_standards,
    "marac": _old_areas_using_marac,
    "matac": _old_areas_using_matac,
    "dapp": _old_areas_using_dapp,
    "evaluation_any": _old_areas_evaluating,
    "evaluation_any_percent": _old_areas_evaluating_percent,
    "evaluations_received": _old_evaluation_reports_received,
    "evaluations_areas": _old_areas_supplying_evaluations,
    "early_intervention_share": _old_early_intervention_programme_share,
    "lgbtq_tailored": _old_areas_with_lgbtq_tailored_programme,
    "racialised_tailored": _old_areas_with_racialised_tailored_programme,
    "inperson_engagement": _old_areas_engaged_in_person,
    "online_engagement": _old_areas_engaged_online,
    "stalking_non_da_gap": _old_respondents_without_non_da_stalking_programme,
}


def test_every_measure_is_the_same_figure(view):
    # the measures added since the speed work (issue 18) have no old copy to match
    added = {"strategic_board", "victim_support_integrated"}
    assert set(_OLD_MEASURES) == set(measures.ALL_MEASURES) - added
    for name, measure in measures.ALL_MEASURES.items():
        if name in added:
            continue
        new, old = measure(view), _OLD_MEASURES[name](view)
        assert new == old, name
        assert type(new.numerator) is type(old.numerator) is float, name
        assert type(new.denominator) is type(old.denominator), name
    assert measures.non_respondent_count(view) == _old_non_respondent_count(view)


# --- area and programme answers, coverage, the early intervention and fund tables ----------


def _old_coverage(model: Landscape) -> breakdowns.Coverage:
    return breakdowns.Coverage(
        areas=len(model.areas),
        responding=int(model.areas["responded"].astype(bool).sum()),
        programmes=len(model.programmes),
    )


def _old_area_choice_shares(model: Landscape, column: str) -> pd.DataFrame:
    schema_column = AREAS.column(column)
    answered = breakdowns.respondents(model)[column]
    total = len(answered)
    rows = [
        breakdowns._share_row(
            choice, _old_count_having(answered, choice), total, "areas", "responding_areas"
        )
        for choice in breakdowns._allowed(schema_column)
    ]
    if schema_column.kind is Kind.CHOICES:
        count = int(sum(len(v) == 0 for v in answered if isinstance(v, tuple)))
        if count:
            rows.append(
                breakdowns._share_row(
                    breakdowns.NOT_ANSWERED, count, total, "areas", "responding_areas"
                )
            )
    return pd.DataFrame(rows, columns=["answer", "areas", "responding_areas", "percent", "label"])


def _old_count_having(values: Iterable[Any], choice: str) -> int:
    return int(sum(breakdowns._has(v, choice) for v in values))


def _old_area_answers_by_area(model: Landscape, column: str) -> pd.DataFrame:
    rows = []
    for code, row in model.areas.iterrows():
        base = {"area_code": code, "area": row["display_name"], "region": row["region"]}
        if not bool(row["responded"]):
            rows.append({**base, "answer": breakdowns.DID_NOT_RESPOND})
            continue
        value = row[column]
        values = value if isinstance(value, tuple) else (() if is_blank(value) else (value,))
        if not values:
            rows.append({**base, "answer": breakdowns.NOT_ANSWERED})
        rows.extend({**base, "answer": str(v)} for v in values)
    return pd.DataFrame(rows, columns=["area_code", "area", "region", "answer"])


def _old_programme_choice_shares(model: Landscape, column: str) -> pd.DataFrame:
    schema_column = PROGRAMMES.column(column)
    values = model.programmes[column] if len(model.programmes) else pd.Series([], dtype=object)
    total = len(values)
    rows = [
        breakdowns._share_row(
            choice, _old_count_having(values, choice), total, "programmes", "total_programmes"
        )
        for choice in breakdowns._allowed(schema_column)
    ]
    return pd.DataFrame(
        rows, columns=["answer", "programmes", "total_programmes", "percent", "label"]
    )


def _old_early_intervention(
    model: Landscape, summary: Mapping[tuple[str, str], str] | None = None
) -> pd.DataFrame:
    programmes = model.programmes
    chosen = (
        programmes[breakdowns.is_early_intervention(programmes["programme_type"])]
        if len(programmes)
        else programmes
    )
    if len(chosen) and "provenance" in chosen.columns:
        if summary is None:
            summary = breakdowns.row_provenance(model)
        chosen = chosen.assign(
            provenance=[
                summary.get((str(a), str(n)), own)
                for a, n, own in zip(
                    chosen["area_code"], chosen["programme_name"], chosen["provenance"], strict=True
                )
            ]
        )
    return pd.DataFrame(
        {
            "area": chosen.get("display_name", pd.Series(dtype=object)),
            "programme_name": chosen.get("programme_name", pd.Series(dtype=object)),
            "provider": chosen.get("provider", pd.Series(dtype=object)),
            "programme_type": chosen.get("programme_type", pd.Series(dtype=object)),
            "cohorts": [joined_text(v) for v in chosen.get("cohorts", [])],
            "provenance": chosen.get("provenance", pd.Series(dtype=object)),
        }
    ).reset_index(drop=True)


def _old_ho_fund_by_area(model: Landscape) -> pd.DataFrame:
    rows = []
    for code, row in model.areas.iterrows():
        answer = row.get("ho_fund_recipient")
        if bool(row["responded"]):
            status = "Recipient" if answer == "Yes" else "Not a recipient"
        elif answer == "Yes":
            status = "Recipient (did not respond)"
        else:
            status = breakdowns.DID_NOT_RESPOND
        rows.append(
            {
                "area_code": code,
                "area": row["display_name"],
                "region": row["region"],
                "responded": bool(row["responded"]),
                "status": status,
            }
        )
    return pd.DataFrame(rows, columns=["area_code", "area", "region", "responded", "status"])


def _old_high_risk_programmes(model: Landscape) -> findings.Share:
    shares = question_shares(model, RISK_LEVELS)
    high = shares[shares["answer"] == RiskLevel.HIGH.value].iloc[0]
    return findings.Share(int(high["programmes"]), int(high["total_programmes"]))


def _old_funding_sources_by_area(model: Landscape) -> pd.DataFrame:
    frame = _old_area_answers_by_area(model, questions.FUNDING_SOURCES.column)
    return frame.rename(columns={"answer": "funding_source"})


AREA_QUESTIONS = [c.name for c in AREAS.columns if c.allowed and c.name != "force_area"]
PROGRAMME_QUESTIONS = [c.name for c in PROGRAMMES.columns if c.allowed and c.name != "force_area"]


def test_there_are_area_and_programme_questions_of_each_kind():
    kinds = {AREAS.column(c).kind for c in AREA_QUESTIONS}
    assert {Kind.CHOICE, Kind.CHOICES} <= kinds
    assert {Kind.CHOICE, Kind.CHOICES} <= {PROGRAMMES.column(c).kind for c in PROGRAMME_QUESTIONS}


def test_area_choice_shares_and_answers_by_area_are_the_same_tables(view):
    for column in AREA_QUESTIONS:
        if column in breakdowns.ASKED_ONLY_IF:
            continue  # its blanks now read "not asked" where it does not apply (issue 18)
        _same_frame(
            breakdowns.area_choice_shares(view, column), _old_area_choice_shares(view, column)
        )
        _same_frame(
            breakdowns.area_answers_by_area(view, column), _old_area_answers_by_area(view, column)
        )
    _same_frame(questions.funding_sources_by_area(view), _old_funding_sources_by_area(view))


def test_programme_choice_shares_and_high_risk_programmes_are_the_same(view):
    for column in PROGRAMME_QUESTIONS:
        _same_frame(
            breakdowns.programme_choice_shares(view, column),
            _old_programme_choice_shares(view, column),
        )
    assert findings.high_risk_programmes(view) == _old_high_risk_programmes(view)


def test_coverage_and_the_fund_table_are_the_same(view):
    assert breakdowns.coverage(view) == _old_coverage(view)
    # the statuses as they were; each now carries its kind too (issue 18)
    fund = breakdowns.ho_fund_by_area(view)
    _same_frame(fund.drop(columns="provenance"), _old_ho_fund_by_area(view))


def test_the_early_intervention_table_is_the_same(view, bundled):
    _same_frame(breakdowns.early_intervention(view), _old_early_intervention(view))
    # as the page asks for it: with the whole wave's row provenance
    summary = breakdowns.row_provenance(bundled)
    _same_frame(
        breakdowns.early_intervention(view, summary), _old_early_intervention(view, summary)
    )
