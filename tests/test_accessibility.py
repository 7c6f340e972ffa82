"""Accessibility measured: axe-core (axe-playwright-python carries the engine) on every page of
ui/registry.py at 1280 and 390 px, failing on any serious or critical violation; a screenshot of
each whole page at each width goes to test-artifacts/ (git-ignored); every chart has its text
alternative (a description of its finding, then its table); and keyboard-only navigation reaches
the sidebar filters and the page's own controls.

One server, one browser tab: each page is opened once, checked at 1280 px, then the same tab is
narrowed to 390 px and checked again (the tests below read what that one visit saw). The tab is
as tall as the page, so axe sees every element on screen and a viewport screenshot is the whole
page, with no resizing per screenshot.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.browser_support import (
    ARTIFACTS,
    app_server_on_fresh_store,
    block_outside_requests,
    chromium,  # noqa: F401 (a fixture)
    wait_for_streamlit,
)
from ui import registry

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1280, "phone": 390}
QUERIES = {"area": "?area=E23000023"}
PAGES = {
    spec.name: ("" if spec.default else spec.url_path) + QUERIES.get(spec.name, "")
    for spec in registry.PAGES
}
BLOCKING = ("serious", "critical")
# Streamlit's own page menu nests its section headings directly in a <ul> (axe: list,
# listitem); the project cannot change that markup, so the menu is left out of the scan.
AXE_CONTEXT = {"exclude": [['[data-testid="stSidebarNav"]']]}
# every rule axe has runs; only the violations come back, and only the blocking ones are kept
AXE_RUN = """async ([context, blocking]) => {
    const result = await axe.run(context, {resultTypes: ['violations']});
    return result.violations.filter(v => blocking.includes(v.impact)).map(v =>
        `${v.id} (${v.impact}): ${v.help} — ${JSON.stringify(v.nodes[0].target)}`);
}"""
# how tall the page's content is (not its window): the main block's and the sidebar's bottoms
PAGE_HEIGHT = """() => Math.ceil(Math.max(...['stMainBlockContainer', 'stSidebarUserContent']
    .map(id => document.querySelector(`[data-testid="${id}"]`))
    .filter(e => e).map(e => e.getBoundingClientRect().bottom)))"""
# What a screen reader meets for each chart: its description (a visually hidden text in the
# chart's own container, before the chart), whether that text is rendered (so read) yet takes
# no room, the chart's own title or legend, and whether a table follows the chart.
CHARTS = """() => [
    ...document.querySelectorAll('[data-testid="stMain"] .landscape-picture')
    ].map(chart => {
        const holder = chart.closest('[class*="st-key-described-"]');
        const alt = holder && holder.querySelector('[class*="st-key-chart-alt-"]');
        const style = alt && getComputedStyle(alt);
        const tables = [...document.querySelectorAll(
            '[data-testid="stExpander"], .landscape-table')];
        const words = sel => [...chart.querySelectorAll(sel)].map(e => e.textContent).join(' ');
        return {
            description: alt ? alt.textContent.trim() : '',
            before: !!alt
                && !!(alt.compareDocumentPosition(chart) & Node.DOCUMENT_POSITION_FOLLOWING),
            rendered: !!alt && style.display !== 'none' && style.visibility !== 'hidden',
            out_of_flow: !!alt && style.position === 'absolute' && style.clipPath !== 'none',
            size: alt ? [alt.offsetWidth, alt.offsetHeight] : [],
            title: words('.landscape-picture-title'),
            legend: [...chart.querySelectorAll(
                '.landscape-picture-key li, .landscape-map-key-entry')]
                .map(e => e.textContent),
            table_follows: tables.some(
                t => chart.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING),
        };
    })"""


@dataclass
class Seen:
    """What one visit to a page found at each width."""

    violations: dict[str, list[str]] = field(default_factory=dict)
    charts: list[dict[str, Any]] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    with app_server_on_fresh_store(tmp_path_factory, "a11y") as base:
        yield base


@pytest.fixture(scope="module")
def tab(chromium) -> Iterator[Any]:  # noqa: F811
    """One tab for every page (the dashboard's scripts are fetched once)."""
    context = chromium.new_context(viewport={"width": WIDTHS["desktop"], "height": 900})
    page = context.new_page()
    page.outside = block_outside_requests(context)
    yield page
    context.close()


@pytest.fixture(scope="module")
def seen(server, tab) -> Iterator[Any]:
    """seen(name): the page's visit, made on first use and shared by every test after."""
    visits: dict[str, Seen] = {}

    def look(name: str) -> Seen:
        if name not in visits:
            visits[name] = visit(tab, f"{server}/{PAGES[name]}", name)
        return visits[name]

    yield look


def fit_height(page: Any) -> None:
    """Make the tab as tall as the page's content, so all of it is on screen (a change of
    height alone redraws no chart)."""
    height = max(min(page.evaluate(PAGE_HEIGHT) + 40, 12_000), 900)
    if height != page.viewport_size["height"]:
        page.set_viewport_size({"width": page.viewport_size["width"], "height": height})


def settle_charts(page: Any, width: int) -> None:
    """Let the pictures reflow for the tab's new width (HTML and SVG: no script redraws them)."""
    page.wait_for_function(f"() => document.documentElement.clientWidth <= {width}")
    time.sleep(0.2)


def visit(page: Any, url: str, name: str) -> Seen:
    shown = Seen()
    attempted = len(page.outside.attempted)
    # the page opens at the width the last one ended at, so each width is drawn once per page
    start = page.viewport_size["width"]
    widths = sorted(WIDTHS.items(), key=lambda item: item[1] != start)
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=60_000)
    wait_for_streamlit(page)
    page.evaluate(axe_script())
    ARTIFACTS.mkdir(exist_ok=True)
    for label, width in widths:
        if width != page.viewport_size["width"]:
            page.set_viewport_size({"width": width, "height": page.viewport_size["height"]})
            settle_charts(page, width)
        fit_height(page)
        if label == "desktop":
            shown.charts = page.evaluate(CHARTS)
        shown.violations[label] = page.evaluate(AXE_RUN, [AXE_CONTEXT, list(BLOCKING)])
        page.screenshot(path=str(ARTIFACTS / f"a11y-{name}-{width}.png"))
    shown.outside = page.outside.attempted[attempted:]
    return shown


def axe_script() -> str:
    from axe_playwright_python.sync_playwright import Axe

    return str(Axe().axe_script)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_accessibility_violation_at_either_width(seen, name):
    shown = seen(name)
    assert shown.violations == {"desktop": [], "phone": []}, "\n".join(
        f"{width}: {v}" for width, found in shown.violations.items() for v in found
    )
    assert not shown.outside


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("name", list(PAGES))
def test_every_chart_has_a_description_of_its_finding_and_its_table(seen, name):
    for chart in seen(name).charts:
        description = chart["description"]
        assert "Chart" in description, chart
        # read by a screen reader (rendered, before the chart) but drawn nowhere
        assert chart["before"] and chart["rendered"] and chart["out_of_flow"], chart
        assert chart["size"][1] <= 1, chart  # and clipped to nothing (PAGE_STYLE)
        # the description says what the chart itself says: its title, or its legend's entries
        assert squeezed(chart["title"]) in squeezed(description), chart
        for entry in chart["legend"]:
            assert squeezed(entry) in squeezed(description), chart
        assert chart["table_follows"], chart


def test_the_chart_pages_were_seen_with_their_charts(seen):
    counts = {name: len(seen(name).charts) for name in ("availability", "stalking", "funding")}
    assert counts["availability"] >= 3 and counts["stalking"] >= 3 and counts["funding"] >= 3, (
        counts
    )
    descriptions = [c["description"] for c in seen("availability").charts]
    # a chart section's description starts with its heading, the finding it states
    assert all(d and not d.startswith("Chart") for d in descriptions), descriptions


def test_keyboard_alone_reaches_the_sidebar_filters_and_the_pages_controls(server, tab):
    page = tab
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    page.goto(f"{server}/area?area=E23000023", wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=60_000)
    wait_for_streamlit(page)
    reached: list[str] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                """() => { const e = document.activeElement;
                const where = e.closest('[data-testid="stSidebar"]') ? 'sidebar' : 'main';
                return where + '|' + (e.getAttribute('aria-label') || e.innerText || '')
                    .trim().slice(0, 60); }"""
            )
        )
    sidebar = [r for r in reached if r.startswith("sidebar|")]
    main = [r for r in reached if r.startswith("main|")]
    assert any("Wave" in r or "wave" in r for r in sidebar), sidebar
    assert any("Selected" in r or "Country" in r or "Region" in r for r in sidebar), sidebar
    assert any("Force area" in r or "Cambridgeshire" in r for r in main), main
    assert any("Download" in r for r in main), main
