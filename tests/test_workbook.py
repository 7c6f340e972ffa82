"""Hostile and broken files: each gets one clear file-level problem, never a traceback."""

from __future__ import annotations

import io
import random
import zipfile

import openpyxl.xml
import pytest

from landscape.errors import Problem
from landscape.intake import workbook
from landscape.intake.validate import SurveyInvalid, load_survey, load_survey_csvs
from landscape.intake.workbook import UnsafeXmlParsing, read_xlsx, require_safe_xml
from tests.builders import area_rows, csvs_from_rows, programme_rows, workbook_from_rows


@pytest.fixture(scope="module")
def valid_xlsx() -> bytes:
    return workbook_from_rows(area_rows(), programme_rows())


def file_problem(data: bytes, filename: str = "survey.xlsx") -> Problem:
    with pytest.raises(SurveyInvalid) as raised:
        load_survey(data, filename)
    (problem,) = raised.value.problems
    assert problem.location == "file"
    assert problem.fix
    return problem


def rezip(
    data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            content = (replace or {}).get(entry.filename, source.read(entry.filename))
            target.writestr(entry.filename, content, zipfile.ZIP_DEFLATED)
        for name, content in (add or {}).items():
            target.writestr(name, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_the_valid_workbook_loads(valid_xlsx):
    assert len(load_survey(valid_xlsx, "survey.xlsx").programmes) == len(programme_rows())


def test_html_renamed_to_xlsx_is_not_a_spreadsheet():
    problem = file_problem(b"<!DOCTYPE html><html><body>Survey</body></html>")
    assert (
        problem.message == "The file is not a spreadsheet: it looks like a web page or XML document"
    )
    assert ".xlsx" in problem.fix


def test_executable_renamed_to_xlsx_is_not_a_spreadsheet():
    problem = file_problem(b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200))
    assert "not a spreadsheet" in problem.message and "program" in problem.message


def test_random_bytes_are_not_a_spreadsheet():
    assert file_problem(b"\x01\x02garbage\xff" * 10).message == (
        "The file is not a spreadsheet: it is not an Excel workbook"
    )


def test_empty_file():
    assert file_problem(b"").message == "The file is empty"


def test_ole_header_is_old_xls_or_encrypted():
    problem = file_problem(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    assert "password-protected (encrypted)" in problem.message and ".xls" in problem.message
    assert "Remove the password" in problem.fix


@pytest.mark.parametrize("name", ["survey.xlsm", "survey.XLSB"])
def test_macro_enabled_extensions_are_refused(valid_xlsx, name):
    assert "macros are refused" in file_problem(valid_xlsx, name).message


def test_old_xls_extension_is_refused(valid_xlsx):
    problem = file_problem(valid_xlsx, "survey.xls")
    assert "old-format" in problem.message and "Save As" in problem.fix


@pytest.mark.parametrize("name", ["survey.xlsm", "survey.xlsx"])
def test_workbook_with_vba_project_is_refused_whatever_its_name(valid_xlsx, name):
    data = rezip(valid_xlsx, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 fake vba"})
    problem = file_problem(data, name)
    assert "macros" in problem.message
    assert "refused" in problem.message
    assert ".xlsx" in problem.fix


def test_macro_enabled_content_type_is_refused(valid_xlsx):
    with zipfile.ZipFile(io.BytesIO(valid_xlsx)) as archive:
        types = archive.read("[Content_Types].xml")
    types = types.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
    data = rezip(valid_xlsx, replace={"[Content_Types].xml": types})
    assert "macros" in file_problem(data).message


def test_truncated_zip_is_damaged_or_incomplete(valid_xlsx):
    problem = file_problem(valid_xlsx[: len(valid_xlsx) // 2])
    assert problem.message.startswith("The file is damaged or incomplete")


def test_a_zip_that_is_not_a_workbook(valid_xlsx):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert "not an Excel workbook" in file_problem(out.getvalue()).message


ENTITY_BOMB = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
)


@pytest.mark.parametrize("part", ["xl/worksheets/sheet2.xml", "xl/workbook.xml"])
def test_entity_expansion_bomb_is_refused(valid_xlsx, part):
    with zipfile.ZipFile(io.BytesIO(valid_xlsx)) as archive:
        xml = archive.read(part)
    body = xml.split(b"?>", 1)[-1]  # drop any XML declaration: the bomb brings its own
    data = rezip(valid_xlsx, replace={part: ENTITY_BOMB + body.replace(b"</", b"&lol3;</", 1)})
    problem = file_problem(data)
    assert problem.message == (
        "The workbook contains XML entity declarations, which are refused (possible "
        "entity-expansion attack)"
    )


def test_zip_bomb_is_refused_before_extraction(valid_xlsx):
    data = rezip(valid_xlsx, add={"xl/media/image1.png": bytes(50 * 1024 * 1024)})
    assert len(data) < workbook.MAX_FILE_BYTES
    problem = file_problem(data)
    assert problem.message.startswith("The workbook would expand to 50.0 MB; the limit is 20.0 MB")
    assert "zip bomb" in problem.message


def test_parts_are_counted_against_one_budget_for_the_whole_file(valid_xlsx):
    """Each part well under any per-part check, together over the budget."""
    parts = {f"xl/media/image{n}.png": bytes(1024 * 1024 - 1) for n in range(21)}
    problem = file_problem(rezip(valid_xlsx, add=parts))
    assert "The workbook would expand to 21.0 MB; the limit is 20.0 MB" in problem.message


def test_a_long_repetitive_cell_is_too_long_not_a_zip_bomb(valid_xlsx):
    """1 MB of "a" compresses a thousand to one; it is a cell too long, and said so by cell."""
    from tests.test_upload_bounds import long_cell

    with pytest.raises(SurveyInvalid) as raised:
        load_survey(long_cell(1024 * 1024), "survey.xlsx")
    messages = [(p.sheet, p.cell, p.message) for p in raised.value.problems]
    assert not any("zip bomb" in message for _, _, message in messages)
    assert (
        "Programmes",
        "B2",
        "The text is longer than Excel's limit of 32,767 characters",
    ) in messages


def test_total_uncompressed_size_is_limited(valid_xlsx, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_UNCOMPRESSED_BYTES", 10_000)
    assert "expand to" in file_problem(valid_xlsx).message


def test_number_of_zip_entries_is_limited(valid_xlsx, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ZIP_ENTRIES", 3)
    assert "parts; the limit is 3" in file_problem(valid_xlsx).message


def test_oversize_file_is_refused_before_reading():
    problem = file_problem(b"PK\x03\x04" + bytes(6 * 1024 * 1024))
    assert problem.message.startswith("The file is 6.0 MB; the limit is 5.0 MB")


def test_formula_cells_are_detected_with_data_only_false(valid_xlsx):
    raw = read_xlsx(valid_xlsx)
    assert set(raw.sheets) == {"Areas", "Programmes"}  # Instructions ignored
    assert raw.sheets["Programmes"].rows[0].number == 2


def test_refuses_to_run_without_defusedxml(monkeypatch):
    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    with pytest.raises(UnsafeXmlParsing):
        require_safe_xml()


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_with_bom_loads():
    files = csvs_from_rows(area_rows(), programme_rows(), encoding="utf-8-sig")
    assert files["Areas.csv"].startswith(b"\xef\xbb\xbf")
    survey = load_survey_csvs(files)
    assert survey.areas["area_code"].iloc[0] == "E23000023"  # header read despite the BOM


def test_csv_in_cp1252_keeps_its_characters():
    programmes = programme_rows()
    programmes[0]["programme_name"] = "Programme – £ café"
    files = csvs_from_rows(area_rows(), programmes, encoding="cp1252")
    survey = load_survey_csvs({name.lower(): data for name, data in files.items()})
    assert survey.programmes["programme_name"].iloc[0] == "Programme – £ café"


def _programmes_named(*names: str) -> dict[str, bytes]:
    programmes = programme_rows()
    for row, name in zip(programmes, names, strict=False):
        row["programme_name"] = name
    return csvs_from_rows(area_rows(), programmes)


def _reencode_line(data: bytes, number: int, encoding: str) -> bytes:
    lines = data.split(b"\n")
    lines[number - 1] = lines[number - 1].decode("utf-8").encode(encoding)
    return b"\n".join(lines)


def test_csv_mixing_utf8_and_cp1252_is_refused_naming_the_line():
    files = _programmes_named("Gwasanaeth Ŵyl", "Programme café")
    files["Programmes.csv"] = _reencode_line(files["Programmes.csv"], 3, "cp1252")
    with pytest.raises(SurveyInvalid) as raised:
        load_survey_csvs(files)
    (problem,) = raised.value.problems
    assert problem.message == (
        "Programmes mixes text encodings: line 2 is UTF-8 but line 3 is not (it looks like "
        "Windows text), so some characters would be stored garbled"
    )
    assert "line 3" in problem.fix and "CSV UTF-8" in problem.fix


def test_csv_in_utf8_keeps_welsh_letters():
    survey = load_survey_csvs(_programmes_named("Gwasanaeth Ŵyl", "Programme café"))
    assert list(survey.programmes["programme_name"].iloc[:2]) == [
        "Gwasanaeth Ŵyl",
        "Programme café",
    ]


def test_csv_byte_that_is_no_text_in_any_encoding_is_refused_naming_the_line():
    files = _programmes_named("Programme one", "Programme two")
    files["Programmes.csv"] = files["Programmes.csv"].replace(b"Programme two", b"Prog\x81two")
    with pytest.raises(SurveyInvalid) as raised:
        load_survey_csvs(files)
    (problem,) = raised.value.problems
    assert problem.message == (
        "Programmes line 3 holds a byte that is neither UTF-8 nor Windows (cp1252) text"
    )


def test_a_long_csv_cell_is_refused_as_too_long_naming_the_cell():
    from landscape.intake.workbook import column_letter
    from landscape.schema import PROGRAMMES

    with pytest.raises(SurveyInvalid) as raised:
        load_survey_csvs(_programmes_named("a" * 1024 * 1024))
    column = column_letter(PROGRAMMES.column_names.index("programme_name"))
    found = [(p.sheet, p.cell, p.message) for p in raised.value.problems]
    assert found == [
        ("Programmes", f"{column}2", "The text is longer than Excel's limit of 32,767 characters")
    ]


def test_csv_lines_beyond_the_limit_are_refused_while_reading(monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 3)
    problem = file_problem_csv(csvs_from_rows(area_rows(), programme_rows()))
    assert problem.message == "Areas has more than 3 lines, the limit (blank lines count)"


def file_problem_csv(files: dict[str, bytes]) -> Problem:
    with pytest.raises(SurveyInvalid) as raised:
        load_survey_csvs(files)
    (problem,) = raised.value.problems
    assert problem.location == "file"
    return problem


def test_csv_values_match_the_xlsx_values(valid_xlsx):
    from_csv = load_survey_csvs(csvs_from_rows(area_rows(), programme_rows()))
    from_xlsx = load_survey(valid_xlsx, "survey.xlsx")
    import pandas.testing

    pandas.testing.assert_frame_equal(from_csv.areas, from_xlsx.areas)
    pandas.testing.assert_frame_equal(from_csv.programmes, from_xlsx.programmes)


def test_csv_missing_a_sheet_names_the_files_expected():
    files = csvs_from_rows(area_rows(), programme_rows())
    with pytest.raises(SurveyInvalid) as raised:
        load_survey_csvs({"Areas.csv": files["Areas.csv"], "notes.csv": b"x"})
    (problem,) = raised.value.problems
    assert problem.location == "Programmes"
    assert "Areas.csv and Programmes.csv" in problem.fix


def test_a_workbook_passed_as_csv_is_refused(valid_xlsx):
    with pytest.raises(SurveyInvalid) as raised:
        load_survey_csvs({"Areas.csv": valid_xlsx, "Programmes.csv": valid_xlsx})
    assert "not a CSV" in raised.value.problems[0].message


def test_damaged_bytes_anywhere_give_a_problem_never_a_traceback(valid_xlsx):
    rng = random.Random(20250101)
    outcomes = set()
    for _ in range(40):
        data = bytearray(valid_xlsx)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            load_survey(bytes(data), "survey.xlsx")
            outcomes.add("valid")
        except SurveyInvalid as invalid:
            assert invalid.problems and all(p.message and p.fix for p in invalid.problems)
            assert not any("unexpected error" in p.message for p in invalid.problems)
            outcomes.add("invalid")
    assert "invalid" in outcomes


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.99])
def test_files_cut_short_at_any_point_are_damaged(valid_xlsx, keep):
    problem = file_problem(valid_xlsx[: int(len(valid_xlsx) * keep)])
    assert "damaged or incomplete" in problem.message


def test_csv_with_semicolons_between_fields_is_read():
    files = csvs_from_rows(area_rows(), programme_rows())
    text = files["Programmes.csv"].decode()
    import csv as csv_module

    rows = list(csv_module.reader(io.StringIO(text)))
    out = io.StringIO()
    csv_module.writer(out, delimiter=";").writerows(rows)
    files["Programmes.csv"] = out.getvalue().encode()
    survey = load_survey_csvs(files)
    assert survey.programmes["risk_levels"].iloc[0] == ("Standard", "Medium")


def test_an_opendocument_spreadsheet_is_named_as_such():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    problem = file_problem(out.getvalue(), "survey.ods")
    assert "OpenDocument spreadsheet (.ods)" in problem.message


def test_a_csv_named_xlsx_is_recognised_as_text():
    data = csvs_from_rows(area_rows(), programme_rows())["Areas.csv"]
    assert "a text file such as a CSV" in file_problem(data, "Areas.xlsx").message


def test_two_csv_files_for_one_sheet_are_a_problem():
    files = csvs_from_rows(area_rows(), programme_rows())
    files["areas.CSV"] = files["Areas.csv"]
    with pytest.raises(SurveyInvalid) as raised:
        load_survey_csvs(files)
    (problem,) = raised.value.problems
    assert problem.location == "Areas"
    assert problem.message == 'There are 2 files for the Areas sheet ("Areas.csv", "areas.CSV")'


@pytest.mark.parametrize(
    "header", ["force_area", "Force area", " force-area ", "FORCE  -  AREA", "Force_Area"]
)
def test_headers_are_read_as_the_one_column_name_however_written(header):
    assert workbook.header_key(header) == "force_area"


def test_an_empty_header_has_no_column_name():
    assert workbook.header_key(None) == workbook.header_key("  ") == ""
    assert workbook.header_key("annual budget (GBP)") == "annual_budget_(gbp)"


@pytest.mark.parametrize("mac_1904", [False, True])
def test_date_cells_read_as_dates_in_either_calendar(mac_1904):
    """The streaming reader finds date styles and the workbook's calendar as openpyxl does."""
    import datetime as dt

    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book = openpyxl.Workbook()
    if mac_1904:
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.title = "Programmes"
    sheet.append(["programme_name", "start_date"])
    sheet.append(["A programme", dt.datetime(2024, 4, 1)])
    buffer = io.BytesIO()
    book.save(buffer)
    raw = read_xlsx(buffer.getvalue())
    (row,) = raw.sheets["Programmes"].rows
    assert row.values == ("A programme", dt.datetime(2024, 4, 1))
