"""Every page in a real headless Chromium against a running server: no exception, a screenshot each.

Uses Debian's chromium (/usr/bin/chromium) through playwright; skipped when it is absent unless
LANDSCAPE_REQUIRE_BROWSER=1. Screenshots go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
PAGES = {
    "overview": "",
    "availability": "availability",
    "stalking": "stalking",
    "accreditation": "accreditation",
    "funding": "funding",
    "victims": "victims",
    "directory": "directory",
    "area": "area?area=E23000023",
    "about": "about",
}

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    if os.environ.get("LANDSCAPE_REQUIRE_BROWSER") == "1":
        raise RuntimeError("LANDSCAPE_REQUIRE_BROWSER=1 but /usr/bin/chromium is absent")
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """The dashboard served on 127.0.0.1 from a fresh store."""
    port = _free_port()
    env = {
        **os.environ,
        "LANDSCAPE_DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('store') / 'b.sqlite'}",
    }
    log = (tmp_path_factory.mktemp("log") / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.address=127.0.0.1",
            f"--server.port={port}",
            "--server.headless=true",
            "--browser.gatherUsageStats=false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the dashboard server did not start")
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def context(browser):
    """One browser context for the page tests, so the dashboard's scripts are fetched once."""
    shared = browser.new_context(viewport={"width": 1280, "height": 900})
    yield shared
    shared.close()


def settle(page, timeout_ms: int = 60_000) -> None:
    """Wait until the script has finished running and the main title is drawn."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    page.wait_for_selector("h1", timeout=timeout_ms)
    deadline = time.monotonic() + timeout_ms / 1000
    quiet_since = None
    while time.monotonic() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count() > 0
        skeletons = page.locator('[data-testid="stSkeleton"]').count() > 0
        if running or skeletons:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 1.0:
            return
        time.sleep(0.2)
    raise AssertionError("the page did not settle")


def screenshot(page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its own container, so grow the window to fit."""
    height = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll(
            '[data-testid="stMain"], [data-testid="stAppViewContainer"], section')]
            .map(e => e.scrollHeight), window.innerHeight)"""
    )
    page.set_viewport_size({"width": 1280, "height": min(int(height) + 40, 12_000)})
    time.sleep(1.0)
    path.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


def test_a_fresh_servers_first_visit_by_page_url_gets_the_grouped_menu(server, browser):
    # Streamlit's legacy pages/ mode would run the page file alone, without app.py's navigation
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{server}/availability", wait_until="domcontentloaded")
        settle(page)
        menu = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Landscape" in menu and "Stalking provision" in menu
        assert page.title() == "Availability"
    finally:
        context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_in_chromium_without_an_exception(server, context, name):
    outside: list[str] = []
    page = context.new_page()

    def guard(route):
        url = route.request.url
        if url.startswith(server) or url.startswith("data:") or url.startswith("blob:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", guard)
    try:
        page.goto(f"{server}/{PAGES[name]}", wait_until="domcontentloaded")
        settle(page)
        screenshot(page, ARTIFACTS / f"page-{name}.png")
        assert page.locator('[data-testid="stException"]').count() == 0
        title = page.locator("h1").first.inner_text()
        assert title.strip(), "no title"
        banner = page.get_by_text("Illustrative data.", exact=False)
        assert banner.count() >= 1, "illustrative banner missing"
        assert not outside, f"requests left the dashboard: {outside[:3]}"
    finally:
        page.close()


def test_area_from_the_url_is_selected_in_the_browser(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{server}/area?area=E23000023", wait_until="domcontentloaded")
        settle(page)
        assert page.locator("h1").first.inner_text().startswith("Cambridgeshire commissions")
        assert "area=E23000023" in page.url
        assert "wave=" in page.url  # the filters are mirrored in the address
    finally:
        context.close()
