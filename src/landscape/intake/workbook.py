"""Safe reading of untrusted survey files into a raw, cell-addressed representation.

Uploaded bytes are hostile until proven otherwise, so every cheap check runs before any parser:
size, magic bytes, macro content, zip-entry limits. XML is parsed by openpyxl through defusedxml,
which this module insists on at import. The result keeps each value with its Excel row and column
so that validation can cite the cell a person must fix.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

import defusedxml
import openpyxl.xml
from openpyxl.utils.cell import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from landscape.errors import LandscapeError
from landscape.intake.xlsx_parts import (
    CellCheck,
    DateStyles,
    ElementBudget,
    ParsedCell,
    SheetCells,
    XmlLimit,
    date_styles,
    shared_strings,
    sheet_cells,
    workbook_parts,
)
from landscape.schema import OPTIONAL_SHEETS, SHEETS

MAX_FILE_BYTES = 5 * 1024 * 1024
"""A survey workbook is a few hundred kilobytes; 5 MiB is far more than any needs, and is what
the shipped server accepts (server.maxUploadSize = 5 in .streamlit/config.toml)."""
MAX_ZIP_ENTRIES = 500
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
"""One budget for every part of the file together, as declared in the zip directory (which
zipfile holds each part to). A survey expands to a megabyte or two; parts beyond the schema's
sheets are counted here and never parsed, so many mid-size parts cannot add up."""
MAX_ROWS = 10_000
"""43 force areas and some hundreds of programmes: ten thousand rows is far beyond a survey."""
MAX_COLUMNS = 200
EXCEL_MAX_COLUMN = 16_384

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
MACRO_EXTENSIONS = frozenset({".xlsm", ".xlsb", ".xltm", ".xlam"})
OLD_EXCEL_EXTENSIONS = frozenset({".xls", ".xlt"})

_SAVE_AS_XLSX = (
    "Open it in Excel and use File > Save As > Excel Workbook (.xlsx), then upload that."
)


class UnsafeXmlParsing(RuntimeError):
    """openpyxl would parse XML without defusedxml: refuse to read any workbook."""


def require_safe_xml() -> None:
    """Refuse to run unless openpyxl parses workbook XML through defusedxml."""
    if not openpyxl.xml.DEFUSEDXML:
        raise UnsafeXmlParsing(
            "openpyxl is not using defusedxml, so workbooks could carry XML entity-expansion "
            "attacks; install defusedxml (it is a locked dependency) and restart."
        )


require_safe_xml()


class UnreadableFile(LandscapeError):
    """The file as a whole cannot be read: `message` says what is wrong, `fix` what to do."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message, fix=fix)


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula rather than a value."""

    text: str


@dataclass(frozen=True)
class CellError:
    """A cell showing an Excel error such as #N/A."""

    code: str


@dataclass(frozen=True)
class RawRow:
    number: int
    """The row number as Excel (or a text editor, for CSV) shows it."""
    values: tuple[Any, ...]
    """One value per header position; None for an empty cell."""


@dataclass(frozen=True)
class RawSheet:
    name: str
    """The sheet (or CSV file) name as found."""
    header: tuple[str | None, ...]
    rows: tuple[RawRow, ...]
    header_row: int = 1
    """The row holding the headers: 1, or lower when title rows stand above them."""
    above_header: tuple[RawRow, ...] = ()
    """The rows above the headers (titles), kept so validation can judge them."""
    merged_across: tuple[str, ...] = ()
    """Merged ranges below the headers that span columns (e.g. "B3:C3"): no column owns them."""

    def value(self, row: RawRow, position: int) -> Any:
        return row.values[position] if position < len(row.values) else None


@dataclass(frozen=True)
class RawWorkbook:
    sheets: Mapping[str, RawSheet]
    """Keyed by the schema's sheet name; sheets the schema does not know are left out."""
    found: tuple[str, ...]
    """Every sheet (or file) name the upload held, for messages."""
    kind: str = "xlsx"


def column_letter(position: int) -> str:
    """Excel column letter for a 0-based header position."""
    return get_column_letter(position + 1)


def header_key(text: str | None) -> str:
    """A header as a column name: "Force area", " force-area " and "FORCE_AREA" all read as
    force_area (case, spacing and hyphens are how people differ, not what they mean)."""
    return "_".join(str(text or "").casefold().replace("-", " ").split())


def schema_sheet_name(found: str) -> str | None:
    for sheet in (*SHEETS, *OPTIONAL_SHEETS):
        if sheet.name.casefold() == found.strip().casefold():
            return sheet.name
    return None


# --- checks before parsing -------------------------------------------------------------------


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_size(data: bytes) -> None:
    if not data:
        raise UnreadableFile("The file is empty", "Choose the completed survey workbook (.xlsx).")
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(
            f"The file is {_megabytes(len(data))}; the limit is {_megabytes(MAX_FILE_BYTES)}, "
            "far more than any survey workbook needs",
            "Check that you chose the survey workbook; remove pictures or other sheets if needed.",
        )


def read_bounded(path: Path) -> bytes:
    """A file's bytes, reading no more than the limit allows (a huge file, or a device such as
    /dev/zero, is refused after MAX_FILE_BYTES rather than read whole into memory)."""
    try:
        with path.open("rb") as source:
            data = source.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise UnreadableFile(
            f"{path} cannot be read ({error.strerror})", "Check the file and its permissions."
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(
            f"{path.name} is larger than the limit of {_megabytes(MAX_FILE_BYTES)}, far more "
            "than any survey needs",
            "Check that you chose the survey workbook or its CSV files.",
        )
    return data


def check_extension(filename: str) -> None:
    suffix = PurePath(filename).suffix.lower()
    if suffix in MACRO_EXTENSIONS:
        raise UnreadableFile(
            f"{PurePath(filename).name} is a macro-enabled or binary workbook ({suffix}); "
            "macros are refused",
            _SAVE_AS_XLSX,
        )
    if suffix in OLD_EXCEL_EXTENSIONS:
        raise UnreadableFile(
            f"{PurePath(filename).name} is an old-format Excel workbook ({suffix})", _SAVE_AS_XLSX
        )


def check_magic(data: bytes) -> None:
    if data.startswith(ZIP_MAGIC):
        return
    if data.startswith(OLE_MAGIC):
        raise UnreadableFile(
            "The file is an old-format .xls workbook or a password-protected (encrypted) "
            "workbook, which cannot be read",
            "Remove the password (File > Info > Protect Workbook) and save as Excel Workbook "
            "(.xlsx), then upload that.",
        )
    what = _looks_like(data)
    message = f"it looks like {what}" if what else "it is not an Excel workbook"
    raise UnreadableFile(f"The file is not a spreadsheet: {message}", _upload_xlsx_fix())


def _looks_like(data: bytes) -> str | None:
    head = data[:512].lstrip().lower()
    if head.startswith(b"<"):
        return "a web page or XML document"
    if data.startswith((b"MZ", b"\x7fELF")):
        return "a program"
    if data.startswith(b"%PDF"):
        return "a PDF document"
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return "a text file such as a CSV (upload one CSV per sheet, named after the sheets)"


def _upload_xlsx_fix() -> str:
    return "Upload the survey as an Excel Workbook (.xlsx), e.g. the downloadable template."


DAMAGE_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    KeyError,
    RuntimeError,
)
"""What zipfile raises for corrupt entries (bad CRC, unknown compression, missing parts)."""


def open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (*DAMAGE_ERRORS, zipfile.LargeZipFile, ValueError) as error:
        raise _damaged() from error


def _damaged() -> UnreadableFile:
    return UnreadableFile(
        "The file is damaged or incomplete (it may have been cut short while copying or "
        "downloading)",
        "Open it in Excel to check it, save it again as .xlsx and upload the new copy.",
    )


def check_zip_limits(archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise UnreadableFile(
            f"The workbook holds {len(entries)} parts; the limit is {MAX_ZIP_ENTRIES}",
            "Save a copy holding only the Areas and Programmes sheets and upload that.",
        )
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UnreadableFile(
            f"The workbook would expand to {_megabytes(total)}; the limit is "
            f"{_megabytes(MAX_UNCOMPRESSED_BYTES)} (possible zip bomb)",
            "Upload the survey workbook itself; it is far smaller than this.",
        )
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise UnreadableFile(
            "Parts of the file are encrypted (password-protected), so it cannot be read",
            "Remove the password and save as Excel Workbook (.xlsx), then upload that.",
        )


def check_content(archive: zipfile.ZipFile) -> None:
    names = archive.namelist()
    if any(PurePath(name).name.lower() == "vbaproject.bin" for name in names):
        raise _macros_refused()
    if "mimetype" in names and "[Content_Types].xml" not in names:
        raise UnreadableFile(
            "The file is an OpenDocument spreadsheet (.ods), not an Excel workbook",
            "Open it and save it as Excel Workbook (.xlsx), then upload that.",
        )
    if "[Content_Types].xml" not in names:
        raise UnreadableFile(
            "The file is a zip archive but not an Excel workbook", _upload_xlsx_fix()
        )
    try:
        types = archive.read("[Content_Types].xml").lower()
    except DAMAGE_ERRORS as error:
        raise _damaged() from error
    if b"macroenabled" in types or b"vbaproject" in types:
        raise _macros_refused()
    if b"spreadsheetml" not in types:
        raise UnreadableFile(
            "The file is an Office document but not an Excel workbook (e.g. a Word file)",
            _upload_xlsx_fix(),
        )


def _macros_refused() -> UnreadableFile:
    return UnreadableFile(
        "The workbook contains macros (VBA), which are refused",
        "Save it as Excel Workbook (.xlsx), which drops the macros, and upload that.",
    )


# --- xlsx -------------------------------------------------------------------------------------


def read_xlsx(data: bytes, filename: str = "survey.xlsx") -> RawWorkbook:
    """Check and parse an .xlsx upload, or raise UnreadableFile saying why not."""
    require_safe_xml()
    check_size(data)
    check_extension(filename)
    check_magic(data)
    with open_zip(data) as archive:
        check_zip_limits(archive)
        check_content(archive)
        try:
            return _schema_sheets(archive)
        except UnreadableFile:
            raise
        except XmlLimit as error:
            raise UnreadableFile(error.message, _KEEP_TO_THE_SURVEY) from None
        except Exception as error:  # malformed parts raise many types, often wrapped
            raise _load_failure(error) from error


_KEEP_TO_THE_SURVEY = (
    "Delete the rows, columns and sheets beyond the survey's data (or copy the data into the "
    "downloadable template) and upload again."
)


def _schema_sheets(archive: zipfile.ZipFile) -> RawWorkbook:
    """Parse only what the schema's sheets need, under one element budget for the whole file:
    the other sheets are named (for messages) but never parsed."""
    budget = ElementBudget()
    parts = workbook_parts(archive, budget)
    wanted = {
        sheet.name: name
        for sheet in parts.sheets
        if sheet.part is not None and (name := schema_sheet_name(sheet.name)) is not None
    }
    strings = shared_strings(archive, parts.shared_strings, budget) if wanted else []
    styles = date_styles(archive, parts.styles, budget) if wanted else DateStyles()
    sheets: dict[str, RawSheet] = {}
    for sheet in parts.sheets:
        name = wanted.get(sheet.name)
        if name is None or name in sheets or sheet.part is None:
            continue
        cells = sheet_cells(
            archive, sheet.part, budget, strings, styles, parts.epoch, _within_limits(sheet.name)
        )
        sheets[name] = _raw_sheet(sheet.name, cells)
    return RawWorkbook(sheets=sheets, found=tuple(sheet.name for sheet in parts.sheets))


def _within_limits(sheet_name: str) -> CellCheck:
    """Refuse at the first filled cell beyond the row or column limit, before reading on."""

    def check(cell: ParsedCell) -> None:
        if cell.row > MAX_ROWS or cell.column > MAX_COLUMNS:
            raise UnreadableFile(
                f"The {sheet_name} sheet has content in {_cell_name(cell)}; the limits are "
                f"{MAX_ROWS:,} rows and {MAX_COLUMNS} columns",
                "Delete the rows and columns beyond the survey's data (select them, right-click "
                "> Delete) and upload again.",
            )

    return check


def _cell_name(cell: ParsedCell) -> str:
    """ "cell B7", or the row and column where they lie beyond what Excel can name."""
    if cell.column <= EXCEL_MAX_COLUMN:
        return f"cell {column_letter(cell.column - 1)}{cell.row}"
    return f"row {cell.row:,}, column {cell.column:,}"


def _load_failure(error: BaseException) -> UnreadableFile:
    causes = _causes(error)
    if any(isinstance(c, defusedxml.DefusedXmlException) for c in causes):
        return UnreadableFile(
            "The workbook contains XML entity declarations, which are refused (possible "
            "entity-expansion attack)",
            "Save the workbook again from Excel as .xlsx and upload that copy.",
        )
    if any(isinstance(c, DAMAGE_ERRORS) for c in causes):
        return _damaged()
    reason = str(causes[-1]).splitlines()[0][:200] if str(causes[-1]) else type(causes[-1]).__name__
    return UnreadableFile(
        f"The workbook could not be read ({reason})",
        "Open it in Excel, save it again as Excel Workbook (.xlsx) and upload that copy.",
    )


def _causes(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _raw_sheet(title: str, cells: SheetCells) -> RawSheet:
    grid: dict[int, dict[int, Any]] = {}
    for cell in cells.cells:
        value = _cell_value(cell)
        if value is not None:
            grid.setdefault(cell.row, {})[cell.column] = value
    header_row = find_header_row(grid, schema_sheet_name(title))
    ranges = [CellRange(ref) for ref in cells.merged if ref]
    merged_across = carry_merged_values(ranges, grid, header_row)
    header_cells = grid.pop(header_row, {})
    width = max([*header_cells, *(c for cells in grid.values() for c in cells)], default=0)
    header = tuple(_header_text(header_cells.get(c)) for c in range(1, width + 1))
    rows = [
        RawRow(number=r, values=tuple(grid[r].get(c) for c in range(1, width + 1)))
        for r in sorted(grid)
    ]
    return RawSheet(
        name=title,
        header=header,
        rows=tuple(row for row in rows if row.number > header_row),
        header_row=header_row,
        above_header=tuple(row for row in rows if row.number < header_row),
        merged_across=merged_across,
    )


HEADER_SEARCH_ROWS = 5
"""A title or a note above the headers takes a row or two; the headers are sought this far down."""


def find_header_row(grid: Mapping[int, Mapping[int, Any]], sheet_name: str | None) -> int:
    """The row among the first few holding most of the sheet's column headers (1 when none do),
    so that a title row above the headers does not turn every column into a missing one."""
    sheets = (*SHEETS, *OPTIONAL_SHEETS)
    names = next((s.column_names for s in sheets if s.name == sheet_name), ())
    keys = {header_key(name) for name in names}

    def matches(row: int) -> int:
        return sum(
            1 for v in grid.get(row, {}).values() if isinstance(v, str) and header_key(v) in keys
        )

    best = max(range(1, HEADER_SEARCH_ROWS + 1), key=lambda r: (matches(r), -r))
    return best if matches(best) > matches(1) else 1


def carry_merged_values(
    ranges: Any, grid: dict[int, dict[int, Any]], header_row: int
) -> tuple[str, ...]:
    """Give every cell of a merge within one column the value its merge shows (Excel keeps it in
    the top cell only, so the rows below would read blank); return the merges below the headers
    that span columns, whose value no single column owns."""
    across = []
    for merged in ranges:
        if merged.max_row <= header_row:
            continue  # a merged title, or merged header cells: read as they stand
        if merged.min_col != merged.max_col:
            across.append(merged.coord)
            continue
        value = grid.get(merged.min_row, {}).get(merged.min_col)
        if value is None or merged.min_row <= header_row:
            continue
        for row in range(merged.min_row + 1, merged.max_row + 1):
            grid.setdefault(row, {})[merged.min_col] = value
    return tuple(across)


def _cell_value(cell: ParsedCell) -> Any:
    if cell.data_type == "f":
        if cell.shown_text is not None and not cell.shown_text.strip():
            # e.g. =IF(A200="","",A200) dragged down empty rows: the person sees an empty cell,
            # so it reads as one (a formula that shows a value is still refused, by cell)
            return None
        return Formula(str(getattr(cell.value, "text", cell.value)))
    if cell.data_type == "e":
        return CellError(str(cell.value))
    value = cell.value
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    return value


def _header_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Formula):
        return value.text
    return str(value).strip() or None


# --- CSV --------------------------------------------------------------------------------------


# A cell may be as long as the file; the cell check then refuses it as too long, by cell, rather
# than the csv module refusing the whole file at its default 128 KiB field limit.
csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES + 1))

_SAVE_AS_CSV_UTF8 = "Save the sheet with File > Save As > CSV UTF-8 and upload that."


def decode_text(data: bytes, name: str = "The file") -> tuple[str, str]:
    """Text of a CSV file and the encoding used: UTF-8 (with or without BOM), else cp1252.

    A file that is UTF-8 in places and not in others was pasted together from two sources;
    reading it as cp1252 would store its UTF-8 characters garbled ("Ŵ" as "Å´"), so it is
    refused, naming the first line that is not UTF-8.
    """
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as error:
        not_utf8 = _line_of(data, error.start)
    utf8 = _first_utf8_line(data)
    if utf8 is not None:
        raise UnreadableFile(
            f"{name} mixes text encodings: line {utf8} is UTF-8 but line {not_utf8} is not "
            "(it looks like Windows text), so some characters would be stored garbled",
            f"Check the accented characters on line {not_utf8}, then save the sheet with "
            "File > Save As > CSV UTF-8 and upload that.",
        )
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            f"{name} line {_line_of(data, error.start)} holds a byte that is neither UTF-8 nor "
            "Windows (cp1252) text",
            _SAVE_AS_CSV_UTF8,
        ) from None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _first_utf8_line(data: bytes) -> int | None:
    """The first line holding non-ASCII text that is valid UTF-8, if any."""
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        return number
    return None


def read_csvs(files: Mapping[str, bytes]) -> RawWorkbook:
    """One CSV per sheet, each named after its sheet (case-insensitive), values as strings."""
    require_safe_xml()
    total = sum(len(data) for data in files.values())
    if total > MAX_FILE_BYTES:
        raise UnreadableFile(
            f"The files total {_megabytes(total)}; the limit is {_megabytes(MAX_FILE_BYTES)}",
            "Check that you chose the survey's CSV files.",
        )
    sheets: dict[str, RawSheet] = {}
    for filename, data in files.items():
        name = schema_sheet_name(PurePath(filename).stem)
        if name is None or name in sheets:
            continue
        if data.startswith((ZIP_MAGIC, OLE_MAGIC, b"MZ")):
            raise UnreadableFile(
                f"{filename} is not a CSV (comma-separated text) file",
                "Save each sheet with File > Save As > CSV UTF-8, or upload the .xlsx itself.",
            )
        sheets[name] = _csv_sheet(PurePath(filename).stem, data)
    return RawWorkbook(sheets=sheets, found=tuple(files), kind="csv")


def _delimiter(text: str, sheet_name: str | None) -> str:
    """Comma, or the semicolon or tab that some regional Excel settings write instead.

    Judged on the header line, which holds no list values (their separator is also ";"): the
    separator that splits one of the first few lines into most of the sheet's headers (a title
    line may stand above them), else the one the first line holds most of.
    """
    lines = text.split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS]
    sheets = (*SHEETS, *OPTIONAL_SHEETS)
    keys = {header_key(n) for s in sheets if s.name == sheet_name for n in s.column_names}

    def headers_split_by(separator: str) -> int:
        return max(
            sum(header_key(cell.strip().strip('"')) in keys for cell in line.split(separator))
            for line in lines
        )

    return max((",", ";", "\t"), key=lambda d: (headers_split_by(d), lines[0].count(d)))


def _csv_sheet(name: str, data: bytes) -> RawSheet:
    if b"\x00" in data:
        raise UnreadableFile(
            f"{name} is not a CSV text file (it holds binary data)", _SAVE_AS_CSV_UTF8
        )
    text, _encoding = decode_text(data, name)
    sheet_name = schema_sheet_name(name)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, sheet_name))
    lines: list[RawRow] = []
    try:
        for number, record in enumerate(records, start=1):
            if number > MAX_ROWS:
                raise UnreadableFile(
                    f"{name} has more than {MAX_ROWS:,} lines, the limit (blank lines count)",
                    "Delete the rows below the survey's data, save the CSV again and upload it.",
                )
            lines.append(RawRow(number=number, values=_csv_values(name, number, record)))
    except csv.Error as error:
        raise UnreadableFile(
            f"{name} could not be read as CSV ({error})", _SAVE_AS_CSV_UTF8
        ) from error
    # As in a workbook (`_raw_sheet`): a title line above the headers is read past, and one holding
    # more than a title is one problem saying to delete it (`sheet_layout.above_header_problem`).
    first = {
        line.number: {i: v for i, v in enumerate(line.values) if v is not None}
        for line in lines[:HEADER_SEARCH_ROWS]
    }
    header_row = find_header_row(first, sheet_name)
    header = next(
        (
            tuple(_header_text(v) for v in line.values)
            for line in lines
            if line.number == header_row
        ),
        (),
    )
    filled = [line for line in lines if any(v is not None for v in line.values)]
    return RawSheet(
        name=name,
        header=header,
        rows=tuple(line for line in filled if line.number > header_row),
        header_row=header_row,
        above_header=tuple(line for line in filled if line.number < header_row),
    )


def _csv_values(name: str, number: int, record: list[str]) -> tuple[str | None, ...]:
    """A record's values (None for blank), refused if it has a value beyond the column limit."""
    values = tuple(v if v.strip() else None for v in record)
    beyond = next((i for i, v in enumerate(values[MAX_COLUMNS:], MAX_COLUMNS) if v), None)
    if beyond is not None:
        raise UnreadableFile(
            f"{name} has content in column {beyond + 1:,} of line {number}; the limit is "
            f"{MAX_COLUMNS} columns",
            "Delete the columns beyond the survey's data, save the CSV again and upload it.",
        )
    return values[:MAX_COLUMNS]


# --- one table of responses (a survey-tool export) -------------------------------------------

MAX_EXPORT_COLUMNS = 1_000
"""A survey-tool export holds a column per question, and per question of each repeated programme
group: wider than the template, though still bounded (the element budget bounds the whole)."""


@dataclass(frozen=True)
class ResponseTable:
    """One row per response, as the export holds them: `header` by position, rows numbered as the
    spreadsheet (or a text editor, for CSV) shows them."""

    name: str
    header: tuple[str | None, ...]
    rows: tuple[RawRow, ...]
    header_row: int = 1


def read_response_table(
    data: bytes, filename: str, sheet: str | None = None, header_row: int = 1
) -> ResponseTable:
    """The responses in an export: a CSV file, or one sheet (`sheet`, else the first) of an
    .xlsx, with the same checks as any upload; UnreadableFile when it cannot be read."""
    require_safe_xml()
    check_size(data)
    if PurePath(filename).suffix.lower() == ".csv":
        return _csv_table(PurePath(filename).name, data, header_row)
    check_extension(filename)
    check_magic(data)
    with open_zip(data) as archive:
        check_zip_limits(archive)
        check_content(archive)
        try:
            title, grid = _sheet_grid(archive, sheet)
        except UnreadableFile:
            raise
        except XmlLimit as error:
            raise UnreadableFile(error.message, _KEEP_TO_THE_SURVEY) from None
        except Exception as error:
            raise _load_failure(error) from error
    return _table(title, grid, header_row)


def _sheet_grid(
    archive: zipfile.ZipFile, wanted: str | None
) -> tuple[str, dict[int, dict[int, Any]]]:
    budget = ElementBudget()
    parts = workbook_parts(archive, budget)
    sheets = [s for s in parts.sheets if s.part is not None]
    chosen = next(
        (
            s
            for s in sheets
            if wanted is None or s.name.strip().casefold() == wanted.strip().casefold()
        ),
        None,
    )
    if chosen is None or chosen.part is None:
        names = ", ".join(f'"{s.name}"' for s in parts.sheets) or "none"
        raise UnreadableFile(
            f'The workbook has no sheet named "{wanted}" (its sheets: {names})'
            if wanted
            else "The workbook has no sheets",
            "Give the sheet holding the responses in the mapping's `sheet`.",
        )
    strings = shared_strings(archive, parts.shared_strings, budget)
    styles = date_styles(archive, parts.styles, budget)

    def check(cell: ParsedCell) -> None:
        if cell.row > MAX_ROWS or cell.column > MAX_EXPORT_COLUMNS:
            raise UnreadableFile(
                f"The {chosen.name} sheet has content in {_cell_name(cell)}; the limits are "
                f"{MAX_ROWS:,} rows and {MAX_EXPORT_COLUMNS:,} columns",
                "Delete the rows and columns beyond the responses and try again.",
            )

    cells = sheet_cells(archive, chosen.part, budget, strings, styles, parts.epoch, check)
    grid: dict[int, dict[int, Any]] = {}
    for cell in cells.cells:
        value = _cell_value(cell)
        if value is not None:
            grid.setdefault(cell.row, {})[cell.column] = value
    return chosen.name, grid


def _table(name: str, grid: Mapping[int, Mapping[int, Any]], header_row: int) -> ResponseTable:
    header_cells = grid.get(header_row, {})
    width = max([*header_cells, *(c for r in grid.values() for c in r)], default=0)
    header = tuple(_header_text(header_cells.get(c)) for c in range(1, width + 1))
    rows = tuple(
        RawRow(number=r, values=tuple(grid[r].get(c) for c in range(1, width + 1)))
        for r in sorted(grid)
        if r > header_row
    )
    return ResponseTable(name=name, header=header, rows=rows, header_row=header_row)


def _csv_table(name: str, data: bytes, header_row: int) -> ResponseTable:
    if b"\x00" in data or data.startswith((ZIP_MAGIC, OLE_MAGIC, b"MZ")):
        raise UnreadableFile(f"{name} is not a CSV text file", _SAVE_AS_CSV_UTF8)
    text, _encoding = decode_text(data, name)
    first = (
        text.split("\n", header_row)[header_row - 1] if text.count("\n") >= header_row - 1 else ""
    )
    delimiter = max((",", ";", "\t"), key=first.count)
    grid: dict[int, dict[int, Any]] = {}
    try:
        for number, record in enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1
        ):
            if number > MAX_ROWS or len(record) > MAX_EXPORT_COLUMNS:
                raise UnreadableFile(
                    f"{name} is larger than an export needs (line {number:,}; the limits are "
                    f"{MAX_ROWS:,} lines and {MAX_EXPORT_COLUMNS:,} columns)",
                    "Delete the rows and columns beyond the responses and try again.",
                )
            values = {i: v for i, v in enumerate(record, start=1) if v.strip()}
            if values:
                grid[number] = values
    except csv.Error as error:
        raise UnreadableFile(
            f"{name} could not be read as CSV ({error})", _SAVE_AS_CSV_UTF8
        ) from error
    return _table(name, grid, header_row)
