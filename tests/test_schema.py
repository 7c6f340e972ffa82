"""The schema declaration and the data dictionary generated from it."""

from __future__ import annotations

import re

from landscape.intake.cells import PARSERS, parse
from landscape.intake.dictionary import DICTIONARY_COLUMNS, data_dictionary
from landscape.schema import SHEETS, Kind, join_choices, split_choices


def test_each_rule_has_a_name_of_its_own_and_text_to_read():
    names = [rule.name for sheet in SHEETS for rule in sheet.rules]
    assert len(names) == len(set(names)), names  # a check is found by this name
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", name) for name in names), names
    texts = [(rule.text, str(rule)) for sheet in SHEETS for rule in sheet.rules]
    assert all(text.endswith(".") and shown == text for text, shown in texts)


def test_dictionary_has_a_row_for_every_schema_column_in_order():
    dictionary = data_dictionary()
    assert tuple(dictionary.columns) == DICTIONARY_COLUMNS
    expected = [(s.name, c.name) for s in SHEETS for c in s.columns]
    assert list(zip(dictionary["sheet"], dictionary["column"], strict=True)) == expected


def test_dictionary_lists_allowed_values_from_the_enums():
    dictionary = data_dictionary().set_index(["sheet", "column"])
    for sheet in SHEETS:
        for column in sheet.columns:
            row = dictionary.loc[(sheet.name, column.name)]
            assert row["description"] == column.description
            assert row["type"] == column.kind.value
            for value in column.allowed:
                assert value in row["allowed_values"]


def test_dictionary_marks_required_columns():
    dictionary = data_dictionary().set_index(["sheet", "column"])
    assert dictionary.loc[("Areas", "force_area"), "required"] == "Yes"
    assert dictionary.loc[("Areas", "continuation_plan"), "required"] == "If responded"
    assert dictionary.loc[("Areas", "notes"), "required"] == "No"


def test_every_kind_has_a_parser():
    assert set(PARSERS) == set(Kind)


def test_every_example_in_the_schema_is_a_valid_value():
    for sheet in SHEETS:
        for column in sheet.columns:
            if column.example:
                parse(column, column.example)  # raises InvalidValue if the example is wrong


def test_choice_lists_split_and_join():
    assert split_choices(" a ;; b;") == ("a", "b")
    assert split_choices(join_choices(["a", "b"])) == ("a", "b")
    assert split_choices(None) == ()


def test_every_sheet_key_is_a_required_column():
    for sheet in SHEETS:
        assert all(sheet.column(name).required for name in sheet.key)
