"""The survey schema, declared once.

Sheets, columns, types, allowed values and help text live here and nowhere else: validation, the
downloadable template, the data dictionary and the CLI all read this module. Allowed values are
`StrEnum`s so that code can name them (`ProgrammeType.CAPVA`) and the UI can offer them as choices.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from functools import cached_property

LIST_SEPARATOR = ";"
"""Cells that take several allowed values separate them with this (as survey exports do)."""


class YesNo(StrEnum):
    YES = "Yes"
    NO = "No"


class YesNoUnsure(StrEnum):
    YES = "Yes"
    NO = "No"
    UNSURE = "Unsure"


class ResponseStatus(StrEnum):
    RESPONDED = "Responded"
    DID_NOT_RESPOND = "Did not respond"


class Provenance(StrEnum):
    """Where a row comes from: a record a document names, one invented, or an area's own answer."""

    SOURCED = "Sourced"
    ILLUSTRATIVE = "Illustrative"
    REPORTED = "Reported"


class ValueProvenance(StrEnum):
    """Where one value comes from (the Provenance sheet)."""

    PUBLISHED = "Published"
    """An aggregate the published report states."""
    SOURCED = "Sourced"
    """A named document states it for this area or programme (cite document and section)."""
    REPORTED = "Reported"
    """The area's own answer to the survey."""
    ILLUSTRATIVE = "Illustrative"
    """Invented to make the wave whole."""


class StalkingProvision(StrEnum):
    NONE = "None"
    WITHIN_DA_PROGRAMMES = "Within DA programmes"
    SPECIALIST_DA_RELATED = "Specialist DA-related"
    SPECIALIST_NON_DA = "Specialist non-DA"


class Partner(StrEnum):
    """Who a PCC co-commissions with."""

    LOCAL_AUTHORITY = "Local authority"
    OTHER_PCC = "Other PCC"
    PROBATION = "Probation"
    HEALTH = "Health"
    VCSE = "VCSE"
    OTHER = "Other"


class PartnerProvider(StrEnum):
    """Who commissions or provides further interventions beyond the PCC's own."""

    LOCAL_AUTHORITY = "Local authority"
    FORCE = "Force"
    VCSE = "VCSE"
    PROBATION = "Probation"


class FundingSource(StrEnum):
    HOME_OFFICE_FUND = "Home Office fund 2023-25"
    HOME_OFFICE_EARLIER_ROUNDS = "Home Office DA perpetrator fund (rounds before 2023-25)"
    POLICING_BUDGET = "Policing budget"
    MATCH_FUNDING = "Match funding"
    MOJ_CORE_VICTIMS_GRANT = "MoJ core victims grant"
    LOCAL_AUTHORITY = "Local authority"
    OTHER_PARTNERS = "Other partners"
    CO_COMMISSIONING = "Co-commissioning"


class ContinuationPlan(StrEnum):
    YES = "Yes"
    ONLY_WITH_NATIONAL_FUNDING = "Only with continued national funding"
    NO = "No"
    UNSURE = "Unsure"


class RiskForum(StrEnum):
    MARAC = "MARAC"
    MATAC = "MATAC"
    DAPP = "DAPP"
    OTHER = "Other"


class MonitoringFrequency(StrEnum):
    MONTHLY = "Monthly"
    QUARTERLY = "Quarterly"
    SIX_MONTHLY = "Six-monthly"
    ANNUALLY = "Annually"
    OTHER = "Other"


class VictimSupport(StrEnum):
    INTEGRATED = "Integrated support"
    SIGNPOSTING = "Signposting"
    IDVA = "IDVA"
    ISAC = "ISAC"
    MULTI_AGENCY_PANELS = "Multi-agency panels"


class FollowUpEngagement(StrEnum):
    NONE = "None"
    IN_PERSON = "In person"
    ONLINE = "Online meeting"


class ProgrammeType(StrEnum):
    DA = "DA"
    DA_RELATED_STALKING = "DA-related stalking"
    NON_DA_STALKING = "Non-DA stalking"
    EARLY_INTERVENTION = "Early intervention"
    CAPVA = "CAPVA"
    OUT_OF_COURT = "DA: out-of-court (e.g. CARA)"
    """A DA programme reached through an out-of-court resolution (a conditional caution): DA
    provision, named so that no reader takes it for "not DA" (issue 18)."""


DA_PROGRAMME_TYPES = (ProgrammeType.DA.value, ProgrammeType.OUT_OF_COURT.value)
"""The types that are DA perpetrator programmes: an area with any of them commissions DA
programmes (the report's "all 33" counts Cambridgeshire, whose two are out-of-court)."""
ANY_DA_PROGRAMME = "DA (any, incl. out-of-court)"
"""How an area-level count of DA programmes names itself: it counts every DA_PROGRAMME_TYPES."""

FORMER_CHOICES: dict[type[Enum], dict[str, str]] = {
    ProgrammeType: {"Out-of-court": ProgrammeType.OUT_OF_COURT.value},
}
"""Choices renamed since waves were stored or templates handed out: the old wording is read as
the new, on upload and when a stored wave is loaded (stored rows are never rewritten)."""


class RiskLevel(StrEnum):
    STANDARD = "Standard"
    MEDIUM = "Medium"
    HIGH = "High"


class ReferralRoute(StrEnum):
    POLICE = "Police"
    PROBATION = "Probation"
    CHILDRENS_SERVICES = "Children's services"
    HEALTH = "Health"
    SELF_REFERRAL = "Self-referral"
    OUT_OF_COURT_RESOLUTION = "Out-of-court resolution"
    STALKING_PROTECTION_ORDER = "Stalking Protection Order"
    MULTI_AGENCY_PANEL = "Multi-agency panel"
    EDUCATION = "Education"
    OTHER = "Other"


class Cohort(StrEnum):
    ALL = "All"
    ADULTS = "Adults"
    MALE_ONLY = "Male only"
    FEMALE = "Female"
    YOUNG_PEOPLE = "Young people"
    LGBTQ = "LGBTQ+"
    RACIALISED_AND_MINORITISED = "Racialised and minoritised"


class Delivery(StrEnum):
    GROUP = "Group"
    ONE_TO_ONE = "One-to-one"
    MIXED = "Mixed"


class Accreditation(StrEnum):
    RESPECT = "Respect"
    CSAAP = "CSAAP"
    NFI = "NFI"
    NONE = "None"
    NOT_APPLICABLE = "Not applicable"


class EvaluationType(StrEnum):
    IN_HOUSE = "In-house"
    EXTERNAL = "External"
    LITERATURE_REVIEW = "Literature review"
    NONE = "None"


class EvaluationStatus(StrEnum):
    COMPLETED = "Completed"
    PLANNED = "Planned"


CHOICE_ALIASES: dict[Enum, tuple[str, ...]] = {
    FundingSource.HOME_OFFICE_FUND: (
        "Home Office fund 2023-2025",
        "Home Office DA and Stalking Perpetrator Intervention Fund 2023-25",
        "Home Office DA and Stalking Perpetrator Intervention Fund 2023-2025",
    ),
    FundingSource.MOJ_CORE_VICTIMS_GRANT: ("Ministry of Justice core victims grant",),
    MonitoringFrequency.SIX_MONTHLY: ("Every six months", "Twice a year"),
    MonitoringFrequency.ANNUALLY: ("Annual", "Yearly"),
}
"""The only other spellings an answer may use for an option (besides case, spacing and
typographic dashes and quotes, which are always read as plain). Anything else that is not an
option is refused by cell, never guessed."""

ACCREDITED = frozenset({Accreditation.RESPECT, Accreditation.CSAAP, Accreditation.NFI})
"""Routes the report counts as accreditation or quality-assured framework compliance."""


class Kind(StrEnum):
    TEXT = "text"
    INTEGER = "whole number"
    NUMBER = "number"
    DATE = "date"
    CHOICE = "one of a list"
    CHOICES = "several of a list"
    AREA = "police force area"


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    description: str
    choices: type[Enum] | None = None
    required: bool = False
    required_if_responded: bool = False
    minimum: float | None = None
    example: str = ""
    label: str = ""
    """The column's name in words, for table headers, axes and legends (blank: the name with
    spaces for underscores, capitalised). Column names are for the template and code only."""

    @property
    def heading(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()

    @cached_property  # read for every cell during validation
    def allowed(self) -> tuple[str, ...]:
        return tuple(str(m.value) for m in self.choices) if self.choices else ()

    @cached_property
    def aliases(self) -> dict[str, str]:
        """Other spellings of this column's options, declared in `CHOICE_ALIASES`: alias ->
        option."""
        members = set(self.choices) if self.choices else set()
        return {
            alias: str(option.value)
            for option, written in CHOICE_ALIASES.items()
            if option in members
            for alias in written
        }

    @cached_property
    def former(self) -> dict[str, str]:
        """Old wordings of its choices -> the current ones (FORMER_CHOICES)."""
        return FORMER_CHOICES.get(self.choices, {}) if self.choices else {}

    def current(self, value: str) -> str:
        """A stored or uploaded choice in today's wording."""
        return self.former.get(value, value)


@dataclass(frozen=True)
class Rule:
    """A rule across fields or sheets: `name` ties it to its check in validation, `text` is what
    people read (template, data dictionary)."""

    name: str
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Sheet:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    rules: tuple[Rule, ...] = field(default=())

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _provenance_columns() -> tuple[Column, ...]:
    return (
        Column(
            "provenance",
            Kind.CHOICE,
            "Where the row comes from. Reported (or blank): the area's own answers. Sourced: a "
            "public document named in `source` names this area or programme. Illustrative: "
            "invented for demonstration. Each value's own provenance is in the Provenance sheet; "
            "a value it does not list is Reported on a Reported row and Illustrative otherwise.",
            choices=Provenance,
            example="Reported",
        ),
        Column(
            "source",
            Kind.TEXT,
            "The public documents the row draws on (the Provenance sheet cites each value).",
            example="Cambridgeshire OPCC FOI/OPCC/24-018 (June 2024)",
        ),
        Column("notes", Kind.TEXT, "Anything the analyst should know about this row."),
    )


def _period_figures_column(about: str) -> Column:
    return Column(
        "period_figures",
        Kind.TEXT,
        f"Counts or amounts for {about}, each with the period it covers; never annualised. "
        f"Several are separated by {LIST_SEPARATOR!r}.",
        example="98 completions (2022-23)",
    )


FILLED_WITHOUT_RESPONSE = (
    "respondent_body",
    "ho_fund_recipient",
    "follow_up_engagement",
    "provenance",
    "source",
    "notes",
)
"""Areas columns besides force_area and response_status that a non-responding area may fill:
who it is, whether it received the Home Office fund, the APCC's follow-up, provenance."""

AREAS = Sheet(
    name="Areas",
    description="One row per police force area: whether it responded, and its answers if so.",
    key=("force_area",),
    rules=(
        Rule("unique_force_area", "Each force area appears at most once."),
        Rule(
            "required_if_responded",
            "Columns marked 'if responded' must be filled when response_status is Responded.",
        ),
        Rule(
            "partners_if_co_commissions",
            "co_commissioning_partners must be filled when co_commissions is Yes.",
        ),
        Rule(
            "stalking_none_stands_alone",
            'stalking_provision "None" stands alone: it cannot be listed with other provision.',
        ),
        Rule(
            "blank_if_not_responded",
            "When response_status is Did not respond, the survey answers are left blank "
            f"(only {', '.join(FILLED_WITHOUT_RESPONSE)} may be filled).",
        ),
    ),
    columns=(
        Column(
            "force_area",
            Kind.AREA,
            "The police force area (name, alias or ONS code).",
            required=True,
            example="Cambridgeshire",
        ),
        Column(
            "response_status",
            Kind.CHOICE,
            "Whether the area's PCC office answered this survey wave.",
            choices=ResponseStatus,
            required=True,
            example="Responded",
            label="Response",
        ),
        Column(
            "respondent_body",
            Kind.TEXT,
            "The office that answered, as it names itself.",
            example="Cambridgeshire PCC",
            label="Responding office",
        ),
        Column(
            "commissions_da_programmes",
            Kind.CHOICE,
            "Commissions or co-commissions domestic abuse perpetrator programmes.",
            choices=YesNo,
            required_if_responded=True,
            example="Yes",
            label="Commissions DA programmes",
        ),
        Column(
            "stalking_provision",
            Kind.CHOICES,
            "Stalking perpetrator provision: None, or any of within DA programmes, specialist "
            "DA-related, specialist non-DA.",
            choices=StalkingProvision,
            required_if_responded=True,
            example="Within DA programmes; Specialist non-DA",
        ),
        Column(
            "co_commissions",
            Kind.CHOICE,
            "Co-commissions perpetrator intervention programmes with partners.",
            choices=YesNo,
            required_if_responded=True,
            example="Yes",
            label="Co-commissions",
        ),
        Column(
            "co_commissioning_partners",
            Kind.CHOICES,
            "Who the area co-commissions with.",
            choices=Partner,
            example="Local authority; Other PCC",
        ),
        Column(
            "partner_interventions",
            Kind.CHOICES,
            "Further perpetrator interventions commissioned or provided by partners (blank: none).",
            choices=PartnerProvider,
            example="Local authority; Probation",
        ),
        Column(
            "funding_sources",
            Kind.CHOICES,
            "Sources funding the area's perpetrator interventions.",
            choices=FundingSource,
            required_if_responded=True,
            example="Home Office fund 2023-25; Policing budget",
        ),
        Column(
            "ho_fund_recipient",
            Kind.CHOICE,
            "Received the Home Office DA and Stalking Perpetrator Intervention Fund 2023-25 "
            "(may be filled for non-respondents where known).",
            choices=YesNo,
            required_if_responded=True,
            example="Yes",
            label="Home Office fund 2023-25 recipient",
        ),
        Column(
            "continuation_plan",
            Kind.CHOICE,
            "Plans to continue funding programmes after financial year 2024-25.",
            choices=ContinuationPlan,
            required_if_responded=True,
            example="Only with continued national funding",
            label="Plans to continue funding",
        ),
        Column(
            "risk_forums",
            Kind.CHOICES,
            "Operational forums used to assess and manage the risk perpetrators pose "
            "(blank: none).",
            choices=RiskForum,
            example="MARAC; MATAC",
        ),
        Column(
            "strategic_board",
            Kind.CHOICE,
            "Has a strategic board overseeing perpetrator interventions.",
            choices=YesNo,
            required_if_responded=True,
            example="Yes",
        ),
        Column(
            "monitoring_frequency",
            Kind.CHOICE,
            "How often commissioned programmes' performance is monitored.",
            choices=MonitoringFrequency,
            required_if_responded=True,
            example="Quarterly",
        ),
        Column(
            "victim_support",
            Kind.CHOICES,
            "Approaches to supporting victims alongside perpetrator programmes.",
            choices=VictimSupport,
            required_if_responded=True,
            example="Integrated support; IDVA",
        ),
        Column(
            "stalking_standards_would_help",
            Kind.CHOICE,
            "Whether national standards for stalking perpetrator programmes would support "
            "the area.",
            choices=YesNoUnsure,
            required_if_responded=True,
            example="Yes",
            label="National stalking standards would help",
        ),
        Column(
            "evaluation_undertaken_or_planned",
            Kind.CHOICE,
            "Has undertaken, or plans, evaluation of its commissioned programmes.",
            choices=YesNo,
            required_if_responded=True,
            example="Yes",
        ),
        Column(
            "evaluation_reports_supplied",
            Kind.INTEGER,
            "Number of evaluations or interim reports the area supplied with its answers.",
            minimum=0,
            example="2",
            label="Evaluation reports supplied",
        ),
        Column(
            "follow_up_engagement",
            Kind.CHOICE,
            "Whether the APCC followed up the answers with the area in person or online.",
            choices=FollowUpEngagement,
            example="None",
            label="APCC follow-up",
        ),
        Column(
            "ho_fund_award_gbp",
            Kind.NUMBER,
            "The area's Home Office fund 2023-25 award in pounds, for the whole award, if known.",
            minimum=0,
            example="786138",
            label="Home Office fund award (£)",
        ),
        _period_figures_column("the area (e.g. its risk forums or hub)"),
        *_provenance_columns(),
    ),
)

PROGRAMMES = Sheet(
    name="Programmes",
    description="One row per programme the PCC commissions or co-commissions.",
    key=("force_area", "programme_name"),
    rules=(
        Rule("unique_programme_name", "Each programme name appears at most once per force area."),
        Rule(
            "evaluation_status_matches_type",
            "evaluation_status must be filled unless evaluation_type is None, "
            "and blank when it is.",
        ),
        Rule("funding_end_not_before_start", "funding_end must not be before funding_start."),
        Rule(
            "programme_area_responded",
            "The force area must be one that responded (listed in Areas as Responded).",
        ),
    ),
    columns=(
        Column(
            "force_area",
            Kind.AREA,
            "The police force area commissioning the programme (name, alias or ONS code).",
            required=True,
            example="Cambridgeshire",
        ),
        Column(
            "programme_name",
            Kind.TEXT,
            "The programme's name.",
            required=True,
            example="StepWise",
            label="Programme",
        ),
        Column("provider", Kind.TEXT, "Who delivers it.", example="Probation Service"),
        Column(
            "programme_type",
            Kind.CHOICE,
            "What kind of intervention it is.",
            choices=ProgrammeType,
            required=True,
            example=ProgrammeType.OUT_OF_COURT.value,
        ),
        Column(
            "risk_levels",
            Kind.CHOICES,
            "Risk levels of perpetrators it serves.",
            choices=RiskLevel,
            required=True,
            example="Medium",
        ),
        Column(
            "referral_routes",
            Kind.CHOICES,
            "How perpetrators are referred to it.",
            choices=ReferralRoute,
            example="Out-of-court resolution",
        ),
        Column(
            "cohorts",
            Kind.CHOICES,
            "Who it is for.",
            choices=Cohort,
            required=True,
            example="Male only",
        ),
        Column(
            "delivery",
            Kind.CHOICE,
            "How it is delivered.",
            choices=Delivery,
            example="Mixed",
        ),
        Column(
            "accreditation",
            Kind.CHOICE,
            "Accreditation or quality-assured framework compliance (a separate question from "
            "evaluation). Not applicable where no accreditation route exists, e.g. stalking.",
            choices=Accreditation,
            required=True,
            example="Respect",
        ),
        Column(
            "evaluation_type",
            Kind.CHOICE,
            "How the programme is evaluated (None: no evaluation done or planned).",
            choices=EvaluationType,
            required=True,
            example="External",
        ),
        Column(
            "evaluation_status",
            Kind.CHOICE,
            "Whether that evaluation is completed or planned (blank when evaluation_type is None).",
            choices=EvaluationStatus,
            example="Completed",
        ),
        Column(
            "funding_sources",
            Kind.CHOICES,
            "Sources funding this programme.",
            choices=FundingSource,
            example="Home Office fund 2023-25",
        ),
        Column(
            "co_commissioning_partners",
            Kind.CHOICES,
            "Partners co-commissioning this programme (blank: commissioned by the PCC alone).",
            choices=Partner,
            example="Other PCC",
        ),
        Column(
            "annual_budget_gbp",
            Kind.NUMBER,
            "Annual budget in pounds, if known.",
            minimum=0,
            example="15000",
            label="Annual budget (£)",
        ),
        Column(
            "annual_capacity",
            Kind.INTEGER,
            "Places (perpetrators) per year, if known.",
            minimum=0,
            example="120",
            label="Places a year",
        ),
        Column("funding_start", Kind.DATE, "Start of current funding.", example="2023-04-01"),
        Column("funding_end", Kind.DATE, "End of current funding.", example="2025-03-31"),
        _period_figures_column("the programme (funding rounds, referrals, completions, outcomes)"),
        *_provenance_columns(),
    ),
)

SHEETS: tuple[Sheet, ...] = (AREAS, PROGRAMMES)
"""The sheets every survey has."""


class SurveySheet(StrEnum):
    AREAS = AREAS.name
    PROGRAMMES = PROGRAMMES.name


NOT_ANSWERS = frozenset({"force_area", "programme_name", "provenance", "source", "notes"})
"""Columns that name a row or say where it comes from, rather than answer the survey."""

PROVENANCE = Sheet(
    name="Provenance",
    description=(
        "Optional: one row per value whose provenance differs from its row's, with its "
        "citation. Without this sheet every value is Reported (or Illustrative on an "
        "Illustrative or Sourced row)."
    ),
    key=("sheet", "force_area", "programme_name", "column"),
    rules=(
        Rule(
            "provenance_names_a_value",
            "sheet, force_area, programme_name and column name a value of the survey: an Areas "
            "row (programme_name blank) or a Programmes row, and one of its answer columns.",
        ),
        Rule(
            "sourced_cites_document_and_section",
            "A Sourced value names its document and the section, question or page.",
        ),
        Rule("unique_provenance", "Each value appears at most once."),
        Rule(
            "members_of_a_list_answer",
            "members is given only for a several-of-a-list answer, and names options of it.",
        ),
    ),
    columns=(
        Column(
            "sheet",
            Kind.CHOICE,
            "The sheet the value is on.",
            choices=SurveySheet,
            required=True,
            example="Programmes",
        ),
        Column(
            "force_area",
            Kind.AREA,
            "The row's police force area (name, alias or ONS code).",
            required=True,
            example="Cambridgeshire",
        ),
        Column(
            "programme_name",
            Kind.TEXT,
            "The programme, for a Programmes value (blank for an Areas value).",
            example="StepWise",
            label="Programme",
        ),
        Column(
            "column",
            Kind.TEXT,
            "The column the value is in.",
            required=True,
            example="annual_budget_gbp",
        ),
        Column(
            "provenance",
            Kind.CHOICE,
            "Published: an aggregate the report states. Sourced: a named document states it. "
            "Reported: the area's own answer. Illustrative: invented to make the wave whole.",
            choices=ValueProvenance,
            required=True,
            example="Sourced",
        ),
        Column(
            "document",
            Kind.TEXT,
            "The document that states the value (required when Sourced).",
            example="Cambridgeshire OPCC FOI/OPCC/24-018 (June 2024)",
        ),
        Column(
            "section",
            Kind.TEXT,
            "The section, question or page of the document (required when Sourced).",
            example="Q10 Budget inclusive of Running Costs",
        ),
        Column(
            "note",
            Kind.TEXT,
            "How the document says it and its period.",
            example="Aug 2021 - Jul 2022",
        ),
        Column(
            "members",
            Kind.TEXT,
            "For a several-of-a-list answer: the options this entry speaks for, separated by "
            "';' (blank: the whole answer). Every other option of the answer keeps its row's "
            "provenance.",
            example="Home Office fund 2023-25",
            label="Members",
        ),
    ),
)
"""Per-value provenance, kept as a long sheet (not a companion column per field) so the two survey
sheets keep one column per question, an upload without it is simply all Reported, and a citation
(document, section) sits beside the one value it supports."""

OPTIONAL_SHEETS: tuple[Sheet, ...] = (PROVENANCE,)


def sheet_by_name(name: str) -> Sheet:
    for sheet in (*SHEETS, *OPTIONAL_SHEETS):
        if sheet.name == name:
            return sheet
    raise KeyError(name)


def split_choices(cell: str | None) -> tuple[str, ...]:
    """The raw tokens of a several-of-a-list cell, stripped, empty tokens dropped."""
    if cell is None:
        return ()
    return tuple(t.strip() for t in str(cell).split(LIST_SEPARATOR) if t.strip())


def join_choices(values: Iterable[str]) -> str:
    return f"{LIST_SEPARATOR} ".join(values)
