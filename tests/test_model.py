"""The landscape model: 43 reference areas joined to a survey, and filters that never mutate."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from landscape.areas import code_for, force_area_table
from landscape.model.landscape import Landscape, WaveInfo, build_landscape
from landscape.survey import Survey

CAMBS, ESSEX, GWENT, KENT = (code_for(n) for n in ("Cambridgeshire", "Essex", "Gwent", "Kent"))


OOC = "DA: out-of-court (e.g. CARA)"


def area(code: str, **answers: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "area_code": code,
        "response_status": "Responded",
        "respondent_body": "Some PCC",
        "commissions_da_programmes": "Yes",
        "stalking_provision": ("None",),
        "co_commissions": "No",
        "funding_sources": ("Policing budget",),
        "ho_fund_recipient": "No",
        "continuation_plan": "Yes",
        "strategic_board": "Yes",
        "monitoring_frequency": "Quarterly",
        "victim_support": ("IDVA",),
        "stalking_standards_would_help": "Yes",
        "evaluation_undertaken_or_planned": "Yes",
        "evaluation_reports_supplied": 0,
        "follow_up_engagement": "None",
        "provenance": "Illustrative",
    }
    row.update(answers)
    return row


def programme(code: str, name: str, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "area_code": code,
        "programme_name": name,
        "programme_type": "DA",
        "risk_levels": ("High",),
        "cohorts": ("All",),
        "accreditation": "Respect",
        "evaluation_type": "None",
        "provenance": "Illustrative",
    }
    row.update(values)
    return row


def tiny_survey() -> Survey:
    """Cambridgeshire and Essex (England) and Gwent (Wales) respond; Kent says it did not."""
    return Survey.from_records(
        [
            area(CAMBS, provenance="Sourced", source="FOI"),
            area(ESSEX),
            area(GWENT),
            {"area_code": KENT, "response_status": "Did not respond", "provenance": "Sourced",
             "source": "appendix"},
        ],
        [
            programme(CAMBS, "StepWise", programme_type=OOC, provenance="Sourced", source="FOI"),
            programme(CAMBS, "RYPP", programme_type="CAPVA"),
            programme(GWENT, "CARA", programme_type=OOC),
        ],
    )  # fmt: skip


@pytest.fixture
def model() -> Landscape:
    return build_landscape(tiny_survey())


def test_model_carries_all_43_areas_in_reference_order(model):
    assert list(model.areas.index) == list(force_area_table().index)
    assert model.areas.index.name == "area_code"
    for column in ("name", "display_name", "governing_body", "governing_body_type", "region"):
        assert model.areas[column].tolist() == force_area_table()[column].tolist()


def test_areas_absent_from_the_survey_did_not_respond_with_empty_answers(model):
    assert model.areas["responded"].sum() == 3
    assert list(model.respondents.index) == sorted([CAMBS, ESSEX, GWENT])
    absent = model.areas.loc[code_for("Dorset")]
    assert absent["response_status"] == "Did not respond"
    assert not absent["responded"]
    assert absent["stalking_provision"] == ()
    assert absent["commissions_da_programmes"] is None
    assert pd.isna(absent["evaluation_reports_supplied"])
    assert model.areas.loc[KENT, "response_status"] == "Did not respond"


def test_answers_keep_their_types(model):
    cambs = model.areas.loc[CAMBS]
    assert cambs["victim_support"] == ("IDVA",)
    assert cambs["evaluation_reports_supplied"] == 0
    assert str(model.areas["evaluation_reports_supplied"].dtype) == "Int64"


def test_illustrative_flag_follows_row_provenance(model):
    assert not model.areas.loc[CAMBS, "illustrative"]
    assert model.areas.loc[ESSEX, "illustrative"]
    assert not model.areas.loc[code_for("Dorset"), "illustrative"]
    programmes = model.programmes.set_index("programme_name")
    flags = programmes["illustrative"].to_dict()
    assert flags == {"StepWise": False, "RYPP": True, "CARA": True}


def test_programmes_are_joined_to_area_reference_columns(model):
    cara = model.programmes.set_index("programme_name").loc["CARA"]
    assert (cara["area_code"], cara["display_name"], cara["country"]) == (GWENT, "Gwent", "Wales")
    assert cara["region"] == "Wales"
    assert list(model.programmes.index) == [0, 1, 2]


def test_default_wave_says_illustrative_when_any_row_is():
    assert build_landscape(tiny_survey()).wave.illustrative
    wave = WaveInfo("w1", "Wave 1", dt.date(2024, 9, 1), illustrative=False, version=2)
    assert build_landscape(tiny_survey(), wave).wave is wave


def test_country_filter_keeps_areas_and_their_programmes(model):
    wales = model.filter(countries=["Wales"])
    assert sorted(wales.areas.index) == [f"W1500000{n}" for n in range(1, 5)]
    assert list(wales.respondents.index) == [GWENT]
    assert wales.programmes["programme_name"].tolist() == ["CARA"]


def test_region_filter(model):
    east = model.filter(regions=["East of England"])
    assert set(east.areas["region"]) == {"East of England"}
    assert sorted(east.respondents.index) == sorted([CAMBS, ESSEX])
    assert sorted(east.programmes["programme_name"]) == ["RYPP", "StepWise"]


def test_programme_type_filter_narrows_programmes_not_areas(model):
    ooc = model.filter(programme_types=["DA: out-of-court (e.g. CARA)"])
    assert len(ooc.areas) == 43
    assert len(ooc.respondents) == 3
    assert sorted(ooc.programmes["programme_name"]) == ["CARA", "StepWise"]
    assert list(ooc.programmes.index) == [0, 1]


def test_filter_returns_a_new_model_and_never_mutates(model):
    before_areas, before_programmes = model.areas.copy(), model.programmes.copy()
    narrowed = model.filter(countries=["Wales"], programme_types=["CAPVA"])
    assert narrowed is not model
    assert narrowed.programmes.empty
    pd.testing.assert_frame_equal(model.areas, before_areas)
    pd.testing.assert_frame_equal(model.programmes, before_programmes)
    unfiltered = model.filter()
    assert unfiltered is not model
    assert unfiltered.areas.equals(model.areas)
    assert unfiltered.programmes.equals(model.programmes)


def test_filters_combine():
    model = build_landscape(tiny_survey())
    none_left = model.filter(countries=["Wales"], regions=["East of England"])
    assert none_left.areas.empty
    assert none_left.respondents.empty
    assert none_left.programmes.empty
