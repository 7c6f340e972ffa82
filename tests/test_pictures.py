"""Figures drawn by the browser as HTML (landscape.figures.picture, issue 20): share bars from
the very figure charts.share_bars builds, so both ways of showing a chart say the same."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from landscape.figures import charts
from landscape.figures.picture import bar_picture


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
    picture = bar_picture(figure)
    assert picture.title == "Would & help" and picture.kind == "bar chart"
    widths = [float(w) for w in re.findall(r"width:([\d.]+)%", picture.markup)]
    upper = figure.layout.xaxis.range[1]
    assert widths == pytest.approx([100 * 20 / upper, 100 * 10 / upper, 0], abs=0.1)
    for label in frame["label"]:
        assert f"<b>{label}</b>" in picture.markup
    assert "Yes &lt;b&gt;" in picture.markup and "Yes <b>" not in picture.markup
    assert "Bar length: Force areas" in picture.markup
    figure.add_bar(x=[1], y=["x"], orientation="h")
    with pytest.raises(ValueError, match="one horizontal bar trace"):
        bar_picture(figure)
