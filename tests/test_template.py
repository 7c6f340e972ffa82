"""The downloadable template and the filled survey workbook, both driven by the schema."""

from __future__ import annotations

import io

import openpyxl
import pandas.testing
import pytest

from landscape.areas import force_areas
from landscape.intake.template import survey_workbook_bytes, template_workbook_bytes
from landscape.intake.validate import SurveyInvalid, load_survey
from landscape.intake.workbook import column_letter
from landscape.schema import AREAS, LIST_SEPARATOR, OPTIONAL_SHEETS, SHEETS, Kind
from tests.builders import minimal_survey


@pytest.fixture(scope="module")
def template() -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(template_workbook_bytes()))


@pytest.fixture(scope="module")
def filled_bytes() -> bytes:
    return survey_workbook_bytes(minimal_survey())


@pytest.fixture(scope="module")
def filled(filled_bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(filled_bytes))


def validations_by_column(worksheet) -> dict[str, object]:
    found = {}
    for validation in worksheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            found[cell_range.coord.split(":")[0].rstrip("0123456789")] = validation
    return found


def list_values(book: openpyxl.Workbook, formula: str) -> list[str]:
    sheet_name, cells = formula.split("!")
    first, last = cells.replace("$", "").split(":")
    return [c.value for (c,) in book[sheet_name][f"{first}:{last}"]]


def test_sheets_are_instructions_then_the_schema_sheets_then_hidden_lists(template):
    schema_sheets = (*SHEETS, *OPTIONAL_SHEETS)
    assert template.sheetnames == ["Instructions", *(s.name for s in schema_sheets), "Lists"]
    assert template["Lists"].sheet_state == "hidden"
    assert template.active.title == "Instructions"


def test_headers_are_the_schema_columns_bold_frozen_with_comments(template):
    for sheet in SHEETS:
        worksheet = template[sheet.name]
        header = [c.value for c in worksheet[1]]
        assert header == list(sheet.column_names)
        assert all(c.font.bold for c in worksheet[1])
        assert worksheet.freeze_panes == "B2"
        for position, column in enumerate(sheet.columns):
            assert column.description in worksheet.cell(row=1, column=position + 1).comment.text


def test_every_choice_column_has_a_strict_drop_down_of_its_allowed_values(template):
    for sheet in SHEETS:
        validations = validations_by_column(template[sheet.name])
        for position, column in enumerate(sheet.columns):
            if column.kind is not Kind.CHOICE:
                continue
            validation = validations[column_letter(position)]
            assert validation.type == "list"
            assert validation.showErrorMessage and validation.errorStyle == "stop"
            assert list_values(template, validation.formula1) == list(column.allowed)


def test_several_of_a_list_columns_prompt_with_their_allowed_values(template):
    for sheet in SHEETS:
        validations = validations_by_column(template[sheet.name])
        for position, column in enumerate(sheet.columns):
            if column.kind is Kind.CHOICES:
                prompt = validations[column_letter(position)].prompt
                assert LIST_SEPARATOR in prompt
                assert all(value in prompt for value in column.allowed)


def test_numbers_and_dates_are_validated_by_type(template):
    expected = {Kind.INTEGER: "whole", Kind.NUMBER: "decimal", Kind.DATE: "date"}
    for sheet in SHEETS:
        validations = validations_by_column(template[sheet.name])
        for position, column in enumerate(sheet.columns):
            if column.kind in expected:
                assert validations[column_letter(position)].type == expected[column.kind]


def test_force_area_offers_the_43_display_names(template):
    validation = validations_by_column(template["Programmes"])["A"]
    assert list_values(template, validation.formula1) == [a.display_name for a in force_areas()]


def test_instructions_explain_the_separator_rows_rules_and_provenance(template):
    text = "\n".join(str(c.value) for row in template["Instructions"].iter_rows() for c in row)
    assert f'"{LIST_SEPARATOR}"' in text
    for sheet in SHEETS:
        assert sheet.description in text
        assert all(rule.text in text for rule in sheet.rules)
    assert "Illustrative" in text and "Sourced" in text


def test_the_empty_template_is_reported_as_empty_not_broken():
    with pytest.raises(SurveyInvalid) as raised:
        load_survey(template_workbook_bytes(), "template.xlsx")
    assert [p.location for p in raised.value.problems] == ["Areas", "Programmes"]


def test_filled_workbook_round_trips_to_an_equal_survey(filled_bytes):
    survey = minimal_survey()
    loaded = load_survey(filled_bytes, "survey.xlsx")
    pandas.testing.assert_frame_equal(loaded.areas, survey.areas)
    pandas.testing.assert_frame_equal(loaded.programmes, survey.programmes)


def test_text_starting_with_equals_is_written_as_text_not_a_formula(filled):
    letter = column_letter(AREAS.column_names.index("notes"))
    notes = [c for c in filled["Areas"][letter] if c.value == "=not a formula, just text"]
    assert len(notes) == 1 and notes[0].data_type == "s"


def test_filled_workbook_writes_display_names_lists_and_dates(filled):
    areas, programmes = filled["Areas"], filled["Programmes"]
    assert areas["A2"].value == "Cambridgeshire"
    assert areas["E2"].value == "Within DA programmes; Specialist non-DA"
    assert programmes["P2"].is_date and programmes["P2"].value.date().isoformat() == "2023-04-01"


def test_output_is_deterministic(filled_bytes):
    assert survey_workbook_bytes(minimal_survey()) == filled_bytes


def test_the_bundled_wave_round_trips_through_the_template_format():
    from landscape.paths import BUNDLED_WAVE

    if not BUNDLED_WAVE.exists():
        pytest.skip("the bundled wave has not been built")
    survey = load_survey(BUNDLED_WAVE.read_bytes(), BUNDLED_WAVE.name)
    again = load_survey(survey_workbook_bytes(survey), "again.xlsx")
    pandas.testing.assert_frame_equal(again.areas, survey.areas)
    pandas.testing.assert_frame_equal(again.programmes, survey.programmes)
