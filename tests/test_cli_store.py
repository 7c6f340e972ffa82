"""`landscape publish`, `waves`, `backup`, `restore`, `hash-password`: same checks as the page."""

from __future__ import annotations

import json

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner

from landscape.cli import main
from landscape.store import open_store, sha256_hex
from tests.store_support import area_only_workbook, database_url, sqlite_url, valid_workbook

FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
ACCOUNTS = {
    "alice": {"password_hash": FAST.hash("alice's long password"), "role": "admin"},
    "cambs": {
        "password_hash": FAST.hash("cambs long password"),
        "role": "area",
        "area": "Cambridgeshire",
    },
}
STORE_COMMANDS = ["publish", "waves", "backup", "restore", "hash-password"]


@pytest.fixture
def env(tmp_path, monkeypatch):
    url = database_url(tmp_path / "cli.sqlite")
    monkeypatch.setenv("LANDSCAPE_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    monkeypatch.setenv("LANDSCAPE_DATABASE_URL", url)
    monkeypatch.setenv("LANDSCAPE_ACCOUNTS", json.dumps(ACCOUNTS))
    monkeypatch.setenv("LANDSCAPE_PASSWORD", "alice's long password")
    open_store(url)  # seeded with the bundled wave, as the CLI would on first use: wave 1
    return url


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.mark.parametrize("command", STORE_COMMANDS)
def test_every_store_command_is_documented(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert len(result.output.split("\n\n")[1].strip()) > 20


def test_publish_then_waves_lists_uploader_time_and_checksum(env, tmp_path):
    survey = tmp_path / "survey.xlsx"
    survey.write_bytes(valid_workbook())
    result = run(
        "publish",
        str(survey),
        "--label",
        "APCC 2026",
        "--survey-date",
        "2026-03-01",
        "--as",
        "alice",
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Published as wave 2: APCC 2026."
    again = run("publish", str(survey), "--label", "again", "--as", "alice")
    assert again.exit_code == 0
    assert "already published as wave 2 (APCC 2026" in again.output

    listing = run("waves")
    assert listing.exit_code == 0
    line = next(line for line in listing.output.splitlines() if "APCC 2026" in line)
    assert line.startswith("* 2")
    assert "illustrative" in listing.output.splitlines()[1]  # the seed wave is listed too
    assert "alice" in line and "2026-03-01" in line and " UTC" in line
    assert sha256_hex(survey.read_bytes()) in line


def test_publish_of_an_invalid_file_prints_the_cell_addressed_problems_and_stores_nothing(
    env, tmp_path
):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(valid_workbook(monitoring_frequency="Fortnightly"))
    result = run("publish", str(bad), "--label", "Bad", "--as", "alice")
    assert result.exit_code == 1
    # the same one exit as `validate`: the files, the summary, then every problem by cell
    assert result.stderr.startswith("Error: bad.xlsx: 1 problem found in the survey upload.")
    assert "Areas!N2: " in result.stderr
    assert [w.kind for w in open_store(env, seed=False).list_waves()] == ["seed"]


def test_publish_with_a_wrong_password_is_refused(env, tmp_path, monkeypatch):
    monkeypatch.setenv("LANDSCAPE_PASSWORD", "guess")
    survey = tmp_path / "survey.xlsx"
    survey.write_bytes(valid_workbook())
    result = run("publish", str(survey), "--label", "X", "--as", "alice")
    assert result.exit_code == 1
    assert "username or password is not right" in result.stderr
    assert [w.kind for w in open_store(env, seed=False).list_waves()] == ["seed"]


def test_an_area_office_publishes_no_wave_from_the_cli(env, tmp_path, monkeypatch):
    monkeypatch.setenv("LANDSCAPE_PASSWORD", "cambs long password")
    own = tmp_path / "own.xlsx"
    own.write_bytes(area_only_workbook(strategic_board="No"))
    refused = run("publish", str(own), "--label", "W", "--as", "cambs")
    assert refused.exit_code == 1
    assert "Only an APCC administrator may publish a wave" in refused.stderr
    assert [w.kind for w in open_store(env, seed=False).list_waves()] == ["seed"]


@pytest.mark.sqlite_only  # SQLite's online backup; a server is backed up by pg_dump
def test_backup_and_restore_from_the_command_line(env, tmp_path):
    survey = tmp_path / "survey.xlsx"
    survey.write_bytes(valid_workbook())
    run("publish", str(survey), "--label", "W", "--as", "alice")
    backup = tmp_path / "backup.sqlite"
    made = run("backup", str(backup))
    assert made.exit_code == 0 and "Backed up 2 wave(s)" in made.output
    assert run("backup", str(backup)).exit_code == 1  # never overwrites without --force

    elsewhere = sqlite_url(tmp_path / "restored.sqlite")
    restored = run("restore", str(backup), "--database", elsewhere)
    assert restored.exit_code == 0 and "Restored 2 wave(s)" in restored.output
    assert [w.sha256 for w in open_store(elsewhere, seed=False).list_waves()][1:] == [
        sha256_hex(survey.read_bytes())
    ]
    refused = run("restore", str(backup), "--database", elsewhere)
    assert refused.exit_code == 1 and "--force" in refused.stderr
    forced = run("restore", str(backup), "--database", elsewhere, "--force")
    assert forced.exit_code == 0 and "Kept the replaced database as" in forced.output

    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("hello")
    result = run("restore", str(not_a_db), "--database", elsewhere)
    assert result.exit_code == 1 and "not a SQLite database" in result.stderr


def test_malformed_settings_exit_1_with_the_settings_message(env, tmp_path, monkeypatch):
    monkeypatch.setenv("LANDSCAPE_ACCOUNTS", "not json")
    survey = tmp_path / "survey.xlsx"
    survey.write_bytes(valid_workbook())
    result = run("publish", str(survey), "--label", "X", "--as", "alice")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: LANDSCAPE_ACCOUNTS is not valid JSON")
    assert "Traceback" not in result.output


def test_hash_password_prints_an_argon2_hash_that_verifies():
    result = run("hash-password", "--password-stdin", input="a long enough secret\n")
    assert result.exit_code == 0
    hashed = result.output.strip()
    assert hashed.startswith("$argon2id$")
    assert PasswordHasher().verify(hashed, "a long enough secret")


def test_hash_password_refuses_a_short_password():
    result = run("hash-password", "--password-stdin", input="short\n")
    assert result.exit_code == 1 and "at least 12" in result.stderr


def test_publish_accepts_the_csv_files_of_a_survey(env, tmp_path):
    import csv
    import io

    from landscape.schema import AREAS, PROGRAMMES
    from tests.builders import area_rows, programme_rows

    paths = []
    for sheet, rows in ((AREAS, area_rows()), (PROGRAMMES, programme_rows())):
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(sheet.column_names))
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
        path = tmp_path / f"{sheet.name}.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8-sig")
        paths.append(str(path))
    result = run("publish", *paths, "--label", "CSV wave", "--as", "alice")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Published as wave 2: CSV wave."
    (tmp_path / "cli.sqlite").touch()  # a file that is no CSV (on PostgreSQL, not the database)
    mixed = run("publish", paths[0], str(tmp_path / "cli.sqlite"), "--label", "x", "--as", "alice")
    assert mixed.exit_code == 2 and "one .xlsx workbook" in mixed.output
