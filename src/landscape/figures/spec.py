"""A figure as plotly.js reads it (what `Figure.to_dict` gives), made cheaply.

Sending a chart to the browser asks for its dict; `to_dict` deep-copies every trace and then
walks the copy once more to encode its arrays (convert_to_base64), asking every value of a
50-trace map whether it is an array through plotly's dataframe-library probing: most of the
cost of showing a new view's chart (issue 13). figure_spec gives the same dict in one walk;
tests/test_load_speed_paths.py pins it to `to_dict` on every chart.
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np
import plotly.graph_objects as go


def figure_spec(figure: go.Figure) -> dict[str, Any]:
    """figure.to_dict(): its traces and layout copied by their dicts, lists and tuples (a figure
    holds no other mutable containers; its arrays are replaced by their encodings, never
    changed) with their typed arrays encoded, in one walk. The figure is left as it was. No
    builder makes animation frames, whose copy this does not make."""
    if figure.frames:  # pragma: no cover - no builder makes frames
        raise ValueError("figure_spec copies figures without animation frames")
    return {"data": _encoded_copy(figure._data), "layout": _encoded_copy(figure._layout)}


def _encoded_copy(value: Any) -> Any:
    """`value` copied by its dicts, lists and tuples, each dict value that plotly would encode as
    a typed array (convert_to_base64: a homogeneous array not under a skipped key) encoded."""
    from _plotly_utils.basevalidators import is_homogeneous_array
    from _plotly_utils.utils import is_skipped_key, plotlyjsShortTypes, to_typed_array_spec

    float_types = {"float32", "float64"}  # encoded as they are (integers may be narrowed)

    def copied(item: Any) -> Any:
        if isinstance(item, dict):
            return {key: entry(key, value) for key, value in item.items()}
        if isinstance(item, list):
            return [copied(v) for v in item]
        if isinstance(item, tuple):
            return tuple(copied(v) for v in item)
        return item

    def entry(key: str, item: Any) -> Any:
        if isinstance(item, dict | list | tuple):
            return _plain_copy(item) if is_skipped_key(key) else copied(item)
        if item is None or isinstance(item, str | int | float) or is_skipped_key(key):
            return item
        if isinstance(item, np.ndarray) and item.ndim == 1 and str(item.dtype) in float_types:
            # to_typed_array_spec's own encoding, without its dataframe-library probing of each
            # array (~40 us an array)
            encoded = base64.b64encode(np.ascontiguousarray(item).tobytes()).decode("ascii")
            return {"dtype": plotlyjsShortTypes[str(item.dtype)], "bdata": encoded}
        return to_typed_array_spec(item) if is_homogeneous_array(item) else item

    return copied(value)


def _plain_copy(value: Any) -> Any:
    """A skipped key's value (plotly encodes nothing under it), copied by its containers."""
    if isinstance(value, dict):
        return {key: _plain_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain_copy(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_plain_copy(item) for item in value)
    return value
