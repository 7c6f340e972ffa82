"""Area profile and peers: one area's answers and programmes beside its peers'."""

import pandas as pd
import streamlit as st

from landscape.model import breakdowns
from ui import data, filters, layout, waves

WIDGET = "area-widget"
PEER_CHOICES = ("Its region", "All responding areas", "Areas I choose")

chosen, model = layout.start_page()
key = chosen.key
areas = model.areas
if areas.empty:
    layout.page_header("No force areas in this view", "Area profile", model=model, filters=chosen)
    layout.nothing_to_show("force areas", chosen)
    st.stop()

header = st.container()  # the title states the finding, so it is filled in below the pickers
codes = list(areas.index)
names = areas["display_name"].to_dict()
responding = [c for c in codes if bool(areas.at[c, "responded"])]
current = filters.selected_area(codes, default=(responding or codes)[0])
st.session_state[WIDGET] = current
code = st.selectbox(
    "Force area",
    codes,
    format_func=lambda c: names.get(c, c),
    key=WIDGET,
    on_change=lambda: filters.remember_area(st.session_state[WIDGET]),
    help="Or open the page with ?area=<ONS code> in the address, e.g. ?area=E23000023.",
)
filters.remember_area(code)
name = names[code]

if not bool(areas.at[code, "responded"]):
    with header:
        layout.page_header(
            f"{name} did not respond to this survey wave",
            "Area profile · nothing is known of its programmes from this wave",
            model=model,
            filters=chosen,
        )
    st.warning(
        f"{name} did not respond, so this wave holds no answers or programmes for it. It is not "
        "counted as having no provision anywhere in the dashboard."
    )
    fund = data.table(key, "ho_fund_by_area")
    layout.data_table(fund[fund["area_code"] == code], name=f"area-{code}-fund")
    waves.area_section(chosen, code, name)
    st.stop()

mode = st.radio("Compare with", PEER_CHOICES, horizontal=True, key="area-peer-mode")
if mode == "Its region":
    peers = breakdowns.default_peers(model, code)
elif mode == "All responding areas":
    peers = [c for c in responding if c != code]
else:
    peers = st.multiselect(
        "Peer areas",
        [c for c in responding if c != code],
        default=breakdowns.default_peers(model, code),
        format_func=lambda c: names.get(c, c),
        key="area-peers",
    )

counts = data.table(key, "ranked_feature_counts")
own = counts[counts["area_code"] == code].iloc[0]
peer_counts = counts[counts["area_code"].isin(peers)]
median = float(peer_counts["programmes"].median()) if len(peer_counts) else float("nan")
comparison = data.table(key, "peer_comparison", code, tuple(peers))
has = comparison[comparison["difference"] == "Area has, most peers lack"]
lacks = comparison[comparison["difference"] == "Most peers have, area lacks"]

peer_text = f"{len(peers)} peer areas" if peers else "no peer areas"
with header:
    layout.page_header(
        f"{name} commissions {int(own['programmes'])} programmes"
        + (f" against a peer median of {median:g}" if peers else "")
        + f"; it has {len(has)} features most peers lack and lacks {len(lacks)} most have",
        f"Area profile · compared with {peer_text} ({mode.lower()}) · "
        "peer shares out of responding peers",
        model=model,
        filters=chosen,
    )
if not peers:
    st.info("No peer areas to compare with in this view: choose some, or widen the filters.")

left, right = st.columns(2)
with left:
    st.subheader(f"What {name} has that most peers lack", anchor=False)
    if has.empty:
        st.text("Nothing that most peers lack.")
    for feature in has["feature"]:
        st.text(f"• {feature}")
with right:
    st.subheader(f"What most peers have that {name} lacks", anchor=False)
    if lacks.empty:
        st.text("Nothing that most peers have.")
    for feature in lacks["feature"]:
        st.text(f"• {feature}")
st.caption("'Most peers': at least half of the chosen responding peers.")

if peers:
    ranked = pd.concat([counts[counts["area_code"] == code], peer_counts])
    for measure, label in (
        ("programmes", "Programmes commissioned"),
        ("programme_types", "Programme types commissioned"),
        ("funding_sources", "Funding sources used"),
    ):
        layout.chart(
            data.ranked_chart(key, code, tuple(peers), measure, label),
            key=f"chart-rank-{measure}",
        )
    layout.table_expander(ranked.reset_index(drop=True), name=f"area-{code}-ranked")

st.subheader("Side by side with peers", anchor=False)
layout.data_table(comparison, name=f"area-{code}-peer-comparison")

st.subheader(f"{name}'s answers", anchor=False)
layout.data_table(data.table(key, "area_answers", code), name=f"area-{code}-answers")

st.subheader(f"{name}'s programmes", anchor=False)
programmes = data.table(key, "directory")
programmes = programmes[programmes["Area"] == name].reset_index(drop=True)
if programmes.empty:
    layout.nothing_to_show(f"{name}'s programmes", chosen)
else:
    layout.data_table(programmes, name=f"area-{code}-programmes")
layout.source_note()

waves.area_section(chosen, code, name)
