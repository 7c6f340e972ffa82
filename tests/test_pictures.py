"""Charts drawn by the browser as HTML (landscape.figures.picture, issue 20): every kind of bar
chart the builders make, drawn from the very figure charts.py builds, so the page, the PDF and
the table say the same."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from landscape.figures import charts, palette
from landscape.figures.picture import chart_picture, hatch


def _widths(markup: str) -> list[float]:
    return [float(w) for w in re.findall(r"width:([\d.]+)%", markup)]


def _rows(markup: str) -> list[str]:
    """Each category's line of text (its name and labels), tags removed."""
    return [
        re.sub(r"<[^>]+>", "", line)
        for line in re.findall(r'<div style="font-size:0.9rem">(.*?)</div>', markup)
    ]


def test_share_bars_drawn_as_html_say_what_the_plotly_chart_says() -> None:
    frame = pd.DataFrame(
        {
            "category": ["Yes <b>", "No", "Unsure"],
            "areas": [20, 10, 0],
            "label": ["20 of 33 (61%)", "10 of 33 (30%)", "0 of 33 (0%)"],
        }
    )
    figure = charts.share_bars(
        frame, category="category", count="areas", title="Would & help", x_title="Force areas"
    )
    picture = chart_picture(figure)
    assert picture.title == "Would & help" and picture.kind == "bar chart"
    upper = figure.layout.xaxis.range[1]
    # a zero-length bar draws nothing; the others as long as plotly draws them on the axis
    assert _widths(picture.markup) == pytest.approx([100 * 20 / upper, 100 * 10 / upper], abs=0.1)
    assert _rows(picture.markup) == [
        "Yes &lt;b&gt; · 20 of 33 (61%)",
        "No · 10 of 33 (30%)",
        "Unsure · 0 of 33 (0%)",
    ]
    assert "Yes <b>" not in picture.markup
    assert "Bar length: Force areas, from 0 to 21" in picture.markup
    assert 'title="Yes &lt;b&gt;: 20 of 33 (61%)"' in picture.markup  # hover, as plotly's


def test_stacked_bars_draw_each_part_with_its_count_colour_and_pattern_and_the_total() -> None:
    frame = pd.DataFrame(
        {
            "area": ["Kent", "Kent", "Dorset"],
            "type": ["DA", "Stalking", "DA"],
            "programmes": [3, 1, 2],
        }
    )
    figure = charts.stacked_bars(
        frame, category="area", stack="type", count="programmes", title="Programmes per area"
    )
    picture = chart_picture(figure)
    upper = figure.layout.xaxis.range[1]
    assert picture.kind == "stacked bar chart" and picture.key == ("DA", "Stalking")
    assert _rows(picture.markup) == ["Kent · 4 in all", "Dorset · 2 in all"]
    assert _widths(picture.markup) == pytest.approx(
        [100 * 3 / upper, 100 * 1 / upper, 100 * 2 / upper], abs=0.1
    )
    colours = palette.category_colours(["DA", "Stalking"])
    patterns = palette.category_patterns(["DA", "Stalking"])
    stalking = re.search(r'<div title="Kent: 1 \(Stalking\)" style="([^"]*)"', picture.markup)
    assert stalking is not None
    assert f"background-color:{colours['Stalking']}" in stalking.group(1)
    assert hatch(patterns["Stalking"]) in stalking.group(1) and patterns["Stalking"]
    # each part's count is written in it, in the colour that reads on its fill
    ink = palette.text_colour_on(colours["DA"])
    assert f'<span style="color:{ink};font-size:0.75rem;line-height:1;padding:0 0.2rem">3<' in (
        picture.markup
    )
    key = picture.markup[picture.markup.index("landscape-picture-key") :]
    assert "DA" in key and "Stalking" in key and hatch(patterns["Stalking"]) in key


def test_grouped_bars_draw_a_bar_per_group_and_name_each_in_the_categorys_line() -> None:
    frame = pd.DataFrame(
        {
            "category": ["Respect", "Respect", "None", "None"],
            "wave": ["2025", "2026", "2025", "2026"],
            "areas": [10, 12, 5, 3],
            "label": ["10 of 33", "12 of 33", "5 of 33", "3 of 33"],
        }
    )
    figure = charts.grouped_share_bars(
        frame, category="category", group="wave", count="areas", title="Accreditation"
    )
    picture = chart_picture(figure)
    upper = figure.layout.xaxis.range[1]
    assert picture.kind == "grouped bar chart" and picture.key == ("2025", "2026")
    assert _rows(picture.markup) == [
        "Respect · 2025: 10 of 33 · 2026: 12 of 33",
        "None · 2025: 5 of 33 · 2026: 3 of 33",
    ]
    assert _widths(picture.markup) == pytest.approx(
        [100 * v / upper for v in (10, 12, 5, 3)], abs=0.1
    )


def test_a_group_named_as_its_category_is_not_named_twice() -> None:
    frame = pd.DataFrame(
        {"category": ["None"], "group": ["None"], "areas": [5], "label": ["5 of 33"]}
    )
    figure = charts.grouped_share_bars(frame, category="category", group="group", count="areas")
    assert _rows(chart_picture(figure).markup) == ["None · 5 of 33"]


def test_ranked_bars_mark_the_chosen_area_by_colour_pattern_outline_and_name() -> None:
    frame = pd.DataFrame({"area": ["Kent", "Dorset <i>", "Essex"], "value": [3, 5, 1]})
    figure = charts.ranked_bars(
        frame, category="area", value="value", highlight="Kent", title="Programmes"
    )
    picture = chart_picture(figure)
    assert _rows(picture.markup) == ["Dorset &lt;i&gt; · 5", "▶ Kent · 3", "Essex · 1"]
    chosen = re.search(r'<div title="▶ Kent: 3" style="([^"]*)"', picture.markup)
    other = re.search(r'<div title="Essex: 1" style="([^"]*)"', picture.markup)
    assert chosen is not None and other is not None
    assert f"background-color:{palette.HIGHLIGHT}" in chosen.group(1)
    assert hatch("/") in chosen.group(1) and "box-shadow:inset 0 0 0 1.5px" in chosen.group(1)
    assert f"background-color:{palette.MUTED}" in other.group(1)
    assert "background-image" not in other.group(1) and "box-shadow" not in other.group(1)
    assert "<b><b>" not in picture.markup


def test_the_funding_cliff_draws_ended_ahead_and_undated_parts_keyed_with_their_counts() -> None:
    frame = pd.DataFrame(
        {
            "quarter": ["2024 Q4", "2025 Q2", "No end date"],
            "quarter_start": [pd.Timestamp("2024-10-01"), pd.Timestamp("2025-04-01"), pd.NaT],
            "programmes": [2, 3, 4],
            "ended": [2, 0, 0],
            "budget_gbp": [0.0, 150000.0, 0.0],
            "programmes_with_budget": [0, 1, 0],
        }
    )
    picture = chart_picture(charts.funding_cliff_bars(frame, title="Funding ends"))
    assert picture.key == ("Ended (2)", "Ahead (3)", "No end date recorded (4)")
    assert _rows(picture.markup) == [
        "2024 Q4 · 2 programmes (ended)",
        "2025 Q2 · 3 programmes; £150,000 a year known for 1",
        "No end date · 4 programmes",
    ]
    ended = re.search(r'<div title="2024 Q4: 2 \(Ended \(2\)\)" style="([^"]*)"', picture.markup)
    assert ended is not None and hatch("x") in ended.group(1)
    assert f"background-color:{palette.DARK_GREY}" in ended.group(1)


@pytest.mark.parametrize("shape", palette.PATTERNS)
def test_every_pattern_the_palette_gives_is_drawn_and_solid_is_plain(shape: str) -> None:
    assert bool(hatch(shape)) == bool(shape)


def test_a_chart_that_is_not_one_of_the_builders_bar_charts_is_refused() -> None:
    import plotly.graph_objects as go

    with pytest.raises(ValueError, match="horizontal bar charts"):
        chart_picture(go.Figure(go.Bar(x=["a"], y=[1])))
