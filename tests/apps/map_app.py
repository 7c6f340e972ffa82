"""A one-page app showing both map views, for tests/test_browser_map.py."""

from __future__ import annotations

import streamlit as st
from map_sample import TITLE, sample_illustrative, sample_values

from landscape.figures import maps

st.set_page_config(page_title="Map check", layout="wide")
st.title("Map check")
for view in maps.VIEWS:
    figure = maps.area_map(
        sample_values(), view=view, title=TITLE, illustrative=sample_illustrative()
    )
    st.plotly_chart(figure, key=f"map-{view}", config={"displaylogo": False})
st.dataframe(maps.map_table(sample_values(), sample_illustrative()))
