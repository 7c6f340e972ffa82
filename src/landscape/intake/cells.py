"""One cell's value: its canonical python value for its column, or what is wrong with it.

Lenient where people are inconsistent (case, spacing, curly quotes and dashes of choices; Y, N and
TRUE/FALSE for Yes and No; "3" or 3.0 for a whole number; "£15,000"; dates as Excel dates, Excel
date serials or text) and strict where a value could not be stored faithfully or could mean two
things ("67.000", "12,5", a year in a date column).
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from landscape.areas import area_code, match_area, plain_text
from landscape.schema import LIST_SEPARATOR, Column, Kind, split_choices
from landscape.survey import canonical_choices

# --- reading cell values ------------------------------------------------------------------------


class InvalidValue(ValueError):
    """A cell value that does not fit its column."""


def choice_key(text: str) -> str:
    """A choice as matched: typography made plain, spacing and case ignored."""
    return " ".join(plain_text(str(text)).split()).casefold()


YES_NO_FORMS = {"y": "Yes", "n": "No", "true": "Yes", "false": "No"}
"""Spreadsheet forms of yes and no (a TRUE/FALSE cell reads as "True"/"False"), for any column
whose choices include both Yes and No."""


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
    if isinstance(value, float) and not value.is_integer():
        raise InvalidValue(value)  # the cell may show 3.10 where it stores 3.1: see _number_in_text
    if isinstance(value, float) and math.isfinite(value):
        value = int(value)  # a General cell showing 67 may store 67.0
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
        text = plain_number_text(value.strip())
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


# Commas separate thousands, as UK spreadsheets write them ("15,000"); a comma elsewhere is a
# decimal comma ("12,5"), and a dot before exactly three digits ("67.000") is a decimal point in the
# UK but a thousands separator in much of Europe: both could mean two numbers, so both are refused.
_GROUPED_THOUSANDS = re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[-+]?\d*,\d+")
_DOT_THOUSANDS = re.compile(r"[-+]?[1-9]\d{0,2}(\.\d{3})+")


def ambiguous_number(text: str) -> tuple[str, str] | None:
    """Why a number written as text could mean two numbers, and what to write instead; None
    when it cannot."""
    text = re.sub(r"[£\s]", "", plain_text(text))
    if _DOT_THOUSANDS.fullmatch(text):
        whole = int(text.replace(".", ""))
        if text.count(".") == 1:
            point = float(text)
            return (
                f"could be {point:g} or {whole:,}: a dot before three digits is a decimal point "
                "in the UK but separates thousands in much of Europe",
                f"Enter {point:g} or {whole} (digits, and a point only for decimals)",
            )
        return (
            f"uses dots to separate thousands, as much of Europe does (it would be {whole:,})",
            f"Enter {whole} (digits, and a point only for decimals)",
        )
    if "," in text and not _GROUPED_THOUSANDS.fullmatch(text) and _DECIMAL_COMMA.fullmatch(text):
        decimal = text.replace(",", ".")
        return (
            f"has a decimal comma: it could be {decimal}, or a slip in a number such as 15,000 "
            "(commas here separate thousands)",
            f"Write decimals with a point ({decimal}) and thousands with commas in threes",
        )
    return None


def plain_number_text(text: str) -> str:
    """Digits, sign and decimal point only, or InvalidValue when the text could mean two numbers."""
    if ambiguous_number(text) is not None:
        raise InvalidValue(text)
    text = re.sub(r"[£\s]", "", plain_text(text))
    if "," in text and not _GROUPED_THOUSANDS.fullmatch(text):
        raise InvalidValue(text)
    return text.replace(",", "")


def parse_number(column: Column, value: Any) -> float:
    if isinstance(value, bool):
        raise InvalidValue(value)
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise InvalidValue(value)
        return _within_magnitude(float(value))
    if isinstance(value, str):
        return _within_magnitude(_float_or_invalid(plain_number_text(value)))
    raise InvalidValue(value)


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def parse_date(column: Column, value: Any) -> dt.date:
    date = _date_or_none(value)
    if date is None or not EARLIEST_DATE <= date <= LATEST_DATE:
        raise InvalidValue(value)
    return date


EXCEL_SERIALS = (dt.date(1990, 1, 1), LATEST_DATE)
"""Dates a bare number in a date column is read as (an Excel date pasted as a value, shown as
45017 in a General cell); a number outside them is more likely a slip than a date."""


def excel_serial_date(serial: int) -> dt.date | None:
    """The date an Excel (1900 date system) serial stands for; None for 0, negatives and 60.

    Excel counts 1900-01-01 as day 1 and, like Lotus 1-2-3, keeps a 29 February 1900 that never
    was (day 60): days before it count from 1899-12-31, days after it from 1899-12-30.
    """
    if serial < 1 or serial == 60:
        return None
    start = dt.date(1899, 12, 31) if serial < 60 else dt.date(1899, 12, 30)
    try:
        return start + dt.timedelta(days=serial)
    except OverflowError:
        return None


def serial_date(value: Any) -> dt.date | None:
    """The date of a whole-number cell in a date column, if it is a plausible Excel serial and
    not a year (2024 typed alone is a year, not 1905-07-16)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not math.isfinite(value) or not float(value).is_integer() or abs(value) > MAX_MAGNITUDE:
        return None
    date = excel_serial_date(int(value))
    if date is None or not EXCEL_SERIALS[0] <= date <= EXCEL_SERIALS[1]:
        return None
    return date


def _date_or_none(value: Any) -> dt.date | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return serial_date(value)
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
    allowed = {choice_key(alias): option for alias, option in column.aliases.items()}
    allowed.update({choice_key(old): new for old, new in column.former.items()})
    allowed.update({choice_key(a): a for a in column.allowed})
    if {"Yes", "No"} <= set(column.allowed):
        allowed.update({form: answer for form, answer in YES_NO_FORMS.items()})
    return allowed


NORMALISATIONS: tuple[tuple[str, str], ...] = (
    ("Case", '"home office FUND 2023-25" is "Home Office fund 2023-25"'),
    (
        "Spaces",
        "spaces before and after a value or a list member are dropped, several spaces read as "
        "one, and non-breaking, narrow and other typographic spaces as plain spaces",
    ),
    (
        "Dashes",
        "en and em dashes, non-breaking hyphens and minus signs (\u2013 \u2014 \u2011 \u2212) "
        "read as a plain hyphen",
    ),
    ("Quotes", "curly quotes and primes read as plain ' and \""),
    (
        "Invisible characters",
        "zero-width spaces, soft hyphens and byte-order marks are dropped",
    ),
    (
        "Yes and no",
        "Y, N, TRUE and FALSE read as Yes and No in a column whose options include both",
    ),
    (
        "Declared aliases",
        "the other spellings the schema declares for an option (CHOICE_ALIASES), and no others",
    ),
)
"""Every change a choice answer may undergo on its way in, in words (the data dictionary and
docs/importing.md list them): no other change is made, and a value they do not make an option is
refused by cell. Free text is kept exactly as written."""


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
    code = area_code(as_text(value))
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


NEGATIONS = frozenset(
    {"no", "not", "non", "none", "never", "without", "nothing", "nope", "nah", "n", "didnt"}
    | {"dont", "doesnt", "isnt", "wasnt", "cannot", "cant", "neither", "nor", "nil"}
)
"""Words that turn an answer into its opposite: a suggestion must say no where the writing does."""


def negated(text: str) -> bool:
    return any(
        word in NEGATIONS for word in re.split(r"[^a-z]+", choice_key(text).replace("'", ""))
    )


def nearest_choice(text: str, options: Sequence[str]) -> str | None:
    """The allowed value closest to `text` that does not say the opposite ("No response" is never
    offered "Responded"; "Not yes" never "Yes")."""
    keys = {choice_key(o): o for o in options if negated(o) == negated(text)}
    close = difflib.get_close_matches(choice_key(text), list(keys), n=1, cutoff=0.6)
    return keys[close[0]] if close else None


def _lookalikes(written: str) -> str:
    """The characters in `written` that look like plain ones but are not (e.g. a Cyrillic a)."""
    odd = [c for c in dict.fromkeys(plain_text(written)) if not c.isascii() and c.isprintable()]
    if not odd:
        return ""
    named = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}" for c in odd)
    return f"; it contains {named}, which may look like a plain character: retype it"


def _use_one_of(column: Column, written: str) -> str:
    hint = ""
    nearest = nearest_choice(written, column.allowed)
    if nearest is not None:
        hint = f' (did you mean "{nearest}"?)'
    return f"Use one of: {', '.join(column.allowed)}{hint}{_lookalikes(written)}"


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
    if column.kind in (Kind.INTEGER, Kind.NUMBER) and isinstance(value, str):
        ambiguity = ambiguous_number(value)
        if ambiguity is not None:
            why, fix = ambiguity
            return f"{shown} {why}", fix
    if column.kind is Kind.TEXT and isinstance(value, float) and not value.is_integer():
        return f"{shown} is stored as a number, so it may not be what the cell shows", (
            "Format the cell as Text and type the value again as it should read (a number "
            "cell shows 3.10 as 3.1)"
        )
    if column.kind is Kind.DATE and isinstance(value, (int, float)) and not isinstance(value, bool):
        return _describe_number_in_date(column, value)
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


def _describe_number_in_date(column: Column, value: float) -> tuple[str, str]:
    shown = quoted(value)
    fix = f"Enter the date itself, as YYYY-MM-DD or DD/MM/YYYY{_blank_allowed(column)}"
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        return f"{shown} is a number, not a date", fix
    if float(value).is_integer() and EARLIEST_DATE.year <= value <= LATEST_DATE.year:
        return f"{shown} is a year, not a date", (
            f"Enter the full date, e.g. {int(value)}-04-01, as YYYY-MM-DD or DD/MM/YYYY"
        )
    if not float(value).is_integer():
        date = excel_serial_date(int(value))
        as_date = f" (the Excel date and time of {date.isoformat()})" if date else ""
        return f"{shown} is a number with a fraction{as_date}, not a date alone", fix
    date = excel_serial_date(int(value))
    read = f"; as an Excel date it would be {date.isoformat()}" if date else ""
    return f"{shown} is a number, not a date{read}, which is unlikely for {column.name}", fix


def _or_list(options: Sequence[str]) -> str:
    quoted = [f'"{o}"' for o in options]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _too_large(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    number = value
    if isinstance(value, str):
        try:
            number = float(re.sub(r"[£,\s]", "", plain_text(value)))
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
