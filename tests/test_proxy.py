"""The shipped nginx configuration in front of two dashboard processes on one PostgreSQL (issue 20).

One module's worth of servers, started once: a throwaway PostgreSQL database holding one wave,
two `streamlit run app.py` processes on it (LANDSCAPE_TRUSTED_PROXIES=1, as docs/deployment.md
says), Debian's nginx running deploy/nginx/landscape.conf in front of them (tests/nginx_support),
and one Chromium. Through the proxy: what a page sends is compressed; a browser's session stays
on one process while sessions spread over both; a wave published on one process is shown by the
other; and a lockout earned on one process holds on the other, keyed by the proxy's hop rather
than an address the client wrote.
"""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from landscape.store import open_store
from landscape.store.tables import failed_sign_ins
from tests.browser_support import (
    ARTIFACTS,
    chromium,  # noqa: F401 (a fixture)
    free_port,
    streamlit_server,
    wait_for_streamlit,
)
from tests.nginx_support import Proxy, nginx_proxy, require_nginx
from tests.store_support import ADMIN, valid_workbook

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "alice's long password"
ACCOUNTS = {"alice": {"password_hash": FAST.hash(PASSWORD), "role": "admin"}}
FIRST_LABEL = "First wave, behind the proxy"
SECOND_LABEL = "Second wave, published through one process"
SPOOFED = "203.0.113.77"
ROUTE_COOKIE = "landscape_route"


@dataclass(frozen=True)
class Deployment:
    proxy: Proxy
    upstreams: tuple[str, str]
    database_url: str
    routes: dict[str, str]  # upstream "host:port" -> a route cookie value nginx sends to it
    folder: Path


def _upstream_of(proxy: Proxy, route: str) -> str:
    """Which process nginx sends `route` to: one request with that cookie, read off the log."""
    request = urllib.request.Request(
        f"{proxy.base}/_stcore/health", headers={"Cookie": f"{ROUTE_COOKIE}={route}"}
    )
    with urllib.request.urlopen(request, timeout=10) as reply:
        assert reply.status == 200
    deadline = time.monotonic() + 5
    while not (lines := [entry for entry in proxy.log_lines() if f"route={route} " in entry]):
        assert time.monotonic() < deadline, f"nginx logged no request for {route}"
        time.sleep(0.05)  # nginx writes its log line once the reply has gone
    return lines[-1].split(" up=")[1].split()[0]


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, postgres_cluster) -> Iterator[Deployment]:
    require_nginx()
    folder = tmp_path_factory.mktemp("proxy")
    url = postgres_cluster.create_database("proxy_deployment")
    store = open_store(url, seed=False)
    store.publish(valid_workbook(), "first.xlsx", principal=ADMIN, label=FIRST_LABEL)
    store.dispose()
    env = {
        "LANDSCAPE_DATABASE_URL": url,
        "LANDSCAPE_SECRETS_FILE": str(folder / "no-secrets.toml"),
        "LANDSCAPE_ACCOUNTS": json.dumps(ACCOUNTS),
        "LANDSCAPE_TRUSTED_PROXIES": "1",
    }
    ARTIFACTS.mkdir(exist_ok=True)
    with (
        streamlit_server(ROOT / "app.py", env=env, log_path=ARTIFACTS / "proxy-a.log") as a,
        streamlit_server(ROOT / "app.py", env=env, log_path=ARTIFACTS / "proxy-b.log") as b,
    ):
        upstreams = (a.removeprefix("http://"), b.removeprefix("http://"))
        with nginx_proxy(upstreams, free_port()) as proxy:
            routes: dict[str, str] = {}
            for number in range(40):  # consistent hashing: each of two takes about half
                route = f"route-{number}"
                routes.setdefault(_upstream_of(proxy, route), route)
                if len(routes) == 2:
                    break
            assert set(routes) == set(upstreams), routes
            yield Deployment(proxy, upstreams, url, routes, folder)


def _context(browser: Any, deployment: Deployment, upstream: str | None = None, **options: Any):
    """A new browser (session); pinned to `upstream` by its route cookie when given."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    if upstream is not None:
        context.add_cookies(
            [
                {
                    "name": ROUTE_COOKIE,
                    "value": deployment.routes[upstream],
                    "url": deployment.proxy.base,
                }
            ]
        )
    return context


def _open(context: Any, url: str) -> Any:
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=60_000)
    wait_for_streamlit(page)
    return page


def _wire_bytes(browser: Any, url: str) -> tuple[int, int, list[str]]:
    """(bytes on the wire, bytes after decoding, Content-Encoding of each script of 1 KB or
    more) of one fresh visit to `url`, from Chromium's own network accounting (DevTools)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        devtools = context.new_cdp_session(page)
        devtools.send("Network.enable")
        decoded: dict[str, int] = {}
        encoded: dict[str, int] = {}
        devtools.on(
            "Network.dataReceived",
            lambda e: decoded.__setitem__(
                e["requestId"], decoded.get(e["requestId"], 0) + e["dataLength"]
            ),
        )
        devtools.on(
            "Network.loadingFinished",
            lambda e: encoded.__setitem__(e["requestId"], int(e["encodedDataLength"])),
        )
        encodings: dict[str, str] = {}
        devtools.on(
            "Network.responseReceived",
            lambda e: encodings.__setitem__(
                e["requestId"],
                {k.lower(): v for k, v in e["response"]["headers"].items()}.get(
                    "content-encoding", "none"
                )
                if e["response"]["url"].endswith(".js")
                else "",
            ),
        )
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_selector("h1", timeout=60_000)
        wait_for_streamlit(page)
        finished = set(encoded) & set(decoded)
        # scripts big enough to be worth compressing (nginx leaves those under 1 KB alone)
        scripts = [encodings[r] for r in finished if encodings.get(r) and decoded[r] >= 1024]
        return sum(encoded[r] for r in finished), sum(decoded[r] for r in finished), scripts
    finally:
        context.close()


def test_a_page_through_the_proxy_travels_compressed(deployment, chromium):  # noqa: F811
    direct_wire, direct_decoded, direct_scripts = _wire_bytes(
        chromium, f"http://{deployment.upstreams[0]}/stalking"
    )
    wire, decoded, scripts = _wire_bytes(chromium, f"{deployment.proxy.base}/stalking")
    # the same page arrives decoded alike, on the wire at well under half of the direct size
    assert abs(decoded - direct_decoded) < 0.05 * direct_decoded, (decoded, direct_decoded)
    assert direct_wire > 0.95 * direct_decoded  # Streamlit alone compresses nothing
    assert wire < 0.4 * direct_wire, (wire, direct_wire)
    assert set(direct_scripts) == {"none"}
    # Chromium asks for brotli from loopback as over HTTPS, so it gets it where nginx has it
    assert scripts and set(scripts) == {"br" if deployment.proxy.brotli else "gzip"}, scripts


def test_brotli_where_the_module_is_loaded_and_gzip_otherwise(deployment):
    with urllib.request.urlopen(f"{deployment.proxy.base}/", timeout=10) as reply:
        page = reply.read().decode()
    script = page.split('src="', 1)[1].split('"', 1)[0].lstrip("./")
    for accepted, expected in (
        ("gzip, deflate, br", "br" if deployment.proxy.brotli else "gzip"),
        ("gzip", "gzip"),
        ("identity", None),
    ):
        request = urllib.request.Request(
            f"{deployment.proxy.base}/{script}", headers={"Accept-Encoding": accepted}
        )
        with urllib.request.urlopen(request, timeout=10) as reply:
            assert reply.headers.get("Content-Encoding") == expected, accepted
            assert "Accept-Encoding" in (reply.headers.get("Vary") or "")


def test_each_session_stays_on_one_process_and_sessions_use_both(deployment, chromium):  # noqa: F811
    routes_before = set()
    for line in deployment.proxy.log_lines():
        routes_before.add(line.split(" route=")[1].split()[0])
    served: dict[str, set[str]] = {}
    for _ in range(2):  # fresh browsers: nginx gives each a route cookie of its own
        context = _context(chromium, deployment)
        try:
            _open(context, deployment.proxy.base + "/")
            cookie = [c for c in context.cookies() if c["name"] == ROUTE_COOKIE]
            assert len(cookie) == 1 and cookie[0]["httpOnly"]
            served[cookie[0]["value"]] = set()
        finally:
            context.close()
    for line in deployment.proxy.log_lines():
        route = line.split(" route=")[1].split()[0]
        if route in served:
            served[route].add(line.split(" up=")[1].split()[0])
    # every request of a session after its first (the page, the scripts, its WebSocket) reached
    # one process: the one its route hashes to
    assert all(len(processes) == 1 for processes in served.values()), served
    assert any("/_stcore/stream" in line for line in deployment.proxy.log_lines())
    # the routes the fixture found prove both processes take sessions
    assert {_upstream_of(deployment.proxy, r) for r in deployment.routes.values()} == set(
        deployment.upstreams
    )


def _sign_in(page: Any, password: str) -> None:
    page.get_by_label("Username", exact=True).fill("alice")
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_wave_published_on_one_process_is_shown_through_the_proxy_by_the_other(
    deployment,
    chromium,  # noqa: F811
):
    first, second = deployment.upstreams
    reader = _context(chromium, deployment, second)
    try:  # the second process has read the waves (and cached what it derived)
        text = _open(reader, deployment.proxy.base + "/").inner_text("body")
        assert FIRST_LABEL in text and SECOND_LABEL not in text
    finally:
        reader.close()
    survey = deployment.folder / "second.xlsx"
    survey.write_bytes(valid_workbook(strategic_board="No"))
    publisher = _context(chromium, deployment, first)
    try:
        page = _open(publisher, deployment.proxy.base + "/upload")
        _sign_in(page, PASSWORD)
        page.locator('input[type="file"]').set_input_files(str(survey))  # through the proxy
        page.get_by_text("What will change", exact=True).wait_for(timeout=60_000)
        page.get_by_label("Wave label").fill(SECOND_LABEL)
        page.get_by_role("button", name="Publish", exact=True).click()
        page.get_by_text("Published as wave").wait_for(timeout=60_000)
    finally:
        publisher.close()
    published = [line for line in deployment.proxy.log_lines() if "upload_file" in line]
    assert published and all(f"up={first} " in line for line in published)
    reader = _context(chromium, deployment, second)
    try:
        assert SECOND_LABEL in _open(reader, deployment.proxy.base + "/").inner_text("body")
    finally:
        reader.close()


def _failed_clients(url: str) -> list[str]:
    """The client key of every failed sign-in the database holds."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return list(connection.scalars(sa.select(failed_sign_ins.c.client)))
    finally:
        engine.dispose()


def _wait_for_failures(url: str, count: int, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while len(_failed_clients(url)) < count:
        assert time.monotonic() < deadline, f"fewer than {count} failures were counted"
        time.sleep(0.2)


def test_a_lockout_earned_on_one_process_holds_on_the_other(deployment, chromium):  # noqa: F811
    first, second = deployment.upstreams
    # the client writes its own X-Forwarded-For: nginx appends the address it saw, and with one
    # trusted proxy that hop (not the client's claim) is who is counted
    guesser = _context(chromium, deployment, first, extra_http_headers={"X-Forwarded-For": SPOOFED})
    try:
        page = _open(guesser, deployment.proxy.base + "/upload")
        for guess in range(1, 6):
            _sign_in(page, f"wrong guess {guess}")
            _wait_for_failures(deployment.database_url, guess)
        page.get_by_text("username or password is not right", exact=False).wait_for()
    finally:
        guesser.close()
    owner = _context(chromium, deployment, second)
    try:
        page = _open(owner, deployment.proxy.base + "/upload")
        _sign_in(page, PASSWORD)  # the right password, on the other process
        page.get_by_text("Too many failed sign-in attempts", exact=False).wait_for(timeout=30_000)
    finally:
        owner.close()
    clients = set(_failed_clients(deployment.database_url))
    assert clients and not any(SPOOFED in client for client in clients), clients
