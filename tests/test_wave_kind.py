"""Each wave records what it is (illustrative / reported / corrected) and the report it should
reproduce; checks, banner and comparisons follow it (landscape.model.wave_kind, migration 0006)."""

from __future__ import annotations

from landscape.intake.template import survey_workbook_bytes
from landscape.model.wave_kind import (
    APCC_2025_REPORT,
    SEED_KIND,
    WaveBasis,
    WaveKind,
    kind_of_upload,
    recorded_kind,
)
from landscape.store import open_store
from landscape.survey import Survey
from tests.store_support import ADMIN, database_url, read_bundled_survey


def reported_survey() -> Survey:
    """The bundled wave's answers as if every area had given them itself (no invented record)."""
    base = read_bundled_survey()
    areas = base.areas.assign(provenance="Reported", source=None)
    programmes = base.programmes.assign(provenance="Reported", source=None)
    return Survey(areas, programmes)


def test_the_seed_is_illustrative_and_tied_to_the_apcc_report(tmp_path):
    store = open_store(database_url(tmp_path / "seed.sqlite"))
    (seed,) = store.list_waves()
    assert (seed.basis, seed.reproduces) == ("illustrative", APCC_2025_REPORT)
    assert seed.wave_kind == SEED_KIND
    store.dispose()


def test_a_wave_without_invented_records_is_reported_and_tied_to_no_report(tmp_path):
    store = open_store(database_url(tmp_path / "two.sqlite"))
    workbook = survey_workbook_bytes(reported_survey())
    result = store.publish(workbook, "2026.xlsx", principal=ADMIN, label="2026 survey")
    assert (result.wave.basis, result.wave.reproduces) == ("reported", None)
    assert not result.wave.wave_kind.report_title
    store.dispose()


def test_a_correction_keeps_its_base_report_tie_and_a_new_wave_drops_it():
    assert kind_of_upload(illustrative=True, base=SEED_KIND, corrects=True) == SEED_KIND
    assert kind_of_upload(illustrative=False, base=SEED_KIND, corrects=True) == WaveKind(
        WaveBasis.CORRECTED, APCC_2025_REPORT
    )
    assert kind_of_upload(illustrative=True, base=SEED_KIND, corrects=False) == WaveKind(
        WaveBasis.ILLUSTRATIVE, None
    )


def test_a_wave_stored_before_the_columns_is_inferred_from_its_row():
    assert recorded_kind(None, None, illustrative=True, seed=True, corrects=False) == SEED_KIND
    old = recorded_kind(None, None, illustrative=False, seed=False, corrects=False)
    assert old == WaveKind(WaveBasis.REPORTED, None)


def test_describe_names_the_report_only_when_tied():
    assert SEED_KIND.describe().endswith("calibrated to reproduce the APCC report (7 March 2025)")
    assert WaveKind(WaveBasis.REPORTED).describe() == "reported, tied to no published report"
