"""A one-page app showing both map views as the stalking page draws them (SVG pictures), for
tests/test_browser_map.py."""

from __future__ import annotations

import streamlit as st
from map_sample import TITLE, sample_illustrative, sample_values

from landscape.figures import map_svg, maps

st.set_page_config(page_title="Map check", layout="wide")
st.title("Map check")
for view in maps.VIEWS:
    picture = map_svg.map_picture(
        sample_values(), view=view, title=TITLE, illustrative=sample_illustrative()
    )
    st.markdown(picture.markup, unsafe_allow_html=True)
st.dataframe(maps.map_table(sample_values(), sample_illustrative()))
