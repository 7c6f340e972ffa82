"""Figures drawn by the browser itself, as HTML and SVG, for pages that must stay light (issue 20).

A page with any plotly chart makes a phone fetch and run the plotly bundle (4.7 MB of script;
seconds of main-thread work on Lighthouse's mobile settings). A Picture is the markup of a
figure with nothing to run: the stalking page's map (landscape.figures.map_svg) and its bar
charts (bar_picture, drawn from the very figure charts.share_bars builds, so both ways of
showing a chart say the same). Every text in the markup is escaped: the charts' builders escape
what comes from data (charts.escape), and the rest is escaped here.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Literal

import plotly.graph_objects as go

from landscape.figures import palette

Kind = Literal["map", "tile map", "bar chart"]
_BREAK = re.compile(r"<br\s*/?>")


@dataclass(frozen=True)
class Picture:
    """A figure as the page shows it: `markup` (one line of HTML), its title and its key's
    entries ("Category (n)"), from which its description for a screen reader is made."""

    markup: str
    title: str
    key: tuple[str, ...]
    kind: Kind


def _plain(escaped: str) -> str:
    """A builder's escaped label, with its line breaks, as plain text."""
    return html.unescape(_BREAK.sub(" ", escaped or ""))


def _lines(escaped: str) -> list[str]:
    return [line for line in _BREAK.split(escaped or "") if line]


def bar_picture(figure: go.Figure) -> Picture:
    """A one-trace horizontal bar chart (charts.share_bars) as HTML bars: each category (the
    trace's escaped y) and its value label (its escaped text) on a line, its bar under it, as
    long against the axis's range as plotly draws it; the axis title said once under them."""
    if len(figure.data) != 1 or figure.data[0].type != "bar" or figure.data[0].orientation != "h":
        raise ValueError("bar_picture draws one horizontal bar trace (charts.share_bars)")
    bar = figure.data[0]
    layout = figure.layout
    counts = [float(x) for x in bar.x]
    categories = [str(y) for y in bar.y]
    labels = [str(t) for t in bar.text] if bar.text is not None else [""] * len(categories)
    upper = float(layout.xaxis.range[1]) if layout.xaxis.range else max(counts, default=1.0)
    colour = str(bar.marker.color or palette.DARK_BLUE)
    rows = []
    for category, count, label in zip(categories, counts, labels, strict=True):
        width = 0.0 if upper <= 0 else min(100.0, 100.0 * count / upper)
        rows.append(
            '<li style="margin:0 0 0.45rem">'
            f'<div style="font-size:0.9rem">{category}'
            + (f' <span style="white-space:nowrap">· <b>{label}</b></span>' if label else "")
            + "</div>"
            f'<div style="background:#F3F2F1;height:16px"><div style="background:{colour};'
            f'height:16px;width:{width:.1f}%"></div></div></li>'
        )
    title = str(layout.title.text or "")
    axis = str(layout.xaxis.title.text or "") if layout.xaxis.title else ""
    heading = (
        '<p class="landscape-picture-title" style="font-size:1rem;font-weight:bold;'
        'margin:0 0 0.4rem">'
        f"{' '.join(_lines(title))}</p>"
        if title
        else ""
    )
    note = (
        f'<p style="font-size:0.8rem;color:#505A5F;margin:0.2rem 0 0">Bar length: '
        f"{' '.join(_lines(axis))}, from 0 to {upper:,.0f}</p>"
        if axis
        else ""
    )
    markup = (
        f'<div class="landscape-picture landscape-bars" role="img" aria-label="'
        f'{html.escape(_plain(title) or "Bar chart")}" style="max-width:46rem">{heading}'
        f'<ul style="list-style:none;padding:0;margin:0">{"".join(rows)}</ul>{note}</div>'
    )
    return Picture(markup=markup, title=_plain(title), key=(), kind="bar chart")
