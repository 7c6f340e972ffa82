"""Area profile and peers: one area's answers and programmes beside its peers'."""

import streamlit as st

from landscape.model.profile import PeerChoice
from ui import data, filters, layout, waves

WIDGET = "area-widget"

chosen = layout.start_page()
key = chosen.key
choices = data.area_choices(key)
if not choices.codes:
    layout.page_header("No force areas in this view", "Area profile", filters=chosen)
    layout.nothing_to_show("force areas", chosen)
    st.stop()

header = st.container()  # the title states the finding, so it is filled in below the pickers
current = filters.selected_area(choices.codes, default=choices.default)
st.session_state[WIDGET] = current
code = st.selectbox(
    "Force area",
    choices.codes,
    format_func=choices.name,
    key=WIDGET,
    on_change=lambda: filters.remember_area(st.session_state[WIDGET]),
    help="Or open the page with ?area=<ONS code> in the address, e.g. ?area=E23000023.",
)
filters.remember_area(code)
name = choices.name(code)

if not choices.responded(code):
    with header:
        layout.page_header(
            f"{name} did not respond to this survey wave",
            "Area profile · nothing is known of its programmes from this wave",
            filters=chosen,
        )
    st.warning(
        f"{name} did not respond, so this wave holds no answers or programmes for it. It is not "
        "counted as having no provision anywhere in the dashboard."
    )
    layout.data_table(data.area_fund(key, code), name=f"area-{code}-fund")
    waves.area_section(chosen, code, name)
    st.stop()

mode = PeerChoice(
    st.radio("Compare with", [c.value for c in PeerChoice], horizontal=True, key="area-peer-mode")
)
if mode is PeerChoice.CHOSEN:
    peers = st.multiselect(
        "Peer areas",
        choices.other_respondents(code),
        default=data.peers_for(key, code, PeerChoice.CHOSEN),
        format_func=choices.name,
        key="area-peers",
    )
else:
    peers = data.peers_for(key, code, mode)

shown = data.area_profile(key, code, tuple(peers))
peer_text = f"{len(peers)} peer areas" if peers else "no peer areas"
with header:
    layout.page_header(
        f"{name} commissions {shown.programmes} programmes"
        + (f" against a peer median of {shown.peer_median:g}" if peers else "")
        + f"; it has {len(shown.has)} features most peers lack and lacks {len(shown.lacks)} "
        "most have",
        f"Area profile · compared with {peer_text} ({mode.value.lower()}) · "
        "peer shares out of responding peers",
        filters=chosen,
    )
if not peers:
    st.info("No peer areas to compare with in this view: choose some, or widen the filters.")

left, right = st.columns(2)
for column, heading, features, if_none in (
    (left, f"What {name} has that most peers lack", shown.has, "Nothing that most peers lack."),
    (
        right,
        f"What most peers have that {name} lacks",
        shown.lacks,
        "Nothing that most peers have.",
    ),
):
    with column:
        st.subheader(heading, anchor=False)
        if not features:
            st.text(if_none)
        for feature in features:
            st.text(f"• {feature}")
st.caption("'Most peers': at least half of the chosen responding peers.")

if peers:
    for measure, figure in data.ranked_charts(key, code, tuple(peers)):
        layout.chart(figure, key=f"chart-rank-{measure}")
    layout.table_expander(shown.ranked, name=f"area-{code}-ranked")

st.subheader("Side by side with peers", anchor=False)
layout.data_table(shown.comparison, name=f"area-{code}-peer-comparison")

st.subheader(f"{name}'s answers", anchor=False)
layout.data_table(data.area_answers(key, code), name=f"area-{code}-answers")

st.subheader(f"{name}'s programmes", anchor=False)
programmes = data.area_programmes(key, code)
if programmes.empty:
    layout.nothing_to_show(f"{name}'s programmes", chosen)
else:
    layout.data_table(programmes, name=f"area-{code}-programmes")
layout.source_note()

waves.area_section(chosen, code, name)
