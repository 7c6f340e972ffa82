"""The findings the pages state in words: titles, counts quoted in text, the overview's cards.

Each is a plain function of the landscape model (or of a table derived from it), so a page only
formats what it is given: it never picks a row, counts matches or takes a median itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from landscape.model import breakdowns
from landscape.model.landscape import Landscape
from landscape.model.measures import MEASURES, Figure
from landscape.model.published import FigureBasis, check_figures, figure_basis
from landscape.model.questions import RISK_LEVELS, Question, question_shares
from landscape.model.reference_date import ReferenceDate
from landscape.model.wave_kind import SEED_KIND, WaveKind
from landscape.model.wave_words import comparison_note, kind_word
from landscape.schema import PROGRAMMES, RiskLevel


@dataclass(frozen=True)
class Share:
    """`numerator` of `denominator`: e.g. programmes serving high-risk perpetrators, of all."""

    numerator: int
    denominator: int

    @property
    def label(self) -> str:
        """'17 of 33 (52%)'."""
        return breakdowns.share_label(self.numerator, self.denominator)


def high_risk_programmes(model: Landscape) -> Share:
    """Programmes serving high-risk perpetrators, out of all programmes (Availability)."""
    # the one count, not the whole shares table and a row picked from it (issue 13)
    high = breakdowns.programmes_with(model, RISK_LEVELS.column, RiskLevel.HIGH.value)
    return Share(high, len(model.programmes))


def early_intervention_programmes(model: Landscape) -> Share:
    """Early intervention and CAPVA programmes out of all programmes: the published measure."""
    figure = MEASURES["early_intervention_share"](model)
    return Share(int(figure.numerator), int(figure.denominator or 0))


@dataclass(frozen=True)
class EndedFunding:
    """Programmes whose recorded funding end date is before the wave's reference date `on`, the
    earliest such end, and the kinds of the end dates read (e.g. all Illustrative)."""

    ended: int
    total: int
    earliest: datetime.date | None
    on: datetime.date | None
    """The reference date (None: the wave has none, so no end date is read as past)."""
    basis: str = ""
    """Why `on` (ReferenceDate.basis); empty: a day the caller chose."""
    kinds: tuple[tuple[str, int], ...] = ()
    """(provenance, end dates of it) of the view's recorded end dates, most first."""

    @property
    def reference(self) -> str:
        """E.g. "7 March 2025, the report's date"."""
        if self.on is None:
            return ""
        return ReferenceDate(self.on, self.basis).text

    @property
    def kinds_text(self) -> str:
        """E.g. "the end dates are Illustrative (209) and Sourced (1)"; empty without dates."""
        if not self.kinds:
            return ""
        if len(self.kinds) == 1:
            return f"the end dates are {self.kinds[0][0]}"
        parts = [f"{kind} ({count})" for kind, count in self.kinds]
        return "the end dates are " + ", ".join(parts[:-1]) + f" and {parts[-1]}"

    @property
    def chart_title(self) -> str:
        if self.on is None:
            return "Programmes by the quarter their current funding ends"
        return (
            "Programmes by the quarter their current funding ends, or ended (before "
            f"{self.on.day} {self.on:%B %Y})"
        )

    @property
    def sentence(self) -> str:
        kinds = f" ({self.kinds_text})" if self.kinds else ""
        if self.on is None:
            return (
                "This wave records no date to read its funding end dates against (no report, "
                f"round period, survey or publication date), so none is counted as past{kinds}."
            )
        if not self.ended:
            return (
                f"As of {self.reference}, no programme's recorded funding end date had passed: "
                f"every dated quarter is ahead{kinds}."
            )
        return (
            f"As of {self.reference}, {breakdowns.share_label(self.ended, self.total)} "
            f"programmes had a funding end date already past{kinds}; the earliest ended in "
            f"{self.earliest:%B %Y}. The chart marks their quarters as ended, not ahead."
        )


def funding_already_ended(
    model: Landscape, reference: ReferenceDate | datetime.date | None = None
) -> EndedFunding:
    """Programmes whose current funding ended before the wave's reference date (`reference`,
    reference_date.wave_reference_date; else its survey date: breakdowns.funding_reference).
    Funding: the cliff is what is ahead."""
    read = breakdowns.funding_reference(model, reference)
    ends = pd.to_datetime(model.programmes["funding_end"], errors="coerce").dropna()
    past = ends[ends < pd.Timestamp(read.on)] if read is not None else ends.iloc[:0]
    return EndedFunding(
        ended=len(past),
        total=len(model.programmes),
        earliest=past.min().date() if len(past) else None,
        on=read.on if read is not None else None,
        basis=read.basis if read is not None else "",
        kinds=_end_date_kinds(model),
    )


def _end_date_kinds(model: Landscape) -> tuple[tuple[str, int], ...]:
    """How many of the view's recorded funding end dates are of each provenance, most first."""
    values = model.value_provenance
    dated = values[
        (values["sheet"] == PROGRAMMES.name).to_numpy()
        & (values["column"] == "funding_end").to_numpy()
    ]
    counts = dated["provenance"].astype(str).value_counts(sort=False)
    ranked = sorted(counts.items(), key=lambda kind: (-kind[1], kind[0]))
    return tuple((str(kind), int(count)) for kind, count in ranked)


@dataclass(frozen=True)
class TopAnswer:
    answer: str
    label: str

    @property
    def in_sentence(self) -> str:
        """The answer as a sentence reads it after a verb: "integrated support", but an
        abbreviation kept as written ("IDVA", "MARAC")."""
        first = self.answer.split(" ", 1)[0]
        if len(first) > 1 and first.isupper():
            return self.answer
        return self.answer[:1].lower() + self.answer[1:]


def most_given_answer(model: Landscape, question: Question) -> TopAnswer:
    """The answer the most areas (or programmes) gave; ties go to the first in schema order."""
    shares = question_shares(model, question)
    top = shares.sort_values(question.count_column, ascending=False, kind="stable").iloc[0]
    return TopAnswer(str(top["answer"]), str(top["label"]))


@dataclass(frozen=True)
class CheckSummary:
    """How the computed figures compare with the report's: policy facts are neither."""

    matching: int
    differing: tuple[str, ...]
    """The ids of the figures that differ, in the report's order."""


def summarise_check(check: pd.DataFrame) -> CheckSummary:
    """Count the matching figures of a `published.check_figures` table and name the differing."""
    matches = check["matches"]
    differing = check.loc[matches.map(lambda m: m is not None and not bool(m)), "id"]
    return CheckSummary(
        matching=int(matches.map(lambda m: m is not None and bool(m)).sum()),
        differing=tuple(str(i) for i in differing),
    )


DEFINITIONS = (
    (
        "Responding areas",
        "Force areas whose PCC office answered the wave. The denominator of every "
        "area-level share.",
    ),
    (
        "Did not respond",
        "Areas that did not answer. Never counted as 'no' or 'none'; shown as their own category.",
    ),
    (
        "Programmes",
        "Programmes commissioned or co-commissioned by responding areas. The denominator "
        "of programme shares.",
    ),
    (
        "Accredited share",
        "Programmes accredited by Respect, CSAAP or NFI, out of every programme commissioned "
        "or co-commissioned (the report's base), those with no accreditation route included.",
    ),
    (
        "Early intervention",
        "Early intervention and CAPVA programmes, as the report counts them, out of all "
        "programmes.",
    ),
    (
        "Stalking counts",
        "Out of responding areas, on every page; areas that did not respond are counted "
        "separately, never as having no provision.",
    ),
    (
        "Stalking category",
        "An area's most specialist stalking provision: specialist non-DA programme, "
        "specialist DA-related only, within DA programmes only, none, or did not respond.",
    ),
    (
        "Percentages",
        "Rounded half-up to a whole number, as the report prints them, and always shown "
        "with their count.",
    ),
)


def definitions() -> pd.DataFrame:
    """The terms and denominators the dashboard uses. Columns: term, meaning."""
    return pd.DataFrame(list(DEFINITIONS), columns=["term", "meaning"])


WAVE_COLUMNS = (
    "wave",
    "wave_id",
    "version",
    "survey_date",
    "illustrative",
    "uploaded_by",
    "uploaded_at",
    "sha256",
    "verified",
)


def wave_table(waves: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Every stored wave as a table (one mapping per wave, keyed as WAVE_COLUMNS)."""
    return pd.DataFrame([dict(w) for w in waves], columns=list(WAVE_COLUMNS))


# --- the overview's headline cards -----------------------------------------------------------

HEADLINES = {
    "respondents": "Responded to the survey",
    "da_programmes": "Commission DA programmes",
    "stalking_da_related": "DA-related stalking provision",
    "stalking_non_da": "Non-DA stalking programme",
    "co_commissioning": "Co-commission with partners",
    "ho_fund_respondents": "Received the Home Office fund",
    "continue_after_2425": "Plan to continue after 2024-25",
    "accredited_share": "Programmes accredited",
    "evaluation_any": "Evaluated or plan evaluation",
    "early_intervention_share": "Programmes for early intervention",
}
"""Headline figure ids with the short label their metric shows (the full statement is its help)."""
COMPANIONS = {"evaluation_any": ("evaluation_any", "evaluation_any_percent")}
"""Published figures shown beside a headline (the report's '76% (26)' is a count and a %)."""


def metric_value(figure: Figure) -> str:
    """The metric's value in the one format every card of a row shares: '17 of 33 (52%)' (a
    count without a base stays a count)."""
    if figure.denominator is None:
        return f"{figure.numerator:,.0f}"
    return breakdowns.share_label(figure.numerator, figure.denominator)


@dataclass(frozen=True)
class Published:
    """A figure as the report printed it, and whether the computed one matches."""

    text: str
    """E.g. 'APCC report: 76% · ✓ matches'."""
    matches: bool
    note: str
    """Why it differs (shown only when it does)."""


@dataclass(frozen=True)
class HeadlineCard:
    short_label: str
    figure: Figure
    value: str
    published: tuple[Published, ...]
    basis: FigureBasis
    """What kind of number it is: published, the wave's answers, or illustrative."""
    previous: str | None = None
    """For a wave tied to no report: the figure in the wave before, and the change."""


@dataclass(frozen=True)
class Headlines:
    cards: tuple[HeadlineCard, ...]
    table: pd.DataFrame
    """The cards as rows (with the published value beside each), for the table and download."""


def _published_text(value: float, unit: str, matches: bool) -> str:
    shown = f"{value:,.0f}%" if unit == "percent" else f"{value:,.0f}"
    if matches:
        return f"APCC report: {shown} · ✓ matches"
    return f"APCC report: {shown} · ⚠ **differs** from the computed value"


def _previous_text(now: Figure, before: Figure, kinds: str = "") -> str:
    change = now.numerator - before.numerator
    return f"Previous wave{kinds}: {before.text} · change {change:+,.0f}"


def _kinds_apart(now: WaveKind, before: WaveKind | None) -> str:
    """' (illustrative; this one is reported)' when the previous wave is of another kind."""
    if before is None or not comparison_note(before, now):
        return ""
    return f" ({kind_word(before)}; this one is {kind_word(now)})"


def headlines(
    model: Landscape,
    *,
    compare: bool,
    wave: WaveKind = SEED_KIND,
    previous: Landscape | None = None,
    previous_kind: WaveKind | None = None,
) -> Headlines:
    """The overview's cards, each labelled with what kind of number it is.

    `compare` means the view is the whole wave. Only a wave tied to a published report (and only
    in the whole view) is set beside the report's figures; any other wave beside `previous`.
    """
    against_report = compare and wave.reproduces is not None
    checks = (
        {str(row["id"]): row for row in check_figures(model).to_dict(orient="records")}
        if against_report
        else None
    )
    cards = []
    rows: list[dict[str, Any]] = []
    for figure_id, short_label in HEADLINES.items():
        figure = MEASURES[figure_id](model)
        basis = figure_basis(figure, wave, whole_wave=compare)
        row = {
            "figure": short_label,
            "statement": figure.label,
            "computed": metric_value(figure),
            "as_text": figure.text,
            "numerator": figure.numerator,
            "denominator": figure.denominator,
            "basis": basis.text,
        }
        companions = COMPANIONS.get(figure_id, (figure_id,))
        published = []
        if checks is not None:
            for companion in [c for c in companions if c in checks]:
                check = checks[companion]
                matches = bool(check["matches"]) if check["matches"] is not None else False
                published.append(
                    Published(
                        _published_text(check["published"], check["unit"], matches),
                        matches,
                        str(check["note"] or ""),
                    )
                )
                rows.append(
                    {
                        **row,
                        "published": check["published"],
                        "published_unit": check["unit"],
                        "matches": matches,
                        "note": check["note"],
                    }
                )
        before = None
        if checks is None:
            if previous is not None and not against_report:
                before = _previous_text(
                    figure, MEASURES[figure_id](previous), _kinds_apart(wave, previous_kind)
                )
                row["previous_wave"] = before
            rows.append(row)
        cards.append(
            HeadlineCard(short_label, figure, metric_value(figure), tuple(published), basis, before)
        )
    return Headlines(tuple(cards), pd.DataFrame(rows))
