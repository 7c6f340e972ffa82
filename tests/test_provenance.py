"""Provenance per value: the Provenance sheet, its validation, and the bundled wave's sourced facts.

Each corrected seed fact (issue 9, notes/sourced_review.md) has a test naming its document and
section.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from landscape.intake.provenance import PROVENANCE_CHECKS
from landscape.intake.template import survey_workbook_bytes
from landscape.intake.validate import SurveyInvalid, load_survey
from landscape.model.landscape import Landscape, build_landscape
from landscape.schema import PROVENANCE
from tests.builders import minimal_survey


def _value(model: Landscape, area: str, column: str, programme: str | None = None) -> dict:
    values = model.value_provenance
    code = model.areas.index[model.areas["display_name"] == area][0]
    chosen = values[
        (values["area_code"] == code)
        & (values["column"] == column)
        & (
            values["programme_name"].isna()
            if programme is None
            else values["programme_name"] == programme
        )
    ]
    assert len(chosen) == 1, (area, programme, column)
    return chosen.iloc[0].to_dict()


def _programme(model: Landscape, area: str, name: str):
    rows = model.programmes.set_index(["display_name", "programme_name"])
    return rows.loc[(area, name)]


# --- the schema's rules and their checks ---------------------------------------------------------


def test_every_provenance_rule_has_a_check_and_every_check_a_rule():
    assert {rule.name for rule in PROVENANCE.rules} == set(PROVENANCE_CHECKS)


# --- uploads ----------------------------------------------------------------------------------


def _workbook_with_provenance(rows: list[list[object]]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(survey_workbook_bytes(minimal_survey())))
    sheet = book["Provenance"]
    for number, values in enumerate(rows, start=2):
        for position, value in enumerate(values, start=1):
            sheet.cell(row=number, column=position, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _problems(data: bytes) -> list[tuple[str | None, str | None, str]]:
    with pytest.raises(SurveyInvalid) as raised:
        load_survey(data, "wave.xlsx")
    return [(p.sheet, p.cell, p.message) for p in raised.value.problems]


def test_an_upload_without_provenance_rows_is_reported_throughout():
    survey = load_survey(survey_workbook_bytes(minimal_survey()), "wave.xlsx")
    model = build_landscape(survey)
    own = model.value_provenance
    reported_rows = set(survey.areas["provenance"].dropna()) <= {"Reported"}
    assert survey.provenance.empty
    assert set(own["provenance"]) <= {"Reported", "Illustrative"}
    if reported_rows:
        assert set(own["provenance"]) == {"Reported"}


def test_a_blank_row_provenance_means_every_value_is_reported():
    base = minimal_survey()
    base.areas["provenance"] = None
    base.programmes["provenance"] = None
    model = build_landscape(load_survey(survey_workbook_bytes(base), "wave.xlsx"))
    assert set(model.value_provenance["provenance"]) == {"Reported"}
    assert len(model.value_provenance) > 10


def test_a_sourced_value_is_read_with_its_citation():
    survey = minimal_survey()
    area = survey.areas.iloc[0]
    data = _workbook_with_provenance(
        [["Areas", str(area["area_code"]), None, "response_status", "Sourced", "FOI", "Q1", None]]
    )
    model = build_landscape(load_survey(data, "wave.xlsx"))
    name = model.areas.loc[str(area["area_code"]), "display_name"]
    value = _value(model, name, "response_status")
    assert (value["provenance"], value["document"], value["section"]) == ("Sourced", "FOI", "Q1")


def test_provenance_problems_are_addressed_by_cell():
    survey = minimal_survey()
    code = str(survey.areas.iloc[0]["area_code"])
    programme = str(survey.programmes.iloc[0]["programme_name"])
    area_of_programme = str(survey.programmes.iloc[0]["area_code"])
    data = _workbook_with_provenance(
        [
            ["Areas", code, None, "response_status", "Sourced", None, "Q1", None],
            ["Areas", code, None, "colour", "Illustrative", None, None, None],
            ["Programmes", area_of_programme, "No such programme", "provider", "Reported"],
            ["Areas", code, None, "respondent_body", "Guessed", None, None, None],
            ["Areas", code, programme, "respondent_body", "Reported", None, None, None],
            ["Programmes", area_of_programme, programme, "provider", "Sourced", "FOI", None],
        ]
    )
    problems = _problems(data)
    cells = {(sheet, cell) for sheet, cell, _ in problems}
    assert {
        ("Provenance", "F2"),  # sourced without a document
        ("Provenance", "D3"),  # not a column of Areas
        ("Provenance", "C4"),  # not a programme of that area
        ("Provenance", "E5"),  # not an allowed kind
        ("Provenance", "C6"),  # a programme named on an Areas value
        ("Provenance", "G7"),  # sourced without a section
    } <= cells
    messages = " | ".join(m for _, _, m in problems)
    assert "is blank, but the value is Sourced" in messages
    assert '"colour" is not an answer column of the Areas sheet' in messages


def test_the_same_value_listed_twice_is_a_problem():
    survey = minimal_survey()
    code = str(survey.areas.iloc[0]["area_code"])
    row = ["Areas", code, None, "response_status", "Reported", None, None, None]
    problems = _problems(_workbook_with_provenance([row, row]))
    assert ("Provenance", "D3") in {(s, c) for s, c, _ in problems}


# --- the bundled wave ---------------------------------------------------------------------------


def test_every_answer_of_the_bundled_wave_is_sourced_published_or_illustrative(bundled):
    kinds = set(bundled.value_provenance["provenance"])
    assert kinds <= {"Published", "Sourced", "Illustrative"}
    sourced = bundled.value_provenance[bundled.value_provenance["provenance"] == "Sourced"]
    assert len(sourced) > 150
    assert sourced["document"].map(bool).all() and sourced["section"].map(bool).all()


def test_the_bundled_workbook_carries_its_provenance_sheet(bundled_survey):
    assert len(bundled_survey.provenance) > 150


def test_a_named_programmes_unsourced_values_are_illustrative(bundled):
    value = _value(bundled, "Cambridgeshire", "accreditation", "StepWise")
    assert value["provenance"] == "Illustrative"
    assert value["document"] is None or value["document"] != value["document"]


def test_turning_the_spotlight_ran_2017_to_2020_per_cumbria_decision_031_2017(bundled):
    # Cumbria PCC decision 031/2017, Recommendation: funded 1 October 2017 to 31 March 2020;
    # the survey asked about programmes PCCs currently commission, so it is not a 2025 programme
    names = set(bundled.programmes.loc[bundled.programmes["display_name"] == "Cumbria"].iloc[:, 0])
    cumbria = bundled.programmes[bundled.programmes["display_name"] == "Cumbria"]
    assert "Turning the Spotlight" not in set(cumbria["programme_name"]), names
    notes = bundled.areas.loc[bundled.areas["display_name"] == "Cumbria", "notes"].iloc[0]
    assert "1 October 2017 to 31 March 2020" in notes and "past programme" in notes


def test_turning_the_spotlight_is_not_delivered_by_victim_support_per_cumbria_031_2017(bundled):
    # Executive Summary: Victim Support delivered the earlier programmes only to September 2017
    assert not (bundled.programmes["provider"] == "Victim Support").any()


def test_stepwise_home_office_funding_is_the_2021_23_rounds_per_foi_018_q10(bundled):
    stepwise = _programme(bundled, "Cambridgeshire", "StepWise")
    assert stepwise["funding_sources"] == (
        "Home Office DA perpetrator fund (rounds before 2023-25)",
    )
    assert str(stepwise["funding_start"].date()) == "2021-08-01"
    assert str(stepwise["funding_end"].date()) == "2023-03-31"
    value = _value(bundled, "Cambridgeshire", "funding_sources", "StepWise")
    assert "FOI/OPCC/24-018" in value["document"]
    assert value["section"] == "Q10 Budget inclusive of Running Costs"


def test_stepwise_second_15000_period_per_foi_018_q10(bundled):
    stepwise = _programme(bundled, "Cambridgeshire", "StepWise")
    assert stepwise["annual_budget_gbp"] == 15000
    assert "GBP 15,000 Home Office fund round (Aug 2022 - Mar 2023" in stepwise["period_figures"]


def test_stalking_team_funding_began_august_2021_per_foi_006_section_5_1(bundled):
    team = _programme(bundled, "Cambridgeshire", "Multi-Agency Stalking Intervention Team")
    assert team["funding_sources"] == ("Home Office DA perpetrator fund (rounds before 2023-25)",)
    assert str(team["funding_start"].date()) == "2021-08-01"
    value = _value(
        bundled, "Cambridgeshire", "funding_sources", "Multi-Agency Stalking Intervention Team"
    )
    assert "FOI/OPCC/24-006" in value["document"] and value["section"] == "5.1"


def test_perpetrator_panel_is_a_risk_forum_with_111_discussed_per_dasv_strategic_aim_4(bundled):
    assert "Domestic Abuse Perpetrator Panel" not in set(bundled.programmes["programme_name"])
    cambs = bundled.areas[bundled.areas["display_name"] == "Cambridgeshire"].iloc[0]
    assert "DAPP" in cambs["risk_forums"]
    assert "111 high-risk perpetrators discussed (2022-23)" in cambs["period_figures"]
    value = _value(bundled, "Cambridgeshire", "period_figures")
    assert "DASV Partnership annual report 2022-23" in value["document"]
    assert "Strategic Aim 4" in value["section"]


def test_cambridgeshire_commissions_two_da_perpetrator_programmes_per_foi_018_q1(bundled):
    cambs = bundled.programmes[bundled.programmes["display_name"] == "Cambridgeshire"]
    perpetrator = cambs[cambs["programme_type"].isin(["DA", "DA: out-of-court (e.g. CARA)"])]
    assert sorted(perpetrator["programme_name"]) == [
        "CARA (Cautioning and Relationship Abuse)",
        "StepWise",
    ]
    assert len(cambs) == 4  # with the CAPVA programme and the stalking team


def test_cambridgeshire_home_office_award_786138_per_dasv_welcome(bundled):
    cambs = bundled.areas[bundled.areas["display_name"] == "Cambridgeshire"].iloc[0]
    assert cambs["ho_fund_award_gbp"] == 786138
    value = _value(bundled, "Cambridgeshire", "ho_fund_award_gbp")
    assert value["section"] == "Welcome to the Partnership Annual Report"


def test_cara_33850_budget_and_98_completions_per_foi_018_q10_and_dasv_aim_4(bundled):
    cara = _programme(bundled, "Cambridgeshire", "CARA (Cautioning and Relationship Abuse)")
    assert cara["annual_budget_gbp"] == 33850
    assert "98 completions (2022-23)" in cara["period_figures"]
    assert (
        _value(
            bundled,
            "Cambridgeshire",
            "annual_budget_gbp",
            "CARA (Cautioning and Relationship Abuse)",
        )["section"]
        == "Q10 Budget inclusive of Running Costs"
    )


def test_rypp_150_referrals_40_families_and_family_respect_per_foi_006_6_1_and_dasv(bundled):
    rypp = _programme(bundled, "Cambridgeshire", "Respect Young People Programme")
    assert rypp["annual_capacity"] == 40
    figures = rypp["period_figures"]
    assert "150 referrals triaged a year" in figures
    assert "89 families offered support (as Family Respect)" in figures
    assert "23 completions (as Family Respect)" in figures
    value = _value(bundled, "Cambridgeshire", "annual_capacity", "Respect Young People Programme")
    assert value["section"] == "6.1" and "FOI/OPCC/24-006" in value["document"]


FAMILY_RESPECT = {
    "89 families offered support (as Family Respect) (2022-23)": "89 families",
    "23 completions (as Family Respect) (2022-23)": "23 families completed",
}
DASV_DOCUMENT = "Cambridgeshire & Peterborough DASV Partnership annual report 2022-23"
CHILD_TO_PARENT = "Strategic Aim 4 - Child to Parent Abuse Programmes"


def test_family_respect_89_families_and_23_completions_cite_dasv_strategic_aim_4(bundled):
    """The DASV annual report 2022-23 (Strategic Aim 4, its child to parent abuse programmes)
    gives both figures: each is a sourced fact with that document and section, the seed file
    holds the evidence quoted, and the wave's value carries the citation to the profile."""
    import csv
    from pathlib import Path

    from landscape.model import profile

    root = Path(__file__).resolve().parents[1]
    with (root / "data" / "sources" / "sourced_facts.csv").open(encoding="utf-8") as handle:
        facts = {row["value"]: row for row in csv.DictReader(handle)}
    for value, evidence in FAMILY_RESPECT.items():
        fact = facts[value]
        assert (fact["programme"], fact["column"]) == (
            "Respect Young People Programme",
            "period_figures",
        )
        assert (fact["document"], fact["section"]) == (DASV_DOCUMENT, CHILD_TO_PARENT)
        seed = root.parent / "shared" / "seeds" / fact["seed_file"]
        if seed.exists():
            text = seed.read_text(encoding="utf-8")
            assert evidence in fact["evidence"] and fact["evidence"] in text
            assert text.index("Strategic Aim 4") < text.index(fact["evidence"])
            assert text.index(fact["evidence"]) < text.index("Strategic Aim 5")
    cited = _value(bundled, "Cambridgeshire", "period_figures", "Respect Young People Programme")
    assert cited["provenance"] == "Sourced"
    assert DASV_DOCUMENT in cited["document"].split("; ")
    assert CHILD_TO_PARENT in cited["section"].split("; ")
    answers = profile.area_programme_answers(bundled, "E23000023")
    shown = answers[
        (answers["programme"] == "Respect Young People Programme")
        & answers["answer"].str.contains("89 families offered support", regex=False)
    ]
    assert len(shown) == 1 and "23 completions (as Family Respect)" in shown.iloc[0]["answer"]
    assert DASV_DOCUMENT in shown.iloc[0]["provenance"]
    assert CHILD_TO_PARENT in shown.iloc[0]["provenance"]


def test_surrey_hub_programmes_are_for_adults_per_the_reports_surrey_case_study(bundled):
    for name in ("Steps to Change: Healthy Relationships (HR)", "Steps to Change: CURBB"):
        assert _programme(bundled, "Surrey", name)["cohorts"] == ("Adults",)
        assert "Surrey PCC case study" in _value(bundled, "Surrey", "cohorts", name)["section"]


def test_capva_providers_are_not_sourced_for_the_four_areas_per_the_reports_eligibility(bundled):
    for area in ("Norfolk", "Northamptonshire", "Hertfordshire", "Staffordshire"):
        value = _value(bundled, area, "provider", "CAPVA family intervention")
        assert value["provenance"] == "Illustrative"


def test_filtering_keeps_only_the_chosen_areas_values(bundled):
    wales = bundled.filter(countries=["Wales"])
    assert set(wales.value_provenance["area_code"]) <= set(wales.areas.index)
    assert len(wales.value_provenance) < len(bundled.value_provenance)


# --- display ------------------------------------------------------------------------------------


def test_the_directory_names_each_programmes_sourced_fields_and_their_citations(bundled):
    from landscape.model.breakdowns import directory

    table = directory(bundled)
    stepwise = table[table["Programme"] == "StepWise"].iloc[0]
    assert "Provider" in stepwise["Sourced fields"].split(", ")
    assert "Accreditation" not in stepwise["Sourced fields"].split(", ")
    assert (
        "Provider: Cambridgeshire OPCC FOI/OPCC/24-018 (June 2024), Q1 OPCC response"
        in (stepwise["Citations"])
    )
    sourced = directory(bundled, sourced_only=True)
    assert 0 < len(sourced) < len(table)
    assert (sourced["Sourced fields"] != "").all()
    assert "StepWise" in set(sourced["Programme"])
