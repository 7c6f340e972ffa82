"""Benchmark: force-area map pictures, as a ratio to a plain bar chart of the same 43 values.

Reports, all measured in this run:

- the committed boundary file's size (limit 250 KB);
- each map picture's size (the markup the page sends), beside the bar chart's JSON;
- the time to build each map picture (geographic, tiles; categorical and numeric values) as a
  ratio to building `go.Figure(go.Bar(...))` of the same 43 values: best of N after one warm-up
  (the boundary file is read once per process and cached, as in the dashboard);
- the one-off cost of reading the boundary file and drawing the first geographic map.

Run: `.venv/bin/python benchmarks/bench_maps.py [--repeat N]`.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
from _timing import best_of

from landscape.areas import force_area_table
from landscape.figures import map_svg, maps
from landscape.figures.picture import Picture
from landscape.labels import StalkingCategory


def sample_values() -> tuple[pd.Series, pd.Series]:
    table = force_area_table()
    answers = [c.value for c in StalkingCategory if c != StalkingCategory.DID_NOT_RESPOND]
    categorical = pd.Series([answers[i % 4] for i in range(43)], index=table.index)
    categorical = categorical.drop(table.index[-10:])
    numeric = pd.Series([float(i % 11) for i in range(43)], index=table.index)
    return categorical, numeric


def bar_chart(values: pd.Series) -> go.Figure:
    names = force_area_table()["display_name"]
    return go.Figure(go.Bar(x=names.reindex(values.index).tolist(), y=values.tolist()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    categorical, numeric = sample_values()
    counts = categorical.map({c: i for i, c in enumerate(categorical.unique())}).astype(float)

    start = time.perf_counter()
    maps.boundaries()
    map_svg.map_picture(categorical, view="geographic")
    cold_geographic = time.perf_counter() - start

    baseline = best_of(args.repeat, lambda: bar_chart(numeric))
    bar_json = len(bar_chart(numeric).to_json())
    size = maps.BOUNDARY_FILE.stat().st_size
    print(f"boundary file: {size:,} bytes ({size / 1024:.0f} KB of 250 KB allowed)")
    print(f"baseline, bar chart of 43 values: {baseline * 1000:.1f} ms, JSON {bar_json:,} bytes")
    print(f"first geographic map in a process (reads boundaries): {cold_geographic * 1000:.0f} ms")
    print()
    print(f"{'figure':<24}{'build ms':>10}{'x bar':>8}{'bytes sent':>12}{'x bar':>8}")
    cases: dict[str, Callable[[], object]] = {
        "geographic, categories": lambda: map_svg.map_picture(categorical, view="geographic"),
        "tiles, categories": lambda: map_svg.map_picture(categorical, view="tiles"),
        "geographic, numbers": lambda: map_svg.map_picture(numeric, view="geographic"),
        "tiles, numbers": lambda: map_svg.map_picture(numeric, view="tiles"),
        "map table": lambda: maps.map_table(categorical),
        "bar chart (again)": lambda: bar_chart(counts),
    }
    for name, build in cases.items():
        seconds = best_of(args.repeat, build)
        figure = build()
        json_size = (
            len(figure.to_json())
            if isinstance(figure, go.Figure)
            else len(figure.markup)
            if isinstance(figure, Picture)
            else 0
        )
        json_text = f"{json_size:>12,}{json_size / bar_json:>8.1f}" if json_size else f"{'':>20}"
        print(f"{name:<24}{seconds * 1000:>10.1f}{seconds / baseline:>8.1f}{json_text}")


if __name__ == "__main__":
    main()
