"""Availability: programme types by area and nationally, risk levels, cohorts, early help."""

import streamlit as st

from ui import data, layout

chosen = layout.start_page()
key = chosen.key
cover = data.coverage(key)

layout.stop_unless_programmes(
    chosen,
    subtitle=f"Programmes commissioned by responding areas · {cover.responding_words}",
)

high_risk = data.high_risk_programmes(key)
early = data.early_intervention_programmes(key)
layout.page_header(
    f"{high_risk.label} of programmes serve high-risk perpetrators; "
    + ("only " if early.numerator * 2 < early.denominator else "")
    + f"{early.label} are early intervention or CAPVA",
    f"Programmes commissioned or co-commissioned by responding areas · out of {cover.programmes} "
    f"programmes in {cover.responding} responding areas",
    filters=chosen,
    figures=("early_intervention_share",),
    unpublished=True,  # the high-risk share: the report prints no figure for it
)
layout.coverage_note(chosen)

layout.chart_section(
    "Programme types in this view" if chosen.active else "Programme types nationally",
    data.programme_type_shares(key, "Programmes by type (n of all programmes)"),
    name="programme-types",
)
layout.chart_section(
    "How many responding areas commission each type",
    data.areas_by_programme_type(key, "Responding areas with at least one programme of each type"),
    name="areas-by-programme-type",
    caption="Out-of-court programmes (such as CARA) are DA programmes: an area whose DA "
    "programmes are all out-of-court counts in the DA row too.",
)
layout.chart_section(
    "Programme types by area",
    data.programme_types_by_area(key, "Programmes per responding area, by type"),
    name="programme-types-by-area",
    caption="Areas that did not respond are not drawn: their provision is unknown, not zero.",
)
layout.chart_section(
    "Risk levels served",
    data.risk_level_shares(
        key, "% of commissioned programmes by risk level served (n of all programmes)"
    ),
    name="risk-levels",
    caption="A programme serving several risk levels counts under each, so shares add to more "
    "than 100%. The report printed this chart's title without the chart.",
)
layout.chart_section(
    "Who programmes are for",
    data.cohort_shares(key, "Responding areas with a programme for each cohort"),
    name="programme-cohorts",
)

st.subheader("Early intervention and CAPVA programmes", anchor=False)
early_table = data.early_intervention_table(key)
if early_table.empty:
    layout.nothing_to_show("early intervention programmes", chosen)
else:
    layout.data_table(early_table, name="early-intervention")
layout.source_note()
