"""Benchmark: validate and preview a full 43-area upload, as a ratio to reading it with pandas.

The upload is the bundled wave with a few answers changed and a programme dropped, written in the
template's own format (43 areas, ~200 programmes). A temporary SQLite store seeded with the bundled
wave is the "current wave". Measured in the same run, best of N after one warm-up:

- baseline: `pandas.read_excel(file, sheet_name=None)` of the same bytes;
- validate: `Store.prepare_upload` (safe reading, full validation, access check, composition);
- preview: `diff.preview_changes` against the current wave (including every figure on both);
- validate + preview: what the Upload page does before showing the preview;
- publish: `Store.publish` into a fresh copy of the store (validation again + one transaction).

Run: `.venv/bin/python benchmarks/bench_upload.py [--repeat N]`.
"""

from __future__ import annotations

import argparse
import io
import shutil
import tempfile
from pathlib import Path

import pandas as pd
from _timing import best_of

from landscape import paths
from landscape.intake.template import survey_workbook_bytes
from landscape.intake.validate import load_survey
from landscape.model.diff import preview_changes
from landscape.store import open_store
from landscape.store.access import Principal, Role
from landscape.survey import Survey

ADMIN = Principal("benchmark", Role.ADMIN)


def changed_upload() -> bytes:
    bundled = load_survey(paths.BUNDLED_WAVE.read_bytes(), paths.BUNDLED_WAVE.name)
    areas = bundled.areas.copy()
    responded = areas.index[areas["response_status"] == "Responded"]
    first = responded[0]
    areas.loc[first, "monitoring_frequency"] = (
        "Annually" if areas.loc[first, "monitoring_frequency"] != "Annually" else "Monthly"
    )
    areas.loc[responded[1], "co_commissions"] = "Yes"
    areas.loc[responded[1], "co_commissioning_partners"] = ("VCSE",)
    programmes = bundled.programmes.iloc[1:].reset_index(drop=True)
    return survey_workbook_bytes(Survey(areas, programmes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    upload = changed_upload()
    folder = Path(tempfile.mkdtemp(prefix="bench-upload-"))
    try:
        seeded = folder / "seeded.sqlite"
        store = open_store(f"sqlite:///{seeded}")
        current = store.current_wave()
        assert current is not None
        current_survey = store.load_survey(current.wave_id)
        prepared = store.prepare_upload(upload, "upload.xlsx", ADMIN)
        preview = preview_changes(current_survey, prepared.survey)

        baseline = best_of(args.repeat, lambda: pd.read_excel(io.BytesIO(upload), sheet_name=None))
        validate = best_of(args.repeat, lambda: store.prepare_upload(upload, "upload.xlsx", ADMIN))
        compare = best_of(args.repeat, lambda: preview_changes(current_survey, prepared.survey))

        def validate_and_preview() -> None:
            ready = store.prepare_upload(upload, "upload.xlsx", ADMIN)
            preview_changes(store.load_survey(current.wave_id), ready.survey)

        both = best_of(args.repeat, validate_and_preview)

        copies = iter(range(args.repeat + 1))

        def publish() -> None:
            copy = folder / f"copy-{next(copies)}.sqlite"
            shutil.copy(seeded, copy)
            open_store(f"sqlite:///{copy}", seed=False).publish(
                upload, "upload.xlsx", principal=ADMIN, label="Benchmark"
            )

        store.dispose()
        publishing = best_of(args.repeat, publish)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print(
        f"Upload: {len(upload) / 1024:.0f} KB, {len(prepared.survey.areas)} areas, "
        f"{len(prepared.survey.programmes)} programmes; preview: {preview.summary}"
    )
    print(f"{'step':<28}{'seconds':>10}{'x read_excel':>14}")
    for name, seconds in (
        ("pandas.read_excel baseline", baseline),
        ("validate (prepare_upload)", validate),
        ("preview (diff + figures)", compare),
        ("validate + preview", both),
        ("publish (incl. validation)", publishing),
    ):
        print(f"{name:<28}{seconds:>10.3f}{seconds / baseline:>14.2f}")


if __name__ == "__main__":
    main()
