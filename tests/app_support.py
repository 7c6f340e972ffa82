"""Shared by the AppTest page tests and the page benchmark: the pages, and a store of their own."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.store_support import database_url
from ui import registry

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 120

# every page of app.py's navigation (ui/registry.py), by its file name in pages/
ALL_PAGES = tuple(spec.name for spec in registry.PAGES)
# the dashboard views: the pages that read the sidebar filters (not the upload page, which has
# its own tests in test_upload_page.py)
PAGES = tuple(spec.name for spec in registry.PAGES if spec.filtered)
DEFAULT_PAGE = next(spec.name for spec in registry.PAGES if spec.default)


@contextmanager
def isolated_store(database: Path) -> Iterator[str]:
    """Point LANDSCAPE_DATABASE_URL at a fresh SQLite file (seeded with the bundled wave on first
    use), with every Streamlit cache cold; put back the previous URL and clear the caches after."""
    url = database_url(database)  # the backend under test (tests/conftest.py's database_backend)
    previous = os.environ.get("LANDSCAPE_DATABASE_URL")
    os.environ["LANDSCAPE_DATABASE_URL"] = url
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        yield url
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
        if previous is None:
            os.environ.pop("LANDSCAPE_DATABASE_URL", None)
        else:
            os.environ["LANDSCAPE_DATABASE_URL"] = previous


def open_page(page: str, **query: str | list[str]) -> AppTest:
    """Open the app as a visitor would: through app.py, with the query string, then the page."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    if page != DEFAULT_PAGE:
        at.switch_page(registry.page(page).path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at
