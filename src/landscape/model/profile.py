"""One area beside its peers: the choices the area profile offers and what it shows of an area.

The area profile page renders these; the joins, the peer median and the has / lacks split are
made here, so they can be tested without Streamlit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from enum import Enum

import numpy as np
import pandas as pd

from landscape.labels import NOT_ANSWERED
from landscape.model import breakdowns
from landscape.model.landscape import Landscape
from landscape.model.provenance import area_answer_provenance, entry_text, row_default
from landscape.schema import AREAS, NOT_ANSWERS, PROGRAMMES, Column, Sheet, ValueProvenance
from landscape.survey import Survey
from landscape.values import joined_text

AREA_HAS = "Area has, most peers lack"
AREA_LACKS = "Most peers have, area lacks"


@dataclass(frozen=True)
class AreaChoices:
    """The areas a profile can show, in the view's order, and which of them responded."""

    codes: tuple[str, ...]
    names: dict[str, str] = field(hash=False)
    responding: tuple[str, ...]

    @property
    def default(self) -> str | None:
        """The first responding area (else the first area): the profile shown first."""
        return (self.responding or self.codes or (None,))[0]

    def name(self, code: str) -> str:
        return self.names.get(code, code)

    def responded(self, code: str) -> bool:
        return code in self.responding

    def other_respondents(self, code: str) -> list[str]:
        return [c for c in self.responding if c != code]


def area_choices(model: Landscape) -> AreaChoices:
    areas = model.areas
    codes = tuple(str(c) for c in areas.index)
    responded = areas["responded"].astype(bool)
    return AreaChoices(
        codes=codes,
        names={str(c): str(n) for c, n in areas["display_name"].items()},
        responding=tuple(c for c in codes if bool(responded[c])),
    )


class PeerChoice(Enum):
    """Whom an area is compared with (the value is the page's wording)."""

    REGION = "Its region"
    COUNTRY = "Its country"
    SIMILAR = "Most similar areas"
    ALL_RESPONDING = "All responding areas"
    CHOSEN = "Areas I choose"

    @property
    def slug(self) -> str:
        """The choice in the URL (`?peers=region`)."""
        return self.name.lower().replace("_responding", "")

    @classmethod
    def from_slug(cls, slug: str) -> PeerChoice | None:
        return next((c for c in cls if c.slug == slug), None)


FALLBACK_ORDER = (PeerChoice.REGION, PeerChoice.COUNTRY, PeerChoice.ALL_RESPONDING)
"""When a group has no responding peers, the next one that may: region, country, everyone."""

SIMILAR_COUNT = 5
SIMILARITY_METHOD = (
    f"'Most similar areas' are the {SIMILAR_COUNT} responding areas whose programme mix is "
    "closest: the Jaccard distance over the yes/no features in 'Side by side with peers' "
    "(programme types, stalking provision, funding sources, risk forums, victim support, board, "
    "accreditation, evaluation) is 1 minus the features both areas have out of those either "
    "has; the smallest distances are taken, ties broken by area name."
)


def jaccard_distances(model: Landscape) -> pd.DataFrame:
    """Every responding area's Jaccard distance (SIMILARITY_METHOD) to every other: a square
    frame, index and columns area_code. An area's features are its own answers and programmes,
    so a view narrowed by country or region is this matrix cut to its areas: it is computed once
    a wave (and programme-type choice) and cut per view (`similar_areas`, `similarity_table`)."""
    features = breakdowns.area_features(model)
    held = features.to_numpy(dtype=bool).astype(np.int64)
    both = held @ held.T
    counts = held.sum(axis=1)
    either = counts[:, None] + counts[None, :] - both
    distance = np.where(either > 0, 1.0 - both / np.maximum(either, 1), 0.0)
    return pd.DataFrame(distance, index=features.index, columns=features.index)


def similar_areas(
    model: Landscape,
    area_code: str,
    count: int = SIMILAR_COUNT,
    distances: pd.DataFrame | None = None,
) -> list[str]:
    """The `count` responding areas of the view nearest the area by Jaccard distance over its
    features (SIMILARITY_METHOD); reproducible: ties go to the name first in the alphabet.
    `distances`: `jaccard_distances` of a model holding the view's areas with the same
    programmes (the wave's, made once), else made from `model`."""
    if distances is None:
        distances = jaccard_distances(model)
    among = [c for c in breakdowns.respondents(model).index if c in distances.index]
    if area_code not in among:
        return []
    row = distances.loc[area_code].to_dict()
    names = model.areas["display_name"]
    ranked = sorted(
        (round(float(row[other]), 9), str(names[other]), str(other))
        for other in among
        if other != area_code
    )
    return [code for _, _, code in ranked[:count]]


def jaccard_distance(model: Landscape, area_code: str, other: str) -> float:
    """The distance similar_areas ranks on (for the page's table and for tests)."""
    features = breakdowns.area_features(model)
    own = features.loc[area_code].to_numpy(dtype=bool)
    theirs = features.loc[other].to_numpy(dtype=bool)
    either = int((own | theirs).sum())
    return 1.0 - int((own & theirs).sum()) / either if either else 0.0


def similarity_table(
    model: Landscape, area_code: str, distances: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The most similar areas, nearest first. Columns: area, region, distance (3 places).
    `distances` as in `similar_areas`."""
    if distances is None:
        distances = jaccard_distances(model)
    codes = similar_areas(model, area_code, distances=distances)
    row = distances.loc[area_code].to_dict() if codes else {}
    return pd.DataFrame(
        {
            "area": [area_name(model, c) for c in codes],
            "region": [str(model.areas.at[c, "region"]) for c in codes],
            "jaccard_distance": [round(float(row[c]), 3) for c in codes],
        }
    )


def _same(model: Landscape, area_code: str, column: str) -> list[str]:
    areas = model.areas
    value = areas.loc[area_code, column]
    chosen = areas[(areas[column] == value) & areas["responded"].astype(bool)]
    return [str(c) for c in chosen.index if c != area_code]


def peers_for(
    model: Landscape,
    area_code: str,
    choice: PeerChoice,
    distances: pd.DataFrame | None = None,
) -> list[str]:
    """The peer areas a choice means (for CHOSEN: the suggestion, the region's respondents);
    `distances` for SIMILAR as in `similar_areas`."""
    if area_code not in model.areas.index:
        return []
    if choice is PeerChoice.ALL_RESPONDING:
        return area_choices(model).other_respondents(area_code)
    if choice is PeerChoice.COUNTRY:
        return _same(model, area_code, "country")
    if choice is PeerChoice.SIMILAR:
        return similar_areas(model, area_code, distances=distances)
    return breakdowns.default_peers(model, area_code)


@dataclass(frozen=True)
class PeerGroup:
    """The peers an area is compared with: the group asked for, the one used, and why they
    differ (a group with no responding peers falls back to the next of FALLBACK_ORDER)."""

    wanted: PeerChoice
    used: PeerChoice
    peers: tuple[str, ...]
    description: str
    """The group in words, e.g. 'its region (North West)'."""
    note: str = ""
    """Plain words when the group asked for has no peers, and what is shown instead."""


def describe_group(model: Landscape, area_code: str, choice: PeerChoice) -> str:
    region, country = (str(model.areas.at[area_code, c]) for c in ("region", "country"))
    if choice is PeerChoice.REGION:
        return f"its region ({region})"
    if choice is PeerChoice.COUNTRY:
        return f"its country ({country})"
    if choice is PeerChoice.SIMILAR:
        return f"the {SIMILAR_COUNT} most similar areas"
    if choice is PeerChoice.ALL_RESPONDING:
        return "all responding areas"
    return "the areas you chose"


def peer_group(
    model: Landscape,
    area_code: str,
    wanted: PeerChoice,
    chosen: tuple[str, ...] = (),
    distances: pd.DataFrame | None = None,
) -> PeerGroup:
    """The peers of `wanted` (for CHOSEN: `chosen`, responding ones only); when that group has
    none, the next group of FALLBACK_ORDER that has, with a note saying so. `distances` for
    SIMILAR as in `similar_areas`."""
    responding = set(area_choices(model).other_respondents(area_code))

    def members(choice: PeerChoice) -> tuple[str, ...]:
        if choice is PeerChoice.CHOSEN:
            return tuple(c for c in chosen if c in responding)
        return tuple(peers_for(model, area_code, choice, distances))

    peers = members(wanted)
    if area_code not in model.areas.index:  # outside the view: no group to describe
        return PeerGroup(wanted, wanted, (), wanted.value.lower())
    if peers:
        return PeerGroup(wanted, wanted, peers, describe_group(model, area_code, wanted))
    name = area_name(model, area_code)
    asked = describe_group(model, area_code, wanted)
    start = FALLBACK_ORDER.index(wanted) + 1 if wanted in FALLBACK_ORDER else 0
    why = (
        "No peer areas are chosen yet"
        if wanted is PeerChoice.CHOSEN
        else f"No other area in {asked} responded in this view"
    )
    for choice in FALLBACK_ORDER[start:]:
        peers = members(choice)
        if peers:
            used = describe_group(model, area_code, choice)
            note = f"{why}, so {name} is compared with {used} instead ({len(peers)} areas)."
            return PeerGroup(wanted, choice, peers, used, note)
    note = f"No other area in this view responded, so {name} has no peers to compare with."
    return PeerGroup(wanted, wanted, (), asked, note)


@dataclass(frozen=True)
class AreaProfile:
    """A responding area beside its peers."""

    area_code: str
    programmes: int
    """Programmes the area commissions."""
    peer_median: float
    """The median number of programmes of the peers (NaN without peers)."""
    has: tuple[str, ...]
    """Features the area has and most peers lack."""
    lacks: tuple[str, ...]
    """Features most peers have and the area lacks."""
    comparison: pd.DataFrame = field(hash=False)
    """breakdowns.peer_comparison of the area and its peers."""
    ranked: pd.DataFrame = field(hash=False)
    """breakdowns.ranked_feature_counts rows: the area's first, then its peers'."""


def area_profile(model: Landscape, area_code: str, peers: tuple[str, ...]) -> AreaProfile:
    """The area's programme count, its peers' median, and what it has or lacks beside them."""
    counts = breakdowns.ranked_feature_counts(model)
    own = counts[counts["area_code"] == area_code]
    peer_counts = counts[counts["area_code"].isin(peers)]
    median = float(peer_counts["programmes"].median()) if len(peer_counts) else math.nan
    comparison = breakdowns.peer_comparison(model, area_code, peers)
    return AreaProfile(
        area_code=area_code,
        programmes=int(own["programmes"].iloc[0]) if len(own) else 0,
        peer_median=median,
        has=tuple(comparison.loc[comparison["difference"] == AREA_HAS, "feature"]),
        lacks=tuple(comparison.loc[comparison["difference"] == AREA_LACKS, "feature"]),
        comparison=comparison,
        ranked=pd.concat([own, peer_counts]).reset_index(drop=True),
    )


RANKED_MEASURES = {
    "programmes": "Programmes commissioned",
    "programme_types": "Programme types commissioned",
    "funding_sources": "Funding sources used",
}
"""The ranked_feature_counts columns an area is ranked on against its peers, with their labels."""


def ranked_rows(model: Landscape, area_code: str, peers: tuple[str, ...]) -> pd.DataFrame:
    """The ranked counts of the area and its peers, in the ranking's order (for the charts)."""
    counts = breakdowns.ranked_feature_counts(model)
    return counts[counts["area_code"].isin([area_code, *peers])]


def area_name(model: Landscape, area_code: str) -> str:
    return str(model.areas.at[area_code, "display_name"])


def in_view(model: Landscape, area_code: str) -> bool:
    """Whether the area is among the view's areas (a region filter may leave it out)."""
    return area_code in model.areas.index


def stalking_category_of(model: Landscape, area_code: str) -> str:
    return str(breakdowns.stalking_categories(model)[area_code])


def area_fund(model: Landscape, area_code: str) -> pd.DataFrame:
    """The area's row of breakdowns.ho_fund_by_area (recorded for non-respondents too), with the
    provenance of the answer its status is read from (column "provenance")."""
    fund = breakdowns.ho_fund_by_area(model)
    own = fund[fund["area_code"] == area_code].copy()
    own["provenance"] = area_answer_provenance(model, area_code, "ho_fund_recipient")
    return own


def fund_note(model: Landscape, area_code: str) -> str:
    """Where the area's Home Office fund status comes from, in words, for the profile of an area
    that did not respond: the provenance of the value itself, never a list no source gives.

    The APCC report (7 March 2025) gives only counts, in footnote 1 of its Funding section (27
    recipient areas in all, 25 of them among the respondents); it names none of the others."""
    provenance = area_answer_provenance(model, area_code, "ho_fund_recipient")
    opening = "Held for areas that did not respond too. Provenance of this status: "
    if provenance == ValueProvenance.ILLUSTRATIVE:
        return (
            opening + "Illustrative, invented to make the wave whole. The APCC report counts the "
            "fund's recipients (27 areas, 25 of them respondents) but does not say which areas "
            "that did not respond received it."
        )
    if provenance == ValueProvenance.REPORTED:
        return opening + "Reported, as recorded in this wave."
    return opening + f"{provenance}."


def area_programmes(model: Landscape, area_code: str) -> pd.DataFrame:
    """The area's programmes as rows of the programme directory."""
    programmes = model.programmes
    own = programmes[programmes["area_code"] == area_code] if len(programmes) else programmes
    values = model.value_provenance  # the model's own (made once), cut to the area's rows

    def area_values() -> pd.DataFrame:
        return values[values["area_code"] == area_code].reset_index(drop=True)

    return breakdowns.directory(
        replace(model, programmes=own.reset_index(drop=True), provenance_source=area_values)
    )


ANSWER_COLUMNS = ("question", "answer", "provenance")
PROGRAMME_ANSWER_COLUMNS = ("programme", "question", "answer", "provenance")


def area_answers(model: Landscape, area_code: str) -> pd.DataFrame:
    """The area's answers to the Areas sheet, each with its provenance in words: Published,
    Sourced (document, section), Reported or Illustrative. Columns: ANSWER_COLUMNS."""
    row = model.areas.loc[area_code].to_dict()
    rows = _answers(model, AREAS, area_code, None, row)
    return pd.DataFrame(rows, columns=list(ANSWER_COLUMNS))


def area_programme_answers(model: Landscape, area_code: str) -> pd.DataFrame:
    """Every answer of the area's programmes, each with its provenance as in `area_answers`.
    Columns: PROGRAMME_ANSWER_COLUMNS."""
    programmes = model.programmes
    own = programmes[programmes["area_code"] == area_code] if len(programmes) else programmes
    values = _area_values(model, PROGRAMMES, area_code)  # cut once, not once a programme
    rows = []
    for record in own.to_dict("records"):
        name = str(record["programme_name"])
        rows += [
            {"programme": name, **answer}
            for answer in _answers(model, PROGRAMMES, area_code, name, record, values)
        ]
    return pd.DataFrame(rows, columns=list(PROGRAMME_ANSWER_COLUMNS))


def _area_values(model: Landscape, sheet: Sheet, area_code: str) -> pd.DataFrame:
    values = model.value_provenance
    return values[(values["sheet"] == sheet.name) & (values["area_code"] == area_code)]


def _answers(
    model: Landscape,
    sheet: Sheet,
    area_code: str,
    programme: str | None,
    record: dict,
    area_values: pd.DataFrame | None = None,
) -> list[dict[str, str]]:
    mine = _area_values(model, sheet, area_code) if area_values is None else area_values
    if programme is not None:
        mine = mine[mine["programme_name"] == programme]
    listed = {str(r.column): r for r in mine.itertuples(index=False)}
    default = row_default(record.get("provenance"))
    rows = []
    for column in sheet.columns:
        if column.name in NOT_ANSWERS or column.name not in record:
            continue
        entry = listed.get(column.name)
        blank = (
            breakdowns.blank_answer_label(column.name, record) if sheet is AREAS else NOT_ANSWERED
        )
        rows.append(
            {
                "question": column.description,
                "answer": _answer_text(record[column.name]) or blank,
                "provenance": entry_text(entry) if entry is not None else str(default),
            }
        )
    return rows


def _answer_text(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return "" if pd.isna(value) else value.date().isoformat()
    return joined_text(value)


# --- an office's own answers that are not published ------------------------------------------

UNPUBLISHED_RULE = (
    "An office's answers that are not published yet (its return in an open survey round: a "
    "draft, or submitted or accepted and waiting for the round to be published) are shown only "
    "on its own area's profile, only while that office or an APCC administrator is signed in. "
    "Readers and other areas' offices see none of them, and no chart, share or peer comparison "
    "counts them until the round is published."
)
UNPUBLISHED_MARK = "in your draft return, not published"
UNPUBLISHED_COLUMNS = ("question", "published", "in the return", "mark")
UNPUBLISHED_PROGRAMME_COLUMNS = ("programme", *UNPUBLISHED_COLUMNS)
NOT_LISTED = "(no such programme)"


@dataclass(frozen=True)
class UnpublishedAnswers:
    """An area's latest return beside its published answers (`unpublished_answers`)."""

    answers: pd.DataFrame
    """Every Areas-sheet question: the published answer, the return's, and UNPUBLISHED_MARK
    where they differ. Columns: UNPUBLISHED_COLUMNS."""
    programmes: pd.DataFrame
    """Only the programme answers that differ (a programme added or dropped: each of its
    answers, the missing side NOT_LISTED). Columns: UNPUBLISHED_PROGRAMME_COLUMNS."""
    published_programmes: int
    returned_programmes: int

    @property
    def changed(self) -> int:
        """How many answers the return changes (area and programme answers)."""
        return int((self.answers["mark"] != "").sum()) + len(self.programmes)


def unpublished_answers(model: Landscape, area_code: str, returned: Survey) -> UnpublishedAnswers:
    """The area's answers in `returned` (its return in an open round) beside those `model` (the
    published wave, every programme of it) holds; the area's rows only, whatever else either
    holds."""
    published_area = model.areas.loc[area_code].to_dict() if area_code in model.areas.index else {}
    returned_areas = returned.areas[returned.areas["area_code"] == area_code]
    returned_area = returned_areas.iloc[0].to_dict() if len(returned_areas) else {}
    answers = [
        _beside(column, published_area, returned_area)
        for column in _answer_columns(AREAS, published_area, returned_area)
    ]
    published = _programmes_by_name(model.programmes, area_code)
    returns = _programmes_by_name(returned.programmes, area_code)
    changed = []
    for name in [*published, *(n for n in returns if n not in published)]:
        mine, theirs = published.get(name), returns.get(name)
        for column in _answer_columns(PROGRAMMES, mine or {}, theirs or {}):
            row = _beside(column, mine or {}, theirs or {})
            if mine is None:
                row["published"] = NOT_LISTED
            if theirs is None:
                row["in the return"] = NOT_LISTED
            if row["mark"]:
                changed.append({"programme": name, **row})
    return UnpublishedAnswers(
        answers=pd.DataFrame(answers, columns=list(UNPUBLISHED_COLUMNS)),
        programmes=pd.DataFrame(changed, columns=list(UNPUBLISHED_PROGRAMME_COLUMNS)),
        published_programmes=len(published),
        returned_programmes=len(returns),
    )


def _answer_columns(sheet: Sheet, *records: dict) -> list[Column]:
    return [
        c
        for c in sheet.columns
        if c.name not in NOT_ANSWERS and any(c.name in record for record in records)
    ]


def _beside(column: Column, published: dict, returned: dict) -> dict[str, str]:
    before = _answer_text(published.get(column.name)) or "-"
    after = _answer_text(returned.get(column.name)) or "-"
    return {
        "question": column.description,
        "published": before,
        "in the return": after,
        "mark": UNPUBLISHED_MARK if before != after else "",
    }


def _programmes_by_name(programmes: pd.DataFrame, area_code: str) -> dict[str, dict]:
    if not len(programmes):
        return {}
    own = programmes[programmes["area_code"] == area_code]
    return {str(r["programme_name"]): r for r in own.to_dict("records")}
