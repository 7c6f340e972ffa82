"""Benchmark: waves from the store. Load N published waves, compute every measure of each and the
change between the first and the last, for N = 1, 5, 10, 20 (~750 programmes a wave, ~15,000 in
all), as ratios to a baseline measured in the same run.

The waves are bench_model's generated ones (deterministic, 43 areas, ~750 programmes each), each
published once into a fresh store through `Store.publish` (validation included; not timed). Then,
for each N, the timed work is what a dashboard process does on a cold start over N waves:
`Store.load_survey` for each, `build_landscape`, every measure of `MEASURES`, and
`compare_waves(first, last)`. The baseline is `pandas.read_excel(sheet_name=None)` of the bundled
workbook, the cheapest honest way to get one wave's tables into pandas at all.

Run: `.venv/bin/python benchmarks/bench_store_waves.py [--repeat N] [--database-url URL]`
(default: a SQLite file in a temporary folder; give an empty PostgreSQL database's URL to measure
that). Reported times are the best of N runs. Target (issue 13): 20 waves within 2 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import pandas as pd
from _timing import best_of
from bench_model import WAVES, generated_waves

from landscape import paths
from landscape.model.diff import compare_waves
from landscape.model.landscape import Landscape, WaveInfo, build_landscape
from landscape.model.measures import MEASURES
from landscape.store import Store, open_store
from landscape.store.access import Principal, Role

COUNTS = (1, 5, 10, 20)
PUBLISHER = Principal("benchmark", Role.ADMIN)
TARGET_S = 2.0


def publish_waves(store: Store, files: Sequence[Path]) -> list[str]:
    """Publish each generated workbook as its own wave; returns the wave ids, oldest first."""
    ids = []
    for number, path in enumerate(files, start=1):
        result = store.publish(
            path.read_bytes(), path.name, principal=PUBLISHER, label=f"Benchmark wave {number}"
        )
        ids.append(result.wave.wave_id)
    return ids


def waves_from_the_store(store: Store, wave_ids: Sequence[str]) -> int:
    """Load each wave, build its model, compute every measure; then the first-to-last change.
    Returns the number of figures computed (so nothing is optimised away)."""
    models: list[Landscape] = []
    figures = 0
    for wave_id in wave_ids:
        info = WaveInfo(wave_id=wave_id, label=wave_id, survey_date=None, illustrative=True)
        model = build_landscape(store.load_survey(wave_id), info)
        figures += sum(1 for measure in MEASURES.values() if measure(model) is not None)
        models.append(model)
    change = compare_waves(models[0], models[-1])
    return figures + len(change.measures)


def read_excel_baseline() -> int:
    return len(pd.read_excel(paths.BUNDLED_WAVE, sheet_name=None))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", help="an empty database (default: a temporary SQLite)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        files = generated_waves(Path(tmp))
        url = args.database_url or f"sqlite:///{Path(tmp) / 'waves.sqlite'}"
        store = open_store(url, seed=False)
        wave_ids = publish_waves(store, files)
        programmes = [store.wave(w).programme_count for w in wave_ids]

        baseline = best_of(args.repeat, read_excel_baseline)
        rows = []
        for count in COUNTS:
            chosen = wave_ids[:count]
            seconds = best_of(args.repeat, partial(waves_from_the_store, store, chosen))
            rows.append((count, sum(programmes[:count]), seconds))
        store.dispose()

    backend = url.split(":", 1)[0]
    print(f"store: {backend}; baseline read_excel(bundled workbook) = {baseline:.3f} s")
    print(
        f"{'waves':>5} {'programmes':>10} {'seconds':>8} {'x baseline':>10} "
        f"{'s per wave':>10} {'growth vs 1':>11}"
    )
    one = rows[0][2]
    for count, total, seconds in rows:
        print(
            f"{count:>5} {total:>10} {seconds:>8.3f} {seconds / baseline:>9.1f}x "
            f"{seconds / count:>10.3f} {seconds / one:>10.1f}x"
        )
    last = rows[-1][2]
    verdict = "within" if last <= TARGET_S else "OVER"
    print(
        f"{WAVES} waves: {last:.2f} s, {verdict} the {TARGET_S:.0f} s target; growth from 1 to "
        f"{WAVES} waves is {last / one:.1f}x for {WAVES}x the waves (linear would be {WAVES}.0x)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
