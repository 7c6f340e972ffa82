"""ui.memo: the facade's per-view results are kept by their arguments, shared, bounded, and
forgotten whenever Streamlit's caches are cleared (as tests and a restart do)."""

from __future__ import annotations

import pytest
import streamlit as st

from ui import data
from ui.memo import memo

calls: list[tuple[object, ...]] = []


@memo(2)
def _doubled(value: int, *, label: str = "") -> list[int]:
    calls.append((value, label))
    return [value * 2]


def _fresh() -> None:
    calls.clear()
    st.cache_resource.clear()


def test_a_result_is_made_once_per_arguments_and_shared():
    _fresh()
    first = _doubled(1)
    assert _doubled(1) is first  # the same object: what is sent of it is made once (ui.layout)
    assert _doubled(1, label="a") == [2] and _doubled(1, label="a") is not first
    assert calls == [(1, ""), (1, "a")]


def test_the_oldest_arguments_are_dropped_past_max_entries():
    _fresh()
    _doubled(1)
    _doubled(2)
    _doubled(1)  # 1 is now the newest
    _doubled(3)  # drops 2, the least recently used
    _doubled(1)
    _doubled(2)
    assert calls == [(1, ""), (2, ""), (3, ""), (2, "")]


def test_clearing_either_streamlit_cache_forgets_every_result():
    _fresh()
    first = _doubled(5)
    st.cache_data.clear()
    second = _doubled(5)
    st.cache_resource.clear()
    third = _doubled(5)
    assert first == second == third == [10]
    assert second is not first and third is not second
    assert calls == [(5, "")] * 3


def test_clear_forgets_one_functions_results():
    _fresh()
    first = _doubled(7)
    _doubled.clear()
    assert _doubled(7) is not first and len(calls) == 2


def test_an_error_is_not_kept():
    attempts: list[int] = []

    @memo(4)
    def fails_once(value: int) -> int:
        attempts.append(value)
        if len(attempts) == 1:
            raise RuntimeError("store unavailable")
        return value

    st.cache_resource.clear()
    with pytest.raises(RuntimeError):
        fails_once(1)
    assert fails_once(1) == 1 and attempts == [1, 1]


def test_the_facade_shares_a_views_results_until_the_caches_are_cleared(bundled, monkeypatch):
    monkeypatch.setattr(data, "filtered", lambda key: bundled)
    st.cache_resource.clear()
    key = data.FilterKey("w", countries=("England",))
    table = data.funding_sources_by_area(key)
    assert data.funding_sources_by_area(key) is table
    assert data.funding_sources_by_area(data.FilterKey("w")) is not table
    st.cache_data.clear()
    assert data.funding_sources_by_area(key) is not table


def test_what_reads_end_dates_does_not_move_with_the_clock(bundled, monkeypatch):
    """End dates are read against the wave's own reference date (the bundled wave: the report's,
    7 March 2025), never today: a server running past midnight, or a year on, shows the same."""
    import datetime
    import types

    from landscape.model import breakdowns, findings, reference_date
    from landscape.model.wave_kind import SEED_KIND

    class _Tomorrow(datetime.date):
        @classmethod
        def today(cls) -> datetime.date:
            return datetime.date(2031, 1, 1)

    clock = types.SimpleNamespace(date=_Tomorrow, datetime=datetime.datetime)
    wave = data.Wave("w", "W", None, 1, None, None, None, True, None, "illustrative", "apcc-2025")
    assert wave.wave_kind == SEED_KIND
    monkeypatch.setattr(data, "filtered", lambda key: bundled)
    monkeypatch.setattr(data, "wave_by_id", lambda wave_id: wave)
    st.cache_resource.clear()
    key = data.FilterKey("w")
    before = data.funding_already_ended(key)
    cliff = data.funding_cliff(key, "T")
    assert (before.on, before.basis) == (datetime.date(2025, 3, 7), "the report's date")
    for module in (data, breakdowns, findings, reference_date):
        monkeypatch.setattr(module, "datetime", clock, raising=False)
    st.cache_resource.clear()
    after = data.funding_already_ended(key)
    assert (after.on, after.ended, after.sentence) == (before.on, before.ended, before.sentence)
    later = data.funding_cliff(key, "T").table
    assert later["ended"].tolist() == cliff.table["ended"].tolist() == [1, 0, 0, 0, 0]
    assert not hasattr(data, "today")
