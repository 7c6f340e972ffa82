"""Upload preview and wave comparison."""

from __future__ import annotations

import pandas as pd

from landscape.model.diff import (
    GAINED,
    LOST,
    NOT_COMPARABLE,
    area_changes,
    compare_waves,
    preview_changes,
)
from landscape.model.landscape import build_landscape
from landscape.model.measures import all_figures
from landscape.survey import Survey
from tests.builders import minimal_survey

CAMBS, ESSEX, CUMBRIA, SURREY = "E23000023", "E23000028", "E23000002", "E23000031"


def edited(survey: Survey, areas: pd.DataFrame | None = None, programmes=None) -> Survey:
    return Survey(
        (areas if areas is not None else survey.areas).reset_index(drop=True),
        (programmes if programmes is not None else survey.programmes).reset_index(drop=True),
    )


def test_an_identical_survey_changes_nothing():
    preview = preview_changes(minimal_survey(), minimal_survey())
    assert not preview.has_changes
    assert preview.figures_moved == []
    assert preview.summary.startswith("0 areas added, 0 areas changed")


def test_a_first_upload_adds_everything():
    preview = preview_changes(None, minimal_survey())
    assert preview.areas_added == [CAMBS, ESSEX, CUMBRIA, SURREY]
    assert len(preview.programmes_added) == 4
    assert len(preview.figures_moved) == len(all_figures(build_landscape(minimal_survey())))


def test_changed_areas_name_their_columns_and_programmes_are_keyed_by_area_and_name():
    base = minimal_survey()
    areas = base.areas.copy()
    areas.loc[1, "strategic_board"] = "Yes"
    areas.loc[1, "risk_forums"] = ("MARAC",)
    programmes = base.programmes.copy()
    programmes.loc[0, "annual_capacity"] = 999
    programmes = programmes.drop(index=3)  # Turning the Spotlight removed
    new_row = base.programmes.iloc[[1]].assign(area_code=ESSEX)  # same name, other area: new
    programmes = pd.concat([programmes, new_row])
    preview = preview_changes(base, edited(base, areas, programmes))
    assert [(c.area_code, c.columns) for c in preview.areas_changed] == [
        (ESSEX, ("risk_forums", "strategic_board"))
    ]
    assert [(c.area, c.programme_name, c.columns) for c in preview.programmes_changed] == [
        ("Cambridgeshire", "StepWise", ("annual_capacity",))
    ]
    assert preview.programmes_removed == [(CUMBRIA, "Turning the Spotlight")]
    assert preview.programmes_added == [(ESSEX, "Stalking intervention team")]
    table = preview.programmes_table()
    assert list(table["change"]) == ["Added", "Changed", "Removed"]
    assert preview.areas_table().loc[0, "columns"] == "risk_forums, strategic_board"


def test_figures_that_move_are_listed_with_before_and_after():
    base = minimal_survey()
    areas = base.areas.copy()
    areas.loc[1, "co_commissions"] = "Yes"
    areas.loc[1, "co_commissioning_partners"] = ("VCSE",)
    preview = preview_changes(base, edited(base, areas))
    moved = {f.id: f for f in preview.figures_moved}
    assert "co_commissioning" in moved
    figure = moved["co_commissioning"]
    assert (figure.before.numerator, figure.after.numerator) == (1, 2)
    assert figure.change == 34  # 33% -> 67% of 3 responding areas
    row = preview.figures_table().set_index("id").loc["co_commissioning"]
    assert row["now"] == figure.before.text and row["after upload"] == figure.after.text
    assert all(
        f.before is not None
        and (f.before.numerator, f.before.denominator) != (f.after.numerator, f.after.denominator)
        for f in preview.figures_moved
    )


def test_compare_waves_gives_net_change_per_measure():
    base = minimal_survey()
    areas = base.areas.copy()
    areas.loc[1, "co_commissions"] = "Yes"
    areas.loc[1, "co_commissioning_partners"] = ("VCSE",)
    comparison = compare_waves(build_landscape(base), build_landscape(edited(base, areas)))
    measures = comparison.measures.set_index("id")
    assert len(measures) == len(all_figures(build_landscape(base)))
    assert measures.loc["respondents", "change"] == 0
    assert measures.loc["co_commissioning", ["before", "after", "change"]].tolist() == [33, 67, 34]


def test_compare_waves_names_areas_gaining_and_losing_stalking_provision():
    base = minimal_survey()
    areas = base.areas.copy()
    areas.loc[2, "stalking_provision"] = ("Specialist non-DA",)  # Cumbria: none -> some
    areas.loc[1, "stalking_provision"] = ("None",)  # Essex: DA-related -> none
    areas.loc[0, "stalking_provision"] = ("Within DA programmes",)  # Cambs: fewer kinds
    comparison = compare_waves(build_landscape(base), build_landscape(edited(base, areas)))
    assert comparison.areas_gaining_provision == [CUMBRIA]
    assert comparison.areas_losing_provision == [ESSEX]
    table = comparison.stalking.set_index("area_code")
    assert table.loc[CUMBRIA, "gained"] == "Specialist non-DA"
    assert table.loc[ESSEX, ["before", "after"]].tolist() == ["Specialist DA-related", "None"]
    assert table.loc[CAMBS, "lost"] == "Specialist non-DA"


def test_an_area_that_did_not_respond_is_not_comparable_never_none():
    base = minimal_survey()
    areas = base.areas.copy()
    areas.loc[1, "response_status"] = "Did not respond"
    programmes = base.programmes[base.programmes["area_code"] != ESSEX]
    comparison = compare_waves(
        build_landscape(base), build_landscape(edited(base, areas, programmes))
    )
    row = comparison.stalking.set_index("area_code").loc[ESSEX]
    assert row["change"] == NOT_COMPARABLE
    assert row["after"] == "Did not respond"
    assert ESSEX not in comparison.areas_losing_provision
    assert GAINED != LOST


def test_area_changes_list_one_areas_answers_and_programmes_between_waves():
    base = minimal_survey()
    areas = base.areas.copy()
    areas.loc[0, "risk_forums"] = ("MARAC",)
    areas.loc[0, "notes"] = "provenance notes are not answers"
    programmes = base.programmes[base.programmes["programme_name"] != "StepWise"]
    changes = area_changes(
        build_landscape(base), build_landscape(edited(base, areas, programmes)), CAMBS
    )
    assert changes.to_dict(orient="records") == [
        {"what": "answer", "item": "risk_forums", "before": "MARAC; MATAC", "after": "MARAC"},
        {"what": "programme", "item": "StepWise", "before": "Listed", "after": "Removed"},
    ]
    unchanged = area_changes(build_landscape(base), build_landscape(base), ESSEX)
    assert unchanged.empty


def test_the_preview_shows_each_changed_value_old_beside_new():
    base = minimal_survey()
    areas = base.areas.copy()
    areas.loc[1, "strategic_board"] = "Yes"
    areas.loc[1, "risk_forums"] = ("MARAC", "MATAC")
    programmes = base.programmes.copy()
    programmes.loc[0, "annual_capacity"] = 999
    preview = preview_changes(base, edited(base, areas, programmes))
    old_board = joined(base.areas.loc[1, "strategic_board"])
    old_forums = joined(base.areas.loc[1, "risk_forums"])
    old_capacity = str(base.programmes.loc[0, "annual_capacity"])
    table = preview.changes_table()
    assert table.to_dict(orient="records") == [
        {
            "area": "Essex",
            "programme": "",
            "answer": "risk_forums",
            "before": old_forums,
            "after": "MARAC; MATAC",
        },
        {
            "area": "Essex",
            "programme": "",
            "answer": "strategic_board",
            "before": old_board,
            "after": "Yes",
        },
        {
            "area": "Cambridgeshire",
            "programme": "StepWise",
            "answer": "annual_capacity",
            "before": old_capacity,
            "after": "999",
        },
    ]


def test_an_added_programme_is_one_row_listed_on_the_new_side():
    base = minimal_survey()
    programmes = pd.concat([base.programmes, base.programmes.iloc[[1]].assign(area_code=ESSEX)])
    table = preview_changes(base, edited(base, programmes=programmes)).changes_table()
    assert table.to_dict(orient="records") == [
        {
            "area": "Essex",
            "programme": "Stalking intervention team",
            "answer": "programme",
            "before": "Not listed",
            "after": "Added",
        }
    ]


def test_the_preview_and_the_area_comparison_word_an_added_and_a_removed_programme_alike():
    """StepWise removed and a programme added for Cambridgeshire: the upload preview and the
    comparison of one area between waves both read "Listed" -> "Removed" and "Not listed" ->
    "Added", never a blank after the arrow."""
    base = minimal_survey()
    kept = base.programmes[base.programmes["programme_name"] != "StepWise"]
    added = base.programmes.iloc[[0]].assign(programme_name="Another programme")
    after = edited(base, programmes=pd.concat([kept, added], ignore_index=True))
    preview = {
        (c.programme, c.before, c.after)
        for c in preview_changes(base, after).changed_values()
        if c.answer == "programme"
    }
    comparison = {
        (row.item, row.before, row.after)
        for row in area_changes(build_landscape(base), build_landscape(after), CAMBS).itertuples()
        if row.what == "programme"
    }
    assert (
        preview
        == comparison
        == {
            ("StepWise", "Listed", "Removed"),
            ("Another programme", "Not listed", "Added"),
        }
    )


def test_figures_that_move_carry_old_and_new_numerator_and_denominator():
    base = minimal_survey()
    areas = base.areas.copy()
    areas.loc[1, "co_commissions"] = "Yes"
    areas.loc[1, "co_commissioning_partners"] = ("VCSE",)
    row = preview_changes(base, edited(base, areas)).figures_table().set_index("id")
    moved = row.loc["co_commissioning"]
    assert (moved["numerator now"], moved["denominator now"]) == (1, 3)
    assert (moved["numerator after"], moved["denominator after"]) == (2, 3)


def joined(value) -> str:
    return "; ".join(value) if isinstance(value, tuple) else ("" if value is None else str(value))
