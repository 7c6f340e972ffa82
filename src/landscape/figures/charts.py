"""Chart builders: pure functions from a tidy table to a plotly figure.

Conventions every builder keeps:
- bars are labelled with their count and, where there is a denominator, "n of N (p%)", so that
  no value is read from colour or from an axis alone, and legends are used only for stacks and
  side-by-side groups (whose labels also name their group);
- categories keep the order of the table (the breakdowns put them in display order);
- every string that came from data is HTML-escaped before plotly renders it (plotly draws a
  subset of HTML in labels and hover text);
- sizes suit a 1280-pixel-wide window: the height grows with the number of bars;
- nothing is cut off on a 390-pixel phone: titles wrap (TITLE_WRAP), category names wrap
  (CATEGORY_WRAP) with their bars' value labels as further lines (category_tick: never right of
  the bar), axis titles wrap (AXIS_TITLE_WRAP) and a legend sits below the plot, clear of the
  title.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from landscape.figures import palette

FONT = "Arial, Helvetica, sans-serif"
TEXT_COLOUR = palette.TEXT_DARK
PRIMARY = palette.DARK_BLUE
BAR_HEIGHT = 26
CHOSEN_MARK = "▶ "
# characters per line of a title or a value label: what fits a 390 px phone at their font sizes
TITLE_WRAP = 38
LABEL_WRAP = 26
CATEGORY_WRAP = 24  # a category's name: left of its bar, so the plot keeps half a phone's width
AXIS_TITLE_WRAP = 18  # a count axis's title, centred under a plot ~200 px wide on a phone
TICK_LINE = 16  # pixels a line of a category's tick label takes
LEGEND_ROOM = 140  # pixels under a stacked chart for its legend (six rows on a phone)


def _bar_chart_template() -> go.layout.Template:
    """plotly_white cut to what 2-D bar and line charts read (issue 13: speed). The full template
    also styles polar, ternary, 3-D, geo and colour-scale charts none of these builders draw; it is
    ~9/10 of each chart's JSON and ~20 ms of building, copying and sending every chart."""
    import plotly.io as pio

    white = pio.templates["plotly_white"]
    used = {"autotypenumbers", "colorway", "font", "hovermode", "hoverlabel", "paper_bgcolor"}
    used |= {"plot_bgcolor", "xaxis", "yaxis", "title"}
    layout = {k: v for k, v in white.layout.to_plotly_json().items() if k in used}
    return go.layout.Template(
        layout=layout, data={"bar": white.data.bar, "scatter": white.data.scatter}
    )


BAR_CHART_TEMPLATE = _bar_chart_template()
VALIDATE_FIGURES = False
"""Whether builders validate every property as plotly sets it: half of building a chart (issue
13), and the builders set fixed properties. tests/test_load_speed_paths.py builds every chart with
it on and checks the same JSON, so an invalid property still fails a test."""


Trace = dict[str, Any]
Layout = dict[str, Any]


def _figure(data: list[Trace], layout: Layout) -> go.Figure:
    """The chart constructed once from its whole spec (each trace a dict naming its "type", the
    layout one dict), as a map is: plotly's update_* calls parse and dispatch one
    property path at a time, and were most of building a chart (issue 13)."""
    return go.Figure(data=data, layout=layout, _validate=VALIDATE_FIGURES)


def escape(value: object) -> str:
    """Text from data, made safe for plotly's HTML-like labels."""
    return html.escape("" if value is None else str(value), quote=False)


def wrapped(text: str, width: int) -> str:
    """Already-escaped text broken into plotly lines (<br>) of at most `width` characters."""
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False)) if text else text


def category_tick(category: str, values: Sequence[str] = ()) -> str:
    """A category's tick label on a phone: its (escaped) name wrapped at CATEGORY_WRAP, then each
    of its value labels on lines of its own, wrapped at LABEL_WRAP."""
    lines = [wrapped(category, CATEGORY_WRAP), *(wrapped(v, LABEL_WRAP) for v in values if v)]
    return "<br>".join(lines)


def _labels_under_categories(
    data: list[Trace], layout: Layout, categories: Sequence[str], labels: Sequence[Sequence[str]]
) -> None:
    """Each category's tick label gets its bars' value labels as further lines (category_tick),
    and the bars' own text is not drawn: a label right of a long bar is what a phone cuts off."""
    for trace in data:
        if trace["type"] == "bar":
            trace["textposition"] = "none"
    ticks = [category_tick(c, values) for c, values in zip(categories, labels, strict=True)]
    layout["yaxis"].update(tickmode="array", tickvals=list(categories), ticktext=ticks)
    # every category's slot holds its longest label's lines
    lines = max((t.count("<br>") + 1 for t in ticks), default=1)
    fixed = layout["margin"]["t"] + layout["margin"]["b"]
    layout["height"] = max(
        layout["height"] + 8 * len(categories), fixed + TICK_LINE * lines * len(categories)
    )


def _layout(*, title: str, bars: int, x_title: str = "") -> Layout:
    """Every chart's layout: wrapped title, fonts, height for its bars, the count axis across
    (x) and the categories down (y), in the slim template."""
    lines = wrapped(escape(title), TITLE_WRAP)
    axis_title = wrapped(escape(x_title), AXIS_TITLE_WRAP)
    below = 20 * axis_title.count("<br>")  # the axis title's further lines
    return {
        "title": {"text": lines, "x": 0, "xanchor": "left", "font": {"size": 16}},
        "font": {"family": FONT, "size": 13, "color": TEXT_COLOUR},
        "height": max(220, 110 + BAR_HEIGHT * bars + 20 * lines.count("<br>")) + below,
        "margin": {"l": 10, "r": 30, "t": 50 + 20 * lines.count("<br>"), "b": 40 + below},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "hoverlabel": {"font": {"family": FONT}},
        "separators": ".,",
        "template": BAR_CHART_TEMPLATE,
        "xaxis": {
            "title": {"text": axis_title},
            "automargin": True,
            "showgrid": True,
            "gridcolor": "#E5E5E5",
            "zeroline": True,
            "rangemode": "tozero",
        },
        "yaxis": {
            "autorange": "reversed",
            "automargin": True,
            "ticks": "",
            "tickfont": {"color": TEXT_COLOUR},
        },
    }


def share_bars(
    frame: pd.DataFrame,
    *,
    category: str,
    count: str,
    label: str = "label",
    title: str = "",
    x_title: str = "",
    colour: str = PRIMARY,
) -> go.Figure:
    """Horizontal bars of counts, each labelled with its share ("17 of 33 (52%)")."""
    categories = [escape(c) for c in frame[category]]
    labels = [escape(v) for v in frame[label]] if label in frame else None
    bar: Trace = {
        "type": "bar",
        "x": list(frame[count]),
        "y": categories,
        "orientation": "h",
        "marker": {"color": colour},
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "%{y}: %{text}<extra></extra>" if labels else "%{y}: %{x}<extra></extra>",
    }
    if labels is not None:
        bar["text"] = labels
    data = [bar]
    layout = _layout(title=title, bars=len(frame), x_title=x_title)
    _headroom(layout, frame[count], factor=1.05)
    if labels:
        _labels_under_categories(data, layout, categories, [[v] for v in labels])
    layout["showlegend"] = False
    return _figure(data, layout)


def _split_bars(
    frame: pd.DataFrame,
    *,
    category: str,
    split: str,
    count: str,
    names: Sequence[str],
    line: Mapping[str, object],
    text_options: Callable[[str, Part, str], dict[str, Any]],
    columns: Sequence[str] = (),
) -> list[Trace]:
    """One horizontal bar trace per value of `split`, in `names` order, each with its own colour
    *and* pattern; `text_options(name, part, colour)` gives the trace's labels and hover text from
    the part's `count`, `category` and further `columns`."""
    colours = palette.category_colours(names)
    patterns = palette.category_patterns(names)
    traces: list[Trace] = []
    for name, part in _parts(frame, split, names, (count, category, *columns)):
        colour = colours.get(name, PRIMARY)
        traces.append(
            {
                "type": "bar",
                "name": escape(name),
                "x": list(part[count]),
                "y": [escape(c) for c in part[category]],
                "orientation": "h",
                "marker": {
                    "color": colour,
                    "pattern": _pattern(patterns.get(name, "")),
                    "line": dict(line),
                },
                **text_options(name, part, colour),
            }
        )
    return traces


Part = dict[str, list[Any]]
"""Some rows of a table: each of its columns named, as a list in the table's order."""


def _parts(
    frame: pd.DataFrame, split: str, names: Sequence[str], columns: Sequence[str]
) -> list[tuple[str, Part]]:
    """The non-empty rows of each of `names` in `split`, in `names` order, as lists of `columns`
    (a chart's table is a few hundred rows: one pass over plain lists, not a grouping and a frame
    taken per name, issue 13). A missing `split` value is in no part, as groupby drops it."""
    values = {column: frame[column].tolist() for column in dict.fromkeys(columns)}
    rows: dict[Any, list[int]] = {}
    for row, key in enumerate(frame[split].tolist()):
        if isinstance(key, str) or not pd.isna(key):
            rows.setdefault(key, []).append(row)
    return [
        (name, {column: [values[column][r] for r in rows[name]] for column in values})
        for name in names
        if name in rows
    ]


def grouped_share_bars(
    frame: pd.DataFrame,
    *,
    category: str,
    group: str,
    count: str,
    label: str = "label",
    title: str = "",
    x_title: str = "",
    group_order: Sequence[str] | None = None,
) -> go.Figure:
    """Bars per category split into groups side by side; each bar's label names its group and
    is a line of its category's tick label, in the bars' order (a label beside the bar is what a
    phone cuts off); the key under the plot gives each group's colour and pattern."""
    groups = list(group_order or dict.fromkeys(frame[group]))

    def labelled(name: str, part: Part, colour: str) -> dict[str, Any]:
        return {
            "text": [f"{escape(name)}: {escape(v)}" for v in part[label]],
            "hovertemplate": "%{y}, %{text}<extra></extra>",
        }

    data = _split_bars(
        frame,
        category=category,
        split=group,
        count=count,
        names=groups,
        line={"color": TEXT_COLOUR, "width": 0.5},
        text_options=labelled,
        columns=(label,),
    )
    order = list(dict.fromkeys(frame[category]))
    # each category's labels, its groups in trace order ("None: 52 of 210" is "52 of 210")
    lines: dict[object, list[str]] = {c: [] for c in order}
    for name, part in _parts(frame, group, groups, (category, label)):
        for c, value in zip(part[category], part[label], strict=True):
            lines[c].append(escape(value) if name == c else f"{escape(name)}: {escape(value)}")
    layout = _layout(title=title, bars=len(order) * max(1, len(groups)), x_title=x_title)
    _headroom(layout, frame[count], factor=1.05)
    _labels_under_categories(data, layout, [escape(c) for c in order], [lines[c] for c in order])
    layout["barmode"] = "group"
    _legend_below(layout, room=40 + 20 * len(groups))
    return _figure(data, layout)


def _legend_below(layout: Layout, room: int) -> None:
    """The key under the plot, below the axis title, in `room` more pixels at the bottom: a
    legend above the plot grows into the title when a phone wraps it onto several rows."""
    layout["margin"]["b"] += room
    layout["height"] += room
    plot_px = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
    # under the tick numbers and every line of the axis title
    below = 48 + 20 * str(layout["xaxis"]["title"]["text"]).count("<br>")
    layout["showlegend"] = True
    layout["legend"] = {
        "orientation": "h",
        "yanchor": "top",
        "y": -below / plot_px,
        "x": 0,
        "traceorder": "normal",
    }


def stacked_bars(
    frame: pd.DataFrame,
    *,
    category: str,
    stack: str,
    count: str,
    title: str = "",
    x_title: str = "",
    stack_order: Sequence[str] | None = None,
    totals: Mapping[str, float] | None = None,
) -> go.Figure:
    """Stacked horizontal bars (e.g. programmes per area by type), counts written in each part.

    Each stack has its own colour *and* pattern; the bar's total is written at its end.
    """
    stacks = list(stack_order or dict.fromkeys(frame[stack]))
    order = list(dict.fromkeys(frame[category]))

    def counted_inside(name: str, part: Part, colour: str) -> dict[str, Any]:
        bars = len(part[count])
        return {
            "text": [str(v) for v in part[count]],
            "textposition": "inside",
            "insidetextanchor": "middle",
            "textangle": 0,
            "insidetextfont": {"color": [palette.text_colour_on(colour)] * bars},
            "customdata": [escape(name)] * bars,
            "hovertemplate": "%{y}: %{x} %{customdata}<extra></extra>",
        }

    data = _split_bars(
        frame,
        category=category,
        split=stack,
        count=count,
        names=stacks,
        line={"color": "#FFFFFF", "width": 1},
        text_options=counted_inside,
    )
    sums: dict[object, float] = (
        {k: float(v) for k, v in totals.items()}
        if totals is not None
        else {k: float(v) for k, v in frame.groupby(category, sort=False)[count].sum().items()}
    )
    data.append(
        {
            "type": "scatter",
            "x": [sums.get(c, 0) for c in order],
            "y": [escape(c) for c in order],
            "mode": "text",
            "text": [f"  {whole_number(sums.get(c, 0))}" for c in order],
            "textposition": "middle right",
            "showlegend": False,
            "hoverinfo": "skip",
            "cliponaxis": False,
        }
    )
    layout = _layout(title=title, bars=len(order), x_title=x_title)
    _headroom(layout, pd.Series(list(sums.values()) or [0]))
    layout["yaxis"].update(categoryorder="array", categoryarray=[escape(c) for c in order])
    layout["barmode"] = "stack"
    # a phone wraps the key onto six rows: LEGEND_ROOM pixels for it under the plot
    _legend_below(layout, room=LEGEND_ROOM)
    return _figure(data, layout)


def ranked_bars(
    frame: pd.DataFrame,
    *,
    category: str,
    value: str,
    highlight: str | None = None,
    label: str | None = None,
    title: str = "",
    x_title: str = "",
) -> go.Figure:
    """Areas ranked by a value, with one area highlighted by colour *and* a marked name."""
    ranked = frame.sort_values([value, category], ascending=[False, True], kind="stable")
    names = [(CHOSEN_MARK if c == highlight else "") + escape(c) for c in ranked[category]]
    chosen = [c == highlight for c in ranked[category]]
    texts = (
        [escape(v) for v in ranked[label]] if label else [whole_number(v) for v in ranked[value]]
    )
    shown = [f"<b>{t}</b>" if c else t for t, c in zip(texts, chosen, strict=True)]
    data: list[Trace] = [
        {
            "type": "bar",
            "x": list(ranked[value]),
            "y": names,
            "orientation": "h",
            "marker": {
                "color": [palette.HIGHLIGHT if c else palette.MUTED for c in chosen],
                "pattern": _pattern(["/" if c else "" for c in chosen]),
                "line": {"color": TEXT_COLOUR, "width": [1.5 if c else 0 for c in chosen]},
            },
            "text": list(shown),
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{y}: %{x}<extra></extra>",
        }
    ]
    layout = _layout(title=title, bars=len(ranked), x_title=x_title)
    _headroom(layout, ranked[value], factor=1.05)
    _labels_under_categories(data, layout, names, [[t] for t in shown])
    layout["showlegend"] = False
    return _figure(data, layout)


def funding_cliff_bars(frame: pd.DataFrame, *, title: str = "") -> go.Figure:
    """Programmes whose current funding ends in each quarter, labelled with known budgets."""
    labels = []
    # the columns zipped, not iterrows: a Series per row was most of building this chart (issue 13)
    for programmes, budget, with_budget in zip(
        frame["programmes"], frame["budget_gbp"], frame["programmes_with_budget"], strict=True
    ):
        count = int(programmes)
        text = f"{count} programme" + ("" if count == 1 else "s")
        if with_budget:
            text += f"; £{budget:,.0f} a year known for {int(with_budget)}"
        labels.append(text)
    quarters = [escape(q) for q in frame["quarter"]]
    # Past is drawn as past: a quarter's programmes whose end date is before the reference date
    # (the frame's "ended", breakdowns.funding_cliff) are their own grey, hatched, keyed part.
    counts = [int(v) for v in frame["programmes"]]
    ended = [int(v) for v in frame["ended"]]
    dated = list(frame["quarter_start"].notna())
    ahead = [c - e if d else 0 for c, e, d in zip(counts, ended, dated, strict=True)]
    undated = [0 if d else c for c, d in zip(counts, dated, strict=True)]
    for i, past in enumerate(ended):
        if past:
            labels[i] += " (ended)" if past == counts[i] else f", {past} ended"
    parts = (
        ("Ended", ended, palette.DARK_GREY, "x"),
        ("Ahead", ahead, PRIMARY, ""),
        ("No end date recorded", undated, palette.MISSING_GREY, ""),
    )
    data: list[Trace] = [
        {
            "type": "bar",
            "name": f"{name} ({sum(xs)})",
            "x": xs,
            "y": quarters,
            "orientation": "h",
            "marker": {"color": colour, "pattern": _pattern(shape)},
            "text": labels,
            "textposition": "outside",
            "cliponaxis": False,
            "customdata": [name.lower()] * len(xs),
            "hovertemplate": "%{y}: %{x} %{customdata}<extra></extra>",
        }
        for name, xs, colour, shape in parts
        if sum(xs)
    ]
    layout = _layout(title=title, bars=len(frame), x_title="Programmes whose funding ends")
    _headroom(layout, frame["programmes"], factor=1.05)
    _labels_under_categories(data, layout, quarters, [[t] for t in labels])
    # the key sits under the axis title, as stacked_bars places it: clear of the title at any width
    layout["barmode"] = "stack"
    _legend_below(layout, room=60)
    return _figure(data, layout)


def _pattern(shape: str | list[str]) -> dict[str, object]:
    """A hatch drawn over the bar's colour (overlay), so colour and pattern are both visible."""
    return {
        "shape": shape,
        "fillmode": "overlay",
        "fgcolor": "#FFFFFF",
        "fgopacity": 0.4,
        "size": 7,
    }


WIDTH_TICKED = 10  # a count axis this long or longer is ticked by plotly from its drawn width


def _headroom(layout: Layout, values: pd.Series, factor: float = 1.45) -> None:
    """Leave room right of the longest bar for its outside label; the axis counts, so it ticks
    at whole numbers only (never 0.2, 0.4 ... force areas).

    From WIDTH_TICKED up plotly picks the step from the drawn axis's width (at most one tick
    per 80 px, 5 to 10 ticks; its steps are 1, 2, 5 x 10^n of at least range/10, so whole): a
    390 px phone gets 0, 50, 100, 150 where a fixed step of 20 crowded eight numbers into
    ~185 px and plotly turned them on their side. Below it a fixed whole step (plotly: 0.5)."""
    numeric = pd.to_numeric(values, errors="coerce")
    top = float(numeric.max()) if len(numeric) and numeric.notna().any() else 0.0
    upper = max(top * factor, 1)
    layout["xaxis"].update(range=[0, upper], tick0=0, tickformat=",d")
    if upper < WIDTH_TICKED:
        layout["xaxis"]["dtick"] = count_tick_step(upper)


def count_tick_step(upper: float, most_ticks: int = 8) -> int:
    """The whole-number tick step (1, 2, 5, 10, 20, 50 ...) giving at most `most_ticks` ticks."""
    scale = 1
    while True:
        for step in (1, 2, 5):
            if upper / (step * scale) <= most_ticks:
                return step * scale
        scale *= 10


def whole_number(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return f"{int(number):,}" if number.is_integer() else f"{number:,.1f}"
