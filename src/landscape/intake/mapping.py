"""The mapping of a survey-tool export to the survey schema: a TOML file, checked by pydantic.

A survey tool (Microsoft Forms, SmartSurvey, Snap, Qualtrics) exports one row per response and one
column per question. The mapping says which column answers which schema field, how several answers
share a cell, how yes and no and the options are worded, and how repeated programme column groups
("Programme 1 name", "Programme 2 name", ...) become programme rows. docs/importing.md explains each
field; `intake.suggest` writes a first one.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from landscape.errors import LandscapeError, Problem
from landscape.intake.cells import InvalidValue, choice_key, parse
from landscape.schema import AREAS, PROGRAMMES, Column, Kind, ResponseStatus, Sheet

GROUP = "{n}"
"""Where a programme column's header holds the group's number: "Programme {n} name"."""

AREA_FIELDS = tuple(name for name in AREAS.column_names if name != "response_status")
"""Every row of an export is a response: response_status is Responded, not a column."""
PROGRAMME_FIELDS = tuple(name for name in PROGRAMMES.column_names if name != "force_area")
"""A programme's area is its response's area."""

MAX_MAPPING_BYTES = 256 * 1024


class ImportMapping(BaseModel):
    """What `landscape import` reads from an export, field by field (docs/importing.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["landscape survey-tool mapping 1"] = "landscape survey-tool mapping 1"
    sheet: str | None = Field(
        None, description="For a workbook export: the sheet of responses (blank: the first)."
    )
    header_row: int = Field(1, ge=1, le=20, description="The row holding the questions.")
    separator: str = Field(
        ";",
        min_length=1,
        max_length=5,
        description='How several answers share one cell: ";" (Microsoft Forms), "," or "\\n".',
    )
    yes: tuple[str, ...] = Field(("Yes",), description="How the export writes Yes.")
    no: tuple[str, ...] = Field(("No",), description="How the export writes No.")
    areas: dict[str, str] = Field(description="Areas field -> the column (question) answering it.")
    programmes: dict[str, str] = Field(
        default_factory=dict,
        description=f"Programmes field -> the column header of each group, with {GROUP} for its "
        "number.",
    )
    labels: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="Field -> {the export's wording of an answer: the schema's option}.",
    )
    ignore: tuple[str, ...] = Field(
        (), description="Columns not imported (the tool's own: ID, start time, email...)."
    )
    todo: tuple[str, ...] = Field(
        (), description="What is still to decide; an import is refused while anything is listed."
    )

    @field_validator("areas")
    @classmethod
    def _area_fields(cls, areas: dict[str, str]) -> dict[str, str]:
        _known_fields(areas, AREA_FIELDS, AREAS)
        missing = [c.name for c in _must_answer(AREAS) if c.name not in areas]
        if missing:
            raise ValueError(
                "every responding area must answer these, so each needs its column: "
                + ", ".join(missing)
            )
        return areas

    @field_validator("programmes")
    @classmethod
    def _programme_fields(cls, programmes: dict[str, str]) -> dict[str, str]:
        _known_fields(programmes, PROGRAMME_FIELDS, PROGRAMMES)
        without = [
            f"{name} ({header!r})" for name, header in programmes.items() if GROUP not in header
        ]
        if without:
            raise ValueError(
                f"each programme column's header needs {GROUP} where its group number stands, "
                f'e.g. "Programme {GROUP} name": ' + ", ".join(without)
            )
        missing = [c.name for c in _must_answer(PROGRAMMES) if c.name not in programmes]
        if programmes and missing:
            raise ValueError(
                "every programme needs these, so each needs its column: " + ", ".join(missing)
            )
        return programmes

    @model_validator(mode="after")
    def _labels_name_options(self) -> ImportMapping:
        for name, labels in self.labels.items():
            column = _choice_column(name)
            for label, option in labels.items():
                if not label.strip():
                    raise ValueError(f"labels.{name}: a blank wording cannot stand for {option!r}")
                try:
                    parse(column, option)
                except InvalidValue:
                    raise ValueError(
                        f"labels.{name}: {option!r} (for {label!r}) is not one of its options: "
                        + ", ".join(column.allowed)
                    ) from None
                if column.kind is Kind.CHOICES and len(parse(column, option)) != 1:
                    raise ValueError(f"labels.{name}: {option!r} should be one option")
        return self

    def option_for(self, column: Column, written: str) -> str | None:
        """The option an answer's wording stands for: a label, or a yes or no; None otherwise."""
        key = choice_key(written)
        for label, option in self.labels.get(column.name, {}).items():
            if choice_key(label) == key:
                return str(option)
        if {"Yes", "No"} <= set(column.allowed):
            if key in {choice_key(y) for y in self.yes}:
                return "Yes"
            if key in {choice_key(n) for n in self.no}:
                return "No"
        return None

    def wordings(self, column: Column) -> list[str]:
        """Every wording this mapping gives for the column's answers, longest first."""
        words = list(self.labels.get(column.name, {}))
        if {"Yes", "No"} <= set(column.allowed):
            words += [*self.yes, *self.no]
        return sorted(words, key=len, reverse=True)


def _must_answer(sheet: Sheet) -> list[Column]:
    """The fields every row must answer, bar those the import fills itself (the response's
    status, a programme's area)."""
    own = {"response_status"} if sheet is AREAS else {"force_area"}
    return [
        c for c in sheet.columns if (c.required or c.required_if_responded) and c.name not in own
    ]


def _known_fields(fields: dict[str, str], allowed: tuple[str, ...], sheet: Sheet) -> None:
    unknown = [name for name in fields if name not in allowed]
    if unknown:
        raise ValueError(
            f"not fields of the {sheet.name} sheet: {', '.join(unknown)} (its fields: "
            f"{', '.join(allowed)})"
        )
    blank = [name for name, header in fields.items() if not header.strip()]
    if blank:
        raise ValueError(f"give the column for {', '.join(blank)}, or leave the field out")


def _choice_column(name: str) -> Column:
    for sheet in (AREAS, PROGRAMMES):
        if name in sheet.column_names and sheet.column(name).kind in (Kind.CHOICE, Kind.CHOICES):
            return sheet.column(name)
    raise ValueError(f"labels.{name}: {name} is not a field answered from a list")


class MappingInvalid(LandscapeError):
    """The mapping file cannot be used: each problem names its key."""

    def __init__(self, filename: str, problems: list[Problem]) -> None:
        super().__init__(
            f"The mapping {filename} cannot be used",
            fix="Correct each key it names (docs/importing.md explains them) and try again.",
            problems=problems,
        )


def read_mapping(data: bytes, filename: str = "mapping.toml") -> ImportMapping:
    """The mapping in a TOML file, or MappingInvalid naming each key that is wrong."""
    if len(data) > MAX_MAPPING_BYTES:
        raise MappingInvalid(
            filename,
            [
                Problem(
                    filename,
                    None,
                    None,
                    "The mapping is far larger than any needs",
                    "Check the file",
                )
            ],
        )
    try:
        document = tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise MappingInvalid(
            filename,
            [
                Problem(
                    filename,
                    None,
                    None,
                    f"It is not readable TOML ({error})",
                    "Fix the line it names",
                )
            ],
        ) from None
    try:
        return ImportMapping.model_validate(document)
    except ValidationError as error:
        raise MappingInvalid(filename, [_problem(filename, e) for e in error.errors()]) from None


def _problem(filename: str, error: Any) -> Problem:
    key = ".".join(str(part) for part in error["loc"]) or None
    message = re.sub(r"^Value error, ", "", str(error["msg"]))
    if error["type"] == "extra_forbidden":
        message = f"{key} is not a key of the mapping"
    value = error.get("input")
    shown = value if isinstance(value, str) else None
    return Problem(filename, key, shown, message, "See docs/importing.md for what it takes")


def response_status() -> str:
    return ResponseStatus.RESPONDED.value
