"""Issue 18 on the bundled wave and on a reported wave built from it: real names are never paired
with an area no source pairs them with, each Home Office fund status carries its kind, and an area
whose DA programmes are out-of-court commissions DA programmes."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from landscape.areas import code_for
from landscape.intake.validate import load_survey
from landscape.labels import NOT_ANSWERED
from landscape.model import breakdowns, findings, profile, report
from landscape.model.landscape import Landscape, build_landscape
from landscape.model.measures import MEASURES
from landscape.model.reference_date import ReferenceDate, period_end, wave_reference_date
from landscape.model.wave_kind import APCC_2025_REPORT, WaveBasis, WaveKind
from landscape.schema import (
    ANY_DA_PROGRAMME,
    AREAS,
    PROGRAMMES,
    ProgrammeType,
    ValueProvenance,
)
from landscape.store.records import stored_frame
from landscape.survey import Survey
from landscape.values import percent_text
from scripts import build_illustrative_wave as builder
from tests.builders import area_rows, programme_rows, workbook_from_rows
from tests.wave_kinds import reported_survey

CAPVA_AREAS = ("Norfolk", "Northamptonshire", "Hertfordshire", "Staffordshire")
CAMBRIDGESHIRE = code_for("Cambridgeshire")


@pytest.fixture(scope="module")
def reported() -> Landscape:
    """The bundled wave as areas' own answers (tests/wave_kinds.py's REPORTED wave)."""
    return build_landscape(reported_survey())


# --- A: real provider names, and the Home Office fund's statuses --------------------------------


def test_no_real_capva_provider_is_paired_with_an_area_no_source_pairs(bundled: Landscape):
    programmes = bundled.programmes
    assert not set(builder.UNPAIRED_PROVIDERS) & set(programmes["provider"].dropna())
    capva = programmes[
        (programmes["programme_name"] == "CAPVA family intervention")
        & programmes["display_name"].isin(CAPVA_AREAS)
    ]
    assert sorted(capva["display_name"]) == sorted(CAPVA_AREAS)
    assert set(capva["provider"]) == {builder.CAPVA_PROVIDER}
    values = bundled.value_provenance
    providers = values[
        (values["column"] == "provider")
        & values["area_code"].isin([code_for(a) for a in CAPVA_AREAS])
        & (values["programme_name"] == "CAPVA family intervention")
    ]
    assert list(providers["provenance"]) == [ValueProvenance.ILLUSTRATIVE] * 4


def test_a_fill_pairing_a_real_provider_with_an_area_is_refused(monkeypatch):
    ended = builder.ended_programmes()
    facts = [f for f in builder.load_facts() if (f.area, f.programme) not in ended]
    fill = dict(builder.ILLUSTRATIVE_FILL)
    norfolk = ("Norfolk", "CAPVA family intervention")
    monkeypatch.setattr(
        builder, "ILLUSTRATIVE_FILL", {**fill, norfolk: {**fill[norfolk], "provider": "RISE"}}
    )
    with pytest.raises(ValueError, match="pairs the real provider 'RISE'"):
        builder._named_programmes(facts)


def test_every_home_office_fund_status_carries_its_kind(bundled: Landscape):
    fund = breakdowns.ho_fund_by_area(bundled).set_index("area")
    assert fund.loc["Cambridgeshire", "status"] == "Recipient"
    assert fund.loc["Cambridgeshire", "provenance"].startswith("Sourced (Cambridgeshire")
    not_recipients = fund[fund["status"] == "Not a recipient"]
    assert len(not_recipients) == 8
    assert set(not_recipients["provenance"]) == {"Illustrative"}
    silent = fund[fund["status"] == "Did not respond"]
    assert len(silent) == 8
    assert all(p.startswith("Sourced (APCC report") for p in silent["provenance"])
    assert (fund["provenance"] != "").all()


def test_a_reported_waves_fund_statuses_are_reported(reported: Landscape):
    fund = breakdowns.ho_fund_by_area(reported)
    assert set(fund["provenance"]) == {"Reported"}
    assert fund["status"].value_counts()["Not a recipient"] == 8


# --- C: out-of-court DA programmes are DA programmes --------------------------------------------


@pytest.mark.parametrize("wave", ["bundled", "reported"])
def test_every_responding_area_commissions_da_programmes_out_of_court_ones_included(
    wave: str, request: pytest.FixtureRequest
):
    model: Landscape = request.getfixturevalue(wave)
    shares = breakdowns.areas_with_programme_value(model, "programme_type").set_index("answer")
    assert shares.loc[ANY_DA_PROGRAMME, "label"] == "33 of 33 (100%)"  # the report's "all 33"
    assert shares.loc[ProgrammeType.OUT_OF_COURT.value, "areas"] == 8
    cambs = model.programmes[model.programmes["area_code"] == CAMBRIDGESHIRE]
    assert set(cambs["programme_type"]) >= {ProgrammeType.OUT_OF_COURT.value}
    assert ProgrammeType.DA.value not in set(cambs["programme_type"])
    features = breakdowns.area_features(model)
    assert bool(features.at[CAMBRIDGESHIRE, f"Programme type: {ANY_DA_PROGRAMME}"])
    peers = breakdowns.default_peers(model, CAMBRIDGESHIRE)
    shown = profile.area_profile(model, CAMBRIDGESHIRE, peers)
    assert not [f for f in shown.lacks if "DA" in f and "stalking" not in f]


def test_the_out_of_court_type_reads_as_da():
    assert ProgrammeType.OUT_OF_COURT.value.startswith("DA: out-of-court")


def test_the_former_out_of_court_wording_is_read_as_the_new_on_upload_and_from_the_store():
    rows = programme_rows()
    old = [r for r in rows if r["programme_type"] == ProgrammeType.OUT_OF_COURT.value]
    assert old
    for row in old:
        row["programme_type"] = "Out-of-court"  # as a template handed out before issue 18 says
    uploaded = load_survey(workbook_from_rows(area_rows(), rows), "old.xlsx")
    types = set(uploaded.programmes["programme_type"])
    assert ProgrammeType.OUT_OF_COURT.value in types and "Out-of-court" not in types
    stored = stored_frame(
        PROGRAMMES, [{"area_code": CAMBRIDGESHIRE, "programme_type": "Out-of-court"}]
    )
    assert stored.loc[0, "programme_type"] == ProgrammeType.OUT_OF_COURT.value


# --- B: the day end dates are read against ------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "end"),
    [
        ("April 2025 to March 2026", datetime.date(2026, 3, 31)),
        ("Apr 2024 - Sep 2024", datetime.date(2024, 9, 30)),
        ("2025-26", datetime.date(2026, 3, 31)),
        ("2025/2026", datetime.date(2026, 3, 31)),
        ("calendar year 2025", datetime.date(2025, 12, 31)),
        ("the spring round", None),
    ],
)
def test_a_survey_periods_end_is_read_as_people_write_it(period, end):
    assert period_end(period) == end


def test_the_reference_date_is_the_reports_then_the_rounds_then_the_survey_then_published():
    tied = WaveKind(WaveBasis.CORRECTED, APCC_2025_REPORT)
    reported = WaveKind(WaveBasis.REPORTED)
    survey, published = datetime.date(2025, 6, 1), datetime.datetime(2025, 7, 2, 9, 30)
    every = {"round_period": "2025-26", "survey_date": survey, "published": published}
    assert wave_reference_date(tied, **every) == ReferenceDate(
        datetime.date(2025, 3, 7), "the report's date"
    )
    assert wave_reference_date(reported, **every).on == datetime.date(2026, 3, 31)  # type: ignore[union-attr]
    assert wave_reference_date(reported, survey_date=survey, published=published) == (
        ReferenceDate(survey, "the wave's survey date")
    )
    assert wave_reference_date(reported, published=published) == ReferenceDate(
        datetime.date(2025, 7, 2), "the day the wave was published"
    )
    assert wave_reference_date(reported) is None


def test_a_reported_wave_is_read_as_of_the_day_it_records(reported: Landscape):
    on = ReferenceDate(datetime.date(2025, 7, 2), "the day the wave was published")
    ended = findings.funding_already_ended(reported, on)
    assert ended.kinds == (("Reported", 210),)
    assert ended.ended == 158 + 1  # 31 March 2025 and March 2023 are past by July 2025
    assert ended.sentence.startswith(
        "As of 2 July 2025, the day the wave was published, 159 of 210 (76%) programmes had a "
        "funding end date already past (the end dates are Reported)"
    )


# --- D: blank is not answered; shares never read as none or all ---------------------------------


@pytest.mark.parametrize(
    ("count", "of", "text"),
    [(1, 210, "<1%"), (0, 210, "0%"), (209, 210, ">99%"), (210, 210, "100%"), (1, 3, "33%")],
)
def test_a_share_that_is_neither_none_nor_all_never_reads_as_either(count, of, text):
    assert percent_text(count, of) == text
    assert breakdowns.share_label(count, of) == f"{count} of {of} ({text})"


def test_a_figure_of_one_in_two_hundred_reads_less_than_one_percent(bundled: Landscape):
    figure = dataclasses.replace(
        MEASURES["early_intervention_share"](bundled), numerator=1.0, denominator=210.0
    )
    assert figure.text == "1 of 210 programmes (<1%)"
    assert figure.value == 0  # the number compared with the report keeps its rounding


def _with_blank_risk_forums(survey: Survey, *areas: str) -> Survey:
    codes = {code_for(a) for a in areas}
    forums = [() if code in codes else v for code, v in zip(
        survey.areas["area_code"], survey.areas["risk_forums"], strict=True
    )]  # fmt: skip
    return dataclasses.replace(survey, areas=survey.areas.assign(risk_forums=forums))


@pytest.mark.parametrize("reported_wave", [False, True])
def test_a_blank_answer_is_not_answered_never_none(bundled_survey: Survey, reported_wave: bool):
    survey = reported_survey() if reported_wave else bundled_survey
    model = build_landscape(_with_blank_risk_forums(survey, "Cambridgeshire", "Norfolk"))
    partners = breakdowns.area_choice_shares(model, "partner_interventions").set_index("answer")
    assert partners.loc[NOT_ANSWERED, "label"] == "12 of 33 (36%)"
    assert "None (left blank)" not in set(partners.index)
    forums = breakdowns.area_choice_shares(model, "risk_forums").set_index("answer")
    assert forums.loc[NOT_ANSWERED, "areas"] == 2
    by_area = breakdowns.area_answers_by_area(model, "risk_forums").set_index("area")
    assert by_area.loc["Cambridgeshire", "answer"] == NOT_ANSWERED
    # the area's own profile: not answered, neither had nor lacked beside its peers
    peers = breakdowns.default_peers(model, CAMBRIDGESHIRE)
    assert code_for("Norfolk") in peers
    table = breakdowns.peer_comparison(model, CAMBRIDGESHIRE, peers).set_index("feature")
    assert table.loc["Uses MARAC", "area_has"] == NOT_ANSWERED
    assert table.loc["Uses MARAC", "difference"] == ""
    assert table.loc["Uses MARAC", "peers"] == len(peers) - 1  # Norfolk left it blank too
    assert table.loc["Co-commissions with partners", "peers"] == len(peers)
    shown = profile.area_profile(model, CAMBRIDGESHIRE, peers)
    assert not [f for f in shown.lacks if f.startswith("Uses ")]
    answers = profile.area_answers(model, CAMBRIDGESHIRE).set_index("question")
    forum_question = AREAS.column("risk_forums").description
    assert answers.loc[forum_question, "answer"] == NOT_ANSWERED


# --- D: the report page -------------------------------------------------------------------------


@pytest.mark.parametrize("wave", ["bundled", "reported"])
def test_recommendations_6_and_7_are_linked_to_their_measures_each_shown_once(
    wave: str, request: pytest.FixtureRequest
):
    model: Landscape = request.getfixturevalue(wave)
    sections = {s.kind: s for s in report.report_sections(model)}
    shown = {i.item.id: i for i in sections["recommendation"].items}
    victims = shown["rec_06_victim_pathways"].progress
    assert [p.measure for p in victims] == ["victim_support_integrated"]
    assert victims[0].now == "26 of 33 responding areas (79%)"
    governance = [p.measure for p in shown["rec_07_governance_review"].progress]
    assert governance == ["strategic_board", "marac", "matac", "dapp"]
    board = shown["rec_07_governance_review"].progress[0]
    assert board.label == "Areas with a strategic board overseeing interventions"
    assert " of 33 responding areas (" in board.now
    evaluation = [p.label for p in shown["rec_08_evaluation_requirement"].progress]
    assert evaluation.count("Areas that have undertaken or plan evaluation") == 1
    for section in sections.values():
        for item in section.items:
            texts = [(p.label, p.now) for p in item.progress]
            assert len(texts) == len(set(texts)), item.item.id


def test_the_reports_evaluation_findings_are_on_the_report_page_with_their_sections(
    bundled: Landscape,
):
    findings_ = {s.kind: s for s in report.report_sections(bundled)}["evaluation_finding"]
    assert findings_.heading == "What the evaluations areas sent in found"
    ids = [i.item.id for i in findings_.items]
    assert ids[0] == "ev_positive_overall" and len(ids) == 5
    assert {i.item.section for i in findings_.items} == {
        "Findings > Evaluation (p18) > Evaluation findings",
        "Findings > Evaluation (p18) > Evaluation methodology and measures",
    }
    first = findings_.items[0].progress
    assert [(p.measure, p.now) for p in first] == [
        ("evaluations_received", "10 reports"),
        ("evaluations_areas", "5 of 33 responding areas (15%)"),
    ]


@pytest.mark.parametrize("wave", ["bundled", "reported"])
def test_a_question_not_put_to_an_area_reads_not_asked(wave: str, request: pytest.FixtureRequest):
    """Co-commissioning partners are asked only of areas that co-commission (schema rule
    partners_if_co_commissions): the 16 that do not are "not asked", not "not answered"."""
    model: Landscape = request.getfixturevalue(wave)
    partners = breakdowns.area_choice_shares(model, "co_commissioning_partners")
    blank = partners.set_index("answer").loc["Does not co-commission (not asked)"]
    assert blank["label"] == "16 of 33 (48%)"
    assert NOT_ANSWERED not in set(partners["answer"])
    cumbria = code_for("Cumbria")
    assert model.areas.at[cumbria, "co_commissions"] == "No"
    answers = profile.area_answers(model, cumbria).set_index("question")
    question = AREAS.column("co_commissioning_partners").description
    assert answers.loc[question, "answer"] == "Does not co-commission (not asked)"
