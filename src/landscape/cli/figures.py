"""`landscape figures`: each figure the APCC report published beside the value the data gives."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import click
import pandas as pd

from landscape import paths
from landscape.cli.group import about, echo
from landscape.intake.validate import load_survey
from landscape.model.composition import kind_of_wave
from landscape.model.landscape import Landscape, build_landscape
from landscape.model.measures import MEASURES
from landscape.model.published import POLICY_FACT_NOTE, check_figures, figure_basis
from landscape.model.wave_kind import APCC_2025_REPORT, WaveKind
from landscape.values import is_blank, number_text


def register(group: click.Group) -> None:
    """Add this module's commands to the `landscape` group."""
    group.add_command(figures)


@click.command()
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
def figures(file: Path | None, as_json: bool) -> None:
    """Compare the report's published figures with those computed from FILE.

    FILE is a survey workbook (.xlsx); without it, the bundled illustrative wave. Each figure shows
    the published value, the computed value, its numerator and denominator, and whether they match.
    Exit 0 when the comparison ran (mismatches are reported, not errors); 1 when FILE is invalid.
    """
    # Installed without its data, bundled_wave() raises a LandscapeError saying what to set.
    source = file or paths.bundled_wave()
    about(source.name)
    survey = load_survey(source.read_bytes(), source.name)
    model = build_landscape(survey)
    # the command sets any file beside the report: its kind is what its values give, the same
    # for the bundled file by path as without FILE
    kind = kind_of_wave(model, report=APCC_2025_REPORT)
    checked = check_figures(model)
    checked["provenance"] = [_provenance(str(fid), model, kind) for fid in checked["id"]]
    if as_json:
        document = {
            "wave": source.name,
            "kind": kind.basis.value,
            "compared_with": kind.reproduces,
            "reproduces": kind.reproduces if kind.calibrated else None,
            "differs": list(kind.differs),
            "provenance_mix": kind.mix.by_kind() if kind.mix else None,
            "cite_a_public_source": kind.mix.citing if kind.mix else None,
            "about": kind.describe(),
            "figures": [_json_row(row) for row in checked.to_dict("records")],
        }
        click.echo(json.dumps(document, indent=2))
        return
    echo(f"Published APCC figures against {source.name}")
    echo(f"Wave: {source.name} ({kind.describe()})")
    if kind.mix is not None:
        echo(f"Values: {kind.mix.text()}")
    click.echo(_table(checked))
    survey_rows = checked[checked["matches"].notna()]
    matched = int((survey_rows["matches"] == True).sum())  # noqa: E712
    click.echo(f"\n{matched} of {len(survey_rows)} survey figures match the report.")
    for fid, matches, note in checked[["id", "matches", "note"]].itertuples(index=False):
        if matches is False and note:
            click.echo(f"{fid}: {note}")


def _provenance(fid: str, model: Landscape, kind: WaveKind) -> str:
    """What kind of number the computed figure is; a policy fact is the report's alone."""
    measure = MEASURES.get(fid)
    if measure is None:
        return f"Published: {POLICY_FACT_NOTE}"
    return figure_basis(measure(model), kind, whole_wave=True).text


def _json_row(row: dict[Any, Any]) -> dict[str, Any]:
    return {str(key): _plain(value) for key, value in row.items()}


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _number(value: Any) -> str:
    return "" if is_blank(value) else number_text(value)


def _table(checked: pd.DataFrame) -> str:
    header = ("id", "published", "computed", "numerator/denominator", "match")
    lines = []
    for row in checked.itertuples(index=False):
        published = _number(row.published)
        if row.unit == "percent":
            published += "%"
        computed = _number(row.computed)
        if computed and row.unit == "percent":
            computed += "%"
        fraction = ""
        if _plain(row.numerator) is not None:
            fraction = _number(row.numerator)
            if _plain(row.denominator) is not None:
                fraction += f" / {_number(row.denominator)}"
        match = "context" if row.matches is None else ("yes" if row.matches else "NO")
        lines.append((str(row.id), published, computed, fraction, match))
    widths = [max(len(r[i]) for r in [header, *lines]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(r, widths, strict=True)).rstrip()
        for r in [header, *lines]
    )
