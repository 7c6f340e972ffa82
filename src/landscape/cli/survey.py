"""`landscape validate` and `landscape template`: check a survey file, or get the empty template."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import click
import pandas as pd

from landscape.areas import force_areas
from landscape.cli.group import Refused, about, echo, refusals_as_json
from landscape.intake.exports import IMPORT_SUFFIX, bundle_import, load_export, preview_of
from landscape.intake.facts import is_facts_file, read_facts
from landscape.intake.mapping import read_mapping
from landscape.intake.template import template_workbook_bytes
from landscape.intake.validate import load_survey, load_survey_csvs
from landscape.intake.workbook import read_bounded
from landscape.schema import ResponseStatus
from landscape.survey import Survey
from landscape.text import printable
from landscape.values import counted


def register(group: click.Group) -> None:
    """Add this module's commands to the `landscape` group."""
    group.add_command(validate_command)
    group.add_command(template_command)
    group.add_command(import_command)


@click.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"valid": true, "survey": {table: [rows]}} or {"valid": false, "problems": '
    "[{sheet, cell, value, message, fix}]} on stdout, for other tools.",
)
def validate_command(files: tuple[Path, ...], as_json: bool) -> None:
    """Check a survey: one .xlsx, or one CSV per sheet (files or a folder of them); or the
    sourced facts file (data/sources/sourced_facts.csv), each fact's value by its column's rules.

    Exit 0 and a summary when valid; exit 1 and every problem, by sheet and cell, when not.
    """
    described = ", ".join(str(f) for f in files)
    about(described)
    if as_json:
        refusals_as_json()  # a refusal leaves through the group, as JSON on stdout
    if len(files) == 1 and files[0].suffix.lower() == ".csv":
        data = _read(files[0])
        if is_facts_file(data):  # the sourced facts file (data/sources/sourced_facts.csv)
            facts = read_facts(data)
            placed = sum(f.fits for f in facts)
            if as_json:
                click.echo(json.dumps({"valid": True, "facts": len(facts), "placed": placed}))
            else:
                echo(
                    f"{described}: valid sourced facts file. {len(facts)} facts, {placed} with "
                    "a place in the survey's schema."
                )
            return
    survey = load_files(files)
    if as_json:
        click.echo(json.dumps({"valid": True, "survey": survey_json(survey)}, indent=2))
    else:
        echo(f"{described}: valid survey. {summary(survey)}")


def survey_json(survey: Survey) -> dict[str, list[dict[str, Any]]]:
    """The parsed tables as JSON values: lists for several-of-a-list answers, ISO dates, null for
    a blank, the ONS code as `area_code`."""
    tables = {"areas": survey.areas, "programmes": survey.programmes}
    if len(survey.provenance):
        tables["provenance"] = survey.provenance
    return {
        name: [{str(k): _json_value(v) for k, v in row.items()} for row in frame.to_dict("records")]
        for name, frame in tables.items()
    }


def _json_value(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_json_value(v) for v in value]
    if isinstance(value, pd.Timestamp | dt.datetime):
        return None if pd.isna(value) else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def load_files(files: tuple[Path, ...]) -> Survey:
    """The survey in these files: a single workbook, CSV files, or a folder holding either."""
    if len(files) == 1 and files[0].is_dir():
        files = _folder_files(files[0])
    if all(f.suffix.lower() == ".csv" for f in files):
        return load_survey_csvs({f.name: _read(f) for f in files})
    if len(files) != 1:
        raise click.UsageError("Give one workbook, or CSV files only (one per sheet).")
    return load_survey(_read(files[0]), files[0].name)


def _folder_files(folder: Path) -> tuple[Path, ...]:
    csvs = tuple(sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv"))
    if csvs:
        return csvs
    workbooks = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".xlsx")
    if len(workbooks) != 1:
        raise click.UsageError(
            f"{folder} should hold one CSV per sheet or a single .xlsx workbook; "
            f"found {len(workbooks)} workbooks and no CSV files."
        )
    return (workbooks[0],)


def _read(path: Path) -> bytes:
    return read_bounded(path)


def summary(survey: Survey) -> str:
    """E.g. "33 force areas responded, 10 did not respond; 187 programmes."."""
    status = survey.areas["response_status"]
    responded = int((status == ResponseStatus.RESPONDED.value).sum())
    not_responded = int((status == ResponseStatus.DID_NOT_RESPOND.value).sum())
    unlisted = len(force_areas()) - len(survey.area_codes)
    programmes = len(survey.programmes)
    absent = f" ({unlisted} not listed, counted as not responding)" if unlisted else ""
    return (
        f"{responded} force areas responded, {not_responded} did not respond{absent}; "
        f"{programmes} programme{'s' if programmes != 1 else ''}."
    )


@click.command("template")
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
def template_command(out: Path, force: bool) -> None:
    """Write the empty survey template (.xlsx, with drop-down lists and instructions) to OUT."""
    if out.exists() and not force:
        raise Refused(f"{out} already exists", fix="Use --force to overwrite it.")
    if out.suffix.lower() != ".xlsx":
        raise click.BadParameter(
            "the template is an Excel workbook: name it ….xlsx", param_hint="OUT"
        )
    try:
        out.write_bytes(template_workbook_bytes())
    except OSError as error:
        raise Refused(
            f"{out} cannot be written ({error.strerror})", fix="Choose a folder you can write to."
        ) from None
    echo(f"Wrote the survey template to {out}")


@click.command("import")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    "mapping_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The mapping (TOML) saying which column answers which field (docs/importing.md).",
)
@click.option(
    "--suggest",
    is_flag=True,
    help="Write a first mapping instead, by matching headers and answers to the schema; what "
    "it could not match is listed in its todo.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --mapping: write the import (export and mapping as one .import.zip) to publish "
    "with `landscape publish`. With --suggest: where to write the mapping (default: EXPORT's "
    "name with .mapping.toml).",
)
@click.option(
    "--preview", is_flag=True, help="Print every value read: export cell, question, field, read as."
)
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
def import_command(
    export: Path,
    mapping_path: Path | None,
    suggest: bool,
    out: Path | None,
    preview: bool,
    force: bool,
) -> None:
    """Read a survey-tool export (one row per response, CSV or .xlsx) into a survey.

    With --mapping: validate it exactly as any upload (exit 0 and a summary, or 1 and every
    problem at the export's own cell). With --suggest: write a first mapping to check and finish.
    """
    about(export.name)
    data = _read(export)
    if suggest == (mapping_path is not None):
        raise click.UsageError("Give either --mapping MAPPING.toml or --suggest.")
    if suggest:
        _write_suggestion(data, export, out, force)
        return
    assert mapping_path is not None
    mapping_bytes = _read(mapping_path)
    mapping = read_mapping(mapping_bytes, mapping_path.name)
    if preview:
        # every cell as printable text: an export's cells are data, never terminal controls
        frame = preview_of(data, export.name, mapping).map(printable)
        click.echo(frame.to_csv(sep="\t", index=False), nl=False)
    survey = load_export(data, export.name, mapping)
    echo(f"{export.name}: valid survey through {mapping_path.name}. {summary(survey)}")
    if out is not None:
        _refuse_overwrite(out, force)
        if not out.name.endswith(IMPORT_SUFFIX):
            raise click.BadParameter(f"name the import ….{IMPORT_SUFFIX}", param_hint="--out")
        _write(out, bundle_import(data, export.name, mapping_bytes))
        echo(f"Wrote the import to {out}: publish it with `landscape publish {out}`.")


def _write_suggestion(data: bytes, export: Path, out: Path | None, force: bool) -> None:
    from landscape.intake.suggest import mapping_toml, suggest
    from landscape.intake.workbook import read_response_table

    target = out or export.with_name(f"{export.stem}.mapping.toml")
    _refuse_overwrite(target, force)
    found = suggest(read_response_table(data, export.name))
    _write(target, mapping_toml(found, export.name).encode("utf-8"))
    mapped = len(found.areas) + len(found.programmes)
    echo(
        f"Wrote a first mapping to {target}: {mapped} fields matched, "
        f"{counted(len(found.todo), 'thing', 'things')} still to decide (its todo)."
    )


def _refuse_overwrite(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise Refused(f"{path} already exists", fix="Use --force to overwrite it.")


def _write(path: Path, content: bytes) -> None:
    try:
        path.write_bytes(content)
    except OSError as error:
        raise Refused(
            f"{path} cannot be written ({error.strerror})", fix="Choose a folder you can write to."
        ) from None
