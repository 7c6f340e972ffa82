"""Programme directory: every programme, searchable and filterable, with its provenance."""

import streamlit as st

from ui import data, filters, layout

SEARCH = "directory-search"

chosen = layout.start_page()
key = chosen.key
cover = data.coverage(key)

header = st.container()  # the title states the search result, so it is filled in below
st.session_state[SEARCH] = filters.search_text()  # from ?search=, and kept across pages
search = st.text_input(
    "Search programmes",
    key=SEARCH,
    placeholder="e.g. CARA, Respect, Cambridgeshire, high",
    on_change=lambda: filters.remember_search(st.session_state[SEARCH]),
    help="Keeps programmes whose row contains every word you type (any column). "
    "In the address as ?search=...",
)
filters.remember_search(search)
table = data.directory(key, search.strip())
shown = len(table)
with header:
    layout.page_header(
        f"{shown} of {cover.programmes} programmes in {cover.responding} responding areas"
        + (" match the search" if search.strip() else ""),
        "Programme directory · one row per programme commissioned or co-commissioned · provenance "
        "says whether a row is sourced from a public document or illustrative",
        filters=chosen,
    )
if table.empty:
    layout.nothing_to_show(
        "programmes matching the search" if search.strip() else "programmes", chosen
    )
else:
    layout.data_table(table, name="programme-directory", height=640)
layout.source_note()
