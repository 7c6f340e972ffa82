"""Phone and print in a real chromium: at 390 px no chart label runs past its chart, and every
page prints without the sidebar while keeping the illustrative banner and the source note.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.browser_support import (
    ARTIFACTS,
    app_server_on_fresh_store,
    chromium,  # noqa: F401 (a fixture)
    screenshot,
    wait_for_streamlit,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    with app_server_on_fresh_store(tmp_path_factory, "phone") as base:
        yield base


def opened(browser, url: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=60_000)
    wait_for_streamlit(page)
    return context, page


# Each bar of each chart picture as the browser laid it out: its drawn width against its track's
# and the length its style asks for (% of the track), and the texts that run past the picture.
BAR_GEOMETRY = """() => [...document.querySelectorAll('[data-testid="stMain"] .landscape-bars')]
  .map(chart => {
    const box = chart.getBoundingClientRect();
    const tracks = [...chart.querySelectorAll('li > div:last-child')].flatMap(t =>
        t.matches('[style*="display:grid"]') ? [...t.children] : [t]);
    return {
        bars: tracks.flatMap(track => [...track.children].map(bar => ({
            asked: parseFloat(bar.style.width),
            drawn: 100 * bar.getBoundingClientRect().width / track.getBoundingClientRect().width,
        }))),
        past: [...chart.querySelectorAll('*')].filter(e => [...e.childNodes].some(
                n => n.nodeType === Node.TEXT_NODE && n.textContent.trim()))
            .filter(e => [...e.getClientRects()].some(
                r => r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1)))
            .map(e => e.textContent),
        right: box.right,
    };
  })"""


@pytest.mark.parametrize("path", ["availability", "funding", "area?area=E23000023"])
def test_every_bar_is_drawn_as_long_as_its_count_and_no_text_runs_past_it_on_a_phone(
    server,
    chromium,  # noqa: F811
    path,
):
    """The charts are HTML (landscape.figures.picture): at 390 px each bar and part of a stack is
    as long against its track as its count asks (no text inside a part widens it, none is
    squeezed), every label wraps inside the chart, and nothing is wider than the phone."""
    context, page = opened(chromium, f"{server}/{path}", 390)
    try:
        charts = page.evaluate(BAR_GEOMETRY)
        page.set_viewport_size({"width": 390, "height": 7000})  # the whole page in one picture
        wait_for_streamlit(page)
        screenshot(page, f"bars-{path.split('?')[0]}-390")
        scrolls = page.evaluate("() => document.documentElement.scrollWidth")
    finally:
        context.close()
    assert len(charts) >= 3, charts
    bars = [bar for chart in charts for bar in chart["bars"]]
    assert len(bars) >= 10
    off = [bar for bar in bars if abs(bar["drawn"] - bar["asked"]) > 0.6]
    assert off == [], off
    assert [chart["past"] for chart in charts if chart["past"]] == []
    assert max(chart["right"] for chart in charts) <= 390 and scrolls <= 390


MAP_GEOMETRY = """() => {
    const map = document.querySelector('svg.landscape-map-drawing');
    const box = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
    // the inset's copies are clipped to its frame, which their boxes do not know of
    const frame = map.querySelector('.landscape-map-inset-frame').getBoundingClientRect();
    const clipped = r => ({
        left: Math.max(r.left, frame.left), right: Math.min(r.right, frame.right),
        top: Math.max(r.top, frame.top), bottom: Math.min(r.bottom, frame.bottom)});
    const areas = [
        ...[...map.querySelectorAll('path[id^="area-"]')].map(p => box(p.getBoundingClientRect())),
        ...[...map.querySelectorAll('.landscape-map-inset use')]
            .map(u => clipped(u.getBoundingClientRect())),
    ].filter(r => r.right > r.left && r.bottom > r.top);
    return {
        plot: box(map.getBoundingClientRect()),
        areas,
        city: box(map.querySelector('.landscape-map-city-label').getBoundingClientRect()),
    };
}"""


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and (b["top"] < a["bottom"])
    )


def assert_legible(shown: dict) -> None:
    drawn_width = max(a["right"] for a in shown["areas"]) - min(a["left"] for a in shown["areas"])
    assert shown["plot"]["right"] - shown["plot"]["left"] >= 300, shown["plot"]
    assert drawn_width >= 300, drawn_width  # the outlines themselves, not blank plot area
    assert len(shown["areas"]) >= 45  # 43 areas and the inset's two
    hit = [a for a in shown["areas"] if overlaps(shown["city"], a)]
    assert hit == [], (shown["city"], hit)


def test_stalking_map_is_legible_on_a_phone_and_the_city_label_is_clear_of_every_area(
    server,
    chromium,  # noqa: F811
):
    context, page = opened(chromium, f"{server}/stalking", 390)
    try:
        page.wait_for_selector("svg.landscape-map-drawing", state="attached")
        page.locator(".landscape-map").first.scroll_into_view_if_needed()
        page.locator(".landscape-map").first.screenshot(
            path=str(ARTIFACTS / "phone-stalking-map-390.png")
        )
        assert_legible(page.evaluate(MAP_GEOMETRY))
        # drawn wide, then narrowed (a window resized, a phone turned): still legible
        page.set_viewport_size({"width": 1280, "height": 844})
        time.sleep(1)
        page.set_viewport_size({"width": 390, "height": 844})
        time.sleep(1)
        assert_legible(page.evaluate(MAP_GEOMETRY))
    finally:
        context.close()


CARDS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMetric"]')]
    .map(m => { const r = m.getBoundingClientRect();
        return {label: m.querySelector('[data-testid="stMetricLabel"]').innerText.trim(),
                top: Math.round(r.top), left: Math.round(r.left)}; })"""


def test_overview_cards_keep_their_reading_order_on_a_phone(server, chromium):  # noqa: F811
    orders = {}
    for width in (1280, 390):
        context, page = opened(chromium, f"{server}/", width)
        try:
            cards = page.evaluate(CARDS)
        finally:
            context.close()
        # what a reader (and a screen reader, which follows the DOM) meets first comes first
        reading = sorted(cards, key=lambda c: (c["top"], c["left"]))
        assert [c["label"] for c in reading] == [c["label"] for c in cards], (width, cards)
        orders[width] = [c["label"] for c in cards]
    assert len(orders[1280]) >= 6
    # a phone shows one card under another, in the desktop's row-by-row order
    assert orders[390] == orders[1280]
    assert len({c for c in orders[390]}) == len(orders[390])


CLIPPED_CARD_VALUES = """() => [...document.querySelectorAll('[data-testid="stMetricValue"]')]
  .filter(e => [e, ...e.querySelectorAll('*')].some(n => n.scrollWidth > n.clientWidth + 1))
  .map(e => e.innerText)"""


@pytest.mark.parametrize("width", [1280, 390])
def test_no_overview_card_value_is_cut_off(server, chromium, width):  # noqa: F811
    context, page = opened(chromium, f"{server}/", width)
    try:
        page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=60_000)
        values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        clipped = page.evaluate(CLIPPED_CARD_VALUES)
    finally:
        context.close()
    assert any("185 of 210" in v for v in values), values
    assert not any("…" in v for v in values), values
    assert clipped == [], clipped


@pytest.mark.parametrize("path", ["", "availability", "area?area=E23000023"])
def test_a_page_prints_without_the_sidebar_and_keeps_banner_and_source(server, chromium, path):  # noqa: F811
    context, page = opened(chromium, f"{server}/{path}", 1280)
    try:
        page.emulate_media(media="print")
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert sidebar.evaluate("e => getComputedStyle(e).display") == "none"
        assert page.get_by_text("Illustrative data.", exact=False).first.is_visible()
        assert page.get_by_text("Source: Wave ", exact=False).first.is_visible()
        printed = page.pdf(format="A4")
        assert printed.startswith(b"%PDF")
    finally:
        context.close()
