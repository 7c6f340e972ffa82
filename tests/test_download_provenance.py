"""Every download button of every page, read as the bytes a click sends: each table states the
wave, its kind and what its own figures are (published, from the wave's answers, illustrative),
never the page headline's label for the whole page (issue 9, point 4)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from landscape.figures.export import ABOUT_SHEET
from landscape.intake.template import survey_workbook_bytes
from landscape.model import table_provenance
from landscape.model.measures import ALL_MEASURES
from landscape.model.published import NO_FIGURE
from landscape.model.table_provenance import FIELD, ROW_FIELD, TableKind
from landscape.store import open_store
from tests.app_support import PAGES, isolated_store, open_page
from tests.store_support import ADMIN, bundled_model, database_url
from tests.wave_kinds import reported_survey

ILLUSTRATIVE_WAVE = "APCC 2025 survey (illustrative)"
ILLUSTRATIVE_KIND = (
    "illustrative (real where a public source says so, invented elsewhere); "
    "calibrated to reproduce the APCC report (7 March 2025)"
)
PUBLISHED = "Published: APCC report (7 March 2025), "
SIMILAR = "area-E23000023-similar"


@dataclass(frozen=True)
class Download:
    page: str
    name: str
    about: dict[str, str]
    data: pd.DataFrame
    xlsx_about: dict[str, str]


@pytest.fixture(scope="module")
def deferred() -> Iterator[dict[str, tuple[Callable[[], bytes], str]]]:
    """Each deferred download's callable and file name by its file id, as the media file manager
    is given them (the button's proto holds only the id; a click runs the callable)."""
    made: dict[str, tuple[Callable[[], bytes], str]] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        file_id = original(self, data_callable, mimetype, coordinates, file_name, **kwargs)
        made[file_id] = (data_callable, str(file_name))
        return file_id

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(MediaFileManager, "add_deferred", add_deferred)
        yield made


def _csv_about(raw: bytes) -> dict[str, str]:
    lines = raw.decode("utf-8-sig").splitlines()
    about = {}
    for line in lines:
        if not line.startswith("# "):
            break
        field, _, text = line.removeprefix("# ").partition(": ")
        about[field] = text
    return about


def _xlsx_about(raw: bytes) -> dict[str, str]:
    book = openpyxl.load_workbook(io.BytesIO(raw))
    assert book.sheetnames[0] == ABOUT_SHEET
    return {str(r[0].value): str(r[1].value) for r in book[ABOUT_SHEET].iter_rows()}


def page_downloads(page: str, made, **query: str) -> list[Download]:
    """Every CSV table download of the page with its About lines, and its XLSX twin's."""
    at = open_page(page, **query)
    files: dict[str, bytes] = {}
    for button in at.get("download_button"):
        file_id = button.proto.deferred_file_id
        if not file_id:  # built in advance (the PDF builds on click too, but is no table)
            continue
        build, file_name = made[file_id]
        if file_name.endswith((".csv", ".xlsx")):
            files[file_name] = build()
    found = []
    for file_name, raw in files.items():
        if not file_name.endswith(".csv"):
            continue
        name = file_name.removesuffix(".csv")
        found.append(
            Download(
                page,
                name,
                _csv_about(raw),
                pd.read_csv(io.BytesIO(raw), comment="#", encoding="utf-8-sig"),
                _xlsx_about(files[f"{name}.xlsx"]),
            )
        )
    assert found, page
    return found


@pytest.fixture(scope="module")
def bundled_downloads(tmp_path_factory, deferred) -> list[Download]:
    with isolated_store(tmp_path_factory.mktemp("downloads") / "bundled.sqlite"):
        found = [d for page in PAGES for d in page_downloads(page, deferred)]
        found += page_downloads("area", deferred, area="E23000009")  # a non-respondent
    return found


def test_every_download_of_every_page_states_the_wave_and_its_own_figures(bundled_downloads):
    pages = {d.page for d in bundled_downloads}
    assert pages == set(PAGES)
    for download in bundled_downloads:
        about, where = download.about, (download.page, download.name)
        assert about["Wave"].startswith(ILLUSTRATIVE_WAVE), where
        assert about["Kind of wave"] == ILLUSTRATIVE_KIND, where
        assert "Figures on this page" not in about, where  # the headline's label is not theirs
        assert about[FIELD], where
        assert download.xlsx_about == about, where  # the XLSX About sheet says the same
        spec = table_provenance.spec_of(download.name)
        assert spec is not None, f"{where}: no line for this table in TABLES"
        line = about[FIELD]
        if spec.kind is TableKind.PER_ROW:
            assert spec.column in download.data.columns, where
            assert line.startswith(f"each row's provenance is in its {spec.column} column"), where
        elif spec.kind is TableKind.REFERENCE:
            assert line == spec.note, where
        elif not spec.rows and not spec.by_measure_label:
            assert line == NO_FIGURE, where  # "Illustrative: the report gives no figure"
        else:
            assert line.startswith(table_provenance.PUBLISHED_ROWS), where
            assert line.endswith("every other figure: Illustrative: computed from invented answers")


def test_a_published_rows_line_gives_the_reports_figure_and_the_row_holds_it(bundled_downloads):
    """Each row named published is the measure it is declared to be: its count in the table is
    the measure's numerator on the bundled wave, and its line the report's section and value."""
    model = bundled_model()
    checked = 0
    for download in bundled_downloads:
        spec = table_provenance.spec_of(download.name)
        if spec is None or not spec.rows:
            continue
        table = download.data.set_index(download.data.columns[0])
        for label, figure_id in spec.rows.items():
            figure = ALL_MEASURES[figure_id](model)
            text = download.about[f"{ROW_FIELD} {label}"]
            assert text.startswith(PUBLISHED), (download.name, label, text)
            assert int(table.loc[label, "Areas"]) == figure.numerator, (download.name, label)
            checked += 1
    assert checked == 8


def test_the_victims_support_table_says_illustrative_not_the_pages_published_61(
    bundled_downloads,
):
    victims = {d.name: d for d in bundled_downloads if d.page == "victims"}
    support = victims["victim-support"].about
    assert support[FIELD] == "Illustrative: the report gives no figure"
    assert not any(text.startswith("Published") for text in support.values())
    assert "61%" not in " ".join(support.values())
    forums = victims["risk-forums"].about
    assert forums[f"{ROW_FIELD} MARAC"] == (
        PUBLISHED + "Governance processes and structures: 61% · 20 of 33 is an illustrative count, "
        "not published"
    )
    assert f"{ROW_FIELD} Other" not in forums


def test_a_non_respondents_fund_table_points_to_its_provenance_column(bundled_downloads):
    fund = next(d for d in bundled_downloads if d.name == "area-E23000009-fund")
    assert fund.about[FIELD].startswith("each row's provenance is in its Provenance column")
    assert list(fund.data["Provenance"]) == ["Illustrative"]


@pytest.fixture(scope="module")
def two_waves(tmp_path_factory) -> Path:
    """The bundled wave (id 1), then a reported wave (no invented record) published after it."""
    database = tmp_path_factory.mktemp("downloads") / "reported.sqlite"
    store = open_store(database_url(database))
    store.publish(
        survey_workbook_bytes(reported_survey()), "2026.xlsx", principal=ADMIN, label="2026"
    )
    store.dispose()
    return database


def test_a_reported_waves_downloads_say_from_the_waves_answers(two_waves, deferred):
    with isolated_store(two_waves):
        found = {d.name: d for d in page_downloads("victims", deferred)}
    for name in ("victim-support", "risk-forums"):
        about = found[name].about
        assert (
            about["Kind of wave"]
            == "reported (every value is an area's own answer); tied to no published report"
        )
        assert about[FIELD] == "From the wave's answers", name
        assert not any(field.startswith(ROW_FIELD) for field in about), name


def test_a_table_drawn_above_its_header_describes_this_runs_wave_not_the_last(two_waves, deferred):
    """The area profile draws its similarity table before its header: after the sidebar's wave
    changes, that table's download names the wave now shown, not the one shown before."""
    with isolated_store(two_waves):
        at = open_page("area", area="E23000023", peers="similar")
        similar = f"{SIMILAR}.csv"

        def similar_about() -> dict[str, str]:
            (button,) = [
                b
                for b in at.get("download_button")
                if deferred.get(b.proto.deferred_file_id, (None, ""))[1] == similar
            ]
            return _csv_about(deferred[button.proto.deferred_file_id][0]())

        assert similar_about()["Wave"].startswith("2026")
        at.selectbox(key="filter-widget:wave").set_value("1").run()
        assert not at.exception
        about = similar_about()
        assert about["Wave"].startswith(ILLUSTRATIVE_WAVE)
        assert about["Kind of wave"] == ILLUSTRATIVE_KIND
