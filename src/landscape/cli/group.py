"""`landscape`: the analysts' and administrators' command line.

Each command group lives in its own module and registers itself here, so that this file stays the
one list of what the CLI offers. Commands do not catch the library's errors: every
`LandscapeError` (an invalid survey, a refused upload or sign-in, a store or settings problem, or
the CLI's own `Refused`) reaches `LandscapeGroup.invoke`, the one place that prints it and
exits with its `exit_code`. Exit codes: 0 fine, 1 refused, 2 usage (click's own).
"""

from __future__ import annotations

import json
from typing import Any

import click

from landscape import __version__
from landscape.errors import LandscapeError, Problem, format_problems
from landscape.text import printable

_SUBJECT = "landscape.subject"
_AS_JSON = "landscape.as_json"


class Refused(LandscapeError):
    """A refusal by the command line itself (a file in the way, a password too short)."""


def about(subject: str) -> None:
    """Name what the running command works on (e.g. the files), so that a refusal says which."""
    click.get_current_context().meta[_SUBJECT] = subject


def refusals_as_json() -> None:
    """The running command (asked for `--json`) reports a refusal as JSON on stdout, for tools."""
    click.get_current_context().meta[_AS_JSON] = True


def problems_json(error: LandscapeError) -> list[dict[str, str | None]]:
    """Every problem of a refusal; a refusal of the whole file is one problem without a sheet."""
    problems = error.problems or [Problem(None, None, None, error.message, error.fix)]
    return [
        {"sheet": p.sheet, "cell": p.cell, "value": p.value, "message": p.message, "fix": p.fix}
        for p in problems
    ]


def report_json(error: LandscapeError) -> None:
    """`{"valid": false, "message", "fix", "problems": [{sheet, cell, value, message, fix}]}`."""
    refusal = {"valid": False, "message": error.message, "fix": error.fix}
    click.echo(json.dumps({**refusal, "problems": problems_json(error)}, indent=2))


def echo(text: str) -> None:
    """Print one line of text that may hold data (a label, a file name, a cell), `printable`:
    every line the commands print passes here, so no escape sequence reaches the terminal."""
    click.echo(printable(text))


def report(error: LandscapeError, subject: str | None = None) -> None:
    """Print a refusal to stderr: `Error: <subject>: <message. fix.>`, then each problem."""
    summary = printable(error.summary())
    click.echo(
        f"Error: {printable(subject)}: {summary}" if subject else f"Error: {summary}", err=True
    )
    if error.problems:
        click.echo(format_problems(error.problems), err=True)


class LandscapeGroup(click.Group):
    """A click group whose commands' `LandscapeError`s all leave one way: `report`, then exit
    with the error's `exit_code` (click's own usage errors keep their exit 2)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LandscapeError as error:
            if ctx.meta.get(_AS_JSON):
                report_json(error)
            else:
                report(error, ctx.meta.get(_SUBJECT))
            ctx.exit(error.exit_code)


@click.group(cls=LandscapeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="landscape")
def main() -> None:
    """Survey data for the PCC perpetrator intervention programmes dashboard."""


def _register_commands() -> None:
    from landscape.cli import accounts as cli_accounts
    from landscape.cli import figures as cli_figures
    from landscape.cli import round as cli_round
    from landscape.cli import store as cli_store
    from landscape.cli import survey as cli_survey

    for module in (cli_survey, cli_figures, cli_store, cli_round, cli_accounts):
        module.register(main)


_register_commands()
