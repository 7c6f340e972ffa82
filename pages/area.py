"""Area profile and peers: one area's answers and programmes beside its peers'."""

import streamlit as st

from landscape.model.breakdowns import DISCLOSURE_RULE
from landscape.model.profile import (
    NOT_LISTED,
    SIMILARITY_METHOD,
    UNPUBLISHED_MARK,
    UNPUBLISHED_RULE,
    PeerChoice,
)
from ui import auth, data, filters, layout, rounds, waves

WIDGET = "area-widget"
PEER_MODE = "area-peer-mode"
PEER_PICKS = "area-peers"


def counted(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def own_return_section(code: str, name: str) -> None:
    """The area's return in the open round beside its published answers: drawn only for the
    area's own signed-in office and administrators (rounds.own_return gives None otherwise)."""
    own = rounds.own_return(auth.current_principal(), code)
    if own is None:
        return
    st.subheader(f"{name}'s return in the open round: not published", anchor=False)
    st.info(layout.plain(own.summary), icon=":material/lock:")
    layout.data_table(
        own.answers.answers,
        name=f"area-{code}-unpublished-answers",
        caption=f"Each answer the return changes is marked '{UNPUBLISHED_MARK}'. "
        + UNPUBLISHED_RULE,
    )
    if not own.answers.programmes.empty:
        layout.data_table(
            own.answers.programmes,
            name=f"area-{code}-unpublished-programme-answers",
            caption="The programme answers the return changes (a programme it adds or drops: "
            f"every answer, the other side '{NOT_LISTED}').",
        )


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
    st.subheader("Home Office fund 2023-25", anchor=False)
    layout.data_table(
        data.area_fund(key, code),
        name=f"area-{code}-fund",
        caption=data.fund_note(key, code),
    )
    own_return_section(code, name)
    waves.area_section(chosen, code, name)
    st.stop()

asked, link_notice = filters.peer_choice()  # ?peers= region | country | similar | all | chosen
if link_notice:
    st.warning(link_notice, icon=":material/link_off:")
st.session_state[PEER_MODE] = asked.value
mode = PeerChoice(
    st.radio(
        "Compare with",
        [c.value for c in PeerChoice],
        horizontal=True,
        key=PEER_MODE,
        on_change=lambda: filters.remember_peer_choice(PeerChoice(st.session_state[PEER_MODE])),
        help="In the address as ?peers=region, country, similar, all or chosen "
        "(and ?peer=<ONS code> for each chosen area).",
    )
)
filters.remember_peer_choice(mode)
picked: tuple[str, ...] = ()
if mode is PeerChoice.CHOSEN:
    st.session_state[PEER_PICKS] = list(filters.chosen_peers(choices.other_respondents(code)))
    picked = tuple(
        st.multiselect(
            "Peer areas",
            choices.other_respondents(code),
            format_func=choices.name,
            key=PEER_PICKS,
            on_change=lambda: filters.remember_chosen_peers(st.session_state[PEER_PICKS]),
            placeholder="Choose responding areas",
        )
    )
    filters.remember_chosen_peers(picked)
group = data.peer_group(key, code, mode, picked)
peers = group.peers
if group.note:
    st.info(group.note, icon=":material/group_off:")
if group.used is PeerChoice.SIMILAR:
    st.caption(SIMILARITY_METHOD)
    layout.table_expander(
        data.similarity_table(key, code), name=f"area-{code}-similar", label="How similar"
    )

shown = data.area_profile(key, code, tuple(peers))
peer_text = f"{len(peers)} peer areas" if peers else "no peer areas"
headline = f"{name} commissions {counted(shown.programmes, 'programme')}" + (
    f" against a peer median of {shown.peer_median:g}; it has "
    f"{counted(len(shown.has), 'feature')} most peers lack and lacks {len(shown.lacks)} most have"
    if peers
    else "; no other area in this view responded, so there are no peers to compare with"
)
with header:
    layout.page_header(
        headline,
        f"Area profile · compared with {peer_text}: {group.description} · "
        "peer shares out of responding peers",
        filters=chosen,
    )
    st.download_button(  # one click: the PDF is built only then (kaleido and chromium, ~10 s)
        "Download this profile as PDF",
        data=lambda: data.area_profile_pdf(key, code, tuple(peers), headline),
        file_name=f"area-profile-{code}.pdf",
        mime="application/pdf",
        key=f"pdf-{code}",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        help="The charts and tables of this profile, with the wave, provenance and date.",
    )
if not peers and not group.note:
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
        # one list element (a list to a screen reader), not a text element a line
        st.markdown(layout.bullets(features) if features else layout.plain(if_none))
st.caption(f"'Most peers': at least half of the chosen responding peers. {DISCLOSURE_RULE}")

if peers:
    for measure, figure in data.ranked_charts(key, code, tuple(peers)):
        layout.chart(figure, key=f"chart-rank-{measure}")
    layout.table_expander(shown.ranked, name=f"area-{code}-ranked")

st.subheader("Side by side with peers", anchor=False)
layout.data_table(shown.comparison, name=f"area-{code}-peer-comparison")

st.subheader(f"{name}'s answers", anchor=False)
layout.data_table(
    data.area_answers(key, code),
    name=f"area-{code}-answers",
    caption="Provenance per answer: Published (a figure the report states), Sourced (the "
    "document and section that state it), Reported (the area's own answer) or Illustrative "
    "(invented to make the wave whole).",
)
own_return_section(code, name)

st.subheader(f"{name}'s programmes", anchor=False)
programmes = data.area_programmes(key, code)
if programmes.empty:
    layout.nothing_to_show(f"{name}'s programmes", chosen)
else:
    layout.data_table(programmes, name=f"area-{code}-programmes")
    layout.table_expander(
        data.area_programme_answers(key, code),
        name=f"area-{code}-programme-answers",
        label=f"Every answer of {name}'s programmes, with its provenance",
    )
layout.source_note()

waves.area_section(chosen, code, name)
