"""Streamlit-side helpers for the pages: cached data access, sidebar filters, page layout.

Only app.py, pages/ and this package import streamlit; the domain (src/landscape) never does.
"""

from ui import upload_limits as _upload_limits

_upload_limits.install()  # before any page can offer an upload widget
