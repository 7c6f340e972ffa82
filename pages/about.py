"""About the data: how it was made, what each figure counts, and where it comes from."""

import streamlit as st

from landscape.model.breakdowns import DISCLOSURE_RULE
from landscape.model.profile import SIMILARITY_METHOD, UNPUBLISHED_RULE
from ui import data, layout

chosen = layout.start_page()
whole = chosen.key.whole_wave()  # about the wave itself: every area and programme of it
records = data.sourced_records(whole)

layout.page_header(
    f"{records.numerator} of {records.denominator} records are sourced from public documents; "
    "the rest are illustrative"
    if data.is_illustrative(whole)
    else f"All {records.denominator} records come from survey answers",
    "About the data · methodology, definitions and denominators, data dictionary, provenance, "
    "report-figure check, waves, licences",
    filters=chosen,
    shown=whole,
)

st.header("Methodology", anchor=False)
st.markdown(
    """
The APCC surveyed the offices of all Police and Crime Commissioners (and Police, Fire and Crime
Commissioners and mayors with policing responsibility) in England and Wales, with the NPCC, the
College of Policing and the Home Office. 33 of the 43 force areas responded; only areas that
commission perpetrator programmes answered. The report was published on 7 March 2025.

**The per-area answers are not public.** The bundled wave is *illustrative*: each record is real
where a public document says so (the record cites it, *Sourced*) and invented elsewhere
(*Illustrative*), calibrated so that the model reproduces every figure the report published. Use
it to explore the dashboard, never to quote an area's answers.

New waves can be uploaded by signed-in staff; each wave says whether it is illustrative.
"""
)

st.header("Peers and small numbers", anchor=False)
st.markdown(
    "**Peer groups.** The area profile compares an area with its region, its country, the most "
    "similar areas, all responding areas or areas you choose. When a group has no other "
    "responding area, the profile says so and uses the next of region, country, all responding "
    "areas. " + SIMILARITY_METHOD
)
st.markdown(f"**Disclosure rule.** {DISCLOSURE_RULE}")
st.markdown(
    "**Answers not yet published.** Every chart, table and share of the dashboard is drawn from "
    f"published waves only. {UNPUBLISHED_RULE}"
)

st.header("Definitions and denominators", anchor=False)
layout.data_table(data.definitions(), name="definitions")

st.header("Provenance", anchor=False)
st.markdown(
    f"**{records.numerator} of {records.denominator}** records cite a public source; the others "
    "are illustrative."
)
layout.data_table(data.provenance_counts(whole), name="record-provenance")

st.header("Report-figure check", anchor=False)
st.markdown(
    "Each figure the APCC report printed, beside the value this wave computes. The report prints "
    "'76% (26)' for evaluation: 26 of 33 is 79%, so the count is reproduced and the printed "
    "percentage is marked as differing."
)
summary = data.check_summary(whole)
st.markdown(
    f"**{summary.matching}** figures match; **{len(summary.differing)}** differ"
    + (": " + ", ".join(layout.plain(i) for i in summary.differing) if summary.differing else "")
    + "."
)
layout.data_table(data.figure_check(whole), name="report-figure-check")

st.header("Data dictionary", anchor=False)
st.caption(
    "Generated from the survey schema, the one declaration that also drives validation "
    "and the template."
)
layout.data_table(data.data_dictionary(), name="data-dictionary")

st.header("Survey waves", anchor=False)
layout.data_table(data.wave_table(chosen.stamp), name="waves")

st.header("Licences and attribution", anchor=False)
st.markdown(
    """
- Survey findings: Association of Police and Crime Commissioners, *Perpetrator Intervention
  Programmes* (7 March 2025).
- Police force area boundaries: Source: Office for National Statistics licensed under the
  [Open Government Licence v3.0](https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/).
  Contains OS data © Crown copyright and database right.
- Force-area reference (names, codes, regions): ONS, Open Government Licence v3.0.
"""
)
layout.source_note()
