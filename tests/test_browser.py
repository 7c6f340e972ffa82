"""Every page in a real headless Chromium against a running server: no exception, a screenshot each.

Uses Debian's chromium (/usr/bin/chromium) through playwright; skipped when it is absent unless
LANDSCAPE_REQUIRE_BROWSER=1. Screenshots go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import (
    ARTIFACTS,
    ROOT,
    block_outside_requests,
    chromium,  # noqa: F401 (a fixture)
    require_chromium,
    streamlit_server,
    wait_for_streamlit,
)
from ui import registry

# every registered page by the address a visitor would type; the area page with an area chosen
QUERIES = {"area": "?area=E23000023"}
PAGES = {
    spec.name: ("" if spec.default else spec.url_path) + QUERIES.get(spec.name, "")
    for spec in registry.PAGES
}

VIEWPORT = {"width": 1280, "height": 900}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """The dashboard served on 127.0.0.1 from a fresh store."""
    require_chromium()  # before starting a server no test could use
    store = tmp_path_factory.mktemp("store") / "b.sqlite"
    with streamlit_server(
        ROOT / "app.py",
        env={"LANDSCAPE_DATABASE_URL": f"sqlite:///{store}"},
        log_path=tmp_path_factory.mktemp("log") / "server.log",
        timeout_s=60,
    ) as base:
        yield base


@pytest.fixture(scope="module")
def context(chromium):  # noqa: F811
    """One browser context for the page tests, so the dashboard's scripts are fetched once."""
    shared = chromium.new_context(viewport=VIEWPORT)
    yield shared
    shared.close()


def settle(page, timeout_ms: int = 60_000) -> None:
    """Wait until the main title is drawn and the script has finished running."""
    page.wait_for_selector("h1", timeout=timeout_ms)
    wait_for_streamlit(page, timeout_ms)


def screenshot(page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its own container, so grow the window to fit."""
    height = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll(
            '[data-testid="stMain"], [data-testid="stAppViewContainer"], section')]
            .map(e => e.scrollHeight), window.innerHeight)"""
    )
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(int(height) + 40, 12_000)})
    time.sleep(1.0)
    path.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


@contextmanager
def visit(browser, url: str) -> Iterator[Any]:
    """`url` opened and settled in a browser context of its own (a new session)."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(url, wait_until="domcontentloaded")
        settle(page)
        yield page
    finally:
        context.close()


def test_a_fresh_servers_first_visit_by_page_url_gets_the_grouped_menu(server, chromium):  # noqa: F811
    # Streamlit's legacy pages/ mode would run the page file alone, without app.py's navigation
    availability = registry.page("availability")
    with visit(chromium, f"{server}/{availability.url_path}") as page:
        menu = page.locator('[data-testid="stSidebarNav"]').inner_text()
        for group, specs in registry.by_group().items():
            assert group in menu
            assert all(spec.title in menu for spec in specs), menu
        assert page.title() == availability.title


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_in_chromium_without_an_exception(server, context, name):
    page = context.new_page()
    outside = block_outside_requests(page)
    try:
        page.goto(f"{server}/{PAGES[name]}", wait_until="domcontentloaded")
        settle(page)
        screenshot(page, ARTIFACTS / f"page-{name}.png")
        assert page.locator('[data-testid="stException"]').count() == 0
        title = page.locator("h1").first.inner_text()
        assert title.strip(), "no title"
        banner = page.get_by_text("Illustrative data.", exact=False)
        assert banner.count() >= 1, "illustrative banner missing"
        assert not outside.attempted, f"requests left the dashboard: {outside.attempted[:3]}"
    finally:
        page.close()


def test_area_from_the_url_is_selected_in_the_browser(server, chromium):  # noqa: F811
    with visit(chromium, f"{server}/area?area=E23000023") as page:
        assert page.locator("h1").first.inner_text().startswith("Cambridgeshire commissions")
        assert "area=E23000023" in page.url
        assert "wave=" in page.url  # the filters are mirrored in the address
