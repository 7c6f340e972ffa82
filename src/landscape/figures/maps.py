"""Force-area maps that need no network: geographic outlines and equal-sized tiles.

Plotly's geo traces fetch a base map from a CDN, so both views are drawn as filled scatter
traces on ordinary axes: longitude is scaled by cos(mean latitude) and the axes have equal
aspect, which is a faithful enough projection for England and Wales. Each area is its own trace
(so hovering anywhere on it names it); areas of one category share a legend group, and the
legend carries one entry per category with its count.
"""

from __future__ import annotations

import csv
import html
import itertools
import json
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from landscape import paths
from landscape.areas import force_area_table
from landscape.figures import palette
from landscape.labels import DID_NOT_RESPOND, NONE_LABEL, StalkingCategory, provenance_label

View = Literal["geographic", "tiles"]
VIEWS: tuple[View, ...] = ("geographic", "tiles")

BOUNDARY_FILE = paths.BOUNDARIES_DIR / "police_force_areas.geojson"
ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
    "Contains OS data © Crown copyright and database right 2020"
)
# Longitude is shrunk by cos(latitude) at the middle of England and Wales (about 52.5° N).
_LON_SCALE = math.cos(math.radians(52.5))
_TILE_SIZE = 0.92  # of one grid step, leaving a gutter between tiles
_CITY_OF_LONDON = "E23000034"
_METROPOLITAN = "E23000001"
# Central London is drawn again, enlarged, in the sea to the east, so that the City of London
# (3 km²) can be seen and hovered. Window in longitude/latitude; origin in plot coordinates.
_INSET_CODES = (_METROPOLITAN, _CITY_OF_LONDON)
_INSET_WINDOW = ((-0.2, 51.47), (0.02, 51.565))
_INSET_SCALE = 14.0
_INSET_ORIGIN = (1.0, 49.9)  # in the sea, clear of Kent and East Anglia
# The City of London's label hangs this far below the inset's frame; the map's range leaves
# room under it for the label's text (about 0.4 in plot units on a 390 px phone).
_CITY_LABEL_GAP = 0.15
_CITY_LABEL_ROOM = 0.45
_TILE_STRIP = 0.24  # share of a tile's height given to its pattern strip

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class AreaShape:
    """One force area's outline in plot coordinates, and where to put its label."""

    code: str
    name: str
    rings: tuple[Ring, ...]  # exterior and hole rings of every part
    label_point: tuple[float, float]


@dataclass(frozen=True)
class Tile:
    code: str
    column: int
    row: int
    label: str


@dataclass(frozen=True)
class MapClasses:
    """What each of the 43 areas is drawn as: its class, in legend order, and its value text."""

    classes: pd.Series  # area code -> class label
    order: tuple[str, ...]
    value_text: pd.Series  # area code -> value as shown on hover and in the table
    numeric: bool


def _project(lon: float, lat: float) -> tuple[float, float]:
    return (lon * _LON_SCALE, lat)


def _ring_area_and_centroid(ring: Ring) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if area == 0:
        return 0.0, ring[0][0], ring[0][1]
    return abs(area), cx / (6 * area), cy / (6 * area)


@cache
def boundaries() -> dict[str, AreaShape]:
    """The committed force-area outlines, keyed by ONS code (read once per process)."""
    collection = json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))
    shapes: dict[str, AreaShape] = {}
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        rings: list[Ring] = []
        largest = (0.0, 0.0, 0.0)
        for polygon in polygons:
            projected = [[_project(lon, lat) for lon, lat in ring] for ring in polygon]
            rings.extend(projected)
            measured = _ring_area_and_centroid(projected[0])
            if measured[0] > largest[0]:
                largest = measured
        code = feature["properties"]["code"]
        shapes[code] = AreaShape(
            code=code,
            name=feature["properties"]["name"],
            rings=tuple(rings),
            label_point=(largest[1], largest[2]),
        )
    return shapes


@cache
def tile_layout() -> dict[str, Tile]:
    """The tile map's committed layout (src/landscape/reference/tiles.csv), keyed by ONS code."""
    text = resources.files("landscape.reference").joinpath("tiles.csv").read_text("utf-8")
    return {
        row["code"]: Tile(row["code"], int(row["column"]), int(row["row"]), row["label"])
        for row in csv.DictReader(text.splitlines())
    }


def _tile_ring(tile: Tile, *, strip: bool = False) -> Ring:
    """A tile's square (or only the strip along its bottom that carries the pattern)."""
    half = _TILE_SIZE / 2
    x, y = float(tile.column), -float(tile.row)
    top = y - half + _TILE_SIZE * _TILE_STRIP if strip else y + half
    return [
        (x - half, y - half),
        (x + half, y - half),
        (x + half, top),
        (x - half, top),
        (x - half, y - half),
    ]


def _format_number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _checked_codes(values: pd.Series) -> None:
    unknown = sorted(set(map(str, values.index)) - set(force_area_table().index))
    if unknown:
        raise ValueError(f"values are indexed by ONS force-area codes; unknown: {unknown}")


def classify(values: pd.Series, category_order: Sequence[str] | None = None) -> MapClasses:
    """Sort each area into the class it is drawn as. Missing or NaN is "Did not respond"."""
    _checked_codes(values)
    codes = force_area_table().index
    aligned = values.reindex(codes)
    present = aligned.dropna()
    numeric = (
        len(present) > 0
        and pd.api.types.is_numeric_dtype(present.infer_objects())
        and not pd.api.types.is_bool_dtype(present.infer_objects())
    )
    if numeric:
        numbers = pd.to_numeric(present)
        value_text = numbers.map(_format_number)
        distinct = sorted(numbers.unique())
        if len(distinct) <= 3:
            labels = {v: _format_number(v) for v in distinct}
            classes = numbers.map(labels)
            order = [labels[v] for v in distinct]
        else:
            # Three classes over the distinct values, so equal values always share a class.
            bins = pd.qcut(numbers.rank(method="dense"), 3, labels=False).astype(int)
            names: dict[int, str] = {}
            for group in sorted(set(bins)):
                members = numbers[bins == group]
                names[group] = f"{_format_number(members.min())} to {_format_number(members.max())}"
            classes = bins.map(names)
            order = list(names.values())
    else:
        classes = present.astype(str)
        value_text = classes
        seen = list(dict.fromkeys(classes))
        if category_order is not None:
            order = [str(c) for c in category_order if str(c) in seen or c in seen]
            order += [c for c in seen if c not in order]
        elif set(seen) <= set(StalkingCategory):
            order = [c.value for c in StalkingCategory if c.value in seen]
        else:
            order = sorted(seen, key=lambda c: (c == NONE_LABEL, c))
    order = [c for c in order if c != DID_NOT_RESPOND]
    all_classes = classes.reindex(codes).fillna(DID_NOT_RESPOND).astype(str)
    if (all_classes == DID_NOT_RESPOND).any():
        order.append(DID_NOT_RESPOND)
    all_text = value_text.reindex(codes).fillna(DID_NOT_RESPOND).astype(str)
    return MapClasses(all_classes, tuple(order), all_text, bool(numeric))


def _provenance(illustrative: pd.Series | None, provenance: pd.Series | None = None) -> pd.Series:
    """Per area: the shown value's own provenance in words if given, else its row's label."""
    codes = force_area_table().index
    if provenance is not None:
        texts = provenance.reindex(codes).fillna("").astype(str)
        return texts.map(lambda text: f"Provenance: {text}" if text else "")
    if illustrative is None:
        return pd.Series("", index=codes)
    flags = illustrative.reindex(codes)
    return flags.map(lambda f: "" if pd.isna(f) else provenance_label(bool(f)))


OUTSIDE_VIEW = "Outside this view"
OUTSIDE_GREY = "#F0F0F0"  # paler than 'Did not respond' grey: not part of the view at all


def _outside_view(classes: MapClasses, in_view: Collection[str]) -> MapClasses:
    """The classes with every area not in `in_view` moved to OUTSIDE_VIEW (legend last)."""
    keep = {str(c) for c in in_view}
    outside = [c for c in classes.classes.index if str(c) not in keep]
    if not outside:
        return classes
    relabelled = classes.classes.copy()
    relabelled[outside] = OUTSIDE_VIEW
    texts = classes.value_text.copy()
    texts[outside] = "outside this view"
    # the key names only what is drawn in the view (no "Did not respond (0)"), then the rest
    drawn = set(relabelled)
    order = (*(c for c in classes.order if c in drawn), OUTSIDE_VIEW)
    return replace(classes, classes=relabelled, order=order, value_text=texts)


def _class_styles(classes: MapClasses) -> tuple[dict[str, str], dict[str, str]]:
    if classes.numeric:
        graded = [c for c in classes.order if c != DID_NOT_RESPOND]
        colours = dict(zip(graded, palette.sequential_colours(len(graded)), strict=True))
        colours[DID_NOT_RESPOND] = palette.MISSING_GREY
    else:
        colours = palette.category_colours(classes.order)
    return colours, palette.category_patterns(classes.order)


def _fill_style(colour: str, pattern: str) -> dict[str, object]:
    style: dict[str, object] = {"fill": "toself", "fillcolor": colour}
    if pattern:
        style["fillpattern"] = {
            "shape": pattern,
            "fillmode": "replace",
            "bgcolor": colour,
            "fgcolor": palette.text_colour_on(colour),
            "fgopacity": 0.55,
            "size": 7,
            "solidity": 0.25,
        }
    return style


def _path(rings: Sequence[Ring]) -> tuple[np.ndarray, np.ndarray]:
    """Rings as one x and one y array, NaN between rings (a gap in plotly's line and fill).

    Arrays, not lists: plotly validates lists value by value, which is most of a map's cost."""
    xs: list[float] = []
    ys: list[float] = []
    for ring in rings:
        if xs:
            xs.append(math.nan)
            ys.append(math.nan)
        xs.extend(x for x, _ in ring)
        ys.extend(y for _, y in ring)
    # float32 (about 1 m here) halves the base64 arrays plotly sends to the browser.
    x_array, y_array = np.array(xs, dtype=np.float32), np.array(ys, dtype=np.float32)
    x_array.flags.writeable = False
    y_array.flags.writeable = False
    return x_array, y_array


@cache
def _geographic_paths() -> dict[tuple[str, str], tuple[np.ndarray, np.ndarray]]:
    """("map" | "inset", code) -> outline arrays, computed once per process."""
    shapes = boundaries()
    paths = {("map", code): _path(shape.rings) for code, shape in shapes.items()}
    paths.update({("inset", code): _path(s.rings) for code, s in _london_inset(shapes).items()})
    return paths


def _hover_name(name: str, value: str, provenance: str) -> str:
    # Plotly renders a subset of HTML in hover text: everything from data is escaped.
    lines = [f"<b>{html.escape(name)}</b>", html.escape(value)]
    if provenance:
        lines.append(f"<i>{html.escape(provenance)}</i>")
    return "<br>".join(lines)


def area_map(
    values: pd.Series,
    *,
    view: View,
    title: str = "",
    illustrative: pd.Series | None = None,
    category_order: Sequence[str] | None = None,
    provenance: pd.Series | None = None,
    in_view: Collection[str] | None = None,
) -> go.Figure:
    """A map of the 43 force areas coloured (and patterned) by `values`, indexed by ONS code.

    Categorical or numeric values; numbers are grouped into at most three ordered classes.
    Areas missing from `values` or NaN are drawn as "Did not respond", never as "None".
    Hover names each area, its value and the value's `provenance` (ONS code -> text, e.g.
    "Sourced (document, section)"; landscape.model.provenance), or else its row's label.
    With `in_view` (the ONS codes a filter keeps), every other area is drawn in a pale grey as
    OUTSIDE_VIEW, so the legend counts only the areas the view's figures count.
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {VIEWS}, not {view!r}")
    classes = classify(values, category_order)
    provenance = _provenance(illustrative, provenance)
    colours, patterns = _class_styles(classes)
    if in_view is not None:
        classes = _outside_view(classes, in_view)
        colours[OUTSIDE_VIEW], patterns[OUTSIDE_VIEW] = OUTSIDE_GREY, ""
    if classes.numeric and view == "tiles":
        # Each tile prints its value, the cue beside colour; patterns would only add noise.
        patterns = dict.fromkeys(patterns, "")
    table = force_area_table()
    counts = classes.classes.value_counts()
    # Plain dicts: per-area lookups in pandas Series would dominate the build time.
    class_of = classes.classes.to_dict()
    value_of = classes.value_text.to_dict()
    provenance_of = provenance.to_dict()
    name_of = table["display_name"].to_dict()
    # Traces are built as plain dicts and validated once, by go.Figure, at the end.
    traces: list[dict[str, object]] = [
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "lines",
            "line": {"color": palette.TEXT_DARK, "width": 0.5},
            "name": f"{html.escape(category)} ({counts.get(category, 0)})",
            "legendgroup": html.escape(category),
            "showlegend": True,
            "hoverinfo": "skip",
            **_fill_style(colours[category], patterns[category]),
        }
        for category in classes.order
    ]

    def area_trace(
        code: str,
        path: tuple[np.ndarray, np.ndarray],
        border_width: float,
        patterned: bool = True,
    ) -> dict[str, object]:
        category = class_of[code]
        pattern = patterns[category] if patterned else ""
        xs, ys = path
        return {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "lines",
            "line": {"color": palette.BORDER, "width": border_width},
            "name": _hover_name(str(name_of[code]), str(value_of[code]), str(provenance_of[code])),
            "legendgroup": html.escape(category),
            "showlegend": False,
            "hoveron": "fills",
            "hoverinfo": "name",
            "hoverlabel": {"namelength": -1},
            **_fill_style(colours[category], pattern),
        }

    layout = _layout(title=title, view=view)
    if view == "geographic":
        paths = _geographic_paths()
        traces += [area_trace(code, paths["map", code], 0.8) for code in table.index]
        traces += [area_trace(code, paths["inset", code], 0.8) for code in _INSET_CODES]
        shapes, annotations = _inset_decoration(_london_inset(boundaries()))
        layout["shapes"] = shapes
        layout["annotations"] = [_attribution(), *annotations]
    else:
        tiles = tile_layout()
        # Tiles are solid so their labels stay legible; the pattern is a strip along the bottom.
        traces += [
            area_trace(code, _path([_tile_ring(tiles[code])]), 0, patterned=False)
            for code in table.index
        ]
        for category in classes.order:
            if not patterns[category]:
                continue
            members = [tiles[c] for c in table.index if class_of[c] == category]
            xs, ys = _path([_tile_ring(tile, strip=True) for tile in members])
            traces.append(
                {
                    "type": "scatter",
                    "x": xs,
                    "y": ys,
                    "mode": "lines",
                    "line": {"width": 0},
                    "legendgroup": html.escape(category),
                    "showlegend": False,
                    "hoverinfo": "skip",
                    "name": f"{html.escape(category)} pattern",
                    **_fill_style(colours[category], patterns[category]),
                }
            )
        traces.append(_tile_labels(classes, colours, tiles))
    return _figure({"data": traces, "layout": layout})


def _figure(spec: dict[str, object]) -> go.Figure:
    """The figure without plotly's property-by-property validation, which is most of the build
    time of a 50-trace map. The specs are fixed by this module and tests/test_maps.py rebuilds
    every view with validation on, so an invalid property still fails a test."""
    try:
        return go.Figure(spec, _validate=False)
    except TypeError:  # a plotly without the switch: validate
        return go.Figure(spec)


def _clip_ring(ring: Ring, box: tuple[float, float, float, float]) -> Ring:
    """Sutherland-Hodgman clipping of one ring to an axis-aligned box (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    edges = (
        (
            lambda p: p[0] >= x0,
            lambda a, b: (x0, a[1] + (b[1] - a[1]) * (x0 - a[0]) / (b[0] - a[0])),
        ),
        (
            lambda p: p[0] <= x1,
            lambda a, b: (x1, a[1] + (b[1] - a[1]) * (x1 - a[0]) / (b[0] - a[0])),
        ),
        (
            lambda p: p[1] >= y0,
            lambda a, b: (a[0] + (b[0] - a[0]) * (y0 - a[1]) / (b[1] - a[1]), y0),
        ),
        (
            lambda p: p[1] <= y1,
            lambda a, b: (a[0] + (b[0] - a[0]) * (y1 - a[1]) / (b[1] - a[1]), y1),
        ),
    )
    points = list(ring)
    for inside, cross in edges:
        if not points:
            break
        clipped: Ring = []
        for current, previous in zip(points, points[-1:] + points[:-1], strict=True):
            if inside(current):
                if not inside(previous):
                    clipped.append(cross(previous, current))
                clipped.append(current)
            elif inside(previous):
                clipped.append(cross(previous, current))
        points = clipped
    return points + points[:1] if len(points) >= 3 else []


def _london_inset(shapes: dict[str, AreaShape]) -> dict[str, AreaShape]:
    """Central London's areas clipped to the inset window, enlarged and moved east."""
    (lon0, lat0), (lon1, lat1) = _INSET_WINDOW
    (x0, y0), (x1, y1) = _project(lon0, lat0), _project(lon1, lat1)

    def move(point: tuple[float, float]) -> tuple[float, float]:
        return (
            _INSET_ORIGIN[0] + (point[0] - x0) * _INSET_SCALE,
            _INSET_ORIGIN[1] + (point[1] - y0) * _INSET_SCALE,
        )

    inset = {}
    for code in _INSET_CODES:
        clipped = [_clip_ring(ring, (x0, y0, x1, y1)) for ring in shapes[code].rings]
        inset[code] = AreaShape(
            code=code,
            name=shapes[code].name,
            rings=tuple([move(p) for p in ring] for ring in clipped if ring),
            label_point=move(shapes[code].label_point),
        )
    return inset


@cache
def geographic_ranges() -> tuple[tuple[float, float], tuple[float, float]]:
    """The geographic view's fixed x and y ranges: every outline, the inset's frame and room
    under it for the City of London's label. Fixed because plotly's autorange also makes room
    for annotation text in pixels, which on a 390 px phone shrank the map to 150 px."""
    shapes = [*boundaries().values(), *_london_inset(boundaries()).values()]
    frame_x0, frame_y0, frame_x1, frame_y1 = _inset_frame()
    xs = [x for shape in shapes for ring in shape.rings for x, _ in ring] + [frame_x0, frame_x1]
    ys = [y for shape in shapes for ring in shape.rings for _, y in ring] + [frame_y0, frame_y1]
    pad = 0.05
    bottom = min(ys) - _CITY_LABEL_GAP - _CITY_LABEL_ROOM
    return (min(xs) - pad, max(xs) + pad), (bottom, max(ys) + pad)


def _inset_frame() -> tuple[float, float, float, float]:
    """The inset's frame (x0, y0, x1, y1) in plot coordinates: its window, enlarged."""
    (lon0, lat0), (lon1, lat1) = _INSET_WINDOW
    x0, y0 = _INSET_ORIGIN
    return (
        x0,
        y0,
        x0 + (lon1 - lon0) * _LON_SCALE * _INSET_SCALE,
        y0 + (lat1 - lat0) * _INSET_SCALE,
    )


def _inset_decoration(
    inset: dict[str, AreaShape],
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """The inset's frame (a shape) and its title and City of London pointer (annotations)."""
    x0, y0, x1, y1 = _inset_frame()
    width, height = x1 - x0, y1 - y0
    frame = {
        "type": "rect",
        "x0": x0,
        "x1": x0 + width,
        "y0": y0,
        "y1": y0 + height,
        "line": {"color": "#505A5F", "width": 1},
        "layer": "above",
    }
    city_x, city_y = inset[_CITY_OF_LONDON].label_point
    annotations: list[dict[str, object]] = [
        {
            "x": x0,
            "y": y0 + height,
            "xanchor": "left",
            "yanchor": "bottom",
            # two short lines, so the title stays within the frame's width on a phone
            "text": f"Central London<br>enlarged {_INSET_SCALE:g}×",
            "align": "left",
            "showarrow": False,
            "font": {"size": 12, "color": palette.TEXT_DARK},
        },
        {
            # The label sits in the sea below the inset's frame, in plot coordinates (not a pixel
            # offset), so at any width it is clear of every area, the inset's own included.
            "x": city_x,
            "y": city_y,
            "axref": "x",
            "ayref": "y",
            "ax": x0 + width / 2,
            "ay": y0 - _CITY_LABEL_GAP,
            "xanchor": "center",
            "yanchor": "top",
            "text": "City of London",
            "showarrow": True,
            "arrowhead": 0,
            "arrowwidth": 1.2,
            "arrowcolor": palette.TEXT_DARK,
            "font": {"size": 12, "color": palette.TEXT_DARK},
            "bgcolor": "rgba(255,255,255,0.85)",
        },
    ]
    return [frame], annotations


def _tile_labels(
    classes: MapClasses, colours: dict[str, str], tiles: dict[str, Tile]
) -> dict[str, object]:
    codes = list(force_area_table().index)
    class_of = classes.classes.to_dict()
    value_of = classes.value_text.to_dict()
    text = []
    for code in codes:
        label = "<br>".join(html.escape(part) for part in tiles[code].label.split("|"))
        if classes.numeric and class_of[code] not in (DID_NOT_RESPOND, OUTSIDE_VIEW):
            label += f"<br><b>{html.escape(str(value_of[code]))}</b>"
        text.append(label)
    return {
        "type": "scatter",
        "x": np.array([float(tiles[c].column) for c in codes]),
        "y": np.array([-float(tiles[c].row) + _TILE_SIZE * _TILE_STRIP / 2 for c in codes]),
        "mode": "text",
        "text": text,
        "textfont": {
            "size": 11,
            "color": [palette.text_colour_on(colours[class_of[c]]) for c in codes],
        },
        "hoverinfo": "skip",
        "showlegend": False,
        "name": "labels",
    }


def _attribution() -> dict[str, object]:
    return {
        # three short lines: the longest fits a 390 px phone
        "text": ATTRIBUTION.replace(" licensed", "<br>licensed").replace("v3.0. ", "v3.0.<br>"),
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 0,
        "yshift": -55,
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "align": "left",
        "font": {"size": 10, "color": "#505A5F"},
    }


def _layout(*, title: str, view: View) -> dict[str, object]:
    hidden_axis = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": False}
    x_axis: dict[str, object] = dict(hidden_axis)
    y_axis: dict[str, object] = {**hidden_axis, "scaleanchor": "x", "scaleratio": 1}
    if view == "geographic":
        x_range, y_range = geographic_ranges()
        # both axes give up domain, never range: plotly writes a widened range back into the
        # figure, so a chart drawn wide and then narrowed kept a wide range (a 150 px map)
        x_axis.update(range=list(x_range), autorange=False, constrain="domain")
        # the map sits at the top of its plot area, under the legend, when the width limits it
        y_axis.update(
            range=list(y_range), autorange=False, constrain="domain", constraintoward="top"
        )
    return {
        "xaxis": x_axis,
        "yaxis": y_axis,
        "plot_bgcolor": "#FFFFFF",
        "paper_bgcolor": "#FFFFFF",
        "font": {
            "family": "Arial, Helvetica, sans-serif",
            "size": 13,
            "color": palette.TEXT_DARK,
        },
        # geographic: on a phone the width limits the map, so a taller chart only adds blank space
        "height": 650 if view == "geographic" else 760,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 70},
        "hovermode": "closest",
        "hoverdistance": 1,
        # Above the plot, not over it: at any width the legend never covers an area.
        "legend": {
            "orientation": "h",
            "x": 0.0,
            "y": 1.0,
            "xanchor": "left",
            "yanchor": "bottom",
            # The title heads the legend, so the two can never overlap at any width.
            "title": {
                "text": html.escape(title),
                "side": "top",
                "font": {"size": 16, "color": palette.TEXT_DARK},
            },
            "font": {"size": 12},
            "itemclick": "toggle",
        },
        "dragmode": "pan",
        "annotations": [_attribution()],
    }


def map_table(
    values: pd.Series,
    illustrative: pd.Series | None = None,
    provenance: pd.Series | None = None,
) -> pd.DataFrame:
    """The map's data as a table: one row per force area (ONS code index), in reference order,
    with the value's `provenance` in words when given (as the hover text shows it)."""
    classes = classify(values)
    table = force_area_table()
    frame = pd.DataFrame(
        {
            "area": table["display_name"],
            "region": table["region"],
            "value": classes.value_text,
        },
        index=table.index,
    )
    if classes.numeric:
        frame["value"] = pd.to_numeric(values.reindex(table.index), errors="coerce")
    frame["illustrative"] = (
        illustrative.reindex(table.index).astype("boolean")
        if illustrative is not None
        else pd.Series(pd.NA, index=table.index, dtype="boolean")
    )
    if provenance is not None:
        frame["provenance"] = provenance.reindex(table.index).fillna("").astype(str)
    frame.index.name = "area_code"
    return frame
