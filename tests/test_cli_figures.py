"""`landscape figures`: published against computed, as a table or JSON."""

from __future__ import annotations

import json

from click.testing import CliRunner

from landscape.cli import main
from landscape.model.landscape import build_landscape
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
    assert (
        "(illustrative (real where a public source says so, invented elsewhere); "
        "calibrated to reproduce the APCC report (7 March 2025))" in result.output
    )
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
    assert document["provenance_mix"]["Sourced"] == document["cite_a_public_source"] == 205
    assert document["differs"] == []


def test_the_bundled_file_by_path_has_the_kind_it_has_without_a_file():
    from landscape import paths

    bare = json.loads(CliRunner().invoke(main, ["figures", "--json"]).output)
    by_path = CliRunner().invoke(main, ["figures", str(paths.bundled_wave()), "--json"])
    named = json.loads(by_path.output)
    keys = ("kind", "compared_with", "reproduces", "differs", "provenance_mix", "about")
    assert {k: named[k] for k in keys} == {k: bare[k] for k in keys}


def test_figures_of_another_file(tmp_path):
    from landscape.intake.template import survey_workbook_bytes

    path = tmp_path / "wave.xlsx"
    path.write_bytes(survey_workbook_bytes(minimal_survey()))
    result = CliRunner().invoke(main, ["figures", str(path), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    # any file is set beside the report; its kind is what its values give: here none cites a
    # source (its Sourced row has no Provenance sheet), so every value is illustrative
    assert (document["kind"], document["compared_with"]) == ("illustrative", "apcc-2025")
    assert document["reproduces"] is None and "respondents" in document["differs"]
    assert document["provenance_mix"] == {
        "Published": 0,
        "Sourced": 0,
        "Reported": 0,
        "Illustrative": len(build_landscape(minimal_survey()).value_provenance),
    }
    assert document["cite_a_public_source"] == 0
    assert "calibrated" not in document["about"]
    rows = {row["id"]: row for row in document["figures"]}
    # the wave's own value is never labelled Published; the report's is, apart
    assert rows["marac"]["provenance"].startswith(
        "Illustrative: computed from invented answers: 2 of 3 responding areas (67%), "
        "not the report's figure · Published: APCC report (7 March 2025)"
    )
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
