"""The fast paths behind issue 13's speed targets give the same answers as the plain ones.

- A model builds its per-value provenance only when asked, and a filtered model cuts the whole
  model's table instead of rebuilding it: the rows are those the plain rule keeps.
- The store rebuilds a survey's typed tables a column at a time (`records.stored_frame`): the
  same frames, dtypes included, as `landscape.survey.typed_frame` of the same records.
"""

from __future__ import annotations

import pandas as pd
import pytest

from landscape import paths
from landscape.intake.validate import load_survey
from landscape.model.landscape import build_landscape
from landscape.schema import AREAS, PROGRAMMES, PROVENANCE, Kind
from landscape.store import records
from landscape.survey import Survey, typed_frame

needs_bundled_wave = pytest.mark.skipif(
    not paths.BUNDLED_WAVE.exists(), reason="bundled wave not present"
)


@pytest.fixture(scope="module")
def bundled() -> Survey:
    return load_survey(paths.BUNDLED_WAVE.read_bytes(), paths.BUNDLED_WAVE.name)


@needs_bundled_wave
def test_value_provenance_is_built_only_when_first_read(bundled):
    model = build_landscape(bundled)
    assert "value_provenance" not in vars(model)
    first = model.value_provenance
    assert len(first) > 1000
    assert model.value_provenance is first  # built once, then kept


@needs_bundled_wave
@pytest.mark.parametrize(
    "narrowing",
    [
        {"countries": ["Wales"]},
        {"regions": ["London", "South East"]},
        {"programme_types": ["Early intervention"]},
        {"countries": ["England"], "programme_types": ["Behaviour change"]},
    ],
)
def test_a_filtered_models_provenance_is_the_whole_tables_rows_it_keeps(bundled, narrowing):
    whole = build_landscape(bundled)
    view = whole.filter(**narrowing)
    assert "value_provenance" not in vars(view)
    values = whole.value_provenance
    kept = set(zip(view.programmes["area_code"], view.programmes["programme_name"], strict=True))
    expected = values[
        [
            code in view.areas.index if sheet == AREAS.name else (code, name) in kept
            for sheet, code, name in zip(
                values["sheet"], values["area_code"], values["programme_name"], strict=True
            )
        ]
    ].reset_index(drop=True)
    assert 0 < len(view.value_provenance) < len(values)
    pd.testing.assert_frame_equal(view.value_provenance, expected)


@needs_bundled_wave
@pytest.mark.parametrize("sheet", [AREAS, PROGRAMMES, PROVENANCE], ids=lambda s: s.name)
def test_stored_records_rebuild_the_same_typed_tables(bundled, sheet):
    stored = records.records_for(bundled)[sheet.name]
    assert stored, "the bundled wave has rows on every sheet"
    rebuilt = records.stored_frame(sheet, stored)
    pd.testing.assert_frame_equal(rebuilt, typed_frame(sheet, stored))
    pd.testing.assert_frame_equal(rebuilt, getattr(bundled, sheet.name.lower()))


def test_stored_records_keep_blank_answers_blank_and_choices_in_declared_order():
    record = {"area_code": "E23000001"}
    choice_column = next(c for c in AREAS.columns if c.kind is Kind.CHOICES)
    text_column = next(c for c in AREAS.columns if c.kind is Kind.TEXT)
    reversed_choices = list(reversed(choice_column.allowed[:2]))
    rows = [
        {**record, choice_column.name: reversed_choices, text_column.name: "   "},
        {**record, choice_column.name: None, text_column.name: None},
    ]
    rebuilt = records.stored_frame(AREAS, rows)
    assert rebuilt[choice_column.name].tolist() == [tuple(choice_column.allowed[:2]), ()]
    assert rebuilt[text_column.name].tolist() == [None, None]
    pd.testing.assert_frame_equal(rebuilt, typed_frame(AREAS, rows))


def test_no_records_give_the_empty_typed_tables():
    for sheet in (AREAS, PROGRAMMES, PROVENANCE):
        pd.testing.assert_frame_equal(records.stored_frame(sheet, []), typed_frame(sheet, []))
