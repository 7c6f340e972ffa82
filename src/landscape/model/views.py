"""The choices a view's filters offer, from the force-area reference table."""

from __future__ import annotations

from landscape.areas import force_area_table


def regions_in(country: str | None = None) -> list[str]:
    """The regions of one country (None: of England and Wales), in the reference table's order."""
    table = force_area_table()
    if country is not None:
        table = table[table["country"] == country]
    return list(dict.fromkeys(table["region"]))
