"""What the domain raises when it refuses something: one base, carrying what a person needs.

Every refusal says what is wrong (`message`), what to do about it (`fix`) and, for uploads, every
cell-addressed `problems` found. Pages show any `LandscapeError` as one error summary and the CLI
turns it into one exit path, so neither keeps a list of exception types.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from landscape.text import printable


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an upload: where, the value found, what is wrong, what to do.

    `cell` is one cell ("F12") or, for one cause repeated down a column, the range ("F12:F40")."""

    sheet: str | None
    cell: str | None
    value: str | None
    message: str
    fix: str
    cause: str = field(default="", compare=False)
    """What makes problems in neighbouring cells one (e.g. "formula"); blank: the same message
    and fix."""

    @property
    def location(self) -> str:
        if self.sheet is None:
            return "file"
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet


def sentence(text: str) -> str:
    """`text` ending in exactly one full stop (messages are joined from parts that may end in
    one already)."""
    stripped = text.rstrip().rstrip(".").rstrip()
    if not stripped or stripped.endswith(_ENDS_A_SENTENCE):
        return stripped
    return f"{stripped}."


# A question (or one in brackets or quotes) already ends its sentence.
_ENDS_A_SENTENCE = ("?", "!", "?)", '?"', '?")', "!)")


def format_problems(problems: Sequence[Problem]) -> str:
    """One line per problem: `Programmes!H14: "Respekt" is not ... Use one of: ...` (each
    line `printable`: a value's control characters are shown as escapes, never acted on)."""
    return "\n".join(
        printable(f"{p.location}: {sentence(p.message)} {p.fix.rstrip().rstrip('.')}")
        for p in problems
    )


class LandscapeError(Exception):
    """A refusal by the domain. `exit_code` is what the CLI exits with (1: the input or the
    request was refused; 2 is click's usage error)."""

    exit_code = 1

    def __init__(self, message: str, *, fix: str = "", problems: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.problems = list(problems)

    def __str__(self) -> str:
        return self.message

    def summary(self) -> str:
        """The message and what to do, as a person reads them."""
        return " ".join(part for part in (sentence(self.message), sentence(self.fix)) if part)
