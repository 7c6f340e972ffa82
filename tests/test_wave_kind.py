"""A wave's kind is what its values give (landscape.model.wave_kind, model.composition): recorded
when it is published (migrations 0006, 0008) and read back as recorded."""

from __future__ import annotations

import pytest

from landscape.intake.template import survey_workbook_bytes
from landscape.model.composition import kind_of_wave, provenance_mix
from landscape.model.landscape import build_landscape
from landscape.model.wave_kind import (
    APCC_2025_REPORT,
    SEED_KIND,
    ProvenanceMix,
    WaveBasis,
    WaveKind,
    recorded_kind,
    report_of_upload,
)
from landscape.store import open_store
from tests import wave_kinds
from tests.store_support import ADMIN, database_url, read_bundled_survey


@pytest.fixture(scope="module")
def stored(tmp_path_factory, database_backend):
    store = open_store(database_url(tmp_path_factory.mktemp("kinds") / "kinds.sqlite"))
    kinds = wave_kinds.publish_every_kind(store)
    yield store, kinds
    store.dispose()


def _kind(stored, name):
    store, kinds = stored
    wave_id = kinds.seed if name == "seed" else kinds.ids[name]
    return next(w for w in store.list_waves() if w.wave_id == wave_id).wave_kind


def test_the_seed_is_illustrative_calibrated_and_counts_its_values(stored):
    kind = _kind(stored, "seed")
    model = build_landscape(read_bundled_survey())
    assert kind.basis is WaveBasis.ILLUSTRATIVE and kind.calibrated
    assert kind.reproduces == APCC_2025_REPORT and kind.differs == ()
    assert kind.mix == provenance_mix(model)
    # 210 answers cite a document; 5 of them only for some options of a list: not whole
    assert kind.mix.sourced == 205 and kind.mix.reported == 0 and kind.mix.illustrative > 3000
    assert kind.describe().endswith("calibrated to reproduce the APCC report (7 March 2025)")


def test_a_wave_of_areas_own_answers_is_reported_and_tied_to_no_report(stored):
    kind = _kind(stored, wave_kinds.REPORTED)
    assert kind.basis is WaveBasis.REPORTED and not kind.illustrative
    assert kind.mix.citing == 0 and kind.mix.reported == kind.mix.total
    assert kind.reproduces is None and not kind.calibrated
    assert kind.describe() == (
        "reported (every value is an area's own answer); tied to no published report"
    )


def test_a_reported_wave_with_invented_values_is_mixed_and_illustrative(stored):
    kind = _kind(stored, wave_kinds.MIXED)
    assert kind.basis is WaveBasis.MIXED and kind.illustrative
    assert 0 < kind.mix.illustrative < kind.mix.reported
    assert f"{kind.mix.illustrative} illustrative" in kind.describe()


def test_rows_marked_sourced_without_a_citation_cite_nothing(stored):
    kind = _kind(stored, wave_kinds.SOURCED_ROWS)
    assert kind.mix.citing == 0 and kind.mix.illustrative == kind.mix.total
    assert kind.describe().startswith("illustrative (no value cites a public source)")


def test_a_correction_that_changes_a_published_figure_drops_the_calibration_claim(stored):
    for name in (wave_kinds.CORRECTION, wave_kinds.SECOND_CORRECTION):
        kind = _kind(stored, name)
        assert kind.corrects and kind.reproduces == APCC_2025_REPORT
        assert kind.differs == ("co_commissioning",) and not kind.calibrated
        assert kind.basis is WaveBasis.MIXED  # its corrected answers are the areas' own
        assert "calibrated to reproduce" not in kind.describe()
        assert "no longer calibrated to it: 1 of its figures now differs" in kind.describe()


def test_a_correction_keeps_its_base_report_tie_and_a_new_wave_drops_it():
    assert report_of_upload(base=SEED_KIND, corrects=True) == APCC_2025_REPORT
    assert report_of_upload(base=SEED_KIND, corrects=False) is None
    assert report_of_upload(base=None, corrects=False) is None


def test_the_kind_of_a_model_is_derived_from_its_values_not_its_rows(bundled_survey):
    kind = kind_of_wave(build_landscape(wave_kinds.mixed_survey()), report=None)
    assert kind.basis is WaveBasis.MIXED
    assert kind.mix.illustrative == wave_kinds.MIXED_ILLUSTRATIVE_AREAS + sum(
        bundled_survey.programmes["annual_budget_gbp"].notna()
    )


def test_a_wave_stored_before_its_values_were_counted_is_inferred_from_its_row():
    assert recorded_kind(None, None, illustrative=True, seed=True, corrects=False) == SEED_KIND
    old = recorded_kind(None, None, illustrative=False, seed=False, corrects=False)
    assert old == WaveKind(WaveBasis.REPORTED, None)
    legacy = recorded_kind(
        "corrected", APCC_2025_REPORT, illustrative=False, seed=False, corrects=True
    )
    assert legacy.basis is WaveBasis.REPORTED and legacy.corrects and legacy.mix is None
    counted = recorded_kind(
        "reported",
        None,
        illustrative=False,
        seed=False,
        corrects=False,
        mix={"Reported": 5, "Illustrative": 1},
    )
    assert counted.basis is WaveBasis.MIXED and counted.mix == ProvenanceMix(
        reported=5, illustrative=1
    )


def test_the_mix_decides_the_basis():
    assert ProvenanceMix(sourced=3, illustrative=7).basis is WaveBasis.ILLUSTRATIVE
    assert ProvenanceMix(reported=3).basis is WaveBasis.REPORTED
    assert ProvenanceMix(published=1, sourced=3).basis is WaveBasis.SOURCED
    assert ProvenanceMix(reported=3, sourced=1).basis is WaveBasis.MIXED
    assert ProvenanceMix(published=2, sourced=3).citing == 5


def test_a_reported_upload_of_the_bundled_answers_is_stored_as_reported(tmp_path):
    store = open_store(database_url(tmp_path / "two.sqlite"))
    workbook = survey_workbook_bytes(wave_kinds.reported_survey())
    result = store.publish(workbook, "2026.xlsx", principal=ADMIN, label="2026 survey")
    assert (result.wave.basis, result.wave.reproduces) == ("reported", None)
    assert result.wave.provenance_mix == {
        "Published": 0,
        "Sourced": 0,
        "Reported": 3350,
        "Illustrative": 0,
    }
    assert not result.wave.illustrative
    store.dispose()
