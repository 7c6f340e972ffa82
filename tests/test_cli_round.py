"""`landscape round open|download|return|submit|accept|reopen|status|publish`."""

from __future__ import annotations

import csv
import json

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner

from landscape.cli import main
from landscape.store import open_store
from landscape.store.rounds import Rounds
from tests.round_support import edited_areas_row
from tests.store_support import ADMIN, CAMBRIDGESHIRE, database_url

FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "a long enough password"
ACCOUNTS = {
    "alice": {"password_hash": FAST.hash(PASSWORD), "role": "admin"},
    "cambs": {"password_hash": FAST.hash(PASSWORD), "role": "area", "area": "Cambridgeshire"},
    "essex": {"password_hash": FAST.hash(PASSWORD), "role": "area", "area": "Essex"},
}


@pytest.fixture
def env(tmp_path, monkeypatch):
    url = database_url(tmp_path / "cli.sqlite")
    monkeypatch.setenv("LANDSCAPE_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    monkeypatch.setenv("LANDSCAPE_DATABASE_URL", url)
    monkeypatch.setenv("LANDSCAPE_ACCOUNTS", json.dumps(ACCOUNTS))
    monkeypatch.setenv("LANDSCAPE_PASSWORD", PASSWORD)
    open_store(url)  # seeded with the bundled wave: the returns are prefilled from it
    return url


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def opened() -> None:
    result = run(
        "round", "open", "--label", "APCC 2026 survey", "--period", "2025-26",
        "--deadline", "2026-03-31", "--as", "alice",
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_round_open_names_the_round_and_its_questions(env):
    result = run(
        "round", "open", "--label", "APCC 2026 survey", "--period", "2025-26",
        "--deadline", "2026-03-31", "--as", "alice",
    )  # fmt: skip
    assert result.exit_code == 0
    assert result.output.startswith(
        "Opened round 1: APCC 2026 survey (2025-26), due 31 March 2026; "
    )


def test_an_office_cannot_open_or_publish_a_round(env):
    result = run(
        "round", "open", "--label", "X", "--period", "Y", "--deadline", "2026-03-31",
        "--as", "cambs",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "Only an APCC administrator may open a survey round." in result.output
    opened()
    result = run("round", "publish", "--as", "cambs")
    assert result.exit_code == 1 and "may publish a wave" in result.output


def test_an_office_downloads_returns_and_submits_and_the_admin_publishes(env, tmp_path):
    opened()
    blank = tmp_path / "cambs.xlsx"
    assert run("round", "download", str(blank), "--as", "cambs").exit_code == 0
    filled = tmp_path / "cambs-filled.xlsx"
    filled.write_bytes(edited_areas_row(blank.read_bytes(), strategic_board="No"))
    result = run("round", "return", str(filled), "--submit", "--as", "cambs")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Stored Cambridgeshire's return as draft version 1."
    assert "  Cambridgeshire: strategic_board: Yes -> No" in lines
    assert lines[-1] == "Submitted version 1 to the APCC."

    status = run("round", "status", "--as", "alice", "--outstanding", str(tmp_path / "o.csv"))
    assert status.exit_code == 0
    assert any(
        line.split()[:2] == ["Cambridgeshire", "submitted"] for line in status.output.splitlines()
    )
    assert status.output.splitlines()[-2] == "42 not started, 1 submitted"
    with (tmp_path / "o.csv").open(encoding="utf-8") as handle:
        outstanding = list(csv.DictReader(handle))
    assert len(outstanding) == 42
    assert "Cambridgeshire" not in {row["area"] for row in outstanding}
    assert outstanding[0]["status"] == "not started"

    assert run("round", "accept", "Cambridgeshire", "--as", "alice").exit_code == 0
    published = run("round", "publish", "--as", "alice")
    assert published.exit_code == 0, published.output
    assert published.output.startswith("Published APCC 2026 survey as wave 2; 42 areas recorded")
    store = open_store(env)
    survey = store.load_survey("2")
    status_of = dict(zip(survey.areas["area_code"], survey.areas["response_status"], strict=True))
    assert status_of[CAMBRIDGESHIRE] == "Responded"
    assert sum(v == "Did not respond" for v in status_of.values()) == 42
    assert Rounds(store).round(ADMIN, 1).wave_id == "2"


def test_an_office_sees_only_its_own_row_of_the_tracker(env, tmp_path):
    opened()
    status = run("round", "status", "--as", "essex")
    assert status.exit_code == 0
    assert [line.split()[0] for line in status.output.splitlines()[1:-1]] == ["Essex"]


def test_an_office_return_that_changes_another_area_is_refused_by_cell(env, tmp_path):
    opened()
    blank = tmp_path / "cambs.xlsx"
    run("round", "download", str(blank), "--as", "cambs")
    result = run("round", "return", str(blank), "--as", "essex")
    assert result.exit_code == 1
    # Cambridgeshire's rows are as published, so they are ignored: what is wrong is the one thing
    assert result.output.splitlines() == [
        "Error: cambs.xlsx: This upload has no row for Essex. Upload Essex's own return.",
        "Areas: There is no row for Essex. Add your area's row to the Areas sheet: it replaces "
        "your whole row",
    ]


def test_an_office_return_that_changes_another_area_names_the_row(env, tmp_path):
    opened()
    blank = tmp_path / "cambs.xlsx"
    run("round", "download", str(blank), "--as", "cambs")
    changed = tmp_path / "changed.xlsx"
    changed.write_bytes(edited_areas_row(blank.read_bytes(), strategic_board="No"))
    result = run("round", "return", str(changed), "--as", "essex")
    assert result.exit_code == 1
    assert "changed.xlsx: An area office can change only its own area (Essex)" in result.output
    assert (
        "Areas!A2: This row changes Cambridgeshire (strategic_board); your account may change "
        "only Essex. Remove the row, or ask the APCC administrator to publish it"
    ) in result.output


# --- no escape sequence reaches the terminal --------------------------------------------------

ESCAPE = "\x1b]0;owned\x07\x1b[2J"  # retitle the terminal and clear the screen


def test_a_control_character_in_a_round_label_is_refused_when_entered(env):
    for option in ("--label", "--period"):
        values = {"--label": "APCC 2026", "--period": "2025-26", option: f"APCC{ESCAPE} 2026"}
        result = run(
            "round", "open", "--label", values["--label"], "--period", values["--period"],
            "--deadline", "2026-03-31", "--as", "alice",
        )  # fmt: skip
        assert result.exit_code == 1
        assert "holds control characters (U+001B, U+0007), which a label may not" in result.output
        assert "\x1b" not in result.output
    assert Rounds(open_store(env)).rounds(ADMIN) == []


def test_a_stored_label_with_escapes_downloads_and_prints_inert(env, tmp_path, monkeypatch):
    """A label stored before labels were checked when entered (opened here with the check off)."""
    import datetime as dt

    monkeypatch.setattr("landscape.store.rounds.refuse_control_characters", lambda *_: None)
    Rounds(open_store(env)).open_round(
        ADMIN, label=f"APCC{ESCAPE} 2026", period="2025-26", deadline=dt.date(2026, 3, 31)
    )
    monkeypatch.undo()
    monkeypatch.setenv("LANDSCAPE_DATABASE_URL", env)
    monkeypatch.setenv("LANDSCAPE_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    monkeypatch.setenv("LANDSCAPE_ACCOUNTS", json.dumps(ACCOUNTS))
    monkeypatch.setenv("LANDSCAPE_PASSWORD", PASSWORD)
    out = tmp_path / "cambs.xlsx"
    downloaded = run("round", "download", str(out), "--as", "cambs")
    assert downloaded.exit_code == 0, downloaded.output
    assert out.stat().st_size > 0
    status = run("round", "status", "--as", "alice")
    assert status.exit_code == 0
    assert "\x1b" not in status.output and "\x07" not in status.output
    assert "Round 1: APCC\\x1b]0;owned\\x07\\x1b[2J 2026 (2025-26)" in status.output
