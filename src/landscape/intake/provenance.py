"""The optional Provenance sheet: one row per value whose provenance its row does not give.

Column checks (types, allowed kinds, the key) are the same as for the survey sheets
(`SheetContext`); the rules need the validated Areas and Programmes rows, so they are checked
here, each by its declared name (`PROVENANCE_CHECKS`, kept equal to `PROVENANCE.rules` by a test).
Problems are addressed by the Provenance sheet's cells.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from landscape.areas import display_name
from landscape.schema import (
    AREAS,
    NOT_ANSWERS,
    PROGRAMMES,
    PROVENANCE,
    Kind,
    SurveySheet,
    ValueProvenance,
    sheet_by_name,
    split_choices,
)
from landscape.values import is_blank

if TYPE_CHECKING:
    from landscape.intake.validate import SheetContext
    from landscape.intake.workbook import RawSheet

ProvenanceCheck = Callable[["SheetContext", "SurveyRows"], None]


class SurveyRows:
    """What the Provenance sheet may name: the survey's area and programme rows."""

    def __init__(self, areas: SheetContext | None, programmes: SheetContext | None) -> None:
        self.area_codes = _keys(areas, ("force_area",))
        self.programmes = _keys(programmes, ("force_area", "programme_name"))
        self.complete = areas is not None and programmes is not None


def _keys(context: SheetContext | None, key: tuple[str, ...]) -> set[Any]:
    if context is None:
        return set()
    found = set()
    for _row, record in context.rows():
        values = tuple(record.get(k) for k in key)
        if all(not is_blank(v) for v in values):
            found.add(values[0] if len(values) == 1 else (values[0], _name_key(values[1])))
    return found


def _name_key(name: object) -> str:
    return " ".join(str(name).split()).casefold()


def _names_a_value(context: SheetContext, rows: SurveyRows) -> None:
    if not rows.complete:
        return  # a missing survey sheet is already a problem; nothing here can be matched
    answers = {
        sheet.name: [c for c in sheet.column_names if c not in NOT_ANSWERS]
        for sheet in (AREAS, PROGRAMMES)
    }
    for row, record in context.rows():
        sheet, area, programme, column = (
            record.get("sheet"),
            record.get("force_area"),
            record.get("programme_name"),
            record.get("column"),
        )
        if is_blank(sheet) or is_blank(area):
            continue  # already flagged as required
        if sheet == SurveySheet.AREAS:
            if not is_blank(programme):
                context.add(
                    row,
                    "programme_name",
                    programme,
                    "programme_name must be blank for an Areas value",
                    'Clear the cell, or set sheet to "Programmes" if the value is a programme\'s',
                )
                continue
            if area not in rows.area_codes:
                context.add(
                    row,
                    "force_area",
                    display_name(str(area)),
                    f"{display_name(str(area))} has no row in the Areas sheet",
                    "Name an area listed in Areas, or add its row there",
                )
                continue
        else:
            if is_blank(programme):
                context.add(
                    row,
                    "programme_name",
                    None,
                    "programme_name is blank for a Programmes value",
                    "Name the programme as the Programmes sheet names it",
                )
                continue
            if (area, _name_key(programme)) not in rows.programmes:
                context.add(
                    row,
                    "programme_name",
                    programme,
                    f'"{programme}" is not a programme of {display_name(str(area))} '
                    "in the Programmes sheet",
                    "Spell the programme as the Programmes sheet does, or add its row there",
                )
                continue
        if is_blank(column):
            continue
        if str(column) not in answers[str(sheet)]:
            context.add(
                row,
                "column",
                column,
                f'"{column}" is not an answer column of the {sheet} sheet',
                f"Use one of: {', '.join(answers[str(sheet)])}",
            )


def _sourced_cites(context: SheetContext, rows: SurveyRows) -> None:
    for row, record in context.rows():
        if record.get("provenance") != ValueProvenance.SOURCED:
            continue
        for name in ("document", "section"):
            if is_blank(record.get(name)):
                context.add(
                    row,
                    name,
                    None,
                    f"{name} is blank, but the value is Sourced",
                    f"Give the {name} that states the value, or change provenance",
                )


def _unique(context: SheetContext, rows: SurveyRows) -> None:
    # here, not by the generic key check: that drops keys with a blank part, and an Areas value's
    # programme_name is always blank
    first: dict[tuple[Any, ...], int] = {}
    for row, record in context.rows():
        parts = (record.get("sheet"), record.get("force_area"), record.get("column"))
        if any(is_blank(p) for p in parts):
            continue
        name = record.get("programme_name")
        key = (*parts, None if is_blank(name) else _name_key(name))
        if key in first:
            context.add(
                row,
                "column",
                record.get("column"),
                f"This value is listed twice; first at row {first[key]}",
                f"Keep one row per value: merge this row into row {first[key]} and delete it",
            )
        else:
            first[key] = row


def _members_of_a_list(context: SheetContext, rows: SurveyRows) -> None:
    for row, record in context.rows():
        members = split_choices(record.get("members"))
        if not members:
            continue
        sheet, column = record.get("sheet"), record.get("column")
        if is_blank(sheet) or is_blank(column):
            continue
        found = next((c for c in sheet_by_name(str(sheet)).columns if c.name == str(column)), None)
        if found is None:
            continue  # an unknown column is provenance_names_a_value's problem
        if found.kind is not Kind.CHOICES:
            context.add(
                row,
                "members",
                record.get("members"),
                f"members is given, but {column} holds one answer, not a list",
                "Clear members: the entry speaks for the whole answer",
            )
            continue
        unknown = [m for m in members if m not in found.allowed]
        if unknown:
            context.add(
                row,
                "members",
                record.get("members"),
                f"{'; '.join(unknown)} is not an option of {column}",
                f"Name options of {column} as the template lists them: {'; '.join(found.allowed)}",
            )


PROVENANCE_CHECKS: dict[str, ProvenanceCheck] = {
    "provenance_names_a_value": _names_a_value,
    "sourced_cites_document_and_section": _sourced_cites,
    "unique_provenance": _unique,
    "members_of_a_list_answer": _members_of_a_list,
}
"""The check of each Provenance rule, by the rule's declared name."""


def check_provenance_sheet(
    raw: RawSheet, areas: SheetContext | None, programmes: SheetContext | None
) -> SheetContext:
    """The Provenance sheet checked against the survey's rows (problems on the context)."""
    from landscape.intake.validate import SheetContext

    if not raw.rows:  # optional: an empty sheet (as in the template) lists no values
        return SheetContext(PROVENANCE, raw)
    # column checks as for any sheet; its rules need the survey rows, so they run here
    context = SheetContext.check(replace(PROVENANCE, rules=()), raw)
    context.sheet = PROVENANCE
    if context.rows():
        rows = SurveyRows(areas, programmes)
        for rule in PROVENANCE.rules:
            PROVENANCE_CHECKS[rule.name](context, rows)
    return context


def provenance_records(context: SheetContext | None) -> list[dict[str, Any]]:
    """The sheet's rows as Survey records (`area_code` for `force_area`), none if absent."""
    return [] if context is None else context.records()
