"""Breakdowns: tidy tables with counts and denominators, never counting non-respondents as none."""

import pandas as pd
import pytest

from landscape.labels import StalkingCategory
from landscape.model import breakdowns
from landscape.model.landscape import Landscape, build_landscape
from landscape.model.measures import ALL_MEASURES, MEASURES
from tests.builders import minimal_survey

CAMBRIDGESHIRE, ESSEX, CUMBRIA, SUFFOLK = "E23000023", "E23000028", "E23000002", "E23000031"


@pytest.fixture(scope="module")
def small() -> Landscape:
    return build_landscape(minimal_survey())


def test_share_label_rounds_half_up_and_keeps_the_count():
    assert breakdowns.share_label(17, 33) == "17 of 33 (52%)"
    assert breakdowns.share_label(1, 8) == "1 of 8 (13%)"  # 12.5 rounds up
    assert breakdowns.share_label(0, 0) == "none in this view"  # never '0 of 0'


def test_area_choice_shares_are_out_of_respondents_only(small):
    shares = breakdowns.area_choice_shares(small, "funding_sources").set_index("answer")
    assert set(shares["responding_areas"]) == {3}  # Suffolk did not respond: not in the base
    assert shares.loc["Home Office fund 2023-25", "areas"] == 2
    assert shares.loc["Home Office fund 2023-25", "label"] == "2 of 3 (67%)"
    assert shares.loc["Match funding", "areas"] == 0


def test_programme_shares_count_a_programme_under_each_risk_level(small):
    shares = breakdowns.programme_choice_shares(small, "risk_levels").set_index("answer")
    assert list(shares.index) == ["Standard", "Medium", "High"]
    assert set(shares["total_programmes"]) == {len(small.programmes)}
    expected = {
        level: sum(level in v for v in small.programmes["risk_levels"]) for level in shares.index
    }
    assert shares["programmes"].to_dict() == expected


def test_stalking_categories_keep_did_not_respond_apart_from_none(small):
    categories = breakdowns.stalking_categories(small)
    assert len(categories) == 43
    assert categories[CAMBRIDGESHIRE] == StalkingCategory.SPECIALIST_NON_DA
    assert categories[ESSEX] == StalkingCategory.SPECIALIST_DA_RELATED
    assert categories[CUMBRIA] == StalkingCategory.NO_PROVISION
    assert categories[SUFFOLK] == StalkingCategory.DID_NOT_RESPOND
    summary = breakdowns.stalking_summary(small).set_index("category")
    assert summary.loc[StalkingCategory.NO_PROVISION, "areas"] == 1
    assert summary.loc[StalkingCategory.DID_NOT_RESPOND, "areas"] == 40
    # out of the 3 responding areas, the 40 silent ones counted apart, never "of 43"
    assert set(summary["responding_areas"]) == {3}
    assert summary.loc[StalkingCategory.NO_PROVISION, "label"] == "1 of 3 (33%)"
    assert summary.loc[StalkingCategory.DID_NOT_RESPOND, "label"] == "40 (not in the base of 3)"


def test_stalking_gap_sentence_states_both_numbers(small):
    gap = breakdowns.stalking_gap(small)
    assert (gap.without_specialist_non_da, gap.did_not_respond, gap.areas) == (2, 40, 43)
    assert gap.responding == 3
    assert gap.headline == (
        "2 of 3 responding areas (67%) have no specialist non-DA stalking programme; "
        "40 of 43 force areas did not respond"
    )
    assert gap.sentence == (
        "1 of 3 responding areas (33%) commission a specialist programme for stalking unrelated "
        "to DA; 2 of 3 responding areas (67%) do not; 40 did not respond (unknown, not none)."
    )


def test_stalking_gap_of_the_bundled_wave_matches_the_report(bundled):
    gap = breakdowns.stalking_gap(bundled)
    non_da = MEASURES["stalking_non_da"](bundled)
    assert gap.with_specialist_non_da == non_da.numerator == 12
    assert gap.did_not_respond == 10
    assert gap.without_specialist_non_da == 21
    # one denominator: the gap's words are the measures' own, out of the 33 responding areas
    without = ALL_MEASURES["stalking_non_da_gap"](bundled)
    assert (without.numerator, without.denominator, gap.responding) == (21, 33, 33)
    assert gap.headline.startswith(f"{without.text} have no specialist non-DA")
    assert gap.sentence.startswith(f"{non_da.text} commission")
    summary = breakdowns.stalking_summary(bundled).set_index("category")
    assert summary.loc[StalkingCategory.SPECIALIST_NON_DA, "label"] == "12 of 33 (36%)"
    assert summary["areas"].drop(StalkingCategory.DID_NOT_RESPOND).sum() == 33


def test_stalking_gap_with_no_responding_area_says_so_in_words(small):
    gap = breakdowns.stalking_gap(small.filter(countries=["Wales"]))
    assert gap.headline == "No responding areas in this view; 4 of 4 force areas did not respond"
    assert "0 of 0" not in gap.sentence and "unknown, not none" in gap.sentence


def test_accredited_share_agrees_with_the_measure(bundled):
    share = breakdowns.accredited_share(bundled)
    figure = MEASURES["accredited_share"](bundled)
    # the breakdown keeps the with-a-route view; the measure counts every programme (the report's)
    assert share.accredited == figure.numerator == 185
    assert share.assessable + share.not_applicable == figure.denominator == 210
    assert share.label == "185 of 188 (98%)"  # the report's 88% is over all 210


def test_evaluation_types_separate_completed_from_planned(small):
    table = breakdowns.evaluation_types(small)
    external = table[table["evaluation_type"] == "External"].set_index("status")["programmes"]
    programmes = small.programmes
    for status in ("Completed", "Planned"):
        assert external[status] == int(
            (
                (programmes["evaluation_type"] == "External")
                & (programmes["evaluation_status"] == status)
            ).sum()
        )
    assert table["programmes"].sum() == len(programmes)  # every programme counted once


def test_funding_cliff_groups_end_dates_by_quarter_with_undated_last(small):
    cliff = breakdowns.funding_cliff(small)
    assert cliff["programmes"].sum() == len(small.programmes)
    assert cliff.iloc[-1]["quarter"] == breakdowns.NOT_RECORDED
    first = cliff.iloc[0]
    assert first["quarter"] == "2025 Q1 (Jan-Mar)"
    dated = small.programmes[small.programmes["funding_end"].notna()]
    assert first["programmes"] == len(dated)
    assert first["budget_gbp"] == pytest.approx(dated["annual_budget_gbp"].sum())


def test_ho_fund_status_never_says_no_for_a_non_respondent(small):
    status = breakdowns.ho_fund_by_area(small).set_index("area_code")["status"]
    assert status[SUFFOLK] in {"Did not respond", "Recipient (did not respond)"}
    assert "Not a recipient" not in set(status[~small.areas["responded"]])


def test_directory_search_keeps_rows_with_every_word(small):
    everything = breakdowns.directory(small)
    assert len(everything) == len(small.programmes)
    assert "Provenance" in everything.columns
    found = breakdowns.directory(small, "stepwise cambridgeshire")
    assert list(found["Programme"]) == ["StepWise"]
    assert breakdowns.directory(small, "no such programme anywhere").empty


def test_directory_text_is_kept_as_text(small):
    row = small.programmes.iloc[0].to_dict()
    row["programme_name"] = "<script>alert(1)</script>"
    hostile = Landscape(
        small.wave, small.areas, pd.DataFrame([row], columns=small.programmes.columns)
    )
    assert breakdowns.directory(hostile)["Programme"][0] == "<script>alert(1)</script>"


def test_peer_comparison_names_what_the_area_has_and_lacks(small):
    table = breakdowns.peer_comparison(small, CAMBRIDGESHIRE, [ESSEX, CUMBRIA]).set_index("feature")
    assert table.loc["Specialist non-DA stalking programme", "area_has"] == "Yes"
    assert table.loc["Specialist non-DA stalking programme", "peers_with"] == 0
    assert (
        table.loc["Specialist non-DA stalking programme", "difference"]
        == "Area has, most peers lack"
    )
    # Essex left its risk forums blank: not answered, so out of those features' peer base
    forums = table.index.str.startswith("Uses ")
    assert set(table.loc[~forums, "peers"]) == {2}
    assert set(table.loc[forums, "peers"]) == {1}


def test_default_peers_are_responding_areas_of_the_same_region(bundled):
    peers = breakdowns.default_peers(bundled, CAMBRIDGESHIRE)
    areas = bundled.areas
    assert CAMBRIDGESHIRE not in peers
    assert all(areas.at[c, "region"] == "East of England" for c in peers)
    assert all(bool(areas.at[c, "responded"]) for c in peers)


def test_filters_that_leave_nothing_give_empty_tables_not_errors(small):
    wales = small.filter(countries=["Wales"])
    assert breakdowns.coverage(wales).responding == 0
    assert breakdowns.programme_types_by_area(wales).empty
    assert breakdowns.funding_cliff(wales).empty
    assert breakdowns.directory(wales).empty
    assert breakdowns.stalking_gap(wales).did_not_respond == 4
    assert breakdowns.area_choice_shares(wales, "risk_forums")["areas"].sum() == 0


def test_the_respondents_of_a_view_read_as_words_never_0_responding_areas():
    from landscape.model.breakdowns import Coverage

    assert Coverage(areas=5, responding=0, programmes=0).responding_words == (
        "no area in this view responded to the survey"
    )
    assert Coverage(areas=5, responding=1, programmes=2).responding_words == "1 responding area"
    assert Coverage(areas=43, responding=33, programmes=210).responding_words == (
        "33 responding areas"
    )


@pytest.mark.parametrize("view_filter", [{"countries": ["England"]}, {"regions": ["London"]}])
def test_early_intervention_reads_the_same_from_the_whole_waves_row_provenance(
    bundled, view_filter
):
    """The page passes the whole wave's row summary (made once) to a narrowed view: each kept
    programme's provenance is the one the view's own per-answer table gives."""
    view = bundled.filter(**view_filter)
    own = breakdowns.early_intervention(view)
    shared = breakdowns.early_intervention(view, breakdowns.row_provenance(bundled))
    assert len(own) > 0
    pd.testing.assert_frame_equal(shared, own)
    assert own["provenance"].tolist() == [
        breakdowns.row_provenance(view)[(code, name)]
        for code, name in zip(
            view.programmes.loc[
                breakdowns.is_early_intervention(view.programmes["programme_type"]), "area_code"
            ],
            own["programme_name"],
            strict=True,
        )
    ]
