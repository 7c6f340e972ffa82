"""Empty views read as sentences: for a filter that leaves a chart page with nothing to draw (a
region where no area responded, a programme type no area in the region commissions, a type with
no accreditation route), the page says so in words where the chart or percentage would be.

The bundled wave has a respondent in every region, so the module's store holds it and then a wave
in which London's one respondent (the Metropolitan Police) did not respond either.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from landscape.intake.template import survey_workbook_bytes
from landscape.store import open_store
from landscape.survey import Survey
from tests.app_support import PAGES, isolated_store, open_page
from tests.store_support import ADMIN, database_url, read_bundled_survey

MET, CITY = "E23000001", "E23000034"
LONDON = {"region": "London"}  # no responding area, no programme
NORTH_EAST_CAPVA = {"region": "North East", "type": "CAPVA"}  # 3 respondents, no programme
STALKING_ONLY = {"type": "Non-DA stalking"}  # 12 programmes, none with an accreditation route
BROKEN = re.compile(r"None%|\bnan\b|\b0 of 0\b|NaN|\b0 responding areas\b")


def london_silent() -> Survey:
    """The bundled wave with the Metropolitan Police answering as the City of London did (not at
    all) and without its programmes: London has no respondent."""
    base = read_bundled_survey()
    areas = base.areas.copy()
    met = areas.index[areas["area_code"] == MET][0]
    city = areas.index[areas["area_code"] == CITY][0]
    for column in areas.columns.drop("area_code"):
        areas.at[met, column] = areas.at[city, column]
    programmes = base.programmes[base.programmes["area_code"] != MET].reset_index(drop=True)
    provenance = base.provenance[base.provenance["area_code"] != MET].reset_index(drop=True)
    return Survey(areas, programmes, provenance)


@pytest.fixture(scope="module", autouse=True)
def silent_london_app(tmp_path_factory) -> Iterator[None]:
    database = tmp_path_factory.mktemp("empty") / "empty.sqlite"
    store = open_store(database_url(database))
    workbook = survey_workbook_bytes(london_silent())
    store.publish(workbook, "2026.xlsx", principal=ADMIN, label="2026 survey (London silent)")
    store.dispose()
    with isolated_store(database):
        yield


def words(value: object) -> str:
    return str(value).replace("\\", "")  # plain() escapes Markdown punctuation


def everything_written(at) -> list[str]:
    elements = [*at.title, *at.header, *at.subheader, *at.markdown, *at.caption, *at.info]
    return [words(e.value) for e in elements] + [f"{m.label} {m.value}" for m in at.metric]


# (page, view, the page's title, the sentence in place of the chart(s), charts still drawn)
EMPTY_VIEWS = [
    pytest.param(
        "overview",
        LONDON,
        "No responding areas in this view",
        "Nothing to show for the headline figures in this view (London; all programme types). "
        "Widen the filters in the sidebar to see more.",
        0,
        id="overview-london",
    ),
    pytest.param(
        "availability",
        LONDON,
        "No programmes in this view",
        "Nothing to show for programmes in this view (London; all programme types). "
        "Widen the filters in the sidebar to see more.",
        0,
        id="availability-london",
    ),
    pytest.param(
        "availability",
        NORTH_EAST_CAPVA,
        "No programmes in this view",
        "Nothing to show for programmes in this view (North East; programme types: CAPVA). "
        "Widen the filters in the sidebar to see more.",
        0,
        id="availability-north-east-capva",
    ),
    pytest.param(
        "stalking",
        LONDON,
        "No responding areas in this view; 2 of 2 force areas did not respond",
        "No area in this view responded, so no area's category is counted and no one answered "
        "whether national standards would help. Widen the filters in the sidebar to see more.",
        1,  # the map: both areas drawn as 'Did not respond'
        id="stalking-london",
    ),
    pytest.param(
        "accreditation",
        LONDON,
        "No programmes in this view",
        "Nothing to show for programmes in this view (London; all programme types). "
        "Widen the filters in the sidebar to see more.",
        0,
        id="accreditation-london",
    ),
    pytest.param(
        "accreditation",
        STALKING_ONLY,
        "No programmes in this view have an accreditation route",
        "No programmes in this view have an accreditation route: all 12 are of a kind for which "
        "no accreditation route exists (e.g. stalking programmes), so none can be accredited. "
        "Widen the programme types in the sidebar to compare accreditation.",
        1,  # evaluation, a separate question, still has its chart
        id="accreditation-stalking-only",
    ),
    pytest.param(
        "funding",
        LONDON,
        "No responding areas in this view",
        "Nothing to show for funding answers in this view (London; all programme types). "
        "Widen the filters in the sidebar to see more.",
        0,
        id="funding-london",
    ),
    pytest.param(
        "funding",
        NORTH_EAST_CAPVA,
        "2 of 3 responding areas (67%) received the Home Office perpetrator fund, which ended in "
        "March 2025; 2 plan to continue funding programmes",
        "Nothing to show for programme funding end dates in this view (North East; programme "
        "types: CAPVA). Widen the filters in the sidebar to see more.",
        3,  # the area answers' charts; the funding cliff (programme end dates) is the sentence
        id="funding-north-east-capva",
    ),
    pytest.param(
        "victims",
        LONDON,
        "No responding areas in this view",
        "Nothing to show for victim support and governance answers in this view (London; all "
        "programme types). Widen the filters in the sidebar to see more.",
        0,
        id="victims-london",
    ),
    pytest.param(
        "area",
        LONDON,
        "Metropolitan Police did not respond to this survey wave",
        None,  # a non-responding area's profile: its fund table, no chart and no comparison
        0,
        id="area-london",
    ),
    pytest.param(
        "area",
        NORTH_EAST_CAPVA,
        "Northumbria commissions 0 programmes against a peer median of 0; it has 0 features most "
        "peers lack and lacks 3 most have",
        "Nothing to show for Northumbria's programmes in this view (North East; programme types: "
        "CAPVA). Widen the filters in the sidebar to see more.",
        3,  # the peer rankings of its area answers
        id="area-north-east-capva",
    ),
]


def charts_drawn(at) -> int:
    """Figures drawn by the browser as HTML and SVG (every chart and the stalking map,
    landscape.figures.picture), and any plotly chart (there should be none)."""
    pictures = [m for m in at.markdown if 'class="landscape-picture' in str(m.value)]
    return len(at.get("plotly_chart")) + len(pictures)


@pytest.mark.parametrize(("page", "view", "title", "sentence", "charts"), EMPTY_VIEWS)
def test_an_empty_view_says_so_in_a_sentence_where_the_chart_would_be(
    page, view, title, sentence, charts
):
    at = open_page(page, **view)
    assert words(at.title[0].value) == title
    if sentence is not None:
        assert sentence in [words(i.value) for i in at.info], [i.value for i in at.info]
    assert charts_drawn(at) == charts
    broken = [t for t in everything_written(at) if BROKEN.search(t)]
    assert broken == [], broken


def test_the_directory_of_a_view_with_no_programmes_says_so_not_0_of_0():
    at = open_page("directory", **NORTH_EAST_CAPVA)
    assert words(at.title[0].value) == "No programmes in this view"
    assert (
        "Nothing to show for programmes in this view (North East; programme types: CAPVA). "
        "Widen the filters in the sidebar to see more." in [words(i.value) for i in at.info]
    )
    assert [t for t in everything_written(at) if BROKEN.search(t)] == []


def test_the_funding_cliff_sentence_is_not_written_over_a_view_with_no_programmes():
    at = open_page("funding", **NORTH_EAST_CAPVA)
    written = " ".join(everything_written(at))
    assert "When programme funding ends, or ended" in written
    assert "every dated quarter is ahead" not in written  # nothing is dated in this view


def test_every_chart_page_has_an_empty_view_above():
    """A page that draws a chart in the default view must be among EMPTY_VIEWS' pages."""
    drawing = {page for page in PAGES if charts_drawn(open_page(page))}
    covered = {case.values[0] for case in EMPTY_VIEWS}
    assert drawing == covered, (drawing, covered)
