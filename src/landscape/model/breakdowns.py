"""Tables derived from the landscape model, for the dashboard's charts and tables.

Each function takes a `Landscape` and returns a tidy DataFrame that carries its counts *and* its
denominators, so that a chart label, a table and a download all say "n of N". Area-level answers
are always out of the responding areas: an area that did not respond is never counted as "no" or
"none"; functions that list all areas give it its own "Did not respond" value.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from landscape.labels import DID_NOT_RESPOND, NOT_ANSWERED, StalkingCategory
from landscape.model.provenance import provenance_text, row_default
from landscape.model.reference_date import SURVEY_DATE_BASIS, ReferenceDate
from landscape.schema import (
    ACCREDITED,
    ANY_DA_PROGRAMME,
    AREAS,
    DA_PROGRAMME_TYPES,
    PROGRAMMES,
    Accreditation,
    ContinuationPlan,
    EvaluationType,
    Kind,
    ProgrammeType,
    StalkingProvision,
    ValueProvenance,
)
from landscape.values import is_blank, joined_text, number_text, percent_text

if TYPE_CHECKING:
    from landscape.model.landscape import Landscape

RESPONDING_AREAS = "responding areas"
PROGRAMMES_LABEL = "programmes"
NOT_RECORDED = "Not recorded"
NONE_IN_VIEW = "none in this view"

STALKING_NON_DA = StalkingCategory.SPECIALIST_NON_DA.value
STALKING_DA_RELATED = StalkingCategory.SPECIALIST_DA_RELATED.value
STALKING_WITHIN_DA = StalkingCategory.WITHIN_DA.value
STALKING_NONE = StalkingCategory.NO_PROVISION.value
STALKING_CATEGORIES = tuple(c.value for c in StalkingCategory)
"""The map's categories in display order, "Did not respond" last and never merged with none."""


def share_label(count: float, denominator: float | None) -> str:
    """'17 of 33 (52%)': a percentage never travels without its count; with nothing to count
    out of, words ('none in this view'), never '0 of 0'."""
    percent = percent_text(count, denominator)
    if percent is None:
        return NONE_IN_VIEW
    return f"{number_text(count)} of {number_text(denominator or 0)} ({percent})"


SMALL_BASE = 3
"""A share of fewer than this many areas or programmes is shown as a count, never a percentage."""

DISCLOSURE_RULE = (
    f"Comparisons with named peers: a share based on fewer than {SMALL_BASE} areas or "
    "programmes is shown as a count ('2 of 2 peers'), never as a percentage, so no single named "
    "area's answer can be read off a share."
)


def peer_share_label(count: int, peers: int) -> str:
    """A peer share under the disclosure rule: '2 of 2 peers' below SMALL_BASE, else a share."""
    if peers == 0:
        return "No peers to compare with"
    if peers < SMALL_BASE:
        return f"{count} of {peers} peers (count only: fewer than {SMALL_BASE})"
    return share_label(count, peers)


def _percent(count: float, denominator: float | None) -> float:
    """For tables: one decimal place (the labels carry the report's whole-number rounding)."""
    return round(100.0 * count / denominator, 1) if denominator else float("nan")


def _has(value: Any, choice: str) -> bool:
    if isinstance(value, tuple | list | set | frozenset):
        return choice in value
    return value == choice


def _allowed(sheet_column: Any) -> tuple[str, ...]:
    return sheet_column.allowed


def respondents(model: Landscape) -> pd.DataFrame:
    return model.areas[model.areas["responded"].astype(bool)]


def _respondent_column(model: Landscape, column: str) -> np.ndarray:
    """The responding areas' values of one Areas column: respondents(model)[column] without
    copying every other column of theirs first (issue 13)."""
    areas = model.areas
    return areas[column].to_numpy()[areas["responded"].to_numpy(dtype=bool)]


def non_respondent_names(model: Landscape) -> list[str]:
    areas = model.areas
    return list(areas.loc[~areas["responded"].astype(bool), "display_name"])


@dataclass(frozen=True)
class Coverage:
    """How many areas the current view covers and how many of them answered."""

    areas: int
    responding: int
    programmes: int

    @property
    def not_responding(self) -> int:
        return self.areas - self.responding

    @property
    def responding_words(self) -> str:
        """The respondents as words, so an empty view never reads "0 responding areas"."""
        if self.responding == 0:
            return "no area in this view responded to the survey"
        return f"{self.responding} responding area" + ("" if self.responding == 1 else "s")


def coverage(model: Landscape) -> Coverage:
    return Coverage(
        areas=len(model.areas),
        responding=int(model.areas["responded"].to_numpy(dtype=bool).sum()),
        programmes=len(model.programmes),
    )


# --- answers to the Areas sheet ---------------------------------------------------------------


def area_choice_shares(model: Landscape, column: str) -> pd.DataFrame:
    """How many responding areas gave each allowed answer to one Areas question.

    Columns: answer, areas, responding_areas, percent, label. For several-of-a-list questions an
    area counts once under each answer it gave, so the shares need not sum to 100%.
    """
    schema_column = AREAS.column(column)
    answered = _respondent_column(model, column)
    total = len(answered)
    counts = _answer_counts(answered)
    rows = [
        _share_row(choice, counts[choice], total, "areas", "responding_areas")
        for choice in _allowed(schema_column)
    ]
    if schema_column.kind is Kind.CHOICES:
        blanks = Counter(
            _blank_answer_label(model, column, code)
            for code, value in zip(respondents(model).index, answered, strict=True)
            if isinstance(value, tuple) and not value
        )
        rows += [
            _share_row(label, blanks[label], total, "areas", "responding_areas")
            for label in (NOT_ANSWERED, *(not_asked for _, _, not_asked in ASKED_ONLY_IF.values()))
            if blanks[label]
        ]
    return pd.DataFrame(rows, columns=["answer", "areas", "responding_areas", "percent", "label"])


ASKED_ONLY_IF: dict[str, tuple[str, str, str]] = {
    "co_commissioning_partners": (
        "co_commissions",
        "Yes",
        "Does not co-commission (not asked)",
    ),
}
"""Areas questions that apply only given another answer (schema rule partners_if_co_commissions):
column -> (the answer's column, the answer, how a blank reads where it does not apply). Such a
blank is neither "none" nor "not answered": the question was not put."""


def blank_answer_label(column: str, answers: Mapping[str, Any]) -> str:
    """How a respondent's blank answer to the Areas question `column` reads, given its other
    `answers`: not asked (ASKED_ONLY_IF), or not answered; never "none"."""
    condition = ASKED_ONLY_IF.get(column)
    if condition is not None:
        asked_by, answer, not_asked = condition
        if answers.get(asked_by) != answer:
            return not_asked
    return NOT_ANSWERED


def _blank_answer_label(model: Landscape, column: str, area_code: object) -> str:
    condition = ASKED_ONLY_IF.get(column)
    if condition is None:
        return NOT_ANSWERED
    return blank_answer_label(column, {condition[0]: model.areas.at[area_code, condition[0]]})


def _answer_counts(values: Iterable[Any]) -> Counter[Any]:
    """How many of `values` have each answer, as _has reads a value (one of several, counted once,
    or the value itself): one pass for every answer, not a pass per answer (issue 13)."""
    counts: Counter[Any] = Counter()
    for value in values:
        if isinstance(value, tuple | list | set | frozenset):
            counts.update(set(value))
        else:
            counts[value] += 1
    return counts


def _share_row(answer: str, count: int, total: int, counted: str, out_of: str) -> dict[str, Any]:
    """One row of a shares table: the answer, its count and denominator (named for what they
    count), the percent and the "n of N (p%)" label."""
    return {
        "answer": answer,
        counted: count,
        out_of: total,
        "percent": _percent(count, total),
        "label": share_label(count, total),
    }


def area_answers_by_area(model: Landscape, column: str) -> pd.DataFrame:
    """Every area's answer to one Areas question, one row per area and answer given.

    Columns: area_code, area, region, answer. Non-respondents appear once with "Did not respond";
    an answer left blank by a respondent appears as NOT_ANSWERED.
    """
    areas = model.areas
    rows = []
    # the columns zipped, not iterrows: a Series per area was most of the time (issue 13)
    for code, name, region, responded, value in zip(
        areas.index,
        areas["display_name"],
        areas["region"],
        areas["responded"],
        areas[column],
        strict=True,
    ):
        base = {"area_code": code, "area": name, "region": region}
        if not bool(responded):
            rows.append({**base, "answer": DID_NOT_RESPOND})
            continue
        values = value if isinstance(value, tuple) else (() if is_blank(value) else (value,))
        if not values:
            rows.append({**base, "answer": _blank_answer_label(model, column, code)})
        rows.extend({**base, "answer": str(v)} for v in values)
    return pd.DataFrame(rows, columns=["area_code", "area", "region", "answer"])


# --- the Programmes sheet ---------------------------------------------------------------------


def programme_choice_shares(model: Landscape, column: str) -> pd.DataFrame:
    """How many programmes carry each allowed value of one Programmes column.

    Columns: answer, programmes, total_programmes, percent, label. A programme serving several
    risk levels (or cohorts, ...) counts under each, so the shares need not sum to 100%.
    """
    schema_column = PROGRAMMES.column(column)
    values = _programme_values(model, column)
    counts = _answer_counts(values)
    total = len(values)
    rows = [
        _share_row(choice, counts[choice], total, "programmes", "total_programmes")
        for choice in _allowed(schema_column)
    ]
    return pd.DataFrame(
        rows, columns=["answer", "programmes", "total_programmes", "percent", "label"]
    )


def _programme_values(model: Landscape, column: str) -> pd.Series:
    return model.programmes[column] if len(model.programmes) else pd.Series([], dtype=object)


def programmes_with(model: Landscape, column: str, choice: str) -> int:
    """How many programmes carry `choice` in one Programmes column: its row of
    programme_choice_shares, without building the table."""
    return _answer_counts(_programme_values(model, column))[choice]


def areas_with_programme_value(model: Landscape, column: str) -> pd.DataFrame:
    """How many responding areas have at least one programme with each value of a column.

    Columns: answer, areas, responding_areas, percent, label.
    """
    schema_column = PROGRAMMES.column(column)
    total = coverage(model).responding
    programmes = model.programmes
    allowed = _allowed(schema_column)
    # one pass over the programmes (not a boolean mask and a .loc per choice): the areas with
    # each value, as _has reads a value (one of several, or the value itself)
    areas_with: dict[str, set[object]] = {choice: set() for choice in allowed}
    if len(programmes):
        for area_code, value in zip(programmes["area_code"], programmes[column], strict=True):
            if not isinstance(area_code, str) and pd.isna(area_code):
                continue  # as nunique() counted: a missing area code is no area
            given = value if isinstance(value, tuple | list | set | frozenset) else (value,)
            for choice in given:
                if isinstance(choice, str) and choice in areas_with:
                    areas_with[choice].add(area_code)
    if column == "programme_type":
        # an area with only out-of-court DA programmes commissions DA programmes (issue 18)
        areas_with[ProgrammeType.DA.value] = set().union(
            *(areas_with[t] for t in DA_PROGRAMME_TYPES)
        )
    rows = []
    for choice in allowed:
        count = len(areas_with[choice])
        rows.append(
            {
                "answer": _area_level_answer(column, choice),
                "areas": count,
                "responding_areas": total,
                "percent": _percent(count, total),
                "label": share_label(count, total),
            }
        )
    return pd.DataFrame(rows, columns=["answer", "areas", "responding_areas", "percent", "label"])


def _area_level_answer(column: str, choice: str) -> str:
    """A row of areas_with_programme_value by name: its DA row counts every DA type."""
    if column == "programme_type" and choice == ProgrammeType.DA.value:
        return ANY_DA_PROGRAMME
    return choice


def programme_types_by_area(model: Landscape) -> pd.DataFrame:
    """Programmes per responding area and type (tidy; zero rows dropped).

    Columns: area_code, area, region, programme_type, programmes, area_programmes.
    """
    programmes = model.programmes
    columns = ["area_code", "area", "region", "programme_type", "programmes", "area_programmes"]
    if programmes.empty:
        return pd.DataFrame(columns=columns)
    # a few hundred programmes: counted in one pass, not by groupby, map, transform and a sort
    # of strings (~10x the time, issue 13). Every programme names a known area and a type (both
    # required), so each (area, type) pair is one row and the sort below is fully determined.
    pairs = Counter(zip(programmes["area_code"], programmes["programme_type"], strict=True))
    per_area: Counter[str] = Counter()
    for (code, _), count in pairs.items():
        per_area[code] += count
    areas = model.areas
    names = dict(zip(areas.index, areas["display_name"], strict=True))
    regions = dict(zip(areas.index, areas["region"], strict=True))
    order = {t.value: i for i, t in enumerate(ProgrammeType)}

    def rank(pair: tuple[tuple[str, str], int]) -> tuple[int, str, int]:
        """Most programmes first, then by area name, then types in ProgrammeType's order."""
        (code, kind), _ = pair
        return -per_area[code], names[code], order.get(kind, len(order))

    ranked = sorted(pairs.items(), key=rank)
    return pd.DataFrame(
        {
            "area_code": [code for (code, _), _ in ranked],
            "area": [names[code] for (code, _), _ in ranked],
            "region": [regions[code] for (code, _), _ in ranked],
            "programme_type": [kind for (_, kind), _ in ranked],
            "programmes": [count for _, count in ranked],
            "area_programmes": [per_area[code] for (code, _), _ in ranked],
        },
        columns=columns,
    )


def programmes_per_area(model: Landscape) -> pd.DataFrame:
    """Number of programmes in every area of the view, ranked; non-respondents say so.

    Columns: area_code, area, region, responded, programmes, label.
    """
    counts = model.programmes.groupby("area_code").size() if len(model.programmes) else None
    rows = []
    for code, row in model.areas.iterrows():
        responded = bool(row["responded"])
        count = int(counts.get(code, 0)) if counts is not None else 0
        rows.append(
            {
                "area_code": code,
                "area": row["display_name"],
                "region": row["region"],
                "responded": responded,
                "programmes": count if responded else None,
                "label": str(count) if responded else DID_NOT_RESPOND,
            }
        )
    frame = pd.DataFrame(
        rows, columns=["area_code", "area", "region", "responded", "programmes", "label"]
    )
    frame["programmes"] = frame["programmes"].astype("Int64")
    return frame.sort_values(
        ["responded", "programmes", "area"], ascending=[False, False, True], na_position="last"
    ).reset_index(drop=True)


EARLY_INTERVENTION_TYPES = (ProgrammeType.EARLY_INTERVENTION.value, ProgrammeType.CAPVA.value)
"""The programme types the report counts as 'early intervention' (CAPVA included)."""


def is_early_intervention(programme_types: pd.Series) -> pd.Series:
    """Per programme: whether its type is one the report counts as early intervention."""
    return programme_types.isin(EARLY_INTERVENTION_TYPES)


def early_intervention(
    model: Landscape, summary: Mapping[tuple[str, str], str] | None = None
) -> pd.DataFrame:
    """Early intervention and CAPVA programmes, the report's 'early intervention' services.

    Columns: area, programme_name, provider, programme_type, cohorts, provenance (the row's
    values summed up as in the directory: row_provenance). `summary`: row_provenance of the
    whole wave the view was narrowed from, if already made; a kept programme keeps every one of
    its answers (Landscape.filter), so its row reads the same and the view's per-answer table is
    not narrowed for it.
    """
    programmes = model.programmes
    chosen = (
        programmes[is_early_intervention(programmes["programme_type"])]
        if len(programmes)
        else programmes
    )
    provenance: pd.Series | list[Any] = chosen.get("provenance", pd.Series(dtype=object))
    if len(chosen) and "provenance" in chosen.columns:
        if summary is None:
            summary = row_provenance(model)
        # the table's column itself, not assigned into a copy of the chosen rows first (issue 13)
        provenance = [
            summary.get((str(a), str(n)), own)
            for a, n, own in zip(
                chosen["area_code"], chosen["programme_name"], provenance, strict=True
            )
        ]
    return pd.DataFrame(
        {
            "area": chosen.get("display_name", pd.Series(dtype=object)),
            "programme_name": chosen.get("programme_name", pd.Series(dtype=object)),
            "provider": chosen.get("provider", pd.Series(dtype=object)),
            "programme_type": chosen.get("programme_type", pd.Series(dtype=object)),
            "cohorts": [joined_text(v) for v in chosen.get("cohorts", [])],
            "provenance": provenance,
        }
    ).reset_index(drop=True)


# --- stalking -----------------------------------------------------------------------------------


def stalking_category(responded: bool, provision: Iterable[str]) -> str:
    """The area's most specialist stalking provision: the map's category."""
    if not responded:
        return DID_NOT_RESPOND
    chosen = set(provision)
    if StalkingProvision.SPECIALIST_NON_DA.value in chosen:
        return STALKING_NON_DA
    if StalkingProvision.SPECIALIST_DA_RELATED.value in chosen:
        return STALKING_DA_RELATED
    if StalkingProvision.WITHIN_DA_PROGRAMMES.value in chosen:
        return STALKING_WITHIN_DA
    return STALKING_NONE


def stalking_categories(model: Landscape) -> pd.Series:
    """Each area's stalking category (all areas of the view, indexed by ONS code)."""
    areas = model.areas
    return pd.Series(
        [
            stalking_category(bool(r), p if isinstance(p, tuple) else ())
            for r, p in zip(areas["responded"], areas["stalking_provision"], strict=True)
        ],
        index=areas.index,
        name="stalking_provision",
        dtype=object,
    )


def stalking_summary(model: Landscape) -> pd.DataFrame:
    """Areas in each stalking category. Columns: category, areas, responding_areas, label.

    The base is the responding areas in view, as on the overview: each provision category is
    "n of <responding>"; "Did not respond" keeps its count but is outside the base, said so in
    its label, never a share of all the force areas."""
    categories = stalking_categories(model)
    responding = int((categories != DID_NOT_RESPOND).sum())
    rows = []
    for c in STALKING_CATEGORIES:
        count = int((categories == c).sum())
        label = (
            f"{number_text(count)} (not in the base of {number_text(responding)})"
            if c == DID_NOT_RESPOND
            else share_label(count, responding)
        )
        rows.append({"category": c, "areas": count, "responding_areas": responding, "label": label})
    return pd.DataFrame(rows, columns=["category", "areas", "responding_areas", "label"])


@dataclass(frozen=True)
class StalkingGap:
    """The stalking gap in one view: every count out of the responding areas (`responding`),
    as on the overview; the areas that did not respond counted apart, never as having none."""

    areas: int
    with_specialist_non_da: int
    without_specialist_non_da: int
    did_not_respond: int

    @property
    def responding(self) -> int:
        return self.areas - self.did_not_respond

    def _share(self, count: int) -> str:
        """E.g. "21 of 33 responding areas (64%)", as measures.Figure.text words it (only called
        with some responding areas: the sentences say so in words otherwise)."""
        percent = percent_text(count, self.responding)
        return f"{count} of {self.responding} {RESPONDING_AREAS} ({percent})"

    @property
    def headline(self) -> str:
        """The page's finding: the gap out of the responding areas, and who did not say."""
        silent = f"{self.did_not_respond} of {self.areas} force areas did not respond"
        if not self.responding:
            return f"No responding areas in this view; {silent}"
        return (
            f"{self._share(self.without_specialist_non_da)} have no specialist non-DA stalking "
            f"programme; {silent}"
        )

    @property
    def sentence(self) -> str:
        if not self.responding:
            return "No area in this view responded: its stalking provision is unknown, not none."
        return (
            f"{self._share(self.with_specialist_non_da)} commission a specialist programme for "
            f"stalking unrelated to DA; {self._share(self.without_specialist_non_da)} do not; "
            f"{self.did_not_respond} did not respond (unknown, not none)."
        )


def stalking_gap(model: Landscape) -> StalkingGap:
    categories = stalking_categories(model)
    with_programme = int((categories == STALKING_NON_DA).sum())
    no_answer = int((categories == DID_NOT_RESPOND).sum())
    return StalkingGap(
        areas=len(categories),
        with_specialist_non_da=with_programme,
        without_specialist_non_da=len(categories) - with_programme - no_answer,
        did_not_respond=no_answer,
    )


# --- accreditation and evaluation ---------------------------------------------------------------


@dataclass(frozen=True)
class AccreditedShare:
    accredited: int
    assessable: int
    not_applicable: int

    @property
    def label(self) -> str:
        return share_label(self.accredited, self.assessable)


def accredited_share(model: Landscape) -> AccreditedShare:
    """Accredited programmes out of those for which an accreditation route exists."""
    values = model.programmes["accreditation"] if len(model.programmes) else pd.Series([])
    not_applicable = int((values == Accreditation.NOT_APPLICABLE.value).sum())
    accredited = int(values.isin([a.value for a in ACCREDITED]).sum())
    return AccreditedShare(accredited, len(values) - not_applicable, not_applicable)


def evaluation_types(model: Landscape) -> pd.DataFrame:
    """Programmes by evaluation type and status (the report's missing 'types of evaluation' chart).

    Columns: evaluation_type, status, programmes, total_programmes, percent, label. Programmes with
    no evaluation done or planned are one row with status "None".
    """
    programmes = model.programmes
    total = len(programmes)
    rows = []
    for evaluation in EvaluationType:
        statuses = ("Completed", "Planned") if evaluation is not EvaluationType.NONE else ("None",)
        for status in statuses:
            if total:
                mask = programmes["evaluation_type"] == evaluation.value
                if evaluation is not EvaluationType.NONE:
                    mask &= programmes["evaluation_status"] == status
                count = int(mask.sum())
            else:
                count = 0
            rows.append(
                {
                    "evaluation_type": evaluation.value,
                    "status": status,
                    "programmes": count,
                    "total_programmes": total,
                    "percent": _percent(count, total),
                    "label": share_label(count, total),
                }
            )
    return pd.DataFrame(
        rows,
        columns=["evaluation_type", "status", "programmes", "total_programmes", "percent", "label"],
    )


# --- funding ------------------------------------------------------------------------------


def ho_fund_by_area(model: Landscape) -> pd.DataFrame:
    """Home Office fund 2023-25 status of every area in the view.

    Columns: area_code, area, region, responded, status, provenance. A non-respondent whose
    answer the wave holds as Yes shows as "Recipient (did not respond)"; others show "Did not
    respond", never "No". No source names those areas (the APCC report gives only counts, Funding
    footnote 1): in the bundled wave that answer is Illustrative (profile.fund_note says so on the
    page). `provenance` is the kind of the answer each status is read from, in words (Sourced with
    its citation where a document says, else the wave's kind of it): the fund answer, or for
    "Did not respond" the response status.
    """
    areas = model.areas
    answers = areas["ho_fund_recipient"] if "ho_fund_recipient" in areas else [None] * len(areas)
    fund_kinds = _answer_kinds(model, "ho_fund_recipient")
    response_kinds = _answer_kinds(model, "response_status")
    rows = []
    # the columns zipped, not iterrows: a Series per area was most of the time (issue 13)
    for code, name, region, responded, answer in zip(
        areas.index,
        areas["display_name"],
        areas["region"],
        areas["responded"],
        answers,
        strict=True,
    ):
        if bool(responded):
            status = "Recipient" if answer == "Yes" else "Not a recipient"
        elif answer == "Yes":
            status = "Recipient (did not respond)"
        else:
            status = DID_NOT_RESPOND
        kinds = response_kinds if status == DID_NOT_RESPOND else fund_kinds
        rows.append(
            {
                "area_code": code,
                "area": name,
                "region": region,
                "responded": bool(responded),
                "status": status,
                "provenance": kinds[code],
            }
        )
    return pd.DataFrame(
        rows, columns=["area_code", "area", "region", "responded", "status", "provenance"]
    )


def _answer_kinds(model: Landscape, column: str) -> dict[str, str]:
    """Per area of the view: the provenance, in words, of its `column` answer as the wave holds
    it (responding or not), else its row's default (provenance.area_answer_provenance for
    every area at once: one pass over the wave's answers, not one per area)."""
    values = model.value_provenance
    listed = values[
        (values["sheet"] == AREAS.name).to_numpy() & (values["column"] == column).to_numpy()
    ]
    texts = {
        str(row.area_code): provenance_text(row.provenance, row.document, row.section)
        for row in listed.itertuples(index=False)
    }
    areas = model.areas
    defaults = areas["provenance"] if "provenance" in areas else [None] * len(areas)
    return {
        str(code): texts.get(str(code)) or str(row_default(default))
        for code, default in zip(areas.index, defaults, strict=True)
    }


def _quarter_label(when: pd.Timestamp) -> str:
    months = {1: "Jan-Mar", 2: "Apr-Jun", 3: "Jul-Sep", 4: "Oct-Dec"}
    return f"{when.year} Q{when.quarter} ({months[when.quarter]})"


def funding_reference(
    model: Landscape, reference: ReferenceDate | datetime.date | None = None
) -> ReferenceDate | None:
    """The day the view's funding end dates are read against: `reference` (the wave's own,
    reference_date.wave_reference_date; a bare date is a day the caller chose), else the survey
    date the model's wave records, else None: no day, so no end date is read as past. Never the
    clock: a wave's figures read the same tomorrow."""
    if isinstance(reference, ReferenceDate):
        return reference
    if isinstance(reference, datetime.date):
        return ReferenceDate(reference, "")
    if model.wave.survey_date is not None:
        return ReferenceDate(model.wave.survey_date, SURVEY_DATE_BASIS)
    return None


FUNDING_ENDED = "Ended"
FUNDING_AHEAD = "Ahead"
FUNDING_PARTLY_ENDED = "Partly ended"
FUNDING_UNREAD = "Not read against a date"
"""The status of every dated quarter of a view with no reference date (funding_reference)."""


def _funding_status(ended: int, programmes: int) -> str:
    if not ended:
        return FUNDING_AHEAD
    return FUNDING_ENDED if ended == programmes else FUNDING_PARTLY_ENDED


def funding_cliff(
    model: Landscape, reference: ReferenceDate | datetime.date | None = None
) -> pd.DataFrame:
    """Programmes and known annual budget by the quarter their current funding ends, or ended.

    Columns: quarter, quarter_start, programmes, ended, status, total_programmes, budget_gbp,
    programmes_with_budget, label. `ended` counts the quarter's programmes whose end date is
    before the wave's reference date (funding_reference: `reference`, else its survey date):
    status FUNDING_ENDED when all of them did, FUNDING_PARTLY_ENDED when some, FUNDING_AHEAD
    when none; a past quarter is never shown as ahead, and with no reference date every dated
    quarter is FUNDING_UNREAD. Programmes with no end date form a last "Not recorded" row
    (status Not recorded: neither past nor ahead).
    """
    columns = [
        "quarter",
        "quarter_start",
        "programmes",
        "ended",
        "status",
        "total_programmes",
        "budget_gbp",
        "programmes_with_budget",
        "label",
    ]
    programmes = model.programmes
    total = len(programmes)
    if not total:
        return pd.DataFrame(columns=columns)
    read = funding_reference(model, reference)
    ends = pd.to_datetime(programmes["funding_end"])
    budget = pd.to_numeric(programmes["annual_budget_gbp"], errors="coerce").to_numpy(dtype=float)
    known = ~np.isnan(budget)
    # a missing budget adds 0, as Series.sum skips it: each total adds the same floats in the
    # same order as summing the quarter's budgets did
    amounts = np.where(known, budget, 0.0)
    past = (
        (ends < pd.Timestamp(read.on)).to_numpy()
        if read is not None
        else np.zeros(len(ends), dtype=bool)
    )
    # each programme's quarter as a number (-1: no end date), the quarters in order: numpy masks
    # over a few hundred programmes, not a groupby and a frame per quarter (issue 13)
    codes, quarters = pd.factorize(ends.dt.to_period("Q"), sort=True)
    rows = []
    for code, quarter in enumerate(quarters):
        chosen = codes == code
        count = int(chosen.sum())
        start = quarter.start_time
        ended = int(past[chosen].sum())
        with_budget = int(known[chosen].sum())
        rows.append(
            {
                "quarter": _quarter_label(start),
                "quarter_start": start,
                "programmes": count,
                "ended": ended,
                "status": _funding_status(ended, count) if read is not None else FUNDING_UNREAD,
                "total_programmes": total,
                "budget_gbp": float(amounts[chosen].sum() or 0.0) if with_budget else 0.0,
                "programmes_with_budget": with_budget,
                "label": share_label(count, total),
            }
        )
    undated = codes == -1
    if undated.any():
        count = int(undated.sum())
        with_budget = int(known[undated].sum())
        rows.append(
            {
                "quarter": NOT_RECORDED,
                "quarter_start": pd.NaT,
                "programmes": count,
                "ended": 0,
                "status": NOT_RECORDED,
                "total_programmes": total,
                "budget_gbp": float(amounts[undated].sum()) if with_budget else 0.0,
                "programmes_with_budget": with_budget,
                "label": share_label(count, total),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def co_commissioning_partners(model: Landscape) -> pd.DataFrame:
    """Who areas co-commission with, out of the responding areas (see area_choice_shares)."""
    return area_choice_shares(model, "co_commissioning_partners")


# --- the programme directory -------------------------------------------------------------------

DIRECTORY_COLUMNS = {
    "display_name": "Area",
    "programme_name": "Programme",
    "provider": "Provider",
    "programme_type": "Type",
    "risk_levels": "Risk levels",
    "cohorts": "Cohorts",
    "delivery": "Delivery",
    "accreditation": "Accreditation",
    "evaluation_type": "Evaluation",
    "evaluation_status": "Evaluation status",
    "funding_end": "Funding ends",
    "provenance": "Provenance",
    "source": "Source",
}


def directory(model: Landscape, search: str = "", *, sourced_only: bool = False) -> pd.DataFrame:
    """Every programme as a display table; `search` keeps rows containing all its words.

    "Sourced fields" names the shown fields a document states for the programme and "Citations"
    gives each one's document and section: every other field is the row's default (Illustrative
    in the bundled wave, Reported in an upload). "Provenance" sums up the row's values
    (row_provenance): "Sourced" only when every answer is, SOME_FIELDS_SOURCED when some are.
    `sourced_only` keeps programmes with a sourced field.
    """
    programmes = model.programmes
    table = pd.DataFrame(
        {
            label: [joined_text(v) for v in programmes[column]]
            if column != "funding_end"
            else pd.to_datetime(programmes[column]).dt.date
            for column, label in DIRECTORY_COLUMNS.items()
            if column in programmes.columns
        }
    )
    fields, citations = _sourced_fields(model)
    keys = list(zip(programmes["area_code"], programmes["programme_name"], strict=True))
    if "Provenance" in table.columns:
        summary = row_provenance(model)
        table["Provenance"] = [
            summary.get(k, own) for k, own in zip(keys, table["Provenance"], strict=True)
        ]
    table["Sourced fields"] = [", ".join(fields.get(k, [])) for k in keys]
    table["Citations"] = ["; ".join(citations.get(k, [])) for k in keys]
    if sourced_only:
        table = table[table["Sourced fields"] != ""]
    words = search.casefold().split()
    if words and len(table):
        haystack = pd.Series(
            [" ".join(str(v) for v in row).casefold() for row in table.itertuples(index=False)],
            index=table.index,
        )
        keep = pd.Series(True, index=table.index)
        for word in words:
            keep &= haystack.str.contains(word, regex=False)
        table = table[keep]
    return table.reset_index(drop=True)


SOME_FIELDS_SOURCED = "Sourced (some fields)"
MIXED_PROVENANCE = "Mixed"


def row_provenance(model: Landscape) -> dict[tuple[str, str], str]:
    """Per programme (area_code, name): its answers' provenance in one word. One kind when every
    answer has it ("Sourced" only if a document states every answer); SOME_FIELDS_SOURCED when
    some are sourced and others not; MIXED_PROVENANCE for any other mix (e.g. Reported and
    Illustrative). A row-level "Sourced" never claims more than its fields carry."""
    values = model.value_provenance
    values = values.loc[
        (values["sheet"] == PROGRAMMES.name).to_numpy(),
        ["area_code", "programme_name", "provenance"],
    ]
    # one row per programme and kind (a few hundred), not per answer (thousands): issue 13
    distinct = values.drop_duplicates()
    kinds: dict[tuple[str, str], set[str]] = {}
    for area_code, name, provenance in zip(
        distinct["area_code"].tolist(),
        distinct["programme_name"].tolist(),
        distinct["provenance"].tolist(),
        strict=True,
    ):
        kinds.setdefault((str(area_code), str(name)), set()).add(str(provenance))
    summary = {}
    for key, found in kinds.items():
        if len(found) == 1:
            summary[key] = next(iter(found))
        elif ValueProvenance.SOURCED in found:
            summary[key] = SOME_FIELDS_SOURCED
        else:
            summary[key] = MIXED_PROVENANCE
    return summary


def _sourced_fields(
    model: Landscape,
) -> tuple[dict[tuple[str, str], list[str]], dict[tuple[str, str], list[str]]]:
    """Per programme (area_code, name): its sourced fields, as directory labels, and citations."""
    values = model.value_provenance
    sourced = values[(values["sheet"] == "Programmes") & (values["provenance"] == "Sourced")]
    fields: dict[tuple[str, str], list[str]] = {}
    citations: dict[tuple[str, str], list[str]] = {}
    for row in sourced.itertuples(index=False):
        label = DIRECTORY_COLUMNS.get(str(row.column), str(row.column).replace("_", " "))
        members = getattr(row, "members", None)
        if isinstance(members, tuple):
            label += f" (only {'; '.join(members)})"  # its other options are not sourced
        key = (str(row.area_code), str(row.programme_name))
        fields.setdefault(key, []).append(label)
        citations.setdefault(key, []).append(f"{label}: {row.document}, {row.section}")
    return fields, citations


# --- one area and its peers ----------------------------------------------------------------------


def area_features(model: Landscape) -> pd.DataFrame:
    """What each responding area has, as yes/no features (index area_code; columns readable)."""
    areas = respondents(model)
    programmes = model.programmes
    features: dict[str, list[bool]] = {}
    types_by_area: Any = (
        programmes.groupby("area_code")["programme_type"].agg(set) if len(programmes) else {}
    )
    accredited_by_area: Any = (
        programmes.assign(_acc=programmes["accreditation"].isin([a.value for a in ACCREDITED]))
        .groupby("area_code")["_acc"]
        .any()
        if len(programmes)
        else {}
    )
    codes = list(areas.index)
    for programme_type in ProgrammeType:
        wanted = (
            set(DA_PROGRAMME_TYPES)
            if programme_type is ProgrammeType.DA
            else {programme_type.value}
        )
        features[f"Programme type: {_area_level_answer('programme_type', programme_type)}"] = [
            bool(wanted & types_by_area.get(c, set())) for c in codes
        ]
    categories = stalking_categories(model)
    features["Specialist non-DA stalking programme"] = [
        categories[c] == STALKING_NON_DA for c in codes
    ]
    features["Co-commissions with partners"] = [v == "Yes" for v in areas["co_commissions"]]
    features["Home Office fund 2023-25 recipient"] = [
        v == "Yes" for v in areas["ho_fund_recipient"]
    ]
    # "Only with continued national funding" counts as continuing, as the report's 27 does
    continuing = {ContinuationPlan.YES.value, ContinuationPlan.ONLY_WITH_NATIONAL_FUNDING.value}
    features["Plans to continue funding after 2024-25"] = [
        v in continuing for v in areas["continuation_plan"]
    ]
    for column, template in (
        ("risk_forums", "Uses {}"),
        ("victim_support", "Victim support: {}"),
        ("funding_sources", "Funded by {}"),
    ):
        for choice in AREAS.column(column).allowed:
            features[template.format(choice)] = [_has(v, choice) for v in areas[column]]
    features["Has a strategic board"] = [v == "Yes" for v in areas["strategic_board"]]
    features["Has an accredited programme"] = [
        bool(accredited_by_area.get(c, False)) for c in codes
    ]
    features["Has undertaken or plans evaluation"] = [
        v == "Yes" for v in areas["evaluation_undertaken_or_planned"]
    ]
    return pd.DataFrame(features, index=pd.Index(codes, name="area_code"))


OPTIONAL_FEATURE_QUESTIONS = {"risk_forums": "Uses {}"}
"""The questions area_features reads that a respondent may leave blank, and the features made
of each: a blank there is not answered, so none of its features is had or lacked."""


def answered_features(model: Landscape) -> pd.DataFrame:
    """area_features' shape: whether the area answered the question each feature is read from
    (False: left blank, so the feature is unknown, never "No")."""
    features = area_features(model)
    answered = pd.DataFrame(True, index=features.index, columns=features.columns)
    areas = model.areas.loc[features.index]
    for column, template in OPTIONAL_FEATURE_QUESTIONS.items():
        blank = np.array([is_blank(v) for v in areas[column]], dtype=bool)
        for choice in AREAS.column(column).allowed:
            answered[template.format(choice)] = ~blank
    return answered


def default_peers(model: Landscape, area_code: str) -> list[str]:
    """The other responding areas in the chosen area's region."""
    areas = model.areas
    region = areas.loc[area_code, "region"]
    chosen = areas[(areas["region"] == region) & areas["responded"].astype(bool)]
    return [c for c in chosen.index if c != area_code]


def peer_comparison(model: Landscape, area_code: str, peers: Collection[str]) -> pd.DataFrame:
    """The area's features beside the share of its (responding) peers that have each.

    Columns: feature, area_has, peer_label, difference, peers_with, peers; difference is
    "Area has, most peers lack", "Most peers have, area lacks" or "".
    """
    features = area_features(model)
    columns = ["feature", "area_has", "peer_label", "difference", "peers_with", "peers"]
    if area_code not in features.index:
        return pd.DataFrame(columns=columns)
    answered = answered_features(model)
    peer_codes = [c for c in peers if c in features.index and c != area_code]
    peer_frame = features.loc[peer_codes]
    peers_answered = answered.loc[peer_codes]
    rows = []
    for feature in features.columns:
        # a peer that left the question blank is out of its base: not answered is not "lacks"
        counted = peers_answered[feature].to_numpy(dtype=bool)
        with_it = int(peer_frame[feature].to_numpy(dtype=bool)[counted].sum())
        total = int(counted.sum())
        majority = total > 0 and with_it * 2 >= total
        if not bool(answered.at[area_code, feature]):
            rows.append(
                {
                    "feature": feature,
                    "area_has": NOT_ANSWERED,
                    "peers_with": with_it,
                    "peers": total,
                    "peer_label": peer_share_label(with_it, total),
                    "difference": "",
                }
            )
            continue
        has = bool(features.at[area_code, feature])
        if has and total and not majority:
            difference = "Area has, most peers lack"
        elif not has and majority:
            difference = "Most peers have, area lacks"
        else:
            difference = ""
        rows.append(
            {
                "feature": feature,
                "area_has": "Yes" if has else "No",
                "peers_with": with_it,
                "peers": total,
                "peer_label": peer_share_label(with_it, total),
                "difference": difference,
            }
        )
    return pd.DataFrame(rows, columns=columns)


def area_answers(model: Landscape, area_code: str) -> pd.DataFrame:
    """One area's answers to the Areas sheet as a two-column table (question, answer)."""
    row = model.areas.loc[area_code]
    answers = {str(name): value for name, value in row.items()}
    rows = []
    for column in AREAS.columns:
        if column.name in {"force_area", "notes"} or column.name not in row.index:
            continue
        value = row[column.name]
        blank = blank_answer_label(column.name, answers)
        rows.append({"question": column.description, "answer": joined_text(value) or blank})
    return pd.DataFrame(rows, columns=["question", "answer"])


def ranked_feature_counts(model: Landscape) -> pd.DataFrame:
    """Per responding area: programmes, programme types, funding sources, victim approaches.

    Columns: area_code, area, region, programmes, programme_types, funding_sources,
    victim_support_approaches.
    """
    areas = respondents(model)
    programmes = model.programmes
    counts = programmes.groupby("area_code").size() if len(programmes) else pd.Series(dtype=int)
    types = (
        programmes.groupby("area_code")["programme_type"].nunique()
        if len(programmes)
        else pd.Series(dtype=int)
    )
    return pd.DataFrame(
        {
            "area_code": areas.index,
            "area": areas["display_name"].to_numpy(),
            "region": areas["region"].to_numpy(),
            "programmes": [int(counts.get(c, 0)) for c in areas.index],
            "programme_types": [int(types.get(c, 0)) for c in areas.index],
            "funding_sources": [len(v) for v in areas["funding_sources"]],
            "victim_support_approaches": [len(v) for v in areas["victim_support"]],
        }
    ).reset_index(drop=True)
