"""The value helpers every layer shares: one blank test, one percent rounding, one counted noun."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from landscape.model import breakdowns
from landscape.model.measures import Figure
from landscape.values import counted, is_blank, joined_text, number_text, rounded_percent


@pytest.mark.parametrize(
    "value",
    [None, float("nan"), np.float64("nan"), pd.NA, pd.NaT, "", "   ", "\t\n", (), [], frozenset()],
    ids=repr,
)
def test_no_answer_in_any_form_is_blank(value: object) -> None:
    assert is_blank(value) is True


@pytest.mark.parametrize(
    "value",
    [0, 0.0, False, "None", "0", " x ", ("None",), [0], dt.date(2025, 1, 1), pd.Timestamp(0)],
    ids=repr,
)
def test_an_answer_of_nothing_is_not_blank(value: object) -> None:
    assert is_blank(value) is False


def test_an_array_is_not_mistaken_for_one_missing_value() -> None:
    assert is_blank(np.array([np.nan, np.nan])) is False


@pytest.mark.parametrize(
    ("numerator", "denominator", "percent"),
    [
        (1, 8, 13),  # 12.5 rounds up
        (21, 40, 53),  # 52.5 rounds up, not down from 52.4999... in binary
        (17, 33, 52),  # 51.5...: rounds to nearest
        (1, 200, 1),  # 0.5 rounds up
        (3, 3, 100),
        (0, 33, 0),
        (np.float64(1.0), np.int64(8), 13),  # numpy numbers round the same way
        (0, 0, None),  # no share of nothing
        (5, None, None),
        (5, float("nan"), None),
        (float("nan"), 8, None),
    ],
)
def test_percent_rounds_half_up_and_has_none_without_a_denominator(
    numerator: float, denominator: float | None, percent: int | None
) -> None:
    assert rounded_percent(numerator, denominator) == percent


def test_figures_and_share_labels_round_with_the_one_function() -> None:
    figure = Figure("f", "F", 21, 40, "percent", "responding areas")
    assert figure.rounded_percent == 53
    assert figure.value == 53.0
    assert figure.text == "21 of 40 responding areas (53%)"
    assert breakdowns.share_label(21, 40) == "21 of 40 (53%)"
    assert Figure("f", "F", 1, 0, "percent", "responding areas").rounded_percent is None


def test_counts_agree_with_their_noun() -> None:
    assert counted(1, "area added", "areas added") == "1 area added"
    assert counted(0, "area added", "areas added") == "0 areas added"
    assert counted(2, "figure moves", "figures move") == "2 figures move"


def test_numbers_read_as_counts_or_one_decimal() -> None:
    assert number_text(1234) == "1,234"
    assert number_text(12.0) == "12"
    assert number_text(12.34) == "12.3"
    assert number_text(1234.56) == "1,234.6"


def test_cells_join_several_answers_and_show_a_blank_as_empty() -> None:
    assert joined_text(("Standard", "Medium")) == "Standard; Medium"
    assert joined_text(None) == ""
    assert joined_text(float("nan")) == ""
    assert joined_text(3) == "3"
