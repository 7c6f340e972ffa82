"""Validation: a raw workbook becomes a typed `Survey`, or `SurveyInvalid` listing every problem.

Column-level checks (required, type, allowed values, minimum, uniqueness of the sheet key) are a
pandera schema built from the survey schema declaration; its failure cases are turned into
problems addressed by Excel cell. Rules across fields and sheets are checked by `intake.rules`,
one check per rule declared in `Sheet.rules`. A cell gets at most one problem: the first found, in
the order formula, column check, uniqueness, rule.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from landscape.areas import display_name
from landscape.errors import LandscapeError, Problem
from landscape.intake.cells import (
    as_text,
    at_least_minimum,
    choice_key,
    describe_check_failure,
    parse,
    parses,
)
from landscape.intake.provenance import check_provenance_sheet, provenance_records
from landscape.intake.rules import programme_areas_responded, sheet_checks
from landscape.intake.runs import merge_runs
from landscape.intake.sheet_layout import (
    above_header_problem,
    merged_across_problems,
    no_headers_problem,
    stray_rows,
    without_rows,
)
from landscape.intake.workbook import (
    CellError,
    Formula,
    RawSheet,
    RawWorkbook,
    UnreadableFile,
    column_letter,
    header_key,
    read_csvs,
    read_xlsx,
    schema_sheet_name,
)
from landscape.schema import AREAS, PROGRAMMES, PROVENANCE, SHEETS, Column, Sheet
from landscape.survey import Survey
from landscape.values import counted

logger = logging.getLogger(__name__)

# --- the problem report -------------------------------------------------------------------------


class SurveyInvalid(LandscapeError):
    """The upload is not a valid survey; `problems` lists every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        found = list(problems)
        super().__init__(
            f"{counted(len(found), 'problem', 'problems')} found in the survey upload",
            fix="Correct each problem at the cell it names, save the file and upload it again.",
            problems=found,
        )


def problems_frame(problems: Sequence[Problem]) -> pd.DataFrame:
    """The problem list as a table for download."""
    return pd.DataFrame(
        [
            {
                "location": p.location,
                "sheet": p.sheet,
                "cell": p.cell,
                "value": p.value,
                "problem": p.message,
                "what_to_do": p.fix,
            }
            for p in problems
        ],
        columns=["location", "sheet", "cell", "value", "problem", "what_to_do"],
    )


# --- entry points -------------------------------------------------------------------------------


def load_survey(data: bytes, filename: str) -> Survey:
    """Read and validate an .xlsx upload; raise SurveyInvalid with every problem found."""
    if PurePath(filename).suffix.lower() == ".csv":
        return load_survey_csvs({PurePath(filename).name: data})
    return guarded(lambda: validate_workbook(read_xlsx(data, filename)))


def load_survey_csvs(files: Mapping[str, bytes]) -> Survey:
    """Read and validate one CSV per sheet, keyed by file name such as "Programmes.csv"."""
    return guarded(lambda: validate_workbook(read_csvs(files)))


def guarded(load: Callable[[], Survey]) -> Survey:
    """Whatever goes wrong, the caller gets a Survey or SurveyInvalid, never a traceback."""
    try:
        return load()
    except SurveyInvalid:
        raise
    except UnreadableFile as error:
        raise SurveyInvalid([Problem(None, None, None, error.message, error.fix)]) from None
    except Exception as error:  # a defect here must not reach the person uploading
        logger.exception("unexpected error while validating a survey upload")
        raise SurveyInvalid(
            [
                Problem(
                    None,
                    None,
                    None,
                    f"The file could not be checked because of an unexpected error "
                    f"({type(error).__name__})",
                    "Nothing was stored. Please send the file to the dashboard's maintainers",
                )
            ]
        ) from error


def validate_workbook(raw: RawWorkbook) -> Survey:
    """Every sheet checked in full, then across sheets; a Survey only when nothing is wrong."""
    checked = check_workbook(raw)
    if checked.problems:
        raise SurveyInvalid(merge_runs(sort_problems(checked.problems)))
    assert checked.survey is not None
    return checked.survey


@dataclass(frozen=True)
class CheckedWorkbook:
    """Every problem found, one per cell (runs not yet merged), or the survey when none is."""

    problems: list[Problem]
    survey: Survey | None


def check_workbook(raw: RawWorkbook) -> CheckedWorkbook:
    """What `validate_workbook` finds, before runs of one cause are merged: for callers that
    place each problem elsewhere first (a survey-tool export names its own cells)."""
    problems: list[Problem] = []
    contexts: dict[str, SheetContext] = {}
    for sheet in SHEETS:
        found = raw.sheets.get(sheet.name)
        if found is None:
            problems.append(_missing_sheet(sheet, raw))
            continue
        problems.extend(_same_named_sheets(sheet, raw))
        context = SheetContext.check(sheet, found)
        contexts[sheet.name] = context
    if AREAS.name in contexts and PROGRAMMES.name in contexts:
        programme_areas_responded(contexts[AREAS.name], contexts[PROGRAMMES.name])
    provenance = None
    if PROVENANCE.name in raw.sheets:  # optional: without it every value is Reported
        problems.extend(_same_named_sheets(PROVENANCE, raw))
        provenance = check_provenance_sheet(
            raw.sheets[PROVENANCE.name], contexts.get(AREAS.name), contexts.get(PROGRAMMES.name)
        )
        contexts[PROVENANCE.name] = provenance
    for context in contexts.values():
        problems.extend(context.problems)
    if problems:
        return CheckedWorkbook(problems, None)
    survey = Survey.from_records(
        contexts[AREAS.name].records(),
        contexts[PROGRAMMES.name].records(),
        provenance_records(provenance),
    )
    return CheckedWorkbook([], survey)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    order = {sheet.name: i for i, sheet in enumerate(SHEETS)}

    def key(problem: Problem) -> tuple[int, int, int, str]:
        if problem.sheet is None:
            return (-1, 0, 0, problem.message)
        row, column = _cell_coordinates(problem.cell)
        return (order.get(problem.sheet, len(order)), row, column, problem.message)

    return sorted(dict.fromkeys(problems), key=key)


def _cell_coordinates(cell: str | None) -> tuple[int, int]:
    if not cell:
        return (0, 0)
    match = re.fullmatch(r"([A-Z]+)(\d+)", cell.split(":")[0])  # a range sorts by its first cell
    if not match:
        return (0, 0)
    letters, digits = match.groups()
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - ord("A") + 1
    return (int(digits), column)


def _same_named_sheets(sheet: Sheet, raw: RawWorkbook) -> list[Problem]:
    names = [n for n in raw.found if schema_sheet_name(PurePath(n).stem) == sheet.name]
    if len(names) < 2:
        return []
    what = "files" if raw.kind == "csv" else "sheets"
    listed = ", ".join(f'"{n}"' for n in names)
    return [
        Problem(
            sheet.name,
            None,
            None,
            f"There are {len(names)} {what} for the {sheet.name} sheet ({listed})",
            f'Keep one, named "{sheet.name}", and remove or rename the others',
        )
    ]


def _missing_sheet(sheet: Sheet, raw: RawWorkbook) -> Problem:
    expected = ", ".join(s.name for s in SHEETS)
    found = ", ".join(raw.found) or "nothing"
    if raw.kind == "csv":
        files = " and ".join(f"{s.name}.csv" for s in SHEETS)
        return Problem(
            sheet.name,
            None,
            None,
            f"There is no CSV file for the {sheet.name} sheet (received: {found})",
            f"Provide one CSV file per sheet, named {files}.",
        )
    return Problem(
        sheet.name,
        None,
        None,
        f"The workbook has no sheet named {sheet.name} (its sheets: {found})",
        f"The survey needs the sheets {expected}: rename the sheet, or copy your answers "
        "into the downloadable template.",
    )


# --- one sheet ----------------------------------------------------------------------------------


def column_checks(column: Column) -> list[pa.Check]:
    """The element checks pandera runs for a column; names feed `describe_check_failure`."""
    checks = [pa.Check(lambda v, c=column: parses(c, v), element_wise=True, name=column.kind.name)]
    if column.minimum is not None:
        checks.append(
            pa.Check(lambda v, c=column: at_least_minimum(c, v), element_wise=True, name="minimum")
        )
    return checks


def column_schema(sheet: Sheet, present: Iterable[str]) -> pa.DataFrameSchema:
    """pandera schema for the raw (unparsed) values of a sheet's present columns."""
    return pa.DataFrameSchema(
        {
            name: pa.Column(
                None,
                checks=column_checks(sheet.column(name)),
                nullable=not sheet.column(name).required,
                required=True,
            )
            for name in present
        },
        coerce=False,
    )


MAX_PROBLEMS_LISTED = 100
"""Problems described per sheet: past this a person needs to fix what is listed, not read more,
and describing every cell of a sheet of junk would take minutes."""


@dataclass
class SheetContext:
    """One sheet's raw values, its parsed values and the problems found so far."""

    sheet: Sheet
    raw: RawSheet
    positions: dict[str, int] = field(default_factory=dict)
    values: pd.DataFrame = field(default_factory=pd.DataFrame)
    parsed: pd.DataFrame = field(default_factory=pd.DataFrame)
    problems: list[Problem] = field(default_factory=list)
    flagged: set[tuple[int, str]] = field(default_factory=set)
    _records: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    @classmethod
    def check(cls, sheet: Sheet, raw: RawSheet) -> SheetContext:
        context = cls(sheet, raw)
        context.check_layout()
        context.match_headers()
        if raw.rows and not context.positions:
            return context  # no header found: one problem says so, not one per cell
        stray = stray_rows(sheet, raw, context.positions)
        if stray is not None:
            context.problems.append(stray.problem)
            context.raw = without_rows(raw, stray.rows)
            if not context.raw.rows:
                return context
        if not raw.rows:
            context.add_sheet_problem(
                f"The {sheet.name} sheet has no data rows",
                f"Fill in {sheet.description[0].lower()}{sheet.description[1:]}",
            )
            return context
        context.read_values()
        context.run_column_checks()
        if len(context.problems) > MAX_PROBLEMS_LISTED:
            return context  # the rest would be read from values already refused
        context.parse_values()
        context.check_key_unique()
        for check in sheet_checks(sheet):
            check(context)
        return context

    # problems

    def cell(self, row: int, column: str) -> str:
        return f"{column_letter(self.positions[column])}{row}"

    def add(
        self, row: int, column: str, value: Any, message: str, fix: str, cause: str = ""
    ) -> None:
        if (row, column) in self.flagged:
            return
        self.flagged.add((row, column))
        shown = None if value is None else as_text(value)
        self.problems.append(
            Problem(self.sheet.name, self.cell(row, column), shown, message, fix, cause)
        )

    def add_sheet_problem(
        self, message: str, fix: str, cell: str | None = None, value: str | None = None
    ) -> None:
        self.problems.append(Problem(self.sheet.name, cell, value, message, fix))

    # layout and headers

    def check_layout(self) -> None:
        """Rows above the headers holding more than a title, and merges across columns."""
        above = above_header_problem(self.sheet, self.raw)
        self.problems.extend([above] if above else [])
        self.problems.extend(merged_across_problems(self.sheet, self.raw))

    def header_cell(self, position: int) -> str:
        return f"{column_letter(position)}{self.raw.header_row}"

    def match_headers(self) -> None:
        keys = {name: header_key(name) for name in self.sheet.column_names}
        if not any(header_key(h) in keys.values() for h in self.raw.header if h is not None):
            if any(h is not None for h in self.raw.header) or self.raw.rows:
                self.problems.append(no_headers_problem(self.sheet, self.raw))
            return
        unclaimed: dict[int, str] = {}
        for position, header in enumerate(self.raw.header):
            if header is None:
                continue
            name = next((n for n, k in keys.items() if k == header_key(header)), None)
            if name is None:
                unclaimed[position] = header
            elif name in self.positions:
                first = column_letter(self.positions[name])
                self.add_sheet_problem(
                    f'The column "{header}" appears twice (first in column {first})',
                    "Delete one of the two columns, keeping the right answers.",
                    cell=self.header_cell(position),
                    value=header,
                )
            else:
                self.positions[name] = position
        self._missing_columns(unclaimed)
        for position, header in unclaimed.items():
            self.add_sheet_problem(
                f'"{header}" is not a column of the {self.sheet.name} sheet',
                "Remove this column, or rename it to the header it stands for "
                f"({', '.join(self.sheet.column_names)}).",
                cell=self.header_cell(position),
                value=header,
            )
        self._unheaded_values()

    def _missing_columns(self, unclaimed: dict[int, str]) -> None:
        next_free = len(self.raw.header)
        for name in self.sheet.column_names:
            if name in self.positions:
                continue
            by_key = {header_key(h): p for p, h in unclaimed.items()}
            close = difflib.get_close_matches(header_key(name), list(by_key), n=1, cutoff=0.6)
            if close:
                position = by_key[close[0]]
                found = unclaimed.pop(position)
                self.add_sheet_problem(
                    f'The column "{name}" is missing; the nearest header found is "{found}"',
                    f'Rename the header "{found}" to "{name}".',
                    cell=self.header_cell(position),
                    value=found,
                )
            else:
                self.add_sheet_problem(
                    f'The column "{name}" is missing',
                    f'Add a column headed "{name}" ({self.sheet.column(name).description})',
                    cell=f"{column_letter(next_free)}1",
                )
                next_free += 1

    def _unheaded_values(self) -> None:
        for position, header in enumerate(self.raw.header):
            if header is None and any(
                self.raw.value(r, position) is not None for r in self.raw.rows
            ):
                self.add_sheet_problem(
                    f"Column {column_letter(position)} has values but no header",
                    f"Give the column its header in row {self.raw.header_row}, or delete the "
                    "values.",
                    cell=self.header_cell(position),
                )

    # values

    def read_values(self) -> None:
        index = [row.number for row in self.raw.rows]
        data: dict[str, list[Any]] = {}
        for name, position in self.positions.items():
            cells = []
            for row in self.raw.rows:
                value = self.raw.value(row, position)
                if isinstance(value, Formula):
                    self.add(
                        row.number,
                        name,
                        value.text,
                        f"The cell holds a formula ({value.text}), not a value",
                        "Paste values only: copy the cell, then Paste Special > Values.",
                        cause="formula",
                    )
                    value = None
                elif isinstance(value, CellError):
                    self.add(
                        row.number,
                        name,
                        value.code,
                        f"The cell shows the error {value.code}",
                        "Replace it with the value itself.",
                    )
                    value = None
                cells.append(value)
            data[name] = cells
        self.values = pd.DataFrame(data, index=index, dtype=object)

    def run_column_checks(self) -> None:
        try:
            column_schema(self.sheet, self.positions).validate(self.values, lazy=True)
        except SchemaErrors as errors:
            cases = errors.failure_cases
            for case in cases.itertuples(index=False):
                if len(self.problems) >= MAX_PROBLEMS_LISTED:  # describing each costs time
                    self.add_sheet_problem(
                        f"The {self.sheet.name} sheet has more problems than the "
                        f"{MAX_PROBLEMS_LISTED} listed",
                        "Correct these, then upload again to see the rest.",
                    )
                    return
                if case.column not in self.positions or pd.isna(case.index):
                    continue
                row = int(case.index)
                column = self.sheet.column(str(case.column))
                value = self.values.at[row, column.name]
                message, fix = describe_check_failure(column, str(case.check), value)
                self.add(row, column.name, value, message, fix)

    def parse_values(self) -> None:
        parsed: dict[str, list[Any]] = {}
        for name in self.positions:
            column = self.sheet.column(name)
            parsed[name] = [
                None if v is None or (row, name) in self.flagged else parse(column, v)
                for row, v in self.values[name].items()
            ]
        self.parsed = pd.DataFrame(parsed, index=self.values.index, dtype=object)
        self._records = [
            (int(row), {str(k): v for k, v in record.items()})
            for row, record in zip(self.parsed.index, self.parsed.to_dict("records"), strict=True)
        ]

    # the sheet key

    def check_key_unique(self) -> None:
        key = [name for name in self.sheet.key if name in self.positions]
        if len(key) != len(self.sheet.key):
            return
        keys = self.parsed[key].dropna()
        keys = keys.map(lambda v: choice_key(v) if isinstance(v, str) else v)
        schema = pa.DataFrameSchema(unique=key, report_duplicates="exclude_first")
        try:
            schema.validate(keys, lazy=True)
        except SchemaErrors as errors:
            rows = sorted({int(i) for i in errors.failure_cases["index"].dropna()})
            first_rows: dict[tuple[Any, ...], int] = {}
            for row, values in zip(keys.index, keys.itertuples(index=False), strict=True):
                first_rows.setdefault(tuple(values), int(row))
            for row in rows:
                self._duplicate_key(row, first_rows[tuple(keys.loc[row])], key)

    def _duplicate_key(self, row: int, first: int, key: list[str]) -> None:
        area = display_name(str(self.parsed.at[row, "force_area"]))
        if len(key) == 1:
            self.add(
                row,
                key[0],
                self.values.at[row, key[0]],
                f"{area} appears more than once; first at row {first}",
                f"Keep one row per force area: merge this row into row {first} and delete it.",
            )
            return
        last = key[-1]
        written = as_text(self.values.at[row, last])
        self.add(
            row,
            last,
            written,
            f'"{written}" is listed twice for {area}; first at row {first}',
            f"Keep one row per programme: merge this row into row {first} and delete it, "
            "or give the two programmes distinct names.",
        )

    # results

    def rows(self) -> list[tuple[int, dict[str, Any]]]:
        """(Excel row, parsed values by column name), in sheet order."""
        return self._records

    def records(self) -> list[dict[str, Any]]:
        out = []
        for _row, record in self.rows():
            record = dict(record)
            record["area_code"] = record.pop("force_area")
            out.append(record)
        return out
