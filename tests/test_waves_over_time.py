"""Waves over time: the overview and area profile compare two chosen waves (issue 5, point 3).

One temporary store per module: the bundled wave, then a second wave in which Norfolk (no
stalking provision) gains a specialist non-DA stalking programme and Surrey (stalking work within
DA programmes only) loses all stalking provision. So "areas with a non-DA stalking programme" goes
12 -> 13 of 33, and DA-related provision 15 -> 14. A correction of the first wave is published
last, so the last listed wave is not the latest: the store's current wave is the second.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from landscape.intake.template import survey_workbook_bytes
from landscape.model.diff import CATEGORY_COLUMNS, GAINED, LOST, compare_waves
from landscape.model.landscape import build_landscape
from landscape.store.waves import Store, open_store
from landscape.survey import Survey
from tests.app_support import (
    isolated_store,
    open_page,
    picture_rows,
    picture_words,
    pictures_drawn,
    tables_shown,
)
from tests.store_support import ADMIN, database_url, read_bundled_survey

NORFOLK, SURREY = "E23000024", "E23000031"
GAINER_PROGRAMME = "Norfolk stalking perpetrator programme"


def bundled_survey() -> Survey:
    return read_bundled_survey()  # a fresh copy: the store fixture changes one


def second_wave(base: Survey) -> Survey:
    areas = base.areas.copy()
    row = areas.index[areas["area_code"] == NORFOLK][0]
    areas.at[row, "stalking_provision"] = ("Specialist non-DA",)
    row = areas.index[areas["area_code"] == SURREY][0]
    areas.at[row, "stalking_provision"] = ("None",)
    programmes = base.programmes
    template = programmes[programmes["programme_type"] == "Non-DA stalking"].iloc[[0]]
    added = template.assign(
        area_code=NORFOLK, programme_name=GAINER_PROGRAMME, provenance="Illustrative"
    )
    return Survey(areas, pd.concat([programmes, added], ignore_index=True))


@pytest.fixture(scope="module")
def store(tmp_path_factory, database_backend) -> Iterator[Store]:
    database = tmp_path_factory.mktemp("waves") / "waves.sqlite"
    store = open_store(database_url(database))  # seeded with the bundled wave
    workbook = survey_workbook_bytes(second_wave(bundled_survey()))
    store.publish(workbook, "second.xlsx", principal=ADMIN, label="Second wave (test)")
    first = store.list_waves()[0]
    corrected = bundled_survey()
    corrected.areas.loc[0, "notes"] = "A correction published after the second wave"
    store.publish(
        survey_workbook_bytes(corrected),
        "correction.xlsx",
        principal=ADMIN,
        label=first.label,
        corrects=first.wave_id,
    )
    with isolated_store(database):
        yield store
    store.dispose()


def param(at: AppTest, name: str) -> list[str]:
    value = at.query_params[name]
    return list(value) if isinstance(value, list) else [value]


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(d for d in tables_shown(at) if column in d.columns)


def texts(at: AppTest) -> str:
    return "\n".join(
        str(e.value) for e in [*at.header, *at.subheader, *at.text, *at.caption, *at.info]
    )


def test_the_domain_names_categories_gained_and_lost():
    before = build_landscape(bundled_survey())
    after = build_landscape(second_wave(bundled_survey()))
    comparison = compare_waves(before, after)
    assert comparison.areas_gaining_provision == [NORFOLK]
    assert comparison.areas_losing_provision == [SURREY]
    categories = comparison.categories.set_index("category")
    assert list(comparison.categories.columns) == CATEGORY_COLUMNS
    assert categories.loc[
        "Specialist non-DA programme", ["before", "after", "change"]
    ].tolist() == [
        12,
        13,
        1,
    ]
    assert categories.loc["Specialist non-DA programme", "joined"] == "Norfolk"
    assert categories.loc["No stalking provision", "joined"] == "Surrey"
    assert categories.loc["No stalking provision", "left"] == "Norfolk"
    assert categories.loc["Did not respond", "change"] == 0
    assert set(categories["total_areas"]) == {43}  # the areas compared, responding or not
    assert set(categories["responding_before"]) == set(categories["responding_after"]) == {33}
    by_wave = comparison.categories_by_wave().set_index(["category", "wave"])
    assert by_wave.loc[("Specialist non-DA programme", "Later wave"), "label"] == "13 of 33 (39%)"


def test_the_sidebar_defaults_to_the_stores_latest_wave(store):
    first, second, correction = store.list_waves()
    assert (correction.supersedes, first.superseded_by) == (first.wave_id, correction.wave_id)
    assert store.latest_wave_id() == second.wave_id
    at = open_page("overview")
    assert param(at, "wave") == [second.wave_id]
    assert at.sidebar.selectbox[0].value == second.wave_id
    picker = at.selectbox(key="compare-widget:overview:before")
    assert picker.options == [
        "APCC 2025 survey (illustrative) (superseded)",
        "Second wave (test)",
        "APCC 2025 survey (illustrative) v2",
    ]


def test_overview_shows_net_change_per_measure_and_names_areas(store):
    at = open_page("overview")
    first, second, _ = (w.wave_id for w in store.list_waves())
    assert "compare" not in at.query_params  # the default: the wave before the selected one
    before = at.selectbox(key="compare-widget:overview:before").value
    assert (before, at.selectbox(key="compare-widget:overview:after").value) == (first, second)
    assert any(h.value == "Change between waves" for h in at.header)
    measures = frame_with(at, "Net change").set_index("Figure id")
    non_da = measures.loc["stalking_non_da"]
    assert non_da[["Earlier value", "Later value", "Net change"]].tolist() == [12, 13, 1]
    assert non_da["Earlier wave"] == "12 of 33 responding areas (36%)"
    assert non_da["Later wave"] == "13 of 33 responding areas (39%)"
    assert measures.loc["stalking_da_related", "Net change"] == -1
    assert measures.loc["respondents", "Net change"] == 0
    shown = texts(at)
    assert "Gained stalking provision (had none): Norfolk" in shown
    assert "Lost all stalking provision: Surrey" in shown
    assert "1 area gained stalking provision, 1 lost it, 0 changed its kind" in shown
    stalking = frame_with(at, "Category, later wave").set_index("ONS code")
    assert stalking.loc[NORFOLK, "Change"] == GAINED
    assert stalking.loc[SURREY, "Change"] == LOST
    assert stalking.loc[SURREY, "Category, earlier wave"] == "Within DA programmes only"
    categories = frame_with(at, "Areas that moved in").set_index("Stalking category")
    assert categories.loc["Specialist non-DA programme", "Areas that moved in"] == "Norfolk"
    chart = next(p for p in pictures_drawn(at) if "Earlier wave" in p and "Later wave" in p)
    rows = {row.split(" · ")[0]: row for row in picture_rows(chart)}
    specialist = rows["Specialist non-DA programme"]
    assert "Earlier wave: 12 of 33" in specialist
    # out of the wave's responding areas, as the caption and the stalking page say (issue 18)
    assert "Later wave: 13 of 33 (39%)" in specialist
    later = " ".join(rows.values())
    assert "Later wave: 10 (not in the base of 33)" in later
    assert picture_words(chart)[-2:] == ["Earlier wave", "Later wave"]
    assert " of 43 " not in later


def test_the_comparison_opens_from_the_url_and_the_pickers_write_it_back(store):
    first, second, _ = (w.wave_id for w in store.list_waves())
    at = open_page("overview", compare=[second, first])
    measures = frame_with(at, "Net change").set_index("Figure id")
    assert measures.loc["stalking_non_da", "Net change"] == -1  # later -> earlier, reversed
    at.selectbox(key="compare-widget:overview:before").select(first).run()
    at.selectbox(key="compare-widget:overview:after").select(second).run()
    assert not at.exception
    assert param(at, "compare") == [first, second]
    measures = frame_with(at, "Net change").set_index("Figure id")
    assert measures.loc["stalking_non_da", "Net change"] == 1


def test_area_profile_shows_the_gaining_areas_change(store):
    at = open_page("area", area=NORFOLK)
    shown = texts(at)
    assert (
        "Norfolk's stalking category changed: No stalking provision → Specialist non-DA programme"
        in shown
    )
    changes = frame_with(at, "Answer or programme")
    rows = changes.to_dict(orient="records")
    assert {
        "What": "programme",
        "Answer or programme": GAINER_PROGRAMME,
        "Earlier wave": "Not listed",
        "Later wave": "Added",
    } in rows
    answer = changes.set_index("Answer or programme").loc["stalking_provision"]
    assert (answer["Earlier wave"], answer["Later wave"]) == ("None", "Specialist non-DA")
    assert "1 answer and 1 programme of Norfolk changed." in shown


def test_area_profile_of_an_area_that_did_not_respond_still_compares(store):
    at = open_page("area", area="E23000034")  # City of London
    assert "City of London's stalking category did not change: Did not respond" in texts(at)


def test_area_profile_of_an_unchanged_area_says_so(store):
    at = open_page("area", area="E23000023")  # Cambridgeshire
    shown = texts(at)
    assert "Cambridgeshire's stalking category did not change" in shown
    assert "No answers or programmes of Cambridgeshire changed between the two waves." in shown


def test_with_one_wave_the_section_says_so(store, tmp_path):
    with isolated_store(tmp_path / "one.sqlite"):  # back to the module's store afterwards
        at = open_page("overview")
        assert "Only one wave so far" in texts(at)
        assert not any("Net change" in d.columns for d in tables_shown(at))
        at = open_page("area", area=NORFOLK)
        assert "Only one wave so far" in texts(at)
