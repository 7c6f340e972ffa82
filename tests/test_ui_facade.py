"""ui.data is a typed facade: hashable keys, a typed function per thing shown, no name lookups."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import plotly.graph_objects as go

from landscape.model.findings import Share
from ui import data
from ui.filters import Filters

SOURCE = Path(data.__file__).read_text(encoding="utf-8")


def _public_functions() -> list[ast.FunctionDef]:
    tree = ast.parse(SOURCE)
    return [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    ]


def test_filter_key_is_a_hashable_value_made_by_the_filters():
    key = Filters(wave_id="w", country="Wales", regions=("Wales",)).key
    assert key == data.FilterKey("w", ("Wales",), ("Wales",), ())
    assert hash(key) == hash(data.FilterKey("w", ("Wales",), ("Wales",), ()))
    assert {key: 1}[data.FilterKey("w", ("Wales",), ("Wales",))] == 1
    assert key.whole_wave() == data.FilterKey("w") and not key.whole_wave().narrowed
    assert key.in_wave("v") == data.FilterKey("v", ("Wales",), ("Wales",), ())


def test_every_public_function_declares_a_return_type_and_none_is_any():
    returns = {f.name: ast.unparse(f.returns) if f.returns else None for f in _public_functions()}
    assert len(returns) > 40
    assert [name for name, annotation in returns.items() if annotation is None] == []
    assert [name for name, annotation in returns.items() if "Any" in str(annotation)] == []


def test_nothing_is_looked_up_by_a_name_in_a_string():
    calls = {
        node.func.id
        for node in ast.walk(ast.parse(SOURCE))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert not calls & {"getattr", "hasattr", "eval", "exec"}
    assert "BundledWave" not in SOURCE


def test_a_chart_and_a_share_are_what_the_annotations_say(bundled, monkeypatch):
    monkeypatch.setattr(data, "filtered", lambda key: bundled)
    chart = inspect.unwrap(data._question_chart)(
        data.FilterKey("w"), data.questions.RISK_LEVELS, "T"
    )
    assert isinstance(chart.figure, go.Figure)
    assert list(chart.table["answer"]) == ["Standard", "Medium", "High"]
    share = inspect.unwrap(data.high_risk_programmes)(data.FilterKey("w"))
    assert isinstance(share, Share) and share.denominator == len(bundled.programmes)
