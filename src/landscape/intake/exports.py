"""Survey-tool exports in: one row per response, read through a mapping into a Survey.

The export's answers are laid out as the template's two sheets (Areas: one row per response;
Programmes: one row per filled programme column group) and validated by exactly the checks of any
upload; each problem is then placed back at the export's own cell, and runs of one cause merged,
so a person is told "Responses!H7", never a cell of a sheet they do not have. Nothing is changed on
the way but what the mapping declares (its labels and its yes and no) and the normalisations every
upload gets (`cells.NORMALISATIONS`).

An import is kept as one file, `<name>.import.zip`: the export as it was and the mapping beside
it, so the wave stores both (as it stores any upload's file) and the import can be repeated.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Any

import pandas as pd

from landscape.areas import display_name
from landscape.errors import Problem
from landscape.intake.cells import InvalidValue, as_text, choice_key, parse
from landscape.intake.mapping import GROUP, ImportMapping, read_mapping, response_status
from landscape.intake.runs import merge_runs
from landscape.intake.validate import (
    SurveyInvalid,
    check_workbook,
    guarded,
    sort_problems,
)
from landscape.intake.workbook import (
    MAX_FILE_BYTES,
    RawRow,
    RawSheet,
    RawWorkbook,
    ResponseTable,
    column_letter,
    read_response_table,
)
from landscape.schema import AREAS, LIST_SEPARATOR, PROGRAMMES, Column, Kind, Sheet
from landscape.survey import Survey
from landscape.values import joined_text

IMPORT_SUFFIX = ".import.zip"
MAPPING_ENTRY = "mapping.toml"
EXPORT_FOLDER = "export/"
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def header_match(text: str | None) -> str:
    """A header as matched: typography, spacing and case ignored (as for answers)."""
    return choice_key(text or "")


@dataclass(frozen=True)
class Place:
    """Where one value of the laid-out survey was read: the export's cell and its question."""

    cell: str
    question: str
    written: Any


@dataclass
class LaidOut:
    """The export as the template's sheets, and where each of their cells came from."""

    table: ResponseTable
    mapping: ImportMapping
    workbook: RawWorkbook
    places: dict[tuple[str, int, str], Place] = field(default_factory=dict)
    """(sheet, laid-out row, field) -> the export cell it was read from."""
    rows: dict[tuple[str, int], int] = field(default_factory=dict)
    """(sheet, laid-out row) -> the export's row."""
    area_cells: dict[int, str] = field(default_factory=dict)
    """Export row -> its force-area cell, for problems with no cell of their own."""
    problems: list[Problem] = field(default_factory=list)
    """What is wrong with the export and mapping together (columns missing or unmapped)."""


# --- laying the export out ------------------------------------------------------------------


def lay_out(table: ResponseTable, mapping: ImportMapping) -> LaidOut:
    columns = {header_match(h): p for p, h in enumerate(table.header) if h is not None}
    laid = LaidOut(table, mapping, RawWorkbook(sheets={}, found=(table.name,), kind="export"))
    twice = _repeated_headers(table)
    used: set[int] = set()
    area_positions = {}
    for name, header in mapping.areas.items():
        position = columns.get(header_match(header))
        if position is None:
            laid.problems.append(_missing_column(table, f"areas.{name}", header))
            continue
        if header_match(header) in twice:
            laid.problems.append(_ambiguous_column(table, f"areas.{name}", header))
            continue
        area_positions[name] = position
        used.add(position)
    groups = _programme_groups(table, mapping, columns)
    for positions in groups.values():
        used.update(positions.values())
        for name, position in positions.items():
            header = table.header[position] or ""
            if header_match(header) in twice:
                laid.problems.append(_ambiguous_column(table, f"programmes.{name}", header))
    for name, template in mapping.programmes.items():
        if not any(name in positions for positions in groups.values()):
            laid.problems.append(_missing_column(table, f"programmes.{name}", template))
    ignored = {header_match(h) for h in mapping.ignore}
    for position, heading in enumerate(table.header):
        if position in used or heading is None or header_match(heading) in ignored:
            continue
        if any(table_value(row, position) is not None for row in table.rows):
            laid.problems.append(_unmapped_column(table, position, heading))
    laid.problems.extend(
        Problem(
            "mapping",
            "todo",
            None,
            f"Still to decide: {item}",
            "Decide it (map the column, add or correct the label, or list the column under "
            "ignore), then delete it from the mapping's todo",
        )
        for item in mapping.todo
    )
    area_rows: list[RawRow] = []
    programme_rows: list[RawRow] = []
    mapped = {*area_positions.values(), *(p for g in groups.values() for p in g.values())}
    for row in table.rows:
        if all(table_value(row, p) is None for p in mapped):
            continue  # a response left empty (the tool's own columns at most): no answers to read
        area_position = area_positions.get("force_area")
        if area_position is not None:
            laid.area_cells[row.number] = f"{column_letter(area_position)}{row.number}"
        area_rows.append(_area_row(laid, mapping, row, area_positions))
        for number, positions in groups.items():
            laid_row = _programme_row(
                laid, mapping, row, positions, area_positions, len(programme_rows) + 2, number
            )
            if laid_row is not None:
                programme_rows.append(laid_row)
    laid.workbook = RawWorkbook(
        sheets={
            AREAS.name: RawSheet(AREAS.name, tuple(AREAS.column_names), tuple(area_rows)),
            PROGRAMMES.name: RawSheet(
                PROGRAMMES.name, tuple(PROGRAMMES.column_names), tuple(programme_rows)
            ),
        },
        found=(table.name,),
        kind="export",
    )
    return laid


def table_value(row: RawRow, position: int) -> Any:
    return row.values[position] if position < len(row.values) else None


def _programme_groups(
    table: ResponseTable, mapping: ImportMapping, columns: Mapping[str, int]
) -> dict[int, dict[str, int]]:
    """Group number -> {field: export column position}, for each group the headers show."""
    groups: dict[int, dict[str, int]] = {}
    for name, template in mapping.programmes.items():
        before, after = header_match(template).split(GROUP, 1)
        pattern = re.compile(re.escape(before) + r"(\d+)" + re.escape(after))
        for key, position in columns.items():
            match = pattern.fullmatch(key)
            if match:
                groups.setdefault(int(match.group(1)), {})[name] = position
    return dict(sorted(groups.items()))


def _area_row(
    laid: LaidOut, mapping: ImportMapping, row: RawRow, positions: Mapping[str, int]
) -> RawRow:
    values: dict[str, Any] = {"response_status": response_status()}
    for name, position in positions.items():
        values[name] = _read(laid, mapping, AREAS, row, position, name, row.number)
    laid.rows[(AREAS.name, row.number)] = row.number
    return RawRow(row.number, tuple(values.get(n) for n in AREAS.column_names))


def _programme_row(
    laid: LaidOut,
    mapping: ImportMapping,
    row: RawRow,
    positions: Mapping[str, int],
    area_positions: Mapping[str, int],
    number: int,
    group: int,
) -> RawRow | None:
    if all(table_value(row, p) is None for p in positions.values()):
        return None  # the group left empty: no programme
    values: dict[str, Any] = {}
    for name, position in positions.items():
        values[name] = _read(laid, mapping, PROGRAMMES, row, position, name, number)
    area = area_positions.get("force_area")
    values["force_area"] = table_value(row, area) if area is not None else None
    if area is not None:
        laid.places[(PROGRAMMES.name, number, "force_area")] = Place(
            f"{column_letter(area)}{row.number}",
            laid.table.header[area] or "",
            values["force_area"],
        )
    laid.rows[(PROGRAMMES.name, number)] = row.number
    return RawRow(number, tuple(values.get(n) for n in PROGRAMMES.column_names))


def _read(
    laid: LaidOut,
    mapping: ImportMapping,
    sheet: Sheet,
    row: RawRow,
    position: int,
    name: str,
    laid_row: int,
) -> Any:
    written = table_value(row, position)
    if written is not None:
        laid.places[(sheet.name, laid_row, name)] = Place(
            f"{column_letter(position)}{row.number}", laid.table.header[position] or "", written
        )
    return translated(mapping, sheet.column(name), written)


def translated(mapping: ImportMapping, column: Column, written: Any) -> Any:
    """The export's answer in the template's words: its labels and yes or no as the options
    they stand for, several answers joined with the template's separator. Anything the mapping
    does not name is kept as written, so the checks that follow quote it."""
    if not isinstance(written, str):  # numbers, dates, formulas: read by the usual checks
        return written
    if column.kind is Kind.CHOICE:
        return mapping.option_for(column, written) or written
    if column.kind is not Kind.CHOICES:
        return written
    answers = split_answers(written, mapping.separator, mapping.wordings(column))
    return f"{LIST_SEPARATOR} ".join(mapping.option_for(column, a) or a for a in answers)


def split_answers(cell: str, separator: str, wordings: list[str]) -> list[str]:
    """The answers in one cell, split on `separator` except inside a wording that holds it
    ("Local authority, e.g. council" split on "," stays one answer)."""
    separator = "\n" if separator in ("\\n", "\n") else separator
    pieces = cell.replace("\r\n", "\n").split(separator)
    known = {choice_key(w) for w in wordings}
    answers, i = [], 0
    while i < len(pieces):
        end = next(
            (
                j
                for j in range(len(pieces), i + 1, -1)
                if choice_key(separator.join(pieces[i:j])) in known
            ),
            i + 1,
        )
        answer = separator.join(pieces[i:end]).strip()
        if answer:
            answers.append(answer)
        i = end
    return answers


def _missing_column(table: ResponseTable, key: str, header: str) -> Problem:
    return Problem(
        "mapping",
        key,
        header,
        f'The mapping reads {key} from the column "{header}", but {table.name} has no such column',
        "Correct the header in the mapping to the export's own (copy it from the export), or "
        "remove the field",
    )


def _repeated_headers(table: ResponseTable) -> set[str]:
    seen = [header_match(h) for h in table.header if h is not None]
    return {key for key in seen if seen.count(key) > 1}


def _ambiguous_column(table: ResponseTable, key: str, header: str) -> Problem:
    return Problem(
        "mapping",
        key,
        header,
        f'The mapping reads {key} from the column "{header}", but {table.name} has more than one '
        "column headed so",
        "Rename the columns in the export so that each question's header is its own, and map "
        "the one that answers this field",
    )


def _unmapped_column(table: ResponseTable, position: int, header: str) -> Problem:
    return Problem(
        table.name,
        f"{column_letter(position)}{table.header_row}",
        header,
        f'The column "{header}" holds answers, but the mapping neither reads nor ignores it',
        "Map it to the field it answers, or list it under ignore if it is not an answer "
        "(nothing is dropped without saying so)",
    )


# --- reading an import ----------------------------------------------------------------------


def load_export(data: bytes, filename: str, mapping: ImportMapping) -> Survey:
    """Read and validate an export through its mapping; SurveyInvalid naming the export's cells."""
    return guarded(lambda: _validated(laid_out(data, filename, mapping)))


def laid_out(data: bytes, filename: str, mapping: ImportMapping) -> LaidOut:
    table = read_response_table(data, filename, mapping.sheet, mapping.header_row)
    return lay_out(table, mapping)


def _validated(laid: LaidOut) -> Survey:
    """The survey, or every problem: the mapping's and the answers' together, unless a mapped
    column is missing (then each of its answers would only repeat that)."""
    problems = list(laid.problems)
    if not any(p.sheet == "mapping" and p.cell != "todo" for p in problems):
        checked = check_workbook(laid.workbook)
        problems += [placed_problem(laid, p) for p in checked.problems]
    if problems:
        raise SurveyInvalid(merge_runs(sort_problems(problems)))
    assert checked.survey is not None
    return checked.survey


_CELL = re.compile(r"([A-Z]+)(\d+)")
_ROW = re.compile(r"\brows? (\d+)\b")


def placed_problem(laid: LaidOut, problem: Problem) -> Problem:
    """A problem of the laid-out sheets, at the export cell it came from."""
    match = _CELL.fullmatch(problem.cell or "")
    if problem.sheet not in (AREAS.name, PROGRAMMES.name) or match is None:
        return problem
    sheet = AREAS if problem.sheet == AREAS.name else PROGRAMMES
    letters, number = match.group(1), int(match.group(2))
    name = _field_at(sheet, letters)
    place = laid.places.get((sheet.name, number, name))
    row = laid.rows.get((sheet.name, number))
    cell: str | None
    value: str | None
    if place is not None:
        cell, value = place.cell, as_text(place.written)
    else:  # a field with no answer in the export: the response's area cell says which row
        cell = laid.area_cells.get(row or -1)
        value = problem.value
    message, fix = problem.message, problem.fix
    if sheet is PROGRAMMES:  # "first at row 7" of the laid-out sheet: the export's row
        message = _ROW.sub(lambda m: _export_row(laid, m), message)
        fix = _ROW.sub(lambda m: _export_row(laid, m), fix)
    return replace(problem, sheet=laid.table.name, cell=cell, value=value, message=message, fix=fix)


def _field_at(sheet: Sheet, letters: str) -> str:
    for position, name in enumerate(sheet.column_names):
        if column_letter(position) == letters:
            return name
    return ""


def _export_row(laid: LaidOut, match: re.Match[str]) -> str:
    row = laid.rows.get((PROGRAMMES.name, int(match.group(1))))
    return f"row {row}" if row is not None else match.group(0)


# --- what will be read from which cell ------------------------------------------------------

PREVIEW_COLUMNS = ("cell", "question", "sheet", "row", "field", "written", "read_as")


def import_preview(laid: LaidOut) -> pd.DataFrame:
    """Every value the import reads: the export's cell and question, where it goes (sheet, the
    response's row, field), what the cell says and what it is read as ("not readable" when the
    checks refuse it). Shown before anything is kept."""
    records = []
    for (sheet_name, number, name), place in laid.places.items():
        sheet = AREAS if sheet_name == AREAS.name else PROGRAMMES
        column = sheet.column(name)
        try:
            value = parse(column, translated(laid.mapping, column, place.written))
            read = display_name(value) if column.kind is Kind.AREA else joined_text(value)
        except InvalidValue:
            read = "not readable: see the problems"
        records.append(
            {
                "cell": f"{laid.table.name}!{place.cell}",
                "question": place.question,
                "sheet": sheet_name,
                "row": laid.rows.get((sheet_name, number)),
                "field": name,
                "written": as_text(place.written),
                "read_as": read,
            }
        )
    return pd.DataFrame(records, columns=list(PREVIEW_COLUMNS))


def preview_of(data: bytes, filename: str, mapping: ImportMapping) -> pd.DataFrame:
    return import_preview(laid_out(data, filename, mapping))


# --- the import as one file -----------------------------------------------------------------


def import_filename(export_filename: str) -> str:
    return f"{PurePath(export_filename).stem}{IMPORT_SUFFIX}"


def is_import_bundle(filename: str) -> bool:
    return filename.lower().endswith(IMPORT_SUFFIX)


def bundle_import(export: bytes, export_filename: str, mapping: bytes) -> bytes:
    """The export and its mapping as one archive, deterministic (fixed times and order), so
    that the same import always has the same SHA-256 and a repeat is recognised."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in (
            (EXPORT_FOLDER + PurePath(export_filename).name, export),
            (MAPPING_ENTRY, mapping),
        ):
            info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


@dataclass(frozen=True)
class ImportBundle:
    export: bytes
    export_filename: str
    mapping_text: bytes


def unbundle_import(data: bytes) -> ImportBundle:
    """The export and mapping of an import archive, sizes checked before anything is inflated."""

    def refuse(message: str) -> SurveyInvalid:
        return SurveyInvalid(
            [Problem(None, None, None, message, "Import the export again with its mapping.")]
        )

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
        if len(entries) != 2 or sum(e.file_size for e in entries) > 2 * MAX_FILE_BYTES:
            raise refuse("The import file should hold one export and its mapping")
        exports = [e for e in entries if e.filename.startswith(EXPORT_FOLDER)]
        mappings = [e for e in entries if e.filename == MAPPING_ENTRY]
        if len(exports) != 1 or len(mappings) != 1:
            raise refuse("The import file should hold one export and its mapping")
        return ImportBundle(
            archive.read(exports[0]),
            exports[0].filename[len(EXPORT_FOLDER) :],
            archive.read(mappings[0]),
        )
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise refuse(f"The import file cannot be read ({error})") from error


def load_import_bundle(data: bytes) -> Survey:
    """The survey of an import archive, read exactly as when it was imported."""
    bundle = unbundle_import(data)
    mapping = read_mapping(bundle.mapping_text, MAPPING_ENTRY)
    return load_export(bundle.export, bundle.export_filename, mapping)
