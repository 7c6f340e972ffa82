"""Overview: the headline figures, each beside the value the APCC report published."""

import pandas as pd
import streamlit as st

from landscape import breakdowns
from ui import data, layout

HEADLINES = (
    "respondents",
    "da_programmes",
    "stalking_da_related",
    "stalking_non_da",
    "co_commissioning",
    "ho_fund_respondents",
    "continue_after_2425",
    "accredited_share",
    "evaluation_any",
    "early_intervention_share",
)
# figures printed beside a headline (the report's '76% (26)' is two figures: a count and a %)
COMPANIONS = {"evaluation_any": ("evaluation_any", "evaluation_any_percent")}


def metric_value(figure) -> str:
    """What the metric shows: a percentage always with its count."""
    if figure.denominator is None:
        return f"{figure.numerator:,.0f}"
    percent = breakdowns.rounded_percent(figure.numerator, figure.denominator)
    return f"{figure.numerator:,.0f} of {figure.denominator:,.0f} ({percent}%)"


def published_text(row: pd.Series) -> str:
    value = row["published"]
    shown = f"{value:,.0f}%" if row["unit"] == "percent" else f"{value:,.0f}"
    if row["matches"] is True or row["matches"] == True:  # noqa: E712 (numpy bools)
        return f"APCC report: {shown} · ✓ matches"
    return f"APCC report: {shown} · ⚠ **differs** from the computed value"


chosen, model = layout.start_page()
figures = data.measures(chosen.key)
cover = breakdowns.coverage(model)
da = figures["da_programmes"]
non_da = figures["stalking_non_da"]

if cover.responding == 0:
    layout.page_header(
        "No responding areas in this view",
        "Headline figures: out of responding areas",
        model=model,
        filters=chosen,
    )
    layout.nothing_to_show("the headline figures", chosen)
    st.stop()

layout.page_header(
    f"{da.numerator:,.0f} of {da.denominator:,.0f} responding areas commission DA perpetrator "
    f"programmes; only {non_da.numerator:,.0f} commission a stalking programme unrelated to DA",
    f"Headline figures · Areas: out of {cover.responding} responding areas "
    f"({cover.not_responding} of {cover.areas} did not respond) · "
    "Programme shares: out of programmes",
    model=model,
    filters=chosen,
)

checks = data.figure_check(chosen.key).set_index("id")
compare = not chosen.active
if not compare:
    st.info(
        "The APCC report's figures cover all of England and Wales; clear the sidebar filters to "
        "compare each figure with the published one."
    )

rows = []
columns = st.columns(3)
for position, figure_id in enumerate(HEADLINES):
    figure = figures[figure_id]
    with columns[position % 3], st.container(border=True):
        st.metric(figure.label, metric_value(figure), help=figure.text)
        row = {"figure": figure.label, "computed": metric_value(figure)}
        if compare:
            for companion in COMPANIONS.get(figure_id, (figure_id,)):
                if companion not in checks.index:
                    continue
                check = checks.loc[companion]
                st.markdown(published_text(check))
                if check["note"] and check["matches"] is not True:
                    st.caption(check["note"])
                row[f"published ({companion})"] = check["published"]
                row[f"matches ({companion})"] = check["matches"]
        rows.append(row)

layout.source_note(
    "Computed from the selected wave; 'APCC report' values are the figures the report printed."
)
table = pd.DataFrame(
    [
        {
            "figure": figures[i].label,
            "computed": metric_value(figures[i]),
            "numerator": figures[i].numerator,
            "denominator": figures[i].denominator,
            "unit": figures[i].denominator_label,
        }
        for i in HEADLINES
    ]
)
if compare:
    check_table = data.figure_check(chosen.key)
    table = check_table[check_table["computed"].notna()][
        [
            "id",
            "statement",
            "published",
            "unit",
            "computed",
            "numerator",
            "denominator",
            "matches",
            "note",
        ]
    ].reset_index(drop=True)
layout.table_expander(table, name="overview-figures", label="All figures as a table, and download")
