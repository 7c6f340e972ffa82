"""Validation: every problem reported at its cell, and a Survey only from a valid workbook."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from landscape.errors import Problem, format_problems
from landscape.intake.rules import RULE_CHECKS, RuleCheck, sheet_checks
from landscape.intake.validate import (
    SurveyInvalid,
    load_survey,
    load_survey_csvs,
    problems_frame,
)
from landscape.intake.workbook import column_letter
from landscape.schema import AREAS, PROGRAMMES, SHEETS, Sheet
from tests.builders import (
    FormulaCell,
    area_rows,
    csvs_from_rows,
    programme_rows,
    workbook_from_rows,
)


def cell(sheet_name: str, column: str, row: int) -> str:
    """The address a schema column has in a workbook written in schema order."""
    sheet = AREAS if sheet_name == "Areas" else PROGRAMMES
    return f"{sheet_name}!{column_letter(sheet.column_names.index(column))}{row}"


def problems_of(data: bytes, filename: str = "survey.xlsx") -> list[Problem]:
    with pytest.raises(SurveyInvalid) as raised:
        load_survey(data, filename)
    return raised.value.problems


def by_location(problems: list[Problem]) -> dict[str, Problem]:
    table = {p.location: p for p in problems}
    assert len(table) == len(problems), format_problems(problems)
    return table


# --- a dozen planted errors -------------------------------------------------------------------


def planted_workbook() -> bytes:
    areas = area_rows()
    programmes = programme_rows()
    areas[0]["monitoring_frequency"] = None  # row 2: required because Cambridgeshire responded
    areas[1]["evaluation_reports_supplied"] = FormulaCell("=1+1")  # row 3
    programmes[0]["risk_levels"] = "Standard; Meduim"  # row 2
    programmes[0]["annual_budget_gbp"] = -500
    programmes[0]["annual_capacity"] = "12.5"
    programmes[1]["cohorts"] = None  # row 3: required
    programmes.append(dict(programmes[2], programme_name=" good man PROJECT"))  # row 6
    programmes.append(dict(programmes[3], programme_name="Surrey's own", force_area="Surrey"))
    programmes[2]["accreditation"] = "Respekt"  # row 4
    programmes[2]["funding_start"] = "31/02/2024"
    programmes[3]["funding_start"] = dt.date(2025, 4, 1)  # row 5, ends 2025-03-31
    programmes.append(dict(programmes[1], force_area="Cambrigeshire", cohorts="All"))  # row 8
    return workbook_from_rows(areas, programmes)


PLANTED = {
    cell("Areas", "monitoring_frequency", 2): (None, "monitoring_frequency is blank"),
    cell("Areas", "evaluation_reports_supplied", 3): ("=1+1", "formula"),
    cell("Programmes", "risk_levels", 2): ("Standard; Meduim", '"Meduim" is not one of'),
    cell("Programmes", "annual_budget_gbp", 2): ("-500", "below the minimum of 0"),
    cell("Programmes", "annual_capacity", 2): ("12.5", "not a whole number"),
    cell("Programmes", "cohorts", 3): (None, "cohorts is blank"),
    cell("Programmes", "accreditation", 4): ("Respekt", "not an allowed accreditation"),
    cell("Programmes", "funding_start", 4): ("31/02/2024", "not a date"),
    cell("Programmes", "funding_end", 5): ("2025-03-31", "before funding_start"),
    cell("Programmes", "programme_name", 6): (" good man PROJECT", "first at row 4"),
    cell("Programmes", "force_area", 7): ("Surrey", "Did not respond"),
    cell("Programmes", "force_area", 8): ("Cambrigeshire", "not a police force area"),
}


def test_a_dozen_planted_errors_are_reported_exactly_at_their_cells():
    problems = by_location(problems_of(planted_workbook()))
    assert set(problems) == set(PLANTED), format_problems(list(problems.values()))
    for location, (value, words) in PLANTED.items():
        assert problems[location].value == value, location
        assert words in problems[location].message, (location, problems[location].message)


def test_planted_errors_suggest_the_nearest_value_or_area():
    problems = by_location(problems_of(planted_workbook()))
    assert '"Respect"' in problems["Programmes!I4"].fix
    assert '"Medium"' in problems[cell("Programmes", "risk_levels", 2)].fix
    assert "Cambridgeshire" in problems[cell("Programmes", "force_area", 8)].fix


def test_the_addresses_are_those_excel_shows():
    assert cell("Programmes", "accreditation", 4) == "Programmes!I4"
    assert cell("Areas", "monitoring_frequency", 2) == "Areas!N2"


def test_a_problem_reads_as_one_plain_english_line():
    problems = by_location(problems_of(planted_workbook()))
    assert format_problems([problems["Programmes!I4"]]) == (
        'Programmes!I4: "Respekt" is not an allowed accreditation. Use one of: Respect, CSAAP, '
        'NFI, None, Not applicable (did you mean "Respect"?)'
    )


def test_problems_are_sorted_by_sheet_row_and_column():
    locations = [p.location for p in problems_of(planted_workbook())]
    assert locations[:2] == ["Areas!N2", "Areas!R3"]
    assert locations[2:5] == ["Programmes!E2", "Programmes!N2", "Programmes!O2"]


def test_problems_frame_is_the_downloadable_list():
    frame = problems_frame(problems_of(planted_workbook()))
    assert list(frame.columns) == ["location", "sheet", "cell", "value", "problem", "what_to_do"]
    assert len(frame) == len(PLANTED)
    assert frame.loc[frame["location"] == "Programmes!I4", "cell"].item() == "I4"


# --- sheets and columns -------------------------------------------------------------------------


def test_missing_sheet_names_the_expected_sheets():
    data = workbook_from_rows(area_rows(), programme_rows(), omit_sheets=["Programmes"])
    (problem,) = problems_of(data)
    assert problem.location == "Programmes"
    assert "no sheet named Programmes" in problem.message
    assert "Instructions" in problem.message  # what was found
    assert "Areas, Programmes" in problem.fix


def test_renamed_column_is_reported_at_its_header_with_the_expected_name():
    data = workbook_from_rows(
        area_rows(), programme_rows(), rename={"Programmes": {"provider": "Provder"}}
    )
    (problem,) = problems_of(data)
    assert problem.location == "Programmes!C1" and problem.value == "Provder"
    assert '"provider" is missing' in problem.message and '"Provder"' in problem.message
    assert 'Rename the header "Provder" to "provider"' in problem.fix


def test_missing_column_without_a_near_header_points_past_the_last_column():
    data = workbook_from_rows(area_rows(), programme_rows(), drop={"Areas": ["respondent_body"]})
    (problem,) = problems_of(data)
    assert problem.location == f"Areas!{column_letter(len(AREAS.columns) - 1)}1"
    assert '"respondent_body" is missing' in problem.message


def test_extra_column_is_reported_with_what_to_do():
    rows = programme_rows()
    rows[0]["comments"] = "extra"
    (problem,) = problems_of(workbook_from_rows(area_rows(), rows))
    assert problem.location == f"Programmes!{column_letter(len(PROGRAMMES.columns))}1"
    assert '"comments" is not a column of the Programmes sheet' in problem.message
    assert "Remove this column" in problem.fix


def test_headers_match_regardless_of_case_and_spacing():
    data = workbook_from_rows(
        area_rows(), programme_rows(), rename={"Programmes": {"programme_name": " Programme Name"}}
    )
    survey = load_survey(data, "survey.xlsx")
    assert "StepWise" in list(survey.programmes["programme_name"])


def test_empty_sheet_is_a_problem():
    (problem,) = problems_of(workbook_from_rows(area_rows(), []))
    assert problem.location == "Programmes"
    assert "no data rows" in problem.message


def test_duplicate_area_names_the_first_row():
    rows = area_rows()
    rows.append(dict(rows[1], force_area="essex pfcc"))
    (problem,) = problems_of(workbook_from_rows(rows, programme_rows()))
    assert problem.location == "Areas!A6"
    assert problem.message == "Essex appears more than once; first at row 3"


def test_unknown_area_on_areas_sheet_does_not_also_blame_its_programmes():
    rows = area_rows()
    rows[1]["force_area"] = "Esex"
    (problem,) = problems_of(workbook_from_rows(rows, programme_rows()))
    assert problem.location == "Areas!A3"
    assert "Essex" in problem.fix


def test_co_commissioning_partners_required_when_co_commissioning():
    rows = area_rows()
    rows[0]["co_commissioning_partners"] = None
    (problem,) = problems_of(workbook_from_rows(rows, programme_rows()))
    assert problem.location == cell("Areas", "co_commissioning_partners", 2)


def test_evaluation_status_must_be_blank_when_there_is_no_evaluation():
    rows = programme_rows()
    rows[1]["evaluation_status"] = "Planned"  # evaluation_type None
    rows[0]["evaluation_status"] = None  # evaluation_type External
    problems = by_location(problems_of(workbook_from_rows(area_rows(), rows)))
    assert set(problems) == {
        cell("Programmes", "evaluation_status", 3),
        cell("Programmes", "evaluation_status", 2),
    }


def test_commas_in_a_several_of_a_list_cell_get_a_separator_hint():
    rows = programme_rows()
    rows[0]["risk_levels"] = "Standard, Medium"
    (problem,) = problems_of(workbook_from_rows(area_rows(), rows))
    assert 'Separate several values with ";"' in problem.fix


def test_control_characters_in_text_are_refused():
    rows = programme_rows()
    rows[0]["provider"] = "Probation\x07Service"
    with pytest.raises(SurveyInvalid) as raised:
        load_survey_csvs(csvs_from_rows(area_rows(), rows))
    (problem,) = raised.value.problems
    assert problem.location == cell("Programmes", "provider", 2)
    assert "control characters" in problem.message


def test_the_refusal_counts_its_problems_in_words():
    one = Problem("Areas", "A2", None, "m", "f")
    assert SurveyInvalid([one]).message == "1 problem found in the survey upload"
    two = [one, Problem("Areas", "A3", None, "m", "f")]
    assert SurveyInvalid(two).message == "2 problems found in the survey upload"


def unmatched_rules(
    sheets: tuple[Sheet, ...], checks: dict[str, RuleCheck]
) -> tuple[set[str], set[str]]:
    """(declared rules with no check, checks with no declared rule), by the rule's name."""
    declared = {rule.name for sheet in sheets for rule in sheet.rules}
    return declared - set(checks), set(checks) - declared


def test_every_declared_rule_has_a_check_and_every_check_a_declared_rule():
    assert unmatched_rules(SHEETS, RULE_CHECKS) == (set(), set())


def test_a_check_for_a_rule_the_schema_does_not_declare_is_caught():
    checks = {**RULE_CHECKS, "areas_are_sorted": RULE_CHECKS["unique_force_area"]}
    assert unmatched_rules(SHEETS, checks) == (set(), {"areas_are_sorted"})


def test_a_declared_rule_without_a_check_is_caught(monkeypatch):
    checks = {k: v for k, v in RULE_CHECKS.items() if k != "funding_end_not_before_start"}
    assert unmatched_rules(SHEETS, checks) == ({"funding_end_not_before_start"}, set())
    monkeypatch.delitem(RULE_CHECKS, "funding_end_not_before_start")
    with pytest.raises(KeyError, match="funding_end_not_before_start"):
        sheet_checks(PROGRAMMES)


def test_each_rule_keeps_its_check_when_the_schema_reorders_its_rules():
    reordered = dataclasses.replace(AREAS, rules=tuple(reversed(AREAS.rules)))
    assert sheet_checks(reordered) == tuple(reversed(sheet_checks(AREAS)))


# --- values accepted and stored canonically -------------------------------------------------------


def test_values_are_read_leniently_and_stored_canonically():
    areas, programmes = area_rows(), programme_rows()
    areas[0]["force_area"] = "  cambridgeshire and peterborough pcc "
    areas[0]["monitoring_frequency"] = "  QUARTERLY "
    areas[0]["stalking_provision"] = "specialist non-da;within DA programmes; "
    areas[0]["evaluation_reports_supplied"] = "2"
    areas[1]["force_area"] = "E23000028"
    areas[2]["evaluation_reports_supplied"] = 0.0
    programmes[0]["annual_budget_gbp"] = "£15,000"
    programmes[0]["annual_capacity"] = 120.0
    programmes[0]["funding_start"] = "01/04/2023"
    programmes[0]["funding_end"] = dt.datetime(2025, 3, 31, 17, 30)
    programmes[1]["force_area"] = "Cambs"
    programmes[2]["provider"] = "=HYPERLINK(bad)"  # text, not a formula: kept verbatim
    survey = load_survey(workbook_from_rows(areas, programmes), "survey.xlsx")
    first = survey.areas.iloc[0]
    assert first["area_code"] == "E23000023"
    assert first["monitoring_frequency"] == "Quarterly"
    assert first["stalking_provision"] == ("Within DA programmes", "Specialist non-DA")
    assert survey.areas["evaluation_reports_supplied"].tolist()[:3] == [2, pd.NA, 0]
    assert survey.areas.iloc[1]["area_code"] == "E23000028"
    stepwise = survey.programmes.iloc[0]
    assert stepwise["annual_budget_gbp"] == 15000.0
    assert stepwise["annual_capacity"] == 120
    assert stepwise["funding_start"] == pd.Timestamp("2023-04-01")
    assert stepwise["funding_end"] == pd.Timestamp("2025-03-31")
    assert survey.programmes.iloc[2]["provider"] == "=HYPERLINK(bad)"
    assert str(survey.programmes["funding_start"].dtype) == "datetime64[ns]"


def test_cambs_alias_resolves_only_if_declared():
    # Guard for the test above: the alias table decides which names resolve.
    from landscape.areas import match_area

    assert match_area("Cambs").code == "E23000023"


def test_values_that_could_not_be_stored_are_refused_with_a_reason():
    areas, programmes = area_rows(), programme_rows()
    areas[0]["evaluation_reports_supplied"] = 10**15
    programmes[0]["annual_budget_gbp"] = "£5,000,000,000,000"
    programmes[0]["funding_start"] = "01/04/1066"
    problems = by_location(problems_of(workbook_from_rows(areas, programmes)))
    assert "too large" in problems[cell("Areas", "evaluation_reports_supplied", 2)].message
    assert "too large" in problems[cell("Programmes", "annual_budget_gbp", 2)].message
    assert "outside the years" in problems[cell("Programmes", "funding_start", 2)].message
    assert len(problems) == 3


def test_values_past_the_last_header_are_reported():
    data = workbook_from_rows(area_rows(), programme_rows(), rename={"Areas": {"notes": ""}})
    problems = by_location(problems_of(data))
    notes = cell("Areas", "notes", 1)
    assert problems[notes].message.endswith("has values but no header")
    assert '"notes" is missing' in problems[f"Areas!{column_letter(len(AREAS.columns))}1"].message


# --- rules across columns -----------------------------------------------------------------------


def test_stalking_provision_none_must_stand_alone():
    rows = area_rows()
    rows[0]["stalking_provision"] = "None; Specialist non-DA"
    (problem,) = problems_of(workbook_from_rows(rows, programme_rows()))
    assert problem.location == "Areas!E2" == cell("Areas", "stalking_provision", 2)
    assert problem.value == "None; Specialist non-DA"
    assert format_problems([problem]) == (
        'Areas!E2: stalking_provision is "None; Specialist non-DA": "None" cannot be listed '
        'with other provision. Write "None" alone if the area has no stalking perpetrator '
        'provision, or remove "None" and keep the kinds of provision it has'
    )


def test_stalking_provision_none_alone_is_accepted_whatever_its_case():
    rows = area_rows()
    rows[2]["stalking_provision"] = " none ;"
    survey = load_survey(workbook_from_rows(rows, programme_rows()), "survey.xlsx")
    assert survey.areas.iloc[2]["stalking_provision"] == ("None",)


def test_a_non_responding_area_leaves_its_answers_blank():
    rows = area_rows()  # row 5: Surrey, Did not respond
    rows[3].update(
        stalking_provision="Within DA programmes",
        evaluation_reports_supplied=0,
        risk_forums="MARAC",
        # these may be filled without a response
        respondent_body="Surrey PCC",
        ho_fund_recipient="Yes",
        follow_up_engagement="None",
        source="Home Office list of fund recipients",
        notes="did not reply by the deadline",
    )
    problems = by_location(problems_of(workbook_from_rows(rows, programme_rows())))
    assert set(problems) == {"Areas!E5", "Areas!L5", "Areas!R5"}
    assert [cell("Areas", c, 5) for c in ("stalking_provision", "risk_forums")] == [
        "Areas!E5",
        "Areas!L5",
    ]
    assert format_problems([problems["Areas!E5"]]) == (
        'Areas!E5: stalking_provision is "Within DA programmes", but this area did not respond. '
        "Leave stalking_provision blank, or set response_status to Responded"
    )
    reports = problems["Areas!R5"]
    assert (reports.value, reports.message, reports.fix) == (
        "0",
        'evaluation_reports_supplied is "0", but this area did not respond',
        "Leave evaluation_reports_supplied blank, or set response_status to Responded",
    )
    assert problems["Areas!L5"].value == "MARAC"


def test_a_non_responding_area_with_none_and_more_gets_one_problem_at_the_cell():
    rows = area_rows()
    rows[3]["stalking_provision"] = "None; Specialist non-DA"
    (problem,) = problems_of(workbook_from_rows(rows, programme_rows()))
    assert problem.location == "Areas!E5"
    assert '"None" cannot be listed with other provision' in problem.message
