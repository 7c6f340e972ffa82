"""The rules across fields and sheets: one check for each rule a sheet declares in `Sheet.rules`.

A check is found by the rule's declared name (`RULE_CHECKS`), never by its position, so reordering
or rewording the schema's rules cannot attach a rule to another rule's check; a test keeps the two
lists equal both ways. Each check reads a sheet's parsed values and adds problems to its context;
a cell already flagged keeps its first problem.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from landscape.areas import display_name
from landscape.intake.cells import as_text
from landscape.schema import (
    FILLED_WITHOUT_RESPONSE,
    Column,
    EvaluationType,
    Kind,
    ResponseStatus,
    Sheet,
    StalkingProvision,
    YesNo,
)
from landscape.values import is_blank

if TYPE_CHECKING:  # the context is built by validation, which runs these checks
    from landscape.intake.validate import SheetContext

RuleCheck = Callable[["SheetContext"], None]


def _unique_key_rule(context: SheetContext) -> None:
    """Checked by pandera in `check_key_unique`; listed here so that every rule has a home."""


def _required_if_responded(context: SheetContext) -> None:
    if "response_status" not in context.positions:
        return
    required = [
        c.name
        for c in context.sheet.columns
        if c.required_if_responded and c.name in context.positions
    ]
    for row, record in context.rows():
        if record["response_status"] != ResponseStatus.RESPONDED:
            continue
        for name in required:
            if is_blank(record[name]):
                column = context.sheet.column(name)
                context.add(
                    row,
                    name,
                    None,
                    f"{name} is blank, but the area responded",
                    f"Fill it in ({_allowed_hint(column)}), or set response_status to "
                    f"{ResponseStatus.DID_NOT_RESPOND.value}",
                )


def _allowed_hint(column: Column) -> str:
    if column.allowed:
        many = "several of" if column.kind is Kind.CHOICES else "one of"
        return f"{many}: {', '.join(column.allowed)}"
    return column.description


def _partners_if_co_commissions(context: SheetContext) -> None:
    if not {"co_commissions", "co_commissioning_partners"} <= set(context.positions):
        return
    column = context.sheet.column("co_commissioning_partners")
    for row, record in context.rows():
        if record["co_commissions"] == YesNo.YES and is_blank(record["co_commissioning_partners"]):
            context.add(
                row,
                column.name,
                None,
                "co_commissioning_partners is blank, but co_commissions is Yes",
                f"Fill it in ({_allowed_hint(column)}), or set co_commissions to No",
            )


def _stalking_none_stands_alone(context: SheetContext) -> None:
    if "stalking_provision" not in context.positions:
        return
    none = StalkingProvision.NONE.value
    for row, record in context.rows():
        provision = record["stalking_provision"]
        if provision and none in provision and len(provision) > 1:
            written = as_text(context.values.at[row, "stalking_provision"])
            context.add(
                row,
                "stalking_provision",
                written,
                f'stalking_provision is "{written}": "{none}" cannot be listed with other '
                "provision",
                f'Write "{none}" alone if the area has no stalking perpetrator provision, or '
                f'remove "{none}" and keep the kinds of provision it has',
            )


def _blank_if_not_responded(context: SheetContext) -> None:
    if "response_status" not in context.positions:
        return
    kept = {*context.sheet.key, "response_status", *FILLED_WITHOUT_RESPONSE}
    answers = [name for name in context.positions if name not in kept]
    for row, record in context.rows():
        if record["response_status"] != ResponseStatus.DID_NOT_RESPOND:
            continue
        for name in answers:
            if not is_blank(record[name]):
                written = as_text(context.values.at[row, name])
                context.add(
                    row,
                    name,
                    written,
                    f'{name} is "{written}", but this area did not respond',
                    f"Leave {name} blank, or set response_status to "
                    f"{ResponseStatus.RESPONDED.value}",
                )


def _evaluation_status_matches_type(context: SheetContext) -> None:
    if not {"evaluation_type", "evaluation_status"} <= set(context.positions):
        return
    column = context.sheet.column("evaluation_status")
    for row, record in context.rows():
        kind, status = record["evaluation_type"], record["evaluation_status"]
        if kind is None or (row, "evaluation_type") in context.flagged:
            continue
        if kind == EvaluationType.NONE and status is not None:
            context.add(
                row,
                column.name,
                status,
                f'evaluation_status is "{status}", but evaluation_type is None',
                "Leave evaluation_status blank when there is no evaluation, or set "
                "evaluation_type to the kind of evaluation",
            )
        elif (
            kind != EvaluationType.NONE
            and status is None
            and (row, column.name) not in context.flagged
        ):
            context.add(
                row,
                column.name,
                None,
                f"evaluation_status is blank, but evaluation_type is {kind}",
                f"Fill it in ({_allowed_hint(column)})",
            )


def _funding_end_not_before_start(context: SheetContext) -> None:
    if not {"funding_start", "funding_end"} <= set(context.positions):
        return
    for row, record in context.rows():
        start, end = record["funding_start"], record["funding_end"]
        if start is not None and end is not None and end < start:
            context.add(
                row,
                "funding_end",
                end,
                f"funding_end ({end.isoformat()}) is before funding_start ({start.isoformat()})",
                "Check both dates: funding must end on or after the day it starts",
            )


def _programme_area_rule(context: SheetContext) -> None:
    """Needs the Areas sheet: run by `programme_areas_responded` once both sheets are read."""


def programme_areas_responded(areas: SheetContext, programmes: SheetContext) -> None:
    if "force_area" not in programmes.positions or "force_area" not in areas.positions:
        return
    status: dict[str, str | None] = {}
    if "response_status" in areas.positions:
        for _row, record in areas.rows():
            if record["force_area"] is not None:
                status.setdefault(record["force_area"], record["response_status"])
    # An Areas row whose name could not be read is already reported; do not blame its programmes.
    areas_all_read = not any(name == "force_area" for _row, name in areas.flagged)
    for row, record in programmes.rows():
        code = record["force_area"]
        if code is None or (code in status and status[code] is None):
            continue  # the area itself is already reported
        if code not in status and not areas_all_read:
            continue
        if status.get(code) != ResponseStatus.RESPONDED:
            name = display_name(code)
            listed = "listed as Did not respond" if code in status else "not listed"
            programmes.add(
                row,
                "force_area",
                programmes.values.at[row, "force_area"],
                f"{name} is {listed} on the Areas sheet, so it cannot have programmes",
                f"Set {name}'s response_status to Responded on the Areas sheet, or remove "
                "this programme",
            )


RULE_CHECKS: dict[str, RuleCheck] = {
    "unique_force_area": _unique_key_rule,
    "required_if_responded": _required_if_responded,
    "partners_if_co_commissions": _partners_if_co_commissions,
    "stalking_none_stands_alone": _stalking_none_stands_alone,
    "blank_if_not_responded": _blank_if_not_responded,
    "unique_programme_name": _unique_key_rule,
    "evaluation_status_matches_type": _evaluation_status_matches_type,
    "funding_end_not_before_start": _funding_end_not_before_start,
    "programme_area_responded": _programme_area_rule,
}
"""The check of each rule, by the rule's declared name (`Rule.name` in the schema)."""


def sheet_checks(sheet: Sheet) -> tuple[RuleCheck, ...]:
    """The checks of the sheet's declared rules, in the order the sheet declares them."""
    return tuple(RULE_CHECKS[rule.name] for rule in sheet.rules)
