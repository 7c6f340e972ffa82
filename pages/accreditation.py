"""Accreditation and evaluation: two separate questions about the programmes."""

import streamlit as st

from ui import data, layout

chosen = layout.start_page()
key = chosen.key
accredited = data.accredited_share(key)
share = data.measure(key, "accredited_share")

layout.stop_unless_programmes(chosen, subtitle="Accreditation and evaluation · out of programmes")

# a view of stalking (or other) programmes only: none has a route, so '0 of n accredited' would
# read as a failing when no programme could be accredited
NO_ROUTE = "No programmes in this view have an accreditation route"
layout.page_header(
    NO_ROUTE if not accredited.assessable else f"{share.text} are accredited",
    "Accreditation (Respect, CSAAP or NFI) · out of every programme commissioned or "
    f"co-commissioned, the report's base ({accredited.not_applicable} stalking or other "
    f"programmes have no accreditation route and count as not accredited; of the "
    f"{accredited.assessable} with a route, {accredited.label} are accredited)",
    filters=chosen,
    figures=("accredited_share",),
)

st.header("Accreditation", anchor=False)
if not accredited.assessable:
    st.info(
        f"{NO_ROUTE}: all {accredited.not_applicable} are of a kind for which no accreditation "
        "route exists (e.g. stalking programmes), so none can be accredited. Widen the programme "
        "types in the sidebar to compare accreditation."
    )
else:
    layout.chart_section(
        "Accreditation routes",
        data.accreditation_shares(key, "Programmes by accreditation route (n of all programmes)"),
        name="accreditation-routes",
        caption="Not applicable: no accreditation route exists (e.g. stalking programmes).",
    )
    not_accredited = data.measure(key, "not_accredited_areas")
    st.markdown(f"**{not_accredited.text}** said some of their programmes are not accredited.")

st.header("Evaluation", anchor=False)
st.caption("A separate question: an accredited programme need not be evaluated, nor the reverse.")
evaluating = data.measure(key, "evaluation_any")
layout.chart_section(
    f"{evaluating.text} have undertaken or plan evaluation",
    data.evaluation_types(
        key, "Types of evaluation: programmes by evaluation type, completed or planned"
    ),
    name="evaluation-types",
    caption="The report printed the 'Types of evaluation conducted' title without its chart; "
    "this recreates it from the programme records. It printed '76% (26)': 26 of 33 is 79%.",
)
received = data.measure(key, "evaluations_received")
supplied = data.measure(key, "evaluations_areas")
st.markdown(
    f"Evaluations or interim reports supplied with the answers: **{received.text}** "
    f"from **{supplied.text}**."
)
layout.source_note()
