"""Survey-tool exports in: the example export (data/examples/) imports through its mapping to the
bundled wave's answers it was made from, as CSV and as .xlsx; problems name the export's own
cells; the mapping is checked key by key; `--suggest` writes a first mapping that marks what it
could not decide; an import is published as one file holding the export and its mapping."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from landscape import paths
from landscape.cli import main
from landscape.errors import Problem
from landscape.intake.exports import (
    bundle_import,
    import_filename,
    load_export,
    load_import_bundle,
    preview_of,
    split_answers,
    unbundle_import,
)
from landscape.intake.mapping import MappingInvalid, read_mapping
from landscape.intake.suggest import mapping_toml, suggest
from landscape.intake.uploads import read_upload
from landscape.intake.validate import SurveyInvalid, load_survey
from landscape.intake.workbook import column_letter, read_response_table
from landscape.schema import NOT_ANSWERS, ResponseStatus
from landscape.survey import Survey
from scripts import build_example_export as example
from tests.store_support import ADMIN

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"
EXPORT = EXAMPLES / example.EXPORT_NAME
MAPPING = EXAMPLES / example.MAPPING_NAME


def mapping():
    return read_mapping(MAPPING.read_bytes(), MAPPING.name)


def imported(data: bytes | None = None, name: str = EXPORT.name, text: str | None = None) -> Survey:
    chosen = read_mapping(text.encode("utf-8")) if text is not None else mapping()
    return load_export(EXPORT.read_bytes() if data is None else data, name, chosen)


def problems_of(data: bytes, text: str | None = None) -> list[Problem]:
    with pytest.raises(SurveyInvalid) as raised:
        imported(data, text=text)
    return raised.value.problems


def export_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(EXPORT.read_bytes().decode("utf-8-sig"))))


def as_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def answered(survey: Survey) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The answers the export carries: every field it maps, no row provenance."""
    chosen = mapping()
    area_columns = ["area_code", *(f for f in chosen.areas if f != "force_area")]
    programme_columns = ["area_code", *chosen.programmes]
    areas = survey.areas[area_columns].reset_index(drop=True)
    programmes = survey.programmes[programme_columns].reset_index(drop=True)
    return areas, programmes


def bundled_responding() -> tuple[pd.DataFrame, pd.DataFrame]:
    wave = load_survey(paths.BUNDLED_WAVE.read_bytes(), paths.BUNDLED_WAVE.name)
    responded = wave.areas["response_status"] == ResponseStatus.RESPONDED.value
    return answered(Survey(wave.areas[responded], wave.programmes, wave.provenance))


# --- the example ----------------------------------------------------------------------------


def test_the_example_files_are_what_the_committed_script_builds():
    assert EXPORT.read_bytes() == example.export_bytes()
    assert MAPPING.read_text(encoding="utf-8") == example.mapping_text()


def test_the_example_export_imports_to_the_bundled_waves_answers_it_was_made_from():
    survey = imported()
    areas, programmes = answered(survey)
    expected_areas, expected_programmes = bundled_responding()
    assert len(areas) == 33 and len(programmes) == 210
    pd.testing.assert_frame_equal(areas, expected_areas)
    pd.testing.assert_frame_equal(programmes, expected_programmes)
    assert set(survey.areas["response_status"]) == {"Responded"}
    assert set(survey.areas["provenance"].dropna()) <= {"Reported"}  # the areas' own answers


def test_the_same_export_as_an_xlsx_workbook_imports_to_the_same_survey():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Form1"
    for row in export_rows():
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"  # as the tool writes them: text
    buffer = io.BytesIO()
    book.save(buffer)
    survey = load_export(buffer.getvalue(), "responses.xlsx", mapping())
    for mine, theirs in zip(answered(survey), answered(imported()), strict=True):
        pd.testing.assert_frame_equal(mine, theirs)


def test_the_preview_says_what_is_read_from_which_cell():
    frame = preview_of(EXPORT.read_bytes(), EXPORT.name, mapping())
    header = export_rows()[0]
    funding = column_letter(header.index(example.AREA_QUESTIONS["funding_sources"]))
    row = frame[frame["cell"] == f"{EXPORT.name}!{funding}2"].iloc[0]
    assert row["field"] == "funding_sources" and row["sheet"] == "Areas"
    assert row["written"].startswith(
        "Home Office DA and Stalking Perpetrator Intervention Fund 2023\u201325;"
    )
    assert row["read_as"].startswith("Home Office fund 2023-25; Policing budget")
    area = frame[frame["field"] == "force_area"].iloc[0]
    assert (area["written"], area["read_as"]) == ("Metropolitan Police", "Metropolitan Police")
    assert len(frame) == frame["cell"].nunique() + (frame["field"] == "force_area").sum() - 33


# --- problems at the export's cells ---------------------------------------------------------


def test_a_bad_answer_is_refused_at_the_exports_own_cell():
    rows = export_rows()
    delivery = rows[0].index("Programme 2: how is it delivered?")
    rows[4][delivery] = "Twice weekly"
    [problem] = problems_of(as_csv(rows))
    assert problem.location == f"{EXPORT.name}!{column_letter(delivery)}5"
    assert problem.value == "Twice weekly"
    assert problem.message == '"Twice weekly" is not an allowed delivery'


def test_the_same_bad_answer_down_a_column_is_one_problem_naming_the_range():
    rows = export_rows()
    board = rows[0].index(example.AREA_QUESTIONS["strategic_board"])
    for row in rows[3:9]:
        row[board] = "Sometimes"
    [problem] = problems_of(as_csv(rows))
    letter = column_letter(board)
    assert problem.location == f"{EXPORT.name}!{letter}4:{letter}9"
    assert "(the same in all 6 cells" in problem.message


def test_a_duplicate_programme_names_the_exports_rows():
    rows = export_rows()
    second = rows[0].index("Programme 2: name")
    first = rows[0].index("Programme 1: name")
    rows[1][second] = rows[1][first]
    problems = problems_of(as_csv(rows))
    assert [p.location for p in problems] == [f"{EXPORT.name}!{column_letter(second)}2"]
    assert "first at row 2" in problems[0].message


def test_a_column_with_answers_that_the_mapping_does_not_name_is_refused_not_dropped():
    rows = export_rows()
    rows[0].append("Anything else you would like to tell us?")
    for row in rows[1:]:
        row.append("")
    rows[3][-1] = "We are reviewing our contracts"
    [problem] = problems_of(as_csv(rows))
    assert problem.location == f"{EXPORT.name}!{column_letter(len(rows[0]) - 1)}1"
    assert "neither reads nor ignores it" in problem.message


def test_a_mapped_column_missing_from_the_export_is_named():
    text = MAPPING.read_text(encoding="utf-8").replace(
        "How often do you monitor", "How frequently do you monitor"
    )
    missing, unread = problems_of(EXPORT.read_bytes(), text)
    assert missing.location == "mapping!areas.monitoring_frequency"
    assert (missing.value or "").startswith("How frequently")
    assert unread.value == example.AREA_QUESTIONS["monitoring_frequency"]  # now not read


# --- the mapping ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (("[areas]\n", '[areas]\nresponse_rate = "x"\n'), "areas", "response_rate"),
        (('"Every month" = "Monthly"', '"Every month" = "Weekly"'), "", "Weekly"),
        (('separator = ";"', 'separator = ";"\ncolour = "red"'), "colour", "not a key"),
        (
            ('programme_name = "Programme {n}: name"', 'programme_name = "Name"'),
            "programmes",
            "{n}",
        ),
        (("force_area = ", "# force_area = "), "areas", "force_area"),
    ],
)
def test_a_mapping_that_cannot_be_used_is_refused_naming_its_key(change, key, words):
    text = MAPPING.read_text(encoding="utf-8").replace(*change)
    with pytest.raises(MappingInvalid) as raised:
        read_mapping(text.encode("utf-8"), "m.toml")
    problem = raised.value.problems[0]
    assert (problem.cell or "").startswith(key) and words in problem.message, problem


def test_a_mapping_that_is_not_toml_names_the_line():
    with pytest.raises(MappingInvalid) as raised:
        read_mapping(b"separator = ;\n", "m.toml")
    assert "line 1" in raised.value.problems[0].message


def test_answers_are_split_on_the_separator_except_inside_a_known_wording():
    wordings = ["Local authority, e.g. the council"]
    assert split_answers("Local authority, e.g. the council, Health,", ",", wordings) == [
        "Local authority, e.g. the council",
        "Health",
    ]
    assert split_answers("IDVA\nISAC\n", "\\n", []) == ["IDVA", "ISAC"]


# --- a first mapping ------------------------------------------------------------------------


def test_the_suggested_mapping_matches_every_column_of_the_example_and_lists_its_guesses():
    found = suggest(read_response_table(EXPORT.read_bytes(), EXPORT.name))
    shipped = mapping()
    assert found.separator == ";"
    assert found.areas == dict(shipped.areas)
    assert found.programmes == dict(shipped.programmes)
    assert found.ignore == list(example.TOOL_COLUMNS)
    assert 'labels.delivery: check that "Group work" means "Group"' in found.todo
    assert (
        'labels.monitoring_frequency: "Every month" matches no option; add its label' in found.todo
    )
    text = mapping_toml(found, EXPORT.name)
    problems = problems_of(EXPORT.read_bytes(), text)
    assert problems and all(p.location == "mapping!todo" for p in problems[: len(found.todo)])


def test_a_suggestion_marks_a_column_it_cannot_match_and_a_field_without_a_column():
    rows = [[c for c in row] for row in export_rows()]
    board = rows[0].index(example.AREA_QUESTIONS["strategic_board"])
    rows[0][board] = "Q14"
    for row in rows[1:]:
        row[board] = "maybe so"
    found = suggest(read_response_table(as_csv(rows), "x.csv"))
    assert "strategic_board" not in found.areas
    assert 'column "Q14": no field matched; map it or list it under ignore' in found.todo
    assert "areas.strategic_board: no column found; it must be mapped" in found.todo


# --- kept with the wave ---------------------------------------------------------------------


def test_an_import_is_published_as_one_file_holding_the_export_and_its_mapping(store):
    bundle = bundle_import(EXPORT.read_bytes(), EXPORT.name, MAPPING.read_bytes())
    assert bundle == bundle_import(EXPORT.read_bytes(), EXPORT.name, MAPPING.read_bytes())
    name = import_filename(EXPORT.name)
    result = store.publish(bundle, name, principal=ADMIN, label="APCC 2025 call for evidence")
    wave = store.load_survey(result.wave.wave_id)
    for mine, theirs in zip(answered(wave), answered(imported()), strict=True):
        pd.testing.assert_frame_equal(mine, theirs)
    filename, content = store.original_file(result.wave.wave_id)
    kept = unbundle_import(content)
    assert (filename, kept.export_filename) == (name, EXPORT.name)
    assert kept.mapping_text == MAPPING.read_bytes()
    assert read_upload(content, filename).areas.equals(load_import_bundle(content).areas)
    again = store.publish(bundle, name, principal=ADMIN, label="again")
    assert not again.created  # the same import again is recognised


def test_an_import_archive_with_something_else_in_it_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("export/x.csv", b"a")
        archive.writestr("mapping.toml", b"")
        archive.writestr("extra.bin", b"")
    with pytest.raises(SurveyInvalid):
        load_import_bundle(buffer.getvalue())


# --- the command ----------------------------------------------------------------------------


def test_the_command_validates_previews_and_writes_the_import(tmp_path: Path):
    out = tmp_path / "wave.import.zip"
    runner = CliRunner()
    result = runner.invoke(
        main, ["import", str(EXPORT), "--mapping", str(MAPPING), "--out", str(out), "--preview"]
    )
    assert result.exit_code == 0, result.output
    assert "valid survey through survey-tool-mapping.toml. 33 force areas responded" in (
        result.output
    )
    assert "cell\tquestion\tsheet\trow\tfield\twritten\tread_as" in result.output
    assert unbundle_import(out.read_bytes()).mapping_text == MAPPING.read_bytes()
    again = runner.invoke(
        main, ["import", str(EXPORT), "--mapping", str(MAPPING), "--out", str(out)]
    )
    assert again.exit_code == 1 and "already exists" in again.output


def test_the_command_writes_a_suggestion_and_refuses_a_mapping_with_todo(tmp_path: Path):
    export = tmp_path / "responses.csv"
    export.write_bytes(EXPORT.read_bytes())
    runner = CliRunner()
    result = runner.invoke(main, ["import", str(export), "--suggest"])
    assert result.exit_code == 0, result.output
    written = tmp_path / "responses.mapping.toml"
    assert "still to decide (its todo)" in result.output
    refused = runner.invoke(main, ["import", str(export), "--mapping", str(written)])
    assert refused.exit_code == 1
    assert "mapping!todo: Still to decide:" in refused.output
    both = runner.invoke(main, ["import", str(export), "--suggest", "--mapping", str(written)])
    assert both.exit_code == 2


def test_no_answer_of_the_import_is_a_column_it_does_not_carry():
    survey = imported()
    unmapped = [
        c
        for c in survey.areas.columns
        if c not in mapping().areas and c not in {"area_code", "response_status", *NOT_ANSWERS}
    ]
    assert all(survey.areas[c].isna().all() for c in unmapped)


def test_the_guide_explains_every_key_of_the_mapping_and_both_commands():
    from landscape.intake.mapping import ImportMapping

    guide = (Path(__file__).resolve().parents[1] / "docs" / "importing.md").read_text("utf-8")
    tables = {"areas": "[areas]", "programmes": "[programmes]", "labels": "[labels.FIELD]"}
    for key in ImportMapping.model_fields:
        assert f"**`{tables.get(key, key)}`**" in guide, key
    for command in ("landscape import responses.csv --suggest", "landscape publish"):
        assert command in guide


def test_import_then_publish_on_the_command_line_stores_the_wave_with_its_mapping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from landscape.store.waves import open_store
    from tests.store_support import database_url
    from tests.test_cli_store import ACCOUNTS  # the accounts the CLI signs in with

    url = database_url(tmp_path / "cli.sqlite")
    monkeypatch.setenv("LANDSCAPE_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    monkeypatch.setenv("LANDSCAPE_DATABASE_URL", url)
    monkeypatch.setenv("LANDSCAPE_ACCOUNTS", json.dumps(ACCOUNTS))
    monkeypatch.setenv("LANDSCAPE_PASSWORD", "alice's long password")
    out = tmp_path / "responses.import.zip"
    runner = CliRunner()
    made = runner.invoke(
        main, ["import", str(EXPORT), "--mapping", str(MAPPING), "--out", str(out)]
    )
    assert made.exit_code == 0, made.output
    published = runner.invoke(
        main, ["publish", str(out), "--label", "Call for evidence", "--as", "alice"]
    )
    assert published.exit_code == 0, published.output
    store = open_store(url)
    wave = store.current_wave()
    assert wave is not None and wave.label == "Call for evidence"
    assert store.original_file(wave.wave_id)[1] == out.read_bytes()
    assert len(store.load_survey(wave.wave_id).programmes) == 210


def test_a_question_headed_twice_in_the_export_is_refused_not_picked():
    rows = export_rows()
    board = rows[0].index(example.AREA_QUESTIONS["strategic_board"])
    rows[0][board + 1] = rows[0][board]  # two columns headed the same
    problems = problems_of(as_csv(rows))
    assert any(
        p.location == "mapping!areas.strategic_board" and "more than one column" in p.message
        for p in problems
    )


def test_a_response_left_empty_is_no_area_and_no_problem():
    rows = export_rows()
    rows.append(["34", "05/12/2024 10:00", "05/12/2024 10:01", "anonymous"] + [""] * 10)
    assert len(imported(as_csv(rows)).areas) == 33
