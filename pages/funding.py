"""Funding: sources, Home Office fund recipients, continuation, the funding cliff, partners."""

import streamlit as st

from landscape.model import breakdowns
from ui import data, layout

chosen, model = layout.start_page()
key = chosen.key
cover = breakdowns.coverage(model)
figures = data.measures(key)

layout.stop_unless_respondents(model, chosen, subject="funding answers", page_label="Funding")

fund = figures["ho_fund_respondents"]
continuing = figures["continue_after_2425"]
layout.page_header(
    f"{fund.text} received the Home Office perpetrator fund, which ended in March 2025; "
    f"{continuing.numerator:,.0f} plan to continue funding programmes",
    f"Funding · area answers out of {cover.responding} responding areas; funding end dates out of "
    f"{cover.programmes} programmes",
    model=model,
    filters=chosen,
)
layout.coverage_note(model)

layout.area_question_section(
    key,
    "funding_sources",
    "Funding sources",
    title="Responding areas using each funding source",
    name="funding-sources",
)

sources_by_area = data.table(key, "area_answers_by_area", "funding_sources")
layout.table_expander(
    sources_by_area.rename(columns={"answer": "funding_source"}),
    name="funding-sources-by-area",
    label="Funding sources by area (table and download)",
)

by_area = data.table(key, "ho_fund_by_area")
st.subheader("Home Office fund 2023-25 recipients", anchor=False)
all_recipients = figures["ho_fund_recipients_all"]
st.markdown(
    f"**{all_recipients.text}** received the fund, including areas that did not respond to the "
    "survey (from the published list of recipients)."
)
layout.data_table(by_area, name="ho-fund-by-area")

layout.area_question_section(
    key,
    "continuation_plan",
    f"{continuing.text} plan to continue funding after 2024-25",
    title="Plans to continue funding programmes after 2024-25",
    name="continuation-plans",
)

cliff = data.table(key, "funding_cliff")
st.subheader("Funding end dates ahead", anchor=False)
if cliff.empty:
    layout.nothing_to_show("programme funding end dates", chosen)
else:
    layout.chart(
        data.chart(
            key,
            "funding_cliff",
            "funding_cliff_bars",
            title="Programmes by the quarter their current funding ends",
        ),
        key="chart-funding-cliff",
    )
    st.caption(
        "Budgets are annual amounts where the area gave one; most programmes did not, so the "
        "known budget is a floor, not a total."
    )
    layout.table_expander(cliff, name="funding-cliff")

co = figures["co_commissioning"]
layout.area_question_section(
    key,
    "co_commissioning_partners",
    f"{co.text} co-commission programmes with partners",
    title="Co-commissioning partners (responding areas)",
    name="co-commissioning-partners",
)
layout.source_note()
