"""Waves over time: the "Change between waves" sections of the overview and the area profile.

The figures come from `landscape.model.diff` (compare_waves, area_changes) through ui.data's caches;
this module only picks the two waves (kept in the URL as `?compare=A&compare=B`) and renders.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from landscape.model.diff import CHANGED, GAINED, LOST, NOT_COMPARABLE
from ui import data, filters, layout
from ui.filters import Filters

HEADING = "Change between waves"
ONLY_ONE_WAVE = "Only one wave so far: a comparison appears once a second wave is published."
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
    "total_areas": "Out of areas",
    "joined": "Areas that moved in",
    "left": "Areas that moved out",
}


def default_pair(wave_ids: list[str], selected: str) -> tuple[str, str]:
    """The wave before the selected one and the selected one (or the first two)."""
    position = wave_ids.index(selected) if selected in wave_ids else len(wave_ids) - 1
    if position > 0:
        return wave_ids[position - 1], wave_ids[position]
    return wave_ids[0], wave_ids[1]


def pick_waves(chosen: Filters, *, page: str) -> tuple[data.FilterKey, data.FilterKey] | None:
    """Two wave pickers (earlier, later); None when only one wave exists (and it says so)."""
    listed = data.waves()
    if len(listed) < 2:
        st.caption(ONLY_ONE_WAVE)
        return None
    ids = [w.wave_id for w in listed]
    titles = {w.wave_id: w.title for w in listed}
    before, after = filters.compared_waves(ids, default_pair(ids, chosen.wave_id))
    widget = f"compare-widget:{page}:"
    st.session_state[widget + "before"] = before
    st.session_state[widget + "after"] = after

    def keep() -> None:
        filters.remember_compared(
            st.session_state[widget + "before"], st.session_state[widget + "after"]
        )

    left, right = st.columns(2)
    left.selectbox(
        "Earlier wave",
        ids,
        format_func=lambda w: titles.get(w, w),
        key=widget + "before",
        on_change=keep,
    )
    right.selectbox(
        "Later wave",
        ids,
        format_func=lambda w: titles.get(w, w),
        key=widget + "after",
        on_change=keep,
        help="Every version of a wave is listed; a corrected one is marked superseded.",
    )
    st.caption(
        layout.plain(
            f"From {titles[before]} to {titles[after]} · View: {chosen.describe()} · "
            "Figures as in the rest of the dashboard: areas out of responding areas, "
            "programme shares out of programmes."
        )
    )
    if before == after:
        st.info("Choose two different waves to see what changed.")
        return None
    key = chosen.key
    return (before, *key[1:]), (after, *key[1:])  # type: ignore[return-value]


def measures_table(frame: pd.DataFrame) -> pd.DataFrame:
    shown = frame.assign(
        change_unit=[
            "percentage points" if unit == "percent" else str(unit) for unit in frame["unit"]
        ]
    )
    return shown[list(MEASURE_COLUMNS)].rename(columns=MEASURE_COLUMNS)


def overview_section(chosen: Filters) -> None:
    """Net change per measure and the areas that gained or lost stalking provision."""
    st.header(HEADING, anchor=False)
    pair = pick_waves(chosen, page="overview")
    if pair is None:
        return
    titles = {w.wave_id: w.title for w in data.waves()}
    comparison = data.comparison(*pair)
    measures = comparison.measures
    moved = measures[measures["change"].fillna(0) != 0]
    st.subheader(
        f"{len(moved)} of {len(measures)} figures changed between the two waves", anchor=False
    )
    for row in moved.itertuples():
        st.text(f"• {row.figure}: {row.before_text} → {row.after_text}")
    layout.data_table(measures_table(measures), name="overview-change-per-measure")

    stalking = comparison.stalking
    st.subheader(_stalking_finding(stalking), anchor=False)
    for change, intro in (
        (GAINED, "Gained stalking provision (had none)"),
        (LOST, "Lost all stalking provision"),
        (CHANGED, "Changed their kinds of stalking provision"),
        (NOT_COMPARABLE, "Not comparable (did not respond in one of the waves)"),
    ):
        names = list(stalking.loc[stalking["change"] == change, "area"])
        if names:
            st.text(f"{intro}: {', '.join(names)}")
    if len(stalking):
        layout.data_table(
            stalking[list(STALKING_COLUMNS)].rename(columns=STALKING_COLUMNS),
            name="overview-stalking-changes",
        )
    st.markdown("**Areas per stalking category**")
    layout.chart(
        data.comparison_chart(*pair, (titles[pair[0][0]], titles[pair[1][0]])),
        key="chart-overview-stalking-categories-change",
    )
    st.caption(
        "Each bar is labelled with its wave and its count out of all force areas in the view. "
        "'Did not respond' is its own category: never counted as no provision."
    )
    layout.data_table(
        comparison.categories[list(CATEGORY_COLUMNS)].rename(columns=CATEGORY_COLUMNS),
        name="overview-stalking-categories-change",
    )


def _stalking_finding(stalking: pd.DataFrame) -> str:
    gained = int((stalking["change"] == GAINED).sum())
    lost = int((stalking["change"] == LOST).sum())
    changed = int((stalking["change"] == CHANGED).sum())
    if not len(stalking):
        return "No area's stalking provision changed"
    return (
        f"{gained} {'area' if gained == 1 else 'areas'} gained stalking provision, "
        f"{lost} lost it, {changed} changed its kind"
    )


def area_section(chosen: Filters, code: str, name: str) -> None:
    """One area between two waves: its changed answers and programmes, and its category."""
    st.header(HEADING, anchor=False)
    pair = pick_waves(chosen, page="area")
    if pair is None:
        return
    before, after = pair
    if code not in data.filtered(before).areas.index:
        st.info(f"{layout.plain(name)} is not in the earlier wave's view.")
        return
    category_before = str(data.table(before, "stalking_categories")[code])
    category_after = str(data.table(after, "stalking_categories")[code])
    if category_before == category_after:
        st.subheader(f"{name}'s stalking category did not change: {category_before}", anchor=False)
    else:
        st.subheader(
            f"{name}'s stalking category changed: {category_before} → {category_after}",
            anchor=False,
        )
    changes = data.area_changes(before, after, code)
    if changes.empty:
        st.text(f"No answers or programmes of {name} changed between the two waves.")
        return
    answers = int((changes["what"] == "answer").sum())
    programmes = int((changes["what"] == "programme").sum())
    st.text(
        f"{_count(answers, 'answer', 'answers')} and "
        f"{_count(programmes, 'programme', 'programmes')} of {name} changed."
    )
    layout.data_table(
        changes.rename(
            columns={
                "what": "What",
                "item": "Answer or programme",
                "before": "Earlier wave",
                "after": "Later wave",
            }
        ),
        name=f"area-{code}-change-between-waves",
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
