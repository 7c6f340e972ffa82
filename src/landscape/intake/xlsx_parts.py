"""Bounded, streaming reads of the few parts of an .xlsx that a survey needs.

openpyxl's `load_workbook` parses every sheet of a workbook, and builds each cell, before any can
be looked at (in read-only mode it still scans each sheet for its size), so a small hostile file
of many sheets, a million rows or millions of shared strings costs minutes and gigabytes. Here
only the sheet list, the styles' number formats, the shared strings and the schema's own sheets
are parsed, each as a stream of XML elements (defusedxml: no entity declarations) under one
element budget for the whole file and a depth limit; openpyxl's cell parser still decodes each
cell, so types, dates and formulas read exactly as openpyxl reads them.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import iterparse
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900
from openpyxl.worksheet._reader import WorkSheetParser

MAX_XML_ELEMENTS = 200_000
"""Elements parsed in the whole file. A survey of 43 areas and a thousand programmes is under
100,000 (a cell is two: <c> and its <v>); every element costs time and memory, so this bounds
both, whatever the file holds."""
MAX_XML_DEPTH = 32
"""Sheet XML nests six deep; deeper nesting is built to exhaust the parser."""
MAX_MERGED_CELLS = 50_000
"""Cells all the merges of a file may cover together. A merge is one element, but the reader
gives each cell of a merge down a column its value (`workbook.carry_merged_values`), so its size
is what it costs: one `A3:A1048576` would be a million cells from a few bytes."""
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
OFFICE_DOCUMENT = "/officeDocument"


class XmlLimit(Exception):
    """A part is larger or deeper than any survey: `message` says which part and how."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ElementBudget:
    """Elements left to parse in this file, shared by every part read, and the cells its merges
    may still cover."""

    left: int = MAX_XML_ELEMENTS
    merged_left: int = MAX_MERGED_CELLS

    def spend(self, part: str) -> None:
        self.left -= 1
        if self.left < 0:
            raise XmlLimit(
                f"The workbook holds more than {MAX_XML_ELEMENTS:,} XML elements (cells, rows, "
                f"text and formatting), far more than any survey; it ran out in {part}"
            )


def stream(
    archive: zipfile.ZipFile, part: str, budget: ElementBudget
) -> Iterator[tuple[Element, Element | None]]:
    """(element, parent) at the end of each element of `part`; the caller may detach it."""
    path: list[Element] = []
    with archive.open(part) as source:
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                budget.spend(part)
                path.append(element)
                if len(path) > MAX_XML_DEPTH:
                    raise XmlLimit(
                        f"The workbook part {part} nests its XML more than {MAX_XML_DEPTH} "
                        "deep, which no spreadsheet does"
                    )
            else:
                path.pop()
                yield element, path[-1] if path else None


def _detach(element: Element, parent: Element | None) -> None:
    """Free an element once read: clear() alone leaves an empty shell on its parent."""
    element.clear()
    if parent is not None:
        parent.remove(element)


# --- the sheet list ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetPart:
    name: str
    part: str | None
    """The sheet's XML part in the archive; None when the workbook points nowhere it holds."""


@dataclass
class WorkbookParts:
    sheets: list[SheetPart] = field(default_factory=list)
    shared_strings: str | None = None
    styles: str | None = None
    epoch: Any = CALENDAR_WINDOWS_1900


def _rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _relationships(
    archive: zipfile.ZipFile, part: str, budget: ElementBudget
) -> dict[str, tuple[str, str]]:
    """Id -> (type, target part) of the relationships of `part` ("" for the package)."""
    rels = _rels_path(part) if part else "_rels/.rels"
    if rels not in archive.namelist():
        return {}
    found = {}
    folder = posixpath.dirname(part)
    for element, parent in stream(archive, rels, budget):
        if element.tag == PACKAGE_RELS:
            target = element.get("Target", "")
            resolved = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            found[element.get("Id", "")] = (element.get("Type", ""), posixpath.normpath(resolved))
            _detach(element, parent)
    return found


def workbook_parts(archive: zipfile.ZipFile, budget: ElementBudget) -> WorkbookParts:
    """The sheets in workbook order and where the strings and styles are."""
    office = [
        t
        for kind, t in _relationships(archive, "", budget).values()
        if kind.endswith(OFFICE_DOCUMENT)
    ]
    book = office[0] if office else "xl/workbook.xml"
    if book not in archive.namelist():
        raise KeyError(book)
    relations = _relationships(archive, book, budget)
    parts = WorkbookParts()
    names = set(archive.namelist())
    for kind, target in relations.values():
        if kind.endswith("/sharedStrings") and target in names:
            parts.shared_strings = target
        elif kind.endswith("/styles") and target in names:
            parts.styles = target
    for element, parent in stream(archive, book, budget):
        if element.tag == MAIN + "sheet":
            kind, target = relations.get(element.get(RELATIONSHIP_ID, ""), ("", ""))
            part = target if kind.endswith("/worksheet") and target in names else None
            parts.sheets.append(SheetPart(element.get("name", ""), part))
            _detach(element, parent)
        elif element.tag == MAIN + "workbookPr" and element.get("date1904", "").lower() in (
            "1",
            "true",
        ):
            parts.epoch = CALENDAR_MAC_1904
    return parts


# --- strings and styles --------------------------------------------------------------------------


def _text(element: Element) -> str:
    """A shared or inline string: its plain text and its rich-text runs (never phonetic runs)."""
    pieces = []
    for child in element:
        if child.tag == MAIN + "t":
            pieces.append(child.text or "")
        elif child.tag == MAIN + "r":
            pieces.append(child.findtext(MAIN + "t") or "")
    return "".join(pieces)


def shared_strings(archive: zipfile.ZipFile, part: str | None, budget: ElementBudget) -> list[str]:
    if part is None:
        return []
    strings = []
    for element, parent in stream(archive, part, budget):
        if element.tag == MAIN + "si":
            # as openpyxl's reader does: "_x005F_" is how Excel escapes a literal underscore
            strings.append(_text(element).replace("x005F_", ""))
            _detach(element, parent)
    return strings


@dataclass(frozen=True)
class DateStyles:
    dates: frozenset[int] = frozenset()
    durations: frozenset[int] = frozenset()


def date_styles(archive: zipfile.ZipFile, part: str | None, budget: ElementBudget) -> DateStyles:
    """Which cell styles (cellXfs positions) show numbers as dates or durations."""
    if part is None:
        return DateStyles()
    custom: dict[int, str] = {}
    format_ids: list[int] = []
    for element, parent in stream(archive, part, budget):
        if element.tag == MAIN + "numFmt":
            custom[_int(element.get("numFmtId"))] = element.get("formatCode", "")
        elif element.tag == MAIN + "xf" and parent is not None and parent.tag == MAIN + "cellXfs":
            format_ids.append(_int(element.get("numFmtId")))
            _detach(element, parent)
    codes = [custom.get(i, BUILTIN_FORMATS.get(i, "General")) for i in format_ids]
    return DateStyles(
        dates=frozenset(n for n, code in enumerate(codes) if is_date_format(code)),
        durations=frozenset(n for n, code in enumerate(codes) if is_timedelta_format(code)),
    )


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0


# --- sheet cells ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedCell:
    row: int
    column: int
    value: Any
    data_type: str
    """openpyxl's type letter: n(umber), s(tring), b(oolean), d(ate), f(ormula), e(rror)."""
    shown_text: str | None = None
    """For a formula whose stored result is text: that text as last calculated ("" when the
    formula shows nothing); None for other cells, and for formulas never calculated."""


RowCheck = Callable[[int], None]
CellCheck = Callable[[ParsedCell], None]


@dataclass
class SheetCells:
    cells: list[ParsedCell] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    """Merged ranges such as "A1:D1", as the sheet declares them."""


def sheet_cells(
    archive: zipfile.ZipFile,
    part: str,
    budget: ElementBudget,
    strings: list[str],
    styles: DateStyles,
    epoch: Any,
    check: CellCheck,
) -> SheetCells:
    """Every cell of one sheet that holds something, in sheet order; `check` sees each cell as
    it is read, so a limit stops the read there rather than after the whole sheet."""
    decoder = WorkSheetParser(
        None,
        strings,
        data_only=False,
        epoch=epoch,
        date_formats=styles.dates,
        timedelta_formats=styles.durations,
    )
    found = SheetCells()
    for element, parent in stream(archive, part, budget):
        if element.tag == MAIN + "row":
            _start_row(decoder, element.get("r"))
            for cell_element in element:
                if cell_element.tag == MAIN + "c":
                    cell = _decode(decoder, cell_element)
                    if cell.value is not None:
                        check(cell)
                        found.cells.append(cell)
            _detach(element, parent)
        elif element.tag == MAIN + "mergeCell":
            ref = element.get("ref", "")
            _bound_merge(ref, part, budget, check)
            found.merged.append(ref)
            _detach(element, parent)
    return found


def _bound_merge(ref: str, part: str, budget: ElementBudget, check: CellCheck) -> None:
    """Refuse a merge before anything is expanded from it: its far corner is checked as a cell
    (the sheet's row and column limits) and its size spent from the file's merged-cell budget.
    A ref that is no range is left for the reader to refuse as it reads it."""
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return
    # "A:A" and "3:3" leave the open side None: a whole column or row of the sheet
    first_row, last_row = min_row or 1, max_row or EXCEL_ROWS
    first_col, last_col = min_col or 1, max_col or EXCEL_COLUMNS
    check(ParsedCell(last_row, last_col, None, "merge"))
    budget.merged_left -= (last_row - first_row + 1) * (last_col - first_col + 1)
    if budget.merged_left < 0:
        raise XmlLimit(
            f"The workbook's merged cells cover more than {MAX_MERGED_CELLS:,} cells, far more "
            f"than any survey (the merge {ref[:40]} in {part})"
        )


def _start_row(decoder: WorkSheetParser, number: str | None) -> None:
    """Row numbering as openpyxl's parser keeps it: the row's r, else one after the last."""
    decoder.row_counter = int(float(number)) if number else decoder.row_counter + 1
    decoder.col_counter = 0


def _decode(decoder: WorkSheetParser, element: Element) -> ParsedCell:
    if element.get("t") == "inlineStr":
        # openpyxl's inline-string path builds a rich-text object per cell; read the text
        # directly, as for shared strings
        decoded = decoder.parse_cell(_without_inline_text(element))
        inline = element.find(MAIN + "is")
        value = _text(inline) if inline is not None else None
        kind = "s" if inline is not None else decoded["data_type"]
        if decoded["data_type"] == "f":
            value, kind = decoded["value"], "f"
        return ParsedCell(decoded["row"], decoded["column"], value, kind)
    decoded = decoder.parse_cell(element)
    shown = None
    if decoded["data_type"] == "f" and element.get("t") == "str":
        shown = element.findtext(MAIN + "v")
    return ParsedCell(
        decoded["row"], decoded["column"], decoded["value"], decoded["data_type"], shown
    )


def _without_inline_text(element: Element) -> Element:
    """The cell without its inline text, for openpyxl to read its place and any formula."""
    bare = Element(element.tag, {k: v for k, v in element.attrib.items() if k != "t"})
    bare.extend(child for child in element if child.tag != MAIN + "is")
    return bare
