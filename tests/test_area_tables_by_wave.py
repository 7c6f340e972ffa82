"""The area profile's tables are made once per wave (and programme-type choice), not once per
sidebar view (issue 13 point 3): ui.data gives, for every area of a narrowed view, exactly what
the domain functions give on that view itself, and a country or region change reuses them."""

from __future__ import annotations

import pandas as pd
import pytest

from landscape.model import profile
from ui import data

pytestmark = pytest.mark.usefixtures("app_store")

VIEWS = (
    {"countries": ("England",)},
    {"countries": ("Wales",)},
    {"regions": ("East of England", "North West")},
    {"countries": ("England",), "programme_types": ("Early intervention",)},
)


def _latest() -> str:
    _, latest = data.wave_listing()
    return latest


def _same(made: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        made.reset_index(drop=True), expected.reset_index(drop=True), check_exact=True
    )


@pytest.mark.parametrize("narrowing", VIEWS, ids=lambda v: "-".join(sum(v.values(), ())))
def test_every_areas_tables_in_a_narrowed_view_are_those_of_the_view_itself(narrowing):
    key = data.FilterKey(_latest(), **narrowing)
    view = data.filtered(key)
    choices = profile.area_choices(view)
    assert choices.codes
    for code in choices.codes:
        _same(data.area_answers(key, code), profile.area_answers(view, code))
        _same(data.area_programmes(key, code), profile.area_programmes(view, code))
        _same(data.area_programme_answers(key, code), profile.area_programme_answers(view, code))
        if not choices.responded(code):
            continue
        _same(data.similarity_table(key, code), _old_similarity_table(view, code))
        for wanted in profile.PeerChoice:
            picked = tuple(choices.other_respondents(code)[:3])  # hashable, as the page's
            group = data.peer_group(key, code, wanted, picked)
            expected = profile.peer_group(view, code, wanted, choices.other_respondents(code)[:3])
            assert group == expected
            made = data.area_profile(key, code, group.peers)
            shown = profile.area_profile(view, code, group.peers)
            assert (made.programmes, made.has, made.lacks) == (
                shown.programmes,
                shown.has,
                shown.lacks,
            )
            assert made.peer_median == shown.peer_median or (
                made.peer_median != made.peer_median and shown.peer_median != shown.peer_median
            )
            _same(made.comparison, shown.comparison)
            _same(made.ranked, shown.ranked)


def _old_similarity_table(view, code: str) -> pd.DataFrame:
    """The table as it was made before the wave's distance matrix: one pair at a time."""
    features = profile.breakdowns.area_features(view)
    names = view.areas["display_name"]
    ranked = sorted(
        (round(profile.jaccard_distance(view, code, other), 9), str(names[other]), str(other))
        for other in features.index
        if other != code
    )[: profile.SIMILAR_COUNT]
    return pd.DataFrame(
        {
            "area": [profile.area_name(view, c) for _, _, c in ranked],
            "region": [str(view.areas.at[c, "region"]) for _, _, c in ranked],
            "jaccard_distance": [
                round(profile.jaccard_distance(view, code, c), 3) for *_, c in ranked
            ],
        }
    )


def test_a_country_change_that_keeps_the_area_reuses_its_tables():
    wave = _latest()
    code = "E23000023"  # Cambridgeshire, in England
    whole, england = data.FilterKey(wave), data.FilterKey(wave, countries=("England",))
    assert data.area_programmes(england, code) is data.area_programmes(whole, code)
    assert data.area_answers(england, code) is data.area_answers(whole, code)
    assert data.area_programme_answers(england, code) is data.area_programme_answers(whole, code)
    peers = data.peer_group(england, code, profile.PeerChoice.REGION).peers
    assert data.area_profile(england, code, peers) is data.area_profile(whole, code, peers)
    assert data.ranked_charts(england, code, peers) is data.ranked_charts(whole, code, peers)


@pytest.mark.parametrize("page, query", [("about", {}), ("area", {"area": "E23000023"})])
def test_a_rerun_labels_and_converts_none_of_the_pages_tables_again(monkeypatch, page, query):
    """About's tables and the area profile's are shared cached objects, so layout.data_table
    labels and converts each once (issue 13): a rerun with nothing changed builds no table."""
    from tests.app_support import open_page, tables_shown
    from ui import layout

    at = open_page(page, **query)
    at.run()
    built: list[int] = []
    real = layout.labelled

    def counting(frame: pd.DataFrame) -> pd.DataFrame:
        built.append(len(frame))
        return real(frame)

    monkeypatch.setattr(layout, "labelled", counting)
    at.run()
    assert not at.exception
    assert len(tables_shown(at)) >= 4
    assert built == []
