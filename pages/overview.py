"""Overview: the headline figures, each saying what kind of number it is: beside the APCC report's
value for a wave tied to the report, beside the wave before it otherwise."""

import streamlit as st

from ui import data, layout, waves

chosen = layout.start_page()
layout.stop_unless_respondents(
    chosen, subject="the headline figures", page_label="Headline figures"
)
key = chosen.key
cover = data.coverage(key)
da = data.measure(key, "da_programmes")
non_da = data.measure(key, "stalking_non_da")

layout.page_header(
    f"{da.numerator:,.0f} of {da.denominator or 0:,.0f} responding areas commission DA "
    f"perpetrator programmes; only {non_da.numerator:,.0f} commission a stalking programme "
    "unrelated to DA",
    f"Headline figures · Areas: out of {cover.responding} responding areas "
    f"({cover.not_responding} of {cover.areas} did not respond) · "
    "Programme shares: out of programmes",
    filters=chosen,
    figures=("da_programmes", "stalking_non_da"),
)

compare = not chosen.active
if not data.ties_to_report(key):
    st.info(
        "This wave is not calibrated to a published report, so its figures are not set beside "
        "the APCC report's; each is shown beside the wave before it, where there is one."
    )
elif not compare:
    st.info(
        "The APCC report's figures cover all of England and Wales; clear the sidebar filters to "
        "compare each figure with the published one."
    )

headlines = data.headlines(key, compare=compare)
cells = layout.in_rows(len(headlines.cards))  # rows of three: a phone keeps the cards' order
for cell, card in zip(cells, headlines.cards, strict=True):
    with cell, st.container(border=True):
        st.metric(card.short_label, card.value, help=card.figure.label)
        st.caption(card.figure.text)
        st.caption(card.basis.text)
        if card.previous:
            st.caption(card.previous)
        for published in card.published:
            st.markdown(published.text)
            if published.note and not published.matches:
                st.caption(published.note)

layout.source_note(
    "Computed from the selected wave; 'APCC report' values are the figures the report printed."
)
layout.table_expander(
    headlines.table, name="overview-figures", label="These figures as a table, and download"
)

waves.overview_section(chosen)
