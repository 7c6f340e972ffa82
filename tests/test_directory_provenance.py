"""The directory's row-level Provenance: "Sourced" only when a document states every answer of
the row; "Sourced (some fields)" when it states some (the fields and citations beside it)."""

from __future__ import annotations

import dataclasses

import pytest

from landscape.model import breakdowns
from tests.app_support import open_page, tables_shown
from tests.store_support import bundled_model
from tests.test_provenance_shown import _cited

# A store of this module's own (seeded with the bundled wave) and cold caches: tests/conftest.py
pytestmark = pytest.mark.usefixtures("app_store")


def test_a_row_with_only_some_sourced_fields_is_never_called_sourced():
    # StepWise (Cambridgeshire) reported by the area, with one field a document states
    cited = ["Programmes", "Cambridgeshire", "StepWise", "provider", "Sourced", "FOI", "Q1"]
    model = _cited([cited])
    table = breakdowns.directory(model).set_index("Programme")
    assert table.loc["StepWise", "Provenance"] == breakdowns.SOME_FIELDS_SOURCED
    assert table.loc["StepWise", "Sourced fields"] == "Provider"  # the per-field detail kept
    assert table.loc["StepWise", "Citations"] == "Provider: FOI, Q1"
    others = table.drop("StepWise")
    assert set(others["Provenance"]) == {"Reported"}  # one kind throughout: said as it is
    # every answer of a row sourced: "Sourced"; a mix with no sourced field: "Mixed"
    values = model.value_provenance.copy()
    stepwise = (values["sheet"] == "Programmes") & (values["programme_name"] == "StepWise")
    values.loc[stepwise, "provenance"] = "Sourced"
    good_man = (values["sheet"] == "Programmes") & (values["programme_name"] == "Good Man Project")
    values.loc[good_man & (values["column"] == "provider"), "provenance"] = "Illustrative"
    relabelled = dataclasses.replace(model, provenance_source=lambda: values)
    summary = breakdowns.directory(relabelled).set_index("Programme")["Provenance"]
    assert summary["StepWise"] == "Sourced"
    assert summary["Good Man Project"] == breakdowns.MIXED_PROVENANCE


def test_the_directory_page_says_some_fields_of_a_bundled_row_are_sourced():
    at = open_page("directory", search="StepWise")
    table = tables_shown(at)[0]
    row = table[table["Programme"] == "StepWise"].iloc[0]
    assert row["Provenance"] == "Sourced (some fields)"
    assert "Provider" in row["Sourced fields"].split(", ")
    # the bundled wave has no programme whose every answer a document states
    whole = breakdowns.directory(bundled_model())
    assert "Sourced" not in set(whole["Provenance"])
    assert (whole["Provenance"] == "Sourced (some fields)").sum() == 18
