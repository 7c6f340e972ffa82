"""How a sheet is laid out, as people really leave it: titles above the headers, merges across
columns, formulas or stray values dragged down over rows meant to be empty.

Each is one problem for the whole sheet, naming the rows or cells to change, instead of one problem
per cell; no value is dropped without a word.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from landscape.errors import Problem
from landscape.intake.workbook import CellError, Formula, RawRow, RawSheet, column_letter
from landscape.schema import Sheet

MAX_TITLE_CELLS = 2
"""A title row holds a title and perhaps a date; a row above the headers with more is data."""
MAX_STRAY_VALUES = 2
"""A row without its key holding this few values is debris (a value dragged down), not an answer."""


def row_ranges(rows: Iterable[int]) -> str:
    """Row numbers as a person reads them: "6-100, 104"."""
    ordered = sorted(set(rows))
    runs: list[tuple[int, int]] = []
    for row in ordered:
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _filled(row: RawRow) -> list[object]:
    return [v for v in row.values if v is not None]


def above_header_problem(sheet: Sheet, raw: RawSheet) -> Problem | None:
    """The rows above the headers, when they hold more than a title: one problem saying to
    delete them (a title alone is read past)."""
    crowded = [row.number for row in raw.above_header if len(_filled(row)) > MAX_TITLE_CELLS]
    if not crowded:
        return None
    rows = row_ranges(crowded)
    return Problem(
        sheet.name,
        None,
        None,
        f"Row {rows} above the headers (row {raw.header_row}) of the {sheet.name} sheet holds "
        "values, which are not read as answers",
        f"Delete row {rows} so that the headers are in row 1, or move its values into the rows "
        "below the headers",
    )


def no_headers_problem(sheet: Sheet, raw: RawSheet) -> Problem:
    """One problem when none of the sheet's headers was found (not one per missing column)."""
    return Problem(
        sheet.name,
        None,
        None,
        f"None of the {sheet.name} sheet's column headers was found in its first rows",
        f"Put the headers in row 1 as in the template ({', '.join(sheet.column_names[:3])}, ...) "
        "and delete any title rows above them, or copy your answers into the downloadable "
        "template",
    )


def merged_across_problems(sheet: Sheet, raw: RawSheet) -> list[Problem]:
    return [
        Problem(
            sheet.name,
            merge.split(":")[0],
            None,
            f"Cells {merge} are merged across columns, so no one column owns the value they show",
            "Unmerge them (Merge & Centre > Unmerge Cells) and put each answer in its own column",
        )
        for merge in raw.merged_across
    ]


@dataclass(frozen=True)
class StrayRows:
    rows: tuple[int, ...]
    problem: Problem


def stray_rows(sheet: Sheet, raw: RawSheet, positions: Mapping[str, int]) -> StrayRows | None:
    """Rows without the sheet's key that hold only formulas (showing nothing) or a stray value
    or two dragged down: one problem naming them all, instead of a dozen per row."""
    key_positions = [positions[name] for name in sheet.key if name in positions]
    if len(key_positions) != len(sheet.key):
        return None
    stray = [row for row in raw.rows if _is_stray(row, raw, key_positions)]
    if not stray:
        return None
    rows = tuple(row.number for row in stray)
    listed = row_ranges(rows)
    noun = "Row" if len(rows) == 1 else "Rows"
    key = " or ".join(sheet.key)
    return StrayRows(
        rows,
        Problem(
            sheet.name,
            None,
            None,
            f"{noun} {listed} of the {sheet.name} sheet {'has' if len(rows) == 1 else 'have'} "
            f"no {key}, only {_what(stray)}",
            f"Delete {noun.lower()} {listed} (select {'it' if len(rows) == 1 else 'them'}, "
            f"right-click, Delete); if one is an answer, fill in its {key}",
        ),
    )


def _is_stray(row: RawRow, raw: RawSheet, key_positions: Sequence[int]) -> bool:
    # A key that is only a formula (=IF(A6="","",...)) may show nothing: no key a person typed.
    if any(_typed(raw.value(row, p)) for p in key_positions):
        return False
    filled = _filled(row)
    values = [v for v in filled if not isinstance(v, (Formula, CellError))]
    return bool(filled) and len(values) <= MAX_STRAY_VALUES


def _typed(value: object) -> bool:
    return value is not None and not isinstance(value, (Formula, CellError))


def _what(stray: Sequence[RawRow]) -> str:
    cells = [(p, v) for row in stray for p, v in enumerate(row.values) if v is not None]
    formulas = [(p, v) for p, v in cells if isinstance(v, (Formula, CellError))]
    values = [(p, v) for p, v in cells if not isinstance(v, (Formula, CellError))]
    parts = []
    if formulas:
        position, formula = formulas[0]
        text = formula.text if isinstance(formula, Formula) else formula.code
        parts.append(
            f"formulas that show nothing or little (e.g. {text} in column "
            f"{column_letter(position)})"
        )
    if values:
        position, value = values[0]
        parts.append(f'a stray value or two (e.g. "{value}" in column {column_letter(position)})')
    return " and ".join(parts)


def without_rows(raw: RawSheet, rows: Iterable[int]) -> RawSheet:
    dropped = set(rows)
    return replace(raw, rows=tuple(r for r in raw.rows if r.number not in dropped))
