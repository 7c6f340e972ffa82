"""Pages do not compute: no file in pages/ uses pandas or spells a survey column's name.

A page reads the filters, calls ui.data's typed functions and renders what they return; every
join, filter, count, median or sort-to-pick lives in the domain (landscape.model), where it is
tested. This test reads each page's source (it never runs it) and names each offence by line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from landscape.schema import SHEETS

PAGES = Path(__file__).resolve().parents[1] / "pages"
UI_DATA_HELPERS = [
    PAGES.parent / "ui" / f"{name}.py" for name in ("data", "layout", "waves", "filters", "rounds")
]
COLUMN_NAMES = frozenset(column.name for sheet in SHEETS for column in sheet.columns)
COMPUTING_MODULES = frozenset({"pandas", "numpy", "polars"})
FRAME_METHODS = frozenset(
    {
        "agg",
        "aggregate",
        "apply",
        "assign",
        "at",
        "concat",
        "count",
        "cumsum",
        "drop",
        "drop_duplicates",
        "fillna",
        "groupby",
        "iat",
        "idxmax",
        "idxmin",
        "iloc",
        "isin",
        "loc",
        "max",
        "mean",
        "median",
        "melt",
        "merge",
        "min",
        "nlargest",
        "nsmallest",
        "nunique",
        "pivot",
        "pivot_table",
        "query",
        "rename",
        "reset_index",
        "set_index",
        "sort_index",
        "sort_values",
        "sum",
        "to_dict",
        "value_counts",
        "where",
    }
)
"""pandas methods and indexers that compute or pick from a table (`.empty` and len() do not)."""
PICKING_BUILTINS = frozenset({"sorted", "max", "min", "sum"})


def offences(source: str) -> list[str]:
    """Every pandas use, computing call and survey column name in `source`, by line."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            found += [
                f"line {line}: imports {alias.name}"
                for alias in node.names
                if alias.name.split(".")[0] in COMPUTING_MODULES
            ]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in (
            COMPUTING_MODULES
        ):
            found.append(f"line {line}: imports from {node.module}")
        elif isinstance(node, ast.Attribute) and node.attr in FRAME_METHODS:
            found.append(f"line {line}: .{node.attr}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in PICKING_BUILTINS:
                found.append(f"line {line}: {node.func.id}()")
        elif isinstance(node, ast.Subscript) and any(
            isinstance(inner, ast.Compare) for inner in ast.walk(node.slice)
        ):
            found.append(f"line {line}: filters with a comparison inside [...]")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value in COLUMN_NAMES
        ):
            found.append(f"line {line}: names the column {node.value!r}")
    return sorted(found, key=lambda offence: (int(offence.split()[1].rstrip(":")), offence))


@pytest.mark.parametrize("page", sorted(PAGES.glob("*.py")), ids=lambda p: p.stem)
def test_page_does_not_compute(page: Path) -> None:
    assert offences(page.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("module", UI_DATA_HELPERS, ids=lambda p: p.stem)
def test_ui_data_helpers_do_not_compute_either(module: Path) -> None:
    """The pages' data and layout helpers may name pandas (they pass DataFrames on) but compute
    nothing themselves. (ui/registry.py names pages by their paths, which may match a column.)"""
    found = offences(module.read_text(encoding="utf-8"))
    assert [o for o in found if not o.endswith(": imports pandas")] == []


def test_the_pages_folder_is_checked() -> None:
    assert len(list(PAGES.glob("*.py"))) >= 10


PLANTED = """
import pandas as pd
import streamlit as st
from ui import data

counts = data.ranked_counts(key)
own = counts[counts["area_code"] == code].iloc[0]
median = counts["programmes"].median()
top = support.sort_values("areas").loc["High"]
shown = data.share(key, "risk_levels")
best = sorted(names)[0]
st.text("risk levels served")
"""


def test_the_checker_names_each_planted_offence() -> None:
    assert offences(PLANTED) == [
        "line 2: imports pandas",
        "line 7: .iloc",
        "line 7: filters with a comparison inside [...]",
        "line 8: .median",
        "line 9: .loc",
        "line 9: .sort_values",
        "line 10: names the column 'risk_levels'",
        "line 11: sorted()",
    ]


def test_a_thin_page_passes() -> None:
    thin = (
        "from ui import data, layout\n"
        "chosen = layout.start_page()\n"
        "layout.chart_section('Risk levels', data.risk_level_shares(chosen.key, 'T'), name='r')\n"
        "if data.early_intervention_table(chosen.key).empty:\n"
        "    layout.nothing_to_show('programmes', chosen)\n"
    )
    assert offences(thin) == []
