"""The choices a view's filters offer, from the force-area reference table."""

from __future__ import annotations

from landscape.areas import force_areas


def regions_in(country: str | None = None) -> list[str]:
    """The regions of one country (None: of England and Wales), in the reference table's order."""
    # the reference areas themselves, in the table's order: no DataFrame filtered on every rerun
    return list(
        dict.fromkeys(a.region for a in force_areas() if country is None or a.country == country)
    )
