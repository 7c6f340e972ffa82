"""Shared by the AppTest page tests and the page benchmark: the pages, and a store of their own."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
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


def pictures_drawn(at: AppTest, kind: str = "") -> list[str]:
    """The markup of each figure the page drew as HTML (landscape.figures.picture): every chart
    (class "landscape-bars") and the stalking map ("landscape-map"); `kind` picks one class."""
    wanted = f'class="landscape-picture {kind}' if kind else 'class="landscape-picture'
    return [str(m.value) for m in at.markdown if wanted in str(m.value)]


def _words(markup: str) -> str:
    import html
    import re

    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def picture_rows(markup: str) -> list[str]:
    """A chart picture's categories, each with its value labels, as the page's text reads."""
    import re

    return [_words(row) for row in re.findall(r'<div style="font-size:0.9rem">(.*?)</div>', markup)]


def picture_words(markup: str) -> list[str]:
    """A chart picture's title, its axis note and its key's entries, as plain words."""
    import re

    found = re.findall(r'class="landscape-picture-title"[^>]*>(.*?)</p>', markup)
    found += re.findall(r"(Bar length: .*?)</p>", markup)
    key = re.search(r'class="landscape-picture-key".*?</ul>', markup)
    if key:
        found += re.findall(r"</span>(.*?)</li>", key.group(0))
    return [_words(text) for text in found]


def tables_shown(at: AppTest) -> list[pd.DataFrame]:
    """Each table the page drew (landscape.figures.table_html, or the directory's sortable
    grid), read back as a frame: the headers as shown, right-aligned (numeric) columns as
    numbers, blank cells missing."""
    found: list[pd.DataFrame] = []
    for element in at.main:  # every element below, in page order
        kind = getattr(element, "type", "")
        value = getattr(element, "value", None)
        if kind == "markdown" and 'class="landscape-table"' in str(value):
            found.append(read_table(str(value)))
        elif kind == "arrow_data_frame":
            found.append(value)  # type: ignore[arg-type]
    return found


def read_table(markup: str) -> pd.DataFrame:
    """One table's markup (table_html.table_markup) as the frame a reader sees."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.header: list[str] = []
            self.numeric: list[bool] = []
            self.rows: list[list[str]] = []
            self.cell: list[str] | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "tr" and self.header:
                self.rows.append([])
            if tag in ("th", "td"):
                self.cell = []
                if tag == "th":
                    self.numeric.append(("class", "num") in attrs)

        def handle_endtag(self, tag: str) -> None:
            if tag in ("th", "td") and self.cell is not None:
                text = "".join(self.cell)
                (self.header if tag == "th" else self.rows[-1]).append(text)
                self.cell = None

        def handle_data(self, data: str) -> None:
            if self.cell is not None:
                self.cell.append(data)

    reader = Reader()
    reader.feed(markup)
    frame = pd.DataFrame(reader.rows, columns=reader.header, dtype=object)
    for position, is_number in enumerate(reader.numeric):
        column = frame.iloc[:, position].replace("", None)
        frame.isetitem(position, pd.to_numeric(column) if is_number else column)
    return frame
