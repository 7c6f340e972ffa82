"""Every page under AppTest: default data, filters, URL state, numbers shown = measures."""

from __future__ import annotations

import datetime
import html
import re

import pytest
import streamlit as st

from landscape.labels import column_label
from landscape.model import breakdowns, profile
from landscape.model.landscape import Landscape
from landscape.model.measures import ALL_MEASURES, MEASURES
from landscape.model.published import check_figures
from tests.app_support import PAGES, open_page, picture_words, pictures_drawn, tables_shown
from tests.builders import minimal_survey
from tests.store_support import bundled_model
from ui.layout import plain

# A store of this module's own (seeded with the bundled wave) and cold caches: tests/conftest.py
pytestmark = pytest.mark.usefixtures("app_store")


def bundled() -> Landscape:
    return bundled_model()


def texts(elements) -> list[str]:
    return [str(e.value) for e in elements]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_a_title_banner_source_and_table(page):
    at = open_page(page)
    assert len(at.title) == 1 and at.title[0].value
    assert any("Illustrative data" in w for w in texts(at.warning)), "banner missing"
    assert any(c.startswith("Source:") for c in texts(at.caption)), "source note missing"
    assert tables_shown(at), "no table alternative"
    assert len(at.get("download_button")) >= 2


def test_overview_metrics_equal_the_model_measures():
    at = open_page("overview")
    model = bundled()
    shown = {m.label: m.value for m in at.metric}
    labels = {
        "respondents": "Responded to the survey",
        "co_commissioning": "Co-commission with partners",
        "accredited_share": "Programmes accredited",
        "evaluation_any": "Evaluated or plan evaluation",
        "early_intervention_share": "Programmes for early intervention",
    }
    captions = texts(at.caption)
    for figure_id, label in labels.items():
        figure = MEASURES[figure_id](model)
        # one format on every card of the row: the count, its base and the percentage
        assert shown[label] == breakdowns.share_label(figure.numerator, figure.denominator)
        assert figure.text in captions  # the count always beside the percentage
    assert shown["Co-commission with partners"] == "17 of 33 (52%)"
    assert "17 of 33 responding areas (52%)" in captions
    assert shown["Evaluated or plan evaluation"] == "26 of 33 (79%)"
    assert len(shown) == 10
    da = MEASURES["da_programmes"](model)
    non_da = MEASURES["stalking_non_da"](model)
    assert at.title[0].value.startswith(
        f"{da.numerator:.0f} of {da.denominator:.0f} responding areas commission DA"
    )
    assert f"only {non_da.numerator:.0f} commission a stalking programme" in at.title[0].value


def test_overview_marks_the_reports_76_percent_as_differing_with_its_note():
    at = open_page("overview")
    marks = texts(at.markdown)
    assert "APCC report: 76% · ⚠ **differs** from the computed value" in marks
    assert "APCC report: 52% · ✓ matches" in marks
    note = check_figures(bundled()).set_index("id").loc["evaluation_any_percent", "note"]
    assert note in texts(at.caption)


def test_filters_are_written_to_the_url_and_read_back_from_it():
    at = open_page("overview", country="Wales", type=["DA", "DA: out-of-court (e.g. CARA)"])
    assert at.selectbox(key="filter-widget:country").value == "Wales"
    assert at.multiselect(key="filter-widget:type").value == ["DA", "DA: out-of-court (e.g. CARA)"]
    assert at.query_params["country"] == "Wales"
    assert at.query_params["type"] == ["DA", "DA: out-of-court (e.g. CARA)"]
    assert "wave" in at.query_params
    at.selectbox(key="filter-widget:country").set_value("England").run()
    assert at.query_params["country"] == "England"
    # the comparison with the published figures only makes sense unfiltered
    assert any("clear the sidebar filters" in i for i in texts(at.info))


def test_filters_survive_a_change_of_page():
    at = open_page("overview", country="Wales")
    at.switch_page("pages/directory.py").run()
    assert at.selectbox(key="filter-widget:country").value == "Wales"
    wales = bundled().filter(countries=["Wales"])
    assert at.title[0].value.startswith(f"{len(wales.programmes)} of {len(wales.programmes)}")


def test_a_filter_leaving_no_programmes_says_so_on_every_page():
    # Wales commissions no CAPVA programme in the bundled wave
    for page in PAGES:
        at = open_page(page, country="Wales", type="CAPVA")
        if page in {"availability", "accreditation", "directory"}:
            assert any("Nothing to show" in i for i in texts(at.info)), page


def test_availability_title_states_the_risk_and_early_intervention_shares():
    at = open_page("availability")
    model = bundled()
    early = MEASURES["early_intervention_share"](model)
    high = breakdowns.programme_choice_shares(model, "risk_levels").set_index("answer")
    assert at.title[0].value.startswith(high.loc["High", "label"])
    assert f"only {early.numerator:.0f} of {early.denominator:.0f} (17%)" in at.title[0].value


def test_stalking_page_states_the_gap_in_words_and_draws_the_map():
    at = open_page("stalking")
    gap = breakdowns.stalking_gap(bundled())
    assert at.title[0].value == (
        f"{gap.without_specialist_non_da} of 33 responding areas (64%) have no specialist non-DA "
        f"stalking programme; {gap.did_not_respond} of 43 force areas did not respond"
    )
    assert gap.did_not_respond == 10
    assert len(_maps_drawn(at)) == 1
    # the two bar charts, drawn as HTML from their figures (landscape.figures.picture)
    assert len([m for m in at.markdown if "landscape-bars" in str(m.value)]) == 2


def _legend(at) -> list[str]:
    """The map's key entries, as drawn in its markup."""
    (markup,) = _maps_drawn(at)
    entries = re.findall(r'<li class="landscape-map-key-entry"[^>]*>(.*?)</li>', markup)
    return [html.unescape(entry.rsplit(">", 1)[1]) for entry in entries]


def test_stalking_page_counts_out_of_the_33_responding_areas_as_the_overview_does():
    at = open_page("stalking")
    model = bundled()
    gap_measure = ALL_MEASURES["stalking_non_da_gap"](model)
    non_da = MEASURES["stalking_non_da"](model)
    assert (non_da.text, gap_measure.text) == (
        "12 of 33 responding areas (36%)",
        "21 of 33 responding areas (64%)",
    )
    body = texts(at.markdown)
    assert (
        f"{non_da.text} commission a specialist programme for stalking unrelated to DA; "
        f"{gap_measure.text} do not; 10 did not respond (unknown, not none)."
    ) in body
    # the categories chart and its table: every provision category out of the 33, the 10
    # non-respondents counted apart, never "of 43"
    table = next(d for d in tables_shown(at) if "Category" in d.columns)
    shares = table.set_index("Category")["Share"].to_dict()
    assert shares == {
        "Specialist non-DA programme": "12 of 33 (36%)",
        "Specialist DA-related only": "6 of 33 (18%)",
        "Within DA programmes only": "6 of 33 (18%)",
        "No stalking provision": "9 of 33 (27%)",
        "Did not respond": "10 (not in the base of 33)",
    }
    assert set(table["Responding areas"]) == {33}
    assert not any(" of 43 (" in v for v in shares.values())
    # the map: non-respondents drawn as their own category, the key counting what is drawn
    assert _legend(at) == [
        "Specialist non-DA programme (12)",
        "Specialist DA-related only (6)",
        "Within DA programmes only (6)",
        "No stalking provision (9)",
        "Did not respond (10)",
    ]
    # the map's description opens with the domain's finding
    finding = breakdowns.stalking_gap(model).headline
    assert any(m.replace("\\", "").startswith(f"{finding}. Chart (map). Key: ") for m in body)


def test_a_filtered_stalking_page_counts_the_responding_areas_in_the_filter():
    at = open_page("stalking", region="North West")
    assert at.title[0].value == (
        "3 of 5 responding areas (60%) have no specialist non-DA stalking programme; "
        "0 of 5 force areas did not respond"
    )
    table = next(d for d in tables_shown(at) if "Category" in d.columns)
    assert set(table["Responding areas"]) == {5}
    assert table.set_index("Category").loc["Specialist non-DA programme", "Share"] == (
        "2 of 5 (40%)"
    )
    # only what is drawn in the view is keyed: no "(0)" entries, then the areas outside it
    assert _legend(at) == [
        "Specialist non-DA programme (2)",
        "Specialist DA-related only (2)",
        "Within DA programmes only (1)",
        "Outside this view (38)",
    ]


def test_accreditation_title_states_the_accredited_share_and_its_denominator():
    at = open_page("accreditation")
    figure = MEASURES["accredited_share"](bundled())
    assert at.title[0].value == f"{figure.text} are accredited"
    assert any("the report's base" in c for c in texts(at.caption))


def test_directory_search_narrows_the_table():
    at = open_page("directory")
    at.text_input(key="directory-search").input("CARA").run()
    table = tables_shown(at)[0]
    assert len(table) >= 1
    assert all("cara" in " ".join(map(str, row)).casefold() for row in table.itertuples())
    at.text_input(key="directory-search").input("zzzz no such programme").run()
    assert any("Nothing to show" in i for i in texts(at.info))


def test_area_page_opens_on_the_area_in_the_url():
    at = open_page("area", area="E23000023")
    assert at.selectbox(key="area-widget").value == "E23000023"
    assert at.title[0].value.startswith("Cambridgeshire commissions")
    assert at.query_params["area"] == "E23000023"
    model = bundled()
    count = int((model.programmes["area_code"] == "E23000023").sum())
    assert f"commissions {count} programmes" in at.title[0].value


def test_area_page_says_plainly_when_an_area_did_not_respond():
    at = open_page("area", area="E23000034")  # City of London
    assert at.title[0].value == "City of London did not respond to this survey wave"
    assert any("not counted as having no provision" in w for w in texts(at.warning))


def test_area_page_peer_choice_changes_the_comparison():
    at = open_page("area", area="E23000023")
    at.radio(key="area-peer-mode").set_value("All responding areas").run()
    assert any("compared with 32 peer areas" in c for c in texts(at.caption))


def test_about_page_shows_the_figure_check_dictionary_waves_and_licences():
    at = open_page("about")
    tables = tables_shown(at)
    label = column_label  # the page shows each column under its label
    check = next(t for t in tables if {label("matches"), label("published")} <= set(t.columns))
    matches = check.set_index(label("id")).loc["evaluation_any_percent", label("matches")]
    assert matches == "No"  # a false check is shown as No
    dictionary = {label("sheet"), label("column"), label("allowed_values")}
    assert any(dictionary <= set(t.columns) for t in tables)
    waves = next(t for t in tables if label("sha256") in t.columns)
    assert len(waves) >= 1 and waves[label("sha256")].str.len().eq(64).all()
    body = " ".join(texts(at.markdown))
    assert "Open Government Licence v3.0" in body
    assert "Contains OS data © Crown copyright and database right" in body


class _MinimalSource:
    """A one-wave source holding tests.builders.minimal_survey (3 respondents, no Welsh one)."""

    def list_waves(self):
        from ui.data import Wave

        return [
            Wave(
                "tiny", "Tiny test wave", datetime.date(2025, 1, 1), 1, "test", None, "0" * 64, True
            )
        ]

    def load_survey(self, wave_id):
        return minimal_survey()


def test_a_region_with_no_respondents_says_so(monkeypatch):
    import ui.data

    monkeypatch.setattr(ui.data, "_wave_source", _MinimalSource)
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        for page in ("overview", "funding", "victims"):
            at = open_page(page, country="Wales")
            assert at.title[0].value == "No responding areas in this view", page
            assert any("Nothing to show" in i for i in texts(at.info)), page
        at = open_page("stalking", country="Wales")
        assert at.title[0].value.endswith("; 4 of 4 force areas did not respond")
        at = open_page("area", country="Wales")
        assert at.title[0].value.endswith("did not respond to this survey wave")
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


def test_victims_and_funding_titles_state_the_measures():
    model = bundled()
    at = open_page("victims")
    assert at.title[0].value.startswith(
        f"{MEASURES['marac'](model).text} use MARAC to manage perpetrator risk"
    )
    at = open_page("funding")
    fund = MEASURES["ho_fund_respondents"](model)
    assert at.title[0].value.startswith(f"{fund.text} received the Home Office perpetrator fund")
    assert fund.text == "25 of 33 responding areas (76%)"


def _maps_drawn(at) -> list[str]:
    return [
        str(m.value) for m in at.markdown if 'class="landscape-picture landscape-map"' in m.value
    ]


def test_stalking_map_switches_to_tiles_and_only_the_view_shown_is_drawn():
    at = open_page("stalking")
    (geographic,) = _maps_drawn(at)
    assert 'data-view="geographic"' in geographic and "landscape-map-tile" not in geographic
    assert not at.get("plotly_chart")  # the page's figures need no plotly in the browser
    at.get("button_group")[0].set_value("Tiles").run()
    assert not at.exception
    (tiles,) = _maps_drawn(at)
    assert 'data-view="tiles"' in tiles and 'id="area-' not in tiles
    assert not at.get("plotly_chart")


def test_area_page_lists_what_the_area_has_and_lacks_beside_its_peers():
    at = open_page("area", area="E23000023")  # Cambridgeshire, compared with its region
    model = bundled()
    peers = profile.peers_for(model, "E23000023", profile.PeerChoice.REGION)
    shown = profile.area_profile(model, "E23000023", tuple(peers))
    subheaders = texts(at.subheader)
    assert "What Cambridgeshire has that most peers lack" in subheaders
    assert "What most peers have that Cambridgeshire lacks" in subheaders
    has = "\n".join(f"- {plain(f)}" for f in shown.has) or "Nothing that most peers lack\\."
    lacks = "\n".join(f"- {plain(f)}" for f in shown.lacks) or "Nothing that most peers have\\."
    assert shown.has or shown.lacks  # a list is drawn
    listed = [m.value for m in at.markdown]
    assert listed[listed.index(has) + 1] == lacks  # each side one list, beside the other


def test_funding_page_reads_end_dates_as_of_the_reports_date_and_labels_their_kind():
    # the bundled wave is tied to the report: its end dates are read as of 7 March 2025, the
    # report's date, whatever day it is (issue 18)
    cliff = breakdowns.funding_cliff(bundled(), datetime.date(2025, 3, 7))
    ended = int(cliff["ended"].sum())
    ahead = int(cliff["programmes"].sum()) - ended
    assert (ended, ahead) == (1, 209)
    at = open_page("funding")
    cliff_picture = next(
        p for p in pictures_drawn(at, "landscape-bars") if "Ended (" in p or "Ahead (" in p
    )
    assert picture_words(cliff_picture)[-2:] == ["Ended (1)", "Ahead (209)"]
    sentence = (
        "As of 7 March 2025, the report's date, 1 of 210 (<1%) programmes had a funding end date "
        "already past (the end dates are Illustrative (209) and Sourced (1))"
    )
    assert any(m.startswith(sentence) for m in texts(at.markdown))
    table = next(d for d in tables_shown(at) if "Quarter funding ends" in d.columns)
    assert table.set_index("Quarter funding ends").loc["2023 Q1 (Jan-Mar)", "Status"] == "Ended"
    assert table.set_index("Quarter funding ends").loc["2025 Q1 (Jan-Mar)", "Status"] == "Ahead"
    assert int(table["Programmes ended (before the reference date)"].sum()) == ended
    fund = next(d for d in tables_shown(at) if "Status" in d.columns and "Provenance" in d.columns)
    assert fund.set_index("Force area").loc["Cambridgeshire", "Provenance"].startswith("Sourced (")
    assert set(fund.loc[fund["Status"] == "Not a recipient", "Provenance"]) == {"Illustrative"}


def test_availability_counts_every_responding_area_as_commissioning_da_programmes():
    """Issue 18: Cambridgeshire's two DA programmes are out-of-court; the report says all 33
    responding areas commission DA programmes, and so does the page."""
    at = open_page("availability")
    table = next(
        d
        for d in tables_shown(at)
        if "Answer" in d.columns and "DA (any, incl. out-of-court)" in set(d["Answer"])
    )
    row = table.set_index("Answer").loc["DA (any, incl. out-of-court)"]
    assert row["Share"] == "33 of 33 (100%)"
    assert table.set_index("Answer").loc["DA: out-of-court (e.g. CARA)", "Areas"] == 8
    assert any(
        "Out-of-court programmes (such as CARA) are DA programmes" in c for c in texts(at.caption)
    )


CHART_PAGES = {  # the charts each page draws, in the default view (all drawn as pictures)
    "availability": 5,
    "stalking": 2,
    "accreditation": 2,
    "funding": 4,
    "victims": 4,
    "area": 3,  # the area ranked among its peers on three measures
}


@pytest.mark.parametrize("page", PAGES)
def test_no_page_sends_plotly_or_a_grid_each_chart_a_picture_each_table_html(page):
    """No page makes a browser fetch and run plotly (issue 20): every chart is HTML drawn from
    its builder's figure (landscape.figures.picture), each with its title and bars."""
    at = open_page(page)
    assert not at.get("plotly_chart")
    # nor the grid of st.dataframe (1.7 MB of script): every table is HTML, as many as before
    assert not at.dataframe and all(len(t) for t in tables_shown(at))
    bars = pictures_drawn(at, "landscape-bars")
    assert len(bars) == CHART_PAGES.get(page, 0)
    for markup in bars:
        assert picture_words(markup) and re.search(r"width:[1-9][\d.]*%", markup), markup[:200]


def test_the_directorys_sortable_grid_holds_the_same_rows_and_only_when_asked_for():
    """The directory's table is HTML unless a person asks for the sortable grid (issue 20)."""
    at = open_page("directory")
    assert not at.dataframe
    shown = tables_shown(at)[0]
    at.toggle(key="directory-sortable").set_value(True).run()
    assert len(at.dataframe) == 1
    grid = at.dataframe[0].value
    assert list(grid.columns) == list(shown.columns)
    assert list(grid["Programme"]) == list(shown["Programme"]) and len(grid) == 210
