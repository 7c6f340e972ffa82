"""Shared by the tests: fresh stores, the bundled wave, principals, snapshots, hostile files."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from landscape import paths
from landscape.intake.validate import load_survey
from landscape.model.landscape import Landscape, build_landscape
from landscape.store.access import Principal, Role
from landscape.store.tables import metadata
from landscape.store.waves import Store, open_store
from landscape.survey import Survey
from tests.builders import FormulaCell, area_rows, programme_rows, workbook_from_rows

ADMIN = Principal("alice", Role.ADMIN)
CAMBRIDGESHIRE = "E23000023"
ESSEX = "E23000028"
CAMBS_OFFICE = Principal("cambs", Role.AREA, CAMBRIDGESHIRE)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


# Which server the store suites run on: a SQLite file per path by default; tests/conftest.py's
# `database_backend` fixture points this at a throwaway PostgreSQL cluster for the PG runs.
_url_for_path: Callable[[Path], str] = sqlite_url


def use_database(url_for_path: Callable[[Path], str]) -> Callable[[Path], str]:
    """Make `database_url` give `url_for_path(path)`; returns the previous rule to put back."""
    global _url_for_path
    previous, _url_for_path = _url_for_path, url_for_path
    return previous


def database_url(path: Path) -> str:
    """The store at `path` on the backend under test: that SQLite file, or on PostgreSQL a
    database of its own for the path (the same path reaches the same database)."""
    return _url_for_path(path)


def fresh_store(tmp_path: Path, *, seed: bool = False, name: str = "store.sqlite") -> Store:
    return open_store(database_url(tmp_path / name), seed=seed)


def read_bundled_survey() -> Survey:
    """The bundled wave, read afresh: a copy the caller may change (the `bundled_survey` fixture
    shares one)."""
    wave = paths.bundled_wave()
    return load_survey(wave.read_bytes(), wave.name)


@cache
def bundled_model() -> Landscape:
    """The landscape model of the bundled wave, built once per test run (the `bundled` fixture,
    and for helpers outside fixtures); never change it."""
    return build_landscape(read_bundled_survey())


def valid_workbook(**changes: Any) -> bytes:
    """The builders' valid survey as an .xlsx; `changes` edit the first Areas row's answers."""
    areas = area_rows()
    areas[0].update(changes)
    return workbook_from_rows(areas, programme_rows())


def area_only_workbook(area: str = "Cambridgeshire", **changes: Any) -> bytes:
    """An area office's correction: its own Areas row and programmes only."""
    areas = [dict(row, **changes) for row in area_rows() if row["force_area"] == area]
    programmes = [row for row in programme_rows() if row["force_area"] == area]
    return workbook_from_rows(areas, programmes)


@dataclass(frozen=True)
class Snapshot:
    counts: dict[str, int]
    file_sha256: str


def snapshot(store: Store) -> Snapshot:
    """Row counts and the database file's hash (after a checkpoint folds the WAL in); on a
    server, a hash of every table's rows in key order instead of the file's."""
    if store.engine.dialect.name != "sqlite":
        return Snapshot(store.table_counts(), _rows_sha256(store))
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.rollback()
    database = Path(str(store.engine.url.database))
    return Snapshot(store.table_counts(), hashlib.sha256(database.read_bytes()).hexdigest())


def _rows_sha256(store: Store) -> str:
    digest = hashlib.sha256()
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            ordered = sa.select(table).order_by(*table.primary_key.columns)
            for row in conn.execute(ordered):
                digest.update(repr((table.name, tuple(row))).encode())
    return digest.hexdigest()


# --- hostile and broken files ------------------------------------------------------------------


def zip_bomb() -> bytes:
    """A small .xlsx-looking zip whose sheet inflates to 60 MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    return buffer.getvalue()


def entity_bomb() -> bytes:
    """A valid workbook whose first worksheet carries a billion-laughs DOCTYPE."""
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
            for i in range(1, 10)
        )
        + "]>"
    )
    source = zipfile.ZipFile(io.BytesIO(valid_workbook()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                body = text.split("?>", 1)[1] if text.startswith("<?xml") else text
                body = body.replace("<sheetData>", "<sheetData><!-- &lol9; -->", 1)
                data = (laughs + body.replace("Filled in", "&lol9;")).encode("utf-8")
            archive.writestr(item, data)
    return buffer.getvalue()


def encrypted_workbook() -> bytes:
    """What Excel writes for a password-protected .xlsx: an OLE compound file, not a zip."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096


def bad_inputs() -> dict[str, tuple[bytes, str]]:
    """Each kind of bad upload issue 5 lists, as (bytes, filename)."""
    valid = valid_workbook()
    areas, programmes = area_rows(), programme_rows()
    return {
        "renamed exe": (b"MZ\x90\x00" + b"\x00" * 200, "survey.xlsx"),
        "renamed html": (b"<html><script>alert(1)</script></html>", "survey.xlsx"),
        "xls": (encrypted_workbook(), "survey.xls"),
        "xlsb": (valid, "survey.xlsb"),
        "xlsm": (valid, "survey.xlsm"),
        "encrypted": (encrypted_workbook(), "survey.xlsx"),
        "zip bomb": (zip_bomb(), "survey.xlsx"),
        "entity bomb": (entity_bomb(), "survey.xlsx"),
        "truncated": (valid[: len(valid) // 2], "survey.xlsx"),
        "missing sheet": (
            workbook_from_rows(areas, programmes, omit_sheets=["Programmes"]),
            "s.xlsx",
        ),
        "renamed column": (
            workbook_from_rows(areas, programmes, rename={"Areas": {"co_commissions": "cocomm"}}),
            "s.xlsx",
        ),
        "wrong type": (
            workbook_from_rows(areas, [dict(programmes[0], annual_capacity="lots")]),
            "s.xlsx",
        ),
        "value outside list": (
            workbook_from_rows(areas, [dict(programmes[0], accreditation="Respekt")]),
            "s.xlsx",
        ),
        "unknown area": (
            workbook_from_rows([*areas, dict(areas[1], force_area="Atlantis")], programmes),
            "s.xlsx",
        ),
        "duplicate area": (workbook_from_rows([*areas, areas[1]], programmes), "s.xlsx"),
        "duplicate programme": (workbook_from_rows(areas, [*programmes, programmes[0]]), "s.xlsx"),
        "formula": (
            workbook_from_rows(
                areas, [dict(programmes[0], annual_capacity=FormulaCell("=100+20"))]
            ),
            "s.xlsx",
        ),
        "empty sheet": (workbook_from_rows([], programmes), "s.xlsx"),
        "far too large": (b"PK\x03\x04" + b"\x00" * (11 * 1024 * 1024), "survey.xlsx"),
        "csv with bom": (
            "\ufeffforce_area,programme_name\r\nEssex,Good Man Project\r\n".encode(),
            "Programmes.csv",
        ),
        "csv in cp1252": ("force_area,notes\r\nEssex,café – £5\r\n".encode("cp1252"), "Areas.csv"),
    }
