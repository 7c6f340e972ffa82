"""`landscape round`: run a survey round from the command line, as the Upload page does.

open (administrators), download an area's prefilled return, return a filled one (a new draft
version, optionally submitted), status (the tracker; the outstanding areas as CSV), accept or
reopen a return (administrators), publish the round as one wave (administrators). Every command
signs in as a configured account (`--as`, the password from LANDSCAPE_PASSWORD or a prompt):
nothing of a round is shown to someone who is not signed in.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from landscape.areas import code_for
from landscape.cli.accounts import sign_in_as
from landscape.cli.group import Refused, about, echo
from landscape.store import open_store
from landscape.store.access import Principal
from landscape.store.rounds import Round, Rounds, TrackerRow, outstanding_csv

PASSWORD_ENV = "LANDSCAPE_PASSWORD"  # noqa: S105 - the variable's name, not a password
USER_ENV = "LANDSCAPE_USER"
DATE = click.DateTime(formats=["%Y-%m-%d"])

_account = click.option(
    "--as",
    "username",
    envvar=USER_ENV,
    required=True,
    help=f"The configured account acting (or env {USER_ENV}).",
)
_database = click.option(
    "--database",
    "database_url",
    metavar="URL",
    default=None,
    help="Database URL (default: LANDSCAPE_DATABASE_URL, secrets.toml, or var/landscape.sqlite).",
)
_area = click.option(
    "--area",
    default=None,
    help="The area (name, alias or ONS code): an administrator acting for an office. "
    "An office's own account needs none.",
)


def _signed_in(username: str, database_url: str | None) -> tuple[Rounds, Principal]:
    store = open_store(database_url)
    return Rounds(store), sign_in_as(store, username)


def _round(rounds: Rounds, principal: Principal) -> Round:
    current = rounds.current_round(principal)
    if current is None:
        raise Refused("There is no survey round", fix="Open one with `landscape round open`")
    return current


def _area_code(written: str | None) -> str | None:
    if written is None:
        return None
    try:
        return code_for(written)
    except KeyError as error:
        raise Refused(str(error.args[0])) from None


@click.group("round")
def round_group() -> None:
    """Run a survey round: open, returns, status, publish."""


@round_group.command("open")
@click.option("--label", required=True, help="The round's (and its wave's) name.")
@click.option("--period", required=True, help="The survey period, e.g. 'April 2025 to March 2026'.")
@click.option("--deadline", type=DATE, required=True, help="When returns are due (YYYY-MM-DD).")
@click.option("--survey-date", type=DATE, default=None, help="The wave's survey date (YYYY-MM-DD).")
@_account
@_database
def open_command(
    label: str,
    period: str,
    deadline: dt.datetime,
    survey_date: dt.datetime | None,
    username: str,
    database_url: str | None,
) -> None:
    """Open a round asking the current schema's questions (administrators)."""
    rounds, principal = _signed_in(username, database_url)
    opened = rounds.open_round(
        principal,
        label=label,
        period=period,
        deadline=deadline.date(),
        survey_date=survey_date.date() if survey_date else None,
    )
    echo(f"Opened round {opened.round_id}: {opened.title}; {opened.question_count} questions.")


@round_group.command("download")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@_area
@_account
@_database
def download_command(out: Path, area: str | None, username: str, database_url: str | None) -> None:
    """Write the area's return, prefilled from the latest published wave, to OUT."""
    rounds, principal = _signed_in(username, database_url)
    current = _round(rounds, principal)
    if out.exists():
        raise Refused(f"{out} exists", fix="Choose another name")
    _, data = rounds.prefilled_return(principal, current.round_id, _area_code(area))
    out.write_bytes(data)
    echo(f"Wrote the return for {current.label} to {out}.")


@round_group.command("return")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--submit", is_flag=True, help="Submit this version to the APCC as well.")
@_area
@_account
@_database
def return_command(
    file: Path, submit: bool, area: str | None, username: str, database_url: str | None
) -> None:
    """Upload FILE as the area's next draft version of its return (and --submit it)."""
    rounds, principal = _signed_in(username, database_url)
    current = _round(rounds, principal)
    about(file.name)
    data = file.read_bytes()
    code = _area_code(area)
    prepared = rounds.prepare_return(principal, current.round_id, data, file.name, code)
    version = rounds.upload_return(principal, current.round_id, data, file.name, code)
    echo(f"Stored {version.area}'s return as draft version {version.version}.")
    if prepared.scope.summary:
        echo(prepared.scope.summary)
    preview = prepared.preview()
    echo(f"Compared with the published wave: {preview.summary}.")
    for change in preview.changed_values():
        where = f"{change.area} {change.programme}".strip()
        before, after = change.before or "(blank)", change.after or "(blank)"
        echo(f"  {where}: {change.answer}: {before} -> {after}")
    if submit:
        rounds.submit_return(principal, current.round_id, code)
        echo(f"Submitted version {version.version} to the APCC.")


@round_group.command("submit")
@_area
@_account
@_database
def submit_command(area: str | None, username: str, database_url: str | None) -> None:
    """Submit the area's latest draft to the APCC."""
    rounds, principal = _signed_in(username, database_url)
    current = _round(rounds, principal)
    version = rounds.submit_return(principal, current.round_id, _area_code(area))
    echo(f"Submitted {version.area}'s return, version {version.version}.")


@round_group.command("accept")
@click.argument("area")
@_account
@_database
def accept_command(area: str, username: str, database_url: str | None) -> None:
    """Accept AREA's submitted return into the round (administrators)."""
    rounds, principal = _signed_in(username, database_url)
    current = _round(rounds, principal)
    version = rounds.accept_return(principal, current.round_id, str(_area_code(area)))
    echo(f"Accepted {version.area}'s return, version {version.version}.")


@round_group.command("reopen")
@click.argument("area")
@_account
@_database
def reopen_command(area: str, username: str, database_url: str | None) -> None:
    """Send AREA's submitted or accepted return back to draft (administrators)."""
    rounds, principal = _signed_in(username, database_url)
    current = _round(rounds, principal)
    version = rounds.reopen_return(principal, current.round_id, str(_area_code(area)))
    echo(f"Reopened {version.area}'s return: it is a draft again.")


@round_group.command("status")
@click.option(
    "--outstanding",
    "outstanding_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the areas still to chase (nothing submitted) to this CSV file.",
)
@_account
@_database
def status_command(outstanding_file: Path | None, username: str, database_url: str | None) -> None:
    """The returns tracker: per area, not started / draft / submitted / accepted."""
    rounds, principal = _signed_in(username, database_url)
    current = _round(rounds, principal)
    state = "open" if current.is_open else f"published as wave {current.wave_id}"
    echo(f"Round {current.round_id}: {current.title} ({state}).")
    rows = rounds.tracker(principal, current.round_id)
    widths = (max(len(r.area) for r in rows), 11)
    for row in rows:
        echo(f"  {row.area.ljust(widths[0])}  {str(row.status).ljust(widths[1])}  {_when(row)}")
    counts = {status: sum(r.status is status for r in rows) for status in {r.status for r in rows}}
    echo(", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    if outstanding_file is not None:
        outstanding = rounds.outstanding(principal, current.round_id)
        outstanding_file.write_text(outstanding_csv(outstanding), encoding="utf-8")
        echo(f"Wrote {len(outstanding)} outstanding area(s) to {outstanding_file}.")


@round_group.command("publish")
@_account
@_database
def publish_command(username: str, database_url: str | None) -> None:
    """Publish the open round as one new wave (administrators): accepted returns, and "did not
    respond" for every area without one."""
    rounds, principal = _signed_in(username, database_url)
    current = _round(rounds, principal)
    echo(rounds.publish_round(principal, current.round_id).message)


def _when(row: TrackerRow) -> str:
    if row.status_at is None:
        return ""
    return f"v{row.version}, {row.status_at:%Y-%m-%d %H:%M} UTC by {row.status_by}"


def register(group: click.Group) -> None:
    group.add_command(round_group)
