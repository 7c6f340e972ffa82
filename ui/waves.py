"""Waves over time: the "Change between waves" sections of the overview and the area profile.

The figures come from `landscape.model.diff` (compare_waves, area_changes) through ui.data's caches;
this module only picks the two waves (kept in the URL as `?compare=A&compare=B`) and renders.
"""

from __future__ import annotations

import streamlit as st

from ui import data, filters, layout
from ui.filters import Filters

HEADING = "Change between waves"
ONLY_ONE_WAVE = "Only one wave so far: a comparison appears once a second wave is published."


def default_pair(wave_ids: list[str], selected: str) -> tuple[str, str]:
    """The wave before the selected one and the selected one (or the first two)."""
    position = wave_ids.index(selected) if selected in wave_ids else len(wave_ids) - 1
    if position > 0:
        return wave_ids[position - 1], wave_ids[position]
    return wave_ids[0], wave_ids[1]


def pick_waves(chosen: Filters, *, page: str) -> tuple[data.FilterKey, data.FilterKey] | None:
    """Two wave pickers (earlier, later); None when only one wave exists (and it says so)."""
    listed = data.waves(chosen.stamp)
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
            f"From {titles[before]} ({data.kind_word(before)}) to {titles[after]} "
            f"({data.kind_word(after)}) · View: {chosen.describe()} · "
            "Figures as in the rest of the dashboard: areas out of responding areas, "
            "programme shares out of programmes."
        )
    )
    if before == after:
        st.info("Choose two different waves to see what changed.")
        return None
    note = data.comparison_note(before, after)
    if note:
        st.warning(layout.plain(note), icon=":material/compare_arrows:")
    return chosen.key.in_wave(before), chosen.key.in_wave(after)


def overview_section(chosen: Filters) -> None:
    """Net change per measure and the areas that gained or lost stalking provision."""
    st.header(HEADING, anchor=False)
    pair = pick_waves(chosen, page="overview")
    if pair is None:
        return
    titles = {w.wave_id: w.title for w in data.waves(chosen.stamp)}
    change = data.overview_change(*pair)
    apart = data.comparison_note(pair[0].wave_id, pair[1].wave_id)
    between = (
        f"two waves of different kinds ({data.kind_word(pair[0].wave_id)}, then "
        f"{data.kind_word(pair[1].wave_id)})"
        if apart
        else "the two waves"
    )
    st.subheader(
        f"{len(change.moved)} of {change.figures} figures changed between {between}",
        anchor=False,
    )
    for moved in change.moved:
        st.text(f"• {moved.figure}: {moved.before_text} → {moved.after_text}")
    layout.data_table(change.measures_table, name="overview-change-per-measure")

    st.subheader(change.stalking_finding, anchor=False)
    for intro, names in change.stalking_lists:
        st.text(f"{intro}: {', '.join(names)}")
    if not change.stalking_table.empty:
        layout.data_table(change.stalking_table, name="overview-stalking-changes")
    st.markdown("**Areas per stalking category**")
    before, after = pair
    layout.chart(
        data.comparison_chart(before, after, (titles[before.wave_id], titles[after.wave_id])),
        key="chart-overview-stalking-categories-change",
    )
    st.caption(
        "Each bar is labelled with its wave and its count out of that wave's responding areas "
        "in the view, as on the stalking page. 'Did not respond' is its own category, counted "
        "apart and outside that base: never counted as no provision."
    )
    layout.data_table(change.categories_table, name="overview-stalking-categories-change")


def area_section(chosen: Filters, code: str, name: str) -> None:
    """One area between two waves: its changed answers and programmes, and its category."""
    st.header(HEADING, anchor=False)
    pair = pick_waves(chosen, page="area")
    if pair is None:
        return
    before, after = pair
    if not data.area_in_view(before, code):
        st.info(f"{layout.plain(name)} is not in the earlier wave's view.")
        return
    category_before = data.stalking_category_of(before, code)
    category_after = data.stalking_category_of(after, code)
    if category_before == category_after:
        st.subheader(f"{name}'s stalking category did not change: {category_before}", anchor=False)
    else:
        st.subheader(
            f"{name}'s stalking category changed: {category_before} → {category_after}",
            anchor=False,
        )
    change = data.area_change(before, after, code)
    if change.empty:
        st.text(f"No answers or programmes of {name} changed between the two waves.")
        return
    st.text(change.sentence(name))
    layout.data_table(change.table, name=f"area-{code}-change-between-waves")
