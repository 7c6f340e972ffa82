"""Every page, download, the PDF and `figures --json` on every kind of wave (issue 18 point 7).

The store holds the bundled wave and the five waves tests/wave_kinds.py builds from it: a reported
round, reported rows with invented values (mixed), rows marked Sourced that cite nothing, a
correction of the bundled wave and a correction of that. Each page, opened on each wave, must say
what that wave is: its banner, the calibration claim only where it holds, the download lines and
the source line from the kind its values give.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from landscape.cli import main
from landscape.intake.template import survey_workbook_bytes
from landscape.model.wave_kind import WaveBasis, WaveKind
from landscape.store import open_store
from tests import wave_kinds
from tests.app_support import PAGES, isolated_store, open_page
from tests.store_support import database_url, read_bundled_survey
from tests.test_download_provenance import deferred, page_downloads  # noqa: F401 - a fixture
from ui import data

ABOUT_KEY = "_landscape_download_about"
SEED = "seed"
CALIBRATION = "calibrated to reproduce"
DIFFERS = "no longer reproduces it"
CO_COMMISSIONING = "co-commission"


def texts(elements) -> list[str]:
    return [str(e.value).replace("\\", "") for e in elements]


@pytest.fixture(scope="module")
def every_kind(tmp_path_factory) -> Iterator[dict[str, tuple[str, WaveKind, str]]]:
    """name -> (wave id, the kind the store recorded, label), with the pages' store on it."""
    database = tmp_path_factory.mktemp("any-wave") / "kinds.sqlite"
    store = open_store(database_url(database))
    stored = wave_kinds.publish_every_kind(store)
    records = {w.wave_id: w for w in store.list_waves()}
    names = {SEED: stored.seed, **stored.ids}
    waves = {n: (i, records[i].wave_kind, records[i].label) for n, i in names.items()}
    store.dispose()
    with isolated_store(database):
        yield waves


@pytest.mark.parametrize("name", [SEED, *wave_kinds.KINDS])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_what_its_wave_is(every_kind, name, page):
    wave_id, kind, label = every_kind[name]
    at = open_page(page, wave=wave_id)
    warnings = texts(at.warning)
    about = dict(at.session_state[ABOUT_KEY])
    assert about["Wave"].startswith(label), (page, name)
    # the one recorded kind is what every download and the PDF state
    assert about["Kind of wave"] == kind.describe(), (page, name)
    assert about["Source"].startswith(f"Wave '{label}'"), (page, name)
    assert any(c.startswith(f"Source: Wave '{label}'") for c in texts(at.caption)), (page, name)
    claims = [w for w in warnings if CALIBRATION in w]
    assert bool(claims) == (kind.calibrated and kind.illustrative), (page, name, warnings)
    if name == wave_kinds.REPORTED:
        assert not any("llustrative data" in w for w in warnings), (page, warnings)
        assert "Published" not in texts(at.caption)[0], page
        assert "invented" not in about["Provenance of the values"]
    elif kind.basis is WaveBasis.MIXED:
        (banner,) = [w for w in warnings if "Partly illustrative data" in w]
        mix = data.view_mix(data.FilterKey(wave_id))
        assert f"{mix.illustrative:,} of the {mix.total:,} values" in banner
    else:
        assert any(w.startswith("**Illustrative data.**") for w in warnings), (page, name)
    if kind.differs:
        moved = [w for w in warnings + texts(at.info) if DIFFERS in w]
        assert moved and CO_COMMISSIONING in moved[0].lower(), (page, name, warnings)
    if not kind.reproduces:
        assert "Published:" not in texts(at.caption)[0], (page, name)


@pytest.mark.parametrize("name", [SEED, *wave_kinds.KINDS])
def test_every_download_states_the_kind_and_the_values_of_its_wave(every_kind, deferred, name):  # noqa: F811
    wave_id, kind, _ = every_kind[name]
    found = page_downloads("victims", deferred, wave=wave_id) + page_downloads(
        "about", deferred, wave=wave_id
    )
    mix = kind.mix
    assert mix is not None
    for download in found:
        assert download.about["Kind of wave"] == kind.describe(), download.name
        provenance = download.about["Provenance of the values"]
        assert provenance.startswith(f"{mix.total:,} values"), download.name
        assert ("cite a public source" in provenance) == bool(mix.citing), download.name
        assert download.xlsx_about == download.about, download.name
    (table,) = [d.data for d in found if d.name == "value-provenance"]
    everything = table.set_index(table.columns[0]).loc["All values"]
    assert int(everything["Total"]) == mix.total
    assert int(everything["Cite a public source"]) == mix.citing
    assert int(everything["Illustrative"]) == mix.illustrative


@pytest.mark.parametrize("name", [SEED, wave_kinds.REPORTED, wave_kinds.CORRECTION])
def test_the_about_page_describes_the_wave_shown(every_kind, name):
    wave_id, kind, _ = every_kind[name]
    at = open_page("about", wave=wave_id)
    method = " ".join(texts(at.markdown))
    mix = kind.mix
    assert mix is not None
    title = at.title[0].value
    if name == wave_kinds.REPORTED:
        assert title == f"All {mix.total:,} values are areas' own answers"
    else:
        assert title.startswith(f"{mix.citing:,} of {mix.total:,} values cite")
    if name == wave_kinds.REPORTED:
        assert "The bundled wave is *illustrative*" not in method
        assert "never with the 2025 report" in method
        assert "tied to no published report, so its figures are not set beside one" in method
    if name == SEED:
        assert "The bundled wave is *illustrative*" in method
    if name == wave_kinds.CORRECTION:
        assert "names each figure it no longer gives" in method


def test_the_pdf_profile_states_the_values_of_a_reported_wave(every_kind, printed_pdfs):
    wave_id, kind, _ = every_kind[wave_kinds.REPORTED]
    data.area_profile_pdf(data.FilterKey(wave_id), "E23000023", ("E23000028",), "A headline")
    (page,) = printed_pdfs
    header = page[: page.index("<section>")]
    assert kind.describe().replace("'", "&#x27;") in header
    assert "cite a public source" not in header  # none of its values does
    assert "3,350 values: 3,350 areas&#x27; own answers" in header


@pytest.mark.parametrize(
    ("name", "survey"),
    [
        (wave_kinds.REPORTED, wave_kinds.reported_survey),
        (wave_kinds.MIXED, wave_kinds.mixed_survey),
        (wave_kinds.SOURCED_ROWS, wave_kinds.sourced_rows_survey),
        (wave_kinds.CORRECTION, lambda: wave_kinds.corrected_survey(read_bundled_survey(), 1)),
    ],
)
def test_figures_json_gives_the_mix_and_kind_the_store_recorded(
    every_kind, tmp_path: Path, name, survey
):
    _, kind, _ = every_kind[name]
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(survey_workbook_bytes(survey()))
    result = CliRunner().invoke(main, ["figures", str(path), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert kind.mix is not None
    assert document["provenance_mix"] == kind.mix.by_kind()
    assert document["kind"] == kind.basis.value
    assert document["cite_a_public_source"] == kind.mix.citing
    # set beside the report: the bundled answers, whatever their kind, give its figures; the
    # correction does not, and only invented values are ever said to be calibrated
    if name == wave_kinds.CORRECTION:
        assert document["reproduces"] is None and document["differs"] == ["co_commissioning"]
    else:
        assert document["reproduces"] == "apcc-2025" and document["differs"] == []
    assert ("calibrated to reproduce" in document["about"]) == (
        kind.illustrative and name != wave_kinds.CORRECTION
    )
