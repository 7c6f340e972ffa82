"""The force-area map drawn as one SVG picture: what the stalking page sends (issue 20).

A plotly map costs a phone the plotly bundle (4.7 MB of script, seconds of main-thread work on
Lighthouse's mobile settings) and a trace per area. This picture is plain SVG and HTML, drawn by
the browser itself, from the same classes, colours, patterns and outlines as `maps.area_map`:

- each outline is sent once, quantised to what the drawn size needs (a unit of a 600-unit
  wide drawing; the two central London areas finer, as the inset enlarges them), as relative
  path commands; shared borders are quantised alike, so they stay shared;
- the central London inset reuses those outlines (`<use>`, clipped to its window, enlarged), so
  no outline is sent twice;
- only the view asked for is drawn; hovering an area shows its name, value and provenance
  (`<title>`), the key above the picture counts each class, and "Did not respond" is its own
  grey class, never "no provision".

Every text from data is escaped (html.escape): the markup may be shown as HTML.
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache

import pandas as pd

from landscape.areas import force_area_table
from landscape.figures import maps, palette
from landscape.figures.picture import Kind, Picture
from landscape.labels import DID_NOT_RESPOND

WIDTH = 600.0  # drawing units across the geographic view (px at its design size)
TILE_UNIT = 64.0  # drawing units per tile-grid step
_STEP = 1.0  # outline quantum in drawing units: a pixel at the design width
_FINE_STEP = 0.05  # for the areas the inset enlarges
_TOLERANCE = 0.75  # drawing units a simplified border may stray from the committed one
_FINE_CODES = frozenset(maps.INSET_CODES)
_PATTERN_SIZE = 7.0
_FONT = "Arial, Helvetica, sans-serif"


def map_picture(
    values: pd.Series,
    *,
    view: maps.View,
    title: str = "",
    illustrative: pd.Series | None = None,
    category_order: Sequence[str] | None = None,
    provenance: pd.Series | None = None,
    in_view: Collection[str] | None = None,
) -> Picture:
    """The map of the 43 force areas coloured and patterned by `values` (as maps.area_map)."""
    if view not in maps.VIEWS:
        raise ValueError(f"view must be one of {maps.VIEWS}, not {view!r}")
    classes = maps.classify(values, category_order)
    provenance_text = maps.area_provenance(illustrative, provenance)
    colours, patterns = maps.class_styles(classes)
    if in_view is not None:
        classes = maps.outside_view(classes, in_view)
        colours[maps.OUTSIDE_VIEW], patterns[maps.OUTSIDE_VIEW] = maps.OUTSIDE_GREY, ""
    if classes.numeric and view == "tiles":
        patterns = dict.fromkeys(patterns, "")  # each tile prints its value instead
    counts = classes.classes.value_counts()
    key = tuple(f"{category} ({counts.get(category, 0)})" for category in classes.order)
    ids = {category: f"c{number}" for number, category in enumerate(classes.order)}
    # plain dicts: per-area lookups in pandas would be most of the build
    class_of = {str(code): str(c) for code, c in classes.classes.items()}
    value_of = {str(code): str(v) for code, v in classes.value_text.items()}
    provenance_of = {str(code): str(p) for code, p in provenance_text.items()}
    hover = {
        str(code): _hover(str(name), value_of[str(code)], provenance_of[str(code)])
        for code, name in force_area_table()["display_name"].items()
    }
    fills = {
        code: _fill(ids[category], colours[category], patterns[category])
        for code, category in class_of.items()
    }
    defs = "".join(_pattern(ids[c], colours[c], patterns[c]) for c in classes.order if patterns[c])
    if view == "geographic":
        body, box = _geographic(hover, fills)
        label = "Map of the 43 police force areas of England and Wales"
    else:
        body, box = _tiles(classes.numeric, class_of, value_of, colours, patterns, ids, hover)
        label = "Tile map of the 43 police force areas, one equal square each"
    legend = _key(classes.order, key, colours, patterns, ids)
    svg = (
        f'<svg class="landscape-map-drawing" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {_n(box[0])} {_n(box[1])}" role="img" aria-label="{label}" '
        f'style="width:100%;height:auto;max-height:78vh;display:block" '
        f'font-family="{_FONT}"><defs>{defs}</defs>{body}</svg>'
    )
    attribution = (
        f'<p class="landscape-map-attribution" style="font-size:0.75rem;color:#505A5F;'
        f'margin:0.25rem 0 0">{html.escape(maps.ATTRIBUTION)}</p>'
        if view == "geographic"
        else ""
    )
    heading = (
        f'<p class="landscape-picture-title" style="font-size:1rem;font-weight:bold;margin:0 0 '
        f'0.25rem">{html.escape(title)}</p>'
        if title
        else ""
    )
    markup = (
        f'<div class="landscape-picture landscape-map" data-view="{view}">'
        f"{heading}{legend}{svg}{attribution}</div>"
    )
    kind: Kind = "tile map" if view == "tiles" else "map"
    return Picture(markup=markup, title=title, key=key, kind=kind)


def _n(value: float) -> str:
    """A number as short as it can be written: 12, 12.5, 0.05."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def _hover(name: str, value: str, provenance: str) -> str:
    lines = [name, value] + ([provenance] if provenance else [])
    return html.escape("\n".join(lines))


def _fill(pattern_id: str, colour: str, pattern: str) -> str:
    return f"url(#{pattern_id})" if pattern else colour


def _pattern(pattern_id: str, colour: str, shape: str) -> str:
    """A plotly fill-pattern shape as an SVG pattern: the same cue beside colour."""
    size = _PATTERN_SIZE
    ink = palette.text_colour_on(colour)
    stroke = f'stroke="{ink}" stroke-opacity="0.55" stroke-width="1.2"'
    marks = {
        "/": f'<path d="M0 {_n(size)}L{_n(size)} 0" {stroke}/>',
        "\\": f'<path d="M0 0L{_n(size)} {_n(size)}" {stroke}/>',
        "x": f'<path d="M0 0L{_n(size)} {_n(size)}M0 {_n(size)}L{_n(size)} 0" {stroke}/>',
        "-": f'<path d="M0 {_n(size / 2)}H{_n(size)}" {stroke}/>',
        "|": f'<path d="M{_n(size / 2)} 0V{_n(size)}" {stroke}/>',
        "+": f'<path d="M0 {_n(size / 2)}H{_n(size)}M{_n(size / 2)} 0V{_n(size)}" {stroke}/>',
        ".": f'<circle cx="{_n(size / 2)}" cy="{_n(size / 2)}" r="1.3" fill="{ink}" '
        'fill-opacity="0.55"/>',
    }
    return (
        f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="{_n(size)}" '
        f'height="{_n(size)}"><rect width="{_n(size)}" height="{_n(size)}" fill="{colour}"/>'
        f"{marks.get(shape, '')}</pattern>"
    )


def _key(
    order: Sequence[str],
    entries: Sequence[str],
    colours: dict[str, str],
    patterns: dict[str, str],
    ids: dict[str, str],
) -> str:
    """The key above the map, as HTML text (legible at any width) with a swatch per class."""
    items = []
    for category, entry in zip(order, entries, strict=True):
        swatch = (
            '<svg width="18" height="14" aria-hidden="true" style="vertical-align:middle;'
            f'margin-right:0.3rem"><defs>{_pattern("k" + ids[category], colours[category], patterns[category]) if patterns[category] else ""}</defs>'  # noqa: E501
            f'<rect width="18" height="14" fill="{_fill("k" + ids[category], colours[category], patterns[category])}" '  # noqa: E501
            f'stroke="{palette.TEXT_DARK}" stroke-width="0.5"/></svg>'
        )
        items.append(
            f'<li class="landscape-map-key-entry" style="margin:0 1rem 0.2rem 0">{swatch}'
            f"{html.escape(entry)}</li>"
        )
    return (
        '<ul class="landscape-map-key" style="list-style:none;padding:0;margin:0 0 0.5rem;'
        f'display:flex;flex-wrap:wrap;font-size:0.85rem">{"".join(items)}</ul>'
    )


# --- the geographic view ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Frame:
    """Plot coordinates (maps.project) to drawing units: x right, y down."""

    x0: float
    y1: float
    scale: float

    def point(self, x: float, y: float) -> tuple[float, float]:
        return ((x - self.x0) * self.scale, (self.y1 - y) * self.scale)


def _frame() -> tuple[_Frame, tuple[float, float]]:
    (x0, x1), (y0, y1) = maps.geographic_ranges()
    scale = WIDTH / (x1 - x0)
    return _Frame(x0, y1, scale), (WIDTH, (y1 - y0) * scale)


Cell = tuple[int, int]


def _grid(ring: maps.Ring, frame: _Frame, step: float) -> list[Cell]:
    """A ring on a grid of `step` drawing units, open (its first point not repeated), with a
    point equal to the one before it after rounding dropped."""
    cells: list[Cell] = []
    for x, y in ring:
        px, py = frame.point(x, y)
        cell = (round(px / step), round(py / step))
        if not cells or cell != cells[-1]:
            cells.append(cell)
    if len(cells) > 1 and cells[0] == cells[-1]:
        cells.pop()
    return cells


def _kept_by_douglas_peucker(chain: Sequence[Cell], tolerance: float) -> set[int]:
    """The indices of `chain` that Douglas-Peucker keeps: its ends, and every point further
    than `tolerance` from the line the points kept around it would draw."""
    kept = {0, len(chain) - 1}
    spans = [(0, len(chain) - 1)]
    while spans:
        first, last = spans.pop()
        (x0, y0), (x1, y1) = chain[first], chain[last]
        length = math.hypot(x1 - x0, y1 - y0)
        far, distance = -1, tolerance
        for index in range(first + 1, last):
            x, y = chain[index]
            away = (
                abs((x1 - x0) * (y0 - y) - (x0 - x) * (y1 - y0)) / length
                if length
                else math.hypot(x - x0, y - y0)
            )
            if away > distance:
                far, distance = index, away
        if far >= 0:
            kept.add(far)
            spans += [(first, far), (far, last)]
    return kept


def _simplified(
    rings: dict[str, list[list[Cell]]], tolerance: float
) -> dict[str, list[list[Cell]]]:
    """Each coarse area's rings simplified for the drawn size with shared borders kept shared:
    a border between two areas is a chain of points held by the same areas, cut where that set
    changes; each chain is simplified on its own, always from the same end, so both areas keep
    the same points of it. The finer central London pair is left as it is, and the points of
    coarse areas on it are kept."""
    holders: dict[Cell, set[str]] = {}
    for code, code_rings in rings.items():
        if code not in _FINE_CODES:
            for ring in code_rings:
                for cell in ring:
                    holders.setdefault(cell, set()).add(code)
    ratio = _STEP / _FINE_STEP
    on_london = {
        (round(x / ratio), round(y / ratio))
        for code in _FINE_CODES
        for ring in rings[code]
        for x, y in ring
    }
    simplified: dict[str, list[list[Cell]]] = {}
    for code, code_rings in rings.items():
        if code in _FINE_CODES:
            simplified[code] = code_rings
            continue
        kept_rings = []
        for ring in code_rings:
            count = len(ring)
            fixed = [
                i
                for i, cell in enumerate(ring)
                if holders[cell] != holders[ring[i - 1]]
                or holders[cell] != holders[ring[(i + 1) % count]]
                or cell in on_london
            ]
            if len(fixed) < 2:  # an island: three points of it to begin from
                fixed = [0, count // 3, 2 * count // 3]
            kept = set(fixed)
            for first, last in zip(fixed, [*fixed[1:], fixed[0] + count], strict=True):
                chain = [ring[i % count] for i in range(first, last + 1)]
                backwards = chain[0] > chain[-1]
                found = _kept_by_douglas_peucker(chain[::-1] if backwards else chain, tolerance)
                kept.update(
                    (first + (len(chain) - 1 - i if backwards else i)) % count for i in found
                )
            cells = [ring[i] for i in sorted(kept)]
            if len(cells) >= 3:
                kept_rings.append(cells)
        simplified[code] = kept_rings
    return simplified


def _path(rings: Sequence[Sequence[Cell]], step: float) -> str:
    """Rings as one path of relative commands, each ring closed."""
    commands: list[str] = []
    for ring in rings:
        start = ring[0]
        deltas = " ".join(
            f"{_n((b[0] - a[0]) * step)} {_n((b[1] - a[1]) * step)}"
            for a, b in itertools.pairwise(ring)
        )
        commands.append(
            f"M{_n(start[0] * step)} {_n(start[1] * step)}l" + deltas.replace(" -", "-") + "z"
        )
    return "".join(commands)


def _step(code: str) -> float:
    return _FINE_STEP if code in _FINE_CODES else _STEP


@cache
def _outlines() -> dict[str, str]:
    """Every area's path, made once per process (only the fills change between maps): on the
    grid, then simplified to the drawn size."""
    frame, _ = _frame()
    shapes = maps.boundaries()
    rings = {
        code: [
            cells
            for ring in shapes[code].rings
            if len(cells := _grid(ring, frame, _step(code))) >= 3
        ]
        for code in force_area_table().index
    }
    simplified = _simplified(rings, _TOLERANCE)
    return {code: _path(simplified[code], _step(code)) for code in force_area_table().index}


def _geographic(hover: dict[str, str], fills: dict[str, str]) -> tuple[str, tuple[float, float]]:
    frame, box = _frame()
    outlines = _outlines()
    paths = "".join(
        f'<path id="area-{code}" d="{outlines[code]}" fill="{fills[code]}">'
        f"<title>{hover[code]}</title></path>"
        for code in force_area_table().index
    )
    areas = (
        f'<g class="landscape-map-areas" stroke="{palette.BORDER}" stroke-width="0.8" '
        f'stroke-linejoin="round">{paths}</g>'
    )
    return areas + _inset(frame), box


def _inset(frame: _Frame) -> str:
    """Central London again, enlarged in the sea to the east: the same outlines (`<use>`),
    clipped to the window, with its frame, its title and the City of London's label."""
    (lon0, lat0), (lon1, lat1) = maps.INSET_WINDOW
    (wx0, wy0), (wx1, wy1) = maps.project(lon0, lat0), maps.project(lon1, lat1)
    scale = maps.INSET_SCALE
    ox, oy = maps.INSET_ORIGIN
    # a point p of the window goes to origin + (p - window corner) * scale, in plot coordinates
    left, top = frame.point(wx0, wy1)
    right, bottom = frame.point(wx1, wy0)
    to_x, to_y = frame.point(ox, oy + (wy1 - wy0) * scale)
    shift_x, shift_y = to_x - left * scale, to_y - top * scale
    clip = (
        f'<clipPath id="inset-window"><rect x="{_n(left)}" y="{_n(top)}" '
        f'width="{_n(right - left)}" height="{_n(bottom - top)}"/></clipPath>'
    )
    copies = "".join(f'<use href="#area-{code}"/>' for code in maps.INSET_CODES)
    inset = (
        f'<g class="landscape-map-inset" transform="translate({_n(shift_x)} {_n(shift_y)}) '
        f'scale({_n(scale)})"><g clip-path="url(#inset-window)" stroke="{palette.BORDER}" '
        f'stroke-width="{_n(0.8 / scale)}">{copies}</g></g>'
    )
    fx0, fy0, fx1, fy1 = maps.inset_frame()
    box_left, box_top = frame.point(fx0, fy1)
    box_right, box_bottom = frame.point(fx1, fy0)
    city_x, city_y = maps.london_inset(maps.boundaries())[maps.CITY_OF_LONDON].label_point
    city = frame.point(city_x, city_y)
    label_x = (box_left + box_right) / 2
    label_y = box_bottom + maps.CITY_LABEL_GAP * frame.scale
    text = f'fill="{palette.TEXT_DARK}" font-size="13"'
    return (
        f"<defs>{clip}</defs>{inset}"
        f'<rect class="landscape-map-inset-frame" x="{_n(box_left)}" y="{_n(box_top)}" '
        f'width="{_n(box_right - box_left)}" height="{_n(box_bottom - box_top)}" fill="none" '
        'stroke="#505A5F" stroke-width="1"/>'
        f'<text {text} x="{_n(box_left)}" y="{_n(box_top - 20)}">Central London</text>'
        f'<text {text} x="{_n(box_left)}" y="{_n(box_top - 5)}">enlarged '
        f"{_n(scale)}×</text>"
        f'<line x1="{_n(city[0])}" y1="{_n(city[1])}" x2="{_n(label_x)}" y2="{_n(label_y)}" '
        f'stroke="{palette.TEXT_DARK}" stroke-width="1.2"/>'
        f'<text class="landscape-map-city-label" {text} text-anchor="middle" '
        f'x="{_n(label_x)}" y="{_n(label_y + 14)}">City of London</text>'
    )


# --- the tile view ----------------------------------------------------------------------------


def _tiles(
    numeric: bool,
    class_of: dict[str, str],
    value_of: dict[str, str],
    colours: dict[str, str],
    patterns: dict[str, str],
    ids: dict[str, str],
    hover: dict[str, str],
) -> tuple[str, tuple[float, float]]:
    """One square per area on the committed grid; its label on it, its pattern as a strip
    along its bottom (the square stays solid, so the label stays legible)."""
    tiles = maps.tile_layout()
    columns = max(t.column for t in tiles.values())
    rows = max(t.row for t in tiles.values())
    size = TILE_UNIT * maps.TILE_SIZE
    gutter = (TILE_UNIT - size) / 2
    strip = size * maps.TILE_STRIP
    parts = []
    for code in force_area_table().index:
        tile = tiles[code]
        category = class_of[code]
        colour = colours[category]
        x = tile.column * TILE_UNIT + gutter
        y = tile.row * TILE_UNIT + gutter
        lines = [html.escape(part) for part in tile.label.split("|")]
        if numeric and category not in (DID_NOT_RESPOND, maps.OUTSIDE_VIEW):
            lines.append(f'<tspan font-weight="bold">{html.escape(value_of[code])}</tspan>')
        first = y + (size - strip) / 2 - (len(lines) - 1) * 6.5 + 4
        text = "".join(
            f'<tspan x="{_n(x + size / 2)}" y="{_n(first + 13 * n)}">{line}</tspan>'
            for n, line in enumerate(lines)
        )
        pattern = patterns[category]
        band = (
            f'<rect x="{_n(x)}" y="{_n(y + size - strip)}" width="{_n(size)}" '
            f'height="{_n(strip)}" fill="url(#{ids[category]})"/>'
            if pattern
            else ""
        )
        parts.append(
            f'<g class="landscape-map-tile"><title>{hover[code]}</title>'
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(size)}" height="{_n(size)}" '
            f'fill="{colour}"/>{band}<text text-anchor="middle" font-size="11" '
            f'fill="{palette.text_colour_on(colour)}">{text}</text></g>'
        )
    width = (columns + 1) * TILE_UNIT
    height = (rows + 1) * TILE_UNIT
    return "".join(parts), (width, height)
