"""Chart builders: pure functions, tested on figure.data."""

import pandas as pd
import pytest

from landscape.figures import charts, palette
from landscape.model import breakdowns
from landscape.model.landscape import build_landscape
from tests.builders import minimal_survey


@pytest.fixture(scope="module")
def small():
    return build_landscape(minimal_survey())


def test_share_bars_label_each_bar_with_count_and_denominator(small):
    table = breakdowns.area_choice_shares(small, "funding_sources")
    figure = charts.share_bars(table, category="answer", count="areas", title="Funding")
    (bar,) = figure.data
    assert list(bar.y) == list(table["answer"])
    assert list(bar.x) == list(table["areas"])
    assert bar.text[0] == "2 of 3 (67%)"
    assert figure.layout.showlegend is False  # labels, not a legend


def test_hostile_text_is_escaped_in_labels_and_hover():
    table = pd.DataFrame(
        {"answer": ["<img src=x onerror=alert(1)>"], "areas": [1], "label": ["1 of 1 (100%)"]}
    )
    figure = charts.share_bars(table, category="answer", count="areas", title="<b>t</b>")
    assert figure.data[0].y[0] == "&lt;img src=x onerror=alert(1)&gt;"
    assert "<b>" not in figure.layout.title.text


def test_ranked_bars_highlight_one_area_by_colour_pattern_and_name():
    table = pd.DataFrame({"area": ["Kent", "Essex", "Surrey"], "programmes": [3, 9, 5]})
    figure = charts.ranked_bars(table, category="area", value="programmes", highlight="Surrey")
    (bar,) = figure.data
    assert list(bar.x) == [9, 5, 3]  # ranked, largest first
    assert list(bar.y) == ["Essex", charts.CHOSEN_MARK + "Surrey", "Kent"]
    assert list(bar.marker.color) == [palette.MUTED, palette.HIGHLIGHT, palette.MUTED]
    assert list(bar.marker.pattern.shape) == ["", "/", ""]


def test_stacked_bars_give_each_type_a_colour_and_a_pattern(small):
    table = breakdowns.programme_types_by_area(small)
    figure = charts.stacked_bars(table, category="area", stack="programme_type", count="programmes")
    bars = [t for t in figure.data if t.type == "bar"]
    assert {t.name for t in bars} == set(table["programme_type"])
    patterns = [t.marker.pattern.shape for t in bars]
    colours = [t.marker.color for t in bars]
    assert len(set(colours)) == len(bars)
    assert len(set(patterns)) == len(bars)  # a second cue beside colour
    totals = next(t for t in figure.data if t.type == "scatter")
    assert sum(float(t.strip()) for t in totals.text) == table["programmes"].sum()


def test_grouped_bars_name_their_group_in_every_label(small):
    table = breakdowns.evaluation_types(small)
    figure = charts.grouped_share_bars(
        table, category="evaluation_type", group="status", count="programmes"
    )
    for trace in figure.data:
        assert all(text.startswith(f"{trace.name}: ") for text in trace.text)
    assert sum(sum(t.x) for t in figure.data) == table["programmes"].sum()


def test_funding_cliff_labels_programmes_and_known_budget(small):
    import datetime

    table = breakdowns.funding_cliff(small, datetime.date(2025, 1, 1))  # nothing ended yet
    figure = charts.funding_cliff_bars(table)
    ahead = figure.data[0]
    assert ahead.name == f"Ahead ({table.iloc[0]['programmes']})"
    assert list(ahead.y) == list(table["quarter"])
    assert ahead.text[0].startswith(f"{table.iloc[0]['programmes']} programmes; £")


def test_funding_cliff_draws_past_quarters_as_ended_in_their_own_keyed_part(bundled):
    import datetime

    table = breakdowns.funding_cliff(bundled, datetime.date(2025, 6, 1))
    figure = charts.funding_cliff_bars(table)
    parts = {t.name: list(t.x) for t in figure.data}
    # 2023 Q1 (1) and 2025 Q1 (158) ended before 1 June 2025; 13 + 26 + 12 are ahead
    assert parts == {"Ended (159)": [1, 158, 0, 0, 0], "Ahead (51)": [0, 0, 13, 26, 12]}
    ended = next(t for t in figure.data if t.name.startswith("Ended"))
    assert ended.marker.color == palette.DARK_GREY and ended.marker.pattern.shape == "x"
    assert figure.layout.showlegend and figure.layout.barmode == "stack"
    ticks = list(figure.layout.yaxis.ticktext)
    assert ticks[1].endswith("(ended)") and "ended" not in ticks[2]


def test_height_grows_with_the_number_of_bars():
    few = pd.DataFrame({"a": ["x", "y"], "n": [1, 2], "label": ["1", "2"]})
    many = pd.DataFrame({"a": [str(i) for i in range(40)], "n": range(40), "label": "n"})
    assert (
        charts.share_bars(many, category="a", count="n").layout.height
        > charts.share_bars(few, category="a", count="n").layout.height
    )


def test_on_a_phone_titles_wrap_and_value_labels_sit_under_their_category():
    table = pd.DataFrame(
        {"answer": ["Yes", "No"], "areas": [113, 85], "label": ["113 of 198 (57%)", "85 of 198"]}
    )
    title = "Programmes commissioned by responding areas out of all programmes in the view"
    figure = charts.share_bars(table, category="answer", count="areas", title=title)
    lines = figure.layout.title.text.split("<br>")
    assert len(lines) > 1 and all(len(line) <= charts.TITLE_WRAP for line in lines)
    bar = figure.data[0]
    assert bar.text[0] == "113 of 198 (57%)"  # kept for hover
    assert bar.textposition == "none"  # never drawn right of the bar, where a phone cuts it
    assert list(figure.layout.yaxis.ticktext) == ["Yes<br>113 of 198 (57%)", "No<br>85 of 198"]
    assert figure.layout.xaxis.range[1] == pytest.approx(113 * 1.05)


def test_a_stacks_legend_sits_below_the_plot_clear_of_the_title():
    table = pd.DataFrame(
        {"area": ["A", "A", "B"], "programme_type": ["DA", "CAPVA", "DA"], "programmes": [2, 1, 3]}
    )
    figure = charts.stacked_bars(table, category="area", stack="programme_type", count="programmes")
    assert figure.layout.legend.yanchor == "top" and figure.layout.legend.y < 0
    assert figure.layout.margin.b >= charts.LEGEND_ROOM


def test_long_category_names_and_axis_titles_wrap_at_word_boundaries():
    name = "Home Office DA perpetrator fund (rounds before 2023-25)"
    table = pd.DataFrame({"answer": [name, "Policing budget"], "areas": [1, 33]})
    table["label"] = ["1 of 33 (3%)", "33 of 33 (100%)"]
    figure = charts.share_bars(
        table, category="answer", count="areas", x_title="Programmes whose funding ends"
    )
    first = figure.layout.yaxis.ticktext[0].split("<br>")
    # the name on lines of at most CATEGORY_WRAP characters, cut only between words
    assert first == [
        "Home Office DA",
        "perpetrator fund (rounds",
        "before 2023-25)",
        "1 of 33 (3%)",
    ]
    assert all(len(line) <= charts.CATEGORY_WRAP for line in first)
    assert figure.layout.xaxis.title.text == "Programmes whose<br>funding ends"
    assert figure.layout.xaxis.automargin is True
    # four lines of tick label for each of the two bars fit the plot
    plot = figure.layout.height - figure.layout.margin.t - figure.layout.margin.b
    assert plot >= 2 * 4 * charts.TICK_LINE


def test_grouped_bars_write_each_groups_label_under_its_category_in_bar_order(bundled):
    table = breakdowns.evaluation_types(bundled)
    figure = charts.grouped_share_bars(
        table,
        category="evaluation_type",
        group="status",
        count="programmes",
        x_title="Programmes",
        group_order=("Completed", "Planned", "None"),
    )
    ticks = dict(zip(figure.layout.yaxis.tickvals, figure.layout.yaxis.ticktext, strict=True))
    # each programme has one type and one status: the seven rows count all 210 programmes
    assert table["programmes"].sum() == 210 == table["total_programmes"].iloc[0]
    assert ticks["In-house"] == "In-house<br>Completed: 40 of 210 (19%)<br>Planned: 46 of 210 (22%)"
    assert ticks["None"] == "None<br>52 of 210 (25%)"  # not 'None: 52 of 210'
    assert {t.textposition for t in figure.data} == {"none"}  # nothing drawn right of a bar
    assert figure.layout.xaxis.range[1] == pytest.approx(52 * 1.05)
    # the key says which colour is which group, under the plot
    assert figure.layout.showlegend and figure.layout.legend.y < 0
