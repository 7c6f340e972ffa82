"""Every registered page in a real chromium, each opened once per width: at 390 px no chart text
runs past its chart's edges and no key sits on its chart's title; printed (print media
emulated) the sidebar is gone, the banner and the source note stay and every chart takes the
content's width; the keyboard alone (Tab) reaches every control the page offers; the area
profile's one-click PDF names its wave and date; an unknown page address says what is shown.

One server, one browser, one tab per width. Screenshots of each page at both widths go to
test-artifacts/ (git-ignored) as pages-<page>-<width>.png.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import (
    ARTIFACTS,
    app_server_on_fresh_store,
    chromium,  # noqa: F401 (a fixture)
)
from tests.test_pdf import pdf_strings
from ui import registry

pytestmark = pytest.mark.browser

PHONE, DESKTOP = 390, 1280
QUERIES = {"area": "?area=E23000023"}  # Cambridgeshire: a profile with peers and charts
ADDRESSES = {
    spec.name: ("" if spec.default else spec.url_path) + QUERIES.get(spec.name, "")
    for spec in registry.PAGES
}
# the upload page shows no figure from a wave, so it has no source note to keep
SOURCED = [spec.name for spec in registry.PAGES if spec.filtered]
WAVE_LABEL = "APCC 2025 survey (illustrative)"

# every chart and map: pictures drawn by the browser as HTML and SVG (issue 20)
CHARTS = '[data-testid="stMain"] .landscape-picture'
# each chart's text that runs past the chart's edges (a text of the map's SVG, or an element of
# a chart's HTML holding text of its own), and its title's and key's boxes
CHART_GEOMETRY = """(selector) => [...document.querySelectorAll(selector)].map(chart => {
    const edge = chart.getBoundingClientRect().right;
    const start = chart.getBoundingClientRect().left;
    const box = e => { if (!e) return null; const r = e.getBoundingClientRect();
        return r.width > 0 && r.height > 0
            ? {left: r.left, right: r.right, top: r.top, bottom: r.bottom} : null; };
    const texts = [...chart.querySelectorAll('svg text, :not(svg *)')].filter(e =>
        [...e.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim()));
    const drawn = e => { const rects = [...e.getClientRects()];
        return rects.length ? rects : [e.getBoundingClientRect()]; };
    const title = chart.querySelector('.landscape-picture-title');
    return {
        title: title ? title.textContent : '',
        past_right: texts.filter(t => drawn(t).some(r => r.width > 0 && r.right > edge + 1))
            .map(t => t.textContent),
        past_left: texts.filter(t => drawn(t).some(r => r.width > 0 && r.left < start - 1))
            .map(t => t.textContent),
        title_box: box(title),
        legend_box: box(chart.querySelector('.landscape-picture-key, .landscape-map-key')),
        texts: texts.length,
    };
})"""
PRINTED = """(selector) => {
    const content = document.querySelector('[data-testid="stMainBlockContainer"]');
    const sidebar = document.querySelector('[data-testid="stSidebar"]');
    return {
        sidebar: sidebar ? getComputedStyle(sidebar).display : 'absent',
        content: content.getBoundingClientRect().width,
        charts: [...document.querySelectorAll(selector)].map(chart => {
            const drawing = chart.querySelector('svg.landscape-map-drawing') || chart;
            return drawing.getBoundingClientRect().width;
        }),
    };
}"""
# Every control a keyboard user should reach, numbered in data-kb; a radio group is one stop (its
# checked option), as browsers treat it; then every focus change is recorded by that number.
KEYBOARD_SETUP = """() => {
    const visible = e => e.getClientRects().length > 0
        && getComputedStyle(e).visibility !== 'hidden';
    const all = [...document.querySelectorAll(
        'a[href], button, input, select, textarea, summary, [tabindex]')]
        .filter(e => e.tabIndex >= 0 && !e.disabled && visible(e));
    const groups = new Map();
    const wanted = all.filter(e => {
        if (e.type !== 'radio') return true;
        groups.set(e.name, [...(groups.get(e.name) || []), e]);
        return false;
    });
    for (const group of groups.values()) wanted.push(group.find(e => e.checked) || group[0]);
    const where = e => e.closest('[data-testid="stSidebar"]') ? 'sidebar'
        : e.closest('[data-testid="stMain"]') ? 'main' : 'page';
    const kind = e => e.getAttribute('data-testid')
        || (e.closest('[data-testid]') || e).getAttribute('data-testid') || e.tagName;
    window.__reached = [];
    document.addEventListener('focusin', ev => window.__reached.push(
        ev.target.dataset.kb === undefined ? '?' : ev.target.dataset.kb), true);
    return wanted.map((e, i) => { e.dataset.kb = String(i);
        return `${where(e)} ${kind(e)}: ${(e.getAttribute('aria-label') || e.innerText
            || e.value || '').trim().replace(/\\s+/g, ' ').slice(0, 50)}`; });
}"""
PAGE_HEIGHT = """() => Math.ceil(Math.max(...['stMainBlockContainer', 'stSidebarUserContent']
    .map(id => document.querySelector(`[data-testid="${id}"]`))
    .filter(e => e).map(e => e.getBoundingClientRect().bottom)))"""


@dataclass
class Visit:
    """What one visit of a page at one width measured."""

    charts: list[dict[str, Any]] = field(default_factory=list)
    printed: dict[str, Any] = field(default_factory=dict)
    banner_printed: bool = False
    source_printed: bool = False
    controls: list[str] = field(default_factory=list)
    reached: list[str] = field(default_factory=list)
    seconds: float = 0.0
    screenshot_height: int = 0


def settle(page: Any, timeout_s: float = 90) -> None:
    """Wait for the page's title, then until nothing has been loading for half a second."""
    try:
        page.wait_for_selector("h1", timeout=timeout_s * 1000)
    except Exception as late:  # playwright's TimeoutError: say which page it was
        raise AssertionError(f"{page.url} showed no title within {timeout_s} s") from late
    deadline = time.monotonic() + timeout_s
    quiet_since: float | None = None
    while time.monotonic() < deadline:
        busy = page.locator(
            '[data-testid="stStatusWidget"], [data-testid="stSkeleton"]'
        ).count() or page.evaluate(
            # a map still to be drawn: its SVG drawing is in the picture once the markup is
            """(s) => [...document.querySelectorAll(s)].some(c => c.matches('.landscape-map')
                && !c.querySelector('svg.landscape-map-drawing'))""",
            CHARTS,
        )
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 0.5:
            return
        time.sleep(0.1)
    raise AssertionError("the Streamlit page did not settle")


def overlaps(a: dict | None, b: dict | None) -> bool:
    if not a or not b:
        return False
    return (
        a["left"] < b["right"] - 1
        and b["left"] < a["right"] - 1
        and a["top"] < b["bottom"] - 1
        and b["top"] < a["bottom"] - 1
    )


def full_height_screenshot(page: Any, name: str, width: int) -> int:
    """The whole page: the tab made as tall as the content (Streamlit scrolls inside its main
    element, so a full-page screenshot of a short tab shows only the first screen)."""
    page.evaluate(  # from the top: the keyboard walk leaves the page scrolled to its end
        """() => { document.activeElement && document.activeElement.blur();
            document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebarContent"]')
                .forEach(e => e.scrollTo(0, 0)); window.scrollTo(0, 0); }"""
    )
    height = max(844, page.evaluate(PAGE_HEIGHT) + 40)
    page.set_viewport_size({"width": width, "height": height})
    time.sleep(0.3)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"pages-{name}-{width}.png"))
    return height


def keyboard_walk(page: Any) -> tuple[list[str], list[str]]:
    """Number the page's controls, then press Tab until every one has had focus (at most three
    presses a control): the controls, and the numbers focus went to, in order."""
    # open each table (as Enter on its summary would): its downloads are controls too
    page.evaluate(
        """() => document.querySelectorAll('[data-testid="stMain"] details:not([open]) > summary')
            .forEach(s => s.click())"""
    )
    time.sleep(0.3)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    controls = page.evaluate(KEYBOARD_SETUP)
    wanted = {str(i) for i in range(len(controls))}
    pressed, batch, reached = 0, len(controls) + 20, []  # a table takes a press or two more
    while pressed < 3 * len(controls) + 30:
        for _ in range(batch):
            page.keyboard.press("Tab")
        pressed, batch = pressed + batch, 20
        reached = page.evaluate("() => window.__reached")
        if wanted <= set(reached):
            break
    return controls, reached


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    with app_server_on_fresh_store(tmp_path_factory, "pages") as base:
        yield base


@pytest.fixture(scope="module")
def tabs(chromium) -> Iterator[dict[int, Any]]:  # noqa: F811
    contexts = {
        width: chromium.new_context(viewport={"width": width, "height": 844}, accept_downloads=True)
        for width in (DESKTOP, PHONE)
    }
    yield {width: context.new_page() for width, context in contexts.items()}
    for context in contexts.values():
        context.close()


@pytest.fixture(scope="module")
def seen(server, tabs) -> dict[tuple[str, int], Visit]:
    """Every page opened once at each width: first at 390 px (screenshot, chart geometry), then
    at 1280 px (keyboard, screenshot, print), which finds the page's data cached; while the
    1280 px tab is read, the 390 px tab already opens the next page."""
    visits: dict[tuple[str, int], Visit] = {}
    desktop, phone = tabs[DESKTOP], tabs[PHONE]
    desktop.set_viewport_size({"width": DESKTOP, "height": 900})
    names = list(ADDRESSES)
    phone.goto(f"{server}/{ADDRESSES[names[0]]}", wait_until="commit")
    for number, name in enumerate(names):
        started = time.monotonic()
        settle(phone)
        height = full_height_screenshot(phone, name, PHONE)
        visits[(name, PHONE)] = Visit(
            charts=phone.evaluate(CHART_GEOMETRY, CHARTS),
            seconds=time.monotonic() - started,
            screenshot_height=height,
        )

        started = time.monotonic()
        desktop.set_viewport_size({"width": DESKTOP, "height": 900})
        desktop.goto(f"{server}/{ADDRESSES[name]}", wait_until="commit")  # its data is cached
        if number + 1 < len(names):  # the server works out the next page while this one is read
            phone.set_viewport_size({"width": PHONE, "height": 844})
            phone.goto(f"{server}/{ADDRESSES[names[number + 1]]}", wait_until="commit")
        settle(desktop)
        visit = visits[(name, DESKTOP)] = Visit()
        visit.controls, visit.reached = keyboard_walk(desktop)
        visit.screenshot_height = full_height_screenshot(desktop, name, DESKTOP)
        desktop.emulate_media(media="print")
        time.sleep(0.5)  # the charts follow their container's new width
        visit.printed = desktop.evaluate(PRINTED, CHARTS)
        visit.banner_printed = desktop.get_by_text("Illustrative data.").first.is_visible()
        source = desktop.get_by_text("Source: Wave ", exact=False)
        visit.source_printed = source.count() > 0 and source.first.is_visible()
        desktop.emulate_media(media="screen")
        visit.seconds = time.monotonic() - started
    timings = {f"{name}@{width}": round(v.seconds, 1) for (name, width), v in visits.items()}
    print("seconds per visit:", timings)
    return visits


def test_every_page_was_seen_at_both_widths_with_its_charts(seen):
    assert {name for name, _ in seen} == set(ADDRESSES)
    charts = {name: len(seen[(name, PHONE)].charts) for name in ADDRESSES}
    assert charts["availability"] >= 5 and charts["funding"] >= 4 and charts["area"] >= 3, charts
    for name in ADDRESSES:
        for width in (DESKTOP, PHONE):
            assert (ARTIFACTS / f"pages-{name}-{width}.png").stat().st_size > 10_000
    # each screenshot is the whole page, not its first screen
    tall = {key: v.screenshot_height for key, v in seen.items()}
    assert tall[("availability", DESKTOP)] > 3000 and tall[("availability", PHONE)] > 4000, tall


# Once cut at 390 px, now wrapped by landscape.figures.charts: the evaluation chart's outside
# labels ('Completed: 40 of 210 (19%)'), funding's axis titles and a long source name, the area
# profile's ranking axis title ('Programme types commissioned').
@pytest.mark.parametrize("name", list(ADDRESSES))
def test_no_chart_text_runs_past_its_charts_edges_on_a_phone(seen, name):
    charts = seen[(name, PHONE)].charts
    cut = [(c["title"], c["past_right"], c["past_left"]) for c in charts]
    assert [c for c in cut if c[1] or c[2]] == []
    assert all(c["texts"] > 0 for c in charts)


def test_no_legend_sits_on_its_charts_title_on_a_phone(seen):
    covered = {
        name: [
            c["title"]
            for c in seen[(name, PHONE)].charts
            if overlaps(c["legend_box"], c["title_box"])
        ]
        for name in ADDRESSES
    }
    hidden = {name: titles for name, titles in covered.items() if titles}
    assert hidden == {}, "\n".join(f"{name}: {titles}" for name, titles in hidden.items())
    # the check saw legends and titles at all
    assert any(c["legend_box"] for c in seen[("availability", PHONE)].charts)
    assert all(c["title_box"] for c in seen[("availability", PHONE)].charts)


def test_every_page_prints_without_the_sidebar_and_keeps_the_banner_and_source(seen):
    printed = {name: seen[(name, DESKTOP)] for name in ADDRESSES}
    assert {name: v.printed["sidebar"] for name, v in printed.items()} == {
        name: "none" for name in ADDRESSES
    }
    assert [name for name, v in printed.items() if not v.banner_printed] == []
    assert [name for name in SOURCED if not printed[name].source_printed] == []


def test_every_printed_chart_takes_the_contents_width(seen):
    narrow = {}
    for name in ADDRESSES:
        printed = seen[(name, DESKTOP)].printed
        widths = [round(w / printed["content"], 2) for w in printed["charts"]]
        if any(w < 0.9 for w in widths):
            narrow[name] = widths
    assert narrow == {}
    # the sidebar's room is given to the content: it is the whole tab's width
    assert seen[("availability", DESKTOP)].printed["content"] >= DESKTOP * 0.95


def test_the_keyboard_alone_reaches_every_control_on_every_page(seen):
    missed = {}
    for name in ADDRESSES:
        visit = seen[(name, DESKTOP)]
        reached = set(visit.reached)
        unreached = [c for i, c in enumerate(visit.controls) if str(i) not in reached]
        if unreached:
            missed[name] = unreached
    assert missed == {}
    area = seen[("area", DESKTOP)].controls
    # the walk counted the controls named in the brief: sidebar selects, downloads, links
    assert any(c.startswith("sidebar stSelectbox: Survey wave") for c in area), area
    assert any("Download this profile as PDF" in c for c in area), area
    assert any(c.startswith("main stPageLink") for c in area), area


def test_the_area_profile_pdf_downloads_with_its_wave_and_date(server, tabs, seen):
    page = tabs[DESKTOP]
    page.goto(f"{server}/{ADDRESSES['area']}", wait_until="domcontentloaded")
    settle(page)
    button = page.get_by_role("button", name="Download this profile as PDF")
    assert button.count() == 1
    with page.expect_download(timeout=90_000) as download:
        button.click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    assert download.value.suggested_filename == "area-profile-E23000023.pdf"
    # literal PDF strings keep their backslash escapes: \( for (
    titles = [t.replace("\\(", "(").replace("\\)", ")") for t in pdf_strings(data)]
    assert f"Wave: {WAVE_LABEL}" in titles, titles
    assert f"Cambridgeshire: area profile · wave {WAVE_LABEL}" in titles, titles
    # the day it was made: the PDF's own date (the printed 'Made on' line is checked from the
    # page's HTML in tests/test_area_pdf.py; the PDF's text is compressed and pypdf is absent)
    assert f"/CreationDate (D:{date.today():%Y%m%d}".encode() in data


def test_an_unknown_page_address_says_which_page_is_shown(server, tabs, seen):
    page = tabs[DESKTOP]
    page.goto(f"{server}/nowhere", wait_until="domcontentloaded")
    settle(page)
    notice = page.get_by_text("There is no page '/nowhere' in this dashboard: showing Overview")
    assert notice.count() == 1 and notice.first.is_visible()
    assert (
        "responding areas commission DA perpetrator programmes"
        in page.locator("h1").first.inner_text()
    )
