"""Overview: the headline figures, each beside the value the APCC report published."""

import pandas as pd
import streamlit as st

from landscape.model import breakdowns
from ui import data, layout, waves

# headline figure ids with the short label their metric shows (the full statement is its help)
HEADLINES = {
    "respondents": "Responded to the survey",
    "da_programmes": "Commission DA programmes",
    "stalking_da_related": "DA-related stalking provision",
    "stalking_non_da": "Non-DA stalking programme",
    "co_commissioning": "Co-commission with partners",
    "ho_fund_respondents": "Received the Home Office fund",
    "continue_after_2425": "Plan to continue after 2024-25",
    "accredited_share": "Programmes accredited",
    "evaluation_any": "Evaluated or plan evaluation",
    "early_intervention_share": "Programmes for early intervention",
}
# figures printed beside a headline (the report's '76% (26)' is two figures: a count and a %)
COMPANIONS = {"evaluation_any": ("evaluation_any", "evaluation_any_percent")}


def metric_value(figure) -> str:
    """The metric's value: the percentage for percent figures, else the count out of its base.

    The caption under each metric gives both ("17 of 33 responding areas (52%)")."""
    if figure.denominator is None:
        return f"{figure.numerator:,.0f}"
    if figure.unit == "percent":
        return f"{breakdowns.rounded_percent(figure.numerator, figure.denominator)}%"
    return f"{figure.numerator:,.0f} of {figure.denominator:,.0f}"


def matches(row: pd.Series) -> bool:
    return bool(row["matches"]) if row["matches"] is not None else False


def published_text(row: pd.Series) -> str:
    value = row["published"]
    shown = f"{value:,.0f}%" if row["unit"] == "percent" else f"{value:,.0f}"
    if matches(row):
        return f"APCC report: {shown} · ✓ matches"
    return f"APCC report: {shown} · ⚠ **differs** from the computed value"


chosen, model = layout.start_page()
layout.stop_unless_respondents(
    model, chosen, subject="the headline figures", page_label="Headline figures"
)
figures = data.measures(chosen.key)
cover = breakdowns.coverage(model)
da = figures["da_programmes"]
non_da = figures["stalking_non_da"]

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

shown = []
columns = st.columns(3)
for position, (figure_id, short_label) in enumerate(HEADLINES.items()):
    figure = figures[figure_id]
    with columns[position % 3], st.container(border=True):
        st.metric(short_label, metric_value(figure), help=figure.label)
        st.caption(figure.text)
        row = {
            "figure": short_label,
            "statement": figure.label,
            "computed": metric_value(figure),
            "as_text": figure.text,
            "numerator": figure.numerator,
            "denominator": figure.denominator,
        }
        companions = COMPANIONS.get(figure_id, (figure_id,)) if compare else ()
        for companion in [c for c in companions if c in checks.index]:
            check = checks.loc[companion]
            st.markdown(published_text(check))
            if check["note"] and not matches(check):
                st.caption(check["note"])
            shown.append(
                {
                    **row,
                    "published": check["published"],
                    "published_unit": check["unit"],
                    "matches": matches(check),
                    "note": check["note"],
                }
            )
        if not companions:
            shown.append(row)

layout.source_note(
    "Computed from the selected wave; 'APCC report' values are the figures the report printed."
)
layout.table_expander(
    pd.DataFrame(shown), name="overview-figures", label="These figures as a table, and download"
)

waves.overview_section(chosen)
