"""Stalking provision: where specialist programmes exist, where not, and who did not say."""

import streamlit as st

from landscape.labels import DID_NOT_RESPOND
from ui import data, layout

chosen = layout.start_page()
key = chosen.key
gap = data.stalking_gap(key)

layout.stop_if_none(
    gap.areas,
    title="No force areas in this view",
    subtitle="Stalking provision · out of force areas",
    subject="stalking provision",
    filters=chosen,
)

layout.page_header(
    gap.headline,
    "Stalking perpetrator provision (each area's most specialist provision) · "
    + (
        f"counts out of the {gap.responding} responding areas, as on the overview"
        if gap.responding
        else "no area in this view responded to the survey, so none is counted"
    )
    + "; areas that did not respond are counted apart, never as having none",
    filters=chosen,
    figures=("stalking_non_da_gap",),
)
st.markdown(gap.sentence)

st.subheader("Stalking provision by force area", anchor=False)
view = st.segmented_control(
    "Map view",
    ["Geographic", "Tiles"],
    default="Geographic",
    key="stalking-map-view",
    help="Tiles give every area, the City of London included, the same size.",
)
# Only the view chosen is drawn (the tiles are built on demand), and this page's figures are
# drawn by the browser as SVG and HTML: no plotly bundle for a phone to fetch and run (issue 20).
layout.picture(
    data.stalking_map(
        chosen.wave_id, "tiles" if view == "Tiles" else "geographic", data.areas_in_view(key)
    ),
    key="stalking-map",
    finding=gap.headline,
)
st.caption(
    (
        "Areas outside this view (the sidebar's country and region) are drawn pale grey and "
        "counted apart in the legend, which counts only the areas in view. "
        if chosen.narrows_areas
        else "All 43 force areas of the wave. "
    )
    + "'Did not respond' is its own grey category, never "
    "'No stalking provision'. Boundaries: Source: Office for National Statistics licensed under "
    "the Open Government Licence v3.0. Contains OS data © Crown copyright and database right."
)
layout.table_expander(data.stalking_map_table(chosen.wave_id), name="stalking-map")

if not gap.responding:
    # nothing to count: the categories and the standards question are answers no area here gave
    st.info(
        "No area in this view responded, so no area's category is counted and no one answered "
        "whether national standards would help. Widen the filters in the sidebar to see more."
    )
    layout.source_note(f"{DID_NOT_RESPOND} areas are shown as such, never as 'none'.")
    st.stop()

layout.chart_section(
    "How many areas fall in each category",
    data.stalking_summary(
        key, "Force areas by most specialist stalking provision (n of responding areas in view)"
    ),
    name="stalking-categories",
)

support = data.measure(key, "stalking_standards_support")
layout.chart_section(
    f"{support.text} say national standards for stalking programmes would help them",
    data.stalking_standards_shares(
        key, "Would national standards for stalking programmes help? (responding areas)"
    ),
    name="stalking-standards",
    caption="There are no accreditation routes or national standards for stalking programmes yet.",
)
layout.source_note(f"{DID_NOT_RESPOND} areas are shown as such, never as 'none'.")
