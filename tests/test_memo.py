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


def test_what_reads_end_dates_against_today_moves_on_at_midnight(bundled, monkeypatch):
    """The bundled wave records no survey date, so its end dates are read against today: a
    server running past midnight must not keep the day it started on."""
    import datetime

    monkeypatch.setattr(data, "filtered", lambda key: bundled)
    st.cache_resource.clear()
    key = data.FilterKey("w")
    monkeypatch.setattr(data, "today", lambda: datetime.date(2025, 1, 1))
    before = data.funding_already_ended(key)
    cliff = data.funding_cliff(key, "T")
    assert data.funding_already_ended(key) is before and data.funding_cliff(key, "T") is cliff
    monkeypatch.setattr(data, "today", lambda: datetime.date(2027, 1, 1))
    after = data.funding_already_ended(key)
    assert (before.on, after.on) == (datetime.date(2025, 1, 1), datetime.date(2027, 1, 1))
    assert after.ended > before.ended
    later = data.funding_cliff(key, "T").table
    assert later["ended"].sum() > cliff.table["ended"].sum()
