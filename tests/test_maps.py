"""Map builders and the palette: pure functions from a per-area series to a plotly figure."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from landscape.areas import force_area_table
from landscape.figures import maps, palette
from landscape.labels import DID_NOT_RESPOND, NONE_LABEL, StalkingCategory

CODES = list(force_area_table().index)
CITY = "E23000034"
MET = "E23000001"


def stalking_values() -> pd.Series:
    """Every stalking category present; five areas absent (so drawn as not responding)."""
    order = [c.value for c in StalkingCategory if c != StalkingCategory.DID_NOT_RESPOND]
    values = pd.Series([order[i % 4] for i in range(43)], index=CODES)
    return values.drop(CODES[-5:])


def area_traces(figure: go.Figure) -> list:
    return [t for t in figure.data if t.hoveron == "fills"]


def legend_entries(figure: go.Figure) -> list[str]:
    return [t.name for t in figure.data if t.showlegend]


@pytest.mark.parametrize("view", maps.VIEWS)
def test_map_draws_every_area_once_on_plain_axes(view: str) -> None:
    figure = maps.area_map(stalking_values(), view=view)  # type: ignore[arg-type]
    layout = figure.to_plotly_json()["layout"]
    # No geo or map traces: those make plotly fetch a base map from a CDN.
    assert {t.type for t in figure.data} == {"scatter"}
    assert "geo" not in layout and "mapbox" not in layout and "map" not in layout
    assert layout["yaxis"]["scaleanchor"] == "x" and layout["yaxis"]["scaleratio"] == 1
    named = [t.name.split("</b>")[0].removeprefix("<b>") for t in area_traces(figure)]
    expected = list(force_area_table()["display_name"])
    if view == "geographic":
        expected += [force_area_table().at[MET, "display_name"], "City of London"]
    assert sorted(named) == sorted(expected)


def test_missing_areas_are_did_not_respond_never_none() -> None:
    values = stalking_values()
    values[CODES[0]] = NONE_LABEL
    values[CODES[1]] = float("nan")
    classes = maps.classify(values)
    assert classes.classes[CODES[0]] == NONE_LABEL
    assert classes.classes[CODES[1]] == DID_NOT_RESPOND
    assert (classes.classes[CODES[-5:]] == DID_NOT_RESPOND).all()
    assert classes.order[-1] == DID_NOT_RESPOND and NONE_LABEL in classes.order
    colours = palette.category_colours(classes.order)
    assert colours[DID_NOT_RESPOND] == palette.MISSING_GREY
    assert colours[NONE_LABEL] != colours[DID_NOT_RESPOND]


def test_legend_lists_categories_in_display_order_with_counts() -> None:
    figure = maps.area_map(stalking_values(), view="tiles")
    assert legend_entries(figure) == [
        "Specialist non-DA programme (10)",
        "Specialist DA-related only (10)",
        "Within DA programmes only (9)",
        "No stalking provision (9)",
        "Did not respond (5)",
    ]


def test_category_order_argument_sets_the_legend_order() -> None:
    values = pd.Series(["Yes", "No"] * 20 + ["Unsure"] * 3, index=CODES)
    figure = maps.area_map(values, view="tiles", category_order=["Unsure", "No", "Yes"])
    assert legend_entries(figure) == ["Unsure (3)", "No (20)", "Yes (20)"]


def test_each_area_is_filled_with_its_categorys_colour_and_pattern() -> None:
    values = stalking_values()
    figure = maps.area_map(values, view="geographic")
    colours = palette.category_colours(c.value for c in StalkingCategory)
    patterns = palette.category_patterns(c.value for c in StalkingCategory)
    by_group = {t.legendgroup: t for t in figure.data if t.showlegend}
    for trace in area_traces(figure):
        category = trace.legendgroup
        assert trace.fillcolor == colours[category]
        assert (trace.fillpattern.shape or "") == patterns[category]
        assert by_group[category].fillcolor == colours[category]
    city = next(t for t in area_traces(figure) if "City of London" in t.name)
    assert city.legendgroup == values[CITY]


def test_stalking_categories_have_distinct_colour_and_pattern_cues() -> None:
    categories = [c.value for c in StalkingCategory]
    colours = palette.category_colours(categories)
    patterns = palette.category_patterns(categories)
    assert len(set(colours.values())) == len(categories)
    responding = [c for c in categories if c != DID_NOT_RESPOND]
    assert len({patterns[c] for c in responding}) == len(responding)
    assert colours[StalkingCategory.SPECIALIST_NON_DA] == palette.DARK_BLUE
    assert colours[DID_NOT_RESPOND] == palette.MISSING_GREY


def test_a_category_keeps_its_colour_whatever_else_is_drawn() -> None:
    alone = palette.category_colours([StalkingCategory.NO_PROVISION, DID_NOT_RESPOND])
    full = palette.category_colours(c.value for c in StalkingCategory)
    assert alone[StalkingCategory.NO_PROVISION] == full[StalkingCategory.NO_PROVISION]
    assert palette.category_colours(["A", "B", "C"]) == palette.category_colours(["A", "B", "C"])
    assert palette.category_colours(["Yes", "No"]) == {
        "Yes": palette.DARK_BLUE,
        "No": palette.ORANGE,
    }
    assert set(palette.category_colours(list("ABCD")).values()) <= set(palette.CATEGORICAL)


def test_hover_names_area_value_and_provenance() -> None:
    values = stalking_values()
    illustrative = pd.Series(True, index=CODES)
    illustrative[CITY] = False
    figure = maps.area_map(values, view="tiles", illustrative=illustrative)
    hover = {t.name.split("</b>")[0].removeprefix("<b>"): t.name for t in area_traces(figure)}
    assert hover["City of London"] == f"<b>City of London</b><br>{values[CITY]}<br><i>sourced</i>"
    name = force_area_table().at[CODES[-1], "display_name"]
    assert hover[name] == f"<b>{name}</b><br>Did not respond<br><i>illustrative</i>"


def test_text_from_data_is_escaped_in_hover_legend_and_title() -> None:
    values = pd.Series("<img src=x onerror=alert(1)>", index=CODES)
    figure = maps.area_map(values, view="geographic", title="<script>alert(1)</script>")
    text = json.dumps(figure.to_plotly_json())
    assert "<img" not in text and "<script" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in area_traces(figure)[0].name
    assert figure.layout.legend.title.text == "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.mark.parametrize("view", maps.VIEWS)
def test_map_carries_the_ons_and_os_attribution(view: str) -> None:
    figure = maps.area_map(stalking_values(), view=view)  # type: ignore[arg-type]
    texts = [a.text.replace("<br>", " ") for a in figure.layout.annotations]
    assert maps.ATTRIBUTION in texts
    assert "Open Government Licence v3.0" in maps.ATTRIBUTION
    assert "Contains OS data © Crown copyright and database right" in maps.ATTRIBUTION


def _bounds(trace) -> tuple[float, float, float, float]:
    xs = [x for x in trace.x if x is not None]
    ys = [y for y in trace.y if y is not None]
    return min(xs), max(xs), min(ys), max(ys)


def test_tiles_are_equal_sized_and_the_city_is_as_big_as_any() -> None:
    figure = maps.area_map(stalking_values(), view="tiles")
    sizes = {round(float(x1 - x0), 5) for x0, x1, y0, y1 in map(_bounds, area_traces(figure))} | {
        round(float(y1 - y0), 5) for x0, x1, y0, y1 in map(_bounds, area_traces(figure))
    }
    assert len(sizes) == 1
    labels = figure.data[-1]
    assert labels.mode == "text" and len(labels.text) == 43
    assert "City" in labels.text


def test_geographic_view_enlarges_central_london_so_the_city_is_visible() -> None:
    figure = maps.area_map(stalking_values(), view="geographic")
    cities = [t for t in area_traces(figure) if t.name.startswith("<b>City of London</b>")]
    assert len(cities) == 2
    widths = sorted(x1 - x0 for x0, x1, _, _ in map(_bounds, cities))
    assert widths[1] / widths[0] == pytest.approx(14, rel=0.01)
    assert any(a.text == "City of London" for a in figure.layout.annotations)


def test_numeric_values_fall_into_at_most_three_ordered_classes() -> None:
    values = pd.Series(range(43), index=CODES, dtype="float").drop(CODES[:3])
    classes = maps.classify(values)
    assert classes.numeric
    assert classes.order == ("3 to 16", "17 to 29", "30 to 42", DID_NOT_RESPOND)
    figure = maps.area_map(values, view="tiles")
    fills = {t.legendgroup: t.fillcolor for t in figure.data if t.showlegend}
    assert [fills[c] for c in classes.order[:3]] == list(palette.SEQUENTIAL)
    labels = figure.data[-1].text
    assert any(label.endswith("<br><b>42</b>") for label in labels)


def test_few_distinct_numbers_are_their_own_classes() -> None:
    values = pd.Series([0, 1, 2] * 14 + [1], index=CODES)
    assert maps.classify(values).order == ("0", "1", "2")


def test_unknown_area_codes_are_refused() -> None:
    with pytest.raises(ValueError, match="E99999999"):
        maps.area_map(pd.Series({"E99999999": "x"}), view="tiles")
    with pytest.raises(ValueError, match="view"):
        maps.area_map(stalking_values(), view="globe")  # type: ignore[arg-type]


def test_map_table_gives_the_same_data_as_the_map() -> None:
    values = stalking_values()
    illustrative = pd.Series(True, index=CODES)
    table = maps.map_table(values, illustrative)
    assert list(table.columns) == ["area", "region", "value", "illustrative"]
    assert list(table.index) == CODES and table.index.name == "area_code"
    assert table.at[CITY, "area"] == "City of London"
    assert table.at[CITY, "value"] == values[CITY]
    assert (table.loc[CODES[-5:], "value"] == DID_NOT_RESPOND).all()
    assert table["illustrative"].all()
    numbers = maps.map_table(pd.Series(range(43), index=CODES))
    assert numbers["value"].sum() == sum(range(43))
    assert maps.map_table(values)["illustrative"].isna().all()


def test_text_colour_contrasts_with_the_fill() -> None:
    assert palette.text_colour_on(palette.DARK_BLUE) == palette.TEXT_LIGHT
    assert palette.text_colour_on(palette.MISSING_GREY) == palette.TEXT_DARK
    assert palette.sequential_colours(3) == list(palette.SEQUENTIAL)
    with pytest.raises(ValueError):
        palette.sequential_colours(4)


@pytest.mark.parametrize("numeric", [False, True])
@pytest.mark.parametrize("view", maps.VIEWS)
def test_figures_pass_plotlys_full_validation(view: str, numeric: bool) -> None:
    """area_map skips plotly's validation for speed; here every property is validated."""
    values = pd.Series(range(43), index=CODES) if numeric else stalking_values()
    figure = maps.area_map(values, view=view, title="t", illustrative=pd.Series(True, index=CODES))  # type: ignore[arg-type]
    spec = json.loads(figure.to_json())
    validated = go.Figure(spec)  # raises ValueError on any invalid property
    assert len(validated.data) == len(figure.data)
    assert validated.layout.yaxis.scaleanchor == "x"


def test_city_of_london_label_hangs_in_the_sea_below_the_inset_clear_of_every_area() -> None:
    figure = maps.area_map(stalking_values(), view="geographic")
    label = next(a for a in figure.layout.annotations if a.text == "City of London")
    (frame,) = figure.layout.shapes
    # placed in plot coordinates (so at any width), centred under the frame, text hanging down
    assert (label.axref, label.ayref, label.yanchor) == ("x", "y", "top")
    assert label.ax == pytest.approx((frame.x0 + frame.x1) / 2)
    assert label.ay < frame.y0
    # the arrow starts at the enlarged City (the inset copy, inside the frame)
    assert frame.x0 < label.x < frame.x1 and frame.y0 < label.y < frame.y1
    # no area's outline (mainland or inset) reaches down to the label's row under the frame
    lowest_beside = min(
        y0 for x0, x1, y0, _ in map(_bounds, area_traces(figure)) if x1 > frame.x0 - 0.5
    )
    assert label.ay < lowest_beside
    # room for the label's text under its anchor
    assert figure.layout.yaxis.range[0] < label.ay - 0.4


def test_geographic_map_has_fixed_ranges_holding_every_area_so_text_cannot_shrink_it() -> None:
    figure = maps.area_map(stalking_values(), view="geographic")
    (x_lo, x_hi), (y_lo, y_hi) = figure.layout.xaxis.range, figure.layout.yaxis.range
    assert figure.layout.xaxis.autorange is False and figure.layout.yaxis.autorange is False
    bounds = list(map(_bounds, area_traces(figure)))
    assert x_lo <= min(b[0] for b in bounds) and max(b[1] for b in bounds) <= x_hi
    assert y_lo <= min(b[2] for b in bounds) and max(b[3] for b in bounds) <= y_hi
    # no more than a small margin beyond the outlines (and the label's room below)
    assert (x_hi - x_lo) - (max(b[1] for b in bounds) - min(b[0] for b in bounds)) < 0.2
    assert (figure.layout.yaxis.constrain, figure.layout.yaxis.constraintoward) == ("domain", "top")
    # a range plotly may widen would be written back and kept when the chart narrows
    assert figure.layout.xaxis.constrain == "domain"


def test_map_attribution_lines_fit_a_phone() -> None:
    figure = maps.area_map(stalking_values(), view="geographic")
    attribution = next(
        a for a in figure.layout.annotations if "Ordnance" in a.text or "OS data" in a.text
    )
    # 10 px Arial is about 5.5 px a character: each line within a 390 px phone's 338 px plot
    assert max(len(line) for line in attribution.text.split("<br>")) <= 60


def test_the_maps_text_alternative_names_every_category_with_its_count() -> None:
    from ui.layout import chart_description

    figure = maps.area_map(stalking_values(), view="geographic", title="Stalking & provision")
    described = chart_description(figure, finding="Most areas have some provision")
    assert described.startswith("Most areas have some provision. Chart: Stalking & provision.")
    counts = stalking_values().value_counts()
    for category, count in counts.items():
        assert f"{category} ({count})" in described
    assert f"{DID_NOT_RESPOND} (5)" in described
    assert described.endswith("Every figure it draws is in the table that follows it.")
