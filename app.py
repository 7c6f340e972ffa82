"""The dashboard's router: the pages of ui/registry.py in st.navigation; each lives in pages/."""

import streamlit as st

from ui import router

st.set_page_config(
    # an emoji favicon is drawn locally; a Material icon would be fetched from Google's CDN
    page_icon="📊",
    layout="wide",
)

router.run()
