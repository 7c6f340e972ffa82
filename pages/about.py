"""About the data: how it was made, what each figure counts, and where it comes from."""

import pandas as pd
import streamlit as st

from landscape.model import breakdowns
from ui import data, layout

chosen, model = layout.start_page()
full = data.filtered((chosen.wave_id, (), (), ()))
provenance = data.table((chosen.wave_id, (), (), ()), "provenance_counts")
sourced = int(provenance["sourced"].sum())
total = int(provenance["total"].sum())

layout.page_header(
    f"{sourced} of {total} records are sourced from public documents; the rest are illustrative"
    if breakdowns.is_illustrative(full)
    else f"All {total} records come from survey answers",
    "About the data · methodology, definitions and denominators, data dictionary, provenance, "
    "report-figure check, waves, licences",
    model=full,
    filters=chosen,
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

st.header("Definitions and denominators", anchor=False)
definitions = pd.DataFrame(
    [
        (
            "Responding areas",
            "Force areas whose PCC office answered the wave. The denominator of every "
            "area-level share.",
        ),
        (
            "Did not respond",
            "Areas that did not answer. Never counted as 'no' or 'none'; shown as their own "
            "category.",
        ),
        (
            "Programmes",
            "Programmes commissioned or co-commissioned by responding areas. The denominator "
            "of programme shares.",
        ),
        (
            "Accredited share",
            "Programmes accredited by Respect, CSAAP or NFI, out of programmes for which an "
            "accreditation route exists (not 'Not applicable').",
        ),
        (
            "Early intervention",
            "Early intervention and CAPVA programmes, as the report counts them, out of all "
            "programmes.",
        ),
        (
            "Stalking category",
            "An area's most specialist stalking provision: specialist non-DA programme, "
            "specialist DA-related only, within DA programmes only, none, or did not respond.",
        ),
        (
            "Percentages",
            "Rounded half-up to a whole number, as the report prints them, and always shown "
            "with their count.",
        ),
    ],
    columns=["term", "meaning"],
)
layout.data_table(definitions, name="definitions")

st.header("Provenance", anchor=False)
st.markdown(f"**{sourced} of {total}** records cite a public source; the others are illustrative.")
layout.data_table(provenance, name="provenance")

st.header("Report-figure check", anchor=False)
st.markdown(
    "Each figure the APCC report printed, beside the value this wave computes. The report prints "
    "'76% (26)' for evaluation: 26 of 33 is 79%, so the count is reproduced and the printed "
    "percentage is marked as differing."
)
check = data.figure_check((chosen.wave_id, (), (), ()))
differing = check[check["matches"] == False]  # noqa: E712 (None rows are policy facts)
st.markdown(
    f"**{int((check['matches'] == True).sum())}** figures match; "  # noqa: E712
    f"**{len(differing)}** differ"
    + (": " + ", ".join(layout.plain(i) for i in differing["id"]) if len(differing) else "")
    + "."
)
layout.data_table(check, name="report-figure-check")

st.header("Data dictionary", anchor=False)
st.caption(
    "Generated from the survey schema, the one declaration that also drives validation "
    "and the template."
)
layout.data_table(data.data_dictionary(), name="data-dictionary")

st.header("Survey waves", anchor=False)
waves = pd.DataFrame(
    [
        {
            "wave": w.label,
            "wave_id": w.wave_id,
            "version": w.version,
            "survey_date": w.survey_date,
            "illustrative": w.illustrative,
            "uploaded_by": w.uploaded_by,
            "uploaded_at": w.uploaded_at,
            "sha256": w.sha256,
        }
        for w in data.waves()
    ]
)
layout.data_table(waves, name="waves")

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
