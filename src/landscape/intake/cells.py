"""One cell's value: its canonical python value for its column, or what is wrong with it.

Lenient where people are inconsistent (case and spacing of choices, "3" or 3.0 for a whole number,
"£15,000", dates as Excel dates or text) and strict where a value could not be stored faithfully.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from landscape.areas import match_area
from landscape.schema import LIST_SEPARATOR, Column, Kind, split_choices
from landscape.survey import canonical_choices

# --- reading cell values ------------------------------------------------------------------------


class InvalidValue(ValueError):
    """A cell value that does not fit its column."""


def choice_key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def as_text(value: Any) -> str:
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


MAX_TEXT_LENGTH = 32_767
"""Excel's limit for one cell: longer text could not be written back to a workbook."""
MAX_MAGNITUDE = 1e12
"""No count or budget in a survey comes near this; larger values are typing slips."""
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)


def parse_text(column: Column, value: Any) -> str:
    text = as_text(value)
    if ILLEGAL_CHARACTERS_RE.search(text) or len(text) > MAX_TEXT_LENGTH:
        raise InvalidValue(value)  # could not be stored in, or written back to, a workbook
    return text


def parse_integer(column: Column, value: Any) -> int:
    if isinstance(value, bool):
        raise InvalidValue(value)
    if isinstance(value, int):
        return _within_magnitude(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        try:
            return _within_magnitude(int(text))
        except ValueError:
            value = _float_or_invalid(text)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return _within_magnitude(int(value))
    raise InvalidValue(value)


def _within_magnitude(number: Any) -> Any:
    if abs(number) > MAX_MAGNITUDE:
        raise InvalidValue(number)
    return number


def _float_or_invalid(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise InvalidValue(text) from None
    if not math.isfinite(number):
        raise InvalidValue(text)
    return number


def parse_number(column: Column, value: Any) -> float:
    if isinstance(value, bool):
        raise InvalidValue(value)
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise InvalidValue(value)
        return _within_magnitude(float(value))
    if isinstance(value, str):
        return _within_magnitude(_float_or_invalid(re.sub(r"[£,\s]", "", value)))
    raise InvalidValue(value)


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def parse_date(column: Column, value: Any) -> dt.date:
    date = _date_or_none(value)
    if date is None or not EARLIEST_DATE <= date <= LATEST_DATE:
        raise InvalidValue(value)
    return date


def _date_or_none(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        for date_format in DATE_FORMATS:
            try:
                return dt.datetime.strptime(value.strip(), date_format).date()
            except ValueError:
                continue
    return None


@cache
def _allowed_by_key(column: Column) -> dict[str, str]:
    return {choice_key(a): a for a in column.allowed}


def parse_choice(column: Column, value: Any) -> str:
    canonical = _allowed_by_key(column).get(choice_key(as_text(value)))
    if canonical is None:
        raise InvalidValue(value)
    return canonical


def bad_tokens(column: Column, value: Any) -> list[str]:
    allowed = _allowed_by_key(column)
    return [t for t in split_choices(as_text(value)) if choice_key(t) not in allowed]


def parse_choices(column: Column, value: Any) -> tuple[str, ...]:
    if bad_tokens(column, value):
        raise InvalidValue(value)
    tokens = split_choices(as_text(value))
    return canonical_choices(column, (parse_choice(column, t) for t in tokens))


def parse_area(column: Column, value: Any) -> str:
    code = match_area(as_text(value)).code
    if code is None:
        raise InvalidValue(value)
    return code


PARSERS: dict[Kind, Callable[[Column, Any], Any]] = {
    Kind.TEXT: parse_text,
    Kind.INTEGER: parse_integer,
    Kind.NUMBER: parse_number,
    Kind.DATE: parse_date,
    Kind.CHOICE: parse_choice,
    Kind.CHOICES: parse_choices,
    Kind.AREA: parse_area,
}


def parse(column: Column, value: Any) -> Any:
    """The canonical python value of a cell, or InvalidValue."""
    try:
        result = _parse_memo(column, type(value).__name__, value)
    except TypeError:  # unhashable: not memoised
        return PARSERS[column.kind](column, value)
    if result is _INVALID:
        raise InvalidValue(value)
    return result


_INVALID = object()


@lru_cache(maxsize=100_000)
def _parse_memo(column: Column, type_name: str, value: Any) -> Any:
    # Survey columns repeat the same few values; the type is in the key so 1, 1.0 and True differ.
    try:
        return PARSERS[column.kind](column, value)
    except InvalidValue:
        return _INVALID


def parses(column: Column, value: Any) -> bool:
    try:
        parse(column, value)
    except InvalidValue:
        return False
    return True


def at_least_minimum(column: Column, value: Any) -> bool:
    try:
        number = parse(column, value)
    except InvalidValue:
        return True  # reported as a type problem instead
    return column.minimum is None or number >= column.minimum


# --- messages -----------------------------------------------------------------------------------


def _label(column: Column) -> str:
    return column.name.replace("_", " ")


def quoted(value: Any) -> str:
    return f'"{as_text(value)}"'


def _nearest(text: str, options: Sequence[str]) -> str | None:
    keys = {choice_key(o): o for o in options}
    close = difflib.get_close_matches(choice_key(text), list(keys), n=1, cutoff=0.6)
    return keys[close[0]] if close else None


def _use_one_of(column: Column, written: str) -> str:
    hint = ""
    nearest = _nearest(written, column.allowed)
    if nearest is not None:
        hint = f' (did you mean "{nearest}"?)'
    return f"Use one of: {', '.join(column.allowed)}{hint}"


def _blank_allowed(column: Column) -> str:
    return "" if column.required or column.required_if_responded else ", or leave it blank"


def describe_check_failure(column: Column, check: str, value: Any) -> tuple[str, str]:
    """The message and fix for a failed column check, named as in `column_checks`."""
    if check == "not_nullable":
        return (
            f"{column.name} is blank, but every row needs one",
            f"Fill it in: {column.description}",
        )
    if check == "minimum":
        return (
            f"{quoted(value)} is below the minimum of {column.minimum:g} for {column.name}",
            f"Enter {column.minimum:g} or more{_blank_allowed(column)}",
        )
    return _describe_kind_failure(column, value)


def _describe_kind_failure(column: Column, value: Any) -> tuple[str, str]:
    shown = quoted(value)
    if column.kind in (Kind.INTEGER, Kind.NUMBER) and _too_large(value):
        return f"{shown} is too large for {column.name}", (
            f"Check the value: the limit is {MAX_MAGNITUDE:,.0f}"
        )
    if column.kind is Kind.DATE and _date_or_none(value) is not None:
        return f"{shown} is outside the years {EARLIEST_DATE.year} to {LATEST_DATE.year}", (
            "Check the year"
        )
    if column.kind is Kind.TEXT and len(as_text(value)) > MAX_TEXT_LENGTH:
        return f"The text is longer than Excel's limit of {MAX_TEXT_LENGTH:,} characters", (
            "Shorten it"
        )
    if column.kind is Kind.INTEGER:
        example = column.example or "3"
        return f"{shown} is not a whole number", (
            f"Enter a whole number such as {example}{_blank_allowed(column)}"
        )
    if column.kind is Kind.NUMBER:
        return f"{shown} is not a number", (
            f"Enter a number such as {column.example or '100'} (a £ sign and commas are "
            f"fine){_blank_allowed(column)}"
        )
    if column.kind is Kind.DATE:
        return f"{shown} is not a date", (
            f"Enter a date as YYYY-MM-DD (e.g. {column.example or '2025-03-31'}), DD/MM/YYYY "
            f"or as an Excel date{_blank_allowed(column)}"
        )
    if column.kind is Kind.CHOICE:
        return f"{shown} is not an allowed {_label(column)}", _use_one_of(column, as_text(value))
    if column.kind is Kind.CHOICES:
        return _describe_bad_tokens(column, value)
    if column.kind is Kind.AREA:
        suggestions = match_area(as_text(value)).suggestions
        hint = f" (did you mean {_or_list(suggestions)}?)" if suggestions else ""
        return (
            f"{shown} is not a police force area of England and Wales",
            f"Use the area's name, a common alias or its ONS code{hint}",
        )
    return (
        f"{shown} contains invisible control characters",
        "Retype the text without them (they often come from copying out of other systems)",
    )


def _or_list(options: Sequence[str]) -> str:
    quoted = [f'"{o}"' for o in options]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _too_large(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    number = value
    if isinstance(value, str):
        try:
            number = float(re.sub(r"[£,\s]", "", value))
        except ValueError:
            return False
    return (
        isinstance(number, (int, float)) and math.isfinite(number) and abs(number) > MAX_MAGNITUDE
    )


def _describe_bad_tokens(column: Column, value: Any) -> tuple[str, str]:
    tokens = bad_tokens(column, value)
    written = ", ".join(f'"{t}"' for t in tokens)
    noun = "is not one of the allowed" if len(tokens) == 1 else "are not among the allowed"
    fix = _use_one_of(column, tokens[0]) if len(tokens) == 1 else _use_one_of(column, "")
    if any("," in t and not bad_tokens(column, t.replace(",", LIST_SEPARATOR)) for t in tokens):
        fix = f'Separate several values with "{LIST_SEPARATOR}", not commas. {fix}'
    else:
        fix = f'{fix}; separate several values with "{LIST_SEPARATOR}"'
    return f"{written} {noun} {_label(column)}", fix
