"""The fast paths behind issue 13's speed targets give the same answers as the plain ones.

- A model builds its per-value provenance only when asked, and a filtered model cuts the whole
  model's table instead of rebuilding it: the rows are those the plain rule keeps.
- Charts are built without plotly's per-property validation, on a slimmed plotly_white: the
  same JSON as validated builds, each constructed once from its spec (no update_* calls).
- The store rebuilds a survey's typed tables a column at a time (`records.stored_frame`): the
  same frames, dtypes included, as `landscape.survey.typed_frame` of the same records.
"""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from landscape import paths
from landscape.figures import charts
from landscape.intake.validate import load_survey
from landscape.model.landscape import Landscape, build_landscape
from landscape.schema import AREAS, PROGRAMMES, PROVENANCE, Kind
from landscape.store import records
from landscape.survey import Survey, typed_frame
from tests.app_support import PAGES
from tests.builders import minimal_survey

needs_bundled_wave = pytest.mark.skipif(
    not paths.BUNDLED_WAVE.exists(), reason="bundled wave not present"
)


@pytest.fixture(scope="module")
def bundled() -> Survey:
    return load_survey(paths.BUNDLED_WAVE.read_bytes(), paths.BUNDLED_WAVE.name)


@needs_bundled_wave
def test_value_provenance_is_built_only_when_first_read(bundled):
    model = build_landscape(bundled)
    assert "value_provenance" not in vars(model)
    first = model.value_provenance
    assert len(first) > 1000
    assert model.value_provenance is first  # built once, then kept


@needs_bundled_wave
@pytest.mark.parametrize(
    "narrowing",
    [
        {"countries": ["Wales"]},
        {"regions": ["London", "South East"]},
        {"programme_types": ["Early intervention"]},
        {"countries": ["England"], "programme_types": ["Behaviour change"]},
    ],
)
def test_a_filtered_models_provenance_is_the_whole_tables_rows_it_keeps(bundled, narrowing):
    whole = build_landscape(bundled)
    view = whole.filter(**narrowing)
    assert "value_provenance" not in vars(view)
    values = whole.value_provenance
    kept = set(zip(view.programmes["area_code"], view.programmes["programme_name"], strict=True))
    expected = values[
        [
            code in view.areas.index if sheet == AREAS.name else (code, name) in kept
            for sheet, code, name in zip(
                values["sheet"], values["area_code"], values["programme_name"], strict=True
            )
        ]
    ].reset_index(drop=True)
    assert 0 < len(view.value_provenance) < len(values)
    pd.testing.assert_frame_equal(view.value_provenance, expected)


@needs_bundled_wave
@pytest.mark.parametrize("sheet", [AREAS, PROGRAMMES, PROVENANCE], ids=lambda s: s.name)
def test_stored_records_rebuild_the_same_typed_tables(bundled, sheet):
    stored = records.records_for(bundled)[sheet.name]
    assert stored, "the bundled wave has rows on every sheet"
    rebuilt = records.stored_frame(sheet, stored)
    pd.testing.assert_frame_equal(rebuilt, typed_frame(sheet, stored))
    pd.testing.assert_frame_equal(rebuilt, getattr(bundled, sheet.name.lower()))


def test_stored_records_keep_blank_answers_blank_and_choices_in_declared_order():
    record = {"area_code": "E23000001"}
    choice_column = next(c for c in AREAS.columns if c.kind is Kind.CHOICES)
    text_column = next(c for c in AREAS.columns if c.kind is Kind.TEXT)
    reversed_choices = list(reversed(choice_column.allowed[:2]))
    rows = [
        {**record, choice_column.name: reversed_choices, text_column.name: "   "},
        {**record, choice_column.name: None, text_column.name: None},
    ]
    rebuilt = records.stored_frame(AREAS, rows)
    assert rebuilt[choice_column.name].tolist() == [tuple(choice_column.allowed[:2]), ()]
    assert rebuilt[text_column.name].tolist() == [None, None]
    pd.testing.assert_frame_equal(rebuilt, typed_frame(AREAS, rows))


def test_no_records_give_the_empty_typed_tables():
    for sheet in (AREAS, PROGRAMMES, PROVENANCE):
        pd.testing.assert_frame_equal(records.stored_frame(sheet, []), typed_frame(sheet, []))


# --- charts built without plotly's per-property validation --------------------------------------


def _every_chart(model: Landscape) -> dict[str, go.Figure]:
    from landscape.model import breakdowns

    ranked = pd.DataFrame({"area": ["Surrey", "Kent", "Essex"], "programmes": [3, 5, 1]})
    return {
        "share": charts.share_bars(
            breakdowns.area_choice_shares(model, "funding_sources"),
            category="answer",
            count="areas",
            title="Funding sources of a long enough title to wrap onto a second line",
            x_title="Areas",
        ),
        "grouped": charts.grouped_share_bars(
            breakdowns.evaluation_types(model),
            category="evaluation_type",
            group="status",
            count="programmes",
            title="Evaluations",
        ),
        "stacked": charts.stacked_bars(
            breakdowns.programme_types_by_area(model),
            category="area",
            stack="programme_type",
            count="programmes",
            title="Types by area",
        ),
        "ranked": charts.ranked_bars(
            ranked, category="area", value="programmes", highlight="Kent", title="Ranked"
        ),
        "cliff": charts.funding_cliff_bars(breakdowns.funding_cliff(model), title="Cliff"),
    }


def test_charts_built_unvalidated_are_the_validated_charts(monkeypatch):
    model = build_landscape(minimal_survey())
    assert charts.VALIDATE_FIGURES is False  # the speed path is the one shipped
    fast = {name: _json(f) for name, f in _every_chart(model).items()}
    monkeypatch.setattr(charts, "VALIDATE_FIGURES", True)
    checked = {name: _json(f) for name, f in _every_chart(model).items()}
    assert fast == checked
    assert all(len(f.data) for f in _every_chart(model).values())


def test_every_chart_is_constructed_once_from_its_spec(monkeypatch):
    """No builder patches a figure after constructing it: plotly's update_* / add_trace calls
    parse one property path at a time, ~10 ms a chart (issue 13)."""
    model = build_landscape(minimal_survey())
    calls: list[str] = []
    for name in ("update_layout", "update_xaxes", "update_yaxes", "update_traces", "add_trace"):

        def record(self: go.Figure, *args: object, _name: str = name, **kwargs: object) -> None:
            calls.append(_name)

        monkeypatch.setattr(go.Figure, name, record)
    built = _every_chart(model)
    assert calls == []
    assert all(f.layout.height and f.layout.xaxis.dtick for f in built.values())


def test_a_shared_table_is_labelled_and_drawn_once_not_once_a_rerun():
    """layout.data_table keeps a cached frame's labelled copy and its markup (issue 13): the same
    objects on every rerun, the markup that of the labelled frame; another frame (even an equal
    one) is drawn afresh, and the same frame in another box is drawn for that box."""
    from landscape.figures.table_html import table_markup
    from landscape.labels import labelled
    from landscape.model import breakdowns
    from ui import layout

    frame = breakdowns.programme_types_by_area(build_landscape(minimal_survey()))
    shown, markup = layout._shown_table(frame, "Types", None)
    again = layout._shown_table(frame, "Types", None)
    assert again[0] is shown and again[1] is markup  # kept, not rebuilt
    pd.testing.assert_frame_equal(shown, labelled(frame))
    assert markup == table_markup(labelled(frame), label="Types")
    assert layout._shown_table(frame.copy(), "Types", None)[0] is not shown
    assert "max-height:40rem" in layout._shown_table(frame, "Types", 640)[1]


def test_a_shared_figure_is_drawn_once_not_once_a_rerun(monkeypatch):
    """layout.chart draws a figure's picture once per shared figure (ui.memo gives the same
    figure on every rerun of a view): the same markup each time, never drawn again."""
    from landscape.figures import picture
    from ui import layout

    figure = charts.share_bars(
        pd.DataFrame({"answer": ["a", "b"], "areas": [2, 5], "label": ["2 of 7", "5 of 7"]}),
        category="answer",
        count="areas",
        title="T",
    )
    drawn: list[object] = []
    draw = picture.chart_picture
    monkeypatch.setattr(layout, "chart_picture", lambda f: drawn.append(f) or draw(f))
    first = layout._kept(figure, lambda: layout.chart_picture(figure), "picture")
    again = layout._kept(figure, lambda: layout.chart_picture(figure), "picture")
    assert again is first and drawn == [figure]
    assert first.markup == draw(figure).markup


def test_a_headline_label_reads_the_published_figures_once(monkeypatch):
    """figure_basis labels every page headline; it parsed the published figures' CSV (~7 ms)
    on every call (issue 13). The labels are those of the parsed file."""
    from landscape.model import published
    from landscape.model.measures import ALL_MEASURES
    from landscape.model.wave_kind import APCC_2025_REPORT, WaveBasis, WaveKind

    model = build_landscape(minimal_survey())
    kind = WaveKind(WaveBasis.ILLUSTRATIVE, APCC_2025_REPORT)
    figure = ALL_MEASURES["accredited_share"](model)
    first = published.figure_basis(figure, kind, whole_wave=True)

    def no_second_read() -> pd.DataFrame:
        raise AssertionError("the published figures were read again")

    monkeypatch.setattr(published, "published_figures", no_second_read)
    assert published.figure_basis(figure, kind, whole_wave=True) == first
    # the minimal survey gives another value: its own label first, the report's value apart
    assert "· Published: APCC report (7 March 2025)" in first.text


@pytest.mark.usefixtures("app_store")
def test_a_rerun_makes_the_download_lines_once_not_once_a_table(monkeypatch):
    """Each table's download states its About lines, made on the click (ui.layout.downloads):
    made for every table on every rerun, they asked the store and the measures once a table
    (issue 13: ~4 ms a table). A click still gets them (tests/test_download_provenance.py)."""
    from tests.app_support import open_page
    from ui import data

    at = open_page("availability")
    asked: list[object] = []
    made = data.download_about
    monkeypatch.setattr(data, "download_about", lambda *a: asked.append(a) or made(*a))
    at.run()
    assert len(at.get("download_button")) >= 12  # two a table
    assert len(asked) == 1  # the page header's, not one a table


@pytest.mark.usefixtures("app_store")
@pytest.mark.parametrize("page", PAGES)
def test_a_rerun_asks_the_stores_stamp_once(monkeypatch, page):
    """The sidebar reads the store's wave stamp and the page header's download lines are made
    at it (Filters.stamp): one query a rerun, not one for the sidebar and one for the header
    (issue 13). A publish elsewhere is still seen on the next rerun: the stamp is asked on
    every one (tests/test_two_processes.py)."""
    from tests.app_support import open_page
    from ui import data

    at = open_page(page)
    source = data.wave_source()
    asked: list[int] = []
    stamp = source.wave_version
    monkeypatch.setattr(source, "wave_version", lambda: asked.append(1) or stamp())
    at.run()
    assert not at.exception
    assert len(asked) == 1


@pytest.mark.usefixtures("app_store")
def test_a_rerun_draws_and_describes_each_shared_chart_once(monkeypatch):
    """A chart's picture and its words for a screen reader are made once per shared figure,
    not on every rerun; the same words and markup are sent (ui.layout.chart)."""
    from tests.app_support import open_page
    from ui import layout

    at = open_page("availability")
    sent = [m.value for m in at.markdown if "Chart \\(" in m.value or "landscape-bars" in m.value]
    drawn: list[object] = []
    draw = layout.chart_picture
    monkeypatch.setattr(layout, "chart_picture", lambda f: drawn.append(f) or draw(f))
    at.run()
    assert drawn == []
    again = [m.value for m in at.markdown if "Chart \\(" in m.value or "landscape-bars" in m.value]
    assert again == sent
    assert len(sent) == 10  # the page's five charts: each its words and its picture


def test_the_bar_chart_template_is_plotly_white_for_bar_charts_only():
    white = pio.templates["plotly_white"]
    template = charts.BAR_CHART_TEMPLATE
    assert template.layout.plot_bgcolor == white.layout.plot_bgcolor
    assert template.layout.xaxis.gridcolor == white.layout.xaxis.gridcolor
    assert template.data.bar == white.data.bar
    assert template.layout.polar.bgcolor is None  # no styling for charts never drawn
    slim = pio.to_json(go.Figure(layout={"template": template}), validate=False) or ""
    full = pio.to_json(go.Figure(layout={"template": white}), validate=False) or ""
    assert len(slim) * 4 < len(full)


def _json(figure: go.Figure) -> object:
    """What is sent to the browser, as values (key order aside)."""
    return json.loads(pio.to_json(figure, validate=False) or "null")
