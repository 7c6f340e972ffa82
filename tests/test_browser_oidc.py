"""OpenID Connect sign-in (`st.login`) end to end in Debian's chromium, against a real provider.

The module starts one OpenID Connect provider (the `oidc-provider-mock` package, a Flask server on
127.0.0.1 with a real authorization-code flow: discovery, signed ID tokens, userinfo, end of
session) and one dashboard configured to use it, under the outbound-network guard of
test_no_outbound. Its database holds a published wave, an open survey round, and one email mapped
(with the store's accounts, as `landscape accounts add --oidc` does) to the Cambridgeshire office.

- the mapped email signs in, is bound to Cambridgeshire, downloads only its area's return, is
  refused an upload changing Essex, and saves its own return as a draft;
- sign-out goes through the provider's end of session and leaves the dashboard signed out;
- an email mapped to nothing reads the dashboard but is offered nothing to publish;
- the server made no connection beyond 127.0.0.1 throughout.
"""

from __future__ import annotations

import io
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import openpyxl
import pytest

from landscape.schema import AREAS
from landscape.store.access import Role
from landscape.store.accounts import AccountKind, Accounts
from landscape.store.rounds import Rounds
from landscape.store.waves import open_store
from tests.browser_support import (
    ROOT,
    chromium,  # noqa: F401 (a fixture)
    free_port,
    require_chromium,
    screenshot,
    wait_for_streamlit,
    wait_until_healthy,
)
from tests.round_support import (
    edited_areas_row,
    open_round,
    store_with_wave,
    workbook_changing_essex,
)
from tests.store_support import ADMIN, CAMBRIDGESHIRE, sqlite_url
from tests.test_no_outbound import guarded_env, recorded

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OFFICE = "data@cambs-pcc.example"
READER = "someone@elsewhere.example"
SIGN_IN = "Sign in with your organisation account"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Dashboard:
    base: str
    provider: str
    store_url: str
    round_id: int
    outbound_log: Path
    log: Path


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One OpenID Connect provider for the module, on 127.0.0.1."""
    require_chromium()
    port = free_port()
    log = tmp_path_factory.mktemp("oidc-provider") / "provider.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "oidc_provider_mock",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_for(f"{base}/.well-known/openid-configuration", process, log)
            yield base
        finally:
            _stop(process)


@pytest.fixture(scope="module")
def dashboard(provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    """One dashboard for the module, signing in through `provider`, under the outbound guard."""
    folder = tmp_path_factory.mktemp("oidc-dashboard")
    store_url = sqlite_url(folder / "store.sqlite")
    store = store_with_wave(open_store(store_url, seed=False))
    round_id = open_round(Rounds(store)).round_id
    Accounts(store.engine).add(
        ADMIN, OFFICE, role=Role.AREA, area="Cambridgeshire", kind=AccountKind.EMAIL, via="test"
    )
    store.dispose()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{base}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        'client_id = "landscape-test"\n'
        f'client_secret = "{secrets.token_urlsafe(16)}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    outbound_log = folder / "outbound.jsonl"
    log = folder / "server.log"
    env = guarded_env(
        outbound_log, LANDSCAPE_DATABASE_URL=store_url, LANDSCAPE_SECRETS_FILE=str(secrets_file)
    )
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--secrets.files", str(secrets_file),
    ]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(base, process, timeout_s=90, log_path=log)
            yield Dashboard(base, provider, store_url, round_id, outbound_log, log)
        finally:
            _stop(process)


@dataclass
class Browsing:
    """A browser context of its own (its own cookies), recording what left the machine."""

    page: Any
    outside: list[tuple[str, str]] = field(default_factory=list)
    """(url, the URL of the document asking) of every request beyond 127.0.0.1, refused."""

    def outside_from(self, base: str) -> list[str]:
        return [url for url, asked_by in self.outside if asked_by.startswith(base)]


@pytest.fixture
def browsing(chromium: Any) -> Iterator[Browsing]:  # noqa: F811
    context = chromium.new_context(accept_downloads=True)
    page = context.new_page()
    browsing = Browsing(page)

    def guard(route: Any) -> None:
        if urlsplit(route.request.url).hostname in {"127.0.0.1", "localhost"}:
            route.continue_()
            return
        try:
            asked_by = route.request.frame.url
        except Exception:  # a request of no frame (a worker)
            asked_by = ""
        browsing.outside.append((route.request.url, asked_by))
        route.abort()

    context.route("**/*", guard)
    try:
        yield browsing
    finally:
        context.close()


def sign_in(page: Any, dashboard: Dashboard, email: str) -> None:
    """From the Upload page, through the provider's form as `email`, back to the Upload page."""
    open_upload_page(page, dashboard)
    page.get_by_role("button", name=SIGN_IN).click()
    page.wait_for_url(f"{dashboard.provider}/oauth2/authorize**", timeout=30_000)
    page.fill("input[name=sub]", email)
    page.get_by_role("button", name="Authorize").click()
    # back on the dashboard's home page, holding its identity cookie: straight on to Upload
    page.wait_for_url(f"{dashboard.base}/**", timeout=30_000, wait_until="commit")
    open_upload_page(page, dashboard)


def open_upload_page(page: Any, dashboard: Dashboard) -> None:
    page.goto(f"{dashboard.base}/upload", wait_until="domcontentloaded")
    wait_for_streamlit(page)
    page.get_by_text("2. Sign in").wait_for(timeout=30_000)


def upload(page: Any, name: str, data: bytes) -> None:
    page.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": XLSX, "buffer": data}]
    )
    wait_for_streamlit(page)


def areas_in(workbook: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(workbook))[AREAS.name]
    return [str(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]


def no_outbound_call(dashboard: Dashboard) -> list[dict[str, Any]]:
    return recorded(dashboard.outbound_log)


def test_a_mapped_office_email_signs_in_and_returns_only_its_own_area(dashboard, browsing):
    page = browsing.page
    sign_in(page, dashboard, OFFICE)
    page.get_by_text(f"Signed in as {OFFICE} (area office, Cambridgeshire).").wait_for()
    page.get_by_text("Your return: not started.").wait_for()
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download your return (.xlsx)").click()
    own_return = Path(downloading.value.path()).read_bytes()
    assert areas_in(own_return) == ["Cambridgeshire"]

    upload(page, "whole-survey.xlsx", workbook_changing_essex())
    page.get_by_text("There is a problem").wait_for()
    assert "An area office can change only its own area (Cambridgeshire)" in page.inner_text("body")
    assert page.get_by_role("button", name="Save as a draft").count() == 0

    upload(page, "cambridgeshire.xlsx", edited_areas_row(own_return, strategic_board="No"))
    page.get_by_role("button", name="Save as a draft").click()
    page.get_by_text("Saved as draft version 1. Submit it when ready.").wait_for(timeout=30_000)
    wait_for_streamlit(page)
    screenshot(page, "oidc-office-return-saved")
    store = open_store(dashboard.store_url, seed=False)
    versions = Rounds(store).returns(ADMIN, dashboard.round_id)
    assert [(v.area_code, v.version, v.uploaded_by) for v in versions] == [
        (CAMBRIDGESHIRE, 1, OFFICE)
    ]
    assert browsing.outside_from(dashboard.base) == []
    assert no_outbound_call(dashboard) == []


def test_sign_out_ends_the_session_through_the_provider(dashboard, browsing):
    page = browsing.page
    sign_in(page, dashboard, OFFICE)
    page.get_by_text(f"Signed in as {OFFICE}").wait_for()
    assert "_streamlit_user" in {c["name"] for c in page.context.cookies()}
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{dashboard.provider}/oauth2/end_session**", timeout=30_000)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{dashboard.base}/**", timeout=30_000, wait_until="commit")
    assert not any(c["name"].startswith("_streamlit_user") for c in page.context.cookies())
    open_upload_page(page, dashboard)
    page.get_by_role("button", name=SIGN_IN).wait_for()
    body = page.inner_text("body")
    assert "Signed in as" not in body and "Survey round" not in body
    page.reload()  # and it stays so
    wait_for_streamlit(page)
    page.get_by_role("button", name=SIGN_IN).wait_for()
    assert no_outbound_call(dashboard) == []


def test_an_unmapped_email_may_read_but_not_publish(dashboard, browsing):
    page = browsing.page
    sign_in(page, dashboard, READER)
    page.get_by_text(
        f"You are signed in as {READER}, which may read the dashboard but not publish."
    ).wait_for()
    body = page.inner_text("body")
    assert "Signed in as" not in body and "Survey round" not in body
    assert page.locator("input[type=file]").count() == 0
    page.get_by_role("button", name="Sign out").click()  # the reader's own way out
    page.wait_for_url(f"{dashboard.provider}/oauth2/end_session**", timeout=30_000)
    page.goto(f"{dashboard.base}/", wait_until="domcontentloaded")  # reading is for anyone
    wait_for_streamlit(page)
    assert page.locator("h1").count() >= 1
    assert browsing.outside_from(dashboard.base) == []
    assert no_outbound_call(dashboard) == []


def _wait_for(url: str, process: subprocess.Popen[Any], log: Path, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"the OpenID Connect provider exited ({log.read_text()[-2000:]})")
        time.sleep(0.2)
    raise RuntimeError(f"the OpenID Connect provider did not answer within {timeout_s} s")


def _stop(process: subprocess.Popen[Any]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
