"""The report page's findings as HTML (issue 20).

A section of findings is one line of escaped HTML rather than Markdown: Streamlit parses
Markdown in the browser's script, and a long section of it blocked a throttled phone's main
thread for hundreds of milliseconds; HTML it only hands to the browser.
"""

from __future__ import annotations

import html

from landscape.model import report
from landscape.text import printable


def section_markup(section: report.ReportSection) -> str:
    """The section's findings as one line of HTML (Markdown never ends it), every text from the
    reference file escaped."""
    blocks = []
    for shown in section.items:
        item = shown.item
        parts = [f"<p><strong>{_text(item.title)}</strong></p>", f"<p>{_text(item.summary)}</p>"]
        notes = [f"Figures in the report: {_text(item.figures)}"] if item.figures else []
        notes.append(f"Report section: {_text(item.section)}")
        parts.append(f'<p class="landscape-note">{"<br>".join(notes)}</p>')
        measures = []
        for progress in shown.progress:
            line = f"{progress.label}: {progress.now}"
            if progress.before is not None:
                line += f" (earlier wave: {progress.before}; change {progress.change:+,.0f})"
            measures.append(f"<li>{_text(line)}</li>")
        if measures:
            parts.append(f"<ul>{''.join(measures)}</ul>")
        blocks.append("".join(parts))
    return f'<div class="landscape-report">{"<hr>".join(blocks)}</div>'


def _text(text: object) -> str:
    """Text from data as HTML that shows it verbatim: escaped, each line's control characters
    as escapes, its lines kept as line breaks."""
    return "<br>".join(html.escape(printable(line), quote=True) for line in str(text).split("\n"))
