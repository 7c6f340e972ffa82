"""Spreadsheets as people really fill them: each case is read as the person meant, with the exact
value stored, or refused with one message naming the cause and the fix. No value is silently
changed or dropped."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest

from landscape.areas import match_area
from landscape.errors import Problem
from landscape.intake.cells import InvalidValue, excel_serial_date, parse
from landscape.intake.template import template_workbook_bytes
from landscape.intake.validate import SurveyInvalid, load_survey, load_survey_csvs
from landscape.intake.workbook import column_letter, find_header_row
from landscape.schema import AREAS, OPTIONAL_SHEETS, PROGRAMMES, SHEETS, Kind, Sheet
from landscape.survey import Survey
from tests.builders import (
    FormulaCell,
    area_rows,
    csvs_from_rows,
    programme_rows,
    workbook_from_rows,
)
from tests.store_support import ADMIN


def letter(sheet: Sheet, column: str) -> str:
    return column_letter(sheet.column_names.index(column))


def edited(data: bytes, edit: Callable[[openpyxl.Workbook], None]) -> bytes:
    """The workbook after a person's edit in a spreadsheet program (here: openpyxl)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    edit(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def loaded(data: bytes) -> Survey:
    return load_survey(data, "survey.xlsx")


def problems_of(data: bytes) -> list[Problem]:
    with pytest.raises(SurveyInvalid) as raised:
        loaded(data)
    return raised.value.problems


def only_problem(data: bytes) -> Problem:
    problems = problems_of(data)
    assert len(problems) == 1, [f"{p.location}: {p.message}" for p in problems]
    return problems[0]


def programmes_with(**changes: Any) -> bytes:
    """The valid test workbook with Programmes row 2 (StepWise) changed."""
    rows = programme_rows()
    rows[0].update(changes)
    return workbook_from_rows(area_rows(), rows)


def areas_with(**changes: Any) -> bytes:
    """The valid test workbook with Areas row 2 (Cambridgeshire) changed."""
    rows = area_rows()
    rows[0].update(changes)
    return workbook_from_rows(rows, programme_rows())


# --- dates pasted into the template stay dates ---------------------------------------------------
def test_template_date_columns_are_formatted_as_dates_down_to_the_last_validated_row():
    template = openpyxl.load_workbook(io.BytesIO(template_workbook_bytes()))
    for sheet in SHEETS:
        worksheet = template[sheet.name]
        for position, column in enumerate(sheet.columns):
            letter = column_letter(position)
            formats = {worksheet[f"{letter}{row}"].number_format for row in (2, 500, 1001)}
            assert formats == ({"yyyy-mm-dd"} if column.kind is Kind.DATE else {"General"})


def test_a_serial_pasted_into_a_template_date_cell_reads_back_as_its_date():
    book = openpyxl.load_workbook(io.BytesIO(template_workbook_bytes()))
    start = column_letter(PROGRAMMES.column_names.index("funding_start"))
    book["Programmes"][f"{start}2"] = 45017  # Paste Special > Values of a date: its serial
    buffer = io.BytesIO()
    book.save(buffer)
    again = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert again["Programmes"][f"{start}2"].value == dt.datetime(2023, 4, 1)


# --- merged cells ---------------------------------------------------------------------------------


def test_a_merged_text_cell_carries_its_value_to_every_merged_row():
    column = letter(PROGRAMMES, "provider")  # rows 2 and 3 are both Cambridgeshire's

    def merge(book: openpyxl.Workbook) -> None:
        book["Programmes"][f"{column}3"] = None
        book["Programmes"].merge_cells(f"{column}2:{column}3")

    survey = loaded(edited(workbook_from_rows(area_rows(), programme_rows()), merge))
    assert list(survey.programmes["provider"][:2]) == ["Probation Service", "Probation Service"]


def test_a_merged_area_column_is_read_as_the_user_sees_it():
    column = letter(PROGRAMMES, "force_area")

    def merge(book: openpyxl.Workbook) -> None:
        book["Programmes"][f"{column}3"] = None
        book["Programmes"].merge_cells(f"{column}2:{column}3")

    survey = loaded(edited(workbook_from_rows(area_rows(), programme_rows()), merge))
    assert list(survey.programmes["area_code"][:2]) == ["E23000023", "E23000023"]


def test_cells_merged_across_columns_are_refused_naming_the_merge():
    first, second = letter(PROGRAMMES, "provider"), letter(PROGRAMMES, "programme_type")

    def merge(book: openpyxl.Workbook) -> None:
        book["Programmes"].merge_cells(f"{first}2:{second}2")

    problems = problems_of(edited(workbook_from_rows(area_rows(), programme_rows()), merge))
    merged = [p for p in problems if p.location == f"Programmes!{first}2"]
    assert [p.message for p in merged] == [
        f"Cells {first}2:{second}2 are merged across columns, so no one column owns the value "
        "they show"
    ]
    assert merged[0].fix.startswith("Unmerge them")


# --- Excel date serials ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("serial", "date"),
    [
        (1, dt.date(1900, 1, 1)),
        (59, dt.date(1900, 2, 28)),
        (60, None),  # Lotus's 29 February 1900, a day that never was
        (61, dt.date(1900, 3, 1)),
        (45017, dt.date(2023, 4, 1)),
        (0, None),
    ],
)
def test_excel_serials_count_from_1900_with_its_leap_year_bug(serial, date):
    assert excel_serial_date(serial) == date


def test_an_excel_date_serial_in_a_general_cell_is_stored_as_the_date():
    survey = loaded(programmes_with(funding_start=45017, funding_end=45747.0))
    stored = survey.programmes.loc[0, ["funding_start", "funding_end"]]
    assert list(stored) == [dt.datetime(2023, 4, 1), dt.datetime(2025, 3, 31)]


def test_a_year_in_a_date_column_is_refused_not_read_as_a_serial():
    problem = only_problem(programmes_with(funding_start=2024))
    assert problem.location == f"Programmes!{letter(PROGRAMMES, 'funding_start')}2"
    assert problem.message == '"2024" is a year, not a date'
    assert problem.fix.startswith("Enter the full date, e.g. 2024-04-01")


def test_an_implausible_serial_is_refused_saying_which_date_it_would_be():
    problem = only_problem(programmes_with(funding_start=1000))
    assert problem.message == (
        '"1000" is a number, not a date; as an Excel date it would be 1902-09-26, which is '
        "unlikely for funding_start"
    )


# --- title rows above the header ------------------------------------------------------------------


def with_title_row(*values: str) -> Callable[[openpyxl.Workbook], None]:
    def edit(book: openpyxl.Workbook) -> None:
        for name in ("Areas", "Programmes"):
            book[name].insert_rows(1)
            for position, value in enumerate(values, start=1):
                book[name].cell(row=1, column=position, value=value)
            book[name].merge_cells("A1:F1")

    return edit


def test_a_title_row_above_the_headers_is_read_past():
    plain = loaded(workbook_from_rows(area_rows(), programme_rows()))
    titled = edited(workbook_from_rows(area_rows(), programme_rows()), with_title_row("Survey"))
    survey = loaded(titled)
    assert survey.areas.equals(plain.areas) and survey.programmes.equals(plain.programmes)


def test_with_a_title_row_problems_name_the_cells_people_see():
    rows = programme_rows()
    rows[2]["accreditation"] = "Respekt"  # Excel row 4, row 5 under the title
    data = edited(workbook_from_rows(area_rows(), rows), with_title_row("APCC survey 2025"))
    problem = only_problem(data)
    assert problem.location == f"Programmes!{letter(PROGRAMMES, 'accreditation')}5"


def test_values_above_the_headers_are_refused_in_one_message_saying_to_delete_the_row():
    data = edited(
        workbook_from_rows(area_rows(), programme_rows()),
        with_title_row("Survey", "", "", "", "", "", "Cambridgeshire", "Yes", "No"),
    )
    problems = problems_of(data)
    assert [p.location for p in problems] == ["Areas", "Programmes"]
    assert problems[0].message == (
        "Row 1 above the headers (row 2) of the Areas sheet holds values, which are not read "
        "as answers"
    )
    assert problems[0].fix.startswith("Delete row 1 so that the headers are in row 1")


def csvs_with_title_line(line: str, **options: Any) -> dict[str, bytes]:
    """The test survey's CSV files with `line` above each header, as a person saves a sheet
    that has a title row (Excel pads it with a separator per column)."""
    return {
        name: line.encode() + b"\r\n" + data
        for name, data in csvs_from_rows(area_rows(), programme_rows(), **options).items()
    }


@pytest.mark.parametrize(
    "title", ["APCC survey 2026", "APCC survey 2026" + "," * 40, '"APCC survey, 2026",1 May 2026']
)
def test_a_title_line_above_a_csv_header_is_read_past_as_in_a_workbook(title):
    plain = load_survey_csvs(csvs_from_rows(area_rows(), programme_rows()))
    survey = load_survey_csvs(csvs_with_title_line(title))
    assert survey.areas.equals(plain.areas) and survey.programmes.equals(plain.programmes)


def test_a_title_line_above_a_semicolon_csv_header_is_read_past():
    def semicolons(files: dict[str, bytes]) -> dict[str, bytes]:
        """As Excel saves a CSV where the decimal separator is a comma."""
        saved = {}
        for name, data in files.items():
            buffer = io.StringIO(newline="")
            csv.writer(buffer, delimiter=";").writerows(csv.reader(io.StringIO(data.decode())))
            saved[name] = buffer.getvalue().encode()
        return saved

    plain = load_survey_csvs(csvs_from_rows(area_rows(), programme_rows()))
    titled = {
        n: b"APCC survey 2026\r\n" + d
        for n, d in semicolons(csvs_from_rows(area_rows(), programme_rows())).items()
    }
    assert b";" in titled["Areas.csv"].split(b"\n")[1]
    survey = load_survey_csvs(titled)
    assert survey.areas.equals(plain.areas) and survey.programmes.equals(plain.programmes)


def test_values_above_a_csv_header_are_refused_in_one_message_per_file_saying_to_delete_them():
    with pytest.raises(SurveyInvalid) as raised:
        load_survey_csvs(csvs_with_title_line("Survey,,,,,,Cambridgeshire,Yes,No"))
    problems = raised.value.problems
    assert [(p.location, p.message, p.fix) for p in problems] == [
        (
            sheet,
            f"Row 1 above the headers (row 2) of the {sheet} sheet holds values, which are not "
            "read as answers",
            "Delete row 1 so that the headers are in row 1, or move its values into the rows "
            "below the headers",
        )
        for sheet in ("Areas", "Programmes")
    ]


def test_a_sheet_without_its_headers_gives_one_message_not_one_per_column():
    def retitle(book: openpyxl.Workbook) -> None:
        for cell in book["Areas"][1]:
            cell.value = f"Question {cell.column}"

    problem = only_problem(edited(workbook_from_rows(area_rows(), programme_rows()), retitle))
    assert problem.location == "Areas"
    assert problem.message == "None of the Areas sheet's column headers was found in its first rows"
    assert "delete any title rows above them" in problem.fix


# --- formulas and stray values dragged over empty rows --------------------------------------------


def test_a_formula_dragged_over_empty_rows_gives_one_message_naming_the_rows():
    rows = programme_rows()
    rows.extend({"notes": FormulaCell(f'=IF(A{n}="","",A{n})')} for n in range(6, 101))
    problem = only_problem(workbook_from_rows(area_rows(), rows))
    notes = letter(PROGRAMMES, "notes")
    assert problem.location == "Programmes"
    assert problem.message == (
        "Rows 6-100 of the Programmes sheet have no force_area or programme_name, only formulas "
        f'that show nothing or little (e.g. =IF(A6="","",A6) in column {notes})'
    )
    assert problem.fix == (
        "Delete rows 6-100 (select them, right-click, Delete); if one is an answer, fill in its "
        "force_area or programme_name"
    )


def test_formulas_dragged_down_the_area_column_too_give_one_message():
    rows = programme_rows()
    rows.extend(
        {"force_area": FormulaCell(f'=IF(B{n}="","",B{n})'), "notes": FormulaCell("=B1")}
        for n in range(6, 31)
    )
    problem = only_problem(workbook_from_rows(area_rows(), rows))
    assert problem.message.startswith(
        "Rows 6-30 of the Programmes sheet have no force_area or programme_name, only formulas"
    )


def test_stray_values_dragged_into_empty_rows_give_one_message_naming_the_rows():
    rows = area_rows()
    rows.extend({"provenance": "Illustrative"} for _ in range(6, 21))
    problem = only_problem(workbook_from_rows(rows, programme_rows()))
    assert problem.message == (
        "Rows 6-20 of the Areas sheet have no force_area, only a stray value or two (e.g. "
        f'"Illustrative" in column {letter(AREAS, "provenance")})'
    )


def test_a_row_with_answers_but_no_area_is_reported_by_cell_not_as_stray():
    rows = area_rows()
    rows[1]["force_area"] = None
    problem = only_problem(workbook_from_rows(rows, programme_rows()))
    assert problem.location == "Areas!A3"
    assert problem.message == "force_area is blank, but every row needs one"


# --- typography -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "column", "written", "stored"),
    [
        (PROGRAMMES, "referral_routes", "Children\u2019s services", ("Children's services",)),
        (PROGRAMMES, "referral_routes", "Self\u2013referral; Police", ("Police", "Self-referral")),
        (PROGRAMMES, "programme_type", "Out\u2014of\u2014court", "DA: out-of-court (e.g. CARA)"),
        (PROGRAMMES, "programme_type", "Non\u2011DA stalking", "Non-DA stalking"),
        (AREAS, "response_status", "Did\u00a0not respond", "Did not respond"),
        (AREAS, "response_status", "Respon\u200bded", "Responded"),
        (AREAS, "response_status", "\ufeffResponded\u2060", "Responded"),
    ],
)
def test_typographic_quotes_dashes_and_invisible_spaces_are_read_as_plain(
    sheet, column, written, stored
):
    assert parse(sheet.column(column), written) == stored


def test_a_whole_workbook_typed_with_typography_is_published_with_the_plain_values(store):
    """A workbook written by openpyxl as a word processor types it: curly quotes, en and em
    dashes, non-breaking, narrow and zero-width spaces in area names, choices and a budget. It is
    published, and the wave read back from the store holds the plain values; free text keeps its
    typography exactly as typed (only matching makes it plain)."""
    areas, programmes = area_rows(), programme_rows()
    areas[0].update(force_area="Cambridge\u200bshire", response_status="Respon\u200bded")
    areas[1].update(force_area="\ufeffEssex", response_status="Responded\u2060")
    areas[2]["force_area"] = "Cumbria\u00a0"
    programmes[0].update(
        force_area="Cambridge\u00adshire",
        programme_type="Out\u2013of\u2013court",
        referral_routes="Children\u2019s services; Out\u2014of\u2014court resolution",
        delivery="Mix\u200bed",
        annual_budget_gbp="\u00a315\u202f000",
        notes="The office\u2019s \u201cown\u201d note \u2013 kept as typed",
    )
    programmes[1].update(
        programme_type="Non\u2011DA\u00a0stalking", delivery="One\u2010to\u2010one"
    )
    programmes[2]["referral_routes"] = "Police;\u00a0Self\u2013referral"
    published = store.publish(
        workbook_from_rows(areas, programmes), "typed.xlsx", principal=ADMIN, label="Typed wave"
    )
    wave = store.load_survey(published.wave.wave_id)
    assert list(wave.areas["area_code"]) == ["E23000023", "E23000028", "E23000002", "E23000031"]
    assert list(wave.areas["response_status"][:3]) == ["Responded"] * 3
    assert list(wave.programmes["area_code"]) == [
        "E23000023",
        "E23000023",
        "E23000028",
        "E23000002",
    ]
    stepwise = wave.programmes.iloc[0]
    assert stepwise["programme_type"] == "DA: out-of-court (e.g. CARA)"
    assert stepwise["referral_routes"] == ("Children's services", "Out-of-court resolution")
    assert stepwise["delivery"] == "Mixed"
    assert stepwise["annual_budget_gbp"] == 15000
    assert stepwise["notes"] == "The office\u2019s \u201cown\u201d note \u2013 kept as typed"
    stalking = wave.programmes.iloc[1]
    assert (stalking["programme_type"], stalking["delivery"]) == ("Non-DA stalking", "One-to-one")
    assert wave.programmes.iloc[2]["referral_routes"] == ("Police", "Self-referral")


def test_a_look_alike_letter_is_named_so_the_suggestion_does_not_look_identical():
    problem = only_problem(programmes_with(delivery="Mix\u0435d"))  # Cyrillic e
    assert problem.fix == (
        'Use one of: Group, One-to-one, Mixed (did you mean "Mixed"?); it contains U+0435 '
        "CYRILLIC SMALL LETTER IE, which may look like a plain character: retype it"
    )


def test_typographic_area_names_match():
    assert match_area("Dyfed\u2013Powys").code == "W15000004"
    assert match_area("Avon\u00a0and\u200b Somerset").code == "E23000036"


# --- Welsh names and yes/no forms -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Heddlu Gwent", "W15000002"),
        ("Heddlu Dyfed-Powys", "W15000004"),
        ("Heddlu Gogledd Cymru", "W15000001"),
        ("Heddlu De Cymru", "W15000003"),
        ("Comisiynydd Heddlu a Throseddu Gwent", "W15000002"),
    ],
)
def test_welsh_force_names_are_accepted(written, code):
    assert match_area(written).code == code


def test_a_welsh_name_in_the_workbook_is_stored_as_the_area():
    areas = area_rows()
    areas[1]["force_area"] = "Heddlu Gwent"
    programmes = programme_rows()
    programmes[2]["force_area"] = "Heddlu Gwent"
    survey = loaded(workbook_from_rows(areas, programmes))
    assert survey.areas.loc[1, "area_code"] == "W15000002"
    assert survey.programmes.loc[2, "area_code"] == "W15000002"


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        *[("Y", "Yes"), ("N", "No"), ("y", "Yes"), ("n", "No"), (True, "Yes"), (False, "No")],
        *[("YES", "Yes"), ("no", "No"), ("yEs", "Yes"), ("TRUE", "Yes"), ("false", "No")],
    ],
)
def test_the_usual_forms_of_yes_and_no_are_accepted(written, stored):
    survey = loaded(areas_with(strategic_board=written))
    assert survey.areas.loc[0, "strategic_board"] == stored


def test_true_is_not_an_answer_where_yes_is_not_allowed():
    with pytest.raises(InvalidValue):
        parse(PROGRAMMES.column("delivery"), True)


# --- reads that could mean two things -------------------------------------------------------------


def test_67_point_000_as_text_is_refused_saying_it_could_be_67_or_67000():
    problem = only_problem(programmes_with(annual_capacity="67.000"))
    assert problem.message == (
        '"67.000" could be 67 or 67,000: a dot before three digits is a decimal point in the UK '
        "but separates thousands in much of Europe"
    )
    assert problem.fix == "Enter 67 or 67000 (digits, and a point only for decimals)"


def test_a_decimal_comma_is_refused_saying_why():
    problem = only_problem(programmes_with(annual_budget_gbp="12,5"))
    assert problem.message == (
        '"12,5" has a decimal comma: it could be 12.5, or a slip in a number such as 15,000 '
        "(commas here separate thousands)"
    )


def test_thousands_in_commas_and_decimals_with_a_point_are_read_exactly():
    survey = loaded(programmes_with(annual_budget_gbp="£15,000.50", annual_capacity="1,200"))
    assert survey.programmes.loc[0, "annual_budget_gbp"] == 15000.5
    assert survey.programmes.loc[0, "annual_capacity"] == 1200


def test_a_fraction_in_a_text_column_is_refused_as_the_cell_may_show_it_otherwise():
    problem = only_problem(programmes_with(provider=3.1))
    assert problem.message == '"3.1" is stored as a number, so it may not be what the cell shows'


def test_a_whole_number_in_a_text_column_is_stored_as_it_shows():
    survey = loaded(programmes_with(provider=67.0))
    assert survey.programmes.loc[0, "provider"] == "67"


# --- suggestions never propose the opposite -------------------------------------------------------


def test_no_response_is_never_offered_responded():
    problem = only_problem(areas_with(response_status="No response"))
    assert '"Responded"?' not in problem.fix
    assert problem.fix == 'Use one of: Responded, Did not respond (did you mean "Did not respond"?)'


def test_not_yes_is_never_offered_yes():
    problem = only_problem(areas_with(strategic_board="Not yes"))
    assert problem.fix == "Use one of: Yes, No"


@pytest.mark.parametrize("sheet", [*SHEETS, *OPTIONAL_SHEETS], ids=lambda s: s.name)
def test_the_headers_are_found_below_a_title_on_every_sheet(sheet):
    grid = {1: {1: "Survey 2025"}, 2: dict(enumerate(sheet.column_names, start=1))}
    assert find_header_row(grid, sheet.name) == 2
    assert find_header_row({1: {1: "Survey 2025"}}, sheet.name) == 1
