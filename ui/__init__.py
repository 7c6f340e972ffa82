"""Streamlit-side helpers for the pages: cached data access, sidebar filters, page layout.

Only app.py, pages/ and this package import streamlit; the domain (src/landscape) never does.
"""
