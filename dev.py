#!/usr/bin/env python3
"""One entry point for people and CI: `python3 dev.py start` and `python3 dev.py test`.

Needs only Python 3.11+. It makes `.venv`, installs the locked dependencies (hash-checked) and
the project, then starts the dashboard or runs every check. Re-running skips the install while the
lock file is unchanged.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def _run(*args: str | Path) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    completed = subprocess.run([str(a) for a in args], cwd=ROOT, check=False)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def ensure_environment(lock_name: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py must explain itself on old Pythons
        sys.exit("landscape needs Python 3.11 or newer")
    lock = ROOT / "requirements" / lock_name
    stamp = VENV / f".installed-{lock_name}"
    digest = hashlib.sha256(lock.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest and PYTHON.exists():
        return
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    packages = sum(1 for line in lock.read_text().splitlines() if line[:1].isalnum())
    print(
        f"Installing {packages} locked packages from {lock.name} into .venv "
        "(first run, or the lock changed; a few minutes)...",
        flush=True,
    )
    _run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    # pip's own per-package lines are the progress: a quiet install looks hung for minutes
    _run(PYTHON, "-m", "pip", "install", "--progress-bar", "off", "--require-hashes", "-r", lock)
    _run(PYTHON, "-m", "pip", "install", "--quiet", "--no-deps", "-e", ROOT)
    stamp.write_text(digest)


def start(extra: list[str]) -> None:
    ensure_environment("runtime.lock")
    _run(PYTHON, "-m", "streamlit", "run", ROOT / "app.py", *extra)


def test(extra: list[str]) -> None:
    ensure_environment("dev.lock")
    _run(PYTHON, "-m", "ruff", "check", ".")
    _run(PYTHON, "-m", "ruff", "format", "--check", ".")
    _run(PYTHON, "-m", "mypy")
    _run(BIN / "lint-imports")
    # two workers or more, each test file on one worker (its servers and browser started once):
    # the slow tests mostly wait on servers, browsers and proxies, so two share a machine well
    workers = str(max(2, min(4, os.cpu_count() or 1)))
    _run(PYTHON, "-m", "pytest", "-n", workers, "--dist", "loadfile", *extra)


COMMANDS = {"start": start, "test": test}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(f"usage: python3 dev.py {{{'|'.join(COMMANDS)}}} [args...]")
    COMMANDS[sys.argv[1]](sys.argv[2:])
