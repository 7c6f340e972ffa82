"""Programme directory: every programme, searchable and filterable, with its provenance."""

import streamlit as st

from ui import data, filters, layout

SOURCED = "directory-sourced"
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
st.session_state[SOURCED] = filters.sourced_only()  # the stored choice survives a page change
sourced = st.checkbox(
    "Sourced facts only",
    key=SOURCED,
    on_change=lambda: filters.remember_sourced_only(st.session_state[SOURCED]),
    help="Keeps programmes with at least one field a named public document states; "
    "'Sourced fields' and 'Citations' say which fields and where. Or open ?sourced=1.",
)
filters.remember_sourced_only(sourced)
table = data.directory(key, search.strip(), sourced)
shown = len(table)
with header:
    layout.page_header(
        "No programmes in this view"  # never '0 of 0 programmes'
        if not cover.programmes
        else f"{shown} of {cover.programmes} programmes in {cover.responding} responding areas"
        + (" have a sourced fact" if sourced else "")
        + (" and" if sourced and search.strip() else "")
        + (" match the search" if search.strip() else ""),
        "Programme directory · one row per programme commissioned or co-commissioned · 'Sourced "
        "fields' names the fields a public document states, 'Citations' its document and "
        "section; every other field is the row's provenance (illustrative or reported)",
        filters=chosen,
    )
if table.empty:
    layout.nothing_to_show(
        ("sourced " if sourced else "")
        + ("programmes matching the search" if search.strip() else "programmes"),
        chosen,
    )
else:
    name = "programme-directory-sourced" if sourced else "programme-directory"
    sortable = st.toggle(
        "Sortable table",
        key="directory-sortable",
        help="Shows the programmes in Streamlit's interactive grid: click a column header to "
        "sort by it. The grid is a larger download, slower to open on a phone.",
    )
    layout.data_table(
        table, name=name, height=640, label="Programmes in this view", sortable=sortable
    )
layout.source_note()
