"""Nothing changes silently: every choice answer accepted is exactly what the file says, after the
documented normalisations only (case, spaces, typographic dashes and quotes, declared aliases),
and no other answer of its row or area moves; what they cannot make an option is refused by cell.

Checked for every choice list of the schema, at the cell and through whole workbooks and CSV
files; and the sourced facts (the other way values come in) keep the value they were checked as.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from landscape.areas import force_areas
from landscape.intake.cells import NORMALISATIONS, InvalidValue, parse
from landscape.intake.facts import typed_value
from landscape.intake.validate import SurveyInvalid, load_survey, load_survey_csvs
from landscape.intake.workbook import column_letter
from landscape.schema import (
    AREAS,
    CHOICE_ALIASES,
    OPTIONAL_SHEETS,
    PROGRAMMES,
    SHEETS,
    Column,
    Kind,
    Sheet,
)
from landscape.survey import Survey, canonical_choices
from tests.builders import area_rows, csvs_from_rows, programme_rows, workbook_from_rows

VARIANTS: dict[str, Callable[[str], str]] = {
    "as declared": lambda o: o,
    "upper case": str.upper,
    "lower case": str.lower,
    "en dash": lambda o: o.replace("-", "\u2013"),
    "em dash": lambda o: o.replace("-", "\u2014"),
    "non-breaking hyphen": lambda o: o.replace("-", "\u2011"),
    "curly quote": lambda o: o.replace("'", "\u2019"),
    "non-breaking spaces": lambda o: o.replace(" ", "\u00a0"),
    "double spaces": lambda o: o.replace(" ", "  "),
    "spaces around": lambda o: f"  {o} ",
    "zero-width space": lambda o: o[:1] + "\u200b" + o[1:],
}

CHOICE_COLUMNS = [
    (sheet, column)
    for sheet in (*SHEETS, *OPTIONAL_SHEETS)
    for column in sheet.columns
    if column.kind in (Kind.CHOICE, Kind.CHOICES)
]


def one(column: Column, option: str) -> Any:
    return (option,) if column.kind is Kind.CHOICES else option


@pytest.mark.parametrize(
    ("sheet", "column"), CHOICE_COLUMNS, ids=[f"{s.name}.{c.name}" for s, c in CHOICE_COLUMNS]
)
def test_every_option_of_every_choice_list_written_with_variants_reads_as_that_option(
    sheet: Sheet, column: Column
):
    for option in column.allowed:
        for name, variant in VARIANTS.items():
            assert parse(column, variant(option)) == one(column, option), (name, option)
        for alias, aliased in column.aliases.items():
            assert parse(column, VARIANTS["en dash"](alias)) == one(column, aliased)


def test_undeclared_spellings_are_refused_and_declared_ones_are_read():
    funding = AREAS.column("funding_sources")
    assert parse(funding, "Home Office Fund 2023\u20132025") == ("Home Office fund 2023-25",)
    for undeclared in ("Home Office fund 23-25", "Home Office fund 2023/25", "HO fund"):
        with pytest.raises(InvalidValue):
            parse(funding, undeclared)
    declared = {str(m.value) for m in CHOICE_ALIASES}
    assert declared <= {o for _, c in CHOICE_COLUMNS for o in c.allowed}


def _variant_rows(
    column: Column, count: int, start: int = 0
) -> list[tuple[str, str, tuple[str, ...]]]:
    """(written, variant name, options it should read as), options and variants taken in turn,
    several-of-a-list cells sometimes holding two options written the same way."""
    out = []
    names = list(VARIANTS)
    for i in range(start, start + count):
        option = column.allowed[i % len(column.allowed)]
        name = names[(i // len(column.allowed)) % len(names)]
        written, options = VARIANTS[name](option), (option,)
        others = [o for o in column.allowed if o != option and "None" not in (o, option)]
        if column.kind is Kind.CHOICES and i % 2 and others:
            written = f"{written}; {VARIANTS[name](others[0])}"
            options = (option, others[0])
        out.append((written, name, options))
    return out


def _loaded(areas: list[dict[str, Any]], programmes: list[dict[str, Any]], kind: str) -> Survey:
    if kind == "xlsx":
        return load_survey(workbook_from_rows(areas, programmes), "survey.xlsx")
    return load_survey_csvs(csvs_from_rows(areas, programmes))


def _expected(column: Column, options: tuple[str, ...]) -> Any:
    return canonical_choices(column, options) if column.kind is Kind.CHOICES else options[0]


AREA_CHOICES = [
    c
    for c in AREAS.columns
    if c.kind in (Kind.CHOICE, Kind.CHOICES) and c.name != "response_status"
]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
@pytest.mark.parametrize("column", AREA_CHOICES, ids=[c.name for c in AREA_CHOICES])
def test_an_areas_choice_written_with_variants_is_stored_as_its_option_and_nothing_else_moves(
    column: Column, kind: str
):
    """43 responding areas with Cambridgeshire's answers, each writing one option of the column
    in one variant: each stores that option, every other answer stays Cambridgeshire's."""
    base = area_rows()[0]
    base["co_commissioning_partners"] = "Local authority"  # may be read with co_commissions No
    cases = _variant_rows(column, len(force_areas()))
    rows = [
        {**base, "force_area": area.name, column.name: written}
        for area, (written, _, _) in zip(force_areas(), cases, strict=True)
    ]
    programmes = [{**programme_rows()[0], "force_area": force_areas()[0].name}]
    survey = _loaded(rows, programmes, kind)
    reference = _loaded([base], [{**programme_rows()[0]}], kind).areas.iloc[0]
    for position, (written, name, options) in enumerate(cases):
        row = survey.areas.iloc[position]
        assert row[column.name] == _expected(column, options), (written, name)
        others = [c for c in survey.areas.columns if c not in ("area_code", column.name)]
        assert row[others].equals(reference[others]), (written, name)


PROGRAMME_CHOICES = [c for c in PROGRAMMES.columns if c.kind in (Kind.CHOICE, Kind.CHOICES)]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
@pytest.mark.parametrize("column", PROGRAMME_CHOICES, ids=[c.name for c in PROGRAMME_CHOICES])
def test_a_programme_choice_written_with_variants_is_stored_as_its_option_and_nothing_else_moves(
    column: Column, kind: str
):
    base = programme_rows()[0]
    cases = _variant_rows(column, len(column.allowed) * len(VARIANTS))
    rows = []
    for number, (written, _, options) in enumerate(cases):
        row = {**base, "programme_name": f"Programme {number}", column.name: written}
        if column.name == "evaluation_type" and options == ("None",):
            row["evaluation_status"] = None  # the rule: no status without an evaluation
        rows.append(row)
    survey = _loaded(area_rows(), rows, kind)
    reference = _loaded(area_rows(), [base], kind)
    pd.testing.assert_frame_equal(survey.areas, reference.areas)
    expected_other = reference.programmes.iloc[0]
    for position, (written, name, options) in enumerate(cases):
        row = survey.programmes.iloc[position]
        assert row[column.name] == _expected(column, options), (written, name)
        others = [
            c
            for c in survey.programmes.columns
            if c not in ("programme_name", column.name)
            and not (column.name == "evaluation_type" and c == "evaluation_status")
        ]
        assert row[others].equals(expected_other[others]), (written, name)


def test_an_answer_that_cannot_be_read_is_refused_at_its_cell_and_nothing_is_kept():
    rows = area_rows()
    rows[0]["funding_sources"] = "Home Office Fund 2023\u201325; Home Office fund 23-25"
    with pytest.raises(SurveyInvalid) as raised:
        load_survey(workbook_from_rows(rows, programme_rows()), "survey.xlsx")
    [problem] = raised.value.problems
    letter = column_letter(AREAS.column_names.index("funding_sources"))
    assert problem.location == f"Areas!{letter}2"
    assert problem.message == '"Home Office fund 23-25" is not one of the allowed funding sources'


def test_a_sourced_fact_keeps_the_option_it_was_checked_as():
    """The root cause: a fact was checked with the normalisations but kept as written, and
    building the survey then dropped the member that was not an option exactly ("Home Office
    Fund 2023\u201325"), so the area's funding sources differed from the file."""
    kept = typed_value(AREAS, "funding_sources", "Policing budget; Home Office Fund 2023\u201325")
    assert kept == ("Home Office fund 2023-25", "Policing budget")
    assert typed_value(PROGRAMMES, "delivery", "one\u2010to\u2010one") == "One-to-one"
    assert typed_value(PROGRAMMES, "annual_budget_gbp", "\u00a315,000") == 15000.0


def test_building_a_survey_refuses_a_choice_that_is_not_an_option_instead_of_dropping_it():
    funding = AREAS.column("funding_sources")
    with pytest.raises(ValueError, match="Home Office Fund 2023"):
        canonical_choices(funding, ("Policing budget", "Home Office Fund 2023\u201325"))
    with pytest.raises(ValueError, match="tuple"):
        canonical_choices(funding, "Policing budget")


def test_the_normalisations_and_every_declared_alias_are_documented_once():
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[1] / "docs" / "importing.md").read_text("utf-8")
    flat = " ".join(guide.split())
    for name, _ in NORMALISATIONS:
        assert f"**{name}**" in guide, name
    for option, aliases in CHOICE_ALIASES.items():
        assert f"*{option.value}*" in flat, option
        for alias in aliases:
            assert f"`{alias}`" in flat, alias
