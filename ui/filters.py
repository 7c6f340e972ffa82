"""The shared sidebar filters, mirrored in the URL so that a view can be shared as a link.

Query parameters: `wave`, `country` (England or Wales), `region` and `type` (repeatable), `area`
for the area profile, `sourced=1` for the directory's "sourced facts only", and `compare` (twice:
the earlier and later wave of "Change between waves"). On a session's first run the filters
start from the URL; afterwards the widgets lead and the URL follows them.

Each page renders the sidebar itself (a page runs on its own), so the chosen values are kept in
plain session-state keys that outlive any one page's widgets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import streamlit as st

from landscape.model.profile import PeerChoice
from landscape.model.views import regions_in
from landscape.schema import ProgrammeType
from ui import data

ALL_COUNTRIES = "England and Wales"
COUNTRIES = (ALL_COUNTRIES, "England", "Wales")
PROGRAMME_TYPES = tuple(t.value for t in ProgrammeType)

_STORE = "filters:"  # plain session-state keys that persist across pages
_WIDGET = "filter-widget:"


@dataclass(frozen=True)
class Filters:
    wave_id: str
    country: str = ALL_COUNTRIES
    regions: tuple[str, ...] = ()
    programme_types: tuple[str, ...] = ()
    stamp: int | None = field(default=None, compare=False)
    """The store's wave stamp as this run's sidebar read it (None: not read): the page asks the
    store's other questions at it rather than querying the stamp again (issue 13)."""

    @property
    def countries(self) -> tuple[str, ...]:
        return () if self.country == ALL_COUNTRIES else (self.country,)

    @property
    def key(self) -> data.FilterKey:
        return data.FilterKey(self.wave_id, self.countries, self.regions, self.programme_types)

    @property
    def narrows_areas(self) -> bool:
        return bool(self.countries or self.regions)

    @property
    def active(self) -> bool:
        return self.narrows_areas or bool(self.programme_types)

    def describe(self) -> str:
        """The view in words, e.g. 'Wales; programme types: CAPVA'."""
        where = ", ".join(self.regions) if self.regions else self.country
        what = (
            "programme types: " + ", ".join(self.programme_types)
            if self.programme_types
            else "all programme types"
        )
        return f"{where}; {what}"


def regions_for(country: str) -> list[str]:
    return regions_in(None if country == ALL_COUNTRIES else country)


def _from_url(name: str) -> list[str]:
    return [v for v in st.query_params.get_all(name) if v]


def _initial(name: str, default: object) -> None:
    """Seed a stored filter from the URL (first run of a session) or its default."""
    if _STORE + name in st.session_state:
        return
    values = _from_url(name)
    if isinstance(default, tuple):
        st.session_state[_STORE + name] = tuple(values)
    else:
        st.session_state[_STORE + name] = values[-1] if values else default


def _keep(name: str) -> None:
    value = st.session_state[_WIDGET + name]
    st.session_state[_STORE + name] = tuple(value) if isinstance(value, list) else value


def _valid(values: Sequence[str], options: Sequence[str]) -> tuple[str, ...]:
    return tuple(v for v in values if v in options)


def sidebar() -> Filters:
    """Render the shared filters in the sidebar and return the current choice."""
    stamp = data.wave_version()
    wave_list, latest = data.wave_listing(stamp)
    wave_ids = [w.wave_id for w in wave_list]
    labels = {w.wave_id: w.title for w in wave_list}
    _initial("wave", latest)
    _initial("country", ALL_COUNTRIES)
    _initial("region", ())
    _initial("type", ())

    stored_wave = st.session_state[_STORE + "wave"]
    wave_id = stored_wave if stored_wave in wave_ids else latest
    country = st.session_state[_STORE + "country"]
    country = country if country in COUNTRIES else ALL_COUNTRIES
    region_options = regions_for(country)
    regions = _valid(st.session_state[_STORE + "region"], region_options)
    types = _valid(st.session_state[_STORE + "type"], PROGRAMME_TYPES)

    # Widgets take their value from session state (never a default as well), so that the stored
    # choice survives a change of page.
    st.session_state[_WIDGET + "wave"] = wave_id
    st.session_state[_WIDGET + "country"] = country
    st.session_state[_WIDGET + "region"] = list(regions)
    st.session_state[_WIDGET + "type"] = list(types)
    with st.sidebar:
        st.header("Filters")
        if wave_ids:
            st.selectbox(
                "Survey wave",
                wave_ids,
                format_func=lambda w: labels.get(w, w),
                key=_WIDGET + "wave",
                on_change=_keep,
                args=("wave",),
            )
        st.selectbox(
            "Country", COUNTRIES, key=_WIDGET + "country", on_change=_keep, args=("country",)
        )
        st.multiselect(
            "Region",
            region_options,
            key=_WIDGET + "region",
            on_change=_keep,
            args=("region",),
            placeholder="All regions",
        )
        st.multiselect(
            "Programme type",
            PROGRAMME_TYPES,
            key=_WIDGET + "type",
            on_change=_keep,
            args=("type",),
            placeholder="All programme types",
            help="Narrows the programmes counted; area answers stay out of all responding areas.",
        )
    chosen = Filters(
        wave_id=wave_id, country=country, regions=regions, programme_types=types, stamp=stamp
    )
    _write_url(chosen)
    for notice in _fallbacks(stored_wave, wave_id, labels, region_options):
        st.warning(notice, icon=":material/link_off:")
    return chosen


def _fallbacks(
    stored_wave: str, wave_id: str, labels: dict[str, str], region_options: Sequence[str]
) -> list[str]:
    """Plain words for each stored (URL) value that is unknown, and what is shown instead."""
    notices = []
    if stored_wave and stored_wave != wave_id:
        notices.append(
            f"No survey wave '{plain_value(stored_wave)}' is stored: showing the latest wave, "
            f"{plain_value(labels.get(wave_id, wave_id))}."
        )
    country = st.session_state[_STORE + "country"]
    if country not in COUNTRIES:
        notices.append(
            f"'{plain_value(country)}' is not a country of this survey (England or Wales): "
            "showing England and Wales."
        )
    for name, what, options in (
        ("region", "a region of this view", region_options),
        ("type", "a programme type", PROGRAMME_TYPES),
    ):
        unknown = [v for v in st.session_state[_STORE + name] if v not in options]
        if unknown:
            notices.append(
                f"'{plain_value(', '.join(unknown))}' is not {what}: ignored, so the view is "
                "not narrowed by it."
            )
    return notices


def plain_value(text: str) -> str:
    """A value from the URL, shown as text: Markdown punctuation escaped, length bounded."""
    from ui.layout import plain

    return plain(text[:80])


def _write_url(chosen: Filters) -> None:
    wanted: dict[str, str | list[str]] = {
        "wave": chosen.wave_id,
        "country": "" if chosen.country == ALL_COUNTRIES else chosen.country,
        "region": list(chosen.regions),
        "type": list(chosen.programme_types),
    }
    for name, value in wanted.items():
        if value:
            if st.query_params.get_all(name) != ([value] if isinstance(value, str) else value):
                st.query_params[name] = value
        elif name in st.query_params:
            del st.query_params[name]


def selected_area(options: Sequence[str], default: str | None = None) -> str | None:
    """The area-profile choice, seeded from `?area=` and written back to the URL."""
    _initial("area", default or "")
    stored = st.session_state[_STORE + "area"]
    value = stored if stored in options else (default if default in options else None)
    if stored and stored != value:
        st.warning(
            f"'{plain_value(stored)}' is not a force area in this view (use an ONS code such as "
            "E23000023): showing the first responding area instead.",
            icon=":material/link_off:",
        )
    return value


def peer_choice() -> tuple[PeerChoice, str]:
    """The area profile's peer group, seeded from `?peers=` (region, country, similar, all,
    chosen), and plain words when the URL named none of them."""
    _initial("peers", PeerChoice.REGION.slug)
    stored = str(st.session_state[_STORE + "peers"])
    choice = PeerChoice.from_slug(stored)
    if choice is None:
        return PeerChoice.REGION, (
            f"'{plain_value(stored)}' is not a peer group (region, country, similar, all or "
            "chosen): comparing with its region."
        )
    return choice, ""


def remember_peer_choice(choice: PeerChoice) -> None:
    st.session_state[_STORE + "peers"] = choice.slug
    _set_param("peers", "" if choice is PeerChoice.REGION else choice.slug)


def chosen_peers(options: Sequence[str]) -> tuple[str, ...]:
    """The areas chosen as peers, seeded from `?peer=` (repeatable ONS codes)."""
    _initial("peer", ())
    return _valid(st.session_state[_STORE + "peer"], options)


def remember_chosen_peers(codes: Sequence[str]) -> None:
    st.session_state[_STORE + "peer"] = tuple(codes)
    _set_param("peer", list(codes))


def search_text() -> str:
    """The programme directory's search, seeded from `?search=`."""
    _initial("search", "")
    return str(st.session_state[_STORE + "search"])


def remember_search(text: str) -> None:
    st.session_state[_STORE + "search"] = text
    _set_param("search", text.strip())


def _set_param(name: str, value: str | list[str]) -> None:
    """Write one query parameter (absent when empty), only when it changes."""
    if value:
        if st.query_params.get_all(name) != ([value] if isinstance(value, str) else value):
            st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


def remember_area(code: str | None) -> None:
    st.session_state[_STORE + "area"] = code or ""
    if code:
        if st.query_params.get("area") != code:
            st.query_params["area"] = code
    elif "area" in st.query_params:
        del st.query_params["area"]


def sourced_only() -> bool:
    """The directory's "sourced facts only" choice, seeded from `?sourced=1`."""
    _initial("sourced", "")
    return st.session_state[_STORE + "sourced"] == "1"


def remember_sourced_only(on: bool) -> None:
    """Keep the choice across pages and in the URL (`sourced=1`; absent when off)."""
    st.session_state[_STORE + "sourced"] = "1" if on else ""
    if on:
        if st.query_params.get("sourced") != "1":
            st.query_params["sourced"] = "1"
    elif "sourced" in st.query_params:
        del st.query_params["sourced"]


def compared_waves(wave_ids: Sequence[str], default: tuple[str, str]) -> tuple[str, str]:
    """The two waves compared (earlier, later), seeded from `?compare=A&compare=B`.

    Until the user picks a pair (or the URL names one), the default follows the sidebar's wave,
    and the URL carries no `compare`: a link without it reopens the same default pair."""
    _initial("compare", ())
    stored = tuple(st.session_state[_STORE + "compare"])
    if len(stored) == 2 and all(w in wave_ids for w in stored):
        return stored[0], stored[1]
    return default


def remember_compared(before: str, after: str) -> None:
    st.session_state[_STORE + "compare"] = (before, after)
    if st.query_params.get_all("compare") != [before, after]:
        st.query_params["compare"] = [before, after]
