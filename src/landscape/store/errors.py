"""What the store raises when it cannot do something: each a `LandscapeError`, so pages show it
as one error summary and the CLI exits 1 with it."""

from __future__ import annotations

import os
from pathlib import Path

from landscape.errors import LandscapeError


class StoreError(LandscapeError):
    """A store operation could not be done; `message` says why and what to do."""


class StoreBusy(StoreError):
    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "The data store is busy with another upload. Nothing was changed: "
            "please try again in a moment." + (f" ({detail})" if detail else "")
        )


class WaveNotFound(StoreError, KeyError):
    def __init__(self, wave_id: str) -> None:
        super().__init__(f"There is no wave {wave_id!r}.")


class NotALandscapeDatabase(StoreError):
    """A file offered as a backup is not an intact landscape database."""


class DatabaseUnavailable(StoreError):
    """The database itself failed (read-only, full, missing, damaged, unreachable): nothing was
    changed, and `fix` says what the operator can do."""


# What SQLite (and PostgreSQL) say, in lower case -> what it means for whoever runs landscape:
# the message, the fix for a SQLite file, and the fix for a database server.
_FAILURES: tuple[tuple[tuple[str, ...], str, str, str], ...] = (
    (
        ("readonly database", "read-only", "read only", "permission denied"),
        "The database at {where} is read-only: nothing was changed",
        "Make the database file and its folder writable by the user running landscape (SQLite "
        "writes -wal and -shm files beside it), or set LANDSCAPE_DATABASE_URL to a writable copy",
        "Point LANDSCAPE_DATABASE_URL at the primary server, as a user allowed to write (a "
        "standby, a read-only user or default_transaction_read_only accept reads only)",
    ),
    (
        ("disk is full", "no space left", "database or disk is full"),
        "The disk holding the database at {where} is full: nothing was changed",
        "Free space on that disk (or move the database to a larger one with `landscape backup` "
        "and `landscape restore`), then try again",
        "Free space on the database server's disk, then try again",
    ),
    (
        (
            "connection refused",
            "could not connect",
            "failed to resolve host",
            "could not translate host name",
            "timeout expired",
            "no route to host",
            "network is unreachable",
        ),
        "Cannot reach the database server at {where}: nothing was changed",
        "Check that the database server is running and accepts connections from this machine, "
        "and that the host, port and database in LANDSCAPE_DATABASE_URL (or --database) are right",
        "Check that the database server is running and accepts connections from this machine, "
        "and that the host, port and database in LANDSCAPE_DATABASE_URL (or --database) are right",
    ),
    (
        ("unable to open database",),
        "The database at {where} cannot be opened",
        "Check that its folder exists and that the user running landscape may read and write it",
        "Check LANDSCAPE_DATABASE_URL (or --database) and the server's log",
    ),
    (
        ("file is not a database", "malformed", "disk i/o error"),
        "The database at {where} is damaged or cannot be read",
        "Restore it from a backup with `landscape restore BACKUP`, and check the disk",
        "Restore it from a backup with `landscape restore BACKUP`, and check the server's log",
    ),
)


def database_failure(
    where: str, detail: str, *, writable: bool | None = None, server: bool = False
) -> StoreError:
    """The domain error for a database failure at `where` whose driver said `detail`;
    `writable` False says the file or its folder cannot be written (SQLite then reports only
    that it is "unable to open database file"); `server` True: `where` is a database server
    (PostgreSQL), so the fix speaks of the server, not of a file."""
    detail = " ".join(detail.split())  # drivers (libpq) add lines and tabs: one line, always
    text = detail.lower()
    if "locked" in text or "busy" in text or "lock timeout" in text:
        return StoreBusy()
    limit = _file_size_limit(where) if not server else None
    if limit is not None and ("disk i/o error" in text or "full" in text):
        return DatabaseUnavailable(
            f"The database at {where} cannot grow: this process may not write files larger "
            f"than {limit:,} bytes (its file-size limit, ulimit -f): nothing was changed "
            f"({detail})",
            fix="Raise the file-size limit of the user or service running landscape (ulimit -f "
            "unlimited, or LimitFSIZE=infinity in its systemd unit), then try again; the "
            "database is not damaged",
        )
    if writable is False and "unable to open" in text:
        text = f"readonly database ({text})"
    if "disk i/o error" in text and _disk_full(where):
        text = f"disk is full ({text})"  # SQLite cannot map its -shm file on a full disk
    for signs, message, file_fix, server_fix in _FAILURES:
        if any(sign in text for sign in signs):
            return DatabaseUnavailable(
                f"{message.format(where=where)} ({detail})", fix=server_fix if server else file_fix
            )
    return DatabaseUnavailable(
        f"The database at {where} could not be used: nothing was changed ({detail})",
        fix="Check the database's file or server, and the log, then try again",
    )


class BackupFailed(StoreError):
    """A backup file could not be written (folder missing or read-only, disk full): the
    database it copies was not changed, and no half-written backup is left behind."""


def backup_failure(out: str, folder: str, detail: str, *, writable: bool | None) -> StoreError:
    """The domain error for writing the backup `out` (in `folder`) failing with `detail`;
    `writable` False says the folder cannot be written, None that it does not exist."""
    text = detail.lower()
    if "locked" in text or "busy" in text:
        return StoreBusy()
    unchanged = "the database was not changed and no backup was written"
    if writable is None or "no such file" in text or "not a directory" in text:
        return BackupFailed(
            f"The folder {folder} for the backup {out} does not exist: {unchanged} ({detail})",
            fix="Create the folder first, or give a path in a folder that exists",
        )
    if "full" in text or "no space left" in text:
        return BackupFailed(
            f"The disk holding {folder} is full: {unchanged} ({detail})",
            fix="Free space on that disk, or write the backup to another disk",
        )
    if writable is False or any(
        sign in text for sign in ("readonly", "read-only", "permission denied", "unable to open")
    ):
        return BackupFailed(
            f"The folder {folder} for the backup {out} is read-only: {unchanged} ({detail})",
            fix="Choose a folder the user running landscape may write to",
        )
    return BackupFailed(
        f"The backup {out} could not be written: {unchanged} ({detail})",
        fix="Check the folder and its disk, then try again",
    )


def _file_size_limit(where: str) -> int | None:
    """This process's file-size limit (RLIMIT_FSIZE) when the SQLite file `where`, or its -wal
    or journal, has (next to) reached it; None when there is no limit or they are far below it.
    SQLite reports a write past the limit (EFBIG; Python ignores SIGXFSZ) as a disk I/O error or
    a full disk, which would otherwise read as damage."""
    try:
        import resource
    except ImportError:  # not on this platform
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    if soft == resource.RLIM_INFINITY:
        return None
    path = Path(where)
    sizes = []
    for end in ("", "-wal", "-journal"):
        try:
            sizes.append(path.with_name(path.name + end).stat().st_size)
        except (OSError, ValueError):
            continue
    return soft if sizes and max(sizes) + 1024 * 1024 >= soft else None


def _disk_full(where: str) -> bool:
    """Whether the disk holding the SQLite file `where` has (next to) no space left; False for a
    server's URL or a folder that is not there."""
    try:
        disk = os.statvfs(Path(where).parent)
    except (OSError, ValueError):
        return False
    return disk.f_bavail * disk.f_frsize < 64 * 1024
