"""The area profile's PDF as the page builds it (ui.data.area_profile_pdf on the stored wave, not
a hand-built document): the page it prints states the wave, the provenance of the records and the
day it was made. The download itself, in a browser, is in tests/test_browser_pages.py; its text
cannot be read back there (compressed, and pypdf is not installed), so it is read here before
chromium prints it.
"""

from __future__ import annotations

from datetime import date

import pytest

from ui import data

pytestmark = pytest.mark.usefixtures("app_store")

CAMBRIDGESHIRE, ESSEX, NORFOLK = "E23000023", "E23000028", "E23000026"


def test_the_real_profiles_pdf_states_its_wave_provenance_and_date(printed_pdfs):
    _, latest = data.wave_listing()
    key = data.FilterKey(latest)
    made = data.area_profile_pdf(key, CAMBRIDGESHIRE, (ESSEX, NORFOLK), "A headline")
    assert made == b"%PDF-1.4"
    (page,) = printed_pdfs
    header = page[: page.index("<section>")]
    assert "<h1>Cambridgeshire: area profile</h1>" in header
    assert "<h2>Wave: APCC 2025 survey (illustrative)</h2>" in header
    assert "values: 205 cite a public source" in header  # the provenance of the values
    today = f"{date.today():%d %B %Y}"
    assert f"<dt>Made on</dt><dd>{today}</dd>" in header
    assert f"made on {today}</footer>" in page
    assert "<h2>Cambridgeshire&#x27;s programmes</h2>" in page  # html.escape'd
