"""A first mapping for a survey-tool export, by matching its headers and answers to the schema.

Each column's header is compared with the fields' names, headings and descriptions, and its
answers with the fields' options (an area column holds force areas; a list column holds its
options). What matches well is mapped; what does not, or was guessed, is listed in `todo` (and as
a comment), and `landscape import` refuses the mapping until a person has decided each one.
Nothing is mapped on a guess without saying so.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from landscape.areas import area_code
from landscape.intake.cells import InvalidValue, as_text, choice_key, nearest_choice, parse
from landscape.intake.exports import header_match, split_answers, table_value
from landscape.intake.mapping import AREA_FIELDS, GROUP, PROGRAMME_FIELDS
from landscape.intake.workbook import ResponseTable
from landscape.schema import AREAS, NOT_ANSWERS, PROGRAMMES, Column, Kind, Sheet

TOOL_COLUMNS = frozenset(
    {
        "id",
        "response id",
        "respondent id",
        "collector id",
        "start time",
        "start date",
        "end date",
        "completion time",
        "last modified time",
        "timestamp",
        "submitted",
        "submission date",
        "email",
        "email address",
        "name",
        "ip address",
        "language",
        "user agent",
        "status",
        "progress",
        "duration (in seconds)",
        "recorded date",
    }
)
"""Columns survey tools add about the response itself, not answers: ignored."""

SEPARATORS = (";", ",", "\n", "|")
MIN_SCORE = 0.34
"""Below this a header and a field have too little in common to map without a person."""

_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "by",
        "do",
        "does",
        "each",
        "for",
        "from",
        "how",
        "if",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "their",
        "there",
        "these",
        "this",
        "to",
        "us",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "with",
        "you",
        "your",
        "programme",
        "programmes",
    ]
)


def _words(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", choice_key(text).replace("_", " "))
    return {w.rstrip("s") for w in words if w not in _STOP and not w.isdigit()}


def _field_words(column: Column) -> set[str]:
    return _words(f"{column.name} {column.heading}") | _words(column.description)


def header_score(header: str, column: Column) -> float:
    """How well a question's wording matches a field: shared words, and the wording's likeness
    to the field's heading."""
    heard, named = _words(header), _words(f"{column.name} {column.heading}")
    if not heard:
        return 0.0
    overlap = len(heard & _field_words(column)) / len(heard)
    names = len(heard & named) / max(len(named), 1)
    likeness = difflib.SequenceMatcher(None, choice_key(header), choice_key(column.heading)).ratio()
    return 0.45 * overlap + 0.35 * names + 0.2 * likeness


def value_score(values: list[Any], column: Column, separator: str) -> float:
    """The share of a column's answers that read as this field's values (0 when it has none)."""
    if not values:
        return 0.0
    if column.kind is Kind.AREA:
        return sum(area_code(as_text(v)) is not None for v in values) / len(values)
    if column.kind in (Kind.CHOICE, Kind.CHOICES):
        tokens = [t for v in values for t in _tokens(v, column, separator)]
        return sum(_reads(column, t) or _yes_or_no(column, t) is not None for t in tokens) / max(
            len(tokens), 1
        )
    if column.kind is Kind.TEXT:
        return 0.0
    return sum(_reads(column, v) for v in values) / len(values) * 0.5


def _tokens(value: Any, column: Column, separator: str) -> list[str]:
    if column.kind is Kind.CHOICES and isinstance(value, str):
        return split_answers(value, separator, list(column.allowed))
    return [as_text(value)]


def _yes_or_no(column: Column, token: str) -> str | None:
    """ "yes" or "no" for a yes/no field's answer worded "Yes, we do" or "No, not yet"."""
    first_word = re.split(r"[^a-z]+", choice_key(token))[0]
    if {"Yes", "No"} <= set(column.allowed) and first_word in ("yes", "no"):
        return first_word
    return None


def _reads(column: Column, value: Any) -> bool:
    try:
        parse(column, value)
    except InvalidValue:
        return False
    return True


def _detect_separator(table: ResponseTable) -> str:
    """The separator whose splitting makes most answers options of some list field."""
    lists = [c for s in (AREAS, PROGRAMMES) for c in s.columns if c.kind is Kind.CHOICES]
    values = [v for row in table.rows for v in row.values if isinstance(v, str)]

    def matched(separator: str) -> int:
        found = 0
        for value in values:
            if separator not in value:
                continue
            pieces = [p for p in value.split(separator) if p.strip()]
            found += sum(any(_reads(c, p) for c in lists) for p in pieces)
        return found

    return max(SEPARATORS, key=lambda s: (matched(s), s == ";"))


def _groups(table: ResponseTable) -> dict[int, str]:
    """Header position -> its template ("Programme {n}: name") for headers that repeat with a
    group number."""
    templates: dict[str, set[int]] = {}
    found: dict[int, list[tuple[str, int]]] = {}
    for position, header in enumerate(table.header):
        if header is None:
            continue
        for match in re.finditer(r"(?<![\d\u2013-])\d{1,2}(?![\d\u2013-])", header):
            template = header[: match.start()] + GROUP + header[match.end() :]
            templates.setdefault(template, set()).add(int(match.group()))
            found.setdefault(position, []).append((template, int(match.group())))
    repeated = {t for t, numbers in templates.items() if len(numbers) >= 2}
    return {
        position: next(t for t, _ in options if t in repeated)
        for position, options in found.items()
        if any(t in repeated for t, _ in options)
    }


@dataclass
class Suggestion:
    separator: str
    areas: dict[str, str] = field(default_factory=dict)
    programmes: dict[str, str] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    yes: list[str] = field(default_factory=lambda: ["Yes"])
    no: list[str] = field(default_factory=lambda: ["No"])
    ignore: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def suggest(table: ResponseTable) -> Suggestion:
    separator = _detect_separator(table)
    found = Suggestion(separator)
    grouped = _groups(table)
    columns: dict[str, list[Any]] = {}
    area_headers: list[str] = []
    for position, header in enumerate(table.header):
        if header is None:
            continue
        values = [v for row in table.rows if (v := table_value(row, position)) is not None]
        if position in grouped:
            columns.setdefault(grouped[position], []).extend(values)
        elif header_match(header) in TOOL_COLUMNS:
            found.ignore.append(header)
        else:
            columns[header] = values
            area_headers.append(header)
    templates = list(dict.fromkeys(grouped.values()))
    found.areas = _assign(area_headers, AREAS, AREA_FIELDS, columns, separator)
    found.programmes = _assign(
        templates, PROGRAMMES, PROGRAMME_FIELDS, columns, separator, key=_without_group
    )
    used = {*found.areas.values(), *found.programmes.values()}
    for header in [*area_headers, *templates]:
        if header not in used and columns.get(header):
            found.unmatched.append(header)
            found.todo.append(
                f'column "{header}": no field matched; map it or list it under ignore'
            )
    for sheet, mapped, fields in (
        (AREAS, found.areas, AREA_FIELDS),
        (PROGRAMMES, found.programmes, PROGRAMME_FIELDS),
    ):
        for name in fields:
            column = sheet.column(name)
            if (column.required or column.required_if_responded) and name not in mapped:
                if sheet is PROGRAMMES and not found.programmes:
                    continue
                found.todo.append(
                    f"{sheet.name.lower()}.{name}: no column found; it must be mapped"
                )
        for name, header in mapped.items():
            _suggest_labels(found, sheet.column(name), columns.get(header, []))
    if not found.programmes:
        found.todo.append("programmes: no repeated programme columns found; map them if any")
    found.todo = list(dict.fromkeys(found.todo))
    return found


def _without_group(template: str) -> str:
    return template.replace(GROUP, "")


def _assign(
    headers: Iterable[str],
    sheet: Sheet,
    fields: Iterable[str],
    columns: dict[str, list[Any]],
    separator: str,
    key: Any = lambda h: h,
) -> dict[str, str]:
    candidates = []
    for header in headers:
        for name in fields:
            if name in NOT_ANSWERS - {"force_area", "programme_name"}:
                continue
            column = sheet.column(name)
            score = header_score(key(header), column)
            evidence = value_score(columns.get(header, []), column, separator)
            # the wording leads and answers that read as the field's values confirm it; where
            # the wording says little ("who is it for?") or the answers are areas, they decide
            telling = column.kind is Kind.AREA or not _words(key(header))
            candidates.append((score + (0.6 if telling else 0.3) * evidence, header, name))
    mapped: dict[str, str] = {}
    taken: set[str] = set()
    for score, header, name in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if score < MIN_SCORE or name in mapped or header in taken:
            continue
        mapped[name] = header
        taken.add(header)
    order = list(fields)
    return dict(sorted(mapped.items(), key=lambda item: order.index(item[0])))


def _suggest_labels(found: Suggestion, column: Column, values: list[Any]) -> None:
    if column.kind not in (Kind.CHOICE, Kind.CHOICES):
        return
    tokens = Counter(t for v in values for t in _tokens(v, column, found.separator))
    for token in tokens:
        if _reads(column, token) or token in found.yes or token in found.no:
            continue
        answer = _yes_or_no(column, token)
        if answer is not None:
            target = found.yes if answer == "yes" else found.no
            target.append(token)
            found.todo.append(f'yes/no: check that "{token}" means {target[0]}')
            continue
        guess = nearest_choice(token, column.allowed)
        if guess is None:
            guess = _by_words(token, column)
        if guess is None:
            found.todo.append(f'labels.{column.name}: "{token}" matches no option; add its label')
            continue
        found.labels.setdefault(column.name, {})[token] = guess
        found.todo.append(f'labels.{column.name}: check that "{token}" means "{guess}"')


def _by_words(token: str, column: Column) -> str | None:
    """The option sharing most words with an answer's wording, if any shares one."""
    words = _words(token)
    best = max(column.allowed, key=lambda o: len(words & _words(o)))
    return best if words & _words(best) else None


# --- as TOML --------------------------------------------------------------------------------


def _toml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def _array(items: Iterable[str]) -> str:
    return "[" + ", ".join(_toml(i) for i in items) + "]"


def mapping_toml(found: Suggestion, export_name: str) -> str:
    """The suggestion as a mapping file, its open questions as `todo` and as comments."""
    lines = [
        f"# A first mapping for {export_name}, written by `landscape import --suggest`.",
        "# Check every line; decide each item in todo, then delete it from the list.",
        "# Each key is explained in docs/importing.md.",
        'format = "landscape survey-tool mapping 1"',
        f"separator = {_toml(found.separator)}",
        f"yes = {_array(found.yes)}",
        f"no = {_array(found.no)}",
        f"ignore = {_array(found.ignore)}",
        "todo = [",
        *(f"    {_toml(item)}," for item in found.todo),
        "]",
        "",
        "[areas]",
        *(f"{name} = {_toml(header)}" for name, header in found.areas.items()),
        *(f"# ? = {_toml(h)}  (not matched)" for h in found.unmatched if GROUP not in h),
        "",
        "[programmes]",
        *(f"{name} = {_toml(header)}" for name, header in found.programmes.items()),
        *(f"# ? = {_toml(h)}  (not matched)" for h in found.unmatched if GROUP in h),
    ]
    for name, labels in found.labels.items():
        lines += ["", f"[labels.{name}]  # guessed: check each"]
        lines += [f"{_toml(written)} = {_toml(option)}" for written, option in labels.items()]
    return "\n".join(lines) + "\n"
