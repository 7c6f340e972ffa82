"""Funding: sources, Home Office fund recipients, continuation, the funding cliff, partners."""

import streamlit as st

from ui import data, layout

chosen = layout.start_page()
key = chosen.key
cover = data.coverage(key)

layout.stop_unless_respondents(chosen, subject="funding answers", page_label="Funding")

fund = data.measure(key, "ho_fund_respondents")
continuing = data.measure(key, "continue_after_2425")
layout.page_header(
    f"{fund.text} received the Home Office perpetrator fund, which ended in March 2025; "
    f"{continuing.numerator:,.0f} plan to continue funding programmes",
    f"Funding · area answers out of {cover.responding} responding areas; funding end dates out of "
    f"{cover.programmes} programmes",
    filters=chosen,
    figures=("ho_fund_respondents", "continue_after_2425"),
)
layout.coverage_note(chosen)

layout.chart_section(
    "Funding sources",
    data.funding_source_shares(key, "Responding areas using each funding source"),
    name="funding-sources",
)
layout.table_expander(
    data.funding_sources_by_area(key),
    name="funding-sources-by-area",
    label="Funding sources by area (table and download)",
)

st.subheader("Home Office fund 2023-25 recipients", anchor=False)
all_recipients = data.measure(key, "ho_fund_recipients_all")
st.markdown(
    f"**{all_recipients.text}** received the fund, including areas that did not respond to the "
    "survey. The report gives only the counts (27 recipients, 25 of them respondents); which "
    "non-respondents received it is not published."
)
st.caption(data.figure_label(key, "ho_fund_recipients_all").text)
layout.data_table(data.ho_fund_by_area(key), name="ho-fund-by-area")

layout.chart_section(
    f"{continuing.text} plan to continue funding after 2024-25",
    data.continuation_plan_shares(key, "Plans to continue funding programmes after 2024-25"),
    name="continuation-plans",
)

ended = data.funding_already_ended(key)
cliff = data.funding_cliff(key, ended.chart_title)
st.subheader("When programme funding ends, or ended", anchor=False)
if cliff.table.empty:
    # no sentence about dates ("every dated quarter is ahead") when the view dates nothing
    layout.nothing_to_show("programme funding end dates", chosen)
else:
    st.markdown(ended.sentence)
    layout.chart(cliff.figure, key="chart-funding-cliff", finding=ended.sentence)
    st.caption(
        "Budgets are annual amounts where the area gave one; most programmes did not, so the "
        "known budget is a floor, not a total."
    )
    layout.table_expander(cliff.table, name="funding-cliff")

co = data.measure(key, "co_commissioning")
layout.chart_section(
    f"{co.text} co-commission programmes with partners",
    data.co_commissioning_partner_shares(key, "Co-commissioning partners (responding areas)"),
    name="co-commissioning-partners",
)
layout.source_note()
