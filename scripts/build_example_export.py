"""Build the example survey-tool export and its mapping (data/examples/).

The export is what a survey tool such as Microsoft Forms gives for the APCC's call for evidence:
one row per responding area, one column per question in the survey's own wording, several answers
in one cell separated by ";" (with the trailing ";" Forms writes), and each programme as a
repeated group of columns ("Programme 1: name", "Programme 2: name", ...). It is made from the
bundled illustrative wave's answers of the responding areas, so it is illustrative too; importing
it with the mapping gives those answers back (tests/test_import.py).

The tool's own columns (ID, start and completion time, email, name) come first, as Forms puts
them; they are not answers, and the mapping lists them under `ignore`.

Deterministic: no clock, no randomness. Run: `python scripts/build_example_export.py [FOLDER]`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from landscape import paths
from landscape.areas import display_name
from landscape.intake.validate import load_survey
from landscape.schema import AREAS, PROGRAMMES, ResponseStatus

OUT = Path(__file__).resolve().parents[1] / "data" / "examples"
EXPORT_NAME = "survey-tool-export.csv"
MAPPING_NAME = "survey-tool-mapping.toml"
SEPARATOR = ";"

AREA_QUESTIONS: dict[str, str] = {
    "force_area": "Which police force area does your office cover?",
    "respondent_body": "Name of the office responding",
    "commissions_da_programmes": (
        "Does your office commission or co-commission domestic abuse perpetrator programmes?"
    ),
    "stalking_provision": "What stalking perpetrator provision is there in your area?",
    "co_commissions": "Do you co-commission perpetrator interventions with partners?",
    "co_commissioning_partners": "If so, who do you co-commission with?",
    "partner_interventions": (
        "Which partners commission or provide further perpetrator interventions in your area?"
    ),
    "funding_sources": "Which sources fund your perpetrator interventions?",
    "ho_fund_recipient": (
        "Did your area receive the Home Office DA and Stalking Perpetrator Intervention Fund "
        "2023\u201325?"
    ),
    "continuation_plan": "Do you plan to keep funding these programmes after March 2025?",
    "risk_forums": "Which forums assess and manage the risk perpetrators pose?",
    "strategic_board": "Is there a strategic board overseeing perpetrator interventions?",
    "monitoring_frequency": "How often do you monitor the programmes' performance?",
    "victim_support": "How are victims supported alongside perpetrator programmes?",
    "stalking_standards_would_help": (
        "Would national standards for stalking perpetrator programmes help your area?"
    ),
    "evaluation_undertaken_or_planned": (
        "Have you evaluated, or do you plan to evaluate, the programmes you commission?"
    ),
    "evaluation_reports_supplied": "How many evaluation or interim reports are you sending us?",
    "follow_up_engagement": "Follow-up with the APCC",
    "ho_fund_award_gbp": "Home Office fund 2023\u201325 award (\u00a3), if known",
    "period_figures": "Any figures for your area (say the period each covers)",
}

PROGRAMME_QUESTIONS: dict[str, str] = {
    "programme_name": "Programme {n}: name",
    "provider": "Programme {n}: who delivers it?",
    "programme_type": "Programme {n}: what kind of intervention is it?",
    "risk_levels": "Programme {n}: which risk levels does it work with?",
    "referral_routes": "Programme {n}: how are perpetrators referred?",
    "cohorts": "Programme {n}: who is it for?",
    "delivery": "Programme {n}: how is it delivered?",
    "accreditation": "Programme {n}: accreditation or quality-assured framework",
    "evaluation_type": "Programme {n}: how is it evaluated?",
    "evaluation_status": "Programme {n}: is that evaluation completed or planned?",
    "funding_sources": "Programme {n}: which sources fund it?",
    "co_commissioning_partners": "Programme {n}: partners co-commissioning it",
    "annual_budget_gbp": "Programme {n}: annual budget (\u00a3)",
    "annual_capacity": "Programme {n}: places a year",
    "funding_start": "Programme {n}: current funding starts",
    "funding_end": "Programme {n}: current funding ends",
    "period_figures": "Programme {n}: figures (say the period each covers)",
}

LABELS: dict[str, dict[str, str]] = {
    "stalking_provision": {
        "No stalking perpetrator provision": "None",
        "Stalking work within our DA perpetrator programmes": "Within DA programmes",
        "A specialist stalking programme for DA-related stalking": "Specialist DA-related",
        "A specialist stalking programme for non-DA stalking": "Specialist non-DA",
    },
    "funding_sources": {
        "Home Office DA and Stalking Perpetrator Intervention Fund 2023\u201325": (
            "Home Office fund 2023-25"
        ),
        "Earlier Home Office DA perpetrator fund rounds": (
            "Home Office DA perpetrator fund (rounds before 2023-25)"
        ),
        "Our own policing budget": "Policing budget",
        "Ministry of Justice core victims grant": "MoJ core victims grant",
    },
    "continuation_plan": {
        "Yes, we will keep funding them": "Yes",
        "Only if national funding continues": "Only with continued national funding",
        "No, we will stop funding them": "No",
        "Not sure yet": "Unsure",
    },
    "monitoring_frequency": {
        "Every month": "Monthly",
        "Every quarter": "Quarterly",
        "Every six months": "Six-monthly",
        "Once a year": "Annually",
    },
    "stalking_standards_would_help": {"Not sure": "Unsure"},
    "follow_up_engagement": {
        "No follow-up": "None",
        "We met the APCC in person": "In person",
        "We met the APCC online": "Online meeting",
    },
    "delivery": {
        "Group work": "Group",
        "One-to-one sessions": "One-to-one",
        "A mix of group and one-to-one": "Mixed",
    },
}
"""The survey's wording of an answer where it is not the schema's option (the rest are written
as the options are)."""

TOOL_COLUMNS = ("ID", "Start time", "Completion time", "Email", "Name")

YES, NO = "Yes, we do", "No, we do not"
"""How the survey words yes and no (for its "do you" questions; "Yes"/"No" read as well)."""
YES_NO_DO = {"commissions_da_programmes", "co_commissions"}


def _reverse(field: str) -> dict[str, str]:
    return {option: wording for wording, option in LABELS.get(field, {}).items()}


def _cell(field: str, value: Any) -> str:
    if value is None or (not isinstance(value, tuple) and pd.isna(value)):
        return ""
    reverse = _reverse(field)
    if isinstance(value, tuple):
        return "".join(f"{reverse.get(v, v)}{SEPARATOR}" for v in value)
    if isinstance(value, pd.Timestamp | dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if field in YES_NO_DO and value in ("Yes", "No"):
        return YES if value == "Yes" else NO
    if field == "force_area":
        return display_name(str(value))
    return reverse.get(str(value), str(value))


def export_rows() -> tuple[list[str], list[list[str]]]:
    survey = load_survey(paths.BUNDLED_WAVE.read_bytes(), paths.BUNDLED_WAVE.name)
    areas = survey.areas[survey.areas["response_status"] == ResponseStatus.RESPONDED.value]
    groups = int(survey.programmes.groupby("area_code").size().max())
    header = [*TOOL_COLUMNS, *AREA_QUESTIONS.values()]
    for n in range(1, groups + 1):
        header += [q.replace("{n}", str(n)) for q in PROGRAMME_QUESTIONS.values()]
    rows = []
    for number, area in enumerate(areas.to_dict("records"), start=1):
        minute = dt.datetime(2024, 11, 4, 9, 0) + dt.timedelta(hours=7 * number)
        row = [
            str(number),
            f"{minute:%d/%m/%Y %H:%M}",
            f"{minute + dt.timedelta(minutes=41):%d/%m/%Y %H:%M}",
            "anonymous",
            "",
        ]
        area["force_area"] = area["area_code"]
        row += [_cell(field, area[field]) for field in AREA_QUESTIONS]
        own = survey.programmes[survey.programmes["area_code"] == area["area_code"]]
        for programme in own.to_dict("records"):
            row += [_cell(field, programme[field]) for field in PROGRAMME_QUESTIONS]
        row += [""] * (len(header) - len(row))
        rows.append(row)
    return header, rows


def export_bytes() -> bytes:
    header, rows = export_rows()
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")  # as Forms' "Download a copy" writes it


def _toml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def mapping_text() -> str:
    lines = [
        "# How the example survey-tool export (survey-tool-export.csv) maps to the survey.",
        "# Each key is explained in docs/importing.md.",
        'format = "landscape survey-tool mapping 1"',
        f"separator = {_toml(SEPARATOR)}",
        f"yes = [{_toml('Yes')}, {_toml(YES)}]",
        f"no = [{_toml('No')}, {_toml(NO)}]",
        "ignore = [" + ", ".join(_toml(c) for c in TOOL_COLUMNS) + "]",
        "",
        "[areas]",
        *(f"{field} = {_toml(question)}" for field, question in AREA_QUESTIONS.items()),
        "",
        "[programmes]",
        *(f"{field} = {_toml(question)}" for field, question in PROGRAMME_QUESTIONS.items()),
    ]
    for field, labels in LABELS.items():
        lines += ["", f"[labels.{field}]"]
        lines += [f"{_toml(wording)} = {_toml(option)}" for wording, option in labels.items()]
    return "\n".join(lines) + "\n"


def main(folder: Path = OUT) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / EXPORT_NAME).write_bytes(export_bytes())
    (folder / MAPPING_NAME).write_text(mapping_text(), encoding="utf-8")
    header, rows = export_rows()
    print(f"wrote {folder / EXPORT_NAME}: {len(rows)} responses, {len(header)} columns")
    print(f"wrote {folder / MAPPING_NAME}")


assert set(AREA_QUESTIONS) <= set(AREAS.column_names)
assert set(PROGRAMME_QUESTIONS) <= set(PROGRAMMES.column_names)

if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
