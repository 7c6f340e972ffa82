"""Render every dashboard page with AppTest, cold and warm, against a bare one-line page.

The pages are the registry's (ui/registry.py) that read the sidebar filters: all but the upload
page (tests.app_support.PAGES). Each page file runs on its own, without app.py's router.

Figures are ratios to a baseline measured in the same run (a page that only says `st.write("hi")`),
so they compare across machines:

- cold: first render with every Streamlit cache empty (reads the store, builds the model);
- warm: a rerun with nothing changed (what a click that changes nothing costs);
- filter: a rerun after changing the sidebar's country filter (new filter key: the model is
  narrowed and the page's tables and charts are rebuilt for it).

Each page is measured in --rounds fresh rounds (caches cleared, a new AppTest) and the best round
of each measure is kept: the machine is shared, and a filter change is one run per round. A round
measures the bare page (median of its reruns) and then every page once, so each page's rounds are
spread over the whole run; the baseline is the median of the rounds' bare pages.

Run: .venv/bin/python benchmarks/bench_pages.py [--repeat N] [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from _timing import median_of  # noqa: E402 (after the path set-up)

from tests.app_support import PAGES, isolated_store  # noqa: E402
from ui import registry  # noqa: E402

TIMEOUT = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="warm reruns per page (median)")
    parser.add_argument("--rounds", type=int, default=3, help="fresh rounds per page (best of)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, isolated_store(Path(tmp) / "bench.sqlite"):
        from streamlit.testing.v1 import AppTest

        from landscape.store import open_store

        open_store()  # create and seed the store once, outside every timing

        bare = AppTest.from_string('import streamlit as st\nst.write("hi")', default_timeout=60)
        bare.run()
        bares: list[float] = []
        measured: dict[str, list[tuple[float, float, float]]] = {page: [] for page in PAGES}
        # round by round over every page, not every round of one page and then the next: the
        # machine is shared, and a slow minute then slows one round of each page, not all of one
        for _ in range(max(1, args.rounds)):
            bares.append(median_of(max(args.repeat, 9), bare.run))
            for page in PAGES:
                measured[page].append(one_round(page, args.repeat))
        baseline = statistics.median(bares)
        rows = []
        for page, rounds in measured.items():
            cold, warm, filtered = (min(r[i] for r in rounds) for i in range(3))
            rows.append((page, cold, warm, filtered))

    print(f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])} (2 cores)")
    print(
        f"baseline: bare one-line page rerun {baseline * 1000:.1f} ms (median of the rounds' "
        f"medians: {', '.join(f'{b * 1000:.1f}' for b in bares)})"
    )
    print(
        f"{'page':<14}{'cold s':>8}{'warm ms':>10}{'warm/bare':>11}"
        f"{'filter ms':>11}{'filter/bare':>13}"
    )
    for page, cold, warm, filtered in rows:
        print(
            f"{page:<14}{cold:>8.2f}{warm * 1000:>10.1f}{warm / baseline:>11.1f}"
            f"{filtered * 1000:>11.1f}{filtered / baseline:>13.1f}"
        )
    warm_ratios = [w / baseline for _, _, w, _ in rows]
    print(f"warm/bare median {statistics.median(warm_ratios):.1f}x, max {max(warm_ratios):.1f}x")
    filter_ratios = [f / baseline for _, _, _, f in rows]
    print(
        f"filter/bare median {statistics.median(filter_ratios):.1f}x, max {max(filter_ratios):.1f}x"
    )


def one_round(page: str, repeat: int) -> tuple[float, float, float]:
    """Cold render, median warm rerun and the rerun after a filter change, with empty caches."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(registry.page(page).file), default_timeout=TIMEOUT)
    if page == "area":
        at.query_params["area"] = "E23000023"
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    if at.exception:
        raise SystemExit(f"{page}: {at.exception[0].value}")
    at.run()  # let any first-rerun work settle
    warm = median_of(repeat, at.run)
    at.selectbox(key="filter-widget:country").set_value("England")
    start = time.perf_counter()
    at.run()
    filtered = time.perf_counter() - start
    if at.exception:
        raise SystemExit(f"{page} after a filter change: {at.exception[0].value}")
    return cold, warm, filtered


if __name__ == "__main__":
    main()
