"""Victims and governance: victim support approaches, risk forums, strategic boards, monitoring."""

import streamlit as st

from landscape import breakdowns
from ui import data, layout

chosen, model = layout.start_page()
key = chosen.key
cover = breakdowns.coverage(model)
figures = data.measures(key)

if cover.responding == 0:
    layout.page_header(
        "No responding areas in this view",
        "Victims and governance · out of responding areas",
        model=model,
        filters=chosen,
    )
    layout.nothing_to_show("victim support and governance answers", chosen)
    st.stop()

support = data.table(key, "area_choice_shares", "victim_support")
top = support.sort_values("areas", ascending=False, kind="stable").iloc[0]
marac = figures["marac"]
layout.page_header(
    f"{marac.text} use MARAC to manage perpetrator risk; {top['label']} offer victims "
    f"{str(top['answer']).lower()}",
    f"Victim support and governance · out of {cover.responding} responding areas "
    f"({cover.not_responding} of {cover.areas} did not respond)",
    model=model,
    filters=chosen,
)

layout.chart_section(
    "How victims are supported alongside perpetrator programmes",
    data.chart(
        key,
        "area_choice_shares",
        "share_bars",
        "victim_support",
        category="answer",
        count="areas",
        title="Responding areas using each victim support approach",
        x_title="Responding areas",
    ),
    support,
    name="victim-support",
    caption="Areas may use several approaches, so shares add to more than 100%.",
)

forums = data.table(key, "area_choice_shares", "risk_forums")
layout.chart_section(
    "Operational risk forums: MARAC, MATAC, DAPP",
    data.chart(
        key,
        "area_choice_shares",
        "share_bars",
        "risk_forums",
        category="answer",
        count="areas",
        title="Responding areas using each operational risk forum",
        x_title="Responding areas",
    ),
    forums,
    name="risk-forums",
)

boards = data.table(key, "area_choice_shares", "strategic_board")
layout.chart_section(
    "Strategic boards",
    data.chart(
        key,
        "area_choice_shares",
        "share_bars",
        "strategic_board",
        category="answer",
        count="areas",
        title="Responding areas with a strategic board overseeing perpetrator interventions",
        x_title="Responding areas",
    ),
    boards,
    name="strategic-boards",
)

monitoring = data.table(key, "area_choice_shares", "monitoring_frequency")
layout.chart_section(
    "How often performance is monitored",
    data.chart(
        key,
        "area_choice_shares",
        "share_bars",
        "monitoring_frequency",
        category="answer",
        count="areas",
        title="Monitoring frequency of commissioned programmes (responding areas)",
        x_title="Responding areas",
    ),
    monitoring,
    name="monitoring",
)
layout.source_note()
