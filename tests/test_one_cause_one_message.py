"""One cause, one message: a formula that shows nothing reads as an empty cell, and the same
problem down a run of cells is one problem naming the range, in workbooks built with openpyxl
(with the results Excel stores beside its formulas) and in one saved by LibreOffice."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from landscape.errors import Problem
from landscape.intake.runs import merge_runs
from landscape.intake.validate import SurveyInvalid, load_survey
from landscape.intake.workbook import column_letter
from landscape.schema import AREAS, PROGRAMMES, Sheet
from tests.builders import FormulaCell, area_rows, programme_rows, workbook_from_rows


def letter(sheet: Sheet, column: str) -> str:
    return column_letter(sheet.column_names.index(column))


def with_results(data: bytes, shown: Callable[[str], str]) -> bytes:
    """The workbook as Excel saves it: each formula cell with its last result stored as text
    (t="str"), `shown(cell reference)`; openpyxl itself stores no result."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename.startswith("xl/worksheets/"):
                text = re.sub(
                    r'<c r="([A-Z]+\d+)"([^>]*)><f>(.*?)</f><v\s*/>',
                    lambda m: (
                        f'<c r="{m.group(1)}"{m.group(2)} t="str"><f>{m.group(3)}</f>'
                        f"<v>{shown(m.group(1))}</v>"
                    ),
                    content.decode("utf-8"),
                )
                content = text.encode("utf-8")
            target.writestr(entry, content)
    return out.getvalue()


def problems_of(data: bytes) -> list[Problem]:
    with pytest.raises(SurveyInvalid) as raised:
        load_survey(data, "survey.xlsx")
    return raised.value.problems


def notes_formula_rows(last: int) -> list[dict[str, object]]:
    """The programmes, then a notes formula dragged down to row `last` (as offices do)."""
    rows = programme_rows()
    for number, row in enumerate(rows, start=2):
        row["notes"] = FormulaCell(f'=IF(T{number}="","",T{number})')
    rows.extend(
        {"notes": FormulaCell(f'=IF(T{n}="","",T{n})')} for n in range(len(rows) + 2, last + 1)
    )
    return rows


def test_a_formula_showing_nothing_dragged_down_a_notes_column_reads_as_empty():
    data = with_results(workbook_from_rows(area_rows(), notes_formula_rows(200)), lambda _: "")
    survey = load_survey(data, "survey.xlsx")
    assert len(survey.programmes) == len(programme_rows())
    assert survey.programmes["notes"].isna().all()


def test_a_formula_never_calculated_is_still_refused_not_read_as_empty():
    """openpyxl stores no result: nothing says the cell shows nothing, so it is not guessed."""
    rows = programme_rows()
    rows[1]["notes"] = FormulaCell("=B3")
    problems = problems_of(workbook_from_rows(area_rows(), rows))
    assert [p.location for p in problems] == [f"Programmes!{letter(PROGRAMMES, 'notes')}3"]


def test_formulas_showing_values_down_a_column_are_one_problem_naming_the_range():
    notes = letter(PROGRAMMES, "notes")
    data = with_results(
        workbook_from_rows(area_rows(), notes_formula_rows(40)),
        lambda ref: "a note" if int(ref[len(notes) :]) <= 5 else "",
    )
    problems = problems_of(data)
    assert [(p.location, p.message) for p in problems] == [
        (
            f"Programmes!{notes}2:{notes}5",
            f"The 4 cells {notes}2:{notes}5 hold formulas (the first: "
            '=IF(T2="","",T2)), not values',
        )
    ]
    assert problems[0].fix == "Paste values only: copy the cell, then Paste Special > Values."


def test_the_same_wrong_value_down_a_column_is_one_problem_and_others_keep_their_cells():
    rows = area_rows()
    for row in rows[:3]:
        row["monitoring_frequency"] = "Fortnightly"
    rows[3]["ho_fund_recipient"] = "Maybe"
    column = letter(AREAS, "monitoring_frequency")
    problems = problems_of(workbook_from_rows(rows, programme_rows()))
    assert [p.location for p in problems] == [
        f"Areas!{column}2:{column}4",
        f"Areas!{letter(AREAS, 'ho_fund_recipient')}5",
    ]
    assert problems[0].message == (
        '"Fortnightly" is not an allowed monitoring frequency (the same in all 3 cells, '
        f"{column}2:{column}4)"
    )
    assert problems[0].value == "Fortnightly"


def test_different_values_or_a_gap_are_not_merged():
    problems = [
        Problem("Areas", "B2", "x", '"x" is wrong', "Fix it"),
        Problem("Areas", "B3", "y", '"y" is wrong', "Fix it"),
        Problem("Areas", "C2", "x", '"x" is wrong', "Fix it"),
        Problem("Areas", "C4", "x", '"x" is wrong', "Fix it"),
        Problem("Areas", "D2", "=A2", "formula", "Paste", "formula"),
        Problem("Areas", "D3", "=A3", "formula", "Paste", "formula"),
    ]
    merged = merge_runs(problems)
    assert [p.cell for p in merged] == ["B2", "B3", "C2", "C4", "D2:D3"]


@pytest.mark.slow
def test_a_notes_formula_saved_by_libreoffice_reads_as_empty_and_shown_values_as_one_problem(
    tmp_path: Path,
):
    from tests.test_libreoffice import resaved

    notes = letter(PROGRAMMES, "notes")
    source = workbook_from_rows(area_rows(), notes_formula_rows(60))
    again = resaved(source, tmp_path)
    # LibreOffice calculated the formulas: the notes show the rows' funding_end (T), where set
    problems = problems_of(again)
    assert len(problems) == 1, [p.location for p in problems]
    assert problems[0].location.startswith(f"Programmes!{notes}2:{notes}")
    assert "hold formulas" in problems[0].message
