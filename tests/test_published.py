"""The project's own copy of the APCC report's published figures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from landscape.model.published import CHECK_COLUMNS, check_figures, published_figures

SHARED = Path(__file__).resolve().parents[2] / "shared"
SHARED_FIGURES = SHARED / "reference" / "apcc-2025-published-figures.csv"


def test_table_has_the_declared_columns_and_unique_ids():
    table = published_figures()
    assert list(table.columns) == ["id", "statement", "value", "unit", "of", "section", "measure"]
    assert table["id"].is_unique
    assert (table["statement"].str.len() > 10).all()
    assert (table["section"] != "").all()
    assert set(table["unit"]) <= {"areas", "percent", "reports", "GBP"}


def test_percentages_are_whole_numbers_between_0_and_100():
    table = published_figures()
    percent = table.loc[table["unit"] == "percent", "value"]
    assert ((percent >= 0) & (percent <= 100) & (percent == percent.round())).all()


def test_the_report_inconsistency_is_its_own_row():
    row = published_figures().set_index("id").loc["evaluation_any_percent"]
    assert (row["value"], row["unit"], row["section"]) == (76, "percent", "Evaluation")
    assert published_figures().set_index("id").loc["evaluation_any", "value"] == 26


def test_published_figures_returns_a_fresh_copy():
    first = published_figures()
    first.loc[0, "value"] = -1
    assert published_figures().loc[0, "value"] != -1


@pytest.mark.skipif(not SHARED_FIGURES.exists(), reason="../shared is absent")
def test_copy_matches_the_shared_reference_on_id_value_and_unit():
    shared = pd.read_csv(SHARED_FIGURES, dtype=str, keep_default_na=False)
    ours = published_figures()
    extra = set(ours["id"]) - set(shared["id"])
    assert extra == {"evaluation_any_percent"}  # the report's "76% (26)", as its own row
    merged = shared.merge(ours, on="id", suffixes=("_shared", "_ours"), validate="one_to_one")
    assert len(merged) == len(shared)
    assert (merged["value_shared"].astype(float) == merged["value_ours"]).all()
    assert (merged["unit_shared"] == merged["unit_ours"]).all()


def test_check_figures_columns(tmp_path):
    from landscape.model.landscape import build_landscape
    from landscape.survey import Survey

    empty = build_landscape(Survey.from_records([], []))
    checked = check_figures(empty)
    assert tuple(checked.columns) == CHECK_COLUMNS
    assert len(checked) == len(published_figures())
    respondents = checked.set_index("id").loc["respondents"]
    assert (respondents["computed"], respondents["matches"]) == (0, False)


def test_published_value_by_id():
    from landscape.model.published import published_value

    assert published_value("marac") == 61
    assert published_value("ho_fund_fy2425") == 20_500_000
    assert published_value("no_such_figure") is None
