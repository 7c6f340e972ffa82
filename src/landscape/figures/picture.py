"""Figures drawn by the browser itself, as HTML, for pages that must stay light (issue 20).

A page with any plotly chart makes a phone fetch and run the plotly bundle (4.7 MB of script;
seconds of main-thread work on Lighthouse's mobile settings). A Picture is the markup of a
figure with nothing to run: the stalking page's map (landscape.figures.map_svg) and every bar
chart (chart_picture), drawn from the very figure the builders in landscape.figures.charts make,
so the page, the PDF (which draws the plotly figure) and the table say the same.

chart_picture reads the builders' figures, whose shapes it knows:
- one horizontal bar trace (charts.share_bars, charts.ranked_bars): a bar per category, its
  colour, pattern and outline per bar;
- side-by-side groups (charts.grouped_share_bars, barmode "group"): a thin bar per group under
  each category, keyed below;
- stacks (charts.stacked_bars, charts.funding_cliff_bars, barmode "stack"): one bar of parts a
  category, each part's count written in it when it fits and in its hover text always, keyed
  below.

Each category and its value labels are a line of text above its bar, never beside it: a label
right of a long bar is what a phone cuts off. Every text in the markup is escaped: the builders
escape what comes from data (charts.escape) and keep only their own <b> and <br>; the rest is
escaped here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import plotly.graph_objects as go

from landscape.figures import palette
from landscape.figures.charts import whole_number

Kind = Literal["map", "tile map", "bar chart", "grouped bar chart", "stacked bar chart"]
_BREAK = re.compile(r"<br\s*/?>")
_TAG = re.compile(r"<[^>]+>")
_BUILDERS_TAGS = re.compile(r"</?b>")
TRACK = "#F3F2F1"  # GOV.UK light grey: the length a bar could reach
NOTE_GREY = "#505A5F"  # GOV.UK secondary text
_HATCH_INK = "rgba(255,255,255,0.45)"
_SEGMENT_TEXT_MIN = 6.0  # % of the track a part needs before its count is written in it


@dataclass(frozen=True)
class Picture:
    """A figure as the page shows it: `markup` (one line of HTML), its title and its key's
    entries ("Category (n)"), from which its description for a screen reader is made."""

    markup: str
    title: str
    key: tuple[str, ...]
    kind: Kind


def plain(escaped: object) -> str:
    """A builder's escaped label, with its line breaks and tags, as plain text."""
    return " ".join(html.unescape(_TAG.sub(" ", _BREAK.sub(" ", str(escaped or "")))).split())


def _inline(escaped: object) -> str:
    """A builder's escaped label as one line of HTML: its breaks are spaces; its own <b> kept."""
    text = _BREAK.sub(" ", str(escaped or ""))
    # anything tag-like that is not the builders' <b> is shown as text, never as markup
    parts = _BUILDERS_TAGS.split(text)
    tags = _BUILDERS_TAGS.findall(text)
    out = [html.escape(html.unescape(part), quote=False) for part in parts]
    return "".join(p + (tags[i] if i < len(tags) else "") for i, p in enumerate(out))


def hatch(shape: str) -> str:
    """A plotly fill-pattern shape as CSS drawn over the bar's colour: the same cue beside it."""
    line = f"{_HATCH_INK} 0 1.5px,transparent 1.5px 7px"
    stripes = {
        "/": [f"repeating-linear-gradient(-45deg,{line})"],
        "\\": [f"repeating-linear-gradient(45deg,{line})"],
        "x": [
            f"repeating-linear-gradient(-45deg,{line})",
            f"repeating-linear-gradient(45deg,{line})",
        ],
        "-": [f"repeating-linear-gradient(0deg,{line})"],
        "|": [f"repeating-linear-gradient(90deg,{line})"],
        "+": [
            f"repeating-linear-gradient(0deg,{line})",
            f"repeating-linear-gradient(90deg,{line})",
        ],
    }
    if shape == ".":
        return (
            f"background-image:radial-gradient({_HATCH_INK} 1.4px,transparent 1.8px);"
            "background-size:7px 7px;"
        )
    layers = stripes.get(shape)
    return f"background-image:{','.join(layers)};" if layers else ""


def _per_bar(value: Any, count: int, default: Any) -> list[Any]:
    """A marker property that is one value for the trace or a list of one per bar."""
    if value is None:
        return [default] * count
    if isinstance(value, list | tuple):
        return list(value)
    return [value] * count


@dataclass(frozen=True)
class _Bar:
    """One drawn bar or part of a stack: its length in axis units and how it looks."""

    length: float
    colour: str
    pattern: str = ""
    outline: float = 0.0
    outline_colour: str = palette.TEXT_DARK
    hover: str = ""
    inside: str = ""


def _bars_of(trace: Any) -> list[tuple[str, _Bar, str]]:
    """(category, bar, value label) for each bar of a horizontal bar trace."""
    count = len(trace.y or ())
    marker = trace.marker
    colours = _per_bar(marker.color, count, palette.DARK_BLUE)
    shapes = _per_bar(marker.pattern.shape if marker.pattern else None, count, "")
    widths = _per_bar(marker.line.width if marker.line else None, count, 0)
    line_colour = str((marker.line.color if marker.line else None) or palette.TEXT_DARK)
    texts = _per_bar(trace.text, count, "")
    out = []
    for y, x, colour, shape, width, text in zip(
        trace.y, trace.x, colours, shapes, widths, texts, strict=True
    ):
        length = float(x or 0)
        hover = f"{plain(y)}: {plain(text) or whole_number(length)}"
        out.append(
            (
                str(y),
                _Bar(
                    length,
                    str(colour),
                    str(shape or ""),
                    float(width or 0),
                    line_colour,
                    hover,
                ),
                str(text or ""),
            )
        )
    return out


def _width(length: float, upper: float) -> float:
    return 0.0 if upper <= 0 else max(0.0, min(100.0, 100.0 * length / upper))


def _fill(bar: _Bar) -> str:
    outline = (
        f"box-shadow:inset 0 0 0 {bar.outline:g}px {bar.outline_colour};" if bar.outline else ""
    )
    return f"background-color:{bar.colour};{hatch(bar.pattern)}{outline}"


def _track(parts: Sequence[_Bar], upper: float, *, height: int = 16) -> str:
    """A bar's track with its parts side by side from 0 (one part for a plain bar)."""
    drawn = []
    for part in parts:
        width = _width(part.length, upper)
        if width <= 0:
            continue
        title = f' title="{html.escape(part.hover)}"' if part.hover else ""
        inside = ""
        if part.inside and width >= _SEGMENT_TEXT_MIN:
            inside = (
                f'<span style="color:{palette.text_colour_on(part.colour)};font-size:0.75rem;'
                f'line-height:1;padding:0 0.2rem">{html.escape(part.inside)}</span>'
            )
        drawn.append(
            f'<div{title} style="{_fill(part)}height:{height}px;width:{width:.1f}%;'
            f'flex:none;overflow:hidden;display:flex;align-items:center;justify-content:center">'
            f"{inside}</div>"
        )
    return f'<div style="background:{TRACK};height:{height}px;display:flex">{"".join(drawn)}</div>'


_UNBROKEN = 26  # characters of a value label kept on one line (charts.LABEL_WRAP: a phone's)


def _row(category: str, labels: Sequence[str], track: str) -> str:
    """One category: its name and value labels on a line, its bar(s) under it. A short label
    is never broken ("20 of 33 (61%)" whole); a longer one wraps like the words around it."""
    said = []
    for label in labels:
        if not label:
            continue
        shown = _inline(label) if label.startswith("<b>") else f"<b>{_inline(label)}</b>"
        keep = "white-space:nowrap" if len(plain(label)) <= _UNBROKEN else ""
        said.append(f' · <span style="{keep}">{shown}</span>' if keep else f" · {shown}")
    words = _inline(category) + "".join(said)
    return f'<li style="margin:0 0 0.5rem"><div style="font-size:0.9rem">{words}</div>{track}</li>'


def _key(entries: Sequence[tuple[str, _Bar]]) -> str:
    """The key under the bars: a swatch (colour and pattern) and the name of each group."""
    items = [
        '<li style="margin:0 1rem 0.2rem 0;display:flex;align-items:center">'
        f'<span aria-hidden="true" style="{_fill(swatch)}display:inline-block;width:18px;'
        f'height:14px;margin-right:0.3rem;outline:0.5px solid {palette.TEXT_DARK}"></span>'
        f"{_inline(name)}</li>"
        for name, swatch in entries
    ]
    return (
        '<ul class="landscape-picture-key" style="list-style:none;padding:0;margin:0.3rem 0 0;'
        f'display:flex;flex-wrap:wrap;font-size:0.85rem">{"".join(items)}</ul>'
    )


def _frame(
    figure: go.Figure,
    rows: Sequence[str],
    key: Sequence[tuple[str, _Bar]],
    kind: Kind,
    upper: float,
) -> Picture:
    layout = figure.layout
    title = str(layout.title.text or "")
    axis = str(layout.xaxis.title.text or "") if layout.xaxis.title else ""
    heading = (
        '<p class="landscape-picture-title" style="font-size:1rem;font-weight:bold;'
        f'margin:0 0 0.4rem">{_inline(title)}</p>'
        if title
        else ""
    )
    note = (
        f'<p style="font-size:0.8rem;color:{NOTE_GREY};margin:0.2rem 0 0">Bar length: '
        f"{_inline(axis)}, from 0 to {upper:,.0f}</p>"
        if axis
        else ""
    )
    markup = (
        f'<div class="landscape-picture landscape-bars" role="img" aria-label="'
        f'{html.escape(plain(title) or "Bar chart")}">{heading}'
        f'<ul style="list-style:none;padding:0;margin:0">{"".join(rows)}</ul>{note}'
        f"{_key(key) if key else ''}</div>"
    )
    return Picture(
        markup=markup, title=plain(title), key=tuple(plain(name) for name, _ in key), kind=kind
    )


def _upper(figure: go.Figure, lengths: Sequence[float]) -> float:
    """The axis's range as the builder set it (plotly draws bars against it), else the longest."""
    axis_range = figure.layout.xaxis.range
    return float(axis_range[1]) if axis_range else max(lengths, default=1.0) or 1.0


def _categories(traces: Sequence[Any], figure: go.Figure) -> list[str]:
    """Categories top to bottom: the axis's own order where the builder set one, else first seen."""
    order = figure.layout.yaxis.categoryarray
    seen = [str(c) for c in order] if order else []
    for trace in traces:
        seen += [str(y) for y in trace.y or ()]
    return list(dict.fromkeys(seen))


def chart_picture(figure: go.Figure) -> Picture:
    """A bar chart of landscape.figures.charts drawn as HTML (see the module's docstring)."""
    bars = [t for t in figure.data if t.type == "bar"]
    if not bars or any(t.orientation != "h" for t in bars):
        raise ValueError(
            "chart_picture draws the horizontal bar charts of landscape.figures.charts"
        )
    mode = figure.layout.barmode
    if mode == "stack":
        return _stacked(figure, bars)
    if mode == "group" or len(bars) > 1:
        return _grouped(figure, bars)
    return _single(figure, bars[0])


def _single(figure: go.Figure, trace: Any) -> Picture:
    drawn = _bars_of(trace)
    upper = _upper(figure, [bar.length for _, bar, _ in drawn])
    rows = [_row(category, [label], _track([bar], upper)) for category, bar, label in drawn]
    return _frame(figure, rows, (), "bar chart", upper)


def _grouped(figure: go.Figure, traces: Sequence[Any]) -> Picture:
    """Each category's groups as thin bars one under another, their labels in the line above
    in the same order ("None: 52 of 210" reads "52 of 210" in the category "None")."""
    by_trace = [_bars_of(trace) for trace in traces]
    upper = _upper(figure, [bar.length for drawn in by_trace for _, bar, _ in drawn])
    rows = []
    for category in _categories(traces, figure):
        labels, tracks = [], []
        for trace, drawn in zip(traces, by_trace, strict=True):
            own = f"{trace.name}: "
            for y, bar, label in drawn:
                if y == category:
                    same = str(trace.name) == category and label.startswith(own)
                    labels.append(label[len(own) :] if same else label)
                    tracks.append(_track([bar], upper, height=10))
        stack = f'<div style="display:grid;gap:2px">{"".join(tracks)}</div>'
        rows.append(_row(category, labels, stack))
    return _frame(figure, rows, _keyed(traces, by_trace), "grouped bar chart", upper)


def _keyed(traces: Sequence[Any], by_trace: Sequence[list[tuple[str, _Bar, str]]]) -> list:
    """Each trace's name and the look of its first bar: what its key entry shows."""
    return [
        (str(trace.name or ""), drawn[0][1])
        for trace, drawn in zip(traces, by_trace, strict=True)
        if drawn
    ]


def _stacked(figure: go.Figure, traces: Sequence[Any]) -> Picture:
    """Each category's parts in one bar, each part's count in it; above the bar the category's
    total (the builder's text trace: "12 in all") or, where there is none, the label its parts
    carry (the funding cliff's "3 programmes; ...")."""
    totals = {
        str(y): html.escape(plain(text), quote=False) + " in all"
        for t in figure.data
        if t.type == "scatter" and t.mode == "text"
        for y, text in zip(t.y or (), t.text or (), strict=True)
    }
    by_trace = [_bars_of(trace) for trace in traces]
    categories = _categories(traces, figure)
    sums = dict.fromkeys(categories, 0.0)
    parts: dict[str, list[_Bar]] = {c: [] for c in categories}
    labels: dict[str, str] = {}
    for trace, drawn in zip(traces, by_trace, strict=True):
        counted_inside = trace.textposition == "inside"
        for y, bar, label in drawn:
            sums[y] += bar.length
            if not counted_inside and label:
                labels.setdefault(y, label)
            parts[y].append(
                replace(
                    bar,
                    hover=f"{plain(y)}: {whole_number(bar.length)} ({plain(trace.name)})",
                    inside=whole_number(bar.length) if counted_inside else "",
                )
            )
    upper = _upper(figure, list(sums.values()))
    rows = [
        _row(
            category,
            [totals.get(category) or labels.get(category, "")],
            _track(parts[category], upper),
        )
        for category in categories
    ]
    return _frame(figure, rows, _keyed(traces, by_trace), "stacked bar chart", upper)
