"""Text is text on every surface (issue 12, point 4): a wave label or an answer holding a URL,
Markdown, HTML or terminal escapes is shown as those characters, never as a link, markup or a
terminal command: page captions, the CLI's output, CSV/XLSX cells and plotly hover text.

Why captions need more than backslashes: Streamlit's GFM autolinking finds URLs in the parsed
text, after escapes are resolved, so `http\\:\\/\\/...` is still linked (checked in Chromium while
writing ui.layout.plain). Code spans are never linked or interpreted, so plain() shows any run
holding "://", "www." or "@" as one.
"""

from __future__ import annotations

import io
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from landscape.cli import main
from landscape.figures import charts
from landscape.figures.export import csv_bytes, xlsx_bytes
from landscape.store import open_store
from landscape.store.verify import expected_sqlite_triggers
from tests.app_support import isolated_store, open_page, tables_shown
from tests.store_support import ADMIN, sqlite_url, valid_workbook
from ui.layout import plain

PHISH = "http://2130706433:8799/phish"
LABEL = f"Correction - details at {PHISH} **now** <b>x</b> :red[y] \x1b]0;owned\x07\x1b[2J"
ANSWER = '=HYPERLINK("http://evil.example","see www.evil.example") <img src=x onerror=alert(1)>'
PAYLOADS = [
    LABEL,
    ANSWER,
    "[click](javascript:alert(1)) and ![img](http://x/y.png)",
    "mail me: someone@example.com or WWW.EXAMPLE.COM",
    "`ticks` ``double`` $x^2$ # heading > quote - list | table ~~strike~~",
    ":smile: :material/warning: :blue-background[z]",
]


# --- the Markdown helper every caption uses ---------------------------------------------------


def outside_code_spans(markdown: str) -> str:
    return re.sub(r"(`+) .*? \1", " ", markdown)


@pytest.mark.parametrize("text", PAYLOADS)
def test_plain_leaves_nothing_linkable_outside_a_code_span(text):
    shown = outside_code_spans(plain(text))
    assert not re.search(r"://|www\.|@", shown, re.IGNORECASE)


@pytest.mark.parametrize("text", PAYLOADS)
def test_plain_escapes_every_markdown_character_outside_code_spans(text):
    shown = outside_code_spans(plain(text))
    unescaped = re.findall(r"(?<!\\)[*_\[\]()<>:`#$~|!]", shown.replace("\\\\", ""))
    assert unescaped == []


def test_plain_fences_a_run_with_backticks_by_a_longer_run():
    assert plain("see``http://x`") == "``` see``http://x` ```"


# --- the page header caption ------------------------------------------------------------------


def stored_before_labels_were_checked(store, data: bytes) -> None:
    """A wave with the hostile LABEL, as a store kept it before labels were checked when entered
    (`waves.refuse_control_characters` refuses it now: test_a_label_with_control_characters...)."""
    from landscape.store import waves

    checked = waves.refuse_control_characters
    waves.refuse_control_characters = lambda what, text: None
    try:
        store.publish(data, "x.xlsx", principal=ADMIN, label=LABEL)
    finally:
        waves.refuse_control_characters = checked


def test_a_label_with_control_characters_is_refused_when_entered(tmp_path):
    from landscape.store.errors import StoreError

    store = open_store(sqlite_url(tmp_path / "s.sqlite"), seed=False)
    with pytest.raises(StoreError, match=r"holds control characters \(U\+001B, U\+0007\)"):
        store.publish(valid_workbook(), "x.xlsx", principal=ADMIN, label=LABEL)
    assert store.list_waves() == []


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The pages' store, holding one wave published with the hostile label and an answer."""
    path = tmp_path_factory.mktemp("hostile") / "app.sqlite"
    with isolated_store(path) as url:
        store = open_store(url, seed=False)
        stored_before_labels_were_checked(store, valid_workbook(respondent_body=ANSWER))
        store.dispose()
        yield url, path


def header_caption(page: str) -> str:
    at = open_page(page)
    return next(c.value for c in at.caption if "Wave:" in c.value)


@pytest.mark.parametrize("page", ["overview", "about"])
def test_the_header_caption_shows_the_label_as_text_never_a_link(hostile_store, page):
    caption = header_caption(page)
    assert f"` {PHISH} `" in caption  # the URL only inside a code span
    assert PHISH not in outside_code_spans(caption)
    assert "\\*\\*now\\*\\*" in caption
    assert "\\<b\\>" in caption
    assert "\\:red\\[y\\]" in caption


def test_the_about_page_says_each_wave_is_verified(hostile_store):
    at = open_page("about")
    tables = [frame for frame in tables_shown(at) if "Verified" in frame.columns]
    assert tables and list(tables[0]["Verified"]) == ["verified"]
    assert not [e for e in at.error if "does not verify" in e.value]


# --- the command line -------------------------------------------------------------------------


def test_cli_waves_prints_control_characters_escaped(tmp_path):
    url = sqlite_url(tmp_path / "cli.sqlite")
    store = open_store(url, seed=False)
    stored_before_labels_were_checked(store, valid_workbook())
    store.dispose()
    result = CliRunner().invoke(main, ["waves", "--database", url])
    assert result.exit_code == 0
    output = result.stdout_bytes
    assert b"\x1b" not in output and b"\x07" not in output
    assert b"\\x1b]0;owned\\x07\\x1b[2J" in output
    assert PHISH.encode() in output  # shown, as text


def test_cli_verify_names_a_wave_without_its_control_characters(tmp_path):
    path = tmp_path / "cli.sqlite"
    store = open_store(sqlite_url(path), seed=False)
    stored_before_labels_were_checked(store, valid_workbook())
    store.dispose()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("DROP TRIGGER waves_update_only_to_seal")
    db.execute("UPDATE waves SET label = label || '!'")
    db.execute(expected_sqlite_triggers()["waves_update_only_to_seal"])
    db.close()
    result = CliRunner().invoke(main, ["verify", "--database", sqlite_url(path)])
    assert result.exit_code == 1
    assert "wave 1 (Correction - details at" in result.output
    assert "\x1b" not in result.output


# --- downloads and charts ---------------------------------------------------------------------


def test_csv_and_xlsx_cells_carry_the_text_with_no_live_formula():
    frame = pd.DataFrame({"wave": [LABEL], "answer": [ANSWER]})
    rows = csv_bytes(frame).decode("utf-8-sig").splitlines()
    assert rows[-1].startswith("Correction - details at http://")
    assert "'=HYPERLINK(" in rows[-1]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame))).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'" + ANSWER in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_chart_hover_and_axis_text_is_html_escaped():
    frame = pd.DataFrame({"category": [ANSWER], "count": [1], "label": ["<b>1</b> of 2"]})
    figure = charts.share_bars(frame, category="category", count="count", title=LABEL)
    bar = figure.data[0]
    assert "&lt;img src=x onerror=alert(1)&gt;" in bar.y[0]
    assert "<img" not in bar.y[0]
    assert bar.text[0] == "&lt;b&gt;1&lt;/b&gt; of 2"
    assert "<b>x</b>" not in figure.layout.title.text
