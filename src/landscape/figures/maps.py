"""Force-area maps that need no network: what they draw, and where.

The committed outlines (projected: longitude scaled by cos(mean latitude), a faithful enough
projection for England and Wales), the tile layout, the central London inset's window, and the
classes each area is drawn as (a category, or one of at most three numeric classes; missing is
"Did not respond", never "None"), with their colours and patterns. landscape.figures.map_svg
draws them as one SVG picture; map_table gives the same data as a table.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Literal

import pandas as pd

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
TILE_SIZE = 0.92  # of one grid step, leaving a gutter between tiles
CITY_OF_LONDON = "E23000034"
_METROPOLITAN = "E23000001"
# Central London is drawn again, enlarged, in the sea to the east, so that the City of London
# (3 km²) can be seen and hovered. Window in longitude/latitude; origin in plot coordinates.
INSET_CODES = (_METROPOLITAN, CITY_OF_LONDON)
INSET_WINDOW = ((-0.2, 51.47), (0.02, 51.565))
INSET_SCALE = 14.0
INSET_ORIGIN = (1.0, 49.9)  # in the sea, clear of Kent and East Anglia
# The City of London's label hangs this far below the inset's frame; the map's range leaves
# room under it for the label's text (about 0.4 in plot units on a 390 px phone).
CITY_LABEL_GAP = 0.15
_CITY_LABEL_ROOM = 0.45
TILE_STRIP = 0.24  # share of a tile's height given to its pattern strip

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


def project(lon: float, lat: float) -> tuple[float, float]:
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
            projected = [[project(lon, lat) for lon, lat in ring] for ring in polygon]
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


def area_provenance(
    illustrative: pd.Series | None, provenance: pd.Series | None = None
) -> pd.Series:
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


def outside_view(classes: MapClasses, in_view: Collection[str]) -> MapClasses:
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


def class_styles(classes: MapClasses) -> tuple[dict[str, str], dict[str, str]]:
    if classes.numeric:
        graded = [c for c in classes.order if c != DID_NOT_RESPOND]
        colours = dict(zip(graded, palette.sequential_colours(len(graded)), strict=True))
        colours[DID_NOT_RESPOND] = palette.MISSING_GREY
    else:
        colours = palette.category_colours(classes.order)
    return colours, palette.category_patterns(classes.order)


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


def london_inset(shapes: dict[str, AreaShape]) -> dict[str, AreaShape]:
    """Central London's areas clipped to the inset window, enlarged and moved east."""
    (lon0, lat0), (lon1, lat1) = INSET_WINDOW
    (x0, y0), (x1, y1) = project(lon0, lat0), project(lon1, lat1)

    def move(point: tuple[float, float]) -> tuple[float, float]:
        return (
            INSET_ORIGIN[0] + (point[0] - x0) * INSET_SCALE,
            INSET_ORIGIN[1] + (point[1] - y0) * INSET_SCALE,
        )

    inset = {}
    for code in INSET_CODES:
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
    shapes = [*boundaries().values(), *london_inset(boundaries()).values()]
    frame_x0, frame_y0, frame_x1, frame_y1 = inset_frame()
    xs = [x for shape in shapes for ring in shape.rings for x, _ in ring] + [frame_x0, frame_x1]
    ys = [y for shape in shapes for ring in shape.rings for _, y in ring] + [frame_y0, frame_y1]
    pad = 0.05
    bottom = min(ys) - CITY_LABEL_GAP - _CITY_LABEL_ROOM
    return (min(xs) - pad, max(xs) + pad), (bottom, max(ys) + pad)


def inset_frame() -> tuple[float, float, float, float]:
    """The inset's frame (x0, y0, x1, y1) in plot coordinates: its window, enlarged."""
    (lon0, lat0), (lon1, lat1) = INSET_WINDOW
    x0, y0 = INSET_ORIGIN
    return (
        x0,
        y0,
        x0 + (lon1 - lon0) * _LON_SCALE * INSET_SCALE,
        y0 + (lat1 - lat0) * INSET_SCALE,
    )


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
