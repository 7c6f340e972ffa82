"""One area beside its peers: the choices the area profile offers and what it shows of an area.

The area profile page renders these; the joins, the peer median and the has / lacks split are
made here, so they can be tested without Streamlit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from enum import Enum

import pandas as pd

from landscape.model import breakdowns
from landscape.model.landscape import Landscape

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
    ALL_RESPONDING = "All responding areas"
    CHOSEN = "Areas I choose"


def peers_for(model: Landscape, area_code: str, choice: PeerChoice) -> list[str]:
    """The peer areas a choice means (for CHOSEN: the suggestion, the region's respondents)."""
    if choice is PeerChoice.ALL_RESPONDING:
        return area_choices(model).other_respondents(area_code)
    return breakdowns.default_peers(model, area_code)


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
    """The area's row of breakdowns.ho_fund_by_area (recorded for non-respondents too)."""
    fund = breakdowns.ho_fund_by_area(model)
    return fund[fund["area_code"] == area_code]


def area_programmes(model: Landscape, area_code: str) -> pd.DataFrame:
    """The area's programmes as rows of the programme directory."""
    programmes = model.programmes
    own = programmes[programmes["area_code"] == area_code] if len(programmes) else programmes
    return breakdowns.directory(replace(model, programmes=own.reset_index(drop=True)))
