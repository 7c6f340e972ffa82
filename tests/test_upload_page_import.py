"""The Upload page's survey-tool export: choose it, give the export and its mapping, see what will
be read from which cell before anything is kept, then publish through the same preview and form
as any upload; the wave keeps the export and its mapping."""

from __future__ import annotations

from pathlib import Path

from landscape.intake.exports import unbundle_import
from tests.test_upload_page import (  # noqa: F401 - the store fixture
    ADMIN,
    button,
    page,
    store,
    text_input,
    texts,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"
EXPORT = EXAMPLES / "survey-tool-export.csv"
MAPPING = EXAMPLES / "survey-tool-mapping.toml"


def choose_export(at):
    at.radio(key="upload_kind").set_value("A survey-tool export, with its mapping")
    return at.run()


def test_an_export_is_previewed_cell_by_cell_then_published_with_its_mapping(store):  # noqa: F811
    at = choose_export(page(ADMIN))
    assert not at.exception
    assert [u.label for u in at.file_uploader][-2:] == [
        "Survey-tool export (.csv or .xlsx)",
        "Mapping (.toml)",
    ]
    at.file_uploader[-2].upload(EXPORT.name, EXPORT.read_bytes(), "text/csv")
    at.file_uploader[-1].upload(MAPPING.name, MAPPING.read_bytes(), "application/toml")
    at.run()
    assert not at.exception
    assert "What will be read, from which cell" in texts(at)
    preview = at.dataframe[0].value
    first = preview.iloc[0]
    assert (first["cell"], first["field"], first["read_as"]) == (
        "survey-tool-export.csv!F2",
        "force_area",
        "Metropolitan Police",
    )
    assert len(at.dataframe) > 1  # then the change against the current wave, as any upload
    text_input(at, "Wave label").input("APCC 2025 call for evidence")
    button(at, "Publish").click()
    at.run()
    assert not at.exception
    assert any("Published as wave 2" in s.value for s in at.success)
    filename, content = store.original_file("2")
    assert filename == "survey-tool-export.import.zip"
    assert unbundle_import(content).mapping_text == MAPPING.read_bytes()


def test_a_mapping_that_cannot_be_used_is_a_problem_and_nothing_is_previewed(store):  # noqa: F811
    at = choose_export(page(ADMIN))
    at.file_uploader[-2].upload(EXPORT.name, EXPORT.read_bytes(), "text/csv")
    at.file_uploader[-1].upload("m.toml", b"separator = ;", "application/toml")
    at.run()
    assert not at.exception
    assert "There is a problem" in [s.value for s in at.subheader]
    assert "What will be read" not in texts(at)
    assert [w.label for w in store.list_waves()] == ["Existing wave"]
