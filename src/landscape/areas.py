"""The 43 territorial police force areas of England and Wales: one reference table.

The ONS code is the key everywhere; names and aliases are for display and matching only.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd

COUNTRIES = ("England", "Wales")
GOVERNING_BODY_TYPES = ("PCC", "PFCC", "Mayor", "None")

# Words people append to an area's name that do not change which area they mean.
_ROLE_WORDS = {
    "pcc",
    "pfcc",
    "opcc",
    "opfcc",
    "police",
    "constabulary",
    "service",
    "commissioner",
    "office",
    "of",
    "the",
    "for",
    "and",
    "crime",
    "fire",
    # the same words in Welsh: "Comisiynydd Heddlu a Throseddu Gwent", "Heddlu Gwent"
    "heddlu",
    "comisiynydd",
    "throseddu",
    "a",
    "swyddfa",
}

# What spreadsheets and word processors type in place of plain characters: curly quotes, dashes,
# non-breaking spaces. Read as the plain character so that a match never fails on how a character
# looks; invisible format characters (zero-width spaces, soft hyphens, BOMs) are dropped.
_TYPOGRAPHY = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4\u0060", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
        **dict.fromkeys(
            "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
            "\u2008\u2009\u200a\u205f\u3000",
            " ",
        ),
    }
)


@dataclass(frozen=True)
class ForceArea:
    code: str
    name: str
    display_name: str
    governing_body: str
    governing_body_type: str
    region: str
    country: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class NameMatch:
    """The outcome of matching a written name: a code, or the nearest names to suggest."""

    written: str
    code: str | None
    suggestions: tuple[str, ...] = ()


@cache
def force_areas() -> tuple[ForceArea, ...]:
    """All 43 force areas, in ONS code order."""
    text = resources.files("landscape.reference").joinpath("force_areas.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    return tuple(
        ForceArea(
            code=row["code"],
            name=row["name"],
            display_name=row["display_name"],
            governing_body=row["governing_body"],
            governing_body_type=row["governing_body_type"],
            region=row["region"],
            country=row["country"],
            aliases=tuple(a for a in row["aliases"].split("|") if a),
        )
        for row in rows
    )


@cache
def force_area_table() -> pd.DataFrame:
    """The reference as a DataFrame indexed by ONS code (shared and cached: do not mutate)."""
    frame = pd.DataFrame(
        [
            {
                "code": a.code,
                "name": a.name,
                "display_name": a.display_name,
                "governing_body": a.governing_body,
                "governing_body_type": a.governing_body_type,
                "region": a.region,
                "country": a.country,
            }
            for a in force_areas()
        ]
    )
    return frame.set_index("code")


def area_by_code(code: str) -> ForceArea:
    for area in force_areas():
        if area.code == code:
            return area
    raise KeyError(code)


def display_name(code: str) -> str:
    return area_by_code(code).display_name


def regions() -> tuple[str, ...]:
    return tuple(dict.fromkeys(a.region for a in force_areas()))


def plain_text(text: str) -> str:
    """`text` with typographic quotes, dashes and spaces as their plain characters and invisible
    format characters (zero-width spaces, soft hyphens) removed: what a person sees, typed plain."""
    translated = str(text).translate(_TYPOGRAPHY)
    return "".join(c for c in translated if unicodedata.category(c) != "Cf")


def normalise_name(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key: 'Avon & Somerset' == 'avon and somerset'."""
    text = unicodedata.normalize("NFKD", plain_text(text)).encode("ascii", "ignore").decode("ascii")
    text = text.lower().replace("&", " and ").replace("'", "")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def _core_words(key: str) -> str:
    return " ".join(w for w in key.split() if w not in _ROLE_WORDS)


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for area in force_areas():
        names = (area.code, area.name, area.display_name, area.governing_body, *area.aliases)
        for written in names:
            if not written:
                continue
            key = normalise_name(written)
            table.setdefault(key, area.code)
            core = _core_words(key)
            if core:
                table.setdefault(core, area.code)
    return table


def area_code(written: str) -> str | None:
    """The ONS code of a code, name or alias; None when none matches (no suggestions: they cost
    a fuzzy search, too slow to run for every cell of a sheet)."""
    key = normalise_name(written)
    lookup = _lookup()
    return lookup.get(key) or lookup.get(_core_words(key))


def match_area(written: str) -> NameMatch:
    """Map a code, name or alias to its ONS code; when none matches, suggest the nearest names."""
    code = area_code(written)
    if code:
        return NameMatch(written=written, code=code)
    return NameMatch(written=written, code=None, suggestions=suggest_areas(written))


def suggest_areas(written: str, limit: int = 3) -> tuple[str, ...]:
    """Display names of the areas whose names or aliases are closest to what was written."""
    key = normalise_name(written)
    lookup = _lookup()
    close = difflib.get_close_matches(key, list(lookup), n=limit * 4, cutoff=0.5)
    if not close and _core_words(key):
        close = difflib.get_close_matches(_core_words(key), list(lookup), n=limit * 4, cutoff=0.4)
    codes = list(dict.fromkeys(lookup[c] for c in close))[:limit]
    return tuple(display_name(c) for c in codes)


def code_for(written: str) -> str:
    """The ONS code for a name, or KeyError naming the nearest areas."""
    match = match_area(written)
    if match.code is None:
        hint = f"; did you mean {', '.join(match.suggestions)}?" if match.suggestions else ""
        raise KeyError(f"{written!r} is not a police force area of England and Wales{hint}")
    return match.code
