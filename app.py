"""The dashboard's router: page titles, icons and groups; each page lives in pages/."""

import streamlit as st

st.set_page_config(
    # an emoji favicon is drawn locally; a Material icon would be fetched from Google's CDN
    page_icon="📊",
    layout="wide",
)

PAGES = {
    "Landscape": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/availability.py", title="Availability", icon=":material/apps:"),
        st.Page("pages/stalking.py", title="Stalking provision", icon=":material/map:"),
        st.Page(
            "pages/accreditation.py",
            title="Accreditation and evaluation",
            icon=":material/verified:",
        ),
        st.Page("pages/funding.py", title="Funding", icon=":material/payments:"),
        st.Page("pages/victims.py", title="Victims and governance", icon=":material/shield:"),
        st.Page("pages/directory.py", title="Programme directory", icon=":material/search:"),
    ],
    "Your area": [
        st.Page("pages/area.py", title="Area profile and peers", icon=":material/location_on:"),
    ],
    "Data": [
        st.Page("pages/about.py", title="About the data", icon=":material/info:"),
        st.Page("pages/upload.py", title="Upload a survey", icon=":material/upload_file:"),
    ],
}

st.navigation(PAGES).run()
