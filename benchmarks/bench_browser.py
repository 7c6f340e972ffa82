"""Every page in Lighthouse (mobile defaults), direct and through nginx, beside a bare page.

What a person on a phone gets: Lighthouse 12.2.3 (benchmarks/package.json, `npm ci` in
benchmarks/) with Debian's chromium (CHROME_PATH=/usr/bin/chromium, --headless --no-sandbox
--disable-gpu) and its default mobile settings (simulated slow 4G and a 4x slower CPU), in one
run, over:

- a bare one-line Streamlit page (`st.write("hi")`), the baseline, measured before and after
  the pages (its median is the baseline);
- every page of ui/registry.py on the dashboard (app.py on a fresh SQLite store seeded with the
  bundled wave), straight from Streamlit's server;
- the same pages through Debian's nginx running deploy/nginx/landscape.conf (tests/nginx_support),
  skipped with --no-proxy or where nginx is absent;
- with --compare DIR, the same pages of another checkout (e.g. `git worktree add DIR main`, the
  tree before a change) served straight from Streamlit, in the same run: its app.py with its own
  src/ first on the path, on a store of its own.

Each page is first opened once in Playwright (untimed) so the server's caches hold its view, as
they do for every reader but the first. For each run the script prints total blocking time
(TBT), largest contentful paint (LCP), bytes transferred and main-thread work, and each as a
ratio to the bare page's (TBT also as the difference, since the bare page's is usually 0 ms).
Main-thread work (Lighthouse's mainthread-work-breakdown: script, style, layout, paint, in all)
is the steadier measure of what a page asks of a phone: TBT counts only the long tasks after
first paint, so the same work scores 0 ms or 800 ms as it lands before or after that moment.

Run: .venv/bin/python benchmarks/bench_browser.py [--pages stalking overview ...] [--runs N]
     [--no-proxy] [--compare DIR]   (median of N Lighthouse runs per page; about 25 s a run)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser_support import (  # noqa: E402 (after the path set-up)
    CHROMIUM,
    free_port,
    launched_chromium,
    streamlit_server,
    wait_for_streamlit,
)
from tests.nginx_support import NGINX, nginx_proxy  # noqa: E402
from ui.registry import PAGES  # noqa: E402

LIGHTHOUSE = ROOT / "benchmarks" / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu"
BARE_PAGE = 'import streamlit as st\n\nst.write("hi")\n'
RUN_TIMEOUT_S = 240


@dataclass(frozen=True)
class Measured:
    tbt_ms: float
    main_thread_ms: float
    lcp_ms: float
    bytes: int


def lighthouse(url: str, out: Path, attempts: int = 3) -> Measured:
    """One Lighthouse performance run of `url` on its mobile defaults (tried again when
    Lighthouse itself gives up, as it can when the machine is busy)."""
    for attempt in range(1, attempts + 1):
        finished = subprocess.run(
            [str(LIGHTHOUSE), url, "--only-categories=performance", "--output=json",
             f"--output-path={out}", f"--chrome-flags={CHROME_FLAGS}", "--quiet"],
            env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
            check=False,
            timeout=RUN_TIMEOUT_S,
        )  # fmt: skip
        if finished.returncode == 0:
            break
        print(f"  (Lighthouse failed on {url}, attempt {attempt} of {attempts})", flush=True)
    else:
        raise RuntimeError(f"Lighthouse failed {attempts} times on {url}")
    audits = json.loads(out.read_text())["audits"]
    return Measured(
        tbt_ms=float(audits["total-blocking-time"]["numericValue"]),
        main_thread_ms=float(audits["mainthread-work-breakdown"]["numericValue"]),
        lcp_ms=float(audits["largest-contentful-paint"]["numericValue"]),
        bytes=int(audits["total-byte-weight"]["numericValue"]),
    )


def median(runs: list[Measured]) -> Measured:
    return Measured(
        tbt_ms=statistics.median(r.tbt_ms for r in runs),
        main_thread_ms=statistics.median(r.main_thread_ms for r in runs),
        lcp_ms=statistics.median(r.lcp_ms for r in runs),
        bytes=int(statistics.median(r.bytes for r in runs)),
    )


def warm(urls: list[str]) -> None:
    """Open each page once (untimed), so the server has built its view before Lighthouse asks."""
    with launched_chromium() as browser:
        context = browser.new_context()
        page = context.new_page()
        for url in urls:
            page.goto(url, wait_until="domcontentloaded")
            page.wait_for_selector("h1, [data-testid='stMarkdown']", timeout=120_000)
            wait_for_streamlit(page, 120_000)
        context.close()


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def row(name: str, shown: Measured, bare: Measured) -> str:
    tbt_ratio = f"{shown.tbt_ms / bare.tbt_ms:.1f}x" if bare.tbt_ms else "-"
    work = shown.main_thread_ms / bare.main_thread_ms
    return (
        f"| {name} | {shown.tbt_ms:.0f} ms | +{shown.tbt_ms - bare.tbt_ms:.0f} ms | {tbt_ratio} "
        f"| {shown.lcp_ms / 1000:.1f} s | {shown.lcp_ms / bare.lcp_ms:.2f}x "
        f"| {shown.bytes / 1e6:.2f} MB | {shown.bytes / bare.bytes:.2f}x "
        f"| {shown.main_thread_ms / 1000:.2f} s | {work:.2f}x |"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    names = [spec.url_path for spec in PAGES]
    parser.add_argument("--pages", nargs="+", default=names, choices=names)
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (median)")
    parser.add_argument("--no-proxy", action="store_true", help="only straight from Streamlit")
    parser.add_argument("--compare", type=Path, help="another checkout to measure in the same run")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: cd benchmarks && npm ci")
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is not installed (apt-get install chromium)")
    proxied = not args.no_proxy and NGINX.exists()

    load_before = load_average()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bare_script = folder / "bare.py"
        bare_script.write_text(BARE_PAGE)
        env = {"LANDSCAPE_DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite'}"}
        results: dict[str, list[Measured]] = {}
        with contextlib.ExitStack() as servers:
            bare_base = servers.enter_context(
                streamlit_server(bare_script, log_path=folder / "bare.log")
            )
            base = servers.enter_context(
                streamlit_server(ROOT / "app.py", env=env, log_path=folder / "app.log")
            )
            upstream = base.removeprefix("http://")
            urls = [bare_base + "/"] + [f"{base}/{page}" for page in args.pages]
            targets = [("bare page", bare_base + "/")]
            targets += [(page, f"{base}/{page}") for page in args.pages]
            if args.compare:
                other = args.compare.resolve()
                other_base = servers.enter_context(
                    streamlit_server(
                        other / "app.py",
                        env={
                            "LANDSCAPE_DATABASE_URL": f"sqlite:///{folder / 'other.sqlite'}",
                            "PYTHONPATH": str(other / "src"),
                        },
                        log_path=folder / "other.log",
                    )
                )
                urls += [f"{other_base}/{page}" for page in args.pages]
                targets += [
                    (f"{page} [{other.name}]", f"{other_base}/{page}") for page in args.pages
                ]
            warm(urls)
            if proxied:
                # the shipped file names two processes: here both are the one server
                with nginx_proxy([upstream, upstream], free_port()) as proxy:
                    targets += [(f"{page} (nginx)", f"{proxy.base}/{page}") for page in args.pages]
                    targets.append(("bare page", bare_base + "/"))
                    results = measure(targets, args.runs, folder)
            else:
                targets.append(("bare page", bare_base + "/"))
                results = measure(targets, args.runs, folder)
        shutil.rmtree(folder / "lighthouse", ignore_errors=True)

    bare = median(results.pop("bare page"))
    print(f"load average before {load_before}, after {load_average()} (2 cores)")
    print(
        f"bare page: TBT {bare.tbt_ms:.0f} ms, LCP {bare.lcp_ms / 1000:.1f} s, "
        f"{bare.bytes / 1e6:.2f} MB, main thread {bare.main_thread_ms / 1000:.2f} s "
        "(median of its runs)"
    )
    print(
        "| page | TBT | TBT - bare | TBT / bare | LCP | LCP / bare | bytes | bytes / bare "
        "| main thread | main thread / bare |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, runs in results.items():
        print(row(name, median(runs), bare))
    return 0


def measure(targets: list[tuple[str, str]], runs: int, folder: Path) -> dict[str, list[Measured]]:
    out = folder / "lighthouse"
    out.mkdir(exist_ok=True)
    results: dict[str, list[Measured]] = {}
    for _ in range(max(1, runs)):
        for number, (name, url) in enumerate(targets):
            measured = lighthouse(url, out / f"{number}.json")
            results.setdefault(name, []).append(measured)
            print(
                f"  {name}: TBT {measured.tbt_ms:.0f} ms, LCP {measured.lcp_ms / 1000:.1f} s, "
                f"{measured.bytes / 1e6:.2f} MB, "
                f"main thread {measured.main_thread_ms / 1000:.2f} s",
                flush=True,
            )
    return results


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
