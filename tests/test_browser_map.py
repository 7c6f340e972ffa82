"""Both map views render in a real headless chromium with every outside request blocked."""

from __future__ import annotations

from pathlib import Path

import pytest

from landscape.figures import maps
from tests.apps.map_sample import TITLE, sample_illustrative, sample_values
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
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .scatterlayer .trace').length > 0",
        timeout=60_000,
    )
    yield page, outside
    context.close()


def expected_figures() -> dict[str, object]:
    return {
        view: maps.area_map(
            sample_values(), view=view, title=TITLE, illustrative=sample_illustrative()
        )
        for view in maps.VIEWS
    }


def test_both_views_render_offline_with_no_outside_request(page) -> None:
    page, outside = page
    figures = expected_figures()
    plots = page.locator(".js-plotly-plot")
    assert plots.count() == 2
    for index, view in enumerate(maps.VIEWS):
        plot = plots.nth(index)
        plot.scroll_into_view_if_needed()
        traces = plot.locator(".scatterlayer .trace")
        assert traces.count() == len(figures[view].data), view
        filled = [t for t in figures[view].data if t.fill == "toself" and t.x[0] is not None]
        assert plot.locator(".scatterlayer path.js-fill").count() >= len(filled), view
        legend = plot.locator(".legend .traces")
        assert legend.count() == 5, view
        assert "Did not respond (5)" in (plot.locator(".legend").text_content() or "")
        # the attribution is drawn on short lines (a phone), which text_content joins unspaced
        drawn = (plot.text_content() or "").replace(" ", "")
        assert maps.ATTRIBUTION.split(".")[0].replace(" ", "") in drawn
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "map-page")
    ARTIFACTS.mkdir(exist_ok=True)
    for index, view in enumerate(maps.VIEWS):
        plots.nth(index).screenshot(path=str(ARTIFACTS / f"map-{view}.png"))
    assert outside.attempted == []


def test_hovering_a_tile_names_the_area_value_and_provenance(page) -> None:
    page, outside = page
    tiles = page.locator(".js-plotly-plot").nth(1)
    tiles.scroll_into_view_if_needed()
    label = tiles.locator(".scatterlayer .trace text", has_text="City").first
    box = label.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] + 6)
    hover = tiles.locator(".hoverlayer")
    hover.get_by_text("City of London").wait_for(timeout=10_000)
    text = hover.text_content() or ""
    assert sample_values()["E23000034"] in text
    assert "illustrative" in text
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
