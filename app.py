"""The dashboard's router: navigation only; each page lives in pages/."""

import streamlit as st

st.set_page_config(page_title="PCC perpetrator programmes landscape", layout="wide")
st.title("PCC perpetrator intervention programmes")
st.write("The dashboard pages are being built.")
