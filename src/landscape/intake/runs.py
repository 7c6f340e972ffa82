"""One cause, one message: the same problem in a run of cells down a column is reported once,
naming the range ("Programmes!F12:F40"), so a formula or a slip dragged down a column reads as the
one thing to fix that it is."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from landscape.errors import Problem
from landscape.values import counted

_CELL = re.compile(r"([A-Z]+)(\d+)")

MIN_RUN = 2
"""Two cells in a row with the same cause are already one thing to fix."""


def _cause(problem: Problem) -> tuple[str, ...]:
    return (problem.cause,) if problem.cause else (problem.message, problem.fix)


def merge_runs(problems: Sequence[Problem]) -> list[Problem]:
    """`problems` with each run of one cause in consecutive rows of one column made one problem
    (cell "F12:F40"), standing where the run's first problem stood."""
    runs: dict[tuple[object, ...], list[list[tuple[int, Problem]]]] = {}
    for problem in problems:
        match = _CELL.fullmatch(problem.cell or "")
        if problem.sheet is None or match is None:
            continue
        letters, row = match.group(1), int(match.group(2))
        column_runs = runs.setdefault((problem.sheet, letters, *_cause(problem)), [])
        if column_runs and column_runs[-1][-1][0] == row - 1:
            column_runs[-1].append((row, problem))
        else:
            column_runs.append([(row, problem)])
    merged: dict[int, Problem] = {}
    dropped: set[int] = set()
    for column_runs in runs.values():
        for run in column_runs:
            if len(run) < MIN_RUN:
                continue
            first, *rest = (problem for _row, problem in run)
            merged[id(first)] = _one_problem(first, rest)
            dropped.update(id(p) for p in rest)
    return [merged.get(id(p), p) for p in problems if id(p) not in dropped]


def _one_problem(first: Problem, rest: Sequence[Problem]) -> Problem:
    last = rest[-1]
    cells = f"{first.cell}:{last.cell}"
    values = {p.value for p in (first, *rest)}
    count = counted(len(rest) + 1, "cell", "cells")
    if first.cause == "formula":
        message = (
            f"The {count} {cells} hold formulas (the first: {first.value}), not values"
            if first.value
            else f"The {count} {cells} hold formulas, not values"
        )
    else:
        message = f"{first.message} (the same in all {count}, {cells})"
    return replace(
        first, cell=cells, value=first.value if len(values) == 1 else None, message=message
    )
