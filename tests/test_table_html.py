"""landscape.figures.table_html: a table as escaped HTML a phone needs no script for (issue 20)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from landscape.figures.table_html import cell_text, table_markup
from tests.app_support import read_table


def test_every_header_and_cell_is_escaped_so_markup_from_a_spreadsheet_is_shown_as_text():
    hostile = '<img src=x onerror="alert(1)">'
    frame = pd.DataFrame({hostile: [hostile, "a & b"]})
    markup = table_markup(frame, label=f"Label {hostile}")
    assert "<img" not in markup and 'onerror="' not in markup
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in markup
    assert 'aria-label="Label &lt;img' in markup
    read = read_table(markup)
    assert list(read.columns) == [hostile]
    assert list(read[hostile]) == [hostile, "a & b"]  # what a reader sees is the text itself


def test_a_table_reads_back_as_the_frame_shown_with_numbers_right_aligned():
    frame = pd.DataFrame(
        {"Force area": ["Essex", "Kent"], "Areas": [3, 12], "Per cent": [9.1, 36.4]}
    )
    markup = table_markup(frame, label="Shares")
    assert markup.count('<th scope="col" class="num">') == 2  # Areas, Per cent
    assert '<td class="num">12</td>' in markup and "<td>Kent</td>" in markup
    assert "<caption>2 rows</caption>" in markup
    pd.testing.assert_frame_equal(read_table(markup), frame, check_dtype=False)


def test_one_row_is_captioned_in_the_singular_and_a_long_table_gets_its_own_scrolling_box():
    one = table_markup(pd.DataFrame({"a": [1]}), label="One", max_height_rem=40)
    assert "<caption>1 row</caption>" in one
    assert 'style="max-height:40rem;"' in one and 'role="region" tabindex="0"' in one
    assert 'style=""' in table_markup(pd.DataFrame({"a": [1]}), label="Unbounded")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, ""),
        (float("nan"), ""),
        (pd.NA, ""),
        (pd.NaT, ""),
        (True, "Yes"),
        (np.bool_(False), "No"),
        (np.int64(42), "42"),
        (3.0, "3"),
        (1 / 3, "0.3333"),
        (2.5, "2.5"),
        (float("inf"), "∞"),
        (pd.Timestamp("2025-03-07 09:30:00"), "2025-03-07 09:30:00"),
        (dt.date(2025, 3, 7), "2025-03-07"),
        (["Respect", "CSAAP"], "Respect; CSAAP"),
        (frozenset({"b", "a"}), "a; b"),
        ("line one\nline two\x1b[31m", "line one\\nline two\\x1b[31m"),
    ],
)
def test_each_value_is_shown_as_a_person_reads_it(value, shown):
    assert cell_text(value) == shown


def test_a_boolean_column_is_not_right_aligned_as_a_number():
    markup = table_markup(pd.DataFrame({"Matches": [True, False]}), label="Check")
    assert '<th scope="col">Matches</th>' in markup
    assert "<td>Yes</td><td>No</td>" not in markup  # one cell a row
    assert list(read_table(markup)["Matches"]) == ["Yes", "No"]


def test_an_empty_frame_is_a_table_of_headers_and_no_rows():
    markup = table_markup(pd.DataFrame({"Area": pd.Series([], dtype=object)}), label="None")
    assert "<tbody></tbody>" in markup and "<caption>0 rows</caption>" in markup
    assert read_table(markup).empty
