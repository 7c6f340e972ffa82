"""`landscape figures`: published against computed, as a table or JSON."""

from __future__ import annotations

import json

from click.testing import CliRunner

from landscape.cli import main
from landscape.model.published import published_figures
from tests.builders import minimal_survey, workbook_from_rows


def test_figures_on_the_bundled_wave_lists_every_published_figure():
    result = CliRunner().invoke(main, ["figures"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines() if line.strip()}
    for fid in published_figures()["id"]:
        assert fid in lines
    assert lines["co_commissioning"].split()[1:] == ["52%", "52%", "17", "/", "33", "yes"]
    assert lines["evaluation_any_percent"].split()[-1] == "NO"
    assert lines["ho_fund_fy2324"].split()[-1] == "context"
    assert "23 of 24 survey figures match the report." in result.output
    assert "(illustrative, calibrated to reproduce the APCC report (7 March 2025))" in result.output
    assert "26 of 33 is 79%" in result.output


def test_figures_json():
    result = CliRunner().invoke(main, ["figures", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert (document["kind"], document["reproduces"]) == ("illustrative", "apcc-2025")
    assert document["wave"] == "apcc-2025-illustrative.xlsx"
    rows = {row["id"]: row for row in document["figures"]}
    assert len(rows) == len(published_figures())
    assert rows["marac"]["provenance"].startswith("Published: APCC report (7 March 2025)")
    assert rows["marac"] == rows["marac"] | {
        "published": 61, "computed": 61, "numerator": 20, "denominator": 33, "matches": True,
    }  # fmt: skip
    assert rows["evaluation_any_percent"]["matches"] is False
    assert rows["evaluations_received"]["denominator"] is None
    assert rows["ho_fund_min_bid"]["matches"] is None
    assert rows["ho_fund_min_bid"]["computed"] is None


def test_figures_of_another_file(tmp_path):
    from landscape.intake.template import survey_workbook_bytes

    path = tmp_path / "wave.xlsx"
    path.write_bytes(survey_workbook_bytes(minimal_survey()))
    result = CliRunner().invoke(main, ["figures", str(path), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    # a workbook other than the bundled wave is tied to no report; this one holds invented rows
    assert (document["kind"], document["reproduces"]) == ("illustrative", None)
    rows = {row["id"]: row for row in document["figures"]}
    assert rows["marac"]["provenance"] == "Illustrative: computed from invented answers"
    assert (
        rows["respondents"]["computed"]
        == (minimal_survey().areas["response_status"] == "Responded").sum()
    )
    assert rows["respondents"]["matches"] is False


def test_figures_of_an_invalid_file_exits_1_with_the_problems(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook_from_rows([{"force_area": "Atlantis"}], []))
    result = CliRunner().invoke(main, ["figures", str(path)])
    assert result.exit_code == 1
    assert "Areas!" in result.output
