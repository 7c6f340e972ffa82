"""Peers that mean something: groups with responding peers, a stated similarity measure, the
disclosure rule for small numbers, and the peer choice, chosen peers and search in the URL."""

from __future__ import annotations

import pytest

from landscape.model import breakdowns, profile
from landscape.model.profile import PeerChoice
from tests.app_support import open_page, tables_shown
from ui import registry, router

pytestmark = pytest.mark.usefixtures("app_store")

MET, CAMBRIDGESHIRE, ESSEX, CUMBRIA = "E23000001", "E23000023", "E23000028", "E23000002"


def texts(elements) -> list[str]:
    return [str(e.value) for e in elements]


# --- the domain ---------------------------------------------------------------------------------


def test_a_region_without_responding_peers_falls_back_to_the_country_and_says_so(bundled):
    assert profile.peers_for(bundled, MET, PeerChoice.REGION) == []
    group = profile.peer_group(bundled, MET, PeerChoice.REGION)
    assert group.used is PeerChoice.COUNTRY and group.wanted is PeerChoice.REGION
    england = bundled.areas[
        (bundled.areas["country"] == "England") & bundled.areas["responded"].astype(bool)
    ]
    assert set(group.peers) == set(england.index) - {MET}
    assert group.note == (
        "No other area in its region (London) responded in this view, so Metropolitan Police is "
        f"compared with its country (England) instead ({len(england) - 1} areas)."
    )


def test_a_group_with_peers_is_used_as_asked_without_a_note(bundled):
    group = profile.peer_group(bundled, CAMBRIDGESHIRE, PeerChoice.REGION)
    assert group.used is PeerChoice.REGION and not group.note
    assert group.description == "its region (East of England)"
    assert CAMBRIDGESHIRE not in group.peers and len(group.peers) >= 1


def test_no_chosen_peers_says_so_and_uses_the_region(bundled):
    group = profile.peer_group(bundled, CAMBRIDGESHIRE, PeerChoice.CHOSEN, ())
    assert group.used is PeerChoice.REGION
    assert group.note.startswith("No peer areas are chosen yet, so Cambridgeshire is compared")
    chosen = profile.peer_group(bundled, CAMBRIDGESHIRE, PeerChoice.CHOSEN, (ESSEX, "E23000034"))
    assert chosen.peers == (ESSEX,)  # City of London did not respond: never a peer


def _jaccard(a, b) -> float:
    either = sum(x or y for x, y in zip(a, b, strict=True))
    both = sum(x and y for x, y in zip(a, b, strict=True))
    return 1 - both / either if either else 0.0


def test_most_similar_areas_are_the_five_nearest_by_jaccard_distance_ties_by_name(bundled):
    features = breakdowns.area_features(bundled)
    own = list(features.loc[CAMBRIDGESHIRE])
    names = bundled.areas["display_name"]
    expected = sorted(
        (round(_jaccard(own, list(features.loc[c])), 9), names[c], c)
        for c in features.index
        if c != CAMBRIDGESHIRE
    )[:5]
    assert profile.similar_areas(bundled, CAMBRIDGESHIRE) == [c for _, _, c in expected]
    assert profile.peers_for(bundled, CAMBRIDGESHIRE, PeerChoice.SIMILAR) == [
        c for _, _, c in expected
    ]
    table = profile.similarity_table(bundled, CAMBRIDGESHIRE)
    assert list(table["area"]) == [n for _, n, _ in expected]
    assert list(table["jaccard_distance"]) == sorted(table["jaccard_distance"])
    assert "Jaccard distance" in profile.SIMILARITY_METHOD


def test_peer_choices_round_trip_through_their_url_slugs():
    assert [c.slug for c in PeerChoice] == ["region", "country", "similar", "all", "chosen"]
    assert all(PeerChoice.from_slug(c.slug) is c for c in PeerChoice)
    assert PeerChoice.from_slug("nonsense") is None


def test_a_peer_share_of_fewer_than_three_areas_is_a_count_without_a_percentage(bundled):
    assert breakdowns.peer_share_label(2, 2) == "2 of 2 peers (count only: fewer than 3)"
    assert breakdowns.peer_share_label(1, 3) == "1 of 3 (33%)"
    assert breakdowns.peer_share_label(0, 0) == "No peers to compare with"
    small = breakdowns.peer_comparison(bundled, CAMBRIDGESHIRE, [ESSEX, CUMBRIA])
    assert not small["peer_label"].str.contains("%").any()
    assert small["peer_label"].str.endswith("(count only: fewer than 3)").all()
    wide = breakdowns.peer_comparison(
        bundled, MET, profile.peers_for(bundled, MET, PeerChoice.ALL_RESPONDING)
    )
    assert wide["peer_label"].str.contains("%").all()


# --- the page -----------------------------------------------------------------------------------


def test_the_area_profile_opens_on_peers_and_never_on_0_of_0():
    at = open_page("area")
    title = at.title[0].value
    assert title.startswith("Metropolitan Police commissions") and "peer median" in title
    notes = texts(at.info)
    assert any("No other area in its region (London) responded" in n for n in notes), notes
    table = next(d for d in tables_shown(at) if "Peers with it" in d.columns)
    assert not table["Peers with it"].str.startswith("0 of 0").any()


def test_the_peer_group_and_chosen_peers_live_in_the_url():
    at = open_page("area", area=CAMBRIDGESHIRE, peers="all")
    assert at.radio(key="area-peer-mode").value == "All responding areas"
    assert any("compared with 32 peer areas" in c for c in texts(at.caption))
    at.radio(key="area-peer-mode").set_value("Most similar areas").run()
    assert at.query_params["peers"] == "similar"
    assert any("Jaccard distance" in c for c in texts(at.caption))

    chosen = open_page("area", area=CAMBRIDGESHIRE, peers="chosen", peer=[ESSEX, CUMBRIA])
    assert chosen.multiselect(key="area-peers").value == [ESSEX, CUMBRIA]
    assert any(
        "compared with 2 peer areas: the areas you chose" in c for c in texts(chosen.caption)
    )
    assert list(chosen.query_params["peer"]) == [ESSEX, CUMBRIA]
    table = next(d for d in tables_shown(chosen) if "Peers with it" in d.columns)
    assert table["Peers with it"].str.endswith("(count only: fewer than 3)").all()


def test_unknown_area_wave_and_peer_group_in_a_link_say_what_was_shown_instead():
    at = open_page("area", area="NOWHERE", wave="99", peers="friends")
    warnings = " ".join(texts(at.warning))
    assert "No survey wave '99' is stored: showing the latest wave" in warnings
    assert "'NOWHERE' is not a force area in this view" in warnings
    assert "'friends' is not a peer group" in warnings
    assert at.query_params["wave"] != "99"


def test_an_unknown_region_or_type_in_a_link_is_named_and_ignored():
    at = open_page("overview", region="Atlantis", type="Juggling")
    warnings = " ".join(texts(at.warning))
    assert "'Atlantis' is not a region of this view" in warnings
    assert "'Juggling' is not a programme type" in warnings


def test_an_unknown_country_in_a_link_is_named_and_england_and_wales_shown():
    at = open_page("availability", country="Scotland")
    warnings = texts(at.warning)
    assert (
        "'Scotland' is not a country of this survey (England or Wales): "
        "showing England and Wales." in warnings
    ), warnings
    assert at.selectbox(key="filter-widget:country").value == "England and Wales"
    assert "country" not in at.query_params  # the link is rewritten to what is shown
    assert any("View: England and Wales" in c for c in texts(at.caption)), texts(at.caption)


def test_an_unknown_page_address_is_named_with_the_page_shown_instead():
    assert router.unknown_page_notice("nowhere", "Overview") == (
        "There is no page '/nowhere' in this dashboard: showing Overview instead."
    )
    assert router.unknown_page_notice("/a_b*", "Overview") == (
        "There is no page '/a\\_b\\*' in this dashboard: showing Overview instead."
    )
    for known in ["", "/", *(spec.url_path for spec in registry.PAGES)]:
        assert router.unknown_page_notice(known, "Overview") is None, known
    # the browser half (Streamlit's page intent read from a real address):
    # tests/test_browser_pages.py::test_an_unknown_page_address_says_which_page_is_shown


def test_the_directory_search_lives_in_the_url():
    at = open_page("directory", search="cara")
    assert at.text_input(key="directory-search").value == "cara"
    table = tables_shown(at)[0]
    assert len(table) >= 1
    at.text_input(key="directory-search").input("respect").run()
    assert at.query_params["search"] == "respect"


def test_the_about_page_writes_the_disclosure_rule_and_similarity_method():
    at = open_page("about")
    markdown = " ".join(texts(at.markdown))
    assert "fewer than 3 areas or programmes is shown as a count" in markdown
    assert "Jaccard distance" in markdown


def test_a_non_responding_areas_fund_table_has_a_heading():
    at = open_page("area", area="E23000034")  # City of London did not respond
    assert "Home Office fund 2023-25" in texts(at.subheader)
    fund = tables_shown(at)[0]
    assert "Status" in fund.columns and "status" not in fund.columns


def test_an_area_outside_the_view_has_no_peers_and_no_error(bundled):
    wales = bundled.filter(countries=["Wales"])
    group = profile.peer_group(wales, CAMBRIDGESHIRE, PeerChoice.COUNTRY)
    assert group.peers == () and group.description == "its country"
    assert profile.similar_areas(wales, CAMBRIDGESHIRE) == []
