"""Both map views, as the stalking page draws them (SVG pictures), render in a real headless
chromium with every outside request blocked: every area drawn with a size, the key and its
counts shown, the central London inset drawn from the same outlines, and each area's hover text
(its <title>) naming the area, its value and its provenance."""

from __future__ import annotations

from pathlib import Path

import pytest

from landscape.figures import maps
from tests.apps.map_sample import sample_values
from tests.browser_support import (
    ARTIFACTS,
    block_outside_requests,
    chromium,  # noqa: F401 (a fixture)
    screenshot,
    streamlit_server,
    wait_for_streamlit,
)

pytestmark = pytest.mark.browser

APP = Path(__file__).resolve().parent / "apps" / "map_app.py"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    log = tmp_path_factory.mktemp("map-app") / "streamlit.log"
    with streamlit_server(APP, log_path=log) as base:
        yield base


@pytest.fixture(scope="module")
def page(chromium, server):  # noqa: F811
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    outside = block_outside_requests(context)
    page = context.new_page()
    page.goto(server, wait_until="domcontentloaded")
    wait_for_streamlit(page)
    page.wait_for_selector("svg.landscape-map-drawing", timeout=60_000)
    yield page, outside
    context.close()


DRAWN = """(map) => {
    const size = e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; };
    return {
        areas: [...map.querySelectorAll('path[id^="area-"]')].map(size),
        inset: [...map.querySelectorAll('.landscape-map-inset use')].map(size),
        tiles: [...map.querySelectorAll('.landscape-map-tile rect:first-of-type')].map(size),
        key: [...map.querySelectorAll('.landscape-map-key-entry')].map(e => e.textContent),
        text: map.textContent,
    };
}"""


def test_both_views_render_offline_with_no_outside_request(page) -> None:
    page, outside = page
    maps_drawn = page.locator(".landscape-map")
    assert maps_drawn.count() == 2
    assert page.locator(".js-plotly-plot").count() == 0  # no plotly bundle asked for
    for index, view in enumerate(maps.VIEWS):
        drawn = maps_drawn.nth(index)
        drawn.scroll_into_view_if_needed()
        shown = drawn.evaluate(DRAWN)
        assert drawn.get_attribute("data-view") == view
        assert "Did not respond (5)" in shown["key"] and len(shown["key"]) == 5, view
        if view == "geographic":
            assert len(shown["areas"]) == 43
            assert all(w > 0 and h > 0 for w, h in shown["areas"])
            # the enlarged copies: the City of London (a few px on the map) big enough to hover
            city_inset = shown["inset"][1]
            assert city_inset[0] >= 30 and city_inset[1] >= 20, shown["inset"]
            assert maps.ATTRIBUTION.split(".")[0] in shown["text"]
        else:
            assert len(shown["tiles"]) == 43
            assert len({(round(w), round(h)) for w, h in shown["tiles"]}) == 1
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "map-page")
    ARTIFACTS.mkdir(exist_ok=True)
    for index, view in enumerate(maps.VIEWS):
        maps_drawn.nth(index).screenshot(path=str(ARTIFACTS / f"map-{view}.png"))
    assert outside.attempted == []


def test_hovering_an_area_shows_its_name_value_and_provenance(page) -> None:
    page, outside = page
    tiles = page.locator(".landscape-map").nth(1)
    tiles.scroll_into_view_if_needed()
    city = tiles.locator(".landscape-map-tile", has_text="City").first
    # the browser's own tooltip is the tile's <title>: what a pointer resting on it shows
    hover = city.locator("title").text_content() or ""
    assert hover.startswith("City of London\n")
    assert sample_values()["E23000034"] in hover and "illustrative" in hover
    city.hover()
    assert city.evaluate("e => e.matches(':hover')")
    geographic = page.locator(".landscape-map").nth(0)
    titles = geographic.locator('path[id^="area-"] > title').all_text_contents()
    assert len(titles) == 43 and sum("Did not respond" in t for t in titles) == 5
    assert outside.attempted == []


def test_the_request_guard_catches_an_outside_request(chromium) -> None:  # noqa: F811
    """The offline assertion above can fail: a CDN fetch is caught, blocked and recorded."""
    context = chromium.new_context()
    outside = block_outside_requests(context)
    try:
        page = context.new_page()
        page.set_content("<p>guard check</p>")
        outcome = page.evaluate(
            "() => fetch('https://cdn.plot.ly/world_110m.json').then(() => 'sent', () => 'blocked')"
        )
        assert outcome == "blocked"
        assert outside.attempted == ["https://cdn.plot.ly/world_110m.json"]
    finally:
        context.close()
