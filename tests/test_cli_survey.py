"""`landscape validate` and `landscape template`."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import landscape.cli
from landscape.cli import main
from landscape.cli.group import LandscapeGroup, about
from landscape.errors import LandscapeError, Problem
from landscape.intake.validate import SurveyInvalid, load_survey
from landscape.schema import OPTIONAL_SHEETS, SHEETS
from tests.builders import area_rows, csvs_from_rows, programme_rows, workbook_from_rows


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_validate_a_valid_workbook_exits_0_with_a_summary(tmp_path):
    path = tmp_path / "survey.xlsx"
    path.write_bytes(workbook_from_rows(area_rows(), programme_rows()))
    result = run("validate", str(path))
    assert result.exit_code == 0, result.output
    assert (
        "valid survey. 3 force areas responded, 1 did not respond (39 not listed, counted as "
        "not responding); 4 programmes." in result.output
    )


def test_validate_an_invalid_workbook_exits_1_with_the_cell_addressed_report(tmp_path):
    rows = programme_rows()
    rows[2]["accreditation"] = "Respekt"
    path = tmp_path / "survey.xlsx"
    path.write_bytes(workbook_from_rows(area_rows(), rows))
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path}: 1 problem found in the survey upload.")
    assert 'Programmes!I4: "Respekt" is not an allowed accreditation.' in result.output
    assert "Traceback" not in result.output


def test_validate_a_hostile_file_exits_1_with_a_file_problem(tmp_path):
    path = tmp_path / "survey.xlsm"
    path.write_bytes(b"<html>not a workbook</html>")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "file: " in result.output and "macros are refused" in result.output


def test_validate_csv_files_and_a_folder_of_them(tmp_path):
    for name, data in csvs_from_rows(area_rows(), programme_rows()).items():
        (tmp_path / name).write_bytes(data)
    by_files = run("validate", str(tmp_path / "Areas.csv"), str(tmp_path / "Programmes.csv"))
    by_folder = run("validate", str(tmp_path))
    assert by_files.exit_code == 0 and by_folder.exit_code == 0, by_files.output
    assert "4 programmes" in by_folder.output


def test_validate_a_missing_file_is_a_usage_error(tmp_path):
    result = run("validate", str(tmp_path / "absent.xlsx"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_template_writes_the_workbook_and_will_not_overwrite(tmp_path):
    out = tmp_path / "template.xlsx"
    first = run("template", str(out))
    assert first.exit_code == 0, first.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "Instructions",
        *(s.name for s in (*SHEETS, *OPTIONAL_SHEETS)),
        "Lists",
    ]
    again = run("template", str(out))
    assert again.exit_code == 1 and "--force" in again.output
    assert run("template", "--force", str(out)).exit_code == 0


def test_commands_have_help():
    for command in ("validate", "template"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output


# --- one exit path (cli/group.py) for every command ------------------------------------------


def probe_group(error: LandscapeError) -> LandscapeGroup:
    group = LandscapeGroup("probe")

    @group.command()
    def fails() -> None:
        about("thing.xlsx")
        raise error

    return group


def test_a_landscape_error_prints_its_summary_and_problems_to_stderr_and_exits_1():
    problem = Problem("Areas", "B2", "x", "Bad value", "Use y")
    error = LandscapeError("It is broken", fix="Mend it", problems=[problem])
    result = CliRunner().invoke(probe_group(error), ["fails"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Error: thing.xlsx: It is broken. Mend it.",
        "Areas!B2: Bad value. Use y",
    ]


def test_the_exit_code_is_the_errors_own():
    class Unavailable(LandscapeError):
        exit_code = 3

    result = CliRunner().invoke(probe_group(Unavailable("Gone")), ["fails"])
    assert (result.exit_code, result.stderr) == (3, "Error: thing.xlsx: Gone.\n")


def test_no_command_module_has_an_exit_path_of_its_own():
    ways_out = ("sys.exit", "SystemExit", "exceptions.Exit", "ClickException", "FileError")
    caught = ("LandscapeError", "SurveyInvalid", "AccessDenied", "SignInFailed", "StoreError")
    for module in Path(landscape.cli.__file__).parent.glob("*.py"):
        if module.name == "group.py":
            continue
        text = module.read_text(encoding="utf-8")
        assert [w for w in ways_out if w in text] == [], module.name
        assert [c for c in caught if f"except {c}" in text] == [], module.name


# --- validate --json ------------------------------------------------------------------------------


def test_validate_json_prints_the_parsed_survey_and_exits_0(tmp_path):
    path = tmp_path / "survey.xlsx"
    path.write_bytes(workbook_from_rows(area_rows(), programme_rows()))
    result = run("validate", str(path), "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["valid"] is True and set(answer["survey"]) == {"areas", "programmes"}
    areas, programmes = answer["survey"]["areas"], answer["survey"]["programmes"]
    assert [a["area_code"] for a in areas] == ["E23000023", "E23000028", "E23000002", "E23000031"]
    assert areas[0]["stalking_provision"] == ["Within DA programmes", "Specialist non-DA"]
    assert areas[1]["evaluation_reports_supplied"] is None and areas[3]["risk_forums"] == []
    stepwise = programmes[0]
    assert (stepwise["programme_name"], stepwise["annual_budget_gbp"]) == ("StepWise", 15000.0)
    assert (stepwise["annual_capacity"], stepwise["funding_start"]) == (120, "2023-04-01")
    assert programmes[1]["funding_end"] is None


def test_validate_json_prints_each_problem_with_sheet_cell_value_message_and_fix(tmp_path):
    rows = programme_rows()
    rows[2]["accreditation"] = "Respekt"
    path = tmp_path / "survey.xlsx"
    path.write_bytes(workbook_from_rows(area_rows(), rows))
    result = run("validate", str(path), "--json")
    assert result.exit_code == 1 and result.stderr == ""
    answer = json.loads(result.stdout)
    assert answer["valid"] is False
    assert answer["message"] == "1 problem found in the survey upload"
    assert answer["problems"] == [
        {
            "sheet": "Programmes",
            "cell": "I4",
            "value": "Respekt",
            "message": '"Respekt" is not an allowed accreditation',
            "fix": "Use one of: Respect, CSAAP, NFI, None, Not applicable "
            '(did you mean "Respect"?)',
        }
    ]


def test_validate_json_uses_the_same_rules_as_the_upload(tmp_path):
    areas = area_rows()
    areas.extend({"notes": "stray"} for _ in range(6, 9))
    data = workbook_from_rows(areas, programme_rows())
    path = tmp_path / "survey.xlsx"
    path.write_bytes(data)
    with pytest.raises(SurveyInvalid) as raised:
        load_survey(data, "survey.xlsx")
    answer = json.loads(run("validate", str(path), "--json").stdout)
    assert [(p["sheet"], p["cell"], p["message"]) for p in answer["problems"]] == [
        (p.sheet, p.cell, p.message) for p in raised.value.problems
    ]
    assert len(answer["problems"]) == 1


def test_validate_json_reports_an_unreadable_file_as_one_problem_without_a_sheet(tmp_path):
    path = tmp_path / "survey.xlsm"
    path.write_bytes(b"<html>not a workbook</html>")
    result = run("validate", str(path), "--json")
    assert result.exit_code == 1
    [problem] = json.loads(result.stdout)["problems"]
    assert (problem["sheet"], problem["cell"], problem["value"]) == (None, None, None)
    assert "macros are refused" in problem["message"]


def test_validate_prints_a_cells_escape_sequence_inert(tmp_path):
    """A CSV cell (an .xlsx cannot hold ESC) and a file name with escape sequences."""
    areas = area_rows()
    areas[0]["strategic_board"] = "Yes\x1b[2J\x1b]0;owned\x07"
    paths = []
    folder = tmp_path / "returns\x1b[31m"
    folder.mkdir()
    for name, data in csvs_from_rows(areas, programme_rows()).items():
        path = folder / name
        path.write_bytes(data)
        paths.append(str(path))
    result = run("validate", *paths)
    assert result.exit_code == 1
    assert "\x1b" not in result.output + result.stderr and "\x07" not in result.stderr
    assert "Yes\\x1b[2J" in result.stderr
