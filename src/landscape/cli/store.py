"""Administrators' commands: publish a wave, list waves, back up and restore, hash a password.

`landscape publish` runs exactly what the Upload page runs (`Store.publish`: validation, access
rules, one transaction), signed in as a configured account.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from landscape.cli.accounts import sign_in_as
from landscape.cli.group import Refused, about, echo
from landscape.config import load_settings
from landscape.intake.uploads import combine_upload
from landscape.intake.workbook import read_bounded
from landscape.store import backup, check_landscape_database, open_store, restore, sqlite_path
from landscape.store.access import hash_password
from landscape.store.backup import existing_database
from landscape.store.errors import database_failure
from landscape.store.verify import NotVerified

PASSWORD_ENV = "LANDSCAPE_PASSWORD"  # noqa: S105 - the variable's name, not a password
USER_ENV = "LANDSCAPE_USER"

_database_option = click.option(
    "--database",
    "database_url",
    metavar="URL",
    default=None,
    help="Database URL (default: LANDSCAPE_DATABASE_URL, secrets.toml, or var/landscape.sqlite).",
)


@click.command("publish")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--label", required=True, help="The wave's name, e.g. 'APCC 2026 survey'.")
@click.option(
    "--survey-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="When the survey ran (YYYY-MM-DD).",
)
@click.option(
    "--as",
    "username",
    envvar=USER_ENV,
    required=True,
    help=f"The configured account publishing it (or env {USER_ENV}).",
)
@click.option(
    "--corrects",
    metavar="WAVE",
    default=None,
    help="Publish as a new version of this wave (a correction) rather than a new wave.",
)
@_database_option
def publish_command(
    files: tuple[Path, ...],
    label: str,
    survey_date: dt.datetime | None,
    username: str,
    corrects: str | None,
    database_url: str | None,
) -> None:
    """Validate FILES and publish them as a new survey wave.

    FILES is one .xlsx workbook, or the survey's CSV files (one per sheet, e.g. Areas.csv
    Programmes.csv). The password comes from the environment variable LANDSCAPE_PASSWORD or a
    prompt.
    """
    combined = combine_upload({str(f): read_bounded(f) for f in files})
    if combined is None:
        raise click.UsageError("Give one .xlsx workbook, or the survey's CSV files.")
    data, filename = combined
    store = open_store(database_url)
    principal = sign_in_as(store, username)
    about(", ".join(f.name for f in files))  # from here on, a refusal is about these files
    result = store.publish(
        data,
        filename,
        principal=principal,
        label=label,
        survey_date=survey_date.date() if survey_date else None,
        corrects=corrects,
    )
    echo(result.message)


@click.command("waves")
@_database_option
def waves_command(database_url: str | None) -> None:
    """List every wave and version, with uploader, time and checksum."""
    store = open_store(database_url)
    current = store.latest_wave_id()
    rows = [
        tuple(
            cell
            for cell in (
                ("* " if w.wave_id == current else "  ") + w.wave_id,
                w.label,
                str(w.version),
                w.supersedes or "",
                w.survey_date.isoformat() if w.survey_date else "",
                "yes" if w.illustrative else "no",
                w.uploaded_by,
                f"{w.uploaded_at:%Y-%m-%d %H:%M} UTC",
                w.sha256,
            )
        )
        for w in store.list_waves()
    ]
    headers = (
        "  wave",
        "label",
        "version",
        "supersedes",
        "survey date",
        "illustrative",
        "uploaded by",
        "uploaded at",
        "sha256",
    )
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    for row in (headers, *rows):
        echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    echo("(* the current wave)")
    # the head as stored, unchecked: `landscape verify --expect HEAD` checks it
    echo(f"Chain head: {store.chain_head()} (record it; check it with verify --expect)")


@click.command("verify")
@click.option(
    "--expect",
    "expected_head",
    metavar="HEAD",
    default=None,
    help="The chain head recorded earlier (COUNT:HASH, as verify and waves print it): exit 1 "
    "unless the waves up to it are unchanged.",
)
@_database_option
def verify_command(expected_head: str | None, database_url: str | None) -> None:
    """Recompute every wave's chained SHA-256, the survey round rows' hashes, and check the
    immutability triggers.

    Exit 0 with the count of waves and the chain head (record it elsewhere: deleting the newest
    wave, or rewriting the whole chain with every hash recomputed, breaks no link; `--expect
    HEAD` later fails on either), or exit 1 naming every wave or row that no longer matches.
    """
    store = open_store(database_url, seed=False)
    verification = store.verify()
    if not verification.ok:
        raise NotVerified("The database", verification)
    if expected_head is not None:
        mismatch = verification.expect(expected_head)
        if mismatch is not None:
            raise Refused(
                f"The chain does not extend the recorded head {expected_head}: {mismatch}",
                fix="Nothing was changed. Restore a backup whose chain has that head",
            )
    echo(
        f"Verified {len(verification.checks)} wave(s): each matches its published SHA-256, "
        "chained, the survey round rows match theirs, and the immutability triggers are "
        f"intact. Chain head: {verification.head_token}"
        + (f" (extends the recorded {expected_head})" if expected_head else "")
    )


@click.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
@_database_option
def backup_command(out: Path, force: bool, database_url: str | None) -> None:
    """Copy the whole database to OUT (SQLite's online backup: safe while the dashboard runs)."""
    if out.exists() and not force:
        raise Refused(f"{out} exists", fix="Choose another name or add --force.")
    url = database_url or load_settings().database_url
    existing_database(url)  # a mistyped --database must not make (and back up) a new one
    store = open_store(url, seed=False)
    backup(store, out)
    waves = len(store.list_waves())
    echo(f"Backed up {waves} wave(s) to {out}.")


@click.command("restore")
@click.argument("backup_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds waves.")
@_database_option
def restore_command(backup_file: Path, force: bool, database_url: str | None) -> None:
    """Replace the database with BACKUP_FILE (made by `landscape backup`).

    The file is checked first (a landscape database, intact); the database it replaces is kept
    beside it as *.before-restore-<time>.sqlite.
    """
    url = database_url or load_settings().database_url
    check_landscape_database(backup_file)
    target = sqlite_path(url)
    if target.exists() and not os.access(target.parent, os.W_OK):
        # it can be read there, but neither replaced nor kept beside itself
        raise database_failure(str(target), "unable to open database file", writable=False)
    if target.exists():
        existing = open_store(url, seed=False)
        if existing.list_waves() and not force:
            existing.dispose()
            raise Refused(
                f"{target} already holds waves",
                fix="Add --force to replace it (it is kept as a copy).",
            )
        keep = target.with_name(
            f"{target.stem}.before-restore-{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S}.sqlite"
        )
        backup(existing, keep)
        existing.dispose()
        echo(f"Kept the replaced database as {keep}.")
    store = restore(backup_file, url)
    echo(f"Restored {len(store.list_waves())} wave(s) from {backup_file}.")


@click.command("hash-password")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (one line)."
)
def hash_password_command(password_stdin: bool) -> None:
    """Print an argon2 hash for an account's password_hash setting."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 12:
        raise Refused("The password is too short", fix="Use one of at least 12 characters.")
    echo(hash_password(password))


def register(group: click.Group) -> None:
    """Add this module's commands to the `landscape` group."""
    for command in (
        publish_command,
        waves_command,
        verify_command,
        backup_command,
        restore_command,
        hash_password_command,
    ):
        group.add_command(command)
