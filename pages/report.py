"""What the report concludes: its recommendations (each with the measures that would show
progress), the challenges PCCs named, case studies, stalking-standards wishes, and the places
where the report disagrees with itself, each with its section (reference/report_findings.csv)."""

import streamlit as st

from ui import data, layout

chosen = layout.start_page()
key = chosen.key
recommendations = data.report_items("recommendation")

layout.page_header(
    f"The APCC report makes {len(recommendations)} recommendations; these are the measures "
    "that would show progress on each",
    "What the report concludes · in the project's own words, each with its report section · "
    "measures out of responding areas or programmes, as elsewhere",
    filters=chosen,
    figures=(),
)
st.caption(
    "Each measure shows its value in the selected wave and, once an earlier wave exists, its "
    "value there and the change. " + data.headline_basis(key)
)
earlier = data.previous_wave_id(key.wave_id, chosen.stamp)
if earlier is not None and data.comparison_note(earlier, key.wave_id):
    st.warning(layout.plain(data.comparison_note(earlier, key.wave_id)))

for section in data.report_sections(key):
    layout.report_section(section)

st.header("Where this wave's counts meet the report's words", anchor=False)
st.caption(
    "The report gives some counts only in words ('several areas'). An illustrative wave must not "
    "say more than those words allow; a count that does not fit is shown here, not hidden."
)
st.text(
    "\n".join(
        ("✓ " if check.fits else "⚠ ") + check.text
        for check in data.report_word_checks(chosen.wave_id)
    )
)

layout.table_expander(
    data.report_progress_table(key),
    name="report-recommendations-progress",
    label="Recommendations and challenges with their measures (table and download)",
)
layout.source_note("Summaries are the project's own words; figures as the report prints them.")
