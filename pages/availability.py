"""Availability: programme types by area and nationally, risk levels, cohorts, early help."""

import streamlit as st

from landscape.model import breakdowns
from landscape.schema import ProgrammeType
from ui import data, layout

chosen, model = layout.start_page()
cover = breakdowns.coverage(model)
key = chosen.key

layout.stop_unless_programmes(
    model,
    chosen,
    subtitle=f"Programmes commissioned by responding areas · {cover.responding} responding areas",
)

risk = data.table(key, "programme_choice_shares", "risk_levels").set_index("answer")
types = data.table(key, "programme_choice_shares", "programme_type")
early = types[
    types["answer"].isin([ProgrammeType.EARLY_INTERVENTION.value, ProgrammeType.CAPVA.value])
]["programmes"].sum()
high = risk.loc["High"]
layout.page_header(
    f"{high['label']} of programmes serve high-risk perpetrators; only "
    f"{breakdowns.share_label(int(early), cover.programmes)} are early intervention or CAPVA",
    f"Programmes commissioned or co-commissioned by responding areas · out of {cover.programmes} "
    f"programmes in {cover.responding} responding areas",
    model=model,
    filters=chosen,
)
layout.coverage_note(model)

layout.programme_question_section(
    key,
    "programme_type",
    "Programme types nationally",
    title="Programmes by type (n of all programmes)",
    name="programme-types",
)
layout.share_section(
    key,
    "areas_with_programme_value",
    "programme_type",
    "How many responding areas commission each type",
    count="areas",
    title="Responding areas with at least one programme of each type",
    x_title="Responding areas",
    name="areas-by-programme-type",
)

by_area = data.table(key, "programme_types_by_area")
layout.chart_section(
    "Programme types by area",
    data.chart(
        key,
        "programme_types_by_area",
        "stacked_bars",
        category="area",
        stack="programme_type",
        count="programmes",
        title="Programmes per responding area, by type",
        x_title="Programmes",
        stack_order=tuple(t.value for t in ProgrammeType),
    ),
    by_area,
    name="programme-types-by-area",
    caption="Areas that did not respond are not drawn: their provision is unknown, not zero.",
)

layout.programme_question_section(
    key,
    "risk_levels",
    "Risk levels served",
    title="% of commissioned programmes by risk level served (n of all programmes)",
    name="risk-levels",
    caption="A programme serving several risk levels counts under each, so shares add to more "
    "than 100%. The report printed this chart's title without the chart.",
)

layout.share_section(
    key,
    "areas_with_programme_value",
    "cohorts",
    "Who programmes are for",
    count="areas",
    title="Responding areas with a programme for each cohort",
    x_title="Responding areas",
    name="cohorts",
)

st.subheader("Early intervention and CAPVA programmes", anchor=False)
early_table = data.table(key, "early_intervention")
if early_table.empty:
    layout.nothing_to_show("early intervention programmes", chosen)
else:
    layout.data_table(early_table, name="early-intervention")
layout.source_note()
