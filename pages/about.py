"""About the data: how it was made, what each figure counts, and where it comes from."""

import streamlit as st

from landscape.model.breakdowns import DISCLOSURE_RULE
from landscape.model.profile import SIMILARITY_METHOD, UNPUBLISHED_RULE
from ui import data, layout

chosen = layout.start_page()
whole = chosen.key.whole_wave()  # about the wave itself: every area and programme of it
mix = data.view_mix(whole)
kind = data.wave_kind(whole.wave_id)

layout.page_header(
    f"All {mix.total:,} values are areas' own answers"
    if mix.reported == mix.total
    else f"{mix.citing:,} of {mix.total:,} values cite a public source; "
    + (
        f"{mix.illustrative:,} are illustrative (invented)"
        if mix.illustrative
        else f"{mix.reported:,} are areas' own answers"
    ),
    "About the data · methodology, definitions and denominators, data dictionary, provenance, "
    "report-figure check, waves, licences",
    filters=chosen,
    shown=whole,
)

st.header("Methodology", anchor=False)
st.markdown(data.method_text(whole.wave_id))

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
    f"This wave is **{layout.plain(kind.basis.value)}**: {layout.plain(kind.describe())}. "
    f"Of its {mix.total:,} values (one per answer), **{mix.citing:,}** cite a public source "
    f"(**{mix.published:,}** the report, **{mix.sourced:,}** a named document), "
    f"**{mix.reported:,}** are areas' own answers and **{mix.illustrative:,}** are illustrative "
    "(invented). The area profile, the directory and the downloads label each value."
)
layout.data_table(data.provenance_table(whole), name="value-provenance")

st.header("Report-figure check", anchor=False)
if data.ties_to_report(whole):
    st.markdown(
        "Each figure the APCC report printed, beside the value this wave computes. The report "
        "prints '76% (26)' for evaluation: 26 of 33 is 79%, so the count is reproduced and the "
        "printed percentage is marked as differing."
    )
    summary = data.check_summary(whole)
    st.markdown(
        f"**{summary.matching}** figures match; **{len(summary.differing)}** differ"
        + (
            ": " + ", ".join(layout.plain(i) for i in summary.differing)
            if summary.differing
            else ""
        )
        + "."
    )
    layout.data_table(data.figure_check(whole), name="report-figure-check")
else:
    st.markdown(
        "This wave is tied to no published report, so its figures are not set beside one: "
        "each page compares it with the wave before it. `landscape figures FILE` sets any "
        "survey file beside the APCC report's figures."
    )

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
