"""Build the bundled illustrative survey wave (data/survey/apcc-2025-illustrative.xlsx).

The per-area survey answers behind the APCC report are not public. This script writes a wave that
is real where a public source says so and invented elsewhere:

- The sourced facts are data: data/sources/sourced_facts.csv, one row per value a public document
  states, with its document and section. The builder sets each of those values and writes its
  citation into the workbook's Provenance sheet (which `landscape validate` checks); it keeps no
  citation and no sourced value of its own. `landscape validate data/sources/sourced_facts.csv`
  checks the file itself (landscape.intake.facts, through which the builder reads it).
- Programmes a document names are `Sourced` rows (the record is real); their other values, and
  every value of every other row, are illustrative and calibrated so that the model reproduces
  every figure the report publishes (the builder checks this before writing).
- Programmes the sources show as past (status Ended) are not programmes of this wave: the survey
  asked about programmes PCCs currently commission.

Deterministic: a fixed random seed, no wall-clock dates.
Run: `python scripts/build_illustrative_wave.py [OUT.xlsx]`.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from landscape.areas import code_for, force_areas
from landscape.intake.facts import Fact, read_facts, typed_value
from landscape.schema import AREAS as AREAS_SHEET
from landscape.schema import PROGRAMMES as PROGRAMMES_SHEET
from landscape.schema import (
    Accreditation,
    Cohort,
    ContinuationPlan,
    Delivery,
    EvaluationStatus,
    EvaluationType,
    FollowUpEngagement,
    FundingSource,
    Kind,
    MonitoringFrequency,
    Partner,
    PartnerProvider,
    ProgrammeType,
    Provenance,
    ReferralRoute,
    ResponseStatus,
    RiskForum,
    RiskLevel,
    Sheet,
    StalkingProvision,
    ValueProvenance,
    VictimSupport,
    YesNo,
    YesNoUnsure,
    join_choices,
)
from landscape.survey import Survey

SEED = 20250307  # the report's publication date
FACTS = Path(__file__).resolve().parents[1] / "data" / "sources" / "sourced_facts.csv"

REPORT = "APCC report Perpetrator Intervention Programmes, 7 March 2025"
APPENDIX = f"{REPORT}, Appendix 'List of respondents'"
FOI_006 = "Cambridgeshire OPCC FOI/OPCC/24-006, March 2024"
FOI_018 = "Cambridgeshire OPCC FOI/OPCC/24-018, June 2024"
DASV = "Cambridgeshire & Peterborough DASV Partnership annual report 2022-23"
CUMBRIA = "Cumbria PCC decision 031/2017 'Turning the Spotlight', July 2017"

RESPONDENTS = (
    "Avon and Somerset PCC",
    "Cambridgeshire PCC",
    "Cheshire PCC",
    "Cleveland PCC",
    "Cumbria PFCC",
    "Derbyshire PCC",
    "Durham PCC",
    "Dyfed Powys PCC",
    "Essex PFCC",
    "Gloucestershire PCC",
    "Greater Manchester Combined Authority",
    "Gwent PCC",
    "Hampshire and Isle of Wight PCC",
    "Hertfordshire PCC",
    "Humberside PCC",
    "Kent PCC",
    "Lancashire PCC",
    "Merseyside PCC",
    "Mayor's Office for Policing and Crime (MOPAC)",
    "Norfolk PCC",
    "Northamptonshire PFCC",
    "Northumbria PCC",
    "Nottinghamshire PCC",
    "South Wales PCC",
    "Staffordshire PFCC",
    "Suffolk PCC",
    "Surrey PCC",
    "Sussex PCC",
    "Thames Valley PCC",
    "Warwickshire PCC",
    "West Mercia PCC",
    "West Midlands PCC",
    "West Yorkshire Combined Authority",
)
"""The respondents as the report's appendix names them."""

# --- Sourced facts (data/sources/sourced_facts.csv) ----------------------------------------------


def load_facts(path: Path = FACTS) -> list[Fact]:
    """The facts with a place in the schema, in file order, read and checked by
    landscape.intake.facts (the rules `landscape validate` applies to the file)."""
    return [f for f in read_facts(path.read_bytes()) if f.fits]


def ended_programmes(path: Path = FACTS) -> set[tuple[str, str]]:
    """(area, programme) the facts file records as Ended, or names only as an earlier programme."""
    facts = read_facts(path.read_bytes())
    past = {
        (f.area, str(f.programme))
        for f in facts
        if f.schema_change.startswith("Programmes: programme_status") and f.value == "Ended"
    }
    earlier = {
        (f.area, f.programme) for f in facts if f.programme and "earlier programmes" in f.programme
    }
    return past | earlier


def _apply_facts(rows: list[dict[str, Any]], facts: list[Fact], sheet: Sheet) -> None:
    """Set every value the facts state on the rows they name; a fact naming no row is an error."""
    index = {(r["area"], r.get("programme_name")): r for r in rows}
    for fact in (f for f in facts if f.sheet is sheet):
        row = index.get((fact.area, fact.programme))
        if row is None:
            raise ValueError(f"no row for the sourced fact {fact.key}")
        column = sheet.column(fact.column)
        if fact.match == "blank":
            row[fact.column] = () if column.kind is Kind.CHOICES else None
        elif fact.match == "includes" and column.kind is Kind.CHOICES:
            wanted = typed_value(sheet, fact.column, fact.value)
            row[fact.column] = tuple(dict.fromkeys((*row[fact.column], *wanted)))
        elif fact.match == "includes":  # several figures for one text cell, in file order
            before = row.get(fact.column) if fact.column in row else None
            row[fact.column] = f"{before}; {fact.value}" if before else fact.value
        else:
            row[fact.column] = typed_value(sheet, fact.column, fact.value)


def _provenance_records(facts: list[Fact], kept: set[tuple[str, str | None]]) -> list[dict]:
    """One Provenance row per sourced cell, its citations joined when several facts support it."""
    cells: dict[tuple[str, str, str | None, str], list[Fact]] = {}
    for fact in facts:
        if (fact.area, fact.programme) in kept:
            cells.setdefault(fact.key, []).append(fact)
    codes = {a.display_name: a.code for a in force_areas()}
    records = []
    for (sheet, area, programme, column), found in cells.items():
        documents = list(dict.fromkeys(f.document for f in found))
        sections = list(dict.fromkeys(f.section for f in found))
        notes = [_fact_note(f) for f in found]
        records.append(
            dict(
                sheet=sheet,
                area_code=codes[area],
                programme_name=programme,
                column=column,
                provenance=str(ValueProvenance.SOURCED),
                document="; ".join(documents),
                section="; ".join(sections),
                members=_members_stated(sheet, column, found),
                note="; ".join(dict.fromkeys(n for n in notes if n)) or None,
            )
        )
    return records


def _members_stated(sheet: str, column: str, found: list[Fact]) -> str | None:
    """For a list answer the facts state only in part (each `includes` some options): the options
    they state, so every other option shows as illustrative; None when they state it whole."""
    schema = AREAS_SHEET if sheet == AREAS_SHEET.name else PROGRAMMES_SHEET
    if schema.column(column).kind is not Kind.CHOICES or any(f.match != "includes" for f in found):
        return None
    stated = [m for f in found for m in typed_value(schema, column, f.value)]
    return join_choices(dict.fromkeys(stated))


def _fact_note(fact: Fact) -> str:
    parts = [fact.basis]
    if fact.period:
        parts.append(fact.period)
    if fact.match == "blank":
        parts.append("the document names none")
    return ", ".join(parts)


# --- Area-level calibration: which respondents give which answer (names as display names) ------

NON_DA_STALKING = {
    "Sussex", "Cambridgeshire", "Metropolitan Police", "West Midlands", "Greater Manchester",
    "Kent", "Hampshire and Isle of Wight", "Thames Valley", "Essex", "West Yorkshire",
    "Avon and Somerset", "Merseyside",
}  # fmt: skip
SPECIALIST_DA_RELATED = {
    "Cheshire", "Nottinghamshire", "Derbyshire", "Lancashire", "Durham", "Gwent",
}  # fmt: skip
WITHIN_DA_PROGRAMMES = {
    "Surrey", "Cumbria", "Northumbria", "Sussex", "Staffordshire", "South Wales",
    "Hertfordshire", "Kent", "Metropolitan Police",
}  # fmt: skip
CO_COMMISSIONING = {
    "Gwent": (Partner.OTHER_PCC,),
    "South Wales": (Partner.OTHER_PCC,),
    "Surrey": (Partner.LOCAL_AUTHORITY,),
    "Cambridgeshire": (Partner.LOCAL_AUTHORITY, Partner.PROBATION),
    "Greater Manchester": (Partner.LOCAL_AUTHORITY,),
    "Metropolitan Police": (Partner.LOCAL_AUTHORITY, Partner.HEALTH),
    "West Midlands": (Partner.LOCAL_AUTHORITY,),
    "Essex": (Partner.LOCAL_AUTHORITY,),
    "Norfolk": (Partner.LOCAL_AUTHORITY,),
    "Hertfordshire": (Partner.LOCAL_AUTHORITY,),
    "Northamptonshire": (Partner.LOCAL_AUTHORITY,),
    "Staffordshire": (Partner.LOCAL_AUTHORITY, Partner.HEALTH),
    "Kent": (Partner.LOCAL_AUTHORITY,),
    "Durham": (Partner.LOCAL_AUTHORITY, Partner.PROBATION),
    "Cleveland": (Partner.LOCAL_AUTHORITY,),
    "Derbyshire": (Partner.LOCAL_AUTHORITY,),
    "Nottinghamshire": (Partner.LOCAL_AUTHORITY, Partner.VCSE),
}
NO_PARTNER_PROVISION = {
    "Cleveland", "Dyfed-Powys", "Gloucestershire", "Humberside", "Suffolk", "Warwickshire",
    "West Mercia", "Norfolk", "Derbyshire", "Durham", "Gwent", "Merseyside",
}  # fmt: skip
PARTNER_PROVISION_OVERRIDES = {
    "Lancashire": (PartnerProvider.LOCAL_AUTHORITY,),
    "Northumbria": (PartnerProvider.PROBATION,),
    "Cambridgeshire": (PartnerProvider.FORCE,),
}
NOT_HO_FUND = {
    "Dyfed-Powys", "Gloucestershire", "Warwickshire", "Suffolk", "Cleveland", "Humberside",
    "Cumbria", "Merseyside",
}  # fmt: skip
HO_FUND_NON_RESPONDENTS = ("North Yorkshire", "Bedfordshire")
NOT_CONTINUING = {
    "Dyfed-Powys": ContinuationPlan.UNSURE,
    "Gloucestershire": ContinuationPlan.NO,
    "Warwickshire": ContinuationPlan.UNSURE,
    "Suffolk": ContinuationPlan.UNSURE,
    "Humberside": ContinuationPlan.NO,
    "Cleveland": ContinuationPlan.UNSURE,
}
# Funding: the 27 who plan to continue "emphasised that this is subject to continued funding
# from the Home Office and MoJ", so none of them answers an unconditional Yes.
NO_STANDARDS_SUPPORT = {
    "Dyfed-Powys": YesNoUnsure.UNSURE,
    "Gloucestershire": YesNoUnsure.UNSURE,
    "Warwickshire": YesNoUnsure.NO,
    "Suffolk": YesNoUnsure.UNSURE,
    "Humberside": YesNoUnsure.UNSURE,
    "West Mercia": YesNoUnsure.NO,
    "Northamptonshire": YesNoUnsure.UNSURE,
}
MATAC = {
    "Greater Manchester", "Northumbria", "Durham", "Cleveland", "West Yorkshire", "Merseyside",
    "Cumbria", "Lancashire", "Cheshire", "Gwent",
}  # fmt: skip
DAPP = {"Cambridgeshire", "Essex", "Norfolk", "Suffolk", "Hertfordshire", "Kent", "Surrey"}
NO_MARAC = {
    "Dyfed-Powys", "Gloucestershire", "Warwickshire", "Suffolk", "Humberside", "West Mercia",
    "Northamptonshire", "Cleveland", "Derbyshire", "Nottinghamshire", "Staffordshire",
    "Thames Valley", "Avon and Somerset",
}  # fmt: skip
NO_EVALUATION = {
    "Dyfed-Powys", "Gloucestershire", "Warwickshire", "Suffolk", "Humberside", "Cleveland",
    "Northamptonshire",
}  # fmt: skip
EVALUATION_REPORTS = {
    "Cambridgeshire": 3,
    "Surrey": 2,
    "Sussex": 2,
    "West Midlands": 2,
    "Cumbria": 1,
}
IN_PERSON = {"Surrey", "West Midlands"}
ONLINE = {
    "Sussex", "Essex", "Greater Manchester", "Cambridgeshire", "Lancashire", "Northumbria",
}  # fmt: skip
NOT_ACCREDITED_AREAS = ("Metropolitan Police", "West Yorkshire", "Cumbria")
LGBTQ_AREAS = {"Metropolitan Police", "Greater Manchester", "Sussex"}
RACIALISED_AREAS = {"West Midlands"}
NO_STRATEGIC_BOARD = {"Dyfed-Powys", "Warwickshire", "Gloucestershire", "Cleveland"}
MONITORING = {
    "Metropolitan Police": MonitoringFrequency.MONTHLY,
    "Greater Manchester": MonitoringFrequency.MONTHLY,
    "West Midlands": MonitoringFrequency.MONTHLY,
    "Kent": MonitoringFrequency.MONTHLY,
    "Dyfed-Powys": MonitoringFrequency.SIX_MONTHLY,
    "Warwickshire": MonitoringFrequency.SIX_MONTHLY,
    "Gloucestershire": MonitoringFrequency.ANNUALLY,
}
DA_PROGRAMME_COUNTS = {
    "Metropolitan Police": 14,
    "Cambridgeshire": 0,  # FOI/OPCC/24-018: two DA perpetrator programmes, StepWise and CARA
    "Greater Manchester": 9,
    "West Yorkshire": 10,
    "West Midlands": 6,
    "Thames Valley": 6,
    "Kent": 6,
    "Hampshire and Isle of Wight": 6,
    "Avon and Somerset": 6,
    "Essex": 3,
    "Lancashire": 5,
    "Merseyside": 5,
    "Northumbria": 5,
    "Cumbria": 3,
    "Sussex": 2,
    "Surrey": 1,
    "Dyfed-Powys": 2,
    "Gloucestershire": 2,
    "Warwickshire": 2,
    "Cleveland": 2,
    "Suffolk": 2,
    "Humberside": 2,
}
DEFAULT_DA_PROGRAMMES = 4
OUT_OF_COURT_AREAS = (
    "Metropolitan Police", "West Yorkshire", "Hampshire and Isle of Wight", "Thames Valley",
    "Merseyside",
)  # fmt: skip
"""Areas given an illustrative out-of-court programme. Eligibility criteria and referral
mechanism: "Several areas also offer programmes accessible through OOCR", so with the sourced
Cambridgeshire, Gwent and South Wales these make 8 of 33, within what "several" allows."""
ISAC_AREAS = {
    "West Midlands", "Sussex", "Metropolitan Police", "Greater Manchester", "Kent",
    "Hampshire and Isle of Wight", "Thames Valley", "Essex",
}  # fmt: skip
"""Support for victims, ISACs: "Several PCCs reported commissioning" ISACs (West Midlands' is
sourced), so 8 of 33, not every area with stalking provision."""
NO_INTEGRATED_SUPPORT = {
    "Dyfed-Powys", "Gloucestershire", "Warwickshire", "Suffolk", "Humberside", "Cleveland",
    "West Mercia",
}  # fmt: skip
"""Support for victims, Signposting: "Where there are no integrated victim support services"
programmes signpost victims instead, so some areas have no integrated support; these signpost."""
CAPVA_AREAS = ("Cambridgeshire", "Norfolk", "Northamptonshire", "Hertfordshire", "Staffordshire")
EARLY_INTERVENTION_AREAS = (
    "Metropolitan Police", "Greater Manchester", "West Yorkshire", "West Midlands", "Kent",
    "Thames Valley", "Hampshire and Isle of Wight", "Avon and Somerset", "Lancashire",
    "Northumbria",
)  # fmt: skip
"""Areas given illustrative early-intervention programmes, in turn (several each), until the
share is 17%. Eligibility criteria and referral mechanism: "Some PCCs provide early intervention
schemes for young people": with Essex and Surrey (sourced) these make 12 of 33 areas, not most."""
EARLY_INTERVENTION_LIMIT = 40


def _illustrative_note(extra: str = "") -> str:
    text = "Illustrative: invented for demonstration, not a real survey answer."
    return f"{text} {extra}".strip()


# --- Sourced programme rows ---------------------------------------------------------------------


PROGRAMME_FIELDS = (
    "provider",
    "programme_type",
    "risk_levels",
    "referral_routes",
    "cohorts",
    "delivery",
    "accreditation",
    "evaluation_type",
    "evaluation_status",
    "funding_sources",
    "co_commissioning_partners",
    "annual_budget_gbp",
    "annual_capacity",
    "funding_start",
    "funding_end",
)
"""The fields a named programme's row starts with (blank until filled or stated)."""

# The illustrative rest of each programme a public document names, in the bundled workbook's row
# order: only values no fact states. A list a fact `includes` members of may hold other
# (illustrative) members here; every other sourced value comes from the facts file alone.
# The four CAPVA areas the report names without their provider pairing share one invented fill.
# The report lists CAPVA providers but not which serves which area, so no real provider is put
# beside any of these areas: their provider is an invented, generic one (UNPAIRED_PROVIDERS).
UNPAIRED_PROVIDERS = ("RISE", "The Change Project", "You Matter", "The Chrysalis Centre")
"""Real providers the report names without an area: an illustrative value may not pair one of
them with an area (a reader would take a real name beside a real area for a fact)."""
CAPVA_PROVIDER = "Local CAPVA service"
"""The invented provider of the CAPVA programmes whose real provider no source gives."""
_CAPVA_FILL: dict[str, Any] = dict(
    provider=CAPVA_PROVIDER,
    risk_levels=(RiskLevel.STANDARD, RiskLevel.MEDIUM),
    referral_routes=(ReferralRoute.CHILDRENS_SERVICES, ReferralRoute.SELF_REFERRAL),
    delivery=Delivery.MIXED,
    accreditation=Accreditation.RESPECT,
    funding_sources=(FundingSource.POLICING_BUDGET, FundingSource.LOCAL_AUTHORITY),
    co_commissioning_partners=(Partner.LOCAL_AUTHORITY,),
    annual_budget_gbp=None,
    annual_capacity=None,
    funding_start="2023-04-01",
    funding_end="2025-03-31",
)

ILLUSTRATIVE_FILL: dict[tuple[str, str], dict[str, Any]] = {
    ("Cambridgeshire", "StepWise"): dict(
        accreditation=Accreditation.CSAAP,
        evaluation_type=EvaluationType.IN_HOUSE,
        co_commissioning_partners=(),
    ),
    ("Cambridgeshire", "CARA (Cautioning and Relationship Abuse)"): dict(
        accreditation=Accreditation.RESPECT,
        evaluation_type=EvaluationType.IN_HOUSE,
        co_commissioning_partners=(),
        funding_start="2022-04-01",
        funding_end="2025-03-31",
    ),
    ("Cambridgeshire", "Respect Young People Programme"): dict(
        risk_levels=(RiskLevel.STANDARD, RiskLevel.MEDIUM),
        referral_routes=(ReferralRoute.CHILDRENS_SERVICES, ReferralRoute.POLICE),
        delivery=Delivery.MIXED,
        accreditation=Accreditation.RESPECT,
        evaluation_type=EvaluationType.IN_HOUSE,
        co_commissioning_partners=(),
        annual_budget_gbp=None,
        funding_end="2026-03-31",
    ),
    ("Cambridgeshire", "Multi-Agency Stalking Intervention Team"): dict(
        programme_type=ProgrammeType.NON_DA_STALKING,
        risk_levels=(),
        referral_routes=(
            ReferralRoute.POLICE,
            ReferralRoute.STALKING_PROTECTION_ORDER,
            ReferralRoute.MULTI_AGENCY_PANEL,
        ),
        cohorts=(Cohort.ALL,),
        accreditation=Accreditation.NOT_APPLICABLE,
        evaluation_type=EvaluationType.IN_HOUSE,
        evaluation_status=EvaluationStatus.PLANNED,
        co_commissioning_partners=(),
        annual_budget_gbp=None,
        annual_capacity=None,
        funding_end="2025-03-31",
    ),
    ("Sussex", "Compulsive Obsessive Behaviour Intervention (COBI)"): dict(
        programme_type=ProgrammeType.NON_DA_STALKING,
        risk_levels=(RiskLevel.HIGH,),
        cohorts=(Cohort.ALL,),
        accreditation=Accreditation.NOT_APPLICABLE,
        evaluation_type=EvaluationType.IN_HOUSE,
        evaluation_status=EvaluationStatus.COMPLETED,
        funding_sources=(FundingSource.HOME_OFFICE_FUND,),
        co_commissioning_partners=(),
        annual_budget_gbp=None,
        annual_capacity=None,
        funding_start="2023-04-01",
        funding_end="2025-03-31",
    ),
    ("Sussex", "High Harm Perpetrator Programme"): dict(
        provider=None,
        referral_routes=(ReferralRoute.POLICE, ReferralRoute.MULTI_AGENCY_PANEL),
        cohorts=(Cohort.ALL,),
        delivery=Delivery.ONE_TO_ONE,
        accreditation=Accreditation.RESPECT,
        evaluation_type=EvaluationType.IN_HOUSE,
        evaluation_status=EvaluationStatus.COMPLETED,
        funding_sources=(FundingSource.HOME_OFFICE_FUND, FundingSource.MATCH_FUNDING),
        co_commissioning_partners=(),
        annual_budget_gbp=None,
        annual_capacity=None,
        funding_start="2023-04-01",
        funding_end="2025-03-31",
    ),
    ("Surrey", "Steps to Change: Healthy Relationships (HR)"): dict(
        programme_type=ProgrammeType.DA,
        risk_levels=(RiskLevel.STANDARD, RiskLevel.MEDIUM),
        referral_routes=(ReferralRoute.MULTI_AGENCY_PANEL, ReferralRoute.POLICE),
        delivery=Delivery.GROUP,
        accreditation=Accreditation.RESPECT,
        evaluation_type=EvaluationType.IN_HOUSE,
        evaluation_status=EvaluationStatus.COMPLETED,
        funding_sources=(FundingSource.HOME_OFFICE_FUND, FundingSource.CO_COMMISSIONING),
        co_commissioning_partners=(Partner.LOCAL_AUTHORITY,),
        annual_budget_gbp=None,
        annual_capacity=None,
        funding_start="2023-04-01",
        funding_end="2025-03-31",
    ),
    ("Surrey", "Steps to Change: CURBB"): dict(
        programme_type=ProgrammeType.DA,
        risk_levels=(RiskLevel.MEDIUM, RiskLevel.HIGH),
        referral_routes=(ReferralRoute.MULTI_AGENCY_PANEL, ReferralRoute.POLICE),
        delivery=Delivery.GROUP,
        accreditation=Accreditation.RESPECT,
        evaluation_type=EvaluationType.IN_HOUSE,
        evaluation_status=EvaluationStatus.COMPLETED,
        funding_sources=(FundingSource.HOME_OFFICE_FUND, FundingSource.CO_COMMISSIONING),
        co_commissioning_partners=(Partner.LOCAL_AUTHORITY,),
        annual_budget_gbp=None,
        annual_capacity=None,
        funding_start="2023-04-01",
        funding_end="2025-03-31",
    ),
    ("Surrey", "Steps to Change: YUVA"): dict(
        programme_type=ProgrammeType.EARLY_INTERVENTION,
        risk_levels=(RiskLevel.STANDARD, RiskLevel.MEDIUM),
        referral_routes=(ReferralRoute.MULTI_AGENCY_PANEL, ReferralRoute.CHILDRENS_SERVICES),
        delivery=Delivery.ONE_TO_ONE,
        accreditation=Accreditation.RESPECT,
        evaluation_type=EvaluationType.IN_HOUSE,
        evaluation_status=EvaluationStatus.PLANNED,
        funding_sources=(FundingSource.HOME_OFFICE_FUND, FundingSource.CO_COMMISSIONING),
        co_commissioning_partners=(Partner.LOCAL_AUTHORITY,),
        annual_budget_gbp=None,
        annual_capacity=None,
        funding_start="2023-04-01",
        funding_end="2025-03-31",
    ),
    ("West Midlands", "Pathways2Change (P2C)"): dict(
        provider=None,
        cohorts=(Cohort.ALL,),
        delivery=Delivery.ONE_TO_ONE,
        accreditation=Accreditation.RESPECT,
        evaluation_type=EvaluationType.EXTERNAL,
        evaluation_status=EvaluationStatus.PLANNED,
        funding_sources=(FundingSource.HOME_OFFICE_FUND, FundingSource.MATCH_FUNDING),
        co_commissioning_partners=(),
        annual_budget_gbp=None,
        annual_capacity=None,
        funding_start="2023-04-01",
        funding_end="2025-03-31",
    ),
    ("Essex", "The Good Man Project"): dict(
        risk_levels=(RiskLevel.STANDARD,),
        referral_routes=(ReferralRoute.EDUCATION,),
        accreditation=Accreditation.NOT_APPLICABLE,
        evaluation_type=EvaluationType.IN_HOUSE,
        evaluation_status=EvaluationStatus.COMPLETED,
        funding_sources=(FundingSource.POLICING_BUDGET,),
        co_commissioning_partners=(),
        annual_budget_gbp=None,
        annual_capacity=None,
        funding_start="2023-04-01",
        funding_end="2025-03-31",
    ),
    ("Essex", "Sisters in Strength"): dict(
        risk_levels=(RiskLevel.STANDARD,),
        referral_routes=(ReferralRoute.EDUCATION,),
        accreditation=Accreditation.NOT_APPLICABLE,
        evaluation_type=EvaluationType.IN_HOUSE,
        evaluation_status=EvaluationStatus.COMPLETED,
        funding_sources=(FundingSource.POLICING_BUDGET,),
        co_commissioning_partners=(),
        annual_budget_gbp=None,
        annual_capacity=None,
        funding_start="2023-04-01",
        funding_end="2025-03-31",
    ),
    ("Gwent", "Project CARA"): dict(
        risk_levels=(RiskLevel.STANDARD, RiskLevel.MEDIUM),
        referral_routes=(),
        cohorts=(Cohort.ADULTS,),
        delivery=Delivery.GROUP,
        accreditation=Accreditation.RESPECT,
        evaluation_type=EvaluationType.LITERATURE_REVIEW,
        evaluation_status=EvaluationStatus.COMPLETED,
        funding_sources=(FundingSource.CO_COMMISSIONING,),
        co_commissioning_partners=(),
        annual_budget_gbp=None,
        annual_capacity=None,
        funding_start="2022-04-01",
        funding_end="2025-03-31",
    ),
    ("South Wales", "Project CARA"): dict(
        risk_levels=(RiskLevel.STANDARD, RiskLevel.MEDIUM),
        referral_routes=(),
        cohorts=(Cohort.ADULTS,),
        delivery=Delivery.GROUP,
        accreditation=Accreditation.RESPECT,
        evaluation_type=EvaluationType.LITERATURE_REVIEW,
        evaluation_status=EvaluationStatus.COMPLETED,
        funding_sources=(FundingSource.CO_COMMISSIONING,),
        co_commissioning_partners=(),
        annual_budget_gbp=None,
        annual_capacity=None,
        funding_start="2022-04-01",
        funding_end="2025-03-31",
    ),
    ("Norfolk", "CAPVA family intervention"): dict(
        _CAPVA_FILL,
        evaluation_type=EvaluationType.IN_HOUSE,
        evaluation_status=EvaluationStatus.PLANNED,
    ),
    ("Northamptonshire", "CAPVA family intervention"): dict(
        _CAPVA_FILL, evaluation_type=EvaluationType.NONE, evaluation_status=None
    ),
    ("Hertfordshire", "CAPVA family intervention"): dict(
        _CAPVA_FILL,
        evaluation_type=EvaluationType.IN_HOUSE,
        evaluation_status=EvaluationStatus.PLANNED,
    ),
    ("Staffordshire", "CAPVA family intervention"): dict(
        _CAPVA_FILL,
        evaluation_type=EvaluationType.IN_HOUSE,
        evaluation_status=EvaluationStatus.PLANNED,
    ),
}


def _named_programmes(facts: list[Fact]) -> list[dict[str, Any]]:
    """The programmes the facts file names (past ones already left out of `facts`), each with
    ILLUSTRATIVE_FILL's values for what no fact states; `_apply_facts` then sets every value a
    document states and the Provenance sheet cites it.

    A named programme without a fill, a fill for a programme no fact names, or a fill that sets
    a value a fact states (other than extra members of a list it `includes`) is an error."""
    named = {(f.area, f.programme) for f in facts if f.sheet is PROGRAMMES_SHEET and f.programme}
    if named != set(ILLUSTRATIVE_FILL):
        raise ValueError(
            "named programmes and their illustrative fill differ: "
            f"no fill for {sorted(named - set(ILLUSTRATIVE_FILL))}, "
            f"a fill for no named programme {sorted(set(ILLUSTRATIVE_FILL) - named)}"
        )
    stated = {
        (f.area, f.programme, f.column)
        for f in facts
        if f.sheet is PROGRAMMES_SHEET
        and not (f.match == "includes" and PROGRAMMES_SHEET.column(f.column).kind is Kind.CHOICES)
    }
    rows = []
    for (area, programme), fill in ILLUSTRATIVE_FILL.items():
        clash = sorted(c for c in fill if (area, programme, c) in stated)
        if clash:
            raise ValueError(f"the illustrative fill of {programme} ({area}) sets sourced {clash}")
        if fill.get("provider") in UNPAIRED_PROVIDERS:
            raise ValueError(
                f"the illustrative fill of {programme} ({area}) pairs the real provider "
                f"{fill['provider']!r} with an area no source pairs it with"
            )
        row: dict[str, Any] = dict(area=area, programme_name=programme)
        for name in PROGRAMME_FIELDS:
            blank = () if PROGRAMMES_SHEET.column(name).kind is Kind.CHOICES else None
            row[name] = fill.get(name, blank)
        row["provenance"] = Provenance.SOURCED  # the record is named by a document
        rows.append(row)
    return rows


# --- Illustrative programme rows ----------------------------------------------------------------

DA_NAMES = (
    "Community DA behaviour change programme",
    "High-harm perpetrator intervention",
    "Serial perpetrator intervention",
    "Group DA perpetrator programme",
    "One-to-one DA intervention",
    "Whole-family DA programme",
    "Young adults DA programme",
    "Substance use and DA intervention",
    "Women's DA intervention",
    "Healthy relationships course for adults",
    "Court-linked DA programme",
    "Neurodiversity-adapted DA programme",
)
PROVIDERS = (
    "Local VCSE provider",
    "National perpetrator charity",
    "Regional DA service",
    "Local authority in-house team",
    "Probation Service",
    "Community interest company",
)
EARLY_NAMES = (
    "Healthy relationships schools programme",
    "Young people's relationships project",
    "Respectful relationships youth programme",
    "Teen relationship abuse early intervention",
)


@dataclass
class _Plan:
    """The illustrative programmes one area will get, before attributes are drawn."""

    area: str
    types: list[ProgrammeType] = field(default_factory=list)


def _pick(rng: random.Random, options: Iterable[Any]) -> Any:
    return rng.choice(list(options))


def _illustrative_programme(
    rng: random.Random, area: str, name: str, ptype: ProgrammeType, context: _AreaContext
) -> dict[str, Any]:
    if ptype is ProgrammeType.DA:
        risk = _pick(
            rng,
            [
                (RiskLevel.MEDIUM, RiskLevel.HIGH),
                (RiskLevel.HIGH,),
                (RiskLevel.STANDARD, RiskLevel.MEDIUM),
                (RiskLevel.STANDARD, RiskLevel.MEDIUM, RiskLevel.HIGH),
            ],
        )
        routes = tuple(
            rng.sample(
                [
                    ReferralRoute.POLICE,
                    ReferralRoute.PROBATION,
                    ReferralRoute.CHILDRENS_SERVICES,
                    ReferralRoute.SELF_REFERRAL,
                    ReferralRoute.MULTI_AGENCY_PANEL,
                    ReferralRoute.HEALTH,
                ],
                rng.randint(2, 4),
            )
        )
        cohorts = (
            (Cohort.FEMALE,)
            if "Women" in name
            else _pick(rng, [(Cohort.ALL,)] * 3 + [(Cohort.MALE_ONLY,)])
        )
        delivery = _pick(rng, [Delivery.GROUP, Delivery.MIXED, Delivery.ONE_TO_ONE])
        budget = rng.randrange(40, 400) * 1000.0
        capacity = rng.randrange(4, 30) * 5
    elif ptype is ProgrammeType.OUT_OF_COURT:
        risk = _pick(rng, [(RiskLevel.STANDARD,), (RiskLevel.STANDARD, RiskLevel.MEDIUM)])
        routes = (ReferralRoute.OUT_OF_COURT_RESOLUTION, ReferralRoute.POLICE)
        cohorts = (Cohort.ADULTS,)  # OOCR programmes are for those "aged 18 and older"
        delivery = _pick(rng, [Delivery.GROUP, Delivery.ONE_TO_ONE])
        budget = rng.randrange(20, 90) * 1000.0
        capacity = rng.randrange(10, 40) * 5
    elif ptype is ProgrammeType.EARLY_INTERVENTION:
        risk = (RiskLevel.STANDARD,)
        routes = (ReferralRoute.EDUCATION, ReferralRoute.CHILDRENS_SERVICES)
        cohorts = (Cohort.YOUNG_PEOPLE,)
        delivery = _pick(rng, [Delivery.GROUP, Delivery.MIXED])
        budget = rng.randrange(10, 60) * 1000.0
        capacity = rng.randrange(10, 60) * 5
    else:  # stalking
        risk = _pick(rng, [(RiskLevel.MEDIUM, RiskLevel.HIGH), (RiskLevel.HIGH,)])
        routes = (
            (ReferralRoute.STALKING_PROTECTION_ORDER, ReferralRoute.POLICE)
            if ptype is ProgrammeType.NON_DA_STALKING
            else (ReferralRoute.POLICE, ReferralRoute.MULTI_AGENCY_PANEL)
        )
        cohorts = (Cohort.ALL,)
        delivery = Delivery.ONE_TO_ONE
        budget = rng.randrange(50, 200) * 1000.0
        capacity = rng.randrange(2, 10) * 5
    if ptype in (ProgrammeType.DA, ProgrammeType.OUT_OF_COURT):
        accreditation = _pick(
            rng,
            [Accreditation.RESPECT] * 8 + [Accreditation.CSAAP, Accreditation.NFI],
        )
    elif ptype is ProgrammeType.EARLY_INTERVENTION:
        # 88% of all programmes are accredited (Accreditation of services) while 17% are early
        # intervention, so young people's programmes must mostly hold Respect's accreditation
        accreditation = Accreditation.RESPECT
    else:  # stalking: "no accreditation processes or national standards" (Accreditation)
        accreditation = Accreditation.NOT_APPLICABLE
    if context.evaluates:
        evaluation_type = _pick(
            rng,
            [
                EvaluationType.IN_HOUSE,
                EvaluationType.IN_HOUSE,
                EvaluationType.EXTERNAL,
                EvaluationType.LITERATURE_REVIEW,
                EvaluationType.NONE,
            ],
        )
    else:
        evaluation_type = EvaluationType.NONE
    evaluation_status = (
        None
        if evaluation_type is EvaluationType.NONE
        else _pick(rng, [EvaluationStatus.COMPLETED, EvaluationStatus.PLANNED])
    )
    funding = [FundingSource.POLICING_BUDGET]
    if context.ho_fund and rng.random() < 0.6:
        funding = [FundingSource.HOME_OFFICE_FUND, FundingSource.MATCH_FUNDING]
    partners: tuple[Partner, ...] = ()
    if context.partners and rng.random() < 0.35:
        partners = context.partners
        funding.append(FundingSource.CO_COMMISSIONING)
    if FundingSource.HOME_OFFICE_FUND in funding:
        start, end = "2023-04-01", "2025-03-31"
    else:
        start = _pick(rng, ["2021-04-01", "2022-04-01", "2023-04-01", "2024-04-01"])
        end = _pick(
            rng, ["2025-03-31"] * 4 + ["2025-09-30", "2026-03-31", "2026-03-31", "2027-03-31"]
        )
    has_budget = rng.random() < 0.45
    return dict(
        area=area,
        programme_name=name,
        provider=_pick(rng, PROVIDERS),
        programme_type=ptype,
        risk_levels=risk,
        referral_routes=routes,
        cohorts=cohorts,
        delivery=delivery,
        accreditation=accreditation,
        evaluation_type=evaluation_type,
        evaluation_status=evaluation_status,
        funding_sources=tuple(funding),
        co_commissioning_partners=partners,
        annual_budget_gbp=budget if has_budget else None,
        annual_capacity=capacity if has_budget or rng.random() < 0.3 else None,
        funding_start=start,
        funding_end=end,
        provenance=Provenance.ILLUSTRATIVE,
        source=None,
        notes=_illustrative_note(),
    )


@dataclass(frozen=True)
class _AreaContext:
    evaluates: bool
    ho_fund: bool
    partners: tuple[Partner, ...]


def _context(area: str) -> _AreaContext:
    return _AreaContext(
        evaluates=area not in NO_EVALUATION,
        ho_fund=area not in NOT_HO_FUND,
        partners=CO_COMMISSIONING.get(area, ()),
    )


def _early_intervention_count(sourced: list[dict[str, Any]], others: int) -> int:
    """How many illustrative early-intervention programmes make the share round to 17%."""
    early = sum(
        r["programme_type"] in (ProgrammeType.EARLY_INTERVENTION, ProgrammeType.CAPVA)
        for r in sourced
    )
    for extra in range(EARLY_INTERVENTION_LIMIT + 1):
        total = others + extra
        if 16.5 <= 100 * (early + extra) / total < 17.5:
            return extra
    raise ValueError(f"cannot reach a 17% early-intervention share in {EARLY_INTERVENTION_LIMIT}")


def _illustrative_programmes(
    rng: random.Random, respondents: list[str], sourced: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    sourced_da = {
        area: sum(r["area"] == area and r["programme_type"] is ProgrammeType.DA for r in sourced)
        for area in respondents
    }
    sourced_types = {(r["area"], r["programme_type"]) for r in sourced}
    plans = {area: _Plan(area) for area in respondents}
    for area in respondents:
        plan = plans[area]
        wanted_da = DA_PROGRAMME_COUNTS.get(area, DEFAULT_DA_PROGRAMMES)
        plan.types += [ProgrammeType.DA] * max(0, wanted_da - sourced_da[area])
        if area in OUT_OF_COURT_AREAS:
            plan.types.append(ProgrammeType.OUT_OF_COURT)
        if area in NON_DA_STALKING and (area, ProgrammeType.NON_DA_STALKING) not in sourced_types:
            plan.types.append(ProgrammeType.NON_DA_STALKING)
        if area in SPECIALIST_DA_RELATED:
            plan.types.append(ProgrammeType.DA_RELATED_STALKING)
    # a second specialist stalking service in the largest areas
    plans["Metropolitan Police"].types.append(ProgrammeType.NON_DA_STALKING)
    plans["Greater Manchester"].types.append(ProgrammeType.NON_DA_STALKING)
    others = len(sourced) + sum(len(p.types) for p in plans.values())
    for turn in range(_early_intervention_count(sourced, others)):
        area = EARLY_INTERVENTION_AREAS[turn % len(EARLY_INTERVENTION_AREAS)]
        plans[area].types.append(ProgrammeType.EARLY_INTERVENTION)

    rows: list[dict[str, Any]] = []
    for area in respondents:
        context = _context(area)
        taken = {r["programme_name"] for r in sourced if r["area"] == area}
        counters: dict[ProgrammeType, int] = {}
        for ptype in plans[area].types:
            index = counters.get(ptype, 0)
            counters[ptype] = index + 1
            name = _programme_name(ptype, index, taken)
            taken.add(name)
            rows.append(_illustrative_programme(rng, area, name, ptype, context))
    _tailor_cohorts(rows)
    _mark_not_accredited(rows, sourced)
    _ensure_completed_evaluations(rows, sourced)
    return rows


def _programme_name(ptype: ProgrammeType, index: int, taken: set[str]) -> str:
    if ptype is ProgrammeType.DA:
        candidates = list(DA_NAMES)
    elif ptype is ProgrammeType.OUT_OF_COURT:
        candidates = ["Conditional caution DA course", "Out-of-court relationship abuse course"]
    elif ptype is ProgrammeType.EARLY_INTERVENTION:
        candidates = list(EARLY_NAMES)
    elif ptype is ProgrammeType.NON_DA_STALKING:
        candidates = ["Stalking perpetrator intervention", "Stalking Protection Order programme"]
    else:
        candidates = ["DA-related stalking intervention"]
    free = [c for c in candidates if c not in taken]
    return free[index % len(free)] if free else f"{candidates[0]} {index + 1}"


def _tailor_cohorts(rows: list[dict[str, Any]]) -> None:
    """Tailor one DA programme per chosen area to LGBTQ+ or racialised and minoritised people."""
    for areas, cohort, label in (
        (LGBTQ_AREAS, Cohort.LGBTQ, "LGBTQ+ DA perpetrator programme"),
        (RACIALISED_AREAS, Cohort.RACIALISED_AND_MINORITISED, "Culturally specific DA programme"),
    ):
        for area in sorted(areas):
            row = next(
                r
                for r in rows
                if r["area"] == area
                and r["programme_type"] is ProgrammeType.DA
                and r["cohorts"] in ((Cohort.ALL,), (Cohort.MALE_ONLY,))
                and "tailored" not in r["notes"]
            )
            row["programme_name"] = label
            row["cohorts"] = (cohort,)
            row["notes"] = _illustrative_note("A tailored programme.")


ACCREDITED = (Accreditation.RESPECT, Accreditation.CSAAP, Accreditation.NFI)


def accredited_percent(rows: list[dict[str, Any]]) -> float:
    """Accredited programmes as a share of every programme, the report's base ("of the
    programmes commissioned or co-commissioned by PCCs, 88% are accredited")."""
    return 100 * sum(r["accreditation"] in ACCREDITED for r in rows) / len(rows)


def _mark_not_accredited(rows: list[dict[str, Any]], sourced: list[dict[str, Any]]) -> None:
    """Make programmes in the three areas unaccredited (at least one each: "A small number of
    PCCs (three)") until the accredited share of all programmes rounds to 88%."""
    everything = sourced + rows
    accreditable = (ProgrammeType.DA, ProgrammeType.OUT_OF_COURT)
    pools = [
        [r for r in rows if r["area"] == area and r["programme_type"] in accreditable]
        for area in NOT_ACCREDITED_AREAS
    ]
    turn = 0
    while True:
        share = accredited_percent(everything)
        if share < 88.5 and turn >= len(pools):
            break
        pool = pools[turn % len(pools)]
        turn += 1
        if not pool:
            if not any(pools):
                raise ValueError(f"no programmes left to mark at {share:.2f}% accredited")
            continue
        row = pool.pop(0)
        row["accreditation"] = Accreditation.NONE
        row["notes"] = _illustrative_note(
            "Not accredited: does not fit the Respect accreditation standards."
        )
    if share < 87.5:
        raise ValueError(f"accredited share {share:.2f} overshot 88%")


def _ensure_completed_evaluations(
    rows: list[dict[str, Any]], sourced: list[dict[str, Any]]
) -> None:
    """Every area that supplied evaluation reports has at least that many completed evaluations."""
    for area, reports in EVALUATION_REPORTS.items():
        completed = [
            r
            for r in sourced + rows
            if r["area"] == area and r["evaluation_status"] is EvaluationStatus.COMPLETED
        ]
        for row in (r for r in rows if r["area"] == area and r not in completed):
            if len(completed) >= reports:
                break
            row["evaluation_type"] = EvaluationType.EXTERNAL
            row["evaluation_status"] = EvaluationStatus.COMPLETED
            completed.append(row)


# --- Area rows ----------------------------------------------------------------------------------

AREA_NOTES = {
    "Lancashire": "Make the Change, a Respect-accredited programme commissioned by Lancashire "
    "County Council and Blackburn with Darwen Council, is a partner intervention, not a PCC "
    "programme.",
    "Northumbria": "The Northumbria Stalking Intervention Programme, funded and delivered by the "
    "Probation Service, CNTW (mental health trust) and the Violence Reduction Unit, is partner "
    "provision, not a PCC programme.",
    "Cumbria": "Turning the Spotlight (a whole-family DA programme funded 1 October 2017 to 31 "
    "March 2020) is a past programme, so not in Programmes.",
}
"""What the area rows' notes say beyond their values (each value's citation is in Provenance)."""


def _area_row(rng: random.Random, area: str, body: str, programmes: list[dict[str, Any]]) -> dict:
    stalking = []
    if area in WITHIN_DA_PROGRAMMES:
        stalking.append(StalkingProvision.WITHIN_DA_PROGRAMMES)
    if area in SPECIALIST_DA_RELATED:
        stalking.append(StalkingProvision.SPECIALIST_DA_RELATED)
    if area in NON_DA_STALKING:
        stalking.append(StalkingProvision.SPECIALIST_NON_DA)
    partners = CO_COMMISSIONING.get(area, ())
    if area in NO_PARTNER_PROVISION:
        partner_provision: tuple[PartnerProvider, ...] = ()
    elif area in PARTNER_PROVISION_OVERRIDES:
        partner_provision = PARTNER_PROVISION_OVERRIDES[area]
    else:
        partner_provision = tuple(rng.sample(list(PartnerProvider), rng.randint(1, 3)))
    ho_fund = area not in NOT_HO_FUND
    funding = {s for p in programmes for s in p["funding_sources"]}
    funding.add(FundingSource.POLICING_BUDGET)
    if rng.random() < 0.4:
        funding.add(FundingSource.MOJ_CORE_VICTIMS_GRANT)
    if ho_fund:
        funding.update((FundingSource.HOME_OFFICE_FUND, FundingSource.MATCH_FUNDING))
    else:
        funding.discard(FundingSource.HOME_OFFICE_FUND)
    forums = []
    if area not in NO_MARAC:
        forums.append(RiskForum.MARAC)
    if area in MATAC:
        forums.append(RiskForum.MATAC)
    if area in DAPP:
        forums.append(RiskForum.DAPP)
    if not forums:
        forums.append(RiskForum.OTHER)
    continuation = NOT_CONTINUING.get(area, ContinuationPlan.ONLY_WITH_NATIONAL_FUNDING)
    victim_support = {VictimSupport.IDVA}
    if area not in NO_INTEGRATED_SUPPORT:
        victim_support.add(VictimSupport.INTEGRATED)
    # drawn for every area so the random sequence does not depend on the sets above
    signposts = rng.random() < 0.5
    # without integrated support programmes signpost; out-of-court ones such as CARA signpost too
    out_of_court = any(p["programme_type"] == ProgrammeType.OUT_OF_COURT for p in programmes)
    if signposts or area in NO_INTEGRATED_SUPPORT or out_of_court:
        victim_support.add(VictimSupport.SIGNPOSTING)
    if area in ISAC_AREAS:
        victim_support.add(VictimSupport.ISAC)
    if RiskForum.MARAC in forums or RiskForum.MATAC in forums:
        victim_support.add(VictimSupport.MULTI_AGENCY_PANELS)
    if area in IN_PERSON:
        engagement = FollowUpEngagement.IN_PERSON
    elif area in ONLINE:
        engagement = FollowUpEngagement.ONLINE
    else:
        engagement = FollowUpEngagement.NONE
    notes = (
        "Response status from the report's appendix. Values the Provenance sheet marks Sourced "
        "come from the documents it cites; the other answers are illustrative (invented)."
    )
    if area in AREA_NOTES:
        notes += f" {AREA_NOTES[area]}"
    return dict(
        area=area,
        response_status=ResponseStatus.RESPONDED,
        respondent_body=body,
        commissions_da_programmes=YesNo.YES,
        stalking_provision=tuple(stalking) or (StalkingProvision.NONE,),
        co_commissions=YesNo.YES if partners else YesNo.NO,
        co_commissioning_partners=partners,
        partner_interventions=partner_provision,
        funding_sources=tuple(funding),
        ho_fund_recipient=YesNo.YES if ho_fund else YesNo.NO,
        continuation_plan=continuation,
        risk_forums=tuple(forums),
        strategic_board=YesNo.NO if area in NO_STRATEGIC_BOARD else YesNo.YES,
        monitoring_frequency=MONITORING.get(area, MonitoringFrequency.QUARTERLY),
        victim_support=tuple(victim_support),
        stalking_standards_would_help=NO_STANDARDS_SUPPORT.get(area, YesNoUnsure.YES),
        evaluation_undertaken_or_planned=YesNo.NO if area in NO_EVALUATION else YesNo.YES,
        evaluation_reports_supplied=EVALUATION_REPORTS.get(area, 0),
        follow_up_engagement=engagement,
        provenance=Provenance.ILLUSTRATIVE,
        source=APPENDIX,
        notes=notes,
    )


def _non_respondent_row(area: str) -> dict[str, Any]:
    row: dict[str, Any] = dict(
        area=area,
        response_status=ResponseStatus.DID_NOT_RESPOND,
        provenance=Provenance.SOURCED,
        source=f"{APPENDIX} (area not listed)",
        notes="Did not respond: the area is not in the report's list of respondents.",
    )
    if area in HO_FUND_NON_RESPONDENTS:
        row.update(
            ho_fund_recipient=YesNo.YES,
            provenance=Provenance.ILLUSTRATIVE,
            notes=(
                "Did not respond (report's appendix). Home Office fund recipient: illustrative. "
                "The report says 27 areas received the fund of which 2 did not respond; which 2 is "
                "not published, so this area was chosen for illustration."
            ),
        )
    return row


# --- Assembly -----------------------------------------------------------------------------------


def _records(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    codes = {a.display_name: a.code for a in force_areas()}
    records = []
    for row in rows:
        record = {k: (str(v) if isinstance(v, str) else v) for k, v in row.items() if k != "area"}
        for key, value in record.items():
            if isinstance(value, tuple):
                record[key] = tuple(str(v) for v in value)
        record["area_code"] = codes[row["area"]]
        records.append(record)
    return records


def build_illustrative_survey() -> Survey:
    """The bundled wave as a Survey (deterministic)."""
    rng = random.Random(SEED)
    display = {a.code: a.display_name for a in force_areas()}
    respondents = {display[code_for(body)]: body for body in RESPONDENTS}
    respondent_areas = [a.display_name for a in force_areas() if a.display_name in respondents]
    ended = ended_programmes()
    facts = [f for f in load_facts() if (f.area, f.programme) not in ended]
    sourced = _named_programmes(facts)
    _apply_facts(sourced, facts, PROGRAMMES_SHEET)
    _cite_documents(sourced, facts)
    illustrative = _illustrative_programmes(rng, respondent_areas, sourced)
    order = {area: i for i, area in enumerate(respondent_areas)}
    programmes = sorted(sourced + illustrative, key=lambda r: order[r["area"]])
    area_rows = []
    for area in force_areas():
        name = area.display_name
        if name in respondents:
            own = [p for p in programmes if p["area"] == name]
            area_rows.append(_area_row(rng, name, respondents[name], own))
        else:
            area_rows.append(_non_respondent_row(name))
    for row in area_rows:
        row["programme_name"] = None
    _apply_facts(area_rows, facts, AREAS_SHEET)
    for row in area_rows:
        del row["programme_name"]
    kept = {(r["area"], r["programme_name"]) for r in programmes} | {
        (r["area"], None) for r in area_rows
    }
    return Survey.from_records(
        _records(area_rows), _records(programmes), _provenance_records(facts, kept)
    )


def _cite_documents(rows: list[dict[str, Any]], facts: list[Fact]) -> None:
    """A named programme's `source` lists the documents its sourced values come from."""
    for row in rows:
        own = (row["area"], row["programme_name"])
        documents = [f.document for f in facts if (f.area, f.programme) == own]
        row["source"] = "; ".join(dict.fromkeys(documents))
        row["notes"] = (
            "Named by the documents in source. Values the Provenance sheet marks Sourced come "
            "from them; the other values are illustrative (invented)."
        )


def check_reproduces_published_figures(survey: Survey) -> list[str]:
    """Published figures the wave does not reproduce (only the known '76% (26)' should appear)."""
    from landscape.model.landscape import build_landscape
    from landscape.model.published import check_figures

    checked = check_figures(build_landscape(survey))
    missed = checked[checked["matches"] == False]  # noqa: E712 (None means not a survey figure)
    return list(missed["id"])


def main(argv: list[str]) -> int:
    from landscape import paths
    from landscape.intake.template import survey_workbook_bytes

    survey = build_illustrative_survey()
    missed = check_reproduces_published_figures(survey)
    if missed != ["evaluation_any_percent"]:
        print(f"not reproduced: {missed}", file=sys.stderr)
        return 1
    out = Path(argv[0]) if argv else paths.BUNDLED_WAVE
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(survey_workbook_bytes(survey))
    print(f"wrote {out}: {len(survey.areas)} areas, {len(survey.programmes)} programmes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
