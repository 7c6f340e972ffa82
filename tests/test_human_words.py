"""Every page speaks in human words: no "None%", no "0 of 0 of", no schema column name.

Each registered page (ui/registry.py) is opened under AppTest in three views: the default
filters, North West with early intervention only, and Wales. Every table header, title,
subheader, caption, markdown, metric and chart text (title, axis titles, legend title) is
collected and checked.
"""

from __future__ import annotations

import math
import re

import pytest
from streamlit.testing.v1 import AppTest

from landscape.labels import column_label, labelled
from landscape.schema import SHEETS
from tests.app_support import ALL_PAGES, open_page, picture_words, pictures_drawn, tables_shown

pytestmark = pytest.mark.usefixtures("app_store")

COLUMN_NAMES = frozenset(c.name for sheet in SHEETS for c in sheet.columns)
# snake_case names are never English; a single word like "provider" may be one in a sentence
SNAKE_NAMES = frozenset(n for n in COLUMN_NAMES if "_" in n)
BROKEN_WORDS = ("None%", "0 of 0 of", "nan%", "(nan")
NOTHING_OF_NOTHING = re.compile(r"(?<![\d,])0 of 0(?![\d,])")

VIEWS = {
    "default": {},
    "north-west-early-intervention": {"region": "North West", "type": "Early intervention"},
    "wales": {"country": "Wales"},
}


TABLE_MARK = 'class="landscape-table"'


def _texts(at: AppTest) -> list[str]:
    """The words a reader sees: headings, captions, markdown, alerts, metrics (not a table's
    cells, which are data: a data dictionary names columns on purpose; its headers are _headers)."""
    found: list[str] = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning"):
        found.extend(str(e.value) for e in at.get(kind) if TABLE_MARK not in str(e.value))
    for metric in at.get("metric"):
        found.extend([str(metric.label), str(metric.value)])
    return found


def _headers(at: AppTest) -> list[str]:
    return [str(c) for frame in tables_shown(at) for c in frame.columns]


def _chart_words(at: AppTest) -> list[str]:
    """Every chart's title, axis note and key entries, as the page draws them
    (landscape.figures.picture)."""
    words = [word for markup in pictures_drawn(at) for word in picture_words(markup)]
    assert not at.get("plotly_chart")  # every chart is a picture: there is no other to read
    return words


def _raw_names(text: str) -> list[str]:
    # a name inside a code span is quoted on purpose (the data dictionary, a template's rules)
    plain = re.sub(r"`[^`]*`", "", text)
    return [n for n in SNAKE_NAMES if re.search(rf"\b{n}\b", plain)]


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("page", ALL_PAGES)
def test_no_page_shows_broken_numbers_or_column_names(page, view):
    at = open_page(page, **VIEWS[view])
    texts = _texts(at) + _chart_words(at)
    broken = [t for t in texts if any(b in t for b in BROKEN_WORDS) or NOTHING_OF_NOTHING.search(t)]
    assert not broken, broken
    if view != "default":  # a filtered view never sits under a national heading
        national = [str(h.value) for h in [*at.title, *at.subheader] if "nationally" in h.value]
        assert not national, national
    headers = _headers(at) + _chart_words(at)
    raw_headers = [h for h in headers if h in COLUMN_NAMES or h in SNAKE_NAMES]
    assert not raw_headers, raw_headers
    spoken = {t: _raw_names(t) for t in _texts(at) if _raw_names(t)}
    assert not spoken, spoken


def test_a_schema_column_has_its_label_declared_once():
    assert column_label("programme_name") == "Programme"
    assert column_label("ho_fund_award_gbp") == "Home Office fund award (£)"
    assert column_label("area_code") == "ONS code"
    assert column_label("peer_label") == "Peers with it"
    # a header already in words is left as it is
    assert column_label("Sourced fields") == "Sourced fields"


def test_every_schema_column_has_a_label_in_words():
    for sheet in SHEETS:
        for column in sheet.columns:
            label = column_label(column.name)
            assert "_" not in label and label[0].isupper(), (column.name, label)


def test_labelled_renames_every_known_column():
    import pandas as pd

    frame = pd.DataFrame(columns=["area_code", "programme_name", "peers_with", "Already"])
    assert list(labelled(frame).columns) == [
        "ONS code",
        "Programme",
        "Peers with it (count)",
        "Already",
    ]


def test_labelled_is_the_renamed_frame_with_its_data_and_index_kept():
    """labelled sets the headers in one step (issue 13) and gives what renaming them gave: the
    same values, dtypes and index, the original frame untouched."""
    import pandas as pd

    frame = pd.DataFrame(
        {"area_code": ["E1", "W2"], "programmes": [3, 0], "share": [0.5, float("nan")]},
        index=pd.Index([4, 9], name="row"),
    )
    renamed = frame.rename(columns={c: column_label(c) for c in frame.columns})
    shown = labelled(frame)
    pd.testing.assert_frame_equal(shown, renamed, check_exact=True)
    assert list(frame.columns) == ["area_code", "programmes", "share"]
    shown.iloc[0, 1] = 99  # a copy: the (cached) frame keeps its data
    assert frame.iloc[0, 1] == 3


# --- counts tick at whole numbers; filtered views say what they show ----------------------------


def plotly_auto_step(length: float, ticks: int) -> float:
    """The step plotly.js picks for a linear axis left to itself (autoTicks: range / nticks
    rounded up to 2, 5 or 10 times a power of ten), `ticks` being 5 to 10 from its drawn width."""
    rough = length / ticks
    base = 10 ** math.floor(math.log10(rough))
    return base * min(m for m in (2, 5, 10) if m >= rough / base)


@pytest.mark.parametrize(("top", "step"), [(1, 1), (7, 1), (9, 2), (33, None), (198, None)])
def test_count_axes_tick_at_whole_numbers(top, step):
    import pandas as pd

    from landscape.figures import charts

    frame = pd.DataFrame({"answer": ["A", "B"], "n": [top, 0], "label": ["x", "y"]})
    figure = charts.share_bars(frame, category="answer", count="n", x_title="Force areas")
    axis = figure.layout.xaxis
    assert axis.tickformat == ",d" and axis.tick0 == 0
    assert axis.dtick == step
    if step is None:  # long enough for plotly to tick from the width (fewer on a phone)
        assert axis.range[1] >= charts.WIDTH_TICKED
        steps = {plotly_auto_step(axis.range[1], ticks) for ticks in range(5, 11)}
        assert all(s >= 1 and s == int(s) for s in steps), steps
    else:
        assert step == charts.count_tick_step(axis.range[1])
        assert axis.range[1] / axis.dtick <= 8


def test_a_filtered_map_greys_out_areas_outside_the_view_and_counts_what_it_draws(bundled):
    from landscape.figures import map_svg, maps
    from landscape.model import breakdowns

    wales = bundled.filter(countries=["Wales"])
    codes = tuple(wales.areas.index)
    picture = map_svg.map_picture(
        breakdowns.stalking_categories(bundled),
        view="tiles",
        category_order=breakdowns.STALKING_CATEGORIES,
        in_view=codes,
    )
    counted = sum(int(re.search(r"\((\d+)\)$", entry).group(1)) for entry in picture.key[:-1])
    assert counted == len(codes) == 4
    assert picture.key[-1] == f"{maps.OUTSIDE_VIEW} ({43 - len(codes)})"
    outside = re.findall(
        r"<title>[^<]*\noutside this view</title><rect[^>]* fill=\"([^\"]+)\"", (picture.markup)
    )
    assert len(outside) == 43 - len(codes) and set(outside) == {maps.OUTSIDE_GREY}


def test_a_filtered_view_never_carries_a_national_heading():
    at = open_page("availability", region="North West", type="Early intervention")
    headings = [str(s.value) for s in at.subheader]
    assert "Programme types in this view" in headings
    assert not [h for h in headings if "nationally" in h]
    assert " only 5 of 5" not in at.title[0].value
    stalking = open_page("stalking", country="Wales")
    legend = " ".join(_chart_words(stalking))
    assert any("counted apart in the legend" in str(c.value) for c in stalking.caption)
    assert "43" not in legend


def test_cards_on_one_row_share_one_format():
    at = open_page("overview")
    values = [str(m.value) for m in at.metric]
    assert values and all(re.fullmatch(r"[\d,]+ of [\d,]+ \(\d+%\)", v) for v in values), values
