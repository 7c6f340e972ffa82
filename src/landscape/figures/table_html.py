"""A table as plain HTML, for pages that must stay light (issue 20).

st.dataframe draws its grid with a canvas library the browser must fetch and run: 1.7 MB more on
the wire and about 220 ms of main-thread work on Lighthouse's mobile settings for the first table
on a page, even one inside a closed expander. A table here is markup with nothing to run: every
header and cell escaped, numbers right-aligned, the header row kept in view while a long table
scrolls inside its own box, and a wide table scrolling sideways inside that box rather than
widening the page on a phone. The downloads beside it carry the exact values.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Iterable

import numpy as np
import pandas as pd
from pandas.api import types

from landscape.text import printable

TABLE_CLASS = "landscape-table"
_DECIMALS = 4  # as st.dataframe shows a float; the downloads keep every digit


def table_markup(frame: pd.DataFrame, *, label: str, max_height_rem: float | None = None) -> str:
    """`frame` (headers already in words) as one line of HTML: a keyboard-scrollable region
    holding one table captioned with its row count. `label` names the region for a screen reader;
    `max_height_rem` bounds a long table's box (its header row stays in view as it scrolls)."""
    numeric = [_is_numeric(frame[column]) for column in frame.columns]
    header = "".join(
        f'<th scope="col"{_NUMERIC if is_number else ""}>{_escaped(column)}</th>'
        for column, is_number in zip(frame.columns, numeric, strict=True)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{_NUMERIC if is_number else ''}>{_escaped(cell_text(value))}</td>"
            for value, is_number in zip(row, numeric, strict=True)
        )
        + "</tr>"
        for row in frame.itertuples(index=False, name=None)
    )
    height = f"max-height:{max_height_rem:g}rem;" if max_height_rem else ""
    rows = len(frame)
    return (
        f'<div class="{TABLE_CLASS}" role="region" tabindex="0" '
        f'aria-label="{_escaped(label)}" style="{height}">'
        f"<table><caption>{rows} row{'' if rows == 1 else 's'}</caption>"
        f"<thead><tr>{header}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def cell_text(value: object) -> str:
    """A cell as a person reads it: blank for a missing value, Yes/No, whole numbers without a
    decimal point, other numbers to four decimals, lists one item after another; every other
    value as its text with control characters shown as escapes (landscape.text.printable)."""
    if _is_missing(value):
        return ""
    if isinstance(value, bool | np.bool_):
        return "Yes" if value else "No"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isinf(number):
            return "∞" if number > 0 else "−∞"
        if number.is_integer():
            return str(int(number))
        return f"{number:.{_DECIMALS}f}".rstrip("0").rstrip(".")
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset | np.ndarray):
        return "; ".join(cell_text(item) for item in _items(value))
    return printable(str(value))


_NUMERIC = ' class="num"'


def _is_numeric(column: pd.Series) -> bool:
    return bool(types.is_numeric_dtype(column) and not types.is_bool_dtype(column))


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and math.isnan(float(value))


def _items(value: Iterable[object]) -> list[object]:
    items = list(value)
    return sorted(items, key=str) if isinstance(value, set | frozenset) else items


def _escaped(text: object) -> str:
    return html.escape(str(text), quote=True)
