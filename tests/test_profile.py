"""The area profile's domain: the areas offered, peers, the peer median, has / lacks, programmes."""

import math

import pytest

from landscape.model import breakdowns, profile
from landscape.model.landscape import Landscape, build_landscape
from landscape.model.profile import PeerChoice
from tests.builders import minimal_survey

CAMBRIDGESHIRE, ESSEX, CUMBRIA, SURREY = "E23000023", "E23000028", "E23000002", "E23000029"


@pytest.fixture(scope="module")
def small() -> Landscape:
    return build_landscape(minimal_survey())


def test_area_choices_offer_every_area_and_start_with_a_respondent(small):
    choices = profile.area_choices(small)
    assert len(choices.codes) == 43
    assert set(choices.responding) == {CAMBRIDGESHIRE, ESSEX, CUMBRIA}
    assert choices.default == choices.responding[0]
    assert choices.name(ESSEX) == "Essex"
    assert not choices.responded(SURREY)
    assert choices.other_respondents(ESSEX) == [c for c in choices.responding if c != ESSEX]


def test_area_choices_of_an_empty_view_have_no_default(small):
    empty = small.filter(regions=["Nowhere"])
    assert profile.area_choices(empty).default is None


def test_peers_are_the_region_or_every_other_respondent(small):
    assert profile.peers_for(small, ESSEX, PeerChoice.REGION) == [CAMBRIDGESHIRE]
    assert profile.peers_for(small, ESSEX, PeerChoice.CHOSEN) == [CAMBRIDGESHIRE]
    assert set(profile.peers_for(small, ESSEX, PeerChoice.ALL_RESPONDING)) == {
        CAMBRIDGESHIRE,
        CUMBRIA,
    }


def test_area_profile_counts_programmes_and_takes_the_peer_median(small):
    shown = profile.area_profile(small, ESSEX, (CAMBRIDGESHIRE, CUMBRIA))
    assert shown.programmes == 1
    assert shown.peer_median == 1.5  # Cambridgeshire 2, Cumbria 1
    order = list(breakdowns.ranked_feature_counts(small)["area_code"])
    peers_in_order = [c for c in order if c in {CAMBRIDGESHIRE, CUMBRIA}]
    assert list(shown.ranked["area_code"]) == [ESSEX, *peers_in_order]  # the area first
    comparison = breakdowns.peer_comparison(small, ESSEX, (CAMBRIDGESHIRE, CUMBRIA))
    assert shown.has == tuple(
        comparison.loc[comparison["difference"] == profile.AREA_HAS, "feature"]
    )
    assert "Programme type: DA (any, incl. out-of-court)" not in shown.lacks  # Essex has one
    assert "Has an accredited programme" not in shown.lacks  # Respect


def test_has_and_lacks_say_what_most_peers_have_or_lack(small):
    shown = profile.area_profile(small, CAMBRIDGESHIRE, (ESSEX, CUMBRIA))
    assert "Specialist non-DA stalking programme" in shown.has
    # Cambridgeshire's DA programmes are out-of-court: DA programmes all the same (issue 18)
    assert "Programme type: DA (any, incl. out-of-court)" not in shown.lacks


def test_without_peers_the_median_is_nan_and_nothing_differs(small):
    shown = profile.area_profile(small, ESSEX, ())
    assert math.isnan(shown.peer_median)
    assert shown.has == shown.lacks == ()
    assert list(shown.ranked["area_code"]) == [ESSEX]


def test_ranked_rows_keep_the_ranking_order(small):
    rows = profile.ranked_rows(small, CUMBRIA, (CAMBRIDGESHIRE,))
    counts = breakdowns.ranked_feature_counts(small)
    expected = [c for c in counts["area_code"] if c in {CUMBRIA, CAMBRIDGESHIRE}]
    assert list(rows["area_code"]) == expected
    assert set(profile.RANKED_MEASURES) <= set(counts.columns)


def test_area_programmes_are_the_area_s_directory_rows(small):
    rows = profile.area_programmes(small, CAMBRIDGESHIRE)
    assert list(rows["Programme"]) == ["StepWise", "Stalking intervention team"]
    assert set(rows["Area"]) == {"Cambridgeshire"}
    assert profile.area_programmes(small, SURREY).empty


def test_area_fund_is_recorded_for_a_non_respondent(small):
    fund = profile.area_fund(small, SURREY)
    assert list(fund["area_code"]) == [SURREY]


def test_in_view_and_stalking_category_of_one_area(small):
    assert profile.in_view(small, ESSEX)
    assert not profile.in_view(small.filter(countries=["Wales"]), ESSEX)
    assert profile.stalking_category_of(small, CAMBRIDGESHIRE) == breakdowns.STALKING_NON_DA
    assert profile.stalking_category_of(small, SURREY) == breakdowns.DID_NOT_RESPOND
    assert profile.area_name(small, CUMBRIA) == "Cumbria"


def test_regions_in_a_country_keep_the_reference_order():
    from landscape.model.views import regions_in

    assert regions_in("Wales") == ["Wales"]
    england = regions_in("England")
    assert "Wales" not in england and len(england) == 9
    assert set(regions_in()) == {*england, "Wales"}
