"""Many readers at once: 1, 5 and 10 concurrent sessions of one dashboard server in Chromium.

One server, started as the README's `dev.py start` does (`python -m streamlit run app.py`, here
headless on 127.0.0.1 and a free port) on a fresh temporary SQLite store; one Debian chromium
(/usr/bin/chromium, --no-sandbox --disable-gpu) with a separate browser context per session, every
request to any host but the server's own blocked. An untimed first visit loads the wave into the
server's caches (its time is reported as the cold first visit). Then, for N = 1, 5, 10, N contexts
open the overview page at once, and for each session the script records:

- headline: from asking for the page until its title (the headline finding, `h1`) is drawn;
- idle: until the page has drawn its headline and shown no running-script indicator or loading
  skeleton for 1 s (the moment that quiet began);

the server's CPU time for the round (/proc/PID/stat), and its resident memory (RSS from
/proc/PID/status) before the round and with the N sessions open, so memory per session =
(RSS with N open - RSS before) / N. Figures at 10 are also stated as ratios to 1. Everything
is bounded: 10 sessions at most, ROUND_TIMEOUT_S a round.

Through the proxy (--via proxy, and by default after the direct rounds, in the same run): two
dashboard processes on the same store behind Debian's nginx running deploy/nginx/landscape.conf
(tests/nginx_support), each session a browser of its own, so nginx's route cookie spreads the
sessions over both; the CPU and memory figures are then the two processes' sums, and the script
says how many sessions each process took (from nginx's access log).

Run: .venv/bin/python benchmarks/bench_readers.py [--sessions 1 5 10] [--repeat N]
     [--via direct proxy]
(best of N rounds per count, by the slowest session's time to idle; default 1)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser_support import (  # noqa: E402 (after the path set-up)
    CHROMIUM,
    block_outside_requests,
    free_port,
    launched_chromium,
    streamlit_server,
)
from tests.nginx_support import NGINX, nginx_proxy  # noqa: E402

MAX_SESSIONS = 10
ROUND_TIMEOUT_S = 240.0
QUIET_S = 1.0
POLL_S = 0.05
HEADLINE = '[data-testid="stMain"] h1'
BUSY = '[data-testid="stStatusWidget"], [data-testid="stSkeleton"]'
VIEWPORT = {"width": 1280, "height": 900}


@dataclass
class Session:
    """One reader: its browser context and page, and what the script saw of it."""

    context: Any
    page: Any
    outside: Any
    asked: float = 0.0
    headline: float | None = None
    quiet_since: float | None = None
    idle: float | None = None


@dataclass(frozen=True)
class Round:
    sessions: int
    headline_s: list[float]
    idle_s: list[float]
    rss_before_kib: int
    rss_open_kib: int
    server_cpu_s: float
    """CPU seconds (user + system) the server spent on the round."""

    @property
    def per_session_mib(self) -> float:
        return (self.rss_open_kib - self.rss_before_kib) / self.sessions / 1024


def rss_kib(pid: int) -> int:
    """The resident set size of a process, from /proc (kB as the kernel writes it)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far, from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child_pids() -> list[int]:
    """This process's children (the server streamlit_server started), from /proc."""
    pids: list[int] = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        children = task / "children"
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
    return pids


def server_pids(expected: int) -> list[int]:
    streamlit = [p for p in child_pids() if b"streamlit" in _cmdline(p)]
    if len(streamlit) != expected:
        raise RuntimeError(f"expected {expected} streamlit server children, found {streamlit}")
    return streamlit


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def open_round(browser: Any, url: str, count: int, pids: list[int]) -> Round:
    """Open `count` sessions at once and follow each until its page is idle (bounded)."""
    rss_before = sum(rss_kib(pid) for pid in pids)
    cpu_before = sum(cpu_seconds(pid) for pid in pids)
    sessions = []
    for _ in range(count):
        context = browser.new_context(viewport=VIEWPORT)
        outside = block_outside_requests(context)
        sessions.append(Session(context, context.new_page(), outside))
    try:
        for session in sessions:  # ask for every page before waiting for any
            session.asked = time.monotonic()
            session.page.goto(url, wait_until="commit")
        deadline = time.monotonic() + ROUND_TIMEOUT_S
        while any(s.idle is None for s in sessions):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{count} sessions: not idle within {ROUND_TIMEOUT_S} s")
            for session in sessions:
                if session.idle is None:
                    _follow(session)
            time.sleep(POLL_S)
        rss_open = sum(rss_kib(pid) for pid in pids)
        cpu = sum(cpu_seconds(pid) for pid in pids) - cpu_before
        attempted = [u for s in sessions for u in s.outside.attempted]
        if attempted:
            raise RuntimeError(f"pages tried to leave the machine: {attempted[:3]}")
    finally:
        for session in sessions:
            session.context.close()
    return Round(
        sessions=count,
        headline_s=[float(s.headline or 0.0) - s.asked for s in sessions],
        idle_s=[float(s.idle or 0.0) - s.asked for s in sessions],
        rss_before_kib=rss_before,
        rss_open_kib=rss_open,
        server_cpu_s=cpu,
    )


def _follow(session: Session) -> None:
    now = time.monotonic()
    page = session.page
    if session.headline is None:
        if page.locator(HEADLINE).count():
            session.headline = now
        else:
            return
    if page.locator(BUSY).count():
        session.quiet_since = None
    elif session.quiet_since is None:
        session.quiet_since = now
    elif now - session.quiet_since >= QUIET_S:
        session.idle = session.quiet_since


def settle(seconds: float = 3.0) -> None:
    """Let the servers drop closed sessions' work before the next round is measured."""
    time.sleep(seconds)


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def measure(
    browser: Any, url: str, counts: list[int], repeat: int, pids: list[int], cold_urls: list[str]
) -> Report:
    """The cold first visit to each of `cold_urls` (every process loads the wave once; the
    first one's figures are reported), then the rounds through `url`."""
    rss_started = sum(rss_kib(pid) for pid in pids)
    cold = open_round(browser, cold_urls[0], 1, pids)
    for other in cold_urls[1:]:
        open_round(browser, other, 1, pids)
    settle()
    rounds = []
    for count in counts:
        tries = []
        for _ in range(max(1, repeat)):
            tries.append(open_round(browser, url, count, pids))
            settle()
        rounds.append(min(tries, key=lambda r: max(r.idle_s)))
    return Report(rss_started, cold, rounds, sum(rss_kib(pid) for pid in pids))


@dataclass(frozen=True)
class Report:
    rss_started_kib: int
    cold: Round
    rounds: list[Round]
    rss_end_kib: int


def sessions_per_process(log_lines: list[str]) -> dict[str, int]:
    """How many browsers' WebSockets (distinct route cookies) nginx sent to each process."""
    routes: dict[str, set[str]] = {}
    for line in log_lines:
        if "/_stcore/stream" in line:
            upstream = line.split(" up=")[1].split()[0]
            routes.setdefault(upstream, set()).add(line.split(" route=")[1].split()[0])
    return {upstream: len(found) for upstream, found in sorted(routes.items())}


def print_report(title: str, report: Report) -> None:
    cold = report.cold
    print(f"== {title}")
    print(
        f"server RSS: {report.rss_started_kib / 1024:.0f} MiB started, "
        f"{cold.rss_open_kib / 1024:.0f} MiB after the first visit, "
        f"{report.rss_end_kib / 1024:.0f} MiB at the end"
    )
    print(
        f"cold first visit (store seeded, wave loaded): headline {cold.headline_s[0]:.2f} s, "
        f"idle {cold.idle_s[0]:.2f} s"
    )
    print(
        f"{'sessions':>8} {'headline med':>13} {'headline max':>13} {'idle med':>9} "
        f"{'idle max':>9} {'RSS open MiB':>13} {'MiB/session':>12} {'server CPU s':>13}"
    )
    for r in report.rounds:
        print(
            f"{r.sessions:>8} {statistics.median(r.headline_s):>12.2f}s "
            f"{max(r.headline_s):>12.2f}s {statistics.median(r.idle_s):>8.2f}s "
            f"{max(r.idle_s):>8.2f}s {r.rss_open_kib / 1024:>13.0f} {r.per_session_mib:>12.1f} "
            f"{r.server_cpu_s:>13.2f}"
        )
    by_count = {r.sessions: r for r in report.rounds}
    if 1 in by_count and 10 in by_count:
        one, ten = by_count[1], by_count[10]
        print(
            "10 sessions / 1: headline (slowest) "
            f"{max(ten.headline_s) / max(one.headline_s):.1f}x, idle (slowest) "
            f"{max(ten.idle_s) / max(one.idle_s):.1f}x, median idle "
            f"{statistics.median(ten.idle_s) / statistics.median(one.idle_s):.1f}x; memory per "
            f"session {ten.per_session_mib:.1f} MiB vs {one.per_session_mib:.1f} MiB; "
            f"server CPU {ten.server_cpu_s / one.server_cpu_s:.1f}x for 10x the sessions"
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 10])
    parser.add_argument("--repeat", type=int, default=1, help="rounds per count (best of)")
    parser.add_argument(
        "--via", nargs="+", choices=["direct", "proxy"], default=["direct", "proxy"]
    )
    args = parser.parse_args(argv)
    counts = [n for n in args.sessions if 1 <= n <= MAX_SESSIONS]
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is not installed (apt-get install chromium)")
    if "proxy" in args.via and not NGINX.exists():
        raise SystemExit(f"{NGINX} is not installed (apt-get install nginx), or use --via direct")

    load_before = load_average()
    reports: list[tuple[str, Report]] = []
    with tempfile.TemporaryDirectory() as tmp, launched_chromium() as browser:
        if "direct" in args.via:
            env = {"LANDSCAPE_DATABASE_URL": f"sqlite:///{Path(tmp) / 'direct.sqlite'}"}
            with streamlit_server(ROOT / "app.py", env=env, log_path=Path(tmp) / "a.log") as base:
                report = measure(
                    browser, base + "/", counts, args.repeat, server_pids(1), [base + "/"]
                )
            reports.append(("one dashboard process, direct", report))
        if "proxy" in args.via:
            env = {
                "LANDSCAPE_DATABASE_URL": f"sqlite:///{Path(tmp) / 'proxied.sqlite'}",
                "LANDSCAPE_TRUSTED_PROXIES": "1",
            }
            with (
                streamlit_server(ROOT / "app.py", env=env, log_path=Path(tmp) / "b.log") as one,
                streamlit_server(ROOT / "app.py", env=env, log_path=Path(tmp) / "c.log") as two,
            ):
                upstreams = [one.removeprefix("http://"), two.removeprefix("http://")]
                with nginx_proxy(upstreams, free_port()) as proxy:
                    report = measure(
                        browser,
                        proxy.base + "/",
                        counts,
                        args.repeat,
                        server_pids(2),
                        [one + "/", two + "/"],  # each process loads the wave once, untimed
                    )
                    spread = sessions_per_process(proxy.log_lines())
            reports.append(
                (f"two dashboard processes behind nginx (sessions per process: {spread})", report)
            )

    print(f"load average before {load_before}, after {load_average()} (2 cores)")
    for title, report in reports:
        print_report(title, report)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
