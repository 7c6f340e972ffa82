"""What "Change between waves" says: moved figures, stalking changes by kind, an area's changes."""

import pandas as pd
import pytest

from landscape.model import wave_change
from landscape.model.diff import CHANGED, GAINED, LOST, area_changes, compare_waves
from landscape.model.landscape import build_landscape
from landscape.survey import Survey
from tests.builders import minimal_survey

CUMBRIA = "E23000002"


@pytest.fixture(scope="module")
def waves():
    base = minimal_survey()
    areas = base.areas.copy()
    row = areas.index[areas["area_code"] == CUMBRIA][0]
    areas.at[row, "stalking_provision"] = ("Specialist non-DA",)
    areas.at[row, "co_commissions"] = "Yes"
    later = Survey(areas, base.programmes[base.programmes["area_code"] != CUMBRIA])
    return build_landscape(base), build_landscape(later)


def test_overview_change_lists_moved_figures_and_who_gained_provision(waves):
    before, after = waves
    change = wave_change.overview_change(compare_waves(before, after))
    assert 0 < len(change.moved) < change.figures
    assert change.stalking_lists == (("Gained stalking provision (had none)", ("Cumbria",)),)
    assert (
        change.stalking_finding == "1 area gained stalking provision, 0 lost it, 0 changed its kind"
    )
    assert list(change.measures_table.columns) == list(wave_change.MEASURE_COLUMNS.values())
    assert list(change.stalking_table["Area"]) == ["Cumbria"]
    assert "Stalking category" in change.categories_table.columns


def test_stalking_finding_counts_each_kind_and_says_when_nothing_changed():
    frame = pd.DataFrame({"change": [GAINED, GAINED, LOST, CHANGED]})
    assert wave_change.stalking_finding(frame) == (
        "2 areas gained stalking provision, 1 lost it, 1 changed its kind"
    )
    assert wave_change.stalking_finding(frame.iloc[0:0]) == "No area's stalking provision changed"


def test_measures_table_says_percent_figures_change_in_points():
    measures = pd.DataFrame(
        [
            {"id": "a", "figure": "A", "before": 1, "after": 2, "change": 1, "unit": "percent"},
            {"id": "b", "figure": "B", "before": 1, "after": 1, "change": 0, "unit": "areas"},
        ]
    ).assign(before_text="", after_text="")
    assert list(wave_change.measures_table(measures)["Change in"]) == [
        "percentage points",
        "areas",
    ]


def test_area_change_counts_answers_and_programmes(waves):
    before, after = waves
    change = wave_change.area_change(area_changes(before, after, CUMBRIA))
    assert (change.answers, change.programmes) == (2, 1)
    assert not change.empty
    assert change.sentence("Cumbria") == "2 answers and 1 programme of Cumbria changed."
    assert list(change.table.columns) == list(wave_change.AREA_CHANGE_COLUMNS.values())
    unchanged = wave_change.area_change(area_changes(before, before, CUMBRIA))
    assert unchanged.empty
