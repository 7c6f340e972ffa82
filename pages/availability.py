"""Availability: programme types by area and nationally, risk levels, cohorts, early help."""

import streamlit as st

from landscape import breakdowns
from landscape.schema import ProgrammeType
from ui import data, layout

chosen, model = layout.start_page()
cover = breakdowns.coverage(model)
key = chosen.key

if cover.programmes == 0:
    layout.page_header(
        "No programmes in this view",
        f"Programmes commissioned by responding areas · {cover.responding} responding areas",
        model=model,
        filters=chosen,
    )
    layout.nothing_to_show("programmes", chosen)
    st.stop()

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

layout.chart_section(
    "Programme types nationally",
    data.chart(
        key,
        "programme_choice_shares",
        "share_bars",
        "programme_type",
        category="answer",
        count="programmes",
        title="Programmes by type (n of all programmes)",
        x_title="Programmes",
    ),
    types,
    name="programme-types",
)

areas_by_type = data.table(key, "areas_with_programme_value", "programme_type")
layout.chart_section(
    "How many responding areas commission each type",
    data.chart(
        key,
        "areas_with_programme_value",
        "share_bars",
        "programme_type",
        category="answer",
        count="areas",
        title="Responding areas with at least one programme of each type",
        x_title="Responding areas",
    ),
    areas_by_type,
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

layout.chart_section(
    "Risk levels served",
    data.chart(
        key,
        "programme_choice_shares",
        "share_bars",
        "risk_levels",
        category="answer",
        count="programmes",
        title="% of commissioned programmes by risk level served (n of all programmes)",
        x_title="Programmes",
    ),
    risk.reset_index(),
    name="risk-levels",
    caption="A programme serving several risk levels counts under each, so shares add to more "
    "than 100%. The report printed this chart's title without the chart.",
)

cohorts = data.table(key, "areas_with_programme_value", "cohorts")
layout.chart_section(
    "Who programmes are for",
    data.chart(
        key,
        "areas_with_programme_value",
        "share_bars",
        "cohorts",
        category="answer",
        count="areas",
        title="Responding areas with a programme for each cohort",
        x_title="Responding areas",
    ),
    cohorts,
    name="cohorts",
)

st.subheader("Early intervention and CAPVA programmes", anchor=False)
early_table = data.table(key, "early_intervention")
if early_table.empty:
    layout.nothing_to_show("early intervention programmes", chosen)
else:
    layout.data_table(early_table, name="early-intervention")
layout.source_note()
