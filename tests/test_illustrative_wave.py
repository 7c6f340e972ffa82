"""The bundled illustrative wave: committed, reproducible, plausible and honest about itself."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from landscape.areas import code_for
from landscape.model.landscape import Landscape
from landscape.survey import Survey
from scripts.build_illustrative_wave import RESPONDENTS, build_illustrative_survey

SHARED_REPORT = (
    Path(__file__).resolve().parents[2] / "shared" / "seeds" / "002_edfa98bcbbf9bf8a.txt"
)


# The names this module's tests use for tests/conftest.py's shared fixtures.
@pytest.fixture(scope="module")
def committed(bundled_survey: Survey) -> Survey:
    return bundled_survey


@pytest.fixture(scope="module")
def model(bundled: Landscape) -> Landscape:
    return bundled


def test_rebuilding_reproduces_the_committed_workbook(committed):
    fresh = build_illustrative_survey()
    pd.testing.assert_frame_equal(committed.areas, fresh.areas)
    pd.testing.assert_frame_equal(committed.programmes, fresh.programmes)


def test_builder_is_deterministic():
    first, second = build_illustrative_survey(), build_illustrative_survey()
    pd.testing.assert_frame_equal(first.programmes, second.programmes)
    pd.testing.assert_frame_equal(first.areas, second.areas)


def test_all_43_areas_33_respondents_named_as_the_appendix_names_them(model):
    assert len(model.areas) == 43
    respondents = model.respondents
    assert len(respondents) == 33
    assert sorted(respondents["respondent_body"]) == sorted(RESPONDENTS)
    for body in RESPONDENTS:
        assert model.areas.loc[code_for(body), "respondent_body"] == body
    others = model.areas[~model.areas["responded"]]
    assert set(others["response_status"]) == {"Did not respond"}
    assert len(others) == 10


@pytest.mark.skipif(not SHARED_REPORT.exists(), reason="../shared is absent")
def test_respondents_are_the_reports_appendix():
    text = SHARED_REPORT.read_text(encoding="utf-8")
    appendix = text[text.rindex("List of respondents") :]
    listed = re.findall(r"^- (.+?)\s*$", appendix[: appendix.index("CONTACT US")], re.M)
    assert sorted(listed) == sorted(RESPONDENTS)


def test_programme_count_is_in_range(model):
    assert 150 <= len(model.programmes) <= 250
    assert set(model.programmes["area_code"]) == set(model.respondents.index)


def test_funding_ends_bunch_at_the_end_of_the_fund(model):
    ends = model.programmes["funding_end"].dropna().dt.strftime("%Y-%m-%d")
    counts = ends.value_counts()
    assert counts.index[0] == "2025-03-31"
    assert counts.iloc[0] > len(ends) / 2
    assert (ends > "2025-03-31").sum() >= 20  # some funded beyond the cliff
    starts, finishes = model.programmes["funding_start"], model.programmes["funding_end"]
    assert (starts.isna() | finishes.isna() | (starts <= finishes)).all()


def test_some_rows_have_budgets_and_capacity(model):
    budgets = model.programmes["annual_budget_gbp"]
    assert 0.2 < budgets.notna().mean() < 0.8
    assert (budgets.dropna() > 0).all()


def test_risk_levels_are_consistent_with_programme_type(model):
    programmes = model.programmes
    early = programmes[programmes["programme_type"].isin(["Early intervention", "CAPVA"])]
    assert early["risk_levels"].map(lambda levels: "High" not in levels).all()
    ooc = programmes[programmes["programme_type"] == "Out-of-court"]
    assert ooc["risk_levels"].map(lambda levels: "High" not in levels).all()
    stalking = programmes[programmes["programme_type"].str.contains("stalking")]
    assert stalking["risk_levels"].map(lambda levels: "Standard" not in levels).all()
    assert set(stalking["accreditation"]) == {"Not applicable"}


def test_stalking_provision_matches_the_areas_programmes(model):
    types = model.programmes.groupby("area_code")["programme_type"].apply(set)
    for code, row in model.respondents.iterrows():
        provision = set(row["stalking_provision"])
        has = types.get(code, set())
        assert ("Specialist non-DA" in provision) == ("Non-DA stalking" in has), code
        assert ("Specialist DA-related" in provision) == ("DA-related stalking" in has), code
        if provision == {"None"}:
            assert not has & {"Non-DA stalking", "DA-related stalking"}


def test_evaluation_answers_match_programme_evaluations(model):
    evaluated = model.programmes.groupby("area_code")["evaluation_type"].apply(
        lambda s: bool((s != "None").any())
    )
    for code, row in model.respondents.iterrows():
        assert (row["evaluation_undertaken_or_planned"] == "Yes") == evaluated[code], code


def test_co_commissioned_programmes_only_in_co_commissioning_areas(model):
    with_partners = model.programmes[model.programmes["co_commissioning_partners"].map(bool)]
    answers = model.areas.loc[with_partners["area_code"], "co_commissions"]
    assert set(answers) == {"Yes"}
