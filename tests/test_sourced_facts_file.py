"""The sourced facts are data that `landscape validate` checks directly, and the builder takes
every sourced value from them alone (issue 9, point 2)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from landscape.areas import force_areas
from landscape.cli import main
from landscape.intake.facts import FACTS_SHEET, FactsInvalid, read_facts
from scripts import build_illustrative_wave as builder

FACTS = Path(__file__).resolve().parents[1] / "data" / "sources" / "sourced_facts.csv"
CARA = "CARA (Cautioning and Relationship Abuse)"
STEPWISE_BUDGET = "programmes,E23000023,Cambridgeshire,StepWise,annual_budget_gbp,15000,"


def _line_of(text: str, start: str) -> int:
    """The 1-based line (the spreadsheet row) of the line that starts with `start`."""
    return next(n for n, line in enumerate(text.splitlines(), start=1) if line.startswith(start))


def test_landscape_validate_accepts_the_committed_facts_file():
    result = CliRunner().invoke(main, ["validate", str(FACTS)])
    assert result.exit_code == 0, result.output
    facts = read_facts(FACTS.read_bytes())
    placed = sum(f.fits for f in facts)
    assert (len(facts), placed) == (243, 239)
    assert f"valid sourced facts file. {len(facts)} facts, {placed} with a place" in result.output
    as_json = CliRunner().invoke(main, ["validate", "--json", str(FACTS)])
    assert json.loads(as_json.output) == {"valid": True, "facts": 243, "placed": 239}


def test_a_broken_copy_is_refused_naming_each_cell(tmp_path):
    text = FACTS.read_text(encoding="utf-8")
    budget_row = _line_of(text, STEPWISE_BUDGET)
    cumbria_row = _line_of(text, "areas,E23000002,Cumbria,,response_status,")
    broken = text.replace(STEPWISE_BUDGET, STEPWISE_BUDGET.replace(",15000,", ",15k,"), 1)
    broken = broken.replace(
        "areas,E23000002,Cumbria,,response_status,", "areas,E23000003,Cumbria,,response_status,", 1
    )
    copy = tmp_path / "sourced_facts.csv"
    copy.write_text(broken, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(copy)])
    assert result.exit_code == 1
    assert f"{FACTS_SHEET}!F{budget_row}: The value is not one the annual_budget_gbp" in (
        result.output
    )
    assert f"{FACTS_SHEET}!B{cumbria_row}: Cumbria's ONS code is E23000002" in result.output
    problems = json.loads(CliRunner().invoke(main, ["validate", "--json", str(copy)]).output)
    assert [(p["cell"], p["value"]) for p in problems["problems"]] == [
        (f"B{cumbria_row}", "E23000003"),
        (f"F{budget_row}", "15k"),
    ]


@pytest.mark.parametrize(
    ("column", "bad", "message"),
    [
        ("value", "Male only; Teenagers", "not one the cohorts column accepts"),
        ("section", "", "gives no section"),
        ("match", "approximately", "The match is not one of equals, includes, blank"),
    ],
)
def test_each_rule_names_its_cell(column, bad, message):
    rows = list(csv.reader(io.StringIO(FACTS.read_text(encoding="utf-8"))))
    header = rows[0]
    row = 1 + next(n for n, r in enumerate(rows) if r[3:5] == ["StepWise", "cohorts"])
    rows[row - 1][header.index(column)] = bad
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    with pytest.raises(FactsInvalid) as refused:
        read_facts(out.getvalue().encode("utf-8"))
    [problem] = refused.value.problems
    letter = "ABCDEFGHIJKLMNOPQ"[header.index(column)]
    assert problem.location == f"{FACTS_SHEET}!{letter}{row}"
    assert message in problem.message


def _facts():
    ended = builder.ended_programmes()
    return [f for f in builder.load_facts() if (f.area, f.programme) not in ended]


def _row(rows, programme):
    return next(r for r in rows if r["programme_name"] == programme)


def test_the_builder_takes_sourced_values_from_the_facts_file_alone():
    """Without its facts, a named programme's sourced fields are blank: the builder holds no
    sourced value of its own (names, providers, the £15,000 and £33,850 budgets)."""
    facts = _facts()
    stated = [f for f in facts if f.programme in ("StepWise", CARA)]
    assert {(f.programme, f.column, f.value) for f in stated} >= {
        ("StepWise", "annual_budget_gbp", "15000"),
        ("StepWise", "provider", "Probation Service"),
        (CARA, "annual_budget_gbp", "33850"),
        (CARA, "provider", "Hampton Trust"),
    }
    bare = builder._named_programmes(facts)  # the fill alone, before the facts are applied
    for programme in ("StepWise", CARA):
        assert _row(bare, programme)["annual_budget_gbp"] is None
        assert _row(bare, programme)["provider"] is None
    builder._apply_facts(bare, facts, builder.PROGRAMMES_SHEET)
    assert _row(bare, "StepWise")["annual_budget_gbp"] == 15000
    assert _row(bare, CARA)["annual_budget_gbp"] == 33850
    assert _row(bare, CARA)["provider"] == "Hampton Trust"


def test_a_fill_that_sets_a_sourced_value_or_a_programme_without_facts_is_refused(monkeypatch):
    facts = _facts()
    fill = dict(builder.ILLUSTRATIVE_FILL)
    stepwise = ("Cambridgeshire", "StepWise")
    monkeypatch.setattr(
        builder, "ILLUSTRATIVE_FILL", {**fill, stepwise: {**fill[stepwise], "provider": "X"}}
    )
    with pytest.raises(ValueError, match=r"sets sourced \['provider'\]"):
        builder._named_programmes(facts)
    monkeypatch.setattr(builder, "ILLUSTRATIVE_FILL", fill)
    without = [f for f in facts if f.programme != "StepWise"]
    with pytest.raises(ValueError, match="a fill for no named programme"):
        builder._named_programmes(without)
    renamed = [
        dataclasses.replace(f, programme="StepWise 2") if f.programme == "StepWise" else f
        for f in facts
    ]
    with pytest.raises(ValueError, match="no fill for"):
        builder._named_programmes(renamed)


def test_every_placed_fact_of_a_kept_row_is_cited_in_the_built_provenance():
    survey = builder.build_illustrative_survey()
    cited = {
        (r.sheet, r.area_code, r.programme_name or None, r.column)
        for r in survey.provenance.itertuples(index=False)
    }
    codes = {a.display_name: a.code for a in force_areas()}
    programmes = set(
        zip(survey.programmes["area_code"], survey.programmes["programme_name"], strict=True)
    )
    kept = [
        f for f in _facts() if f.programme is None or (codes[f.area], f.programme) in programmes
    ]
    assert len(kept) > 200
    for fact in kept:
        assert (fact.sheet.name, codes[fact.area], fact.programme, fact.column) in cited, fact
