"""Small judgements about one value that every layer makes the same way: is it blank, how is a
share printed, how is a count of things said.

Declared once so that validation, the model, the change preview and the command line cannot drift
apart (a blank that one stage counts and another skips would move a published figure).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd


def is_blank(value: Any) -> bool:
    """No answer: None, NaN, pd.NA, NaT, an empty or whitespace-only string, an empty collection.

    Whitespace counts as blank because the workbook reader already reads a cell of spaces as empty;
    0, False and "None" (a written answer) are not blank.
    """
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (tuple, list, set, frozenset)):
        return len(value) == 0
    # is_scalar first: pd.isna of an array is an array, not an answer about one value
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def rounded_percent(numerator: float, denominator: float | None) -> int | None:
    """numerator / denominator as a whole-number percentage, as the APCC report prints it.

    Rounded half-up (half away from zero): 12.5 -> 13, 52.5 -> 53, 0.5 -> 1. None when the
    denominator is 0 or blank, or the numerator is blank: there is no share of nothing. Decimal
    arithmetic on each number's shortest text (str, which numpy numbers also give plainly) so that
    an exact 52.5 is not rounded down from 52.4999... in binary.
    """
    if is_blank(denominator) or not denominator or is_blank(numerator):
        return None
    exact = Decimal(str(numerator)) * 100 / Decimal(str(denominator))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_text(numerator: float, denominator: float | None) -> str | None:
    """A share as every page, chart, hover and download prints it: rounded_percent with "%",
    except that a share that is neither none nor all never reads as either: "<1%" for a
    non-zero share under 0.5%, ">99%" for one short of the whole that would round to 100%.
    None where rounded_percent is None (no share of nothing)."""
    percent = rounded_percent(numerator, denominator)
    if percent is None:
        return None
    if percent == 0 and float(numerator) > 0:
        return "<1%"
    if percent == 100 and float(numerator) < float(denominator or 0):
        return ">99%"
    return f"{percent}%"


def number_text(value: float) -> str:
    """A count as people read it: "1,234" for a whole number, "12.5" (one decimal) otherwise."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"


def counted(n: int, one: str, many: str) -> str:
    """ "1 area added", "3 areas added": the count with the noun phrase that agrees with it."""
    return f"{n} {one if n == 1 else many}"


def joined_text(value: Any) -> str:
    """A cell for display: several answers joined with "; ", a blank as ""."""
    if isinstance(value, (tuple, list)):
        return "; ".join(str(v) for v in value)
    return "" if is_blank(value) else str(value)
