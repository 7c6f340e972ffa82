"""Measures: the figures the APCC report publishes, as plain functions of the landscape model.

Each returns a `Figure` with its numerator and denominator, so a figure can always say what it
counts and out of what. Denominators: responding areas for area answers (so region or country
filters change numerator and denominator together), all force areas in view for facts recorded
for non-respondents too, and programmes for programme shares.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from landscape.model.breakdowns import is_early_intervention
from landscape.model.landscape import Landscape
from landscape.schema import (
    ACCREDITED,
    Accreditation,
    Cohort,
    ContinuationPlan,
    FollowUpEngagement,
    RiskForum,
    StalkingProvision,
    VictimSupport,
    YesNo,
    YesNoUnsure,
)
from landscape.values import number_text, percent_text, rounded_percent

RESPONDING_AREAS = "responding areas"
FORCE_AREAS = "force areas"


@dataclass(frozen=True)
class Figure:
    """A number with what it counts: `numerator` of `denominator` `denominator_label`."""

    id: str
    label: str
    numerator: float
    denominator: float | None
    unit: str
    denominator_label: str

    @property
    def percent(self) -> float | None:
        if not self.denominator:
            return None
        return 100 * self.numerator / self.denominator

    @property
    def value(self) -> float:
        """The number comparable with the published one (percent units: rounded half-up)."""
        if self.unit == "percent":
            rounded = self.rounded_percent
            return float("nan") if rounded is None else float(rounded)
        return float(self.numerator)

    @property
    def rounded_percent(self) -> int | None:
        """The percentage rounded half-up to a whole number, as the report prints it."""
        return rounded_percent(self.numerator, self.denominator)

    @property
    def text(self) -> str:
        """E.g. "17 of 33 responding areas (52%)" or "10 reports"."""
        count = number_text(self.numerator)
        if self.denominator is None:
            noun = self.unit if self.unit != "percent" else ""
            return f"{count} {noun}".strip()
        base = f"{count} of {number_text(self.denominator)} {self.denominator_label}"
        percent = percent_text(self.numerator, self.denominator)
        return base if percent is None else f"{base} ({percent})"


Mask = pd.Series | np.ndarray
"""Per row of a frame of the model (its areas, or its programmes), whether the row counts."""


def _contains(series: pd.Series, wanted: Iterable[str]) -> np.ndarray:
    """Per row, whether its several-of-a-list answer includes any of `wanted` (a list
    comprehension: Series.map with a lambda was a third of a measure's time, issue 13)."""
    wanted = set(wanted)
    return np.array([bool(wanted.intersection(chosen)) for chosen in series], dtype=bool)


def _respondent_figure(
    model: Landscape, fid: str, label: str, mask: Mask, unit: str = "areas"
) -> Figure:
    """`mask` is of model.areas, row for row (every measure derives it from the areas' columns or
    from _areas_with_programme), so it is read as it is, not aligned by a reindex."""
    # the areas' `responded` column rather than model.respondents: no frame copy per measure
    responded = model.areas["responded"].to_numpy(dtype=bool)
    chosen = np.asarray(mask, dtype=bool)
    return Figure(
        id=fid,
        label=label,
        numerator=float((chosen & responded).sum()),
        denominator=float(responded.sum()),
        unit=unit,
        denominator_label=RESPONDING_AREAS,
    )


def _answered(model: Landscape, column: str, *answers: str) -> np.ndarray:
    """Per area of the view, whether its answer to `column` is one of `answers` (compared as an
    array: a pandas comparison was most of a measure's time, issue 13)."""
    return np.isin(model.areas[column].to_numpy(), answers)


def _force_area_figure(model: Landscape, fid: str, label: str, mask: Mask) -> Figure:
    """A fact recorded for every area, respondent or not: out of all the force areas in view."""
    return Figure(
        id=fid,
        label=label,
        numerator=float(mask.sum()),
        denominator=float(len(model.areas)),
        unit="areas",
        denominator_label=FORCE_AREAS,
    )


def _areas_with_programme(model: Landscape, mask: Mask) -> np.ndarray:
    """Per area of the view, whether it has a programme of `mask` (of model.programmes)."""
    codes = model.programmes["area_code"].to_numpy()[np.asarray(mask, dtype=bool)]
    return model.areas.index.isin(codes)


# --- Methodology -------------------------------------------------------------------------------


def respondent_count(model: Landscape) -> Figure:
    """Methodology; Appendix: PCC areas that responded to the survey, of the force areas in view."""
    responded = model.areas["responded"]
    return _force_area_figure(model, "respondents", "Areas that responded to the survey", responded)


def non_respondent_count(model: Landscape) -> Figure:
    """Methodology: areas in view that did not respond (never counted as having "none")."""
    silent = ~model.areas["responded"]
    return _force_area_figure(model, "non_respondents", "Areas that did not respond", silent)


def programme_count(model: Landscape) -> Figure:
    """Availability of services: programmes reported (commissioned or co-commissioned)."""
    return Figure(
        id="programmes",
        label="Programmes reported",
        numerator=float(len(model.programmes)),
        denominator=None,
        unit="programmes",
        denominator_label="",
    )


def areas_engaged_in_person(model: Landscape) -> Figure:
    """Methodology: responding areas the APCC followed up in person (follow_up_engagement)."""
    mask = _answered(model, "follow_up_engagement", FollowUpEngagement.IN_PERSON.value)
    return _respondent_figure(model, "inperson_engagement", "Areas engaged in person", mask)


def areas_engaged_online(model: Landscape) -> Figure:
    """Methodology: responding areas the APCC followed up in online meetings."""
    mask = _answered(model, "follow_up_engagement", FollowUpEngagement.ONLINE.value)
    return _respondent_figure(model, "online_engagement", "Areas engaged in online meetings", mask)


# --- Availability of services ------------------------------------------------------------------


def areas_commissioning_da_programmes(model: Landscape) -> Figure:
    """Availability of services: respondents commissioning DA programmes (answer Yes)."""
    mask = _answered(model, "commissions_da_programmes", YesNo.YES.value)
    return _respondent_figure(
        model, "da_programmes", "Areas commissioning or co-commissioning DA programmes", mask
    )


def areas_with_da_related_stalking_provision(model: Landscape) -> Figure:
    """Availability of services: stalking provision within DA programmes or DA-related."""
    mask = _contains(
        model.areas["stalking_provision"],
        (StalkingProvision.WITHIN_DA_PROGRAMMES, StalkingProvision.SPECIALIST_DA_RELATED),
    )
    return _respondent_figure(
        model, "stalking_da_related", "Areas commissioning services for DA-related stalking", mask
    )


def areas_with_non_da_stalking_programme(model: Landscape) -> Figure:
    """Availability of services: stalking provision includes a specialist non-DA programme."""
    mask = _contains(model.areas["stalking_provision"], (StalkingProvision.SPECIALIST_NON_DA,))
    return _respondent_figure(
        model,
        "stalking_non_da",
        "Areas commissioning programmes for stalking unrelated to DA",
        mask,
    )


def respondents_without_non_da_stalking_programme(model: Landscape) -> Figure:
    """Conclusions - Availability: respondents with no specialist non-DA stalking provision."""
    mask = ~_contains(model.areas["stalking_provision"], (StalkingProvision.SPECIALIST_NON_DA,))
    return _respondent_figure(
        model,
        "stalking_non_da_gap",
        "Areas with no specialist programme for stalking unrelated to DA",
        mask,
    )


def early_intervention_programme_share(model: Landscape) -> Figure:
    """Conclusions - Availability: Early intervention or CAPVA (report counts both) of all."""
    types = model.programmes["programme_type"]
    early = is_early_intervention(types)
    return Figure(
        id="early_intervention_share",
        label="Programmes that are early intervention (incl. CAPVA)",
        numerator=float(early.sum()),
        denominator=float(len(types)),
        unit="percent",
        denominator_label="programmes",
    )


def areas_with_lgbtq_tailored_programme(model: Landscape) -> Figure:
    """Availability of services: respondents with a programme whose cohorts include LGBTQ+."""
    mask = _areas_with_programme(model, _contains(model.programmes["cohorts"], (Cohort.LGBTQ,)))
    return _respondent_figure(
        model, "lgbtq_tailored", "Areas with programmes tailored to LGBTQ+ people", mask, "percent"
    )


def areas_with_racialised_tailored_programme(model: Landscape) -> Figure:
    """Availability of services: respondents with a programme for racialised/minoritised people."""
    cohort = (Cohort.RACIALISED_AND_MINORITISED,)
    mask = _areas_with_programme(model, _contains(model.programmes["cohorts"], cohort))
    return _respondent_figure(
        model,
        "racialised_tailored",
        "Areas with programmes tailored to racialised and minoritised communities",
        mask,
        "percent",
    )


# --- Co-commissioning and partners -------------------------------------------------------------


def areas_co_commissioning(model: Landscape) -> Figure:
    """Co-commissioning services: respondents that co-commission programmes (answer Yes)."""
    mask = _answered(model, "co_commissions", YesNo.YES.value)
    return _respondent_figure(
        model, "co_commissioning", "Areas co-commissioning programmes", mask, "percent"
    )


def areas_with_partner_provision(model: Landscape) -> Figure:
    """Other funded areas: respondents naming any partner-commissioned or -provided intervention."""
    mask = np.array([bool(named) for named in model.areas["partner_interventions"]], dtype=bool)
    return _respondent_figure(
        model, "partner_provision", "Areas with interventions commissioned by partners", mask
    )


# --- Funding -----------------------------------------------------------------------------------


def respondents_receiving_ho_fund(model: Landscape) -> Figure:
    """Funding: respondents that received the Home Office perpetrator fund 2023-25 (answer Yes)."""
    mask = _answered(model, "ho_fund_recipient", YesNo.YES.value)
    return _respondent_figure(
        model, "ho_fund_respondents", "Responding areas receiving the Home Office fund", mask
    )


def all_areas_receiving_ho_fund(model: Landscape) -> Figure:
    """Funding footnote 1: fund recipients among all force areas, respondents or not."""
    recipients = _answered(model, "ho_fund_recipient", YesNo.YES.value)
    return _force_area_figure(
        model,
        "ho_fund_recipients_all",
        "Areas receiving the Home Office fund (incl. non-respondents)",
        recipients,
    )


def areas_continuing_after_2024_25(model: Landscape) -> Figure:
    """Funding: respondents continuing after 2024-25 (Yes, or only with national funding)."""
    continuing = (ContinuationPlan.YES.value, ContinuationPlan.ONLY_WITH_NATIONAL_FUNDING.value)
    mask = _answered(model, "continuation_plan", *continuing)
    return _respondent_figure(
        model, "continue_after_2425", "Areas planning to continue after 2024-25", mask
    )


# --- Accreditation -----------------------------------------------------------------------------


def accredited_programme_share(model: Landscape) -> Figure:
    """Accreditation of services: Respect/CSAAP/NFI of ALL programmes commissioned or
    co-commissioned (the report's base), those with no accreditation route included."""
    accreditation = model.programmes["accreditation"]
    accredited = np.isin(accreditation.to_numpy(), [a.value for a in ACCREDITED])
    return Figure(
        id="accredited_share",
        label="Programmes that are accredited",
        numerator=float(accredited.sum()),
        denominator=float(len(accreditation)),
        unit="percent",
        denominator_label="programmes",
    )


def areas_with_non_accredited_programme(model: Landscape) -> Figure:
    """Accreditation of services: respondents with a programme whose accreditation is "None"."""
    none = model.programmes["accreditation"].to_numpy() == Accreditation.NONE.value
    mask = _areas_with_programme(model, none)
    return _respondent_figure(
        model, "not_accredited_areas", "Areas with programmes that are not accredited", mask
    )


def areas_supporting_stalking_standards(model: Landscape) -> Figure:
    """Accreditation - Stalking: respondents saying national stalking standards would help (Yes)."""
    mask = _answered(model, "stalking_standards_would_help", YesNoUnsure.YES.value)
    return _respondent_figure(
        model,
        "stalking_standards_support",
        "Areas saying national stalking standards would support them",
        mask,
    )


# --- Governance --------------------------------------------------------------------------------


def _areas_using_forum(model: Landscape, forum: RiskForum, fid: str, label: str) -> Figure:
    mask = _contains(model.areas["risk_forums"], (forum,))
    return _respondent_figure(model, fid, label, mask, "percent")


def areas_using_marac(model: Landscape) -> Figure:
    """Governance: respondents whose operational risk forums include MARAC."""
    return _areas_using_forum(model, RiskForum.MARAC, "marac", "Areas using MARAC")


def areas_using_matac(model: Landscape) -> Figure:
    """Governance: respondents whose operational risk forums include MATAC."""
    return _areas_using_forum(model, RiskForum.MATAC, "matac", "Areas using MATAC")


def areas_using_dapp(model: Landscape) -> Figure:
    """Governance: respondents whose operational risk forums include a DA Perpetrator Panel."""
    return _areas_using_forum(
        model, RiskForum.DAPP, "dapp", "Areas using a Domestic Abuse Perpetrator Panel"
    )


def areas_with_strategic_board(model: Landscape) -> Figure:
    """Governance - Strategic boards: respondents with a strategic board overseeing perpetrator
    interventions (answer Yes). The report says only "most areas": no figure is published."""
    mask = _answered(model, "strategic_board", YesNo.YES.value)
    return _respondent_figure(
        model, "strategic_board", "Areas with a strategic board overseeing interventions", mask
    )


# --- Victims' support ---------------------------------------------------------------------------


def areas_with_integrated_victim_support(model: Landscape) -> Figure:
    """Support for victims: respondents whose victim support is integrated in their perpetrator
    programmes (recommendation 6: victims' services joined up with the interventions). The
    report names the approach without a count: no figure is published."""
    mask = _contains(model.areas["victim_support"], (VictimSupport.INTEGRATED,))
    return _respondent_figure(
        model,
        "victim_support_integrated",
        "Areas whose victim support is integrated in their programmes",
        mask,
    )


# --- Evaluation --------------------------------------------------------------------------------


def areas_evaluating(model: Landscape) -> Figure:
    """Evaluation: respondents that have undertaken or plan evaluation (answer Yes), as a count."""
    mask = _answered(model, "evaluation_undertaken_or_planned", YesNo.YES.value)
    return _respondent_figure(
        model, "evaluation_any", "Areas that have undertaken or plan evaluation", mask
    )


def areas_evaluating_percent(model: Landscape) -> Figure:
    """Evaluation: the same count as a percentage (the report prints "76% (26)"; 26/33 is 79%)."""
    count = areas_evaluating(model)
    return Figure(
        id="evaluation_any_percent",
        label=count.label,
        numerator=count.numerator,
        denominator=count.denominator,
        unit="percent",
        denominator_label=count.denominator_label,
    )


def evaluation_reports_received(model: Landscape) -> Figure:
    """Evaluation methodology: evaluations or interim reports supplied, summed over respondents."""
    responded = model.areas["responded"].to_numpy(dtype=bool)
    # whole numbers of reports (Int64), none recorded as 0: a float sum of them is exact
    supplied = model.areas["evaluation_reports_supplied"].to_numpy(dtype=float, na_value=0)
    return Figure(
        id="evaluations_received",
        label="Evaluations or interim reports received",
        numerator=float(supplied[responded].sum()),
        denominator=None,
        unit="reports",
        denominator_label="",
    )


def areas_supplying_evaluations(model: Landscape) -> Figure:
    """Evaluation methodology: respondents that supplied at least one evaluation or report."""
    supplied = model.areas["evaluation_reports_supplied"].to_numpy(dtype=float, na_value=0)
    return _respondent_figure(
        model, "evaluations_areas", "Areas that supplied evaluations", supplied > 0
    )


MEASURES: dict[str, Callable[[Landscape], Figure]] = {
    "respondents": respondent_count,
    "da_programmes": areas_commissioning_da_programmes,
    "stalking_da_related": areas_with_da_related_stalking_provision,
    "stalking_non_da": areas_with_non_da_stalking_programme,
    "co_commissioning": areas_co_commissioning,
    "partner_provision": areas_with_partner_provision,
    "ho_fund_respondents": respondents_receiving_ho_fund,
    "ho_fund_recipients_all": all_areas_receiving_ho_fund,
    "continue_after_2425": areas_continuing_after_2024_25,
    "accredited_share": accredited_programme_share,
    "not_accredited_areas": areas_with_non_accredited_programme,
    "stalking_standards_support": areas_supporting_stalking_standards,
    "marac": areas_using_marac,
    "matac": areas_using_matac,
    "dapp": areas_using_dapp,
    "evaluation_any": areas_evaluating,
    "evaluation_any_percent": areas_evaluating_percent,
    "evaluations_received": evaluation_reports_received,
    "evaluations_areas": areas_supplying_evaluations,
    "early_intervention_share": early_intervention_programme_share,
    "lgbtq_tailored": areas_with_lgbtq_tailored_programme,
    "racialised_tailored": areas_with_racialised_tailored_programme,
    "inperson_engagement": areas_engaged_in_person,
    "online_engagement": areas_engaged_online,
}
"""Every survey measure, keyed by the id of the published figure it reproduces."""

ALL_MEASURES: dict[str, Callable[[Landscape], Figure]] = {
    **MEASURES,
    "stalking_non_da_gap": respondents_without_non_da_stalking_programme,
    "strategic_board": areas_with_strategic_board,
    "victim_support_integrated": areas_with_integrated_victim_support,
}
"""MEASURES; the measures a page states that follow from a published one (its complement,
published.DERIVED_FROM), which the report check therefore does not list; and the measures the
report's recommendations point to but print no figure for (strategic boards, integrated victim
support), labelled as the wave's own figures, never as published ones."""


def all_figures(model: Landscape) -> list[Figure]:
    """Every measure of `MEASURES` on one model, in the published table's order."""
    return [measure(model) for measure in MEASURES.values()]
