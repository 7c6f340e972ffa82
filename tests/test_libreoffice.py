"""The template and a filled workbook survive a save in LibreOffice (headless): drop-downs, header
notes, the area drop-down and date formats are kept, and the filled one validates to the same
values; a round's prefilled return keeps its locked area cell and one-area drop-down. Skipped
when LibreOffice is absent, unless LANDSCAPE_REQUIRE_LIBREOFFICE=1 (or LANDSCAPE_REQUIRE_BROWSER=1,
as in CI), which makes its absence a failure."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas.testing
import pytest

from landscape.intake.template import survey_workbook_bytes, template_workbook_bytes
from landscape.intake.validate import load_survey
from landscape.intake.workbook import column_letter
from landscape.schema import AREAS, PROGRAMMES, SHEETS, Kind
from landscape.store.rounds import ReturnStatus, Rounds
from tests.builders import AREA_ROWS, PROGRAMME_ROWS, minimal_survey
from tests.round_support import open_round, store_with_wave
from tests.store_support import ADMIN, CAMBRIDGESHIRE, CAMBS_OFFICE

pytestmark = pytest.mark.slow  # each LibreOffice save takes a few seconds


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    required = ("LANDSCAPE_REQUIRE_LIBREOFFICE", "LANDSCAPE_REQUIRE_BROWSER")
    if any(os.environ.get(name) == "1" for name in required):
        pytest.fail("LibreOffice is required here but neither soffice nor libreoffice is on PATH")
    pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")


def resaved(data: bytes, folder: Path, name: str = "survey.xlsx") -> bytes:
    """`data` opened and saved again as .xlsx by LibreOffice, with a throwaway user profile."""
    source = folder / name
    source.write_bytes(data)
    out = folder / "resaved"
    command = [
        soffice(),
        f"-env:UserInstallation={(folder / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out),
        str(source),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    return (out / name).read_bytes()


def book_of(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def template_resaved(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return resaved(template_workbook_bytes(), tmp_path_factory.mktemp("template"))


def validations(worksheet) -> dict[str, tuple[str | None, str | None]]:
    """(type, list source) of each column's data validation, by column letter."""
    found = {}
    for validation in worksheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            letter = cell_range.coord.split(":")[0].rstrip("0123456789")
            found[letter] = (validation.type, validation.formula1 if validation.type else None)
    return found


def test_the_template_keeps_its_drop_downs_through_a_libreoffice_save(template_resaved):
    before, after = book_of(template_workbook_bytes()), book_of(template_resaved)
    assert after.sheetnames == before.sheetnames
    assert after["Lists"].sheet_state == "hidden"
    for sheet in SHEETS:
        kept = validations(after[sheet.name])
        for letter, (kind, source) in validations(before[sheet.name]).items():
            if kind is not None:
                assert kept[letter] == (kind, source), (sheet.name, letter)
        lists = [v for v in kept.values() if v[0] == "list"]
        assert len(lists) == sum(c.kind in (Kind.CHOICE, Kind.AREA) for c in sheet.columns)


def test_the_area_drop_down_still_lists_the_43_areas(template_resaved):
    book = book_of(template_resaved)
    kind, source = validations(book["Areas"])["A"]
    assert kind == "list" and source is not None
    column = source.split("!")[1].split(":")[0].strip("$").rstrip("0123456789").strip("$")
    names = [c.value for c in book["Lists"][column][1:] if c.value]
    assert len(names) == 43 and "Cambridgeshire" in names


def test_the_template_keeps_its_header_notes_through_a_libreoffice_save(template_resaved):
    before, after = book_of(template_workbook_bytes()), book_of(template_resaved)
    for sheet in SHEETS:
        for position in range(len(sheet.columns)):
            cell = f"{column_letter(position)}1"
            note = after[sheet.name][cell].comment
            assert note is not None, (sheet.name, cell)
            assert note.text.strip() == before[sheet.name][cell].comment.text.strip()


def test_date_columns_stay_dates_through_a_libreoffice_save(template_resaved):
    book = book_of(template_resaved)
    for sheet in SHEETS:
        for position, column in enumerate(sheet.columns):
            cell = book[sheet.name][f"{column_letter(position)}2"]
            assert cell.is_date == (column.kind is Kind.DATE), (sheet.name, column.name)


def test_a_filled_workbook_resaved_by_libreoffice_validates_to_the_same_survey(tmp_path):
    survey = minimal_survey()
    again = load_survey(resaved(survey_workbook_bytes(survey), tmp_path), "resaved.xlsx")
    pandas.testing.assert_frame_equal(again.areas, survey.areas)
    pandas.testing.assert_frame_equal(again.programmes, survey.programmes)


def test_a_return_typed_into_the_resaved_template_with_a_pasted_serial_keeps_its_values(
    template_resaved, tmp_path
):
    """Filled in after LibreOffice's save, a date pasted as its serial (45017), saved again."""
    book = book_of(template_resaved)
    for sheet, rows in ((SHEETS[0], AREA_ROWS), (PROGRAMMES, PROGRAMME_ROWS)):
        for number, row in enumerate(rows, start=2):
            for position, name in enumerate(sheet.column_names, start=1):
                value = row.get(name)
                cell = book[sheet.name].cell(row=number, column=position)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"
    start = PROGRAMMES.column_names.index("funding_start") + 1
    book["Programmes"].cell(row=2, column=start).value = 45017  # 2023-04-01, pasted as a value
    buffer = io.BytesIO()
    book.save(buffer)
    again = load_survey(resaved(buffer.getvalue(), tmp_path), "return.xlsx")
    survey = minimal_survey()
    pandas.testing.assert_frame_equal(again.areas, survey.areas)
    pandas.testing.assert_frame_equal(again.programmes, survey.programmes)
    assert again.programmes.loc[0, "funding_start"] == dt.datetime(2023, 4, 1)


def test_a_rounds_prefilled_return_keeps_its_area_lock_through_a_libreoffice_save(store, tmp_path):
    """Cambridgeshire's return for an open round, saved again by LibreOffice: the area cell stays
    locked on a protected sheet, the programmes' area list offers Cambridgeshire alone, and the
    file validates to the same rows and is stored as Cambridgeshire's first draft."""
    rounds = Rounds(store_with_wave(store))
    opened = open_round(rounds)
    filename, data = rounds.prefilled_return(CAMBS_OFFICE, opened.round_id)
    again = resaved(data, tmp_path, filename)
    book = book_of(again)
    areas = book[AREAS.name]
    assert areas.protection.sheet is True
    assert areas["A2"].value == "Cambridgeshire"
    assert areas["A2"].protection.locked is True
    assert areas["B2"].protection.locked is False
    assert areas["A1"].comment is not None
    area_lists = [
        (v.type, v.formula1, v.errorStyle)
        for v in book[PROGRAMMES.name].data_validations.dataValidation
        if str(v.sqref).startswith("A2:")
    ]
    assert area_lists == [("list", '"Cambridgeshire"', "stop")]
    returned, before = load_survey(again, filename), load_survey(data, filename)
    assert list(returned.areas["area_code"]) == [CAMBRIDGESHIRE]
    pandas.testing.assert_frame_equal(returned.areas, before.areas)
    pandas.testing.assert_frame_equal(returned.programmes, before.programmes)
    version = rounds.upload_return(CAMBS_OFFICE, opened.round_id, again, filename)
    assert (version.area_code, version.version, version.ignored) == (CAMBRIDGESHIRE, 1, ())
    (row,) = [r for r in rounds.tracker(ADMIN, opened.round_id) if r.area_code == CAMBRIDGESHIRE]
    assert (row.status, row.version, row.uploaded_by) == (ReturnStatus.DRAFT, 1, "cambs")
