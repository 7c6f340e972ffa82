"""Turning what a person uploads into one file to validate: one workbook, or CSV files bundled.

A CSV upload is one file per sheet; they are bundled deterministically into one archive so that the
upload is stored and checksummed like a workbook and an identical re-upload is recognised.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping
from pathlib import PurePath

from landscape.errors import Problem
from landscape.intake.exports import is_import_bundle, load_import_bundle
from landscape.intake.validate import SurveyInvalid, load_survey_csvs
from landscape.intake.validate import load_survey as validate_survey
from landscape.intake.workbook import (
    MAX_FILE_BYTES,
    UnreadableFile,
    column_letter,
    header_key,
    read_csvs,
    read_xlsx,
)
from landscape.survey import Survey

CellLocator = Callable[[str, int], str | None]
"""(sheet name, row position) -> the cell the user sees, e.g. "B14" (None: unknown)."""

MAX_SESSION_UPLOAD_BYTES = 2 * MAX_FILE_BYTES
"""Bytes of uploaded files one browser session may hold in the server's memory at once (10 MiB):
room for a survey upload at the size limit and its replacement, whoever the session is. Streamlit
bounds each file (server.maxUploadSize) but not how many a session sends to its upload endpoint,
signed in or not; `ui.upload_limits` holds every session to this."""
MAX_HELD_UPLOAD_BYTES = 40 * MAX_FILE_BYTES
"""Bytes of uploaded files all sessions of one server process may hold at once (200 MiB)."""

CSV_BUNDLE_SUFFIX = ".csv.zip"
MAX_BUNDLED_FILES = 10
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def upload_refusal(session_bytes: int, held_bytes: int, new_bytes: int) -> str | None:
    """Why a new upload of `new_bytes` may not be held, when its session already holds
    `session_bytes` and the server `held_bytes` (both without any file it replaces); None when
    it may be."""
    if session_bytes + new_bytes > MAX_SESSION_UPLOAD_BYTES:
        return (
            f"This session already holds {session_bytes:,} bytes of uploads; the limit is "
            f"{MAX_SESSION_UPLOAD_BYTES:,}. Remove a file before adding another."
        )
    if held_bytes + new_bytes > MAX_HELD_UPLOAD_BYTES:
        return "The server holds as many uploads as it can. Try again in a few minutes."
    return None


def bundle_csvs(files: Mapping[str, bytes]) -> bytes:
    """One CSV per sheet packed as one archive (stored and checksummed as the upload).

    Deterministic (sorted names, fixed timestamps), so the same CSV files always give the same
    SHA-256 and a re-upload is recognised.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files, key=lambda n: PurePath(n).name.lower()):
            info = zipfile.ZipInfo(PurePath(name).name, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])
    return buffer.getvalue()


def combine_upload(files: Mapping[str, bytes]) -> tuple[bytes, str] | None:
    """(bytes, filename) to validate and store: the one workbook, or the CSV files bundled;
    None when the files mix a workbook with others."""
    names = list(files)
    if len(names) == 1 and not names[0].lower().endswith(".csv"):
        return files[names[0]], PurePath(names[0]).name
    if names and all(name.lower().endswith(".csv") for name in names):
        return bundle_csvs(files), "survey" + CSV_BUNDLE_SUFFIX
    return None


def is_csv_bundle(filename: str) -> bool:
    return filename.lower().endswith(CSV_BUNDLE_SUFFIX)


def unbundle_csvs(data: bytes) -> dict[str, bytes]:
    """The CSV files of a bundle, with size limits checked before anything is inflated."""

    def refuse(message: str) -> SurveyInvalid:
        return SurveyInvalid(
            [Problem(None, None, None, message, "Upload the survey's CSV files (or the .xlsx).")]
        )

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
        if len(entries) > MAX_BUNDLED_FILES:
            raise refuse(f"The bundle holds {len(entries)} files; a survey has 2")
        if sum(e.file_size for e in entries) > MAX_FILE_BYTES:
            raise refuse("The CSV files are far larger than any survey")
        if any(not e.filename.lower().endswith(".csv") for e in entries):
            raise refuse("The bundle holds files that are not CSV")
        return {e.filename: archive.read(e) for e in entries}
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise refuse(f"The CSV bundle cannot be read ({error})") from error


def read_upload(data: bytes, filename: str) -> Survey:
    """Validate an upload: an .xlsx (or one CSV), a bundle of CSV files (`bundle_csvs`), or a
    survey-tool export with its mapping (`exports.bundle_import`)."""
    if is_import_bundle(filename):
        return load_import_bundle(data)
    if is_csv_bundle(filename):
        return load_survey_csvs(unbundle_csvs(data))
    return validate_survey(data, filename)


def cell_locator(data: bytes, filename: str) -> CellLocator | None:
    """Where the user sees row `position` of a sheet: the force-area cell, e.g. "B14"; None
    when the file cannot be read again."""
    try:
        if is_csv_bundle(filename):
            raw = read_csvs(unbundle_csvs(data))
        elif PurePath(filename).suffix.lower() == ".csv":
            raw = read_csvs({PurePath(filename).name: data})
        else:
            raw = read_xlsx(data, filename)
    except (UnreadableFile, SurveyInvalid):
        return None

    def locate(sheet_name: str, position: int) -> str | None:
        sheet = raw.sheets.get(sheet_name)
        if sheet is None or position >= len(sheet.rows):
            return None
        keys = [header_key(h) for h in sheet.header]
        column = keys.index("force_area") if "force_area" in keys else 0
        return f"{column_letter(column)}{sheet.rows[position].number}"

    return locate
