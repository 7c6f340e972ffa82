"""The area profile PDF (landscape.figures.pdf): the wave, provenance and date on it, data escaped,
and real PDF bytes from kaleido and Debian's chromium (skipped without it, like the browser tests).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from landscape.figures import charts, pdf
from tests.browser_support import require_chromium

ABOUT = (
    ("Wave", "APCC 2025 survey (wave id w1)"),
    ("Provenance of the records", "12 of 40 records cite a public source"),
)


def document(**overrides) -> pdf.ProfileDocument:
    figure = charts.share_bars(
        pd.DataFrame({"area": ["Kent", "Essex"], "n": [3, 5], "label": ["3", "5"]}),
        category="area",
        count="n",
        title="Programmes: Kent and its peers",
    )
    values = {
        "area": "Kent",
        "headline": "Kent commissions 3 programmes against a peer median of 5",
        "wave": "APCC 2025 survey",
        "about": ABOUT,
        "sections": (
            pdf.Section("What Kent has that most peers lack", items=("Stalking programme",)),
            pdf.Section("Programmes beside peers", figure=figure),
            pdf.Section(
                "Kent's answers",
                table=pd.DataFrame({"Question": ["Budget <b>known</b>"], "Answer": ["Yes"]}),
                note="Provenance per answer.",
            ),
        ),
        "made_on": date(2025, 3, 7),
    }
    return pdf.ProfileDocument(**{**values, **overrides})


def test_the_document_states_the_wave_provenance_and_date_first():
    page = pdf.profile_html(document(), ["<svg></svg>"])
    header = page[: page.index("<section>")]
    assert "<h1>Kent: area profile</h1>" in header
    assert "<h2>Wave: APCC 2025 survey</h2>" in header
    assert "12 of 40 records cite a public source" in header
    assert "07 March 2025" in header
    assert "made on 07 March 2025" in page[page.index("<footer>") :]


def test_text_from_data_is_escaped_and_the_chart_is_placed_in_its_section():
    page = pdf.profile_html(document(area="<script>x</script>"), ["<svg id='c1'></svg>"])
    assert "<script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;: area profile" in page
    assert "Budget &lt;b&gt;known&lt;/b&gt;" in page  # the table cell, escaped
    beside = page.index("<h2>Programmes beside peers</h2>")
    assert page.index("<svg id='c1'>") > beside
    assert page.index("<li>Stalking programme</li>") < beside


def test_missing_chromium_is_a_domain_refusal_with_a_fix(tmp_path: Path):
    with pytest.raises(pdf.PdfUnavailable) as refused:
        pdf.profile_pdf(document(), chromium=tmp_path / "no-chromium")
    assert "not installed" in refused.value.message
    assert "apt-get install chromium" in refused.value.fix


def pdf_strings(data: bytes) -> list[str]:
    """The strings in the PDF's uncompressed objects (document info and outline): literal
    `(text)` and UTF-16 `<FEFF...>` hex strings, decoded."""
    found = [m.decode("latin-1") for m in re.findall(rb"/Title \(((?:[^()\\]|\\.)*)\)", data)]
    found += [
        bytes.fromhex(h.decode()).decode("utf-16-be").lstrip("\ufeff")
        for h in re.findall(rb"/Title <(FEFF[0-9A-Fa-f]*)>", data)
    ]
    return found


@pytest.mark.browser
def test_the_pdf_is_made_by_chromium_and_names_the_area_and_the_wave():
    require_chromium()
    data = pdf.profile_pdf(document())
    assert data.startswith(b"%PDF")
    assert data.rstrip().endswith(b"%%EOF")
    titles = pdf_strings(data)
    # the document title, and its headings as chromium writes them into the outline
    assert "Kent: area profile · wave APCC 2025 survey" in titles
    assert "Kent: area profile" in titles
    assert "Wave: APCC 2025 survey" in titles
    assert "Programmes beside peers" in titles
    try:
        from pypdf import PdfReader  # only if installed: the page text itself
    except ImportError:
        return
    import io

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Kent" in text
    assert "APCC 2025 survey" in text
