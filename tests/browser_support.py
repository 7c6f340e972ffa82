"""Reusable pieces for browser tests: a Streamlit server on 127.0.0.1, Debian's chromium, and a
page that blocks (and records) every request to any host but the server's own.

Use the fixtures by importing them into a test module (`from tests.browser_support import
chromium, require_chromium`), or the plain context managers directly.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = ROOT / "test-artifacts"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})


def require_chromium() -> None:
    """Skip when Debian's chromium is absent, unless LANDSCAPE_REQUIRE_BROWSER=1 (then fail)."""
    if CHROMIUM.exists():
        return
    if os.environ.get("LANDSCAPE_REQUIRE_BROWSER") == "1":
        pytest.fail("LANDSCAPE_REQUIRE_BROWSER=1 but /usr/bin/chromium is absent")
    pytest.skip("Debian's chromium (/usr/bin/chromium) is not installed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def streamlit_server(
    script: Path,
    *,
    env: Mapping[str, str] | None = None,
    log_path: Path | None = None,
    timeout_s: float = 90,
) -> Iterator[str]:
    """Run `streamlit run script` headless on 127.0.0.1 and yield its base URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    log = log_path.open("w") if log_path else subprocess.DEVNULL
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, process, timeout_s=timeout_s, log_path=log_path)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if log_path:
            log.close()  # type: ignore[union-attr]


def wait_until_healthy(
    base: str,
    process: subprocess.Popen[Any],
    *,
    timeout_s: float,
    log_path: Path | None,
    name: str = "streamlit",
) -> None:
    """Return once the server at `base` answers /_stcore/health (a dashboard, or `name` in front
    of one); raise, naming `log_path`, if the process exits or is late."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode} ({log_path})")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not answer within {timeout_s} s ({log_path})")
        time.sleep(0.3)


@contextmanager
def app_server_on_fresh_store(tmp_path_factory: Any, name: str) -> Iterator[str]:
    """The dashboard (app.py) on a store of its own, for one test module's browser tests."""
    require_chromium()
    store = tmp_path_factory.mktemp("store") / f"{name}.sqlite"
    with streamlit_server(
        ROOT / "app.py",
        env={"LANDSCAPE_DATABASE_URL": f"sqlite:///{store}"},
        log_path=tmp_path_factory.mktemp("log") / "server.log",
        timeout_s=60,
    ) as base:
        yield base


@dataclass
class OutsideRequests:
    """Every request the page tried to send to a host other than 127.0.0.1 / localhost."""

    attempted: list[str] = field(default_factory=list)


def block_outside_requests(context: Any) -> OutsideRequests:
    """Route every request of a playwright BrowserContext: local ones go on, others are
    aborted and recorded (so a test can assert the page never tried to leave the machine)."""
    outside = OutsideRequests()

    def guard(route: Any) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob"} or parts.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.attempted.append(url)
            route.abort()

    context.route("**/*", guard)
    return outside


@contextmanager
def launched_chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_for_streamlit(page: Any, timeout_ms: int = 60_000) -> None:
    """Wait until the app's script has run to the end and nothing is still loading."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    deadline = time.monotonic() + timeout_ms / 1000
    quiet_since: float | None = None
    while time.monotonic() < deadline:
        busy = (
            page.locator('[data-testid="stStatusWidget"]').count()
            + page.locator('[data-testid="stSkeleton"]').count()
        )
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 1.0:
            return
        time.sleep(0.2)
    raise AssertionError("the Streamlit page did not settle")


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """A headless Debian chromium for the module (skips or fails per require_chromium)."""
    require_chromium()
    with launched_chromium() as browser:
        yield browser
