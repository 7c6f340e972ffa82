"""Benchmark: load + validate + model + all measures, as a ratio to a bare pandas.read_excel.

Two cases, both measured in the same run as their baseline (`pandas.read_excel(file,
sheet_name=None)` of the very same files):

- the bundled wave (43 areas, ~200 programmes);
- a generated data set of 20 waves (43 areas, ~750 programmes each, ~15,000 in all), written as
  one workbook per wave in a temporary folder. Generation is deterministic (fixed seed) and is not
  timed.

Run: `.venv/bin/python benchmarks/bench_model.py [--repeat N]`. Reported times are the best of N.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
from _timing import best_of

from landscape import paths
from landscape.intake.template import survey_workbook_bytes
from landscape.intake.validate import load_survey
from landscape.model.landscape import build_landscape
from landscape.model.measures import all_figures
from landscape.survey import Survey

WAVES = 20
PROGRAMMES_PER_WAVE = 750
SEED = 43


def generated_waves(folder: Path) -> list[Path]:
    """Write WAVES workbooks of ~PROGRAMMES_PER_WAVE programmes, varied per wave from the bundle."""
    base = load_survey(paths.BUNDLED_WAVE.read_bytes(), paths.BUNDLED_WAVE.name)
    copies = -(-PROGRAMMES_PER_WAVE // len(base.programmes))
    files = []
    for wave in range(1, WAVES + 1):
        rng = random.Random(SEED * 1000 + wave)
        frames = []
        for copy in range(copies):
            frame = base.programmes.copy()
            frame["programme_name"] = frame["programme_name"] + f" (wave {wave}, {copy + 1})"
            frames.append(frame)
        programmes = pd.concat(frames, ignore_index=True)
        keep = sorted(rng.sample(range(len(programmes)), PROGRAMMES_PER_WAVE))
        programmes = programmes.iloc[keep].reset_index(drop=True)
        path = folder / f"wave-{wave:02d}.xlsx"
        path.write_bytes(survey_workbook_bytes(Survey(base.areas.copy(), programmes)))
        files.append(path)
    return files


def landscape_pipeline(files: Sequence[Path]) -> int:
    count = 0
    for path in files:
        survey = load_survey(path.read_bytes(), path.name)
        count += len(all_figures(build_landscape(survey)))
    return count


def model_and_measures(surveys: Sequence[Survey]) -> int:
    return sum(len(all_figures(build_landscape(survey))) for survey in surveys)


def pandas_baseline(files: Sequence[Path]) -> int:
    count = 0
    for path in files:
        count += len(pd.read_excel(path, sheet_name=None))
    return count


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)

    def timed(work: Callable[[], object]) -> float:
        # each run is long (whole workbooks), so no warm-up run
        return best_of(args.repeat, work, warm_up=False)

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cases = {
            "bundled wave": [paths.BUNDLED_WAVE],
            f"generated: {WAVES} waves": generated_waves(Path(tmp)),
        }
        for name, files in cases.items():
            surveys = [load_survey(f.read_bytes(), f.name) for f in files]
            programmes = sum(len(s.programmes) for s in surveys)
            baseline = timed(lambda files=files: pandas_baseline(files))
            ours = timed(lambda files=files: landscape_pipeline(files))
            model = timed(lambda surveys=surveys: model_and_measures(surveys))
            rows.append((name, len(files), programmes, baseline, ours, model))
    print(
        f"{'case':<20} {'files':>5} {'programmes':>10} {'read_excel s':>12} {'landscape s':>11} "
        f"{'ratio':>6} {'model+measures s':>16} {'ratio':>6}"
    )
    for name, files, programmes, baseline, ours, model in rows:
        print(
            f"{name:<20} {files:>5} {programmes:>10} {baseline:>12.3f} {ours:>11.3f} "
            f"{ours / baseline:>5.2f}x {model:>16.3f} {model / baseline:>5.2f}x"
        )
    print(
        "landscape = load_survey (safe read, validation) + build_landscape + all_figures;\n"
        "model+measures = build_landscape + all_figures on already-loaded surveys;\n"
        "ratios are to read_excel(file, sheet_name=None) of the same files, in this run."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
