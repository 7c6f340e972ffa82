"""The one Store (and so the one engine and connection pool) of this server process.

Sign-in, the upload page and the wave pages all read and write through `store()`: opening twice
would mean two engines on one SQLite file, each with its own pool, and migration and seeding run
twice. Cached per database URL, so a changed setting opens the store it names.
"""

from __future__ import annotations

import streamlit as st

from landscape.config import load_settings
from landscape.store import Store, open_store


@st.cache_resource(show_spinner="Opening the survey store...")
def store_for(url: str) -> Store:
    """One store per database URL per server process (opening migrates and seeds on first use)."""
    return open_store(url)


def store() -> Store:
    """The configured store (LANDSCAPE_DATABASE_URL, secrets.toml, or var/landscape.sqlite)."""
    return store_for(load_settings().database_url)
