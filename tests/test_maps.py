"""Force-area maps: the classes, colours and patterns each area is drawn in, and the map as the
one SVG picture the stalking page sends (issue 20: no plotly on a phone)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from landscape.areas import force_area_table
from landscape.figures import map_svg, maps, palette
from landscape.labels import DID_NOT_RESPOND, NONE_LABEL, StalkingCategory

CODES = list(force_area_table().index)
CITY = "E23000034"
MET = "E23000001"
CAMBRIDGESHIRE = "E23000023"
ESSEX = "E23000028"
NORFOLK = "E23000026"
_AREA = re.compile(r'<path id="area-(\w+)" d="([^"]*)" fill="([^"]*)"[^>]*><title>([^<]*)</title>')
_TILE = re.compile(
    r'<g class="landscape-map-tile"><title>([^<]*)</title><rect x="([\d.]+)" y="([\d.]+)" '
    r'width="([\d.]+)" height="([\d.]+)" fill="([^"]*)"'
)


def stalking_values() -> pd.Series:
    """Every stalking category present; five areas absent (so drawn as not responding)."""
    order = [c.value for c in StalkingCategory if c != StalkingCategory.DID_NOT_RESPOND]
    values = pd.Series([order[i % 4] for i in range(43)], index=CODES)
    return values.drop(CODES[-5:])


def areas(markup: str) -> dict[str, tuple[str, str, str]]:
    """ONS code -> (path, fill, hover) of each outline the geographic picture sends."""
    found = _AREA.findall(markup)
    assert len(found) == len({code for code, *_ in found}), "an outline was sent twice"
    return {code: (path, fill, hover) for code, path, fill, hover in found}


def points(path: str) -> set[tuple[float, float]]:
    """The absolute points of a path of M / l / z commands."""
    found: set[tuple[float, float]] = set()
    for ring in re.findall(r"M([^z]*)z", path):
        start, _, moves = ring.partition("l")
        x, y = (float(v) for v in start.split())
        found.add((x, y))
        numbers = [float(n) for n in re.findall(r"-?[\d.]+", moves)]
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            found.add((round(x, 2), round(y, 2)))
    return found


def test_each_outline_is_sent_once_and_the_inset_reuses_londons() -> None:
    picture = map_svg.map_picture(stalking_values(), view="geographic")
    drawn = areas(picture.markup)
    assert sorted(drawn) == sorted(CODES)
    # the enlarged central London is the same two outlines again by reference, not new paths
    assert re.findall(r'<use href="#area-(\w+)"/>', picture.markup) == [MET, CITY]
    assert "landscape-map-inset" in picture.markup and 'clip-path="url(#inset-window)"' in (
        picture.markup
    )


def test_the_outlines_are_quantised_to_the_drawn_size_and_shared_borders_stay_shared() -> None:
    picture = map_svg.map_picture(stalking_values(), view="geographic")
    drawn = areas(picture.markup)
    # a unit of the 600-unit drawing, borders simplified within 0.75 of it: under a fifth of
    # plotly's JSON of the same map (167 KB)
    assert len(picture.markup) < 33_000
    assert max(len(path) for path, _, _ in drawn.values()) < 4_000
    # neighbours' common border is quantised alike: they still share its points
    assert len(points(drawn[CAMBRIDGESHIRE][0]) & points(drawn[ESSEX][0])) >= 5
    assert len(points(drawn[NORFOLK][0]) & points(drawn["E23000029"][0])) >= 5  # Suffolk
    # the City of London (3 km²) keeps a shape: finer, as the inset enlarges it 14 times
    assert len(points(drawn[CITY][0])) >= 8
    assert len(points(drawn[MET][0]) & points(drawn[CITY][0])) >= 5


def test_did_not_respond_is_its_own_grey_class_never_no_provision() -> None:
    values = stalking_values()
    values[CODES[0]] = NONE_LABEL
    values[CODES[1]] = float("nan")
    picture = map_svg.map_picture(values, view="geographic")
    drawn = areas(picture.markup)
    missing = [CODES[1], *CODES[-5:]]
    assert {drawn[code][1] for code in missing} == {palette.MISSING_GREY}
    assert all(DID_NOT_RESPOND in drawn[code][2] for code in missing)
    assert drawn[CODES[0]][1] != palette.MISSING_GREY
    assert NONE_LABEL in drawn[CODES[0]][2] and DID_NOT_RESPOND not in drawn[CODES[0]][2]
    assert picture.key[-1] == f"{DID_NOT_RESPOND} (6)"


def test_the_key_lists_each_class_in_order_with_its_count_and_pattern() -> None:
    picture = map_svg.map_picture(stalking_values(), view="tiles", title="Provision")
    assert picture.key == (
        "Specialist non-DA programme (10)",
        "Specialist DA-related only (10)",
        "Within DA programmes only (9)",
        "No stalking provision (9)",
        "Did not respond (5)",
    )
    entries = re.findall(r'<li class="landscape-map-key-entry"[^>]*>(.*?)</li>', picture.markup)
    assert [e.rsplit(">", 1)[1] for e in entries] == list(picture.key)
    patterns = palette.category_patterns(c.value for c in StalkingCategory)
    # a patterned class is drawn with its pattern in the key and on the map alike
    assert 'fill="url(#kc1)"' in entries[1] and patterns[StalkingCategory.SPECIALIST_DA_RELATED]
    assert 'fill="url(#c1)"' in picture.markup


def test_hover_names_area_value_and_provenance_and_data_is_escaped() -> None:
    values = stalking_values()
    values[CITY] = "<img src=x onerror=alert(1)>"
    illustrative = pd.Series(True, index=CODES)
    illustrative[CITY] = False
    for view in maps.VIEWS:
        picture = map_svg.map_picture(
            values, view=view, title="<script>x</script>", illustrative=illustrative
        )
        assert "<img" not in picture.markup and "<script" not in picture.markup
        assert "City of London\n&lt;img src=x onerror=alert(1)&gt;\nsourced" in picture.markup
        name = force_area_table().at[CODES[-1], "display_name"]
        assert f"{name}\n{DID_NOT_RESPOND}\nillustrative" in picture.markup


def test_tiles_are_equal_squares_and_numbers_are_printed_on_them() -> None:
    picture = map_svg.map_picture(stalking_values(), view="tiles")
    tiles = _TILE.findall(picture.markup)
    assert len(tiles) == 43
    assert {(w, h) for *_, w, h, _ in tiles} == {(tiles[0][3], tiles[0][3])}
    assert any(hover.startswith("City of London\n") for hover, *_ in tiles)
    values = pd.Series(range(43), index=CODES, dtype="float").drop(CODES[:3])
    numbers = map_svg.map_picture(values, view="tiles")
    fills = {fill for *_, fill in _TILE.findall(numbers.markup)}
    assert set(palette.SEQUENTIAL) <= fills and palette.MISSING_GREY in fills
    assert '<tspan font-weight="bold">42</tspan>' in numbers.markup
    assert "url(#" not in numbers.markup  # a printed number is the cue: no patterns


def test_a_filtered_map_draws_the_rest_pale_and_keys_only_what_is_in_view() -> None:
    in_view = CODES[:10]
    picture = map_svg.map_picture(stalking_values(), view="geographic", in_view=in_view)
    drawn = areas(picture.markup)
    assert {drawn[code][1] for code in CODES[10:]} == {maps.OUTSIDE_GREY}
    assert picture.key[-1] == f"{maps.OUTSIDE_VIEW} (33)"
    assert not any(entry.startswith(DID_NOT_RESPOND) for entry in picture.key)


def test_the_geographic_picture_carries_the_attribution_and_the_city_label() -> None:
    picture = map_svg.map_picture(stalking_values(), view="geographic")
    assert maps.ATTRIBUTION in picture.markup
    assert '<text class="landscape-map-city-label"' in picture.markup
    with pytest.raises(ValueError, match="view"):
        map_svg.map_picture(stalking_values(), view="globe")  # type: ignore[arg-type]


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


def test_few_distinct_numbers_are_their_own_classes() -> None:
    values = pd.Series([0, 1, 2] * 14 + [1], index=CODES)
    assert maps.classify(values).order == ("0", "1", "2")


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


def test_category_order_argument_sets_the_key_order() -> None:
    values = pd.Series(["Yes", "No"] * 20 + ["Unsure"] * 3, index=CODES)
    picture = map_svg.map_picture(values, view="tiles", category_order=["Unsure", "No", "Yes"])
    assert picture.key == ("Unsure (3)", "No (20)", "Yes (20)")


def test_each_area_is_filled_with_its_categorys_colour_and_pattern() -> None:
    values = stalking_values()
    picture = map_svg.map_picture(values, view="geographic")
    colours = palette.category_colours(c.value for c in StalkingCategory)
    patterns = palette.category_patterns(c.value for c in StalkingCategory)
    order = [c.value for c in StalkingCategory]
    drawn = areas(picture.markup)
    for code, (_, fill, hover) in drawn.items():
        category = str(values.get(code, DID_NOT_RESPOND))
        assert hover.split("\n")[1] == category
        if patterns[category]:
            pattern_id = f"c{order.index(category)}"
            assert fill == f"url(#{pattern_id})"
            assert f'<pattern id="{pattern_id}" ' in picture.markup
            assert f'fill="{colours[category]}"/>' in picture.markup.split(f'id="{pattern_id}"')[1]
        else:
            assert fill == colours[category]


def test_the_inset_enlarges_central_london_fourteen_times_with_the_city_label_below_it() -> None:
    picture = map_svg.map_picture(stalking_values(), view="geographic")
    assert re.search(
        r'class="landscape-map-inset" transform="translate\([-\d. ]+\) scale\(14\)"',
        (picture.markup),
    )
    frame = re.search(
        r'class="landscape-map-inset-frame" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" '
        r'height="([\d.]+)"',
        picture.markup,
    )
    assert frame
    x, y, width, height = (float(v) for v in frame.groups())
    label = re.search(
        r'<text class="landscape-map-city-label"[^>]* x="([\d.]+)" y="([\d.]+)"', (picture.markup)
    )
    assert label
    label_x, label_y = float(label.group(1)), float(label.group(2))
    # centred under the frame, in the sea: below every outline that reaches under the frame
    assert label_x == pytest.approx(x + width / 2, abs=0.5)
    assert label_y > y + height
    beside = [
        py
        for path, _, _ in areas(picture.markup).values()
        for px, py in points(path)
        if px > x - 10
    ]
    assert label_y - 14 > max(beside)
    box = [float(v) for v in re.search(r'viewBox="([^"]+)"', picture.markup).group(1).split()]
    assert label_y < box[3]  # and inside the drawing


def test_unknown_area_codes_are_refused() -> None:
    with pytest.raises(ValueError, match="E99999999"):
        map_svg.map_picture(pd.Series({"E99999999": "x"}), view="tiles")


def test_the_maps_text_alternative_names_every_category_with_its_count() -> None:
    from ui.layout import picture_description

    picture = map_svg.map_picture(
        stalking_values(), view="geographic", title="Stalking & provision"
    )
    described = picture_description(picture, finding="Most areas have some provision")
    assert described.startswith(
        "Most areas have some provision. Chart (map): Stalking & provision."
    )
    counts = stalking_values().value_counts()
    for category, count in counts.items():
        assert f"{category} ({count})" in described
    assert f"{DID_NOT_RESPOND} (5)" in described
    assert described.endswith("Every figure it draws is in the table that follows it.")
