"""The area profile as one PDF: its charts as static images, its tables, and on every copy the
wave, the provenance of the records and the date it was made.

Both steps run Debian's chromium on this machine and need no network: plotly's kaleido draws each
chart as SVG (vector, so chart text stays text), then chromium prints one HTML document holding
them to PDF. The printed headings become the PDF's outline, so a reader (or a test) finds the
area and the wave without rendering the pages.

Text from data reaches the document only HTML-escaped (html.escape, DataFrame.to_html's escaping);
the SVG is plotly's own output, whose labels the chart builders already escaped.
"""

from __future__ import annotations

import asyncio
import html
import os
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from landscape.errors import LandscapeError

CHROMIUM = Path(os.environ.get("LANDSCAPE_CHROMIUM", "/usr/bin/chromium"))
# chromium as root in a container needs no sandbox; no GPU on a server; nothing fetched
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking")
# A4 less 15 mm margins at 96 px per inch: the width a chart is drawn at, so it prints at page width
CHART_WIDTH_PX = 680
PRINT_TIMEOUT_S = 60


class PdfUnavailable(LandscapeError):
    """The PDF could not be made on this machine (no chromium, or it failed)."""


@dataclass(frozen=True)
class Section:
    """One part of the document: a heading, then a chart, a table and a note, each optional."""

    heading: str
    figure: go.Figure | None = field(default=None, compare=False)
    table: pd.DataFrame | None = field(default=None, compare=False)
    note: str = ""
    items: tuple[str, ...] = ()  # a bulleted list (e.g. what the area has that peers lack)


@dataclass(frozen=True)
class ProfileDocument:
    """What the area profile PDF states. `about` is the (label, value) lines every download of
    the view states first: wave, kind of wave, view, provenance, source."""

    area: str
    headline: str
    wave: str
    about: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    made_on: date = field(default_factory=date.today)

    @property
    def title(self) -> str:
        return f"{self.area}: area profile"


def profile_pdf(document: ProfileDocument, *, chromium: Path = CHROMIUM) -> bytes:
    """The document as PDF bytes (kaleido for the charts, chromium to print)."""
    if not chromium.exists():
        raise PdfUnavailable(
            f"The PDF needs chromium at {chromium}, which is not installed.",
            fix="Install Debian's chromium (apt-get install chromium) or set LANDSCAPE_CHROMIUM.",
        )
    figures = [s.figure for s in document.sections if s.figure is not None]
    images = chart_svgs(figures, chromium=chromium)
    return print_to_pdf(profile_html(document, images), chromium=chromium)


def chart_svgs(figures: Sequence[go.Figure], *, chromium: Path = CHROMIUM) -> list[str]:
    """Each figure as SVG text, drawn by kaleido in one chromium session at page width."""
    if not figures:
        return []
    import kaleido  # imported here: only a PDF needs it, and it is slow to import

    async def draw() -> list[str]:
        # mathjax=False: kaleido would otherwise fetch MathJax from a CDN
        async with kaleido.Kaleido(path=str(chromium), mathjax=False) as session:
            drawn = []
            for figure in figures:
                height = int(figure.layout.height or 400)
                svg = await session.calc_fig(
                    figure,
                    opts={"format": "svg", "width": CHART_WIDTH_PX, "height": height},
                )
                drawn.append(svg.decode("utf-8"))
            return drawn

    try:
        return asyncio.run(draw())
    except Exception as error:  # kaleido and choreographer raise many kinds
        raise PdfUnavailable(
            f"The charts could not be drawn for the PDF ({type(error).__name__}: {error}).",
            fix="Try again; if it persists, check that chromium starts on the server.",
        ) from error


def profile_html(document: ProfileDocument, images: Sequence[str]) -> str:
    """The printable HTML: a header with the wave, provenance and date, then each section."""
    charts = iter(images)
    parts = [
        f"<h1>{_text(document.title)}</h1>",
        f"<p class='headline'>{_text(document.headline)}</p>",
        f"<h2>Wave: {_text(document.wave)}</h2>",
        "<dl>",
        *(f"<dt>{_text(label)}</dt><dd>{_text(value)}</dd>" for label, value in document.about),
        f"<dt>Made on</dt><dd>{document.made_on:%d %B %Y}</dd>",
        "</dl>",
    ]
    for section in document.sections:
        parts.append(f"<section><h2>{_text(section.heading)}</h2>")
        if section.items:
            parts.append("<ul>" + "".join(f"<li>{_text(i)}</li>" for i in section.items) + "</ul>")
        if section.figure is not None:
            parts.append(f"<figure>{next(charts)}</figure>")
        if section.table is not None and not section.table.empty:
            parts.append(section.table.to_html(index=False, escape=True, na_rep="", border=0))
        if section.note:
            parts.append(f"<p class='note'>{_text(section.note)}</p>")
        parts.append("</section>")
    footer = f"{document.title} · wave {document.wave} · made on {document.made_on:%d %B %Y}"
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_text(document.title)} · wave {_text(document.wave)}</title>"
        f"<style>{_STYLE}</style></head><body>"
        + "".join(parts)
        + f"<footer>{_text(footer)}</footer></body></html>"
    )


def print_to_pdf(document_html: str, *, chromium: Path = CHROMIUM) -> bytes:
    """`document_html` printed to A4 by headless chromium (headings become the PDF outline)."""
    with tempfile.TemporaryDirectory(prefix="landscape-pdf-") as folder:
        source = Path(folder) / "profile.html"
        target = Path(folder) / "profile.pdf"
        source.write_text(document_html, encoding="utf-8")
        command = [
            str(chromium),
            "--headless",
            *CHROMIUM_ARGS,
            f"--user-data-dir={folder}/profile",
            "--no-pdf-header-footer",
            "--generate-pdf-document-outline",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=PRINT_TIMEOUT_S, check=True)
        except (OSError, subprocess.SubprocessError) as error:
            raise PdfUnavailable(
                f"chromium could not print the PDF ({type(error).__name__}).",
                fix="Try again; if it persists, check that chromium starts on the server.",
            ) from error
        if not target.exists():
            raise PdfUnavailable("chromium printed no PDF.", fix="Try again.")
        return target.read_bytes()


def _text(value: object) -> str:
    return html.escape("" if value is None else str(value))


_STYLE = """
@page { size: A4; margin: 15mm; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 10pt; color: #0b0c0c; }
h1 { font-size: 18pt; margin: 0 0 4pt; }
h2 { font-size: 13pt; margin: 14pt 0 4pt; }
.headline { font-size: 12pt; font-weight: bold; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2pt 10pt; margin: 6pt 0; }
dt { font-weight: bold; }
dd { margin: 0; }
figure { margin: 0; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; }
th, td { border-bottom: 1px solid #b1b4b6; padding: 2pt 4pt; text-align: left; }
td { vertical-align: top; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.note, footer { color: #505a5f; font-size: 8.5pt; }
footer { margin-top: 14pt; border-top: 1px solid #b1b4b6; padding-top: 4pt; }
"""
