"""A throwaway PostgreSQL server for the tests, started from Debian's binaries.

`initdb` makes a cluster in a temporary folder, `pg_ctl` starts it on a free loopback port with
trust authentication (nothing else can reach it), and it is stopped and deleted at the end of the
run. PostgreSQL refuses to run as root, so as root every server command runs as the `postgres`
user (`runuser`). Each store a test opens gets a database of its own, named for the store's path,
so reopening the same path reaches the same database, as reopening a SQLite file would.

Without the server binaries the PostgreSQL cases are skipped, unless LANDSCAPE_REQUIRE_POSTGRES=1
(CI sets it), which makes their absence a failure.
"""

from __future__ import annotations

import glob
import hashlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

REQUIRE_ENV = "LANDSCAPE_REQUIRE_POSTGRES"
SERVER_USER = "postgres"
# Durability is not under test here (the kill -9 tests kill clients, not the server): speed is.
FAST_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


def server_binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/<v>/bin)."""
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    found = [b for b in found if (b / "pg_ctl").exists()]
    return max(found, key=lambda b: int(b.parent.name), default=None)


def required() -> bool:
    return os.environ.get(REQUIRE_ENV) == "1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """One running PostgreSQL server in a temporary folder."""

    def __init__(self, binaries: Path) -> None:
        self.binaries = binaries
        self.root = Path(tempfile.mkdtemp(prefix="landscape-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self._as_root = os.geteuid() == 0
        self._databases: set[str] = set()

    def _run(self, *args: str) -> None:
        command = [str(self.binaries / args[0]), *args[1:]]
        if self._as_root:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
        if completed.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{args[0]} failed: {completed.stderr}{completed.stdout}\n{tail}")

    def start(self) -> Cluster:
        if self._as_root:
            account = pwd.getpwnam(SERVER_USER)
            os.chown(self.root, account.pw_uid, account.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync", "--no-instructions")  # fmt: skip
        options = " ".join(
            [f"-p {self.port}", "-c listen_addresses=127.0.0.1", f"-k {self.root}"]
            + [f"-c {setting}" for setting in FAST_SETTINGS]
            + ["-c max_connections=300"]
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w",
                  "-o", options, "start")  # fmt: skip
        return self

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database (once per name); returns its SQLAlchemy URL."""
        import psycopg  # the dev extra's driver; imported late so SQLite-only runs need none

        if name not in self._databases:
            with psycopg.connect(
                f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
            ) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            self._databases.add(name)
        return self.url(name)

    def url_for_path(self, path: Path) -> str:
        """The database standing in for a SQLite file at `path`: one per path, made on first use."""
        digest = hashlib.sha256(str(path).encode()).hexdigest()[:24]
        return self.create_database(f"t_{digest}")
